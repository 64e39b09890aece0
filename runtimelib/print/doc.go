// Package print is Flink's 'print' connector: a sink that writes every row it receives as
// one line to standard output (standard error with 'standard-error' = 'true').
//
// A line is what Flink's print sink writes: the row converted to its Java external form and
// printed with Row.toString, prefixed with 'print-identifier' and "> " when that option is
// set. Flink also adds the subtask number when the sink runs with parallelism above 1
// ("2> ", "sink:2> "); a job binary with several tasks has one Sink per task but never
// adds it, so its lines are the same at every parallelism:
//
//	+I[Beijing, 3, 300, 1.5]
//	sink> -U[Beijing, 3, 300, 1.5]
//
// Values are formatted as the Java classes Flink converts them to:
//
//	NULL                   null
//	BOOLEAN                true, false
//	TINYINT ... BIGINT     decimal digits
//	FLOAT, DOUBLE          Float.toString / Double.toString: 1.5, 1.0E10, NaN, Infinity
//	DECIMAL(p, s)          BigDecimal.toString: 1.50 at scale 2, 0E-18 for zero at scale 18
//	CHAR, VARCHAR          the text as is, without quotes
//	BINARY, VARBINARY      Arrays.toString(byte[]): [1, 2, -1] (signed bytes)
//	DATE                   LocalDate.toString: 2020-01-31
//	TIME                   LocalTime.toString: 12:30, 12:30:05, 12:30:05.120
//	TIMESTAMP              LocalDateTime.toString: 2020-01-31T12:30, 2020-01-31T12:30:05.123
//	TIMESTAMP_LTZ          Instant.toString (UTC): 2020-01-31T12:30:00Z
//
// Note the 'T' and the dropped zero seconds in timestamps: this is Flink's print output,
// not the SQL text form that CAST(ts AS STRING) produces.
//
// Lines are collected in a buffer and written by Flush and Close, whole lines at a time,
// so rows of two print sinks on the same stream never interleave within a line.
package print
