package optimizer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// rewritePlan applies f to every operator of p bottom-up (ir.TransformPlan): the one
// walk every pass uses. f may change the operator it is given in place (a pass runs on
// its own copy of the plan) or return another. A failure is a malformed plan (a nil
// operator, a sink rewritten into something else), which checkPlan rejects before any
// pass runs, so it is a bug in a pass and panics.
func rewritePlan(p *ir.Plan, f func(ir.Node) ir.Node) {
	err := ir.TransformPlan(p, func(n ir.Node) (ir.Node, error) { return f(n), nil })
	if err != nil {
		panic("optimizer: " + err.Error())
	}
}

// copyPlan returns a deep copy of p: every node, slice and expression is new, catalog
// objects (*ir.Table, *ir.Function, the Catalog and the Source) are shared. A node
// reached from two parents (a plan DAG) stays shared in the copy.
func copyPlan(p *ir.Plan) *ir.Plan {
	q := &ir.Plan{Catalog: p.Catalog, Source: p.Source, Sinks: slices.Clone(p.Sinks)}
	rewritePlan(q, func(n ir.Node) ir.Node { return ir.MapExprs(n, cloneExpr) })
	return q
}

// planKey renders the whole plan canonically; Optimize compares keys to know when a
// round of passes changed nothing.
func planKey(p *ir.Plan) string {
	var b strings.Builder
	for _, s := range p.Sinks {
		writeNodeKey(&b, s)
		b.WriteString("\n")
	}
	return b.String()
}

// writeNodeKey renders the subtree below n: each operator as its dump line (which
// names its columns, functions and tables), the exact keys of the expressions it
// holds and the column indexes the line gives by name only, then its inputs.
func writeNodeKey(b *strings.Builder, n ir.Node) {
	b.WriteString(ir.Describe(n))
	switch n := n.(type) {
	case *ir.Scan:
		fmt.Fprintf(b, "%v", n.Columns)
	case *ir.Aggregate:
		fmt.Fprintf(b, "%v", n.GroupBy)
		for _, a := range n.Aggs {
			b.WriteString(" " + aggKey(a))
		}
	case *ir.WatermarkAssigner:
		fmt.Fprintf(b, "%d", n.RowtimeIndex)
	}
	b.WriteString("{")
	for _, e := range n.Expressions() {
		b.WriteString(ir.ExprKey(e) + ";")
	}
	b.WriteString("}(")
	for _, in := range n.Inputs() {
		writeNodeKey(b, in)
		b.WriteString(",")
	}
	b.WriteString(")")
}

// aggKey identifies what an aggregate computes (its name is not part of it).
func aggKey(a ir.AggCall) string {
	args := ir.ExprKey(a.Arg)
	for _, x := range a.Args { // a UDAF's arguments; UDAFKey names its Go function
		args += "," + ir.ExprKey(x)
	}
	return fmt.Sprintf("%s%s[distinct=%v](%s filter %s):%s", a.Func, a.UDAFKey(), a.Distinct, args, ir.ExprKey(a.Filter), a.T)
}

// identityRefs returns InputRefs to every column of schema.
func identityRefs(schema []ir.Field) ([]ir.Expr, []string) {
	exprs := make([]ir.Expr, len(schema))
	names := make([]string, len(schema))
	for i, f := range schema {
		exprs[i] = &ir.InputRef{Index: i, Name: f.Name, T: f.Type}
		names[i] = f.Name
	}
	return exprs, names
}

// projection returns a Calc over input that emits, for each column of the old schema,
// the input column m[i] (the node's columns moved as m says).
func projection(input ir.Node, old []ir.Field, m []int) *ir.Calc {
	in := input.Schema()
	c := &ir.Calc{Input: input}
	for i, f := range old {
		c.Exprs = append(c.Exprs, &ir.InputRef{Index: m[i], Name: in[m[i]].Name, T: in[m[i]].Type})
		c.Names = append(c.Names, f.Name)
	}
	return c
}

func isIdentityMap(m []int) bool {
	for i, j := range m {
		if i != j {
			return false
		}
	}
	return true
}
