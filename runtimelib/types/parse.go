package types

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
	"unsafe"
)

// bytesOf views s as a byte slice without copying. The slice must not be written.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// stringOf views b as a string without copying. b must not change while the string is used.
func stringOf(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// TrimSpace removes leading and trailing bytes <= ' ', as Java's String.trim does
// (Flink trims numeric CSV fields and CAST input this way).
func TrimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && b[i] <= ' ' {
		i++
	}
	for j > i && b[j-1] <= ' ' {
		j--
	}
	return b[i:j]
}

// ParseBool parses a BOOLEAN field after trimming it: case-insensitively "true", "t",
// "yes", "y", "1" are true and "false", "f", "no", "n", "0" are false; anything else is
// not a boolean (ok=false). CAST does not trim (CastStringToBool).
func ParseBool(b []byte) (v bool, ok bool) { return CastStringToBool(stringOf(TrimSpace(b))) }

// ParseBoolLenient is Java's Boolean.parseBoolean over the trimmed field: true only for
// "true" in any case, false for everything else. Flink's CSV and JSON formats read
// BOOLEAN columns given as text this way, so they never fail on a boolean.
func ParseBoolLenient(b []byte) bool {
	b = TrimSpace(b)
	return len(b) == 4 && lowerEq(b, "true")
}

// lowerEq reports whether b equals the lower-case ASCII word w, ignoring case.
func lowerEq(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := 0; i < len(b); i++ {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// ParseInt64 parses a BIGINT like Java's Long.parseLong after trimming (as Flink's CSV
// format does): an optional sign and decimal digits, no fraction, no overflow.
func ParseInt64(b []byte) (int64, bool) {
	if v, ok := ParseDigits(b); ok {
		return v, true
	}
	return parseInt64(b)
}

// ParseDigits parses 1 to 18 ASCII digits (which cannot overflow an int64) and nothing
// else: it is the common case of ParseInt64, small enough to be inlined into generated
// loops, which call ParseInt64 only when it fails.
func ParseDigits(b []byte) (int64, bool) {
	if uint(len(b))-1 >= 18 {
		return 0, false
	}
	var u int64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		u = u*10 + int64(d)
	}
	return u, true
}

// parseInt64 is ParseInt64 for every input.
func parseInt64(b []byte) (int64, bool) {
	b = TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	i := 0
	switch b[0] {
	case '-':
		neg, i = true, 1
	case '+':
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	var u uint64
	if len(b)-i <= 18 { // at most 18 digits cannot overflow
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, false
			}
			u = u*10 + uint64(d)
		}
	} else {
		limit := uint64(math.MaxInt64)
		if neg {
			limit++
		}
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, false
			}
			hi, lo := bits.Mul64(u, 10)
			lo, c := bits.Add64(lo, uint64(d), 0)
			if hi != 0 || c != 0 || lo > limit {
				return 0, false
			}
			u = lo
		}
	}
	if neg {
		return -int64(u), true // -int64(1<<63) wraps to MinInt64, as intended
	}
	return int64(u), true
}

