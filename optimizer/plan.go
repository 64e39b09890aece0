package optimizer

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// copyPlan returns a deep copy of p as a tree: every node, slice and expression is new,
// catalog objects (*ir.Table, *ir.Function, the Catalog and the Source) are shared. A
// node reached from two parents (a plan DAG) is copied once per parent, so every pass
// can rewrite a node without looking at who else reads it.
func copyPlan(p *ir.Plan) *ir.Plan {
	q := &ir.Plan{Catalog: p.Catalog, Source: p.Source}
	for _, s := range p.Sinks {
		q.Sinks = append(q.Sinks, copyNode(s).(*ir.Sink))
	}
	return q
}

func copyNode(n ir.Node) ir.Node {
	switch n := n.(type) {
	case *ir.Scan:
		c := *n
		c.Columns = append([]int(nil), n.Columns...)
		return &c
	case *ir.Calc:
		c := *n
		c.Input = copyNode(n.Input)
		c.Lets = cloneExprs(n.Lets)
		c.Cond = cloneExpr(n.Cond)
		c.Exprs = cloneExprs(n.Exprs)
		c.Names = append([]string(nil), n.Names...)
		return &c
	case *ir.Aggregate:
		c := *n
		c.Input = copyNode(n.Input)
		c.GroupBy = append([]int(nil), n.GroupBy...)
		c.Aggs = make([]ir.AggCall, len(n.Aggs))
		for i, a := range n.Aggs {
			a.Arg = cloneExpr(a.Arg)
			a.MapOperands(cloneExpr) // a UDAF's Args
			a.Filter = cloneExpr(a.Filter)
			c.Aggs[i] = a
		}
		c.Names = append([]string(nil), n.Names...)
		return &c
	case *ir.Sink:
		c := *n
		c.Input = copyNode(n.Input)
		c.Columns = append([]int(nil), n.Columns...)
		c.Options = append([]ir.Option(nil), n.Options...)
		c.UpsertKey = append([]int(nil), n.UpsertKey...)
		if n.UpsertKey == nil {
			c.UpsertKey = nil
		}
		return &c
	case *ir.Correlate:
		return copyCorrelate(n)
	case *ir.Union:
		c := *n
		c.Branches = make([]ir.Node, len(n.Branches))
		for i, b := range n.Branches {
			c.Branches[i] = copyNode(b)
		}
		c.Names = append([]string(nil), n.Names...)
		return &c
	}
	panic(fmt.Sprintf("optimizer: unknown plan node %T", n))
}

// planKey renders the whole plan canonically; Optimize compares keys to know when a
// round of passes changed nothing.
func planKey(p *ir.Plan) string {
	var b strings.Builder
	for _, s := range p.Sinks {
		writeNodeKey(&b, s)
		b.WriteString("\n")
	}
	return b.String()
}

func writeNodeKey(b *strings.Builder, n ir.Node) {
	switch n := n.(type) {
	case *ir.Scan:
		fmt.Fprintf(b, "Scan(%s %v)", n.Table.Name, n.Columns)
	case *ir.Calc:
		b.WriteString("Calc(lets:")
		for _, e := range n.Lets {
			b.WriteString(exprKey(e) + ";")
		}
		b.WriteString(" cond:" + exprKey(n.Cond) + " exprs:")
		for i, e := range n.Exprs {
			b.WriteString(n.Names[i] + "=" + exprKey(e) + ";")
		}
		b.WriteString(" in:")
		writeNodeKey(b, n.Input)
		b.WriteString(")")
	case *ir.Aggregate:
		fmt.Fprintf(b, "Agg(%v %v", n.GroupBy, n.Names)
		for _, a := range n.Aggs {
			b.WriteString(" " + aggKey(a))
		}
		b.WriteString(" in:")
		writeNodeKey(b, n.Input)
		b.WriteString(")")
	case *ir.Sink:
		fmt.Fprintf(b, "Sink(%s %v in:", n.Table.Name, n.Columns)
		writeNodeKey(b, n.Input)
		b.WriteString(")")
	case *ir.Correlate:
		writeCorrelateKey(b, n)
	case *ir.Union:
		fmt.Fprintf(b, "Union(%v", n.Names)
		for _, in := range n.Branches {
			b.WriteString(" in:")
			writeNodeKey(b, in)
		}
		b.WriteString(")")
	}
}

// aggKey identifies what an aggregate computes (its name is not part of it).
func aggKey(a ir.AggCall) string {
	args := exprKey(a.Arg)
	for _, x := range a.Args { // a UDAF's arguments; UDAFKey names its Go function
		args += "," + exprKey(x)
	}
	return fmt.Sprintf("%s%s[distinct=%v](%s filter %s):%s", a.Func, a.UDAFKey(), a.Distinct, args, exprKey(a.Filter), a.T)
}

// identityRefs returns InputRefs to every column of schema.
func identityRefs(schema []ir.Field) ([]ir.Expr, []string) {
	exprs := make([]ir.Expr, len(schema))
	names := make([]string, len(schema))
	for i, f := range schema {
		exprs[i] = &ir.InputRef{Index: i, Name: f.Name, T: f.Type}
		names[i] = f.Name
	}
	return exprs, names
}

// projection returns a Calc over input that emits, for each column of the old schema,
// the input column m[i] (the node's columns moved as m says).
func projection(input ir.Node, old []ir.Field, m []int) *ir.Calc {
	in := input.Schema()
	c := &ir.Calc{Input: input}
	for i, f := range old {
		c.Exprs = append(c.Exprs, &ir.InputRef{Index: m[i], Name: in[m[i]].Name, T: in[m[i]].Type})
		c.Names = append(c.Names, f.Name)
	}
	return c
}

func isIdentityMap(m []int) bool {
	for i, j := range m {
		if i != j {
			return false
		}
	}
	return true
}
