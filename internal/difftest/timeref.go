package difftest

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The reference evaluation of the time functions (timefn.go), written from Flink's
// DateTimeUtils, its generated code (ExtractCallGen, FloorCeilCallGen,
// TimestampDiffCallGen, ScalarOperatorGens) and the Java classes they call
// (java.time.format.DateTimeFormatter, java.text.SimpleDateFormat,
// java.util.GregorianCalendar, java.sql.Timestamp.valueOf), with dates from Go's time
// package. It shares nothing with the compiler's runtime. The session time zone is UTC.

const msPerDay = 86400000

// dayTime is the UTC midnight of an epoch day.
func dayTime(days int64) time.Time { return time.Unix(days*86400, 0).UTC() }

// epochDay is the epoch day of a time's date.
func epochDay(t time.Time) int64 {
	y, m, d := t.Date()
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

// applyTime evaluates the time operators; ok=false for others. Every one is NULL when an
// argument is.
func (e *Expr) applyTime(args []Value) (Value, bool, error) {
	switch e.Op {
	case "extract", "floorto", "tsadd", "tsdiff":
	case "fn":
		switch e.Name {
		case "DATE_FORMAT", "FROM_UNIXTIME", "UNIX_TIMESTAMP", "TO_DATE", "TO_TIMESTAMP", "TO_TIMESTAMP_LTZ":
		default:
			return Value{}, false, nil
		}
	default:
		return Value{}, false, nil
	}
	for _, a := range args {
		if a.Null {
			return nullValue, true, nil
		}
	}
	switch e.Op {
	case "extract":
		return Value{I: refExtract(e.Name, args[0], e.Args[0].T)}, true, nil
	case "floorto":
		return refFloorCeil(e.Text, e.Name != "FLOOR", args[0], e.Args[0].T), true, nil
	case "tsadd":
		return refTimestampAdd(e.Text, args[0].I, args[1], e.Args[1].T, e.T), true, nil
	case "tsdiff":
		return Value{I: refTimestampDiff(e.Text, epochMs(args[0], e.Args[0].T), epochMs(args[1], e.Args[1].T))}, true, nil
	}
	x, xt := args[0], e.Args[0].T
	pattern := func(def string) string {
		if len(args) > 1 {
			return args[1].S
		}
		return def
	}
	switch e.Name {
	case "DATE_FORMAT":
		switch {
		case xt.Kind.isTimestamp():
			return Value{S: refFormatJavaTime(args[1].S, x)}, true, nil
		case xt.Kind == Date:
			// formatDateString: the date's "yyyy-MM-dd" text read by SimpleDateFormat.
			y, m, d := civil(x.I)
			if y < 0 || y > 9999 {
				return nullValue, true, nil // not generated: the data has no such dates
			}
			ms, ok := refParseSimple("yyyy-MM-dd", javaYear(y)+"-"+pad2(int64(m))+"-"+pad2(int64(d)))
			if !ok {
				return nullValue, true, nil
			}
			return Value{S: refFormatSimple(args[1].S, ms)}, true, nil
		}
		ms, ok := refParseSimple("yyyy-MM-dd HH:mm:ss", x.S)
		if !ok {
			return nullValue, true, nil
		}
		return Value{S: refFormatSimple(args[1].S, ms)}, true, nil
	case "FROM_UNIXTIME":
		return Value{S: refFormatSimple(pattern("yyyy-MM-dd HH:mm:ss"), x.I*1000)}, true, nil
	case "UNIX_TIMESTAMP":
		ms, ok := refParseSimple(pattern("yyyy-MM-dd HH:mm:ss"), x.S)
		if !ok {
			return Value{I: -1 << 63}, true, nil // Long.MIN_VALUE, as Flink documents
		}
		return Value{I: ms / 1000}, true, nil // Java's division: toward zero
	case "TO_DATE":
		if len(args) == 1 {
			// DateTimeUtils.parseDate(s): CAST's reading, NULL when it fails.
			v, ok := castValue(x, tString, tDate)
			if !ok {
				return nullValue, true, nil
			}
			return v, true, nil
		}
		ms, ok := refParseSimple(args[1].S, x.S)
		if !ok {
			return nullValue, true, nil // Flink: a meaningless date (docs/sql.md)
		}
		return Value{I: floorDiv(ms, msPerDay)}, true, nil
	case "TO_TIMESTAMP":
		if len(args) == 1 {
			v, ok := castValue(x, tString, tTimestamp(3))
			if !ok {
				return nullValue, true, nil
			}
			return v, true, nil
		}
		v, ok := refToTimestamp(args[1].S, x.S)
		if !ok {
			return nullValue, true, nil
		}
		return v, true, nil
	case "TO_TIMESTAMP_LTZ":
		return refToTimestampLTZ(x, xt, args[1].I), true, nil
	}
	return Value{}, false, nil
}

// ---- EXTRACT ----

var dateUnits = map[string]bool{"YEAR": true, "QUARTER": true, "MONTH": true, "WEEK": true,
	"DAY": true, "DOW": true, "ISODOW": true, "DOY": true, "ISOYEAR": true, "DECADE": true,
	"CENTURY": true, "MILLENNIUM": true}

// timeUnitMs is a unit's length and the unit above it (the "factor" of ExtractCallGen).
var timeUnitMs = map[string][2]int64{
	"HOUR": {3600000, msPerDay}, "MINUTE": {60000, 3600000}, "SECOND": {1000, 60000},
	"MILLISECOND": {1, 1000},
}

func refExtract(unit string, v Value, t Type) int64 {
	switch {
	case t.Kind == Date:
		if unit == "EPOCH" {
			return v.I * 86400
		}
		return dateUnit(unit, v.I)
	case t.Kind == Time:
		u := timeUnitMs[unit]
		return v.I % u[1] / u[0]
	}
	// A TIMESTAMP (or TIMESTAMP_LTZ in UTC): Java's / and % on the epoch milliseconds.
	switch {
	case dateUnits[unit]:
		return dateUnit(unit, v.I/msPerDay)
	case unit == "EPOCH":
		return v.I / 1000
	case unit == "MICROSECOND":
		return v.I%1000*1000 + int64(v.N)/1000
	case unit == "NANOSECOND":
		return v.I%1000*1000000 + int64(v.N)
	}
	u := timeUnitMs[unit]
	return v.I % u[1] / u[0]
}

// dateUnit is a unit of a date (DateTimeUtils.julianExtract).
func dateUnit(unit string, days int64) int64 {
	t := dayTime(days)
	y := int64(t.Year())
	switch unit {
	case "YEAR":
		return y
	case "QUARTER":
		return (int64(t.Month()) + 2) / 3
	case "MONTH":
		return int64(t.Month())
	case "DAY":
		return int64(t.Day())
	case "DOW":
		return int64(t.Weekday()) + 1 // Sunday is 1
	case "ISODOW":
		return (int64(t.Weekday())+6)%7 + 1 // Monday is 1
	case "DOY":
		return int64(t.YearDay())
	case "WEEK":
		_, w := t.ISOWeek()
		return int64(w)
	case "ISOYEAR":
		iy, _ := t.ISOWeek()
		return int64(iy)
	case "DECADE":
		return y / 10
	case "CENTURY":
		if y > 0 {
			return (y + 99) / 100
		}
		return (y - 99) / 100
	case "MILLENNIUM":
		if y > 0 {
			return (y + 999) / 1000
		}
		return (y - 999) / 1000
	}
	panic("difftest: unit " + unit)
}

// ---- FLOOR / CEIL ----

func refFloorCeil(unit string, ceil bool, v Value, t Type) Value {
	floorMs := func(x, b int64) int64 { return floorDiv(x, b) * b }
	switch t.Kind {
	case Time:
		b := timeUnitMs[unit][0]
		if ceil {
			return Value{I: -floorMs(-v.I, b)}
		}
		return Value{I: floorMs(v.I, b)}
	case Date:
		if unit == "DAY" {
			return v
		}
		return Value{I: refDateFloor(unit, v.I, ceil)}
	}
	switch unit {
	case "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND":
		b := int64(msPerDay)
		if unit != "DAY" {
			b = timeUnitMs[unit][0]
		}
		if ceil {
			return Value{I: -floorMs(-v.I, b)}
		}
		return Value{I: floorMs(v.I, b)}
	}
	// DateTimeUtils.unixTimestampFloor/Ceil: the date as millis / 86400000 toward zero,
	// the time of day ignored, the nanoseconds dropped.
	return Value{I: refDateFloor(unit, v.I/msPerDay, ceil) * msPerDay}
}

// refDateFloor is DateTimeUtils.julianDateFloor on the date's fields: YEAR, QUARTER and
// MONTH move up only from a date after the unit's first day; DECADE, CENTURY and
// MILLENNIUM always move up for CEIL; WEEK goes to a Sunday.
//
// julianDateFloor reads a day before 1582-10-15 (Julian day number 2299160 and before) in
// the Julian calendar and builds the result from those fields as a Gregorian date, so
// there the result is off by the calendars' difference (Flink's quirk, kept).
func refDateFloor(unit string, days int64, ceil bool) int64 {
	t := dayTime(days)
	y, m, d := t.Year(), int(t.Month()), t.Day()
	if days+2440588 <= 2299160 {
		jy, jm, jd := julianDate(days)
		y, m, d = int(jy), int(jm), int(jd)
	}
	at := func(y, m int) int64 { return epochDay(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)) }
	switch unit {
	case "YEAR":
		if ceil && (m > 1 || d > 1) {
			y++
		}
		return at(y, 1)
	case "MONTH":
		if ceil && d > 1 {
			m++
		}
		return at(y, m)
	case "QUARTER":
		q := (m + 2) / 3
		if ceil && (m > 1 || d > 1) {
			q++ // Flink's test: not "month > 1 of the quarter", so April 1st moves to July
		}
		return at(y, q*3-2)
	case "WEEK":
		off := int64(t.Weekday())
		if ceil && off > 0 {
			off -= 7
		}
		return epochDay(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)) - off
	case "DECADE":
		if ceil {
			return at(10*(1+y/10), 1)
		}
		return at(10*(y/10), 1)
	case "CENTURY":
		if ceil {
			return at(100*((y+99)/100)+1, 1)
		}
		return at(100*((y+99)/100)-99, 1)
	case "MILLENNIUM":
		if ceil {
			return at(1000*((y+999)/1000)+1, 1)
		}
		return at(1000*((y+999)/1000)-999, 1)
	}
	panic("difftest: floor unit " + unit)
}

