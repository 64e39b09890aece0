package job

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
)

// ParallelismKey is Flink's job setting for the number of tasks per stage:
// SET 'parallelism.default' = '4' in the script, or -D parallelism.default=4 at start.
// Without it a job runs GOMAXPROCS tasks per stage.
const ParallelismKey = "parallelism.default"

// jobSettings are the settings a job reads itself (not table options): -D accepts them
// without a table prefix.
var jobSettings = map[string]bool{ParallelismKey: true, keygroup.MaxParallelismKey: true, IdleTimeoutKey: true, ChainingKey: true, AggPhaseKey: true, StateTTLKey: true, NotNullEnforcerKey: true}

// NotNullEnforcerKey is Flink's table.exec.sink.not-null-enforcer: what a job does with
// a row that has a NULL for a NOT NULL column of its sink. ERROR (the default) fails the
// job with the column, the table, and the record the row came from (the group, for a
// row an aggregate emitted); DROP drops the row and counts it in
// "<table>.not_null_dropped" (NotNullDrops).
const NotNullEnforcerKey = "table.exec.sink.not-null-enforcer"

// notNullDrop resolves NotNullEnforcerKey: whether rows are dropped (DROP) rather than
// failing the job (ERROR, the default); any letter case, as Flink reads enums.
func notNullDrop(settings map[string]string) (bool, error) {
	switch v := strings.ToUpper(strings.TrimSpace(settings[NotNullEnforcerKey])); v {
	case "", "ERROR":
		return false, nil
	case "DROP":
		return true, nil
	}
	return false, fmt.Errorf("%s: %q is not ERROR or DROP", NotNullEnforcerKey, settings[NotNullEnforcerKey])
}

// NotNullDrops returns the counter of the rows written into table that are dropped for a
// NULL in a NOT NULL column under table.exec.sink.not-null-enforcer = 'DROP', or nil
// under 'ERROR': generated code then fails the job instead.
func (c *Context) NotNullDrops(table string) *Counter {
	if !c.dropNulls {
		return nil
	}
	return c.Counter(table + ".not_null_dropped")
}

// splitSettings takes the -D definitions of job settings out of defs and applies them
// over the script's SET values; it returns the remaining (table) definitions.
func splitSettings(spec *Spec, defs []string) (settings map[string]string, rest []string) {
	settings = map[string]string{}
	for _, kv := range spec.Settings {
		settings[kv.Key] = kv.Value
	}
	for _, d := range defs {
		if k, v, ok := strings.Cut(d, "="); ok && jobSettings[k] {
			settings[k] = v
			continue
		}
		rest = append(rest, d)
	}
	return settings, rest
}

// parallelism resolves parallelism.default: a positive integer, default GOMAXPROCS.
func parallelism(settings map[string]string) (int, error) {
	v, ok := settings[ParallelismKey]
	if !ok || strings.TrimSpace(v) == "" {
		return runtime.GOMAXPROCS(0), nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s: %q is not a positive integer", ParallelismKey, v)
	}
	return n, nil
}

// Parallelism is the number of tasks of every stage: 'parallelism.default' from the
// script's SET or -D parallelism.default=N, else GOMAXPROCS.
func (c *Context) Parallelism() int {
	if c.parallelism < 1 {
		return 1
	}
	return c.parallelism
}
