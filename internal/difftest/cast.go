package difftest

// Flink's CAST, re-derived from the cast rules of flink-table-planner
// (org.apache.flink.table.planner.functions.casting.*, resolved by CastRuleProvider) and the
// runtime helpers they call (DecimalDataUtils, BinaryStringDataUtil, DateTimeUtils), with
// table.exec.legacy-cast-behaviour disabled (the default since Flink 1.15) and the session
// time zone UTC. Nothing here may import the compiler or its runtime.

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// castAllowed reports whether Flink's validator (LogicalTypeCasts.supportsExplicitCast, Flink
// 1.15+) accepts CAST(from AS to) for the kinds the tester generates.
func castAllowed(from, to Type) bool {
	f, t := from.Kind, to.Kind
	if f == Null || f == t {
		return true
	}
	switch t {
	case Char, VarChar:
		return true // explicitFromFamily(PREDEFINED, ...)
	case Boolean:
		return f.isString() || f.isInteger()
	case Binary, VarBinary:
		return f.isString() || f.isBinary()
	case TinyInt, SmallInt, Int, BigInt, Decimal, Float, Double:
		return f.isNumeric() || f.isString() || f == Boolean
	case Date:
		return f.isString() || f.isTimestamp()
	case Time:
		return f.isString() || f.isTimestamp()
	case Timestamp, TimestampLTZ:
		return f.isString() || f == Date || f == Time || f.isTimestamp()
	}
	return false
}

// castValue evaluates CAST(v AS to) for v of type from. ok=false means the cast throws at run
// time (CAST fails the job; TRY_CAST yields NULL). NULL casts to NULL. It panics on pairs that
// castAllowed rejects (a generator bug).
func castValue(v Value, from, to Type) (Value, bool) {
	if v.Null || from.Kind == Null {
		return nullValue, true
	}
	if !castAllowed(from, to) {
		panic("castValue: CAST(" + from.String() + " AS " + to.String() + ") is not allowed")
	}
	switch to.Kind {
	case Boolean:
		return castToBoolean(v, from)
	case TinyInt, SmallInt, Int, BigInt:
		return castToInteger(v, from, to)
	case Float, Double:
		return castToApprox(v, from, to)
	case Decimal:
		return castToDecimal(v, from, to)
	case Char, VarChar:
		return castToString(v, from, to)
	case Binary, VarBinary:
		return castToBinary(v, from, to)
	case Date:
		return castToDate(v, from)
	case Time:
		return castToTime(v, from, to)
	case Timestamp, TimestampLTZ:
		return castToTimestamp(v, from, to)
	}
	panic("castValue: unsupported target " + to.String())
}

// ---- BOOLEAN --------------------------------------------------------------------------------

func castToBoolean(v Value, from Type) (Value, bool) {
	switch {
	case from.Kind == Boolean:
		return v, true
	case from.Kind.isInteger():
		// IntegerNumericToBooleanCastRule: x != 0
		return boolValue(v.I != 0), true
	case from.Kind == Decimal:
		// NumericToBooleanCastRule (Flink <= 1.14 only): DecimalDataUtils.castToBoolean
		return boolValue(v.D.Sign() != 0), true
	case from.Kind.isApprox():
		return boolValue(v.F != 0), true
	case from.Kind.isString():
		// StringToBooleanCastRule -> BinaryStringDataUtil.toBoolean: lower-cased (no trimming)
		// and matched against t/true/y/yes/1 and f/false/n/no/0; anything else throws.
		switch strings.ToLower(v.S) {
		case "t", "true", "y", "yes", "1":
			return boolValue(true), true
		case "f", "false", "n", "no", "0":
			return boolValue(false), true
		}
		return nullValue, false
	}
	panic("castToBoolean: " + from.String())
}

// ---- integers -------------------------------------------------------------------------------

// wrapInt is Java's narrowing primitive conversion of a long to the kind's width.
func narrowInt(x int64, k Kind) int64 {
	switch k {
	case TinyInt:
		return int64(int8(x))
	case SmallInt:
		return int64(int16(x))
	case Int:
		return int64(int32(x))
	}
	return x
}

// javaD2L is Java's (long) of a double: truncation, saturating, NaN -> 0 (JLS 5.1.3).
func javaD2L(d float64) int64 {
	switch {
	case math.IsNaN(d):
		return 0
	case d >= 9223372036854775807:
		return math.MaxInt64
	case d <= -9223372036854775808:
		return math.MinInt64
	}
	return int64(d)
}

// javaD2I is Java's (int) of a double.
func javaD2I(d float64) int64 {
	switch {
	case math.IsNaN(d):
		return 0
	case d >= math.MaxInt32:
		return math.MaxInt32
	case d <= math.MinInt32:
		return math.MinInt32
	}
	return int64(int32(d))
}

