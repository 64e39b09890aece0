package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Parallel execution (issue 5; see doc.go, "Parallel execution"). The generated program
// struct is instantiated once for the coordinator (the job loop's goroutine: sources,
// sinks, the global aggregation state, emission) and, with parallelism N > 1, once per
// worker. Every instance runs init (g.setup: decoders, counters, UDF instances, empty
// aggregation maps). A worker's aggregation fields hold its *partial* state: the changes
// of the batches it ran since the last merge. merge folds them into the coordinator's
// state in batch order (two-phase, local-global aggregation).

// partialLimit is the number of groups above which a worker's partial state is dropped
// after a merge (and asks for an early merge): the bound on a worker's memory.
const partialLimit = 1 << 16

// srcInfo is one source of the program: its index in the Loop's sources, the pipelines
// that read it, and whether workers may run its batches at all.
type srcInfo struct {
	idx     int
	group   []*ir.Pipeline
	workers bool
}

// aggPar is what parallel execution needs to know of an aggregate.
type aggPar struct {
	srcs []int // the sources whose pipelines build it
}

func (a *aggInfo) dirtySeqField() string { return fmt.Sprintf("agg%dDirtySeq", a.id) }
func (a *aggInfo) mergeMethod() string   { return fmt.Sprintf("merge%d", a.id) }

// noteAggSource records, for each pipeline building an aggregate, the source it reads.
func (g *gen) noteAggSource(a *aggInfo) {
	if g.aggPar == nil {
		g.aggPar = map[*aggInfo]*aggPar{}
	}
	ap := g.aggPar[a]
	if ap == nil {
		ap = &aggPar{}
		g.aggPar[a] = ap
	}
	for _, s := range ap.srcs {
		if s == g.curSrc {
			return
		}
	}
	ap.srcs = append(ap.srcs, g.curSrc)
}

// parallelSources reports, per source, whether its batches may run in workers: the
// source is not pulled from (datagen) and every pipeline reading it ends at an
// aggregate whose accumulators all merge. Others run in the coordinator, in order.
func (g *gen) parallelSources() []bool {
	out := make([]bool, len(g.sources))
	for _, si := range g.srcInfos {
		ok := si.workers
		for _, pl := range si.group {
			agg, isAgg := pl.Sink.(*ir.Aggregate)
			if !isAgg || g.aggs[agg] == nil || !g.mergeable(g.aggs[agg]) {
				ok = false
			}
		}
		if si.idx < len(out) {
			out[si.idx] = ok
		}
	}
	return out
}

// mergeable reports whether every accumulator of an aggregate can merge partials.
func (g *gen) mergeable(a *aggInfo) bool {
	if a.updating {
		return false // built at flush time, in the coordinator only (retractUpdate)
	}
	for _, acc := range a.accs {
		if g.accMerge(acc) == nil {
			return false
		}
	}
	return true
}

