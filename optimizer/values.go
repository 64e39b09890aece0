package optimizer

import (
	"bytes"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Literal values, as ir.Literal documents them: nil (NULL), bool, int64 for the integer
// kinds, float64 for FLOAT/DOUBLE, string for CHAR/VARCHAR and for DECIMAL (its exact
// decimal text). The helpers here read and make them; each returns ok=false rather than
// guess when a value is not of the expected shape.

func isNullLit(e ir.Expr) bool {
	l, ok := e.(*ir.Literal)
	return ok && l.Value == nil
}

func boolLit(e ir.Expr) (v, ok bool) {
	l, isLit := e.(*ir.Literal)
	if !isLit {
		return false, false
	}
	v, ok = l.Value.(bool)
	return v, ok
}

// litInt reads an integer-kind literal.
func litInt(l *ir.Literal) (int64, bool) {
	if !l.T.IsInteger() {
		return 0, false
	}
	switch v := l.Value.(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case int32:
		return int64(v), true
	}
	return 0, false
}

// decimalText matches the decimal literals we read exactly: [+-]digits[.digits].
var decimalText = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// litRat reads an integer or DECIMAL literal exactly.
func litRat(l *ir.Literal) (*big.Rat, bool) {
	if i, ok := litInt(l); ok {
		return new(big.Rat).SetInt64(i), true
	}
	if l.T.Kind != ir.KindDecimal {
		return nil, false
	}
	switch v := l.Value.(type) {
	case string:
		return parseDecimal(v)
	case int64:
		return new(big.Rat).SetInt64(v), true
	}
	return nil, false
}

func parseDecimal(s string) (*big.Rat, bool) {
	if !decimalText.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// litFloat reads any numeric literal as a float64 (DECIMAL rounded to nearest, as
// BigDecimal.doubleValue does).
func litFloat(l *ir.Literal) (float64, bool) {
	if l.T.Kind == ir.KindDouble || l.T.Kind == ir.KindFloat {
		f, ok := l.Value.(float64)
		return f, ok
	}
	r, ok := litRat(l)
	if !ok {
		return 0, false
	}
	f, _ := r.Float64()
	return f, true
}

func litString(l *ir.Literal) (string, bool) {
	if !l.T.IsString() {
		return "", false
	}
	s, ok := l.Value.(string)
	return s, ok
}

// fitsInt reports whether v is in range of an integer kind.
func fitsInt(v int64, k ir.Kind) bool { return ir.WrapInt(v, k) == v }

// litLong reads an integer literal, or a DECIMAL one as Flink's
// DecimalDataUtils.castToLong does: truncated toward zero, wrapped to 64 bits.
func litLong(l *ir.Literal) (int64, bool) {
	if v, ok := litInt(l); ok {
		return v, true
	}
	if l.T.Kind != ir.KindDecimal {
		return 0, false
	}
	r, ok := litRat(l)
	if !ok {
		return 0, false
	}
	return javaLong(ratInt(r)), true
}

// javaLong is BigInteger.longValue: the low 64 bits of x, two's complement (what
// Flink's DecimalDataUtils.castToLong makes of a DECIMAL's integer part).
func javaLong(x *big.Int) int64 {
	m := new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)) // x mod 2^64, also for x < 0
	return int64(m.Uint64())
}

// javaFloatToInt is Java's narrowing cast of a double to the integer kind k: NaN is 0,
// (long) and (int) saturate, (short) and (byte) narrow the (int) result.
func javaFloatToInt(f float64, k ir.Kind) int64 {
	lo, hi := float64(math.MinInt32), float64(math.MaxInt32)
	if k == ir.KindBigInt {
		lo, hi = math.MinInt64, math.MaxInt64
	}
	switch {
	case f != f:
		return 0
	case f <= lo:
		return ir.WrapInt(int64(lo), k)
	case f >= hi:
		if k == ir.KindBigInt {
			return math.MaxInt64 // float64(MaxInt64) is 2^63, which int64() cannot hold
		}
		return ir.WrapInt(int64(hi), k)
	}
	return ir.WrapInt(int64(f), k)
}

// ratInt returns the integer part of r, truncated toward zero.
func ratInt(r *big.Rat) *big.Int { return new(big.Int).Quo(r.Num(), r.Denom()) }

var ten = big.NewInt(10)

func pow10(n int) *big.Int { return new(big.Int).Exp(ten, big.NewInt(int64(n)), nil) }

// roundHalfUp rounds r to scale fractional digits, halves away from zero (Java's
// RoundingMode.HALF_UP), and returns the unscaled integer.
func roundHalfUp(r *big.Rat, scale int) *big.Int {
	x := new(big.Rat).Set(r)
	if scale >= 0 {
		x.Mul(x, new(big.Rat).SetInt(pow10(scale)))
	} else {
		x.Quo(x, new(big.Rat).SetInt(pow10(-scale)))
	}
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom())
	if neg {
		q.Neg(q)
	}
	return q
}