func castToInteger(v Value, from, to Type) (Value, bool) {
	k := to.Kind
	switch {
	case from.Kind == Boolean:
		// BooleanToNumericCastRule: b ? 1 : 0
		return Value{I: v.I}, true
	case from.Kind.isInteger():
		// NumericPrimitiveCastRule: ((byte)(x)) etc., Java wrapping.
		return Value{I: narrowInt(v.I, k)}, true
	case from.Kind.isApprox():
		// NumericPrimitiveCastRule: (long)d saturates; (int)d saturates; (short)d and (byte)d
		// go through int (JLS 5.1.3), then wrap: (short) 123456.78f == -7616 (CastRulesTest).
		if k == BigInt {
			return Value{I: javaD2L(v.F)}, true
		}
		return Value{I: narrowInt(javaD2I(v.F), k)}, true
	case from.Kind == Decimal:
		// DecimalToNumericPrimitiveCastRule: (byte) DecimalDataUtils.castToIntegral(d), which is
		// setScale(0, DOWN).longValue() (low 64 bits), then Java narrowing.
		// CastRulesTest: DECIMAL(10,3) 9123.87 -> TINYINT -93.
		u := rescaleDown(v.D, from.S, 0)
		return Value{I: narrowInt(low64(u), k)}, true
	case from.Kind.isString():
		// StringToNumericPrimitiveCastRule: BinaryStringDataUtil.toByte/toShort/toInt/toLong
		// of the input's trim() (spaces).
		return parseFlinkInteger(strings.Trim(v.S, " "), k)
	}
	panic("castToInteger: " + from.String())
}

// low64 is BigInteger.longValue(): the low-order 64 bits, two's complement.
func low64(u *big.Int) int64 {
	m := new(big.Int).And(u, new(big.Int).SetUint64(math.MaxUint64))
	return int64(m.Uint64())
}

// parseFlinkInteger is BinaryStringDataUtil.toLong / toInt (and toShort / toByte, which call
// toInt and reject values that do not fit), of the already trimmed text: an optional leading '+' or '-';
// ASCII digits; a '.' ends the integer part and the rest must be digits (truncation:
// "1.234" -> 1, "." -> 0, "-.5" -> 0); overflow and any other byte throw.
func parseFlinkInteger(s string, k Kind) (Value, bool) {
	if len(s) == 0 {
		return nullValue, false
	}
	i := 0
	neg := s[0] == '-'
	if neg || s[0] == '+' {
		i++
		if len(s) == 1 {
			return nullValue, false
		}
	}
	limit := int64(math.MinInt64) // accumulate negatively, as the Java code does
	if k != BigInt {
		limit = math.MinInt32
	}
	stop := limit / 10
	var result int64
	for i < len(s) {
		b := s[i]
		i++
		if b == '.' {
			break
		}
		if b < '0' || b > '9' {
			return nullValue, false
		}
		if result < stop {
			return nullValue, false
		}
		result = result*10 - int64(b-'0')
		if result < limit || result > 0 {
			return nullValue, false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nullValue, false
		}
	}
	if !neg {
		result = -result
		if result < 0 {
			return nullValue, false
		}
	}
	if narrowInt(result, k) != result {
		return nullValue, false // toShort/toByte: "Overflow."
	}
	return Value{I: result}, true
}

// ---- FLOAT / DOUBLE -------------------------------------------------------------------------

// roundApprox stores d as the target kind holds it (FLOAT keeps a float32 value).
func roundApprox(d float64, k Kind) float64 {
	if k == Float {
		return float64(float32(d))
	}
	return d
}

func castToApprox(v Value, from, to Type) (Value, bool) {
	k := to.Kind
	switch {
	case from.Kind == Boolean:
		return Value{F: float64(v.I)}, true
	case from.Kind.isInteger():
		// NumericPrimitiveCastRule: (float) long / (double) long, round to nearest.
		if k == Float {
			return Value{F: float64(float32(v.I))}, true
		}
		return Value{F: float64(v.I)}, true
	case from.Kind.isApprox():
		return Value{F: roundApprox(v.F, k)}, true
	case from.Kind == Decimal:
		// DecimalToNumericPrimitiveCastRule: (float/double) DecimalDataUtils.doubleValue(d):
		// compact decimals (precision <= 18) compute (double) unscaled / POW10[scale] in double
		// arithmetic; larger ones use BigDecimal.doubleValue (correctly rounded).
		return Value{F: roundApprox(decimalDoubleValue(v.D, from.P, from.S), k)}, true
	case from.Kind.isString():
		// BinaryStringDataUtil.toFloat/toDouble: Float.parseFloat / Double.parseDouble.
		f, ok := parseJavaFloating(v.S, k == Float)
		if !ok {
			return nullValue, false
		}
		return Value{F: f}, true
	}
	panic("castToApprox: " + from.String())
}

// decimalDoubleValue is DecimalDataUtils.doubleValue.
func decimalDoubleValue(u *big.Int, p, s int) float64 {
	if p <= 18 && u.IsInt64() {
		return float64(u.Int64()) / math.Pow10(s)
	}
	r := new(big.Rat).SetFrac(u, pow10Big(s))
	f, _ := r.Float64()
	return f
}

