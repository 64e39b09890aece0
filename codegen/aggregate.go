package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// aggInfo is the generated state of one Aggregate (a non-window GROUP BY): a key type
// (one field per group column), a state type (the key, the accumulators, the rows last
// emitted to each reader, and flags) and a table type (golden/testdata/cdn_local.txtar
// shows all three):
//
//	type agg0Table struct {
//		state.Table[agg0State]  // insert, lookup, delete, TTL, dirty list, snapshots
//		keyGroups int           // pipeline.max-parallelism: a new group's key group
//		keyBuf    []byte        // scratch for a key's canonical bytes
//	}
//
// The key itself is kept once, in the state. A million groups of the CDN query's shape
// take 56 bytes of state, 16 of index and 2 of key group each (8 more with a TTL).
type aggInfo struct {
	id      int
	node    *ir.Aggregate
	keyType string
	stType  string
	rowType string
	keys    []aggField
	accs    []*accInfo
	emits   []*emitInfo // one per part of the loop emitting it (emitPart: a reader, or readers of one row)
	// updating: the input is another aggregate's changelog (+I/-U/+U/-D), sent by that
	// aggregate's emitting pipeline at its barrier (see retractUpdate).
	updating bool
	// single: keyed by its one group column's value, not by the key struct (aggUpdate).
	single bool
	// keyString: the key type has a String method, for the errors that name a group.
	keyString bool
	// stage is the keyed stage that owns the groups, emits the changes and runs the
	// pipelines reading the aggregate.
	stage *stageGen
	// partials is the exchange of the partial groups from the source stage (nil when
	// only another aggregate's changes build it); built: the stages holding a table.
	partials *edge
	built    map[*stageGen]bool
	// raw is the exchange of the rows the source stage forwards instead (rawEdge):
	// inType is their Go type, inCols its fields, inIdx their input columns.
	raw    *edge
	inType string
	inCols []aggField
	inIdx  []int
	// rowSlice: a window aggregate's slice end (SESSION: the row's time) of the row
	// being generated.
	rowSlice value
}

// emitInfo is what one emitting pipeline keeps in the state: the row it emitted last.
type emitInfo struct {
	write string // the method writing a change: write1 (write5)
	// keyArgs are the placeholders of the key argument in the calls of write (writeCall).
	keyArgs  []*jen.Statement
	rowType  string // agg1Row (agg1Row5 for a second reader, from pipeline 5)
	outF     string // out, out5: the row last sent
	emittedF string // emitted, emitted5
	// keepOut: the state keeps the row last sent, for a sink that consumes -U or a
	// filter that retracts (-D) a group's row. Upsert and blackhole sinks drop -U, so
	// without a filter the state saves the row's size and every change is sent as +U.
	keepOut   bool
	rowFields []aggField
	sinkTable string
	down      *ir.Aggregate // the aggregate that reads these changes (retractUpdate), else nil
	// sameMethod: the row has FLOAT/DOUBLE columns, and its type a same method (rowSame)
	// to tell an unchanged row.
	sameMethod bool
}

type aggField struct {
	name     string
	t        ir.Type
	nullable bool
}

// accInfo is the accumulator of one aggregate call.
type accInfo struct {
	call  ir.AggCall
	field string  // the state field: a runtimelib/agg accumulator (accType) or a Go function's
	argT  ir.Type // the argument's type (SUM, MIN, MAX: the call's result type), as accKind gives it
	kind  string  // count, countStar, countDistinct, sum, avg, min, max
	// retract: the aggregate's input is updating, so the accumulator also retracts (the
	// generated code branches on retract: a -U or -D row).
	retract bool

	inFields []ir.Field // the aggregate's input, for comments

	// shared, for a COUNT(DISTINCT x) of an append-only input whose x other calls count
	// too (with other FILTERs): the agg.DistinctSet they share, call slot of it.
	shared *distinctShare
	slot   int
}

// distinctShare is a distinct set shared by the COUNT(DISTINCT x) calls of one x, as
// Flink's distinct view: its owner (the first call) holds it in its field, and each
// call sets its bit of mask when the row passes its FILTER.
type distinctShare struct {
	owner *accInfo
	mask  string // the row's local: distinctMask<i>
}

// shareDistinct groups the COUNT(DISTINCT x) calls of an append-only aggregate by x
// (its text and type): two or more (up to 64) share one set. The owner's field is
// renamed distinct<i>.
func shareDistinct(accs []*accInfo) {
	groups := map[string][]*accInfo{}
	var order []string
	for _, acc := range accs {
		ac := acc.call
		if acc.retract || ac.Fn != nil || ac.Func != ir.AggCount || !ac.Distinct || ac.Arg == nil {
			continue
		}
		k := ir.FormatExpr(ac.Arg, acc.inFields) + " " + ac.Arg.Type().String()
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], acc)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		g = g[:min(len(g), 64)]
		owner := g[0]
		owner.field = "distinct" + strings.TrimPrefix(owner.field, "count")
		sh := &distinctShare{owner: owner, mask: owner.field + "Mask"}
		for i, acc := range g {
			acc.shared, acc.slot = sh, i
		}
	}
}

// tableField is the field of a stage's operator holding the aggregate's table (an
// *aggNTable): in its keyed stage the groups it owns, in the source stage the partial
// groups of the batches since the last barrier, or (chained) the keyed task's own.
func (a *aggInfo) tableField() string { return fmt.Sprintf("agg%d", a.id) }
func (a *aggInfo) tableType() string  { return fmt.Sprintf("agg%dTable", a.id) }
func (a *aggInfo) readersVar() string { return fmt.Sprintf("agg%dReaders", a.id) }
func (a *aggInfo) newTable() string   { return fmt.Sprintf("newAgg%dTable", a.id) }

// tab is recv.aggN, the aggregate's table.
func (a *aggInfo) tab(recv string) *jen.Statement { return jen.Id(recv).Dot(a.tableField()) }

// The groups' states live in a state.Table (runtimelib/state), embedded in aggNTable:
// pages of states, appended a page at a time and never copied as the aggregate grows,
// found by a hash index that keeps each key once, in its state.

// stateAt is recv.aggN.At(idx): the state of a group.
func (a *aggInfo) stateAt(recv string, idx jen.Code) *jen.Statement {
	return a.tab(recv).Dot("At").Call(idx)
}

// statesLen is recv.aggN.Len(): the number of groups.
func (a *aggInfo) statesLen(recv string) *jen.Statement {
	return a.tab(recv).Dot("Len").Call()
}

// dirtyGroups is recv.aggN.Dirty(): the groups changed since the last barrier, in
// first-change order (-1 for one deleted since).
func (a *aggInfo) dirtyGroups(recv string) *jen.Statement {
	return a.tab(recv).Dot("Dirty").Call()
}

// groupKey is how findGroup finds a group: the value it hashes (hashed, of type
// hashT; a zero hashT hashes the generated key struct) and the value compared with
// each candidate state's key (cmp, against the state's field stKey). With one group
// column the hash is the column's (hashing a string is cheaper than hashing a struct);
// a nullable one compares the whole key, NULL flag included, and a NULL value hashes
// as its Go zero value (the invariant of generated code).
type groupKey struct {
	hashT  ir.Type
	hashed jen.Code
	stKey  *jen.Statement
	cmp    jen.Code
	paren  bool // cmp is a composite literal: a for condition needs it in parentheses
}

// singleKey is the groupKey of a one-column aggregate: val is the column's value (in
// its key representation) and key the whole key struct, compared when the column is
// nullable.
func (a *aggInfo) singleKey(val, key jen.Code) groupKey {
	k := a.keys[0]
	if k.nullable {
		return groupKey{hashT: k.t, hashed: val, stKey: jen.Id("key"), cmp: key, paren: true}
	}
	return groupKey{hashT: k.t, hashed: val, stKey: jen.Id("key").Dot(k.name), cmp: val}
}

// structKey is the groupKey of a key struct value k.
func structKey(k jen.Code) groupKey {
	return groupKey{hashed: k, stKey: jen.Id("key"), cmp: k}
}

// keyHash is the hash of a group key: of its one column's value x of type t, or (a
// zero t) of the key struct x. The table's Hash (tableDecls) computes the same from a
// state's key.
func keyHash(t ir.Type, x jen.Code) jen.Code {
	switch {
	case t.Kind == 0:
		return jen.Qual(pkgState, "Hash").Call(x)
	case t.IsString():
		return jen.Qual(pkgState, "HashString").Call(x)
	}
	return jen.Qual(pkgState, "Hash").Call(x)
}

