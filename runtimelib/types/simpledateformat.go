package types

import (
	"errors"
	"strconv"
)

// SimpleDateFormat is a compiled java.text.SimpleDateFormat pattern with Locale.US in the
// UTC time zone, as Flink's FROM_UNIXTIME, UNIX_TIMESTAMP(s, p), TO_DATE(s, p) and
// DATE_FORMAT of a DATE or a string use it. It is immutable, so tasks share one.
//
// Dates are those of java.util.GregorianCalendar: Julian before 1582-10-15, Gregorian
// from then on; the year printed is the year of the era ('G' says AD or BC). Numbers are
// printed with at least as many digits as the letter is repeated ('S' is the
// millisecond as a number: "S" prints 5 for 5 ms, "SSS" 005), "yy" prints the last two
// digits of the year.
//
// Parsing is SimpleDateFormat's lenient parse: literals must match exactly, numbers may
// be preceded by spaces and tabs and have any number of digits (a number followed
// directly by another numeric field takes as many digits as its letter is repeated),
// month, day and AM/PM names match case-insensitively in their long and short forms,
// out-of-range values carry over (month 13 is January of the next year), a year of
// two digits with "y" or "yy" lands within the 100 years from 80 years before the
// formatter was compiled, and text after the pattern is ignored. Parsing supports the
// letters G y M L d H k K h a m s S D E X Z; the others (u F w W Y z) make ParseMillis
// fail with an *ErrParseLetter.
type SimpleDateFormat struct {
	items   []sdfItem
	noParse string
	// The 100-year window two-digit years parse into starts at centuryStart (epoch
	// milliseconds) in the year centuryStartYear.
	centuryStart     int64
	centuryStartYear int64
}

type sdfItem struct {
	tag   byte // the pattern letter; 0 for a literal
	count int
	lit   string
}

// sdfLetters are DateFormatSymbols.patternChars.
const sdfLetters = "GyMdkHmsSEDFwWahKzZYuXL"

// sdfNoParse are the letters ParseMillis does not support.
const sdfNoParse = "uFwWYz"

// CompileSimpleDateFormat compiles a SimpleDateFormat pattern; the error is Java's
// IllegalArgumentException message. Two-digit years parse relative to now.
func CompileSimpleDateFormat(pattern string) (*SimpleDateFormat, error) {
	return compileSimpleDateFormat(pattern, nowMillis())
}

func compileSimpleDateFormat(pattern string, now int64) (*SimpleDateFormat, error) {
	f := &SimpleDateFormat{}
	var quoted []byte
	inQuote := false
	var lastTag byte
	count := 0
	flush := func() {
		if count != 0 {
			f.items = append(f.items, sdfItem{tag: lastTag, count: count})
			lastTag, count = 0, 0
		}
	}
	lit := func(s string) { f.items = append(f.items, sdfItem{lit: s}) }
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '\'' {
			// '' is a single quote, inside a quoted section or not.
			if i+1 < len(pattern) && pattern[i+1] == '\'' {
				i++
				flush()
				if inQuote {
					quoted = append(quoted, '\'')
				} else {
					lit("'")
				}
				continue
			}
			if !inQuote {
				flush()
				quoted = quoted[:0]
				inQuote = true
			} else {
				if len(quoted) > 0 {
					lit(string(quoted))
				}
				inQuote = false
			}
			continue
		}
		if inQuote {
			quoted = append(quoted, c)
			continue
		}
		if !isASCIILetter(c) {
			flush()
			lit(pattern[i : i+1]) // bytes: a UTF-8 character stays whole
			continue
		}
		if indexByte(sdfLetters, c) < 0 {
			return nil, errors.New("Illegal pattern character '" + string(c) + "'")
		}
		if count == 0 || lastTag == c {
			lastTag = c
			count++
			continue
		}
		flush()
		lastTag, count = c, 1
	}
	if inQuote {
		return nil, errors.New("Unterminated quote")
	}
	flush()
	for _, it := range f.items {
		if it.tag == 'X' && it.count >= 4 {
			return nil, errors.New("invalid ISO 8601 format: length=" + strconv.Itoa(it.count))
		}
		if it.tag != 0 && f.noParse == "" && indexByte(sdfNoParse, it.tag) >= 0 {
			f.noParse = string(it.tag)
		}
	}
	// The default century starts 80 years before now (SimpleDateFormat.initialize).
	days, msOfDay := splitMillis(now)
	y, m, d := hybridFromDays(days)
	f.centuryStart = hybridToDays(y-80, m-1, d)*millisPerDay + msOfDay
	f.centuryStartYear = y - 80
	if f.centuryStartYear <= 0 {
		f.centuryStartYear = 1 - f.centuryStartYear
	}
	return f, nil
}

