package optimizer

import (
	"maps"
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

// prunePlan prunes in two sweeps. Top-down (every operator before its inputs), each
// operator drops the outputs nobody needs and tells its inputs which of their columns it
// reads; the needs of several readers of one operator add up. Bottom-up (rewritePlan),
// every operator follows the moves of its inputs' columns.
func prunePlan(p *ir.Plan) {
	var order []ir.Node
	ir.Walk(p, func(n ir.Node) { order = append(order, n) })
	need := map[ir.Node]map[int]bool{}
	ms := moves{}
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		for j, r := range pruneOutputs(n, need[n], ms) {
			in := n.Inputs()[j]
			if need[in] == nil {
				need[in] = map[int]bool{}
			}
			maps.Copy(need[in], r)
		}
	}
	rewritePlan(p, func(n ir.Node) ir.Node {
		if u, ok := n.(*ir.Union); ok {
			return pruneBranches(u, ms)
		}
		return ms.follow(n)
	})
}

// pruneOutputs drops the output columns of n not in need (recording the move in ms) and
// returns, per input, the input columns n still reads. An operator that passes its
// input's columns through (Correlate, WatermarkAssigner) moves as its input does, which
// moves.follow records; one not known here keeps every column and reads all of its
// inputs.
func pruneOutputs(n ir.Node, need map[int]bool, ms moves) []map[int]bool {
	switch n := n.(type) {
	case *ir.Scan:
		old := n.Schema()
		m := make([]int, len(n.Columns))
		var cols []int
		var paths [][]int
		for i, c := range n.Columns {
			if need[i] {
				m[i] = len(cols)
				cols = append(cols, c)
				paths = append(paths, n.Path(i))
			} else {
				m[i] = -1
			}
		}
		n.Columns = cols
		if n.Paths != nil {
			n.Paths = paths
		}
		ms[n] = moved{n: n, m: m, old: old}
		return nil

	case *ir.Calc:
		old := n.Schema()
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
		ms[n] = moved{n: n, m: m, old: old}
		reads := map[int]bool{}
		ir.VisitExprs(n, func(e ir.Expr) { inputRefs(e, reads) })
		return []map[int]bool{reads}

	case *ir.Aggregate:
		old := n.Schema()
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
		ms[n] = moved{n: n, m: m, old: old}
		reads := map[int]bool{}
		for _, c := range n.GroupBy {
			reads[c] = true
		}
		ir.VisitExprs(n, func(e ir.Expr) { inputRefs(e, reads) }) // arguments and FILTERs
		return []map[int]bool{reads}

	case *ir.Correlate:
		return []map[int]bool{pruneCorrelate(n, need)}

	case *ir.WatermarkAssigner:
		// The rowtime column and what the watermark reads stay, whoever reads them.
		reads := maps.Clone(need)
		if reads == nil {
			reads = map[int]bool{}
		}
		reads[n.RowtimeIndex] = true
		inputRefs(n.Expr, reads)
		return []map[int]bool{reads}

	case *ir.Union:
		// Every branch keeps exactly the needed columns, in order (pruneBranches).
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
		n.Names = names
		ms[n] = moved{n: n, m: m, old: old}
		out := make([]map[int]bool, len(n.Branches))
		for i := range out {
			out[i] = need
		}
		return out
	}
	// A Sink reads all of its input; so does an operator not known here.
	var out []map[int]bool
	for _, in := range n.Inputs() {
		all := map[int]bool{}
		for i := range in.Schema() {
			all[i] = true
		}
		out = append(out, all)
	}
	return out
}

// pruneBranches gives every branch of a pruned Union exactly the Union's columns; a
// branch that keeps more (an Aggregate keeps its group columns) gets a projection.
func pruneBranches(u *ir.Union, ms moves) ir.Node {
	m := ms[u].m
	branches := make([]ir.Node, len(u.Branches))
	for bi, b := range u.Branches {
		x, ok := ms[b]
		if !ok {
			x = moved{n: b}
		}
		bn := x.n
		if x.m == nil || !keepsExactly(x.m, m, len(bn.Schema())) {
			in := bn.Schema()
			bOld := x.old
			if bOld == nil {
				bOld = in
			}
			c := &ir.Calc{Input: bn}
			for i, keep := range m {
				if keep < 0 {
					continue
				}
				j := i
				if x.m != nil {
					j = x.m[i]
				}
				c.Exprs = append(c.Exprs, &ir.InputRef{Index: j, Name: in[j].Name, T: in[j].Type})
				c.Names = append(c.Names, bOld[i].Name)
			}
			bn = c
		}
		branches[bi] = bn
	}
	u.Branches = branches // in place: the Union keeps its identity and its move
	return u
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
