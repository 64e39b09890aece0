package types

import (
	"math"
	"testing"
	"time"
)

func TestSubstringSQL(t *testing.T) {
	for _, c := range []struct {
		s           string
		pos, length int64
		hasLength   bool
		want        string
	}{
		{"hello", 2, 0, false, "ello"},
		{"hello", 0, 2, true, "he"}, // pos 0 is 1
		{"hello", -3, 2, true, "ll"},
		{"hello", -10, 3, true, ""}, // before the start: Flink gives ""
		{"hello", 2, -1, true, ""},
		{"hello", 9, 2, true, ""},
		{"hello", 2, math.MaxInt64, true, "ello"},
		{"Zürich", 2, 3, true, "üri"}, // characters, not bytes
		{"Zürich", -2, 0, false, "ch"},
		{"", 1, 1, true, ""},
	} {
		if got := SubstringSQL(c.s, c.pos, c.length, c.hasLength); got != c.want {
			t.Errorf("SubstringSQL(%q, %d, %d, %v) = %q, want %q", c.s, c.pos, c.length, c.hasLength, got, c.want)
		}
	}
}

func TestRoundHalfUp(t *testing.T) {
	for _, c := range []struct {
		x    float64
		n    int
		want float64
	}{
		{2.5, 0, 3},
		{-2.5, 0, -3},
		{1.005, 2, 1.01}, // the shortest digits of 1.005 are rounded, not its binary value
		{0.125, 2, 0.13},
		{1234.5678, -2, 1200},
		{1e300, 2, 1e300}, // too large for DECIMAL(38, 2): kept
	} {
		got, ok := RoundHalfUp(c.x, c.n)
		if !ok || got != c.want {
			t.Errorf("RoundHalfUp(%v, %d) = %v, %v, want %v", c.x, c.n, got, ok, c.want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, ok := RoundHalfUp(x, 1); ok {
			t.Errorf("RoundHalfUp(%v) must not be ok", x)
		}
	}
	if got, ok := RoundHalfUp32(2.25, 1); !ok || got != 2.3 {
		t.Errorf("RoundHalfUp32(2.25, 1) = %v, %v", got, ok)
	}
}

func TestCompareAndFormat(t *testing.T) {
	if CompareBool(false, true) != -1 || CompareBool(true, false) != 1 || CompareBool(true, true) != 0 {
		t.Error("CompareBool")
	}
	if FormatBool(true) != "TRUE" || FormatBool(false) != "FALSE" {
		t.Error("FormatBool")
	}
	ts := Timestamp{Millis: -86_400_001, Nanos: 999_999}
	if got := FromGoTime(GoTime(ts)); got != ts {
		t.Errorf("FromGoTime(GoTime(%v)) = %v", ts, got)
	}
	if got := GoTime(ts); got.Location() != time.UTC || got.Nanosecond() != 999_999_999 {
		t.Errorf("GoTime(%v) = %v", ts, got)
	}
}
