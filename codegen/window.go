package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Window aggregates (ir.Window on an Aggregate) reuse the aggregate's generated state,
// keyed by its keys plus the end of the slice a row falls in (runtimelib/window: a HOP
// of size 10 and slide 2 updates one 2-second slice per row, not five windows). What
// differs from a GROUP BY:
//
//   - a row whose last window already fired (the slice's LastWindowEnd is at or below
//     the keyed task's watermark) is late: dropped and counted in
//     "window_aggN.numLateRecordsDropped";
//   - a key's first row in a slice registers an event-time timer for the key (the slice
//     end cleared) at the slice's first window end, in the keyed task's timer service;
//   - nothing is emitted at barriers: when the watermark reaches a window's end, fireN
//     merges the key's slices of the window into one state, emits the row (+I, once),
//     frees the slices whose last window this was and registers the key's next window;
//   - the source tasks forward rows to the owners of their keys (no local pre-aggregation:
//     partial slices sent at a barrier could arrive after their window fired);
//   - a snapshot keeps the slices and the watermark they were fired up to; a restore
//     registers each restored slice's next window after it.
//
//	var win1 = window.NewHop(2000, 10000, 0)
//	func (p *stage1) fire1(k agg1Key, end int64) error {
//		start := win1.WindowStart(end)
//		var merged agg1State
//		st := &merged
//		... for each slice of the window: find it, merge it, free it after its last window ...
//		... the row: keys, window_start, window_end, aggregates; +I to the sink ...
//	}

// session reports whether the aggregate's windows are sessions: state per key and
// session (the key's slice field is 0, sessions are listed per key), merged as rows
// come, fired at their end.
func (a *aggInfo) session() bool {
	return a.node.Window != nil && a.node.Window.Kind == ir.WindowSession
}

// winVar is the package variable of the aggregate's window assigner.
func (a *aggInfo) winVar() string { return fmt.Sprintf("win%d", a.id) }

// sliceKey is the name of the key field holding the slice end.
const sliceKey = "sliceEnd"

// windowDecl declares the assigner: var win1 = window.NewHop(slide, size, offset).
func (g *gen) windowDecl(a *aggInfo) {
	w := a.node.Window
	var call jen.Code
	switch w.Kind {
	case ir.WindowSession:
		// no assigner: sessions are kept per key (session, tableDecls)
	case ir.WindowTumble:
		call = jen.Qual(pkgWindow, "NewTumble").Call(jen.Lit(w.Size), jen.Lit(w.Offset))
	case ir.WindowHop:
		call = jen.Qual(pkgWindow, "NewHop").Call(jen.Lit(w.Slide), jen.Lit(w.Size), jen.Lit(w.Offset))
	default:
		call = jen.Qual(pkgWindow, "NewCumulate").Call(jen.Lit(w.Slide), jen.Lit(w.Size), jen.Lit(w.Offset))
	}
	if call != nil {
		g.types = append(g.types, jen.Comment(fmt.Sprintf("%s assigns the rows of the window aggregate of pipeline %d to slices and windows.", a.winVar(), a.id)).Line().
			Var().Id(a.winVar()).Op("=").Add(call))
	}
	// The keyed stage's tasks: the timer service and the late rows' counter, set once
	// the task is known.
	a.stage.needsTask()
	var onEvent, onProc jen.Code = jen.Id("p").Dot(a.fireMethod()), jen.Nil()
	if w.Proctime {
		onEvent, onProc = onProc, onEvent
		// At the end of a bounded input (the final watermark) the processing-time
		// windows fire too, so that every row is counted.
		a.stage.watermark = append(a.stage.watermark, jen.If(jen.Id("t").Op("==").Qual("math", "MaxInt64")).Block(
			jen.If(jen.Err().Op(":=").Add(a.tab("p")).Dot("timers").Dot("FireProcessingTimeTimers").Call(jen.Id("t")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))))
	}
	a.stage.afterTask = append(a.stage.afterTask,
		a.tab("p").Dot("timers").Op("=").Qual(pkgExec, "NewTimers").Types(jen.Id(a.keyType)).Call(jen.Id("p").Dot("task"), onEvent, onProc),
		a.tab("p").Dot("late").Op("=").Id("ctx").Dot("Counter").Call(jen.Lit(fmt.Sprintf("window_agg%d.numLateRecordsDropped", a.id))),
	)
	if a.session() {
		a.stage.afterTask = append(a.stage.afterTask, a.tab("p").Dot("sessions").Op("=").Map(jen.Id(a.keyType)).Index().Int32().Values())
	}
}

