package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Go aggregate functions (ir.AggUDF calls; Flink's AggregateFunction).
//
// Each function gets one instance per task of the stage that calls it, as function
// types do (udfInstance in udfpolicy.go: a field of the stage's operator, created and
// opened by init, closed by close):
//
//	udf1_weighted_avg *udf.WeightedAvg
//	...
//	p.udf1_weighted_avg = new(udf.WeightedAvg)
//
// Each call keeps its accumulator in the group's state, created lazily on the group's
// first row (and again after a source task's partial table was reset):
//
//	udaf1     *udf.WeightedAvgAcc // weighted_avg(price, qty)
//	udaf1Init bool
//
// The build side folds each row in (skipping rows where an argument of a non-pointer
// parameter is NULL; strings and byte slices are copies the function may keep):
//
//	if !st.udaf1Init {
//		st.udaf1, st.udaf1Init = p.udf1_weighted_avg.CreateAccumulator(), true
//	}
//	if !qtyNull {
//		site = 2
//		p.udf1_weighted_avg.Accumulate(st.udaf1, price, qty)  // st.udaf1 = p.udf1_weighted_avg.Accumulate(...) for value accumulators
//		site = 0
//	}
//
// Over an updating input (an aggregate over an aggregate) a -U or -D row calls Retract
// instead of Accumulate.
//
// The flush side calls GetValue for the group's row:
//
//	res := p.udf1_weighted_avg.GetValue(st.udaf1)
//	if res != nil { avg_price, avg_priceNull = *res, false }
//
// Local-global aggregation folds a source task's partial accumulator into the keyed
// task's with Merge (udafMerge); without Merge, source tasks forward rows instead
// (aggregate_merge.go). A snapshot saves the accumulator through the codec its
// contract gives (snapshot.go).

// udafImportPaths lists the packages generated code names for an aggregate call: the
// function's and its accumulator type's (collectUDFs gives them aliases).
func udafImportPaths(ac ir.AggCall) []string {
	if ac.Fn == nil {
		return nil
	}
	out := []string{ac.Fn.ImportPath}
	if ac.Fn.Agg != nil && ac.Fn.Agg.AccImportPath != "" {
		out = append(out, ac.Fn.Agg.AccImportPath)
	}
	return out
}

// udafAccType renders the accumulator's Go type.
func udafAccType(info *ir.AggregateInfo) jen.Code {
	if info.AccName == "" {
		return jen.Id(info.AccGo) // built from predeclared types only: valid Go as written
	}
	t := jen.Qual(info.AccImportPath, info.AccName)
	if info.AccPointer {
		return jen.Op("*").Add(t)
	}
	return t
}

// formatUDAFCall renders a Go aggregate call as SQL for comments.
func formatUDAFCall(ac ir.AggCall, in []ir.Field) string {
	var args []string
	for _, x := range ac.Args {
		args = append(args, ir.FormatExpr(x, in))
	}
	s := ac.Fn.Name + "(" + strings.Join(args, ", ") + ")"
	if ac.Filter != nil {
		s += " FILTER (WHERE " + ir.FormatExpr(ac.Filter, in) + ")"
	}
	return s
}

// udafCreate renders `if !st.x1Init { st.x1, st.x1Init = p.udf1_weighted_avg.CreateAccumulator(), true }`
// for state variable st.
func udafCreate(st, field, inst string) jen.Code {
	s := func(suffix string) *jen.Statement { return jen.Id(st).Dot(field + suffix) }
	return jen.If(jen.Op("!").Add(s("Init"))).Block(
		jen.List(s(""), s("Init")).Op("=").List(jen.Id("p").Dot(inst).Dot("CreateAccumulator").Call(), jen.True()),
	)
}

// udafUpdate emits the build side of one Go aggregate call for the current row.
func (g *gen) udafUpdate(f *fn, acc *accInfo) {
	ac := acc.call
	fnd := ac.Fn
	acc.kind = "udaf"
	if fnd.Agg == nil || len(ac.Args) != len(fnd.Params) {
		g.errorf(ac.Pos, "internal error: aggregate function %s called with %d arguments for %d parameters", fnd.Name, len(ac.Args), len(fnd.Params))
		return
	}
	inst := g.udfInstance(fnd)
	type arg struct {
		v value
		p ir.Param
	}
	var args []arg
	var strict []value
	for i, e := range ac.Args {
		p := fnd.Params[i]
		goT := strings.TrimPrefix(p.GoType, "*")
		if !udfTypeOK(goT, p.Type) {
			g.errorf(e.Span(), "function %s: Go parameter type %s is not supported by the code generator yet", fnd.Name, p.GoType)
			return
		}
		v := f.convert(f.expr(e), p.Type, ac.Pos)
		if !p.Pointer {
			if v.always {
				// Every row is skipped: the accumulator only gets created.
				f.emit(udafCreate("st", acc.field, inst))
				return
			}
			strict = append(strict, v)
		}
		args = append(args, arg{v: v, p: p})
	}
	f.emit(udafCreate("st", acc.field, inst))
	site := g.udfSite(fnd.Name, g.pos(ac.Pos))
	f.usesSite = true
	call := func() {
		params := []jen.Code{jen.Id("st").Dot(acc.field)}
		for i, a := range args {
			goT := strings.TrimPrefix(a.p.GoType, "*")
			x := a.v
			// The function may keep what it receives: strings and bytes outlive the batch.
			conv := x.V()
			switch goT {
			case "time.Time":
				conv = jen.Qual(pkgTypes, "GoTime").Call(x.V())
			case "string":
				conv = jen.Qual("strings", "Clone").Call(x.V())
			case "[]byte":
				conv = jen.Qual("bytes", "Clone").Call(x.V())
			}
			if !a.p.Pointer {
				params = append(params, conv)
				continue
			}
			// var argN *T
			// if !xNull { argNv := x; argN = &argNv }
			pn := f.names.fresh("arg" + itoa(i))
			pv := f.names.fresh("arg" + itoa(i) + "v")
			var gt jen.Code = jen.Id(goT)
			switch goT {
			case "time.Time":
				gt = jen.Qual("time", "Time")
			case "[]byte":
				gt = jen.Index().Byte()
			}
			f.emit(jen.Var().Id(pn).Op("*").Add(gt))
			set := []jen.Code{jen.Id(pv).Op(":=").Add(conv), jen.Id(pn).Op("=").Op("&").Id(pv)}
			if n := x.N(); n != nil {
				f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(n))).Block(set...))
			} else {
				f.emit(set...)
			}
			params = append(params, jen.Id(pn))
		}
		callOf := func(method string) jen.Code {
			callExpr := jen.Id("p").Dot(inst).Dot(method).Call(params...)
			if fnd.Agg.ValueAcc {
				// st.udaf1 = p.udf1_weighted_avg.Accumulate(st.udaf1, x)
				return jen.Id("st").Dot(acc.field).Op("=").Add(callExpr)
			}
			return callExpr
		}
		f.emit(jen.Id("site").Op("=").Lit(site))
		if acc.retract {
			// Over an updating input -U and -D rows call Retract (the binder required it).
			f.emit(jen.If(jen.Id("retract")).Block(callOf("Retract")).Else().Block(callOf("Accumulate")))
		} else {
			f.emit(callOf("Accumulate"))
		}
		f.emit(jen.Id("site").Op("=").Lit(0))
	}
	stmts := f.nest(call)
	if null := orNull(strict...); null != nil {
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(null))).Block(stmts...))
	} else {
		f.emit(stmts...)
	}
}

