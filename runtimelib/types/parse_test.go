package types

import (
	"math"
	"strconv"
	"testing"
)

func TestParseInt64(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"123", 123, true}, {"-123", -123, true}, {"+7", 7, true},
		{" 42 ", 42, true}, {"\t-1\r", -1, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false}, {"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false}, {" ", 0, false}, {"-", 0, false}, {"+", 0, false}, {"1.5", 0, false},
		{"1e3", 0, false}, {"0x10", 0, false}, {"1 2", 0, false}, {"--1", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseInt64([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("ParseInt64(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseNarrowInts(t *testing.T) {
	if v, ok := ParseInt8([]byte("-128")); !ok || v != -128 {
		t.Errorf("ParseInt8(-128) = %d %v", v, ok)
	}
	if _, ok := ParseInt8([]byte("128")); ok {
		t.Error("ParseInt8(128) ok")
	}
	if v, ok := ParseInt16([]byte("32767")); !ok || v != 32767 {
		t.Errorf("ParseInt16 = %d %v", v, ok)
	}
	if _, ok := ParseInt16([]byte("32768")); ok {
		t.Error("ParseInt16(32768) ok")
	}
	if v, ok := ParseInt32([]byte(" -2147483648")); !ok || v != math.MinInt32 {
		t.Errorf("ParseInt32 = %d %v", v, ok)
	}
	if _, ok := ParseInt32([]byte("2147483648")); ok {
		t.Error("ParseInt32(2^31) ok")
	}
}

func TestParseFloat64(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true}, {"-0.25", -0.25, true}, {"1e3", 1000, true}, {"1E-3", 0.001, true},
		{".5", 0.5, true}, {"5.", 5, true}, {" 3.25 ", 3.25, true}, {"1.5f", 1.5, true}, {"2d", 2, true},
		{"+1", 1, true}, {"0.1", 0.1, true}, {"123456789012345678901234567890", 1.2345678901234568e29, true},
		{"1e400", math.Inf(1), true}, {"-1e400", math.Inf(-1), true}, {"1e-400", 0, true},
		{"Infinity", math.Inf(1), true}, {"-Infinity", math.Inf(-1), true},
		{"", 0, false}, {"abc", 0, false}, {"inf", 0, false}, {"nan", 0, false}, {"1e", 0, false},
		{"1.2.3", 0, false}, {"e5", 0, false}, {".", 0, false}, {"1_000", 0, false}, {"0x1p3", 0, false},
		{"4.9e-324", 5e-324, true}, {"2.2250738585072011e-308", 2.225073858507201e-308, true},
	}
	for _, c := range cases {
		got, ok := ParseFloat64([]byte(c.in))
		if got != c.want || ok != c.ok {
			t.Errorf("ParseFloat64(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if v, ok := ParseFloat64([]byte("NaN")); !ok || !math.IsNaN(v) {
		t.Errorf("NaN: %v %v", v, ok)
	}
}

// TestParseFloatAgainstStrconv checks the fast path against strconv on many values.
func TestParseFloatAgainstStrconv(t *testing.T) {
	r := newRand(7)
	for i := 0; i < 100000; i++ {
		var s string
		switch i % 4 {
		case 0:
			s = strconv.FormatFloat(r.Float64()*math.Pow(10, float64(r.Intn(40)-20)), 'g', -1, 64)
		case 1:
			s = strconv.FormatInt(r.Int63()>>uint(r.Intn(63)), 10) + "." + strconv.Itoa(r.Intn(100000))
		case 2:
			s = strconv.Itoa(r.Intn(1000000)) + "e" + strconv.Itoa(r.Intn(60)-30)
		default:
			s = strconv.FormatFloat(float64(float32(r.NormFloat64()*1000)), 'f', -1, 32)
		}
		want, _ := strconv.ParseFloat(s, 64)
		got, ok := ParseFloat64([]byte(s))
		if !ok || got != want {
			t.Fatalf("ParseFloat64(%q) = %v, %v; want %v", s, got, ok, want)
		}
		want32, _ := strconv.ParseFloat(s, 32)
		got32, ok := ParseFloat32([]byte(s))
		if !ok || got32 != float32(want32) {
			t.Fatalf("ParseFloat32(%q) = %v, %v; want %v", s, got32, ok, float32(want32))
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "TRUE", " True ", "t", "Y", "yes", "1"} {
		if v, ok := ParseBool([]byte(s)); !ok || !v {
			t.Errorf("ParseBool(%q) = %v %v", s, v, ok)
		}
	}
	for _, s := range []string{"false", "F", "no", "N", "0"} {
		if v, ok := ParseBool([]byte(s)); !ok || v {
			t.Errorf("ParseBool(%q) = %v %v", s, v, ok)
		}
	}
	for _, s := range []string{"", "2", "tru", "yess", "nope"} {
		if _, ok := ParseBool([]byte(s)); ok {
			t.Errorf("ParseBool(%q) ok", s)
		}
	}
	if !ParseBoolLenient([]byte(" TRUE")) || ParseBoolLenient([]byte("yes")) || ParseBoolLenient(nil) {
		t.Error("ParseBoolLenient")
	}
	// CAST does not trim (BinaryStringDataUtil.toBoolean): found by the differential tester.
	if v, ok := CastStringToBool("Y"); !ok || !v {
		t.Error(`CastStringToBool("Y")`)
	}
	for _, s := range []string{" y", "true ", " 0"} {
		if _, ok := CastStringToBool(s); ok {
			t.Errorf("CastStringToBool(%q) ok", s)
		}
	}
}

func TestCastStringToInt(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{{"12", 12, true}, {"12.7", 12, true}, {"-12.7", -12, true}, {" 3. ", 3, true},
		{".5", 0, true}, {"-", 0, false}, {"", 0, false}, {"1.x", 0, false}, {"abc", 0, false}, {"1.2.3", 0, false}}
	for _, c := range cases {
		got, ok := CastStringToInt64(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("CastStringToInt64(%q) = %d %v", c.in, got, ok)
		}
	}
	if _, ok := CastStringToInt8("200"); ok {
		t.Error("CastStringToInt8(200) ok")
	}
}

func TestParseAllocs(t *testing.T) {
	in := []byte(" 12345 ")
	fl := []byte("1234.5678")
	fl2 := []byte("3.14159265358979323846")
	n := testing.AllocsPerRun(100, func() {
		ParseInt64(in)
		ParseInt32(in)
		ParseFloat64(fl)
		ParseFloat64(fl2)
		ParseFloat32(fl)
		ParseBool(in)
		CastStringToInt64("12.5")
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func BenchmarkParseInt64(b *testing.B) {
	in := []byte("1234567890")
	for i := 0; i < b.N; i++ {
		ParseInt64(in)
	}
}

func BenchmarkParseInt64Baseline(b *testing.B) {
	in := []byte("1234567890")
	for i := 0; i < b.N; i++ {
		strconv.ParseInt(string(in), 10, 64)
	}
}

func BenchmarkParseFloat64(b *testing.B) {
	in := []byte("12345.678")
	for i := 0; i < b.N; i++ {
		ParseFloat64(in)
	}
}

func BenchmarkParseFloat64Baseline(b *testing.B) {
	in := []byte("12345.678")
	for i := 0; i < b.N; i++ {
		strconv.ParseFloat(string(in), 64)
	}
}

func TestFloatToInt(t *testing.T) {
	cases := []struct {
		in  float64
		i64 int64
		i32 int32
	}{{1.9, 1, 1}, {-1.9, -1, -1}, {math.NaN(), 0, 0}, {1e300, math.MaxInt64, math.MaxInt32},
		{-1e300, math.MinInt64, math.MinInt32}, {math.Inf(1), math.MaxInt64, math.MaxInt32}, {3e9, 3000000000, math.MaxInt32}}
	for _, c := range cases {
		if got := FloatToInt64(c.in); got != c.i64 {
			t.Errorf("FloatToInt64(%v) = %d", c.in, got)
		}
		if got := FloatToInt32(c.in); got != c.i32 {
			t.Errorf("FloatToInt32(%v) = %d", c.in, got)
		}
	}
}
