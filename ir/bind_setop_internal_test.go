package ir

import (
	"strings"
	"testing"
)

// TestDropDistinctsInUnions: below a DISTINCT, an Aggregate without AggCalls in a
// branch of a Union becomes a projection of its group columns (or disappears when that
// is its input row), through deterministic Calcs only; the nodes given are not changed.
func TestDropDistinctsInUnions(t *testing.T) {
	tab := &Table{Name: "t", Columns: []*Column{{Name: "k", Type: BigInt()}, {Name: "v", Type: BigInt()}}}
	scan := func() Node { return &Scan{Table: tab, Columns: []int{0, 1}} }
	ref := func(i int) Expr { return &InputRef{Index: i, Name: tab.Columns[i].Name, T: BigInt()} }
	distinct := func(in Node, groupBy ...int) *Aggregate {
		a := &Aggregate{Input: in, GroupBy: groupBy}
		for _, g := range groupBy {
			a.Names = append(a.Names, tab.Columns[g].Name)
		}
		return a
	}
	project := func(in Node, e Expr) *Calc { return &Calc{Input: in, Exprs: []Expr{e}, Names: []string{"x"}} }
	rand := &Call{Op: "RAND", T: Double().NotNull()}
	count := []AggCall{{Func: AggCount, T: BigInt().NotNull(), Name: "n"}}

	cases := []struct {
		name    string
		n       Node
		inUnion bool
		want    string // the Aggregates left, as Dump shows them
	}{
		{"identity distinct in a branch", &Union{Branches: []Node{distinct(scan(), 0, 1), scan()}, Names: []string{"k", "v"}}, false, ""},
		{"distinct on some columns, under a Calc", &Union{Branches: []Node{project(distinct(scan(), 1), ref(0)), project(scan(), ref(0))}, Names: []string{"x"}}, false, ""},
		{"nested Unions", &Union{Branches: []Node{&Union{Branches: []Node{distinct(scan(), 0, 1), scan()}, Names: []string{"k", "v"}}, scan()}, Names: []string{"k", "v"}}, false, ""},
		{"distinct over distinct, no Union", project(distinct(scan(), 0, 1), ref(0)), false, "Aggregate"},
		{"an aggregate with calls", &Union{Branches: []Node{&Aggregate{Input: scan(), GroupBy: []int{0}, Aggs: count, Names: []string{"k", "n"}}, scan()}, Names: []string{"k", "v"}}, false, "Aggregate"},
		{"non-deterministic Calc", &Union{Branches: []Node{&Calc{Input: distinct(scan(), 0), Exprs: []Expr{ref(0)}, Names: []string{"k"}, Cond: &Call{Op: OpLt, Args: []Expr{rand, &Literal{Value: 0.5, T: Double().NotNull()}}, T: Boolean().NotNull()}}, project(scan(), ref(0))}, Names: []string{"x"}}, false, "Aggregate"},
		{"a global aggregate", &Union{Branches: []Node{distinct(scan()), project(scan(), ref(0))}, Names: []string{"x"}}, false, "Aggregate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := Dump(c.n)
			got := dropDistinctsInUnions(c.n, c.inUnion)
			if after := Dump(c.n); after != before {
				t.Errorf("the input changed:\n%s\nwas:\n%s", after, before)
			}
			var aggs []string
			var walk func(n Node)
			walk = func(n Node) {
				if _, ok := n.(*Aggregate); ok {
					aggs = append(aggs, "Aggregate")
				}
				for _, in := range n.Inputs() {
					walk(in)
				}
			}
			walk(got)
			if g := strings.Join(aggs, ","); g != c.want {
				t.Errorf("Aggregates left: %q, want %q:\n%s", g, c.want, Dump(got))
			}
			if len(got.Schema()) != len(c.n.Schema()) {
				t.Errorf("%d columns, want %d:\n%s", len(got.Schema()), len(c.n.Schema()), Dump(got))
			}
			for i, f := range got.Schema() {
				if w := c.n.Schema()[i].Type; !f.Type.Equal(w) {
					t.Errorf("column %d is %s, want %s", i, f.Type, w)
				}
			}
		})
	}
}
