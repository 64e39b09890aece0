package ir

import (
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// Binding calls of Go aggregate functions (AggUDF). A call of a function declared with
// CREATE FUNCTION whose Go type has an Accumulate method is an aggregate call wherever
// a built-in aggregate's would be: it makes a SELECT an aggregation, may appear in
// HAVING, takes FILTER (WHERE ...), and is an error in WHERE, GROUP BY, or nested in
// another aggregate's arguments.

// aggUDF returns the aggregate function fc calls, or nil.
func (b *binder) aggUDF(fc *parser.FuncCall) *Function {
	if len(fc.Name.Parts) != 1 || fc.Over != nil {
		return nil
	}
	fn := b.funcs[strings.ToLower(fc.Name.Parts[0].Name)]
	if fn == nil || fn.Kind != AggregateFunction || fn.Agg == nil {
		return nil
	}
	return fn
}

// isAggCall reports whether fc calls an aggregate: a built-in one or a Go one.
func (b *binder) isAggCall(fc *parser.FuncCall) bool {
	return isAggName(fc) || b.aggUDF(fc) != nil
}

// containsAggCall is containsAgg counting Go aggregate functions too.
func (b *binder) containsAggCall(e parser.Expr) bool {
	return b.aggCallSpan(e) != (diag.Span{Start: -1, End: -1})
}

// aggCallSpan is aggSpan counting Go aggregate functions too.
func (b *binder) aggCallSpan(e parser.Expr) diag.Span {
	return aggSpanFunc(e, b.isAggCall)
}

// udafCall binds a call of Go aggregate function fn in an aggregate query: each
// argument (converted to its Go parameter's SQL type) and the FILTER become columns of
// the pre-aggregation Calc, the call an AggCall of the Aggregate.
func (b *binder) udafCall(st *aggState, fc *parser.FuncCall, fn *Function) (Expr, *bindError) {
	sig := AccumulateSignature(fn)
	if fc.Star {
		return nil, b.errorf(fc.Span, "%s(*) is not valid; aggregate function %s takes %d argument(s) (Go: %s in %s)", fn.Name, fn.Name, len(fn.Params), sig, fn.ImportPath)
	}
	if fc.Distinct {
		return nil, b.errorf(fc.Span, "DISTINCT is not supported yet for Go aggregate function %s", fn.Name)
	}
	if len(fc.Args) != len(fn.Params) {
		return nil, b.errorf(fc.Span, "aggregate function %s takes %d argument(s), got %d (Go: %s in %s)", fn.Name, len(fn.Params), len(fc.Args), sig, fn.ImportPath)
	}
	argCtx := &exprCtx{sc: st.in.sc, clause: "aggregate arguments", inAgg: true}
	call := AggCall{Func: AggUDF, Fn: fn, Pos: fc.Span, Args: []Expr{}}
	for i, a := range fc.Args {
		x, err := b.expr(argCtx, a)
		if err != nil {
			return nil, err
		}
		p := fn.Params[i]
		at := x.Type()
		if at.Kind != KindNull && !SupportsImplicitCast(at, p.Type) {
			return nil, b.errorf(a.ExprSpan(), "argument %d of %s has type %s, which does not convert to %s (Go parameter %s of %s in %s)", i+1, fn.Name, at, p.Type.WithNull(), p.GoType, sig, fn.ImportPath)
		}
		x = convertKeepNull(x, p.Type)
		col := st.preColumn(x, "")
		call.Args = append(call.Args, &InputRef{Index: col, Name: st.preNames[col], T: x.Type()})
	}
	if fc.Filter != nil {
		f, err := b.predicate(st.in.sc, fc.Filter, "FILTER")
		if err != nil {
			return nil, err
		}
		col := st.preColumn(f, "")
		call.Filter = &InputRef{Index: col, Name: st.preNames[col], T: f.Type()}
	}
	// GetValue is called for every group, also one whose rows were all skipped or
	// filtered out: the result is NULL only where the Go result can be nil, or where
	// 'on-error' = 'null' turns a failed GetValue into NULL.
	call.T = fn.Result
	call.T.Nullable = fn.ResultPointer || fn.OnError == ErrorNull
	j := len(st.aggs)
	if n, ok := st.itemAggName[fc]; ok {
		call.Name = n
	} else {
		call.Name = "$f" + strconv.Itoa(st.nGroup+j)
	}
	st.aggs = append(st.aggs, call)
	return &InputRef{Index: st.nGroup + j, Name: call.Name, T: call.T, Pos: fc.Span}, nil
}
