package optimizer

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// ShareAggregateCalcs computes once what the readers of one Aggregate compute alike.
// An Aggregate that several INSERTs read (ShareAggregates) emits each changed group to
// every reader; their Calcs often repeat the same post-aggregate expressions (the CDN
// example's download_speed, a DECIMAL division, for both its sinks) and differ only in
// a CAST to a sink column or a HAVING. The pass finds the non-trivial deterministic
// subexpressions that at least two Calcs reading the Aggregate have in common (their
// Lets read through, so structural equality as in CSE), largest first, and moves them
// into one new Calc above the Aggregate, with no condition: the shared Calc. It passes
// through the Aggregate columns its readers still read and computes each common
// expression once (CSE runs on it too). Each of those readers then reads the shared
// Calc and keeps what is its own: its condition, its casts, its other projections. A
// reader left with nothing of its own (an identity projection) is dropped: what read it
// reads the shared Calc.
//
// Every reader sees the same changed groups, so evaluating a common expression once per
// group for all of them changes no value. Failures: the shared Calc is evaluated for
// every group before any reader's condition, so an expression that can fail (see
// canFail) is shared only when some reader evaluates it for every group anyway (in its
// Lets, or outside any short-circuit operand in its condition, or in its projections
// when it has no condition); the job then fails on the same group either way. A
// non-deterministic expression (a UDF declared so) is never shared, nor a call of a UDF
// with 'on-error' = 'dead-letter': its failure writes a dead-letter row and drops the
// row of the reader that made the call, so each reader keeps its own call.
//
// BuildPipelines then puts the shared Calc first in each reader's pipeline (the one
// Calc that may be in several pipelines: Check allows it exactly there), and codegen
// computes it once per group in one loop over the changed groups before each reader's
// own part. The returned plan is a copy; p is not modified.
func ShareAggregateCalcs(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	shareAggCalcsPlan(q)
	return q
}

func shareAggCalcsPlan(p *ir.Plan) {
	var aggs []*ir.Aggregate
	calcs := map[*ir.Aggregate][]*ir.Calc{} // the Calcs reading each Aggregate, in plan order
	ir.Walk(p, func(n ir.Node) {
		switch n := n.(type) {
		case *ir.Aggregate:
			aggs = append(aggs, n)
		case *ir.Calc:
			if a, ok := n.Input.(*ir.Aggregate); ok {
				calcs[a] = append(calcs[a], n)
			}
		}
	})
	drop := map[ir.Node]ir.Node{}
	for _, a := range aggs {
		shared, readers := shareCalcsOver(a, calcs[a])
		for _, c := range readers {
			if dropIdentity(c) == shared {
				drop[c] = shared
			}
		}
	}
	if len(drop) > 0 {
		rewritePlan(p, func(n ir.Node) ir.Node {
			if r, ok := drop[n]; ok {
				return r
			}
			return n
		})
	}
}

// shareCalcsOver moves the expressions the Calcs reading a have in common into a new
// Calc over a, which the Calcs that had any of them now read (changed in place). It
// returns the new Calc and those readers, or nil when nothing is common.
func shareCalcsOver(a *ir.Aggregate, cs []*ir.Calc) (*ir.Calc, []*ir.Calc) {
	if len(cs) < 2 {
		return nil, nil
	}
	in := a.Schema()
	m := len(in)
	// While the common expressions are found, a reader reads the j-th of them as
	// InputRef m+j: past the Aggregate's columns.
	var shared []ir.Expr
	touched := make([]bool, len(cs))
	for {
		key, e, who := bestShared(cs)
		if e == nil {
			break
		}
		ref := &ir.InputRef{Index: m + len(shared), T: e.Type()}
		shared = append(shared, cloneExpr(e))
		for _, i := range who {
			if !replaceShared(cs[i], key, ref) {
				panic("optimizer: ShareAggregateCalcs found an expression it cannot replace")
			}
			touched[i] = true
		}
	}
	if len(shared) == 0 {
		return nil, nil
	}
	var readers []*ir.Calc
	for i, c := range cs {
		if touched[i] {
			inlineTrivialLets(c)
			readers = append(readers, c)
		}
	}
	// The shared Calc's columns: the Aggregate's columns the readers read, in order,
	// then the common expressions in the order the readers first read them.
	used := map[int]bool{}
	var order []int
	for _, c := range readers {
		for _, p := range calcExprs(c) {
			ir.WalkExpr(*p, func(x ir.Expr) {
				if r, ok := x.(*ir.InputRef); ok && !used[r.Index] {
					used[r.Index] = true
					if r.Index >= m {
						order = append(order, r.Index)
					}
				}
			})
		}
	}
	s := &ir.Calc{Input: a}
	pos := make([]int, m+len(shared))
	taken := map[string]bool{} // the Aggregate's names, read or not, are not reused
	for i, f := range in {
		taken[f.Name] = true
		if used[i] {
			pos[i] = len(s.Exprs)
			s.Exprs = append(s.Exprs, &ir.InputRef{Index: i, Name: f.Name, T: f.Type})
			s.Names = append(s.Names, f.Name)
		}
	}
	// A common expression may read an earlier one (InputRef m+j): the shared Calc
	// computes it from the Aggregate's columns, and CSE below shares the parts.
	var full func(e ir.Expr) ir.Expr
	full = func(e ir.Expr) ir.Expr {
		return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
			if r, ok := x.(*ir.InputRef); ok && r.Index >= m {
				return full(shared[r.Index-m]), true
			}
			return x, false
		})
	}
	for _, idx := range order {
		name := sharedName(readers, idx)
		for n := len(s.Exprs); name == "" || taken[name]; n++ {
			name = fmt.Sprintf("$f%d", n)
		}
		taken[name] = true
		pos[idx] = len(s.Exprs)
		s.Exprs = append(s.Exprs, cloneExpr(full(shared[idx-m])))
		s.Names = append(s.Names, name)
	}
	cseCalc(s)
	schema := s.Schema()
	for _, c := range readers {
		c.Input = s
		for _, p := range calcExprs(c) {
			*p = ir.RewriteExpr(*p, func(x ir.Expr) ir.Expr {
				if r, ok := x.(*ir.InputRef); ok {
					r.Index = pos[r.Index]
					r.Name = schema[r.Index].Name
				}
				return x
			})
		}
	}
	return s, readers
}

