package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// A generated job is a graph of stages (runtimelib/exec): the source stage, whose tasks
// run the fused loops of every pipeline that starts at a Scan, and one keyed stage per
// Aggregate, whose tasks own the aggregate's groups by key group, emit its changes at
// every barrier and run the pipelines that read it. Each stage is a Go type; one value
// of it is one task's operator, with its own decoders, function instances, state and
// sinks, so nothing is shared between tasks and nothing is locked.
//
//	type stage0 struct { ... }                 // a task of the source stage
//	func (p *stage0) init(ctx *job.Context, src *jobSources) (err error)
//	func (p *stage0) close() (err error)
//	func (p *stage0) OnBatch(source int, b *stream.Batch) error
//	func (p *stage0) OnBarrier(id int64) error // send partial aggregates, flush sinks
//
// Exchanges connect stages (edge). Into an Aggregate built from scans, each source task
// pre-aggregates into a table of its own and sends its changed groups (partials) to
// the groups' owners at every barrier, which merge them (Flink's local-global
// aggregation); with one task the exchange is chained and the source task updates the
// keyed task's table directly, as a single loop. Into an Aggregate over another one's
// changes, each change row is sent to its group's owner (or, chained, applied by a
// direct call).

// stageGen is one stage of the generated job.
type stageGen struct {
	id   int
	typ  string         // the Go type of its operator: stage0, stage1, ...
	desc []string       // the pipelines it runs (describe), for comments and the stage's name
	pls  []*ir.Pipeline // those pipelines, for the SQL they came from (Spec.Stages)

	fields []jen.Code // fields of the operator type
	setup  []jen.Code // statements of init (p's decoders, counters, UDF instances, sinks)
	// afterTask are statements run calls once p.task is set (a window aggregate's timers).
	afterTask []jen.Code
	// watermark are statements of OnWatermark(t): processing-time windows, and sinks
	// that take the watermark (a filesystem sink's partition commit).
	watermark []jen.Code
	closes    []jen.Code // statements of close (after the run, however it ended)
	barrier   []jen.Code // statements of OnBarrier, before the sinks flush
	flushes   []jen.Code // the sinks' Flush calls in OnBarrier
	cases     []jen.Code // the source stage: OnBatch's cases, one per source
	methods   []jen.Code

	sinks map[*ir.Sink]string // the sinks this stage writes -> their fields
	// rowWriters are the sinks' stream.RowWriter fields declared (row.go).
	rowWriters map[string]bool
	snapshot   *aggInfo        // the aggregate whose groups a keyed stage's tasks own and save
	declared   map[string]bool // the fields once declared (once)
}

// edge is an exchange between two stages.
type edge struct {
	id       int
	from, to *stageGen
	rowType  string // the Go type of its rows
	what     string // comment: what the rows are
	onRows   string // the method of to that takes a batch of rows
	out      string // the field of from holding its *exec.Output (not chained)
	// chain are the statements run calls when the exchange is chained, with from's
	// operator in p and to's in q (a source task using the keyed task's table).
	chain []jen.Code
	// unchain are the statements for a task of from when the exchange is not chained.
	unchain []jen.Code
}

// once declares a field of the stage's operator the first time a generator asks for it
// (keyBuf, twoPhase, task: fields several operators of a stage share), with the
// statements that set it in init; it reports whether the field is new.
func (s *stageGen) once(name, comment string, typ jen.Code, setup ...jen.Code) bool {
	if s.declared[name] {
		return false
	}
	if s.declared == nil {
		s.declared = map[string]bool{}
	}
	s.declared[name] = true
	s.fields = append(s.fields, jen.Comment(comment), jen.Id(name).Add(typ))
	s.setup = append(s.setup, setup...)
	return true
}

// needsKeyBuf gives the operator the buffer of a key's canonical bytes.
func (s *stageGen) needsKeyBuf() {
	s.once("keyBuf", "keyBuf holds the canonical bytes of a key, to find its key group.", jen.Index().Byte())
}

// needsTask gives the operator a field with its exec.Task (set by run).
func (s *stageGen) needsTask() {
	s.once("task", "task is the exec task running this operator.", jen.Op("*").Qual(pkgExec, "Task"))
}

