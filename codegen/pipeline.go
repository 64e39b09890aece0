package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

func init() {
	register[*ir.Scan](scanEmitter{})
	register[*ir.Calc](calcEmitter{})
	register[*ir.Sink](sinkEmitter{})
}

// scanEmitter generates the pipelines that start at a Scan: one decoding loop over each
// batch of the source, running every pipeline that reads it (optimizer.ShareScans).
type scanEmitter struct{}

func (scanEmitter) label(n ir.Node) string { return "Scan(" + n.(*ir.Scan).Table.Name + ")" }

func (scanEmitter) table(n ir.Node) (*ir.Table, options.Role) {
	return n.(*ir.Scan).Table, options.Source
}

func (scanEmitter) source(g *gen, pl *ir.Pipeline) {
	scan := pl.Source.(*ir.Scan)
	if g.scanDone[scan] {
		return // generated with the first pipeline reading it
	}
	if g.scanDone == nil {
		g.scanDone = map[*ir.Scan]bool{}
	}
	g.scanDone[scan] = true
	var group []*ir.Pipeline
	for _, p := range g.prog.Pipelines {
		if p.Source == pl.Source {
			group = append(group, p)
		}
	}
	g.scanPipeline(group, scan)
}

// calcEmitter generates a Calc step: its lets, its condition (a row that fails it is
// dropped) and its projections.
type calcEmitter struct{}

func (calcEmitter) label(n ir.Node) string {
	if n.(*ir.Calc).Cond != nil {
		return "Calc(where)"
	}
	return "Calc"
}

func (calcEmitter) step(f *fn, n ir.Node, row []value, fields []ir.Field, onFilter func() []jen.Code,
	next func([]value, []ir.Field, func() []jen.Code)) {
	c := n.(*ir.Calc)
	next(f.runCalcs([]*ir.Calc{c}, row, fields, onFilter), c.Schema(), onFilter)
}

// sinkEmitter generates the end of a pipeline at a Sink: the row written as +I.
type sinkEmitter struct{}

func (sinkEmitter) label(n ir.Node) string { return "Sink(" + n.(*ir.Sink).Table.Name + ")" }

func (sinkEmitter) table(n ir.Node) (*ir.Table, options.Role) {
	return n.(*ir.Sink).Table, options.Sink
}

func (sinkEmitter) end(g *gen, f *fn, pl *ir.Pipeline, row []value) {
	s := pl.Sink.(*ir.Sink)
	sinkVar := g.openSink(s)
	if sinkVar == "" {
		return
	}
	f.emit(jen.Comment(fmt.Sprintf("INSERT INTO %s: +I", s.Table.Name)))
	g.writeRow(f, sinkVar, s, jen.Qual(pkgStream, "Insert"), row)
}

