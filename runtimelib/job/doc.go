// Package job is the driver of every binary sqlc-stream generates: generated main calls
// Main with the job's Spec (its tables and their WITH options, as compiled) and the
// generated run function.
//
// Main parses the flags (--help, -D table.option=value, --log-level), applies the -D
// overrides, expands ${NAME} from the environment, resolves and validates every table's
// options again, and calls run with a Context. Generated code asks the Context for each
// table's resolved options, registers counters, and hands its sources and callbacks to
// Loop, which runs each source in its own goroutine and calls the callbacks in its own
// goroutine only, so generated state needs no locks. SIGINT and SIGTERM cancel the job:
// Loop flushes once more and returns nil.
//
// Parallelism (parallel.go): Context.Parallelism is Flink's 'parallelism.default' (the
// script's SET, baked into Spec.Settings, or -D parallelism.default=N; default
// GOMAXPROCS). LoopParallel is Loop with N worker goroutines: each batch of a parallel
// source goes to a free worker with a sequence number; before every flush the loop waits
// until no batch is in flight and calls Merge, so the callbacks that touch the
// coordinator's state (onBatch for serial sources, Merge, onFlush) still run in the loop
// goroutine only. MergeOrder visits the workers' changes in sequence order.
//
// Positions (commit.go): both loops take each batch's stream.Position before the batch
// is processed (generated onBatch releases it) and, for the sources that implement
// stream.Committer (Kafka), hand the positions of the batches processed without error to
// Commit after each successful onFlush, never after an error: the rule documented in
// package stream, which a source may rely on.
//
// Exit codes: 0 success (a one-line summary of the counters goes to stderr), 1 a runtime
// error ("<job>: error: ..."), 2 bad flags or options.
//
// For benchmarks, two environment variables make a job report on itself:
// $SQLC_STREAM_STATS_FILE (stats.go: records, batches, allocations, GCs as JSON at exit)
// and $SQLC_STREAM_CPUPROFILE (profile.go: a CPU profile of the whole run, start-up
// included, for go tool pprof).
//
// Errors about a row are RuntimeErrors: where the row came from ("logs.csv:17"), the SQL
// position of the expression ("job.sql:5:10") and the message.
package job
