package difftest

import (
	"math"
	"testing"
)

// castCase: CAST(in AS to) with in of type from; want is the printField rendering of the
// result, "FAIL" for a run-time failure, "null" for NULL.
type castCase struct {
	in       Value
	from, to Type
	want     string
}

func runCastCases(t *testing.T, cases []castCase) {
	t.Helper()
	for _, c := range cases {
		v, ok := castValue(c.in, c.from, c.to)
		got := "FAIL"
		if ok {
			got = printField(v, c.to)
		}
		if got != c.want {
			t.Errorf("CAST(%+v AS %s) from %s = %q, want %q", c.in, c.to, c.from, got, c.want)
		}
	}
}

func vStr(s string) Value    { return Value{S: s} }
func vDec(u string) Value    { return Value{D: mustBig(u)} }
func vFlt(f float32) Value   { return Value{F: float64(f)} }
func vDbl(f float64) Value   { return Value{F: f} }
func vNum(i int64) Value     { return Value{I: i} }
func tVarchar(n int) Type    { return Type{Kind: VarChar, P: n} }
func tCharN(n int) Type      { return Type{Kind: Char, P: n} }
func tBinaryN(n int) Type    { return Type{Kind: Binary, P: n} }
func tVarbinaryN(n int) Type { return Type{Kind: VarBinary, P: n} }
func vTS(t *testing.T, s string) Value {
	v, ok := flinkParseTimestamp(s, 9)
	if !ok {
		t.Fatalf("bad timestamp %q", s)
	}
	return v
}

func TestCastNull(t *testing.T) {
	v, ok := castValue(nullValue, tString, tInt)
	if !ok || !v.Null {
		t.Error("NULL must cast to NULL")
	}
	v, ok = castValue(Value{}, tNullTyp, tDate)
	if !ok || !v.Null {
		t.Error("NULL literal must cast to NULL")
	}
}

func TestCastToInteger(t *testing.T) {
	// Expectations from Flink's CastRulesTest (marked) and Java's narrowing rules (JLS 5.1.3).
	runCastCases(t, []castCase{
		{vNum(12345), tSmall, tTiny, "57"},            // CastRulesTest
		{vNum(-1234567), tInt, tTiny, "121"},          // CastRulesTest
		{vNum(12345678901), tBig, tInt, "-539222987"}, // CastRulesTest
		{vNum(32780), tInt, tSmall, "-32756"},
		{vFlt(123.456), tFloat, tTiny, "123"},
		{vFlt(123456.78), tFloat, tSmall, "-7616"},        // CastRulesTest: (short) goes via int
		{vFlt(9234567891.12), tFloat, tInt, "2147483647"}, // CastRulesTest: saturates
		{vFlt(9234567891.12), tFloat, tBig, "9234568192"}, // CastRulesTest
		{vDbl(9234567891.12345), tDouble, tInt, "2147483647"},
		{vDbl(300.5), tDouble, tTiny, "44"},
		{vDbl(-1e30), tDouble, tBig, "-9223372036854775808"},
		{vDbl(math.NaN()), tDouble, tInt, "0"},
		{vDbl(-0.9), tDouble, tInt, "0"},
		{vDec("9870"), tDec(4, 3), tTiny, "9"}, // CastRulesTest 9.87 -> 9 (DOWN)
		{vDec("-9870"), tDec(4, 3), tInt, "-9"},
		{vDec("9123870"), tDec(10, 3), tTiny, "-93"},                // CastRulesTest
		{vDec("91235870"), tDec(10, 3), tSmall, "25699"},            // CastRulesTest
		{vDec("3276913443134870"), tDec(20, 3), tInt, "-146603714"}, // CastRulesTest
		{vDec("3276913443134870"), tDec(20, 3), tBig, "3276913443134"},
		{boolValue(true), tBool, tTiny, "1"},
		{boolValue(false), tBool, tBig, "0"},
		{vStr("123"), tString, tTiny, "123"},
		{vStr("1.234"), tString, tInt, "1"}, // CastRulesTest: fraction truncated
		{vStr("-1.9"), tString, tInt, "-1"},
		{vStr("+5"), tString, tInt, "5"},
		{vStr("1."), tString, tInt, "1"},
		{vStr("."), tString, tInt, "0"},
		{vStr("-130"), tString, tTiny, "FAIL"},          // CastRulesTest: out of range fails
		{vStr("-32769"), tString, tSmall, "FAIL"},       // CastRulesTest
		{vStr("-3276913443134"), tString, tInt, "FAIL"}, // CastRulesTest
		{vStr("-3276913443134"), tString, tBig, "-3276913443134"},
		{vStr("2147483647"), tString, tInt, "2147483647"},
		{vStr("2147483648"), tString, tInt, "FAIL"},
		{vStr("-2147483648"), tString, tInt, "-2147483648"},
		{vStr("9223372036854775807"), tString, tBig, "9223372036854775807"},
		{vStr("9223372036854775808"), tString, tBig, "FAIL"},
		{vStr("-9223372036854775808"), tString, tBig, "-9223372036854775808"},
		{vStr("Apache"), tString, tInt, "FAIL"}, // CastRulesTest
		{vStr(""), tString, tInt, "FAIL"},
		{vStr("-"), tString, tInt, "FAIL"},
		{vStr(" 1"), tString, tInt, "1"}, // StringToNumericPrimitiveCastRule trims the input first
		{vStr("1 "), tString, tInt, "1"},
		{vStr("\t1"), tString, tInt, "FAIL"}, // trim() removes spaces only
		{vStr("1.2.3"), tString, tInt, "FAIL"},
		{vStr("1e3"), tString, tInt, "FAIL"},
	})
}

