package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Vectorized UDFs (ir.Function.Vectorized, the counterpart of PyFlink's pandas UDFs)
// take one slice per argument and return one slice of results, and are called once per
// batch. In a scan pipeline the fused loop over the batch is split at a Calc that calls
// them:
//
//	for ; r < len(b.Records); r++ {       // loop 1: decode, Calcs before the call, WHERE
//		...
//		p.vec1Rows = append(p.vec1Rows, int32(r))      // the row reaches the call
//		p.vec1c0 = append(p.vec1c0, uuid)              // live columns the rest reads
//		if !client_ipNull {                            // NULL into a plain element: not passed
//			p.vec1k0Idx = append(p.vec1k0Idx, int32(len(p.vec1k0a0)))
//			p.vec1k0a0 = append(p.vec1k0a0, client_ip)
//		} else {
//			p.vec1k0Idx = append(p.vec1k0Idx, -1)
//		}
//	}
//	var res []string                             // one call per batch
//	if len(p.vec1k0a0) > 0 {
//		res2, err := func() (res []string, err error) { defer recover...; return udfs.F(p.vec1k0a0) + length check }()
//		if err != nil {
//			return job.AtRow(err, vectorizedBatch(b, p.vec1Rows))
//		}
//		res = res2
//	}
//	for vi, vr := range p.vec1Rows {             // loop 2: the rest of the pipeline
//		r = int(vr)
//		uuid := p.vec1c0[vi]
//		var province string
//		provinceNull := true
//		if k := p.vec1k0Idx[vi]; k >= 0 && int(k) < len(res) {
//			province, provinceNull = res[k], false
//		}
//		... later Calcs, breaker ...
//	}
//
// The Calc is rewritten (splitVectorized): its Lets are inlined; WHERE conjuncts without
// a vectorized call filter in loop 1, before the call; the innermost vectorized calls
// (of the WHERE's remaining conjuncts if any, else of the projections) are hoisted, all
// in one split, deduplicated; the rest of the Calc becomes a Calc over the live columns
// and the results, compiled in loop 2, where a nested vectorized call splits again. As
// Flink does with Python calcs, a hoisted call runs for every row that reaches the
// Calc, also inside a CASE arm or an AND/OR operand that would not be evaluated.
//
// The buffers are fields of the stage's operator reused across batches (no allocation per row once
// they have grown). Anywhere else (a pipeline after an aggregate, a computed column) a
// vectorized call is made per row with one-element slices (vectorizedRowCall).

// vecGen numbers the vectorized splits and call sites of the program.
type vecGen struct{ n int }

// vecFn is the vectorized state of a scan pipeline's method: buffer resets at its start
// and the stages (calls and loop 2) after its loop over the batch.
type vecFn struct {
	resets []jen.Code
	stages []*vecStage
}

// vecStage is one split: the calls, then the loop over the buffered rows.
type vecStage struct {
	calls []jen.Code
	head  jen.Code
	body  *[]jen.Code
}

// enableVectorized lets the scan pipeline's function split its loop at vectorized calls.
func (f *fn) enableVectorized() { f.vec = &vecFn{} }

// vectorized reports whether the loop was split at a vectorized call.
func (f *fn) vectorized() bool { return f.vec != nil && len(f.vec.stages) > 0 }

// vectorizedMethodBody is the body of a scan pipeline's method around its loop: the
// buffer resets, the loop, the stages of its splits.
func (f *fn) vectorizedMethodBody(loop jen.Code) []jen.Code {
	if f.vec == nil || len(f.vec.stages) == 0 {
		return []jen.Code{loop, jen.Return(jen.Nil())}
	}
	out := append([]jen.Code{}, f.vec.resets...)
	out = append(out, loop)
	for _, s := range f.vec.stages {
		out = append(out, s.calls...)
		out = append(out, jen.Add(s.head).Block(*s.body...))
	}
	return append(out, jen.Return(jen.Nil()))
}

func isVectorizedCall(e ir.Expr) bool {
	u, ok := e.(*ir.UDFCall)
	return ok && u.Fn != nil && u.Fn.Vectorized
}

// hasVectorized reports whether e calls a vectorized function.
func hasVectorized(e ir.Expr) bool {
	found := false
	ir.WalkExpr(e, func(x ir.Expr) {
		if isVectorizedCall(x) {
			found = true
		}
	})
	return found
}

func calcHasVectorized(c *ir.Calc) bool {
	if hasVectorized(c.Cond) {
		return true
	}
	for _, e := range c.Lets {
		if hasVectorized(e) {
			return true
		}
	}
	for _, e := range c.Exprs {
		if hasVectorized(e) {
			return true
		}
	}
	return false
}

// conjuncts splits a condition at its top-level ANDs.
func conjuncts(e ir.Expr) []ir.Expr {
	if c, ok := e.(*ir.Call); ok && c.Op == ir.OpAnd {
		var out []ir.Expr
		for _, a := range c.Args {
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	return []ir.Expr{e}
}

// vecBuf is an operator field buffering one column of a split.
type vecBuf struct {
	field, null string // null: the field of the null flags, "" when never NULL
}

// vecArgs are the buffers of one vectorized call's arguments.
type vecArgs struct {
	call  *ir.UDFCall
	idx   string   // per buffered row: index into the argument slices, -1 when not passed
	args  []string // per parameter: the slice passed ([]T) or the values behind the pointers
	nulls []string // per pointer parameter: its NULL flags ("" for plain parameters)
	ptrs  []string // per pointer parameter: the []*T slice passed
	never bool     // a plain parameter's argument is always NULL: never called
	// failed is the local holding the call's error under 'on-error' = 'dead-letter'
	// (set by vecInvoke; vecDeadLetter routes the rows passed when it is not nil).
	failed string
}

// splitVectorized compiles calcs[0], which calls vectorized functions, by splitting the
// scan loop (see the top of this file), and the Calcs after it in loop 2. It returns
// false, compiling nothing, when the function cannot split or the Calc has no such call.
func (f *fn) splitVectorized(calcs []*ir.Calc, inFields []ir.Field, onFilter func() []jen.Code) bool {
	if f.vec == nil || len(calcs) == 0 || !calcHasVectorized(calcs[0]) {
		return false
	}
	c := calcs[0]
	in := f.in

	// Inline the Lets: each part of the Calc is evaluated on its side of the split.
	lets := make([]ir.Expr, len(c.Lets))
	inline := func(e ir.Expr) ir.Expr {
		return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
			if l, ok := x.(*ir.LocalRef); ok && l.Index >= 0 && l.Index < len(lets) && lets[l.Index] != nil {
				return lets[l.Index], true
			}
			return nil, false
		})
	}
	for i, e := range c.Lets {
		lets[i] = inline(e)
	}
	var pre, post []ir.Expr
	if c.Cond != nil {
		for _, conj := range conjuncts(inline(c.Cond)) {
			if hasVectorized(conj) {
				post = append(post, conj)
			} else {
				pre = append(pre, conj)
			}
		}
	}
	exprs := make([]ir.Expr, len(c.Exprs))
	for i, e := range c.Exprs {
		exprs[i] = inline(e)
	}

	// The calls of this split: the innermost vectorized calls of the WHERE (if it has
	// any; the projections' calls then run on the rows it keeps, in the next split),
	// else of the projections.
	var calls []*ir.UDFCall
	keys := map[string]int{}
	collect := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) {
			u, ok := x.(*ir.UDFCall)
			if !ok || !isVectorizedCall(u) {
				return
			}
			for _, a := range u.Args {
				if hasVectorized(a) {
					return
				}
			}
			k := ir.FormatExpr(u, inFields)
			if _, dup := keys[k]; !dup {
				keys[k] = len(calls)
				calls = append(calls, u)
			}
		})
	}
	if len(post) > 0 {
		for _, e := range post {
			collect(e)
		}
	} else {
		for _, e := range exprs {
			collect(e)
		}
	}

	// The rest of the Calc reads the live input columns and the calls' results:
	// hoisted calls become markers -1-k, then input references are renumbered.
	hoist := func(e ir.Expr) ir.Expr {
		return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
			if u, ok := x.(*ir.UDFCall); ok && isVectorizedCall(u) {
				if k, ok := keys[ir.FormatExpr(u, inFields)]; ok {
					return &ir.InputRef{Index: -1 - k, T: u.T, Pos: u.Pos}, true
				}
			}
			return nil, false
		})
	}
	for i := range post {
		post[i] = hoist(post[i])
	}
	for i := range exprs {
		exprs[i] = hoist(exprs[i])
	}
	liveSet := map[int]bool{}
	noteLive := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) {
			if r, ok := x.(*ir.InputRef); ok && r.Index >= 0 {
				liveSet[r.Index] = true
			}
		})
	}
	for _, e := range post {
		noteLive(e)
	}
	for _, e := range exprs {
		noteLive(e)
	}
	live := make([]int, 0, len(liveSet))
	for i := range liveSet {
		live = append(live, i)
	}
	sort.Ints(live)
	liveAt := map[int]int{}
	for j, i := range live {
		liveAt[i] = j
	}
	renumber := func(e ir.Expr) ir.Expr {
		return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
			r, ok := x.(*ir.InputRef)
			if !ok {
				return nil, false
			}
			c := *r
			if r.Index < 0 {
				c.Index = len(live) + (-1 - r.Index)
			} else {
				c.Index = liveAt[r.Index]
			}
			return &c, true
		})
	}
	rest := &ir.Calc{Input: c.Input, Names: c.Names}
	for _, e := range post {
		e = renumber(e)
		if rest.Cond == nil {
			rest.Cond = e
		} else {
			rest.Cond = &ir.Call{Op: ir.OpAnd, Args: []ir.Expr{rest.Cond, e}, T: ir.Boolean()}
		}
	}
	for _, e := range exprs {
		rest.Exprs = append(rest.Exprs, renumber(e))
	}
	restFields := make([]ir.Field, 0, len(live)+len(calls))
	for _, i := range live {
		restFields = append(restFields, inFields[i])
	}
	for _, u := range calls {
		restFields = append(restFields, ir.Field{Name: ir.FormatExpr(u, inFields), Type: u.T})
	}

	// Loop 1: the WHERE conjuncts that need no vectorized result, then buffer the row.
	f.lets = nil
	for _, conj := range pre {
		f.emit(f.g.comment("WHERE "+ir.FormatExpr(conj, inFields), conj.Span()))
		cond := f.expr(conj)
		// if !cond { continue }
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(cond.V()))).Block(onFilter()...))
	}
	f.g.vec.n++
	prefix := "vec" + itoa(f.g.vec.n)
	// Loop 2 sets r, which then lives outside the loops; the method's recover (which
	// reads udfSites) names the row of a panic outside the calls.
	f.usesSite = true
	for _, u := range calls {
		f.g.udfSite(u.Fn.Name, f.g.pos(u.Pos))
	}
	var names []string
	for _, u := range calls {
		names = append(names, ir.FormatExpr(u, inFields))
	}
	f.emit(jen.Comment(oneLine(fmt.Sprintf("Vectorized: buffer the row for %s, called once per batch", strings.Join(names, ", ")))))
	rows := f.vecField(prefix+"Rows", jen.Int32())
	// p.vec1Rows = append(p.vec1Rows, int32(r))
	f.emit(vecAppend(rows, jen.Int32().Call(jen.Id("r"))))
	bufs := make([]vecBuf, len(live))
	for j, i := range live {
		v := in[i]
		if v.always || v.konst != nil {
			continue // a constant needs no buffer
		}
		gt, ok := goType(v.t)
		if !ok {
			f.checkType(v.t, c.Exprs[0].Span())
			return true
		}
		bufs[j].field = f.vecField(fmt.Sprintf("%sc%d", prefix, j), gt)
		f.emit(vecAppend(bufs[j].field, v.V()))
		if n := v.N(); n != nil {
			bufs[j].null = f.vecField(fmt.Sprintf("%sc%dNull", prefix, j), jen.Bool())
			f.emit(vecAppend(bufs[j].null, n))
		}
	}
	argBufs := make([]*vecArgs, len(calls))
	for k, u := range calls {
		argBufs[k] = f.vecBufferArgs(fmt.Sprintf("%sk%d", prefix, k), u)
	}

	// The calls, after loop 1.
	where := jen.Id("b").Dot("WhereRows").Call(jen.Id("p").Dot(rows))
	results := make([]string, len(calls))
	stage := &vecStage{}
	stage.calls = f.nest(func() {
		for k, a := range argBufs {
			if a != nil && !a.never {
				results[k] = f.vecInvoke(a, fmt.Sprintf("%sk%d", prefix, k), where)
			}
		}
	})
	// Loop 2: reload the live columns, read the results, compile the rest.
	body := []jen.Code{}
	f.cur = &body
	vi, vr := f.names.fresh("vi"), f.names.fresh("vr")
	stage.head = jen.For(jen.List(jen.Id(vi), jen.Id(vr)).Op(":=").Range().Id("p").Dot(rows))
	stage.body = &body
	f.vec.stages = append(f.vec.stages, stage)
	// r = int(vr)
	f.emit(jen.Id("r").Op("=").Int().Call(jen.Id(vr)))
	restIn := make([]value, 0, len(live)+len(calls))
	for j, i := range live {
		v := in[i]
		if bufs[j].field == "" {
			restIn = append(restIn, v)
			continue
		}
		base := sanitize(inFields[i].Name)
		nv := value{t: v.t}
		// x := p.vec1c0[vi]
		nv.vl = f.define(base, jen.Id("p").Dot(bufs[j].field).Index(jen.Id(vi)))
		if bufs[j].null != "" {
			nv.nl = f.defineNull(nv.vl, jen.Id("p").Dot(bufs[j].null).Index(jen.Id(vi)))
		}
		restIn = append(restIn, nv)
	}
	for k, u := range calls {
		a := argBufs[k]
		if a == nil || a.never {
			restIn = append(restIn, nullValue(u.T))
			continue
		}
		// Named after the column when a projection is the call itself.
		base := u.Fn.Name
		for i, e := range rest.Exprs {
			if r, ok := e.(*ir.InputRef); ok && r.Index == len(live)+k && i < len(c.Names) {
				base = c.Names[i]
				f.emit(f.g.comment(fmt.Sprintf("%s = %s", c.Names[i], names[k]), u.Pos))
				break
			}
		}
		f.vecDeadLetter(a, jen.Id("p").Dot(a.idx).Index(jen.Id(vi)), func() []jen.Code { return []jen.Code{jen.Continue()} })
		restIn = append(restIn, f.vecResult(u, base, results[k], jen.Id("p").Dot(a.idx).Index(jen.Id(vi))))
	}
	f.runCalcs(append([]*ir.Calc{rest}, calcs[1:]...), restIn, restFields, func() []jen.Code { return []jen.Code{jen.Continue()} })
	return true
}

