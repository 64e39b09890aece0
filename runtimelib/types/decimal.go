package types

import (
	"bytes"
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// MaxDecimalPrecision is the largest DECIMAL precision Flink supports.
const MaxDecimalPrecision = 38

// u128 is an unsigned 128-bit magnitude.
type u128 struct{ hi, lo uint64 }

// u256 is an unsigned 256-bit value, least significant limb first.
type u256 [4]uint64

// pow10u holds 10^0 .. 10^38 as u128 (10^38 < 2^127).
var pow10u [MaxDecimalPrecision + 1]u128

// pow10u64 holds 10^0 .. 10^19, every power of ten that fits in a uint64.
var pow10u64 [20]uint64

func init() {
	p := uint64(1)
	for i := range pow10u64 {
		pow10u64[i] = p
		p *= 10
	}
	v := u128{0, 1}
	for i := range pow10u {
		pow10u[i] = v
		v, _ = v.mul64(10)
	}
}

func (a u128) less(b u128) bool {
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo)
}

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) add(b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c2 := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c2 != 0
}

// mul64 returns a*m and whether it overflowed 128 bits.
func (a u128) mul64(m uint64) (u128, bool) {
	h1, lo := bits.Mul64(a.lo, m)
	h2, l2 := bits.Mul64(a.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, lo}, h2 != 0 || c != 0
}

// divmod64 returns a/d and a%d.
func (a u128) divmod64(d uint64) (u128, uint64) {
	qhi, r := bits.Div64(0, a.hi, d)
	qlo, r := bits.Div64(r, a.lo, d)
	return u128{qhi, qlo}, r
}

// mul128 returns the full 256-bit product a*b.
func mul128(a, b u128) u256 {
	var r u256
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	r[0] = l00
	var c, c2 uint64
	r[1], c = bits.Add64(h00, l01, 0)
	r[2], c2 = bits.Add64(h01, h10, c)
	r[3] = h11 + c2
	r[1], c = bits.Add64(r[1], l10, 0)
	r[2], c2 = bits.Add64(r[2], l11, c)
	r[3] += c2
	return r
}

func (x u256) fits128() bool { return x[2] == 0 && x[3] == 0 }

func (x u256) low() u128 { return u128{x[1], x[0]} }

// divmod64 divides the 256-bit x by d.
func (x u256) divmod64(d uint64) (u256, uint64) {
	var q u256
	var r uint64
	top := 3
	for top > 0 && x[top] == 0 { // skip leading zero limbs: Div64 is slow
		top--
	}
	for i := top; i >= 0; i-- {
		q[i], r = bits.Div64(r, x[i], d)
	}
	return q, r
}

// divPow10HalfUp divides x by 10^n rounding half away from zero (BigDecimal HALF_UP).
// Ties round up whatever the lower digits are, so it is enough to truncate by
// 10^(n-1) and look at the last removed digit.
func (x u256) divPow10HalfUp(n int) u256 {
	if n <= 0 {
		return x
	}
	if n > 78 { // x < 2^256 < 10^78: the quotient and the rounding are both 0
		return u256{}
	}
	var q u256
	var up bool
	if n <= 19 {
		d := pow10u64[n]
		var r uint64
		q, r = x.divmod64(d)
		up = r >= d-r // 2r >= d
	} else {
		for k := n - 1; k > 0; {
			c := min(k, 19)
			x, _ = x.divmod64(pow10u64[c])
			k -= c
		}
		var r uint64
		q, r = x.divmod64(10)
		up = r >= 5
	}
	if up {
		var c uint64
		q[0], c = bits.Add64(q[0], 1, 0)
		q[1], c = bits.Add64(q[1], 0, c)
		q[2], c = bits.Add64(q[2], 0, c)
		q[3] += c
	}
	return q
}

