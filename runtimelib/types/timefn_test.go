package types

import (
	"errors"
	"strings"
	"testing"
)

// ts parses "yyyy-MM-dd HH:mm:ss[.fffffffff]" for tests.
func ts(t *testing.T, s string) Timestamp {
	t.Helper()
	v, ok := ParseTimestamp([]byte(s), 9)
	if !ok {
		t.Fatalf("bad timestamp %q", s)
	}
	return v
}

func date(t *testing.T, s string) int32 {
	t.Helper()
	v, ok := ParseDate([]byte(s))
	if !ok {
		t.Fatalf("bad date %q", s)
	}
	return v
}

// Values from Flink's documentation (docs/data/sql_functions.yml) and its
// TemporalTypesTest.
func TestExtract(t *testing.T) {
	d := date(t, "1994-09-27")
	for _, c := range []struct {
		unit TimeUnit
		want int64
	}{
		{UnitYear, 1994}, {UnitQuarter, 3}, {UnitMonth, 9}, {UnitWeek, 39}, {UnitDOY, 270},
		{UnitDay, 27}, {UnitDOW, 3}, {UnitISODOW, 2}, {UnitDecade, 199}, {UnitCentury, 20},
		{UnitMillennium, 2}, {UnitEpoch, 780624000}, {UnitISOYear, 1994},
	} {
		if got := ExtractDate(c.unit, d); got != c.want {
			t.Errorf("EXTRACT(%d FROM DATE '1994-09-27') = %d, want %d", c.unit, got, c.want)
		}
	}
	x := ts(t, "1994-09-27 13:14:15.123456789")
	for _, c := range []struct {
		unit TimeUnit
		want int64
	}{
		{UnitHour, 13}, {UnitMinute, 14}, {UnitSecond, 15}, {UnitYear, 1994}, {UnitDay, 27},
		{UnitMillisecond, 123}, {UnitMicrosecond, 123456}, {UnitNanosecond, 123456789},
	} {
		if got := ExtractTimestamp(c.unit, x); got != c.want {
			t.Errorf("EXTRACT(%d FROM TIMESTAMP) = %d, want %d", c.unit, got, c.want)
		}
	}
	// Before 1970, Flink's Java arithmetic: the date is millis / 86400000 (toward zero:
	// the next day) and the hour (millis % 86400000) / 3600000 (negative).
	pre := ts(t, "1969-12-31 23:00:00")
	if got := ExtractTimestamp(UnitDay, pre); got != 1 {
		t.Errorf("EXTRACT(DAY FROM 1969-12-31 23:00) = %d, want 1 (Flink's truncating division)", got)
	}
	if got := ExtractTimestamp(UnitHour, pre); got != -1 {
		t.Errorf("EXTRACT(HOUR FROM 1969-12-31 23:00) = %d, want -1", got)
	}
	if got := ExtractTime(UnitMinute, 6*3600000+7*60000+8000); got != 7 {
		t.Errorf("EXTRACT(MINUTE FROM TIME '06:07:08') = %d", got)
	}
	// ISO weeks at year ends: 2018-12-31 is in week 1 of 2019, 2021-01-03 in week 53 of 2020.
	for _, c := range []struct {
		d          string
		week, year int64
	}{{"2018-12-31", 1, 2019}, {"2021-01-03", 53, 2020}, {"2021-01-04", 1, 2021}, {"2016-01-01", 53, 2015}} {
		if w, y := ExtractDate(UnitWeek, date(t, c.d)), ExtractDate(UnitISOYear, date(t, c.d)); w != c.week || y != c.year {
			t.Errorf("%s: WEEK %d ISOYEAR %d, want %d %d", c.d, w, y, c.week, c.year)
		}
	}
}

