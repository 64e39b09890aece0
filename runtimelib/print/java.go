package print

import (
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// AppendJavaBytes appends b as Java's Arrays.toString(byte[]) does: "[1, 2, -1]".
func AppendJavaBytes(dst []byte, b []byte) []byte {
	dst = append(dst, '[')
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = strconv.AppendInt(dst, int64(int8(c)), 10)
	}
	return append(dst, ']')
}

// AppendJavaDecimal appends the decimal with unscaled value v and scale as Java's
// BigDecimal.toString does: plain digits unless the exponent is below -6, then scientific
// notation ("0E-18", "1.5E-7").
func AppendJavaDecimal(dst []byte, v types.Decimal, scale int) []byte {
	var tmp [48]byte
	coeff := types.AppendDecimal(tmp[:0], v, 0)
	neg := len(coeff) > 0 && coeff[0] == '-'
	if neg {
		coeff = coeff[1:]
		dst = append(dst, '-')
	}
	if scale == 0 {
		return append(dst, coeff...)
	}
	adjusted := -scale + len(coeff) - 1
	if scale > 0 && adjusted >= -6 {
		if pad := scale - len(coeff); pad >= 0 {
			dst = append(dst, '0', '.')
			for ; pad > 0; pad-- {
				dst = append(dst, '0')
			}
			return append(dst, coeff...)
		}
		dst = append(dst, coeff[:len(coeff)-scale]...)
		dst = append(dst, '.')
		return append(dst, coeff[len(coeff)-scale:]...)
	}
	dst = append(dst, coeff[0])
	if len(coeff) > 1 {
		dst = append(dst, '.')
		dst = append(dst, coeff[1:]...)
	}
	if adjusted != 0 {
		dst = append(dst, 'E')
		if adjusted > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(adjusted), 10)
	}
	return dst
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date.
func civil(days int64) (year, month, day int64) {
	// Howard Hinnant's days_from_civil inverse.
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func append2(dst []byte, v int64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// AppendJavaLocalDate appends the date as Java's LocalDate.toString: "2020-01-31",
// "+10000-01-01", "-0001-01-01".
func AppendJavaLocalDate(dst []byte, days int64) []byte {
	y, m, d := civil(days)
	switch {
	case y > 9999:
		dst = append(dst, '+')
		dst = strconv.AppendInt(dst, y, 10)
	case y < 0:
		dst = append(dst, '-')
		dst = appendPadded(dst, -y, 4)
	default:
		dst = appendPadded(dst, y, 4)
	}
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	return append2(dst, d)
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// AppendJavaLocalTime appends a time of day given in nanoseconds as Java's
// LocalTime.toString: "12:30", "12:30:05", "12:30:05.120", "12:30:05.000001".
func AppendJavaLocalTime(dst []byte, nanoOfDay int64) []byte {
	h := nanoOfDay / 3_600_000_000_000
	mi := nanoOfDay / 60_000_000_000 % 60
	sec := nanoOfDay / 1_000_000_000 % 60
	nano := nanoOfDay % 1_000_000_000
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	if sec > 0 || nano > 0 {
		dst = append(dst, ':')
		dst = append2(dst, sec)
		if nano > 0 {
			dst = append(dst, '.')
			dst = appendFraction(dst, nano)
		}
	}
	return dst
}

// appendFraction appends nanoseconds in groups of three digits, as few as needed (Java's
// LocalTime and Instant both do this).
func appendFraction(dst []byte, nano int64) []byte {
	switch {
	case nano%1_000_000 == 0:
		return appendPadded(dst, nano/1_000_000, 3)
	case nano%1000 == 0:
		return appendPadded(dst, nano/1000, 6)
	}
	return appendPadded(dst, nano, 9)
}

// split returns the days since the epoch and the nanosecond of the day of a timestamp.
func split(ts types.Timestamp) (days, nanoOfDay int64) {
	const msPerDay = 86_400_000
	days = ts.Millis / msPerDay
	ms := ts.Millis % msPerDay
	if ms < 0 {
		ms += msPerDay
		days--
	}
	return days, ms*1_000_000 + int64(ts.Nanos)
}

// AppendJavaLocalDateTime appends a TIMESTAMP as Java's LocalDateTime.toString:
// "2020-01-31T12:30", "2020-01-31T12:30:05.123".
func AppendJavaLocalDateTime(dst []byte, ts types.Timestamp) []byte {
	days, nod := split(ts)
	dst = AppendJavaLocalDate(dst, days)
	dst = append(dst, 'T')
	return AppendJavaLocalTime(dst, nod)
}

// AppendJavaInstant appends a TIMESTAMP_LTZ as Java's Instant.toString (UTC, seconds
// always shown): "2020-01-31T12:30:00Z", "2020-01-31T12:30:05.123Z".
func AppendJavaInstant(dst []byte, ts types.Timestamp) []byte {
	days, nod := split(ts)
	dst = AppendJavaLocalDate(dst, days)
	dst = append(dst, 'T')
	dst = append2(dst, nod/3_600_000_000_000)
	dst = append(dst, ':')
	dst = append2(dst, nod/60_000_000_000%60)
	dst = append(dst, ':')
	dst = append2(dst, nod/1_000_000_000%60)
	if nano := nod % 1_000_000_000; nano > 0 {
		dst = append(dst, '.')
		dst = appendFraction(dst, nano)
	}
	return append(dst, 'Z')
}
