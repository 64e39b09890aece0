package types

// CAST(string AS DATE / TIME / TIMESTAMP) as Flink's cast rules do it. These are not the
// csv/json field parsers (ParseDate, ParseTime, ParseTimestamp): Flink's formats and its
// CAST accept different texts.

// CastStringToDate is CAST(s AS DATE): Flink's DateTimeUtils.parseDate (via
// StringToDateCastRule and BinaryStringDataUtil.toDate). The text is cut at its first
// space (unless at index 0), split on '-' into y[-m[-d]] (a missing month or day is 1),
// each part trimmed of chars <= ' ' and all ASCII digits; the date must lie in
// 0000-01-01..9999-12-31: "10" is 0010-01-01, "2020-5" is 2020-05-01.
func CastStringToDate(s string) (int32, bool) {
	if ws := indexByte(s, ' '); ws > 0 {
		s = s[:ws]
	}
	var y, m, d int64 = 0, 1, 1
	ok := true
	if h1 := indexByte(s, '-'); h1 < 0 {
		y, ok = javaInt(s)
	} else if y, ok = javaInt(s[:h1]); ok {
		rest := s[h1+1:]
		if h2 := indexByte(rest, '-'); h2 < 0 {
			m, ok = javaInt(rest)
		} else if m, ok = javaInt(rest[:h2]); ok {
			d, ok = javaInt(rest[h2+1:])
		}
	}
	if !ok || !flinkLegalDate(y, m, d) {
		return 0, false
	}
	return int32(daysFromCivil(y, m, d)), true
}

// flinkLegalDate is DateTimeUtils.isIllegalDate (which, despite its name, is true for a
// legal date): year 0..9999, month 1..12, day 1..31 and within the month.
func flinkLegalDate(y, m, d int64) bool {
	return y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
}