// accMerge returns the statements that fold the accumulator of the partial group ps into
// the global group st, or nil when the accumulator cannot merge (its source then runs in
// the coordinator). Other accumulator kinds (user-defined aggregate functions with a
// Merge method) add a case here.
//
//	st.count0 += ps.count0
//	if ps.sum1Seen { st.sum1 += ps.sum1; st.sum1Seen = true }
func (g *gen) accMerge(acc *accInfo) []jen.Code {
	st := func(suffix string) *jen.Statement { return jen.Id("st").Dot(acc.field + suffix) }
	ps := func(suffix string) *jen.Statement { return jen.Id("ps").Dot(acc.field + suffix) }
	// addDecimal: st.x = st.x + ps.x at precision prec, overflow is sticky.
	addDecimal := func(prec int) jen.Code {
		sc := acc.argT.Scale
		return jen.If(ps("Overflow")).Block(st("Overflow").Op("=").True()).
			Else().If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Qual(pkgTypes, "AddDecimal").Call(
			st(""), ps(""), jen.Lit(sc), jen.Lit(sc), jen.Lit(sc), jen.Lit(prec)), jen.Id("ok")).
			Block(st("").Op("=").Id("s")).
			Else().Block(st("Overflow").Op("=").True())
	}
	switch acc.kind {
	case "udaf":
		return g.udafMerge(acc) // Go aggregate functions with a Merge method: udaf.go
	case "count", "countStar":
		return []jen.Code{st("").Op("+=").Add(ps(""))}
	case "countDistinct":
		// for v := range ps.count0 { st.count0[v] = struct{}{} }
		kt, _ := keyGoType(acc.argT)
		return []jen.Code{jen.If(jen.Len(ps("")).Op(">").Lit(0)).Block(
			jen.If(st("").Op("==").Nil()).Block(st("").Op("=").Make(jen.Map(kt).Struct())),
			jen.For(jen.Id("v").Op(":=").Range().Add(ps(""))).Block(st("").Index(jen.Id("v")).Op("=").Struct().Values()),
		)}
	case "sum":
		if acc.argT.Kind == ir.KindDecimal {
			return []jen.Code{jen.If(ps("Seen")).Block(addDecimal(acc.argT.Precision), st("Seen").Op("=").True())}
		}
		return []jen.Code{jen.If(ps("Seen")).Block(st("").Op("+=").Add(ps("")), st("Seen").Op("=").True())}
	case "avg":
		if acc.argT.Kind == ir.KindDecimal {
			return []jen.Code{jen.If(ps("Count").Op(">").Lit(0)).Block(addDecimal(38), st("Count").Op("+=").Add(ps("Count")))}
		}
		return []jen.Code{st("").Op("+=").Add(ps("")), st("Count").Op("+=").Add(ps("Count"))}
	case "min", "max":
		op := "<"
		if acc.kind == "max" {
			op = ">"
		}
		f := g.newFn(func() jen.Code { return jen.Lit("") })
		better := f.compareExpr(op, value{t: acc.argT, vc: ps("")}, value{t: acc.argT, vc: st("")}, acc.argT)
		// if ps.min2Seen && (!st.min2Seen || ps.min2 < st.min2) { st.min2, st.min2Seen = ps.min2, true }
		return []jen.Code{jen.If(ps("Seen").Op("&&").Parens(jen.Op("!").Add(st("Seen")).Op("||").Add(better))).Block(
			jen.List(st(""), st("Seen")).Op("=").List(ps(""), jen.True()),
		)}
	}
	return nil
}

