// Package blackhole is Flink's 'blackhole' connector: a sink that discards every row. It
// is for benchmarks and for jobs run only for their side effects; it counts the rows it
// swallowed so a benchmark can check the work was done.
package blackhole
