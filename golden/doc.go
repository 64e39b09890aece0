// Package golden holds the compiler's golden cases: one txtar archive per case in
// testdata/, holding its input and what every stage made of it.
//
// Input sections:
//
//	job.sql        the SQL script (required)
//	udf/*.go       Go UDF source, importable as example.com/golden/udf
//	data/*         files the job reads, relative to its working directory
//	args           flags for the job binary, one per line (optional)
//
// Output sections, rewritten by `go test ./golden -update`:
//
//	ast            the parser's dump
//	bound          the bound plan (ir.DumpPlan)
//	optimized      the optimized plan and its pipelines
//	main.go        the generated Go source (one section per generated file)
//	stdout         what the built job printed, for cases with a data/ section
//	error          the compile error, for failing inputs; no later stage is kept
//
// A case missing an output section, or holding one its input no longer produces, fails
// without -update, as does any file in testdata that is not a case.
package golden
