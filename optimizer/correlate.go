package optimizer

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Correlate (LATERAL TABLE) in the passes. FoldConstants folds the call's arguments
// (never the call: a table function is called per row) as every operator's
// expressions; DedupAggregates and ShareScans renumber it (moves.go). The passes call
// the functions here:
//
//   - PushFilters moves conjuncts of a Calc over a Correlate that read only input
//     columns below it (for LEFT joins too: whether an input row survives does not
//     depend on the function's rows);
//   - PruneColumns prunes the input to the columns the consumer and the arguments read;
//     the function's columns are always produced;
//   - BuildPipelines keeps a Correlate inside its pipeline (Pipeline.Steps).

func checkCorrelate(n *ir.Correlate) error {
	if n.Call == nil || n.Call.Fn == nil || n.Call.Fn.Kind != ir.TableFunction {
		return fmt.Errorf("Correlate without a table function call")
	}
	if len(n.Names) != len(n.Call.Fn.TableColumns) {
		return fmt.Errorf("Correlate %s: %d names for %d columns", n.Call.Fn.Name, len(n.Names), len(n.Call.Fn.TableColumns))
	}
	in := n.Input.Schema()
	for i, a := range n.Call.Args {
		if err := checkExpr(a, in, nil); err != nil {
			return fmt.Errorf("Correlate %s, argument %d: %w", n.Call.Fn.Name, i+1, err)
		}
	}
	return nil
}

// pruneCorrelate asks the input for the needed input columns and those the arguments
// read; the function's columns are always produced.
func pruneCorrelate(n *ir.Correlate, need map[int]bool) map[int]bool {
	nIn := len(n.Input.Schema())
	reads := map[int]bool{}
	for i := range need {
		if i < nIn && need[i] {
			reads[i] = true
		}
	}
	for _, a := range n.Call.Args {
		inputRefs(a, reads)
	}
	return reads
}

// pushBelowCorrelate moves the conjuncts of c (a Calc over corr) that read only the
// Correlate's input columns into a filtering Calc below it.
func pushBelowCorrelate(c *ir.Calc, corr *ir.Correlate) {
	nIn := len(corr.Input.Schema())
	moved, stay := split(c.Cond, corr.Input.Schema(), func(i int) int {
		if i < nIn {
			return i
		}
		return -1
	})
	if moved == nil {
		return
	}
	c.Cond = stay
	exprs, names := identityRefs(corr.Input.Schema())
	corr.Input = &ir.Calc{Input: corr.Input, Cond: and(moved...), Exprs: exprs, Names: names}
}

// pushCorrelateIntoUnion rewrites Correlate(Union(a, b)) as Union(Correlate(a),
// Correlate(b)), as MergeCalcs does for a Calc: a Correlate works row by row, so each
// branch then runs it in its own pipeline.
func pushCorrelateIntoUnion(c *ir.Correlate, u *ir.Union) ir.Node {
	out := &ir.Union{Names: append(append([]string(nil), u.Names...), c.Names...), Pos: u.Pos}
	for i, b := range u.Branches {
		bc := c
		if i > 0 {
			call := *c.Call
			call.Args = cloneExprs(c.Call.Args)
			bc = &ir.Correlate{Call: &call, Left: c.Left, Names: append([]string(nil), c.Names...), Alias: c.Alias, Pos: c.Pos}
		}
		bc.Input = b
		// The arguments read the Union's column types; a branch may differ only in
		// nullability, which InputRefs carry: take the branch's.
		bs := b.Schema()
		for j, a := range bc.Call.Args {
			bc.Call.Args[j] = ir.RewriteExpr(a, func(x ir.Expr) ir.Expr {
				if r, ok := x.(*ir.InputRef); ok && r.Index < len(bs) {
					r.T = bs[r.Index].Type
				}
				return x
			})
		}
		out.Branches = append(out.Branches, mergeOne(bc))
	}
	return out
}
