package types

import "strconv"

const (
	millisPerSecond = 1000
	millisPerMinute = 60 * millisPerSecond
	millisPerHour   = 60 * millisPerMinute
	millisPerDay    = 24 * millisPerHour
)

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm; exact for every year).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// num reads 1..maxDigits decimal digits at b[i:].
func num(b []byte, i, maxDigits int) (v int64, next int, ok bool) {
	j := i
	for j < len(b) && j-i < maxDigits && b[j]-'0' <= 9 {
		v = v*10 + int64(b[j]-'0')
		j++
	}
	return v, j, j > i
}

// parseYMD reads yyyy-M-d (1 or 2 digit month and day) and returns the epoch day and
// the index after it.
func parseYMD(b []byte) (days int64, next int, ok bool) {
	y, i, ok := num(b, 0, 4)
	if !ok || i != 4 || i >= len(b) || b[i] != '-' {
		return 0, 0, false
	}
	m, i, ok := num(b, i+1, 2)
	if !ok || i >= len(b) || b[i] != '-' || m < 1 || m > 12 {
		return 0, 0, false
	}
	d, i, ok := num(b, i+1, 2)
	if !ok || d < 1 || d > daysInMonth(y, m) {
		return 0, 0, false
	}
	return daysFromCivil(y, m, d), i, true
}

// parseHMS reads H:m[:s[.fraction]] at b[i:] (1 or 2 digit fields) and returns the
// nanoseconds of the day. needSeconds makes the seconds mandatory.
func parseHMS(b []byte, i int, needSeconds bool) (nanos int64, fracDigits int, next int, ok bool) {
	h, i, ok := num(b, i, 2)
	if !ok || i >= len(b) || b[i] != ':' || h > 23 {
		return 0, 0, 0, false
	}
	mi, i, ok := num(b, i+1, 2)
	if !ok || mi > 59 {
		return 0, 0, 0, false
	}
	var s, frac int64
	if i < len(b) && b[i] == ':' {
		s, i, ok = num(b, i+1, 2)
		if !ok || s > 59 {
			return 0, 0, 0, false
		}
		if i < len(b) && b[i] == '.' {
			j := i + 1
			scale := int64(100_000_000)
			for i = j; i < len(b) && b[i]-'0' <= 9; i++ {
				if i-j < 9 {
					frac += int64(b[i]-'0') * scale
					scale /= 10
				}
			}
			fracDigits = i - j
			if fracDigits == 0 || fracDigits > 9 {
				return 0, 0, 0, false
			}
		}
	} else if needSeconds {
		return 0, 0, 0, false
	}
	return ((h*60+mi)*60+s)*1_000_000_000 + frac, fracDigits, i, true
}

// ParseDate parses a DATE "yyyy-M-d" (as Flink's CAST and CSV format, which use
// Date.valueOf) into days since 1970-01-01. A trailing time part after a space is
// ignored, as in Flink's CAST("2017-12-12 09:30:00" AS DATE).
func ParseDate(b []byte) (int32, bool) {
	b = TrimSpace(b)
	days, i, ok := parseYMD(b)
	if !ok || (i != len(b) && b[i] != ' ') {
		return 0, false
	}
	return int32(days), true
}

// ParseTime parses a TIME "H:m[:s[.fraction]]" into milliseconds of the day; a fraction
// beyond milliseconds is rounded at the fourth digit, as Flink's parseTime does.
func ParseTime(b []byte) (int32, bool) {
	b = TrimSpace(b)
	n, fd, i, ok := parseHMS(b, 0, false)
	if !ok || i != len(b) {
		return 0, false
	}
	ms := n / 1_000_000
	if fd > 3 && (n/100_000)%10 >= 5 && ms%1000 != 999 {
		ms++
	}
	return int32(ms), true
}