// UnparsableLetter returns the first pattern letter parsing does not support ("" if
// parsing supports the whole pattern).
func (f *SimpleDateFormat) UnparsableLetter() string { return f.noParse }

// gcal is a GregorianCalendar's fields for an instant in UTC.
type gcal struct {
	days, msOfDay int64
	year, month   int64 // proleptic year (0 is 1 BC), month 1..12
	day           int64
}

func newGcal(ms int64) gcal {
	days, msOfDay := splitMillis(ms)
	y, m, d := hybridFromDays(days)
	return gcal{days: days, msOfDay: msOfDay, year: y, month: m, day: d}
}

func (c *gcal) yearOfEra() int64 {
	if c.year > 0 {
		return c.year
	}
	return 1 - c.year
}

// weekOfYear is GregorianCalendar's WEEK_OF_YEAR and week year with Locale.US.
func (c *gcal) weekOfYear() (weekYear, week int64) {
	jan1 := hybridJan1(c.year, c.days)
	start := sundayOnOrBefore(c.days)
	var nextJan1 int64
	if c.days >= gregorianCutover || c.year == 1582 {
		nextJan1 = daysFromCivil(c.year+1, 1, 1)
	} else {
		nextJan1 = daysFromJulian(c.year+1, 1, 1)
	}
	if start >= sundayOnOrBefore(nextJan1) && floorMod(nextJan1+4, 7) != 0 {
		return c.year + 1, 1
	}
	return c.year, (start-sundayOnOrBefore(jan1))/7 + 1
}

// AppendMillis appends the instant formatted by the pattern.
func (f *SimpleDateFormat) AppendMillis(dst []byte, ms int64) []byte {
	c := newGcal(ms)
	hour := c.msOfDay / millisPerHour
	for _, it := range f.items {
		if it.tag == 0 {
			dst = append(dst, it.lit...)
			continue
		}
		n := it.count
		switch it.tag {
		case 'G':
			if c.year > 0 {
				dst = append(dst, "AD"...)
			} else {
				dst = append(dst, "BC"...)
			}
		case 'y':
			dst = appendYear(dst, c.yearOfEra(), n)
		case 'Y':
			wy, _ := c.weekOfYear()
			dst = appendYear(dst, wy, n)
		case 'M', 'L':
			switch {
			case n >= 4:
				dst = append(dst, monthNames[c.month-1]...)
			case n == 3:
				dst = append(dst, monthShortNames[c.month-1]...)
			default:
				dst = appendPadded(dst, c.month, n)
			}
		case 'd':
			dst = appendPadded(dst, c.day, n)
		case 'k':
			h := hour
			if h == 0 {
				h = 24
			}
			dst = appendPadded(dst, h, n)
		case 'H':
			dst = appendPadded(dst, hour, n)
		case 'm':
			dst = appendPadded(dst, c.msOfDay/millisPerMinute%60, n)
		case 's':
			dst = appendPadded(dst, c.msOfDay/millisPerSecond%60, n)
		case 'S':
			dst = appendPadded(dst, c.msOfDay%1000, n)
		case 'E':
			if n >= 4 {
				dst = append(dst, dayNames[isoDayOfWeek(c.days)-1]...)
			} else {
				dst = append(dst, dayShortNames[isoDayOfWeek(c.days)-1]...)
			}
		case 'u':
			dst = appendPadded(dst, isoDayOfWeek(c.days), n)
		case 'D':
			dst = appendPadded(dst, c.days-hybridJan1(c.year, c.days)+1, n)
		case 'F':
			dst = appendPadded(dst, (c.day-1)/7+1, n)
		case 'w':
			_, w := c.weekOfYear()
			dst = appendPadded(dst, w, n)
		case 'W':
			dst = appendPadded(dst, usWeekOfMonth(c.days, c.days-c.day+1), n)
		case 'a':
			dst = append(dst, ampmNames[hour/12]...)
		case 'h':
			h := hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPadded(dst, h, n)
		case 'K':
			dst = appendPadded(dst, hour%12, n)
		case 'z':
			if n >= 4 {
				dst = append(dst, "Coordinated Universal Time"...)
			} else {
				dst = append(dst, "UTC"...)
			}
		case 'Z':
			dst = append(dst, "+0000"...)
		case 'X':
			dst = append(dst, 'Z')
		}
	}
	return dst
}

