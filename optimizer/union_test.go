package optimizer

import (
	"math/rand"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// randomUnionPlan: two branches over the same table (the second filters the first's
// rows again), united, then a Calc and, half the time, an Aggregate above.
func (g *gen) randomUnionPlan(tab *ir.Table) *ir.Plan {
	scan := func() *ir.Scan { return &ir.Scan{Table: tab, Columns: []int{0, 1, 2, 3, 4, 5}} }
	b1 := g.randomCalc(scan())
	out := b1.Schema()
	og := &gen{r: g.r}
	for _, f := range out {
		og.cols = append(og.cols, f.Type)
	}
	b2 := &ir.Calc{Input: ir.MapExprs(b1, cloneExpr), Cond: og.boolExpr(2)}
	b2.Input.(*ir.Calc).Input = scan()
	b2.Exprs, b2.Names = identityRefs(out)
	u := &ir.Union{Branches: []ir.Node{b1, b2}, Names: b1.Names}
	var n ir.Node = og.randomCalc(u)
	if g.pick(2) == 0 {
		in := n.Schema()
		agg := &ir.Aggregate{Input: n, GroupBy: []int{2}, Names: []string{"k", "cnt"}}
		agg.Aggs = []ir.AggCall{{Func: ir.AggCount, T: nn(ir.BigInt()), Name: "cnt"}}
		if in[0].Type.Kind == ir.KindInt {
			agg.Aggs = append(agg.Aggs, ir.AggCall{Func: ir.AggSum, Arg: ref(0, in[0].Type), T: ir.Int(), Name: "s"})
			agg.Names = append(agg.Names, "s")
		}
		n = agg
	}
	return sinkOver(n)
}

func TestUnionPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(11)), cols: rowTypes}
	tab := &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]},
		{Name: "unused", Type: ir.String()}}}
	compared, pushed := 0, 0
	for i := 0; i < 300; i++ {
		p := g.randomUnionPlan(tab)
		prog, err := Optimize(p)
		if err != nil {
			t.Fatalf("%v\n%s", err, show(p))
		}
		// After optimization a Union sits right below the Sink or the Aggregate, and
		// each branch is a pipeline of its own into it.
		unions := 0
		for _, pl := range prog.Pipelines {
			if pl.Union != nil {
				unions++
			}
		}
		if unions != 2 {
			t.Fatalf("%d pipelines through a Union, want 2:\n%s", unions, ir.DumpProgram(prog))
		}
		switch top := prog.Plan.Sinks[0].Input.(type) {
		case *ir.Union:
			pushed++
		case *ir.Aggregate:
			if _, ok := top.Input.(*ir.Union); !ok {
				t.Fatalf("Aggregate over %T, want the Union:\n%s", top.Input, show(prog.Plan))
			}
			pushed++
		}
		for j := 0; j < 4; j++ {
			var rows [][]any
			for k := 0; k < 6; k++ {
				rows = append(rows, append(g.row(), "zzz"))
			}
			want := tableResult(evalNode(p.Sinks[0], rows))
			if want == "error" {
				continue
			}
			compared++
			got := tableResult(evalNode(prog.Plan.Sinks[0], rows))
			if got != want {
				t.Fatalf("input %v\nbound:\n%s=>\n%s\noptimized:\n%s=>\n%s", rows, show(p), want, show(prog.Plan), got)
			}
		}
	}
	if compared < 300 || pushed < 300 {
		t.Errorf("%d comparisons, %d plans with the Calc pushed into the branches", compared, pushed)
	}
}
