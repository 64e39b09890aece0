// Package csv is Flink's 'csv' format for generated job code: a Splitter that cuts a
// record (one line) into field views without allocating. Sinks encode rows with package
// rowenc; AppendField and AppendRecord here write RFC 4180 records for tests and tools.
// Typed parsing of each field is done by package types (types.ParseInt64 and friends),
// so a field nobody reads is never parsed.
//
// # Options (Flink's csv.* keys, read by ConfigFrom)
//
//	csv.field-delimiter          one character, default ','; backslash escapes such as
//	                             '\t' are interpreted (Flink applies unescapeJava)
//	csv.quote-character          default '"'; a quoted field may hold the delimiter, and
//	                             a doubled quote "" stands for one quote (RFC 4180)
//	csv.disable-quote-character  true: the quote character is an ordinary character
//	csv.allow-comments           lines starting with '#' are skipped (IsComment)
//	csv.ignore-parse-errors      a field that does not parse becomes NULL and a row
//	                             that does not split is skipped, instead of failing
//	csv.null-literal             a field equal to this text is NULL (IsNull), for
//	                             every column type including STRING
//	csv.escape-character         none by default; when set, it makes the next character
//	                             literal, inside and outside quotes
//	csv.array-element-delimiter  ARRAY/ROW elements (default ';'): not handled here yet
//
// # What Flink does with each field (CsvToRowDataConverters, Flink 1.12+)
//
// Flink parses CSV with Jackson and converts each field's text by the column type:
//
//   - STRING/CHAR/VARCHAR: the text as is; an empty field is the empty string.
//   - TINYINT, SMALLINT, INT, BIGINT: Java's Byte/Short/Integer/Long.parseLong of the
//     trimmed text (types.ParseInt8..64 do exactly that).
//   - FLOAT, DOUBLE: Float/Double.parseFloat of the trimmed text (types.ParseFloat32/64).
//   - BOOLEAN: Boolean.parseBoolean of the trimmed text, which never fails: "true" in
//     any case is true, anything else false (types.ParseBoolLenient).
//   - DECIMAL: new BigDecimal(text), then rounded HALF_UP to the scale; a value too
//     wide for the precision is NULL (types.ParseDecimal).
//   - DATE: Date.valueOf ("yyyy-[m]m-[d]d"); TIME: LocalTime.parse; TIMESTAMP:
//     Timestamp.valueOf ("yyyy-[m]m-[d]d hh:mm:ss[.f...]") (types.ParseDate/Time/Timestamp,
//     which also accept the ISO 'T' form).
//   - BYTES: base64 as Jackson's binaryValue() reads it (types.ParseBase64).
//
// An EMPTY field of a non-string column is therefore NOT NULL in Flink: "" does not
// parse as a number, so it is a parse error — the job fails, or with
// csv.ignore-parse-errors=true the field becomes NULL. Only csv.null-literal produces
// NULL directly. Generated code does the same without special cases:
//
//	f := fields[2]
//	switch {
//	case csv0.IsNull(f):                       // NULL
//	default:
//	    v, ok := types.ParseInt64(f)           // "" gives ok=false
//	    if !ok && csv0.IgnoreParseErrors() {   // NULL, count the error
//	    } else if !ok { return job.RowError(...) }
//	}
//
// Classify wraps the first step (null literal or value) for one field.
//
// Rows: Flink fails on a record whose field count differs from the schema (a short one:
// "Row length mismatch"; a long one: Jackson's "Too many entries", except one blank
// field just after the last, ALLOW_TRAILING_COMMA). Under ignore-parse-errors a short
// record reads NULLs for the missing fields and a long one is skipped. Split(rec, n) and
// SplitRest stop after n fields so that unread trailing fields are not split; SplitRest
// returns the rest of the record, and CountFields counts its fields without copying
// them, so the field count is checked for every record at little cost.
// Empty lines produce no row in Flink; Split returns no fields for them.
package csv