// appendYear prints a year as SimpleDateFormat does: the last two digits for a count of
// 2, else at least count digits.
func appendYear(dst []byte, y int64, count int) []byte {
	if count != 2 {
		return appendPadded(dst, y, count)
	}
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	return appendPadded(dst, y%100, 2)
}

// Format is AppendMillis into a new string.
func (f *SimpleDateFormat) Format(ms int64) string {
	var buf [64]byte
	return string(f.AppendMillis(buf[:0], ms))
}

// ---- parsing ----

// sdfParsed holds the calendar fields a parse set, each with the order it was set in
// (Calendar's stamps decide between competing fields).
type sdfParsed struct {
	val   [nSdfFields]int64
	stamp [nSdfFields]int // 0: unset
	next  int
}

const (
	cEra = iota
	cYear
	cMonth
	cDayOfMonth
	cDayOfYear
	cDayOfWeek
	cHourOfDay
	cHour
	cAmPm
	cMinute
	cSecond
	cMillis
	cZoneOffset
	nSdfFields
)

func (p *sdfParsed) set(f int, v int64) {
	p.next++
	p.val[f], p.stamp[f] = v, p.next
}

func (p *sdfParsed) get(f int) int64 {
	if p.stamp[f] == 0 {
		return 0
	}
	return p.val[f]
}

// numericTag reports a field SimpleDateFormat parses as a number (shouldObeyCount).
func numericTag(tag byte, count int) bool {
	switch tag {
	case 'M', 'L':
		return count <= 2
	case 'y', 'd', 'k', 'H', 'm', 's', 'S', 'D', 'F', 'w', 'W', 'h', 'K', 'Y', 'u':
		return true
	}
	return false
}

// ParseMillis parses text as SimpleDateFormat.parse(String) does (see
// SimpleDateFormat); ok=false is Java's ParseException. err is an *ErrParseLetter for a
// pattern parsing does not support.
func (f *SimpleDateFormat) ParseMillis(s string) (ms int64, ok bool, err error) {
	if f.noParse != "" {
		return 0, false, &ErrParseLetter{f.noParse}
	}
	var p sdfParsed
	ambiguous := false
	pos := 0
	for i, it := range f.items {
		if it.tag == 0 {
			if len(s)-pos < len(it.lit) || s[pos:pos+len(it.lit)] != it.lit {
				return 0, false, nil
			}
			pos += len(it.lit)
			continue
		}
		obey := i+1 < len(f.items) && f.items[i+1].tag != 0 && numericTag(f.items[i+1].tag, f.items[i+1].count)
		var amb bool
		if pos, amb = f.subParse(s, pos, it, obey, &p); pos < 0 {
			return 0, false, nil
		}
		ambiguous = ambiguous || amb
	}
	if pos == 0 {
		return 0, false, nil // nothing parsed: ParseException
	}
	ms = p.establish()
	if ambiguous && ms < f.centuryStart {
		p.val[cYear] += 100
		ms = p.establish()
	}
	return ms, true, nil
}

// parseJavaNumber is DecimalFormat.parse with integers only: an optional '-' and ASCII
// digits, read as a long and narrowed to int (Number.intValue: a value beyond long is a
// double, which saturates).
func parseJavaNumber(s string, pos, end int) (v int64, next int, ok bool) {
	i := pos
	neg := i < end && s[i] == '-'
	if neg {
		i++
	}
	j := i
	for j < end && isDigit(s[j]) {
		j++
	}
	if j == i {
		return 0, pos, false
	}
	u, err := strconv.ParseUint(s[i:j], 10, 64)
	switch {
	case err == nil && (u <= 1<<63-1 || neg && u == 1<<63):
		n := int64(u)
		if neg {
			n = -n
		}
		v = int64(int32(n)) // Long.intValue
	case neg:
		v = -1 << 31
	default:
		v = 1<<31 - 1
	}
	return v, j, true
}