func TestFloorCeil(t *testing.T) {
	for _, c := range []struct {
		in   string
		unit TimeUnit
		ceil bool
		want string
	}{
		{"2018-03-20 06:44:31", UnitHour, false, "2018-03-20 06:00:00"},
		{"2018-03-20 06:44:31", UnitDay, false, "2018-03-20 00:00:00"},
		{"2021-02-27 00:00:00", UnitWeek, false, "2021-02-21 00:00:00"},
		{"2021-03-01 00:00:00", UnitWeek, false, "2021-02-28 00:00:00"},
		{"2018-04-01 06:44:31", UnitMonth, false, "2018-04-01 00:00:00"},
		{"2018-02-01 21:00:01", UnitQuarter, false, "2018-01-01 00:00:00"},
		{"2018-05-02 21:00:01", UnitQuarter, false, "2018-04-01 00:00:00"},
		{"2018-03-20 06:44:31", UnitHour, true, "2018-03-20 07:00:00"},
		{"2018-03-20 06:00:00", UnitHour, true, "2018-03-20 06:00:00"},
		{"2018-03-20 06:44:31", UnitDay, true, "2018-03-21 00:00:00"},
		{"2018-03-31 00:00:01", UnitDay, true, "2018-04-01 00:00:00"},
		{"2021-02-27 00:00:00", UnitWeek, true, "2021-02-28 00:00:00"},
		{"2021-03-01 00:00:00", UnitWeek, true, "2021-03-07 00:00:00"},
		// Flink's CEIL to a month or year ignores the time of day (its tests say so).
		{"2018-03-01 21:00:01", UnitMonth, true, "2018-03-01 00:00:00"},
		{"2018-12-02 00:00:00", UnitMonth, true, "2019-01-01 00:00:00"},
		{"2018-01-01 21:00:01", UnitYear, true, "2018-01-01 00:00:00"},
		{"2018-01-02 21:00:01", UnitYear, true, "2019-01-01 00:00:00"},
		{"1969-12-31 23:30:00", UnitHour, false, "1969-12-31 23:00:00"},
		{"1969-12-31 23:30:00", UnitDay, false, "1969-12-31 00:00:00"},
		{"2018-03-20 06:44:31.999", UnitSecond, true, "2018-03-20 06:44:32"},
	} {
		got := FormatTimestamp(FloorTimestamp(c.unit, ts(t, c.in), c.ceil), 0)
		if got != c.want {
			t.Errorf("FLOOR/CEIL(%s TO %d, ceil=%v) = %s, want %s", c.in, c.unit, c.ceil, got, c.want)
		}
	}
	if got := FormatDate(FloorDate(UnitWeek, date(t, "2021-02-27"), true)); got != "2021-02-28" {
		t.Errorf("CEIL(DATE '2021-02-27' TO WEEK) = %s", got)
	}
	if got := FormatTime(FloorTime(UnitMinute, 12*3600000+44*60000+31000, true), 0); got != "12:45:00" {
		t.Errorf("CEIL(TIME '12:44:31' TO MINUTE) = %s", got)
	}
	if got := FormatTime(FloorTime(UnitHour, 12*3600000+44*60000+31000, false), 0); got != "12:00:00" {
		t.Errorf("FLOOR(TIME '12:44:31' TO HOUR) = %s", got)
	}
}

