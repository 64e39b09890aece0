package types

import (
	"math"
	"testing"
)

func TestTimestampCasts(t *testing.T) {
	for _, c := range []struct {
		in        Timestamp
		precision int
		want      Timestamp
	}{
		{Timestamp{Millis: 1234, Nanos: 567}, 6, Timestamp{Millis: 1234}},
		{Timestamp{Millis: 1234, Nanos: 567}, 3, Timestamp{Millis: 1234}},
		{Timestamp{Millis: 1234, Nanos: 567}, 0, Timestamp{Millis: 1000}},
		{Timestamp{Millis: -1500}, 0, Timestamp{Millis: -1000}},             // toward zero before 1970
		{Timestamp{Millis: 0, Nanos: 5}, 3, Timestamp{Millis: 0, Nanos: 5}}, // "5" has 1 digit: kept
		{Timestamp{Millis: -1, Nanos: 999_999}, 7, Timestamp{Millis: -1, Nanos: 999_900}},
	} {
		if got := TruncateTimestamp(c.in, c.precision); got != c.want {
			t.Errorf("TruncateTimestamp(%+v, %d) = %+v, want %+v", c.in, c.precision, got, c.want)
		}
	}
	day := int64(millisPerDay)
	if got := TimestampToDate(Timestamp{Millis: -day / 2}); got != 0 {
		t.Errorf("TimestampToDate(1969-12-31 12:00) = %d, want 0 (Java division)", got)
	}
	if got := LTZToDate(Timestamp{Millis: -day / 2}); got != -1 {
		t.Errorf("LTZToDate(1969-12-31 12:00) = %d, want -1", got)
	}
	if got := TimestampToTime(Timestamp{Millis: -1000}); got != -1000 {
		t.Errorf("TimestampToTime(-1000) = %d, want -1000 (Java remainder)", got)
	}
	if got := LTZToTime(Timestamp{Millis: -1000}); got != int32(day-1000) {
		t.Errorf("LTZToTime(-1000) = %d, want %d", got, day-1000)
	}
	if got := FormatTime(-1000, 0); got != "23:59:59" {
		t.Errorf("FormatTime(-1000, 0) = %q, want 23:59:59", got)
	}
}

func TestCompareFloat64(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	negZero := math.Copysign(0, -1)
	for _, c := range []struct {
		a, b float64
		want int
	}{
		{1, 2, -1}, {2, 1, 1}, {1, 1, 0},
		{nan, nan, 0}, {nan, inf, 1}, {inf, nan, -1}, {0, nan, -1},
		{negZero, 0, -1}, {0, negZero, 1}, {negZero, negZero, 0},
	} {
		if got := CompareFloat64(c.a, c.b); got != c.want {
			t.Errorf("CompareFloat64(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