// bestShared finds the largest expression that may be shared among the Calcs (see
// ShareAggregateCalcs) and the indexes of the Calcs computing it; a nil expression
// when there is none. Expressions are compared with each Calc's Lets read through.
func bestShared(cs []*ir.Calc) (string, ir.Expr, []int) {
	in := map[string][]int{} // key -> the Calcs computing it
	first := map[string]ir.Expr{}
	var order []string
	always := map[string]bool{} // evaluated for every group by some Calc
	for i, c := range cs {
		expand := letExpander(c)
		for _, p := range calcExprs(c) {
			ir.WalkExpr(*p, func(x ir.Expr) {
				if isTrivial(x) {
					return
				}
				e := expand(x)
				k := ir.ExprKey(e)
				ws := in[k]
				if len(ws) > 0 && ws[len(ws)-1] == i {
					return // counted for this Calc already
				}
				if ws == nil {
					first[k] = e
					order = append(order, k)
				}
				in[k] = append(ws, i)
			})
		}
		for _, e := range c.Lets {
			unconditionalKeys(expand(e), always)
		}
		if c.Cond != nil {
			unconditionalKeys(expand(c.Cond), always)
		} else {
			for _, e := range c.Exprs {
				unconditionalKeys(expand(e), always)
			}
		}
	}
	bestKey, bestSize := "", 0
	var best ir.Expr
	for _, k := range order {
		e := first[k]
		if len(in[k]) < 2 || !ir.IsDeterministic(e) || deadLetters(e) || (canFail(e) && !always[k]) {
			continue
		}
		if s := exprSize(e); s > bestSize {
			bestKey, bestSize, best = k, s, e
		}
	}
	return bestKey, best, in[bestKey]
}

// deadLetters reports whether e calls a UDF with 'on-error' = 'dead-letter' (see
// ShareAggregateCalcs).
func deadLetters(e ir.Expr) bool {
	found := false
	ir.WalkExpr(e, func(x ir.Expr) {
		if c, ok := x.(*ir.UDFCall); ok && c.Fn != nil && c.Fn.OnError == ir.ErrorDeadLetter {
			found = true
		}
	})
	return found
}

// letExpander returns a function that reads a Calc's Lets through: the expression with
// every LocalRef replaced by the Let's own expression (itself read through).
func letExpander(c *ir.Calc) func(ir.Expr) ir.Expr {
	lets := make([]ir.Expr, len(c.Lets))
	expand := func(e ir.Expr) ir.Expr {
		return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
			if r, ok := x.(*ir.LocalRef); ok {
				return lets[r.Index], true
			}
			return x, false
		})
	}
	for i, e := range c.Lets {
		lets[i] = expand(e) // Lets read only earlier Lets
	}
	return expand
}

// replaceShared replaces every occurrence in c of the expression with the given key
// (its Lets read through) by ref, and reports whether there was one.
func replaceShared(c *ir.Calc, key string, ref *ir.InputRef) bool {
	expand := letExpander(c) // as c is before the replacement
	found := false
	for _, p := range calcExprs(c) {
		*p = ir.ReplaceExpr(*p, func(x ir.Expr) (ir.Expr, bool) {
			if !isTrivial(x) && ir.ExprKey(expand(x)) == key {
				found = true
				return &ir.InputRef{Index: ref.Index, T: ref.T}, true
			}
			return x, false
		})
	}
	return found
}

// inlineTrivialLets replaces the reads of a Let that became trivial (a shared
// expression's column) by its expression and drops it.
func inlineTrivialLets(c *ir.Calc) {
	for i := range c.Lets {
		body := c.Lets[i]
		if !isTrivial(body) {
			continue
		}
		for _, p := range calcExprs(c) {
			*p = ir.ReplaceExpr(*p, func(x ir.Expr) (ir.Expr, bool) {
				if r, ok := x.(*ir.LocalRef); ok && r.Index == i {
					return cloneExpr(body), true
				}
				return x, false
			})
		}
	}
	pruneLets(c)
}

// sharedName is the name a reader gives the column idx when it projects it as is, or
// "".
func sharedName(readers []*ir.Calc, idx int) string {
	for _, c := range readers {
		for k, e := range c.Exprs {
			if r, ok := e.(*ir.InputRef); ok && r.Index == idx {
				return c.Names[k]
			}
		}
	}
	return ""
}