func TestCastToApprox(t *testing.T) {
	runCastCases(t, []castCase{
		{vStr("1.234"), tString, tFloat, "1.234"},                  // CastRulesTest
		{vStr("-3276913443134"), tString, tFloat, "-3.2769135E12"}, // CastRulesTest -3.27691351E12f
		{vStr("-3276913443134"), tString, tDouble, "-3.276913443134E12"},
		{vStr(" 1.5d "), tString, tDouble, "1.5"}, // Double.parseDouble trims and takes a suffix
		{vStr("NaN"), tString, tDouble, "NaN"},
		{vStr("-Infinity"), tString, tDouble, "-Infinity"},
		{vStr("1e400"), tString, tDouble, "Infinity"},
		{vStr("0x1.8p1"), tString, tFloat, "3.0"},
		{vStr("inf"), tString, tDouble, "FAIL"},
		{vStr("Apache"), tString, tDouble, "FAIL"}, // CastRulesTest
		{vStr(""), tString, tDouble, "FAIL"},
		{vStr("1e"), tString, tDouble, "FAIL"},
		{vDec("9870"), tDec(4, 3), tFloat, "9.87"},                                             // CastRulesTest
		{vDec("3276913443134870"), tDec(20, 3), tDouble, "3.27691344313487E12"},                // CastRulesTest
		{vDec("3276913443134870"), tDec(20, 3), tFloat, "3.2769135E12"},                        // CastRulesTest
		{vDec("12345678912345678912345678900"), tDec(30, 20), tDouble, "1.2345678912345679E8"}, // CastRulesTest
		{vFlt(123.456), tFloat, tDouble, "123.45600128173828"},                                 // CastRulesTest
		{vDbl(1239234567891.1234567891234), tDouble, tFloat, "1.2392345E12"},                   // CastRulesTest 1.23923451E12f
		{vNum(12345678901), tBig, tFloat, "1.2345679E10"},
		{vNum(1), tInt, tDouble, "1.0"},
		{boolValue(true), tBool, tDouble, "1.0"},
	})
}

