package optimizer

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// DedupAggregates computes identical aggregate calls of one Aggregate once. Two calls
// are identical when they have the same function, DISTINCT flag, argument, FILTER and
// result type (the CDN query's sum(response_size) in total_download and in
// download_speed). The first copy stays, under its name; the operator above is rewritten
// to read it: a Calc has its InputRefs renumbered, anything else gets a projecting Calc
// that restores the old row shape.
//
// The returned plan is a copy; p is not modified.
func DedupAggregates(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	dedupPlan(q)
	return q
}

func dedupPlan(p *ir.Plan) {
	for _, s := range p.Sinks {
		s.Input = adaptTo(dedupNode(s.Input))
	}
}

// moved is a node whose output columns moved: old column i is now column m[i]. m nil
// means nothing moved. old is the schema before the move.
type moved struct {
	n   ir.Node
	m   []int
	old []ir.Field
}

// adaptTo returns a node with the old row shape for a parent that cannot be renumbered.
func adaptTo(x moved) ir.Node {
	if x.m == nil || (isIdentityMap(x.m) && len(x.m) == len(x.n.Schema())) {
		return x.n
	}
	return projection(x.n, x.old, x.m)
}

func dedupNode(n ir.Node) moved {
	switch n := n.(type) {
	case *ir.Calc:
		in := dedupNode(n.Input)
		n.Input = in.n
		if in.m != nil {
			renumberCalc(n, in.m)
		}
	case *ir.Aggregate:
		in := dedupNode(n.Input)
		n.Input = in.n
		if in.m != nil {
			renumberAggregate(n, in.m)
		}
		return dedupAggs(n)
	case *ir.Sink:
		n.Input = adaptTo(dedupNode(n.Input))
	case *ir.Correlate:
		return movedCorrelate(n, dedupNode(n.Input))
	case *ir.Union:
		for i, b := range n.Branches {
			n.Branches[i] = adaptTo(dedupNode(b))
		}
	}
	return moved{n: n}
}

// renumberCalc rewrites a Calc's InputRefs after its input's columns moved.
func renumberCalc(c *ir.Calc, m []int) {
	for i, e := range c.Lets {
		c.Lets[i] = remapInputs(e, m)
	}
	if c.Cond != nil {
		c.Cond = remapInputs(c.Cond, m)
	}
	for i, e := range c.Exprs {
		c.Exprs[i] = remapInputs(e, m)
	}
}

// renumberAggregate rewrites an Aggregate's group columns and arguments after its
// input's columns moved.
func renumberAggregate(a *ir.Aggregate, m []int) {
	for i, g := range a.GroupBy {
		a.GroupBy[i] = m[g]
	}
	for i := range a.Aggs {
		a.Aggs[i].MapOperands(func(e ir.Expr) ir.Expr { return remapInputs(e, m) }) // Arg, or a UDAF's Args
		if a.Aggs[i].Filter != nil {
			a.Aggs[i].Filter = remapInputs(a.Aggs[i].Filter, m)
		}
	}
}

func dedupAggs(a *ir.Aggregate) moved {
	old := a.Schema()
	g := len(a.GroupBy)
	m := make([]int, len(old))
	for i := 0; i < g; i++ {
		m[i] = i
	}
	first := map[string]int{}
	var aggs []ir.AggCall
	names := append([]string(nil), a.Names[:g]...)
	for i, call := range a.Aggs {
		k := aggKey(call)
		if !aggDeterministic(call) {
			k = fmt.Sprintf("nondeterministic#%d", i) // never shared
		}
		if j, ok := first[k]; ok {
			m[g+i] = g + j
			continue
		}
		first[k] = len(aggs)
		m[g+i] = g + len(aggs)
		aggs = append(aggs, call)
		names = append(names, a.Names[g+i])
	}
	if len(aggs) == len(a.Aggs) {
		return moved{n: a}
	}
	a.Aggs = aggs
	a.Names = names
	return moved{n: a, m: m, old: old}
}

// aggDeterministic: the aggregate call's function, argument and filter give the same
// value for the same rows; two calls that are not are both computed (a
// non-deterministic UDF or aggregate function is never deduplicated).
func aggDeterministic(call ir.AggCall) bool {
	if call.Fn != nil && !call.Fn.Deterministic {
		return false
	}
	for _, e := range append([]ir.Expr{call.Arg, call.Filter}, call.Args...) {
		if e != nil && !ir.IsDeterministic(e) {
			return false
		}
	}
	return true
}
