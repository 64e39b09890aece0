package types

import (
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	cases := []struct {
		in        string
		precision int
		want      string // formatted with precision 9 via time, "" = not ok
	}{
		{"2020-01-01 12:00:00", 3, "2020-01-01T12:00:00Z"},
		{"2020-01-01 12:00:00.123456789", 9, "2020-01-01T12:00:00.123456789Z"},
		{"2020-01-01 12:00:00.123456789", 3, "2020-01-01T12:00:00.123Z"},
		{"2020-01-01 12:00:00.123456789", 0, "2020-01-01T12:00:00Z"},
		{"2020-01-01T12:00:00", 3, "2020-01-01T12:00:00Z"},
		{"2020-01-01T12:00", 3, "2020-01-01T12:00:00Z"},
		{"2020-01-01T12:00:00.5Z", 3, "2020-01-01T12:00:00.5Z"},
		{"2020-01-01 12:00:00.5Z", 3, "2020-01-01T12:00:00.5Z"}, // TIMESTAMP_LTZ in csv and json
		{"2020-01-01", 3, "2020-01-01T00:00:00Z"},
		{"2020-1-2 3:4:5", 3, "2020-01-02T03:04:05Z"},
		{" 1969-12-31 23:59:59.999 ", 3, "1969-12-31T23:59:59.999Z"},
		{"1900-02-28 00:00:00", 3, "1900-02-28T00:00:00Z"},
		{"2000-02-29 00:00:00", 3, "2000-02-29T00:00:00Z"},
		{"0001-01-01 00:00:00", 3, "0001-01-01T00:00:00Z"},
		{"2020-01-01 12:00", 3, ""}, {"2020-13-01", 3, ""}, {"2019-02-29", 3, ""}, {"2020-01-32", 3, ""},
		{"2020-01-01 24:00:00", 3, ""}, {"2020-01-01 12:60:00", 3, ""}, {"20-01-01", 3, ""},
		{"2020-01-01 12:00:00.", 3, ""}, {"2020-01-01 12:00:00.1234567890", 9, ""}, {"", 3, ""},
		{"2020-01-01x", 3, ""}, {"abc", 3, ""},
	}
	for _, c := range cases {
		ts, ok := ParseTimestamp([]byte(c.in), c.precision)
		if c.want == "" {
			if ok {
				t.Errorf("ParseTimestamp(%q) = %+v, want not ok", c.in, ts)
			}
			continue
		}
		want, err := time.Parse(time.RFC3339Nano, c.want)
		if err != nil {
			t.Fatal(err)
		}
		wts := Timestamp{Millis: want.UnixMilli(), Nanos: int32(want.Nanosecond() % 1_000_000)}
		if !ok || ts != wts {
			t.Errorf("ParseTimestamp(%q, %d) = %+v %v; want %+v", c.in, c.precision, ts, ok, wts)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	ts, _ := ParseTimestamp([]byte("2020-01-01 12:00:00.12"), 9)
	cases := []struct {
		ts        Timestamp
		precision int
		want      string
	}{
		{ts, 3, "2020-01-01 12:00:00.120"},
		{ts, 0, "2020-01-01 12:00:00.12"}, // digits beyond the precision are kept, as Flink
		{ts, 6, "2020-01-01 12:00:00.120000"},
		{Timestamp{}, 3, "1970-01-01 00:00:00.000"},
		{Timestamp{}, 0, "1970-01-01 00:00:00"},
		{Timestamp{Millis: -1}, 3, "1969-12-31 23:59:59.999"},
		{Timestamp{Millis: 1, Nanos: 234567}, 9, "1970-01-01 00:00:00.001234567"},
		{Timestamp{Millis: 1, Nanos: 234567}, 3, "1970-01-01 00:00:00.001234567"},
	}
	for _, c := range cases {
		if got := FormatTimestamp(c.ts, c.precision); got != c.want {
			t.Errorf("FormatTimestamp(%+v, %d) = %q; want %q", c.ts, c.precision, got, c.want)
		}
	}
}

// TestDateRoundTrip checks the calendar arithmetic against package time over a wide range.
func TestDateRoundTrip(t *testing.T) {
	for days := int32(-719162); days <= 2932896; days += 37 { // 0001-01-01 .. 9999-12-31
		want := time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02")
		got := FormatDate(days)
		if got != want {
			t.Fatalf("FormatDate(%d) = %q; want %q", days, got, want)
		}
		back, ok := ParseDate([]byte(got))
		if !ok || back != days {
			t.Fatalf("ParseDate(%q) = %d %v; want %d", got, back, ok, days)
		}
	}
	if d, ok := ParseDate([]byte("2017-12-12 09:30:00")); !ok || FormatDate(d) != "2017-12-12" {
		t.Errorf("ParseDate with time = %d %v", d, ok)
	}
}

func TestTime(t *testing.T) {
	cases := []struct {
		in   string
		want int32
		ok   bool
	}{{"12:34:56", 45296000, true}, {"12:34", 45240000, true}, {"00:00:00.123", 123, true},
		{"00:00:00.1235", 124, true}, {"23:59:59.999", 86399999, true}, {"24:00:00", 0, false},
		{"12", 0, false}, {"12:3a", 0, false}}
	for _, c := range cases {
		got, ok := ParseTime([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("ParseTime(%q) = %d %v", c.in, got, ok)
		}
	}
	if got := FormatTime(45296123, 0); got != "12:34:56" {
		t.Errorf("FormatTime = %q", got)
	}
	if got := FormatTime(45296123, 3); got != "12:34:56.123" {
		t.Errorf("FormatTime = %q", got)
	}
	if got := FormatTime(45296100, 1); got != "12:34:56.1" {
		t.Errorf("FormatTime = %q", got)
	}
	// A TIME beyond a day (CAST('25:00' AS TIME)) keeps the hour's last two digits, as
	// Flink's unixTimeToString; a negative one gets days added.
	if got := FormatTime(25*3600000+61000, 0); got != "25:01:01" {
		t.Errorf("FormatTime(25 h) = %q", got)
	}
	if got := FormatTime(123*3600000, 0); got != "23:00:00" {
		t.Errorf("FormatTime(123 h) = %q", got)
	}
	if got := FormatTime(-3600000, 0); got != "23:00:00" {
		t.Errorf("FormatTime(-1 h) = %q", got)
	}
}

func TestDateTimeAllocs(t *testing.T) {
	in := []byte("2020-01-01 12:00:00.123456")
	buf := make([]byte, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		ts, _ := ParseTimestamp(in, 6)
		buf = AppendTimestamp(buf[:0], ts, 6)
		ParseDate(in[:10])
		ParseTime(in[11:])
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func TestCompareTimestamp(t *testing.T) {
	ts := []Timestamp{{Millis: -1, Nanos: 999_999}, {Millis: 0}, {Millis: 0, Nanos: 1}, {Millis: 1}}
	for i, a := range ts {
		for j, b := range ts {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareTimestamp(a, b); got != want {
				t.Errorf("CompareTimestamp(%v, %v) = %d, want %d", a, b, got, want)
			}
		}
	}
}