func TestCastToDecimal(t *testing.T) {
	runCastCases(t, []castCase{
		{vNum(123), tInt, tDec(5, 2), "123.00"},
		{vNum(1234), tInt, tDec(5, 2), "null"}, // DecimalData.fromBigDecimal: NULL, not a failure
		{vNum(-5), tTiny, tDec(1, 0), "-5"},
		{vDbl(1.005), tDouble, tDec(5, 2), "1.01"}, // BigDecimal.valueOf(1.005) = 1.005 -> HALF_UP
		{vDbl(0.125), tDouble, tDec(3, 2), "0.13"},
		{vDbl(-0.125), tDouble, tDec(3, 2), "-0.13"},
		{vFlt(0.1), tFloat, tDec(20, 18), "0.100000001490116120"}, // via (double) 0.1f
		{vDbl(1e10), tDouble, tDec(12, 1), "10000000000.0"},
		{vDbl(1e10), tDouble, tDec(10, 0), "null"},
		{vDbl(math.NaN()), tDouble, tDec(10, 2), "FAIL"}, // BigDecimal("NaN") throws
		{vDbl(math.Inf(1)), tDouble, tDec(10, 2), "FAIL"},
		{vDec("98765"), tDec(5, 4), tDec(4, 3), "9.877"}, // HALF_UP
		{vDec("98765"), tDec(5, 4), tDec(3, 3), "null"},
		{vDec("0"), tDec(5, 4), tDec(38, 18), "0E-18"},
		{boolValue(true), tBool, tDec(3, 1), "1.0"},
		// STRING -> DECIMAL, fast path (p <= 18, <= 18 bytes): BinaryStringDataUtil.toDecimalFromBytes
		{vStr("123.456"), tString, tDec(5, 2), "123.46"},
		{vStr("-123.455"), tString, tDec(5, 2), "-123.46"},
		{vStr(" 12.5\t"), tString, tDec(4, 1), "12.5"},
		{vStr("1e2"), tString, tDec(5, 1), "100.0"},
		{vStr("1.5E-1"), tString, tDec(3, 2), "0.15"},
		{vStr("+.5"), tString, tDec(2, 1), "0.5"},
		{vStr("1234"), tString, tDec(3, 0), "FAIL"}, // overflow throws for strings
		{vStr("0.5"), tString, tDec(1, 1), "0.5"},   // Flink's fast path says FAIL: not copied (flinkDecimalFastPath)
		{vStr("1x"), tString, tDec(5, 2), "FAIL"},   // Flink: 1.00 (fast path quirk, not copied)
		{vStr("x"), tString, tDec(5, 2), "FAIL"},    // Flink: 0.00 (fast path quirk, not copied)
		{vStr("1 x"), tString, tDec(5, 2), "FAIL"},
		{vStr("1.2.3"), tString, tDec(5, 2), "FAIL"},
		{vStr("   "), tString, tDec(5, 2), "FAIL"},
		{vStr("-"), tString, tDec(5, 2), "FAIL"},
		{vStr("9.99"), tString, tDec(2, 1), "FAIL"}, // Flink: 10.0 (fast path quirk, not copied)
		// slow path (p > 18 or > 18 bytes): trim ' ', '\n', '\t', then new BigDecimal
		{vStr(" 123.456 "), tString, tDec(20, 2), "123.46"},
		{vStr("1x"), tString, tDec(20, 2), "FAIL"},
		{vStr("1234567890123456789.5"), tString, tDec(20, 0), "1234567890123456790"},
		{vStr("12345678901234567890123"), tString, tDec(20, 0), "FAIL"},
		{vStr("0000000000000000001.5"), tString, tDec(5, 1), "1.5"}, // 21 bytes: slow path
	})
}

func TestCastToBoolean(t *testing.T) {
	runCastCases(t, []castCase{
		{vStr("true"), tCharN(4), tBool, "true"}, // CastRulesTest
		{vStr("FalsE"), tVarchar(5), tBool, "false"},
		{vStr("TRUE"), tString, tBool, "true"},
		{vStr("y"), tString, tBool, "true"},
		{vStr("YES"), tString, tBool, "true"},
		{vStr("1"), tString, tBool, "true"},
		{vStr("t"), tString, tBool, "true"},
		{vStr("No"), tString, tBool, "false"},
		{vStr("0"), tString, tBool, "false"},
		{vStr(""), tString, tBool, "FAIL"}, // CastRulesTest
		{vStr("Apache Flink"), tString, tBool, "FAIL"},
		{vStr(" true"), tString, tBool, "FAIL"}, // no trimming
		{vNum(0), tTiny, tBool, "false"},
		{vNum(-5), tInt, tBool, "true"},
	})
}