func TestTimestampAddDiff(t *testing.T) {
	if got := FormatTimestamp(TimestampAdd(UnitHour, 8, ts(t, "2017-11-29 10:58:58.998")), 3); got != "2017-11-29 18:58:58.998" {
		t.Errorf("TIMESTAMPADD(HOUR, 8, ...) = %s", got)
	}
	if d, ok := DateAdd(UnitWeek, 1, date(t, "2003-01-02")); !ok || FormatDate(d) != "2003-01-09" {
		t.Errorf("TIMESTAMPADD(WEEK, 1, DATE '2003-01-02') = %s", FormatDate(d))
	}
	if got := FormatTimestamp(TimestampAdd(UnitMonth, 1, ts(t, "2020-01-31 12:00:00.123456789")), 9); got != "2020-02-29 12:00:00.123456789" {
		t.Errorf("TIMESTAMPADD(MONTH, 1, 2020-01-31) = %s (the day is clamped)", got)
	}
	if got := FormatTime(TimeAdd(UnitHour, 20, 10*3600000), 0); got != "06:00:00" {
		t.Errorf("TIMESTAMPADD(HOUR, 20, TIME '10:00:00') = %s", got)
	}
	if _, ok := DateAdd(UnitDay, 3_000_000_000, 0); ok {
		t.Errorf("TIMESTAMPADD(DAY, 3e9, date) should overflow (Math.toIntExact)")
	}
	for _, c := range []struct {
		unit TimeUnit
		a, b string
		want int32
	}{
		{UnitMonth, "2019-09-01 00:00:00", "2020-03-01 00:00:00", 6},
		{UnitMonth, "2019-09-01 00:00:00", "2016-08-01 00:00:00", -37},
		{UnitYear, "1970-01-01 00:00:00.123456789", "1971-01-02 01:02:03.123456789", 1},
		{UnitMonth, "1970-01-01 00:00:00.123456789", "1971-01-02 01:02:03.123456789", 12},
		{UnitDay, "1970-01-01 00:00:00.123", "1971-01-02 01:02:03.123", 366},
		{UnitHour, "1970-01-01 00:00:00.123", "1970-01-01 01:02:03.123", 1},
		{UnitMinute, "1970-01-01 01:02:03.123", "1970-01-01 00:00:00", -62},
		{UnitSecond, "1970-01-01 00:00:00.123", "1970-01-01 00:02:03.234", 123},
		{UnitMonth, "2021-01-31 10:00:00", "2021-02-28 09:00:00", 0},
		{UnitMonth, "2021-01-31 10:00:00", "2021-02-28 10:00:00", 1},
	} {
		if got := TimestampDiff(c.unit, ts(t, c.a).Millis, ts(t, c.b).Millis); got != c.want {
			t.Errorf("TIMESTAMPDIFF(%d, %s, %s) = %d, want %d", c.unit, c.a, c.b, got, c.want)
		}
	}
	// A DATE counts as its midnight.
	if got := TimestampDiff(UnitMonth, int64(date(t, "2020-01-04"))*86400000, ts(t, "2021-02-04 12:00:00").Millis); got != 13 {
		t.Errorf("TIMESTAMPDIFF(MONTH, DATE '2020-01-04', TIMESTAMP '2021-02-04 12:00:00') = %d", got)
	}
}

func TestToTimestampLTZ(t *testing.T) {
	for _, c := range []struct {
		v    int64
		p    int
		want string // "" for NULL
	}{
		{100, 0, "1970-01-01 00:01:40.000"}, {1234, 3, "1970-01-01 00:00:01.234"},
		{-100, 0, "1969-12-31 23:58:20.000"}, {-2147483648, 0, "1901-12-13 20:45:52.000"},
		{2147483647, 0, "2038-01-19 03:14:07.000"}, {-9223372036854775808, 0, ""},
		{-62167219200000, 3, "0000-01-01 00:00:00.000"}, {253402300799999, 3, "9999-12-31 23:59:59.999"},
		{-62167219200001, 3, ""}, {253402300800000, 3, ""},
	} {
		got, ok := LTZFromEpoch(c.v, c.p)
		s := ""
		if ok {
			s = FormatTimestamp(got, 3)
		}
		if s != c.want {
			t.Errorf("TO_TIMESTAMP_LTZ(%d, %d) = %q, want %q", c.v, c.p, s, c.want)
		}
	}
	// FLOAT 100.01 widens to 100.01000213623047; DOUBLE 100.123 * 1000 = 100123.
	if got, _ := LTZFromEpochDouble(float64(float32(100.01)), 0); FormatTimestamp(got, 3) != "1970-01-01 00:01:40.010" {
		t.Errorf("TO_TIMESTAMP_LTZ(CAST(100.01 AS FLOAT), 0) = %s", FormatTimestamp(got, 3))
	}
	if got, _ := LTZFromEpochDouble(100.123, 0); FormatTimestamp(got, 3) != "1970-01-01 00:01:40.123" {
		t.Errorf("TO_TIMESTAMP_LTZ(100.123, 0) = %s", FormatTimestamp(got, 3))
	}
	if _, ok := LTZFromEpochDouble(3.4028234663852886e38, 0); ok {
		t.Errorf("TO_TIMESTAMP_LTZ(FLOAT max, 0) should be NULL")
	}
	if got, ok := LTZFromEpochDecimal(Decimal{Lo: 1}, 2, 3); !ok || got.Millis != 0 {
		t.Errorf("TO_TIMESTAMP_LTZ(0.01, 3) = %v (the fraction is dropped)", got)
	}
}

