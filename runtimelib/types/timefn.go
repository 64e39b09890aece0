package types

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The built-in time functions (EXTRACT and YEAR ... SECOND, FLOOR/CEIL TO a unit,
// TIMESTAMPADD, TIMESTAMPDIFF, TO_TIMESTAMP_LTZ, UNIX_TIMESTAMP, FROM_UNIXTIME,
// TO_DATE, DATE_FORMAT) as Flink computes them: the arithmetic below is that of Flink's
// DateTimeUtils and generated code (ExtractCallGen, FloorCeilCallGen,
// TimestampDiffCallGen, ScalarOperatorGens), with Java's integer semantics, quirks
// included (a TIMESTAMP's date is millis / 86400000 with Java's division, so before
// 1970 a time of day moves it to the next day). The session time zone is UTC, so
// TIMESTAMP_LTZ values are read at their UTC wall-clock time.

// TimeUnit is a unit of EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPADD and TIMESTAMPDIFF.
type TimeUnit uint8

// The units, by the name SQL gives them.
const (
	UnitYear TimeUnit = iota
	UnitQuarter
	UnitMonth
	UnitWeek
	UnitDay
	UnitHour
	UnitMinute
	UnitSecond
	UnitMillisecond
	UnitMicrosecond
	UnitNanosecond
	UnitDOW
	UnitISODOW
	UnitDOY
	UnitISOYear
	UnitEpoch
	UnitDecade
	UnitCentury
	UnitMillennium
)

// UnitNames maps the SQL names of the units to them.
var UnitNames = map[string]TimeUnit{
	"YEAR": UnitYear, "QUARTER": UnitQuarter, "MONTH": UnitMonth, "WEEK": UnitWeek,
	"DAY": UnitDay, "HOUR": UnitHour, "MINUTE": UnitMinute, "SECOND": UnitSecond,
	"MILLISECOND": UnitMillisecond, "MICROSECOND": UnitMicrosecond,
	"NANOSECOND": UnitNanosecond, "DOW": UnitDOW, "ISODOW": UnitISODOW, "DOY": UnitDOY,
	"ISOYEAR": UnitISOYear, "EPOCH": UnitEpoch, "DECADE": UnitDecade,
	"CENTURY": UnitCentury, "MILLENNIUM": UnitMillennium,
}

// IsDateUnit reports the units EXTRACT reads from the date (YEAR ... DOY, WEEK, DECADE,
// CENTURY, MILLENNIUM, ISODOW, ISOYEAR); the others read the time of day.
func (u TimeUnit) IsDateUnit() bool {
	switch u {
	case UnitYear, UnitQuarter, UnitMonth, UnitWeek, UnitDay, UnitDOW, UnitISODOW,
		UnitDOY, UnitISOYear, UnitDecade, UnitCentury, UnitMillennium:
		return true
	}
	return false
}

const epochJulian = 2440588 // the Julian day number of 1970-01-01

// ymdToJulian is DateTimeUtils.ymdToJulian, with Java's int arithmetic.
func ymdToJulian(year, month, day int32) int32 {
	a := (14 - month) / 12
	y := year + 4800 - a
	m := month + 12*a - 3
	return day + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// ymdToUnixDate is DateTimeUtils.ymdToUnixDate.
func ymdToUnixDate(year, month, day int32) int32 { return ymdToJulian(year, month, day) - epochJulian }

func floorMod32(x, y int32) int32 { return int32(floorMod(int64(x), int64(y))) }

// julianExtract is DateTimeUtils.julianExtract: a date unit of a Julian day number, with
// Java's int arithmetic.
func julianExtract(unit TimeUnit, julian int32) int64 {
	j := julian + 32044
	g := j / 146097
	dg := j % 146097
	c := (dg/36524 + 1) * 3 / 4
	dc := dg - c*36524
	b := dc / 1461
	db := dc % 1461
	a := (db/365 + 1) * 3 / 4
	da := db - a*365
	y := g*400 + c*100 + b*4 + a
	m := (da*5+308)/153 - 2
	d := da - (m+4)*153/5 + 122
	year := y - 4800 + (m+2)/12
	month := (m+2)%12 + 1
	day := d + 1
	switch unit {
	case UnitYear:
		return int64(year)
	case UnitMonth:
		return int64(month)
	case UnitDay:
		return int64(day)
	case UnitISOYear:
		w := iso8601Week(julian, year, month, day)
		switch {
		case w == 1 && month == 12:
			return int64(year + 1)
		case month == 1 && w > 50:
			return int64(year - 1)
		}
		return int64(year)
	case UnitQuarter:
		return int64((month + 2) / 3)
	case UnitDOW:
		return int64(floorMod32(julian+1, 7) + 1)
	case UnitISODOW:
		return int64(floorMod32(julian, 7) + 1)
	case UnitWeek:
		return int64(iso8601Week(julian, year, month, day))
	case UnitDOY:
		return int64(julian-ymdToJulian(year, 1, 1)) + 1
	case UnitDecade:
		return int64(year / 10)
	case UnitCentury:
		if year > 0 {
			return int64((year + 99) / 100)
		}
		return int64((year - 99) / 100)
	case UnitMillennium:
		if year > 0 {
			return int64((year + 999) / 1000)
		}
		return int64((year - 999) / 1000)
	}
	return 0
}

func firstMondayOfFirstWeek(year int32) int64 {
	jan1 := int64(ymdToJulian(year, 1, 1))
	jan1Dow := floorMod(jan1+1, 7)
	return jan1 + (11-jan1Dow)%7 - 3
}

// iso8601Week is DateTimeUtils.getIso8601WeekNumber.
func iso8601Week(julian, year, month, day int32) int32 {
	fm := firstMondayOfFirstWeek(year)
	dow := int32(floorMod(int64(julian), 7)) + 1
	switch {
	case month == 12 && day > 28:
		if 31-day+4 > 7-dow && 31-day+dow >= 4 {
			return int32(int64(julian)-fm)/7 + 1
		}
		return 1
	case month == 1 && day < 5:
		if 4-day <= 7-dow && day-dow >= -3 {
			return 1
		}
		return int32(int64(julian)-firstMondayOfFirstWeek(year-1))/7 + 1
	}
	return int32(int64(julian)-fm)/7 + 1
}

// ExtractDate is EXTRACT(unit FROM date) (DateTimeUtils.extractFromDate): a date unit,
// or EPOCH (the seconds of the day's start).
func ExtractDate(unit TimeUnit, days int32) int64 {
	if unit == UnitEpoch {
		return int64(days) * 86400
	}
	return julianExtract(unit, days+epochJulian)
}

// timeFactor is ExtractCallGen's getFactor for the units read from the time of day; the
// unit's multiplier is unitMillis.
func timeFactor(u TimeUnit) int64 {
	switch u {
	case UnitHour:
		return millisPerDay
	case UnitMinute:
		return millisPerHour
	case UnitSecond:
		return millisPerMinute
	}
	return millisPerSecond // MILLISECOND, MICROSECOND, NANOSECOND
}

// ExtractTimestamp is EXTRACT(unit FROM ts) of a TIMESTAMP or TIMESTAMP_LTZ (in UTC):
// a date unit of millis / 86400000 (Java's division), a time unit
// (millis % factor) / multiplier with Java's %, which is negative before 1970;
// MICROSECOND and NANOSECOND add the nanoseconds; EPOCH is millis / 1000.
func ExtractTimestamp(unit TimeUnit, ts Timestamp) int64 {
	switch {
	case unit.IsDateUnit():
		return julianExtract(unit, int32(ts.Millis/millisPerDay)+epochJulian)
	case unit == UnitEpoch:
		return ts.Millis / 1000
	case unit == UnitMicrosecond:
		return ts.Millis%1000*1000 + int64(ts.Nanos)/1000
	case unit == UnitNanosecond:
		return ts.Millis%1000*1_000_000 + int64(ts.Nanos)
	}
	return ts.Millis % timeFactor(unit) / unitMillis(unit)
}

// ExtractTime is EXTRACT(unit FROM time) for HOUR, MINUTE, SECOND and MILLISECOND.
func ExtractTime(unit TimeUnit, millisOfDay int32) int64 {
	return int64(millisOfDay) % timeFactor(unit) / unitMillis(unit)
}

// julianDateFloor is DateTimeUtils.julianDateFloor ("Astronomical Algorithms"): the
// epoch day of the start (floor) or of the next start unless already there (ceil) of
// the unit holding a Julian day number. Days up to 2299160 (1582-10-14) are read in the
// Julian calendar, as Flink does.
func julianDateFloor(unit TimeUnit, julian int32, floor bool) int64 {
	var b, c int32
	if julian > 2299160 {
		a := julian + 32044
		b = (4*a + 3) / 146097
		c = a - b*146097/4
	} else {
		b = 0
		c = julian + 32082
	}
	d := (4*c + 3) / 1461
	e := c - (1461*d)/4
	m := (5*e + 2) / 153
	day := e - (153*m+2)/5 + 1
	month := m + 3 - 12*(m/10)
	quarter := (month + 2) / 3
	year := b*100 + d - 4800 + (m / 10)
	switch unit {
	case UnitMillennium:
		if floor {
			return int64(ymdToUnixDate(1000*((year+999)/1000)-999, 1, 1))
		}
		return int64(ymdToUnixDate(1000*((year+999)/1000)+1, 1, 1))
	case UnitCentury:
		if floor {
			return int64(ymdToUnixDate(100*((year+99)/100)-99, 1, 1))
		}
		return int64(ymdToUnixDate(100*((year+99)/100)+1, 1, 1))
	case UnitDecade:
		if floor {
			return int64(ymdToUnixDate(10*(year/10), 1, 1))
		}
		return int64(ymdToUnixDate(10*(1+year/10), 1, 1))
	case UnitYear:
		if !floor && (month > 1 || day > 1) {
			year++
		}
		return int64(ymdToUnixDate(year, 1, 1))
	case UnitMonth:
		if !floor && day > 1 {
			month++
		}
		return int64(ymdToUnixDate(year, month, 1))
	case UnitQuarter:
		if !floor && (month > 1 || day > 1) {
			quarter++
		}
		return int64(ymdToUnixDate(year, quarter*3-2, 1))
	case UnitWeek:
		dow := floorMod32(julian+1, 7) // Sunday = 0
		offset := dow
		if !floor && offset > 0 {
			offset -= 7
		}
		return int64(ymdToUnixDate(year, month, day) - offset)
	}
	res := int64(ymdToUnixDate(year, month, day)) // DAY
	if floor {
		return res
	}
	return res + 1
}

// floorTo and ceilTo are SqlFunctionUtils.floor(long, long) and ceil(long, long).
func floorTo(a, b int64) int64 {
	r := a % b
	if r < 0 {
		r += b
	}
	return a - r
}

func ceilTo(a, b int64) int64 { return floorTo(a+b-1, b) }

// unitMillis is the length of DAY and the shorter units in milliseconds (1 for
// MILLISECOND, MICROSECOND and NANOSECOND).
func unitMillis(u TimeUnit) int64 {
	switch u {
	case UnitDay:
		return millisPerDay
	case UnitHour:
		return millisPerHour
	case UnitMinute:
		return millisPerMinute
	case UnitSecond:
		return millisPerSecond
	}
	return 1
}

// FloorTimestamp is FLOOR(ts TO unit) (ceil=false) or CEIL(ts TO unit) of a TIMESTAMP
// or TIMESTAMP_LTZ (in UTC). DAY and shorter units round the epoch milliseconds to a
// multiple of the unit; YEAR ... WEEK are DateTimeUtils.unixTimestampFloor/Ceil, which
// take the date as millis / 86400000 (Java's division) and ignore the time of day, so
// CEIL(TIMESTAMP '2018-03-01 21:00:01' TO MONTH) is 2018-03-01 00:00:00, as in Flink.
// The nanoseconds are dropped (TimestampData.fromEpochMillis).
func FloorTimestamp(unit TimeUnit, ts Timestamp, ceil bool) Timestamp {
	switch unit {
	case UnitDay, UnitHour, UnitMinute, UnitSecond, UnitMillisecond:
		if ceil {
			return Timestamp{Millis: ceilTo(ts.Millis, unitMillis(unit))}
		}
		return Timestamp{Millis: floorTo(ts.Millis, unitMillis(unit))}
	}
	date := int32(ts.Millis / millisPerDay)
	return Timestamp{Millis: julianDateFloor(unit, date+epochJulian, !ceil) * millisPerDay}
}

// FloorDate is FLOOR/CEIL(date TO unit) for YEAR ... WEEK and DAY (the date itself).
func FloorDate(unit TimeUnit, days int32, ceil bool) int32 {
	if unit == UnitDay {
		return days
	}
	return int32(julianDateFloor(unit, days+epochJulian, !ceil))
}

// FloorTime is FLOOR/CEIL(time TO unit) for HOUR, MINUTE, SECOND and MILLISECOND
// (SqlFunctionUtils.floor(int, int) and ceil(int, int)).
func FloorTime(unit TimeUnit, millisOfDay int32, ceil bool) int32 {
	b := int32(unitMillis(unit))
	r := millisOfDay % b
	if ceil {
		if r > 0 {
			r -= b
		}
		return millisOfDay - r
	}
	if r < 0 {
		r += b
	}
	return millisOfDay - r
}

// addMonthsToDate is DateTimeUtils.addMonths(int date, int m): the day of month is
// clamped to the new month's length.
func addMonthsToDate(date, m int32) int32 {
	y0 := int32(ExtractDate(UnitYear, date))
	m0 := int32(ExtractDate(UnitMonth, date))
	d0 := int32(ExtractDate(UnitDay, date))
	m0 += m
	deltaYear := int32(floorDiv(int64(m0), 12))
	y0 += deltaYear
	m0 = floorMod32(m0, 12)
	if m0 == 0 {
		y0--
		m0 += 12
	}
	if last := int32(daysInMonth(int64(y0), int64(m0))); d0 > last {
		d0 = last
	}
	return ymdToUnixDate(y0, m0, d0)
}

// addMonthsToMillis is DateTimeUtils.addMonths(long timestamp, int m).
func addMonthsToMillis(ts int64, m int32) int64 {
	ms := floorMod(ts, millisPerDay)
	ts -= ms
	return int64(addMonthsToDate(int32(ts/millisPerDay), m))*millisPerDay + ms
}

// subtractMonthsDates is DateTimeUtils.subtractMonths(int date0, int date1).
func subtractMonthsDates(date0, date1 int32) int32 {
	if date0 < date1 {
		return -subtractMonthsDates(date1, date0)
	}
	m := (date0 - date1) / 31
	for {
		if addMonthsToDate(date1, m) >= date0 {
			return m
		}
		if addMonthsToDate(date1, m+1) > date0 {
			return m
		}
		m++
	}
}

// subtractMonthsMillis is DateTimeUtils.subtractMonths(long t0, long t1): the whole
// months from t1 to t0.
func subtractMonthsMillis(t0, t1 int64) int32 {
	ms0 := floorMod(t0, millisPerDay)
	d0 := int32(floorDiv(t0-ms0, millisPerDay))
	ms1 := floorMod(t1, millisPerDay)
	d1 := int32(floorDiv(t1-ms1, millisPerDay))
	x := subtractMonthsDates(d0, d1)
	if d2 := addMonthsToDate(d1, x); d2 == d0 && ms0 < ms1 {
		x--
	}
	return x
}

// intervalMonths is the months TIMESTAMPADD adds for n of a year-month unit: the
// interval literal times n, in Java's int arithmetic.
func intervalMonths(unit TimeUnit, n int64) int32 {
	switch unit {
	case UnitYear:
		return int32(n * 12)
	case UnitQuarter:
		return int32(n * 3)
	}
	return int32(n)
}

// intervalMillis is the milliseconds TIMESTAMPADD adds for n of a day-time unit.
func intervalMillis(unit TimeUnit, n int64) int64 {
	if unit == UnitWeek {
		return n * 7 * millisPerDay
	}
	return n * unitMillis(unit)
}

// IsMonthUnit reports YEAR, QUARTER and MONTH, which TIMESTAMPADD and TIMESTAMPDIFF
// count in months.
func (u TimeUnit) IsMonthUnit() bool { return u == UnitYear || u == UnitQuarter || u == UnitMonth }

// TimestampAdd is TIMESTAMPADD(unit, n, ts) of a TIMESTAMP or TIMESTAMP_LTZ: ts plus n
// times INTERVAL '1' unit (YEAR, QUARTER and MONTH by DateTimeUtils.addMonths, which
// clamps the day; the others in milliseconds, wrapping like Java's long).
func TimestampAdd(unit TimeUnit, n int64, ts Timestamp) Timestamp {
	if unit.IsMonthUnit() {
		return Timestamp{Millis: addMonthsToMillis(ts.Millis, intervalMonths(unit, n)), Nanos: ts.Nanos}
	}
	return Timestamp{Millis: ts.Millis + intervalMillis(unit, n), Nanos: ts.Nanos}
}

// AddMonths is a TIMESTAMP or TIMESTAMP_LTZ plus an INTERVAL YEAR TO MONTH of m months
// (ts + INTERVAL '1' MONTH): DateTimeUtils.addMonths, which clamps the day to the
// month's last (March 31 minus a month is February 29 or 28). Flink's interval is an
// int of months.
func AddMonths(ts Timestamp, m int64) Timestamp {
	return Timestamp{Millis: addMonthsToMillis(ts.Millis, int32(m)), Nanos: ts.Nanos}
}

// DateAdd is TIMESTAMPADD(unit, n, date) for YEAR, QUARTER, MONTH, WEEK and DAY: a DATE.
// The days are Math.toIntExact(millis / 86400000): ok=false when they overflow an int
// (Flink fails the job).
func DateAdd(unit TimeUnit, n int64, days int32) (int32, bool) {
	if unit.IsMonthUnit() {
		return addMonthsToDate(days, intervalMonths(unit, n)), true
	}
	d := intervalMillis(unit, n) / millisPerDay
	if d != int64(int32(d)) {
		return 0, false
	}
	return days + int32(d), true
}

// DateAddTime is TIMESTAMPADD(HOUR|MINUTE|SECOND, n, date): a TIMESTAMP.
func DateAddTime(unit TimeUnit, n int64, days int32) Timestamp {
	return Timestamp{Millis: int64(days)*millisPerDay + intervalMillis(unit, n)}
}

// TimeAdd is TIMESTAMPADD(unit, n, time): the time of day wraps around midnight; months
// leave it unchanged.
func TimeAdd(unit TimeUnit, n int64, millisOfDay int32) int32 {
	if unit.IsMonthUnit() {
		return millisOfDay
	}
	r := int64(int32(intervalMillis(unit, n) % millisPerDay))
	return int32((int64(millisOfDay) + millisPerDay + r) % millisPerDay)
}

// TimestampDiff is TIMESTAMPDIFF(unit, a, b) of two instants given as epoch
// milliseconds (a TIMESTAMP's Millis, a DATE's days * 86400000): the whole units from a
// to b, YEAR, QUARTER and MONTH by DateTimeUtils.subtractMonths, the others the
// difference in milliseconds divided by the unit (Java's division, then (int)).
func TimestampDiff(unit TimeUnit, a, b int64) int32 {
	switch unit {
	case UnitYear:
		return subtractMonthsMillis(b, a) / 12
	case UnitQuarter:
		return subtractMonthsMillis(b, a) / 3
	case UnitMonth:
		return subtractMonthsMillis(b, a)
	case UnitWeek:
		return int32((b - a) / (7 * millisPerDay))
	}
	return int32((b - a) / unitMillis(unit))
}

// The valid range of TO_TIMESTAMP_LTZ (0000-01-01 00:00:00 to 9999-12-31 23:59:59.999).
const (
	minEpochMillis  = -62167219200000
	maxEpochMillis  = 253402300799999
	minEpochSeconds = -62167219200
	maxEpochSeconds = 253402300799
)

func ltzFromMillis(ms int64) (Timestamp, bool) {
	if ms < minEpochMillis || ms > maxEpochMillis {
		return Timestamp{}, false
	}
	return Timestamp{Millis: ms}, true
}

// LTZFromEpoch is TO_TIMESTAMP_LTZ(n, precision) of an integer: epoch seconds
// (precision 0) or milliseconds (3); ok=false (NULL) outside years 0000 to 9999.
func LTZFromEpoch(v int64, precision int) (Timestamp, bool) {
	if precision == 0 {
		if v < minEpochSeconds || v > maxEpochSeconds {
			return Timestamp{}, false
		}
		return ltzFromMillis(v * 1000)
	}
	return ltzFromMillis(v)
}

// LTZFromEpochDouble is TO_TIMESTAMP_LTZ of a FLOAT or DOUBLE: (long) (v * 1000) for
// precision 0, (long) v for 3, as Java casts (NaN is 0, saturating at the long range).
func LTZFromEpochDouble(v float64, precision int) (Timestamp, bool) {
	if precision == 0 {
		if !(v >= minEpochSeconds && v <= maxEpochSeconds) {
			return Timestamp{}, false
		}
		return ltzFromMillis(FloatToInt64(v * 1000))
	}
	return ltzFromMillis(FloatToInt64(v))
}

// LTZFromEpochDecimal is TO_TIMESTAMP_LTZ of a DECIMAL: its integer part (truncated,
// the low 64 bits as BigDecimal.longValue), times 1000 (wrapping) for precision 0.
func LTZFromEpochDecimal(d Decimal, scale, precision int) (Timestamp, bool) {
	v := DecimalToInt64(d, scale)
	if precision == 0 {
		v *= 1000
	}
	return ltzFromMillis(v)
}

// nowMillis is the wall clock, System.currentTimeMillis().
func nowMillis() int64 { return time.Now().UnixMilli() }

// UnixTimestampNow is UNIX_TIMESTAMP(): the current epoch seconds, read per call.
func UnixTimestampNow() int64 { return nowMillis() / 1000 }

// The clock functions, read per call as Flink does in streaming mode, in the UTC
// session time zone (so the local date and time are UTC's).

// NowTimestamp is CURRENT_TIMESTAMP, NOW() and CURRENT_ROW_TIMESTAMP()
// (TIMESTAMP_LTZ(3)) and LOCALTIMESTAMP (TIMESTAMP(3)): the wall clock in milliseconds.
func NowTimestamp() Timestamp { return Timestamp{Millis: nowMillis()} }

// NowDate is CURRENT_DATE: today's days since 1970-01-01.
func NowDate() int32 { return int32(floorDiv(nowMillis(), millisPerDay)) }

// NowTime is CURRENT_TIME and LOCALTIME (TIME(0)): the time of day in milliseconds,
// whole seconds.
func NowTime() int32 {
	now := nowMillis()
	ms := now - floorDiv(now, millisPerDay)*millisPerDay
	return int32(ms - ms%millisPerSecond)
}

// WatermarkTimestamp is CURRENT_WATERMARK: the watermark wm (ms) as a timestamp, NULL
// (true) before the first watermark (math.MinInt64, exec.NoWatermark).
func WatermarkTimestamp(wm int64) (Timestamp, bool) {
	if wm == math.MinInt64 {
		return Timestamp{}, true
	}
	return Timestamp{Millis: wm}, false
}

// sqlTimestampFormat is DateTimeUtils' "yyyy-MM-dd HH:mm:ss" SimpleDateFormat, which
// DATE_FORMAT reads a string with.
var sqlTimestampFormat = MustSimpleDateFormat("yyyy-MM-dd HH:mm:ss")

// MustSimpleDateFormat compiles a constant pattern the compiler has checked; it panics
// on an error.
func MustSimpleDateFormat(p string) *SimpleDateFormat {
	f, err := CompileSimpleDateFormat(p)
	if err != nil {
		panic(err)
	}
	return f
}

// MustDateTimeFormatter compiles a constant pattern the compiler has checked; it panics
// on an error.
func MustDateTimeFormatter(p string) *DateTimeFormatter {
	f, err := CompileDateTimeFormatter(p)
	if err != nil {
		panic(err)
	}
	return f
}

// UnixTimestamp is UNIX_TIMESTAMP(s[, p]): the seconds (Java's division of the
// milliseconds) of s parsed by p; Long.MIN_VALUE when s does not parse, as in Flink.
func UnixTimestamp(s string, f *SimpleDateFormat) (int64, error) {
	ms, ok, err := f.ParseMillis(s)
	if err != nil {
		return 0, err
	}
	if !ok {
		return -1 << 63, nil
	}
	return ms / 1000, nil
}

// FromUnixtime is FROM_UNIXTIME(n[, p]): the instant n seconds after the epoch (n * 1000
// milliseconds, wrapping like Java's long) formatted by p.
func FromUnixtime(n int64, f *SimpleDateFormat) string { return f.Format(n * 1000) }

// ToDate is TO_DATE(s, p): the UTC date of s parsed by p; ok=false when it does not
// parse (Flink computes a meaningless date from Long.MIN_VALUE there).
func ToDate(s string, f *SimpleDateFormat) (int32, bool, error) {
	ms, ok, err := f.ParseMillis(s)
	if !ok || err != nil {
		return 0, false, err
	}
	return int32(floorDiv(ms, millisPerDay)), true, nil
}

// ToTimestamp is TO_TIMESTAMP(s, p): s parsed by the java.time pattern p into a
// TIMESTAMP(3); when the pattern does not match, Flink's fallback reads s (trimmed) as
// java.sql.Timestamp.valueOf ("yyyy-[m]m-[d]d hh:mm:ss[.f...]") if it holds a space and
// java.sql.Date.valueOf ("yyyy-[m]m-[d]d") if not; ok=false (NULL) when all fail.
func ToTimestamp(s string, f *DateTimeFormatter) (Timestamp, bool, error) {
	ts, ok, parseErr, err := f.ParseTimestamp(s)
	if err != nil || ok || !parseErr {
		return ts, ok, err
	}
	ts, ok = parseTimestampFallback(s)
	return ts, ok, nil
}

// javaParseInt is Integer.parseInt: an optional sign and ASCII digits fitting an int.
func javaParseInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i = 1
	}
	if i == len(s) || !allDigits(s[i:]) {
		return 0, false
	}
	var v int64
	for _, c := range []byte(s[i:]) {
		v = v*10 + int64(c-'0')
		if v > 1<<31 {
			return 0, false
		}
	}
	if s[0] == '-' {
		v = -v
	}
	return v, v == int64(int32(v))
}

