package ir

import (
	"fmt"
	"slices"
)

// Operators own their traversal: Inputs and WithInputs are an operator's children,
// Expressions and WithExpressions the scalar expressions it holds. Transform, Walk and
// MapExprs build every plan walk of the compiler on them, so an operator is added in one
// place and the compiler makes sure it has them.
//
// WithInputs and WithExpressions return shallow copies: the operator's own slices
// (Names, Columns, GroupBy, Aggs, ...) are new, expressions and inputs are shared.

// The expression slots of each operator, in order (a nil slot is an absent
// expression: a Calc without condition, COUNT(*)'s argument, an aggregate without
// FILTER):
//
//	Scan               none
//	Calc               Lets..., Cond, Exprs...
//	Aggregate          per AggCall: Arg, Filter, Args...
//	Sink, Union        none
//	Correlate          Call.Args...
//	WatermarkAssigner  Expr

func (n *Scan) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := *n
	c.Columns = slices.Clone(n.Columns)
	c.Paths = slices.Clone(n.Paths)
	return &c
}

func (n *Calc) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := n.copy()
	c.Input = inputs[0]
	return c
}

func (n *Aggregate) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := n.copy()
	c.Input = inputs[0]
	return c
}

func (n *Sink) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := *n
	c.Input = inputs[0]
	c.Columns = slices.Clone(n.Columns)
	c.Options = slices.Clone(n.Options)
	c.UpsertKey = slices.Clone(n.UpsertKey)
	return &c
}

func (n *Union) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := *n
	c.Branches = slices.Clone(inputs)
	c.Names = slices.Clone(n.Names)
	return &c
}

func (n *Correlate) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := n.copy()
	c.Input = inputs[0]
	return c
}

func (n *WatermarkAssigner) WithInputs(inputs []Node) Node {
	mustArity(n, inputs)
	c := *n
	c.Input = inputs[0]
	return &c
}

func (n *Calc) copy() *Calc {
	c := *n
	c.Lets = slices.Clone(n.Lets)
	c.Exprs = slices.Clone(n.Exprs)
	c.Names = slices.Clone(n.Names)
	return &c
}

func (n *Aggregate) copy() *Aggregate {
	c := *n
	c.GroupBy = slices.Clone(n.GroupBy)
	c.Aggs = slices.Clone(n.Aggs)
	for i := range c.Aggs {
		c.Aggs[i].Args = slices.Clone(n.Aggs[i].Args)
	}
	c.Names = slices.Clone(n.Names)
	return &c
}

func (n *Correlate) copy() *Correlate {
	c := *n
	call := *n.Call
	call.Args = slices.Clone(n.Call.Args)
	c.Call = &call
	c.Names = slices.Clone(n.Names)
	return &c
}

// mustArity panics when an operator is given another number of inputs than it has:
// Transform checks arity before it calls WithInputs, so this is a caller's bug.
func mustArity(n Node, inputs []Node) {
	if _, isUnion := n.(*Union); isUnion {
		if len(inputs) < 1 {
			panic("ir: Union without inputs")
		}
		return
	}
	if len(inputs) != len(n.Inputs()) {
		panic(fmt.Sprintf("ir: %T has %d inputs, not %d", n, len(n.Inputs()), len(inputs)))
	}
}

func (n *Scan) Expressions() []Expr { return nil }
func (n *Calc) Expressions() []Expr {
	out := make([]Expr, 0, len(n.Lets)+1+len(n.Exprs))
	out = append(out, n.Lets...)
	out = append(out, n.Cond)
	return append(out, n.Exprs...)
}
func (n *Aggregate) Expressions() []Expr {
	var out []Expr
	for _, a := range n.Aggs {
		out = append(out, a.Arg, a.Filter)
		out = append(out, a.Args...)
	}
	return out
}
func (n *Sink) Expressions() []Expr              { return nil }
func (n *Union) Expressions() []Expr             { return nil }
func (n *Correlate) Expressions() []Expr         { return slices.Clone(n.Call.Args) }
func (n *WatermarkAssigner) Expressions() []Expr { return []Expr{n.Expr} }

func (n *Scan) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	return n.WithInputs(nil)
}

func (n *Calc) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	c := n.copy()
	k := len(n.Lets)
	c.Lets = slices.Clone(es[:k])
	c.Cond = es[k]
	c.Exprs = slices.Clone(es[k+1:])
	return c
}

func (n *Aggregate) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	c := n.copy()
	for i := range c.Aggs {
		a := &c.Aggs[i]
		a.Arg, a.Filter = es[0], es[1]
		es = es[2:]
		if a.Args != nil {
			a.Args = slices.Clone(es[:len(a.Args)])
			es = es[len(a.Args):]
		}
	}
	return c
}