// scanPipeline generates the loop of a pipeline that starts at a Scan: it opens the
// source in run, and a method pipelineN(b) that decodes each record of a batch into
// typed locals, runs the Calcs and ends at the breaker (an aggregate update or a sink
// write).
//
//	// Pipeline 1: Scan(t) -> Calc -> Aggregate(groupBy=[province])
//	func (p *stage0) pipeline1(b *stream.Batch) (err error) {
//		for r, rec := range b.Records {
//			... decode, calc, breaker ...
//		}
//		return nil
//	}
//
// Into an aggregate that source tasks may pre-aggregate or forward, the loop's end
// differs: then it makes two methods, pipelineN and pipelineNForward (loopSplit).
func (g *gen) scanPipeline(group []*ir.Pipeline, scan *ir.Scan) {
	pl := group[0]
	g.curGroup = group
	t := scan.Table
	res := resolved(t)
	g.cur = g.sourceStage()
	for _, p := range group {
		g.cur.desc = append(g.cur.desc, describe(p))
		g.cur.pls = append(g.cur.pls, p)
	}
	srcIdx := len(g.srcOpen)
	srcVar := fmt.Sprintf("src%d", pl.ID)
	method := fmt.Sprintf("pipeline%d", pl.ID)
	tableLit := jen.Lit(t.Name)
	f := g.newFn(func() jen.Code { return jen.Id("b").Dot("Where").Call(jen.Id("r")) })
	f.scanTable = t.Name
	f.enableVectorized() // the loop may split at vectorized UDF calls (vectorized.go)

	var body []jen.Code
	var loopOf func(body []jen.Code) jen.Code // the loop over the batch's records around body
	switch res.Connector {
	case "filesystem", "kafka":
		var open, typ jen.Code
		var metaKeys map[string]bool
		if res.Connector == "filesystem" {
			// src.src1, err = filesystem.NewSource(ctx.Options("t"))
			open = jen.Qual(pkgFilesystem, "NewSource").Call(jen.Id("ctx").Dot("Options").Call(tableLit))
			typ = jen.Op("*").Qual(pkgFilesystem, "Source")
		} else {
			// src.src1, err = kafka.NewSource(ctx.Options("t"), spec.Tables[0].Schema)
			open = jen.Qual(pkgKafka, "NewSource").Call(jen.Id("ctx").Dot("Options").Call(tableLit),
				jen.Id("spec").Dot("Tables").Index(jen.Lit(g.tableIdx[t])).Dot("Schema"))
			typ = jen.Op("*").Qual(pkgKafka, "Source")
			metaKeys = kafkaMetadata
		}
		g.srcOpen = append(g.srcOpen, srcOpen{name: srcVar, typ: typ, open: open,
			comment: fmt.Sprintf("%s: connector %s, format %s", t.Name, res.Connector, res.Format)})
		if body = g.decodeMessage(f, pl, scan, metaKeys, res); body == nil {
			return
		}
		loopOf = func(body []jen.Code) jen.Code {
			if f.usesSite {
				// r lives outside the loop so that a recovered UDF panic can name the record:
				// for ; r < len(b.Records); r++ { rec := b.Records[r]; ... }
				body = append([]jen.Code{jen.Id("rec").Op(":=").Id("b").Dot("Records").Index(jen.Id("r"))}, body...)
				return jen.For(jen.Empty(), jen.Id("r").Op("<").Len(jen.Id("b").Dot("Records")), jen.Id("r").Op("++")).Block(body...)
			}
			// for r, rec := range b.Records { ... }
			return jen.For(jen.List(jen.Id("r"), jen.Id("rec")).Op(":=").Range().Id("b").Dot("Records")).Block(body...)
		}
	case "datagen":
		if body = g.decodeDatagen(f, pl, scan, srcVar); body == nil {
			return
		}
		loopOf = func(body []jen.Code) jen.Code {
			if f.usesSite {
				// for ; r < b.Count; r++ { ... }
				return jen.For(jen.Empty(), jen.Id("r").Op("<").Id("b").Dot("Count"), jen.Id("r").Op("++")).Block(body...)
			}
			// for r := 0; r < b.Count; r++ { ... }
			return jen.For(jen.Id("r").Op(":=").Lit(0), jen.Id("r").Op("<").Id("b").Dot("Count"), jen.Id("r").Op("++")).Block(body...)
		}
	case "nexmark":
		if body = g.decodeNexmark(f, pl, scan, srcVar); body == nil {
			return
		}
		loopOf = func(body []jen.Code) jen.Code {
			fill := jen.Id("p").Dot(fmt.Sprintf("nexmark%d", pl.ID)).Dot("Fill").Call(jen.Id("b"))
			cond := jen.Id("r").Op("<").Id("ev").Dot("Len").Call()
			if f.usesSite {
				// for ev := p.nexmark1.Fill(b); r < ev.Len(); r++ { ... }
				return jen.For(jen.Id("ev").Op(":=").Add(fill), cond, jen.Id("r").Op("++")).Block(body...)
			}
			// for r, ev := 0, p.nexmark1.Fill(b); r < ev.Len(); r++ { ... }
			return jen.For(jen.List(jen.Id("r"), jen.Id("ev")).Op(":=").List(jen.Lit(0), fill), cond, jen.Id("r").Op("++")).Block(body...)
		}
	default:
		g.errorf(t.Span, "connector '%s' has no runtime support yet", res.Connector)
		return
	}
	// case 0: return p.pipeline1(b), or with aggregates the source task pre-aggregates:
	// err := p.pipeline1(b); p.partial0(len(b.Records) + b.Count); return err
	// p.agg0.Tick() first: chained, the table is the keyed task's, whose state TTL
	// compares with the batch's processing time.
	var ticks, checks []jen.Code
	for _, p := range group {
		if agg, ok := p.Sink.(*ir.Aggregate); ok {
			if a := g.aggs[agg]; a != nil && a.partials != nil && a.partials.from == g.cur {
				ticks = append(ticks, a.tab("p").Dot("Tick").Call())
				checks = append(checks, jen.Id("p").Dot(fmt.Sprintf("partial%d", a.id)).Call(jen.Len(jen.Id("b").Dot("Records")).Op("+").Id("b").Dot("Count")))
			}
		}
	}
	params := []jen.Code{jen.Id("b").Op("*").Qual(pkgStream, "Batch")}
	call := jen.Id("p").Dot(method).Call(jen.Id("b"))
	var run []jen.Code // err := <the loop that runs>
	if sp := f.split; sp != nil && sp.at == len(body)-1 {
		// Two loops, the same but for their end: this task pre-aggregates (or, chained,
		// updates the keyed task's groups), or forwards the rows.
		//	var err error
		//	if p.fwd0 {
		//		err = p.pipeline1Forward(b)
		//	} else {
		//		err = p.pipeline1(b)
		//	}
		forward := method + "Forward"
		local := append(body[:sp.at:sp.at], sp.local...)
		fwd := append(body[:sp.at:sp.at], sp.forward...)
		run = []jen.Code{
			jen.Var().Err().Error(),
			jen.If(jen.Id("p").Dot(sp.flag)).Block(jen.Err().Op("=").Id("p").Dot(forward).Call(jen.Id("b"))).
				Else().Block(jen.Err().Op("=").Add(call)),
		}
		g.addMethod(f, group, method, params, f.vectorizedMethodBody(loopOf(local)), loopBatch)
		g.addMethod(f, group, forward, params, f.vectorizedMethodBody(loopOf(fwd)), loopBatch,
			fmt.Sprintf("%s is %s for a task that forwards the rows to the tasks owning their", forward, method),
			fmt.Sprintf("groups (%s) instead of pre-aggregating them.", sp.flag))
	} else {
		run = []jen.Code{jen.Err().Op(":=").Add(call)}
		g.addMethod(f, group, method, params, f.vectorizedMethodBody(loopOf(body)), loopBatch)
	}
	cas := []jen.Code{jen.Return(call)}
	if len(checks) > 0 || len(run) > 1 {
		cas = append(append(append(ticks, run...), checks...), jen.Return(jen.Err()))
	}
	g.cur.cases = append(g.cur.cases, jen.Case(jen.Lit(srcIdx)).Block(cas...))
}

