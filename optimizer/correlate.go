package optimizer

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Correlate (LATERAL TABLE) in the passes. Each pass has a one-line case calling the
// function here:
//
//   - FoldConstants folds the call's arguments (never the call: a table function is
//     called per row);
//   - PushFilters moves conjuncts of a Calc over a Correlate that read only input
//     columns below it (for LEFT joins too: whether an input row survives does not
//     depend on the function's rows);
//   - PruneColumns prunes the input to the columns the consumer and the arguments read;
//     the function's columns are always produced;
//   - BuildPipelines keeps a Correlate inside its pipeline (Pipeline.Steps).

func copyCorrelate(n *ir.Correlate) *ir.Correlate {
	c := *n
	c.Input = copyNode(n.Input)
	call := *n.Call
	call.Args = cloneExprs(n.Call.Args)
	c.Call = &call
	c.Names = append([]string(nil), n.Names...)
	return &c
}

func writeCorrelateKey(b *strings.Builder, n *ir.Correlate) {
	fmt.Fprintf(b, "Correlate(%s left=%v %v(", n.Call.Fn.Name, n.Left, n.Names)
	for _, a := range n.Call.Args {
		b.WriteString(exprKey(a) + ";")
	}
	b.WriteString(") in:")
	writeNodeKey(b, n.Input)
	b.WriteString(")")
}

func checkCorrelate(n *ir.Correlate) error {
	if n.Call == nil || n.Call.Fn == nil || n.Call.Fn.Kind != ir.TableFunction {
		return fmt.Errorf("Correlate without a table function call")
	}
	if len(n.Names) != len(n.Call.Fn.TableColumns) {
		return fmt.Errorf("Correlate %s: %d names for %d columns", n.Call.Fn.Name, len(n.Names), len(n.Call.Fn.TableColumns))
	}
	in := n.Input.Schema()
	for i, a := range n.Call.Args {
		if err := checkExpr(a, in, nil); err != nil {
			return fmt.Errorf("Correlate %s, argument %d: %w", n.Call.Fn.Name, i+1, err)
		}
	}
	return nil
}

func foldCorrelate(n *ir.Correlate) {
	n.Input = foldNode(n.Input)
	for i, a := range n.Call.Args {
		n.Call.Args[i] = FoldExpr(a)
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

// pruneCorrelate asks the input for the needed input columns and those the arguments
// read.
func pruneCorrelate(n *ir.Correlate, need map[int]bool) (ir.Node, []int) {
	nIn := len(n.Input.Schema())
	reads := map[int]bool{}
	for i := range need {
		if i < nIn && need[i] {
			reads[i] = true
		}
	}
	for _, a := range n.Call.Args {
		inputRefs(a, reads)
	}
	in, im := pruneNode(n.Input, reads)
	n.Input = in
	if im == nil {
		return n, nil
	}
	return n, renumberCorrelate(n, im)
}

// movedCorrelate is the dedup/share rewrite of a Correlate whose input moved.
func movedCorrelate(n *ir.Correlate, in moved) moved {
	var old []ir.Field
	if in.m != nil {
		old = append(append([]ir.Field(nil), in.old...), n.FunctionFields()...)
	}
	n.Input = in.n
	if in.m == nil {
		return moved{n: n}
	}
	return moved{n: n, m: renumberCorrelate(n, in.m), old: old}
}

// pushBelowCorrelate moves the conjuncts of c (a Calc over corr) that read only the
// Correlate's input columns into a filtering Calc below it.
func pushBelowCorrelate(c *ir.Calc, corr *ir.Correlate) {
	nIn := len(corr.Input.Schema())
	moved, stay := split(c.Cond, func(i int) int {
		if i < nIn {
			return i
		}
		return -1
	})
	if moved == nil {
		return
	}
	c.Cond = stay
	exprs, names := identityRefs(corr.Input.Schema())
	corr.Input = &ir.Calc{Input: corr.Input, Cond: and(moved...), Exprs: exprs, Names: names}
}

// pipelineSteps walks down from input through Calcs and Correlates: the operators of
// one pipeline, bottom-up, the Calcs alone, and the node the pipeline starts at.
func pipelineSteps(input ir.Node) (steps []ir.Node, calcs []*ir.Calc, start ir.Node, hasCorrelate bool) {
	n := input
	for {
		switch x := n.(type) {
		case *ir.Calc:
			steps = append(steps, x)
			calcs = append(calcs, x)
			n = x.Input
			continue
		case *ir.Correlate:
			steps = append(steps, x)
			hasCorrelate = true
			n = x.Input
			continue
		}
		break
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	for i, j := 0, len(calcs)-1; i < j; i, j = i+1, j-1 {
		calcs[i], calcs[j] = calcs[j], calcs[i]
	}
	return steps, calcs, n, hasCorrelate
}

// checkSteps verifies a pipeline's Steps: a chain from its Source, each step read by
// the next; it returns the last operator.
func checkSteps(i int, pl *ir.Pipeline, seen map[ir.Node]bool) (ir.Node, error) {
	prev := pl.Source
	var calcs []*ir.Calc
	for _, st := range pl.Steps {
		var in ir.Node
		switch st := st.(type) {
		case *ir.Calc:
			in = st.Input
			calcs = append(calcs, st)
		case *ir.Correlate:
			in = st.Input
		default:
			return nil, fmt.Errorf("pipeline %d: step %T", i, st)
		}
		if in != prev {
			return nil, fmt.Errorf("pipeline %d: %s does not read the operator before it", i, ir.Describe(st))
		}
		if seen[st] {
			return nil, fmt.Errorf("pipeline %d: %s is in two pipelines", i, ir.Describe(st))
		}
		seen[st] = true
		prev = st
	}
	if len(calcs) != len(pl.Calcs) {
		return nil, fmt.Errorf("pipeline %d: %d Calcs in Steps, %d in Calcs", i, len(calcs), len(pl.Calcs))
	}
	for k, c := range calcs {
		if pl.Calcs[k] != c {
			return nil, fmt.Errorf("pipeline %d: Calcs and Steps differ", i)
		}
	}
	return prev, nil
}

// pushCorrelateIntoUnion rewrites Correlate(Union(a, b)) as Union(Correlate(a),
// Correlate(b)), as MergeCalcs does for a Calc: a Correlate works row by row, so each
// branch then runs it in its own pipeline.
func pushCorrelateIntoUnion(c *ir.Correlate, u *ir.Union) ir.Node {
	out := &ir.Union{Names: append(append([]string(nil), u.Names...), c.Names...), Pos: u.Pos}
	for i, b := range u.Branches {
		bc := c
		if i > 0 {
			call := *c.Call
			call.Args = cloneExprs(c.Call.Args)
			bc = &ir.Correlate{Call: &call, Left: c.Left, Names: append([]string(nil), c.Names...), Alias: c.Alias, Pos: c.Pos}
		}
		bc.Input = b
		// The arguments read the Union's column types; a branch may differ only in
		// nullability, which InputRefs carry: take the branch's.
		bs := b.Schema()
		for j, a := range bc.Call.Args {
			bc.Call.Args[j] = transform(a, func(x ir.Expr) ir.Expr {
				if r, ok := x.(*ir.InputRef); ok && r.Index < len(bs) {
					r.T = bs[r.Index].Type
				}
				return x
			})
		}
		out.Branches = append(out.Branches, mergeNode(bc))
	}
	return out
}
