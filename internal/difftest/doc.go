// Package difftest is sqlc-stream's differential tester: it makes random Flink SQL
// queries and random data, compiles the queries into job binaries with the real
// compiler, runs them, and compares what each job printed with the answer of a
// reference evaluator that shares no code with the compiler or its runtime.
//
// # The pieces
//
//   - gen.go, genquery.go, lit.go, data.go: the generator. Two source tables (t1, t2) with
//     a column of every scalar type (TINYINT … BIGINT, FLOAT/DOUBLE with NaN, ±Infinity and
//     -0.0, DECIMAL, strings with non-ASCII text, BYTES, DATE, TIME, TIMESTAMP(3|6),
//     TIMESTAMP_LTZ, BOOLEAN), NULLs everywhere, written as csv files (four splits each).
//     Queries of every documented shape (genquery.go: projection and WHERE, GROUP BY with
//     every aggregate, FILTER and HAVING, global aggregates, DISTINCT, UNION and UNION ALL
//     over several tables, subqueries three deep, an aggregate over an aggregate) over
//     typed expressions: arithmetic that overflows and divides by zero, CAST and TRY_CAST,
//     comparisons, three-valued logic, every documented built-in function and spelling
//     (timefn.go: the time functions, with random date patterns),
//     Go functions of every kind (udf.go: scalar, table with LATERAL TABLE, aggregate,
//     vectorized).
//   - types.go, typing.go: Flink's type rules for what the generator builds, written from
//     Flink's documentation and Calcite's rules, not from package ir.
//   - expr.go, query.go, cast.go, java.go, javacase.go, udf.go, timeref.go: the reference
//     evaluator (timeref.go: the time functions, java.time and SimpleDateFormat patterns).
//     Values are math/big decimals and Go numbers wrapped as Java wraps them; text is
//     formatted as Java does (Double.toString, BigDecimal.toString, LocalDateTime…), and
//     CAST follows Flink's cast rules class by class. A query's expected result is its
//     final table: what replaying the job's changelog must leave.
//   - run.go, jdbc.go: batches of queries (40 by default) become one job: a statement set
//     with a print sink per query ('print-identifier' names the query), a jdbc (SQLite)
//     table for about half the queries with a unique key (compared after the run), and a
//     jdbc sink whose flush interval each run sets. Each job runs as DefaultRuns says:
//     1 task per stage with 1 s flushes, 2 tasks with 1 ms flushes and TWO_PHASE
//     aggregation, 4 tasks with 3 ms flushes and ONE_PHASE, so that aggregates emit
//     updates and retractions and both ways into a keyed stage are tested. A
//     sink's changelog is replayed: retracting a row that is not there is a failure of
//     its own. A query the reference says fails at run time (division by zero, a CAST
//     that fails) is built alone and must fail with a message positioned in job.sql
//     (a projection of a table must fail; elsewhere Flink's planner, like ours, may prune
//     the failing expression away).
//   - reduce.go: a failing query is shrunk (select items, WHERE, HAVING, FILTER, DISTINCT,
//     subexpressions, union branches) and its data too, while the failure stays of the
//     same kind, and written as a txtar archive in the layout of a golden case.
//
// # What fails a run
//
// A compile error (other than the positioned "… is not supported yet" of a construct
// docs/sql.md lists), generated Go that does not build, a job that crashes or fails when
// it should not, and a wrong answer. Outcomes the final rows cannot decide are counted
// apart (docs/difftest.md).
//
// # Running it
//
//	go test ./internal/difftest                       # the short run of `make test` (240 queries)
//	make difftest N=5000                              # a long run
//	go test ./internal/difftest -queries 40 -seed 7   # one seed again
//
// Floating-point SUM and AVG depend on the order rows are added in, which several tasks
// change (as in Flink), so those fields compare within a relative 1e-9. MIN and
// MAX of FLOAT/DOUBLE are not generated: with NaN or both zeros in a group, Flink's
// result depends on the order rows arrive in.
package difftest
