package job

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The job settings of the runtime core (runtimelib/exec), with Flink's names: SET them
// in the script or pass -D key=value at start.
const (
	// IdleTimeoutKey: a source split that delivered nothing for this long is left out of
	// its task's watermark until it delivers again (default 0: never idle).
	IdleTimeoutKey = "table.exec.source.idle-timeout"
	// ChainingKey: 'false' runs every stage in goroutines of its own even with one task.
	ChainingKey = "pipeline.operator-chaining"
	// AggPhaseKey is Flink's table.optimizer.agg-phase-strategy: how a GROUP BY fed by
	// several source tasks aggregates. TWO_PHASE: each source task pre-aggregates and
	// sends partial groups to their owners at every barrier (local-global aggregation).
	// ONE_PHASE: source tasks forward every row to the task owning its group. AUTO (the
	// default): two phases, until a source task finds that most rows make a group of
	// their own; it forwards rows from then on.
	AggPhaseKey = "table.optimizer.agg-phase-strategy"
	// StateTTLKey is Flink's table.exec.state.ttl: a group of a non-window aggregate not
	// written for this long expires, as if it had never existed (default 0: never).
	StateTTLKey = "table.exec.state.ttl"
)

// graphSettings are the exec settings resolved at start.
type graphSettings struct {
	maxParallelism int
	idleTimeout    time.Duration
	noChaining     bool
	aggPhase       string // AUTO, ONE_PHASE or TWO_PHASE
	stateTTL       time.Duration
}

// resolveGraphSettings checks the runtime core's settings.
func resolveGraphSettings(settings map[string]string, parallelism int) (graphSettings, []string) {
	var gs graphSettings
	var errs []string
	k, err := keygroup.MaxParallelism(settings[keygroup.MaxParallelismKey], parallelism)
	if err != nil {
		errs = append(errs, err.Error())
	}
	gs.maxParallelism = k
	if v := strings.TrimSpace(settings[IdleTimeoutKey]); v != "" {
		d, err := options.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Sprintf("%s: %q is not a duration (like '5 s' or '500 ms')", IdleTimeoutKey, v))
		}
		gs.idleTimeout = d
	}
	if v := strings.TrimSpace(settings[StateTTLKey]); v != "" {
		d, err := options.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Sprintf("%s: %q is not a duration (like '1 h' or '30 min')", StateTTLKey, v))
		}
		gs.stateTTL = d
	}
	gs.aggPhase = "AUTO"
	if v := strings.ToUpper(strings.TrimSpace(settings[AggPhaseKey])); v != "" {
		switch v {
		case "AUTO", "ONE_PHASE", "TWO_PHASE":
			gs.aggPhase = v
		default:
			errs = append(errs, fmt.Sprintf("%s: %q is not AUTO, ONE_PHASE or TWO_PHASE", AggPhaseKey, settings[AggPhaseKey]))
		}
	}
	if v := strings.TrimSpace(settings[ChainingKey]); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not true or false", ChainingKey, v))
		}
		gs.noChaining = !b
	}
	return gs, errs
}

// Graph returns an empty job graph (runtimelib/exec) configured with the job's
// settings: parallelism and key groups, the flush interval as the barrier interval,
// the sources' idle timeout, and what happens when a barrier completes.
func (c *Context) Graph() *exec.Graph {
	var onCheckpoint func(int64, []exec.Position) error
	if c.script != nil {
		// The script's reader sees what each barrier made the sinks write.
		onCheckpoint = func(id int64, _ []exec.Position) error {
			_, err := fmt.Fprintf(c.stdout, "== barrier %d ==\n", id)
			return err
		}
	}
	g := exec.New(exec.Config{
		Script:          c.script,
		OnCheckpoint:    onCheckpoint,
		MaxParallelism:  c.graph.maxParallelism,
		FlushInterval:   c.flush,
		IdleTimeout:     c.graph.idleTimeout,
		DisableChaining: c.graph.noChaining,
		OnStop: func() {
			c.log.Info("stopping: flushing what was processed (interrupt again to exit at once)")
		},
		OnBatch: c.batchHook(), // records per batch for $SQLC_STREAM_STATS_FILE (stats.go) and the progress bar (progress.go)
		// Checkpoints (checkpoint.go).
		CheckpointInterval:   c.ckpt.interval,
		OnCheckpointComplete: c.checkpointComplete, // writes it, keeps it for a restart (restart.go)
		Restore:              c.restore,
		FirstCheckpointID:    c.firstCheckpoint,
	})
	c.built.Store(g) // for the two-phase sinks, the metrics, the status page and the progress bar
	return g
}

// batchHook is the exec.Config.OnBatch of the job: it counts the records the sources
// delivered, for the progress lines and bar, and for $SQLC_STREAM_STATS_FILE.
func (c *Context) batchHook() func(*stream.Batch) {
	stats := statsHook()
	return func(b *stream.Batch) {
		c.records.Add(int64(batchRecords(b))) // read by the progress lines and bar
		if stats != nil {
			stats(b)
		}
	}
}

// MaxParallelism is pipeline.max-parallelism, the number of key groups: a keyed
// operator's state records each key's group under it.
func (c *Context) MaxParallelism() int { return c.graph.maxParallelism }

// StateTTL is table.exec.state.ttl (StateTTLKey): 0 keeps state forever.
func (c *Context) StateTTL() time.Duration { return c.graph.stateTTL }

// AggPhaseStrategy is table.optimizer.agg-phase-strategy: AUTO, ONE_PHASE or TWO_PHASE
// (AggPhaseKey).
func (c *Context) AggPhaseStrategy() string {
	if c.graph.aggPhase == "" {
		return "AUTO"
	}
	return c.graph.aggPhase
}
