package codegen

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// Operator emitters. Each kind of plan operator has one emitter, registered for its ir
// type by the file that generates it; the generator looks operators up here and never
// switches on their types, so adding an operator means adding its ir node and its
// emitter. An operator plays up to three roles in a pipeline (ir.Pipeline): its source
// (a Scan: the decoding loop over a batch; an Aggregate: the loop over the groups changed
// since the last barrier), a step inside the fused loop (Calc, Correlate,
// WatermarkAssigner: typed locals in, typed locals out), or its end (an Aggregate's build
// side, a Sink's write). A pipeline's loop is one loop from its source to its end.

// emitter is what every operator's emitter has: its label in pipeline comments.
type emitter interface {
	label(n ir.Node) string // "Scan(t)", "Calc(where)", "Aggregate(groupBy=[k])"
}

// sourceEmitter generates a pipeline that starts at the operator.
type sourceEmitter interface {
	emitter
	source(g *gen, pl *ir.Pipeline)
}

// stepEmitter generates the operator inside the fused loop over row (its input row,
// whose columns fields describes) and calls next with its output row; onFilter renders
// what a row the operator drops does (continue with the next record, or with the next
// row of a table function).
type stepEmitter interface {
	emitter
	step(f *fn, n ir.Node, row []value, fields []ir.Field, onFilter func() []jen.Code,
		next func(row []value, fields []ir.Field, onFilter func() []jen.Code))
}

// endEmitter generates the end of a pipeline at the operator over its final row.
type endEmitter interface {
	emitter
	end(g *gen, f *fn, pl *ir.Pipeline, row []value)
}

// tableEmitter is an operator's emitter that reads or writes a table (Scan, Sink).
type tableEmitter interface {
	table(n ir.Node) (*ir.Table, options.Role)
}

// importEmitter is an operator's emitter whose generated code names Go packages beyond
// those of the UDF calls in its expressions.
type importEmitter interface {
	imports(n ir.Node) []string
}

var emitters = map[reflect.Type]emitter{}

// register makes e the emitter of the operators of type N.
func register[N ir.Node](e emitter) { emitters[reflect.TypeFor[N]()] = e }

// emitterOf returns n's emitter in the role E, or reports that the code generator has
// none (a bug in the optimizer's pipelines, or an operator not generated yet).
func emitterOf[E emitter](g *gen, n ir.Node, role string) (E, bool) {
	e, ok := emitters[reflect.TypeOf(n)].(E)
	if !ok {
		g.errorf(diag.Span{}, "%T as %s is not supported by the code generator yet", n, role)
	}
	return e, ok
}

// label renders an operator for pipeline comments.
func label(n ir.Node) string {
	if e, ok := emitters[reflect.TypeOf(n)]; ok {
		return e.label(n)
	}
	return fmt.Sprintf("%T", n)
}

// describe renders a pipeline for the comment above its function:
// "Pipeline 1: Scan(cdn_access_log) -> Calc -> Aggregate(groupBy=[province])".
func describe(pl *ir.Pipeline) string {
	parts := []string{label(pl.Source)}
	for _, st := range pl.Operators() {
		parts = append(parts, label(st))
	}
	parts = append(parts, label(pl.Sink))
	return fmt.Sprintf("Pipeline %d: %s", pl.ID, strings.Join(parts, " -> "))
}
