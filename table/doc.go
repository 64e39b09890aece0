// Package table is the Go Table API of sqlc-stream: a job written as a chain of Go
// calls, in the style of Flink's (Py)Flink Table API, compiled into the same Go job
// binary as the equivalent SQL.
//
//	env := table.NewEnvironment(table.Options{Name: "cdn.sql"})
//	if err := env.ExecuteSQL(ddl); err != nil { // CREATE TABLE / CREATE VIEW / SET ...
//		log.Fatal(err)
//	}
//	if err := env.RegisterFunction("ip_to_province", udf.IPToProvince); err != nil {
//		log.Fatal(err)
//	}
//	env.From("cdn_access_log").
//		Select("uuid, ip_to_province(client_ip) AS province, response_size, request_time").
//		GroupBy("province").
//		Select("province, count(uuid) AS access_count, sum(response_size) AS total_download, " +
//			"sum(response_size) * 1.0 / sum(request_time) AS download_speed").
//		InsertInto("cdn_access_statistic")
//	if err := env.WriteGo("job"); err != nil { // then: go build ./job
//		log.Fatal(err)
//	}
//
// Put such a program in a main package of its own (gen/) and run it with
// //go:generate go run ./gen; docs/table-api.md and examples/cdn/table show the flow.
//
// # Methods
//
// Environment: ExecuteSQL (DDL), RegisterFunction, From, SQLQuery, CreateStatementSet
// (AddInsert, AddInsertSQL), SQL, Plan, Program, Compile, WriteGo. Table: Select,
// Where/Filter, GroupBy(...).Select, Distinct, Union, UnionAll, AddColumns,
// AddOrReplaceColumns, DropColumns, RenameColumns, JoinLateral, LeftOuterJoinLateral,
// InsertInto. The names are Flink's Table API names, Go-cased.
//
// # Same plan as SQL, by construction
//
// Every call appends to a query of SQL: From names a table; Select, Where and
// GroupBy(...).Select add a SELECT list, a WHERE conjunct or a GROUP BY, merged into
// the same SELECT while that is equivalent (a filter or projection directly on a table)
// and nesting the previous query as a subquery otherwise. Distinct is SELECT DISTINCT,
// UnionAll and Union are UNION ALL and UNION, JoinLateral is ", LATERAL TABLE(f(x)) AS
// t(a, b)" (its predicate a WHERE), LeftOuterJoinLateral "LEFT JOIN LATERAL TABLE(...)
// ON TRUE". AddColumns, AddOrReplaceColumns, DropColumns and RenameColumns depend on
// the input's columns, as in Flink, whose Table API resolves a table's schema while
// the program is built: their select list is computed when the script is rendered, by
// binding the input (DDL + CREATE VIEW of the input query) and reading its columns.
// InsertInto adds an INSERT; a statement set an EXECUTE STATEMENT SET block.
// RegisterFunction adds CREATE FUNCTION name AS 'import/path.Name' LANGUAGE GO [WITH
// (...)], the import path and name read from the Go value with reflect and
// runtime.FuncForPC.
//
// Environment.SQL returns that script, and Plan, Program, Compile and WriteGo hand it
// to the compiler (parser, ir.Bind, optimizer, codegen). So a Table program and its SQL
// have the same bound plan and the same optimized program; the tests compare their
// dumps for every method, and run both binaries on the same input.
//
// Calls of deterministic registered functions on constants are folded at compile time
// as the SQL compiler folds them, but in process: the environment holds the Go values
// (udf.ReflectEvaluator).
//
// # Strings and typed expressions
//
// Field arguments are ...any: a Go string is SQL in the PyFlink style (a select list
// "a, f(b) AS c", a predicate "a > 1"), parsed when the call is made with the same
// parser as SQL, so the user's text is inserted into the script only once it is known to
// be whole clauses; an Expr (Col, Lit, Call and their methods: Plus, IsGreater, And,
// Sum, Cast, As, ...) renders SQL text with identifiers in backticks and literals
// quoted. Inside an Expr's operands, Go values are literals (Col("b").IsEqual("x")
// compares with 'x').
//
// # Errors name the Go call site
//
// Each call records its Go file and line (runtime.Caller) and the method's name. For a
// string argument the package reads the Go file, finds the call and the string literal
// (or the constant an identifier argument names), and reports errors in the text at the
// literal's own line and column:
//
//	main.go:14:43: unknown column "clientip"; did you mean "client_ip"?
//
// A string built at run time keeps the call's line and the column within the string.
// Errors found later (unknown names and types, wrong UDF arguments, when the job is
// bound) are mapped back from the script to the string they fall in, or to the call that
// wrote the SQL around them (a typed Expr's call, the RegisterFunction call, an
// InsertInto). Calls record errors in the Environment instead of returning them, so that
// calls chain (ExecuteSQL and RegisterFunction also return theirs); Plan, Program,
// Compile and WriteGo report them all. A Table built from a bad argument is "broken" and
// operations on it add no further errors, so one mistake gives one error.
//
// RegisterFunction refuses, naming its call, what generated code cannot call: nil, a nil
// func, a method value (x.M, runtime name ...-fm), a method expression (T.M), a func
// literal (....funcN), a generic instantiation (F[...]), a func or type of package
// main or of a _test package, an unexported func or type, and a value that is neither a
// func nor of a named type. The resolver's and binder's later messages (a type without
// Eval, a wrong argument count) come back at the RegisterFunction or Select call.
//
// Positions that the generated job prints at run time (a failing CAST) refer to the
// script under Options.Name; save Environment.SQL under that name to read them.
//
// # What slots in later
//
// Windows and joins are further source kinds of a query (query.from/sub/lateral today):
//
//   - Window(Tumble.Over("10.minutes").On(Col("ts")).As("w")) returns a
//     WindowedTable whose GroupBy("w, k").Select(...) renders the window TVF
//     FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTE)) with
//     GROUP BY window_start, window_end, k, and maps w.start/w.end to window_start and
//     window_end; Hop, Cumulate and Session are the other TVFs. Over windows
//     (OverWindow) render OVER (PARTITION BY ... ORDER BY ... RANGE ...).
//   - Join(right, predicate) / LeftOuterJoin / RightOuterJoin / FullOuterJoin render
//     FROM (left) AS l JOIN (right) AS r ON predicate, the predicate a string or an Expr
//     as Where's; the column names of both sides must be distinct, as in Flink.
//
// Both reuse the same rendering, error mapping and same-plan tests as the methods above.
package table
