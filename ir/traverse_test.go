package ir_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// sampleNodes holds one operator of every type of package ir, each with expressions in
// every slot it has. TestTraversalRegistry fails when a type is added without a sample.
func sampleNodes() []ir.Node {
	tab := &ir.Table{Name: "t", Connector: "print", Columns: []*ir.Column{
		{Name: "a", Type: ir.BigInt()}, {Name: "ts", Type: ir.Timestamp(3)}}}
	scan := &ir.Scan{Table: tab, Columns: []int{0, 1}}
	a := &ir.InputRef{Index: 0, Name: "a", T: ir.BigInt()}
	ts := &ir.InputRef{Index: 1, Name: "ts", T: ir.Timestamp(3)}
	pos := &ir.Call{Op: ir.OpGt, Args: []ir.Expr{a, &ir.Literal{Value: int64(0), T: ir.BigInt().NotNull()}}, T: ir.Boolean()}
	calc := &ir.Calc{Input: scan, Lets: []ir.Expr{a}, Cond: pos, Exprs: []ir.Expr{&ir.LocalRef{Index: 0, T: ir.BigInt()}, ts}, Names: []string{"a", "ts"}}
	fn := &ir.Function{Name: "f", Kind: ir.TableFunction, TableColumns: []ir.Field{{Name: "x", Type: ir.String()}}}
	udaf := &ir.Function{Name: "g", Kind: ir.AggregateFunction, Deterministic: true}
	return []ir.Node{
		scan,
		calc,
		&ir.Aggregate{Input: calc, GroupBy: []int{1}, Names: []string{"ts", "c", "s", "u"}, Aggs: []ir.AggCall{
			{Func: ir.AggCount, T: ir.BigInt().NotNull(), Name: "c"},
			{Func: ir.AggSum, Arg: a, Filter: pos, T: ir.BigInt(), Name: "s"},
			{Func: ir.AggUDF, Fn: udaf, Args: []ir.Expr{a, a}, T: ir.BigInt(), Name: "u"},
		}},
		&ir.Sink{Input: calc, Table: tab, Columns: []int{0, 1}},
		&ir.Union{Branches: []ir.Node{calc, calc, calc}, Names: []string{"a", "ts"}},
		&ir.Correlate{Input: scan, Call: &ir.UDFCall{Fn: fn, Args: []ir.Expr{a}}, Names: []string{"x"}, Alias: "f"},
		&ir.WatermarkAssigner{Input: scan, RowtimeIndex: 1, Expr: ts},
	}
}

// sampleExprs holds one expression of every type of package ir.
func sampleExprs() []ir.Expr {
	a := &ir.InputRef{Index: 0, Name: "a", T: ir.BigInt()}
	one := &ir.Literal{Value: int64(1), T: ir.BigInt().NotNull()}
	return []ir.Expr{
		a,
		&ir.LocalRef{Index: 0, T: ir.BigInt()},
		&ir.Literal{Value: []byte("x"), T: ir.Bytes()},
		&ir.Call{Op: ir.OpAdd, Args: []ir.Expr{a, one}, T: ir.BigInt()},
		&ir.Cast{X: a, T: ir.Double()},
		&ir.Case{Whens: []ir.When{{Cond: &ir.Call{Op: ir.OpIsNull, Args: []ir.Expr{a}, T: ir.Boolean().NotNull()}, Then: one}, {Cond: &ir.Literal{Value: true, T: ir.Boolean()}, Then: a}}, Else: one, T: ir.BigInt()},
		&ir.UDFCall{Fn: &ir.Function{Name: "h"}, Args: []ir.Expr{a, one}, T: ir.BigInt()},
		&ir.FieldAccess{X: &ir.InputRef{Index: 1, T: ir.Type{Kind: ir.KindRow, Fields: []ir.Field{{Name: "id", Type: ir.BigInt()}}}}, Index: 0, Name: "id", T: ir.BigInt()},
	}
}

// declaredTypes lists the types of package ir (its non-test source) that have a method
// named method.
func declaredTypes(t *testing.T, method string) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range pkgs["ir"].Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != method {
				continue
			}
			rt := fd.Recv.List[0].Type
			if st, ok := rt.(*ast.StarExpr); ok {
				rt = st.X
			}
			seen[rt.(*ast.Ident).Name] = true
		}
	}
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func typeNames[T any](xs []T) []string {
	var out []string
	for _, x := range xs {
		out = append(out, reflect.TypeOf(x).Elem().Name())
	}
	sort.Strings(out)
	return out
}