// emitParts emits, after the decoding of a record into row, the Calcs and breaker of
// every pipeline reading the scan. Pipelines that share a Scan (optimizer.ShareScans)
// run in the same loop, one block each; a filtered row leaves its block with goto:
//
//	{
//		... pipeline 1 ...
//		if !cond {
//			goto skip1
//		}
//		...
//	}
//	skip1:
//	{
//		... pipeline 3 (the last: a filter continues the loop) ...
//	}
func (g *gen) emitParts(f *fn, scan *ir.Scan, row []value) {
	group := g.curGroup
	if len(group) == 1 {
		f.runSteps(group[0], row, scan.Schema(), func() []jen.Code { return []jen.Code{jen.Continue()} },
			func(out []value) { g.breaker(f, group[0], out) })
		return
	}
	for i, pl := range group {
		label := fmt.Sprintf("skip%d", pl.ID)
		last := i == len(group)-1
		used := false
		stmts := f.nest(func() {
			f.emit(jen.Comment(describe(pl)))
			f.runSteps(pl, row, scan.Schema(), func() []jen.Code {
				if last {
					return []jen.Code{jen.Continue()}
				}
				used = true
				return []jen.Code{jen.Goto().Id(label)}
			}, func(out []value) { g.breaker(f, pl, out) })
		})
		f.emit(jen.Block(stmts...))
		if used {
			f.emit(jen.Id(label).Op(":"))
		}
	}
}

