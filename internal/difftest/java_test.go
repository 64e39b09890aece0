package difftest

import (
	"math"
	"math/big"
	"testing"
)

var point1 = 0.1 // a variable, so that Go does not fold 0.1+0.2 exactly

func TestJavaDouble(t *testing.T) {
	// Expectations are Java 19+ Double.toString outputs.
	cases := []struct {
		in   float64
		want string
	}{
		{1, "1.0"},
		{-1, "-1.0"},
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{1e10, "1.0E10"},
		{1.234e-5, "1.234E-5"},
		{0.001, "0.001"}, // lower bound of plain notation is inclusive
		{0.0009999, "9.999E-4"},
		{9999999, "9999999.0"}, // < 1e7: plain
		{1e7, "1.0E7"},
		{12345678.9, "1.23456789E7"},
		{100, "100.0"},
		{123.456789, "123.456789"},
		{0.1, "0.1"},
		{point1 + 0.2, "0.30000000000000004"},
		{1.0 / 3, "0.3333333333333333"},
		{math.MaxFloat64, "1.7976931348623157E308"},
		{5e-324, "4.9E-324"}, // Java 19+: 2-digit rule when the shortest has 1 digit
		{2e23, "2.0E23"},     // pre-19 JDKs printed 1.9999999999999998E23
		{1e23, "1.0E23"},
		{-3276913443134, "-3.276913443134E12"},            // CastRulesTest
		{1.2392345678911235e12, "1.2392345678911235E12"},  // CastRulesTest
		{float64(float32(123.456)), "123.45600128173828"}, // CastRulesTest FLOAT -> DOUBLE
	}
	for _, c := range cases {
		if got := javaDouble(c.in); got != c.want {
			t.Errorf("javaDouble(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJavaFloat(t *testing.T) {
	// Java 19+ Float.toString.
	cases := []struct {
		in   float32
		want string
	}{
		{1, "1.0"},
		{-123.456, "-123.456"}, // CastRulesTest FLOAT -> STRING
		{-1.23, "-1.23"},
		{0.1, "0.1"},
		{1e10, "1.0E10"},
		{math.MaxFloat32, "3.4028235E38"},
		{math.SmallestNonzeroFloat32, "1.4E-45"},
		{9234567891.12, "9.234568E9"},
		{-3.27691351e12, "-3.2769135E12"},
		{1.23923451e12, "1.2392345E12"},
		{16777216, "1.6777216E7"},
		{1234567, "1234567.0"},
		{float32(math.Inf(-1)), "-Infinity"},
	}
	for _, c := range cases {
		if got := javaFloat(c.in); got != c.want {
			t.Errorf("javaFloat(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func mustBig(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

func TestJavaBigDecimalString(t *testing.T) {
	// java.math.BigDecimal.toString / toPlainString of new BigDecimal(unscaled, scale).
	cases := []struct {
		u          string
		scale      int
		str, plain string
	}{
		{"0", 18, "0E-18", "0.000000000000000000"},
		{"0", 0, "0", "0"},
		{"0", 6, "0.000000", "0.000000"}, // adjusted -6: still plain
		{"0", 7, "0E-7", "0.0000000"},
		{"12345", 2, "123.45", "123.45"},
		{"-12345", 2, "-123.45", "-123.45"},
		{"5", 3, "0.005", "0.005"},
		{"1", 6, "0.000001", "0.000001"},
		{"1", 7, "1E-7", "0.0000001"},
		{"15", 8, "1.5E-7", "0.00000015"},
		{"-1000000000", 18, "-1.000000000E-9", "-0.000000001000000000"},
		{"9870", 3, "9.870", "9.870"},
		{"1", -3, "1E+3", "1000"},
		{"123", -2, "1.23E+4", "12300"},
		{"99999999999999999999999999999999999999", 0, "99999999999999999999999999999999999999", "99999999999999999999999999999999999999"},
	}
	for _, c := range cases {
		if got := bigDecimalString(mustBig(c.u), c.scale); got != c.str {
			t.Errorf("bigDecimalString(%s, %d) = %q, want %q", c.u, c.scale, got, c.str)
		}
		if got := bigDecimalPlain(mustBig(c.u), c.scale); got != c.plain {
			t.Errorf("bigDecimalPlain(%s, %d) = %q, want %q", c.u, c.scale, got, c.plain)
		}
	}
}

func TestJavaRescaleAndPrecision(t *testing.T) {
	cases := []struct {
		u        string
		from, to int
		want     string
	}{
		{"12345", 2, 1, "1235"},   // 123.45 -> 123.5 (HALF_UP)
		{"-12345", 2, 1, "-1235"}, // HALF_UP rounds away from zero
		{"12344", 2, 1, "1234"},
		{"-12344", 2, 1, "-1234"},
		{"5", 1, 0, "1"},
		{"-5", 1, 0, "-1"},
		{"4", 1, 0, "0"},
		{"123", 0, 3, "123000"},
		{"9999", 2, 0, "100"},
	}
	for _, c := range cases {
		if got := rescaleHalfUp(mustBig(c.u), c.from, c.to).String(); got != c.want {
			t.Errorf("rescaleHalfUp(%s, %d, %d) = %s, want %s", c.u, c.from, c.to, got, c.want)
		}
	}
	if !fitsPrecision(mustBig("0"), 1) || !fitsPrecision(mustBig("-999"), 3) || fitsPrecision(mustBig("1000"), 3) {
		t.Error("fitsPrecision")
	}
}

func TestJavaParseDecimalText(t *testing.T) {
	cases := []struct {
		in   string
		p, s int
		want string // "" = NULL/false
	}{
		{"123.456", 5, 2, "123.46"},
		{"-123.455", 5, 2, "-123.46"},
		{"1E+2", 5, 2, "100.00"},
		{"1e-2", 5, 2, "0.01"},
		{".5", 3, 1, "0.5"},
		{"5.", 3, 1, "5.0"},
		{"+7", 3, 0, "7"},
		{"0.005", 3, 2, "0.01"},
		{"0.004", 3, 2, "0.00"},
		{"1234", 3, 0, ""},   // too wide
		{"999.95", 4, 1, ""}, // rounds to 1000.0: 5 digits
		{" 1", 3, 0, ""},     // new BigDecimal does not trim
		{"1 ", 3, 0, ""},
		{"", 3, 0, ""},
		{".", 3, 0, ""},
		{"1e", 3, 0, ""},
		{"abc", 3, 0, ""},
		{"1E-1000000", 3, 0, "0"},
		{"1E+1000000", 38, 0, ""},
	}
	for _, c := range cases {
		v, ok := parseDecimalText(c.in, c.p, c.s)
		got := ""
		if ok {
			got = bigDecimalString(v.D, c.s)
		}
		if got != c.want {
			t.Errorf("parseDecimalText(%q, %d, %d) = %q (ok=%v), want %q", c.in, c.p, c.s, got, ok, c.want)
		}
	}
}

func TestJavaPrintField(t *testing.T) {
	ts := func(s string) Value {
		v, ok := flinkParseTimestamp(s, 9)
		if !ok {
			t.Fatalf("bad timestamp %q", s)
		}
		return v
	}
	day := func(s string) Value {
		d, ok := flinkParseDate(s)
		if !ok {
			t.Fatalf("bad date %q", s)
		}
		return Value{I: d}
	}
	cases := []struct {
		v    Value
		t    Type
		want string
	}{
		{nullValue, tInt, "null"},
		{boolValue(true), tBool, "true"},
		{boolValue(false), tBool, "false"},
		{Value{I: -128}, tTiny, "-128"},
		{Value{F: 1e10}, tDouble, "1.0E10"},
		{Value{F: float64(float32(0.1))}, tFloat, "0.1"},
		{Value{D: mustBig("0")}, tDec(38, 18), "0E-18"},
		{Value{D: mustBig("12345")}, tDec(10, 2), "123.45"},
		{Value{S: "straße"}, tString, "straße"},
		{Value{S: "\x01\x02\xff"}, tBytes, "[1, 2, -1]"},
		{Value{S: ""}, tBytes, "[]"},
		{day("2020-01-31"), tDate, "2020-01-31"},
		{Value{I: 0}, tDate, "1970-01-01"},
		{Value{I: -1}, tDate, "1969-12-31"},
		{Value{I: daysFromCivil(12345, 1, 2)}, tDate, "+12345-01-02"},
		{Value{I: daysFromCivil(-5, 3, 4)}, tDate, "-0005-03-04"},
		{Value{I: daysFromCivil(33, 3, 4)}, tDate, "0033-03-04"},
		{Value{I: 45000000}, tTime(0), "12:30"},
		{Value{I: 45005000}, tTime(0), "12:30:05"},
		{Value{I: 45005120}, tTime(3), "12:30:05.120"},
		{Value{I: 0}, tTime(0), "00:00"},
		{ts("2020-01-31 12:30:00"), tTimestamp(3), "2020-01-31T12:30"},
		{ts("2020-01-31 12:30:05.123"), tTimestamp(3), "2020-01-31T12:30:05.123"},
		{ts("2020-01-31 12:30:00.0001"), tTimestamp(6), "2020-01-31T12:30:00.000100"},
		{ts("2020-01-31 12:30:00.000000001"), tTimestamp(9), "2020-01-31T12:30:00.000000001"},
		{ts("1969-12-31 23:59:59.5"), tTimestamp(3), "1969-12-31T23:59:59.500"},
		{ts("2020-01-31 12:30:00"), tLTZ(3), "2020-01-31T12:30:00Z"},
		{ts("2020-01-31 12:30:00.1"), tLTZ(3), "2020-01-31T12:30:00.100Z"},
		{ts("2020-01-31 12:30:00.1234"), tLTZ(6), "2020-01-31T12:30:00.123400Z"},
	}
	for _, c := range cases {
		if got := printField(c.v, c.t); got != c.want {
			t.Errorf("printField(%+v, %s) = %q, want %q", c.v, c.t, got, c.want)
		}
	}
}