func (a *aggInfo) fireMethod() string { return fmt.Sprintf("fire%d", a.id) }

// windowTableFields are the window aggregate's fields of its table type.
func (a *aggInfo) windowTableFields() []jen.Code {
	if a.node.Window == nil {
		return nil
	}
	out := []jen.Code{
		jen.Id("timers").Op("*").Qual(pkgExec, "Timers").Types(jen.Id(a.keyType)).Comment("the keyed task's: a key's next window end, the slice end cleared"),
		jen.Id("late").Op("*").Qual(pkgJob, "Counter").Comment("rows dropped because their last window had fired"),
	}
	if a.session() {
		out = append(out, jen.Id("sessions").Map(jen.Id(a.keyType)).Index().Int32().Comment("the open sessions of each key"))
	}
	return out
}

// sliceValue emits sliceEnd := winN.SliceEnd(ts.Millis) for the row's time column.
func (g *gen) sliceValue(f *fn, a *aggInfo, row []value) value {
	w := a.node.Window
	tv := row[a.node.GroupBy[w.TimePos()]]
	if a.session() {
		return value{t: ir.BigInt().NotNull(), vl: f.define(sliceKey, jen.Add(tv.V()).Dot("Millis"))}
	}
	se := f.define(sliceKey, jen.Id(a.winVar()).Dot("SliceEnd").Call(jen.Add(tv.V()).Dot("Millis")))
	return value{t: ir.BigInt().NotNull(), vl: se}
}

// lateCheck is the condition of a late row: its slice's last window has fired.
func (a *aggInfo) lateCheck(slice jen.Code) jen.Code {
	if a.node.Window.Proctime {
		return nil // processing time: no row is late
	}
	if a.session() {
		// a row whose own session [t, t+gap) ended at the watermark
		return jen.Add(slice).Op("+").Lit(a.node.Window.Size).Op("<=").Add(a.tab("p")).Dot("timers").Dot("CurrentWatermark").Call()
	}
	return jen.Id(a.winVar()).Dot("LastWindowEnd").Call(slice).Op("<=").Add(a.tab("p")).Dot("timers").Dot("CurrentWatermark").Call()
}

// registerTimer renders the registration of key k's timer at its slice's first window.
//
//	tk := k
//	tk.sliceEnd = 0
//	p.agg0.timers.RegisterEventTimeTimer(tk, win0.FirstWindowEnd(k.sliceEnd))
func (a *aggInfo) registerTimer(k jen.Code, at func(slice jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		jen.Id("tk").Op(":=").Add(k),
		jen.Id("tk").Dot(sliceKey).Op("=").Lit(0),
		a.tab("p").Dot("timers").Dot(a.registerMethod()).Call(jen.Id("tk"), at(jen.Add(k).Dot(sliceKey))),
	}
}

// registerMethod is the timer service's method for the aggregate's windows.
func (a *aggInfo) registerMethod() string {
	if a.node.Window.Proctime {
		return "RegisterProcessingTimeTimer"
	}
	return "RegisterEventTimeTimer"
}

// clockNow is what a snapshot records as fired up to: the watermark, or for
// processing-time windows the processing time.
func (a *aggInfo) clockNow() jen.Code {
	if a.node.Window.Proctime {
		return a.tab("p").Dot("timers").Dot("CurrentProcessingTime").Call()
	}
	return a.tab("p").Dot("timers").Dot("CurrentWatermark").Call()
}