// parallelDecls renders the methods of parallel execution: parallel (which sources the
// workers run), workerBatch (one batch in a worker), merge and one mergeN per aggregate.
// par[i]: source i may run in workers.
func (g *gen) parallelDecls(par []bool) []jen.Code {
	var out []jen.Code
	// func (p *program) parallel(source int) bool { switch source { case 0: return !p.serial0 }; return false }
	var cases []jen.Code
	for i, ok := range par {
		if ok {
			cases = append(cases, jen.Case(jen.Lit(i)).Block(jen.Return(jen.Op("!").Id("p").Dot(serialField(i)))))
		}
	}
	out = append(out,
		jen.Comment("parallel reports whether the workers run a source's next batch; the others run in").Line().
			Comment("the coordinator, in order. A source turns serial when its aggregate has so many").Line().
			Comment("groups that local-global aggregation does not pay.").Line().
			Func().Params(jen.Id("p").Op("*").Id("program")).Id("parallel").Params(jen.Id("source").Int()).Bool().Block(
			jen.Switch(jen.Id("source")).Block(cases...),
			jen.Return(jen.False()),
		),
		jen.Line(),
	)
	// full reports whether a worker's partial state outgrew partialLimit.
	var fullTerms []jen.Code
	for _, a := range g.aggList {
		if !a.updating { // an aggregate over an updating input has no partial state
			fullTerms = append(fullTerms, a.statesLen("wp").Op(">").Lit(partialLimit))
		}
	}
	var full jen.Code = jen.False()
	if len(fullTerms) > 0 {
		full = joinOp("||", fullTerms)
	}
	out = append(out,
		jen.Comment("workerBatch runs a batch in worker w, into the worker's partial aggregation state;").Line().
			Comment("it asks for a merge when that state holds too many groups.").Line().
			Func().Params(jen.Id("p").Op("*").Id("program")).Id("workerBatch").Params(
			jen.Id("w").Int(), jen.Id("seq").Uint64(), jen.Id("source").Int(), jen.Id("b").Op("*").Qual(pkgStream, "Batch")).Params(jen.Bool(), jen.Error()).Block(
			jen.Id("wp").Op(":=").Id("p").Dot("workers").Index(jen.Id("w")),
			jen.List(jen.Id("wp").Dot("seq"), jen.Id("wp").Dot("rows")).Op("=").List(jen.Id("seq"), jen.Id("wp").Dot("rows").Op("+").Len(jen.Id("b").Dot("Records"))),
			jen.Err().Op(":=").Id("wp").Dot("onBatch").Call(jen.Id("source"), jen.Id("b")),
			jen.Return(jen.Add(full), jen.Err()),
		),
		jen.Line(),
	)
	// func (p *program) merge() error { p.merge0(); for _, w := range p.workers { w.rows = 0 }; return nil }
	var body []jen.Code
	for _, a := range g.aggList {
		if g.mergeable(a) {
			body = append(body, jen.Id("p").Dot(a.mergeMethod()).Call())
		}
	}
	body = append(body,
		jen.For(jen.List(jen.Id("_"), jen.Id("w")).Op(":=").Range().Id("p").Dot("workers")).Block(jen.Id("w").Dot("rows").Op("=").Lit(0)),
		jen.Return(jen.Nil()))
	out = append(out,
		jen.Comment("merge folds every worker's partial aggregation state into p's, in batch order, and").Line().
			Comment("resets the partials. The job loop calls it while no batch is in flight.").Line().
			Func().Params(jen.Id("p").Op("*").Id("program")).Id("merge").Params().Error().Block(body...),
		jen.Line(),
	)
	for _, a := range g.aggList {
		if g.mergeable(a) {
			out = append(out, g.mergeDecl(a), jen.Line())
		}
	}
	return out
}

func serialField(src int) string { return fmt.Sprintf("serial%d", src) }