// parseJavaFloating is Double.parseDouble / Float.parseFloat (FloatingDecimal.readJavaFormatString):
// leading and trailing characters <= ' ' are trimmed; an optional sign; "NaN", "Infinity", a
// decimal with optional exponent and an optional f/F/d/D suffix, or a hex float with a
// mandatory p exponent. Float parses straight to float (no double rounding).
func parseJavaFloating(s string, isFloat bool) (float64, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	bits := 64
	if isFloat {
		bits = 32
	}
	body := s
	sign := 1.0
	if len(body) > 0 && (body[0] == '+' || body[0] == '-') {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(int(sign)), true
	}
	if len(body) > 0 {
		switch body[len(body)-1] {
		case 'f', 'F', 'd', 'D':
			body = body[:len(body)-1]
		}
	}
	if len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		if !validJavaHex(body[2:]) {
			return 0, false
		}
	} else if !validJavaDecimal(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, bits)
	if err != nil {
		// Go reports overflow as an error with ±Inf; Java returns ±Infinity.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return sign * f, true
		}
		return 0, false
	}
	return sign * f, true
}

func validJavaDecimal(s string) bool {
	i, nd := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		nd++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			nd++
		}
	}
	if nd == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ne := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			ne++
		}
		if ne == 0 {
			return false
		}
	}
	return i == len(s)
}

func validJavaHex(s string) bool {
	isHex := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	}
	i, nd := 0, 0
	for i < len(s) && isHex(s[i]) {
		i++
		nd++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
			nd++
		}
	}
	if nd == 0 || i >= len(s) || (s[i] != 'p' && s[i] != 'P') {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	ne := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		ne++
	}
	return ne > 0 && i == len(s)
}

// ---- DECIMAL --------------------------------------------------------------------------------

func castToDecimal(v Value, from, to Type) (Value, bool) {
	p, s := to.P, to.S
	var u *big.Int
	scale := 0
	switch {
	case from.Kind == Boolean || from.Kind.isInteger():
		// NumericPrimitiveToDecimalCastRule -> DecimalDataUtils.castFrom(long, p, s):
		// fromBigDecimal(BigDecimal.valueOf(l), p, s), NULL (not an error) when too wide.
		u = big.NewInt(v.I)
	case from.Kind.isApprox():
		// DecimalDataUtils.castFrom(double, p, s): BigDecimal.valueOf(d) is
		// new BigDecimal(Double.toString(d)); a FLOAT is widened to double first. NaN and
		// infinities make BigDecimal throw NumberFormatException.
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			return nullValue, false
		}
		var ok bool
		u, scale, ok = parseJavaBigDecimal(javaDouble(v.F))
		if !ok {
			panic("castToDecimal: cannot reparse " + javaDouble(v.F))
		}
	case from.Kind == Decimal:
		// DecimalToDecimalCastRule -> DecimalDataUtils.castToDecimal -> fromBigDecimal.
		u, scale = v.D, from.S
	case from.Kind.isString():
		// StringToDecimalCastRule -> BinaryStringDataUtil.toDecimal, which throws when the
		// parser returns null (bad text or overflow).
		d, ok := flinkStringToDecimal(v.S, p, s)
		if !ok {
			return nullValue, false
		}
		return Value{D: d}, true
	default:
		panic("castToDecimal: " + from.String())
	}
	d, ok := fromBigDecimal(u, scale, p, s)
	if !ok {
		return nullValue, true
	}
	return Value{D: d}, true
}

// flinkDecimalFastPath makes CAST(string AS DECIMAL) follow Flink's toDecimalFromBytes.
const flinkDecimalFastPath = false

