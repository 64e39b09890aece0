package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// describe renders a pipeline for the comment above its function:
// "Pipeline 1: Scan(cdn_access_log) -> Calc -> Aggregate(groupBy=[province])".
func describe(pl *ir.Pipeline) string {
	var parts []string
	node := func(n ir.Node) string {
		switch n := n.(type) {
		case *ir.Scan:
			return "Scan(" + n.Table.Name + ")"
		case *ir.Aggregate:
			in := n.Input.Schema()
			var gs []string
			for _, g := range n.GroupBy {
				gs = append(gs, in[g].Name)
			}
			return "Aggregate(groupBy=[" + strings.Join(gs, ", ") + "])"
		case *ir.Sink:
			return "Sink(" + n.Table.Name + ")"
		}
		return fmt.Sprintf("%T", n)
	}
	parts = append(parts, node(pl.Source))
	for _, c := range pl.Calcs {
		if c.Cond != nil {
			parts = append(parts, "Calc(where)")
		} else {
			parts = append(parts, "Calc")
		}
	}
	parts = append(parts, node(pl.Sink))
	return fmt.Sprintf("Pipeline %d: %s", pl.ID, strings.Join(parts, " -> "))
}

// scanPipeline generates the loop of a pipeline that starts at a Scan: it opens the
// source in run, and a method pipelineN(b) that decodes each record of a batch into
// typed locals, runs the Calcs and ends at the breaker (an aggregate update or a sink
// write).
//
//	// Pipeline 1: Scan(t) -> Calc -> Aggregate(groupBy=[province])
//	func (p *program) pipeline1(b *stream.Batch) (err error) {
//		for r, rec := range b.Records {
//			... decode, calc, breaker ...
//		}
//		return nil
//	}
func (g *gen) scanPipeline(pl *ir.Pipeline, scan *ir.Scan) {
	t := scan.Table
	res := resolved(t)
	srcIdx := len(g.sources)
	srcVar := fmt.Sprintf("src%d", pl.ID)
	method := fmt.Sprintf("pipeline%d", pl.ID)
	tableLit := jen.Lit(t.Name)
	f := g.newFn(func() jen.Code { return jen.Id("b").Dot("Where").Call(jen.Id("r")) })

	var loop jen.Code
	switch res.Connector {
	case "filesystem":
		// src1, err := filesystem.NewSource(ctx.Options("t"))
		g.setup = append(g.setup,
			jen.Comment(fmt.Sprintf("%s: connector filesystem, format %s", t.Name, res.Format)),
			jen.List(jen.Id(srcVar), jen.Err()).Op(":=").Qual(pkgFilesystem, "NewSource").Call(jen.Id("ctx").Dot("Options").Call(tableLit)),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		)
		var body []jen.Code
		switch res.Format {
		case "csv":
			body = g.decodeCSV(f, pl, scan)
		case "json":
			body = g.decodeJSON(f, pl, scan)
		default:
			g.errorf(t.Span, "format '%s' of table %s has no runtime support yet", res.Format, t.Name)
			return
		}
		if body == nil {
			return
		}
		// for r, rec := range b.Records { ... }
		loop = jen.For(jen.List(jen.Id("r"), jen.Id("rec")).Op(":=").Range().Id("b").Dot("Records")).Block(body...)
	case "datagen":
		body := g.decodeDatagen(f, pl, scan, srcVar)
		if body == nil {
			return
		}
		// for r := 0; r < b.Count; r++ { ... }
		loop = jen.For(jen.Id("r").Op(":=").Lit(0), jen.Id("r").Op("<").Id("b").Dot("Count"), jen.Id("r").Op("++")).Block(body...)
	default:
		g.errorf(t.Span, "connector '%s' has no runtime support yet", res.Connector)
		return
	}
	g.sources = append(g.sources, jen.Id(srcVar))
	// case 0: return p.pipeline1(b)
	g.batchCases = append(g.batchCases, jen.Case(jen.Lit(srcIdx)).Block(jen.Return(jen.Id("p").Dot(method).Call(jen.Id("b")))))
	g.addMethod(f, pl, method, []jen.Code{jen.Id("b").Op("*").Qual(pkgStream, "Batch")}, []jen.Code{loop, jen.Return(jen.Nil())})
}