// javaInt is Flink's isInteger(part.trim()) followed by Integer.parseInt: after trimming
// chars <= ' ', one or more ASCII digits whose value fits an int.
func javaInt(part string) (int64, bool) {
	part = javaTrim(part)
	if part == "" {
		return 0, false
	}
	var v int64
	for i := 0; i < len(part); i++ {
		c := part[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
		if v > 1<<31-1 {
			return 0, false // NumberFormatException
		}
	}
	return v, true
}

// javaTrim is String.trim: strips chars <= ' ' (all ASCII) from both ends.
func javaTrim(s string) string { return stringOf(TrimSpace(bytesOf(s))) }

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// CastStringToTime is CAST(s AS TIME(precision)): Flink's DateTimeUtils.parseTime (via
// StringToTimeCastRule), then the milliseconds beyond the precision dropped.
// parseTime reads "h[:m[:s[.fraction]]]", each part trimmed and all ASCII digits, with
// no range checks ("25:70" is accepted as 25*3600000+70*60000 ms, in int arithmetic).
// The first '-' (else the first '+') in the text starts a zone offset "hh[:mm]" that
// Flink adds to the time with the sign of '+' = +1 and '-' = -1 ("12-01" is 11:00). The
// fraction (after the first '.' from the second colon) is read like parseFraction: its
// first three characters as milliseconds (non-digits count as 0), plus one when the
// fourth character is >= '5'.
func CastStringToTime(s string, precision int) (int32, bool) {
	ms, ok := flinkParseTime(s)
	if !ok {
		return 0, false
	}
	if precision < 3 {
		f := int32(1000)
		if precision == 1 {
			f = 100
		} else if precision == 2 {
			f = 10
		}
		ms = ms / f * f
	}
	return ms, true
}

func flinkParseTime(v string) (int32, bool) {
	colon1 := indexByte(v, ':')
	end := len(v)
	operator := int64(-1)
	tz := indexByte(v, '-')
	if tz < 0 {
		tz = indexByte(v, '+')
		operator = 1
	}
	// sub is v.substring(a, b), which throws (the cast fails) when a > b.
	sub := func(a, b int) (string, bool) {
		if a > b || b > len(v) {
			return "", false
		}
		return v[a:b], true
	}
	var tzHour, tzMinute int64
	ok := true
	if tz >= 0 {
		end = tz
		if colon3 := indexByte(v[tz:], ':'); colon3 < 0 {
			tzHour, ok = javaInt(v[tz+1:])
		} else {
			colon3 += tz
			tzHour, ok = javaInt(v[tz+1 : colon3])
			if ok {
				tzMinute, ok = javaInt(v[colon3+1:])
			}
		}
		if !ok {
			return 0, false
		}
	}
	var hour, minute, second, milli int64
	part := func(a, b int) (int64, bool) {
		p, ok := sub(a, b)
		if !ok {
			return 0, false
		}
		return javaInt(p)
	}
	if colon1 < 0 {
		if hour, ok = part(0, end); !ok {
			return 0, false
		}
	} else {
		if hour, ok = part(0, colon1); !ok {
			return 0, false
		}
		colon2 := indexByte(v[colon1+1:], ':')
		if colon2 < 0 {
			if minute, ok = part(colon1+1, end); !ok {
				return 0, false
			}
		} else {
			colon2 += colon1 + 1
			if minute, ok = part(colon1+1, colon2); !ok {
				return 0, false
			}
			if dot := indexByte(v[colon2:], '.'); dot < 0 {
				if second, ok = part(colon2+1, end); !ok {
					return 0, false
				}
			} else {
				dot += colon2
				if second, ok = part(colon2+1, dot); !ok {
					return 0, false
				}
				f, ok := sub(dot+1, end)
				if !ok {
					return 0, false
				}
				milli = parseFraction(javaTrim(f))
			}
		}
	}
	hour += operator * tzHour
	minute += operator * tzMinute
	// Java int arithmetic: the sum wraps like int32.
	return int32(hour*millisPerHour + minute*millisPerMinute + second*millisPerSecond + milli), true
}

// parseFraction is DateTimeUtils.parseFraction over the UTF-16 chars of v: the first
// three chars as hundreds, tens and units of milliseconds (a non-digit counts as 0),
// plus one when a fourth char exists and is >= '5'.
func parseFraction(v string) int64 {
	var units []rune // UTF-16 code units, enough of them
	for _, r := range v {
		if r > 0xffff {
			units = append(units, 0xd800, 0xdc00) // a surrogate pair; both are non-digits >= '5'
		} else {
			units = append(units, r)
		}
		if len(units) >= 4 {
			break
		}
	}
	mult := int64(100)
	var r int64
	for i, c := range units {
		x := int64(0)
		if c >= '0' && c <= '9' {
			x = int64(c - '0')
		}
		r += mult * x
		if mult < 10 {
			if i+1 < len(units) && units[i+1] >= '5' {
				r++
			}
			break
		}
		mult /= 10
	}
	return r
}

// CastStringToTimestamp is CAST(s AS TIMESTAMP(precision)) (and TIMESTAMP_LTZ, read in
// UTC): Flink's DateTimeUtils.parseTimestampData(s, precision), which parses the whole
// text, untrimmed, with the java.time formatter
//
//	"yyyy-[MM][M]-[dd][d]" then optionally " [HH][H]:[mm][m]:[ss][s]" and a fraction
//	of 0..9 digits after '.'
//
// in ResolverStyle.SMART, and fills absent fields with their defaults (month and day 1,
// time fields 0). So the year has exactly 4 digits; "2020-1-2", "2020-01-02 3:4:5.6" and
// even "2020-01-02 12::" parse; a day 29..31 beyond the end of its month is clamped
// ("2021-02-30" is 2021-02-28); "24:00[:00[.0…]]" is midnight of the next day. The
// fraction is floored to precision. Years written with a sign ("+10000-01-01", which
// java.time accepts) are not supported: the cast fails.
func CastStringToTimestamp(s string, precision int) (Timestamp, bool) {
	i := 0
	// yyyy: EXCEEDS_PAD in strict parsing: exactly 4 digits without a sign.
	if len(s) < 4 || !allDigits(s[:4]) || len(s) > 4 && isDigit(s[4]) {
		return Timestamp{}, false
	}
	year := int64(s[0]-'0')*1000 + int64(s[1]-'0')*100 + int64(s[2]-'0')*10 + int64(s[3]-'0')
	i = 4
	lit := func(c byte) bool {
		if i < len(s) && s[i] == c {
			i++
			return true
		}
		return false
	}
	var month, day, hour, minute, second, nano int64
	var hasMonth, hasDay, hasHour, hasMinute, hasSecond, hasNano bool
	bad := false
	field := func(v *int64, has *bool) {
		var st int
		*v, st, i = optPair(s, i)
		*has = st != fieldAbsent
		bad = bad || st == fieldBad
	}
	if !lit('-') {
		return Timestamp{}, false
	}
	field(&month, &hasMonth)
	if !lit('-') {
		return Timestamp{}, false
	}
	field(&day, &hasDay)
	if i < len(s) {
		// The optional time section; if it does not match, the text is left unparsed.
		if !lit(' ') {
			return Timestamp{}, false
		}
		field(&hour, &hasHour)
		if !lit(':') {
			return Timestamp{}, false
		}
		field(&minute, &hasMinute)
		if !lit(':') {
			return Timestamp{}, false
		}
		field(&second, &hasSecond)
		if lit('.') {
			hasNano = true
			j := i
			for j < len(s) && j-i < 9 && isDigit(s[j]) {
				nano = nano*10 + int64(s[j]-'0')
				j++
			}
			for k := j - i; k < 9; k++ {
				nano *= 10
			}
			i = j
		}
		if i != len(s) {
			return Timestamp{}, false
		}
	}
	if bad || year < 1 {
		return Timestamp{}, false
	}
	// Date: resolved (SMART, clamping the day) only when month and day are both there;
	// otherwise LocalDateTime.of checks the defaulted fields strictly.
	if hasMonth && hasDay {
		if month < 1 || month > 12 || day < 1 || day > 31 {
			return Timestamp{}, false
		}
		day = min(day, daysInMonth(year, month))
	}
	if !hasMonth {
		month = 1
	}
	if !hasDay {
		day = 1
	}
	if month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) {
		return Timestamp{}, false
	}
	// Time: Parsed.resolveTimeLenient resolves it when the hour is there and the present
	// fields have no gap before the fraction; only then is 24:00 the next midnight.
	nextDay := false
	if hasHour && !(!hasMinute && (hasSecond || hasNano)) && !(hasMinute && !hasSecond && hasNano) &&
		hour == 24 && minute == 0 && second == 0 && nano == 0 {
		hour = 0
		nextDay = hasMonth && hasDay // the extra day is kept only with a resolved date
	}
	if hour > 23 || minute > 59 || second > 59 {
		return Timestamp{}, false
	}
	if precision <= 0 {
		nano = 0
	} else if precision < 9 {
		unit := int64(1)
		for k := precision; k < 9; k++ {
			unit *= 10
		}
		nano -= nano % unit
	}
	days := daysFromCivil(year, month, day)
	if nextDay {
		days++
	}
	return Timestamp{
		Millis: days*millisPerDay + hour*millisPerHour + minute*millisPerMinute + second*millisPerSecond + nano/1_000_000,
		Nanos:  int32(nano % 1_000_000),
	}, true
}