// magnitude returns |d| and whether d is negative.
func (d Decimal) magnitude() (u128, bool) {
	if d.Hi >= 0 {
		return u128{uint64(d.Hi), d.Lo}, false
	}
	lo, b := bits.Sub64(0, d.Lo, 0)
	hi, _ := bits.Sub64(0, uint64(d.Hi), b)
	return u128{hi, lo}, true
}

// fromMagnitude builds a Decimal from a magnitude below 10^38 and a sign.
func fromMagnitude(m u128, neg bool) Decimal {
	if neg {
		lo, b := bits.Sub64(0, m.lo, 0)
		hi, _ := bits.Sub64(0, m.hi, b)
		return Decimal{int64(hi), lo}
	}
	return Decimal{int64(m.hi), m.lo}
}

// finish checks that a result magnitude fits the precision and builds the Decimal.
func finish(m u256, neg bool, precision int) (Decimal, bool) {
	if precision <= 0 || precision > MaxDecimalPrecision {
		precision = MaxDecimalPrecision
	}
	if !m.fits128() || !m.low().less(pow10u[precision]) {
		return Decimal{}, false
	}
	return fromMagnitude(m.low(), neg), true
}

// DecimalFromInt64 returns v as a decimal with the given scale (v * 10^scale). The
// caller's type must be wide enough (an integer as DECIMAL(19+scale, scale) with
// 19+scale <= 38); see IntToDecimal for a checked form.
func DecimalFromInt64(v int64, scale int) Decimal {
	d, _ := IntToDecimal(v, MaxDecimalPrecision, scale)
	return d
}

// IntToDecimal is CAST(integer AS DECIMAL(precision, scale)); ok=false when the value
// does not fit (Flink yields NULL).
func IntToDecimal(v int64, precision, scale int) (Decimal, bool) {
	neg := v < 0
	m := u128{0, uint64(v)}
	if neg {
		m.lo = uint64(-v)
	}
	if scale < 0 || scale > MaxDecimalPrecision {
		return Decimal{}, false
	}
	return finish(mul128(m, pow10u[scale]), neg, precision)
}

// Int64 returns the unscaled value as an int64 and whether it fits.
func (d Decimal) Int64() (int64, bool) {
	if (d.Hi == 0 && d.Lo <= math.MaxInt64) || (d.Hi == -1 && d.Lo > math.MaxInt64) {
		return int64(d.Lo), true
	}
	return 0, false
}

// DecimalToInt64 is CAST(decimal AS BIGINT), Flink's DecimalDataUtils.castToIntegral:
// the fraction is truncated toward zero (RoundingMode.DOWN) and the result is Java's
// BigDecimal.longValue, the low 64 bits of the integer in two's complement, so a value
// beyond the BIGINT range wraps (it is not NULL). CAST to INT, SMALLINT and TINYINT
// narrow this long as Java's (int), (short) and (byte) casts do: int32(...) and so on.
func DecimalToInt64(d Decimal, scale int) int64 {
	m, neg := d.magnitude()
	x := u256{m.lo, m.hi}
	for k := scale; k > 0; {
		c := min(k, 19)
		x, _ = x.divmod64(pow10u64[c])
		k -= c
	}
	// The low 64 bits of -|q| are the negated low 64 bits of |q|.
	if neg {
		return -int64(x[0])
	}
	return int64(x[0])
}

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int {
	switch {
	case d.Hi < 0:
		return -1
	case d.Hi == 0 && d.Lo == 0:
		return 0
	}
	return 1
}

// Neg returns -d (precision is unchanged, so it cannot overflow for p <= 38).
func (d Decimal) Neg() Decimal {
	lo, b := bits.Sub64(0, d.Lo, 0)
	hi, _ := bits.Sub64(0, uint64(d.Hi), b)
	return Decimal{int64(hi), lo}
}

// Cmp compares two decimals of the same scale: -1, 0 or +1.
func Cmp(a, b Decimal) int {
	switch {
	case a.Hi < b.Hi:
		return -1
	case a.Hi > b.Hi:
		return 1
	case a.Lo < b.Lo:
		return -1
	case a.Lo > b.Lo:
		return 1
	}
	return 0
}

