package types

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The string functions of Flink's SQL (SqlFunctionUtils, BinaryStringDataUtil and
// Calcite's SqlFunctions, which Flink's generated code calls). Flink computes some of
// them on java.lang.String, whose characters are UTF-16 units (LPAD, RPAD, REPLACE with
// an empty search string), and others on the UTF-8 bytes of its BinaryStringData, whose
// characters are code points (LEFT, RIGHT, REVERSE, POSITION, LOCATE, INSTR). Each
// helper says which; a UTF-16 result that splits a surrogate pair is written back as
// UTF-8 the way Flink's StringUtf8Utils does, with '?' for the unpaired half.

// flinkCharLen is the length of the UTF-8 sequence starting with b, as Flink's
// BinaryStringData.numBytesForFirstByte reads it (a byte that cannot start a sequence
// is a character of its own).
func flinkCharLen(b byte) int {
	switch {
	case b < 0x80:
		return 1
	case b>>5 == 0x6 && b&0x1e != 0:
		return 2
	case b>>4 == 0xe:
		return 3
	case b>>3 == 0x1e:
		return 4
	}
	return 1
}

// numChars is BinaryStringData.numChars: the characters of s, as flinkCharLen counts them.
func numChars(s string) int {
	n := 0
	for i := 0; i < len(s); i += flinkCharLen(s[i]) {
		n++
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// utf16Units is s as a java.lang.String: its UTF-16 code units.
func utf16Units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// javaUTF8 encodes UTF-16 units as Flink's StringUtf8Utils.encodeUTF8 does: an unpaired
// surrogate becomes '?'.
func javaUTF8(u []uint16) string {
	b := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case utf16.IsSurrogate(c):
			if c < 0xdc00 && i+1 < len(u) && u[i+1] >= 0xdc00 && u[i+1] <= 0xdfff {
				b = utf8.AppendRune(b, utf16.DecodeRune(c, rune(u[i+1])))
				i++
				continue
			}
			b = append(b, '?')
		default:
			b = utf8.AppendRune(b, c)
		}
	}
	return string(b)
}

// LPad is LPAD(s, n, pad) (SqlFunctionUtils.lpad, over UTF-16 units): s left-padded
// with pad, repeated and cut, to n characters, or s cut to n characters when it is
// longer. ok=false (NULL) when n < 0 or pad is empty.
func LPad(s string, n int32, pad string) (string, bool) {
	return padJava(s, n, pad, true)
}

// RPad is RPAD(s, n, pad) (SqlFunctionUtils.rpad): as LPad, padding on the right.
func RPad(s string, n int32, pad string) (string, bool) {
	return padJava(s, n, pad, false)
}

func padJava(s string, n int32, pad string, left bool) (string, bool) {
	if n < 0 || pad == "" {
		return "", false
	}
	if n == 0 {
		return "", true
	}
	if isASCII(s) && isASCII(pad) {
		return string(padUnits([]byte(s), int(n), []byte(pad), left)), true
	}
	return javaUTF8(padUnits(utf16Units(s), int(n), utf16Units(pad), left)), true
}

// padUnits fills n units with base and the repeated pad, as lpad and rpad do.
func padUnits[T byte | uint16](base []T, n int, pad []T, left bool) []T {
	data := make([]T, n)
	if left {
		pos := max(n-len(base), 0)
		for i := 0; i < pos; i += len(pad) {
			copy(data[i:pos], pad)
		}
		copy(data[pos:], base)
		return data
	}
	pos := copy(data, base)
	for ; pos < n; pos += len(pad) {
		copy(data[pos:], pad)
	}
	return data
}

// ErrRepeatTooLong reports a REPEAT whose result Java could not allocate.
var ErrRepeatTooLong = errors.New("the result would be longer than 2147483647 characters")

// Repeat is REPEAT(s, n) (EncodingUtils.repeat): s n times, "" when n <= 0. A result
// longer than Java's largest string fails (Flink's job fails allocating it).
func Repeat(s string, n int32) (string, error) {
	if n <= 0 || s == "" {
		return "", nil
	}
	if int64(len(s))*int64(n) > math.MaxInt32 && int64(len(utf16Units(s)))*int64(n) > math.MaxInt32 {
		return "", ErrRepeatTooLong
	}
	return strings.Repeat(s, int(n)), nil
}