// ---- TIMESTAMPADD / TIMESTAMPDIFF ----

var dayTimeUnitMs = map[string]int64{"WEEK": 7 * msPerDay, "DAY": msPerDay, "HOUR": 3600000,
	"MINUTE": 60000, "SECOND": 1000, "MILLISECOND": 1}

var monthUnits = map[string]int64{"YEAR": 12, "QUARTER": 3, "MONTH": 1}

// addMonthsClamped moves an epoch day by months, keeping the day of month unless the new
// month is shorter (DateTimeUtils.addMonths).
func addMonthsClamped(days, months int64) int64 {
	t := dayTime(days)
	total := int64(t.Year())*12 + int64(t.Month()) - 1 + months
	y, m := floorDiv(total, 12), floorMod(total, 12)+1
	last := time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := min(t.Day(), last)
	return epochDay(time.Date(int(y), time.Month(m), d, 0, 0, 0, 0, time.UTC))
}

func refTimestampAdd(unit string, n int64, x Value, xt, rt Type) Value {
	if k, ok := monthUnits[unit]; ok {
		months := int64(int32(n * k)) // the interval is an int
		switch xt.Kind {
		case Time:
			return x
		case Date:
			return Value{I: addMonthsClamped(x.I, months)}
		}
		days, ms := floorDiv(x.I, msPerDay), floorMod(x.I, msPerDay)
		return Value{I: addMonthsClamped(days, months)*msPerDay + ms, N: x.N}
	}
	delta := n * dayTimeUnitMs[unit]
	switch {
	case xt.Kind == Time:
		return Value{I: (x.I + msPerDay + int64(int32(delta%msPerDay))) % msPerDay}
	case xt.Kind == Date && rt.Kind == Date:
		return Value{I: x.I + delta/msPerDay}
	case xt.Kind == Date:
		return Value{I: x.I*msPerDay + delta}
	}
	return Value{I: x.I + delta, N: x.N}
}

