// Package job is the driver of every binary sqlc-stream generates: generated main calls
// Main with the job's Spec (its tables and their WITH options, as compiled, and the
// script's SET values of the job settings) and the generated run function.
//
// Main parses the flags (--help, -D table.option=value or -D setting=value, --log-level,
// --log-format text|json, --log-interval, --progress, --metrics-addr),
// applies the -D overrides, expands ${NAME} from the environment, resolves and validates
// every table's options and the job settings again, and calls run with a Context.
// Generated code asks the Context for each table's resolved options, registers counters,
// and builds the job's graph of stages with Context.Graph: a runtimelib/exec graph
// configured with the job's settings, whose Run runs every task in a goroutine of its
// own (or chained into its producer's) until the input ends. The first SIGINT or SIGTERM
// cancels the job: the graph hands out no more input, processes what the tasks already
// have, flushes once more through a final barrier (a savepoint when checkpoints are on)
// and Run returns nil; a second signal exits at once with 128 + the signal's number. The
// first signal also makes stream.Stopping done: a sink retrying a failed write gives up,
// so the job exits with its error at once.
//
// Checkpoints (checkpoint.go, docs/checkpoints.md): execution.checkpointing.interval
// turns them on; execution.checkpointing.dir (or state.checkpoints.dir) is where
// runtimelib/checkpoint writes them, keeping state.checkpoints.num-retained. At start,
// before run, the job loads the latest checkpoint there (or execution.savepoint.path)
// and matches it to the Spec: each stateful operator by its UID (Spec.State, generated),
// refusing a changed layout, and refusing state or source positions that the job does
// not claim unless execution.savepoint.ignore-unclaimed-state is true; the Graph then
// restores the matched state and resumes the sources. pipeline.max-parallelism, unless
// set, is the checkpoint's. Flags: --checkpoint-interval, --checkpoint-dir,
// -s/--from-savepoint, --allow-non-restored-state.
//
// Restarts (restart.go, docs/failures.md): a run that fails is run again, inside the
// process, as Flink's restart strategy says (restart-strategy.type: none, fixed-delay,
// failure-rate, exponential-delay, with Flink's settings and defaults; exponential-delay
// when checkpoints are on and none is set, else none). A restart calls run again with
// Context's restore set to restartPoint: the last checkpoint completed in this process
// (kept in memory by checkpointComplete), else the one the job started from; without
// checkpoints the state starts empty and the sources where their options say. Each
// restart is logged with its cause and counted in job.restarts; a signal during a
// restart's delay, or a failure after a signal, ends the job with the failure, and so
// does a record that fails again the same way after a restart from the same point (a
// poison record: restarts would loop). Flag: --restart-strategy.
//
// Exactly once (twophase.go): with a checkpoint directory, every 'jdbc' sink table
// whose URL a linked sink package registered (runtimelib/checkpoint.RegisterDatabase)
// is two-phase: its options carry a stream.TwoPhase, its tasks seal their rows at each
// checkpoint barrier, and saveCheckpoint, once the checkpoint is written, commits them
// with an offsets row per table, then removes older checkpoints. At start the tables'
// databases name the checkpoint to restore (restoreCheckpoint, the one place that
// decides what a job restores).
//
// Job settings (settings.go, graph.go), with Flink's names; the script's SET values,
// baked into Spec.Settings, and -D key=value at start (which wins):
//
//	parallelism.default                  tasks per stage (Context.Parallelism; default GOMAXPROCS)
//	pipeline.max-parallelism             key groups (runtimelib/keygroup; default 128, more above 85 tasks)
//	table.exec.source.idle-timeout       a source split idle this long leaves the watermark (default 0: never)
//	pipeline.operator-chaining           false: no chaining, every task its own goroutine (default true)
//	table.optimizer.agg-phase-strategy   AUTO, ONE_PHASE or TWO_PHASE (Context.AggPhaseStrategy; default AUTO)
//	table.exec.state.ttl                 an aggregate's group not written this long expires (Context.StateTTL; default 0: never)
//	table.exec.sink.not-null-enforcer    ERROR or DROP: a NULL for a NOT NULL sink column fails the job,
//	                                     or the row is dropped and counted (Context.NotNullDrops)
//	execution.checkpointing.interval     take checkpoints this often (default: none); the other
//	                                     checkpoint settings are in checkpoint.go
//
// The barrier interval is the flush interval (Context.FlushInterval: the smallest
// sink.buffer-flush.interval among the sinks that have one, else 1 s).
//
// Positions: exec records the position of every split dispatched before each barrier
// and, once every task acknowledged the barrier (every sink flushed what came before it),
// hands those positions to the sources that implement stream.Committer (Kafka's group
// offsets). A failed batch stops the job, so no barrier after it completes and nothing
// past it is committed: the rule documented in package stream, which a source may rely on.
//
// Secrets: everything the job writes on standard error (messages and logs) goes through
// options.Redact, which masks URL passwords, password=... pairs and every secret of the
// resolved options wherever a message quotes one; --help shows options through
// options.MaskValue.
//
// Logs (logs.go): log/slog on standard error, text or JSON; one line at start (sources,
// sinks, the restored checkpoint), a progress line every --log-interval while no bar is
// drawn, a warning for every retry; the MySQL driver's and kafka-go's own loggers are
// routed to slog by their runtimelib packages.
//
// Progress (progress.go): when standard error is a terminal and every source knows the
// size of its input (stream.Sized: files, datagen, nexmark with a count), a progress bar
// (github.com/schollz/progressbar) shows records and bytes read of the total, the rate
// and the time left, and gives way to a one-line summary at the end. Messages, and the
// print sink's rows when standard output is the same terminal, go through one writer
// that clears the bar's line first. Not on a terminal, nothing of it is written.
//
// Exit codes: 0 success (a one-line summary of the counters goes to stderr), 1 a runtime
// error ("<job>: error: ...") that the restart strategy does not restart, or a
// checkpoint that does not fit the job, 2 bad flags,
// options or settings, 128 + n a second signal n.
//
// Metrics (metrics.go, status.go, docs/metrics.md): --metrics-addr host:port serves
// Prometheus metrics at /metrics and the status page (the job graph with live counters,
// status.html) at / and /api/status. The runtime's counters (exec.Graph.Stats: per
// batch and per row buffer), the sinks' meters (SinkMeter: generated code counts a
// sink's rows and times its flushes) and the job's counters are read at each scrape;
// counterMetrics is where a job counter gets a Prometheus name of its own.
//
// For benchmarks, two environment variables make a job report on itself:
// $SQLC_STREAM_STATS_FILE (stats.go: records, batches, allocations, GCs as JSON at exit)
// and $SQLC_STREAM_CPUPROFILE (profile.go: a CPU profile of the whole run, start-up
// included, for go tool pprof). For tests, $SQLC_STREAM_SCRIPT (script.go) names a
// script that replaces the sources: batches, barriers and watermarks in a fixed order,
// with "== barrier N ==" printed on standard output when barrier N completed, and
// $SQLC_STREAM_CRASH_AT (twophase.go) makes the job kill itself with SIGKILL once a
// given checkpoint is written, or once its first sink committed it.
//
// Errors about a row are RuntimeErrors: where the row came from ("logs.csv:17"), the SQL
// position of the expression ("job.sql:5:10") and the message; RecordError adds the
// bytes of a record that does not read (Excerpt: quoted, cut after 256 bytes).
//
// Dead letters (deadletter.go): Context.DeadLetter opens a source's 'dead-letter.path'
// (a file of JSON lines, here) or 'dead-letter.topic' (through the opener generated code
// passes, runtimelib/kafka's), once per table; the source tasks write the records
// ignore-parse-errors skipped or read with NULLs, flush it at every barrier, and the job
// closes it when its graph is done. Records kept are counted in "<table>.dead_letters".
package job