// addMethod wraps a pipeline's statements into a method of the stage being generated,
// documented by doc's lines and the pipelines it runs. When the pipeline calls UDFs, the
// method recovers a panic of the UDF whose call site is in `site`.
//
//	func (p *stage0) pipeline1(b *stream.Batch) (err error) {
//		site, r := 0, 0
//		defer func() {
//			if site != 0 {
//				if rv := recover(); rv != nil {
//					err = job.AtRow(job.UDFPanic(udfSites[site].pos, udfSites[site].name, rv), b.Where(r))
//				}
//			}
//		}()
//		...
//	}
//
// loop says over what the method loops, so that the error can name the record: over a
// batch with r (a scan pipeline: loopBatch), over forwarded rows with i (loopRows).
func (g *gen) addMethod(f *fn, pls []*ir.Pipeline, name string, params []jen.Code, body []jen.Code, loop loopKind, doc ...string) {
	f.finish()
	var stmts []jen.Code
	result := jen.Error()
	if f.usesSite {
		result = jen.Parens(jen.Err().Error())
		var perr jen.Code = jen.Qual(pkgJob, "UDFPanic").Call(
			jen.Id("udfSites").Index(jen.Id("site")).Dot("pos"),
			jen.Id("udfSites").Index(jen.Id("site")).Dot("name"),
			jen.Id("rv"))
		decl := jen.Id("site").Op(":=").Lit(0)
		switch loop {
		case loopBatch:
			perr = jen.Qual(pkgJob, "AtRow").Call(perr, jen.Id("b").Dot("Where").Call(jen.Id("r")))
			decl = jen.List(jen.Id("site"), jen.Id("r")).Op(":=").List(jen.Lit(0), jen.Lit(0))
		case loopRows:
			perr = jen.Qual(pkgJob, "AtRow").Call(perr, jen.Id("rows").Index(jen.Id("i")).Dot("pos").Dot("String").Call())
			decl = jen.List(jen.Id("site"), jen.Id("i")).Op(":=").List(jen.Lit(0), jen.Lit(0))
		}
		stmts = append(stmts,
			decl,
			jen.Defer().Func().Params().Block(
				jen.If(jen.Id("site").Op("!=").Lit(0)).Block(
					jen.If(jen.Id("rv").Op(":=").Id("recover").Call(), jen.Id("rv").Op("!=").Nil()).Block(
						jen.Err().Op("=").Add(perr),
					),
				),
			).Call(),
		)
	}
	stmts = append(stmts, body...)
	comment := jen.Null()
	for _, d := range doc {
		comment = comment.Comment(d).Line()
	}
	comment = comment.Comment(describe(pls[0]))
	for _, pl := range pls[1:] {
		comment = comment.Line().Comment(describe(pl))
	}
	g.cur.methods = append(g.cur.methods,
		comment.Line().Func().Params(jen.Id("p").Op("*").Id(g.cur.typ)).Id(name).Params(params...).Add(result).Block(stmts...),
	)
}