// epochMs is a TIMESTAMPDIFF operand as epoch milliseconds (a DATE's midnight).
func epochMs(v Value, t Type) int64 {
	if t.Kind == Date {
		return v.I * msPerDay
	}
	return v.I
}

// monthsBetween is DateTimeUtils.subtractMonths(t0, t1): the whole months from t1 to
// t0, counted on the dates (the largest m with t1's date plus m months, clamped, not
// after t0's date), then one less when t0's date is reached but its time of day is
// earlier than t1's.
func monthsBetween(t0, t1 int64) int64 {
	d0, ms0 := floorDiv(t0, msPerDay), floorMod(t0, msPerDay)
	d1, ms1 := floorDiv(t1, msPerDay), floorMod(t1, msPerDay)
	whole := func(from, to int64) int64 { // from <= to
		a, b := dayTime(from), dayTime(to)
		m := (int64(b.Year())-int64(a.Year()))*12 + int64(b.Month()) - int64(a.Month())
		for m > 0 && addMonthsClamped(from, m) > to {
			m--
		}
		for addMonthsClamped(from, m+1) <= to {
			m++
		}
		return m
	}
	var x int64
	if d0 >= d1 {
		x = whole(d1, d0)
	} else {
		x = -whole(d0, d1)
	}
	if addMonthsClamped(d1, x) == d0 && ms0 < ms1 {
		x--
	}
	return x
}