// vecField declares a per-batch buffer field of the operator ([]T), reset at the start of
// each batch, and returns its name.
func (f *fn) vecField(name string, elem jen.Code) string {
	f.g.cur.fields = append(f.g.cur.fields, jen.Id(name).Index().Add(elem))
	if f.vec != nil {
		// p.vec1Rows = p.vec1Rows[:0]
		f.vec.resets = append(f.vec.resets, jen.Id("p").Dot(name).Op("=").Id("p").Dot(name).Index(jen.Empty(), jen.Lit(0)))
	}
	return name
}

// vecAppend renders p.field = append(p.field, x).
func vecAppend(field string, x jen.Code) jen.Code {
	return jen.Id("p").Dot(field).Op("=").Append(jen.Id("p").Dot(field), x)
}

// udfElemType renders the Go element type of a vectorized parameter or result as
// written ("[]*float64" -> float64, "[][]byte" -> []byte).
func udfElemType(goType string) (string, jen.Code) {
	t := strings.TrimPrefix(strings.TrimPrefix(goType, "[]"), "*")
	switch t {
	case "time.Time":
		return t, jen.Qual("time", "Time")
	case "[]byte":
		return t, jen.Index().Byte()
	}
	return t, jen.Id(t)
}

// vecCheck reports what the code generator cannot call; false after an error.
func (f *fn) vecCheck(c *ir.UDFCall) bool {
	fnd := c.Fn
	if !f.checkType(c.T, c.Pos) {
		return false
	}
	if len(fnd.Params) == 0 || fnd.Variadic || !strings.HasPrefix(fnd.ResultGo, "[]") {
		f.g.errorf(c.Pos, "function %s is marked vectorized but its Go signature %s is not func(a []T1, ...) []R", fnd.Name, ir.GoSignature(fnd))
		return false
	}
	if len(c.Args) != len(fnd.Params) {
		f.g.errorf(c.Pos, "function %s takes %d argument(s), got %d", fnd.Name, len(fnd.Params), len(c.Args))
		return false
	}
	resGo, _ := udfElemType(fnd.ResultGo)
	if !udfTypeOK(resGo, fnd.Result) {
		f.g.errorf(c.Pos, "function %s: Go result type %s is not supported by the code generator yet", fnd.Name, fnd.ResultGo)
		return false
	}
	for i, p := range fnd.Params {
		if !strings.HasPrefix(p.GoType, "[]") {
			f.g.errorf(c.Args[i].Span(), "function %s is marked vectorized but its Go parameter %s is %s, not a slice", fnd.Name, p.Name, p.GoType)
			return false
		}
		goT, _ := udfElemType(p.GoType)
		if !udfTypeOK(goT, p.Type) {
			f.g.errorf(c.Args[i].Span(), "function %s: Go parameter type %s is not supported by the code generator yet", fnd.Name, p.GoType)
			return false
		}
	}
	return true
}

