package optimizer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// PruneNestedFields pushes the use of ROW fields down to the Scan (nested projection
// pushdown, what Flink's connectors get from SupportsProjectionPushDown with nested
// fields): a ROW column whose readers only read some of its fields (bid.auction,
// bid.price) becomes one column per field read, from the Scan up, so that the decoder
// reads only those fields and never builds the ROW:
//
//	Calc(select=[bid.auction AS auction], where=[event_type = 2])
//	+- Calc(select=[event_type, bid])
//	   +- Scan(table=[datagen], fields=[event_type, bid])
//
// becomes
//
//	Calc(select=[bid.auction AS auction], where=[event_type = 2])
//	+- Calc(select=[event_type, bid.auction])
//	   +- Scan(table=[datagen], fields=[event_type, bid.auction])
//
// where bid.auction is now a column (an InputRef), not a field access. Columns split
// through Scans, Calcs (the field of a ROW constructor is its argument) and
// WatermarkAssigners. A column that some reader uses whole (passes on as a ROW,
// compares, writes to a sink, groups by), or that an operator not named here reads,
// stays whole. When a field and a field inside it are both read, the outer one is
// kept and the inner one read from it. The returned plan is a copy; p is not modified.
func PruneNestedFields(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	nestedPlan(q)
	return q
}

// fieldUse is how the readers of an operator use one of its columns: whole, or only
// through the nested fields in paths.
type fieldUse struct {
	whole bool
	paths [][]int
}

// uses are the fieldUses of an operator's columns, by column index.
type uses map[int]*fieldUse

func (u uses) addWhole(i int) {
	if u[i] == nil {
		u[i] = &fieldUse{}
	}
	u[i].whole = true
}

func (u uses) addPath(i int, p []int) {
	if u[i] == nil {
		u[i] = &fieldUse{}
	}
	u[i].paths = append(u[i].paths, p)
}

// split returns the paths column i splits into: the fields its readers read, without
// a field inside another read one, in field order; nil when the column stays whole.
func (u uses) split(i int) [][]int {
	fu := u[i]
	if fu == nil || fu.whole || len(fu.paths) == 0 {
		return nil
	}
	ps := slices.Clone(fu.paths)
	sort.Slice(ps, func(a, b int) bool { return slices.Compare(ps[a], ps[b]) < 0 })
	var out [][]int
	for _, p := range ps {
		if len(out) > 0 && hasPrefix(p, out[len(out)-1]) {
			continue // equal to, or inside, the field before it
		}
		out = append(out, p)
	}
	return out
}

func hasPrefix(p, q []int) bool { return len(p) >= len(q) && slices.Equal(p[:len(q)], q) }

// chain returns the InputRef under a chain of FieldAccesses and the field path the
// chain reads; ok is false when e is not such a chain.
func chain(e ir.Expr) (ref *ir.InputRef, path []int, ok bool) {
	for {
		switch x := e.(type) {
		case *ir.FieldAccess:
			path = append(path, x.Index)
			e = x.X
		case *ir.InputRef:
			slices.Reverse(path)
			return x, path, true
		default:
			return nil, nil, false
		}
	}
}

// collectUses adds to u how e uses its input's columns: a field access chain over a
// column uses that field, any other reference the whole column.
func collectUses(e ir.Expr, u uses) {
	if e == nil {
		return
	}
	if ref, path, ok := chain(e); ok {
		if len(path) == 0 {
			u.addWhole(ref.Index)
		} else {
			u.addPath(ref.Index, path)
		}
		return
	}
	for _, k := range ir.Children(e) {
		collectUses(k, u)
	}
}

// access returns the field at path of the ROW-typed e, as Flink's planner simplifies
// it: a field of a ROW constructor is its argument; otherwise a field access.
func access(e ir.Expr, path []int) ir.Expr {
	for _, j := range path {
		if c, ok := e.(*ir.Call); ok && c.Op == ir.OpRow && j < len(c.Args) {
			e = c.Args[j]
			continue
		}
		f := ir.NestedField(ir.Field{Type: e.Type()}, j)
		e = &ir.FieldAccess{X: e, Index: j, Name: strings.TrimPrefix(f.Name, "."), T: f.Type, Pos: e.Span()}
	}
	return e
}

// pathNames renders a path as ".f.g" over the ROW type t.
func pathNames(t ir.Type, path []int) string {
	f := ir.Field{Type: t}
	for _, j := range path {
		f = ir.NestedField(f, j)
	}
	return f.Name
}

// colMap says where an operator's old columns went: a whole column to one index, a
// split column to one index per path.
type colMap struct {
	whole map[int]int
	split map[int][][]int // old column -> its paths, in order
	at    map[int][]int   // old column -> the index of each of its paths
}

func (m *colMap) identity() bool { return m == nil || len(m.split) == 0 }

