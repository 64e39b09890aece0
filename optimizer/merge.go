package optimizer

import (
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// MergeCalcs fuses a Calc that reads another Calc into one Calc over the lower Calc's
// input, substituting the lower projections into the upper expressions, and removes
// Calcs that pass their input through unchanged.
//
// An inner projection that is not trivial (not an InputRef, LocalRef or Literal) and
// that the outer Calc reads more than once becomes a Let of the merged Calc, so it is
// still computed once per row (and a non-deterministic one still has one value).
// A projection the outer Calc does not read is dropped.
// The merged condition is the inner condition AND the substituted outer one (with the
// inner one wrapped in IS TRUE when it is nullable and the outer one can fail, so that a
// row the inner condition dropped never evaluates the outer one).
//
// Lets are evaluated before the condition (see ir.Calc). A merge that would move into
// the Lets something that can fail (a UDF call, a division) and that the inner condition
// used to guard is not done: the two Calcs stay, one after the other in the same
// pipeline, which costs nothing at runtime since a pipeline runs its Calcs in one loop.
//
// The returned plan is a copy; p is not modified.
func MergeCalcs(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	mergePlan(q)
	return q
}

func mergePlan(p *ir.Plan) { rewritePlan(p, mergeOne) }

// mergeOne merges n into its input, which is merged already.
func mergeOne(n ir.Node) ir.Node {
	switch n := n.(type) {
	case *ir.Calc:
		if u, ok := n.Input.(*ir.Union); ok {
			return pushCalcIntoUnion(n, u)
		}
		if inner, ok := n.Input.(*ir.Calc); ok {
			if m := mergeTwo(n, inner); m != nil {
				return dropIdentity(m)
			}
		}
		return dropIdentity(n)
	case *ir.Correlate:
		if u, ok := n.Input.(*ir.Union); ok {
			return pushCorrelateIntoUnion(n, u)
		}
	case *ir.Union:
		var branches []ir.Node
		for _, b := range n.Branches {
			// UNION ALL is associative: a Union below a Union adds its branches.
			if inner, ok := b.(*ir.Union); ok {
				branches = append(branches, inner.Branches...)
			} else {
				branches = append(branches, b)
			}
		}
		n.Branches = branches
	}
	return n
}

// pushCalcIntoUnion rewrites Calc(Union(a, b)) as Union(Calc(a), Calc(b)): a Calc works
// row by row, so applying it to each branch gives the same rows, and each branch then
// fuses the Calc into its own pipeline. A Union thus only sits below a Sink, an
// Aggregate or another Union.
func pushCalcIntoUnion(c *ir.Calc, u *ir.Union) ir.Node {
	out := &ir.Union{Names: append([]string(nil), c.Names...), Pos: u.Pos}
	for i, b := range u.Branches {
		bc := c
		if i > 0 {
			bc = &ir.Calc{Lets: cloneExprs(c.Lets), Cond: cloneExpr(c.Cond), Exprs: cloneExprs(c.Exprs), Names: append([]string(nil), c.Names...)}
		}
		bc.Input = b
		out.Branches = append(out.Branches, mergeOne(bc))
	}
	return out
}

// dropIdentity returns the input of a Calc that emits exactly its input row (same
// columns in the same order, same types, no filter, no lets), or the Calc itself.
func dropIdentity(c *ir.Calc) ir.Node {
	if c.Cond != nil || len(c.Lets) != 0 {
		return c
	}
	in := c.Input.Schema()
	if len(in) != len(c.Exprs) {
		return c
	}
	for i, e := range c.Exprs {
		r, ok := e.(*ir.InputRef)
		if !ok || r.Index != i || !r.T.Equal(in[i].Type) {
			return c
		}
	}
	return c.Input
}

// mergeTwo returns outer∘inner as one Calc, or nil if that would change semantics.
func mergeTwo(outer, inner *ir.Calc) *ir.Calc {
	uses := make([]int, len(inner.Exprs))
	countUses := func(e ir.Expr) {
		ir.WalkExpr(e, func(x ir.Expr) {
			if r, ok := x.(*ir.InputRef); ok {
				uses[r.Index]++
			}
		})
	}
	for _, e := range outer.Lets {
		countUses(e)
	}
	countUses(outer.Cond)
	for _, e := range outer.Exprs {
		countUses(e)
	}

	merged := &ir.Calc{Input: inner.Input, Names: append([]string(nil), outer.Names...)}
	merged.Lets = cloneExprs(inner.Lets)
	guarded := inner.Cond != nil // new Lets would now run before the inner condition

	subst := make([]ir.Expr, len(inner.Exprs))
	for j, e := range inner.Exprs {
		switch {
		case uses[j] == 0:
			// Not read: dropped, as Flink's CalcMergeRule does.
		case isTrivial(e) || uses[j] == 1:
			subst[j] = e
		default:
			if guarded && canFail(e) {
				return nil
			}
			merged.Lets = append(merged.Lets, cloneExpr(e))
			subst[j] = &ir.LocalRef{Index: len(merged.Lets) - 1, T: e.Type()}
		}
	}
	shift := len(merged.Lets)
	replace := func(e ir.Expr) ir.Expr {
		if e == nil {
			return nil
		}
		return ir.RewriteExpr(e, func(x ir.Expr) ir.Expr {
			switch r := x.(type) {
			case *ir.InputRef:
				return cloneExpr(subst[r.Index])
			case *ir.LocalRef:
				r.Index += shift
			}
			return x
		})
	}
	for _, e := range outer.Lets {
		ne := replace(e)
		if guarded && canFail(ne) {
			return nil
		}
		merged.Lets = append(merged.Lets, ne)
	}
	merged.Cond = guardedAnd(cloneExpr(inner.Cond), replace(outer.Cond))
	for _, e := range outer.Exprs {
		merged.Exprs = append(merged.Exprs, replace(e))
	}
	return merged
}