// numDigits is the number of decimal digits of |u| (1 for zero), BigDecimal's precision.
func numDigits(u *big.Int) int {
	s := new(big.Int).Abs(u).String()
	return len(s)
}

// decimalValue rounds r HALF_UP to DECIMAL(p, s) and renders it with exactly s
// fractional digits. ok is false when the value does not fit the precision (Flink
// yields NULL there; we leave that case to the runtime).
func decimalValue(r *big.Rat, p, s int) (string, bool) {
	u := roundHalfUp(r, s)
	if numDigits(u) > p {
		return "", false
	}
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	if s > 0 {
		if len(digits) <= s {
			digits = strings.Repeat("0", s-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-s] + "." + digits[len(digits)-s:]
	}
	if neg {
		digits = "-" + digits
	}
	return digits, true
}

// roundSignificant rounds r to n significant digits HALF_UP, as BigDecimal.divide with
// MathContext(n, HALF_UP) does.
func roundSignificant(r *big.Rat, n int) *big.Rat {
	if r.Sign() == 0 {
		return new(big.Rat)
	}
	// Find e with 10^(e-1) <= |r| < 10^e.
	abs := new(big.Rat).Abs(r)
	e := len(new(big.Int).Quo(abs.Num(), abs.Denom()).String())
	if abs.Cmp(big.NewRat(1, 1)) < 0 {
		e = 0
		for x := new(big.Rat).Set(abs); x.Cmp(big.NewRat(1, 10)) < 0; e-- {
			x.Mul(x, big.NewRat(10, 1))
		}
	}
	scale := n - e
	u := roundHalfUp(r, scale)
	out := new(big.Rat).SetInt(u)
	if scale >= 0 {
		out.Quo(out, new(big.Rat).SetInt(pow10(scale)))
	} else {
		out.Mul(out, new(big.Rat).SetInt(pow10(-scale)))
	}
	return out
}

// compareLits compares two non-NULL literals the way Flink's generated code does:
// numbers numerically (as double when either side is FLOAT/DOUBLE), strings by their
// UTF-8 bytes, booleans with FALSE < TRUE, binary strings bytewise, and DATE/TIME values
// of the same kind by their integer value. ok is false for anything else.
func compareLits(a, b *ir.Literal) (int, bool) {
	ta, tb := a.T, b.T
	switch {
	case ta.IsNumeric() && tb.IsNumeric():
		if isFloatKind(ta.Kind) || isFloatKind(tb.Kind) {
			x, ok1 := litFloat(a)
			y, ok2 := litFloat(b)
			if ok1 && ok2 && (ta.Kind == ir.KindDecimal) != (tb.Kind == ir.KindDecimal) {
				// DECIMAL against FLOAT/DOUBLE: Flink's DecimalDataUtils.compare is
				// Double.compare, a total order (NaN above all, -0.0 below 0.0).
				return types.CompareFloat64(x, y), true
			}
			if !ok1 || !ok2 || math.IsNaN(x) || math.IsNaN(y) {
				return 0, false
			}
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
		x, ok1 := litRat(a)
		y, ok2 := litRat(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		return x.Cmp(y), true
	case ta.IsString() && tb.IsString():
		x, ok1 := litString(a)
		y, ok2 := litString(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		return strings.Compare(x, y), true
	case ta.Kind == ir.KindBoolean && tb.Kind == ir.KindBoolean:
		x, ok1 := a.Value.(bool)
		y, ok2 := b.Value.(bool)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case ta.IsBinary() && tb.IsBinary():
		x, ok1 := a.Value.([]byte)
		y, ok2 := b.Value.([]byte)
		if !ok1 || !ok2 {
			return 0, false
		}
		return bytes.Compare(x, y), true
	case ta.Kind == tb.Kind && (ta.Kind == ir.KindDate || ta.Kind == ir.KindTime):
		x, ok1 := a.Value.(int64)
		y, ok2 := b.Value.(int64)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func isFloatKind(k ir.Kind) bool { return k == ir.KindFloat || k == ir.KindDouble }

// simpleNumber matches the numeric strings a CAST from a string is folded for: an
// optional sign, digits, an optional fraction. Anything fancier (exponents, "NaN",
// hex) is left to the runtime so that we never disagree with it.
var simpleInteger = regexp.MustCompile(`^[+-]?[0-9]+$`)

// parseIntText parses s (trimmed of spaces, as Flink does) as an integer of kind k.
func parseIntText(s string, k ir.Kind) (int64, bool) {
	s = strings.TrimSpace(s)
	if !simpleInteger.MatchString(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || !fitsInt(v, k) {
		return 0, false
	}
	return v, true
}