// FitsPrecision reports whether d has at most p digits (|d| < 10^p).
func FitsPrecision(d Decimal, p int) bool {
	if p > MaxDecimalPrecision {
		p = MaxDecimalPrecision
	}
	if p < 0 {
		return false
	}
	m, _ := d.magnitude()
	return m.less(pow10u[p])
}

// Add returns d+e for two decimals of the same scale. ok=false when the sum overflows
// 128 bits; the caller checks the result precision with FitsPrecision, or uses
// AddDecimal, which does both and aligns scales.
func (d Decimal) Add(e Decimal) (Decimal, bool) {
	lo, c := bits.Add64(d.Lo, e.Lo, 0)
	hi := d.Hi + e.Hi + int64(c)
	// Signed overflow: both operands have the same sign and the result has the other.
	if (d.Hi >= 0) == (e.Hi >= 0) && (hi >= 0) != (d.Hi >= 0) {
		return Decimal{}, false
	}
	return Decimal{hi, lo}, true
}

// Sub returns d-e for two decimals of the same scale; see Add.
func (d Decimal) Sub(e Decimal) (Decimal, bool) {
	lo, b := bits.Sub64(d.Lo, e.Lo, 0)
	hi := d.Hi - e.Hi - int64(b)
	if (d.Hi >= 0) != (e.Hi >= 0) && (hi >= 0) != (d.Hi >= 0) {
		return Decimal{}, false
	}
	return Decimal{hi, lo}, true
}

// AddDecimal is Flink's DECIMAL + DECIMAL: the exact sum of a (scale aScale) and b
// (scale bScale), rounded HALF_UP to resScale; ok=false (NULL) when it does not fit
// resPrecision.
func AddDecimal(a, b Decimal, aScale, bScale, resScale, resPrecision int) (Decimal, bool) {
	if aScale == bScale && resScale == aScale {
		s, ok := a.Add(b)
		if !ok || !FitsPrecision(s, resPrecision) {
			return Decimal{}, false
		}
		return s, true
	}
	return addSlow(a, b, aScale, bScale, resScale, resPrecision, false)
}

// SubDecimal is Flink's DECIMAL - DECIMAL; see AddDecimal.
func SubDecimal(a, b Decimal, aScale, bScale, resScale, resPrecision int) (Decimal, bool) {
	if aScale == bScale && resScale == aScale {
		s, ok := a.Sub(b)
		if !ok || !FitsPrecision(s, resPrecision) {
			return Decimal{}, false
		}
		return s, true
	}
	return addSlow(a, b, aScale, bScale, resScale, resPrecision, true)
}

func addSlow(a, b Decimal, aScale, bScale, resScale, resPrecision int, sub bool) (Decimal, bool) {
	// Align to the larger scale (exact), add, then round to resScale once.
	s := max(aScale, bScale)
	x, y := a.big(), b.big()
	x.Mul(x, bigPow10(s-aScale))
	y.Mul(y, bigPow10(s-bScale))
	if sub {
		x.Sub(x, y)
	} else {
		x.Add(x, y)
	}
	return fromBigScaled(x, s, resScale, resPrecision)
}

// MulDecimal is Flink's DECIMAL * DECIMAL: the exact product of a (scale aScale) and b
// (scale bScale) rounded HALF_UP to resScale; ok=false (NULL) when the result does not
// fit resPrecision. It does not allocate unless resScale > aScale+bScale.
func MulDecimal(a, b Decimal, aScale, bScale, resScale, resPrecision int) (Decimal, bool) {
	ma, na := a.magnitude()
	mb, nb := b.magnitude()
	shift := aScale + bScale - resScale
	if shift < 0 {
		x := a.big()
		x.Mul(x, b.big())
		return fromBigScaled(x, aScale+bScale, resScale, resPrecision)
	}
	p := mul128(ma, mb).divPow10HalfUp(shift)
	return finish(p, na != nb, resPrecision)
}