func refTimestampDiff(unit string, a, b int64) int64 {
	if k, ok := monthUnits[unit]; ok {
		return int64(int32(monthsBetween(b, a) / k))
	}
	return int64(int32((b - a) / dayTimeUnitMs[unit]))
}

// ---- TO_TIMESTAMP_LTZ ----

func refToTimestampLTZ(x Value, xt Type, precision int64) Value {
	const minS, maxS = -62167219200, 253402300799
	inRange := func(ms int64) Value {
		if ms < minS*1000 || ms > maxS*1000+999 {
			return nullValue
		}
		return Value{I: ms}
	}
	switch {
	case xt.Kind.isInteger():
		if precision == 0 {
			if x.I < minS || x.I > maxS {
				return nullValue
			}
			return inRange(x.I * 1000)
		}
		return inRange(x.I)
	case xt.Kind.isApprox():
		// DateTimeUtils.toTimestampData(double, precision): Java's casts.
		if precision == 0 {
			if !(x.F >= minS && x.F <= maxS) {
				return nullValue
			}
			return inRange(javaD2L(x.F * 1000))
		}
		return inRange(javaD2L(x.F))
	}
	// DECIMAL: setScale(0, DOWN).longValue(), the low 64 bits of the integer part.
	ip := new(big.Int).Quo(x.D, pow10(xt.S))
	v := low64(ip)
	if precision == 0 {
		v *= 1000
	}
	return inRange(v)
}

// ---- java.time patterns (DATE_FORMAT of a TIMESTAMP) ----

// patternRun is one element of a date pattern: a run of one letter, or literal text.
type patternRun struct {
	letter byte
	n      int
	text   string
	opt    []patternRun // an optional section [...] (java.time)
}

// splitPattern splits a date pattern into runs; optional marks java.time's [ ] sections.
func splitPattern(p string, optional bool) []patternRun {
	var out []patternRun
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(p) && p[j] == c {
				j++
			}
			out = append(out, patternRun{letter: c, n: j - i})
			i = j - 1
		case c == '\'':
			// 'text' with '' for a quote; '' alone is a quote.
			var b strings.Builder
			j := i + 1
			if j < len(p) && p[j] == '\'' {
				out = append(out, patternRun{text: "'"})
				i = j
				continue
			}
			for ; j < len(p); j++ {
				if p[j] == '\'' {
					if j+1 < len(p) && p[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(p[j])
			}
			out = append(out, patternRun{text: b.String()})
			i = j
		case c == '[' && optional:
			depth, j := 1, i+1
			for ; j < len(p) && depth > 0; j++ {
				switch p[j] {
				case '[':
					depth++
				case ']':
					depth--
				}
			}
			inner := p[i+1 : j-1]
			out = append(out, patternRun{opt: splitPattern(inner, true)})
			i = j - 1
		default:
			out = append(out, patternRun{text: p[i : i+1]}) // bytes: UTF-8 stays whole
		}
	}
	return out
}

var (
	refMonths = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	refDays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// usWeeks is the Locale.US week of a date: week-based year, week of it and week of the
// month; weeks run Sunday to Saturday and the week holding January 1st (or the 1st of
// the month) is week 1.
func usWeeks(days int64, y int, doy, dom int) (wy, w, wm int64) {
	jan1 := dayTime(days - int64(doy) + 1)
	w = int64((doy-1+int(jan1.Weekday()))/7 + 1)
	wy = int64(y)
	next := epochDay(time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC))
	if weekStart := days - int64(dayTime(days).Weekday()); weekStart+6 >= next {
		wy, w = wy+1, 1
	}
	first := dayTime(days - int64(dom) + 1)
	wm = int64((dom-1+int(first.Weekday()))/7 + 1)
	return
}

func padN(v int64, n int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	for len(s) < n {
		s = "0" + s
	}
	if neg {
		return "-" + s
	}
	return s
}

// yearText prints a year field as java.time's appendValue does: two letters are the
// last two digits; three or fewer print the sign of a negative year; four or more also
// print '+' for a year wider than the letters.
func yearText(v int64, n int) string {
	switch {
	case n == 2:
		if v < 0 {
			v = -v
		}
		return padN(v%100, 2)
	case n >= 4 && v >= 0 && len(strconv.FormatInt(v, 10)) > n:
		return "+" + padN(v, n)
	}
	return padN(v, n)
}