// vecBufferArgs evaluates a vectorized call's arguments in the current row and appends
// them to the call's buffers: a row with a NULL argument for a plain (non-pointer)
// element is not passed (its index is -1); pointer elements get their value and NULL
// flag, turned into a []*T after the loop. nil after an error.
func (f *fn) vecBufferArgs(prefix string, c *ir.UDFCall) *vecArgs {
	if !f.vecCheck(c) {
		return nil
	}
	fnd := c.Fn
	a := &vecArgs{call: c}
	vals := make([]value, len(c.Args))
	var strict []value
	for i, e := range c.Args {
		p := fnd.Params[i]
		vals[i] = f.convert(f.expr(e), p.Type, e.Span())
		if !p.Pointer {
			if vals[i].always {
				a.never = true
			}
			strict = append(strict, vals[i])
		}
	}
	if a.never {
		return a
	}
	a.idx = f.vecField(prefix+"Idx", jen.Int32())
	a.args = make([]string, len(c.Args))
	a.nulls = make([]string, len(c.Args))
	a.ptrs = make([]string, len(c.Args))
	var appends []jen.Code
	for i, p := range fnd.Params {
		goT, elem := udfElemType(p.GoType)
		a.args[i] = f.vecField(fmt.Sprintf("%sa%d", prefix, i), elem)
		x := vals[i]
		var v jen.Code
		switch {
		case x.always:
			v = jen.Op("*").New(elem)
		case goT == "time.Time":
			v = jen.Qual(pkgTypes, "GoTime").Call(x.V())
		default:
			v = x.V()
		}
		appends = append(appends, vecAppend(a.args[i], v))
		if p.Pointer {
			a.nulls[i] = f.vecField(fmt.Sprintf("%sa%dNull", prefix, i), jen.Bool())
			n := x.N()
			if n == nil {
				n = jen.False()
			}
			appends = append(appends, vecAppend(a.nulls[i], n))
			a.ptrs[i] = f.vecField(fmt.Sprintf("%sp%d", prefix, i), jen.Op("*").Add(elem))
		}
	}
	// p.vec1k0Idx = append(p.vec1k0Idx, int32(len(p.vec1k0a0)))
	setIdx := vecAppend(a.idx, jen.Int32().Call(jen.Len(jen.Id("p").Dot(a.args[0]))))
	appends = append([]jen.Code{setIdx}, appends...)
	if null := orNull(strict...); null != nil {
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(null))).Block(appends...).Else().Block(vecAppend(a.idx, jen.Lit(-1))))
	} else {
		f.emit(appends...)
	}
	return a
}