// TestTraversalRegistry: every operator (a type with a Schema method) and every
// expression type (exprNode) of package ir has a sample, so the round trips below cover
// it.
func TestTraversalRegistry(t *testing.T) {
	if got, want := typeNames(sampleNodes()), declaredTypes(t, "WithInputs"); !slices.Equal(got, want) {
		t.Errorf("operator samples %v, operators %v: add the new operator to sampleNodes", got, want)
	}
	if got, want := typeNames(sampleNodes()), declaredTypes(t, "Schema"); !slices.Equal(got, want) {
		t.Errorf("operator samples %v, types with a Schema %v", got, want)
	}
	if got, want := typeNames(sampleExprs()), declaredTypes(t, "exprNode"); !slices.Equal(got, want) {
		t.Errorf("expression samples %v, expression types %v: add the new expression to sampleExprs, Children and WithChildren", got, want)
	}
}

func TestNodeRoundTrip(t *testing.T) {
	for _, n := range sampleNodes() {
		name := reflect.TypeOf(n).Elem().Name()
		ins := n.Inputs()
		c := n.WithInputs(ins)
		if c == n || ir.Describe(c) != ir.Describe(n) || !slices.Equal(c.Inputs(), ins) {
			t.Errorf("%s: WithInputs(Inputs()) is not an equal copy: %s", name, ir.Describe(c))
		}
		// New inputs are wired in, the old operator keeps its own.
		if len(ins) > 0 {
			fresh := make([]ir.Node, len(ins))
			for i, in := range ins {
				fresh[i] = in.WithInputs(in.Inputs())
			}
			c := n.WithInputs(fresh)
			for i := range fresh {
				if c.Inputs()[i] != fresh[i] || n.Inputs()[i] != ins[i] {
					t.Errorf("%s: input %d not replaced in the copy alone", name, i)
				}
			}
		}
		es := n.Expressions()
		c = n.WithExpressions(es)
		if ir.Describe(c) != ir.Describe(n) || !slices.Equal(c.Expressions(), es) {
			t.Errorf("%s: WithExpressions(Expressions()) is not an equal copy", name)
		}
		// Replacing every expression reaches every slot, and only the copy.
		marker := &ir.LocalRef{Index: 99, T: ir.BigInt()}
		m := ir.MapExprs(n, func(ir.Expr) ir.Expr { return marker })
		for i, e := range m.Expressions() {
			if (es[i] == nil) != (e == nil) || (e != nil && e != marker) {
				t.Errorf("%s: slot %d is %v after MapExprs", name, i, e)
			}
		}
		if !slices.Equal(n.Expressions(), es) {
			t.Errorf("%s: MapExprs changed the original", name)
		}
	}
}

func TestExprRoundTrip(t *testing.T) {
	for _, e := range sampleExprs() {
		name := reflect.TypeOf(e).Elem().Name()
		kids := ir.Children(e)
		c := ir.WithChildren(e, kids)
		if c == e || ir.ExprKey(c) != ir.ExprKey(e) {
			t.Errorf("%s: WithChildren(Children()) is not an equal copy: %s", name, ir.ExprKey(c))
		}
		if len(kids) > 0 {
			fresh := make([]ir.Expr, len(kids))
			for i := range fresh {
				fresh[i] = &ir.LocalRef{Index: i, T: kids[i].Type()}
			}
			if got := ir.Children(ir.WithChildren(e, fresh)); !slices.Equal(got, fresh) {
				t.Errorf("%s: children after WithChildren are %v", name, got)
			}
		}
		// A deep copy shares no node with the original and has the same key.
		var orig, copied []ir.Expr
		ir.WalkExpr(e, func(x ir.Expr) { orig = append(orig, x) })
		ir.WalkExpr(ir.RewriteExpr(e, func(x ir.Expr) ir.Expr { return x }), func(x ir.Expr) { copied = append(copied, x) })
		if len(orig) != len(copied) {
			t.Fatalf("%s: %d nodes, copy %d", name, len(orig), len(copied))
		}
		for i := range orig {
			if orig[i] == copied[i] {
				t.Errorf("%s: node %d shared by the copy", name, i)
			}
		}
	}
}