// runCalcs emits the Calcs of a pipeline over the row in and returns their output row.
// onFilter renders what a row that fails a Calc's condition does (continue, or retract).
func (f *fn) runCalcs(calcs []*ir.Calc, in []value, inFields []ir.Field, onFilter func() []jen.Code) []value {
	f.in = in
	f.drop = onFilter
	for ci, c := range calcs {
		if f.splitVectorized(calcs[ci:], inFields, onFilter) {
			return f.in // the rest was compiled after the split (vectorized.go)
		}
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

// breaker emits the end of a scan pipeline at its end operator.
func (g *gen) breaker(f *fn, pl *ir.Pipeline, row []value) {
	if e, ok := emitterOf[endEmitter](g, pl.Sink, "the end of a pipeline"); ok {
		e.end(g, f, pl, row)
	}
}

// loopKind is what a generated method loops over (addMethod).
type loopKind int

const (
	loopNone  loopKind = iota
	loopBatch          // the records of b, with r
	loopRows           // forwarded rows, with i
)

// openSink opens the sink of an INSERT in the init of the stage being generated (each
// task writes through a sink of its own) and returns the field holding it.
//
//	if p.sink1, err = printsink.NewSink(ctx.Options("t"), spec.Tables[1].Schema); err != nil {
//		return err
//	}
func (g *gen) openSink(s *ir.Sink) string {
	// The branches of a UNION ALL are pipelines into one Sink: it is opened once per stage.
	if v, ok := g.cur.sinks[s]; ok {
		return v
	}
	t := s.Table
	if len(s.Options) > 0 {
		g.errorf(s.Options[0].KeySpan, "OPTIONS hints on INSERT are not supported by the code generator yet")
		return ""
	}
	res := resolved(t)
	g.nSinks++
	field := fmt.Sprintf("sink%d", g.nSinks)
	g.cur.sinks[s] = field
	opts := jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name))
	schema := jen.Id("spec").Dot("Tables").Index(jen.Lit(g.tableIdx[t])).Dot("Schema")
	var open jen.Code
	switch res.Connector {
	case "print":
		open = jen.Qual(pkgPrint, "NewSink").Call(opts, schema)
	case "blackhole":
		open = jen.Qual(pkgBlackhole, "NewSink").Call(opts, schema)
	case "jdbc":
		// The URL picks the driver at compile time, so a job links only the one it
		// uses; a URL that is an environment variable links both and picks at start.
		url := res.String("url")
		switch {
		case strings.HasPrefix(url, "jdbc:sqlite:"):
			open = jen.Qual(pkgSQLite, "NewSink").Call(opts, schema)
		case strings.HasPrefix(url, "jdbc:mysql:"), strings.HasPrefix(url, "jdbc:mariadb:"):
			open = jen.Qual(pkgMySQL, "NewSink").Call(opts, schema)
		case strings.Contains(url, "${"):
			// func() (stream.Sink, error) { if strings.HasPrefix(url, "jdbc:sqlite:") {...}; return mysql.NewSink(...) }()
			open = jen.Func().Params().Params(jen.Qual(pkgStream, "Sink"), jen.Error()).Block(
				jen.If(jen.Qual("strings", "HasPrefix").Call(jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name)).Dot("String").Call(jen.Lit("url")), jen.Lit("jdbc:sqlite:"))).Block(
					jen.Return(jen.Qual(pkgSQLite, "NewSink").Call(opts, schema)),
				),
				jen.Return(jen.Qual(pkgMySQL, "NewSink").Call(opts, schema)),
			).Call()
		default:
			g.errorf(t.Span, "connector 'jdbc' with url '%s' has no runtime support yet (jdbc:sqlite: and jdbc:mysql: URLs have)", options.Redact(url))
			return ""
		}
	case "filesystem":
		open = jen.Qual(pkgFilesystem, "NewSink").Call(opts, schema)
		// p.sink1.(stream.WatermarkSink).Watermark(t): partition-time commits follow the
		// task's watermark.
		g.cur.watermark = append(g.cur.watermark,
			jen.Id("p").Dot(field).Assert(jen.Qual(pkgStream, "WatermarkSink")).Dot("Watermark").Call(jen.Id("t")))
	case "kafka":
		open = jen.Qual(pkgKafka, "NewSink").Call(opts, schema)
	case "upsert-kafka":
		open = jen.Qual(pkgKafka, "NewUpsertSink").Call(opts, schema)
	default:
		g.errorf(t.Span, "connector '%s' has no runtime support yet", res.Connector)
		return ""
	}
	g.cur.fields = append(g.cur.fields, jen.Comment(fmt.Sprintf("%s: INSERT INTO %s (connector %s)", field, t.Name, res.Connector)),
		jen.Id(field).Qual(pkgStream, "Sink"))
	// if p.sink1, err = printsink.NewSink(...); err != nil { return err }
	// (p.sink1 stays nil unless the sink opened: close closes it then)
	meter := sinkMeter(field)
	g.cur.fields = append(g.cur.fields, jen.Comment(fmt.Sprintf("%s counts the rows written to %s and times its flushes, for the job's metrics.", meter, field)),
		jen.Id(meter).Op("*").Qual(pkgJob, "SinkMeter"))
	g.cur.setup = append(g.cur.setup,
		jen.Comment(fmt.Sprintf("%s: connector %s", t.Name, res.Connector)),
		jen.If(jen.List(jen.Id("p").Dot(field), jen.Err()).Op("=").Add(open), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("p").Dot(meter).Op("=").Id("ctx").Dot("SinkMeter").Call(jen.Lit(t.Name), jen.Id("p").Dot(field)),
	)
	// if err := p.meter1.Flush(p.sink1, id); err != nil { return err }
	// (a JDBC sink is two-phase with checkpoints on: at a checkpoint's barrier it seals
	// its rows for the job to commit once the checkpoint is durable; stream.FlushAt)
	g.cur.flushes = append(g.cur.flushes, jen.If(jen.Err().Op(":=").Id("p").Dot(meter).Dot("Flush").Call(jen.Id("p").Dot(field), jen.Id("id")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	// if p.sink1 != nil { if cerr := p.sink1.Close(); err == nil { err = cerr } }
	g.cur.closes = append(g.cur.closes, jen.If(jen.Id("p").Dot(field).Op("!=").Nil()).Block(
		jen.If(jen.Id("cerr").Op(":=").Id("p").Dot(field).Dot("Close").Call(), jen.Err().Op("==").Nil()).Block(jen.Err().Op("=").Id("cerr"))))
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
			// if xNull {
			//	if p.nullDrops1 != nil { p.nullDrops1.Add(1); continue } // DROP
			//	return job.RowError(where, pos, "column %s is NOT NULL ...")
			// }
			drops := g.nullDrops(sinkVar, s.Table.Name)
			drop := []jen.Code{jen.Return(jen.Nil())} // a write method: the row is not written
			if f.drop != nil {
				drop = f.drop() // in a pipeline's loop: the next row
			}
			f.emit(jen.If(v.N()).Block(
				jen.Comment("table.exec.sink.not-null-enforcer: DROP counts and drops the row, ERROR fails the job"),
				jen.If(drops.Clone().Op("!=").Nil()).Block(append([]jen.Code{drops.Clone().Dot("Add").Call(jen.Lit(1))}, drop...)...),
				jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(g.pos(s.Pos)),
					jen.Lit(fmt.Sprintf("column '%s' of table '%s' is NOT NULL, however, a null value is being written into it", col.Name, s.Table.Name)))),
			))
		}
	}
	f.emit(jen.Add(sink).Dot("Begin").Call(kind))
	for j, col := range cols {
		if !has[j] || vals[j].always {
			f.emit(jen.Add(sink).Dot("Null").Call())
			continue
		}
		v := vals[j]
		if col.Type.Kind == ir.KindRow {
			if !rowSinks[s.Table.Connector] {
				g.errorf(col.Span, "connector '%s' cannot take the ROW column %s yet (print and blackhole can)", s.Table.Connector, col.Name)
				return
			}
			var write []jen.Code
			if write = f.nest(func() { g.writeRowValue(f, sinkVar, v, col.Span) }); v.N() != nil && col.Type.Nullable {
				f.emit(jen.If(v.N()).Block(jen.Add(sink).Dot("Null").Call()).Else().Block(write...))
			} else {
				f.emit(write...)
			}
			continue
		}
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
	f.emit(jen.If(jen.Err().Op(":=").Add(sink).Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("p").Dot(sinkMeter(sinkVar)).Dot("Row").Call())
}

// sinkMeter names the job.SinkMeter field of the sink field sinkVar ("sink1" -> "meter1").
func sinkMeter(sinkVar string) string { return "meter" + strings.TrimPrefix(sinkVar, "sink") }

// nullDrops gives the stage being generated the counter of the rows its sink sinkVar
// drops under table.exec.sink.not-null-enforcer = 'DROP' (nil under 'ERROR', Flink's
// default, which fails the job) and returns p.nullDropsN.
//
//	p.nullDrops1 = ctx.NotNullDrops("t")
func (g *gen) nullDrops(sinkVar, table string) *jen.Statement {
	field := "nullDrops" + strings.TrimPrefix(sinkVar, "sink")
	g.cur.once(field, fmt.Sprintf("%s counts the rows dropped for a NULL in a NOT NULL column of %s (table.exec.sink.not-null-enforcer = 'DROP'); nil under 'ERROR'.", field, table),
		jen.Op("*").Qual(pkgJob, "Counter"),
		jen.Id("p").Dot(field).Op("=").Id("ctx").Dot("NotNullDrops").Call(jen.Lit(table)))
	return jen.Id("p").Dot(field)
}

// comment renders a comment showing the query, with the SQL position when known:
// "// province = ip_to_province(client_ip)  [job.sql:14:16]".
func (g *gen) comment(text string, span diag.Span) jen.Code {
	if p := g.pos(span); p != "" {
		text += "  [" + p + "]"
	}
	return jen.Comment(oneLine(text))
}

// oneLine escapes the line breaks of SQL text (a string literal may hold them) for a
// comment: jennifer writes a multi-line comment as /* ... */, which a folded call's
// "/* folded f('x') */" or a literal holding "*/" would end early.
func oneLine(text string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(text)
}
