// Package rowenc collects the typed field calls of a stream.Sink into a row of values
// and encodes rows as Flink's csv and json formats write them, for sinks that send
// bytes (Kafka values and keys).
//
// Row implements the field half of stream.Sink (Begin, Null, Bool, ... , End-less): a
// sink embeds or holds one, lets generated code fill it, and encodes or buffers the
// values at End. Encoder appends one row, or a chosen subset of its columns (a Kafka key
// from key.fields), to a byte slice without allocating.
//
// What each format writes, following Flink's serialization schemas (Jackson underneath):
//
//	                csv                                   json
//	BOOLEAN         true / false                          true / false
//	integers        decimal digits                        number
//	FLOAT/DOUBLE    Java Float/Double.toString ("1.0E10")  same, as a number; NaN/Infinity quoted
//	DECIMAL         BigDecimal.toString (scientific when   same (plain with
//	                the exponent < -6; plain with          json.encode.decimal-as-plain-number)
//	                csv.write-bigdecimal-in-scientific-notation=false)
//	STRING          raw, quoted when Jackson's loose       JSON string
//	                check says so (see below)
//	BYTES           base64                                base64 string
//	DATE            2020-01-31                            "2020-01-31"
//	TIME            12:00:00[.123] (ISO local time)       "12:00:00" (SQL time, no fraction)
//	TIMESTAMP       2020-01-31 12:00:00[.123] (trailing   "2020-01-31 12:00:00[.123]" (SQL) or
//	                fraction zeros dropped)               "2020-01-31T12:00:00[.123]" (ISO-8601)
//	TIMESTAMP_LTZ   as TIMESTAMP plus "Z"                 as TIMESTAMP plus "Z"
//	NULL            csv.null-literal, else empty          null (field omitted with
//	                                                      json.encode.ignore-null-fields)
//
// CSV quoting follows Jackson's default (loose) check, which Flink uses: a string is
// quoted when it is longer than 24 characters or contains a character below the
// "safe" bound (one past the largest of the delimiter, the quote character and '\n';
// for ',' and '"' that is every character below '-', including space), or the escape
// character. Inside quotes the quote character is doubled (and the escape character,
// when set, too). csv.disable-quote-character turns quoting off. Records carry no line
// terminator.
package rowenc