// vecInvoke emits the call of a vectorized function over its buffered arguments, once,
// when some row reached it. A returned error, a panic or a result of the wrong length
// fails the job naming the SQL position and where (the batch's rows), or with 'on-error'
// = 'null' leaves every result of the call NULL. Either way every row passed counts in
// the job counter "udf.<name>.errors". It returns the local holding the results.
//
//	var res []float64
//	if len(p.vec1k0a0) > 0 {
//		res2, err := func() (res []float64, err error) {
//			defer func() {
//				if rv := recover(); rv != nil {
//					res, err = nil, job.UDFPanic("job.sql:3:8", "vnorm", rv)
//				}
//			}()
//			res = udfs.Normalize(p.vec1k0a0)
//			if len(res) != len(p.vec1k0a0) {
//				return nil, job.RowError("", "job.sql:3:8", "function %s returned %d results for %d rows ...", ...)
//			}
//			return res, nil
//		}()
//		if err != nil {
//			return job.AtRow(err, where)
//		}
//		res = res2
//	}
func (f *fn) vecInvoke(a *vecArgs, prefix string, where jen.Code) string {
	c, fnd := a.call, a.call.Fn
	pos := f.g.pos(c.Pos)
	_, resElem := udfElemType(fnd.ResultGo)
	resType := jen.Index()
	if fnd.ResultPointer {
		resType = resType.Op("*")
	}
	resType = resType.Add(resElem)
	res := f.names.fresh("res")
	// var res []R
	f.emit(jen.Var().Id(res).Add(resType))
	if fnd.OnError == ir.ErrorDeadLetter {
		// var verr error: the call's failure, read per row in loop 2
		a.failed = f.names.fresh("verr")
		f.emit(jen.Var().Id(a.failed).Error())
	}
	n := jen.Len(jen.Id("p").Dot(a.args[0]))
	var body []jen.Code
	var params []jen.Code
	for i, p := range fnd.Params {
		if !p.Pointer {
			params = append(params, jen.Id("p").Dot(a.args[i]))
			continue
		}
		// p.vec1k0p1 = p.vec1k0p1[:0]
		// for i := range p.vec1k0a1 { if p.vec1k0a1Null[i] { append nil } else { append &p.vec1k0a1[i] } }
		j := f.names.fresh("j")
		body = append(body,
			jen.Id("p").Dot(a.ptrs[i]).Op("=").Id("p").Dot(a.ptrs[i]).Index(jen.Empty(), jen.Lit(0)),
			jen.For(jen.Id(j).Op(":=").Range().Id("p").Dot(a.args[i])).Block(
				jen.If(jen.Id("p").Dot(a.nulls[i]).Index(jen.Id(j))).Block(
					vecAppend(a.ptrs[i], jen.Nil()),
				).Else().Block(
					vecAppend(a.ptrs[i], jen.Op("&").Id("p").Dot(a.args[i]).Index(jen.Id(j))),
				),
			),
		)
		params = append(params, jen.Id("p").Dot(a.ptrs[i]))
	}
	call := jen.Qual(fnd.ImportPath, fnd.GoName).Call(params...)
	if fnd.Receiver != "" {
		// p.udf1_scorer.Eval(p.vec1k0a0): the function type's instance (udfpolicy.go)
		call = jen.Id("p").Dot(f.g.udfInstance(fnd)).Dot(fnd.Method).Call(params...)
	}
	// The failures: positioned job errors, or, for a dead-letter row's error_message,
	// the function's own error as a scalar call's dead letter has it ("panic: ..." for
	// a panic).
	panicErr := jen.Qual(pkgJob, "UDFPanic").Call(jen.Lit(pos), jen.Lit(fnd.Name), jen.Id("rv"))
	returnedErr := jen.Qual(pkgJob, "UDFError").Call(jen.Lit(pos), jen.Lit(fnd.Name), jen.Err())
	const lengthMsg = "function %s returned %d results for %d rows (a vectorized function returns exactly one result per row)"
	lengthErr := jen.Qual(pkgJob, "RowError").Call(jen.Lit(""), jen.Lit(pos), jen.Lit(lengthMsg), jen.Lit(fnd.Name), jen.Len(jen.Id("res")), n)
	if a.failed != "" {
		panicErr = jen.Qual("fmt", "Errorf").Call(jen.Lit("panic: %v"), jen.Id("rv"))
		returnedErr = jen.Err()
		lengthErr = jen.Qual("fmt", "Errorf").Call(jen.Lit(lengthMsg), jen.Lit(fnd.Name), jen.Len(jen.Id("res")), n)
	}
	var inner []jen.Code
	inner = append(inner, jen.Defer().Func().Params().Block(
		jen.If(jen.Id("rv").Op(":=").Id("recover").Call(), jen.Id("rv").Op("!=").Nil()).Block(
			jen.List(jen.Id("res"), jen.Err()).Op("=").List(jen.Nil(), panicErr),
		),
	).Call())
	if fnd.ReturnsError {
		inner = append(inner,
			jen.If(jen.List(jen.Id("res"), jen.Err()).Op("=").Add(call), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), returnedErr),
			))
	} else {
		inner = append(inner, jen.Id("res").Op("=").Add(call))
	}
	inner = append(inner,
		jen.If(jen.Len(jen.Id("res")).Op("!=").Add(n)).Block(
			jen.Return(jen.Nil(), lengthErr),
		),
		jen.Return(jen.Id("res"), jen.Nil()),
	)
	got := f.names.fresh("res")
	body = append(body, jen.List(jen.Id(got), jen.Err()).Op(":=").Func().Params().Params(jen.Id("res").Add(resType), jen.Err().Error()).Block(inner...).Call())
	// Every row of a failed call counts as a failure: udf.<name>.errors (udfpolicy.go).
	count := jen.Id("p").Dot(f.g.udfCounter(fnd, "errors")).Dot("Add").Call(jen.Int64().Call(n))
	switch fnd.OnError {
	case ir.ErrorNull:
		// if err != nil { p.udfCount1.Add(int64(n)) } else { res = res2 }
		body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(count).Else().Block(jen.Id(res).Op("=").Id(got)))
	case ir.ErrorDeadLetter:
		// if err != nil { verr = err } else { res = res2 }: each row passed is counted
		// and routed in loop 2 (vecDeadLetter).
		body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id(a.failed).Op("=").Err()).Else().Block(jen.Id(res).Op("=").Id(got)))
	default:
		// if err != nil { p.udfCount1.Add(int64(n)); return job.AtRow(err, where) }
		body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(count, jen.Return(jen.Qual(pkgJob, "AtRow").Call(jen.Err(), where))),
			jen.Id(res).Op("=").Id(got))
	}
	f.emit(f.g.comment(fmt.Sprintf("%s: one call for the rows buffered", fnd.Name), c.Pos))
	f.emit(jen.If(jen.Len(jen.Id("p").Dot(a.args[0])).Op(">").Lit(0)).Block(body...))
	return res
}

