package types

import (
	"strings"
	"unicode/utf8"
)

// Casts from STRING for CAST(s AS T) and TRY_CAST. Each returns ok=false when s is not
// a valid T: generated code fails the job for CAST and yields NULL for TRY_CAST. None
// of them copies s.

// CastStringToBool is CAST(s AS BOOLEAN): Flink's BinaryStringDataUtil.toBoolean, which
// lower-cases s, without trimming it (unlike the csv format's ParseBool), and takes
// t/true/y/yes/1 and f/false/n/no/0. No non-ASCII character lower-cases to one of
// their letters, so an ASCII case-insensitive match is the same.
func CastStringToBool(s string) (bool, bool) {
	switch {
	case asciiEqualFold(s, "t"), asciiEqualFold(s, "true"), asciiEqualFold(s, "y"),
		asciiEqualFold(s, "yes"), s == "1":
		return true, true
	case asciiEqualFold(s, "f"), asciiEqualFold(s, "false"), asciiEqualFold(s, "n"),
		asciiEqualFold(s, "no"), s == "0":
		return false, true
	}
	return false, false
}

// asciiEqualFold reports whether s is the lower-case ASCII word w in any ASCII case.
func asciiEqualFold(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// CastStringToInt64 is CAST(s AS BIGINT). Like Flink (which took it from Hive), a
// fraction is accepted and truncated: "12.7" is 12.
func CastStringToInt64(s string) (int64, bool) { return castInt(s) }

// CastStringToInt32 is CAST(s AS INT); see CastStringToInt64.
func CastStringToInt32(s string) (int32, bool) {
	v, ok := castInt(s)
	if !ok || v < -1<<31 || v > 1<<31-1 {
		return 0, false
	}
	return int32(v), true
}

// CastStringToInt16 is CAST(s AS SMALLINT).
func CastStringToInt16(s string) (int16, bool) {
	v, ok := castInt(s)
	if !ok || v < -1<<15 || v > 1<<15-1 {
		return 0, false
	}
	return int16(v), true
}

// CastStringToInt8 is CAST(s AS TINYINT).
func CastStringToInt8(s string) (int8, bool) {
	v, ok := castInt(s)
	if !ok || v < -1<<7 || v > 1<<7-1 {
		return 0, false
	}
	return int8(v), true
}

// castInt mirrors Flink's BinaryStringDataUtil.toLong on the trimmed text: an optional
// sign, digits, and optionally '.' followed only by digits, which are dropped. As in
// Flink, the integer part may be empty (".5" and "-." are 0); a lone sign is not a number.
func castInt(s string) (int64, bool) {
	b := TrimSpace(bytesOf(s))
	if len(b) == 0 {
		return 0, false
	}
	for i, c := range b {
		if c == '.' {
			for _, f := range b[i+1:] {
				if f-'0' > 9 {
					return 0, false
				}
			}
			ip := b[:i]
			if len(ip) == 0 || (len(ip) == 1 && (ip[0] == '-' || ip[0] == '+')) {
				return 0, true
			}
			return ParseInt64(ip)
		}
	}
	return ParseInt64(b)
}

// CastStringToFloat64 is CAST(s AS DOUBLE).
func CastStringToFloat64(s string) (float64, bool) { return ParseFloat64(bytesOf(s)) }

// CastStringToFloat32 is CAST(s AS FLOAT).
func CastStringToFloat32(s string) (float32, bool) { return ParseFloat32(bytesOf(s)) }

// CastStringToDecimal is CAST(s AS DECIMAL(precision, scale)).
func CastStringToDecimal(s string, precision, scale int) (Decimal, bool) {
	return ParseDecimal(bytesOf(s), precision, scale)
}

// CastStringToDate, CastStringToTime and CastStringToTimestamp are in caststr.go.

// BytesOf views s as bytes without copying, for passing a string to the Parse
// functions; the bytes must not be modified.
func BytesOf(s string) []byte { return bytesOf(s) }

// StringOf views b as a string without copying; b must not change while it is used.
func StringOf(b []byte) string { return stringOf(b) }

// FloatToInt64 is Java's (long) cast of a double, which Flink uses for CAST(double AS
// BIGINT): the fraction is truncated, out-of-range values saturate, NaN is 0.
func FloatToInt64(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= 1<<63:
		return 1<<63 - 1
	case f <= -(1 << 63):
		return -1 << 63
	}
	return int64(f)
}

