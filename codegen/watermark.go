package codegen

import (
	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

func init() { register[*ir.WatermarkAssigner](watermarkEmitter{}) }

// watermarkEmitter generates a WatermarkAssigner step (watermark).
type watermarkEmitter struct{}

func (watermarkEmitter) label(ir.Node) string { return "WatermarkAssigner" }

func (watermarkEmitter) step(f *fn, n ir.Node, row []value, fields []ir.Field, onFilter func() []jen.Code,
	next func([]value, []ir.Field, func() []jen.Code)) {
	st := n.(*ir.WatermarkAssigner)
	f.watermark(st, row, fields)
	next(row, st.Schema(), onFilter)
}

// watermark emits a WatermarkAssigner over the row: the row passes through, and its
// value of the table's watermark expression is reported to the source task, which keeps
// the largest per split and emits the minimum over its splits (runtimelib/exec):
//
//	// WATERMARK FOR ts AS ts - INTERVAL '5' SECOND  [job.sql:5:3]
//	... wm := ts - 5 s ...
//	if !wmNull {
//		p.task.ReportWatermark(wm.Millis)
//	}
func (f *fn) watermark(st *ir.WatermarkAssigner, row []value, fields []ir.Field) {
	g := f.g
	g.cur.needsTask()
	name := "$rowtime"
	if st.RowtimeIndex >= 0 && st.RowtimeIndex < len(fields) {
		name = fields[st.RowtimeIndex].Name
	}
	f.emit(g.comment("WATERMARK FOR "+name+" AS "+ir.FormatExpr(st.Expr, fields), st.Expr.Span()))
	f.in, f.lets = row, nil
	v := f.expr(st.Expr)
	if v.always {
		return // a NULL watermark never advances
	}
	report := jen.Id("p").Dot("task").Dot("ReportWatermark").Call(jen.Add(v.V()).Dot("Millis"))
	if n := v.N(); n != nil {
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(n))).Block(report))
		return
	}
	f.emit(report)
}