func refFormatJavaTime(pattern string, v Value) string {
	days, nod := tsSplit(v)
	t := dayTime(days)
	y, mo, d := t.Year(), int(t.Month()), t.Day()
	doy := t.YearDay()
	wy, w, wm := usWeeks(days, y, doy, d)
	hour := nod / 3600000000000
	var b strings.Builder
	var emit func(runs []patternRun) bool
	emit = func(runs []patternRun) bool {
		for _, r := range runs {
			if r.opt != nil {
				var save strings.Builder
				save.WriteString(b.String())
				if !emit(r.opt) {
					b.Reset()
					b.WriteString(save.String())
				}
				continue
			}
			if r.letter == 0 {
				b.WriteString(r.text)
				continue
			}
			n := r.n
			text := func(full string, short string) {
				switch {
				case n == 4:
					b.WriteString(full)
				case n == 5:
					b.WriteString(full[:1])
				default:
					b.WriteString(short)
				}
			}
			num := func(v int64) {
				if n == 1 {
					b.WriteString(strconv.FormatInt(v, 10))
				} else {
					b.WriteString(padN(v, n))
				}
			}
			switch r.letter {
			case 'y':
				yoe := int64(y)
				if y <= 0 {
					yoe = int64(1 - y)
				}
				b.WriteString(yearText(yoe, n))
			case 'u':
				b.WriteString(yearText(int64(y), n))
			case 'Y':
				b.WriteString(yearText(wy, n))
			case 'M', 'L':
				if n <= 2 {
					num(int64(mo))
				} else {
					text(refMonths[mo-1], refMonths[mo-1][:3])
				}
			case 'd':
				num(int64(d))
			case 'D':
				num(int64(doy))
			case 'H':
				num(hour)
			case 'k':
				num((hour+23)%24 + 1)
			case 'K':
				num(hour % 12)
			case 'h':
				num((hour+11)%12 + 1)
			case 'm':
				num(nod / 60000000000 % 60)
			case 's':
				num(nod / 1000000000 % 60)
			case 'S':
				b.WriteString(padN(nod%1000000000, 9)[:n])
			case 'n':
				num(nod % 1000000000)
			case 'N':
				num(nod)
			case 'A':
				num(nod / 1000000)
			case 'a':
				b.WriteString([]string{"AM", "PM"}[hour/12])
			case 'E':
				day := refDays[t.Weekday()]
				text(day, day[:3])
			case 'e', 'c':
				if n <= 2 {
					num(int64(t.Weekday()) + 1)
				} else {
					day := refDays[t.Weekday()]
					text(day, day[:3])
				}
			case 'Q', 'q':
				q := (mo + 2) / 3
				switch n {
				case 1, 5:
					b.WriteString(strconv.Itoa(q))
				case 2:
					b.WriteString(padN(int64(q), 2))
				case 3:
					b.WriteString("Q" + strconv.Itoa(q))
				case 4:
					b.WriteString([]string{"1st", "2nd", "3rd", "4th"}[q-1] + " quarter")
				}
			case 'G':
				era := []string{"AD", "Anno Domini", "A"}
				if y <= 0 {
					era = []string{"BC", "Before Christ", "B"}
				}
				switch {
				case n == 4:
					b.WriteString(era[1])
				case n == 5:
					b.WriteString(era[2])
				default:
					b.WriteString(era[0])
				}
			case 'w':
				num(w)
			case 'W':
				num(wm)
			case 'F':
				num(int64((d-1)%7 + 1))
			case 'g':
				num(days + 40587)
			default:
				return false // a zone or offset: not in a LocalDateTime
			}
		}
		return true
	}
	emit(splitPattern(pattern, true))
	return b.String()
}

// ---- SimpleDateFormat (DATE_FORMAT of a DATE or string, FROM_UNIXTIME, UNIX_TIMESTAMP,
// TO_DATE) ----

// cutoverDay is 1582-10-15, GregorianCalendar's first Gregorian day.
var cutoverDay = epochDay(time.Date(1582, 10, 15, 0, 0, 0, 0, time.UTC))

// julianDate is the Julian calendar date of an epoch day (Richards' algorithm from the
// Julian day number).
func julianDate(days int64) (y, m, d int64) {
	c := days + 2440588 + 32082
	dd := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*dd, 4)
	mm := floorDiv(5*e+2, 153)
	d = e - floorDiv(153*mm+2, 5) + 1
	m = mm + 3 - 12*floorDiv(mm, 10)
	y = dd - 4800 + floorDiv(mm, 10)
	return
}