func TestCastToString(t *testing.T) {
	ts := vTS(t, "2021-09-24 12:34:56.123456")
	runCastCases(t, []castCase{
		{boolValue(true), tBool, tString, "TRUE"}, // CastRulesTest (non-legacy)
		{boolValue(false), tBool, tString, "FALSE"},
		{vNum(-125), tTiny, tString, "-125"},
		{vFlt(-123.456), tFloat, tString, "-123.456"},          // CastRulesTest
		{vDbl(12345.678901), tDouble, tString, "12345.678901"}, // CastRulesTest
		{vDbl(1e10), tDouble, tString, "1.0E10"},
		{vFlt(math.MaxFloat32), tFloat, tString, "3.4028235E38"},
		{vDec("9870"), tDec(4, 3), tString, "9.870"},               // CastRulesTest
		{vDec("0"), tDec(38, 18), tString, "0.000000000000000000"}, // toPlainString, not 0E-18
		{vDec("1"), tDec(20, 10), tString, "0.0000000001"},
		{Value{I: daysFromCivil(2021, 9, 24)}, tDate, tString, "2021-09-24"},
		{Value{I: 45296123}, tTime(5), tString, "12:34:56.123"}, // CastRulesTest
		{Value{I: 45296000}, tTime(0), tString, "12:34:56"},
		{Value{I: 45296000}, tTime(3), tString, "12:34:56.0"}, // formatTimestampMillis stops at first zero remainder
		{Value{I: 45296120}, tTime(3), tString, "12:34:56.12"},
		{ts, tTimestamp(6), tString, "2021-09-24 12:34:56.123456"},                           // CastRulesTest
		{ts, tTimestamp(9), tString, "2021-09-24 12:34:56.123456000"},                        // CastRulesTest
		{ts, tTimestamp(7), tString, "2021-09-24 12:34:56.1234560"},                          // CastRulesTest
		{vTS(t, "2021-09-24 12:34:56.1"), tTimestamp(3), tString, "2021-09-24 12:34:56.100"}, // CastRulesTest
		{vTS(t, "2021-09-24 12:34:56"), tTimestamp(0), tString, "2021-09-24 12:34:56"},
		{vTS(t, "2021-09-24 12:34:56"), tTimestamp(3), tString, "2021-09-24 12:34:56.000"},
		{vTS(t, "2021-09-24 12:34:56.1"), tLTZ(3), tString, "2021-09-24 12:34:56.100"}, // UTC session
		{vTS(t, "1969-12-31 23:59:59.5"), tTimestamp(3), tString, "1969-12-31 23:59:59.500"},
		{vStr("\x00\x01"), tBinaryN(2), tString, "\x00\x01"}, // UTF-8 decode (not hex)
		{vStr("\xe2\x82A\xff"), tBytes, tString, "\uFFFDA\uFFFD"},
		// CHAR(n) / VARCHAR(n) targets: CastRulesTest
		{vStr("Flink"), tVarchar(5), tCharN(6), "Flink "},
		{vStr("foo"), tString, tCharN(6), "foo   "},
		{boolValue(true), tBool, tCharN(6), "TRUE  "},
		{vNum(-125), tTiny, tCharN(6), "-125  "},
		{vStr("Apache"), tCharN(6), tVarchar(3), "Apa"},
		{vStr("Apache Flink"), tString, tVarchar(3), "Apa"},
		{boolValue(false), tBool, tVarchar(3), "FAL"},
		{vDec("98765"), tDec(5, 4), tVarchar(3), "9.8"},
		{vDbl(math.MaxFloat64), tDouble, tVarchar(3), "1.7"},
		{ts, tTimestamp(6), tVarchar(3), "202"},
		{Value{I: 45296123}, tTime(5), tVarchar(3), "12:"},
		{vStr("straße"), tString, tVarchar(5), "straß"}, // code points
		{vStr("😀x"), tString, tVarchar(1), "😀"},
		{vStr("日本"), tString, tCharN(3), "日本 "},
		{vStr("😀x"), tBytes, tVarchar(1), "?"}, // BinaryToString trims in UTF-16 units
		{vStr("😀x"), tBytes, tCharN(4), "😀x "},
	})
}

