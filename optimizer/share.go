package optimizer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// ShareScans makes every Scan of the same table in the plan one *ir.Scan node that
// decodes the union of the columns its readers need; each reader is renumbered (a Calc
// or Aggregate directly, a Sink through a projecting Calc). After it, the plan is a DAG
// whose only shared nodes are Scans.
//
// This is how a statement set reads a table once: BuildPipelines then gives each INSERT
// its own pipeline, and pipelines whose Source is the same *ir.Scan read the same
// records. Codegen may run them in one source loop (decode once, then each pipeline's
// Calcs and sink in turn, a filter of one skipping only its own rest of the row); a
// codegen that does not still produces correct code, reading the table once per
// pipeline.
//
// The returned plan is a copy; p is not modified.
func ShareScans(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	sharePlan(q)
	return q
}

func sharePlan(p *ir.Plan) {
	// Collect the scans of each table, in plan order.
	byTable := map[*ir.Table][]*ir.Scan{}
	var tables []*ir.Table
	visited := map[ir.Node]bool{}
	var collect func(n ir.Node)
	collect = func(n ir.Node) {
		if visited[n] {
			return // a subtree shared by ShareAggregates
		}
		visited[n] = true
		if s, ok := n.(*ir.Scan); ok {
			if byTable[s.Table] == nil {
				tables = append(tables, s.Table)
			}
			byTable[s.Table] = append(byTable[s.Table], s)
		}
		for _, in := range n.Inputs() {
			collect(in)
		}
	}
	for _, s := range p.Sinks {
		collect(s)
	}
	shared := map[*ir.Scan]moved{}
	for _, t := range tables {
		scans := byTable[t]
		if len(scans) < 2 {
			continue
		}
		// A column is a table column and, for a nested field, its path.
		seen := map[string]bool{}
		var union []scanCol
		nested := false
		for _, s := range scans {
			for i, c := range s.Columns {
				sc := scanCol{c, s.Path(i)}
				nested = nested || sc.path != nil
				if !seen[sc.key()] {
					seen[sc.key()] = true
					union = append(union, sc)
				}
			}
		}
		sort.Slice(union, func(i, j int) bool { return union[i].less(union[j]) }) // table order
		pos := map[string]int{}
		one := *scans[0]
		one.Columns, one.Paths = nil, nil
		for i, sc := range union {
			pos[sc.key()] = i
			one.Columns = append(one.Columns, sc.col)
			if nested {
				one.Paths = append(one.Paths, sc.path)
			}
		}
		for _, s := range scans {
			m := make([]int, len(s.Columns))
			for i, c := range s.Columns {
				m[i] = pos[scanCol{c, s.Path(i)}.key()]
			}
			shared[s] = moved{n: &one, m: m, old: s.Schema()}
		}
	}
	if len(shared) == 0 {
		return
	}
	ms := moves{}
	for s, x := range shared {
		ms[s] = x
	}
	rewritePlan(p, ms.follow)
}

// ShareAggregates makes identical Aggregates (same aggregate calls over the same input
// subtree) of different INSERTs one node. BuildPipelines then builds its state in one
// pipeline and emits it in one pipeline per reader: a statement set that writes the same
// aggregation into two tables (the CDN example's SQLite and print sinks) scans and
// aggregates once. After it, the plan is a DAG that shares whole Aggregate subtrees.
//
// Codegen must then emit one Aggregate into several pipelines at flush time (each sees
// every group changed since the last flush). The returned plan is a copy; p is not
// modified.
func ShareAggregates(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	shareAggregatesPlan(q)
	return q
}

func shareAggregatesPlan(p *ir.Plan) {
	// Aggregates below another Aggregate are shared only as part of it.
	nested := map[ir.Node]bool{}
	ir.Walk(p, func(n ir.Node) {
		if a, ok := n.(*ir.Aggregate); ok {
			ir.WalkFrom(func(x ir.Node) {
				if _, ok := x.(*ir.Aggregate); ok {
					nested[x] = true
				}
			}, a.Input)
		}
	})
	first := map[string]*ir.Aggregate{}
	rewritePlan(p, func(n ir.Node) ir.Node {
		a, ok := n.(*ir.Aggregate)
		if !ok || nested[a] {
			return n
		}
		var b strings.Builder
		writeNodeKey(&b, a)
		k := b.String()
		if f, ok := first[k]; ok {
			return f
		}
		first[k] = a
		return a
	})
}

// scanCol is a column of a Scan: a table column and the nested field path it reads.
type scanCol struct {
	col  int
	path []int
}

func (c scanCol) key() string { return fmt.Sprint(c.col, c.path) }

// less orders columns as the table does, a whole column before its fields and fields
// in their order.
func (c scanCol) less(d scanCol) bool {
	if c.col != d.col {
		return c.col < d.col
	}
	return slices.Compare(c.path, d.path) < 0
}
