package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// A ROW value is a Go struct with one field per ROW field, named by position (f0, f1,
// ...), each nullable one followed by its null flag (f0Null):
//
//	struct {
//		f0     int64
//		f0Null bool
//		f1     string
//		f1Null bool
//	}
//
// The struct is anonymous, so ROW types that differ only in their field names (ROW(a, b)
// is ROW<EXPR$0, EXPR$1>) are the same Go type and a value moves from one to the other
// as it is. As for every value, a NULL ROW is its zero value (every field zero, no null
// flag set); a field of it is NULL through the ROW's own null flag. ROW values are read
// from sources (json, nexmark), built by ROW(...), read by field access and written to
// sinks that take them (print, blackhole); they are not group keys, aggregate arguments
// or exchanged between tasks yet.

// rowField is the Go name of field i of a ROW value.
func rowField(i int) string { return fmt.Sprintf("f%d", i) }

// rowGoType renders the Go type of a ROW type.
func rowGoType(t ir.Type) (jen.Code, bool) {
	var fields []jen.Code
	for i, f := range t.Fields {
		gt, ok := goType(f.Type)
		if !ok {
			return nil, false
		}
		fields = append(fields, jen.Id(rowField(i)).Add(gt))
		if f.Type.Nullable {
			fields = append(fields, jen.Id(rowField(i)+"Null").Bool())
		}
	}
	return jen.Struct(fields...), true
}

// fieldOf is field i of the ROW value x: NULL when x is or when the field is.
func (f *fn) fieldOf(x value, i int, t ir.Type) value {
	if x.always {
		return nullValue(t)
	}
	if x.vl == nil {
		x = value{t: x.t, vl: f.define("row", x.V()), nl: x.nl, nc: x.nc}
	}
	v := value{t: t, vc: x.V().Dot(rowField(i))}
	var nulls []jen.Code
	if n := x.N(); n != nil {
		nulls = append(nulls, n)
	}
	if i < len(x.t.Fields) && x.t.Fields[i].Type.Nullable {
		nulls = append(nulls, x.V().Dot(rowField(i)+"Null"))
	}
	if len(nulls) > 0 {
		v.nc = joinOp("||", nulls)
	}
	return v
}

// rowOf builds a ROW value of type t from its field values, converted to the fields'
// types, in a local:
//
//	row := struct{ ... }{f0: a, f1: b, f1Null: bNull}
func (f *fn) rowOf(t ir.Type, fields []value, span diag.Span) value {
	gt, ok := goType(t)
	if !ok {
		f.g.errorf(span, "type %s is not supported by the code generator yet", t)
		return nullValue(t)
	}
	d := jen.Dict{}
	for i, fv := range fields {
		ft := t.Fields[i].Type
		v := f.convert(fv, ft, span)
		if v.always {
			if ft.Nullable {
				d[jen.Id(rowField(i)+"Null")] = jen.True()
			}
			continue
		}
		d[jen.Id(rowField(i))] = v.V()
		if n := v.N(); n != nil && ft.Nullable {
			d[jen.Id(rowField(i)+"Null")] = n
		}
	}
	return value{t: t, vl: f.define("row", jen.Add(gt).Values(d))}
}

// rowConstructor is ROW(a, b, ...): never NULL.
func (f *fn) rowConstructor(c *ir.Call, args []value) value {
	return f.rowOf(c.T, args, c.Pos)
}

// convertRow converts a ROW value to another ROW type of the same arity, field by
// field, when their Go types differ (a field's type or nullability).
func (f *fn) convertRow(x value, to ir.Type, span diag.Span) value {
	if len(x.t.Fields) != len(to.Fields) {
		f.g.errorf(span, "cannot convert %s to %s", x.t, to)
		return nullValue(to)
	}
	if x.vl == nil {
		x = value{t: x.t, vl: f.define("row", x.V()), nl: x.nl, nc: x.nc}
	}
	fields := make([]value, len(to.Fields))
	for i := range fields {
		fields[i] = f.fieldOf(value{t: x.t, vl: x.vl}, i, x.t.Fields[i].Type)
	}
	// A NULL row's fields are zero, so out is the zero value too.
	out := f.rowOf(to, fields, span)
	if n := x.N(); n != nil {
		out.nc = n
	}
	return out
}

