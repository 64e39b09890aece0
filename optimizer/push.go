package optimizer

import (
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// PushFilters moves filter conditions toward the source, one AND-ed conjunct at a time:
//
//   - A conjunct of a Calc over an Aggregate that reads only group columns (HAVING
//     province = 'x') moves below the Aggregate, into a new filtering Calc over the
//     Aggregate's input: a group whose key fails the test is then never built. For a
//     non-window GROUP BY this gives the same changelog, since each key's updates depend
//     only on the rows of that key.
//   - A conjunct of a Calc over a Calc that reads only columns the lower Calc passes
//     through unchanged (InputRefs: renames and reorders) joins the lower condition.
//
// Only deterministic conjuncts that read no Let move. The plan is rewritten bottom-up,
// so a conjunct moves one operator down per round of Optimize's fixpoint loop. The new
// Calcs are merged into their neighbours by MergeCalcs. Nothing moves below a
// WatermarkAssigner. The returned plan is a copy; p is not modified.
func PushFilters(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	pushPlan(q)
	return q
}

func pushPlan(p *ir.Plan) { rewritePlan(p, pushOne) }

// pushOne moves conjuncts of a Calc's condition into or below its input. Operators not
// listed keep the filter above them: a WatermarkAssigner must see every row (each
// advances the watermark, as in Flink), a Union gets the Calc from MergeCalcs.
func pushOne(n ir.Node) ir.Node {
	c, ok := n.(*ir.Calc)
	if !ok || c.Cond == nil {
		return n
	}
	switch in := c.Input.(type) {
	case *ir.Aggregate:
		pushBelowAggregate(c, in)
	case *ir.Calc:
		pushIntoCalc(c, in)
	case *ir.Correlate:
		pushBelowCorrelate(c, in)
	}
	return n
}

// movable reports whether conjunct c reads only input columns for which to(i) >= 0 and
// no Let, and may be evaluated elsewhere.
func movable(c ir.Expr, to func(int) int) bool {
	if !ir.IsDeterministic(c) {
		return false
	}
	ok := true
	ir.WalkExpr(c, func(x ir.Expr) {
		switch x := x.(type) {
		case *ir.LocalRef:
			ok = false
		case *ir.InputRef:
			if to(x.Index) < 0 {
				ok = false
			}
		}
	})
	return ok
}

// split separates the conjuncts of c that can move (returned rewritten with to over the
// row below, whose time attributes the moved InputRefs take) from those that stay
// (returned AND-ed, nil if none). A conjunct that can fail moves only if every conjunct
// before it moves too: one that stays might be what guards it.
func split(c ir.Expr, below []ir.Field, to func(int) int) (moved []ir.Expr, stay ir.Expr) {
	var kept []ir.Expr
	for _, part := range conjuncts(c) {
		if movable(part, to) && (len(kept) == 0 || !canFail(part)) {
			moved = append(moved, ir.RewriteExpr(part, func(x ir.Expr) ir.Expr {
				if r, ok := x.(*ir.InputRef); ok {
					r.Index = to(r.Index)
					r.T = r.T.WithTimeAttr(below[r.Index].Type.TimeAttr)
				}
				return x
			}))
		} else {
			kept = append(kept, part)
		}
	}
	if len(moved) == 0 {
		return nil, c
	}
	return moved, and(kept...)
}

func pushBelowAggregate(c *ir.Calc, agg *ir.Aggregate) {
	if len(agg.GroupBy) == 0 {
		// A global aggregate emits its row whatever reaches it; a filter above it (even
		// HAVING FALSE) is not a filter on its input.
		return
	}
	moved, stay := split(c.Cond, agg.Input.Schema(), func(i int) int {
		// A window aggregate's window_start, window_end and window_time are no input column.
		if i < len(agg.GroupBy) && (agg.Window == nil || !agg.Window.IsProperty(i)) {
			return agg.GroupBy[i]
		}
		return -1
	})
	if moved == nil {
		return
	}
	c.Cond = stay
	// Names of the input columns are kept: the new Calc passes every column through.
	exprs, names := identityRefs(agg.Input.Schema())
	agg.Input = &ir.Calc{Input: agg.Input, Cond: and(moved...), Exprs: exprs, Names: names}
}

func pushIntoCalc(outer, inner *ir.Calc) {
	moved, stay := split(outer.Cond, inner.Input.Schema(), func(i int) int {
		if r, ok := inner.Exprs[i].(*ir.InputRef); ok {
			return r.Index
		}
		return -1
	})
	if moved == nil {
		return
	}
	outer.Cond = stay
	inner.Cond = guardedAnd(inner.Cond, and(moved...))
}