// newStage adds a stage.
func (g *gen) newStage(desc string) *stageGen {
	s := &stageGen{id: len(g.stages), sinks: map[*ir.Sink]string{}}
	s.typ = fmt.Sprintf("stage%d", s.id)
	if desc != "" {
		s.desc = append(s.desc, desc)
	}
	g.stages = append(g.stages, s)
	return s
}

// sourceStage is the stage of the scan pipelines, made on first use.
func (g *gen) sourceStage() *stageGen {
	if g.srcStage == nil {
		g.srcStage = g.newStage("")
	}
	return g.srcStage
}

// connect adds an exchange from one stage to another.
func (g *gen) connect(from, to *stageGen, rowType, what, onRows string) *edge {
	e := &edge{id: len(g.edges) + 1, from: from, to: to, rowType: rowType, what: what, onRows: onRows}
	e.out = fmt.Sprintf("x%d", e.id)
	g.edges = append(g.edges, e)
	from.fields = append(from.fields,
		jen.Comment(fmt.Sprintf("%s sends %s to %s (nil when chained).", e.out, what, to.typ)),
		jen.Id(e.out).Op("*").Qual(pkgExec, "Output").Types(jen.Id(rowType)))
	return e
}

// name is the stage's name for the runtime's messages: its pipelines.
func (s *stageGen) name() string {
	var parts []string
	for _, d := range s.desc {
		if _, rest, ok := strings.Cut(d, ": "); ok {
			d = rest
		}
		parts = append(parts, d)
	}
	return strings.Join(parts, "; ")
}