// sameRowRepr reports whether two ROW types have the same Go type.
func sameRowRepr(a, b ir.Type) bool {
	ga, oka := goType(a)
	gb, okb := goType(b)
	return oka && okb && fmt.Sprintf("%#v", ga) == fmt.Sprintf("%#v", gb)
}

// rowSinks are the connectors whose sinks take ROW columns (stream.RowWriter).
var rowSinks = map[string]bool{"print": true, "blackhole": true}

// writeRowValue writes the ROW value v (not NULL here) into a sink that takes ROW
// columns: BeginRow, each field (a NULL one as Null), EndRow.
//
//	p.sink1Rows.BeginRow()
//	p.sink1.Int64(bid.f0)
//	if bid.f1Null { p.sink1.Null() } else { p.sink1.String(bid.f1) }
//	p.sink1Rows.EndRow()
func (g *gen) writeRowValue(f *fn, sinkVar string, v value, span diag.Span) bool {
	rows := g.rowWriter(sinkVar)
	sink := jen.Id("p").Dot(sinkVar)
	f.emit(jen.Add(rows).Dot("BeginRow").Call())
	for i, fd := range v.t.Fields {
		fv := value{t: fd.Type, vc: v.V().Dot(rowField(i))}
		if fd.Type.Nullable {
			fv.nc = v.V().Dot(rowField(i) + "Null")
		}
		var write []jen.Code
		if fd.Type.Kind == ir.KindRow {
			stmts := f.nest(func() { g.writeRowValue(f, sinkVar, fv, span) })
			write = stmts
		} else {
			call, ok := sinkCall(sink, fv.V(), fd.Type, fd.Type.Scale)
			if !ok {
				g.errorf(span, "writing a %s field is not supported by the code generator yet", fd.Type)
				return false
			}
			write = []jen.Code{call}
		}
		if fv.nc != nil {
			f.emit(jen.If(fv.N()).Block(jen.Add(sink).Dot("Null").Call()).Else().Block(write...))
		} else {
			f.emit(write...)
		}
	}
	f.emit(jen.Add(rows).Dot("EndRow").Call())
	return true
}

// rowWriter returns the task's stream.RowWriter view of a sink, declaring it the first
// time: p.sink1Rows = p.sink1.(stream.RowWriter) once the sink is open.
func (g *gen) rowWriter(sinkVar string) jen.Code {
	name := sinkVar + "Rows"
	if !g.cur.rowWriters[name] {
		if g.cur.rowWriters == nil {
			g.cur.rowWriters = map[string]bool{}
		}
		g.cur.rowWriters[name] = true
		g.cur.fields = append(g.cur.fields, jen.Comment(name+" writes the ROW columns of "+sinkVar+"."), jen.Id(name).Qual(pkgStream, "RowWriter"))
		g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(name).Op("=").Id("p").Dot(sinkVar).Assert(jen.Qual(pkgStream, "RowWriter")))
	}
	return jen.Id("p").Dot(name)
}

// checkRowAggregates reports the Aggregates that group by or aggregate ROW values,
// which the generated key, state and exchange types cannot hold yet.
func (g *gen) checkRowAggregates() {
	seen := map[*ir.Aggregate]bool{}
	for _, pl := range g.prog.Pipelines {
		a, ok := pl.Sink.(*ir.Aggregate)
		if !ok || seen[a] {
			continue
		}
		seen[a] = true
		in := a.Input.Schema()
		for _, c := range a.GroupBy {
			if c < len(in) && in[c].Type.Kind == ir.KindRow {
				g.errorf(a.Pos, "grouping by the ROW value %s is not supported yet; group by its fields", in[c].Name)
				return
			}
		}
		for _, call := range a.Aggs {
			args := append([]ir.Expr{call.Arg}, call.Args...)
			for _, e := range args {
				if e != nil && e.Type().Kind == ir.KindRow {
					g.errorf(call.Pos, "aggregating ROW values is not supported yet; aggregate their fields")
					return
				}
			}
		}
	}
}
