package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// runSteps emits the operators of a pipeline between its source and its breaker over
// the row in, then tail with the final row. Without Correlates it is runCalcs. A
// Correlate opens a loop over the rows its table function yields for the current row;
// the operators after it and the breaker are emitted inside that loop, where a filtered
// row continues with the function's next row:
//
//	// LATERAL TABLE(split_tags(tags)) AS t(tag)  [job.sql:5:30]
//	var rows1 []udf.Tag
//	if !tagsNull {
//		site = 1
//		rows1 = udf.SplitTags(tags)
//		site = 0
//	}
//	for _, row1 := range rows1 {
//		tag := row1.Name
//		... Calcs, breaker ...
//	}
func (f *fn) runSteps(pl *ir.Pipeline, in []value, inFields []ir.Field, onFilter func() []jen.Code, tail func(out []value)) {
	if pl.Steps == nil {
		tail(f.runCalcs(pl.Calcs, in, inFields, onFilter))
		return
	}
	f.runStepList(pl.Steps, in, inFields, onFilter, tail)
}

func (f *fn) runStepList(steps []ir.Node, row []value, fields []ir.Field, onFilter func() []jen.Code, tail func(out []value)) {
	if len(steps) == 0 {
		f.drop = onFilter // what drops the row at the breaker: the innermost loop's
		tail(row)
		return
	}
	e, ok := emitterOf[stepEmitter](f.g, steps[0], "a pipeline step")
	if !ok {
		return
	}
	e.step(f, steps[0], row, fields, onFilter, func(out []value, outFields []ir.Field, onFilter func() []jen.Code) {
		f.runStepList(steps[1:], out, outFields, onFilter, tail)
	})
}

func init() { register[*ir.Correlate](correlateEmitter{}) }

// correlateEmitter generates a Correlate step: the table function's call and the loop
// over its rows, the operators after it inside that loop, where a dropped row goes on
// with the function's next row.
type correlateEmitter struct{}

// imports are the table function's package and its row type's.
func (correlateEmitter) imports(n ir.Node) []string {
	c := n.(*ir.Correlate)
	if c.Call == nil || c.Call.Fn == nil {
		return nil
	}
	out := []string{c.Call.Fn.ImportPath}
	if t := c.Call.Fn.Table; t != nil && t.RowImport != "" && t.RowImport != "time" {
		out = append(out, t.RowImport)
	}
	return out
}

func (correlateEmitter) label(n ir.Node) string {
	return "Correlate(" + n.(*ir.Correlate).Call.Fn.Name + ")"
}

func (correlateEmitter) step(f *fn, n ir.Node, row []value, fields []ir.Field, onFilter func() []jen.Code,
	next func([]value, []ir.Field, func() []jen.Code)) {
	c := n.(*ir.Correlate)
	f.correlate(c, row, fields, onFilter, func(out []value) {
		next(out, c.Schema(), func() []jen.Code { return []jen.Code{jen.Continue()} })
	})
}