func (n *Sink) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	return n.WithInputs([]Node{n.Input})
}

func (n *Union) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	return n.WithInputs(n.Branches)
}

func (n *Correlate) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	c := n.copy()
	c.Call.Args = slices.Clone(es)
	return c
}

func (n *WatermarkAssigner) WithExpressions(es []Expr) Node {
	mustSlots(n, es)
	c := *n
	c.Expr = es[0]
	return &c
}

func mustSlots(n Node, es []Expr) {
	if want := len(n.Expressions()); len(es) != want {
		panic(fmt.Sprintf("ir: %T holds %d expressions, not %d", n, want, len(es)))
	}
}

// MapExprs returns a copy of n (WithExpressions) whose every expression is f of the
// old one; absent expressions (nil slots) stay absent. f may return nil only for an
// optional slot (a Calc's condition, an aggregate's FILTER).
func MapExprs(n Node, f func(Expr) Expr) Node {
	es := n.Expressions()
	for i, e := range es {
		if e != nil {
			es[i] = f(e)
		}
	}
	return n.WithExpressions(es)
}

// VisitExprs calls visit on every expression n holds (not on their subexpressions;
// WalkExpr does that), skipping absent ones.
func VisitExprs(n Node, visit func(Expr)) {
	for _, e := range n.Expressions() {
		if e != nil {
			visit(e)
		}
	}
}

// Transform rewrites the operator tree (or DAG) below n bottom-up: each operator's
// inputs are transformed first; an operator whose inputs changed is rebuilt with
// WithInputs; then f is applied to it and returns its replacement (the operator itself
// to keep it). An operator reached from several parents is transformed once and stays
// shared. f may change the operator it is given in place when it owns the plan (the
// optimizer's passes run on their own copy).
//
// It fails, naming the operator, on a nil operator, on an operator whose WithInputs
// does not give back its input count, and on f's error.
func Transform(n Node, f func(Node) (Node, error)) (Node, error) {
	t := &transformer{f: f, done: map[Node]Node{}}
	return t.node(n)
}

// TransformPlan transforms every sink of p (sharing one memo, so a subtree shared by
// two INSERTs stays shared) and stores the results in p.Sinks; a sink must stay a *Sink.
func TransformPlan(p *Plan, f func(Node) (Node, error)) error {
	t := &transformer{f: f, done: map[Node]Node{}}
	for i, s := range p.Sinks {
		out, err := t.node(s)
		if err != nil {
			return err
		}
		sink, ok := out.(*Sink)
		if !ok {
			return fmt.Errorf("ir: INSERT INTO %s: the sink was rewritten into %T", s.Table.Name, out)
		}
		p.Sinks[i] = sink
	}
	return nil
}

type transformer struct {
	f    func(Node) (Node, error)
	done map[Node]Node
}

func (t *transformer) node(n Node) (Node, error) {
	if n == nil {
		return nil, fmt.Errorf("ir: nil operator in the plan")
	}
	if out, ok := t.done[n]; ok {
		return out, nil
	}
	ins := n.Inputs()
	var nins []Node
	for i, in := range ins {
		if in == nil {
			return nil, fmt.Errorf("ir: %T has a nil input %d", n, i)
		}
		out, err := t.node(in)
		if err != nil {
			return nil, err
		}
		if out != in && nins == nil {
			nins = slices.Clone(ins)
		}
		if nins != nil {
			nins[i] = out
		}
	}
	cur := n
	if nins != nil {
		cur = n.WithInputs(nins)
		if got := len(cur.Inputs()); got != len(ins) {
			return nil, fmt.Errorf("ir: %T.WithInputs gave %d inputs for %d", n, got, len(ins))
		}
	}
	out, err := t.f(cur)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("ir: rewriting %T gave no operator", n)
	}
	t.done[n] = out
	return out, nil
}

// Walk calls visit on every operator below the sinks of p once, inputs before the
// operators that read them (a node shared by several readers is visited once).
func Walk(p *Plan, visit func(Node)) {
	roots := make([]Node, len(p.Sinks))
	for i, s := range p.Sinks {
		roots[i] = s
	}
	WalkFrom(visit, roots...)
}

// WalkFrom is Walk over the operators below roots.
func WalkFrom(visit func(Node), roots ...Node) {
	seen := map[Node]bool{}
	var walk func(n Node)
	walk = func(n Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		for _, in := range n.Inputs() {
			walk(in)
		}
		visit(n)
	}
	for _, r := range roots {
		walk(r)
	}
}