// ref renumbers the reference of an expression chain over old column i with field
// path p to the new columns.
func (m *colMap) ref(r *ir.InputRef, path []int, fields []ir.Field) ir.Expr {
	if m.identity() {
		return nil
	}
	if ps, ok := m.split[r.Index]; ok {
		for k, q := range ps {
			if hasPrefix(path, q) {
				j := m.at[r.Index][k]
				var e ir.Expr = &ir.InputRef{Index: j, Name: fields[j].Name, T: fields[j].Type, Pos: r.Pos}
				for _, x := range path[len(q):] {
					f := ir.NestedField(ir.Field{Type: e.Type()}, x)
					e = &ir.FieldAccess{X: e, Index: x, Name: strings.TrimPrefix(f.Name, "."), T: f.Type, Pos: r.Pos}
				}
				return e
			}
		}
		panic(fmt.Sprintf("optimizer: nested field %v of column %d was pruned", path, r.Index))
	}
	c := *r
	c.Index = m.whole[r.Index]
	var e ir.Expr = &c
	for _, x := range path {
		f := ir.NestedField(ir.Field{Type: e.Type()}, x)
		e = &ir.FieldAccess{X: e, Index: x, Name: strings.TrimPrefix(f.Name, "."), T: f.Type, Pos: r.Pos}
	}
	return e
}

// rewrite renumbers e's references to an input that moved as m says; fields is the
// input's new schema.
func (m *colMap) rewrite(e ir.Expr, fields []ir.Field) ir.Expr {
	if e == nil || m.identity() {
		return e
	}
	return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
		if r, path, ok := chain(x); ok {
			return m.ref(r, path, fields), true
		}
		return nil, false
	})
}

func nestedPlan(p *ir.Plan) {
	var order []ir.Node
	ir.Walk(p, func(n ir.Node) { order = append(order, n) })
	// Top-down: how each operator's columns are used by its readers.
	need := map[ir.Node]uses{}
	get := func(n ir.Node) uses {
		if need[n] == nil {
			need[n] = uses{}
		}
		return need[n]
	}
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		switch n := n.(type) {
		case *ir.Scan:
		case *ir.Calc:
			in := get(n.Input)
			own := need[n]
			for _, e := range n.Lets {
				collectUses(e, in)
			}
			collectUses(n.Cond, in)
			for j, e := range n.Exprs {
				if ps := own.split(j); ps != nil && e.Type().Kind == ir.KindRow {
					for _, q := range ps {
						collectUses(access(e, q), in)
					}
					continue
				}
				collectUses(e, in)
			}
		case *ir.WatermarkAssigner:
			in := get(n.Input)
			for j, fu := range need[n] {
				if fu.whole {
					in.addWhole(j)
				}
				for _, q := range fu.paths {
					in.addPath(j, q)
				}
			}
			in.addWhole(n.RowtimeIndex)
			collectUses(n.Expr, in)
		default:
			for _, x := range n.Inputs() {
				u := get(x)
				for j := range x.Schema() {
					u.addWhole(j)
				}
			}
		}
	}
	// Bottom-up: split the columns, renumber the readers.
	maps := map[ir.Node]*colMap{}
	rewritePlan(p, func(n ir.Node) ir.Node {
		switch n := n.(type) {
		case *ir.Scan:
			maps[n] = splitScan(n, need[n])
		case *ir.Calc:
			in := maps[n.Input]
			fields := n.Input.Schema()
			oldExprs := n.Exprs
			m := &colMap{whole: map[int]int{}, split: map[int][][]int{}, at: map[int][]int{}}
			var exprs []ir.Expr
			var names []string
			for j, e := range oldExprs {
				if ps := need[n].split(j); ps != nil && e.Type().Kind == ir.KindRow {
					m.split[j] = ps
					for _, q := range ps {
						m.at[j] = append(m.at[j], len(exprs))
						exprs = append(exprs, in.rewrite(access(cloneExpr(e), q), fields))
						names = append(names, n.Names[j]+pathNames(e.Type(), q))
					}
					continue
				}
				m.whole[j] = len(exprs)
				exprs = append(exprs, in.rewrite(e, fields))
				names = append(names, n.Names[j])
			}
			for j, e := range n.Lets {
				n.Lets[j] = in.rewrite(e, fields)
			}
			n.Cond = in.rewrite(n.Cond, fields)
			n.Exprs, n.Names = exprs, names
			maps[n] = m
		case *ir.WatermarkAssigner:
			in := maps[n.Input]
			if !in.identity() {
				fields := n.Input.Schema()
				n.Expr = in.rewrite(n.Expr, fields)
				n.RowtimeIndex = in.whole[n.RowtimeIndex]
			}
			maps[n] = in
		}
		return n
	})
}

// splitScan replaces the scan's columns that are read only through fields by those
// fields.
func splitScan(n *ir.Scan, u uses) *colMap {
	m := &colMap{whole: map[int]int{}, split: map[int][][]int{}, at: map[int][]int{}}
	var cols []int
	var paths [][]int
	nested := n.Paths != nil
	for i, c := range n.Columns {
		base := n.Path(i)
		if ps := u.split(i); ps != nil && n.Field(i).Type.Kind == ir.KindRow {
			m.split[i] = ps
			for _, q := range ps {
				m.at[i] = append(m.at[i], len(cols))
				cols = append(cols, c)
				paths = append(paths, append(slices.Clone(base), q...))
			}
			nested = true
			continue
		}
		m.whole[i] = len(cols)
		cols = append(cols, c)
		paths = append(paths, base)
	}
	n.Columns = cols
	if nested {
		n.Paths = paths
	}
	return m
}