// findGroup renders the lookup of a group's state in p's table, leaving its index in
// idx; a group that is new (or expired: Live deletes it) is inserted with its key
// group, after newKey made the stored key (copying what outlives the batch); a group
// found is touched (a write: with a TTL, its life starts again).
//
//	h := state.HashString(province)
//	idx, pos := p.agg0.Lookup(h)
//	for idx >= 0 && p.agg0.At(idx).key != (agg0Key{province: province, provinceNull: provinceNull}) {
//		idx, pos = p.agg0.Next(h, pos)
//	}
//	if idx < 0 || !p.agg0.Live(h, idx) {
//		k := agg0Key{province: strings.Clone(province), provinceNull: provinceNull}
//		idx = p.agg0.Insert(h, p.agg0.group(&k), agg0State{key: k})
//	} else {
//		p.agg0.Touch(idx)
//	}
func (a *aggInfo) findGroup(gk groupKey, newKey []jen.Code, key jen.Code) []jen.Code {
	tab := a.tab("p")
	insert := append(append([]jen.Code{}, newKey...),
		jen.Id("idx").Op("=").Add(tab.Clone()).Dot("Insert").Call(jen.Id("h"),
			tab.Clone().Dot("group").Call(jen.Op("&").Add(key)),
			jen.Id(a.stType).Values(jen.Id("key").Op(":").Add(key))))
	cmp := gk.cmp
	if gk.paren {
		cmp = jen.Parens(cmp)
	}
	return []jen.Code{
		jen.Id("h").Op(":=").Add(keyHash(gk.hashT, gk.hashed)),
		jen.List(jen.Id("idx"), jen.Id("pos")).Op(":=").Add(tab.Clone()).Dot("Lookup").Call(jen.Id("h")),
		jen.For(jen.Id("idx").Op(">=").Lit(0).Op("&&").Add(a.stateAt("p", jen.Id("idx"))).Dot("").Add(gk.stKey).Op("!=").Add(cmp)).Block(
			jen.List(jen.Id("idx"), jen.Id("pos")).Op("=").Add(tab.Clone()).Dot("Next").Call(jen.Id("h"), jen.Id("pos")),
		),
		jen.If(jen.Id("idx").Op("<").Lit(0).Op("||").Op("!").Add(tab.Clone()).Dot("Live").Call(jen.Id("h"), jen.Id("idx"))).Block(insert...).
			Else().Block(tab.Clone().Dot("Touch").Call(jen.Id("idx"))),
	}
}

// markDirty is st := the state of group idx, listed among the groups changed since
// the last barrier (the flag in the state is a cheaper test than MarkDirty's):
//
//	st := p.agg0.At(idx)
//	if !st.dirty {
//		st.dirty = true
//		p.agg0.MarkDirty(idx)
//	}
func (a *aggInfo) markDirty(recv string) []jen.Code {
	return []jen.Code{
		jen.Id("st").Op(":=").Add(a.stateAt(recv, jen.Id("idx"))),
		jen.If(jen.Op("!").Id("st").Dot("dirty")).Block(
			jen.Id("st").Dot("dirty").Op("=").True(),
			a.tab(recv).Dot("MarkDirty").Call(jen.Id("idx")),
		),
	}
}

// aggUpdate emits the build side of an Aggregate at the end of a pipeline: find or add
// the group's state in the table of the stage being generated, mark it dirty, update
// each accumulator (golden/testdata/cdn_local.txtar shows the generated code).
func (g *gen) aggUpdate(f *fn, pl *ir.Pipeline, agg *ir.Aggregate, row []value, _ []ir.Field) {
	// Over an updating input the Aggregate is built by the emitting pipeline of the
	// aggregate below it (retractUpdate), never from a scan.
	_, fromAgg := pl.Source.(*ir.Aggregate)
	if updating := !agg.Input.Changelog().IsInsertOnly(); updating && (!fromAgg || pl.Union != nil) {
		msg := "an aggregate over a UNION ALL with an updating input is not supported by the code generator yet"
		for _, d := range g.errs {
			if d.Span == agg.Pos && d.Msg == msg {
				return // said for another branch of the same UNION ALL
			}
		}
		g.errorf(agg.Pos, "%s", msg)
		return
	}
	// The branches of a UNION ALL below the Aggregate each build it: the first one
	// declares the state (typed by the Union's schema), every one updates it.
	a, built := g.aggs[agg]
	declare := !built
	if declare {
		a = &aggInfo{id: pl.ID, node: agg, updating: fromAgg}
		a.keyType = fmt.Sprintf("agg%dKey", a.id)
		a.stType = fmt.Sprintf("agg%dState", a.id)
		a.rowType = fmt.Sprintf("agg%dRow", a.id)
		g.aggs[agg] = a
		g.aggList = append(g.aggList, a)
		a.stage = g.stageOf(agg)
	}
	inFields := agg.Input.Schema()

	// Key fields, named after the group columns. The key struct is shared by every
	// pipeline that builds the aggregate (each branch of a UNION ALL below it), so its
	// types and NULL flags are those of the aggregate's input schema, never of one
	// branch's values: each branch's value is converted to the key's type, and a value
	// the schema says is never NULL writes no flag (a branch may render a flag for an
	// expression the type rules know is never NULL).
	kn := newNamer(nil)
	kn.used["key"] = true
	var keyVals []value
	for i, gi := range agg.GroupBy {
		if gi < 0 || gi >= len(row) || gi >= len(inFields) {
			g.errorf(agg.Pos, "internal error: group column %d out of range", gi)
			return
		}
		if agg.Window != nil && agg.Window.IsProperty(i) {
			continue // window_start, window_end, window_time: the slice key below
		}
		kt := inFields[gi].Type
		if !f.checkType(kt, agg.Pos) {
			return
		}
		if declare {
			a.keys = append(a.keys, aggField{name: kn.fresh(agg.Names[i]), t: kt, nullable: kt.Nullable})
		}
		v := f.convert(row[gi], kt, agg.Pos)
		if v.always && !kt.Nullable {
			g.errorf(agg.Pos, "internal error: group column %s is NOT NULL but its value is NULL", inFields[gi].Name)
			return
		}
		if !kt.Nullable {
			v.nl, v.nc = nil, nil
		}
		keyVals = append(keyVals, v)
	}
	var groups []string
	for i, gi := range agg.GroupBy {
		if agg.Window == nil || !agg.Window.IsProperty(i) {
			groups = append(groups, inFields[gi].Name)
		}
	}
	// A window aggregate's state is per key and slice (window.go): the slice end is the
	// last key column.
	var sliceEnd value
	if agg.Window != nil {
		if declare {
			a.keys = append(a.keys, aggField{name: kn.fresh(sliceKey), t: ir.BigInt().NotNull()})
			g.windowDecl(a)
		}
		sliceEnd = g.sliceValue(f, a, row) // SESSION: the row's time, and 0 in the key
		keyVals = append(keyVals, sliceEnd)
		groups = append(groups, "the slice of "+inFields[agg.GroupBy[agg.Window.TimePos()]].Name)
	}
	rest := func() { g.aggUpdateGroup(f, pl, agg, a, row, inFields, keyVals, groups, declare) }
	if agg.Window == nil {
		rest()
		return
	}
	// A late row (its last window fired) is dropped and counted.
	late := a.lateCheck(sliceEnd.V())
	a.rowSlice = sliceEnd
	if a.session() {
		keyVals[len(keyVals)-1] = value{t: sliceEnd.t, vc: jen.Lit(0)} // sessions are found by the key alone
	}
	if late == nil {
		rest()
		return
	}
	f.emit(jen.If(late).Block(a.tab("p").Dot("late").Dot("Add").Call(jen.Lit(1))).Else().Block(f.nest(rest)...))
}