// Replace is REPLACE(s, old, new) (java.lang.String.replace): every non-overlapping old,
// left to right, becomes new. An empty old puts new before every UTF-16 unit and at the
// end, so it splits a character above U+FFFF into two '?'.
func Replace(s, old, new string) string {
	if old != "" || isASCII(s) {
		return strings.ReplaceAll(s, old, new)
	}
	var b strings.Builder
	b.WriteString(new)
	for _, r := range s {
		if r > 0xffff {
			b.WriteString("?")
			b.WriteString(new)
			b.WriteString("?")
		} else {
			b.WriteRune(r)
		}
		b.WriteString(new)
	}
	return b.String()
}

// Reverse is REVERSE(s) (BinaryStringDataUtil.reverse): the characters of s in reverse
// order.
func Reverse(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); {
		n := min(flinkCharLen(s[i]), len(s)-i)
		copy(b[len(s)-i-n:], s[i:i+n])
		i += n
	}
	return string(b)
}

// indexOf is BinaryStringData.indexOf(seek, from): the index (in characters) of the
// first seek in s at or after character from, -1 if none; 0 for an empty seek, whatever
// from is.
func indexOf(s, seek string, from int) int {
	if seek == "" {
		return 0
	}
	i, c := 0, 0
	for i < len(s) && c < from {
		i += flinkCharLen(s[i])
		c++
	}
	for {
		if i+len(seek) > len(s) {
			return -1
		}
		if s[i:i+len(seek)] == seek {
			return c
		}
		i += flinkCharLen(s[i])
		c++
		if i >= len(s) {
			return -1
		}
	}
}

// Locate is LOCATE(seek, s[, from]) and POSITION(seek IN s) (SqlFunctionUtils.position):
// the 1-based character position of the first seek in s at or after character from
// (from <= 1 searches from the start), 0 if there is none. An empty seek is at 1.
func Locate(seek, s string, from int32) int32 {
	return int32(indexOf(s, seek, int(from)-1) + 1)
}

// ErrInstrNth reports INSTR's nthAppearance argument out of range.
var ErrInstrNth = errors.New("nthAppearance must be positive")

// Instr is INSTR(s, sub[, start[, nth]]) (SqlFunctionUtils.instr): the 1-based position
// of the nth sub in s searching from character start, backwards from the end when
// start is negative; 0 when start is 0 or there is no such sub.
func Instr(s, sub string, start, nth int32) (int32, error) {
	if nth <= 0 {
		return 0, ErrInstrNth
	}
	switch {
	case start == 0:
		return 0, nil
	case start > 0:
		from, index := int(start), 0
		for range nth {
			index = indexOf(s, sub, from-1) + 1
			if index == 0 {
				return 0, nil
			}
			from = index + 1
		}
		return int32(index), nil
	}
	pos, err := Instr(Reverse(s), Reverse(sub), -start, nth)
	if pos == 0 || err != nil {
		return 0, err
	}
	return int32(numChars(s)) + 2 - pos - int32(numChars(sub)), nil
}

// Left is LEFT(s, n): the first n characters of s, "" when n <= 0.
func Left(s string, n int32) string {
	if n <= 0 {
		return ""
	}
	return SubstringSQL(s, 1, int64(n), true)
}

// Right is RIGHT(s, n): the last n characters of s, "" when n <= 0.
func Right(s string, n int32) string {
	switch {
	case n <= 0:
		return ""
	case int(n) >= numChars(s):
		return s
	}
	return SubstringSQL(s, -int64(n), 0, false)
}

// SplitIndex is SPLIT_INDEX(s, sep, i) (SqlFunctionUtils.splitIndex with Apache Commons'
// splitByWholeSeparatorPreserveAllTokens): field i (0-based) of s split at every sep,
// keeping empty fields; an empty sep splits at every whitespace character
// (Character.isWhitespace). ok=false (NULL) when i is negative or past the last field,
// and for every i when s is empty (no fields).
func SplitIndex(s, sep string, i int32) (string, bool) {
	if i < 0 || s == "" {
		return "", false
	}
	if sep == "" {
		return splitNth(s, int(i), func(r rune) bool { return javaIsWhitespace(r) })
	}
	for range i {
		k := strings.Index(s, sep)
		if k < 0 {
			return "", false
		}
		s = s[k+len(sep):]
	}
	if k := strings.Index(s, sep); k >= 0 {
		return s[:k], true
	}
	return s, true
}