// mergeDecl renders mergeN: visit the workers' changed groups in batch order, find or
// add each in p's state, fold the accumulators, then reset the partials.
//
//	func (p *program) merge1() {
//		job.MergeOrder(len(p.workers), func(w int) []uint64 { return p.workers[w].agg1DirtySeq }, func(w, i int) {
//			wp := p.workers[w]
//			ps := wp.agg1States.At(wp.agg1Dirty[i])
//			idx, ok := p.agg1[ps.key.province]
//			if !ok { ... add ... }
//			st := p.agg1States.At(idx)
//			if !st.dirty { st.dirty = true; p.agg1Dirty = append(p.agg1Dirty, idx) }
//			st.count0 += ps.count0
//		})
//		for _, wp := range p.workers { ... reset ... }
//	}
func (g *gen) mergeDecl(a *aggInfo) jen.Code {
	ap := g.aggPar[a]
	if ap == nil {
		ap = &aggPar{}
	}
	p := func(f string) *jen.Statement { return jen.Id("p").Dot(f) }
	var find []jen.Code
	if a.single {
		k := a.keys[0]
		var null jen.Code
		if k.nullable {
			null = jen.Id("ps").Dot("key").Dot(k.name + "Null")
		}
		find = a.findGroup(true, jen.Id("ps").Dot("key").Dot(k.name), null, nil, jen.Id("ps").Dot("key"))
	} else {
		find = a.findGroup(false, jen.Id("ps").Dot("key"), nil, nil, jen.Id("ps").Dot("key"))
	}
	visit := []jen.Code{
		jen.Id("wp").Op(":=").Id("p").Dot("workers").Index(jen.Id("w")),
		jen.Id("ps").Op(":=").Add(a.stateAt("wp", jen.Id("wp").Dot(a.dirtyField()).Index(jen.Id("i")))),
	}
	visit = append(visit, find...)
	visit = append(visit,
		jen.Id("st").Op(":=").Add(a.stateAt("p", jen.Id("idx"))),
		jen.If(jen.Op("!").Id("st").Dot("dirty")).Block(
			jen.Id("st").Dot("dirty").Op("=").True(),
			p(a.dirtyField()).Op("=").Append(p(a.dirtyField()), jen.Id("idx")),
		),
	)
	for _, acc := range a.accs {
		visit = append(visit, jen.Comment(formatAggCall(acc.call, acc.inFields)))
		visit = append(visit, g.accMerge(acc)...)
	}
	// A worker's partial state: drop it when it holds more than partialLimit groups (and
	// turn the sources serial when most rows made a new group), else zero the changed
	// groups and keep their keys for the next batches. Only a source that may run in
	// workers has a serial flag: one whose batches always run in the coordinator (it
	// also feeds a sink or an aggregate that cannot merge) builds this aggregate there.
	par := g.parallelSources()
	var serial []jen.Code
	for _, s := range ap.srcs {
		if s < len(par) && par[s] {
			serial = append(serial, jen.Id("p").Dot(serialField(s)).Op("=").True())
		}
	}
	drop := []jen.Code{}
	if len(serial) > 0 {
		drop = append(drop, jen.If(jen.Lit(2).Op("*").Add(a.statesLen("wp")).Op(">").Id("wp").Dot("rows")).Block(serial...))
	}
	drop = append(drop,
		jen.Id("wp").Dot(a.mapField()).Dot("Reset").Call(),
		jen.Id("wp").Dot(a.statesField()).Dot("Reset").Call(),
	)
	if a.single && a.keys[0].nullable {
		drop = append(drop, jen.Id("wp").Dot(a.mapField()+"HasNull").Op("=").False())
	}
	reset := []jen.Code{
		jen.If(a.statesLen("wp").Op(">").Lit(partialLimit)).Block(drop...).Else().Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("idx")).Op(":=").Range().Id("wp").Dot(a.dirtyField())).Block(
				jen.Id("ps").Op(":=").Add(a.stateAt("wp", jen.Id("idx"))),
				jen.Op("*").Id("ps").Op("=").Id(a.stType).Values(jen.Id("key").Op(":").Id("ps").Dot("key")),
			),
		),
		jen.Id("wp").Dot(a.dirtyField()).Op("=").Id("wp").Dot(a.dirtyField()).Index(jen.Empty(), jen.Lit(0)),
		jen.Id("wp").Dot(a.dirtySeqField()).Op("=").Id("wp").Dot(a.dirtySeqField()).Index(jen.Empty(), jen.Lit(0)),
	}
	return jen.Comment(fmt.Sprintf("%s folds the workers' partial states of the aggregate of pipeline %d into p's, in the", a.mergeMethod(), a.id)).Line().
		Comment("order a single worker would have changed the groups, then resets the partials.").Line().
		Func().Params(jen.Id("p").Op("*").Id("program")).Id(a.mergeMethod()).Params().Block(
		jen.Qual(pkgJob, "MergeOrder").Call(
			jen.Len(jen.Id("p").Dot("workers")),
			jen.Func().Params(jen.Id("w").Int()).Index().Uint64().Block(jen.Return(jen.Id("p").Dot("workers").Index(jen.Id("w")).Dot(a.dirtySeqField()))),
			jen.Func().Params(jen.List(jen.Id("w"), jen.Id("i")).Int()).Block(visit...),
		),
		jen.For(jen.List(jen.Id("_"), jen.Id("wp")).Op(":=").Range().Id("p").Dot("workers")).Block(reset...),
	)
}