// aggUpdateGroup is aggUpdate from the group key's values on: find or add the group,
// mark it dirty, update the accumulators.
func (g *gen) aggUpdateGroup(f *fn, pl *ir.Pipeline, agg *ir.Aggregate, a *aggInfo, row []value, inFields []ir.Field, keyVals []value, groups []string, declare bool) {
	if a.updating {
		// A change from the aggregate below (one call per change, chained or not): the
		// processing time that state TTL compares with.
		f.emit(a.tab("p").Dot("Tick").Call())
	}
	f.emit(g.comment(fmt.Sprintf("GROUP BY %s: find or add the group's state", joinNames(groups)), agg.Pos))
	var d []jen.Code
	for i, k := range a.keys {
		v := keyVals[i]
		if v.always {
			d = append(d, kv(k.name+"Null", jen.True()))
			continue
		}
		d = append(d, kv(k.name, toKey(v.t, v.V())))
		if n := v.N(); n != nil {
			d = append(d, kv(k.name+"Null", n))
		}
	}
	var clones []jen.Code
	for _, k := range a.keys {
		if k.t.IsString() {
			// k.province = strings.Clone(k.province)
			clones = append(clones, jen.Id("k").Dot(k.name).Op("=").Qual("strings", "Clone").Call(jen.Id("k").Dot(k.name)))
		}
	}
	// One group column (the common case) is hashed by its value directly: hashing a
	// string is cheaper than hashing a struct. Every pipeline building the aggregate
	// keys it the same way.
	if declare {
		a.single = len(a.keys) == 1 && comparableType(a.keys[0].t) && agg.Window == nil
	}
	switch {
	case a.single:
		k, v := a.keys[0], keyVals[0]
		var val, stored jen.Code
		var fields, cmpFields []jen.Code
		switch {
		case v.always:
			// The branch's group column is the constant NULL: only the NULL group.
			val = toKey(k.t, zero(k.t))
			fields = []jen.Code{kv(k.name+"Null", jen.True())}
			cmpFields = fields
		default:
			val, stored = v.V(), v.V()
			switch {
			case k.t.IsString():
				stored = jen.Qual("strings", "Clone").Call(v.V())
			case keyConverted(k.t):
				// dKey := types.Float64Key(d): the key is the value's bits
				kl := f.define(k.name+"Key", toKey(v.t, v.V()))
				val, stored = kl.ref(), kl.ref()
			}
			fields = []jen.Code{kv(k.name, stored)}
			cmpFields = []jen.Code{kv(k.name, val)}
			if n := v.N(); n != nil {
				fields = append(fields, kv(k.name+"Null", n))
				cmpFields = append(cmpFields, kv(k.name+"Null", n))
			}
		}
		newKey := jen.Id("k").Op(":=").Id(a.keyType).Add(composite(false, fields...))
		gk := a.singleKey(val, jen.Id(a.keyType).Add(composite(false, cmpFields...)))
		f.emit(a.findGroup(gk, []jen.Code{newKey}, jen.Id("k"))...)
	default:
		// k := agg1Key{...}; probe for k
		f.emit(jen.Id("k").Op(":=").Id(a.keyType).Add(composite(false, d...)))
		if a.session() {
			// The row's session: found, extended, merged with the ones it bridges, or new.
			f.emit(jen.Id("idx").Op(":=").Add(a.tab("p")).Dot("session").Call(jen.Id("k"), a.rowSlice.V()))
			break
		}
		if agg.Window != nil {
			// A key's first row in a slice: the timer of its first window.
			clones = append(clones, a.registerTimer(jen.Id("k"), func(s jen.Code) jen.Code {
				return jen.Id(a.winVar()).Dot("FirstWindowEnd").Call(s)
			})...)
		}
		f.emit(a.findGroup(structKey(jen.Id("k")), clones, jen.Id("k"))...)
	}
	if agg.Window != nil {
		f.emit(jen.Id("st").Op(":=").Add(a.stateAt("p", jen.Id("idx")))) // windows fire on timers, not at barriers
	} else {
		f.emit(a.markDirty("p")...)
	}
	if a.updating {
		// -U and -D retract, +I and +U accumulate; the group's record counter (Flink's
		// recordCounter) says when its last row is gone.
		//	retract := kind == stream.UpdateBefore || kind == stream.Delete
		//	if retract && st.records == 0 { return nil }
		//	if retract { st.records-- } else { st.records++ }
		f.emit(
			jen.Id("retract").Op(":=").Id("kind").Op("==").Qual(pkgStream, "UpdateBefore").Op("||").Id("kind").Op("==").Qual(pkgStream, "Delete"),
			jen.If(jen.Id("retract").Op("&&").Id("st").Dot("records").Op("==").Lit(0)).Block(
				jen.Comment("A retraction of a row the group does not hold: Flink ignores it too."),
				jen.Return(jen.Nil()),
			),
			jen.If(jen.Id("retract")).Block(jen.Id("st").Dot("records").Op("--")).Else().Block(jen.Id("st").Dot("records").Op("++")),
		)
	}
	if declare {
		// The keyed stage owns the groups: p.agg0 = &agg0Table{} in each of its tasks.
		a.stage.fields = append(a.stage.fields,
			jen.Comment(fmt.Sprintf("%s holds the groups of the aggregate of pipeline %d this task owns.", a.tableField(), a.id)),
			jen.Id(a.tableField()).Op("*").Id(a.tableType()))
		//	p.agg0 = newAgg0Table(ctx.MaxParallelism(), ctx.StateTTL(), func() int64 { return p.task.Now() })
		a.stage.needsTask()
		// A window aggregate's state lives until its windows fired: no state TTL (Flink's
		// window operators ignore table.exec.state.ttl too).
		var ttl jen.Code = jen.Id("ctx").Dot("StateTTL").Call()
		if agg.Window != nil {
			ttl = jen.Lit(0)
		}
		a.stage.setup = append(a.stage.setup, a.tab("p").Op("=").Id(a.newTable()).Call(
			jen.Id("ctx").Dot("MaxParallelism").Call(), ttl,
			jen.Func().Params().Int64().Block(jen.Return(jen.Id("p").Dot("task").Dot("Now").Call()))))
		a.built = map[*stageGen]bool{a.stage: true}
	}
	if !a.updating && !a.built[g.cur] {
		g.partialEdge(a) // the source stage pre-aggregates into a table of its own
	}

	// Accumulators.
	if declare {
		for i, ac := range agg.Aggs {
			a.accs = append(a.accs, &accInfo{call: ac, field: fmt.Sprintf("%s%d", lowerFunc(ac.Func), i), inFields: inFields, retract: a.updating})
		}
		shareDistinct(a.accs)
	}
	// var distinctMask5 uint64: the calls of a shared distinct set this row counts for.
	for _, acc := range a.accs {
		if sh := acc.shared; sh != nil && sh.owner == acc {
			f.emit(jen.Var().Id(sh.mask).Uint64())
		}
	}
	for i, ac := range agg.Aggs {
		acc := a.accs[i]
		f.emit(g.comment(formatAggCall(ac, inFields), ac.Pos))
		f.in = row
		f.lets = nil
		var stmts []jen.Code
		build := func() {
			g.accUpdate(f, acc)
		}
		if ac.Filter != nil {
			cond := f.expr(ac.Filter)
			stmts = f.nest(build)
			f.emit(jen.If(cond.V()).Block(stmts...))
		} else {
			build()
		}
	}
	// if distinctMask5 != 0 { st.distinct5.Add(bidder, distinctMask5) }: one lookup for
	// the calls of each shared distinct set.
	for _, acc := range a.accs {
		sh := acc.shared
		if sh == nil || sh.owner != acc || acc.kind != "countDistinct" {
			continue
		}
		f.in = row
		f.lets = nil
		x := f.convert(f.expr(acc.call.Arg), acc.argT, acc.call.Pos)
		f.emit(jen.If(jen.Id(sh.mask).Op("!=").Lit(0)).Block(
			jen.Id("st").Dot(acc.field).Dot("Add").Call(aggKey(x.t, x.V()), jen.Id(sh.mask))))
	}
	if a.updating {
		// The group's last row was retracted: Flink deletes its state. Its accumulators
		// start afresh; flushN sends -D for the row it emitted and clean deletes the group
		// at the barrier, unless a row came again.
		f.emit(jen.If(jen.Id("st").Dot("records").Op("==").Lit(0)).Block(jen.Id("st").Dot("clear").Call()))
	}
}