// matchText is SimpleDateFormat.matchString: the longest of names matching at pos,
// ignoring case.
func matchText(s string, pos int, names []string) (int, int) {
	best, bestLen := -1, 0
	for i, n := range names {
		if len(n) > bestLen && len(s)-pos >= len(n) && foldEqual(s[pos:pos+len(n)], n) {
			best, bestLen = i, len(n)
		}
	}
	return best, pos + bestLen
}

// foldEqual is String.regionMatches(true, ...) for ASCII names: equal ignoring ASCII
// case.
func foldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// subParse reads one field at pos; it returns the position after it, -1 on failure,
// and whether a two-digit year was the ambiguous one.
func (f *SimpleDateFormat) subParse(s string, pos int, it sdfItem, obey bool, p *sdfParsed) (int, bool) {
	start := pos
	// Spaces and tabs before a field are skipped; the end of the text fails.
	for {
		if pos >= len(s) {
			return -1, false
		}
		if s[pos] != ' ' && s[pos] != '\t' {
			break
		}
		pos++
	}
	actualStart := pos
	number := func() (int64, int, bool) {
		end := len(s)
		if obey {
			if start+it.count > len(s) {
				return 0, 0, false
			}
			end = start + it.count
		}
		return parseJavaNumber(s, pos, end)
	}
	switch it.tag {
	case 'G':
		i, next := matchText(s, start, []string{"BC", "AD"})
		if i < 0 {
			return -1, false
		}
		p.set(cEra, int64(i))
		return next, false
	case 'M', 'L':
		if it.count <= 2 {
			v, next, ok := number()
			if !ok {
				return -1, false
			}
			p.set(cMonth, v-1)
			return next, false
		}
		if i, next := matchText(s, start, monthNames[:]); i >= 0 {
			p.set(cMonth, int64(i))
			return next, false
		}
		if i, next := matchText(s, start, monthShortNames[:]); i >= 0 {
			p.set(cMonth, int64(i))
			return next, false
		}
		return -1, false
	case 'E':
		if i, next := matchText(s, start, dayNames[:]); i >= 0 {
			p.set(cDayOfWeek, int64(i)+1)
			return next, false
		}
		if i, next := matchText(s, start, dayShortNames[:]); i >= 0 {
			p.set(cDayOfWeek, int64(i)+1)
			return next, false
		}
		return -1, false
	case 'a':
		i, next := matchText(s, start, ampmNames[:])
		if i < 0 {
			return -1, false
		}
		p.set(cAmPm, int64(i))
		return next, false
	case 'Z', 'X':
		return parseZone(s, pos, start, it, p), false
	}
	v, next, ok := number()
	if !ok {
		return -1, false
	}
	switch it.tag {
	case 'y':
		ambiguous := false
		if it.count <= 2 && next-actualStart == 2 && isDigit(s[actualStart]) && isDigit(s[actualStart+1]) {
			amb := f.centuryStartYear % 100
			ambiguous = v == amb
			v += f.centuryStartYear / 100 * 100
			if v < amb+f.centuryStartYear/100*100 {
				v += 100
			}
		}
		p.set(cYear, v)
		return next, ambiguous
	case 'k':
		if v == 24 {
			v = 0
		}
		p.set(cHourOfDay, v)
	case 'h':
		if v == 12 {
			v = 0
		}
		p.set(cHour, v)
	default:
		p.set(sdfNumberField[it.tag], v)
	}
	return next, false
}

// sdfNumberField is the calendar field of the numeric letters without special rules.
var sdfNumberField = map[byte]int{'d': cDayOfMonth, 'H': cHourOfDay, 'K': cHour, 'm': cMinute,
	's': cSecond, 'S': cMillis, 'D': cDayOfYear}

