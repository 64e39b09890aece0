package types

import (
	"math"
	"time"
)

// CompareBool orders two booleans as SQL does: FALSE < TRUE.
func CompareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// FormatBool is CAST(b AS STRING): TRUE or FALSE.
func FormatBool(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// GoTime converts a TIMESTAMP to a time.Time in UTC (what a Go function
// taking time.Time receives).
func GoTime(ts Timestamp) time.Time {
	return time.UnixMilli(ts.Millis).Add(time.Duration(ts.Nanos)).UTC()
}

// FromGoTime converts a time.Time (a Go function's result) to a TIMESTAMP.
func FromGoTime(t time.Time) Timestamp {
	ms := t.UnixMilli()
	return Timestamp{Millis: ms, Nanos: int32(t.UnixNano() - ms*1000000)}
}

// SubstringSQL is SUBSTRING(s, pos[, length]) over characters, 1-based, as Flink's
// SqlFunctionUtils.substringSQL: pos 0 is 1, a negative pos counts from the end, a
// negative length gives "".
func SubstringSQL(s string, pos, length int64, hasLength bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	var runes []rune
	n := int64(len(s))
	if !ascii {
		runes = []rune(s)
		n = int64(len(runes))
	}
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := n
	if hasLength {
		if length < 0 {
			return ""
		}
		if length < n-start {
			end = start + length
		}
	}
	start = max(start, 0)
	if start >= end {
		return ""
	}
	if ascii {
		return s[start:end]
	}
	return string(runes[start:end])
}

// RoundHalfUp is ROUND(x, n) of a DOUBLE, like Flink's SqlFunctionUtils.sround:
// BigDecimal.valueOf(x).setScale(n, HALF_UP).doubleValue(), so the shortest decimal
// digits of x are rounded. It is not ok for NaN and ±Infinity, which BigDecimal.valueOf
// rejects. A value too large for DECIMAL(38, n) has no digits below 10^-n in its
// shortest form: it is kept.
func RoundHalfUp(x float64, n int) (float64, bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x, false
	}
	d, ok := DecimalFromFloat64(x, 38, n)
	if !ok {
		return x, true
	}
	return DecimalToFloat64(d, n), true
}

// RoundHalfUp32 is ROUND(x, n) of a FLOAT: Flink's sround(float, int) widens x to double
// for BigDecimal.valueOf, then takes floatValue().
func RoundHalfUp32(x float32, n int) (float32, bool) {
	r, ok := RoundHalfUp(float64(x), n)
	return float32(r), ok
}
