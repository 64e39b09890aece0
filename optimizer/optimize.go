package optimizer

import (
	"fmt"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// maxRounds bounds the fixpoint loop; every pass only shrinks the plan or moves filters
// down, so a handful of rounds always suffices and the bound is only a safety net.
const maxRounds = 20

// maxUDFRounds bounds the FoldUDFs rounds: each evaluates one level of nested calls
// (f(g(1)) takes two), and each may run the evaluator's helper program.
const maxUDFRounds = 4

// Options tune Optimize.
type Options struct {
	// NoShareScans turns off ShareScans: without it, the INSERTs of a statement set that
	// read the same table get pipelines with the same *ir.Scan Source, which codegen runs
	// in one source loop, so a source is read once (Flink's
	// table.optimizer.reuse-source-enabled, on by default there too).
	NoShareScans bool
	// NoShareAggregates turns off ShareAggregates and ShareAggregateCalcs: without it,
	// identical Aggregates of different INSERTs become one, built once and emitted into
	// one pipeline per reader, and what those readers compute alike is computed once.
	NoShareAggregates bool
	// EvalUDF evaluates deterministic UDF calls on constants for FoldUDFs (see
	// foldudf.go); nil folds no UDF call.
	EvalUDF UDFEvaluator
}

// Optimize rewrites a copy of the bound plan p and cuts it into pipelines:
//
//	repeat until the plan stops changing:
//	    FoldConstants, MergeCalcs, PushFilters, DedupAggregates, PruneColumns,
//	    PruneNestedFields
//	FoldUDFs (with Options.EvalUDF; when it folds, everything above again)
//	EliminateCommonSubexpressions
//	ShareAggregates, ShareAggregateCalcs (unless Options.NoShareAggregates)
//	ShareScans (unless Options.NoShareScans)
//	BuildPipelines
//
// p is left as it was, so it can be printed next to the result. The error reports a
// malformed plan (a bug in the binder or in a pass), never a problem of the user's SQL:
// the result is checked with Check, and every sink must keep the changelog mode and
// the unique key it had in the bound plan.
func Optimize(p *ir.Plan) (*ir.Program, error) { return OptimizeWith(p, Options{}) }

// OptimizeWith is Optimize with options.
func OptimizeWith(p *ir.Plan, opts Options) (*ir.Program, error) {
	if err := checkPlan(p); err != nil {
		return nil, fmt.Errorf("optimizer: bound plan: %w", err)
	}
	q := copyPlan(p)
	// FoldUDFs (with Options.EvalUDF) runs after the fixpoint and, when it folded a
	// call, the fixpoint runs again (a folded call may make its caller foldable).
	for udfRound := 0; ; udfRound++ {
		for round := 0; round < maxRounds; round++ {
			before := planKey(q)
			foldPlan(q)
			mergePlan(q)
			pushPlan(q)
			dedupPlan(q)
			prunePlan(q)
			nestedPlan(q)
			if planKey(q) == before {
				break
			}
		}
		if udfRound == maxUDFRounds || !foldUDFPlan(q, opts.EvalUDF) {
			break
		}
	}
	csePlan(q)
	if !opts.NoShareAggregates {
		shareAggregatesPlan(q)
		shareAggCalcsPlan(q)
	}
	if !opts.NoShareScans {
		sharePlan(q)
	}
	prog, err := BuildPipelines(q)
	if err != nil {
		return nil, fmt.Errorf("optimizer: optimized plan: %w", err)
	}
	if err := Check(prog); err != nil {
		return nil, fmt.Errorf("optimizer: optimized plan: %w", err)
	}
	for i, s := range p.Sinks {
		o := q.Sinks[i]
		if s.Changelog() != o.Changelog() {
			return nil, fmt.Errorf("optimizer: INSERT INTO %s: changelog mode changed from %s to %s", s.Table.Name, s.Changelog(), o.Changelog())
		}
		// A key may be gained (a CAST to the same type folded away) or found at another
		// column holding the same value (a CASE folded to the key column), never lost.
		if s.UniqueKey() != nil && len(s.UniqueKey()) != len(o.UniqueKey()) {
			return nil, fmt.Errorf("optimizer: INSERT INTO %s: unique key changed from %v to %v", s.Table.Name, s.UniqueKey(), o.UniqueKey())
		}
	}
	return prog, nil
}

// Check verifies that a program is well formed, as codegen expects it: every operator
// reads columns its input has, with the types the input gives them; LocalRefs read
// earlier Lets; Scans read physical or metadata columns; and every pipeline is a chain
// Source → Calcs → Sink that covers the plan exactly once.
func Check(prog *ir.Program) error {
	if err := checkPlan(prog.Plan); err != nil {
		return err
	}
	seen := map[ir.Node]bool{}
	built := map[ir.Node]bool{} // Aggregates whose build pipeline came already
	for i, pl := range prog.Pipelines {
		if pl.ID != i {
			return fmt.Errorf("pipeline %d has ID %d", i, pl.ID)
		}
		switch src := pl.Source.(type) {
		case *ir.Scan:
		case *ir.Aggregate:
			if !built[src] {
				return fmt.Errorf("pipeline %d reads Aggregate %v before a pipeline builds it", i, src.Names)
			}
		default:
			return fmt.Errorf("pipeline %d starts at %T", i, pl.Source)
		}
		prev := pl.Source
		if pl.Steps != nil {
			last, err := checkSteps(i, pl, seen)
			if err != nil {
				return err
			}
			prev = last
		}
		for _, c := range pl.Calcs {
			if pl.Steps != nil {
				break
			}
			if c.Input != prev {
				return fmt.Errorf("pipeline %d: Calc %v does not read the operator before it", i, c.Names)
			}
			if seen[c] && !isSharedCalc(pl, c) {
				return fmt.Errorf("pipeline %d: Calc %v is in two pipelines", i, c.Names)
			}
			seen[c] = true
			prev = c
		}
		if u := pl.Union; u != nil {
			if !slices.Contains(u.Branches, prev) {
				return fmt.Errorf("pipeline %d: its last operator is not a branch of its Union", i)
			}
			prev = u
		}
		switch end := pl.Sink.(type) {
		case *ir.Aggregate:
			if end.Input != prev {
				return fmt.Errorf("pipeline %d: Aggregate does not read the last Calc", i)
			}
			built[end] = true
		case *ir.Sink:
			if end.Input != prev {
				return fmt.Errorf("pipeline %d: Sink %s does not read the last Calc", i, end.Table.Name)
			}
		default:
			return fmt.Errorf("pipeline %d ends at %T", i, pl.Sink)
		}
		if seen[pl.Sink] && pl.Union == nil {
			return fmt.Errorf("pipeline %d: %T is the end of two pipelines", i, pl.Sink)
		}
		seen[pl.Sink] = true
	}
	for _, s := range prog.Plan.Sinks {
		if !seen[s] {
			return fmt.Errorf("INSERT INTO %s has no pipeline", s.Table.Name)
		}
	}
	return nil
}

// isSharedCalc reports whether c may be in several pipelines: the Calc that
// ShareAggregateCalcs puts above an Aggregate, first in the pipelines that emit it,
// without a condition (it is computed once per group for all of them).
func isSharedCalc(pl *ir.Pipeline, c *ir.Calc) bool {
	_, fromAgg := pl.Source.(*ir.Aggregate)
	return fromAgg && c.Input == pl.Source && c.Cond == nil
}

// checkPlan checks every operator of p once, inputs first.
func checkPlan(p *ir.Plan) error {
	for _, s := range p.Sinks {
		if s == nil {
			return fmt.Errorf("nil sink")
		}
	}
	var err error
	ir.Walk(p, func(n ir.Node) {
		if err == nil {
			err = checkNode(n)
		}
	})
	return err
}

// checkNode checks one operator whose inputs are checked: that it accepts their
// changelog modes and that its expressions and column indexes fit their rows. An
// operator it does not know is an error: this is where a new operator must be added.
func checkNode(n ir.Node) error {
	for i, in := range n.Inputs() {
		if in == nil {
			return fmt.Errorf("%T has a nil input %d", n, i)
		}
		if !n.AcceptsChangelog(in.Changelog()) {
			return fmt.Errorf("%s does not accept the changelog mode %s of its input %s", ir.Describe(n), in.Changelog(), ir.Describe(in))
		}
	}
	switch n := n.(type) {
	case *ir.Scan:
		for _, c := range n.Columns {
			if c < 0 || c >= len(n.Table.Columns) {
				return fmt.Errorf("Scan of %s: no column %d", n.Table.Name, c)
			}
			if n.Table.Columns[c].Kind == ir.Computed {
				return fmt.Errorf("Scan of %s reads computed column %s", n.Table.Name, n.Table.Columns[c].Name)
			}
		}
		if n.Paths != nil && len(n.Paths) != len(n.Columns) {
			return fmt.Errorf("Scan of %s: %d paths for %d columns", n.Table.Name, len(n.Paths), len(n.Columns))
		}
		for i, p := range n.Paths {
			t := n.Table.Columns[n.Columns[i]].Type
			for _, j := range p {
				if t.Kind != ir.KindRow || j < 0 || j >= len(t.Fields) {
					return fmt.Errorf("Scan of %s: column %s has no nested field %v", n.Table.Name, n.Table.Columns[n.Columns[i]].Name, p)
				}
				t = t.Fields[j].Type
			}
		}
	case *ir.Calc:
		in := n.Input.Schema()
		if len(n.Names) != len(n.Exprs) {
			return fmt.Errorf("Calc has %d names for %d expressions", len(n.Names), len(n.Exprs))
		}
		for i, e := range n.Lets {
			if err := checkExpr(e, in, n.Lets[:i]); err != nil {
				return fmt.Errorf("Calc %v, let %d: %w", n.Names, i, err)
			}
		}
		if n.Cond != nil {
			if err := checkExpr(n.Cond, in, n.Lets); err != nil {
				return fmt.Errorf("Calc %v, condition: %w", n.Names, err)
			}
			if k := n.Cond.Type().Kind; k != ir.KindBoolean && k != ir.KindNull {
				return fmt.Errorf("Calc %v: condition of type %s", n.Names, n.Cond.Type())
			}
		}
		for i, e := range n.Exprs {
			if err := checkExpr(e, in, n.Lets); err != nil {
				return fmt.Errorf("Calc %v, column %s: %w", n.Names, n.Names[i], err)
			}
		}
	case *ir.Aggregate:
		in := n.Input.Schema()
		if len(n.Names) != len(n.GroupBy)+len(n.Aggs) {
			return fmt.Errorf("Aggregate has %d names for %d columns", len(n.Names), len(n.GroupBy)+len(n.Aggs))
		}
		for _, g := range n.GroupBy {
			if g < 0 || g >= len(in) {
				return fmt.Errorf("Aggregate groups by missing column %d", g)
			}
		}
		for _, a := range n.Aggs {
			for _, x := range a.Operands() { // Arg, or a UDAF's Args
				if err := checkExpr(x, in, nil); err != nil {
					return fmt.Errorf("aggregate %s: %w", a.Name, err)
				}
			}
			if a.Filter != nil {
				if err := checkExpr(a.Filter, in, nil); err != nil {
					return fmt.Errorf("aggregate %s filter: %w", a.Name, err)
				}
			}
		}
	case *ir.Sink:
		if n.Columns != nil && len(n.Columns) != len(n.Input.Schema()) {
			return fmt.Errorf("INSERT INTO %s: %d target columns for %d values", n.Table.Name, len(n.Columns), len(n.Input.Schema()))
		}
	case *ir.Correlate:
		return checkCorrelate(n)
	case *ir.WatermarkAssigner:
		in := n.Input.Schema()
		if n.RowtimeIndex < 0 || n.RowtimeIndex >= len(in) {
			return fmt.Errorf("WatermarkAssigner: no rowtime column %d in a %d-column input", n.RowtimeIndex, len(in))
		}
		if err := checkExpr(n.Expr, in, nil); err != nil {
			return fmt.Errorf("WatermarkAssigner on %s: %w", in[n.RowtimeIndex].Name, err)
		}
		if k := n.Expr.Type().Kind; k != ir.KindTimestamp && k != ir.KindTimestampLTZ {
			return fmt.Errorf("WatermarkAssigner on %s: watermark of type %s", in[n.RowtimeIndex].Name, n.Expr.Type())
		}
	case *ir.Union:
		if len(n.Branches) < 2 {
			return fmt.Errorf("Union of %d inputs", len(n.Branches))
		}
		for i, b := range n.Branches {
			fs := b.Schema()
			if len(fs) != len(n.Names) {
				return fmt.Errorf("Union %v: branch %d has %d columns", n.Names, i, len(fs))
			}
			for c, f := range fs {
				if !f.Type.Equal(n.Schema()[c].Type) {
					return fmt.Errorf("Union %v: branch %d column %d has type %s, not %s", n.Names, i, c, f.Type, n.Schema()[c].Type)
				}
			}
		}
	default:
		return fmt.Errorf("unknown operator %T", n)
	}
	return nil
}

func checkExpr(e ir.Expr, in []ir.Field, lets []ir.Expr) error {
	var err error
	ir.WalkExpr(e, func(x ir.Expr) {
		if err != nil {
			return
		}
		switch x := x.(type) {
		case *ir.InputRef:
			if x.Index < 0 || x.Index >= len(in) {
				err = fmt.Errorf("reads column %d of a %d-column input", x.Index, len(in))
			} else if t := in[x.Index].Type; !x.T.Equal(t) || x.T.TimeAttr != t.TimeAttr {
				err = fmt.Errorf("reads column %d (%s) as %s", x.Index, t, x.T)
			}
		case *ir.LocalRef:
			if x.Index < 0 || x.Index >= len(lets) {
				err = fmt.Errorf("reads let %d of %d earlier ones", x.Index, len(lets))
			} else if !x.T.Equal(lets[x.Index].Type()) {
				err = fmt.Errorf("reads let %d (%s) as %s", x.Index, lets[x.Index].Type(), x.T)
			}
		case nil:
			err = fmt.Errorf("nil expression")
		}
	})
	return err
}
