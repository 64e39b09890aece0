// Package types holds the runtime representation of Flink's SQL types that have no
// direct Go counterpart, and the parse, format and cast helpers generated code calls.
//
//	BOOLEAN bool           TINYINT int8          SMALLINT int16      INT int32
//	BIGINT int64           FLOAT float32         DOUBLE float64      DECIMAL(p,s) Decimal
//	CHAR/VARCHAR/STRING string                   BINARY/VARBINARY/BYTES []byte
//	DATE int32 (days since epoch)                TIME int32 (millis of day)
//	TIMESTAMP(p), TIMESTAMP_LTZ(p) Timestamp     ROW generated struct
//	ARRAY []T              MAP map[K]V
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
