package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// udfState is what the generator keeps about user-defined functions beyond their call
// sites: the instances of function types, the failure counters, the dead-letter sinks.
type udfState struct {
	// Per stage: each stage's operator has its own instances, counter fields and sinks.
	instances map[*stageGen]map[string]string // SQL function name (lower-cased) -> field of its *T
	counters  map[*stageGen]map[string]string // counter name -> field
	dlSinks   map[*stageGen]map[*ir.Table]string
}

func (g *gen) udf() *udfState {
	if g.udfx == nil {
		g.udfx = &udfState{instances: map[*stageGen]map[string]string{}, counters: map[*stageGen]map[string]string{}, dlSinks: map[*stageGen]map[*ir.Table]string{}}
	}
	return g.udfx
}

// udfInstance returns the field of the stage's operator holding the instance of a
// function type (one per SQL function, per task: init creates it with new(T) and calls
// its Open hook; close calls Close). The field is set only once Open succeeded, so that
// close, which runs however init or the job ended, closes exactly the opened instances.
//
//	udf1_geo := new(udfs.GeoDB)
//	if err = udf1_geo.Open(ctx.Context()); err != nil {
//		return fmt.Errorf("function geo (example.com/udfs.GeoDB): Open: %w", err)
//	}
//	p.udf1_geo = udf1_geo
func (g *gen) udfInstance(fnd *ir.Function) string {
	u := g.udf()
	key := strings.ToLower(fnd.Name)
	instances := perStage(u.instances, g.cur)
	if field, ok := instances[key]; ok {
		return field
	}
	field := fmt.Sprintf("udf%d_%s", len(instances)+1, sanitize(fnd.Name))
	instances[key] = field
	decl := fmt.Sprintf("%s (%s.%s)", fnd.Name, fnd.ImportPath, fnd.Receiver)
	g.cur.fields = append(g.cur.fields,
		jen.Comment(fmt.Sprintf("%s: the instance of function %s", field, decl)),
		jen.Id(field).Op("*").Qual(fnd.ImportPath, fnd.Receiver))
	if fnd.HasOpen {
		g.cur.setup = append(g.cur.setup,
			jen.Id(field).Op(":=").New(jen.Qual(fnd.ImportPath, fnd.Receiver)),
			jen.If(jen.Err().Op("=").Id(field).Dot("Open").Call(jen.Id("ctx").Dot("Context").Call()), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("function "+decl+": Open: %w"), jen.Err())),
			),
			jen.Id("p").Dot(field).Op("=").Id(field))
	} else {
		g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(field).Op("=").New(jen.Qual(fnd.ImportPath, fnd.Receiver)))
	}
	if fnd.HasClose {
		// if p.geo1 != nil {
		//	if cerr := p.geo1.Close(); cerr != nil && err == nil { err = fmt.Errorf(...) }
		// }
		g.cur.closes = append(g.cur.closes, jen.If(jen.Id("p").Dot(field).Op("!=").Nil()).Block(
			jen.If(jen.Id("cerr").Op(":=").Id("p").Dot(field).Dot("Close").Call(), jen.Id("cerr").Op("!=").Nil().Op("&&").Err().Op("==").Nil()).Block(
				jen.Err().Op("=").Qual("fmt", "Errorf").Call(jen.Lit("function "+decl+": Close: %w"), jen.Id("cerr")),
			)))
	}
	return field
}

// udfCounter returns the operator's field of the job counter "udf.<name>.<what>".
func (g *gen) udfCounter(fnd *ir.Function, what string) string {
	u := g.udf()
	name := "udf." + strings.ToLower(fnd.Name) + "." + what
	counters := perStage(u.counters, g.cur)
	if field, ok := counters[name]; ok {
		return field
	}
	field := fmt.Sprintf("udfCount%d", len(counters)+1)
	counters[name] = field
	g.cur.fields = append(g.cur.fields, jen.Comment(fmt.Sprintf("%s counts %s", field, name)), jen.Id(field).Op("*").Qual(pkgJob, "Counter"))
	g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(field).Op("=").Id("ctx").Dot("Counter").Call(jen.Lit(name)))
	return field
}