// ParseTimestamp parses a TIMESTAMP(precision) as Flink's CAST(string AS TIMESTAMP)
// does: "yyyy-M-d", or "yyyy-M-d H:m:s[.fffffffff]" (the fraction is truncated to the
// precision). Beyond Flink's CAST it also accepts the ISO-8601 form used by JSON
// ("2020-01-01T12:00:00[.fff][Z]", seconds optional) and the SQL form with a 'Z' that
// Flink's csv and json formats use for TIMESTAMP_LTZ, so one parser serves all formats.
func ParseTimestamp(b []byte, precision int) (Timestamp, bool) {
	b = TrimSpace(b)
	days, i, ok := parseYMD(b)
	if !ok {
		return Timestamp{}, false
	}
	var nanos int64
	if i < len(b) {
		iso := b[i] == 'T'
		if !iso && b[i] != ' ' {
			return Timestamp{}, false
		}
		nanos, _, i, ok = parseHMS(b, i+1, !iso)
		if !ok {
			return Timestamp{}, false
		}
		// A trailing 'Z': ISO-8601's UTC, and the SQL form Flink's csv and json formats
		// write for TIMESTAMP_LTZ ("yyyy-MM-dd HH:mm:ss[.f]Z", TimeFormats).
		if i == len(b)-1 && b[i] == 'Z' {
			i++
		}
		if i != len(b) {
			return Timestamp{}, false
		}
	}
	if precision < 9 {
		if precision < 0 {
			precision = 0
		}
		unit := int64(1)
		for k := precision; k < 9; k++ {
			unit *= 10
		}
		nanos -= nanos % unit
	}
	return Timestamp{
		Millis: days*millisPerDay + nanos/1_000_000,
		Nanos:  int32(nanos % 1_000_000),
	}, true
}

// TimestampFromMillis returns the timestamp of epoch milliseconds.
func TimestampFromMillis(ms int64) Timestamp { return Timestamp{Millis: ms} }

// FormatTimestamp formats a TIMESTAMP(precision) as Flink prints it and casts it to
// STRING: "yyyy-MM-dd HH:mm:ss" plus a fraction of at least `precision` digits (trailing
// zeros beyond the precision dropped): "2020-01-01 12:00:00.120" for TIMESTAMP(3),
// "2020-01-01 12:00:00" for TIMESTAMP(0).
func FormatTimestamp(ts Timestamp, precision int) string {
	var buf [40]byte
	return string(AppendTimestamp(buf[:0], ts, precision))
}

// AppendTimestamp appends FormatTimestamp(ts, precision) to dst.
func AppendTimestamp(dst []byte, ts Timestamp, precision int) []byte {
	days := ts.Millis / millisPerDay
	ms := ts.Millis % millisPerDay
	if ms < 0 {
		days--
		ms += millisPerDay
	}
	dst = appendYMD(dst, days)
	dst = append(dst, ' ')
	dst = append2(dst, ms/millisPerHour)
	dst = append(dst, ':')
	dst = append2(dst, ms/millisPerMinute%60)
	dst = append(dst, ':')
	dst = append2(dst, ms/millisPerSecond%60)
	nanoOfSecond := (ms%1000)*1_000_000 + int64(ts.Nanos)
	var frac [9]byte
	for k := 8; k >= 0; k-- {
		frac[k] = byte('0' + nanoOfSecond%10)
		nanoOfSecond /= 10
	}
	n := 9
	for n > precision && frac[n-1] == '0' {
		n--
	}
	if n > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac[:n]...)
	}
	return dst
}

// FormatDate formats a DATE (days since epoch) as "yyyy-MM-dd".
func FormatDate(days int32) string {
	var buf [16]byte
	return string(AppendDate(buf[:0], days))
}

// AppendDate appends FormatDate(days) to dst.
func AppendDate(dst []byte, days int32) []byte { return appendYMD(dst, int64(days)) }

// FormatTime formats a TIME(precision) (milliseconds of the day) as Flink does:
// "HH:mm:ss" plus, for precision > 0, that many fraction digits (at most 3).
func FormatTime(millisOfDay int32, precision int) string {
	var buf [16]byte
	return string(AppendTime(buf[:0], millisOfDay, precision))
}

