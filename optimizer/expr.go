package optimizer

import (
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Expression helpers shared by the passes. Expressions are treated as immutable values:
// a pass never changes an Expr it did not create in the same call, it builds a new one.
// That is what lets the bound plan stay printable next to the optimized one.

// cloneExpr returns a deep copy of e. Catalog objects (*ir.Function) are shared.
func cloneExpr(e ir.Expr) ir.Expr { return ir.RewriteExpr(e, func(x ir.Expr) ir.Expr { return x }) }

func cloneExprs(es []ir.Expr) []ir.Expr {
	if es == nil {
		return nil
	}
	out := make([]ir.Expr, len(es))
	for i, e := range es {
		out[i] = cloneExpr(e)
	}
	return out
}

// isTrivial reports expressions that cost nothing to repeat.
func isTrivial(e ir.Expr) bool {
	switch e.(type) {
	case *ir.InputRef, *ir.LocalRef, *ir.Literal:
		return true
	}
	return false
}

// safeOps are built-ins that never fail at runtime (integer overflow wraps as in Java,
// DECIMAL overflow gives NULL as in Flink).
var safeOps = map[ir.Op]bool{
	ir.OpAdd: true, ir.OpSub: true, ir.OpMul: true, ir.OpNeg: true,
	ir.OpEq: true, ir.OpNe: true, ir.OpLt: true, ir.OpLe: true, ir.OpGt: true, ir.OpGe: true,
	ir.OpAnd: true, ir.OpOr: true, ir.OpNot: true,
	ir.OpIsNull: true, ir.OpIsNotNull: true, ir.OpIsTrue: true, ir.OpIsFalse: true,
	ir.OpConcat: true, ir.OpIn: true,
	"UPPER": true, "LOWER": true, "CHAR_LENGTH": true, "CHARACTER_LENGTH": true,
	"COALESCE": true, "CONCAT": true, "ABS": true, "TRIM": true, "LTRIM": true, "RTRIM": true,
}

// canFail reports whether evaluating e might fail the job: a UDF call (it may panic or
// return an error), division or MOD by something that is not a non-zero literal, a CAST
// that may reject its input, or a built-in not known to be safe.
func canFail(e ir.Expr) bool {
	fails := false
	ir.WalkExpr(e, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.UDFCall:
			fails = true
		case *ir.Call:
			switch {
			case x.Op == ir.OpDiv || x.Op == ir.OpMod:
				if len(x.Args) != 2 || !isNonZeroLiteral(x.Args[1]) {
					fails = true
				}
			case x.Op == ir.OpLike:
				if len(x.Args) > 2 { // a bad ESCAPE fails
					fails = true
				}
			case !safeOps[x.Op]:
				fails = true
			}
		case *ir.Cast:
			if !x.Try && !castNeverFails(x.X.Type(), x.T) {
				fails = true
			}
		}
	})
	return fails
}

func isNonZeroLiteral(e ir.Expr) bool {
	l, ok := e.(*ir.Literal)
	if !ok || l.Value == nil {
		return false
	}
	r, ok := litRat(l)
	return ok && r.Sign() != 0
}

// castNeverFails reports whether CAST from one type to another cannot fail for any
// value: the same type modulo nullability, widening between integers, integers to
// DOUBLE/FLOAT, and integers to a DECIMAL wide enough to hold them.
func castNeverFails(from, to ir.Type) bool {
	if from.Kind == ir.KindNull {
		return to.Nullable
	}
	if from.Nullable && !to.Nullable {
		return false // a NULL value fails the cast
	}
	if from.NotNull().Equal(to.NotNull()) {
		return true
	}
	if from.IsInteger() {
		switch {
		case to.IsInteger():
			return intBits(to.Kind) >= intBits(from.Kind)
		case to.Kind == ir.KindDouble || to.Kind == ir.KindFloat:
			return true
		case to.Kind == ir.KindDecimal:
			return to.Precision-to.Scale >= ir.IntegerDigits(from.Kind)
		}
	}
	if from.Kind == ir.KindFloat && to.Kind == ir.KindDouble {
		return true
	}
	if from.Kind == ir.KindDecimal && (to.Kind == ir.KindDouble || to.Kind == ir.KindFloat) {
		return true
	}
	if from.Kind == ir.KindDecimal && to.Kind == ir.KindDecimal {
		return to.Precision-to.Scale >= from.Precision-from.Scale && to.Scale >= from.Scale
	}
	if from.IsString() && to.Kind == ir.KindVarchar && to.Length >= from.Length {
		return true
	}
	return false
}