// DivDecimal is Flink's DECIMAL / DECIMAL (DecimalDataUtils.divide): the quotient
// rounded HALF_UP to 38 significant digits (BigDecimal.divide with MathContext(38,
// HALF_UP)), then HALF_UP to resScale (DecimalData.fromBigDecimal); ok=false (NULL) on
// division by zero or when the result does not fit resPrecision. The two roundings
// differ from one rounding to resScale only when the digits below resScale are just
// under one half (0.4999..., carried up at the 38th digit). The common case (a divisor
// below 2^64 after scaling, as in AVG) does not allocate.
func DivDecimal(a, b Decimal, aScale, bScale, resScale, resPrecision int) (Decimal, bool) {
	if b.Sign() == 0 {
		return Decimal{}, false
	}
	ma, na := a.magnitude()
	mb, nb := b.magnitude()
	// a/10^as / (b/10^bs) * 10^rs = a * 10^(rs-as+bs) / b
	e := resScale - aScale + bScale
	if e >= 0 && e <= MaxDecimalPrecision && mb.hi == 0 {
		n := mul128(ma, pow10u[e])
		d := mb.lo
		q, r := n.divmod64(d)
		if r >= d-r { // 2r >= d: round half up
			var c uint64
			q[0], c = bits.Add64(q[0], 1, 0)
			q[1], c = bits.Add64(q[1], 0, c)
			q[2], c = bits.Add64(q[2], 0, c)
			q[3] += c
		} else if nearHalf(q, r, d) {
			return divDecimalBig(a, b, e, resPrecision)
		}
		return finish(q, na != nb, resPrecision)
	}
	return divDecimalBig(a, b, e, resPrecision)
}

// nearHalf reports whether the remainder r/d (below one half) of the quotient q at the
// result's scale may round up at the 38th significant digit to one half: r/d >= 1/2 -
// 10^-k/2, where k = 38 - digits(q) is the number of digits the 38-digit rounding keeps
// below the result's scale. For k >= 20, (d-2r)*10^k > d for every d < 2^64.
func nearHalf(q u256, r, d uint64) bool {
	if !q.fits128() {
		return false // more than 38 digits: NULL either way
	}
	digits := 0
	for digits <= MaxDecimalPrecision && !q.low().less(pow10u[digits]) {
		digits++
	}
	k := MaxDecimalPrecision - digits
	if k <= 0 || k >= 20 {
		return false
	}
	hi, lo := bits.Mul64(d-2*r, pow10u64[k])
	return hi == 0 && lo <= d
}

// divDecimalBig is DivDecimal in math/big: num/den = a * 10^e / b, rounded HALF_UP to 38
// significant digits and then to the result's scale (e digits below the point of a/b).
func divDecimalBig(a, b Decimal, e, resPrecision int) (Decimal, bool) {
	num, den := a.big(), b.big()
	neg := (num.Sign() < 0) != (den.Sign() < 0)
	num.Abs(num)
	den.Abs(den)
	if e >= 0 {
		num.Mul(num, bigPow10(e))
	} else {
		den.Mul(den, bigPow10(-e))
	}
	if num.Sign() == 0 {
		return Decimal{}, true
	}
	// lead: the exponent of the quotient's first digit (q = num/den in [10^lead, 10^(lead+1))),
	// at the result's scale.
	lead := len(num.String()) - len(den.String())
	if cmpScaled(num, den, lead) < 0 {
		lead--
	}
	// x = num/den rounded HALF_UP at 10^(lead-37): its 38 significant digits.
	p := lead - (MaxDecimalPrecision - 1)
	var x *big.Int
	if p >= 0 {
		x = halfUp(num, new(big.Int).Mul(den, bigPow10(p)))
		if p > 0 {
			// More than 38 digits at the result's scale: too wide for any precision.
			return Decimal{}, false
		}
	} else {
		x = halfUp(new(big.Int).Mul(num, bigPow10(-p)), den)
		x = halfUp(x, bigPow10(-p))
	}
	if neg {
		x.Neg(x)
	}
	return bigDivHalfUp(x, big.NewInt(1), resPrecision)
}

