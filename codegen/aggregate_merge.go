package codegen

import (
	"fmt"
	"regexp"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Local-global aggregation (Flink's two-phase aggregation, an optimization on top of
// the keyed stage): with more than one task, each task of the source stage updates a
// table of partial groups of its own and, at every barrier, sends the groups it changed
// to the tasks that own them (by key group), then resets its table; the owner merges
// them into its groups. With one task the exchange is chained: the source task updates
// the keyed task's own table, and nothing is sent.

// partialLimit is the number of partial groups above which a source task's table is
// dropped after it was sent (instead of keeping the keys for the next batches): the
// bound on a task's memory.
const partialLimit = 1 << 16

// partialEdge makes the source stage pre-aggregate the aggregate a (the stage being
// generated builds it from scans): a table field, the exchange of partial groups, the
// send at every barrier, and the keyed stage's merge.
func (g *gen) partialEdge(a *aggInfo) {
	src := g.cur
	a.built[src] = true
	tab := a.tableField()
	src.fields = append(src.fields,
		jen.Comment(fmt.Sprintf("%s holds the partial groups of the aggregate of pipeline %d since the last barrier (or,", tab, a.id)),
		jen.Comment("chained, the keyed task's own groups)."),
		jen.Id(tab).Op("*").Id(a.tableType()))
	e := g.connect(src, a.stage, a.stType, fmt.Sprintf("the partial groups of the aggregate of pipeline %d", a.id), fmt.Sprintf("merge%d", a.id))
	a.partials = e
	// Chained: p.agg0 = q.agg0; else p.agg0 = newAgg0Table(ctx.MaxParallelism(), 0, nil):
	// partial groups are no state of Flink's, they have no TTL.
	e.chain = []jen.Code{a.tab("p").Op("=").Add(a.tab("q"))}
	e.unchain = []jen.Code{a.tab("p").Op("=").Id(a.newTable()).Call(jen.Id("ctx").Dot("MaxParallelism").Call(), jen.Lit(0), jen.Nil())}
	// OnBarrier: if p.x1 != nil { p.send1() }
	send := fmt.Sprintf("send%d", a.id)
	src.barrier = append(src.barrier, jen.If(jen.Id("p").Dot(e.out).Op("!=").Nil()).Block(jen.Id("p").Dot(send).Call()))
	src.needsKeyBuf()
}

// finishPartials renders, once every pipeline building the aggregate was generated, the
// source stage's sendN and partialN and the keyed stage's mergeN.
func (g *gen) finishPartials(a *aggInfo) {
	e := a.partials
	if e == nil {
		return
	}
	e.from.methods = append(e.from.methods, g.sendDecl(a, e, fmt.Sprintf("send%d", a.id)), g.forwardCheckDecl(a))
	saved := g.cur
	g.cur = a.stage // a Go aggregate function's Merge calls the keyed task's instance
	a.stage.methods = append(a.stage.methods, g.mergeDecl(a, e))
	g.cur = saved
}

// appendKey renders kb = the canonical bytes of a group key, which decide its key group
// (runtimelib/keygroup), in the buffer recv.keyBuf; key(i) is key column i in its key
// representation (toKey) and its NULL flag (nil when the column is NOT NULL):
//
//	kb := keygroup.AppendNull(p.keyBuf[:0], provinceNull)
//	kb = keygroup.AppendString(kb, province)
//	p.keyBuf = kb
func (a *aggInfo) appendKey(recv string, key func(i int) (v, null jen.Code)) []jen.Code {
	var out []jen.Code
	buf := jen.Id(recv).Dot("keyBuf").Index(jen.Empty(), jen.Lit(0))
	app := func(fn string, v jen.Code) {
		op := "="
		if len(out) == 0 {
			op = ":="
		}
		out = append(out, jen.Id("kb").Op(op).Qual(pkgKeygroup, fn).Call(buf, v))
		buf = jen.Id("kb")
	}
	for i, kf := range a.keys {
		if a.node.Window != nil && i == len(a.keys)-1 {
			break // the slice end: every slice of a key is in the key's key group
		}
		v, null := key(i)
		if kf.nullable {
			app("AppendNull", null)
		}
		switch t := kf.t; {
		case t.Kind == ir.KindBoolean:
			app("AppendBool", v)
		case t.IsString(), t.IsBinary():
			app("AppendString", v) // a BINARY key is kept as a string
		case t.Kind == ir.KindDecimal:
			app("AppendDecimal", v)
		case t.Kind == ir.KindTimestamp || t.Kind == ir.KindTimestampLTZ:
			app("AppendTimestamp", v)
		default:
			// Integers, DATE, TIME, intervals, and FLOAT/DOUBLE keys (their bits).
			app("AppendInt64", jen.Int64().Call(v))
		}
	}
	if len(out) == 0 { // GROUP BY nothing: one group, one key group
		out = append(out, jen.Id("kb").Op(":=").Add(buf))
	}
	return append(out, jen.Id(recv).Dot("keyBuf").Op("=").Id("kb"))
}

// keyFields is appendKey's key for an aggNKey value k.
func (a *aggInfo) keyFields(k jen.Code) func(i int) (jen.Code, jen.Code) {
	return func(i int) (jen.Code, jen.Code) {
		kf := a.keys[i]
		if !kf.nullable {
			return jen.Add(k).Dot(kf.name), nil
		}
		return jen.Add(k).Dot(kf.name), jen.Add(k).Dot(kf.name + "Null")
	}
}

// sendDecl renders sendN: at a barrier, a source task sends each partial group it
// changed to the task that owns its key group (recorded when the group was added),
// then resets its table.
//
//	func (p *stage0) send0() {
//		for _, idx := range p.agg0.Dirty() {
//			*p.x1.Row(p.x1.GroupTask(p.agg0.Group(idx))) = *p.agg0.At(idx)
//		}
//		if p.agg0.reset() {
//			p.rows0 = 0 // the table starts afresh: so does the count of its rows
//		}
//	}
func (g *gen) sendDecl(a *aggInfo, e *edge, name string) jen.Code {
	out := jen.Id("p").Dot(e.out)
	body := jen.Op("*").Add(out).Dot("Row").Call(jen.Add(out).Dot("GroupTask").Call(a.tab("p").Dot("Group").Call(jen.Id("idx")))).Op("=").Op("*").Add(a.stateAt("p", jen.Id("idx")))
	return jen.Comment(fmt.Sprintf("%s sends the partial groups of the aggregate of pipeline %d changed since the last", name, a.id)).Line().
		Comment("barrier to the tasks that own their key groups, then resets the table.").Line().
		Func().Params(jen.Id("p").Op("*").Id(e.from.typ)).Id(name).Params().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("idx")).Op(":=").Range().Add(a.dirtyGroups("p"))).Block(body),
		jen.If(a.tab("p").Dot("reset").Call()).Block(
			jen.Id("p").Dot(fmt.Sprintf("rows%d", a.id)).Op("=").Lit(0).Comment("the table starts afresh: so does the count of its rows")),
	)
}

