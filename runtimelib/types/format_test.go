package types

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestFormatDouble(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{1.5, "1.5"}, {1.0, "1.0"}, {100.0, "100.0"}, {1e7, "1.0E7"}, {1.2345e-5, "1.2345E-5"},
		{0.001, "0.001"}, {0.0001, "1.0E-4"}, {9999999.0, "9999999.0"}, {12345678.9, "1.23456789E7"},
		{-1.5, "-1.5"}, {0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"}, {math.Inf(-1), "-Infinity"}, {0.1, "0.1"}, {1e10, "1.0E10"},
		{123.456, "123.456"}, {1e-10, "1.0E-10"}, {math.MaxFloat64, "1.7976931348623157E308"},
		{5e-324, "4.9E-324"}, {0.30000000000000004, "0.30000000000000004"}, {1234567.0, "1234567.0"},
		{-0.00123, "-0.00123"}, {1e21, "1.0E21"}, {100, "100.0"},
	}
	for _, c := range cases {
		if got := FormatDouble(c.in); got != c.want {
			t.Errorf("FormatDouble(%v) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	cases := []struct {
		in   float32
		want string
	}{{1.5, "1.5"}, {0.1, "0.1"}, {1e7, "1.0E7"}, {3.4028235e38, "3.4028235E38"}, {1.0, "1.0"},
		{1.4e-45, "1.4E-45"}, {123.45, "123.45"}}
	for _, c := range cases {
		if got := FormatFloat(c.in); got != c.want {
			t.Errorf("FormatFloat(%v) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestFormatDoubleRoundTrip checks that every output parses back to the same value and
// follows Java's layout rules.
func TestFormatDoubleRoundTrip(t *testing.T) {
	r := newRand(1)
	for i := 0; i < 50000; i++ {
		v := math.Float64frombits(r.Uint64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		s := FormatDouble(v)
		back, err := strconv.ParseFloat(strings.Replace(s, "E", "e", 1), 64)
		if err != nil || back != v {
			t.Fatalf("FormatDouble(%v) = %q does not round-trip", v, s)
		}
		a := math.Abs(v)
		sci := strings.Contains(s, "E")
		if sci != (a < 1e-3 || a >= 1e7) {
			t.Fatalf("FormatDouble(%v) = %q: wrong notation", v, s)
		}
		if !strings.Contains(s, ".") {
			t.Fatalf("FormatDouble(%v) = %q: no point", v, s)
		}
	}
}

func TestAppendDoubleAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		buf = AppendDouble(buf[:0], 12345.678)
		buf = AppendDouble(buf[:0], 1.5e-9)
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