// parseZone reads an RFC 822 ('Z': +hhmm, or GMT[+h[h][:mm]]) or ISO 8601 ('X': Z,
// +hh, +hhmm, +hh:mm by the count) offset.
func parseZone(s string, pos, start int, it sdfItem, p *sdfParsed) int {
	if it.tag == 'X' {
		if s[pos] == 'Z' {
			p.set(cZoneOffset, 0)
			return pos + 1
		}
		sign := int64(1)
		switch s[pos] {
		case '+':
		case '-':
			sign = -1
		default:
			return -1
		}
		return numericZone(s, pos+1, sign, it.count, it.count == 3, p)
	}
	switch s[pos] {
	case '+':
		return numericZone(s, pos+1, 1, 0, false, p)
	case '-':
		return numericZone(s, pos+1, -1, 0, false, p)
	}
	if len(s)-start >= 3 && foldEqual(s[start:start+3], "GMT") {
		pos = start + 3
		if pos < len(s) && (s[pos] == '+' || s[pos] == '-') {
			sign := int64(1)
			if s[pos] == '-' {
				sign = -1
			}
			return numericZone(s, pos+1, sign, 0, true, p)
		}
		p.set(cZoneOffset, 0)
		return pos
	}
	return -1 // zone names are not supported
}

// numericZone is subParseNumericZone: hh, then (unless count is 1) [':']mm.
func numericZone(s string, i int, sign int64, count int, colon bool, p *sdfParsed) int {
	if !digitAt(s, i) {
		return -1
	}
	hours := int64(s[i] - '0')
	i++
	if digitAt(s, i) {
		hours = hours*10 + int64(s[i]-'0')
		i++
	} else if count > 0 || !colon || i >= len(s) {
		return -1
	}
	if hours > 23 {
		return -1
	}
	var minutes int64
	if count != 1 {
		if colon {
			if i >= len(s) || s[i] != ':' {
				return -1
			}
			i++
		}
		if !digitAt(s, i) || !digitAt(s, i+1) {
			return -1
		}
		minutes = int64(s[i]-'0')*10 + int64(s[i+1]-'0')
		i += 2
		if minutes > 59 {
			return -1
		}
	}
	p.set(cZoneOffset, sign*(hours*60+minutes)*millisPerMinute)
	return i
}

// establish is GregorianCalendar.computeTime in lenient mode for the parsed fields
// (unset ones default to 1970-01-01 00:00:00.000 UTC).
func (p *sdfParsed) establish() int64 {
	year := int64(1970)
	if p.stamp[cYear] != 0 {
		year = p.val[cYear]
	}
	if p.stamp[cEra] != 0 && p.val[cEra] == 0 {
		year = 1 - year
	}
	// The date: the day of the month or of the year, whichever was set last; a day of
	// the week alone picks the first such day of the month.
	var days int64
	switch {
	case p.stamp[cDayOfYear] > p.stamp[cDayOfMonth]:
		days = hybridToDays(year, 0, 1) + p.val[cDayOfYear] - 1
	case p.stamp[cDayOfMonth] == 0 && p.stamp[cDayOfWeek] != 0:
		first := hybridToDays(year, p.get(cMonth), 1)
		want := p.val[cDayOfWeek] // ISO, 1 = Monday
		days = first + floorMod(want-isoDayOfWeek(first), 7)
	default:
		dom := int64(1)
		if p.stamp[cDayOfMonth] != 0 {
			dom = p.val[cDayOfMonth]
		}
		days = hybridToDays(year, p.get(cMonth), dom)
	}
	// The hour: HOUR_OF_DAY, or HOUR (+ 12 for PM), whichever was set last.
	var hour int64
	hourStamp := 0
	if p.stamp[cHour] != 0 && p.stamp[cAmPm] != 0 {
		hourStamp = max(p.stamp[cHour], p.stamp[cAmPm])
	}
	best := max(hourStamp, p.stamp[cHourOfDay])
	if best == 0 {
		best = max(p.stamp[cHour], p.stamp[cAmPm])
	}
	if best != 0 {
		if best == p.stamp[cHourOfDay] {
			hour = p.val[cHourOfDay]
		} else {
			hour = p.get(cHour)
			if p.stamp[cAmPm] != 0 {
				hour += 12 * p.val[cAmPm]
			}
		}
	}
	timeOfDay := ((hour*60+p.get(cMinute))*60+p.get(cSecond))*1000 + p.get(cMillis)
	days += timeOfDay / millisPerDay
	timeOfDay %= millisPerDay
	if timeOfDay < 0 {
		timeOfDay += millisPerDay
		days--
	}
	return days*millisPerDay + timeOfDay - p.get(cZoneOffset)
}
