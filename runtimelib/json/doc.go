// Package json is Flink's 'json' format for generated job code: an allocation-free
// Scanner over one JSON object per record, and decoders that turn a raw member value
// into a column's Go type the way Flink's JsonToRowDataConverters does.
//
// The Scanner walks the top-level members only. Each value is validated and returned
// raw, so a member no query reads costs a skim, not a decode. Made with the member names
// a query reads, it reports the current one's index (Field), comparing the key it
// expects next in place before scanning; it notes a value's kind as it validates it, so
// that null, a string without escapes and an integer (parsed on the way) need no second
// look (IsNull, Text, Int64). A ROW column arrives as
// a raw nested object; generated code scans it with a second Scanner. Arrays and maps
// are likewise returned raw.
//
// Decoding follows Flink (types for each column type):
//
//	BIGINT/INT/SMALLINT/TINYINT  a JSON number (a fraction is truncated, as Jackson's
//	                             asLong) or a string holding an integer
//	DOUBLE/FLOAT                 a number, or a string ("NaN", "Infinity" too)
//	BOOLEAN                      true/false, or Boolean.parseBoolean of a string
//	DECIMAL(p,s)                 a number or string, HALF_UP to s; too wide is NULL
//	STRING                       a string's text, or any other value's JSON text (Text)
//	TIMESTAMP(p)                 "yyyy-MM-dd HH:mm:ss[.f]" (json.timestamp-format.standard
//	                             = 'SQL') or "yyyy-MM-ddTHH:mm:ss[.f][Z]" ('ISO-8601');
//	                             both forms are accepted whatever the option says
//	DATE, TIME                   "yyyy-MM-dd", "HH:mm:ss[.fff]"
//	BYTES                        base64 string (types.ParseBase64); another non-null
//	                             value is NULL, as Jackson's binaryValue() of it
//
// null, or a missing member, is NULL (json.fail-on-missing-field makes a missing member
// an error: the Scanner notes which of its keys it saw, Missing). A value that does not decode
// is a parse error: the job fails, or with json.ignore-parse-errors the field is NULL;
// malformed JSON fails the row (skipped with json.ignore-parse-errors). Nothing here
// panics on bad input; FuzzScanner checks that, and that the Scanner accepts exactly
// the objects encoding/json accepts.
//
// Sinks encode rows with package rowenc, which writes JSON strings with AppendString.
package json