// firePrologue renders the start of fireN: the merged state of key k's slices of the
// window ending at end, the slices freed after their last window, the key's next
// window registered; a key without a slice in the window emits nothing.
func (g *gen) firePrologue(a *aggInfo) []jen.Code {
	win := jen.Id(a.winVar())
	find := []jen.Code{
		jen.Id("h").Op(":=").Add(keyHash(ir.Type{}, jen.Id("k"))),
		jen.List(jen.Id("idx"), jen.Id("pos")).Op(":=").Add(a.tab("p")).Dot("Lookup").Call(jen.Id("h")),
		jen.For(jen.Id("idx").Op(">=").Lit(0).Op("&&").Add(a.stateAt("p", jen.Id("idx"))).Dot("key").Op("!=").Id("k")).Block(
			jen.List(jen.Id("idx"), jen.Id("pos")).Op("=").Add(a.tab("p")).Dot("Next").Call(jen.Id("h"), jen.Id("pos")),
		),
		jen.If(jen.Id("idx").Op("<").Lit(0)).Block(jen.Continue()),
		jen.Id("ps").Op(":=").Add(a.stateAt("p", jen.Id("idx"))),
		jen.Id("found").Op("=").True(),
	}
	for _, acc := range a.accs {
		find = append(find, g.accMerge(acc)...)
	}
	find = append(find,
		jen.If(win.Clone().Dot("LastWindowEnd").Call(jen.Id("s")).Op("<=").Id("end")).Block(
			a.tab("p").Dot("Remove").Call(jen.Id("idx")),
		).Else().Block(jen.Id("more").Op("=").True()),
	)
	return []jen.Code{
		jen.Id("start").Op(":=").Add(win.Clone()).Dot("WindowStart").Call(jen.Id("end")),
		jen.Var().Id("merged").Id(a.stType),
		jen.Id("st").Op(":=").Op("&").Id("merged"),
		jen.List(jen.Id("found"), jen.Id("more")).Op(":=").List(jen.False(), jen.False()),
		jen.For(jen.Id("s").Op(":=").Id("start").Op("+").Add(win.Clone()).Dot("Slice").Call(), jen.Id("s").Op("<=").Id("end"), jen.Id("s").Op("+=").Add(win.Clone()).Dot("Slice").Call()).Block(
			append([]jen.Code{jen.Id("k").Dot(sliceKey).Op("=").Id("s")}, find...)...),
		jen.Id("k").Dot(sliceKey).Op("=").Lit(0),
		jen.If(jen.Id("more")).Block(a.tab("p").Dot("timers").Dot(a.registerMethod()).Call(jen.Id("k"), win.Clone().Dot("NextWindowEnd").Call(jen.Id("end")))),
		jen.If(jen.Op("!").Id("found")).Block(jen.Return(jen.Nil())),
		jen.Id("st").Dot("key").Op("=").Id("k"),
		jen.Id("st").Dot("key").Dot(sliceKey).Op("=").Id("end").Comment("names the window in errors"),
	}
}

// windowRow is the window aggregate's output row: per group position a key column or
// window_start, window_end, window_time (from start and end), then the aggregates.
func (g *gen) windowRow(f *fn, a *aggInfo) []value {
	w := a.node.Window
	in := a.node.Input.Schema()
	var row []value
	ki := 0
	for i, gi := range a.node.GroupBy {
		if !w.IsProperty(i) {
			k := a.keys[ki]
			ki++
			v := value{t: k.t}
			v.vl = f.define(k.name, fromKey(k.t, jen.Id("st").Dot("key").Dot(k.name)))
			if k.nullable {
				v.nl = f.defineNull(v.vl, jen.Id("st").Dot("key").Dot(k.name+"Null"))
			}
			row = append(row, v)
			continue
		}
		var ms jen.Code = jen.Id("end")
		switch i {
		case w.Start:
			ms = jen.Id("start")
		case w.Time:
			ms = jen.Id("end").Op("-").Lit(1)
		}
		t := a.node.Schema()[i].Type
		_ = in[gi]
		row = append(row, value{t: t, vl: f.define(a.node.Names[i], jen.Qual(pkgTypes, "Timestamp").Values(jen.Id("Millis").Op(":").Add(ms)))})
	}
	return row
}

// snapshotWatermark writes, before a window aggregate's slices, the watermark its
// windows fired up to: w.Int64(p.agg0.timers.CurrentWatermark()).
func (a *aggInfo) snapshotWatermark() []jen.Code {
	if a.node.Window == nil {
		return nil
	}
	return []jen.Code{jen.Id("w").Dot("Int64").Call(a.clockNow())}
}

// restoreWatermark reads it back, and notes where the snapshot's slices will start in
// the table (a restore appends them).
func (a *aggInfo) restoreWatermark() []jen.Code {
	if a.node.Window == nil {
		return nil
	}
	wm := jen.Id("wm").Op(":=").Id("r").Dot("Int64").Call()
	if a.session() {
		wm = jen.Id("r").Dot("Int64").Call().Comment("the watermark: an open session has not fired")
	}
	return []jen.Code{
		wm,
		jen.Id("before").Op(":=").Int32().Call(a.tab("p").Dot("Len").Call()),
	}
}

