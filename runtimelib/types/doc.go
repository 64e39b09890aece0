// Package types holds the runtime representation of Flink's SQL types that have no
// direct Go counterpart, and the parse, format and cast helpers generated code calls.
//
//	BOOLEAN bool           TINYINT int8          SMALLINT int16      INT int32
//	BIGINT int64           FLOAT float32         DOUBLE float64      DECIMAL(p,s) Decimal
//	CHAR/VARCHAR/STRING string                   BINARY/VARBINARY/BYTES []byte
//	DATE int32 (days since epoch)                TIME int32 (millis of day)
//	TIMESTAMP(p), TIMESTAMP_LTZ(p) Timestamp     ROW generated struct
//	ARRAY []T              MAP map[K]V
//
// Everything here runs in the per-row loop of generated code, so the success path of
// every Parse, Cast, Append and Decimal function allocates nothing (tests check with
// testing.AllocsPerRun), numbers are parsed in place from []byte, and there is no fmt
// or reflection. Failure is reported as ok=false, never a panic; generated code turns
// it into a job error (CAST, or a bad field without ignore-parse-errors) or NULL
// (TRY_CAST, ignore-parse-errors, decimal overflow).
//
// Semantics follow Flink:
//   - Parse* read text like the Java parsers Flink's formats use after trimming
//     (Long.parseLong, Double.parseDouble, new BigDecimal); ParseBool is CAST's
//     true/t/yes/y/1 and false/f/no/n/0, ParseBoolLenient is Boolean.parseBoolean.
//   - CastStringToInt* accept and truncate a fraction ("12.7" -> 12), as Flink does.
//   - FormatDouble/FormatFloat are Java's Double/Float.toString (JDK 19+ shortest form).
//   - DECIMAL: results are rounded HALF_UP (BigDecimal) to the scale the compiler
//     derived; a result wider than its precision is NULL (ok=false). Arithmetic uses
//     128/256-bit integers; an intermediate beyond that falls back to math/big.
//     Add/Sub on Decimal values work at one scale and report only 128-bit overflow
//     (ok=false); AddDecimal/SubDecimal/MulDecimal/DivDecimal/Rescale take scales and
//     the result precision and do the whole Flink operation.
//   - Timestamps parse as CAST(string AS TIMESTAMP) ("yyyy-M-d[ H:m:s[.f]]", plus the
//     ISO 'T' form) and format like Flink's TIMESTAMP to STRING: the fraction has at
//     least `precision` digits ("2020-01-01 12:00:00.000" for TIMESTAMP(3)).
//   - LIKE is case-sensitive; '_' matches one code point.
//   - The built-in functions (strfn.go, regexfn.go, mathfn.go, parseurl.go, random.go)
//     are Flink's SqlFunctionUtils, BinaryStringDataUtil and Calcite functions: string
//     positions count code points, except where Flink works on java.lang.String's UTF-16
//     units (LPAD, RPAD, REPLACE of an empty string); Java regular expressions are translated to Go's
//     regexp (jregex.go says how and what RE2 cannot do); RAND with a seed is
//     java.util.Random. They may allocate: their results are new strings, as in Flink.
//   - The time functions (timefn.go) are Flink's DateTimeUtils arithmetic with Java's
//     integer semantics, in the UTC session time zone; DateTimeFormatter and
//     SimpleDateFormat are compiled java.time and java.text date patterns (Locale.US,
//     SimpleDateFormat with GregorianCalendar's Julian calendar before 1582-10-15).
package types

// Decimal is the unscaled value of a DECIMAL(p, s) with p <= 38, as a two's-complement
// 128-bit integer. The scale is static (known from the SQL type), so it is not stored.
type Decimal struct {
	Hi int64
	Lo uint64
}

// Timestamp is Flink's TimestampData: epoch milliseconds plus nanoseconds within the
// millisecond. It is comparable, so it can be part of a map key.
type Timestamp struct {
	Millis int64
	Nanos  int32
}