// accMerge returns the statements that fold the accumulator of the partial group ps into
// the keyed task's group st (only an append-only input has partial groups):
//
//	st.count0.Merge(ps.count0)
//	st.sum1.Merge(ps.sum1, ps.sum1Seen, &st.sum1Seen)
func (g *gen) accMerge(acc *accInfo) []jen.Code {
	if acc.kind == "udaf" {
		return g.udafMerge(acc) // Go aggregate functions with a Merge method: udaf.go
	}
	typ, seen := accType(acc)
	if typ == nil || acc.shared != nil && acc.shared.owner != acc {
		return nil // a call of a shared distinct set: its owner merges the set
	}
	args := []jen.Code{jen.Id("ps").Dot(acc.field)}
	if seen {
		args = append(args, jen.Id("ps").Dot(acc.field+"Seen"), jen.Op("&").Id("st").Dot(acc.field+"Seen"))
	}
	return []jen.Code{jen.Id("st").Dot(acc.field).Dot("Merge").Call(args...)}
}

// mergeDecl renders mergeN, the keyed task's callback for a batch of partial groups:
// find or add each group, mark it changed, fold the accumulators.
//
//	func (p *stage1) merge0(rows []agg0State) error {
//		p.agg0.Tick() // the processing time of the batch, for state TTL
//		for i := range rows {
//			ps := &rows[i]
//			... find or add ps.key in p.agg0, st := its state, marked dirty ...
//			st.count0.Merge(ps.count0)
//		}
//		return nil
//	}
func (g *gen) mergeDecl(a *aggInfo, e *edge) jen.Code {
	var find []jen.Code
	if a.single {
		k := jen.Id("ps").Dot("key")
		find = a.findGroup(a.singleKey(jen.Id("ps").Dot("key").Dot(a.keys[0].name), k), nil, k)
	} else {
		find = a.findGroup(structKey(jen.Id("ps").Dot("key")), nil, jen.Id("ps").Dot("key"))
	}
	if !aggMergeable(a.node) {
		// Its source tasks forward rows from the start (rawEdge): no partial group comes.
		return jen.Comment(fmt.Sprintf("%s is never sent partial groups: the aggregate of pipeline %d cannot merge them.", e.onRows, a.id)).Line().
			Func().Params(jen.Id("p").Op("*").Id(e.to.typ)).Id(e.onRows).Params(jen.Id("rows").Index().Id(a.stType)).Error().Block(
			jen.Return(jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("internal error: partial groups of the aggregate of pipeline %d, which cannot merge", a.id)))))
	}
	visit := append([]jen.Code{jen.Id("ps").Op(":=").Op("&").Id("rows").Index(jen.Id("i"))}, find...)
	visit = append(visit, a.markDirty("p")...)
	for _, acc := range a.accs {
		visit = append(visit, jen.Comment(formatAggCall(acc.call, acc.inFields)))
		visit = append(visit, g.accMerge(acc)...)
	}
	return jen.Comment(fmt.Sprintf("%s folds a batch of partial groups of the aggregate of pipeline %d into the groups", e.onRows, a.id)).Line().
		Comment("this task owns.").Line().
		Func().Params(jen.Id("p").Op("*").Id(e.to.typ)).Id(e.onRows).Params(jen.Id("rows").Index().Id(a.stType)).Error().Block(
		a.tab("p").Dot("Tick").Call(),
		jen.For(jen.Id("i").Op(":=").Range().Id("rows")).Block(visit...),
		jen.Return(jen.Nil()),
	)
}