// flinkStringToDecimal is BinaryStringDataUtil.toDecimal(str, p, s). Precision <= 18 and at
// most 18 bytes use the hand-written toDecimalFromBytes parser, whose quirks we keep:
// it stops at the first byte that is neither digit nor '.', and only checks the bytes AFTER
// that one ("1x" -> 1, "x" -> 0, "." -> 0); leading zeros count towards the precision check
// ("0.5" does not fit DECIMAL(1,1)); rounding can carry past p digits unchecked. Otherwise the
// text is trimmed of ' ', '\n', '\t' and parsed by new BigDecimal, then fromBigDecimal.
//
// sqlc-stream does not copy the fast path's quirks (docs/semantics.md), so the reference
// takes the BigDecimal path unless flinkDecimalFastPath is set.
func flinkStringToDecimal(str string, precision, scale int) (*big.Int, bool) {
	if !flinkDecimalFastPath || precision > 18 || len(str) > 18 {
		if !utf8.ValidString(str) {
			return nil, false // StringUtf8Utils.decodeUTF8Strict fails
		}
		isWS := func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }
		t := strings.TrimLeftFunc(str, isWS)
		t = strings.TrimRightFunc(t, isWS)
		u, sc, ok := parseJavaBigDecimal(t)
		if !ok {
			return nil, false
		}
		if sc < scale-1000 {
			return nil, false // astronomically large
		}
		if sc > scale+1000 {
			return new(big.Int), true // rounds to zero
		}
		return fromBigDecimal(u, sc, precision, scale)
	}
	b := []byte(str)
	n := len(b)
	i := 0
	var c byte
	for i < n {
		c = b[i]
		if c != ' ' && c != '\n' && c != '\t' {
			break
		}
		i++
	}
	if i == n {
		return nil, false
	}
	negative := c == '-'
	if negative || c == '+' {
		i++
		if i == n {
			return nil, false
		}
	}
	var significand int64
	exp, sigLen, pointPos := 0, 0, -1
	for i < n {
		c = b[i]
		i++
		if c >= '0' && c <= '9' {
			significand = significand*10 + int64(c-'0')
			sigLen++
		} else if c == '.' {
			if pointPos >= 0 {
				return nil, false
			}
			pointPos = sigLen
		} else {
			break
		}
	}
	if pointPos < 0 {
		pointPos = sigLen
	}
	if negative {
		significand = -significand
	}
	if (c == 'e' || c == 'E') && i < n {
		c = b[i]
		expNegative := c == '-'
		if expNegative || c == '+' {
			i++
			if i == n {
				return nil, false
			}
		}
		expDigits := 0
		for i < n {
			c = b[i]
			i++
			if c >= '0' && c <= '9' {
				if expDigits < 40 {
					expDigits = expDigits*10 + int(c-'0')
				}
			} else {
				break
			}
		}
		if expNegative {
			expDigits = -expDigits
		}
		exp += expDigits
	}
	exp -= sigLen - pointPos
	for i < n {
		c = b[i]
		i++
		if c != ' ' && c != '\n' && c != '\t' {
			return nil, false
		}
	}
	change := exp + scale
	if sigLen+change > precision {
		return nil, false
	}
	if change >= 0 {
		significand *= pow10Int(change)
	} else {
		if -change > 18 {
			return nil, false // DecimalDataUtils.power10 indexes POW10[0..18]: AIOOBE
		}
		k := int64(5)
		if negative {
			k = -5
		}
		significand = (significand + k*pow10Int(-change-1)) / pow10Int(-change)
	}
	return big.NewInt(significand), true
}

func pow10Int(n int) int64 {
	r := int64(1)
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}

// ---- CHAR / VARCHAR -------------------------------------------------------------------------

// castToString renders v (the rule that targets STRING for the source type), then applies
// CharVarCharTrimPadCastRule for CHAR(n)/VARCHAR(n) targets: cut to n characters (code points,
// BinaryStringData.numChars/substring), and for CHAR pad with spaces to n.
func castToString(v Value, from, to Type) (Value, bool) {
	var s string
	switch from.Kind {
	case Char, VarChar:
		s = v.S
	case Binary, VarBinary:
		// BinaryToStringCastRule: new String(bytes, UTF_8) (malformed input -> U+FFFD), then
		// padAndTrimStringIfNeeded on the java.lang.String, i.e. in UTF-16 units.
		return Value{S: trimPadUTF16(javaDecodeUTF8(v.S), to)}, true
	default:
		s = stringOf(v, from)
	}
	return Value{S: trimPadChars(s, to)}, true
}

// stringOf is the text CAST(v AS STRING) yields for a non-string, non-binary source.
func stringOf(v Value, from Type) string {
	switch from.Kind {
	case Boolean:
		// BooleanToStringCastRule: BinaryStringDataUtil.TRUE_STRING / FALSE_STRING.
		if v.I != 0 {
			return "TRUE"
		}
		return "FALSE"
	case TinyInt, SmallInt, Int, BigInt:
		// NumericToStringCastRule: "" + x
		return strconv.FormatInt(v.I, 10)
	case Float:
		return javaFloat(float32(v.F)) // "" + float -> Float.toString
	case Double:
		return javaDouble(v.F)
	case Decimal:
		// "" + DecimalData -> DecimalData.toString() -> BigDecimal.toPlainString()
		return bigDecimalPlain(v.D, from.S)
	case Date:
		// DateToStringCastRule -> DateTimeUtils.formatDate
		return flinkFormatDate(v.I)
	case Time:
		// TimeToStringCastRule -> DateTimeUtils.formatTimestampMillis(time, precision)
		return flinkFormatTime(v.I, from.P)
	case Timestamp, TimestampLTZ:
		// TimestampToStringCastRule -> DateTimeUtils.formatTimestamp(ts, zone, precision);
		// TIMESTAMP uses UTC, TIMESTAMP_LTZ the session zone (UTC here).
		return flinkFormatTimestamp(v, from.P)
	}
	panic("stringOf: " + from.String())
}

func trimPadChars(s string, to Type) string {
	n := to.P
	if n >= MaxLen {
		return s
	}
	if c := utf8.RuneCountInString(s); c > n {
		i, k := 0, 0
		for k < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			k++
		}
		return s[:i]
	} else if to.Kind == Char && c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s
}

