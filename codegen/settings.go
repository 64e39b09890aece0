package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// runtimeSettings are the SET keys the job runtime reads at start (runtimelib/job).
var runtimeSettings = map[string]bool{
	"parallelism.default":            true,
	"pipeline.max-parallelism":       true,
	"pipeline.operator-chaining":     true,
	"table.exec.source.idle-timeout": true,
	"table.exec.state.ttl":           true,
	// ERROR or DROP: what the generated NOT NULL checks of sink columns do (writeRow).
	"table.exec.sink.not-null-enforcer": true,
	// Read by the generated source tasks (ctx.AggPhaseStrategy), not by the optimizer:
	// the plan is the same for every strategy.
	"table.optimizer.agg-phase-strategy": true,
	// Checkpoints (runtimelib/job/checkpoint.go).
	"execution.checkpointing.interval":           true,
	"execution.checkpointing.dir":                true,
	"state.checkpoints.dir":                      true,
	"state.checkpoints.num-retained":             true,
	"execution.savepoint.path":                   true,
	"execution.savepoint.ignore-unclaimed-state": true,
	// Restart strategies (runtimelib/job/restart.go): restart-strategy,
	// restart-strategy.type and every restart-strategy.<strategy>.<option>.
}

// isRuntimeSetting reports whether the runtime reads a SET key.
func isRuntimeSetting(key string) bool {
	return runtimeSettings[key] || key == "restart-strategy" || strings.HasPrefix(key, "restart-strategy.")
}

// specSettings renders job.Spec's Settings: the script's SET values the runtime reads,
// the last SET of a key winning (nil when there are none).
//
//	Settings: []options.KV{{Key: "parallelism.default", Value: "4"}},
func (g *gen) specSettings() []jen.Code {
	if g.prog.Plan == nil || g.prog.Plan.Catalog == nil {
		return nil
	}
	last := map[string]string{}
	var keys []string
	for _, o := range g.prog.Plan.Catalog.Settings {
		if !isRuntimeSetting(o.Key) {
			continue
		}
		if _, seen := last[o.Key]; !seen {
			keys = append(keys, o.Key)
		}
		last[o.Key] = o.Value
	}
	if len(keys) == 0 {
		return nil
	}
	var kvs []jen.Code
	for _, k := range keys {
		kvs = append(kvs, composite(false, kv("Key", jen.Lit(k)), kv("Value", jen.Lit(last[k]))))
	}
	return []jen.Code{kv("Settings", jen.Index().Qual(pkgOptions, "KV").Add(composite(false, kvs...)))}
}
