// Package golden holds the compiler's golden cases: one txtar archive per case in
// testdata/, holding its input and what every stage made of it.
//
// Input sections:
//
//	job.sql        the SQL script (required)
//	udf/*.go       Go UDF source, importable as example.com/golden/udf
//	data/*         files the job reads, relative to its working directory
//	script         steps that replace the job's sources (optional; see below)
//	args           flags for the job binary, one per line (optional; a case with args
//	               and no data runs its job too: its sources generate their input)
//
// Output sections, rewritten by `go test ./golden -update`:
//
//	ast            the parser's dump
//	bound          the bound plan (ir.DumpPlan)
//	optimized      the optimized plan and its pipelines
//	main.go        the generated Go source (one section per generated file)
//	stdout         what the built job printed, for cases with a data/, script or args section
//	counters       the counters of the job's summary line at exit, one per line; kept only
//	               in a case that has the section (write it empty to ask for it)
//	job-error      the "job: error: ..." line of a job that fails at run time (exit
//	               status 1); with 2 and 4 tasks it must fail too
//	error          the compile error, for failing inputs; no later stage is kept
//
// A script (runtimelib/job ScriptEnv, given to the job as $SQLC_STREAM_SCRIPT) says
// exactly what arrives between two barriers, so a case can show how an aggregate's
// changelog moves from flush to flush. Its lines:
//
//	> batch clicks     the records up to the next '> ' line are one batch of table clicks,
//	a,1                in the table's format
//	> batch clicks split 1   a batch of split 1 (task 1 mod tasks; a watermark of its own)
//	> barrier          a barrier (a flush): every task emits and flushes its sinks
//	> watermark 2020-01-01 00:00:05.000
//	> restore          a barrier, then every task snapshots its state and restores it
//	> restore corrupt  the same, after restoring corruptions of the snapshot (never a panic)
//	> sleep 2 h        a barrier, then the job's processing-time clock jumps 2 h ahead without
//	                   waiting (state TTL: table.exec.state.ttl; see state_ttl)
//	# a comment
//
// (runtimelib/job's ScriptEnv lists every step, with snapshot DIR and restore from DIR,
// which rescale_test.go uses.) Each barrier completes before the next step, and the job then prints "== barrier N =="
// on standard output, so stdout shows what every barrier wrote; the last marker is the
// final barrier at the end of the input. The sources never run.
//
// The stdout section is the output with one task per stage (-D parallelism.default=1,
// before the case's args). The harness then runs the job with 2 tasks and with 4 tasks
// (and table.optimizer.agg-phase-strategy = ONE_PHASE) and requires the same results
// (parallel_test.go): with several tasks the changes of different keys come in an order
// that depends on the scheduling, so each output is replayed as a changelog (every -U and
// -D must retract a row that is there, a line that is not a row counts as itself) and the
// rows that remain must be the ones the one-task run leaves.
//
// A case missing an output section, or holding one its input no longer produces, fails
// without -update, as does any file in testdata that is not a case.
package golden