// vecResult emits the result of one row: NULL unless the row was passed (idx >= 0)
// and the call succeeded; a nil element of a pointer result is NULL.
//
//	var nx float64
//	nxNull := true
//	if k := p.vec1k0Idx[vi]; k >= 0 && int(k) < len(res) {
//		nx, nxNull = res[k], false
//	}
func (f *fn) vecResult(c *ir.UDFCall, base, res string, idx jen.Code) value {
	fnd := c.Fn
	resGo, _ := udfElemType(fnd.ResultGo)
	v := f.declare(sanitize(base), f.goType(c.T))
	nl := f.defineNull(v, jen.True())
	conv := func(x jen.Code) jen.Code {
		if resGo == "time.Time" {
			return jen.Qual(pkgTypes, "FromGoTime").Call(x)
		}
		return x
	}
	k := f.names.fresh("k")
	var set jen.Code
	if fnd.ResultPointer {
		e := f.names.fresh("e")
		set = jen.If(jen.Id(e).Op(":=").Id(res).Index(jen.Id(k)), jen.Id(e).Op("!=").Nil()).Block(
			jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Op("*").Id(e)), jen.False()))
	} else {
		set = jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Id(res).Index(jen.Id(k))), jen.False())
	}
	f.emit(jen.If(jen.Id(k).Op(":=").Add(idx), jen.Id(k).Op(">=").Lit(0).Op("&&").Int().Call(jen.Id(k)).Op("<").Len(jen.Id(res))).Block(set))
	return value{t: c.T, vl: v, nl: nl}
}