// cmpScaled compares num with den * 10^k.
func cmpScaled(num, den *big.Int, k int) int {
	if k >= 0 {
		return num.Cmp(new(big.Int).Mul(den, bigPow10(k)))
	}
	return new(big.Int).Mul(num, bigPow10(-k)).Cmp(den)
}

// halfUp is n/d (both positive) rounded half up.
func halfUp(n, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// ModDecimal is Flink's DECIMAL % DECIMAL (BigDecimal.remainder with a 38-digit
// MathContext): a - q*b for the quotient q truncated toward zero, so the sign follows
// a, at resScale; ok=false when b is zero or q has more than 38 digits (where Java
// throws). The remainder always fits the derived type (see ir.DecimalModType); it does
// not allocate when both operands have the result's scale and fit 64 bits.
func ModDecimal(a, b Decimal, aScale, bScale, resScale, resPrecision int) (Decimal, bool) {
	if b.Sign() == 0 {
		return Decimal{}, false
	}
	ma, na := a.magnitude()
	mb, _ := b.magnitude()
	if aScale == bScale && resScale == aScale && ma.hi == 0 && mb.hi == 0 {
		// q < 2^64 has at most 20 digits.
		return finish(u256{ma.lo % mb.lo}, na, resPrecision)
	}
	s := max(aScale, bScale)
	x, y := a.big(), b.big()
	x.Mul(x, bigPow10(s-aScale))
	y.Mul(y, bigPow10(s-bScale))
	q, r := new(big.Int).QuoRem(x, y, new(big.Int))
	if q.CmpAbs(bigPow10(MaxDecimalPrecision)) >= 0 {
		return Decimal{}, false
	}
	return fromBigScaled(r, s, resScale, resPrecision)
}

// Rescale changes the scale of d from `from` to `to` (CAST between DECIMAL types),
// rounding HALF_UP when digits are dropped; ok=false (NULL) when the result does not
// fit precision.
func Rescale(d Decimal, from, to, precision int) (Decimal, bool) {
	m, neg := d.magnitude()
	switch {
	case to == from:
		return finish(u256{m.lo, m.hi}, neg, precision)
	case to > from:
		if to-from > MaxDecimalPrecision {
			if m.isZero() {
				return Decimal{}, true
			}
			return Decimal{}, false
		}
		return finish(mul128(m, pow10u[to-from]), neg, precision)
	}
	return finish(u256{m.lo, m.hi}.divPow10HalfUp(from-to), neg, precision)
}

// DecimalToFloat64 is CAST(decimal AS DOUBLE). Small values use Flink's compact path
// (unscaled / 10^scale, exact operands so correctly rounded); others are rounded
// correctly from the decimal digits, as BigDecimal.doubleValue does.
func DecimalToFloat64(d Decimal, scale int) float64 {
	if v, ok := d.Int64(); ok && v > -(1<<53) && v < 1<<53 && scale >= 0 && scale <= 22 {
		return float64(v) / float64pow10[scale]
	}
	var buf [48]byte
	b := AppendDecimal(buf[:0], d, 0)
	if scale != 0 {
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(-scale), 10)
	}
	f, _ := strconv.ParseFloat(stringOf(b), 64)
	return f
}

// DecimalFromFloat64 is CAST(double AS DECIMAL(precision, scale)): like Flink, it goes
// through BigDecimal.valueOf(double), i.e. the shortest decimal digits of f, rounded
// HALF_UP to scale; NaN, infinities and overflow give ok=false (NULL).
func DecimalFromFloat64(f float64, precision, scale int) (Decimal, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, false
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	return ParseDecimal(b, precision, scale)
}