// correlate emits one Correlate over row: the table function call and the loop over its
// rows, with body emitted inside the loop over the joined row.
func (f *fn) correlate(c *ir.Correlate, row []value, fields []ir.Field, onFilter func() []jen.Code, body func(out []value)) {
	fnd := c.Call.Fn
	info := fnd.Table
	if info == nil {
		f.g.errorf(c.Pos, "internal error: table function %s without row information", fnd.Name)
		return
	}
	if fnd.Vectorized {
		f.g.errorf(c.Pos, "table function %s: vectorized table functions are not supported", fnd.Name)
		return
	}
	for _, col := range c.FunctionFields() {
		if !f.checkType(col.Type, c.Pos) {
			return
		}
	}
	f.in = row
	f.lets = nil
	// A dead-lettered call drops the input row as a filter before the Correlate would.
	f.drop = onFilter
	f.emit(f.g.comment(describeLateral(c, fields), c.Pos))
	// Arguments, converted to the parameter types.
	var args []udfArg
	for i, e := range c.Call.Args {
		var p ir.Param
		switch {
		case i < len(fnd.Params):
			p = fnd.Params[i]
		case fnd.Variadic && len(fnd.Params) > 0:
			p = fnd.Params[len(fnd.Params)-1]
		default:
			f.g.errorf(e.Span(), "function %s: too many arguments", fnd.Name)
			return
		}
		goT := strings.TrimPrefix(strings.TrimPrefix(p.GoType, "..."), "*")
		if !udfTypeOK(goT, p.Type) {
			f.g.errorf(e.Span(), "function %s: Go parameter type %s is not supported by the code generator yet", fnd.Name, p.GoType)
			return
		}
		args = append(args, udfArg{v: f.convert(f.expr(e), p.Type, e.Span()), param: p})
	}
	// A NULL for a non-pointer parameter: the function is not called and yields no rows.
	var strict []value
	for _, a := range args {
		if !a.param.Pointer {
			strict = append(strict, a.v)
		}
	}
	rows := f.names.fresh("rows")
	rowT := rowType(fnd)
	// var rows1 []udf.Tag
	f.emit(jen.Var().Id(rows).Index().Add(rowT))
	site := f.g.udfSite(fnd.Name, f.g.pos(c.Pos))
	f.usesSite = true
	call := func() {
		params := f.udfParams(args)
		callExpr := jen.Qual(fnd.ImportPath, fnd.GoName).Call(params...)
		if fnd.Receiver != "" {
			// p.udf1_split.Eval(x): the function type's instance (udfpolicy.go)
			callExpr = jen.Id("p").Dot(f.g.udfInstance(fnd)).Dot(fnd.Method).Call(params...)
		}
		onErr := func() jen.Code {
			// if err != nil { return job.AtRow(job.UDFError("job.sql:3:5", "f", err), where) }
			return jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Qual(pkgJob, "AtRow").Call(
					jen.Qual(pkgJob, "UDFError").Call(jen.Lit(f.g.pos(c.Pos)), jen.Lit(fnd.Name), jen.Err()),
					f.where())),
			)
		}
		if fnd.OnError != ir.ErrorFail {
			f.callTableGuarded(fnd, c, callExpr, params, rows, site)
			return
		}
		f.emit(jen.Id("site").Op("=").Lit(site))
		if !info.Seq {
			if fnd.ReturnsError {
				// var err error; rows1, err = udf.F(x)
				f.emit(jen.Var().Err().Error())
				f.emit(jen.List(jen.Id(rows), jen.Err()).Op("=").Add(callExpr))
				f.emit(jen.Id("site").Op("=").Lit(0))
				f.emit(onErr())
			} else {
				// rows1 = udf.F(x)
				f.emit(jen.Id(rows).Op("=").Add(callExpr))
				f.emit(jen.Id("site").Op("=").Lit(0))
			}
			return
		}
		// An iter.Seq is drained into a buffer of the stage's operator (one per task), reused
		// from row to row, before its rows are processed: a panic while iterating is
		// the function's, and an error policy sees all or none of the rows.
		buf := fmt.Sprintf("lateral%d", site)
		// lateral1 []udf.Tag: the rows of LATERAL TABLE(f(x)) at job.sql:5:30
		f.g.cur.fields = append(f.g.cur.fields, jen.Comment(fmt.Sprintf("%s: the rows of %s at %s", buf, fnd.Name, f.g.pos(c.Pos))), jen.Id(buf).Index().Add(rowType(fnd)))
		seq := f.names.fresh("seq")
		if fnd.ReturnsError {
			f.emit(jen.List(jen.Id(seq), jen.Err()).Op(":=").Add(callExpr))
			f.emit(jen.Id("site").Op("=").Lit(0))
			f.emit(onErr())
			f.emit(jen.Id("site").Op("=").Lit(site))
		} else {
			f.emit(jen.Id(seq).Op(":=").Add(callExpr))
		}
		// p.lateral1 = p.lateral1[:0]
		// for r := range seq1 { p.lateral1 = append(p.lateral1, r) }
		f.emit(jen.Id("p").Dot(buf).Op("=").Id("p").Dot(buf).Index(jen.Empty(), jen.Lit(0)))
		f.emit(jen.For(jen.Id("r").Op(":=").Range().Id(seq)).Block(
			jen.Id("p").Dot(buf).Op("=").Append(jen.Id("p").Dot(buf), jen.Id("r")),
		))
		f.emit(jen.Id("site").Op("=").Lit(0))
		f.emit(jen.Id(rows).Op("=").Id("p").Dot(buf))
	}
	if null := orNull(strict...); null != nil {
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(null))).Block(f.nest(call)...))
	} else {
		f.emit(jen.Block(f.nest(call)...))
	}
	// The loop over the function's rows.
	elem := f.names.fresh("row")
	idx := f.names.fresh("i")
	yielded := ""
	if c.Left && info.RowPointer {
		yielded = f.names.fresh("yielded")
	}
	cols := c.FunctionFields()
	loopBody := f.nest(func() {
		out := append([]value(nil), row...)
		if !c.Left {
			if info.RowPointer {
				// if row1 == nil { continue }
				f.emit(jen.If(jen.Id(elem).Op("==").Nil()).Block(jen.Continue()))
			}
			for j := range cols {
				out = append(out, f.rowColumn(fnd, elem, j, c.Names[j]))
			}
			body(out)
			return
		}
		// LEFT: an index loop that runs once with NULLs when there is no row.
		//	var tag string
		//	tagNull := true
		//	if i1 < len(rows1) { tag, tagNull = rows1[i1].Name, false }
		var vals []value
		var sets []jen.Code
		for j, col := range cols {
			v := f.declare(sanitize(c.Names[j]), f.goType(col.Type))
			nl := f.defineNull(v, jen.True())
			vals = append(vals, value{t: col.Type, vl: v, nl: nl})
			// k, kNull = row1.Key, false
			// if row1.Value != nil { v, vNull = *row1.Value, false }
			src := jen.Id(elem)
			if info.Fields != nil {
				src = jen.Id(elem).Dot(info.Fields[j])
			}
			fcol := fnd.TableColumns[j]
			conv := func(x *jen.Statement) *jen.Statement {
				if fcol.Type.Kind == ir.KindTimestamp {
					return jen.Qual(pkgTypes, "FromGoTime").Call(x)
				}
				return x
			}
			if fcol.Type.Nullable {
				sets = append(sets, jen.If(src.Clone().Op("!=").Nil()).Block(
					jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Op("*").Add(src.Clone())), jen.False())))
			} else {
				sets = append(sets, jen.List(v.id(), nl.id()).Op("=").List(conv(src), jen.False()))
			}
		}
		cond := jen.Id(idx).Op("<").Len(jen.Id(rows))
		inner := append([]jen.Code{jen.Id(elem).Op(":=").Id(rows).Index(jen.Id(idx))}, sets...)
		if info.RowPointer {
			// A nil element yields no row: it is skipped, unless it is the last
			// element and the function yielded no row, when the NULL row pads.
			//	if row1 := rows1[i1]; row1 != nil {
			//		k, kNull = row1.Key, false
			//		yielded1 = true
			//	} else if yielded1 || i1 < len(rows1)-1 {
			//		continue
			//	}
			inner = []jen.Code{jen.If(jen.Id(elem).Op(":=").Id(rows).Index(jen.Id(idx)), jen.Id(elem).Op("!=").Nil()).Block(
				append(sets, jen.Id(yielded).Op("=").True())...,
			).Else().If(jen.Id(yielded).Op("||").Id(idx).Op("<").Len(jen.Id(rows)).Op("-").Lit(1)).Block(jen.Continue())}
		}
		f.emit(jen.If(cond).Block(inner...))
		body(append(out, vals...))
	})
	if !c.Left {
		// for _, row1 := range rows1 { ... }
		f.emit(jen.For(jen.List(jen.Id("_"), jen.Id(elem)).Op(":=").Range().Id(rows)).Block(loopBody...))
		return
	}
	if info.RowPointer {
		// yielded1 := false: whether a non-nil element was seen
		f.emit(jen.Id(yielded).Op(":=").False())
	}
	// for i1 := 0; i1 < max(len(rows1), 1); i1++ { ... }
	f.emit(jen.For(jen.Id(idx).Op(":=").Lit(0), jen.Id(idx).Op("<").Max(jen.Len(jen.Id(rows)), jen.Lit(1)), jen.Id(idx).Op("++")).Block(loopBody...))
}