// deadLetterRoles marks the dead-letter tables of the UDFs the program calls as sinks
// (collectTables), so that the spec lists them and run opens them.
func (g *gen) deadLetterRoles() {
	if g.prog.Plan.Catalog == nil {
		return
	}
	names := map[string]bool{}
	for _, pl := range g.prog.Pipelines {
		visit := func(e ir.Expr) {
			ir.WalkExpr(e, func(e ir.Expr) {
				if c, ok := e.(*ir.UDFCall); ok && c.Fn != nil && c.Fn.OnError == ir.ErrorDeadLetter {
					names[c.Fn.DeadLetter] = true
				}
			})
		}
		calcs := pl.Calcs
		for _, st := range pl.Steps {
			if c, ok := st.(*ir.Calc); ok {
				calcs = append(calcs, c)
			}
			if c, ok := st.(*ir.Correlate); ok {
				visit(c.Call) // a table function's dead-letter table (correlate.go)
			}
		}
		for _, c := range calcs {
			for _, e := range c.Lets {
				visit(e)
			}
			visit(c.Cond)
			for _, e := range c.Exprs {
				visit(e)
			}
		}
	}
	for _, t := range g.prog.Plan.Catalog.Tables {
		if names[t.Name] {
			g.roles[t] = options.Sink
		}
	}
}

// deadLetterSink returns the operator's field of the sink of dead-letter table name,
// opening it on first use.
func (g *gen) deadLetterSink(name string, span diag.Span) (*ir.Table, string) {
	var t *ir.Table
	if g.prog.Plan.Catalog != nil {
		for _, x := range g.prog.Plan.Catalog.Tables {
			if x.Name == name {
				t = x
			}
		}
	}
	if t == nil {
		g.errorf(span, "dead-letter table %q is not declared", name)
		return nil, ""
	}
	if _, ok := g.tableIdx[t]; !ok {
		g.errorf(span, "internal error: dead-letter table %q is not in the job's spec", name)
		return nil, ""
	}
	u := g.udf()
	dl := perStage(u.dlSinks, g.cur)
	if field, ok := dl[t]; ok {
		return t, field
	}
	field := g.openSink(&ir.Sink{Table: t, Pos: span})
	dl[t] = field
	return t, field
}

// perStage returns stage s's map in m, made on first use.
func perStage[K comparable](m map[*stageGen]map[K]string, s *stageGen) map[K]string {
	if m[s] == nil {
		m[s] = map[K]string{}
	}
	return m[s]
}

// udfFailure emits what a failed call does under its function's 'on-error' policy,
// inside `if err != nil { ... }`: count it, then (fail) return the error, (null) nothing
// more: the result stays NULL, (dead-letter) write a dead-letter row and drop the input
// row as a filter would.
//
//	p.udfCount1.Add(1)
//	p.sink3.Begin(stream.Insert)
//	p.sink3.String("parse_num")                // function_name
//	p.sink3.String(err.Error())                // error_message
//	p.sink3.String(udfArgsJSON(s))             // arguments
//	...
//	if err := p.sink3.End(); err != nil { return err }
//	p.udfCount2.Add(1)
//	continue
func (f *fn) udfFailure(c *ir.UDFCall, params []jen.Code) []jen.Code {
	g := f.g
	fnd := c.Fn
	out := []jen.Code{jen.Id("p").Dot(g.udfCounter(fnd, "errors")).Dot("Add").Call(jen.Lit(1))}
	switch fnd.OnError {
	case ir.ErrorNull:
		return out
	case ir.ErrorDeadLetter:
		if f.drop == nil {
			g.errorf(c.Pos, "'on-error' = 'dead-letter' of function %s is not supported in this position yet (only in a query's SELECT and WHERE)", fnd.Name)
			return out
		}
		t, sink := g.deadLetterSink(fnd.DeadLetter, c.Pos)
		if t == nil {
			return out
		}
		s := jen.Id("p").Dot(sink)
		out = append(out, jen.Comment(fmt.Sprintf("the row goes to the dead-letter table %s", t.Name)),
			jen.Add(s).Dot("Begin").Call(jen.Qual(pkgStream, "Insert")))
		where := f.where()
		source := f.scanTable
		for _, col := range physicalColumns(t) {
			var v jen.Code
			switch col.Name {
			case "function_name":
				v = jen.Lit(fnd.Name)
			case "error_message":
				v = jen.Err().Dot("Error").Call()
			case "arguments":
				v = jen.Qual(pkgJob, "UDFArgsJSON").Call(params...)
			case "sql_position":
				v = jen.Lit(g.pos(c.Pos))
			case "row_position":
				v = where
			case "source_table":
				v = jen.Lit(source)
			default:
				g.errorf(col.Span, "column %q of dead-letter table %s is not a dead-letter column (%s)", col.Name, t.Name, strings.Join(ir.DeadLetterColumns, ", "))
				return out
			}
			out = append(out, jen.Add(s).Dot("String").Call(v))
		}
		out = append(out,
			jen.If(jen.Id("derr").Op(":=").Add(s).Dot("End").Call(), jen.Id("derr").Op("!=").Nil()).Block(jen.Return(jen.Id("derr"))),
			jen.Id("p").Dot(sinkMeter(sink)).Dot("Row").Call(),
			jen.Id("p").Dot(g.udfCounter(fnd, "dead_letters")).Dot("Add").Call(jen.Lit(1)),
		)
		return append(out, f.drop()...)
	}
	// fail
	return append(out, jen.Return(jen.Qual(pkgJob, "AtRow").Call(
		jen.Qual(pkgJob, "UDFError").Call(jen.Lit(g.pos(c.Pos)), jen.Lit(fnd.Name), jen.Err()),
		f.where())))
}