// When pre-aggregation does not pay (most rows make a group of their own: a GROUP BY
// over a million keys) or cannot work (an accumulator that cannot merge), a source task
// forwards each row the aggregate reads to the task owning its group instead, which
// updates the group itself (the raw edge, aggNIn rows). A source task switches for
// good after its partial table outgrew partialLimit with fewer than two rows per group
// (forwardCheckDecl).

// aggInputColumns are the columns of the aggregate's input that it reads: the group
// columns and those its aggregate calls and FILTERs read, in input order.
func aggInputColumns(agg *ir.Aggregate) []int {
	used := map[int]bool{}
	for _, gi := range agg.GroupBy {
		used[gi] = true
	}
	for _, ac := range agg.Aggs {
		for _, e := range append(ac.Operands(), ac.Filter) {
			ir.WalkExpr(e, func(x ir.Expr) {
				if r, ok := x.(*ir.InputRef); ok {
					used[r.Index] = true
				}
			})
		}
	}
	var out []int
	for i := range agg.Input.Schema() {
		if used[i] {
			out = append(out, i)
		}
	}
	return out
}

// rawEdge adds the exchange of the rows an aggregate built from scans reads, and its
// keyed stage's callback that updates the groups with them.
func (g *gen) rawEdge(a *aggInfo, pl *ir.Pipeline) {
	src := g.cur
	in := a.node.Input.Schema()
	a.inType = fmt.Sprintf("agg%dIn", a.id)
	names := newNamer(nil)
	names.used["pos"] = true
	fields := []jen.Code{jen.Id("pos").Qual(pkgStream, "RecordPos").Comment("where the row came from, for errors")}
	for _, c := range aggInputColumns(a.node) {
		t := in[c].Type
		gt, _ := goType(t)
		name := names.fresh(in[c].Name)
		a.inCols = append(a.inCols, aggField{name: name, t: t, nullable: t.Nullable})
		a.inIdx = append(a.inIdx, c)
		fields = append(fields, jen.Id(name).Add(gt))
		if t.Nullable {
			fields = append(fields, jen.Id(name+"Null").Bool())
		}
	}
	g.types = append(g.types, jen.Comment(fmt.Sprintf("%s is a row the aggregate of pipeline %d reads, forwarded to the task owning its group.", a.inType, a.id)).Line().
		Type().Id(a.inType).Struct(fields...))
	e := g.connect(src, a.stage, a.inType, fmt.Sprintf("the rows of the aggregate of pipeline %d", a.id), fmt.Sprintf("rows%d", a.id))
	a.raw = e
	fwd := fmt.Sprintf("fwd%d", a.id)
	src.fields = append(src.fields, jen.Comment(fmt.Sprintf("%s: this task forwards the aggregate's rows instead of pre-aggregating them; rows%d counts the rows the partial table has seen since it was last dropped.", fwd, a.id)),
		jen.Id(fwd).Bool(), jen.Id(fmt.Sprintf("rows%d", a.id)).Int())
	// p.fwd0 = ctx.AggPhaseStrategy() == "ONE_PHASE" (always, when partial groups cannot merge)
	var phase jen.Code = jen.Id("ctx").Dot("AggPhaseStrategy").Call().Op("==").Lit("ONE_PHASE")
	if !aggMergeable(a.node) {
		phase = jen.True()
	}
	e.unchain = []jen.Code{jen.Id("p").Dot(fwd).Op("=").Add(phase)}
	src.once("twoPhase", "twoPhase: table.optimizer.agg-phase-strategy is TWO_PHASE, pre-aggregate whatever the groups.", jen.Bool(),
		jen.Id("p").Dot("twoPhase").Op("=").Id("ctx").Dot("AggPhaseStrategy").Call().Op("==").Lit("TWO_PHASE"))

	// func (p *stage1) rows0(rows []agg0In) error { for i := range rows { r := &rows[i]; ... update ... } }
	saved := g.cur
	g.cur = a.stage
	f := g.newFn(func() jen.Code { return jen.Id("r").Dot("pos").Dot("String").Call() })
	f.names.used["rows"] = true
	f.names.used["r"] = true
	f.names.used["i"] = true
	row := make([]value, len(in))
	for i, c := range in {
		row[i] = nullValue(c.Type)
	}
	for i, c := range a.inIdx {
		rf := a.inCols[i]
		v := value{t: rf.t, vc: jen.Id("r").Dot(rf.name)}
		if rf.nullable {
			v.nc = jen.Id("r").Dot(rf.name + "Null")
		}
		row[c] = v
	}
	body := f.nest(func() { g.aggUpdate(f, pl, a.node, row, nil) })
	// r := &rows[i], unless nothing reads it (COUNT of a NOT NULL column).
	reads := readsRow.MatchString(fmt.Sprintf("%#v", jen.Block(body...)))
	if reads {
		body = append([]jen.Code{jen.Id("r").Op(":=").Op("&").Id("rows").Index(jen.Id("i"))}, body...)
	}
	f.emit(a.tab("p").Dot("Tick").Call()) // the processing time of the batch, for state TTL
	switch {
	case f.usesSite:
		// i lives outside the loop so that a recovered panic of a function can name the row.
		f.emit(jen.For(jen.Empty(), jen.Id("i").Op("<").Len(jen.Id("rows")), jen.Id("i").Op("++")).Block(body...))
	case reads:
		f.emit(jen.For(jen.Id("i").Op(":=").Range().Id("rows")).Block(body...))
	default:
		f.emit(jen.For(jen.Range().Id("rows")).Block(body...))
	}
	f.emit(jen.Return(jen.Nil()))
	g.addMethod(f, []*ir.Pipeline{pl}, e.onRows, []jen.Code{jen.Id("rows").Index().Id(a.inType)}, f.body(), loopRows)
	g.cur = saved
}