// udafFields renders the state struct fields of a Go aggregate call.
func (g *gen) udafFields(acc *accInfo) []jen.Code {
	return []jen.Code{
		jen.Comment(oneLine(formatUDAFCall(acc.call, acc.inFields))),
		jen.Id(acc.field).Add(udafAccType(acc.call.Fn.Agg)),
		jen.Id(acc.field + "Init").Bool().Comment("created by CreateAccumulator"),
	}
}

// udafResult emits GetValue of a Go aggregate call for the flush pipeline (st is the
// group's state).
func (g *gen) udafResult(f *fn, acc *accInfo, name string) value {
	ac := acc.call
	fnd := ac.Fn
	t := ac.T
	if !f.checkType(t, ac.Pos) {
		return nullValue(t)
	}
	resGo := strings.TrimPrefix(fnd.ResultGo, "*")
	if !udfTypeOK(resGo, fnd.Result) {
		g.errorf(ac.Pos, "function %s: Go result type %s is not supported by the code generator yet", fnd.Name, fnd.ResultGo)
		return nullValue(t)
	}
	inst := g.udfInstance(fnd)
	f.emit(udafCreate("st", acc.field, inst))
	site := g.udfSite(fnd.Name, g.pos(ac.Pos))
	f.usesSite = true
	v := f.declare(name, f.goType(t))
	var nl *local
	if t.Nullable {
		nl = f.defineNull(v, jen.True())
	}
	call := jen.Id("p").Dot(inst).Dot("GetValue").Call(jen.Id("st").Dot(acc.field))
	res := f.names.fresh("res")
	f.emit(jen.Id("site").Op("=").Lit(site))
	if fnd.OnError == ir.ErrorNull {
		// Under 'on-error' = 'null' a returned error or a panic of GetValue is counted
		// and the group's result is NULL (the binder made it nullable):
		//
		//	res, err := func() (out int64, ferr error) { defer ...recover...; return p.udf1_f.GetValue(st.udaf1) }()
		//	if err != nil { p.udfCount1.Add(1) } else { v, vNull = res, false }
		f.emit(f.guardedCall(fnd, res, call), jen.Id("site").Op("=").Lit(0))
	} else if fnd.ReturnsError {
		// res, err := p.udf1_weighted_avg.GetValue(st.udaf1)
		// if err != nil { return job.UDFError("job.sql:3:5", "weighted_avg", err) }
		f.emit(
			jen.List(jen.Id(res), jen.Err()).Op(":=").Add(call),
			jen.Id("site").Op("=").Lit(0),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Qual(pkgJob, "UDFError").Call(jen.Lit(g.pos(ac.Pos)), jen.Lit(fnd.Name), jen.Err())),
			),
		)
	} else {
		f.emit(jen.Id(res).Op(":=").Add(call), jen.Id("site").Op("=").Lit(0))
	}
	conv := func(r jen.Code) jen.Code {
		if resGo == "time.Time" {
			return jen.Qual(pkgTypes, "FromGoTime").Call(r)
		}
		return r
	}
	var assign jen.Code
	if fnd.ResultPointer {
		// if res != nil { v, vNull = *res, false }
		assign = jen.If(jen.Id(res).Op("!=").Nil()).Block(
			jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Op("*").Id(res)), jen.False()),
		)
	} else if nl != nil {
		assign = jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Id(res)), jen.False())
	} else {
		assign = v.id().Op("=").Add(conv(jen.Id(res)))
	}
	if fnd.OnError == ir.ErrorNull {
		f.emit(jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Id("p").Dot(g.udfCounter(fnd, "errors")).Dot("Add").Call(jen.Lit(1)),
		).Else().Block(assign))
	} else {
		f.emit(assign)
	}
	out := value{t: t, vl: v}
	if nl != nil {
		out.nl = nl
	}
	return out
}