// ParseDecimal parses a DECIMAL(precision, scale) from text as Flink does (new
// BigDecimal(text) then HALF_UP to the scale): optional sign, digits with an optional
// point, optional exponent; surrounding spaces are trimmed. ok=false for bad syntax or
// when the value does not fit the precision (Flink: NULL).
func ParseDecimal(b []byte, precision, scale int) (Decimal, bool) {
	b = TrimSpace(b)
	i := 0
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var m u128
	sig, digits, frac := 0, 0, 0
	tooLong := false
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' {
			if frac < 0 { // a second point
				return Decimal{}, false
			}
			frac = -1 // in the fraction from now on; -1-frac counts its digits
			continue
		}
		if c-'0' > 9 {
			break
		}
		digits++
		if frac < 0 {
			frac--
		}
		if sig == 0 && c == '0' {
			continue
		}
		if sig >= MaxDecimalPrecision {
			tooLong = true
			continue
		}
		if sig < 19 {
			m.lo = m.lo*10 + uint64(c-'0')
		} else {
			m, _ = m.mul64(10)
			m, _ = m.add(u128{0, uint64(c - '0')})
		}
		sig++
	}
	fracDigits := 0
	if frac < 0 {
		fracDigits = -frac - 1
	}
	if digits == 0 {
		return Decimal{}, false
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return Decimal{}, false
		}
		for ; i < len(b); i++ {
			c := b[i] - '0'
			if c > 9 {
				return Decimal{}, false
			}
			exp = exp*10 + int(c)
			if exp > math.MaxInt32 { // BigDecimal rejects an exponent beyond int
				return Decimal{}, false
			}
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return Decimal{}, false
	}
	if tooLong {
		return parseDecimalBig(b, precision, scale)
	}
	// value = m * 10^(exp - fracDigits); we want it * 10^scale.
	shift := exp - fracDigits + scale
	if shift >= 0 {
		if m.isZero() {
			return Decimal{}, true
		}
		if shift > MaxDecimalPrecision {
			return Decimal{}, false
		}
		return finish(mul128(m, pow10u[shift]), neg, precision)
	}
	return finish(u256{m.lo, m.hi}.divPow10HalfUp(-shift), neg, precision)
}

// Format formats d with the given scale like Java's BigDecimal.toPlainString, which is
// how Flink prints DECIMAL: "1.500000000000000000" for 1.5 at scale 18, "-0.05", "12".
func (d Decimal) Format(scale int) string {
	var buf [48]byte
	return string(AppendDecimal(buf[:0], d, scale))
}

// String formats the unscaled value (scale 0).
func (d Decimal) String() string { return d.Format(0) }

// AppendDecimal appends d.Format(scale) to dst.
func AppendDecimal(dst []byte, d Decimal, scale int) []byte {
	m, neg := d.magnitude()
	var digits [40]byte
	n := len(digits)
	// Peel off 19 digits at a time.
	for {
		var r uint64
		m, r = m.divmod64(pow10u64[19])
		if m.isZero() {
			for r > 0 {
				n--
				digits[n] = byte('0' + r%10)
				r /= 10
			}
			break
		}
		for k := 0; k < 19; k++ {
			n--
			digits[n] = byte('0' + r%10)
			r /= 10
		}
	}
	ds := digits[n:]
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		if len(ds) == 0 {
			dst = append(dst, '0')
		}
		dst = append(dst, ds...)
		for ; scale < 0; scale++ {
			dst = append(dst, '0')
		}
		return dst
	}
	if len(ds) <= scale {
		dst = append(dst, '0', '.')
		for k := len(ds); k < scale; k++ {
			dst = append(dst, '0')
		}
		return append(dst, ds...)
	}
	dst = append(dst, ds[:len(ds)-scale]...)
	dst = append(dst, '.')
	return append(dst, ds[len(ds)-scale:]...)
}

// ---- math/big fallback, for intermediates beyond 128 bits ----

