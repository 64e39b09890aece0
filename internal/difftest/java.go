package difftest

// Java/Flink text renderings the reference evaluator needs: Float.toString, Double.toString,
// BigDecimal.toString/toPlainString, java.time toString()s and Flink's print sink. Nothing here
// may import the compiler or its runtime: this file re-derives the rules from the Java and Flink
// sources named in the comments.

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// printField renders one field the way Flink's print connector does: PrintTableSinkFactory's
// RowDataPrintFunction converts the RowData to the external Row (DataStructureConverters) and
// Row.toString renders each field with StringUtils.arrayAwareToString, i.e. the external Java
// type's toString (Arrays.toString for byte[]) and "null" for NULL.
func printField(v Value, t Type) string {
	if v.Null || t.Kind == Null {
		return "null"
	}
	switch t.Kind {
	case Boolean:
		// java.lang.Boolean.toString
		if v.I != 0 {
			return "true"
		}
		return "false"
	case TinyInt, SmallInt, Int, BigInt:
		return strconv.FormatInt(v.I, 10)
	case Float:
		return javaFloat(float32(v.F))
	case Double:
		return javaDouble(v.F)
	case Decimal:
		// DecimalBigDecimalConverter -> BigDecimal at the type's scale -> BigDecimal.toString
		return bigDecimalString(v.D, t.S)
	case Char, VarChar:
		return v.S
	case Binary, VarBinary:
		return javaBytesToString([]byte(v.S))
	case Date:
		// DateLocalDateConverter -> LocalDate.toString
		return javaLocalDate(v.I)
	case Time:
		// TimeLocalTimeConverter -> DateTimeUtils.toLocalTime(int) -> LocalTime.toString
		// A negative TIME (CAST of a TIMESTAMP before 1970) makes LocalTime.of fail in
		// Flink; sqlc-stream prints the time of day it stands for (docs/semantics.md).
		return javaLocalTime(floorMod(v.I, 86400000) * 1e6)
	case Timestamp:
		// TimestampData.toLocalDateTime -> LocalDateTime.toString
		days, nanoOfDay := tsSplit(v)
		return javaLocalDate(days) + "T" + javaLocalTime(nanoOfDay)
	case TimestampLTZ:
		// LocalZonedTimestampInstantConverter -> TimestampData.toInstant -> Instant.toString
		// (DateTimeFormatter.ISO_INSTANT: seconds always, fraction in groups of 3, 'Z').
		days, nanoOfDay := tsSplit(v)
		secs := nanoOfDay / 1e9
		nanos := nanoOfDay % 1e9
		s := javaLocalDate(days) + "T" + pad2(secs/3600) + ":" + pad2(secs/60%60) + ":" + pad2(secs%60)
		if nanos > 0 {
			s += "." + javaNanoFraction(nanos)
		}
		return s + "Z"
	}
	panic("printField: unsupported type " + t.String())
}

// tsSplit splits a TIMESTAMP value into epoch days and nanos of day (floor semantics, as
// TimestampData.toLocalDateTime / toInstant).
func tsSplit(v Value) (days, nanoOfDay int64) {
	days = floorDiv(v.I, 86400000)
	nanoOfDay = floorMod(v.I, 86400000)*1e6 + int64(v.N)
	return
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func pad2(i int64) string {
	if i < 10 {
		return "0" + strconv.FormatInt(i, 10)
	}
	return strconv.FormatInt(i, 10)
}

// javaBytesToString is java.util.Arrays.toString(byte[]): signed bytes.
func javaBytesToString(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, c := range b {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(int(int8(c))))
	}
	sb.WriteByte(']')
	return sb.String()
}

// civil converts epoch days to a proleptic Gregorian date (as LocalDate.ofEpochDay).
func civil(days int64) (year int64, month, day int) {
	t := time.Unix(days*86400, 0).UTC()
	return int64(t.Year()), int(t.Month()), t.Day()
}

// javaYear renders a year as LocalDate.toString / ISO_LOCAL_DATE does: at least 4 digits,
// '+' for years above 9999, '-' for negative years.
func javaYear(y int64) string {
	neg := y < 0
	if neg {
		y = -y
	}
	s := strconv.FormatInt(y, 10)
	for len(s) < 4 {
		s = "0" + s
	}
	if neg {
		return "-" + s
	}
	if y > 9999 {
		return "+" + s
	}
	return s
}

// javaLocalDate is LocalDate.ofEpochDay(days).toString().
func javaLocalDate(days int64) string {
	y, m, d := civil(days)
	return javaYear(y) + "-" + pad2(int64(m)) + "-" + pad2(int64(d))
}