// trimPadUTF16 is padAndTrimStringIfNeeded on a java.lang.String: length() and substring()
// count UTF-16 units. A surrogate pair cut in half leaves a lone surrogate, which
// BinaryStringData.fromString encodes as '?'.
func trimPadUTF16(s string, to Type) string {
	n := to.P
	if n >= MaxLen {
		return s
	}
	units := utf16.Encode([]rune(s))
	if len(units) > n {
		units = units[:n]
		var sb strings.Builder
		for i := 0; i < len(units); i++ {
			u := units[i]
			if utf16.IsSurrogate(rune(u)) {
				if i+1 < len(units) && u < 0xDC00 && units[i+1] >= 0xDC00 && units[i+1] < 0xE000 {
					sb.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
					i++
					continue
				}
				sb.WriteByte('?')
				continue
			}
			sb.WriteRune(rune(u))
		}
		return sb.String()
	}
	if to.Kind == Char && len(units) < n {
		return s + strings.Repeat(" ", n-len(units))
	}
	return s
}

// javaDecodeUTF8 is new String(bytes, UTF_8): each maximal ill-formed subsequence becomes one
// U+FFFD (the JDK decoder follows the Unicode "maximal subpart" practice).
func javaDecodeUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var sb strings.Builder
	b := []byte(s)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			sb.WriteRune(r)
			i += size
			continue
		}
		// Invalid: consume the longest prefix of a well-formed sequence (at least one byte).
		sb.WriteRune(utf8.RuneError)
		i += maximalSubpart(b[i:])
	}
	return sb.String()
}

// maximalSubpart is the length of the longest prefix of b that starts a well-formed UTF-8
// sequence (Unicode table 3-7), at least 1.
func maximalSubpart(b []byte) int {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEF:
		// ED A0..BF (an encoded surrogate) too: the JDK's decoder consumes it as one
		// malformed sequence (checked against new String(bytes, UTF_8) on a JDK).
		need = 2
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		x := b[n]
		if k > 0 {
			lo, hi = 0x80, 0xBF
		}
		if x < lo || x > hi {
			break
		}
		n++
	}
	return n
}

// flinkFormatDate is DateTimeUtils.formatDate: int4(year) (4 digits, no sign), -MM-dd.
func flinkFormatDate(days int64) string {
	y, m, d := civil(days)
	yy := y % 10000
	if yy < 0 {
		yy = -yy
	}
	return padLeft(strconv.FormatInt(yy, 10), 4) + "-" + pad2(int64(m)) + "-" + pad2(int64(d))
}

// flinkFormatTime is DateTimeUtils.formatTimestampMillis(int time, int precision): HH:mm:ss,
// then for precision > 0 a '.' and millisecond digits, stopping after the first digit that
// leaves no remainder (so TIME(3) 10:00:00 -> "10:00:00.0", 10:00:00.120 -> "10:00:00.12").
func flinkFormatTime(ms int64, precision int) string {
	for ms < 0 {
		ms += 86400000
	}
	h := ms / 3600000
	m := ms % 3600000 / 60000
	s := ms % 60000 / 1000
	milli := ms % 1000
	var sb strings.Builder
	int2 := func(i int64) {
		sb.WriteByte(byte('0' + (i/10)%10))
		sb.WriteByte(byte('0' + i%10))
	}
	int2(h)
	sb.WriteByte(':')
	int2(m)
	sb.WriteByte(':')
	int2(s)
	if precision > 0 {
		sb.WriteByte('.')
		for precision > 0 {
			sb.WriteByte(byte('0' + milli/100))
			milli = milli % 100 * 10
			if milli == 0 {
				break
			}
			precision--
		}
	}
	return sb.String()
}

// flinkFormatTimestamp is DateTimeUtils.formatTimestamp(TimestampData, precision):
// "yyyy-MM-dd HH:mm:ss" then the 9-digit nano fraction with trailing zeros removed down to
// precision digits (TIMESTAMP(3) .1 -> ".100", TIMESTAMP(9) -> 9 digits, TIMESTAMP(0) -> none).
func flinkFormatTimestamp(v Value, precision int) string {
	days, nanoOfDay := tsSplit(v)
	fraction := padLeft(strconv.FormatInt(nanoOfDay%1e9, 10), 9)
	for len(fraction) > precision && strings.HasSuffix(fraction, "0") {
		fraction = fraction[:len(fraction)-1]
	}
	secs := nanoOfDay / 1e9
	s := flinkFormatDate(days) + " " + pad2(secs/3600) + ":" + pad2(secs/60%60) + ":" + pad2(secs%60)
	if fraction != "" {
		s += "." + fraction
	}
	return s
}

// ---- BINARY / VARBINARY ---------------------------------------------------------------------

// castToBinary: StringToBinaryCastRule (the UTF-8 bytes) and BinaryToBinaryCastRule, then
// trimOrPadByteArray: BINARY(n) is Arrays.copyOf(bytes, n) (cut, or pad with zero bytes);
// VARBINARY(n) is cut to n.
func castToBinary(v Value, from, to Type) (Value, bool) {
	b := v.S
	n := to.P
	if n < MaxLen {
		if len(b) > n {
			b = b[:n]
		} else if to.Kind == Binary && len(b) < n {
			b += strings.Repeat("\x00", n-len(b))
		}
	}
	return Value{S: b}, true
}

// ---- DATE / TIME / TIMESTAMP ----------------------------------------------------------------

