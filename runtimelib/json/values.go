package json

import (
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Config holds the json.* format options of one table.
type Config struct {
	IgnoreParseErrors  bool   // json.ignore-parse-errors: bad field -> NULL, bad row skipped
	FailOnMissingField bool   // json.fail-on-missing-field: a missing field fails the job
	TimestampFormat    string // json.timestamp-format.standard: "SQL" (default) or "ISO-8601"
}

// Options is the part of *options.Resolved that ConfigFrom reads.
type Options interface {
	String(key string) string
	Bool(key string) bool
	Has(key string) bool
}

// ConfigFrom reads the json.* options of a resolved table.
func ConfigFrom(r Options) Config {
	c := Config{TimestampFormat: "SQL"}
	if r == nil {
		return c
	}
	c.IgnoreParseErrors = r.Bool("json.ignore-parse-errors")
	c.FailOnMissingField = r.Bool("json.fail-on-missing-field")
	if v := r.String("json.timestamp-format.standard"); v != "" {
		c.TimestampFormat = v
	}
	return c
}

// IsNull reports whether a raw value is JSON null.
func IsNull(raw []byte) bool { return string(raw) == "null" }

func isString(raw []byte) bool { return len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' }

// String decodes a raw JSON string. Without escapes it returns a view into raw;
// otherwise it appends the unescaped text to scratch[:0] and returns that (pass a
// reused buffer to avoid allocating). ok=false if raw is not a string.
func String(raw []byte, scratch []byte) ([]byte, bool) {
	if !isString(raw) {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	for _, c := range inner {
		if c == '\\' {
			return unescape(scratch[:0], inner), true
		}
	}
	return inner, true
}

// Text is what Flink stores in a STRING column for any JSON value: a string's text
// (unescaped), or the value's JSON text for numbers, booleans, objects and arrays
// (Flink re-serializes containers compactly; Text returns them as written). ok=false
// for null.
func Text(raw []byte, scratch []byte) ([]byte, bool) {
	if len(raw) == 0 || IsNull(raw) {
		return nil, false
	}
	if raw[0] == '"' {
		return String(raw, scratch)
	}
	return raw, true
}

// scalarText is the text Flink parses for numeric columns: a string's content or the
// number as written. Strings with escapes are not numbers.
func scalarText(raw []byte) []byte {
	if isString(raw) {
		return raw[1 : len(raw)-1]
	}
	return raw
}

// Int64 reads a BIGINT: a JSON integer, a JSON number with a fraction (truncated toward
// zero, as Jackson's asLong), or a string holding an integer (Long.parseLong of the
// trimmed text), as Flink's JSON format does.
func Int64(raw []byte) (int64, bool) {
	if v, ok := types.ParseInt64(scalarText(raw)); ok {
		return v, true
	}
	if len(raw) > 0 && raw[0] != '"' && hasFraction(raw) {
		f, ok := types.ParseFloat64(raw)
		if ok && f >= -(1<<63) && f < 1<<63 {
			return int64(f), true
		}
	}
	return 0, false
}

// hasFraction reports whether a JSON number has a fraction or an exponent (Jackson reads
// it as a double, which Flink truncates for integer columns).
func hasFraction(raw []byte) bool {
	for _, c := range raw {
		if c == '.' || c == 'e' || c == 'E' {
			return true
		}
	}
	return false
}

// Int32 reads an INT; see Int64.
func Int32(raw []byte) (int32, bool) {
	v, ok := Int64(raw)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// Int16 reads a SMALLINT; see Int64.
func Int16(raw []byte) (int16, bool) {
	v, ok := Int64(raw)
	if !ok || v < math.MinInt16 || v > math.MaxInt16 {
		return 0, false
	}
	return int16(v), true
}

// Int8 reads a TINYINT; see Int64.
func Int8(raw []byte) (int8, bool) {
	v, ok := Int64(raw)
	if !ok || v < math.MinInt8 || v > math.MaxInt8 {
		return 0, false
	}
	return int8(v), true
}

// Float64 reads a DOUBLE from a JSON number or a string holding one ("NaN" and
// "Infinity" included, as Double.parseDouble).
func Float64(raw []byte) (float64, bool) { return types.ParseFloat64(scalarText(raw)) }

// Float32 reads a FLOAT; see Float64.
func Float32(raw []byte) (float32, bool) { return types.ParseFloat32(scalarText(raw)) }

// Bool reads a BOOLEAN: true/false literals, or like Flink Boolean.parseBoolean of the
// text of any other value ("TRUE" is true, anything else false). ok=false for null.
func Bool(raw []byte) (bool, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	case "", "null":
		return false, false
	}
	if isString(raw) {
		return types.ParseBoolLenient(raw[1 : len(raw)-1]), true
	}
	return false, true
}

// Decimal reads a DECIMAL(p, s) from a number or a string, HALF_UP to the scale;
// ok=false when it does not parse or does not fit (Flink: NULL).
func Decimal(raw []byte, p, s int) (types.Decimal, bool) {
	return types.ParseDecimal(scalarText(raw), p, s)
}

// Timestamp reads a TIMESTAMP(p) from a string in the SQL form "2020-01-01 12:00:00"
// or the ISO-8601 form "2020-01-01T12:00:00[Z]".
func Timestamp(raw []byte, p int) (types.Timestamp, bool) {
	if !isString(raw) {
		return types.Timestamp{}, false
	}
	return types.ParseTimestamp(raw[1:len(raw)-1], p)
}

// Date reads a DATE from a string "yyyy-MM-dd".
func Date(raw []byte) (int32, bool) {
	if !isString(raw) {
		return 0, false
	}
	return types.ParseDate(raw[1 : len(raw)-1])
}

// Time reads a TIME from a string "HH:mm:ss[.fff]".
func Time(raw []byte) (int32, bool) {
	if !isString(raw) {
		return 0, false
	}
	return types.ParseTime(raw[1 : len(raw)-1])
}

// Bytes reads BYTES from a string holding base64 (types.ParseBase64, what Flink's
// Jackson binaryValue() accepts), into a new slice. ok=false for a string that is not
// base64 and for any other value; Flink reads a number, boolean, object or array as
// NULL (binaryValue() of a non-text node), which the generated code checks with
// Scanner.IsString first.
func Bytes(raw []byte) ([]byte, bool) {
	s, ok := String(raw, nil)
	if !ok {
		return nil, false
	}
	return types.ParseBase64(s)
}

// unescape appends the decoded form of a validated JSON string body to dst. \uXXXX
// surrogate pairs become one code point; a lone surrogate becomes U+FFFD (as
// encoding/json does).
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		if i+1 >= len(s) {
			return append(dst, c)
		}
		i++
		switch s[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s[i+1:])
			if !ok {
				dst = append(dst, '\\', 'u')
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if r2, ok := hex4(s[i+3:]); ok {
						if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
							dst = utf8.AppendRune(dst, p)
							i += 6
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default: // " \ /
			dst = append(dst, s[i])
		}
	}
	return dst
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