// guardedCall renders a call of a UDF under the 'null' or 'dead-letter' policy: a panic
// is recovered at the call and becomes its error, so it follows the policy too.
//
//	res, err := func() (out string, ferr error) {
//		defer func() {
//			if rv := recover(); rv != nil {
//				ferr = fmt.Errorf("panic: %v", rv)
//			}
//		}()
//		return udfs.ParseNum(s)          // or: out = udfs.F(s); return
//	}()
func (f *fn) guardedCall(fnd *ir.Function, res string, call jen.Code) jen.Code {
	// The closure's results get fresh names: the call's arguments may read locals
	// (SQL columns) that fixed names would shadow.
	out, ferr, rv := f.names.fresh("out"), f.names.fresh("ferr"), f.names.fresh("rv")
	var body []jen.Code
	body = append(body, jen.Defer().Func().Params().Block(
		jen.If(jen.Id(rv).Op(":=").Id("recover").Call(), jen.Id(rv).Op("!=").Nil()).Block(
			jen.Id(ferr).Op("=").Qual("fmt", "Errorf").Call(jen.Lit("panic: %v"), jen.Id(rv)),
		),
	).Call())
	if fnd.ReturnsError {
		body = append(body, jen.Return(call))
	} else {
		body = append(body, jen.Id(out).Op("=").Add(call), jen.Return())
	}
	return jen.List(jen.Id(res), jen.Err()).Op(":=").Func().Params().Params(jen.Id(out).Add(f.udfResultGoType(fnd)), jen.Id(ferr).Error()).Block(body...).Call()
}

// udfResultGoType is the Go type of a UDF's first result, as jennifer code.
func (f *fn) udfResultGoType(fnd *ir.Function) jen.Code {
	t := fnd.ResultGo
	ptr := strings.HasPrefix(t, "*")
	t = strings.TrimPrefix(t, "*")
	var c *jen.Statement
	switch t {
	case "time.Time":
		c = jen.Qual("time", "Time")
	case "[]byte":
		c = jen.Index().Byte()
	default:
		c = jen.Id(t)
	}
	if ptr {
		return jen.Op("*").Add(c)
	}
	return c
}

// guardedUDFCall emits a call under the 'null' or 'dead-letter' policy: the call
// recovers its panics, a failure follows the policy (udfFailure), a success sets the
// result.
//
//	res, err := func() (res int64, err error) { ... }()
//	if err != nil {
//		... udfFailure ...
//	} else {
//		n, nNull = res, false
//	}
func (f *fn) guardedUDFCall(c *ir.UDFCall, call jen.Code, params []jen.Code, v, nl *local, resGo string) {
	fnd := c.Fn
	res := f.names.fresh("res")
	f.emit(f.guardedCall(fnd, res, call))
	conv := func(r jen.Code) jen.Code {
		if resGo == "time.Time" {
			return jen.Qual(pkgTypes, "FromGoTime").Call(r)
		}
		return r
	}
	var ok []jen.Code
	if fnd.ResultPointer {
		// if res != nil { v, vNull = *res, false }
		ok = append(ok, jen.If(jen.Id(res).Op("!=").Nil()).Block(
			jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Op("*").Id(res)), jen.False()),
		))
	} else {
		ok = append(ok, jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Id(res)), jen.False()))
	}
	f.emit(jen.If(jen.Err().Op("!=").Nil()).Block(f.udfFailure(c, params)...).Else().Block(ok...))
}