// readsRow finds a read of a field of r in rendered code.
var readsRow = regexp.MustCompile(`\br\.`)

// aggForward emits the forwarding of the current row to the task owning its group:
//
//	kb := keygroup.AppendString(p.keyBuf[:0], province)
//	p.keyBuf = kb
//	t := p.x2.KeyTask(kb)
//	fr := p.x2.Row(t)
//	fr.pos = b.Pos(r)
//	fr.province = p.x2.String(t, province)
//	fr.provinceNull = provinceNull
func (g *gen) aggForward(f *fn, a *aggInfo, row []value) {
	in := a.node.Input.Schema()
	positions := make([]int, len(a.node.GroupBy))
	for i := range positions {
		positions[i] = i
	}
	if w := a.node.Window; w != nil {
		positions = w.KeyPositions(a.node.GroupBy)
	}
	key := func(i int) (jen.Code, jen.Code) {
		gi := a.node.GroupBy[positions[i]]
		kt := in[gi].Type
		v := f.convert(row[gi], kt, a.node.Pos)
		if v.always {
			return toKey(kt, zero(kt)), jen.True()
		}
		if !kt.Nullable {
			return toKey(kt, v.V()), nil
		}
		if n := v.N(); n != nil {
			return toKey(kt, v.V()), n
		}
		return toKey(kt, v.V()), jen.False()
	}
	out := jen.Id("p").Dot(a.raw.out)
	f.emit(a.appendKey("p", key)...)
	f.emit(jen.Id("t").Op(":=").Add(out).Dot("KeyTask").Call(jen.Id("kb")),
		jen.Id("fr").Op(":=").Add(out).Dot("Row").Call(jen.Id("t")),
		jen.Id("fr").Dot("pos").Op("=").Id("b").Dot("Pos").Call(jen.Id("r")))
	for i, c := range a.inIdx {
		rf := a.inCols[i]
		v := f.convert(row[c], rf.t, a.node.Pos)
		if v.always {
			f.emit(jen.Id("fr").Dot(rf.name + "Null").Op("=").True())
			continue
		}
		val := v.V()
		switch {
		case rf.t.IsString():
			val = jen.Add(out).Dot("String").Call(jen.Id("t"), val) // rows alias the batch
		case rf.t.IsBinary():
			val = jen.Add(out).Dot("Bytes").Call(jen.Id("t"), val)
		}
		f.emit(jen.Id("fr").Dot(rf.name).Op("=").Add(val))
		if !rf.nullable {
			continue
		}
		if n := v.N(); n != nil {
			f.emit(jen.Id("fr").Dot(rf.name + "Null").Op("=").Add(n))
		}
	}
}

