package codegen

import (
	"github.com/dave/jennifer/jen"
)

// hasParallel reports whether some source may run in workers.
func (g *gen) hasParallel(par []bool) bool {
	for _, ok := range par {
		if ok {
			return true
		}
	}
	return false
}

// parallelFields are the fields of program that parallel execution adds: seq (the batch
// being run, for the merge order), and in the coordinator the workers and the sources
// that turned serial.
func (g *gen) parallelFields() []jen.Code {
	var out []jen.Code
	if len(g.aggList) > 0 {
		out = append(out, jen.Comment("seq numbers the batch being run: aggregates record the batch of each group's first change."),
			jen.Id("seq").Uint64())
	}
	par := g.parallelSources()
	if !g.hasParallel(par) {
		return out
	}
	out = append(out,
		jen.Comment("rows counts the rows a worker ran since the last merge."),
		jen.Id("rows").Int(),
		jen.Comment("workers (in the coordinator, with parallelism above 1) hold the partial states merged at each flush."),
		jen.Id("workers").Index().Op("*").Id("program"),
	)
	for i, ok := range par {
		if ok {
			out = append(out, jen.Id(serialField(i)).Bool())
		}
	}
	return out
}

// renderRun renders run, init (per-worker state), close (per-worker teardown) and, when
// some source may run in workers, the parallel methods.
//
//	func run(ctx *job.Context) (err error) {
//		p := &program{}
//		defer func() { ... close p's and the workers' opened UDF instances, the opened sinks ... }()
//		src0, err := filesystem.NewSource(ctx.Options("t")) // sources and sinks
//		...
//		if err = p.init(ctx); err != nil {
//			return err
//		}
//		if n := ctx.Parallelism(); n > 1 {
//			p.workers = make([]*program, n)
//			for i := range p.workers {
//				p.workers[i] = &program{}
//				if err = p.workers[i].init(ctx); err != nil {
//					return err
//				}
//			}
//			err = ctx.LoopParallel(sources, ctx.FlushInterval(), job.Parallel{Workers: n, Parallel: p.parallel,
//				OnBatch: p.workerBatch, Merge: p.merge}, p.onBatch, p.onFlush)
//		} else {
//			err = ctx.Loop(sources, ctx.FlushInterval(), p.onBatch, p.onFlush)
//		}
//		return err
//	}
func (g *gen) renderRun(f *jen.File) {
	par := g.parallelSources()
	parallel := g.hasParallel(par)
	sources := func() jen.Code { return jen.Index().Qual(pkgStream, "Source").Values(g.sources...) }
	loop := jen.Err().Op("=").Id("ctx").Dot("Loop").Call(sources(),
		jen.Id("ctx").Dot("FlushInterval").Call(), jen.Id("p").Dot("onBatch"), jen.Id("p").Dot("onFlush"))

	body := []jen.Code{jen.Id("p").Op(":=").Op("&").Id("program").Values()}
	// However run ends (also when a sink does not open or a function's Open fails), the
	// function instances that opened, in p and in the workers, and the sinks that opened
	// are closed, once each.
	var cleanup []jen.Code
	if len(g.closeWorker) > 0 {
		// if cerr := p.close(); err == nil { err = cerr }
		cleanup = append(cleanup, jen.If(jen.Id("cerr").Op(":=").Id("p").Dot("close").Call(), jen.Err().Op("==").Nil()).Block(jen.Err().Op("=").Id("cerr")))
		if parallel {
			// for _, w := range p.workers { if w != nil { ... w.close() ... } }
			cleanup = append(cleanup, jen.For(jen.List(jen.Id("_"), jen.Id("w")).Op(":=").Range().Id("p").Dot("workers")).Block(
				jen.If(jen.Id("w").Op("!=").Nil()).Block(
					jen.If(jen.Id("cerr").Op(":=").Id("w").Dot("close").Call(), jen.Err().Op("==").Nil()).Block(jen.Err().Op("=").Id("cerr")))))
		}
	}
	cleanup = append(cleanup, g.closes...)
	if len(cleanup) > 0 {
		body = append(body,
			jen.Comment("However run ends, the sinks and function instances that opened are closed."),
			jen.Defer().Func().Params().Block(cleanup...).Call())
	}
	body = append(body, g.runSetup...)
	if len(g.setup) > 0 {
		body = append(body, jen.If(jen.Err().Op("=").Id("p").Dot("init").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	}
	if parallel {
		newWorker := []jen.Code{jen.Id("p").Dot("workers").Index(jen.Id("i")).Op("=").Op("&").Id("program").Values()}
		if len(g.setup) > 0 {
			newWorker = append(newWorker, jen.If(jen.Err().Op("=").Id("p").Dot("workers").Index(jen.Id("i")).Dot("init").Call(jen.Id("ctx")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		}
		body = append(body,
			jen.Comment("With parallelism above 1, workers run the batches of the parallel sources into partial"),
			jen.Comment("aggregation states, merged into p's before every flush."),
			jen.If(jen.Id("n").Op(":=").Id("ctx").Dot("Parallelism").Call(), jen.Id("n").Op(">").Lit(1)).Block(
				jen.Id("p").Dot("workers").Op("=").Make(jen.Index().Op("*").Id("program"), jen.Id("n")),
				jen.For(jen.Id("i").Op(":=").Range().Id("p").Dot("workers")).Block(newWorker...),
				jen.Err().Op("=").Id("ctx").Dot("LoopParallel").Call(sources(), jen.Id("ctx").Dot("FlushInterval").Call(),
					jen.Qual(pkgJob, "Parallel").Values(
						jen.Id("Workers").Op(":").Id("n"),
						jen.Id("Parallel").Op(":").Id("p").Dot("parallel"),
						jen.Id("OnBatch").Op(":").Id("p").Dot("workerBatch"),
						jen.Id("Merge").Op(":").Id("p").Dot("merge"),
					),
					jen.Id("p").Dot("onBatch"), jen.Id("p").Dot("onFlush")),
			).Else().Block(loop),
		)
	} else {
		body = append(body, loop)
	}
	body = append(body, jen.Return(jen.Err()))
	f.Comment("run opens the sources and sinks and runs the job loop: onBatch for every batch,")
	f.Comment("onFlush at the flush interval and once at the end of bounded input.")
	f.Func().Id("run").Params(jen.Id("ctx").Op("*").Qual(pkgJob, "Context")).Params(jen.Err().Error()).Block(body...)
	f.Line()

	if len(g.setup) > 0 {
		f.Comment("init creates the state each worker owns: decoders, counters, UDF instances and")
		f.Comment("empty aggregation state. It runs for the coordinator and for every worker.")
		f.Func().Params(jen.Id("p").Op("*").Id("program")).Id("init").Params(jen.Id("ctx").Op("*").Qual(pkgJob, "Context")).
			Params(jen.Err().Error()).Block(append(append([]jen.Code{}, g.setup...), jen.Return(jen.Err()))...)
		f.Line()
	}
	if len(g.closeWorker) > 0 {
		f.Comment("close releases what init created, after the loop.")
		f.Func().Params(jen.Id("p").Op("*").Id("program")).Id("close").Params().
			Params(jen.Err().Error()).Block(append(append([]jen.Code{}, g.closeWorker...), jen.Return(jen.Err()))...)
		f.Line()
	}
	if parallel {
		for _, d := range g.parallelDecls(par) {
			f.Add(d)
		}
	}
}

// runtimeSettings are the SET keys the job runtime reads at start (runtimelib/job).
var runtimeSettings = map[string]bool{"parallelism.default": true}

// specSettings renders job.Spec's Settings: the script's SET values the runtime reads,
// the last SET of a key winning (nil when there are none).
//
//	Settings: []options.KV{{Key: "parallelism.default", Value: "4"}},
func (g *gen) specSettings() []jen.Code {
	if g.prog.Plan == nil || g.prog.Plan.Catalog == nil {
		return nil
	}
	last := map[string]string{}
	var keys []string
	for _, o := range g.prog.Plan.Catalog.Settings {
		if !runtimeSettings[o.Key] {
			continue
		}
		if _, seen := last[o.Key]; !seen {
			keys = append(keys, o.Key)
		}
		last[o.Key] = o.Value
	}
	if len(keys) == 0 {
		return nil
	}
	var kvs []jen.Code
	for _, k := range keys {
		kvs = append(kvs, composite(false, kv("Key", jen.Lit(k)), kv("Value", jen.Lit(last[k]))))
	}
	return []jen.Code{kv("Settings", jen.Index().Qual(pkgOptions, "KV").Add(composite(false, kvs...)))}
}
