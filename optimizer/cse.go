package optimizer

import (
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// EliminateCommonSubexpressions makes every non-trivial deterministic subexpression that
// occurs more than once in a Calc (in its Lets, condition and projections together) a
// Let, read through LocalRef, so it is computed once per row. An expression already
// equal to a Let is replaced by a LocalRef to it. Equality is structural (same operator,
// same operands, same types; positions and display names do not count). A UDFCall is
// deterministic when its Function says so.
//
// Lets are evaluated for every input row before the condition (see ir.Calc), while an
// occurrence may be evaluated only sometimes: after the condition, or in the right
// operand of AND/OR, a later CASE arm. So an expression that can fail (a UDF call, a
// division, a CAST that may reject its input) is hoisted only if one of its occurrences
// is evaluated for every input row anyway: in the condition outside any short-circuit
// operand, or, when the Calc has no condition, in a projection outside any
// short-circuit operand. Larger expressions are hoisted first; the Lets are ordered so
// that each reads only earlier ones.
//
// The returned plan is a copy; p is not modified.
func EliminateCommonSubexpressions(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	csePlan(q)
	return q
}

func csePlan(p *ir.Plan) {
	rewritePlan(p, func(n ir.Node) ir.Node {
		if c, ok := n.(*ir.Calc); ok {
			cseCalc(c)
		}
		return n
	})
}

// calcExprs lists the expressions of a Calc that CSE scans: lets, condition, projections.
func calcExprs(c *ir.Calc) []*ir.Expr {
	var out []*ir.Expr
	for i := range c.Lets {
		out = append(out, &c.Lets[i])
	}
	if c.Cond != nil {
		out = append(out, &c.Cond)
	}
	for i := range c.Exprs {
		out = append(out, &c.Exprs[i])
	}
	return out
}

func cseCalc(c *ir.Calc) {
	// Occurrences of an existing Let's body become LocalRefs first.
	for i := range c.Lets {
		replaceAll(c, ir.ExprKey(c.Lets[i]), i)
	}
	for {
		key, e := bestCandidate(c)
		if e == nil {
			break
		}
		c.Lets = append(c.Lets, cloneExpr(e))
		replaceAll(c, key, len(c.Lets)-1)
	}
	orderLets(c)
}

// replaceAll replaces every occurrence of the expression with the given key by a
// LocalRef to Let idx, except in Let idx itself (whose body is the expression).
func replaceAll(c *ir.Calc, key string, idx int) {
	for i, p := range calcExprs(c) {
		if i == idx {
			continue // Lets come first in calcExprs, so slot idx is Let idx
		}
		*p = ir.ReplaceExpr(*p, func(x ir.Expr) (ir.Expr, bool) {
			if ir.ExprKey(x) == key {
				return &ir.LocalRef{Index: idx, T: x.Type()}, true
			}
			return x, false
		})
	}
}

// bestCandidate finds the largest non-trivial deterministic expression occurring at
// least twice that may be hoisted into a Let (see EliminateCommonSubexpressions).
func bestCandidate(c *ir.Calc) (string, ir.Expr) {
	count := map[string]int{}
	first := map[string]ir.Expr{}
	var order []string
	for _, p := range calcExprs(c) {
		ir.WalkExpr(*p, func(x ir.Expr) {
			if isTrivial(x) {
				return
			}
			k := ir.ExprKey(x)
			if count[k] == 0 {
				first[k] = x
				order = append(order, k)
			}
			count[k]++
		})
	}
	// Subexpressions evaluated for every row that reaches the Lets.
	always := map[string]bool{}
	for _, e := range c.Lets {
		unconditionalKeys(e, always)
	}
	if c.Cond != nil {
		unconditionalKeys(c.Cond, always)
	} else {
		for _, e := range c.Exprs {
			unconditionalKeys(e, always)
		}
	}
	bestKey, bestSize := "", 0
	var best ir.Expr
	for _, k := range order {
		e := first[k]
		if count[k] < 2 || !ir.IsDeterministic(e) {
			continue
		}
		if canFail(e) && !always[k] {
			continue
		}
		if s := exprSize(e); s > bestSize {
			bestKey, bestSize, best = k, s, e
		}
	}
	return bestKey, best
}

// orderLets sorts the Lets so each reads only earlier ones (stable otherwise) and
// renumbers every LocalRef.
func orderLets(c *ir.Calc) {
	n := len(c.Lets)
	deps := make([]map[int]bool, n)
	for i, e := range c.Lets {
		deps[i] = map[int]bool{}
		localRefs(e, deps[i])
	}
	placed := make([]bool, n)
	var order []int
	for len(order) < n {
		progress := false
		for i := 0; i < n; i++ {
			if placed[i] {
				continue
			}
			ready := true
			for d := range deps[i] {
				if !placed[d] {
					ready = false
					break
				}
			}
			if ready {
				placed[i] = true
				order = append(order, i)
				progress = true
				break
			}
		}
		if !progress {
			return // a cycle cannot happen; leave the Lets as they are rather than loop
		}
	}
	m := make([]int, n)
	sorted := true
	for newIdx, old := range order {
		m[old] = newIdx
		if old != newIdx {
			sorted = false
		}
	}
	if sorted {
		return
	}
	lets := make([]ir.Expr, n)
	for newIdx, old := range order {
		lets[newIdx] = remapLocals(c.Lets[old], m)
	}
	c.Lets = lets
	if c.Cond != nil {
		c.Cond = remapLocals(c.Cond, m)
	}
	for i, e := range c.Exprs {
		c.Exprs[i] = remapLocals(e, m)
	}
}