// AppendTime appends FormatTime(millisOfDay, precision) to dst.
func AppendTime(dst []byte, millisOfDay int32, precision int) []byte {
	ms := int64(millisOfDay)
	for ms < 0 {
		// A TIME cast from a TIMESTAMP before 1970 is negative (Java's %, see
		// TimestampToTime); Flink's DateTimeUtils.unixTimeToString adds days too.
		ms += millisPerDay
	}
	// Flink's unixTimeToString writes the hour's last two digits: a TIME beyond a day
	// (CAST('25:00' AS TIME), no range checks) shows "25:00:00", "2015:00" "15:00:00".
	dst = append2(dst, ms/millisPerHour%100)
	dst = append(dst, ':')
	dst = append2(dst, ms/millisPerMinute%60)
	dst = append(dst, ':')
	dst = append2(dst, ms/millisPerSecond%60)
	if precision > 0 {
		f := ms % 1000
		digits := [3]byte{byte('0' + f/100), byte('0' + f/10%10), byte('0' + f%10)}
		dst = append(dst, '.')
		dst = append(dst, digits[:min(precision, 3)]...)
	}
	return dst
}

func appendYMD(dst []byte, days int64) []byte {
	y, m, d := civilFromDays(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	if y > 9999 {
		dst = strconv.AppendInt(dst, y, 10)
	} else {
		dst = append2(dst, y/100)
		dst = append2(dst, y%100)
	}
	dst = append(dst, '-')
	dst = append2(dst, m)
	dst = append(dst, '-')
	return append2(dst, d)
}

// append2 appends v (0..99) as two digits.
func append2(dst []byte, v int64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// TruncateTimestamp is Flink's DateTimeUtils.truncate(ts, precision), which CAST to a
// smaller TIMESTAMP or TIME precision calls, quirks included: the value is kept when the
// decimal digits of its nano-of-second (no leading zeros) are at most precision many (so
// 5 ns survives a cast to TIMESTAMP(3)), and for precision <= 3 the epoch milliseconds
// lose digits by Java's long division, toward zero: upwards before 1970.
func TruncateTimestamp(ts Timestamp, precision int) Timestamp {
	nanoOfSecond := (ts.Millis%1000+1000)%1000*1_000_000 + int64(ts.Nanos)
	if len(strconv.FormatInt(nanoOfSecond, 10)) <= precision {
		return ts
	}
	if precision <= 3 {
		f := pow10Int64(3 - precision)
		return Timestamp{Millis: ts.Millis / f * f}
	}
	f := int32(pow10Int64(9 - precision))
	return Timestamp{Millis: ts.Millis, Nanos: ts.Nanos / f * f}
}

func pow10Int64(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// TimestampToDate is CAST(TIMESTAMP AS DATE), Flink's TimestampToDateCastRule:
// (int) (millis / 86400000). Java's division truncates toward zero, so a time of day
// before 1970 lands on the following day, as in Flink.
func TimestampToDate(ts Timestamp) int32 { return int32(ts.Millis / millisPerDay) }

// TimestampToTime is CAST(TIMESTAMP AS TIME), Flink's TimestampToTimeCastRule (after
// TruncateTimestamp for a smaller precision): (int) (millis % 86400000). Java's remainder
// is negative before 1970, as in Flink.
func TimestampToTime(ts Timestamp) int32 { return int32(ts.Millis % millisPerDay) }

// LTZToDate is CAST(TIMESTAMP_LTZ AS DATE) in the UTC session time zone
// (DateTimeUtils.timestampWithLocalZoneToDate): the instant's calendar day.
func LTZToDate(ts Timestamp) int32 {
	d := ts.Millis / millisPerDay
	if ts.Millis%millisPerDay < 0 {
		d--
	}
	return int32(d)
}

// LTZToTime is CAST(TIMESTAMP_LTZ AS TIME) in the UTC session time zone
// (DateTimeUtils.timestampWithLocalZoneToTime): the instant's millisecond of the day.
func LTZToTime(ts Timestamp) int32 {
	ms := ts.Millis % millisPerDay
	if ms < 0 {
		ms += millisPerDay
	}
	return int32(ms)
}

// CompareTimestamp orders two timestamps: -1, 0 or +1 (milliseconds, then nanoseconds).
func CompareTimestamp(a, b Timestamp) int {
	switch {
	case a.Millis < b.Millis:
		return -1
	case a.Millis > b.Millis:
		return 1
	case a.Nanos < b.Nanos:
		return -1
	case a.Nanos > b.Nanos:
		return 1
	}
	return 0
}