func castToDate(v Value, from Type) (Value, bool) {
	switch from.Kind {
	case Date:
		return v, true
	case Char, VarChar:
		// StringToDateCastRule -> BinaryStringDataUtil.toDate -> DateTimeUtils.parseDate
		d, ok := flinkParseDate(v.S)
		if !ok {
			return nullValue, false
		}
		return Value{I: d}, true
	case Timestamp:
		// TimestampToDateCastRule: (int) (millis / 86400000): Java division truncates toward
		// zero, so times before 1970 land on the following day (Flink bug, reproduced).
		return Value{I: v.I / 86400000}, true
	case TimestampLTZ:
		// DateTimeUtils.timestampWithLocalZoneToDate: LocalDateTime.ofInstant(...).toLocalDate
		return Value{I: floorDiv(v.I, 86400000)}, true
	}
	panic("castToDate: " + from.String())
}

func castToTime(v Value, from, to Type) (Value, bool) {
	q := to.P
	switch from.Kind {
	case Time:
		// TimeToTimeCastRule: truncate when the precision shrinks (millis only).
		if from.P > q {
			return Value{I: truncTimeMillis(v.I, q)}, true
		}
		return v, true
	case Char, VarChar:
		// StringToTimeCastRule -> BinaryStringDataUtil.toTime -> DateTimeUtils.parseTime.
		t, ok := flinkParseTime(v.S)
		if !ok {
			return nullValue, false
		}
		return Value{I: truncTimeMillis(t, q)}, true
	case Timestamp:
		// TimestampToTimeCastRule: (int) (truncate(ts, q).getMillisecond() % 86400000):
		// Java remainder, negative before 1970 (Flink bug, reproduced).
		ts := v
		if from.P > q {
			ts = flinkTruncateTimestamp(v, q)
		}
		return Value{I: ts.I % 86400000}, true
	case TimestampLTZ:
		ts := v
		if from.P > q {
			ts = flinkTruncateTimestamp(v, q)
		}
		return Value{I: floorMod(ts.I, 86400000)}, true
	}
	panic("castToTime: " + from.String())
}

// truncTimeMillis drops millisecond digits beyond precision q (q >= 3 keeps all).
func truncTimeMillis(ms int64, q int) int64 {
	if q >= 3 {
		return ms
	}
	f := pow10Int(3 - q)
	return ms / f * f
}

func castToTimestamp(v Value, from, to Type) (Value, bool) {
	q := to.P
	switch from.Kind {
	case Char, VarChar:
		// StringToTimestampCastRule -> DateTimeUtils.parseTimestampData(str, q) (the LTZ
		// variant then reads the local date-time in the session zone, UTC here).
		ts, ok := flinkParseTimestamp(v.S, q)
		if !ok {
			return nullValue, false
		}
		return ts, true
	case Date:
		// DateToTimestampCastRule: fromEpochMillis(days * 86400000) (UTC midnight for LTZ).
		return Value{I: v.I * 86400000}, true
	case Time:
		// TimeToTimestampCastRule: fromEpochMillis(time): 1970-01-01 plus the time.
		return Value{I: v.I}, true
	case Timestamp, TimestampLTZ:
		// TimestampToTimestampCastRule: same instant in UTC; truncate when precision shrinks.
		if from.P > q {
			return flinkTruncateTimestamp(v, q), true
		}
		return Value{I: v.I, N: v.N}, true
	}
	panic("castToTimestamp: " + from.String())
}

// flinkTruncateTimestamp is DateTimeUtils.truncate(ts, precision), quirks included: it leaves
// the value alone when the decimal string of the nano-of-second has at most `precision`
// characters (so 5 ns survives a cast to TIMESTAMP(3)), and for precision <= 3 it zeroes
// millisecond digits with Java long division (toward zero, i.e. upwards before 1970).
func flinkTruncateTimestamp(v Value, precision int) Value {
	nanoOfSecond := floorMod(v.I, 1000)*1e6 + int64(v.N)
	if len(strconv.FormatInt(nanoOfSecond, 10)) <= precision {
		return v
	}
	if precision <= 3 {
		f := pow10Int(3 - precision)
		return Value{I: v.I / f * f}
	}
	f := int64(pow10Int(9 - precision))
	return Value{I: v.I, N: int32(int64(v.N) / f * f)}
}

// isDigits is DateTimeUtils.isInteger: non-empty, ASCII digits only.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// javaTrim is String.trim(): strips chars <= ' ' at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// javaParseInt is Integer.parseInt on a string already checked by isDigits.
func javaParseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return n, err == nil
}