// restoreTimers registers the next window of each slice the snapshot held, the first
// one ending after the snapshot's watermark (earlier ones fired before it was taken):
//
//	for idx, st := range p.agg0.All() {
//		if idx < before { continue }
//		if e, ok := win0.NextFire(st.key.sliceEnd, wm); ok { ... register ... }
//	}
func (a *aggInfo) restoreTimers() []jen.Code {
	if a.node.Window == nil {
		return nil
	}
	if a.session() {
		return a.sessionRestore()
	}
	k := jen.Id("st").Dot("key")
	return []jen.Code{
		jen.Comment("Each restored slice's next window: the first one ending after the snapshot's watermark."),
		jen.For(jen.List(jen.Id("idx"), jen.Id("st")).Op(":=").Range().Add(a.tab("p")).Dot("All").Call()).Block(
			jen.If(jen.Id("idx").Op("<").Id("before")).Block(jen.Continue().Comment("another snapshot's")),
			jen.If(jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Id(a.winVar()).Dot("NextFire").Call(k.Clone().Dot(sliceKey), jen.Id("wm")), jen.Id("ok")).Block(
				a.registerTimer(k, func(jen.Code) jen.Code { return jen.Id("e") })...),
		),
	}
}

// sessionDecl renders the table's session method: the state of the row's session of
// key k at time ts. The key's open sessions that [ts, ts+gap) intersects are merged
// into the first of them (accumulators merged, the others removed), which covers them
// all and the row; without one a new session starts. A timer at the session's end
// fires it (an earlier timer of a session extended since finds it not ended).
func (g *gen) sessionDecl(a *aggInfo) jen.Code {
	gap := a.node.Window.Size
	t := jen.Id("t")
	merge := []jen.Code{
		jen.Id("ps").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("idx")),
		jen.If(jen.Id("found").Op("<").Lit(0)).Block(
			jen.Id("found").Op("=").Id("idx"),
			jen.Id("i").Op("++"),
			jen.Continue(),
		),
		jen.Id("st").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("found")),
	}
	for _, acc := range a.accs {
		merge = append(merge, g.accMerge(acc)...)
	}
	merge = append(merge,
		jen.Id("st").Dot("sessStart").Op("=").Min(jen.Id("st").Dot("sessStart"), jen.Id("ps").Dot("sessStart")),
		jen.Id("st").Dot("sessEnd").Op("=").Max(jen.Id("st").Dot("sessEnd"), jen.Id("ps").Dot("sessEnd")),
		t.Clone().Dot("Remove").Call(jen.Id("idx")),
		jen.Id("list").Op("=").Append(jen.Id("list").Index(jen.Empty(), jen.Id("i")), jen.Id("list").Index(jen.Id("i").Op("+").Lit(1), jen.Empty()).Op("...")),
	)
	var clones []jen.Code
	for _, k := range a.keys {
		if k.t.IsString() {
			clones = append(clones, jen.Id("nk").Dot(k.name).Op("=").Qual("strings", "Clone").Call(jen.Id("nk").Dot(k.name)))
		}
	}
	create := append([]jen.Code{jen.Id("nk").Op(":=").Id("k"), jen.Id("nk").Dot(sliceKey).Op("=").Id("ts").Comment("a session's id: its first row's time")}, clones...)
	create = append(create,
		jen.Id("found").Op("=").Add(t.Clone()).Dot("Insert").Call(
			keyHash(ir.Type{}, jen.Id("nk")), t.Clone().Dot("group").Call(jen.Op("&").Id("nk")),
			jen.Id(a.stType).Values(jen.Dict{jen.Id("key"): jen.Id("nk"), jen.Id("sessStart"): jen.Id("ts"), jen.Id("sessEnd"): jen.Id("ts").Op("+").Lit(gap)})),
		jen.Id("list").Op("=").Append(jen.Id("list"), jen.Id("found")),
	)
	return jen.Comment(fmt.Sprintf("session returns the state of the session of key k (its slice field 0) that holds a row at ts:")).Line().
		Comment(fmt.Sprintf("SESSION windows with a gap of %d ms, merged as rows bridge them.", gap)).Line().
		Func().Params(jen.Id("t").Op("*").Id(a.tableType())).Id("session").Params(jen.Id("k").Id(a.keyType), jen.Id("ts").Int64()).Int32().Block(
		jen.List(jen.Id("start"), jen.Id("end")).Op(":=").List(jen.Id("ts"), jen.Id("ts").Op("+").Lit(gap)),
		jen.Id("list").Op(":=").Add(t.Clone()).Dot("sessions").Index(jen.Id("k")),
		jen.Id("found").Op(":=").Int32().Call(jen.Lit(-1)),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Len(jen.Id("list")), jen.Empty()).Block(
			append([]jen.Code{
				jen.Id("idx").Op(":=").Id("list").Index(jen.Id("i")),
				jen.Id("s").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("idx")),
				jen.If(jen.Id("s").Dot("sessStart").Op(">").Id("end").Op("||").Id("s").Dot("sessEnd").Op("<").Id("start")).Block(
					jen.Id("i").Op("++"), jen.Continue().Comment("apart"),
				),
				jen.List(jen.Id("start"), jen.Id("end")).Op("=").List(jen.Min(jen.Id("start"), jen.Id("s").Dot("sessStart")), jen.Max(jen.Id("end"), jen.Id("s").Dot("sessEnd"))),
			}, merge...)...),
		jen.If(jen.Id("found").Op("<").Lit(0)).Block(create...),
		jen.Id("st").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("found")),
		jen.List(jen.Id("st").Dot("sessStart"), jen.Id("st").Dot("sessEnd")).Op("=").List(jen.Id("start"), jen.Id("end")),
		t.Clone().Dot("sessions").Index(jen.Id("k")).Op("=").Id("list"),
		t.Clone().Dot("timers").Dot("RegisterEventTimeTimer").Call(jen.Id("k"), jen.Id("end")),
		jen.Return(jen.Id("found")),
	)
}