// SplitIndexChar is SPLIT_INDEX(s, c, i) with an integer separator, the character with
// code c (splitIndex(String, int, int)): NULL unless 1 <= c <= 255.
func SplitIndexChar(s string, c int32, i int32) (string, bool) {
	if c < 1 || c > 255 || i < 0 || s == "" {
		return "", false
	}
	return splitNth(s, int(i), func(r rune) bool { return r == rune(c) })
}

// splitNth is field i of s split at every character sep accepts, keeping empty fields
// (StringUtils.splitPreserveAllTokens).
func splitNth(s string, i int, sep func(rune) bool) (string, bool) {
	start, field := 0, 0
	for k, r := range s {
		if !sep(r) {
			continue
		}
		if field == i {
			return s[start:k], true
		}
		field++
		start = k + utf8.RuneLen(r)
	}
	if field == i {
		return s[start:], true
	}
	return "", false
}

// javaIsWhitespace is Character.isWhitespace: Unicode space separators other than the
// no-break spaces, line and paragraph separators, and the controls \t \n \v \f \r and
// U+001C..U+001F.
func javaIsWhitespace(r rune) bool {
	switch {
	case r >= '\t' && r <= '\r', r >= 0x1c && r <= 0x1f:
		return true
	case r == 0xa0 || r == 0x2007 || r == 0x202f:
		return false
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

// InitCap is INITCAP(s) (Calcite's SqlFunctions.initcap): in every run of ASCII letters
// and digits the first letter is upper-cased and the others lower-cased; every other
// character, non-ASCII letters included, separates words and is kept.
func InitCap(s string) string {
	b := []byte(s)
	start := true
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			start = false
		case c >= 'A' && c <= 'Z':
			if !start {
				b[i] = c + 32
			}
			start = false
		case c >= 'a' && c <= 'z':
			if start {
				b[i] = c - 32
			}
			start = false
		default:
			start = true
		}
	}
	return string(b)
}

// Chr is CHR(n) (SqlFunctionUtils.chr): the character with code n & 0xFF (so CHR(353) is
// 'a'), "" for a negative n.
func Chr(n int64) string {
	if n < 0 {
		return ""
	}
	return string(rune(n & 0xff))
}

// ASCII is ASCII(s): the first UTF-8 byte of s as a signed Java byte (Flink's
// `(int) str.byteAt(0)`), so a non-ASCII first character gives a negative number;
// 0 for "".
func ASCII(s string) int32 {
	if s == "" {
		return 0
	}
	return int32(int8(s[0]))
}

// ConcatWs is CONCAT_WS(sep, parts...) (BinaryStringDataUtil.concatWs): the parts that
// are not NULL (null[i] false; a nil null means none is), joined by sep.
func ConcatWs(sep string, parts []string, null []bool) string {
	var b strings.Builder
	first := true
	for i, p := range parts {
		if null != nil && null[i] {
			continue
		}
		if !first {
			b.WriteString(sep)
		}
		first = false
		b.WriteString(p)
	}
	return b.String()
}

// ToBase64 is TO_BASE64(s): the standard base64 of the UTF-8 bytes of s, padded.
func ToBase64(s string) string { return base64.StdEncoding.EncodeToString(bytesOf(s)) }

// FromBase64 is FROM_BASE64(s): the bytes java.util.Base64's basic decoder makes of s,
// as a string. ok=false where that decoder throws (Flink's job fails): a character
// outside the standard alphabet (line breaks included), a final unit of one character,
// padding other than "=" after three characters or "==" after two, anything after
// the padding. Padding may be left out.
func FromBase64(s string) (string, bool) {
	out := make([]byte, 0, len(s)/4*3+2)
	var acc uint32
	n := 0 // characters in the current unit
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			// "xx==" or "xxx=", and nothing after
			switch {
			case n == 2 && i+1 < len(s) && s[i+1] == '=' && i+2 == len(s):
			case n == 3 && i+1 == len(s):
			default:
				return "", false
			}
			break
		}
		v := base64Values[c]
		if v < 0 {
			return "", false
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 1:
		return "", false
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return string(out), true
}

// MD5 is MD5(s): the hex MD5 digest of the UTF-8 bytes of s, lower case.
func MD5(s string) string {
	h := md5.Sum(bytesOf(s))
	return hex.EncodeToString(h[:])
}

// SHA1 is SHA1(s), as MD5.
func SHA1(s string) string {
	h := sha1.Sum(bytesOf(s))
	return hex.EncodeToString(h[:])
}

// SHA256 is SHA256(s), as MD5.
func SHA256(s string) string {
	h := sha256.Sum256(bytesOf(s))
	return hex.EncodeToString(h[:])
}
