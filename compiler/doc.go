// Package compiler runs the phases of sqlc-stream in order:
//
//	text --parser--> AST --ir.Bind--> bound plan --optimizer--> program --codegen--> Go source
//
// It owns no logic of its own beyond wiring: the CLI, go generate and the golden tests
// all call Compile (CompileFiles for a job of several files, read as one script), so they see the same result for the same input. A Result keeps every
// stage that succeeded, so `sqlc-stream explain` and the golden dumps can show them, and
// the error of the first stage that failed. Build turns a Result into a static binary
// with go build in the user's module, for `sqlc-stream build` and the Table API alike.
//
// Options carry what the command line adds to the text without editing it: the values
// of ${NAME} placeholders (Vars, Getenv), compile-time option overrides (Defines: -D
// table.option=value, a connector swap) and the Go functions that implement the Java
// classes a Flink script names (Functions: -func, ReadFunctionMap's functions.map).
package compiler