const (
	fieldAbsent = iota
	fieldOK
	fieldBad // present with a value no field accepts (negative)
)

// optPair parses java.time's optional sections "[XX][X]" at s[i:]: [XX] is exactly two
// digits; [X] is 1..19 digits with an optional '-' sign (SignStyle.NORMAL). When both
// match they must agree ("1212" is 12; "123" leaves "3" unparsed), a disagreeing [X] is
// rolled back. A negative value is a failure later, except "-0…", which strict parsing
// rejects (rolled back: the field is absent).
func optPair(s string, i int) (v int64, state int, next int) {
	if i+1 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) {
		v = int64(s[i]-'0')*10 + int64(s[i+1]-'0')
		j := i + 2
		w, k, ok := digitRun(s, j)
		if ok && w == v {
			j = k
		}
		return v, fieldOK, j
	}
	if i < len(s) && isDigit(s[i]) {
		return int64(s[i] - '0'), fieldOK, i + 1
	}
	if i < len(s) && s[i] == '-' {
		if w, k, ok := digitRun(s, i+1); ok && w != 0 {
			return 0, fieldBad, k
		}
	}
	return 0, fieldAbsent, i
}

// digitRun reads up to 19 digits at s[i:] as NumberPrinterParser does (an int64
// overflow backs off one digit); ok is false when there are none.
func digitRun(s string, i int) (v int64, next int, ok bool) {
	j := i
	for j < len(s) && j-i < 19 && isDigit(s[j]) {
		j++
	}
	if j == i {
		return 0, i, false
	}
	for k := i; k < j; k++ {
		d := int64(s[k] - '0')
		if v > (1<<63-1-d)/10 {
			return v, k, true // backs off: the value is that of the digits before k
		}
		v = v*10 + d
	}
	return v, j, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
