package types

import (
	"testing"
	"time"
)

// epochDay is the epoch day of y-m-d, computed by package time (not daysFromCivil).
func epochDay(y, m, d int) int32 {
	return int32(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func TestCastStringToDate(t *testing.T) {
	bad := int32(-1 << 31)
	for _, c := range []struct {
		in   string
		want int32 // bad: the cast fails
	}{
		{"10", epochDay(10, 1, 1)},
		{"0", epochDay(0, 1, 1)},
		{"9999-12-31", epochDay(9999, 12, 31)},
		{"10000", bad},
		{"2020-5", epochDay(2020, 5, 1)},
		{"2020-05-01 12:00", epochDay(2020, 5, 1)}, // cut at the first space
		{"2020-05-01 garbage", epochDay(2020, 5, 1)},
		{" 2020-1-2 ", epochDay(2020, 1, 2)},     // space at index 0: no cut; parts trimmed
		{"\t2020 -\n1- 2", epochDay(2020, 1, 1)}, // cut at the first ' ' (index 5)
		{"2020-01-01T00:00", bad},
		{"2020-01-001", epochDay(2020, 1, 1)},
		{"0002020-1-1", epochDay(2020, 1, 1)},
		{"2021-02-29", bad},
		{"2020-02-29", epochDay(2020, 2, 29)},
		{"1900-02-29", bad},
		{"2000-02-29", epochDay(2000, 2, 29)},
		{"2021-04-31", bad},
		{"2021-04-30", epochDay(2021, 4, 30)},
		{"2021-13-01", bad},
		{"2021-00-01", bad},
		{"2021-01-00", bad},
		{"-5", bad},
		{"+5", bad},
		{"99999999999", bad}, // Integer.parseInt overflows
		{"2147483648-1-1", bad},
		{"2020-1-2-3", bad},
		{"", bad},
		{" ", bad},
		{"2020--1", bad},
		{"٢٠٢٠", bad}, // non-ASCII digits are not digits
	} {
		got, ok := CastStringToDate(c.in)
		if !ok {
			got = bad
		}
		if got != c.want {
			t.Errorf("CastStringToDate(%q) = %d, %v; want %d", c.in, got, ok, c.want)
		}
	}
}

func TestCastStringToTime(t *testing.T) {
	const bad = int32(-1 << 31)
	hms := func(h, m, s, ms int32) int32 { return ((h*60+m)*60+s)*1000 + ms }
	for _, c := range []struct {
		in   string
		p    int
		want int32
	}{
		{"12", 0, hms(12, 0, 0, 0)},
		{"12:30", 0, hms(12, 30, 0, 0)},
		{" 12 : 30 ", 0, hms(12, 30, 0, 0)},
		{"12:30:05", 0, hms(12, 30, 5, 0)},
		{"12:30:05.1234", 3, hms(12, 30, 5, 123)},
		{"12:30:05.1235", 3, hms(12, 30, 5, 124)}, // rounded at the 4th digit
		{"12:30:05.9995", 3, hms(12, 30, 6, 0)},
		{"12:30:05.1235", 2, hms(12, 30, 5, 120)}, // then truncated to TIME(2)
		{"12:30:05.1235", 0, hms(12, 30, 5, 0)},
		{"12:30:05.5", 3, hms(12, 30, 5, 500)},
		{"12:30:05.", 3, hms(12, 30, 5, 0)},
		{"12:30:05.x7", 3, hms(12, 30, 5, 70)},    // non-digits count as 0
		{"12:30:05.123a", 3, hms(12, 30, 5, 124)}, // 'a' >= '5' rounds up
		{"12:30:05.é12", 3, hms(12, 30, 5, 12)},   // one UTF-16 char, not two bytes
		{"12-01", 0, hms(11, 0, 0, 0)},            // '-' offset: hour -= 1
		{"12+01", 0, hms(13, 0, 0, 0)},            // '+' offset: hour += 1
		{"12:30:00-01:30", 0, hms(11, 0, 0, 0)},
		{"12:30:00+01:30", 0, hms(14, 0, 0, 0)},
		{"12-01:00", 0, bad},    // colon1 (in the offset) is after '-': hour "12-01"
		{"12:30-01:00", 0, bad}, // the offset's colon is taken as colon2: minute "30-01"
		{"12:30-01", 0, hms(11, 30, 0, 0)},
		{"00:00-01", 0, hms(-1, 0, 0, 0)}, // no range checks
		{"25:70:99", 0, hms(25, 70, 99, 0)},
		{"12:", 0, bad},
		{"", 0, bad},
		{"a", 0, bad},
		{"12:30:05 PM", 0, bad},
		{"99999999999", 0, bad},
		{"T12:00", 0, bad},
	} {
		got, ok := CastStringToTime(c.in, c.p)
		if !ok {
			got = bad
		}
		if got != c.want {
			t.Errorf("CastStringToTime(%q, %d) = %d, %v; want %d", c.in, c.p, got, ok, c.want)
		}
	}
}

func TestCastStringToTimestamp(t *testing.T) {
	ts := func(y, mo, d, h, mi, s, n int) string {
		return time.Date(y, time.Month(mo), d, h, mi, s, n, time.UTC).Format("2006-01-02 15:04:05.000000000")
	}
	show := func(v Timestamp) string {
		return time.UnixMilli(v.Millis).Add(time.Duration(v.Nanos)).UTC().Format("2006-01-02 15:04:05.000000000")
	}
	const bad = "fails"
	for _, c := range []struct {
		in   string
		p    int
		want string
	}{
		{"2020-01-02", 3, ts(2020, 1, 2, 0, 0, 0, 0)},
		{"2020-1-2", 3, ts(2020, 1, 2, 0, 0, 0, 0)},
		{"2020-01-02 03:04:05", 3, ts(2020, 1, 2, 3, 4, 5, 0)},
		{"2020-01-02 3:4:5", 3, ts(2020, 1, 2, 3, 4, 5, 0)},
		{"2020-01-02 03:04:05.123456789", 9, ts(2020, 1, 2, 3, 4, 5, 123456789)},
		{"2020-01-02 03:04:05.123456789", 6, ts(2020, 1, 2, 3, 4, 5, 123456000)},
		{"2020-01-02 03:04:05.999", 0, ts(2020, 1, 2, 3, 4, 5, 0)}, // floored
		{"2020-01-02 03:04:05.5", 3, ts(2020, 1, 2, 3, 4, 5, 500000000)},
		{"2020-01-02 03:04:05.", 3, ts(2020, 1, 2, 3, 4, 5, 0)},
		{"2020-01-02 03:04:05.1234567890", 9, bad},
		{"2020-01-02 03:04", 3, bad}, // the seconds' colon is required
		{"2020-01-02 03:04:", 3, ts(2020, 1, 2, 3, 4, 0, 0)},
		{"2020-01-02 ::", 3, ts(2020, 1, 2, 0, 0, 0, 0)},
		{"2020-01-02 :5:", 3, ts(2020, 1, 2, 0, 5, 0, 0)},
		{"2020-01-02 03:04:.5", 3, ts(2020, 1, 2, 3, 4, 0, 500000000)},
		{"2020-5-", 3, ts(2020, 5, 1, 0, 0, 0, 0)},
		{"2020--", 3, ts(2020, 1, 1, 0, 0, 0, 0)},
		{"2020-1212-1", 3, ts(2020, 12, 1, 0, 0, 0, 0)}, // [MM] 12 and [M] 12 agree
		{"2020-123-1", 3, bad},
		{"2020-011-1", 3, ts(2020, 1, 1, 0, 0, 0, 0)},
		{"2021-02-29", 3, ts(2021, 2, 28, 0, 0, 0, 0)}, // SMART clamps the day
		{"2021-04-31", 3, ts(2021, 4, 30, 0, 0, 0, 0)},
		{"2021-04-32", 3, bad},
		{"2021-13-01", 3, bad},
		{"2021-00-01", 3, bad},
		{"0000-01-01", 3, bad}, // year-of-era starts at 1
		{"0001-01-01", 3, ts(1, 1, 1, 0, 0, 0, 0)},
		{"10", 3, bad},
		{"020-01-01", 3, bad},
		{"20200-01-01", 3, bad},
		{"-2020-01-01", 3, bad},
		{" 2020-01-02", 3, bad}, // no trimming
		{"2020-01-02 ", 3, bad},
		{"2020-01-02T03:04:05", 3, bad},
		{"2020-01-02  03:04:05", 3, bad},
		{"2020-01-02 24:00:00", 3, ts(2020, 1, 3, 0, 0, 0, 0)},
		{"2021-02-29 24:00:00", 3, ts(2021, 3, 1, 0, 0, 0, 0)},
		{"2020-01-02 24:00:00.000", 3, ts(2020, 1, 3, 0, 0, 0, 0)},
		{"2020-01-02 24:00:01", 3, bad},
		{"2020-01-02 24:00:.0", 3, bad}, // not resolved: the hour is checked as it is
		{"2020-01- 24:00:00", 3, ts(2020, 1, 1, 0, 0, 0, 0)},
		{"2020-01-02 23:60:00", 3, bad},
		{"2020-01-02 12:30:-5", 3, bad},
		{"2020-01-02 12:30:-0", 3, bad}, // "-0" rolled back, then "-0" left unparsed
		{"9999-12-31 23:59:59.999999999", 9, ts(9999, 12, 31, 23, 59, 59, 999999999)},
	} {
		got, ok := CastStringToTimestamp(c.in, c.p)
		s := bad
		if ok {
			s = show(got)
		}
		if s != c.want {
			t.Errorf("CastStringToTimestamp(%q, %d) = %s; want %s", c.in, c.p, s, c.want)
		}
	}
}

func TestCastStringToBool(t *testing.T) {
	for _, c := range []struct {
		in    string
		v, ok bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {"tRuE", true, true}, {"t", true, true},
		{"Y", true, true}, {"yes", true, true}, {"1", true, true},
		{"false", false, true}, {"F", false, true}, {"n", false, true}, {"NO", false, true}, {"0", false, true},
		{" Y", false, false}, {"true ", false, false}, {"\ttrue", false, false}, // no trimming
		{"", false, false}, {"2", false, false}, {"\x10", false, false}, {"\x11", false, false},
		{"yes!", false, false}, {"ｙ", false, false}, {"01", false, false},
	} {
		v, ok := CastStringToBool(c.in)
		if v != c.v || ok != c.ok {
			t.Errorf("CastStringToBool(%q) = %v, %v; want %v, %v", c.in, v, ok, c.v, c.ok)
		}
	}
}