// FloatToInt32 is Java's (int) cast of a double (CAST(double AS INT)); see FloatToInt64.
func FloatToInt32(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= 1<<31:
		return 1<<31 - 1
	case f <= -(1 << 31):
		return -1 << 31
	}
	return int32(f)
}

// CastBytesToString is CAST(b AS STRING): b decoded as UTF-8 the way Java's
// new String(b, UTF_8) does, which Flink's cast uses. Each malformed sequence becomes
// one U+FFFD: a lead byte with the continuation bytes that fit it (a truncated sequence),
// a lone continuation or invalid byte, or a whole 3-byte encoded surrogate.
func CastBytesToString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	cont := func(i int) bool { return i < len(b) && b[i]&0xc0 == 0x80 }
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			out = append(out, c)
			i++
			continue
		case c >= 0xc2 && c <= 0xdf:
			if cont(i + 1) {
				out = append(out, b[i:i+2]...)
				i += 2
				continue
			}
			i++
		case c >= 0xe0 && c <= 0xef:
			// The second byte's range excludes overlong forms (E0 80..9F); Java takes
			// an encoded surrogate (ED A0..BF xx) as one malformed 3-byte sequence.
			second := cont(i+1) && (c != 0xe0 || b[i+1] >= 0xa0)
			switch {
			case !second:
				i++
			case !cont(i + 2):
				i += 2
			case c == 0xed && b[i+1] >= 0xa0:
				i += 3
			default:
				out = append(out, b[i:i+3]...)
				i += 3
				continue
			}
		case c >= 0xf0 && c <= 0xf4:
			second := cont(i+1) && (c != 0xf0 || b[i+1] >= 0x90) && (c != 0xf4 || b[i+1] < 0x90)
			switch {
			case !second:
				i++
			case !cont(i + 2):
				i += 2
			case !cont(i + 3):
				i += 3
			default:
				out = append(out, b[i:i+4]...)
				i += 4
				continue
			}
		default: // a continuation byte without a lead, C0, C1, F5..FF
			i++
		}
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return string(out)
}

// FitChars is the length rule of CAST(s AS CHAR(n)) and CAST(s AS VARCHAR(n)) (Flink's
// CharVarCharTrimPadCastRule): s is cut to its first n characters (code points, as
// BinaryStringData.numChars and substring count them) and, when pad is set (CHAR), filled
// with spaces to n characters.
func FitChars(s string, n int, pad bool) string {
	c := 0
	for i := range s {
		if c == n {
			return s[:i]
		}
		c++
	}
	if pad && c < n {
		return padSpaces(s, n-c)
	}
	return s
}

// FitCharsUTF16 is FitChars for CAST(b AS CHAR(n)) and CAST(b AS VARCHAR(n)) of bytes,
// where Flink cuts and pads the java.lang.String (BinaryToStringCastRule), counting
// UTF-16 units: a character above U+FFFF counts two, and one cut in half leaves its high
// surrogate, which Flink's UTF-8 encoder writes as '?'.
func FitCharsUTF16(s string, n int, pad bool) string {
	units := 0
	for i, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		if units+w > n {
			if units < n { // half of a surrogate pair fits
				return s[:i] + "?"
			}
			return s[:i]
		}
		units += w
	}
	if pad && units < n {
		return padSpaces(s, n-units)
	}
	return s
}

func padSpaces(s string, k int) string { return s + strings.Repeat(" ", k) }

// FitBytes is the length rule of CAST(b AS BINARY(n)) and CAST(b AS VARBINARY(n))
// (Flink's BinaryToBinaryCastRule and StringToBinaryCastRule): b is cut to n bytes and,
// when pad is set (BINARY), filled with zero bytes to n (Arrays.copyOf). The result
// never shares spare capacity with b, so appending to it cannot change b.
func FitBytes(b []byte, n int, pad bool) []byte {
	switch {
	case len(b) > n:
		return b[:n:n]
	case pad && len(b) < n:
		out := make([]byte, n)
		copy(out, b)
		return out
	}
	return b
}