// udafMerge returns the statements folding the partial accumulator of a group (ps, sent
// by a source task) into the keyed task's (st), or nil when the function has no Merge:
// source tasks then forward rows. The partial is the source task's no more once sent,
// so a pointer accumulator can be moved rather than merged into a fresh one.
//
//	if ps.udaf1Init {
//		if !st.udaf1Init {
//			st.udaf1, st.udaf1Init = ps.udaf1, true
//		} else {
//			p.udf1_weighted_avg.Merge(st.udaf1, ps.udaf1)    // st.udaf1 = p.udf1_weighted_avg.Merge(...) for value accumulators
//		}
//	}
func (g *gen) udafMerge(acc *accInfo) []jen.Code {
	fnd := acc.call.Fn
	if fnd == nil || fnd.Agg == nil || !fnd.Agg.HasMerge {
		return nil
	}
	inst := g.udfInstance(fnd)
	st := func(suffix string) *jen.Statement { return jen.Id("st").Dot(acc.field + suffix) }
	ps := func(suffix string) *jen.Statement { return jen.Id("ps").Dot(acc.field + suffix) }
	merge := jen.Id("p").Dot(inst).Dot("Merge").Call(st(""), ps(""))
	if fnd.Agg.ValueAcc {
		merge = st("").Op("=").Add(merge)
	}
	return []jen.Code{
		jen.If(ps("Init")).Block(
			jen.If(jen.Op("!").Add(st("Init"))).Block(
				jen.List(st(""), st("Init")).Op("=").List(ps(""), jen.True()),
			).Else().Block(merge),
		),
	}
}