func (d Decimal) big() *big.Int {
	m, neg := d.magnitude()
	x := new(big.Int).SetUint64(m.hi)
	x.Lsh(x, 64)
	x.Or(x, new(big.Int).SetUint64(m.lo))
	if neg {
		x.Neg(x)
	}
	return x
}

func bigPow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// fromBigScaled rounds x (scale from) HALF_UP to scale to and checks precision.
func fromBigScaled(x *big.Int, from, to, precision int) (Decimal, bool) {
	if to >= from {
		x.Mul(x, bigPow10(to-from))
		return bigDivHalfUp(x, big.NewInt(1), precision)
	}
	return bigDivHalfUp(x, bigPow10(from-to), precision)
}

// bigDivHalfUp returns num/den rounded half away from zero, as a Decimal of precision.
func bigDivHalfUp(num, den *big.Int, precision int) (Decimal, bool) {
	neg := (num.Sign() < 0) != (den.Sign() < 0)
	n := new(big.Int).Abs(num)
	dd := new(big.Int).Abs(den)
	q, r := new(big.Int).QuoRem(n, dd, new(big.Int))
	r.Lsh(r, 1)
	if r.Cmp(dd) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.BitLen() > 128 {
		return Decimal{}, false
	}
	var m u256
	w := q.Bits()
	if bits.UintSize == 64 {
		for i := 0; i < len(w) && i < 2; i++ {
			m[i] = uint64(w[i])
		}
	} else {
		for i := 0; i < len(w) && i < 4; i++ {
			m[i/2] |= uint64(w[i]) << (32 * (i % 2))
		}
	}
	return finish(m, neg && q.Sign() != 0, precision)
}

// parseDecimalBig is ParseDecimal for text with more than 38 significant digits, which
// the caller has checked is a number: [sign] digits [. digits] [e|E [sign] digits]. Its
// work and memory are bounded whatever the text holds (a megabyte of digits, an
// exponent of two billion): the scaled value's integer digits decide at once whether it
// overflows or rounds to zero, and HALF_UP rounding needs only the first dropped digit,
// so at most precision+1 significant digits are ever converted.
func parseDecimalBig(b []byte, precision, scale int) (Decimal, bool) {
	if precision <= 0 || precision > MaxDecimalPrecision {
		precision = MaxDecimalPrecision
	}
	b = TrimSpace(b)
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	mant, exp := b, 0
	if i := bytes.IndexAny(b, "eE"); i >= 0 {
		mant = b[:i]
		e, err := strconv.Atoi(string(b[i+1:]))
		if err != nil {
			return Decimal{}, false
		}
		exp = e
	}
	intPart, fracPart, _ := bytes.Cut(mant, []byte{'.'})
	// The significant digits: the mantissa's digits without the point and leading zeros.
	digit := func(k int) byte { // k-th digit of intPart followed by fracPart
		if k < len(intPart) {
			return intPart[k]
		}
		return fracPart[k-len(intPart)]
	}
	total := len(intPart) + len(fracPart)
	first := 0
	for first < total && digit(first) == '0' {
		first++
	}
	sig := total - first
	if sig == 0 {
		return Decimal{}, true
	}
	// value = D * 10^(exp - len(fracPart)) with D the sig significant digits; scaled by
	// 10^scale, its integer part has keep digits (keep <= 0: it is below 1).
	keep := sig + exp - len(fracPart) + scale
	switch {
	case keep > precision:
		return Decimal{}, false
	case keep < 0:
		return Decimal{}, true // below 0.1: HALF_UP gives 0
	}
	var m u128
	for k := 0; k < keep; k++ {
		d := uint64(0)
		if k < sig {
			d = uint64(digit(first+k) - '0')
		}
		m, _ = m.mul64(10)
		m, _ = m.add(u128{0, d})
	}
	if keep < sig && digit(first+keep) >= '5' {
		m, _ = m.add(u128{0, 1})
	}
	return finish(u256{m.lo, m.hi}, neg && !m.isZero(), precision)
}