func TestCastToBinary(t *testing.T) {
	runCastCases(t, []castCase{
		{vStr("foo"), tString, tBytes, "[102, 111, 111]"},
		{vStr("é"), tString, tBytes, "[-61, -87]"},
		{vStr("foo"), tString, tBinaryN(5), "[102, 111, 111, 0, 0]"},
		{vStr("foobar"), tString, tBinaryN(2), "[102, 111]"},
		{vStr("foobar"), tString, tVarbinaryN(2), "[102, 111]"},
		{vStr("fo"), tString, tVarbinaryN(5), "[102, 111]"},
		{vStr("\x01\x02"), tBinaryN(2), tBinaryN(4), "[1, 2, 0, 0]"}, // CastRulesTest
		{vStr("\x01\x02\x03"), tVarbinaryN(3), tBinaryN(4), "[1, 2, 3, 0]"},
	})
}

func TestCastDateTime(t *testing.T) {
	d := func(y, m, dd int64) Value { return Value{I: daysFromCivil(y, m, dd)} }
	runCastCases(t, []castCase{
		// STRING -> DATE: DateTimeUtils.parseDate (CastRulesTest)
		{vStr("123"), tString, tDate, "0123-01-01"},
		{vStr("2021-09-27"), tString, tDate, "2021-09-27"},
		{vStr("2021-09-27 12:34:56.123456789"), tString, tDate, "2021-09-27"},
		{vStr("2021/09/27"), tString, tDate, "FAIL"},
		{vStr("2021-9-7"), tString, tDate, "2021-09-07"},
		{vStr(" 2021-09-27"), tString, tDate, "2021-09-27"},
		{vStr("2021-02-29"), tString, tDate, "FAIL"},
		{vStr("2020-02-29"), tString, tDate, "2020-02-29"},
		{vStr("2021-04-31"), tString, tDate, "FAIL"},
		{vStr("foo"), tString, tDate, "FAIL"},
		// STRING -> TIME: DateTimeUtils.parseTime (CastRulesTest)
		{vStr("23"), tString, tTime(0), "23:00"},
		{vStr("23:45"), tString, tTime(0), "23:45"},
		{vStr("12:34:56.123456789"), tString, tTime(3), "12:34:56.123"},
		{vStr("12:34:56.123456789"), tString, tTime(0), "12:34:56"},
		{vStr("12:34:56.1235"), tString, tTime(3), "12:34:56.124"},
		{vStr("foo"), tString, tTime(0), "FAIL"},
		{vStr("2021-09-27 12:34:56"), tString, tTime(0), "FAIL"},
		// STRING -> TIMESTAMP: DateTimeUtils.parseTimestampData (CastRulesTest)
		{vStr("2021-09-27"), tString, tTimestamp(9), "2021-09-27T00:00"},
		{vStr("2021-09-27 12:34:56.123456789"), tString, tTimestamp(9), "2021-09-27T12:34:56.123456789"},
		{vStr("2021-09-27 12:34:56.123456789"), tString, tTimestamp(3), "2021-09-27T12:34:56.123"},
		{vStr("2021-9-7 1:2:3"), tString, tTimestamp(0), "2021-09-07T01:02:03"},
		{vStr("2021-09-27 12:34:56.123"), tString, tLTZ(3), "2021-09-27T12:34:56.123Z"},
		{vStr("123"), tString, tTimestamp(3), "FAIL"},
		{vStr("2021/09/27"), tString, tTimestamp(3), "FAIL"},
		{vStr("2021-09-27T12:34:56"), tString, tTimestamp(3), "FAIL"},
		{vStr("2021-09-27 12:34"), tString, tTimestamp(3), "FAIL"},
		{vStr(" 2021-09-27"), tString, tTimestamp(3), "FAIL"},
		{vStr("2021-02-30"), tString, tTimestamp(3), "2021-02-28T00:00"}, // ResolverStyle.SMART
		// among date/time types
		{d(2020, 1, 31), tDate, tTimestamp(3), "2020-01-31T00:00"},
		{d(2020, 1, 31), tDate, tLTZ(3), "2020-01-31T00:00:00Z"},
		{Value{I: 45296123}, tTime(3), tTimestamp(3), "1970-01-01T12:34:56.123"},
		{vTS(t, "2020-01-31 12:34:56.789"), tTimestamp(3), tDate, "2020-01-31"},
		{vTS(t, "1969-12-31 12:00:00"), tTimestamp(3), tDate, "1970-01-01"}, // Flink bug: (int)(millis / day)
		{vTS(t, "1969-12-31 12:00:00"), tLTZ(3), tDate, "1969-12-31"},
		{vTS(t, "2020-01-31 12:34:56.789"), tTimestamp(3), tTime(0), "12:34:56"},
		{vTS(t, "2020-01-31 12:34:56.789"), tTimestamp(3), tTime(3), "12:34:56.789"},
		{vTS(t, "2020-01-31 12:34:56.789123"), tTimestamp(6), tTimestamp(3), "2020-01-31T12:34:56.789"},
		{vTS(t, "2020-01-31 12:34:56.789123"), tTimestamp(6), tTimestamp(0), "2020-01-31T12:34:56"},
		{vTS(t, "2020-01-31 12:34:56.789123"), tTimestamp(6), tTimestamp(9), "2020-01-31T12:34:56.789123"},
		{vTS(t, "1969-12-31 23:59:58.5"), tTimestamp(3), tTimestamp(0), "1969-12-31T23:59:59"}, // truncate toward zero
		{vTS(t, "2020-01-31 12:34:56.789"), tTimestamp(3), tLTZ(3), "2020-01-31T12:34:56.789Z"},
		{vTS(t, "2020-01-31 12:34:56.789"), tLTZ(3), tTimestamp(0), "2020-01-31T12:34:56"},
		{Value{I: 45296789}, tTime(3), tTime(0), "12:34:56"},
		{Value{I: 45296789}, tTime(3), tTime(1), "12:34:56.700"},
	})
	// DateTimeUtils.truncate quirk: a nano-of-second whose decimal string is short survives.
	v := Value{I: 0, N: 5}
	if got := flinkTruncateTimestamp(v, 3); got != v {
		t.Errorf("truncate quirk: %+v", got)
	}
}