// julianDays is the epoch day of a Julian calendar date (the inverse of julianDate).
func julianDays(y, m, d int64) int64 {
	a := floorDiv(14-m, 12)
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + floorDiv(153*mm+2, 5) + 365*yy + floorDiv(yy, 4) - 32083 - 2440588
}

// hybridDate is GregorianCalendar's date of an epoch day and the epoch day of January 1st
// of its year.
func hybridDate(days int64) (y, m, d, jan1 int64) {
	if days >= cutoverDay {
		t := dayTime(days)
		y, m, d = int64(t.Year()), int64(t.Month()), int64(t.Day())
		jan1 = days - int64(t.YearDay()) + 1
		if y == 1582 {
			jan1 = julianDays(1582, 1, 1)
		}
		return
	}
	y, m, d = julianDate(days)
	return y, m, d, julianDays(y, 1, 1)
}

func refFormatSimple(pattern string, ms int64) string {
	days, msOfDay := floorDiv(ms, msPerDay), floorMod(ms, msPerDay)
	y, mo, d, jan1 := hybridDate(days)
	yoe := y
	if y <= 0 {
		yoe = 1 - y
	}
	dow := floorMod(days+4, 7) // Sunday is 0
	doy := days - jan1 + 1
	// Locale.US weeks: the week (Sunday first) holding January 1st is week 1, and the
	// week holding the next January 1st is week 1 of the next year.
	week := (doy-1+floorMod(jan1+4, 7))/7 + 1
	weekYear := y
	nextJan1 := jan1 + 365
	if days >= cutoverDay || y == 1582 {
		nextJan1 = epochDay(time.Date(int(y+1), 1, 1, 0, 0, 0, 0, time.UTC))
	} else if floorMod(y, 4) == 0 {
		nextJan1++
	}
	if days-dow+6 >= nextJan1 && floorMod(nextJan1+4, 7) != 0 {
		week, weekYear = 1, y+1
	}
	first := days - d + 1
	weekOfMonth := (d-1+floorMod(first+4, 7))/7 + 1
	hour := msOfDay / 3600000
	var b strings.Builder
	for _, r := range splitPattern(pattern, false) {
		if r.letter == 0 {
			b.WriteString(r.text)
			continue
		}
		n := r.n
		num := func(v int64) { b.WriteString(padN(v, n)) }
		year := func(v int64) {
			if n == 2 {
				if v < 0 {
					b.WriteString("-")
					v = -v
				}
				b.WriteString(padN(v%100, 2))
				return
			}
			num(v)
		}
		switch r.letter {
		case 'G':
			b.WriteString(map[bool]string{true: "AD", false: "BC"}[y > 0])
		case 'y':
			year(yoe)
		case 'Y':
			year(weekYear)
		case 'M', 'L':
			switch {
			case n >= 4:
				b.WriteString(refMonths[mo-1])
			case n == 3:
				b.WriteString(refMonths[mo-1][:3])
			default:
				num(mo)
			}
		case 'd':
			num(d)
		case 'k':
			num((hour+23)%24 + 1)
		case 'H':
			num(hour)
		case 'm':
			num(msOfDay / 60000 % 60)
		case 's':
			num(msOfDay / 1000 % 60)
		case 'S':
			num(msOfDay % 1000)
		case 'E':
			if n >= 4 {
				b.WriteString(refDays[dow])
			} else {
				b.WriteString(refDays[dow][:3])
			}
		case 'u':
			num((dow+6)%7 + 1)
		case 'D':
			num(doy)
		case 'F':
			num((d-1)/7 + 1)
		case 'w':
			num(week)
		case 'W':
			num(weekOfMonth)
		case 'a':
			b.WriteString([]string{"AM", "PM"}[hour/12])
		case 'h':
			num((hour+11)%12 + 1)
		case 'K':
			num(hour % 12)
		case 'z':
			if n >= 4 {
				b.WriteString("Coordinated Universal Time")
			} else {
				b.WriteString("UTC")
			}
		case 'Z':
			b.WriteString("+0000")
		case 'X':
			b.WriteString("Z")
		}
	}
	return b.String()
}