// javaLocalTime is LocalTime.ofNanoOfDay(n).toString(): HH:mm, then :ss when seconds or nanos
// are non-zero, then the fraction as 3, 6 or 9 digits.
func javaLocalTime(nanoOfDay int64) string {
	secs := nanoOfDay / 1e9
	nanos := nanoOfDay % 1e9
	s := pad2(secs/3600) + ":" + pad2(secs/60%60)
	if secs%60 > 0 || nanos > 0 {
		s += ":" + pad2(secs%60)
		if nanos > 0 {
			s += "." + javaNanoFraction(nanos)
		}
	}
	return s
}

// javaNanoFraction renders nanos (1..999999999) as java.time does: 3 digits when a whole
// number of millis, 6 when a whole number of micros, else 9.
func javaNanoFraction(nanos int64) string {
	switch {
	case nanos%1e6 == 0:
		return padLeft(strconv.FormatInt(nanos/1e6, 10), 3)
	case nanos%1e3 == 0:
		return padLeft(strconv.FormatInt(nanos/1e3, 10), 6)
	}
	return padLeft(strconv.FormatInt(nanos, 10), 9)
}

func padLeft(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// javaDouble is Double.toString(double) of Java 19+ (Raffaello Giulietti's algorithm, JDK-4511638).
func javaDouble(f float64) string { return javaFloating(f, 64) }

// javaFloat is Float.toString(float) of Java 19+.
func javaFloat(f float32) string { return javaFloating(float64(f), 32) }

func javaFloating(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	digits, exp := shortestDigits(f, bits)
	neg := f < 0
	abs := math.Abs(f)
	var s string
	if abs >= 1e-3 && abs < 1e7 {
		// plain notation with at least one fraction digit
		if exp >= 0 {
			intPart := digits
			frac := ""
			if len(digits) > exp+1 {
				intPart, frac = digits[:exp+1], digits[exp+1:]
			} else {
				intPart += strings.Repeat("0", exp+1-len(digits))
			}
			if frac == "" {
				frac = "0"
			}
			s = intPart + "." + frac
		} else {
			s = "0." + strings.Repeat("0", -exp-1) + digits
		}
	} else {
		frac := digits[1:]
		if frac == "" {
			frac = "0"
		}
		s = digits[:1] + "." + frac + "E" + strconv.Itoa(exp)
	}
	if neg {
		return "-" + s
	}
	return s
}

// shortestDigits returns the significant digits (no trailing zeros) and the decimal exponent
// of the first digit that Java 19+ picks: the shortest decimal that rounds to f, except that
// when the shortest has one digit, Java picks the 2-digit decimal closest to f (Double.toString
// javadoc: "when m = 1, T is the set of decimals in R of length 2"), e.g. 4.9E-324.
func shortestDigits(f float64, bits int) (string, int) {
	s := strconv.FormatFloat(math.Abs(f), 'e', -1, bits)
	mant, exp := splitE(s)
	if len(mant) == 1 {
		c := strconv.FormatFloat(math.Abs(f), 'e', 1, bits)
		if back, err := strconv.ParseFloat(c, bits); err == nil && back == math.Abs(f) {
			mant, exp = splitE(c)
		}
	}
	mant = strings.TrimRight(mant, "0")
	if mant == "" {
		mant = "0"
	}
	return mant, exp
}

// splitE splits Go's "d.ddde±xx" into "dddd" and the exponent.
func splitE(s string) (string, int) {
	i := strings.IndexByte(s, 'e')
	e, _ := strconv.Atoi(s[i+1:])
	return strings.Replace(s[:i], ".", "", 1), e
}

// bigDecimalString is java.math.BigDecimal.toString() of unscaled×10^-scale: plain when
// scale >= 0 and the adjusted exponent (-scale + digits - 1) >= -6, else scientific notation
// ("0E-18", "1.5E-7", "1E+3").
func bigDecimalString(unscaled *big.Int, scale int) string {
	if unscaled == nil {
		unscaled = new(big.Int)
	}
	neg := unscaled.Sign() < 0
	digits := new(big.Int).Abs(unscaled).String()
	adjusted := -scale + len(digits) - 1
	var s string
	if scale >= 0 && adjusted >= -6 {
		s = plainDigits(digits, scale)
	} else {
		s = digits[:1]
		if len(digits) > 1 {
			s += "." + digits[1:]
		}
		s += "E"
		if adjusted >= 0 {
			s += "+"
		}
		s += strconv.Itoa(adjusted)
	}
	if neg {
		return "-" + s
	}
	return s
}

// bigDecimalPlain is java.math.BigDecimal.toPlainString().
func bigDecimalPlain(unscaled *big.Int, scale int) string {
	if unscaled == nil {
		unscaled = new(big.Int)
	}
	neg := unscaled.Sign() < 0
	digits := new(big.Int).Abs(unscaled).String()
	var s string
	if scale >= 0 {
		s = plainDigits(digits, scale)
	} else if unscaled.Sign() == 0 {
		s = "0"
	} else {
		s = digits + strings.Repeat("0", -scale)
	}
	if neg {
		return "-" + s
	}
	return s
}

func plainDigits(digits string, scale int) string {
	if scale == 0 {
		return digits
	}
	if len(digits) > scale {
		return digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	return "0." + strings.Repeat("0", scale-len(digits)) + digits
}

var bigTen = big.NewInt(10)

func pow10Big(n int) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil) }

