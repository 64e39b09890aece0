// Package exec runs a compiled job: a DAG of stages, each run by parallel tasks that
// own their state, connected by exchanges that carry row batches, watermarks, barriers
// and the end of input. It is Flink's runtime model, compiled: generated code provides
// one operator per stage and the typed rows between stages; exec provides the
// goroutines, the channels, flow control, time and checkpoints' barriers.
//
//	sources (one goroutine each)
//	   │ batches
//	   ▼
//	coordinator ── Barrier(n) every flush interval, positions, completion callback
//	   │ batches (a Kafka partition always to the same task), barriers, end
//	   ▼
//	┌─────────────── stage 0: source stage ───────────────┐
//	│ task 0: decode → calc → …    task 1: …    task N-1  │  per-split watermarks
//	└───────┬──────────────────────────┬──────────────────┘
//	        │ Exchange[R]: FIFO per (producer task, consumer task):
//	        │ rows routed by key group, Watermark, Idle/Active, Barrier, End
//	        ▼                          ▼
//	┌──────────────── stage 1: keyed stage ───────────────┐
//	│ task 0 (key groups 0, N, 2N, …)    …    task N-1    │  min watermark,
//	└─────────────────────────────────────────────────────┘  aligned barriers
//
// # Stages and tasks
//
// A Graph has one source stage (SourceStage) and any number of stages fed by
// exchanges (Stage). Each stage has a number of tasks; each task has an Operator
// (SetOperator) and its own state. A task is one goroutine (a runner) and every hook
// and callback of its operator runs in it, so state needs no locks. A source task's
// operator is a SourceOperator: OnBatch gets each batch the task owns. After each batch
// a source task yields (runtime.Gosched): the goroutines that read the sources and hand
// out batches would otherwise get a P only when a task ran dry, with every P busy.
//
// # Exchanges and credits
//
// Connect[R] links two stages with rows of a generated struct type R. A producer task
// writes rows through its Output: KeyTask picks the consumer task of a key (key group
// = murmur2(canonical key bytes) mod pipeline.max-parallelism, task = group mod N; see
// package keygroup), Row returns the next slot in that task's buffer, String and Bytes
// copy values into the buffer's arena (rows often point into a batch, which is
// released after OnBatch). A full buffer is sent to the consumer; so are partial ones
// before any control event, and when the producer's inbound channel is empty (it has
// nothing more to do at once). The consumer calls the callback registered with OnRows
// and returns the buffer to its producer: each (producer, consumer) pair has a fixed
// number of buffers (credits), so a producer that has none free waits (backpressure,
// bounded memory) and, once warm, nothing is allocated. The arena grows by chunks and
// never moves what it handed out.
//
// # Chaining
//
// An exchange whose producer and consumer stages have one task each, into a stage
// whose every input comes from that producer stage, is chained (Flink's operator chaining; Config.DisableChaining
// turns it off): there is no channel and no goroutine for the consumer. Chained
// reports it; generated code then calls the consumer operator's typed methods directly
// from the producer's loop, and the runtime calls the consumer's OnWatermark,
// OnBarrier and OnEnd right after the producer's. A one-core job thus costs what a
// single loop costs: no per-row channel or function value.
//
// # Watermarks
//
// A source task keeps a watermark per split (Flink's per-split watermark outputs):
// the largest value its OnBatch reported with Task.ReportWatermark for a batch of that
// split. Batches of a partitioned source (Kafka) belong to the task Split mod N
// (SplitOwner); other batches (file chunks) go to the least loaded task with room in its
// queue (the coordinator never waits on a full queue while another task could take the
// batch) and count, per source, as one split of that task. A split that delivered nothing for
// Config.IdleTimeout (table.exec.source.idle-timeout; 0 never) is idle: it is left out
// until it delivers again. The task's watermark is the minimum over its active splits;
// with only idle splits the task sends Idle instead (Flink's WatermarkStatus), and
// Active before its next rows. A split is known from its first batch, and the splits
// of an ended source no longer count.
//
// A task fed by exchanges combines its input channels as Flink's StatusWatermarkValve
// does: the minimum over active channels, an idle channel left out, one that becomes
// active again below the current watermark left out until it catches up, the highest
// watermark when the last channel goes idle; an ended channel leaves the minimum
// without moving it (a stopped job fires no timer its watermark did not reach).
// Watermarks only move forward; the task's event-time timers fire, then its
// OnWatermark, then the watermark goes on. Bounded input ends with EndOfTime.
//
// # Barriers
//
// The coordinator injects Barrier(n) into every source task's queue every
// Config.FlushInterval (after every batch when it is <= 0; a periodic barrier waits
// while the previous one is incomplete) and records the source positions handed out
// before it (Position: the offset after the last record of each split). A task that
// got Barrier(n) on one input channel holds that channel's later messages until every
// input delivered it (alignment; what is held is bounded by the credits, and a
// watermark right after a held watermark replaces it), then runs OnBarrier (sinks
// flush, state snapshots), forwards the barrier and acknowledges it. When every task,
// chained ones included, acknowledged Barrier(n), Config.OnCheckpoint gets n and the
// positions, in barrier order. A batch that failed stops the job, so no barrier after
// it completes.
//
// # Keyed state
//
// A keyed operator's state belongs to its key groups. Task.OwnsKeyGroup says which key
// groups a task owns under the stage's current parallelism (g mod N, as Output.KeyTask
// routes), Task.MaxParallelism is their number and Task.Now the processing time (state
// TTL). An operator with state is a Snapshotter: its snapshot starts with the number of
// key groups (Task.WriteKeyedHeader); a fresh task restores from every snapshot the
// stage's old tasks wrote, adding the key groups it owns, so a checkpoint restores at
// another parallelism but not under another number of key groups (ReadKeyedHeader). A
// script (script.go) can round-trip every task's state in place (StepRestore), write
// the snapshots to a directory and restore a later run from them (StepSnapshotTo,
// StepRestoreFrom), and jump the processing-time clock ahead (StepSleep).
//
// # Timers
//
// Timers[K] is a task's timer service over keys of type K (Flink's
// InternalTimerService): event-time timers fire as the watermark passes them,
// processing-time timers when the wall clock (Config.Clock) does, both in the task's
// goroutine between messages, in order of time and then of registration; a (key,
// time) pair is one timer. Pending processing-time timers do not fire at the end.
//
// # Checkpoints
//
// With Config.CheckpointInterval set, a barrier injected at least that long after the
// last checkpoint's (and the final barrier) is a checkpoint; a checkpoint does not wait
// behind a pending flush barrier, and one is in flight at a time. A task that has a
// checkpoint barrier on every input runs OnBarrier, then Snapshot if its operator is a
// Snapshotter, before it forwards the barrier; the coordinator records, at injection,
// every split's position: where it started (stream.Resumable's Starts), overlaid with
// the end of its last batch handed out. When every task acknowledged, OnCheckpointComplete
// gets a Checkpoint (the blobs of every stateful stage by task, the positions, the
// stages' parallelism) in a goroutine of its own, while the job goes on (the snapshot
// is written in the background); the next checkpoint is injected only after it
// returned, and only then are the positions committed to stream.Committer sources;
// flush barriers commit nothing then. Run returns once the last one returned.
// Graph.CheckpointOf tells a task handling a barrier which checkpoint it is (a
// two-phase sink seals its rows there: stream.TwoPhase). Config.Restore restores
// a checkpoint in Run before any task starts: every task of a stage with the stage's
// uid (Stage.SetUID) restores every blob of that stage (only its own when the
// parallelism is the checkpoint's), and Resumable sources are told their positions
// (checkpoint.go).
//
// # Metrics
//
// Graph.Stats returns every stage's live counters, summed over its tasks, from any
// goroutine: records and bytes in (per batch, per row buffer) and out (per buffer
// sent), the watermark, the time blocked waiting for a credit (back-pressure), how
// full the inbound queues are, and the state size of operators that are StateSizers
// (asked after each barrier). Nothing is counted per row (metrics.go).
//
// # End, cancellation and errors
//
// When every source ended, the coordinator sends each source task EndOfTime, a final
// barrier and End, which flow through every stage (OnEnd runs when every input ended);
// Run returns once every task ended and the final barrier completed. When the context
// is cancelled (SIGINT/SIGTERM), the coordinator hands out no more batches (even one it
// was waiting to queue), the sources stop, the batches already handed to tasks are
// processed, a final barrier flushes (a checkpoint marked Stopped, a savepoint, when
// checkpoints are on) and End ends every task: Run returns nil. An
// error of a source, an operator or a callback, or a panic in a task (an error with
// its stack), aborts every task; Run releases the batches nobody will process and
// returns the first error. Every batch is released exactly once and no goroutine
// outlives Run.
package exec