func TestDateTimeFormatterFormat(t *testing.T) {
	x := ts(t, "2018-03-14 01:02:03.123456789")
	for _, c := range []struct{ pattern, want string }{
		{"yyyy-MM-dd HH:mm:ss", "2018-03-14 01:02:03"},
		{"yyyy/MM/dd HH:mm:ss.SSSSSSSSS", "2018/03/14 01:02:03.123456789"},
		{"yyMMdd", "180314"},
		{"y yy yyy yyyy yyyyy", "2018 18 2018 2018 02018"},
		{"u uu uuuu", "2018 18 2018"},
		{"M MM MMM MMMM MMMMM", "3 03 Mar March M"},
		{"L LL LLL LLLL", "3 03 Mar March"},
		{"d dd D DD DDD", "14 14 73 73 073"},
		{"E EE EEE EEEE EEEEE", "Wed Wed Wed Wednesday W"},
		{"e ee eee eeee c ccc", "4 04 Wed Wednesday 4 Wed"},
		{"Q QQ QQQ QQQQ QQQQQ q", "1 01 Q1 1st quarter 1 1"},
		{"G GG GGG GGGG GGGGG", "AD AD AD Anno Domini A"},
		{"a h hh K KK k kk H HH", "AM 1 01 1 01 1 01 1 01"},
		{"m mm s ss", "2 02 3 03"},
		{"S SS SSS", "1 12 123"},
		{"n nnnnnnnnnn", "123456789 0123456789"},
		{"A N", "3723123 3723123456789"},
		{"w ww W Y YY YYYY F", "11 11 3 2018 18 2018 7"},
		{"g", "58191"},
		{"'quoted' '''T''' '' -[XXX]", "quoted 'T' ' -"},
		{"yyyy[ VV]-MM", "2018-03"},
		{"[yyyy]", "2018"},
		{"日本 yyyy", "日本 2018"},
	} {
		f, err := CompileDateTimeFormatter(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		got, err := f.Format(x)
		if err != nil || got != c.want {
			t.Errorf("format %q = %q, %v; want %q", c.pattern, got, err, c.want)
		}
	}
	// Midnight and noon on the 12-hour clocks, years outside 1..9999.
	for _, c := range []struct{ in, pattern, want string }{
		{"2018-03-14 00:30:00", "h K k a", "12 0 24 AM"},
		{"2018-03-14 12:30:00", "h K k a", "12 0 12 PM"},
		{"1970-01-01 00:00:00", "uuuu G", "1970 AD"},
		{"2018-12-30 00:00:00", "Y w e", "2019 1 1"},
		{"2016-12-31 00:00:00", "Y w e", "2016 53 7"},
	} {
		got, err := MustDateTimeFormatter(c.pattern).Format(ts(t, c.in))
		if err != nil || got != c.want {
			t.Errorf("format %q of %s = %q, %v; want %q", c.pattern, c.in, got, err, c.want)
		}
	}
	neg := Timestamp{Millis: (daysFromCivil(-44, 3, 15)) * millisPerDay}
	if got, _ := MustDateTimeFormatter("uuuu yyyy G").Format(neg); got != "-0044 0045 BC" {
		t.Errorf("year -44: %q", got)
	}
	big := Timestamp{Millis: daysFromCivil(12345, 1, 1) * millisPerDay}
	if got, _ := MustDateTimeFormatter("yyyy uu").Format(big); got != "+12345 45" {
		t.Errorf("year 12345: %q", got)
	}
}

func TestDateTimeFormatterErrors(t *testing.T) {
	for _, c := range []struct{ pattern, want string }{
		{"yyyy-MM-dd'T", "Pattern ends with an incomplete string literal"},
		{"MMMMMM", "Too many pattern letters: M"},
		{"ddd", "Too many pattern letters: d"},
		{"HHH", "Too many pattern letters: H"},
		{"aa", "Too many pattern letters: a"},
		{"bb", "Unknown pattern letter: b"},
		{"yyyy#", "Pattern includes reserved character: '#'"},
		{"{", "Pattern includes reserved character: '{'"},
		{"]", "Pattern invalid as it contains ] without previous ["},
		{"cc", `Invalid pattern "cc"`},
		{"SSSSSSSSSS", "Maximum width must be from 1 to 9 inclusive but was 10"},
		{"V", "Pattern letter count must be 2: V"},
		{"ppH", "pattern letter 'p' (padding) is not supported"},
	} {
		_, err := CompileDateTimeFormatter(c.pattern)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("compile %q: %v, want %q", c.pattern, err, c.want)
		}
	}
	f := MustDateTimeFormatter("yyyy-MM-dd HH:mm:ssZ")
	if !f.NeedsZone() {
		t.Errorf("Z should need a zone")
	}
	if _, err := f.Format(Timestamp{}); err == nil {
		t.Errorf("formatting Z of a TIMESTAMP should fail, as Java's does")
	}
}