// callTableGuarded emits the call of a table function whose 'on-error' policy is
// 'null' or 'dead-letter': a returned error or a panic (recovered around this call,
// while the rows are produced) is counted in "udf.<name>.errors", then yields no rows
// (null; a LEFT JOIN keeps the input row with NULLs) or writes a dead-letter row and
// drops the input row (dead-letter), as for scalar functions (udfpolicy.go).
//
//	var err error
//	rows, err = func() (out []udf.KV, ferr error) {
//		defer func() {
//			if rv := recover(); rv != nil {
//				ferr = fmt.Errorf("panic: %v", rv)
//			}
//		}()
//		return udf.Pairs(arg0)
//	}()
//	if err != nil {
//		p.udfCount1.Add(1)
//		rows = nil
//	}
func (f *fn) callTableGuarded(fnd *ir.Function, c *ir.Correlate, callExpr *jen.Statement, params []jen.Code, rows string, site int) {
	info := fnd.Table
	pos := f.g.pos(c.Pos)
	out, ferr, rv := f.names.fresh("out"), f.names.fresh("ferr"), f.names.fresh("rv")
	inner := []jen.Code{
		jen.Defer().Func().Params().Block(
			jen.If(jen.Id(rv).Op(":=").Id("recover").Call(), jen.Id(rv).Op("!=").Nil()).Block(
				jen.Id(ferr).Op("=").Qual("fmt", "Errorf").Call(jen.Lit("panic: %v"), jen.Id(rv)),
			),
		).Call(),
	}
	switch {
	case !info.Seq && fnd.ReturnsError:
		inner = append(inner, jen.Return(callExpr))
	case !info.Seq:
		inner = append(inner, jen.Return(callExpr, jen.Nil()))
	default:
		buf := fmt.Sprintf("lateral%d", site)
		f.g.cur.fields = append(f.g.cur.fields, jen.Comment(fmt.Sprintf("%s: the rows of %s at %s", buf, fnd.Name, pos)), jen.Id(buf).Index().Add(rowType(fnd)))
		seq := f.names.fresh("seq")
		if fnd.ReturnsError {
			inner = append(inner,
				jen.List(jen.Id(seq), jen.Id(ferr)).Op(":=").Add(callExpr),
				jen.If(jen.Id(ferr).Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id(ferr))))
		} else {
			inner = append(inner, jen.Id(seq).Op(":=").Add(callExpr))
		}
		inner = append(inner,
			jen.Id("p").Dot(buf).Op("=").Id("p").Dot(buf).Index(jen.Empty(), jen.Lit(0)),
			jen.For(jen.Id("r").Op(":=").Range().Id(seq)).Block(
				jen.Id("p").Dot(buf).Op("=").Append(jen.Id("p").Dot(buf), jen.Id("r")),
			),
			jen.Return(jen.Id("p").Dot(buf), jen.Nil()))
	}
	onErr := f.udfFailure(c.Call, params)
	if fnd.OnError == ir.ErrorNull {
		onErr = append(onErr, jen.Id(rows).Op("=").Nil())
	}
	f.emit(
		jen.Var().Err().Error(),
		jen.List(jen.Id(rows), jen.Err()).Op("=").Func().Params().Params(jen.Id(out).Index().Add(rowType(fnd)), jen.Id(ferr).Error()).Block(inner...).Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(onErr...),
	)
}