// ParseInt32 parses an INT; see ParseInt64.
func ParseInt32(b []byte) (int32, bool) {
	v, ok := ParseInt64(b)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// ParseInt16 parses a SMALLINT; see ParseInt64.
func ParseInt16(b []byte) (int16, bool) {
	v, ok := ParseInt64(b)
	if !ok || v < math.MinInt16 || v > math.MaxInt16 {
		return 0, false
	}
	return int16(v), true
}

// ParseInt8 parses a TINYINT; see ParseInt64.
func ParseInt8(b []byte) (int8, bool) {
	v, ok := ParseInt64(b)
	if !ok || v < math.MinInt8 || v > math.MaxInt8 {
		return 0, false
	}
	return int8(v), true
}

// float64pow10 holds the powers of ten a float64 represents exactly.
var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// scanFloat checks b against Java's Double.parseDouble decimal syntax (after trimming):
// [sign] (digits [. digits] | . digits) [(e|E) [sign] digits] [f|F|d|D], or NaN,
// Infinity with an optional sign. It returns the text strconv should parse (the
// type suffix removed), the special value if any, and for short plain numbers the
// exact mantissa and decimal exponent, so the caller can skip strconv.
type floatSyntax struct {
	text     []byte
	special  int8 // 0 none, 1 NaN, 2 +Inf, 3 -Inf
	simple   bool // mantissa/exp10 are exact
	neg      bool
	mantissa uint64
	exp10    int
}

func scanFloat(b []byte) (fs floatSyntax, ok bool) {
	b = TrimSpace(b)
	if n := len(b); n > 1 && (b[n-2]-'0' <= 9 || b[n-2] == '.') { // "1.5f", not "Infinityf"
		switch b[n-1] {
		case 'f', 'F', 'd', 'D':
			b = b[:n-1]
		}
	}
	fs.text = b
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		fs.neg = b[i] == '-'
		i++
	}
	rest := b[i:]
	if string(rest) == "NaN" {
		fs.special = 1
		return fs, true
	}
	if string(rest) == "Infinity" {
		fs.special = 2
		if fs.neg {
			fs.special = 3
		}
		return fs, true
	}
	digits, sig := 0, 0
	var mant uint64
	dropped := false
	exp := 0
	for ; i < len(b) && b[i]-'0' <= 9; i++ {
		digits++
		if sig < 19 {
			if mant != 0 || b[i] != '0' {
				mant = mant*10 + uint64(b[i]-'0')
				sig++
			}
		} else {
			exp++
			dropped = dropped || b[i] != '0'
		}
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i]-'0' <= 9; i++ {
			digits++
			if sig < 19 {
				if mant != 0 || b[i] != '0' {
					mant = mant*10 + uint64(b[i]-'0')
					sig++
				}
				exp--
			} else {
				dropped = dropped || b[i] != '0'
			}
		}
	}
	if digits == 0 {
		return fs, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return fs, false
		}
		e := 0
		for ; i < len(b) && b[i]-'0' <= 9; i++ {
			if e < 100000 {
				e = e*10 + int(b[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != len(b) {
		return fs, false
	}
	fs.mantissa, fs.exp10 = mant, exp
	fs.simple = !dropped
	return fs, true
}

// ParseFloat64 parses a DOUBLE like Java's Double.parseDouble after trimming: decimal
// notation with optional exponent and f/d suffix, "NaN", "Infinity", "-Infinity".
// Hexadecimal floats are not accepted. Out-of-range values become ±Infinity, as in Java.
func ParseFloat64(b []byte) (float64, bool) {
	fs, ok := scanFloat(b)
	if !ok {
		return 0, false
	}
	switch fs.special {
	case 1:
		return math.NaN(), true
	case 2:
		return math.Inf(1), true
	case 3:
		return math.Inf(-1), true
	}
	// Clinger's fast path: both the mantissa and the power of ten are exact doubles,
	// so one correctly rounded multiply or divide gives the correctly rounded result.
	if fs.simple && fs.mantissa < 1<<53 && fs.exp10 >= -22 && fs.exp10 <= 22 {
		f := float64(fs.mantissa)
		if fs.exp10 >= 0 {
			f *= float64pow10[fs.exp10]
		} else {
			f /= float64pow10[-fs.exp10]
		}
		if fs.neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(stringOf(fs.text), 64)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return f, true // ±Inf or ±0, as Java
		}
		return 0, false
	}
	return f, true
}

// ParseFloat32 parses a FLOAT like Java's Float.parseFloat; see ParseFloat64.
func ParseFloat32(b []byte) (float32, bool) {
	fs, ok := scanFloat(b)
	if !ok {
		return 0, false
	}
	switch fs.special {
	case 1:
		return float32(math.NaN()), true
	case 2:
		return float32(math.Inf(1)), true
	case 3:
		return float32(math.Inf(-1)), true
	}
	if fs.simple && fs.mantissa < 1<<24 && fs.exp10 >= -10 && fs.exp10 <= 10 {
		f := float32(fs.mantissa)
		if fs.exp10 >= 0 {
			f *= float32(float64pow10[fs.exp10])
		} else {
			f /= float32(float64pow10[-fs.exp10])
		}
		if fs.neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(stringOf(fs.text), 32)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return float32(f), true
		}
		return 0, false
	}
	return float32(f), true
}

// ParseDigits8 is ParseDigits for 1 to 8 digits, the common case of a number field, in a
// few word operations instead of a loop over the bytes: it reads b as one 8-byte word,
// so b's capacity must reach 8 bytes (a field of a record in a batch has the rest of the
// batch after it; only the last bytes of a batch fall short). For longer input, or a
// shorter capacity, it reports false and the caller takes ParseInt64, as for anything
// that is not plain digits. Small enough to be inlined into generated loops.
func ParseDigits8(b []byte) (int64, bool) {
	if uint(len(b))-1 >= 8 || cap(b) < 8 {
		return 0, false
	}
	// The digits' values in the word's high bytes (the first digit lowest, as the bytes
	// come): the bytes past b's end are shifted out and zeros come in below.
	w := (binary.LittleEndian.Uint64(b[:8]) ^ 0x3030303030303030) << (64 - 8*len(b))
	// A byte is a digit when, xor '0', it is below 10: its high nibble is 0, and still
	// is after adding 6. (A carry out of a byte that is not a digit can only spoil the
	// next byte's test the safe way: the word is rejected anyway.)
	if (w|(w+0x0606060606060606))&0xf0f0f0f0f0f0f0f0 != 0 {
		return 0, false
	}
	// Combine pairs of digits, then pairs of pairs, and the two halves (the usual
	// eight-digit SWAR conversion, as in simdjson's parse_eight_digits_unrolled).
	w = w*10 + w>>8
	w = ((w&0x000000ff000000ff)*(100+1000000<<32) + (w>>16&0x000000ff000000ff)*(1+10000<<32)) >> 32
	return int64(w), true
}
