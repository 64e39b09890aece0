package types

import (
	"bytes"
	"math"
	"strconv"
)

// FormatDouble formats a DOUBLE as Java's Double.toString does, which is how Flink
// prints DOUBLE values and casts them to STRING: the shortest digits that round-trip;
// plain notation with at least one fraction digit when 1e-3 <= |v| < 1e7 ("1.0",
// "100.5", "0.001"), otherwise computerized scientific notation ("1.0E7",
// "1.2345E-5"); "NaN", "Infinity", "-Infinity"; negative zero is "-0.0".
func FormatDouble(v float64) string {
	var buf [32]byte
	return string(AppendDouble(buf[:0], v))
}

// FormatFloat formats a FLOAT as Java's Float.toString does; see FormatDouble.
func FormatFloat(v float32) string {
	var buf [32]byte
	return string(AppendFloat(buf[:0], v))
}

// AppendDouble appends FormatDouble(v) to dst without allocating (when dst has room).
func AppendDouble(dst []byte, v float64) []byte {
	return appendJavaFloat(dst, v, 64)
}

// AppendFloat appends FormatFloat(v) to dst.
func AppendFloat(dst []byte, v float32) []byte {
	return appendJavaFloat(dst, float64(v), 32)
}

func appendJavaFloat(dst []byte, v float64, bitSize int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	// strconv gives the shortest round-tripping digits as d.ddde±XX. When that is a
	// single digit, Java (JDK 19+) prints the 2-digit decimal closest to v instead
	// (Double.MIN_VALUE is "4.9E-324", not "5.0E-324"); strconv with precision 1
	// gives exactly that one.
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], v, 'e', -1, bitSize)
	if bytes.IndexByte(e, '.') < 0 { // "5e-324": a single digit
		e = strconv.AppendFloat(tmp[:0], v, 'e', 1, bitSize)
	}
	if e[0] == '-' {
		dst = append(dst, '-')
		e = e[1:]
	}
	// Split into the digit string and the decimal exponent of the first digit.
	var digits [24]byte
	nd := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	i++ // 'e'
	eneg := e[i] == '-'
	i++
	exp := 0
	for ; i < len(e); i++ {
		exp = exp*10 + int(e[i]-'0')
	}
	if eneg {
		exp = -exp
	}
	for nd > 1 && digits[nd-1] == '0' { // "1.0e+23" from the 2-digit form
		nd--
	}
	d := digits[:nd]
	if exp >= -3 && exp < 7 { // 1e-3 <= |v| < 1e7: plain notation
		if exp < 0 {
			dst = append(dst, '0', '.')
			for k := -1; k > exp; k-- {
				dst = append(dst, '0')
			}
			return append(dst, d...)
		}
		// integer part: digits 0..exp, padded with zeros
		for k := 0; k <= exp; k++ {
			if k < len(d) {
				dst = append(dst, d[k])
			} else {
				dst = append(dst, '0')
			}
		}
		dst = append(dst, '.')
		if exp+1 < len(d) {
			return append(dst, d[exp+1:]...)
		}
		return append(dst, '0')
	}
	dst = append(dst, d[0], '.')
	if len(d) > 1 {
		dst = append(dst, d[1:]...)
	} else {
		dst = append(dst, '0')
	}
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(exp), 10)
}
