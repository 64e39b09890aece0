package optimizer

import (
	"fmt"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// BuildPipelines cuts the plan at its pipeline breakers (Aggregate and Sink) and returns
// the pipelines in dependency order, numbered from 0:
//
//   - a pipeline starts at a Scan, or at an Aggregate whose state it reads at flush time
//     (the emit side);
//   - it runs every row through the operators above its start that work row by row
//     (Calcs, Correlates, WatermarkAssigners), bottom-up;
//   - it ends at the next Aggregate (the build side, which updates the state) or Sink.
//
// The pipeline that builds an Aggregate always comes before the one that emits from it,
// and sinks are visited in statement order. It does not rewrite the plan: the Program
// holds p itself. A shape pipelines do not know (an operator with several inputs other
// than a Union, a Union that is not read by a Sink or an Aggregate) is an error.
//
// Statement sets: every INSERT gets its own pipelines. Two INSERTs reading the same
// table read it once only when ShareScans ran first (their pipelines then have the
// same *ir.Scan Source) and codegen fuses such pipelines into one source loop.
func BuildPipelines(p *ir.Plan) (*ir.Program, error) {
	prog := &ir.Program{Plan: p}
	built := map[*ir.Aggregate]bool{}
	for _, s := range p.Sinks {
		if err := addPipeline(prog, built, s, s.Input); err != nil {
			return nil, fmt.Errorf("INSERT INTO %s: %w", s.Table.Name, err)
		}
	}
	return prog, nil
}

// addPipeline adds the pipelines that feed end from input (input is end's child). An
// Aggregate shared by several readers (ShareAggregates) is built by one pipeline only.
func addPipeline(prog *ir.Program, built map[*ir.Aggregate]bool, end ir.Node, input ir.Node) error {
	steps, calcs, n := pipelineSteps(input)
	if len(steps) == len(calcs) {
		steps = nil // Calcs alone: Pipeline.Calcs is the whole chain
	}
	switch start := n.(type) {
	case *ir.Union:
		if len(steps) > 0 || len(calcs) > 0 {
			return fmt.Errorf("a Union below %s is not read by its consumer directly", ir.Describe(input))
		}
		// Each branch of a Union is a pipeline into end (MergeCalcs moved every Calc
		// above the Union into the branches, and flattened nested Unions).
		for _, b := range start.Branches {
			if err := addPipeline(prog, built, end, b); err != nil {
				return err
			}
			prog.Pipelines[len(prog.Pipelines)-1].Union = start
		}
		return nil
	case *ir.Aggregate:
		if !built[start] {
			built[start] = true
			if err := addPipeline(prog, built, start, start.Input); err != nil {
				return err
			}
		}
	case *ir.Scan:
	default:
		return fmt.Errorf("a pipeline cannot start at %s", ir.Describe(n))
	}
	prog.Pipelines = append(prog.Pipelines, &ir.Pipeline{
		ID:     len(prog.Pipelines),
		Source: n,
		Calcs:  calcs,
		Sink:   end,
		Steps:  steps,
	})
	return nil
}

// inPipeline reports the operators that run inside a pipeline, row by row.
func inPipeline(n ir.Node) bool {
	switch n.(type) {
	case *ir.Calc, *ir.Correlate, *ir.WatermarkAssigner:
		return true
	}
	return false
}

// pipelineSteps walks down from input through the operators that run inside a
// pipeline: they are returned bottom-up, the Calcs among them alone, and the node the
// pipeline starts at.
func pipelineSteps(input ir.Node) (steps []ir.Node, calcs []*ir.Calc, start ir.Node) {
	n := input
	for inPipeline(n) {
		steps = append(steps, n)
		if c, ok := n.(*ir.Calc); ok {
			calcs = append(calcs, c)
		}
		n = n.Inputs()[0]
	}
	slices.Reverse(steps)
	slices.Reverse(calcs)
	return steps, calcs, n
}

// checkSteps verifies a pipeline's Steps: a chain from its Source, each step read by
// the next; it returns the last operator.
func checkSteps(i int, pl *ir.Pipeline, seen map[ir.Node]bool) (ir.Node, error) {
	prev := pl.Source
	var calcs []*ir.Calc
	for _, st := range pl.Steps {
		if !inPipeline(st) {
			return nil, fmt.Errorf("pipeline %d: step %s", i, ir.Describe(st))
		}
		if c, ok := st.(*ir.Calc); ok {
			calcs = append(calcs, c)
		}
		if in := st.Inputs(); len(in) != 1 || in[0] != prev {
			return nil, fmt.Errorf("pipeline %d: %s does not read the operator before it", i, ir.Describe(st))
		}
		if c, ok := st.(*ir.Calc); seen[st] && (!ok || !isSharedCalc(pl, c)) {
			return nil, fmt.Errorf("pipeline %d: %s is in two pipelines", i, ir.Describe(st))
		}
		seen[st] = true
		prev = st
	}
	if !slices.Equal(calcs, pl.Calcs) {
		return nil, fmt.Errorf("pipeline %d: %d Calcs in Steps differ from the %d in Calcs", i, len(calcs), len(pl.Calcs))
	}
	return prev, nil
}
