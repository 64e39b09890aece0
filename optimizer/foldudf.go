package optimizer

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// UDFEvaluator evaluates calls of user-defined functions on constant arguments at
// compile time, for FoldUDFs. The compiler cannot call Go code it has not linked, so
// package udf's FoldEvaluator builds and runs a small program in the user's module; the
// Table API, which holds the function values, can evaluate them in process
// (udf.ReflectEvaluator).
type UDFEvaluator interface {
	// EvalUDFs evaluates each call, whose arguments are all *ir.Literal of the
	// parameter types, and returns one result per call, in order. A call that fails
	// (an error, a panic, an Open that fails) has Err set and stays in the plan; an
	// error from EvalUDFs itself (the helper program does not build) folds nothing.
	EvalUDFs(calls []*ir.UDFCall) ([]UDFResult, error)
}

// UDFResult is the value of one UDF call evaluated at compile time.
type UDFResult struct {
	// Value is the result in ir.Literal's representation for the call's result type
	// (string, int64, float64, bool, []byte, a timestamp's ISO string); nil is NULL.
	Value any
	Err   error
}

// FoldUDFs replaces calls of deterministic scalar UDFs whose arguments are all literals
// by the literal they evaluate to (marked with Literal.Folded, which dumps and generated
// code show). A call with a NULL argument for a non-pointer parameter is NULL without
// calling the function, as at run time. Calls of non-deterministic functions
// (//sqlcstream:nondeterministic, WITH ('deterministic' = 'false')) and vectorized ones
// are never folded; a call that fails at compile time is not folded and fails (or
// follows its 'on-error' policy) at run time. Identical calls are evaluated once.
//
// The returned plan is a copy; p is not modified. The bool reports whether anything
// was folded.
func FoldUDFs(p *ir.Plan, ev UDFEvaluator) (*ir.Plan, bool) {
	q := copyPlan(p)
	return q, foldUDFPlan(q, ev)
}

// foldUDFPlan folds the foldable UDF calls of p in place: every expression of every
// operator reachable from a sink.
func foldUDFPlan(p *ir.Plan, ev UDFEvaluator) bool {
	if ev == nil {
		return false
	}
	// Collect the distinct foldable calls.
	var calls []*ir.UDFCall
	index := map[string]int{}
	collect := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) {
			c, ok := x.(*ir.UDFCall)
			if !ok || !foldableUDF(c) {
				return
			}
			c = literalCall(c)
			if nullShortCircuit(c) {
				return
			}
			k := udfCallKey(c)
			if _, seen := index[k]; !seen {
				index[k] = len(calls)
				calls = append(calls, c)
			}
		})
	}
	ir.Walk(p, func(n ir.Node) { ir.VisitExprs(n, collect) })
	nullFolds := false
	ir.Walk(p, func(n ir.Node) {
		ir.VisitExprs(n, func(e ir.Expr) {
			ir.WalkExpr(e, func(x ir.Expr) {
				if c, ok := x.(*ir.UDFCall); ok && foldableUDF(c) && nullShortCircuit(literalCall(c)) {
					nullFolds = true
				}
			})
		})
	})
	if len(calls) == 0 && !nullFolds {
		return false
	}
	var results []UDFResult
	if len(calls) > 0 {
		var err error
		results, err = ev.EvalUDFs(calls)
		if err != nil || len(results) != len(calls) {
			results = nil
		}
	}
	folded := false
	fold := func(e ir.Expr) ir.Expr {
		return ir.RewriteExpr(e, func(x ir.Expr) ir.Expr {
			c, ok := x.(*ir.UDFCall)
			if !ok || !foldableUDF(c) {
				return x
			}
			c = literalCall(c)
			if nullShortCircuit(c) {
				folded = true
				return &ir.Literal{Value: nil, T: c.T, Pos: c.Pos, Folded: ir.FormatExpr(c, nil)}
			}
			i, ok := index[udfCallKey(c)]
			if !ok || results == nil || results[i].Err != nil {
				return x
			}
			v := results[i].Value
			if v == nil && !c.T.Nullable {
				return x // a NOT NULL result cannot be NULL: leave it to run time
			}
			folded = true
			return &ir.Literal{Value: v, T: c.T, Pos: c.Pos, Folded: ir.FormatExpr(c, nil)}
		})
	}
	rewritePlan(p, func(n ir.Node) ir.Node { return ir.MapExprs(n, fold) })
	return folded
}

