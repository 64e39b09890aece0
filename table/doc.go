// Package table is the Go Table API of sqlc-stream: a job written as a chain of Go
// calls, in the style of Flink's (Py)Flink Table API, compiled into the same Go job
// binary as the equivalent SQL.
//
//	env := table.NewEnvironment(table.Options{Name: "cdn.sql"})
//	if err := env.ExecuteSQL(ddl); err != nil { // CREATE TABLE / CREATE FUNCTION ...
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
// # Same plan as SQL, by construction
//
// Every call appends to a query of SQL: From names a table; Select, Where (Filter) and
// GroupBy(...).Select add a SELECT list, a WHERE conjunct or a GROUP BY, merged into
// the same SELECT while that is equivalent (a filter or projection directly on a table)
// and nesting the previous query as a subquery otherwise; InsertInto adds an INSERT.
// Environment.SQL returns that script, and Plan, Program, Compile and WriteGo hand it to
// the compiler (parser, ir.Bind, optimizer, codegen). So a Table program and its SQL
// have the same bound plan and the same optimized program; the tests compare their
// dumps.
//
// # Strings are checked where they are written
//
// String arguments are SQL: a select list ("a, f(b) AS c"), an expression ("a > 1"),
// a table name. Each is parsed when the call is made, with the same parser as SQL, so
// the user's text is inserted into the script only once it is known to be one whole
// clause. Errors name the Go call site's file and line (found with runtime.Caller) and
// the column within the string, e.g.
//
//	main.go:14:22: unknown column "clientip"; did you mean "client_ip"?
//
// for a typo 22 bytes into the string passed to Select on line 14 of main.go. Errors
// found later (unknown names and types, when the job is bound) are mapped back from the
// script to the string they fall in, or to the call that wrote the SQL around it. For
// a multi-line string the line counts from the call's line, exact for a raw string
// literal that starts on that line. Calls record errors in the Environment instead of
// returning them, so that calls chain; Plan, Program, Compile and WriteGo report them.
//
// Positions that the generated job prints at run time (a failing CAST) refer to the
// script under Options.Name; save Environment.SQL under that name to read them.
//
// Not yet: typed expression builders, Union, AddColumns/DropColumns/RenameColumns,
// Distinct, windows, joins and registering a Go function value (use CREATE FUNCTION
// in ExecuteSQL). They slot in as further query shapes of the same script.
package table