func TestToTimestamp(t *testing.T) {
	for _, c := range []struct{ in, pattern, want string }{
		{"20000202 59:59.1234567", "yyyyMMdd mm:ss.SSSSSSS", "2000-02-02 00:59:59.123"},
		{"1234567", "SSSSSSS", "1970-01-01 00:00:00.123"},
		{"2000020210", "yyyyMMddHH", "2000-02-02 10:00:00.000"},
		{"1970-01-01 00:00:00.12345", "yyyy-MM-dd HH:mm:ss.SSSSS", "1970-01-01 00:00:00.123"},
		{"2021-02-30 10:00", "yyyy-MM-dd HH:mm", "2021-02-28 10:00:00.000"},
		{"2021-02-28 24:00", "yyyy-MM-dd HH:mm", "2021-03-01 00:00:00.000"},
		{"03/14/18 01:02 PM", "MM/dd/yy hh:mm a", "2018-03-14 13:02:00.000"},
		{"14 Mar 2018", "dd MMM yyyy", "2018-03-14 00:00:00.000"},
		{"Wed, 14 March 2018", "EEE, dd MMMM yyyy", "2018-03-14 00:00:00.000"},
		{"2018-03-14T01:02:03+0800", "yyyy-MM-dd'T'HH:mm:ssZ", "2018-03-14 01:02:03.000"},
		{"2018-03-14 01:02:03Z", "yyyy-MM-dd HH:mm:ssXXX", "2018-03-14 01:02:03.000"},
		{"2018-073", "yyyy-DDD", "2018-03-14 00:00:00.000"},
		{"2018", "yyyy[-MM]", "2018-01-01 00:00:00.000"},
		{"12:30", "hh:mm", "1970-01-01 00:30:00.000"}, // no AM/PM: the hour is not resolved
		// Fallbacks: java.sql.Timestamp.valueOf and java.sql.Date.valueOf.
		{" 1999-9-10 05:20:10 ", "yyyy-MM-dd HH:mm:ss", "1999-09-10 05:20:10.000"},
		{"1999-9-10", "yyyy-MM-dd", "1999-09-10 00:00:00.000"},
		{"2021-02-30 25:00:00.5", "yyyy-MM-dd", "2021-03-03 01:00:00.500"},
		// NULL
		{"invalid value", "yyyy-MM-dd", ""},
		{"2018-13-01", "yyyy-MM-dd", ""},
		{"2018-03-14", "yyyy-MM-dd HH", "2018-03-14 00:00:00.000"}, // Date.valueOf
		{"Tue, 14 Mar 2018", "EEE, dd MMM yyyy", ""},               // 2018-03-14 is a Wednesday
		{"14 mar 2018", "dd MMM yyyy", ""},                         // names are case-sensitive
		{"+2018-03-14", "yyyy-MM-dd", ""},
		{"12:60", "HH:mm", ""},
	} {
		got, ok, err := ToTimestamp(c.in, MustDateTimeFormatter(c.pattern))
		s := ""
		if ok {
			s = FormatTimestamp(got, 3)
		}
		if err != nil || s != c.want {
			t.Errorf("TO_TIMESTAMP(%q, %q) = %q, %v; want %q", c.in, c.pattern, s, err, c.want)
		}
	}
	var pl *ErrParseLetter
	if _, _, err := ToTimestamp("x", MustDateTimeFormatter("ww")); !errors.As(err, &pl) || err.Error() != "pattern letter w is not supported for parsing yet" {
		t.Errorf("parsing week fields should be unsupported: %v", err)
	}
	if _, ok, err := ToTimestampPattern("2018", "yyyy{"); ok || err != nil {
		t.Errorf("a bad pattern is NULL in TO_TIMESTAMP")
	}
}