// rowType renders the Go element type of a table function's rows.
func rowType(fnd *ir.Function) jen.Code {
	info := fnd.Table
	var t *jen.Statement
	switch {
	case info.RowImport != "":
		t = jen.Qual(info.RowImport, info.RowName)
	case info.RowName == "[]byte":
		t = jen.Index().Byte()
	default:
		t = jen.Id(info.RowName)
	}
	if info.RowPointer || info.Fields == nil && len(fnd.TableColumns) == 1 && fnd.TableColumns[0].Type.Nullable {
		return jen.Op("*").Add(t)
	}
	return t
}

// rowColumn reads column j of the row elem (a local of the row type) into a value.
// A pointer field (or pointer scalar element) is nullable: nil is NULL.
func (f *fn) rowColumn(fnd *ir.Function, elem string, j int, name string) value {
	info := fnd.Table
	col := fnd.TableColumns[j]
	src := jen.Id(elem)
	if info.Fields != nil {
		src = jen.Id(elem).Dot(info.Fields[j])
	}
	conv := func(x *jen.Statement) *jen.Statement {
		if col.Type.Kind == ir.KindTimestamp {
			return jen.Qual(pkgTypes, "FromGoTime").Call(x)
		}
		return x
	}
	if !col.Type.Nullable {
		v := f.define(sanitize(name), conv(src))
		return value{t: col.Type, vl: v}
	}
	// var tag string
	// tagNull := row1.Tag == nil
	// if !tagNull { tag = *row1.Tag }
	v := f.declare(sanitize(name), f.goType(col.Type))
	nl := f.defineNull(v, src.Clone().Op("==").Nil())
	f.emit(jen.If(jen.Op("!").Add(nl.ref())).Block(v.id().Op("=").Add(conv(jen.Op("*").Add(src.Clone())))))
	return value{t: col.Type, vl: v, nl: nl}
}

// describeLateral renders a Correlate for the comment above its code:
// "LEFT JOIN LATERAL TABLE(split_tags(tags)) AS t(tag)".
func describeLateral(c *ir.Correlate, in []ir.Field) string {
	var args []string
	for _, a := range c.Call.Args {
		args = append(args, ir.FormatExpr(a, in))
	}
	s := fmt.Sprintf("LATERAL TABLE(%s(%s)) AS %s(%s)", c.Call.Fn.Name, strings.Join(args, ", "), c.Alias, strings.Join(c.Names, ", "))
	if c.Left {
		s = "LEFT JOIN " + s + " ON TRUE"
	}
	return s
}
