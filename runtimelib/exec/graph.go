package exec

import (
	"context"
	"fmt"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"math"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Watermark bounds, in epoch milliseconds.
const (
	// NoWatermark is a task's watermark before any was emitted.
	NoWatermark = math.MinInt64
	// EndOfTime is the watermark of a finished bounded input (Flink's
	// Watermark.MAX_WATERMARK): every event-time timer fires.
	EndOfTime = math.MaxInt64
)

// Operator is the generated code of one stage, one value per task. Its hooks run in
// the task's goroutine only, never concurrently with its data callbacks. After a hook
// returns, the runtime flushes the task's output buffers and forwards the event to
// every output, so rows emitted in a hook precede the event downstream.
type Operator interface {
	// OnWatermark: the task's combined input watermark advanced to t (ms). Event-time
	// timers up to t have fired just before.
	OnWatermark(t int64) error
	// OnBarrier: every input delivered Barrier(id); flush or snapshot now. After it
	// returns, the task acknowledges the barrier to the coordinator.
	OnBarrier(id int64) error
	// OnEnd: every input ended (after the final watermark, if the input was bounded).
	OnEnd() error
}

// Snapshotter is an operator whose state can be saved and restored: generated code
// writes it with its own codecs (runtimelib/codec).
//
// Snapshot writes the state of the task (at a barrier, after OnBarrier).
//
// Restore ADDS state: on a fresh task (one that has processed nothing) it may be called
// several times, once per snapshot that the tasks of the same stage wrote at the
// checkpoint (all of them, whatever their number then), and each call adds the entries
// of the key groups this task owns now (Task.OwnsKeyGroup: under the current
// parallelism) and skips the others. So a checkpoint taken with N tasks restores into
// M tasks: each new task reads every old task's snapshot. The number of key groups
// (pipeline.max-parallelism) must be the one the snapshots were taken with; a restore
// with another fails with an error that says so (Task.ReadKeyedHeader). Restore
// rebuilds what depends on the process (hash indexes, whose seeds are per process); a
// corrupt snapshot is an error, never a panic or an allocation out of proportion to
// its size. After an error the operator's state is undefined: discard the task (or
// ResetState it).
type Snapshotter interface {
	Snapshot(w *codec.Writer) error
	Restore(r *codec.Reader) error
}

// StateResetter is a Snapshotter that can drop its state, as a fresh task has none: a
// script's restore step restores a task in place (ResetState, then Restore).
type StateResetter interface {
	ResetState()
}

// SourceOperator is the operator of a source stage's task: the fused loops of the
// source pipelines, called with each batch the task owns.
type SourceOperator interface {
	Operator
	// OnBatch processes one batch of sources[source]. The batch is released after it
	// returns; rows must not keep its memory (copy into an Output's arena, or clone).
	OnBatch(source int, b *stream.Batch) error
}

// Config is what a job's graph runs with.
type Config struct {
	// MaxParallelism is the number of key groups (pipeline.max-parallelism); 0 means
	// keygroup.MaxParallelism's default for the graph's largest stage.
	MaxParallelism int
	// FlushInterval is the time between two barriers (the sinks' flush interval); <= 0
	// injects a barrier after every batch.
	FlushInterval time.Duration
	// IdleTimeout is table.exec.source.idle-timeout: a split that delivered nothing for
	// that long is left out of its task's watermark until it delivers again. 0 means
	// splits never become idle.
	IdleTimeout time.Duration
	// DisableChaining turns operator chaining off (Flink's pipeline.operator-chaining
	// = false): every stage runs in goroutines of its own.
	DisableChaining bool
	// OnCheckpoint is called in the coordinator, in barrier order, when every task has
	// acknowledged barrier id, with the source positions dispatched before it. An error
	// fails the job.
	OnCheckpoint func(id int64, positions []Position) error
	// OnStop is called when the job is cancelled, before the final barrier.
	OnStop func()
	// CheckpointInterval > 0 turns checkpoints on (execution.checkpointing.interval):
	// a barrier at least this long after the previous checkpoint's is a checkpoint, and
	// so is the final barrier (checkpoint.go). Flush barriers still come every
	// FlushInterval in between.
	CheckpointInterval time.Duration
	// OnCheckpointComplete is called with every complete checkpoint, after
	// OnCheckpoint, in a goroutine of its own (the job goes on meanwhile), one
	// checkpoint at a time and in order; it makes the checkpoint durable (and commits
	// the two-phase sinks). An error fails the job. No other checkpoint is injected
	// before it returned, and sources' positions are committed (stream.Committer) only
	// after it returned nil. Run waits for it before it returns.
	OnCheckpointComplete func(cp *Checkpoint) error
	// Restore, when not nil, is the checkpoint the graph starts from.
	Restore *Restore
	// FirstCheckpointID is the id of the first checkpoint (0: 1); a restored job
	// continues the numbering.
	FirstCheckpointID int64
	// Script, when not nil, replaces the sources' input with its steps (script.go).
	Script []Step
	// OnBatch, if not nil, sees every batch in its source task, after Batch.Prepare and
	// before the operator (the job's statistics count records there).
	OnBatch func(b *stream.Batch)
	// Clock is the wall clock of processing time; nil is the system clock.
	Clock Clock
}

// Graph is a job's DAG of stages connected by exchanges. Build it (stages, exchanges,
// then every task's operator and input callbacks), then Run it once.
type Graph struct {
	cfg    Config
	stages []*Stage
	source *Stage
	sealed bool

	// stateSteps are the barriers after which every task snapshots and restores its
	// state, or saves or loads it (a script's restore, snapshot and restore-from steps);
	// written before the barrier is sent.
	stateSteps map[int64]Step
	stats      statsState // what Stats may read (metrics.go)

	snaps snapshots // checkpoint barriers and their tasks' snapshots (checkpoint.go)

	// Set by Run.
	ctx     context.Context // cancelled when the job fails
	abort   context.CancelFunc
	clock   Clock
	runners []*runner
	errs    chan error // one slot per runner: a runner's error never blocks
	acks    acks
	room    chan struct{} // one slot: "a source task's queue has room" (coordinator.handOut)
}

// New returns an empty graph.
func New(cfg Config) *Graph {
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	return &Graph{cfg: cfg}
}

// MaxParallelism is the number of key groups the graph's keyed stages route by.
func (g *Graph) MaxParallelism() int {
	if g.cfg.MaxParallelism > 0 {
		return g.cfg.MaxParallelism
	}
	n := 1
	for _, s := range g.stages {
		n = max(n, len(s.tasks))
	}
	k, _ := keygroup.MaxParallelism("", n)
	return k
}

// Stage is a step of the job run by N tasks, each with its own operator and state.
type Stage struct {
	g       *Graph
	name    string
	uid     string // SetUID
	tasks   []*Task
	sources []stream.Source // the source stage's
	inputs  []edge
	outputs []edge
}

// SourceStage adds the source stage: its tasks run the source pipelines over the
// batches of sources (sources[i] is OnBatch's source i). A graph has one.
func (g *Graph) SourceStage(name string, tasks int, sources []stream.Source) *Stage {
	if g.source != nil {
		panic("exec: a graph has one source stage")
	}
	s := g.addStage(name, tasks)
	s.sources = sources
	g.source = s
	return s
}

// Sources returns the sources of the source stage (nil before SourceStage): the job
// asks them how much input they have, for its progress display and its metrics
// (OnBatch's indexes).
func (g *Graph) Sources() []stream.Source {
	if g.source == nil {
		return nil
	}
	return g.source.sources
}

// Stage adds a stage fed by exchanges (an aggregate, a join, a window).
func (g *Graph) Stage(name string, tasks int) *Stage { return g.addStage(name, tasks) }

func (g *Graph) addStage(name string, tasks int) *Stage {
	if g.sealed {
		panic("exec: stage added after the graph was sealed")
	}
	if tasks < 1 {
		panic(fmt.Sprintf("exec: stage %s: %d tasks", name, tasks))
	}
	s := &Stage{g: g, name: name}
	for i := range tasks {
		t := &Task{stage: s, index: i, watermark: NoWatermark}
		t.stats.watermark.Store(NoWatermark)
		s.tasks = append(s.tasks, t)
	}
	g.stages = append(g.stages, s)
	return s
}

// Name returns the stage's name.
func (s *Stage) Name() string { return s.name }

// Tasks returns the stage's parallelism.
func (s *Stage) Tasks() int { return len(s.tasks) }

// Task returns task i of the stage.
func (s *Stage) Task(i int) *Task { return s.tasks[i] }

// Task is one of a stage's parallel instances: it owns an operator, its state and its
// timers. Its methods are for the task's own goroutine (the operator's hooks and
// callbacks).
type Task struct {
	stage *Stage
	index int
	op    Operator

	runner    *runner
	ports     []port  // outputs over non-chained exchanges
	chained   []*Task // consumers run in this task's goroutine, fed by direct calls
	timers    []timerService
	watermark int64 // the last watermark this task processed
	idle      bool  // every input is idle (Flink's WatermarkStatus.IDLE)
	src       *splits
	stats     taskStats // live counters for monitoring (metrics.go)
}

// SetOperator sets the task's operator; a source stage's must be a SourceOperator.
func (t *Task) SetOperator(op Operator) { t.op = op }

// Index returns the task's index in its stage.
func (t *Task) Index() int { return t.index }

// Stage returns the task's stage.
func (t *Task) Stage() *Stage { return t.stage }

// Watermark returns the last watermark the task processed (NoWatermark before any).
func (t *Task) Watermark() int64 { return t.watermark }

// ReportWatermark reports a watermark candidate for the split of the batch being
// processed: the value of its table's watermark expression for one of its rows. The
// split's watermark is the largest reported. Only a source task's OnBatch calls it.
func (t *Task) ReportWatermark(w int64) {
	if s := t.src.current; w > s.watermark {
		s.watermark = w
	}
}

// seal decides which exchanges are chained and numbers the consumers' input channels.
// The graph cannot change after.
func (g *Graph) seal() {
	if g.sealed {
		return
	}
	g.sealed = true
	for _, s := range g.stages {
		channels := 0
		for _, e := range s.inputs {
			b := e.base()
			b.chained = !g.cfg.DisableChaining && oneProducer(s) && len(b.from.tasks) == 1 && len(s.tasks) == 1
			b.firstChannel = channels
			channels += len(b.from.tasks)
		}
	}
}

// check reports what the graph lacks to run.
func (g *Graph) check() error {
	if g.source == nil || len(g.source.sources) == 0 {
		return fmt.Errorf("exec: the graph has no source")
	}
	for _, s := range g.stages {
		if k := g.cfg.MaxParallelism; k > 0 && len(s.tasks) > k {
			return fmt.Errorf("exec: stage %s has %d tasks, more than %s = %d", s.name, len(s.tasks), keygroup.MaxParallelismKey, k)
		}
		if s != g.source && len(s.inputs) == 0 {
			return fmt.Errorf("exec: stage %s has no input", s.name)
		}
		for _, t := range s.tasks {
			if t.op == nil {
				return fmt.Errorf("exec: stage %s task %d has no operator", s.name, t.index)
			}
			if _, ok := t.op.(SourceOperator); s == g.source && !ok {
				return fmt.Errorf("exec: stage %s task %d: the operator of a source task must have OnBatch", s.name, t.index)
			}
		}
		for _, e := range s.inputs {
			if err := e.check(); err != nil {
				return err
			}
		}
	}
	return nil
}

// acks counts the barrier acknowledgements of the tasks. Tasks never block on it: the
// coordinator may itself be blocked handing a batch to a task.
type acks struct {
	mu      sync.Mutex
	pending map[int64]int // barrier id -> tasks that have not acknowledged it
	notify  chan struct{} // one slot: "something completed"
}

func (a *acks) expect(id int64, tasks int) {
	a.mu.Lock()
	a.pending[id] = tasks
	a.mu.Unlock()
}

func (a *acks) ack(id int64) {
	a.mu.Lock()
	a.pending[id]--
	done := a.pending[id] == 0
	a.mu.Unlock()
	if done {
		select {
		case a.notify <- struct{}{}:
		default:
		}
	}
}

// complete reports whether every task acknowledged barrier id.
func (a *acks) complete(id int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pending[id] == 0
}

func (a *acks) forget(id int64) {
	a.mu.Lock()
	delete(a.pending, id)
	a.mu.Unlock()
}

// oneProducer reports whether every input of s comes from one stage (over one exchange
// or several, as an aggregate's partial groups and raw rows do).
func oneProducer(s *Stage) bool {
	for _, e := range s.inputs {
		if e.base().from != s.inputs[0].base().from {
			return false
		}
	}
	return len(s.inputs) > 0
}
