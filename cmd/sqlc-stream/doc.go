// Command sqlc-stream compiles Flink SQL jobs into Go programs and static binaries.
//
//	sqlc-stream compile [-o out.go|dir] [compile flags] job.sql...  SQL -> Go source (package main)
//	sqlc-stream build [-o binary] [compile flags] job.sql...        SQL -> static binary (CGO_ENABLED=0)
//	sqlc-stream run [compile flags] job.sql... [job flags]          build into a temporary directory and run
//	sqlc-stream explain [--format text|dot|svg] [compile flags] job.sql...
//	                                              bound and optimized plans with changelog modes, or drawn (ir.DumpDot; svg.go)
//	sqlc-stream nexmark dump [-n N] [-format json|csv] [-o file|dir] [-D key=value ...]
//	                                              the Nexmark generator's events, to files
//	sqlc-stream init [-module path] [-replace dir] [dir]  scaffold a user repository
//	sqlc-stream version                           version of the compiler
//
// Several SQL files are compiled as one script, in order. The compile flags: -var
// NAME=value (${NAME} placeholders), -D table.option=value (compile-time option
// overrides, a connector swap), -func class=import/path.Func and -func-map file (Go
// functions for the Java classes of a Flink script), -dir (the module that builds).
//
// Every subcommand takes --help. Compile errors are printed as file:line:col: message
// with the source line and a caret, and the exit status is 1; a usage error exits 2.
//
// build and run compile the generated package inside the Go module that holds the SQL
// file (in a temporary .sqlc-stream/ directory, which `./...` patterns ignore), so UDF
// packages of that module and the runtimelib of the sqlc-stream version it requires are
// the ones linked. A go.mod that lacks a module the job imports is completed by go
// build -mod=mod. jobdeps.go (never compiled) names every runtimelib package, so that
// go mod tidy in a repository with the tool line keeps what any job needs.
//
// init writes a user repository from the templates in initrepo/ (embedded): go.mod with
// the tool line, job.sql, a UDF package, the go:generate line and tests. See docs/cli.md.
package main
