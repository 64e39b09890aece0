package types

import (
	"math"
	"strings"
	"testing"
)

func TestPowLog(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct{ x, y, want float64 }{
		{2, 10, 1024},
		{1, nan, nan},                  // Java: a NaN exponent is NaN (Go: 1)
		{-1, inf, nan},                 // Java: |x| = 1 to an infinite power is NaN (Go: 1)
		{1, -inf, nan},                 //
		{nan, 0, 1},                    // anything to the 0 is 1
		{math.Copysign(0, -1), 0.5, 0}, // SQRT(-0.0) is POWER(-0.0, 0.5) = +0.0
		{-inf, 0.5, inf},               // SQRT(-Infinity) is +Infinity in Flink (Math.pow)
		{4, 0.5, 2},
		{-4, 0.5, nan},
	} {
		got := Pow(c.x, c.y)
		if !(got == c.want && math.Signbit(got) == math.Signbit(c.want) || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("Pow(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	for x, want := range map[float64]float64{1: 0, 10: 1, 1000: 3, 1e15: 15, 1e22: 22, 0.001: -3, 2: 0.3010299956639812} {
		if got := Log10(x); got != want {
			t.Errorf("Log10(%v) = %v, want %v", x, got, want)
		}
	}
	if got := Log10(0); !math.IsInf(got, -1) {
		t.Errorf("Log10(0) = %v", got)
	}
	if got := Log10(-1); !math.IsNaN(got) {
		t.Errorf("Log10(-1) = %v", got)
	}
	if got := Log10(5e-324); got != -323.3062153431158 {
		t.Errorf("Log10(subnormal) = %v", got)
	}
	if got := LogBase(10, 1000); got != 2.9999999999999996 {
		t.Errorf("LogBase(10, 1000) = %v", got)
	}
	if got := Log2(1024); got != 10 {
		t.Errorf("Log2(1024) = %v", got)
	}
}

func TestTruncate(t *testing.T) {
	// Flink's docs: 42.324.truncate(2) is 42.32, 42.324.truncate() is 42.0.
	for _, c := range []struct {
		x    float64
		n    int32
		want float64
	}{
		{42.324, 2, 42.32},
		{42.324, 0, 42},
		{-42.324, 2, -42.32},
		{1234.5, -2, 1200},
		{0.1 + 0.2, 1, 0.3}, // the shortest digits 0.30000000000000004 are truncated
		{-0.5, 0, 0},
		{1e300, 2, 1e300},
	} {
		got, ok := TruncateDouble(c.x, c.n)
		if !ok || got != c.want || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("TruncateDouble(%v, %d) = %v, %v, want %v", c.x, c.n, got, ok, c.want)
		}
	}
	if _, ok := TruncateDouble(math.NaN(), 1); ok {
		t.Error("TruncateDouble(NaN) must fail")
	}
	if got, ok := TruncateFloat(1.1, 1); !ok || got != 1.1 {
		t.Errorf("TruncateFloat(1.1, 1) = %v, %v", got, ok)
	}
	if _, ok := TruncateFloat(3e20, 1); ok {
		t.Error("TruncateFloat beyond DECIMAL(38, 18) must fail")
	}
	for _, c := range []struct {
		x    int64
		n    int32
		want int64
	}{{123, -1, 120}, {-129, -1, -120}, {129, 2, 129}, {math.MaxInt64, -18, 9000000000000000000}, {math.MinInt64, -19, 0}} {
		if got := TruncateInt(c.x, c.n); got != c.want {
			t.Errorf("TruncateInt(%d, %d) = %d, want %d", c.x, c.n, got, c.want)
		}
	}
	dec := func(s string, scale int) Decimal {
		d, ok := ParseDecimal([]byte(s), 38, scale)
		if !ok {
			t.Fatalf("bad decimal %s", s)
		}
		return d
	}
	for _, c := range []struct {
		in       string
		scale, n int
		want     string
	}{
		{"42.324", 3, 2, "42.32"},
		{"-42.329", 3, 2, "-42.32"},
		{"42.324", 3, 5, "42.324"},
		{"1234.5", 1, -2, "1200"},
		{"-1234.5", 1, -5, "0"},
	} {
		got := TruncateDecimal(dec(c.in, c.scale), c.scale, c.n)
		if s := got.Format(max(min(c.n, c.scale), 0)); s != c.want {
			t.Errorf("TruncateDecimal(%s, %d) = %s, want %s", c.in, c.n, s, c.want)
		}
	}
	for _, c := range [][3]string{{"1.5", "1", "2"}, {"-1.5", "-2", "-1"}, {"2.0", "2", "2"}, {"-0.1", "-1", "0"}, {"99.9", "99", "100"}} {
		d := dec(c[0], 1)
		if got := FloorDecimal(d, 1).Format(0); got != c[1] {
			t.Errorf("FloorDecimal(%s) = %s, want %s", c[0], got, c[1])
		}
		if got := CeilDecimal(d, 1).Format(0); got != c[2] {
			t.Errorf("CeilDecimal(%s) = %s, want %s", c[0], got, c[2])
		}
	}
}

func TestJavaRandom(t *testing.T) {
	// Known values of java.util.Random: new Random(42).nextDouble() is
	// 0.7275636800328681, new Random(0).nextDouble() is 0.730967787376657,
	// new Random(42).nextInt() is -1170105035 and new Random(42).nextInt(10) is 0.
	if got := NewJavaRandom(42).Float64(); got != 0.7275636800328681 {
		t.Errorf("Random(42).nextDouble() = %v", got)
	}
	if got := SeededRandFloat64(0); got != 0.730967787376657 {
		t.Errorf("Random(0).nextDouble() = %v", got)
	}
	if got := NewJavaRandom(42).next(32); got != -1170105035 {
		t.Errorf("Random(42).nextInt() = %v", got)
	}
	if got, err := SeededRandIntN(42, 10); err != nil || got != 0 {
		t.Errorf("Random(42).nextInt(10) = %v, %v", got, err)
	}
	r := NewJavaRandom(7)
	for range 1000 {
		if v, err := r.IntN(7); err != nil || v < 0 || v >= 7 {
			t.Fatalf("IntN(7) = %v, %v", v, err)
		}
		if v, err := r.IntN(16); err != nil || v < 0 || v >= 16 {
			t.Fatalf("IntN(16) = %v, %v", v, err)
		}
		if v := r.Float64(); v < 0 || v >= 1 {
			t.Fatalf("Float64 = %v", v)
		}
	}
	if _, err := r.IntN(0); err != ErrRandBound {
		t.Errorf("IntN(0): err = %v", err)
	}
	if _, err := RandIntN(-1); err != ErrRandBound {
		t.Errorf("RandIntN(-1): err = %v", err)
	}
}

func TestUUID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		u := UUID()
		if len(u) != 36 || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-' || u[14] != '4' || !strings.ContainsRune("89ab", rune(u[19])) {
			t.Fatalf("UUID() = %q, not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("UUID() repeated %q", u)
		}
		seen[u] = true
	}
}