func joinNames(ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

func lowerFunc(fn ir.AggFunc) string {
	switch fn {
	case ir.AggCount:
		return "count"
	case ir.AggSum:
		return "sum"
	case ir.AggAvg:
		return "avg"
	case ir.AggMin:
		return "min"
	case ir.AggMax:
		return "max"
	case ir.AggUDF:
		return "udaf"
	}
	return "agg"
}

// formatAggCall renders an aggregate call as SQL for comments.
func formatAggCall(ac ir.AggCall, in []ir.Field) string {
	if ac.Fn != nil {
		return formatUDAFCall(ac, in) // udaf.go
	}
	s := string(ac.Func) + "("
	if ac.Distinct {
		s += "DISTINCT "
	}
	if ac.Arg == nil {
		s += "*"
	} else {
		s += ir.FormatExpr(ac.Arg, in)
	}
	s += ")"
	if ac.Filter != nil {
		s += " FILTER (WHERE " + ir.FormatExpr(ac.Filter, in) + ")"
	}
	return s
}

// accKind is the accumulator of a built-in aggregate call over an argument of type t
// (its type in the aggregate's input schema): its kind and the type it accumulates
// (the argument's; SUM, MIN and MAX: the call's result type).
func accKind(ac ir.AggCall, t ir.Type) (kind string, argT ir.Type) {
	switch ac.Func {
	case ir.AggCount:
		if ac.Distinct {
			return "countDistinct", t
		}
		return "count", ir.Type{}
	case ir.AggSum:
		return "sum", ac.T
	case ir.AggAvg:
		return "avg", t
	case ir.AggMin:
		return "min", ac.T
	case ir.AggMax:
		return "max", ac.T
	}
	return "", ac.T
}

// accType is the runtimelib/agg accumulator of a built-in aggregate call (the package
// doc says which type for which call and input), and whether it takes a seen flag: the
// SUM, MIN and MAX of an append-only input do, kept among the state's bool flags. It
// is nil for a call the code generator does not handle.
func accType(acc *accInfo) (typ *jen.Statement, seen bool) {
	t := acc.argT
	gt, _ := goType(t)
	kt, _ := keyGoType(t)
	aggT := func(name string, targs ...jen.Code) *jen.Statement {
		if len(targs) == 0 {
			return jen.Qual(pkgAgg, name)
		}
		return jen.Qual(pkgAgg, name).Types(targs...)
	}
	switch acc.kind {
	case "count", "countStar":
		return aggT("Count"), false
	case "countDistinct":
		if acc.shared != nil {
			return aggT("DistinctSet", kt), false
		}
		if acc.retract {
			return aggT("CountDistinctWithRetract", kt), false
		}
		return aggT("CountDistinct", kt), false
	case "sum":
		switch {
		case t.Kind == ir.KindDecimal && acc.retract:
			return aggT("SumDecimalWithRetract"), false
		case t.Kind == ir.KindDecimal:
			return aggT("SumDecimal"), true
		case !t.IsInteger() && !isFloat(t):
			return nil, false
		case acc.retract:
			return aggT("SumWithRetract", gt), false
		}
		return aggT("Sum", gt), true
	case "avg":
		switch {
		case t.Kind == ir.KindDecimal:
			return aggT("AvgDecimal"), false
		case isFloat(t):
			return aggT("AvgFloat", gt), false
		case t.IsInteger():
			return aggT("AvgInt", gt), false
		}
		return nil, false
	case "min", "max":
		name := "Min"
		if acc.kind == "max" {
			name = "Max"
		}
		if acc.retract {
			return aggT(name+"WithRetract", kt), false
		}
		switch t.Kind {
		case ir.KindChar, ir.KindVarchar:
			return aggT(name + "String"), true
		case ir.KindDecimal:
			return aggT(name + "Decimal"), true
		case ir.KindTimestamp, ir.KindTimestampLTZ:
			return aggT(name + "Timestamp"), true
		case ir.KindBoolean, ir.KindBinary, ir.KindVarbinary:
			return aggT(name+"Compared", gt), true
		}
		return aggT(name, gt), true
	}
	return nil, false
}

// aggKey renders the value v of type t as the key an agg accumulator keeps in a map
// (agg.Key): toKey's, except that BINARY becomes a string without a copy (agg.BytesKey;
// the accumulator clones a key it keeps).
func aggKey(t ir.Type, v jen.Code) *jen.Statement {
	if t.IsBinary() {
		return jen.Qual(pkgAgg, "BytesKey").Call(v)
	}
	return toKey(t, v)
}

// accUpdate emits the update of one accumulator for the current row (st is the state):
//
//	st.count0.Add()
//	if !response_sizeNull { st.sum1.Add(response_size, &st.sum1Seen) }
//	if retract { st.min2.Retract(x) } else { st.min2.Add(x) }   // over an updating input
func (g *gen) accUpdate(f *fn, acc *accInfo) {
	ac := acc.call
	if ac.Fn != nil {
		g.udafUpdate(f, acc) // a Go aggregate function: udaf.go
		return
	}
	// update renders st.f.Add(args..., &st.fSeen), or over an updating input
	// `if retract { st.f.Retract(args...) } else { st.f.Add(args...) }`, in
	// `if !xNull { ... }` when x can be NULL (aggregates skip NULLs).
	update := func(x *value, args ...jen.Code) {
		st := jen.Id("st").Dot(acc.field)
		typ, seen := accType(acc)
		if typ == nil {
			g.errorf(ac.Pos, "%s of %s is not supported by the code generator yet", ac.Func, acc.argT)
			return
		}
		add := []jen.Code{st.Clone().Dot("Add").Call(args...)}
		if seen {
			add = []jen.Code{st.Clone().Dot("Add").Call(append(args, jen.Op("&").Id("st").Dot(acc.field+"Seen"))...)}
		}
		if acc.retract {
			add = []jen.Code{jen.If(jen.Id("retract")).Block(st.Clone().Dot("Retract").Call(args...)).Else().Block(add...)}
		}
		if x != nil {
			if n := x.N(); n != nil {
				add = []jen.Code{jen.If(jen.Op("!").Add(parenIfNeeded(n))).Block(add...)}
			}
		}
		f.emit(add...)
	}
	if ac.Func == ir.AggCount && ac.Arg == nil {
		acc.kind = "countStar"
		update(nil)
		return
	}
	if ac.Arg == nil {
		g.errorf(ac.Pos, "internal error: %s without argument", ac.Func)
		return
	}
	// The accumulator is shared by every pipeline that builds the aggregate (each
	// branch of a UNION ALL below it), so it is typed by the argument's type in the
	// aggregate's input schema, whatever this branch's value is (a constant NULL, a
	// narrower type).
	x := f.convert(f.expr(ac.Arg), ac.Arg.Type(), ac.Pos)
	acc.kind, acc.argT = accKind(ac, x.t)
	if x.always {
		return
	}
	if ac.Distinct && ac.Func != ir.AggCount && ac.Func != ir.AggMin && ac.Func != ir.AggMax {
		g.errorf(ac.Pos, "%s(DISTINCT ...) is not supported by the code generator yet", ac.Func)
		return
	}
	switch ac.Func {
	case ir.AggCount:
		if !ac.Distinct {
			update(&x)
			return
		}
		if !f.checkType(x.t, ac.Pos) {
			return
		}
		if acc.shared != nil {
			// distinctMask5 |= 1 << 2: the set is updated once, after every call.
			set := []jen.Code{jen.Id(acc.shared.mask).Op("|=").Lit(uint64(1) << acc.slot)}
			if n := x.N(); n != nil {
				set = []jen.Code{jen.If(jen.Op("!").Add(parenIfNeeded(n))).Block(set...)}
			}
			f.emit(set...)
			return
		}
		update(&x, aggKey(x.t, x.V()))
	case ir.AggSum, ir.AggMin, ir.AggMax:
		if !f.checkType(ac.T, ac.Pos) {
			return
		}
		xs := f.convert(x, ac.T, ac.Pos)
		v := xs.V()
		if acc.retract && ac.Func != ir.AggSum {
			v = aggKey(ac.T, v) // the map-based MinWithRetract, MaxWithRetract
		}
		update(&xs, v)
	case ir.AggAvg:
		update(&x, x.V())
	default:
		g.errorf(ac.Pos, "aggregate function %s is not supported by the code generator yet", ac.Func)
	}
}

// accFields renders the state fields of one accumulator: its agg type (after a comment
// naming the call), and apart from it its seen flag, which aggTypes puts with the other
// bool flags at the end of the state so they share words instead of padding one each.
func (g *gen) accFields(acc *accInfo) (fields, flags []jen.Code) {
	if acc.kind == "udaf" {
		return g.udafFields(acc), nil // udaf.go
	}
	typ, seen := accType(acc)
	if typ == nil {
		return nil, nil // accUpdate said why
	}
	if acc.shared != nil && acc.shared.owner != acc {
		return nil, nil // the owner's set
	}
	call := formatAggCall(acc.call, acc.inFields)
	if acc.shared != nil {
		call = "the distinct values of " + ir.FormatExpr(acc.call.Arg, acc.inFields) + " of COUNT(DISTINCT ...) calls sharing them: bit i, call i (Flink's distinct view)"
	}
	fields = []jen.Code{jen.Comment(call), jen.Id(acc.field).Add(typ)}
	if seen {
		flags = []jen.Code{jen.Id(acc.field + "Seen").Bool().Comment(call + " saw a non-NULL value")}
	}
	return fields, flags
}

// accResult emits the aggregate's current result for the flush pipeline (st is the
// state):
//
//	count0 := st.count0.Result()
//	sum1, sum1Null := st.sum1.Result(st.sum1Seen)
func (g *gen) accResult(f *fn, acc *accInfo, name string) value {
	ac := acc.call
	t := ac.T
	if acc.kind == "udaf" {
		return g.udafResult(f, acc, name) // udaf.go
	}
	typ, seen := accType(acc)
	if typ == nil {
		return nullValue(t)
	}
	st := jen.Id("st").Dot(acc.field)
	var args []jen.Code
	switch {
	case acc.shared != nil:
		st = jen.Id("st").Dot(acc.shared.owner.field)
		args = []jen.Code{jen.Lit(acc.slot)}
	case seen:
		args = []jen.Code{jen.Id("st").Dot(acc.field + "Seen")}
	case acc.kind == "avg" && acc.argT.Kind == ir.KindDecimal:
		args = []jen.Code{jen.Lit(acc.argT.Scale), jen.Lit(t.Scale), jen.Lit(t.Precision)}
	}
	result := st.Dot("Result").Call(args...)
	if acc.kind == "count" || acc.kind == "countStar" || acc.kind == "countDistinct" {
		return value{t: t, vl: f.define(name, result)} // never NULL
	}
	// v, vNull := st.f.Result(...); MIN/MAX over an updating input give a key (aggKey).
	keyed := acc.retract && keyConverted(acc.argT) && (acc.kind == "min" || acc.kind == "max")
	base := name
	if keyed {
		base = name + "Key"
	}
	vl := &local{name: f.names.fresh(base)}
	nl := &local{name: vl.name + "Null"}
	f.emit(jen.List(vl.id(), nl.id()).Op(":=").Add(result))
	f.track0(vl)
	f.track0(nl)
	if keyed {
		return value{t: t, vl: f.define(name, fromKey(t, vl.ref())), nl: nl}
	}
	return value{t: t, vl: vl, nl: nl}
}

// emitPipeline generates the emit side of an Aggregate in its keyed stage: one method
// flushN, called at every barrier, that walks the groups changed since the last one in
// first-change order and, for each, computes the aggregate's row, the shared Calc of
// its readers once (optimizer.ShareAggregateCalcs), then each reader's part (emitPart):
// its own Calcs and the changes it sends to its sink (writeN): +I the first time, -U
// (the previous row) and +U afterwards, -D when a HAVING-like filter turns the row off
// (and +I when it turns on again), nothing when the row is unchanged. With several
// parts, each is a block that a filtered or unchanged row leaves with goto (as the
// pipelines of a shared scan, emitParts):
//
//	for _, idx := range p.agg0.Dirty() {
//		... (a group expired since it changed is skipped)
//		st := p.agg0.At(idx)
//		... the aggregate's row, the shared Calc ...
//		{
//			// Pipeline 1: ...
//			... its Calcs; a filtered row: goto skip1 ...
//			row := agg0Row{...}; switch { ... }
//		}
//	skip1:
//		{
//			// Pipeline 2: ... (the last part: continue)
//		}
//	}
//
// golden/testdata/cdn_local.txtar shows the generated flush1 and write1 of one reader,
// golden/testdata/shared_post_aggregate.txtar several.
func (g *gen) emitPipeline(pl *ir.Pipeline, agg *ir.Aggregate) {
	a := g.aggs[agg]
	if a == nil {
		// The pipeline that builds it failed and said why; a second message here would
		// only repeat that error. Without one, this is a bug in the optimizer.
		if len(g.errs) == 0 {
			g.errorf(agg.Pos, "internal error: pipeline %d emits an aggregate no pipeline builds", pl.ID)
		}
		return
	}
	// The aggregate's keyed stage runs the pipelines reading it.
	g.cur = a.stage
	a.stage.desc = append(a.stage.desc, describe(pl))
	a.stage.pls = append(a.stage.pls, pl)
	// Every pipeline reading the aggregate runs in one loop over its changed groups,
	// generated with the first of them.
	var readers []*ir.Pipeline
	for _, p := range g.prog.Pipelines {
		if p.Source == ir.Node(agg) {
			readers = append(readers, p)
		}
	}
	if readers[0] != pl {
		return
	}
	// Readers that compute the same row (two INSERTs of one view) are one part: the
	// row is computed once and written to each of their sinks.
	var parts [][]*ir.Pipeline
	inPart := map[*ir.Pipeline]bool{}
	for _, r := range readers {
		if !inPart[r] {
			part := g.sameRowReaders(r)
			for _, p := range part {
				inPart[p] = true
			}
			parts = append(parts, part)
		}
	}
	// Each task writes through sinks of its own.
	for _, r := range readers {
		if s, ok := r.Sink.(*ir.Sink); ok && g.openSink(s) == "" {
			return
		}
	}
	method := fmt.Sprintf("flush%d", pl.ID)
	f := g.newFn(func() jen.Code { return jen.Lit("") })
	f.names.used["row"] = true
	f.names.used["rowNull"] = true
	for _, n := range []string{"k", "end", "start", "merged", "found", "more", "s", "tk", "ps", "h", "idx", "pos"} {
		f.names.used[n] = true
	}
	// The aggregate's output row: group columns from the key, then each aggregate.
	var row []value
	if agg.Window != nil {
		row = g.windowRow(f, a)
	}
	for _, k := range a.keys {
		if agg.Window != nil {
			break
		}
		v := value{t: k.t}
		v.vl = f.define(k.name, fromKey(k.t, jen.Id("st").Dot("key").Dot(k.name)))
		if k.nullable {
			v.nl = f.defineNull(v.vl, jen.Id("st").Dot("key").Dot(k.name+"Null"))
		}
		row = append(row, v)
	}
	for i, acc := range a.accs {
		row = append(row, g.accResult(f, acc, agg.Names[len(agg.GroupBy)+i]))
	}
	// The Calcs first in several readers' pipelines, computed once per group.
	shared := map[*ir.Calc][]value{}
	uses := map[*ir.Calc]int{}
	for _, r := range readers {
		if len(r.Calcs) > 0 {
			uses[r.Calcs[0]]++
		}
	}
	for _, r := range readers {
		c := r.Calcs
		if len(c) == 0 || uses[c[0]] < 2 || shared[c[0]] != nil {
			continue
		}
		if c[0].Cond != nil {
			g.errorf(agg.Pos, "internal error: the Calc shared by pipelines %d and others has a condition", r.ID)
			return
		}
		var ids []string
		for _, o := range readers {
			if len(o.Calcs) > 0 && o.Calcs[0] == c[0] {
				ids = append(ids, itoa(o.ID))
			}
		}
		// The Calc shared by pipelines 1, 2: computed once per group.
		f.emit(jen.Comment(fmt.Sprintf("The Calc shared by pipelines %s: computed once per group.", strings.Join(ids, ", "))))
		shared[c[0]] = f.runCalcs(c[:1], row, agg.Schema(), nil)
	}
	var ems []*emitInfo
	var writes []func()
	for i, part := range parts {
		lead := part[0]
		in, inFields, calcs := row, agg.Schema(), lead.Calcs
		if len(calcs) > 0 && shared[calcs[0]] != nil {
			in, inFields, calcs = shared[calcs[0]], calcs[0].Schema(), calcs[1:]
		}
		// A row this part does not send leaves the part: it continues with the next
		// group after the last part, else with the next part.
		label := fmt.Sprintf("skip%d", lead.ID)
		last, jumped := i == len(parts)-1, false
		next := func() jen.Code {
			if last && agg.Window != nil {
				return jen.Return(jen.Nil()) // fireN: one window of one key
			}
			if last {
				return jen.Continue()
			}
			jumped = true
			return jen.Goto().Id(label)
		}
		var em *emitInfo
		var write func()
		stmts := f.nest(func() {
			if len(parts) > 1 {
				f.emit(jen.Comment(describe(lead)))
			}
			em, write = g.emitPart(f, a, part, in, inFields, calcs, next)
		})
		if em == nil {
			return // said why
		}
		ems = append(ems, em)
		writes = append(writes, write)
		if len(parts) == 1 {
			f.emit(stmts...)
			continue
		}
		f.emit(jen.Block(stmts...))
		if jumped {
			f.emit(jen.Id(label).Op(":"))
		}
	}
	if a.session() {
		// emitN(st, start, end) emits one session; fireN(k, end) the key's ended ones.
		emit := fmt.Sprintf("emit%d", a.id)
		g.addMethod(f, readers, emit, []jen.Code{jen.Id("st").Op("*").Id(a.stType), jen.List(jen.Id("start"), jen.Id("end")).Int64()},
			append(f.body(), jen.Return(jen.Nil())), loopNone,
			fmt.Sprintf("%s emits the session [start, end) of the aggregate of pipeline %d.", emit, a.id))
		a.stage.methods = append(a.stage.methods,
			jen.Comment(fmt.Sprintf("%s emits and frees key k's sessions of the aggregate of pipeline %d that ended by end, when", a.fireMethod(), a.id)).Line().
				Comment("the watermark reached it.").Line().
				Func().Params(jen.Id("p").Op("*").Id(a.stage.typ)).Id(a.fireMethod()).Params(jen.Id("k").Id(a.keyType), jen.Id("end").Int64()).Error().Block(g.sessionFire(a, emit)...))
		for _, w := range writes {
			w()
		}
		return
	}
	if agg.Window != nil {
		// fireN(k, end): the timer of key k's window ending at end.
		body := append(g.firePrologue(a), f.body()...)
		body = append(body, jen.Return(jen.Nil()))
		g.addMethod(f, readers, a.fireMethod(), []jen.Code{jen.Id("k").Id(a.keyType), jen.Id("end").Int64()}, body, loopNone,
			fmt.Sprintf("%s emits key k's window of the aggregate of pipeline %d ending at end, when the watermark reached it, and frees the slices no later window needs.", a.fireMethod(), a.id))
		for _, w := range writes {
			w()
		}
		return
	}
	loopBody := []jen.Code{
		jen.If(jen.Id("idx").Op("<").Lit(0)).Block(jen.Continue().Comment("expired since it changed")),
		jen.Id("st").Op(":=").Add(a.stateAt("p", jen.Id("idx"))),
	}
	if a.updating {
		// Every row of the group was retracted: it is deleted (Flink's -D) from every
		// reader that has its row.
		//	if st.records == 0 { if st.emitted { p.write2(stream.Delete, &st.out); st.emitted = false }; continue }
		var deletes []jen.Code
		for _, em := range ems {
			deletes = append(deletes, jen.If(jen.Id("st").Dot(em.emittedF)).Block(
				em.writeCall("Delete", jen.Op("&").Id("st").Dot(em.outF)),
				jen.Id("st").Dot(em.emittedF).Op("=").False(),
			))
		}
		loopBody = append(loopBody, jen.If(jen.Id("st").Dot("records").Op("==").Lit(0)).Block(append(deletes, jen.Continue())...))
	}
	loopBody = append(loopBody, f.body()...)
	stmts := []jen.Code{
		jen.For(jen.List(jen.Id("_"), jen.Id("idx")).Op(":=").Range().Add(a.dirtyGroups("p"))).Block(loopBody...),
		jen.Return(jen.Nil()),
	}
	a.stage.barrier = append(a.stage.barrier,
		jen.If(jen.Err().Op(":=").Id("p").Dot(method).Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	g.addMethod(f, readers, method, nil, stmts, loopNone)
	for _, w := range writes {
		w()
	}
}

// writeCall is the call of the readers' writeN for one change. writeN names the group
// in an error (a NOT NULL sink column; writeRow's where) and then takes the group's key,
// which is known once writeN is generated, after the loop: it fills the calls'
// placeholders keyArgs with &st.key.
//
//	if err := p.write2(stream.Insert, &row[, &st.key]); err != nil { return err }
func (em *emitInfo) writeCall(kind string, arg jen.Code) jen.Code {
	ph := &jen.Statement{} // renders nothing, without a comma, while empty
	em.keyArgs = append(em.keyArgs, ph)
	return jen.If(jen.Err().Op(":=").Id("p").Dot(em.write).Call(jen.Qual(pkgStream, kind), arg, ph), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
}

// emitPart emits, in the loop over an aggregate's changed groups, the part of the
// readers in group (one pipeline, or several computing the same row): their Calcs over
// in (the aggregate's row, or the shared Calc's), the row they emit and the change it
// makes (+I, -U/+U, -D, or nothing; next leaves the part). It returns what the state
// keeps for them and a function that generates their writeN method, called after the
// loop's method: it writes a change to their sinks, or sends it to the aggregate above
// (retractUpdate). A nil emitInfo: an error was reported.
func (g *gen) emitPart(f *fn, a *aggInfo, group []*ir.Pipeline, in []value, inFields []ir.Field, calcs []*ir.Calc, next func() jen.Code) (*emitInfo, func()) {
	pl := group[0]
	// A second reader of the same aggregate (optimizer.ShareAggregates) keeps its own
	// last row in the state, under names suffixed with its pipeline ID.
	em := &emitInfo{rowType: a.rowType, outF: "out", emittedF: "emitted"}
	if len(a.emits) > 0 {
		sfx := itoa(pl.ID)
		em = &emitInfo{rowType: a.rowType + sfx, outF: "out" + sfx, emittedF: "emitted" + sfx}
	}
	em.write = fmt.Sprintf("write%d", pl.ID)
	a.emits = append(a.emits, em)
	// The changes go to a sink, or into the aggregate above (an aggregate over an
	// updating input, built here at flush time: retractUpdate).
	sink, toSink := pl.Sink.(*ir.Sink)
	down, toAgg := pl.Sink.(*ir.Aggregate)
	if !toSink && !toAgg {
		g.errorf(a.node.Pos, "internal error: pipeline %d ends at a %T", pl.ID, pl.Sink)
		return nil, nil
	}
	// The emitted row type: the sink's input columns.
	rn := newNamer(nil)
	var rowFields []aggField
	var rowVals []value
	write := em.write
	writeCall := em.writeCall
	filtered := false
	out := f.runCalcs(calcs, in, inFields, func() []jen.Code {
		filtered = true
		// A filtered-out group retracts the row it emitted before.
		//	if st.emitted { p.write2(stream.Delete, &st.out); st.emitted = false }
		//	continue
		return []jen.Code{
			jen.If(jen.Id("st").Dot(em.emittedF)).Block(
				writeCall("Delete", jen.Op("&").Id("st").Dot(em.outF)),
				jen.Id("st").Dot(em.emittedF).Op("=").False(),
			),
			next(),
		}
	})
	var names []ir.Field
	if toSink {
		names = sink.Input.Schema()
	} else {
		names = down.Input.Schema()
	}
	for i, v := range out {
		n := "c" + itoa(i)
		if i < len(names) {
			n = names[i].Name
		}
		rowFields = append(rowFields, aggField{name: rn.fresh(n), t: v.t, nullable: v.nullable()})
		rowVals = append(rowVals, v)
	}
	// row := agg1Row{...}
	var d []jen.Code
	for i, rf := range rowFields {
		v := rowVals[i]
		if !v.always {
			d = append(d, kv(rf.name, v.V()))
		}
		if rf.nullable {
			d = append(d, kv(rf.name+"Null", v.N()))
		}
	}
	comparable, floats := true, false
	for _, rf := range rowFields {
		comparable = comparable && comparableType(rf.t)
		floats = floats || isFloat(rf.t)
	}
	em.sameMethod = comparable && floats
	// An unchanged row: row == st.out, or with FLOAT/DOUBLE columns row.same(&st.out),
	// which compares them by their bits (-0.0 is not 0.0, NaN is NaN; see rowSame).
	unchanged := jen.Id("row").Op("==").Id("st").Dot(em.outF)
	if em.sameMethod {
		unchanged = jen.Id("row").Dot("same").Call(jen.Op("&").Id("st").Dot(em.outF))
	}
	// The aggregate above retracts the row last sent (-U, -D); a group of an aggregate
	// over an updating input can be deleted (-D, which needs the row too).
	em.keepOut = filtered || toAgg || a.updating
	for _, p := range group {
		if s, ok := p.Sink.(*ir.Sink); ok && s.NeedsUpdateBefore() {
			em.keepOut = true
		}
	}
	if a.node.Window != nil {
		em.keepOut = false // a window's row is emitted once: +I, never updated
	}
	sw := []jen.Code{
		jen.Case(jen.Op("!").Id("st").Dot(em.emittedF)).Block(writeCall("Insert", jen.Op("&").Id("row"))),
	}
	remember := jen.Id("st").Dot(em.emittedF).Op("=").True()
	if em.keepOut {
		if comparable {
			// An unchanged row is not sent again (Flink's GroupAggregate does the same).
			sw = append(sw, jen.Case(unchanged).Block(next()))
		}
		sw = append(sw, jen.Default().Block(writeCall("UpdateBefore", jen.Op("&").Id("st").Dot(em.outF)), writeCall("UpdateAfter", jen.Op("&").Id("row"))))
		remember = jen.List(jen.Id("st").Dot(em.outF), jen.Id("st").Dot(em.emittedF)).Op("=").List(jen.Id("row"), jen.True())
	} else {
		sw = append(sw, jen.Default().Block(writeCall("UpdateAfter", jen.Op("&").Id("row"))))
	}
	f.emit(
		jen.Id("row").Op(":=").Id(em.rowType).Add(composite(len(d) > 4, d...)),
		jen.Switch().Block(sw...),
		remember,
	)
	if toAgg {
		return em, func() { g.retractUpdate(pl, down, write, em, rowFields) }
	}
	return em, func() {
		// write2 sends one output row of the aggregate to the sink. A row error names the
		// group, as no single record made the row: "group [province=NULL]".
		keyArg := false
		wf := g.newFn(func() jen.Code {
			if len(a.keys) == 0 {
				return jen.Lit("the global aggregate")
			}
			keyArg, a.keyString = true, true
			return jen.Lit("group ").Op("+").Id("key").Dot("String").Call()
		})
		wf.names.used["key"] = true
		var wrow []value
		for _, rf := range rowFields {
			v := value{t: rf.t, vc: jen.Id("row").Dot(rf.name)}
			if rf.nullable {
				v.nc = jen.Id("row").Dot(rf.name + "Null")
			}
			wrow = append(wrow, v)
		}
		wf.names.used["kind"] = true
		var tables []string
		for _, p := range group {
			s := p.Sink.(*ir.Sink)
			sinkVar := g.cur.sinks[s] // opened by emitPipeline
			if len(group) > 1 {
				wf.emit(jen.Comment("INSERT INTO " + s.Table.Name))
			}
			g.writeRow(wf, sinkVar, s, jen.Id("kind"), wrow)
			tables = append(tables, s.Table.Name)
		}
		wf.finish()
		em.sinkTable = strings.Join(tables, " and ")
		params := []jen.Code{jen.Id("kind").Qual(pkgStream, "RowKind"), jen.Id("row").Op("*").Id(em.rowType)}
		if keyArg {
			params = append(params, jen.Id("key").Op("*").Id(a.keyType))
			for _, ph := range em.keyArgs {
				*ph = *jen.Op("&").Id("st").Dot("key")
			}
		}
		g.cur.methods = append(g.cur.methods,
			jen.Comment(fmt.Sprintf("%s writes one change of the aggregate of pipeline %d to %s.", write, a.id, em.sinkTable)).Line().Func().Params(jen.Id("p").Op("*").Id(g.cur.typ)).Id(write).Params(params...).Error().Block(
				append(wf.body(), jen.Return(jen.Nil()))...),
		)
		em.rowFields = rowFields
	}
}

// sameRowReaders returns the pipelines that read pl's aggregate into a sink through the
// same Calcs as pl (the same row), first the first of them in pipeline order; just pl
// when there are none.
func (g *gen) sameRowReaders(pl *ir.Pipeline) []*ir.Pipeline {
	if _, ok := pl.Sink.(*ir.Sink); !ok || pl.Steps != nil || pl.Union != nil {
		return []*ir.Pipeline{pl}
	}
	key := calcsKey(pl.Calcs)
	var out []*ir.Pipeline
	for _, p := range g.prog.Pipelines {
		if _, ok := p.Sink.(*ir.Sink); ok && p.Source == pl.Source && p.Steps == nil && p.Union == nil && calcsKey(p.Calcs) == key {
			out = append(out, p)
		}
	}
	return out
}

// calcsKey identifies what a chain of Calcs computes (not the names it gives).
func calcsKey(calcs []*ir.Calc) string {
	var b strings.Builder
	for _, c := range calcs {
		for _, e := range c.Lets {
			b.WriteString(ir.ExprKey(e) + ";")
		}
		b.WriteString("|" + ir.ExprKey(c.Cond) + "|")
		for _, e := range c.Exprs {
			b.WriteString(ir.ExprKey(e) + ";")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// rowSame renders the same method of an emitted row type with FLOAT/DOUBLE columns:
// whether the row is the one sent before, so that nothing is sent again. The floating
// point columns compare by their bits (types.Float64Key), as the other columns compare
// with ==: a row whose value went from -0.0 to 0.0 (as a DOUBLE computed from a count
// that changed) is a change, a NaN that stays NaN is not.
//
//	func (r *agg1Row) same(o *agg1Row) bool {
//		return types.Float64Key(r.d) == types.Float64Key(o.d) && r.dNull == o.dNull &&
//			r.cnt == o.cnt
//	}
func rowSame(em *emitInfo) jen.Code {
	var terms []jen.Code
	for _, rf := range em.rowFields {
		r, o := jen.Id("r").Dot(rf.name), jen.Id("o").Dot(rf.name)
		if isFloat(rf.t) {
			r, o = toKey(rf.t, r), toKey(rf.t, o)
		}
		terms = append(terms, r.Op("==").Add(o))
		if rf.nullable {
			terms = append(terms, jen.Id("r").Dot(rf.name+"Null").Op("==").Id("o").Dot(rf.name+"Null"))
		}
	}
	expr := jen.Add(terms[0])
	for _, t := range terms[1:] {
		expr = expr.Op("&&").Line().Add(t)
	}
	return jen.Comment(fmt.Sprintf("same reports whether r is o, the %s sent before: FLOAT/DOUBLE columns compare by", em.rowType)).Line().
		Comment("their bits (-0.0 is not 0.0, NaN is NaN), the others with ==.").Line().
		Func().Params(jen.Id("r").Op("*").Id(em.rowType)).Id("same").Params(jen.Id("o").Op("*").Id(em.rowType)).Bool().Block(
		jen.Return(expr),
	)
}

// retractUpdate renders the way of the changes of an aggregate into the aggregate above
// it (an aggregate over an updating input, Flink's GroupAggFunction with retraction).
// The upper aggregate's keyed stage applies each change to its group (updateN); the
// lower one's writeN sends it there, to the task owning the group's key, or, chained,
// calls updateN directly:
//
//	func (p *stage1) write2(kind stream.RowKind, row *agg0Row) error {
//		if p.down2 != nil {
//			return p.down2.update2(kind, row)
//		}
//		kb := ... the canonical bytes of the upper group key ...
//		c := p.x2.Row(p.x2.KeyTask(kb))
//		c.kind, c.row = kind, *row
//		return nil
//	}
//
//	func (p *stage2) update2(kind stream.RowKind, row *agg0Row) error {
//		... find or add the group (aggUpdate), then per accumulator ...
//		retract := kind == stream.UpdateBefore || kind == stream.Delete
//		if retract && st.records == 0 { return nil }
//		if retract { st.records-- } else { st.records++ }
//		if retract { st.count0.Retract() } else { st.count0.Add() }
//		if st.records == 0 { st.clear() }
//		return nil
//	}
func (g *gen) retractUpdate(pl *ir.Pipeline, down *ir.Aggregate, write string, em *emitInfo, rowFields []aggField) {
	em.rowFields = rowFields
	em.sinkTable = fmt.Sprintf("the aggregate of pipeline %d", pl.ID)
	em.down = down
	from, to := g.cur, g.stageOf(down)
	g.cur = to
	wf := g.newFn(func() jen.Code { return jen.Lit("") })
	wf.names.used["kind"] = true
	wf.names.used["row"] = true
	wf.names.used["retract"] = true
	var wrow []value
	for _, rf := range rowFields {
		v := value{t: rf.t, vl: wf.define(rf.name, jen.Id("row").Dot(rf.name))}
		if rf.nullable {
			v.nl = wf.defineNull(v.vl, jen.Id("row").Dot(rf.name+"Null"))
		}
		wrow = append(wrow, v)
	}
	g.aggUpdate(wf, pl, down, wrow, nil)
	b := g.aggs[down]
	if b == nil {
		g.cur = from
		return // aggUpdate said why
	}
	update := fmt.Sprintf("update%d", pl.ID)
	params := []jen.Code{jen.Id("kind").Qual(pkgStream, "RowKind"), jen.Id("row").Op("*").Id(em.rowType)}
	g.addMethod(wf, []*ir.Pipeline{pl}, update, params, append(wf.body(), jen.Return(jen.Nil())), loopNone)

	// type agg2Change struct { kind stream.RowKind; row agg0Row }
	change := fmt.Sprintf("agg%dChange", pl.ID)
	g.types = append(g.types, jen.Comment(fmt.Sprintf("%s is a change of the aggregate read by pipeline %d, sent to the aggregate above it.", change, pl.ID)).Line().
		Type().Id(change).Struct(jen.Id("kind").Qual(pkgStream, "RowKind"), jen.Id("row").Id(em.rowType)))
	e := g.connect(from, to, change, fmt.Sprintf("the changes of pipeline %d to the aggregate above", pl.ID), fmt.Sprintf("changes%d", pl.ID))
	downF := fmt.Sprintf("down%d", pl.ID)
	from.fields = append(from.fields, jen.Comment(fmt.Sprintf("%s is the task of %s this one chains to (nil when not chained).", downF, to.typ)), jen.Id(downF).Op("*").Id(to.typ))
	e.chain = []jen.Code{jen.Id("p").Dot(downF).Op("=").Id("q")}
	from.needsKeyBuf()
	// func (p *stage2) changes2(rows []agg2Change) error { for i := range rows { ... p.update2(...) } }
	to.methods = append(to.methods, jen.Comment(fmt.Sprintf("%s applies a batch of changes sent by %s.", e.onRows, from.typ)).Line().
		Func().Params(jen.Id("p").Op("*").Id(to.typ)).Id(e.onRows).Params(jen.Id("rows").Index().Id(change)).Error().Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("rows")).Block(
			jen.If(jen.Err().Op(":=").Id("p").Dot(update).Call(jen.Id("rows").Index(jen.Id("i")).Dot("kind"), jen.Op("&").Id("rows").Index(jen.Id("i")).Dot("row")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		),
		jen.Return(jen.Nil()),
	))
	// The upper aggregate's key, from the row: its group columns are row fields.
	keyOf := func(i int) (jen.Code, jen.Code) {
		gi := down.GroupBy[i]
		rf := rowFields[gi]
		v := toKey(b.keys[i].t, jen.Id("row").Dot(rf.name))
		if !b.keys[i].nullable {
			return v, nil
		}
		if rf.nullable {
			return v, jen.Id("row").Dot(rf.name + "Null")
		}
		return v, jen.False()
	}
	out := jen.Id("p").Dot(e.out)
	body := []jen.Code{
		jen.If(jen.Id("p").Dot(downF).Op("!=").Nil()).Block(jen.Return(jen.Id("p").Dot(downF).Dot(update).Call(jen.Id("kind"), jen.Id("row")))),
	}
	body = append(body, b.appendKey("p", keyOf)...)
	body = append(body,
		jen.Id("c").Op(":=").Add(out).Dot("Row").Call(jen.Add(out).Dot("KeyTask").Call(jen.Id("kb"))),
		jen.List(jen.Id("c").Dot("kind"), jen.Id("c").Dot("row")).Op("=").List(jen.Id("kind"), jen.Op("*").Id("row")),
		jen.Return(jen.Nil()),
	)
	g.cur = from
	from.methods = append(from.methods, jen.Comment(fmt.Sprintf("%s sends one change of the aggregate of pipeline %d to the task of %s owning its group.", write, g.aggs[pl.Source.(*ir.Aggregate)].id, to.typ)).Line().
		Func().Params(jen.Id("p").Op("*").Id(from.typ)).Id(write).Params(params...).Error().Block(body...))
}

// stageOf is the keyed stage of an aggregate, made on first use.
func (g *gen) stageOf(agg *ir.Aggregate) *stageGen {
	if s := g.aggStages[agg]; s != nil {
		return s
	}
	s := g.newStage("")
	if g.aggStages == nil {
		g.aggStages = map[*ir.Aggregate]*stageGen{}
	}
	g.aggStages[agg] = s
	return s
}

// aggTypes renders the generated types of an aggregate: its key, the row each reader
// emits, and the state of one group.
func (g *gen) aggTypes(a *aggInfo) []jen.Code {
	var keyFields []jen.Code
	for _, k := range a.keys {
		kt, _ := keyGoType(k.t)
		field := jen.Id(k.name).Add(kt)
		if isFloat(k.t) {
			field = field.Comment("its bits, as Flink compares keys: -0.0 and 0.0 differ, every NaN is one key")
		}
		keyFields = append(keyFields, field)
		if k.nullable {
			keyFields = append(keyFields, jen.Id(k.name+"Null").Bool())
		}
	}
	out := []jen.Code{
		jen.Comment(fmt.Sprintf("%s is the GROUP BY key of the aggregate of pipeline %d.", a.keyType, a.id)).Line().
			Type().Id(a.keyType).Struct(keyFields...),
	}
	if a.keyString {
		out = append(out, g.keyString(a))
	}
	stFields := []jen.Code{jen.Id("key").Id(a.keyType)}
	// The bool flags go last, together: they share words instead of padding one each.
	flags := []jen.Code{jen.Id("dirty").Bool().Comment("listed in the table's dirty list")}
	for _, em := range a.emits {
		var rowTypeFields []jen.Code
		for _, rf := range em.rowFields {
			gt, _ := goType(rf.t)
			rowTypeFields = append(rowTypeFields, jen.Id(rf.name).Add(gt))
			if rf.nullable {
				rowTypeFields = append(rowTypeFields, jen.Id(rf.name+"Null").Bool())
			}
		}
		out = append(out, jen.Comment(fmt.Sprintf("%s is the row the aggregate of pipeline %d emits to %s.", em.rowType, a.id, em.sinkTable)).Line().
			Type().Id(em.rowType).Struct(rowTypeFields...))
		if em.sameMethod && em.keepOut {
			out = append(out, rowSame(em))
		}
		if !em.keepOut {
			flags = append(flags, jen.Id(em.emittedF).Bool().Comment("a row was sent to "+em.sinkTable+" (an upsert sink: no -U, no row kept)"))
			continue
		}
		flags = append(flags, jen.Id(em.emittedF).Bool().Comment(em.outF+" was sent to "+em.sinkTable+" and not retracted"))
		stFields = append(stFields, jen.Id(em.outF).Id(em.rowType).Comment("the row last sent to "+em.sinkTable+", retracted by -U/-D"))
	}
	for _, acc := range a.accs {
		fields, fl := g.accFields(acc)
		stFields = append(stFields, fields...)
		flags = append(flags, fl...)
	}
	if a.updating {
		stFields = append(stFields, jen.Id("records").Int64().Comment("rows accumulated minus rows retracted: at 0 the group is deleted"))
	}
	if a.session() {
		stFields = append(stFields, jen.List(jen.Id("sessStart"), jen.Id("sessEnd")).Int64().Comment("the session window [first row, last row + gap)"))
	}
	stFields = append(stFields, flags...)
	out = append(out, jen.Comment(fmt.Sprintf("%s is the state of one group of the aggregate of pipeline %d.", a.stType, a.id)).Line().
		Type().Id(a.stType).Struct(stFields...))
	out = append(out, g.tableDecls(a)...)
	if a.updating {
		// func (st *agg1State) clear() { *st = agg1State{key: st.key, dirty: st.dirty, out: st.out, emitted: st.emitted} }
		keep := []jen.Code{kv("key", jen.Id("st").Dot("key")), kv("dirty", jen.Id("st").Dot("dirty"))}
		for _, em := range a.emits {
			keep = append(keep, kv(em.emittedF, jen.Id("st").Dot(em.emittedF)))
			if em.keepOut {
				keep = append(keep, kv(em.outF, jen.Id("st").Dot(em.outF)))
			}
		}
		out = append(out, jen.Comment("clear resets the accumulators of a group whose every row was retracted; the key,").Line().
			Comment("the dirty mark and the rows last sent stay, for the -D of the next flush (then clean deletes").Line().
			Comment("the group, unless a row came again).").Line().
			Func().Params(jen.Id("st").Op("*").Id(a.stType)).Id("clear").Params().Block(
			jen.Op("*").Id("st").Op("=").Id(a.stType).Add(composite(true, keep...)),
		))
	}
	return out
}

// ttlCleanupSlots is the fixed part of the number of table slots a keyed task checks for
// expired groups at each barrier (state TTL), plus 1/64 of its groups: bounded work per
// barrier, like Flink's incremental cleanup, that goes round a table of any size in at
// most 64 barriers. A group found expired by a lookup is expired there too (Table.Live).
const ttlCleanupSlots = 4096

// tableDecls renders the aggregate's table type, its constructor and its methods: group
// (a key's key group), clean (after the changes were emitted) and, when the source stage
// pre-aggregates, reset (after the partial groups were sent).
func (g *gen) tableDecls(a *aggInfo) []jen.Code {
	t := jen.Id("t")
	recv := jen.Id("t").Op("*").Id(a.tableType())
	// The hash findGroup computes, from a state's key.
	var hash jen.Code = keyHash(ir.Type{}, jen.Id("st").Dot("key"))
	if a.single {
		hash = keyHash(a.keys[0].t, jen.Id("st").Dot("key").Dot(a.keys[0].name))
	}
	// clean: the flag off; over an updating input, a group without rows is deleted.
	clean := []jen.Code{
		jen.If(jen.Id("idx").Op("<").Lit(0)).Block(jen.Continue().Comment("expired since it changed")),
		jen.Id("st").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("idx")),
		jen.Id("st").Dot("dirty").Op("=").False(),
	}
	cleanDoc := jen.Comment("clean marks every group unchanged, after the changes were emitted.")
	if a.updating {
		cleanDoc = jen.Comment("clean marks every group unchanged, after the changes were emitted, and deletes the groups").Line().
			Comment("whose every row was retracted (their -D was emitted), as Flink's GroupAggFunction does.")
		clean = append(clean, jen.If(jen.Id("st").Dot("records").Op("==").Lit(0)).Block(t.Clone().Dot("Remove").Call(jen.Id("idx"))))
	}
	group := append(a.appendKey("t", a.keyFields(jen.Id("k"))), jen.Return(jen.Qual(pkgKeygroup, "Of").Call(jen.Id("kb"), jen.Id("t").Dot("keyGroups"))))
	out := []jen.Code{
		jen.Comment(fmt.Sprintf("%s holds groups of the aggregate of pipeline %d: a keyed task's own, or a source", a.tableType(), a.id)).Line().
			Comment("task's partial ones.").Line().
			Type().Id(a.tableType()).Struct(append([]jen.Code{
			jen.Qual(pkgState, "Table").Types(jen.Id(a.stType)),
			jen.Id("keyGroups").Int().Comment("pipeline.max-parallelism: a new group's key group is computed under it"),
			jen.Id("keyBuf").Index().Byte().Comment("scratch for a key's canonical bytes"),
		}, a.windowTableFields()...)...),
		jen.Comment(fmt.Sprintf("%s returns an empty table: ttl is table.exec.state.ttl (0 for a source task's", a.newTable())).Line().
			Comment("partial groups) and now the task's processing time.").Line().
			Func().Id(a.newTable()).Params(jen.Id("keyGroups").Int(), jen.Id("ttl").Qual("time", "Duration"), jen.Id("now").Func().Params().Int64()).Op("*").Id(a.tableType()).Block(
			jen.Id("t").Op(":=").Op("&").Id(a.tableType()).Values(jen.Id("keyGroups").Op(":").Id("keyGroups")),
			jen.Id("t").Dot("Init").Call(jen.Qual(pkgState, "TableConfig").Types(jen.Id(a.stType)).Values(jen.Dict{
				jen.Id("Hash"): jen.Func().Params(jen.Id("st").Op("*").Id(a.stType)).Uint64().Block(jen.Return(hash)),
				jen.Id("TTL"):  jen.Id("ttl"),
				jen.Id("Now"):  jen.Id("now"),
			})),
			jen.Return(jen.Id("t")),
		),
		jen.Comment("group returns the key group of a group key: murmur2 of its canonical bytes mod keyGroups.").Line().
			Func().Params(recv).Id("group").Params(jen.Id("k").Op("*").Id(a.keyType)).Int().Block(group...),
		cleanDoc.Line().
			Func().Params(recv).Id("clean").Params().Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("idx")).Op(":=").Range().Add(t.Clone()).Dot("Dirty").Call()).Block(clean...),
			t.Clone().Dot("ClearDirty").Call(),
		),
	}
	if a.session() {
		out = append(out, g.sessionDecl(a))
	}
	if a.partials != nil {
		out = append(out, jen.Comment("reset empties a source task's partial groups after they were sent: it drops them when").Line().
			Comment(fmt.Sprintf("there are more than %d (the bound on a task's memory; it reports true then), else keeps", partialLimit)).Line().
			Comment("their keys for the next batches with zeroed accumulators.").Line().
			Func().Params(recv).Id("reset").Params().Bool().Block(
			jen.If(t.Clone().Dot("Len").Call().Op(">").Lit(partialLimit)).Block(t.Clone().Dot("Reset").Call(), jen.Return(jen.True())),
			jen.For(jen.List(jen.Id("_"), jen.Id("idx")).Op(":=").Range().Add(t.Clone()).Dot("Dirty").Call()).Block(
				jen.Id("ps").Op(":=").Add(t.Clone()).Dot("At").Call(jen.Id("idx")),
				jen.Op("*").Id("ps").Op("=").Id(a.stType).Values(jen.Id("key").Op(":").Id("ps").Dot("key")),
			),
			t.Clone().Dot("ClearDirty").Call(),
			jen.Return(jen.False()),
		))
	}
	return out
}

func init() { register[*ir.Aggregate](aggEmitter{}) }

// aggEmitter generates an Aggregate: the end of the pipelines that build it (in the
// source stage: pre-aggregation, or forwarding the row to its group's owner), and the
// source of the pipelines that read it (the loop over the groups changed since the last
// barrier, in its keyed stage).
type aggEmitter struct{}

func (aggEmitter) label(n ir.Node) string {
	agg := n.(*ir.Aggregate)
	in := agg.Input.Schema()
	var gs []string
	for _, g := range agg.GroupBy {
		gs = append(gs, in[g].Name)
	}
	return "Aggregate(groupBy=[" + strings.Join(gs, ", ") + "])"
}

// imports are the packages of its Go aggregate functions and their accumulators.
func (aggEmitter) imports(n ir.Node) []string {
	var out []string
	for _, ac := range n.(*ir.Aggregate).Aggs {
		out = append(out, udafImportPaths(ac)...)
	}
	return out
}

func (aggEmitter) source(g *gen, pl *ir.Pipeline) { g.emitPipeline(pl, pl.Source.(*ir.Aggregate)) }

func (aggEmitter) end(g *gen, f *fn, pl *ir.Pipeline, row []value) {
	agg := pl.Sink.(*ir.Aggregate)
	before := f.useCounts()
	upd := f.nest(func() { g.aggUpdate(f, pl, agg, row, nil) })
	a := g.aggs[agg]
	if a == nil || a.partials == nil || a.partials.from != g.cur {
		f.emit(upd...)
		return
	}
	// A source task pre-aggregates, or forwards the row to the group's owner.
	if a.raw == nil {
		g.rawEdge(a, pl)
	}
	mid := f.useCounts()
	fwd := f.nest(func() { g.aggForward(f, a, row) })
	flag := fmt.Sprintf("fwd%d", a.id)
	if f.cur == f.top && len(g.curGroup) == 1 && !f.vectorized() {
		// The loop's last statement: scanPipeline makes two loops of it, one for each
		// branch, and picks one per batch (loopSplit).
		f.split = &loopSplit{at: len(*f.top), local: upd, forward: fwd, flag: flag}
		f.blankOneSided(before, mid)
	}
	f.emit(jen.If(jen.Id("p").Dot(flag)).Block(fwd...).Else().Block(upd...))
}

// keyString renders the String method of an aggregate's key type, which names a group
// in a row error ("group [province=NULL]") with the values as CAST(... AS STRING) gives
// them.
//
//	func (k *agg0Key) String() string {
//		v := [1]string{"NULL"}
//		if !k.provinceNull {
//			v[0] = k.province
//		}
//		return "[province=" + v[0] + "]"
//	}
func (g *gen) keyString(a *aggInfo) jen.Code {
	f := g.newFn(func() jen.Code { return jen.Lit("") })
	f.names.used["k"], f.names.used["v"] = true, true
	var text *jen.Statement
	// A key column's name: its group column's; a window aggregate's keys skip the
	// window properties and end with the slice.
	names := a.node.Names
	if w := a.node.Window; w != nil {
		names = nil
		for _, p := range w.KeyPositions(a.node.GroupBy) {
			names = append(names, a.node.Names[p])
		}
		names = append(names, "slice_end")
	}
	for i, k := range a.keys {
		x := value{t: k.t, vc: fromKey(k.t, jen.Id("k").Dot(k.name))}
		var s jen.Code = x.V()
		if !k.t.IsString() {
			s = f.formatValue(x)
		}
		set := jen.Id("v").Index(jen.Lit(i)).Op("=").Add(s)
		if k.nullable {
			set = jen.If(jen.Op("!").Id("k").Dot(k.name + "Null")).Block(set)
		}
		f.emit(set)
		if i == 0 {
			text = jen.Lit("[" + names[i] + "=").Op("+").Id("v").Index(jen.Lit(i))
		} else {
			text = text.Op("+").Lit(", " + names[i] + "=").Op("+").Id("v").Index(jen.Lit(i))
		}
	}
	nulls := make([]jen.Code, len(a.keys))
	for i := range nulls {
		nulls[i] = jen.Lit("NULL")
	}
	body := append([]jen.Code{jen.Id("v").Op(":=").Index(jen.Lit(len(a.keys))).String().Values(nulls...)}, f.body()...)
	body = append(body, jen.Return(text.Op("+").Lit("]")))
	return jen.Comment("String names the group in messages: its key's columns and values.").Line().
		Func().Params(jen.Id("k").Op("*").Id(a.keyType)).Id("String").Params().String().Block(body...)
}
