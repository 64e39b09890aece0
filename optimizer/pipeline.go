package optimizer

import (
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// BuildPipelines cuts the plan at its pipeline breakers (Aggregate and Sink) and returns
// the pipelines in dependency order, numbered from 0:
//
//   - a pipeline starts at a Scan, or at an Aggregate whose state it reads at flush time
//     (the emit side);
//   - it runs every row through the Calcs above its start, bottom-up;
//   - it ends at the next Aggregate (the build side, which updates the state) or Sink.
//
// The pipeline that builds an Aggregate always comes before the one that emits from it,
// and sinks are visited in statement order. It does not rewrite the plan: the Program
// holds p itself.
//
// Statement sets: every INSERT gets its own pipelines. Two INSERTs reading the same
// table read it once only when ShareScans ran first (their pipelines then have the
// same *ir.Scan Source) and codegen fuses such pipelines into one source loop.
func BuildPipelines(p *ir.Plan) *ir.Program {
	prog := &ir.Program{Plan: p}
	built := map[*ir.Aggregate]bool{}
	for _, s := range p.Sinks {
		addPipeline(prog, built, s, s.Input)
	}
	return prog
}

// addPipeline adds the pipelines that feed end from input (input is end's child). An
// Aggregate shared by several readers (ShareAggregates) is built by one pipeline only.
func addPipeline(prog *ir.Program, built map[*ir.Aggregate]bool, end ir.Node, input ir.Node) {
	// Calcs and Correlates (LATERAL TABLE) run inside the pipeline.
	steps, calcs, n, hasCorrelate := pipelineSteps(input)
	if !hasCorrelate {
		steps = nil
	}
	if u, ok := n.(*ir.Union); ok && len(steps) == 0 && len(calcs) == 0 {
		// Each branch of a Union is a pipeline into end (MergeCalcs moved every Calc
		// above the Union into the branches, and flattened nested Unions).
		for _, b := range u.Branches {
			addPipeline(prog, built, end, b)
			prog.Pipelines[len(prog.Pipelines)-1].Union = u
		}
		return
	}
	if agg, ok := n.(*ir.Aggregate); ok && !built[agg] {
		built[agg] = true
		addPipeline(prog, built, agg, agg.Input)
	}
	prog.Pipelines = append(prog.Pipelines, &ir.Pipeline{
		ID:     len(prog.Pipelines),
		Source: n,
		Calcs:  calcs,
		Sink:   end,
		Steps:  steps,
	})
}