// sessionFire renders fireN of a session aggregate: every open session of key k that
// ended by the timer's time is emitted (emitN) and removed.
func (g *gen) sessionFire(a *aggInfo, emit string) []jen.Code {
	tab := a.tab("p")
	return []jen.Code{
		jen.Id("list").Op(":=").Add(tab.Clone()).Dot("sessions").Index(jen.Id("k")),
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Len(jen.Id("list")), jen.Empty()).Block(
			jen.Id("idx").Op(":=").Id("list").Index(jen.Id("i")),
			jen.Id("st").Op(":=").Add(tab.Clone()).Dot("At").Call(jen.Id("idx")),
			jen.If(jen.Id("st").Dot("sessEnd").Op(">").Id("end")).Block(jen.Id("i").Op("++"), jen.Continue().Comment("extended since the timer was set")),
			jen.If(jen.Err().Op(":=").Id("p").Dot(emit).Call(jen.Id("st"), jen.Id("st").Dot("sessStart"), jen.Id("st").Dot("sessEnd")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			tab.Clone().Dot("Remove").Call(jen.Id("idx")),
			jen.Id("list").Op("=").Append(jen.Id("list").Index(jen.Empty(), jen.Id("i")), jen.Id("list").Index(jen.Id("i").Op("+").Lit(1), jen.Empty()).Op("...")),
		),
		jen.If(jen.Len(jen.Id("list")).Op("==").Lit(0)).Block(jen.Delete(tab.Clone().Dot("sessions"), jen.Id("k"))).Else().Block(
			tab.Clone().Dot("sessions").Index(jen.Id("k")).Op("=").Id("list")),
		jen.Return(jen.Nil()),
	}
}

// sessionRestore lists the restored sessions per key and sets their timers.
func (a *aggInfo) sessionRestore() []jen.Code {
	tab := a.tab("p")
	return []jen.Code{
		jen.Comment("The restored sessions, listed per key, each with its timer."),
		jen.For(jen.List(jen.Id("idx"), jen.Id("st")).Op(":=").Range().Add(tab.Clone()).Dot("All").Call()).Block(
			jen.If(jen.Id("idx").Op("<").Id("before")).Block(jen.Continue().Comment("another snapshot's")),
			jen.Id("tk").Op(":=").Id("st").Dot("key"),
			jen.Id("tk").Dot(sliceKey).Op("=").Lit(0),
			tab.Clone().Dot("sessions").Index(jen.Id("tk")).Op("=").Append(tab.Clone().Dot("sessions").Index(jen.Id("tk")), jen.Id("idx")),
			tab.Clone().Dot("timers").Dot("RegisterEventTimeTimer").Call(jen.Id("tk"), jen.Id("st").Dot("sessEnd")),
		),
	}
}