func TestRewriteAndReplaceExpr(t *testing.T) {
	a := &ir.InputRef{Index: 0, T: ir.BigInt()}
	b := &ir.InputRef{Index: 1, T: ir.BigInt()}
	sum := &ir.Call{Op: ir.OpAdd, Args: []ir.Expr{a, b}, T: ir.BigInt()}
	e := &ir.Cast{X: sum, T: ir.Double()}
	// Bottom-up: renumber every InputRef; the original stays.
	r := ir.RewriteExpr(e, func(x ir.Expr) ir.Expr {
		if ref, ok := x.(*ir.InputRef); ok {
			ref.Index += 10
		}
		return x
	})
	if got := ir.FormatExpr(r, nil); got != "CAST($10 + $11 AS DOUBLE)" {
		t.Errorf("rewritten: %s", got)
	}
	if a.Index != 0 || b.Index != 1 {
		t.Errorf("RewriteExpr changed its input")
	}
	// Top-down: the sum is replaced whole and not descended into; untouched subtrees
	// are shared.
	calls := 0
	r = ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
		calls++
		if x == sum {
			return &ir.LocalRef{Index: 0, T: ir.BigInt()}, true
		}
		return x, false
	})
	if got := ir.FormatExpr(r, nil); got != "CAST($e0 AS DOUBLE)" || calls != 2 {
		t.Errorf("replaced: %s after %d calls", got, calls)
	}
	if same := ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) { return x, false }); same != e {
		t.Errorf("ReplaceExpr without replacements copied the expression")
	}
}

// TestTransform: bottom-up order, rebuilt parents over changed inputs, a shared node
// rewritten once, and loud failures.
func TestTransform(t *testing.T) {
	nodes := sampleNodes()
	calc := nodes[1].(*ir.Calc)
	union := &ir.Union{Branches: []ir.Node{calc, calc}, Names: []string{"a", "ts"}}
	sink := &ir.Sink{Input: union, Table: calc.Input.(*ir.Scan).Table, Columns: []int{0, 1}}
	var order []string
	calls := map[ir.Node]int{}
	out, err := ir.Transform(sink, func(n ir.Node) (ir.Node, error) {
		order = append(order, reflect.TypeOf(n).Elem().Name())
		calls[n]++
		if s, ok := n.(*ir.Scan); ok {
			return s.WithInputs(nil), nil // a new Scan: every parent is rebuilt
		}
		return n, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "Scan Calc Union Sink" {
		t.Errorf("order %s", got)
	}
	u := out.(*ir.Sink).Input.(*ir.Union)
	if u == union || u.Branches[0] != u.Branches[1] || u.Branches[0] == ir.Node(calc) {
		t.Errorf("the shared Calc was not rebuilt once and kept shared")
	}
	if sink.Input != union || union.Branches[0] != ir.Node(calc) {
		t.Errorf("Transform changed the original plan")
	}

	// Failures name what is wrong instead of panicking.
	broken := &ir.Calc{Input: nil, Names: []string{}}
	if _, err := ir.Transform(&ir.Sink{Input: broken, Table: sink.Table}, func(n ir.Node) (ir.Node, error) { return n, nil }); err == nil || !strings.Contains(err.Error(), "nil input") {
		t.Errorf("nil input: %v", err)
	}
	if _, err := ir.Transform(sink, func(n ir.Node) (ir.Node, error) { return nil, nil }); err == nil || !strings.Contains(err.Error(), "gave no operator") {
		t.Errorf("nil result: %v", err)
	}
	p := &ir.Plan{Sinks: []*ir.Sink{sink}}
	if err := ir.TransformPlan(p, func(n ir.Node) (ir.Node, error) {
		if s, ok := n.(*ir.Sink); ok {
			return s.Input, nil
		}
		return n, nil
	}); err == nil || !strings.Contains(err.Error(), "sink was rewritten") {
		t.Errorf("sink replaced: %v", err)
	}
	if p.Sinks[0] != sink {
		t.Errorf("a failed TransformPlan replaced the sink")
	}
}