func TestCastAllowed(t *testing.T) {
	yes := [][2]Type{{tString, tInt}, {tInt, tBool}, {tBool, tDec(3, 0)}, {tBytes, tString},
		{tString, tBytes}, {tDate, tTimestamp(3)}, {tTime(0), tLTZ(3)}, {tLTZ(3), tTime(0)},
		{tDouble, tTiny}, {tDate, tString}}
	no := [][2]Type{{tDouble, tBool}, {tDec(3, 0), tBool}, {tInt, tBytes}, {tDate, tTime(0)},
		{tTime(0), tDate}, {tInt, tTimestamp(3)}, {tTimestamp(3), tBig}, {tBytes, tInt}}
	for _, p := range yes {
		if !castAllowed(p[0], p[1]) {
			t.Errorf("castAllowed(%s, %s) = false", p[0], p[1])
		}
	}
	for _, p := range no {
		if castAllowed(p[0], p[1]) {
			t.Errorf("castAllowed(%s, %s) = true", p[0], p[1])
		}
	}
}

// TestJavaDecodeUTF8Surrogates: new String(bytes, UTF_8) on a JDK takes an encoded
// surrogate (ED A0..BF ..) as one malformed sequence; these are its outputs.
func TestJavaDecodeUTF8Surrogates(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"\xef\xed\xaf\x51\xe7", "\ufffd\ufffdQ\ufffd"},
		{"\xed\xa0", "\ufffd"},
		{"\x8f\xa0\xed\xbf", "\ufffd\ufffd\ufffd"},
		{"\xff\xed\xa0\x36", "\ufffd\ufffd6"},
		{"\x63\xed\xa0", "c\ufffd"},
	} {
		if got := javaDecodeUTF8(c.in); got != c.want {
			t.Errorf("javaDecodeUTF8(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