// refParseSimple is SimpleDateFormat.parse(String) in lenient mode, for the letters the
// generator's parse patterns hold (y M d H m s S): a literal must match exactly; a field
// may be preceded by spaces and tabs; a number is an optional '-' and digits, limited to
// the letter count when another number follows directly; MMM matches a month's long or
// short name in any case; values carry over (month 13, hour 25); text after the pattern
// is ignored.
func refParseSimple(pattern, s string) (int64, bool) {
	runs := splitPattern(pattern, false)
	vals := map[byte]int64{}
	pos := 0
	for i, r := range runs {
		if r.letter == 0 {
			if !strings.HasPrefix(s[pos:], r.text) {
				return 0, false
			}
			pos += len(r.text)
			continue
		}
		start := pos
		for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t') {
			pos++
		}
		if pos >= len(s) {
			return 0, false
		}
		if r.letter == 'M' && r.n >= 3 {
			best := -1
			bestLen := 0
			for _, names := range [][]string{refMonths, nil} {
				for k, name := range refMonths {
					if names == nil {
						name = name[:3]
					}
					if len(name) > bestLen && len(s)-start >= len(name) && strings.EqualFold(s[start:start+len(name)], name) {
						best, bestLen = k, len(name)
					}
				}
				if best >= 0 {
					break
				}
			}
			if best < 0 {
				return 0, false
			}
			vals['M'] = int64(best) + 1
			pos = start + bestLen
			continue
		}
		end := len(s)
		if i+1 < len(runs) && runs[i+1].letter != 0 && !(runs[i+1].letter == 'M' && runs[i+1].n >= 3) {
			if start+r.n > len(s) {
				return 0, false
			}
			end = start + r.n
		}
		j := pos
		if j < end && s[j] == '-' {
			j++
		}
		k := j
		for k < end && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k == j {
			return 0, false
		}
		v, err := strconv.ParseInt(s[pos:k], 10, 64)
		if err != nil {
			return 0, false
		}
		vals[r.letter] = int64(int32(v))
		pos = k
	}
	if pos == 0 {
		return 0, false
	}
	year := int64(1970)
	if v, ok := vals['y']; ok {
		year = v
	}
	month := int64(1)
	if v, ok := vals['M']; ok {
		month = v
	}
	day := int64(1)
	if v, ok := vals['d']; ok {
		day = v
	}
	// The date in GregorianCalendar: Gregorian from 1582-10-15, Julian before.
	total := year*12 + month - 1
	yy, mm := floorDiv(total, 12), floorMod(total, 12)+1
	days := epochDay(time.Date(int(yy), time.Month(mm), 1, 0, 0, 0, 0, time.UTC)) + day - 1
	if days < cutoverDay || year < 1582 {
		if jd := julianDays(yy, mm, 1) + day - 1; year < 1582 || jd < cutoverDay {
			days = jd
		}
	}
	tod := ((vals['H']*60+vals['m'])*60+vals['s'])*1000 + vals['S']
	return days*msPerDay + tod, true
}

// ---- TO_TIMESTAMP(s, pattern): java.time's strict parse, then Flink's fallback ----

type dtfField struct {
	letter     byte
	min, max   int
	subsequent int // the widths of the fixed-width numbers that follow directly
	text       string
}

