package optimizer

import (
	"slices"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Column moves. DedupAggregates, ShareScans and PruneColumns change which columns an
// operator emits; the operators reading it must follow. A pass records each such change
// in a moves table, and its bottom-up rewrite calls moves.follow on every operator, which
// renumbers the column references of an operator that has them (and, for one that
// passes its input's columns through, records its own move in turn) or puts a projecting
// Calc that restores the old row in front of any other operator.

// moved is a node whose output columns moved: old column i is now column m[i] (-1: no
// longer produced, when no reader needs it) of n, which the readers read instead. m nil
// means nothing moved. old is the schema before the move.
type moved struct {
	n   ir.Node
	m   []int
	old []ir.Field
}

// moves maps an operator to its move, keyed by the operator its readers had as input.
type moves map[ir.Node]moved

// follow rewrites n after some of its inputs moved. An operator with column references
// (Calc, Aggregate, Correlate, WatermarkAssigner) reads the moved input and is
// renumbered in place, so it keeps its identity (and its own move, if any); any other
// operator is rebuilt with a projection in front of each moved input.
func (ms moves) follow(n ir.Node) ir.Node {
	ins := n.Inputs()
	moved := false
	for _, in := range ins {
		if x, ok := ms[in]; ok && (x.n != in || x.m != nil) {
			moved = true
		}
	}
	if !moved || (len(ins) == 1 && ms.renumber(n, ms[ins[0]])) {
		return n
	}
	nins := slices.Clone(ins)
	for i, in := range ins {
		if x, ok := ms[in]; ok {
			nins[i] = adaptTo(x)
		}
	}
	return n.WithInputs(nins)
}

// renumber makes n, whose only input moved as in says, read in.n and renumbers its
// column references. It reports false, changing nothing, for an operator it does not
// know. An operator that passes its input's columns through records its own move.
func (ms moves) renumber(n ir.Node, in moved) bool {
	switch n := n.(type) {
	case *ir.Calc:
		n.Input = in.n
		if in.m != nil {
			renumberCalc(n, in.m)
		}
	case *ir.Aggregate:
		n.Input = in.n
		if in.m != nil {
			renumberAggregate(n, in.m)
		}
	case *ir.Correlate:
		n.Input = in.n
		if in.m != nil {
			old := append(slices.Clone(in.old), n.FunctionFields()...)
			ms[n] = moved{n: n, m: renumberCorrelate(n, in.m), old: old}
		}
	case *ir.WatermarkAssigner:
		n.Input = in.n
		if in.m != nil {
			old := slices.Clone(in.old)
			if n.RowtimeIndex < len(old) {
				old[n.RowtimeIndex].Type = old[n.RowtimeIndex].Type.WithTimeAttr(ir.TimeRowtime)
			}
			n.RowtimeIndex = in.m[n.RowtimeIndex]
			n.Expr = remapInputs(n.Expr, in.m)
			ms[n] = moved{n: n, m: in.m, old: old}
		}
	default:
		return false
	}
	return true
}

// adaptTo returns a node with the old row shape for a parent that cannot be renumbered.
func adaptTo(x moved) ir.Node {
	if x.m == nil || (isIdentityMap(x.m) && len(x.m) == len(x.n.Schema())) {
		return x.n
	}
	return projection(x.n, x.old, x.m)
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

// renumberCorrelate rewrites the arguments after the input's columns moved (m), and
// returns the map of the Correlate's own columns: input columns as m says, function
// columns after the new input row.
func renumberCorrelate(n *ir.Correlate, m []int) []int {
	for i, a := range n.Call.Args {
		n.Call.Args[i] = remapInputs(a, m)
	}
	width := len(n.Input.Schema())
	out := append([]int(nil), m...)
	for j := range n.Call.Fn.TableColumns {
		out = append(out, width+j)
	}
	return out
}