// addMethod wraps a pipeline's statements into a method of program. When the pipeline
// calls UDFs, the method recovers a panic of the UDF whose call site is in `site`.
//
//	func (p *program) pipeline1(b *stream.Batch) (err error) {
//		site := 0
//		defer func() {
//			if site != 0 {
//				if rv := recover(); rv != nil {
//					err = job.UDFPanic(udfSites[site].pos, udfSites[site].name, rv)
//				}
//			}
//		}()
//		...
//	}
func (g *gen) addMethod(f *fn, pl *ir.Pipeline, name string, params []jen.Code, body []jen.Code) {
	f.finish()
	var stmts []jen.Code
	result := jen.Error()
	if f.usesSite {
		result = jen.Parens(jen.Err().Error())
		stmts = append(stmts,
			jen.Id("site").Op(":=").Lit(0),
			jen.Defer().Func().Params().Block(
				jen.If(jen.Id("site").Op("!=").Lit(0)).Block(
					jen.If(jen.Id("rv").Op(":=").Id("recover").Call(), jen.Id("rv").Op("!=").Nil()).Block(
						jen.Err().Op("=").Qual(pkgJob, "UDFPanic").Call(
							jen.Id("udfSites").Index(jen.Id("site")).Dot("pos"),
							jen.Id("udfSites").Index(jen.Id("site")).Dot("name"),
							jen.Id("rv")),
					),
				),
			).Call(),
		)
	}
	stmts = append(stmts, body...)
	g.methods = append(g.methods,
		jen.Comment(describe(pl)).Line().Func().Params(jen.Id("p").Op("*").Id("program")).Id(name).Params(params...).Add(result).Block(stmts...),
	)
}

// runCalcs emits the Calcs of a pipeline over the row in and returns their output row.
// onFilter renders what a row that fails a Calc's condition does (continue, or retract).
func (f *fn) runCalcs(calcs []*ir.Calc, in []value, inFields []ir.Field, onFilter func() []jen.Code) []value {
	f.in = in
	for _, c := range calcs {
		f.lets = nil
		for i, e := range c.Lets {
			f.emit(f.g.comment(fmt.Sprintf("$e%d := %s", i, ir.FormatExpr(e, inFields)), e.Span()))
			v := f.expr(e)
			f.lets = append(f.lets, v)
		}
		if c.Cond != nil {
			f.emit(f.g.comment("WHERE "+ir.FormatExpr(c.Cond, inFields), c.Cond.Span()))
			cond := f.expr(c.Cond)
			// if !cond { continue }
			f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(cond.V()))).Block(onFilter()...))
		}
		out := make([]value, len(c.Exprs))
		for i, e := range c.Exprs {
			if _, ok := e.(*ir.InputRef); ok {
				out[i] = f.expr(e)
				continue
			}
			if _, ok := e.(*ir.LocalRef); ok {
				out[i] = f.expr(e)
				continue
			}
			name := c.Names[i]
			f.emit(f.g.comment(fmt.Sprintf("%s = %s", name, ir.FormatExpr(e, inFields)), e.Span()))
			mark := len(f.locals)
			v := f.expr(e)
			f.nameValue(&v, name, mark)
			out[i] = v
		}
		f.in = out
		inFields = c.Schema()
	}
	return f.in
}

// nameValue renames the local holding a computed value after the SQL column it becomes,
// if the expression created it (locals from index mark on).
func (f *fn) nameValue(v *value, name string, mark int) {
	if v.vl == nil {
		return
	}
	for _, l := range f.locals[mark:] {
		if l == v.vl {
			n := f.names.fresh(name)
			v.vl.rename(n)
			if v.nl != nil {
				v.nl.rename(n + "Null")
			}
			return
		}
	}
}

// breaker emits the end of a scan pipeline: an aggregate update or a sink write.
func (g *gen) breaker(f *fn, pl *ir.Pipeline, row []value, fields []ir.Field) {
	switch s := pl.Sink.(type) {
	case *ir.Aggregate:
		g.aggUpdate(f, pl, s, row, fields)
	case *ir.Sink:
		sinkVar := g.openSink(s)
		if sinkVar == "" {
			return
		}
		f.emit(jen.Comment(fmt.Sprintf("INSERT INTO %s: +I", s.Table.Name)))
		g.writeRow(f, sinkVar, s, jen.Qual(pkgStream, "Insert"), row)
	default:
		g.errorf(diag.Span{}, "pipeline %d: breaker %T is not supported by the code generator yet", pl.ID, pl.Sink)
	}
}