// refToTimestamp is DateTimeUtils.parseTimestampData(s, pattern) for the generator's
// parse patterns (y M d H m s S): the pattern must match the whole text (numbers of
// exactly the letter count, 'yyyy' 4 digits unless a '+' announces more, 'd' any
// number of digits, MMM a short English month name, case-sensitive), then
// ResolverStyle.SMART (a day past the month's end is its last day, 24:00 the next
// midnight), the fraction floored to milliseconds. When that fails: java.sql.Timestamp
// or Date.valueOf of the trimmed text.
func refToTimestamp(pattern, s string) (Value, bool) {
	var fields []dtfField
	for _, r := range splitPattern(pattern, false) {
		switch {
		case r.letter == 0:
			fields = append(fields, dtfField{text: r.text})
		case r.letter == 'y' && r.n == 4:
			fields = append(fields, dtfField{letter: 'y', min: 4, max: 19})
		case r.letter == 'd' && r.n == 1:
			fields = append(fields, dtfField{letter: 'd', min: 1, max: 19})
		case r.letter == 'M' && r.n == 3:
			fields = append(fields, dtfField{letter: 'N'})
		default:
			fields = append(fields, dtfField{letter: r.letter, min: r.n, max: r.n})
		}
	}
	// Adjacent value parsing: fixed-width numbers after a wider one leave it their digits.
	for i := range fields {
		if fields[i].letter == 0 || fields[i].letter == 'N' || fields[i].min == fields[i].max {
			continue
		}
		for j := i + 1; j < len(fields) && fields[j].letter != 0 && fields[j].letter != 'N' && fields[j].min == fields[j].max && fields[j].letter != 'S'; j++ {
			fields[i].subsequent += fields[j].max
		}
	}
	vals := map[byte]int64{}
	pos := 0
	ok := true
	for _, f := range fields {
		switch {
		case f.letter == 0:
			if !strings.HasPrefix(s[pos:], f.text) {
				ok = false
			}
			pos += len(f.text)
		case f.letter == 'N':
			found := false
			for k, m := range refMonths {
				if strings.HasPrefix(s[pos:], m[:3]) {
					vals['M'], pos, found = int64(k+1), pos+3, true
					break
				}
			}
			ok = found
		default:
			sign := byte(0)
			if pos < len(s) && (s[pos] == '+' || s[pos] == '-') && f.letter != 'S' && f.min != f.max {
				if s[pos] == '+' && f.letter != 'y' {
					ok = false
					break
				}
				sign = s[pos]
				pos++
			}
			k := pos
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			digits := k - pos
			if f.subsequent > 0 {
				digits = max(f.min, digits-f.subsequent)
			}
			digits = min(digits, f.max+max(f.subsequent, 0))
			if digits < f.min || digits > 18 {
				ok = false
				break
			}
			v, _ := strconv.ParseInt(s[pos:pos+digits], 10, 64)
			if f.letter == 'y' && (sign == '+') != (digits > 4) && sign != '-' {
				ok = false
				break
			}
			if sign == '-' {
				if v == 0 {
					ok = false
					break
				}
				v = -v
			}
			if f.letter == 'S' {
				for q := digits; q < 9; q++ {
					v *= 10
				}
			}
			vals[f.letter] = v
			pos += digits
		}
		if !ok || pos > len(s) {
			ok = false
			break
		}
	}
	if ok && pos == len(s) {
		if v, good := resolveSmart(vals); good {
			return v, true
		}
	}
	return refTimestampFallback(s)
}

// resolveSmart is java.time's SMART resolving of year-of-era, month, day and time, and
// Flink's LocalDateTime of the fields.
func resolveSmart(vals map[byte]int64) (Value, bool) {
	y, m, d := vals['y'], vals['M'], vals['d']
	if y < 1 || y > 999999999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Value{}, false
	}
	d = min(d, int64(time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()))
	days := epochDay(time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC))
	h, mi, sec, nano := vals['H'], vals['m'], vals['s'], vals['S']
	if h == 24 && mi == 0 && sec == 0 && nano == 0 {
		days, h = days+1, 0
	} else if h > 23 || mi > 59 || sec > 59 {
		return Value{}, false
	}
	return Value{I: days*msPerDay + ((h*60+mi)*60+sec)*1000 + nano/1000000}, true
}

// refTimestampFallback is java.sql.Timestamp.valueOf ("yyyy-[m]m-[d]d hh:mm:ss[.f...]",
// hours, minutes and seconds unchecked and carried) for a trimmed text with a space, and
// java.sql.Date.valueOf ("yyyy-[m]m-[d]d") for one without; both carry a day past the
// month's end into the next month. Timestamp.valueOf keeps the nanoseconds.
func refTimestampFallback(s string) (Value, bool) {
	s = javaTrim(s)
	date, clock, hasTime := strings.Cut(s, " ")
	parts := strings.SplitN(date, "-", 3)
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 {
		return Value{}, false
	}
	y, ok1 := javaParseInt(parts[0])
	m, ok2 := javaParseInt(parts[1])
	d, ok3 := javaParseInt(parts[2])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Value{}, false
	}
	base := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
	if !hasTime {
		return Value{I: epochDay(base) * msPerDay}, true
	}
	hms := strings.SplitN(clock, ":", 3)
	if len(hms) != 3 || hms[0] == "" || hms[2] == "" {
		return Value{}, false
	}
	secText, frac, hasFrac := strings.Cut(hms[2], ".")
	var nanos int64
	if hasFrac {
		if frac == "" || len(frac) > 9 || frac[0] < '0' || frac[0] > '9' {
			return Value{}, false
		}
		var okF bool
		if nanos, okF = javaParseInt(frac + strings.Repeat("0", 9-len(frac))); !okF {
			return Value{}, false
		}
	}
	h, ok1 := javaParseInt(hms[0])
	mi, ok2 := javaParseInt(hms[1])
	sec, ok3 := javaParseInt(secText)
	if !ok1 || !ok2 || !ok3 {
		return Value{}, false
	}
	ms := (epochDay(base)*86400+h*3600+mi*60+sec)*1000 + nanos/1000000
	return Value{I: ms, N: int32(nanos % 1000000)}, true
}