// flinkParseDate is DateTimeUtils.parseDate(String): cut at the first space (if not at index
// 0), split on '-', each part trimmed and all digits; y in 0..9999 and a valid month/day.
func flinkParseDate(s string) (int64, bool) {
	if ws := strings.IndexByte(s, ' '); ws > 0 {
		s = s[:ws]
	}
	num := func(part string) (int64, bool) {
		part = javaTrim(part)
		if !isDigits(part) {
			return 0, false
		}
		return javaParseInt(part)
	}
	var y, m, d int64 = 0, 1, 1
	var ok bool
	h1 := strings.IndexByte(s, '-')
	if h1 < 0 {
		if y, ok = num(s); !ok {
			return 0, false
		}
	} else {
		if y, ok = num(s[:h1]); !ok {
			return 0, false
		}
		h2 := strings.IndexByte(s[h1+1:], '-')
		if h2 < 0 {
			if m, ok = num(s[h1+1:]); !ok {
				return 0, false
			}
		} else {
			h2 += h1 + 1
			if m, ok = num(s[h1+1 : h2]); !ok {
				return 0, false
			}
			if d, ok = num(s[h2+1:]); !ok {
				return 0, false
			}
		}
	}
	if !flinkLegalDate(y, m, d) {
		return 0, false
	}
	return daysFromCivil(y, m, d), true
}

// flinkLegalDate is DateTimeUtils.isIllegalDate (which returns true for legal dates).
func flinkLegalDate(y, m, d int64) bool {
	if y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if m == 2 && d > 28 && !(isLeap(y) && d == 29) {
		return false
	}
	if d == 31 {
		switch m {
		case 1, 3, 5, 7, 8, 10, 12:
			return true
		}
		return false
	}
	return true
}

func isLeap(y int64) bool { return y%400 == 0 || (y%4 == 0 && y%100 != 0) }

// daysFromCivil is the epoch day of a proleptic Gregorian date.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// flinkParseTime is DateTimeUtils.parseTime(String): "h[:m[:s[.fff]]]" with each part trimmed
// and all digits, an optional trailing "+hh[:mm]" / "-hh[:mm]" offset that is ADDED
// (hour += sign*offset), the fraction rounded to millis on its 4th digit; no range checks.
func flinkParseTime(v string) (int64, bool) {
	num := func(part string) (int64, bool) {
		part = javaTrim(part)
		if !isDigits(part) {
			return 0, false
		}
		return javaParseInt(part)
	}
	colon1 := strings.IndexByte(v, ':')
	end := len(v)
	operator := int64(-1)
	tz := strings.IndexByte(v, '-')
	if tz < 0 {
		tz = strings.IndexByte(v, '+')
		operator = 1
	}
	var tzHour, tzMinute int64
	var ok bool
	if tz >= 0 {
		end = tz
		colon3 := strings.IndexByte(v[tz:], ':')
		if colon3 < 0 {
			if tzHour, ok = num(v[tz+1:]); !ok {
				return 0, false
			}
		} else {
			colon3 += tz
			if tzHour, ok = num(v[tz+1 : colon3]); !ok {
				return 0, false
			}
			if tzMinute, ok = num(v[colon3+1:]); !ok {
				return 0, false
			}
		}
	}
	var hour, minute, second, milli int64
	// Java's substring throws when colon1 > end (e.g. "-1:00"); treat as failure.
	sub := func(a, b int) (string, bool) {
		if a > b || b > len(v) {
			return "", false
		}
		return v[a:b], true
	}
	if colon1 < 0 {
		p, ok := sub(0, end)
		if !ok {
			return 0, false
		}
		if hour, ok = num(p); !ok {
			return 0, false
		}
	} else {
		p, ok := sub(0, colon1)
		if !ok {
			return 0, false
		}
		if hour, ok = num(p); !ok {
			return 0, false
		}
		colon2 := strings.IndexByte(v[colon1+1:], ':')
		if colon2 < 0 {
			if p, ok = sub(colon1+1, end); !ok {
				return 0, false
			}
			if minute, ok = num(p); !ok {
				return 0, false
			}
		} else {
			colon2 += colon1 + 1
			if p, ok = sub(colon1+1, colon2); !ok {
				return 0, false
			}
			if minute, ok = num(p); !ok {
				return 0, false
			}
			dot := strings.IndexByte(v[colon2:], '.')
			if dot < 0 {
				if p, ok = sub(colon2+1, end); !ok {
					return 0, false
				}
				if second, ok = num(p); !ok {
					return 0, false
				}
			} else {
				dot += colon2
				if p, ok = sub(colon2+1, dot); !ok {
					return 0, false
				}
				if second, ok = num(p); !ok {
					return 0, false
				}
				if p, ok = sub(dot+1, end); !ok {
					return 0, false
				}
				milli = flinkParseFraction(javaTrim(p))
			}
		}
	}
	hour += operator * tzHour
	minute += operator * tzMinute
	return int64(int32(hour*3600000 + minute*60000 + second*1000 + milli)), true
}

// flinkParseFraction is DateTimeUtils.parseFraction over the UTF-16 chars of v: 3 digits
// (non-digits count as 0), rounded up when the 4th char is >= '5'.
func flinkParseFraction(s string) int64 {
	v := utf16.Encode([]rune(s))
	multiplier := int64(100)
	var r int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		x := int64(0)
		if c >= '0' && c <= '9' {
			x = int64(c - '0')
		}
		r += multiplier * x
		if multiplier < 10 {
			if i+1 < len(v) && v[i+1] >= '5' {
				r++
			}
			break
		}
		multiplier /= 10
	}
	return r
}

