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
	ms := moves{}
	rewritePlan(p, func(n ir.Node) ir.Node {
		n = ms.follow(n)
		if a, ok := n.(*ir.Aggregate); ok {
			if x := dedupAggs(a); x.m != nil {
				ms[a] = x
			}
		}
		return n
	})
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
