// Package aggfunc is the example of a Go aggregate function (Flink's
// AggregateFunction, a UDAF): percentiles.sql computes per-province percentiles of the
// response size of the bundled CDN sample (../cdn/data/access_log.csv) with
// percentile(value, p), the Go type udf.Percentile, and prints them. README.md shows how
// to run it; TestPercentilesJob compiles, builds and runs it and checks its output
// against a computation in plain Go.
package aggfunc