// parseTimestampFallback is the fallback of DateTimeUtils.parseTimestampData(s, format).
func parseTimestampFallback(s string) (Timestamp, bool) {
	s = javaTrim(s)
	sp := strings.IndexByte(s, ' ')
	date := s
	if sp >= 0 {
		date = s[:sp]
	}
	// The date: yyyy-[m]m-[d]d with month 1..12 and day 1..31; a day past the month's
	// end carries into the next month (java.util.Date's lenient constructor).
	d1 := strings.IndexByte(date, '-')
	d2 := -1
	if d1 >= 0 {
		if k := strings.IndexByte(date[d1+1:], '-'); k >= 0 {
			d2 = d1 + 1 + k
		}
	}
	if d1 != 4 || d2 < 0 || d2-d1 < 2 || d2-d1 > 3 || len(date)-d2 < 2 || len(date)-d2 > 3 {
		return Timestamp{}, false
	}
	y, ok1 := javaParseInt(date[:d1])
	m, ok2 := javaParseInt(date[d1+1 : d2])
	d, ok3 := javaParseInt(date[d2+1:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Timestamp{}, false
	}
	days := daysFromCivil(y, m, 1) + d - 1
	if sp < 0 {
		return Timestamp{Millis: days * millisPerDay}, true
	}
	// The time: hh:mm:ss[.f...] with unchecked hours, minutes and seconds that carry.
	t := s[sp+1:]
	c1 := strings.IndexByte(t, ':')
	c2 := -1
	if c1 >= 0 {
		if k := strings.IndexByte(t[c1+1:], ':'); k >= 0 {
			c2 = c1 + 1 + k
		}
	}
	if c1 <= 0 || c2 <= 0 || c2 >= len(t)-1 {
		return Timestamp{}, false
	}
	period := -1
	if k := strings.IndexByte(t[c2+1:], '.'); k >= 0 {
		period = c2 + 1 + k
	}
	h, ok1 := javaParseInt(t[:c1])
	mi, ok2 := javaParseInt(t[c1+1 : c2])
	var sec, nanos int64
	ok3 = true
	switch {
	case period > 0 && period < len(t)-1:
		sec, ok3 = javaParseInt(t[c2+1 : period])
		frac := t[period+1:]
		if len(frac) > 9 || !isDigit(frac[0]) {
			return Timestamp{}, false
		}
		var okF bool
		if nanos, okF = javaParseInt(frac + "000000000"[:9-len(frac)]); !okF {
			return Timestamp{}, false
		}
	case period > 0:
		return Timestamp{}, false
	default:
		sec, ok3 = javaParseInt(t[c2+1:])
	}
	if !ok1 || !ok2 || !ok3 {
		return Timestamp{}, false
	}
	ms := (days*86400+h*3600+mi*60+sec)*1000 + nanos/1_000_000
	// Flink keeps the nanoseconds here (TimestampData.fromTimestamp), beyond the
	// TIMESTAMP(3) the function returns.
	return Timestamp{Millis: ms, Nanos: int32(nanos % 1_000_000)}, true
}

// FormatDateSimple is DATE_FORMAT(date, p) (DateTimeUtils.formatDateString): the date's
// "yyyy-MM-dd" text (a year beyond 9999 keeps its last four digits), parsed by
// SimpleDateFormat and formatted by p; ok=false (NULL) for years before 0.
func FormatDateSimple(days int32, f *SimpleDateFormat) (string, bool) {
	y, m, d := civilFromDays(int64(days))
	if y < 0 {
		return "", false // int4 writes characters that are not digits: the parse fails
	}
	return f.Format(hybridToDays(y%10000, m-1, d) * millisPerDay), true
}

// FormatStringSimple is DATE_FORMAT(s, p) of a string (DateTimeUtils.formatTimestampString):
// s parsed by SimpleDateFormat "yyyy-MM-dd HH:mm:ss" in UTC, formatted by p; ok=false
// (NULL) when s does not parse.
func FormatStringSimple(s string, f *SimpleDateFormat) (string, bool) {
	ms, ok, _ := sqlTimestampFormat.ParseMillis(s)
	if !ok {
		return "", false
	}
	return f.Format(ms), true
}

// Patterns that are not constants are compiled once per distinct text and kept (at
// most patternCacheSize of each kind), as Flink's per-thread formatter caches do.
const patternCacheSize = 1024

type patternCache struct {
	m sync.Map
	n atomic.Int64
}

type cachedPattern struct {
	f   any
	err error
}

func (c *patternCache) get(p string, compile func(string) (any, error)) (any, error) {
	if v, ok := c.m.Load(p); ok {
		e := v.(cachedPattern)
		return e.f, e.err
	}
	f, err := compile(p)
	if c.n.Add(1) <= patternCacheSize {
		c.m.Store(strings.Clone(p), cachedPattern{f, err})
	}
	return f, err
}

var dtfCache, sdfCache patternCache

// DateTimeFormatterFor compiles (once) a java.time pattern that is not a constant.
func DateTimeFormatterFor(p string) (*DateTimeFormatter, error) {
	f, err := dtfCache.get(p, func(p string) (any, error) { return CompileDateTimeFormatter(p) })
	if err != nil {
		return nil, err
	}
	return f.(*DateTimeFormatter), nil
}

// SimpleDateFormatFor compiles (once) a SimpleDateFormat pattern that is not a constant.
func SimpleDateFormatFor(p string) (*SimpleDateFormat, error) {
	f, err := sdfCache.get(p, func(p string) (any, error) { return CompileSimpleDateFormat(p) })
	if err != nil {
		return nil, err
	}
	return f.(*SimpleDateFormat), nil
}

// ErrPattern is a pattern that does not compile.
type ErrPattern struct {
	Pattern string
	Err     error
}

func (e *ErrPattern) Error() string { return "invalid pattern '" + e.Pattern + "': " + e.Err.Error() }

func (e *ErrPattern) Unwrap() error { return e.Err }

func dtfFor(p string) (*DateTimeFormatter, error) {
	f, err := DateTimeFormatterFor(p)
	if err != nil {
		return nil, &ErrPattern{p, err}
	}
	return f, nil
}

func sdfFor(p string) (*SimpleDateFormat, error) {
	f, err := SimpleDateFormatFor(p)
	if err != nil {
		return nil, &ErrPattern{p, err}
	}
	return f, nil
}

// The ...Pattern functions are the functions above for a pattern that is not a
// constant: a pattern that does not compile fails the job (an error), as in Flink,
// except for TO_TIMESTAMP, which Flink makes NULL.

// FormatTimestampPattern is DATE_FORMAT(ts, p) of a TIMESTAMP or TIMESTAMP_LTZ.
func FormatTimestampPattern(ts Timestamp, p string) (string, error) {
	f, err := dtfFor(p)
	if err != nil {
		return "", err
	}
	return f.Format(ts)
}

// FormatDatePattern is FormatDateSimple for a pattern that is not a constant.
func FormatDatePattern(days int32, p string) (string, bool, error) {
	f, err := sdfFor(p)
	if err != nil {
		return "", false, err
	}
	s, ok := FormatDateSimple(days, f)
	return s, ok, nil
}

// FormatStringPattern is FormatStringSimple for a pattern that is not a constant.
func FormatStringPattern(s, p string) (string, bool, error) {
	f, err := sdfFor(p)
	if err != nil {
		return "", false, err
	}
	out, ok := FormatStringSimple(s, f)
	return out, ok, nil
}

// FromUnixtimePattern is FromUnixtime for a pattern that is not a constant.
func FromUnixtimePattern(n int64, p string) (string, error) {
	f, err := sdfFor(p)
	if err != nil {
		return "", err
	}
	return FromUnixtime(n, f), nil
}

// UnixTimestampPattern is UnixTimestamp for a pattern that is not a constant.
func UnixTimestampPattern(s, p string) (int64, error) {
	f, err := sdfFor(p)
	if err != nil {
		return 0, err
	}
	return UnixTimestamp(s, f)
}

// ToDatePattern is ToDate for a pattern that is not a constant.
func ToDatePattern(s, p string) (int32, bool, error) {
	f, err := sdfFor(p)
	if err != nil {
		return 0, false, err
	}
	return ToDate(s, f)
}

// ToTimestampPattern is ToTimestamp for a pattern that is not a constant; a pattern
// that does not compile gives NULL (Flink's TO_TIMESTAMP catches every exception).
func ToTimestampPattern(s, p string) (Timestamp, bool, error) {
	f, err := DateTimeFormatterFor(p)
	if err != nil {
		return Timestamp{}, false, nil
	}
	return ToTimestamp(s, f)
}