// openSink opens the sink of an INSERT in run and returns the program field holding it.
//
//	p.sink1, err = printsink.NewSink(ctx.Options("t"), spec.Tables[1].Schema)
func (g *gen) openSink(s *ir.Sink) string {
	t := s.Table
	res := resolved(t)
	g.nSinks++
	field := fmt.Sprintf("sink%d", g.nSinks)
	opts := jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name))
	schema := jen.Id("spec").Dot("Tables").Index(jen.Lit(g.tableIdx[t])).Dot("Schema")
	var open jen.Code
	switch res.Connector {
	case "print":
		open = jen.Qual(pkgPrint, "NewSink").Call(opts, schema)
	case "blackhole":
		open = jen.Qual(pkgBlackhole, "NewSink").Call(opts, schema)
	case "jdbc":
		url := res.String("url")
		if !strings.HasPrefix(url, "jdbc:sqlite:") && !strings.Contains(url, "${") {
			g.errorf(t.Span, "connector 'jdbc' with url '%s' has no runtime support yet (only jdbc:sqlite: URLs)", url)
			return ""
		}
		open = jen.Qual(pkgSQLite, "NewSink").Call(opts, schema)
	default:
		g.errorf(t.Span, "connector '%s' has no runtime support yet", res.Connector)
		return ""
	}
	g.fields = append(g.fields, jen.Comment(fmt.Sprintf("%s: INSERT INTO %s (connector %s)", field, t.Name, res.Connector)),
		jen.Id(field).Qual(pkgStream, "Sink"))
	g.setup = append(g.setup,
		jen.Comment(fmt.Sprintf("%s: connector %s", t.Name, res.Connector)),
		jen.List(jen.Id("p").Dot(field), jen.Err()).Op("=").Add(open),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	)
	// if err := p.sink1.Flush(); err != nil { return err }
	g.sinkFlush = append(g.sinkFlush, jen.If(jen.Err().Op(":=").Id("p").Dot(field).Dot("Flush").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	// if cerr := p.sink1.Close(); err == nil { err = cerr }
	g.closes = append(g.closes, jen.If(jen.Id("cerr").Op(":=").Id("p").Dot(field).Dot("Close").Call(), jen.Err().Op("==").Nil()).Block(jen.Err().Op("=").Id("cerr")))
	return field
}

// writeRow emits one row into a sink: a NOT NULL check per nullable value bound for a
// NOT NULL column (Flink's default not-null enforcer fails the job), then Begin, one
// typed call per table column in order (NULL for columns the INSERT does not fill),
// End.
//
//	p.sink1.Begin(stream.Insert)
//	if provinceNull {
//		p.sink1.Null()
//	} else {
//		p.sink1.String(province)
//	}
//	if err := p.sink1.End(); err != nil {
//		return err
//	}
func (g *gen) writeRow(f *fn, sinkVar string, s *ir.Sink, kind jen.Code, row []value) {
	cols := physicalColumns(s.Table)
	byCol := map[int]int{}
	if len(s.Columns) == 0 {
		for i := range row {
			byCol[i] = i
		}
	}
	for i, c := range s.Columns {
		byCol[c] = i
	}
	sink := jen.Id("p").Dot(sinkVar)
	vals := make([]value, len(cols))
	has := make([]bool, len(cols))
	for j, col := range cols {
		i, ok := byCol[j]
		if !ok || i >= len(row) {
			continue
		}
		if !f.checkType(col.Type, col.Span) {
			return
		}
		v := f.convert(row[i], col.Type, s.Pos)
		vals[j], has[j] = v, true
		if !col.Type.Nullable && v.nullable() {
			// if xNull { return job.RowError(where, pos, "column %s is NOT NULL ...") }
			f.emit(jen.If(v.N()).Block(jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(g.pos(s.Pos)),
				jen.Lit(fmt.Sprintf("column '%s' of table '%s' is NOT NULL, however, a null value is being written into it", col.Name, s.Table.Name))))))
		}
	}
	f.emit(jen.Add(sink).Dot("Begin").Call(kind))
	for j, col := range cols {
		if !has[j] || vals[j].always {
			f.emit(jen.Add(sink).Dot("Null").Call())
			continue
		}
		v := vals[j]
		call, ok := sinkCall(sink, v.V(), v.t, col.Type.Scale)
		if !ok {
			g.errorf(col.Span, "writing a %s column is not supported by the code generator yet", col.Type)
			return
		}
		if n := v.N(); n != nil && col.Type.Nullable {
			f.emit(jen.If(n).Block(jen.Add(sink).Dot("Null").Call()).Else().Block(call))
		} else {
			f.emit(call)
		}
	}
	f.emit(jen.If(jen.Err().Op(":=").Add(sink).Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
}

// comment renders a comment showing the query, with the SQL position when known:
// "// province = ip_to_province(client_ip)  [job.sql:14:16]".
func (g *gen) comment(text string, span diag.Span) jen.Code {
	if p := g.pos(span); p != "" {
		text += "  [" + p + "]"
	}
	return jen.Comment(text)
}
