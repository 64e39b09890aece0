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
// Exit codes: 0 success (a one-line summary of the counters goes to stderr), 1 a runtime
// error ("<job>: error: ..."), 2 bad flags or options.
//
// Errors about a row are RuntimeErrors: where the row came from ("logs.csv:17"), the SQL
// position of the expression ("job.sql:5:10") and the message.
package job