// rescaleHalfUp is BigDecimal.setScale(to, RoundingMode.HALF_UP) of unscaled×10^-from.
func rescaleHalfUp(unscaled *big.Int, from, to int) *big.Int {
	if to >= from {
		return new(big.Int).Mul(unscaled, pow10Big(to-from))
	}
	div := pow10Big(from - to)
	q, r := new(big.Int).QuoRem(unscaled, div, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(div) >= 0 {
		if unscaled.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// rescaleDown is BigDecimal.setScale(to, RoundingMode.DOWN) (truncation toward zero).
func rescaleDown(unscaled *big.Int, from, to int) *big.Int {
	if to >= from {
		return new(big.Int).Mul(unscaled, pow10Big(to-from))
	}
	return new(big.Int).Quo(unscaled, pow10Big(from-to))
}

// fitsPrecision reports whether BigDecimal.precision() (digits of the unscaled value, 1 for
// zero) is at most p.
func fitsPrecision(unscaled *big.Int, p int) bool {
	return len(new(big.Int).Abs(unscaled).String()) <= p
}

// fromBigDecimal is DecimalData.fromBigDecimal(bd, p, s): setScale(s, HALF_UP), then null when
// bd.precision() > p.
func fromBigDecimal(unscaled *big.Int, scale, p, s int) (*big.Int, bool) {
	u := rescaleHalfUp(unscaled, scale, s)
	if !fitsPrecision(u, p) {
		return nil, false
	}
	return u, true
}

// parseJavaBigDecimal parses text as new BigDecimal(String) does (no trimming): an optional
// sign, digits with an optional point (at least one digit), an optional exponent. It returns
// the unscaled value and the scale.
func parseJavaBigDecimal(s string) (*big.Int, int, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits strings.Builder
	frac := 0
	seenPoint := false
	nd := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			digits.WriteByte(c)
			nd++
			if seenPoint {
				frac++
			}
		} else if c == '.' && !seenPoint {
			seenPoint = true
		} else {
			break
		}
	}
	if nd == 0 {
		return nil, 0, false
	}
	exp := int64(0)
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return nil, 0, false
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return nil, 0, false
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return nil, 0, false
			}
			exp = exp*10 + int64(c-'0')
			if exp > math.MaxInt32 {
				return nil, 0, false
			}
		}
		if eneg {
			exp = -exp
		}
	}
	scale := int64(frac) - exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return nil, 0, false
	}
	u, _ := new(big.Int).SetString(digits.String(), 10)
	if neg {
		u.Neg(u)
	}
	return u, int(scale), true
}

// parseDecimalText is DecimalDataUtils.castFrom(String, p, s) (used for CSV fields and
// literals): new BigDecimal(text), then HALF_UP to scale s; ok=false (and NULL) when the text
// is not a BigDecimal or the result needs more than p digits.
func parseDecimalText(text string, p, s int) (Value, bool) {
	u, scale, ok := parseJavaBigDecimal(text)
	if !ok {
		return nullValue, false
	}
	if scale < s-1000 || scale > s+1000 {
		// Far out of range: avoid huge powers of ten. A value this large cannot fit DECIMAL(38);
		// one this small rounds to zero.
		if scale < s {
			if u.Sign() == 0 {
				return Value{D: new(big.Int)}, true
			}
			return nullValue, false
		}
		return Value{D: new(big.Int)}, true
	}
	d, ok := fromBigDecimal(u, scale, p, s)
	if !ok {
		return nullValue, false
	}
	return Value{D: d}, true
}

// javaCompareDouble is Java's Double.compare (and, on values widened from float, Float.compare):
// numeric order, but -0.0 < 0.0 and NaN above +Infinity, equal to itself.
func javaCompareDouble(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	bits := func(f float64) int64 {
		if math.IsNaN(f) {
			return 0x7ff8000000000000 // doubleToLongBits: every NaN is Java's NaN
		}
		return int64(math.Float64bits(f))
	}
	switch x, y := bits(a), bits(b); {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