// vecDeadLetter emits, under 'on-error' = 'dead-letter', what a row passed to a failed
// call does: as a failed scalar call (udfFailure), it is counted, written to the
// dead-letter table with its own arguments and position, and dropped (drop). Every row
// of the batch's call shares the call's error: one failure cannot be told from another.
//
//	if k := p.vec1k0Idx[vi]; k >= 0 {
//		if err := verr; err != nil {
//			... udfFailure: count, dead-letter row (arguments p.vec1k0a0[k]), continue ...
//		}
//	}
func (f *fn) vecDeadLetter(a *vecArgs, idx jen.Code, drop func() []jen.Code) {
	if a.failed == "" {
		return
	}
	k := f.names.fresh("k")
	var params []jen.Code
	for i, p := range a.call.Fn.Params {
		if p.Pointer {
			params = append(params, jen.Id("p").Dot(a.ptrs[i]).Index(jen.Id(k)))
		} else {
			params = append(params, jen.Id("p").Dot(a.args[i]).Index(jen.Id(k)))
		}
	}
	saved := f.drop
	f.drop = drop
	failure := f.udfFailure(a.call, params)
	f.drop = saved
	// err is declared in the condition: a dead-letter table without error_message
	// does not read it.
	f.emit(jen.If(jen.Id(k).Op(":=").Add(idx), jen.Id(k).Op(">=").Lit(0)).Block(
		jen.If(jen.Err().Op(":=").Id(a.failed), jen.Err().Op("!=").Nil()).Block(failure...)))
}