// flinkParseTimestamp is DateTimeUtils.parseTimestampData(str, precision): the
// DEFAULT_TIMESTAMP_FORMATTER "yyyy-[MM][M]-[dd][d]" with an optional
// " [HH][H]:[mm][m]:[ss][s]" + fraction(0..9 digits, with '.') section, the whole text must
// match (no trimming, no 'T'). Every [..] is an optional section: [XX] is exactly two digits,
// [X] is 1..19 digits (SignStyle.NORMAL, so a '-' sign too) whose value must agree with [XX]
// when both match (else [X] is rolled back); an absent field takes fromTemporalAccessor's
// default (month/day 1, time 0). SMART resolving clamps a day 29..31 to the month's end when
// month and day are both there, and makes 24:00[:00[.0]] the next midnight when the time
// resolves (Parsed.resolveTimeLenient); the fraction is floored to precision. Years with a
// sign ("+10000") are not modelled (failure).
func flinkParseTimestamp(s string, precision int) (Value, bool) {
	i := 0
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	// run reads NumberPrinterParser's up to 19 digits at s[j:] (backing off one digit on a
	// long overflow).
	run := func(j int) (int64, int) {
		k := j
		for k < len(s) && k-j < 19 && isDigit(s[k]) {
			k++
		}
		for ; k > j; k-- {
			if n, err := strconv.ParseInt(s[j:k], 10, 64); err == nil {
				return n, k
			}
		}
		return 0, j
	}
	const absent, present, invalid = 0, 1, 2
	field := func() (int64, int) {
		if i+1 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) { // [XX]
			v, _ := strconv.ParseInt(s[i:i+2], 10, 64)
			i += 2
			if w, k := run(i); k > i && w == v { // [X] agrees
				i = k
			}
			return v, present
		}
		if i < len(s) && isDigit(s[i]) { // [X]; [XX] failed, so one digit
			i++
			return int64(s[i-1] - '0'), present
		}
		if i < len(s) && s[i] == '-' { // [X] with a sign: "-0..." is rejected (strict)
			if w, k := run(i + 1); k > i+1 && w != 0 {
				i = k
				return -w, invalid
			}
		}
		return 0, absent
	}
	lit := func(c byte) bool {
		if i < len(s) && s[i] == c {
			i++
			return true
		}
		return false
	}
	// yyyy: SignStyle.EXCEEDS_PAD, strict: exactly 4 digits when unsigned.
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i != 4 {
		return nullValue, false
	}
	year, _ := strconv.ParseInt(s[:4], 10, 64)
	var st [6]int
	var month, day, hour, minute, second, nano int64
	if !lit('-') {
		return nullValue, false
	}
	month, st[0] = field()
	if !lit('-') {
		return nullValue, false
	}
	day, st[1] = field()
	hasNano := false
	if i < len(s) {
		if !lit(' ') {
			return nullValue, false
		}
		hour, st[2] = field()
		if !lit(':') {
			return nullValue, false
		}
		minute, st[3] = field()
		if !lit(':') {
			return nullValue, false
		}
		second, st[4] = field()
		if lit('.') {
			hasNano = true
			j := i
			for j < len(s) && j-i < 9 && isDigit(s[j]) {
				j++
			}
			frac := s[i:j] + strings.Repeat("0", 9-(j-i))
			nano, _ = strconv.ParseInt(frac, 10, 64)
			i = j
		}
		if i != len(s) {
			return nullValue, false
		}
	}
	for _, x := range st {
		if x == invalid {
			return nullValue, false
		}
	}
	if year < 1 {
		return nullValue, false // YEAR_OF_ERA is 1..
	}
	hasMonth, hasDay := st[0] == present, st[1] == present
	if !hasMonth {
		month = 1
	}
	if !hasDay {
		day = 1
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return nullValue, false
	}
	if hasMonth && hasDay {
		day = min(day, monthLength(year, month)) // IsoChronology.resolveYMD, SMART
	} else if day > monthLength(year, month) {
		return nullValue, false // LocalDateTime.of
	}
	plusDay := false
	hasHour, hasMinute, hasSecond := st[2] == present, st[3] == present, st[4] == present
	resolves := hasHour && !(!hasMinute && (hasSecond || hasNano)) && !(hasMinute && !hasSecond && hasNano)
	if resolves && hour == 24 && minute == 0 && second == 0 && nano == 0 {
		hour = 0
		plusDay = hasMonth && hasDay // excess days are added to a resolved date only
	}
	if hour > 23 || minute > 59 || second > 59 {
		return nullValue, false
	}
	if precision == 0 {
		nano = 0
	} else if precision < 9 {
		f := pow10Int(9 - precision)
		nano = nano / f * f
	}
	days := daysFromCivil(year, month, day)
	if plusDay {
		days++
	}
	millis := days*86400000 + hour*3600000 + minute*60000 + second*1000 + nano/1e6
	return Value{I: millis, N: int32(nano % 1e6)}, true
}

func monthLength(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