// renderStages renders the operator types of every stage with their methods: init,
// close, the exec.Operator hooks and (the source stage) OnBatch.
func (g *gen) renderStages(f *jen.File) {
	for _, s := range g.stages {
		doc := fmt.Sprintf("%s is a task of stage %d", s.typ, s.id)
		if s == g.srcStage {
			doc += ", the source stage"
		}
		f.Comment(doc + ":")
		for _, d := range s.desc {
			f.Comment("  " + d)
		}
		f.Type().Id(s.typ).Struct(s.fields...)
		f.Line()
		recv := jen.Id("p").Op("*").Id(s.typ)
		f.Comment("init opens what the task owns: decoders, counters, function instances, sinks.")
		f.Func().Params(recv).Id("init").Params(jen.Id("ctx").Op("*").Qual(pkgJob, "Context"), jen.Id("src").Op("*").Id("jobSources")).
			Params(jen.Err().Error()).Block(append(append([]jen.Code{}, s.setup...), jen.Return(jen.Err()))...)
		f.Line()
		f.Comment("close releases what init opened, however the job ended.")
		f.Func().Params(recv).Id("close").Params().Params(jen.Err().Error()).Block(
			append(append([]jen.Code{}, s.closes...), jen.Return(jen.Err()))...)
		f.Line()
		if s == g.srcStage {
			body := []jen.Code{}
			if len(s.cases) > 0 {
				body = append(body, jen.Switch(jen.Id("source")).Block(s.cases...))
			}
			body = append(body, jen.Return(jen.Nil()))
			f.Comment("OnBatch runs the pipelines that read the batch's source.")
			f.Func().Params(recv).Id("OnBatch").Params(jen.Id("source").Int(), jen.Id("b").Op("*").Qual(pkgStream, "Batch")).Error().Block(body...)
			f.Line()
		}
		if len(s.watermark) > 0 {
			f.Comment("OnWatermark passes the task's watermark to what acts on it: processing-time windows (fired by the final")
			f.Comment("watermark at the end of the input) and sinks that act on event time.")
		} else {
			f.Comment("OnWatermark: no operator of this stage acts on event time.")
		}
		f.Func().Params(recv).Id("OnWatermark").Params(jen.Id("t").Int64()).Error().Block(append(append([]jen.Code{}, s.watermark...), jen.Return(jen.Nil()))...)
		f.Line()
		barrier := append(append([]jen.Code{}, s.barrier...), s.flushes...)
		barrier = append(barrier, jen.Return(jen.Nil()))
		comment := "OnBarrier flushes the sinks: every result of the input before the barrier is written."
		switch {
		case len(s.barrier) > 0 && s == g.srcStage:
			comment = "OnBarrier sends the partial groups changed since the last barrier to the tasks owning them, then flushes the sinks."
		case len(s.barrier) > 0:
			comment = "OnBarrier emits the changes since the last barrier, then flushes the sinks."
		}
		f.Comment(comment)
		f.Func().Params(recv).Id("OnBarrier").Params(jen.Id("id").Int64()).Error().Block(barrier...)
		f.Line()
		if a := s.snapshot; a != nil {
			f.Comment("Snapshot writes the groups this task owns, per key group (exec.Snapshotter).")
			f.Func().Params(recv).Id("Snapshot").Params(jen.Id("w").Op("*").Qual(pkgCodec, "Writer")).Error().Block(append(append([]jen.Code{
				jen.Id("p").Dot("task").Dot("WriteKeyedHeader").Call(jen.Id("w")),
				jen.Qual(pkgState, "WriteSectionNames").Call(jen.Id("w"), jen.Id(a.readersVar())),
			}, a.snapshotWatermark()...),
				jen.Return(a.tab("p").Dot("snapshot").Call(jen.Id("w"))))...)
			f.Line()
			f.Comment("Restore adds the groups of a snapshot of any task of this stage whose key groups this")
			f.Comment("task owns now (exec.Snapshotter: called once per snapshot of the checkpoint).")
			restore := []jen.Code{
				jen.If(jen.Err().Op(":=").Id("p").Dot("task").Dot("ReadKeyedHeader").Call(jen.Id("r")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				jen.List(jen.Id("readers"), jen.Id("added")).Op(":=").Qual(pkgState, "ReadSectionNames").Call(jen.Id("r"), jen.Id(a.readersVar())),
			}
			restore = append(restore, a.restoreWatermark()...)
			restore = append(restore,
				jen.If(jen.Err().Op(":=").Add(a.tab("p")).Dot("restore").Call(jen.Id("r"), jen.Id("p").Dot("task").Dot("OwnsKeyGroup"), jen.Id("readers")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
			restore = append(restore, a.restoreTimers()...)
			restore = append(restore,
				// A reader the snapshot does not know (an INSERT added since): every group
				// is emitted at the next barrier, so that it gets the whole result.
				jen.If(jen.Id("added")).Block(
					jen.Comment("A reader added since the snapshot gets every group at the next barrier."),
					jen.For(jen.List(jen.Id("idx"), jen.Id("st")).Op(":=").Range().Add(a.tab("p")).Dot("All").Call()).Block(
						jen.If(jen.Op("!").Id("st").Dot("dirty")).Block(
							jen.Id("st").Dot("dirty").Op("=").True(),
							a.tab("p").Dot("MarkDirty").Call(jen.Id("idx")),
						),
					),
				),
				jen.Return(jen.Id("r").Dot("Done").Call()))
			f.Func().Params(recv).Id("Restore").Params(jen.Id("r").Op("*").Qual(pkgCodec, "Reader")).Error().Block(restore...)
			f.Line()
			f.Comment("StateSize is the number of groups this task owns and an estimate of their bytes")
			f.Comment("(exec.StateSizer: the job's metrics).")
			f.Func().Params(recv).Id("StateSize").Params().Params(jen.Id("keys"), jen.Id("bytes").Int64()).Block(
				jen.Return(jen.Int64().Call(a.tab("p").Dot("Len").Call()), a.tab("p").Dot("SizeBytes").Call()))
			f.Line()
			f.Comment("ResetState drops the groups, as a fresh task has none (exec.StateResetter).")
			reset := []jen.Code{a.tab("p").Dot("Reset").Call()}
			if a.session() {
				reset = append(reset, jen.Clear(a.tab("p").Dot("sessions")))
			}
			f.Func().Params(recv).Id("ResetState").Params().Block(reset...)
			f.Line()
		}
		f.Comment("OnEnd: the final barrier has flushed everything.")
		f.Func().Params(recv).Id("OnEnd").Params().Error().Block(jen.Return(jen.Nil()))
		f.Line()
		for _, m := range s.methods {
			f.Add(m)
			f.Line()
		}
	}
}

// renderRun renders run: it opens the sources, builds the graph of stages and
// exchanges with one operator per task, and runs it.
//
//	func run(ctx *job.Context) (err error) {
//		src := &jobSources{}
//		if src.src0, err = filesystem.NewSource(ctx.Options("t")); err != nil {
//			return err
//		}
//		graph, n := ctx.Graph(), ctx.Parallelism()
//		s0 := graph.SourceStage("Scan(t) -> ...", n, []stream.Source{src.src0})
//		s1 := graph.Stage("Aggregate(...) -> Sink(out)", n)
//		x1 := exec.Connect[agg0State](s0, s1)
//		var tasks []interface{ close() error }
//		defer func() { ... close every task ... }()
//		stage1s := make([]*stage1, s1.Tasks())
//		for i := range stage1s { ... init, SetOperator, x1.OnRows(i, p.merge0) ... }
//		for i := range s0.Tasks() { ... init, chain or Output ... }
//		return graph.Run(ctx.Context())
//	}
func (g *gen) renderRun(f *jen.File) {
	// type jobSources struct { src0 *filesystem.Source }
	var srcFields []jen.Code
	var srcList []jen.Code
	for _, s := range g.srcOpen {
		srcFields = append(srcFields, jen.Id(s.name).Add(s.typ))
		srcList = append(srcList, jen.Id("src").Dot(s.name))
	}
	f.Comment("jobSources are the job's sources, opened once; a source task reads the batches of the")
	f.Comment("splits it owns.")
	f.Type().Id("jobSources").Struct(srcFields...)
	f.Line()

	body := []jen.Code{jen.Id("src").Op(":=").Op("&").Id("jobSources").Values()}
	for _, s := range g.srcOpen {
		body = append(body, jen.Comment(s.comment),
			jen.If(jen.List(jen.Id("src").Dot(s.name), jen.Err()).Op("=").Add(s.open), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	}
	body = append(body, jen.List(jen.Id("graph"), jen.Id("n")).Op(":=").List(jen.Id("ctx").Dot("Graph").Call(), jen.Id("ctx").Dot("Parallelism").Call()))
	for _, s := range g.stages {
		tasks := jen.Id("n")
		var add jen.Code
		if s == g.srcStage {
			add = jen.Id("graph").Dot("SourceStage").Call(jen.Lit(s.name()), tasks, jen.Index().Qual(pkgStream, "Source").Values(srcList...))
		} else {
			add = jen.Id("graph").Dot("Stage").Call(jen.Lit(s.name()), tasks)
		}
		body = append(body, jen.Id(fmt.Sprintf("s%d", s.id)).Op(":=").Add(add))
		if k := g.stateIndex(s); k >= 0 {
			// s1.SetUID(spec.State[0].UID): what its checkpointed state is matched by
			body = append(body, jen.Id(fmt.Sprintf("s%d", s.id)).Dot("SetUID").Call(jen.Id("spec").Dot("State").Index(jen.Lit(k)).Dot("UID")))
		}
	}
	for _, e := range g.edges {
		body = append(body, jen.Comment(fmt.Sprintf("x%d: %s", e.id, e.what)),
			jen.Id(e.out).Op(":=").Qual(pkgExec, "Connect").Types(jen.Id(e.rowType)).Call(jen.Id(fmt.Sprintf("s%d", e.from.id)), jen.Id(fmt.Sprintf("s%d", e.to.id))))
	}
	body = append(body,
		jen.Comment("However run ends, every task's sinks and function instances that opened are closed."),
		jen.Var().Id("tasks").Index().Interface(jen.Id("close").Params().Error()),
		jen.Defer().Func().Params().Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("t")).Op(":=").Range().Id("tasks")).Block(
				jen.If(jen.Id("cerr").Op(":=").Id("t").Dot("close").Call(), jen.Err().Op("==").Nil()).Block(jen.Err().Op("=").Id("cerr")))).Call(),
	)
	// Consumers first, so that a producer can chain to them.
	for i := len(g.stages) - 1; i >= 0; i-- {
		s := g.stages[i]
		sv := fmt.Sprintf("s%d", s.id)
		list := s.typ + "s"
		loop := []jen.Code{
			jen.Id("p").Op(":=").Op("&").Id(s.typ).Values(),
			jen.Id("tasks").Op("=").Append(jen.Id("tasks"), jen.Id("p")),
			jen.If(jen.Err().Op("=").Id("p").Dot("init").Call(jen.Id("ctx"), jen.Id("src")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id(sv).Dot("Task").Call(jen.Id("i")).Dot("SetOperator").Call(jen.Id("p")),
			jen.Id(list).Index(jen.Id("i")).Op("=").Id("p"),
		}
		if s.declared["task"] {
			loop = append(loop, jen.Id("p").Dot("task").Op("=").Id(sv).Dot("Task").Call(jen.Id("i")))
			loop = append(loop, s.afterTask...)
		}
		for _, e := range g.edges {
			if e.to == s {
				loop = append(loop, jen.Id(e.out).Dot("OnRows").Call(jen.Id("i"), jen.Id("p").Dot(e.onRows)))
			}
		}
		for _, e := range g.edges {
			if e.from != s {
				continue
			}
			// if x1.Chained() { q := stage1s[0]; ... } else { p.x1 = x1.Output(i); ... }
			unchained := append([]jen.Code{jen.Id("p").Dot(e.out).Op("=").Id(e.out).Dot("Output").Call(jen.Id("i"))}, e.unchain...)
			if len(e.chain) == 0 {
				loop = append(loop, jen.If(jen.Op("!").Id(e.out).Dot("Chained").Call()).Block(unchained...))
				continue
			}
			chained := append([]jen.Code{jen.Id("q").Op(":=").Id(e.to.typ + "s").Index(jen.Lit(0))}, e.chain...)
			loop = append(loop, jen.If(jen.Id(e.out).Dot("Chained").Call()).Block(chained...).Else().Block(unchained...))
		}
		body = append(body,
			jen.Id(list).Op(":=").Make(jen.Index().Op("*").Id(s.typ), jen.Id(sv).Dot("Tasks").Call()),
			jen.For(jen.Id("i").Op(":=").Range().Id(list)).Block(loop...),
		)
	}
	body = append(body, jen.Return(jen.Id("graph").Dot("Run").Call(jen.Id("ctx").Dot("Context").Call())))
	f.Comment("run opens the sources, builds the job's graph of stages with one operator per task, and")
	f.Comment("runs it until the input ends or the job is stopped.")
	f.Func().Id("run").Params(jen.Id("ctx").Op("*").Qual(pkgJob, "Context")).Params(jen.Err().Error()).Block(body...)
	f.Line()
}

// srcOpen is a source run opens: a field of jobSources.
type srcOpen struct {
	name    string
	typ     jen.Code
	open    jen.Code
	comment string
}

// stageSpecs renders Spec.Stages: each stage's name and the INSERT statements its
// pipelines come from, which the job's status page shows.
//
//	[]job.StageSpec{{Name: "Scan(t) -> ...", SQL: "INSERT INTO ..."}, ...}
func (g *gen) stageSpecs() jen.Code {
	var items []jen.Code
	for _, s := range g.stages {
		var sqls []string
		for _, pl := range s.pls {
			if ins := g.insertOf(pl, 0); ins != nil {
				if text := spanText(g.src, ins.Pos); text != "" && !slices.Contains(sqls, text) {
					sqls = append(sqls, text)
				}
			}
		}
		item := []jen.Code{kv("Name", jen.Lit(s.name()))}
		if len(sqls) > 0 {
			item = append(item, kv("SQL", jen.Lit(strings.Join(sqls, "\n\n"))))
		}
		items = append(items, composite(false, item...))
	}
	return jen.Index().Qual(pkgJob, "StageSpec").Add(composite(true, items...))
}

// insertOf is the INSERT a pipeline feeds: its Sink, or the first INSERT fed by a
// pipeline reading the aggregate it ends at.
func (g *gen) insertOf(pl *ir.Pipeline, depth int) *ir.Sink {
	switch n := pl.Sink.(type) {
	case *ir.Sink:
		return n
	case *ir.Aggregate:
		if depth > len(g.prog.Pipelines) {
			return nil
		}
		for _, p := range g.prog.Pipelines {
			if p.Source == ir.Node(n) {
				if s := g.insertOf(p, depth+1); s != nil {
					return s
				}
			}
		}
	}
	return nil
}

// spanText is the SQL text of a span ("" when unknown).
func spanText(src *diag.Source, span diag.Span) string {
	if src == nil || span.Start < 0 || span.End > len(src.Text) || span.Start >= span.End {
		return ""
	}
	return strings.TrimSpace(src.Text[span.Start:span.End])
}