// vectorizedRowCall compiles a vectorized call where the loop cannot be split (a
// pipeline after an aggregate, a computed column): the function is called for the row
// with one-element slices, held in reused buffers.
func (f *fn) vectorizedRowCall(c *ir.UDFCall) value {
	f.emit(f.g.comment(fmt.Sprintf("%s: vectorized, called per row here", c.Fn.Name), c.Pos))
	saved := f.vec
	f.vec = nil // no resets: the buffers are emptied before each row
	defer func() { f.vec = saved }()
	f.g.vec.n++
	prefix := "vec" + itoa(f.g.vec.n) + "k0"
	var a *vecArgs
	var stmts []jen.Code
	res := ""
	stmts = f.nest(func() {
		a = f.vecBufferArgs(prefix, c)
		if a == nil || a.never {
			return
		}
		// Run once per row: the buffers hold this row only.
		reset := []jen.Code{jen.Id("p").Dot(a.idx).Op("=").Id("p").Dot(a.idx).Index(jen.Empty(), jen.Lit(0))}
		for i := range a.args {
			reset = append(reset, jen.Id("p").Dot(a.args[i]).Op("=").Id("p").Dot(a.args[i]).Index(jen.Empty(), jen.Lit(0)))
			if a.nulls[i] != "" {
				reset = append(reset, jen.Id("p").Dot(a.nulls[i]).Op("=").Id("p").Dot(a.nulls[i]).Index(jen.Empty(), jen.Lit(0)))
			}
		}
		body := *f.cur
		*f.cur = append(reset, body...)
		res = f.vecInvoke(a, prefix, f.where())
	})
	if a == nil {
		return nullValue(c.T)
	}
	if a.never {
		return nullValue(c.T)
	}
	f.emit(stmts...)
	f.vecDeadLetter(a, jen.Id("p").Dot(a.idx).Index(jen.Lit(0)), f.drop)
	return f.vecResult(c, c.Fn.Name, res, jen.Id("p").Dot(a.idx).Index(jen.Lit(0)))
}