// foldableUDF: a deterministic, non-vectorized scalar UDF call whose arguments are all
// literals of their parameters' type family.
func foldableUDF(c *ir.UDFCall) bool {
	fn := c.Fn
	if fn == nil || !fn.Deterministic || fn.Vectorized || fn.Kind != ir.ScalarFunction {
		return false
	}
	n := len(fn.Params)
	if n == 0 && len(c.Args) > 0 {
		return false
	}
	for i, a := range c.Args {
		l, ok := argLiteral(a)
		if !ok {
			return false
		}
		if l.Value == nil {
			continue
		}
		if !literalFitsParam(l.T, fn.Params[min(i, n-1)].Type) {
			return false
		}
	}
	return true
}

// argLiteral returns the literal an argument is: a Literal, or a CAST of one to a
// wider precision of the same type (TIMESTAMP(3) to the TIMESTAMP(9) of a time.Time
// parameter), whose text stands for the same value.
func argLiteral(e ir.Expr) (*ir.Literal, bool) {
	switch e := e.(type) {
	case *ir.Literal:
		return e, true
	case *ir.Cast:
		l, ok := e.X.(*ir.Literal)
		if !ok || e.Try {
			return nil, false
		}
		switch {
		case l.Value == nil:
			return &ir.Literal{T: e.T, Pos: l.Pos}, true
		case (l.T.Kind == ir.KindTimestamp || l.T.Kind == ir.KindTimestampLTZ) && e.T.Kind == l.T.Kind && e.T.Precision >= l.T.Precision:
			c := *l
			c.T = e.T
			return &c, true
		}
	}
	return nil, false
}

// literalCall returns c with its arguments as literals (see argLiteral); c must be
// foldableUDF.
func literalCall(c *ir.UDFCall) *ir.UDFCall {
	n := *c
	n.Args = make([]ir.Expr, len(c.Args))
	for i, a := range c.Args {
		l, _ := argLiteral(a)
		n.Args[i] = l
	}
	return &n
}

// literalFitsParam: a literal of type t can be passed to a parameter of SQL type p as
// is (Literal's representation of p's kind).
func literalFitsParam(t, p ir.Type) bool {
	switch {
	case t.Kind == p.Kind:
		return true
	case t.IsString() && p.IsString():
		return true
	case (t.Kind == ir.KindBinary || t.Kind == ir.KindVarbinary) && (p.Kind == ir.KindBinary || p.Kind == ir.KindVarbinary):
		return true
	}
	return false
}

// nullShortCircuit: a NULL literal goes to a non-pointer parameter, so the call is NULL
// without calling the function (as generated code does).
func nullShortCircuit(c *ir.UDFCall) bool {
	n := len(c.Fn.Params)
	for i, a := range c.Args {
		if l, ok := a.(*ir.Literal); ok && l.Value == nil && n > 0 && !c.Fn.Params[min(i, n-1)].Pointer {
			return true
		}
	}
	return false
}

// udfCallKey identifies a call: its signature and its arguments' values and types.
func udfCallKey(c *ir.UDFCall) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%p:%s.%s.%s(", c.Fn, c.Fn.ImportPath, c.Fn.GoName, c.Fn.Method)
	for _, a := range c.Args {
		l := a.(*ir.Literal)
		fmt.Fprintf(&b, "%s:%#v,", l.T, l.Value)
	}
	return b.String()
}
