package optimizer

import (
	"sort"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// PruneColumns removes every column no consumer reads (projection pushdown), walking
// from the sinks down:
//
//   - a Sink reads all of its input;
//   - a Calc keeps the projections its consumer reads, the Lets those (and the
//     condition) need, and asks its input only for the columns those read;
//   - an Aggregate keeps all its group columns (they define the groups) and the
//     aggregates its consumer reads, and asks its input for the group columns and the
//     arguments and FILTERs of the kept aggregates;
//   - a Scan keeps only the requested table columns in Scan.Columns, so a physical or
//     metadata column nobody reads is never decoded. Computed columns live in a Calc
//     above the Scan, so a computed column nobody reads is dropped there first and the
//     physical columns it was computed from are pruned in turn.
//
// A Scan may end with no columns (SELECT COUNT(*) FROM t): it still produces one row per
// record. A global aggregate (no GROUP BY) keeps at least one aggregate so that it still
// has a row to emit. The returned plan is a copy; p is not modified.
func PruneColumns(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	prunePlan(q)
	return q
}

func prunePlan(p *ir.Plan) {
	for _, s := range p.Sinks {
		pruneNode(s, nil)
	}
}

// pruneNode prunes n to the output columns in need (nil for a Sink) and returns the new
// node and, for each old output column, its new index (-1 if dropped).
func pruneNode(n ir.Node, need map[int]bool) (ir.Node, []int) {
	switch n := n.(type) {
	case *ir.Sink:
		all := map[int]bool{}
		for i := range n.Input.Schema() {
			all[i] = true
		}
		old := n.Input.Schema()
		in, m := pruneNode(n.Input, all)
		n.Input = adaptTo(moved{n: in, m: m, old: old})
		return n, nil

	case *ir.Scan:
		m := make([]int, len(n.Columns))
		var cols []int
		for i, c := range n.Columns {
			if need[i] {
				m[i] = len(cols)
				cols = append(cols, c)
			} else {
				m[i] = -1
			}
		}
		n.Columns = cols
		return n, m

	case *ir.Calc:
		m := make([]int, len(n.Exprs))
		var exprs []ir.Expr
		var names []string
		for i, e := range n.Exprs {
			if need[i] {
				m[i] = len(exprs)
				exprs = append(exprs, e)
				names = append(names, n.Names[i])
			} else {
				m[i] = -1
			}
		}
		n.Exprs, n.Names = exprs, names
		pruneLets(n)
		reads := map[int]bool{}
		for _, e := range n.Lets {
			inputRefs(e, reads)
		}
		if n.Cond != nil {
			inputRefs(n.Cond, reads)
		}
		for _, e := range n.Exprs {
			inputRefs(e, reads)
		}
		in, im := pruneNode(n.Input, reads)
		n.Input = in
		renumberCalc(n, im)
		return n, m

	case *ir.Aggregate:
		g := len(n.GroupBy)
		m := make([]int, g+len(n.Aggs))
		for i := 0; i < g; i++ {
			m[i] = i
		}
		var aggs []ir.AggCall
		names := append([]string(nil), n.Names[:g]...)
		for i, a := range n.Aggs {
			keep := need[g+i] || (g == 0 && i == 0 && !anyNeeded(need, g, len(n.Aggs)))
			if keep {
				m[g+i] = g + len(aggs)
				aggs = append(aggs, a)
				names = append(names, n.Names[g+i])
			} else {
				m[g+i] = -1
			}
		}
		n.Aggs, n.Names = aggs, names
		reads := map[int]bool{}
		for _, c := range n.GroupBy {
			reads[c] = true
		}
		for _, a := range n.Aggs {
			for _, x := range a.Operands() { // Arg, or a UDAF's Args
				inputRefs(x, reads)
			}
			if a.Filter != nil {
				inputRefs(a.Filter, reads)
			}
		}
		in, im := pruneNode(n.Input, reads)
		n.Input = in
		renumberAggregate(n, im)
		return n, m

	case *ir.Correlate:
		return pruneCorrelate(n, need)

	case *ir.Union:
		// Every branch keeps exactly the needed columns, in order; a branch that keeps
		// more (an Aggregate keeps its group columns) gets a projection.
		old := n.Schema()
		m := make([]int, len(old))
		var names []string
		for i := range old {
			if need[i] {
				m[i] = len(names)
				names = append(names, n.Names[i])
			} else {
				m[i] = -1
			}
		}
		for bi, b := range n.Branches {
			bOld := b.Schema()
			bn, bm := pruneNode(b, need)
			if bm == nil || !keepsExactly(bm, m, len(bn.Schema())) {
				in := bn.Schema()
				c := &ir.Calc{Input: bn}
				for i := range bOld {
					if need[i] {
						j := i
						if bm != nil {
							j = bm[i]
						}
						c.Exprs = append(c.Exprs, &ir.InputRef{Index: j, Name: in[j].Name, T: in[j].Type})
						c.Names = append(c.Names, bOld[i].Name)
					}
				}
				bn = c
			}
			n.Branches[bi] = bn
		}
		n.Names = names
		return n, m
	}
	return n, nil
}

func anyNeeded(need map[int]bool, from, count int) bool {
	for i := from; i < from+count; i++ {
		if need[i] {
			return true
		}
	}
	return false
}

// pruneLets drops the Lets that neither the condition, the projections nor a kept Let
// read, and renumbers the LocalRefs.
func pruneLets(c *ir.Calc) {
	if len(c.Lets) == 0 {
		return
	}
	used := map[int]bool{}
	if c.Cond != nil {
		localRefs(c.Cond, used)
	}
	for _, e := range c.Exprs {
		localRefs(e, used)
	}
	// Lets only read earlier Lets, so one backward sweep finds every needed one.
	for i := len(c.Lets) - 1; i >= 0; i-- {
		if used[i] {
			localRefs(c.Lets[i], used)
		}
	}
	keep := make([]int, 0, len(used))
	for i := range used {
		keep = append(keep, i)
	}
	sort.Ints(keep)
	m := make([]int, len(c.Lets))
	for i := range m {
		m[i] = -1
	}
	lets := make([]ir.Expr, 0, len(keep))
	for _, i := range keep {
		m[i] = len(lets)
		lets = append(lets, c.Lets[i])
	}
	for i, e := range lets {
		lets[i] = remapLocals(e, m)
	}
	c.Lets = lets
	if c.Cond != nil {
		c.Cond = remapLocals(c.Cond, m)
	}
	for i, e := range c.Exprs {
		c.Exprs[i] = remapLocals(e, m)
	}
}

// keepsExactly reports whether a pruned node's column map bm equals m, the map of the
// needed columns, and the node has no other columns.
func keepsExactly(bm, m []int, width int) bool {
	kept := 0
	for i := range m {
		if bm[i] != m[i] {
			return false
		}
		if m[i] >= 0 {
			kept++
		}
	}
	return kept == width
}