func intBits(k ir.Kind) int {
	switch k {
	case ir.KindTinyInt:
		return 8
	case ir.KindSmallInt:
		return 16
	case ir.KindInt:
		return 32
	case ir.KindBigInt:
		return 64
	}
	return 0
}

// exprSize counts the nodes of e.
func exprSize(e ir.Expr) int {
	n := 0
	ir.WalkExpr(e, func(ir.Expr) { n++ })
	return n
}

// inputRefs adds to set the input columns e reads.
func inputRefs(e ir.Expr, set map[int]bool) {
	ir.WalkExpr(e, func(x ir.Expr) {
		if r, ok := x.(*ir.InputRef); ok {
			set[r.Index] = true
		}
	})
}

// localRefs adds to set the Lets e reads.
func localRefs(e ir.Expr, set map[int]bool) {
	ir.WalkExpr(e, func(x ir.Expr) {
		if r, ok := x.(*ir.LocalRef); ok {
			set[r.Index] = true
		}
	})
}

// remapInputs returns e with every InputRef i replaced by InputRef m[i].
func remapInputs(e ir.Expr, m []int) ir.Expr {
	return ir.RewriteExpr(e, func(x ir.Expr) ir.Expr {
		if r, ok := x.(*ir.InputRef); ok {
			r.Index = m[r.Index]
		}
		return x
	})
}

// remapLocals returns e with every LocalRef i replaced by LocalRef m[i].
func remapLocals(e ir.Expr, m []int) ir.Expr {
	return ir.RewriteExpr(e, func(x ir.Expr) ir.Expr {
		if r, ok := x.(*ir.LocalRef); ok {
			r.Index = m[r.Index]
		}
		return x
	})
}

// conjuncts splits a condition on AND.
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

// and joins conditions with AND (nil for none); the result is nullable if any part is.
func and(parts ...ir.Expr) ir.Expr {
	var kept []ir.Expr
	for _, p := range parts {
		if p != nil {
			kept = append(kept, p)
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	out := kept[0]
	for _, p := range kept[1:] {
		t := ir.Boolean()
		t.Nullable = out.Type().Nullable || p.Type().Nullable
		out = &ir.Call{Op: ir.OpAnd, Args: []ir.Expr{out, p}, T: t}
	}
	return out
}

// guardedAnd returns guard AND rest for a condition where rest used to be evaluated
// only for rows that passed guard. Three-valued AND still evaluates its right operand
// when the left one is NULL, so a nullable guard in front of something that can fail is
// wrapped in IS TRUE, which turns NULL into FALSE and keeps the short-circuit.
func guardedAnd(guard, rest ir.Expr) ir.Expr {
	if guard != nil && rest != nil && guard.Type().Nullable && canFail(rest) {
		guard = &ir.Call{Op: ir.OpIsTrue, Args: []ir.Expr{guard}, T: ir.Boolean().NotNull(), Pos: guard.Span()}
	}
	return and(guard, rest)
}

// unconditionalKeys returns the keys of the subexpressions of e that are evaluated
// whenever e is: the operands of AND/OR, CASE and unknown functions after the first
// may be skipped by short-circuit evaluation, so they (and what is below them) are left
// out. Operators known to evaluate every operand are followed all the way down.
func unconditionalKeys(e ir.Expr, set map[string]bool) {
	if e == nil {
		return
	}
	set[ir.ExprKey(e)] = true
	kids := ir.Children(e)
	switch x := e.(type) {
	case *ir.Call:
		if !strictOps[x.Op] {
			kids = kids[:min(1, len(kids))]
		}
	case *ir.Case:
		kids = kids[:1] // the first WHEN's condition
	}
	for _, k := range kids {
		unconditionalKeys(k, set)
	}
}

// strictOps evaluate all their operands.
var strictOps = map[ir.Op]bool{
	ir.OpAdd: true, ir.OpSub: true, ir.OpMul: true, ir.OpDiv: true, ir.OpMod: true, ir.OpNeg: true,
	ir.OpEq: true, ir.OpNe: true, ir.OpLt: true, ir.OpLe: true, ir.OpGt: true, ir.OpGe: true,
	ir.OpNot: true, ir.OpIsNull: true, ir.OpIsNotNull: true, ir.OpIsTrue: true, ir.OpIsFalse: true,
	ir.OpConcat: true, ir.OpLike: true,
	"UPPER": true, "LOWER": true, "CHAR_LENGTH": true, "CHARACTER_LENGTH": true, "ABS": true,
	"TRIM": true, "LTRIM": true, "RTRIM": true,
}