func TestSimpleDateFormat(t *testing.T) {
	x := ts(t, "2018-03-14 13:02:03.045").Millis
	for _, c := range []struct{ pattern, want string }{
		{"yyyy-MM-dd HH:mm:ss", "2018-03-14 13:02:03"},
		{"yy-MM-dd HH-mm-ss", "18-03-14 13-02-03"},
		{"y yyy yyyyy", "2018 2018 02018"},
		{"M MMM MMMM MMMMM L", "3 Mar March March 3"},
		{"E EEE EEEE u", "Wed Wed Wednesday 3"},
		{"D DDDD F w W", "73 0073 2 11 3"},
		{"a h K k H", "PM 1 1 13 13"},
		{"S SSS SSSS", "45 045 0045"},
		{"G z zzzz Z X XXX", "AD UTC Coordinated Universal Time +0000 Z Z"},
		{"'o''clock' ''", "o'clock '"},
		{"Y", "2018"},
		{"yyyy年M月d日", "2018年3月14日"},
	} {
		f, err := CompileSimpleDateFormat(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if got := f.Format(x); got != c.want {
			t.Errorf("format %q = %q, want %q", c.pattern, got, c.want)
		}
	}
	// FROM_UNIXTIME examples of Flink's tests and docs.
	if got := FromUnixtime(44, MustSimpleDateFormat("yyyy-MM-dd HH:mm:ss")); got != "1970-01-01 00:00:44" {
		t.Errorf("FROM_UNIXTIME(44) = %s", got)
	}
	// Before 1582-10-15 the Julian calendar (GregorianCalendar's cutover).
	if got := MustSimpleDateFormat("yyyy-MM-dd").Format(daysFromCivil(1582, 10, 14) * millisPerDay); got != "1582-10-04" {
		t.Errorf("the day before the cutover = %s", got)
	}
	if got := MustSimpleDateFormat("G yyyy-MM-dd").Format(daysFromJulian(-43, 3, 15) * millisPerDay); got != "BC 0044-03-15" {
		t.Errorf("44 BC = %s", got)
	}
	for _, c := range []struct{ pattern, want string }{
		{"yyyy-MM-dd'T", "Unterminated quote"},
		{"yyyy-MM-dd x", "Illegal pattern character 'x'"},
		{"XXXX", "invalid ISO 8601 format: length=4"},
	} {
		if _, err := CompileSimpleDateFormat(c.pattern); err == nil || err.Error() != c.want {
			t.Errorf("compile %q: %v, want %q", c.pattern, err, c.want)
		}
	}
}

func TestSimpleDateFormatParse(t *testing.T) {
	now := ts(t, "2024-06-01 00:00:00").Millis // two-digit years: 1944-06-01 .. 2044-05-31
	for _, c := range []struct {
		in, pattern string
		want        int64 // seconds; math.MinInt64 for a failed parse
	}{
		{"2015-07-24 10:00:00", "yyyy-MM-dd HH:mm:ss", 1437732000},
		{"2015/07/24 10:00:00.5", "yyyy/MM/dd HH:mm:ss.S", 1437732000},
		// Flink's documentation: an offset in the text wins; without X the rest is ignored.
		{"1970-01-01 08:00:01.001 +0800", "yyyy-MM-dd HH:mm:ss.SSS X", 1},
		{"1970-01-01 08:00:01.001", "yyyy-MM-dd HH:mm:ss.SSS X", -1 << 63},
		{"1970-01-01 08:00:01.001 +0800", "yyyy-MM-dd HH:mm:ss.SSS", 28801},
		{"1970-01-01 08:00:00 GMT+08:00", "yyyy-MM-dd HH:mm:ss Z", 0},
		{"1970-01-01 08:00:00 -0130", "yyyy-MM-dd HH:mm:ss Z", 34200},
		// Lenient: values carry over, spaces before numbers are skipped.
		{"2018-13-32 25:61:61", "yyyy-MM-dd HH:mm:ss", 1549072921},
		{"2018- 3- 4  1:02:03", "yyyy-MM-dd HH:mm:ss", 1520125323},
		{"20180304", "yyyyMMdd", 1520121600},
		{"18-03-04", "yy-MM-dd", 1520121600},
		{"43-03-04", "yy-MM-dd", 2309040000},
		{"45-03-04", "yy-MM-dd", -783561600},
		{"Mar 4, 2018 1:02:03 pm", "MMM d, yyyy h:mm:ss a", 1520168523},
		{"march 4 2018", "MMMM d yyyy", 1520121600},
		{"2018-063", "yyyy-DDD", 1520121600},
		{"Sun 2018-03", "EEE yyyy-MM", 1520121600}, // the first Sunday of March 2018
		{"1970-01-01", "yyyy-MM-dd HH:mm:ss", -1 << 63},
		{"", "yyyy", -1 << 63},
		{"1969-12-31 23:59:59.500", "yyyy-MM-dd HH:mm:ss.SSS", 0}, // -500 ms / 1000 is 0 in Java
	} {
		f, err := compileSimpleDateFormat(c.pattern, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnixTimestamp(c.in, f)
		if err != nil || got != c.want {
			t.Errorf("UNIX_TIMESTAMP(%q, %q) = %d, %v; want %d", c.in, c.pattern, got, err, c.want)
		}
	}
	var pl *ErrParseLetter
	if _, err := UnixTimestamp("x", MustSimpleDateFormat("ww")); !errors.As(err, &pl) {
		t.Errorf("parsing w should be unsupported: %v", err)
	}
	if d, ok, _ := ToDate("2018/3/4", MustSimpleDateFormat("yyyy/M/d")); !ok || FormatDate(d) != "2018-03-04" {
		t.Errorf("TO_DATE = %s, %v", FormatDate(d), ok)
	}
	if _, ok, _ := ToDate("x", MustSimpleDateFormat("yyyy")); ok {
		t.Errorf("TO_DATE of text that does not parse should be NULL")
	}
}

func TestDateFormatStringAndDate(t *testing.T) {
	f := MustSimpleDateFormat("yyyy/MM/dd HH:mm:ss")
	if got, ok := FormatStringSimple("2018-03-14 01:02:03", f); !ok || got != "2018/03/14 01:02:03" {
		t.Errorf("DATE_FORMAT(string) = %q", got)
	}
	if got, ok := FormatStringSimple("2018-03-14 01:02:03.456 trailing", MustSimpleDateFormat("yyMMdd")); !ok || got != "180314" {
		t.Errorf("DATE_FORMAT(string with more text) = %q", got)
	}
	if _, ok := FormatStringSimple("invalid value", f); ok {
		t.Errorf("DATE_FORMAT('invalid value', ...) should be NULL")
	}
	if _, ok := FormatStringSimple("2018-03-14", f); ok {
		t.Errorf("DATE_FORMAT('2018-03-14', ...) should be NULL: the time is missing")
	}
	if got, ok := FormatDateSimple(date(t, "2018-03-14"), MustSimpleDateFormat("EEEE, d MMM yyyy")); !ok || got != "Wednesday, 14 Mar 2018" {
		t.Errorf("DATE_FORMAT(date) = %q", got)
	}
	// A date before 1582 goes through its "yyyy-MM-dd" text, read in the Julian
	// calendar: the same year, month and day come out.
	if got, _ := FormatDateSimple(date(t, "1000-03-01"), MustSimpleDateFormat("yyyy-MM-dd")); got != "1000-03-01" {
		t.Errorf("DATE_FORMAT(DATE '1000-03-01') = %q", got)
	}
	if got, _ := FormatDateSimple(int32(daysFromCivil(12018, 3, 14)), MustSimpleDateFormat("yyyy-MM-dd")); got != "2018-03-14" {
		t.Errorf("DATE_FORMAT(DATE '12018-03-14') = %q (Flink writes the year's last four digits)", got)
	}
}

func TestPatternCacheAndErrors(t *testing.T) {
	if _, err := FormatTimestampPattern(Timestamp{}, "yyyy{"); err == nil || !strings.Contains(err.Error(), "invalid pattern 'yyyy{'") {
		t.Errorf("bad pattern: %v", err)
	}
	a, _ := DateTimeFormatterFor("yyyy")
	b, _ := DateTimeFormatterFor(strings.Clone("yyyy"))
	if a != b {
		t.Errorf("a pattern should compile once")
	}
}

func TestTimeFunctionsAllocations(t *testing.T) {
	x := ts(t, "2018-03-14 13:02:03.045")
	if n := testing.AllocsPerRun(100, func() {
		_ = ExtractTimestamp(UnitHour, x)
		_ = ExtractTimestamp(UnitYear, x)
		_ = FloorTimestamp(UnitMonth, x, false)
		_ = TimestampAdd(UnitMonth, 5, x)
		_ = TimestampDiff(UnitMonth, 0, x.Millis)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// Nexmark q10, q15-q17 group by DATE_FORMAT(dateTime, 'yyyy-MM-dd') and q14 reads
// HOUR(dateTime).
func BenchmarkDateFormat(b *testing.B) {
	f := MustDateTimeFormatter("yyyy-MM-dd")
	x := Timestamp{Millis: 1_600_000_000_123}
	var buf []byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = f.AppendTimestamp(buf[:0], x)
		x.Millis += 1000
	}
}

func BenchmarkDateFormatString(b *testing.B) {
	f := MustDateTimeFormatter("HH:mm")
	x := Timestamp{Millis: 1_600_000_000_123}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = f.Format(x)
		x.Millis += 1000
	}
}

func BenchmarkExtractHour(b *testing.B) {
	x := Timestamp{Millis: 1_600_000_000_123}
	var sum int64
	for i := 0; i < b.N; i++ {
		sum += ExtractTimestamp(UnitHour, x)
		x.Millis += 1000
	}
	_ = sum
}