// forwardCheckDecl renders partialN, which a source task calls after each batch that
// built the aggregate: when its partial table outgrew partialLimit it sends the groups
// at once, and when the batches since the last send made more than a group per two
// rows it forwards rows from then on.
//
//	func (p *stage0) partial0(rows int) {
//		if p.x1 == nil || p.fwd0 { return }
//		p.rows0 += rows
//		if p.agg0.Len() > 65536 {
//			p.fwd0 = !p.twoPhase && 2*p.agg0.Len() > p.rows0
//			p.send0() // drops the table and zeroes p.rows0
//		}
//	}
func (g *gen) forwardCheckDecl(a *aggInfo) jen.Code {
	fwd, rows := jen.Id("p").Dot(fmt.Sprintf("fwd%d", a.id)), jen.Id("p").Dot(fmt.Sprintf("rows%d", a.id))
	n := a.statesLen("p")
	return jen.Comment(fmt.Sprintf("partial%d sends the partial groups of the aggregate of pipeline %d early when the table", a.id, a.id)).Line().
		Comment("outgrew its bound, and forwards rows from then on when most rows made a group of their own.").Line().
		Func().Params(jen.Id("p").Op("*").Id(a.partials.from.typ)).Id(fmt.Sprintf("partial%d", a.id)).Params(jen.Id("rows").Int()).Block(
		jen.If(jen.Id("p").Dot(a.partials.out).Op("==").Nil().Op("||").Add(fwd)).Block(jen.Return()),
		jen.Add(rows).Op("+=").Id("rows"),
		jen.If(jen.Add(n).Op(">").Lit(partialLimit)).Block(
			jen.Add(fwd).Op("=").Op("!").Id("p").Dot("twoPhase").Op("&&").Lit(2).Op("*").Add(n).Op(">").Add(rows),
			jen.Id("p").Dot(fmt.Sprintf("send%d", a.id)).Call(), // drops the table
		),
	)
}

// aggMergeable reports whether every aggregate call's accumulator can merge partial
// groups: the built-in ones can, a Go aggregate function with a Merge method can.
//
// A window aggregate's source tasks always forward rows: partial slices sent at a
// barrier could reach their owner after the watermark fired their window.
func aggMergeable(agg *ir.Aggregate) bool {
	if agg.Window != nil {
		return false
	}
	for _, ac := range agg.Aggs {
		if ac.Fn != nil && (ac.Fn.Agg == nil || !ac.Fn.Agg.HasMerge) {
			return false
		}
	}
	return true
}
