package types

import (
	"math"
	"math/big"
	"strconv"
)

// The numeric functions, as Flink computes them: on doubles with java.lang.Math (a
// DECIMAL argument is first converted with DecimalToFloat64, Flink's doubleValue), and
// TRUNCATE, FLOOR and CEIL of DECIMAL exactly. Go's math package agrees with Java's
// Math on special values except where Pow says; the last bit of LN, EXP and POWER may
// differ where Java's intrinsics round differently (both are within one ulp).

// Pow is Math.pow: math.Pow, except that Java gives NaN for a NaN exponent and for
// (±1)^±Infinity, where Go gives 1. POWER(x, y) and SQRT(x) (Calcite rewrites it to
// POWER(x, 0.5)) call it.
func Pow(x, y float64) float64 {
	switch {
	case y == 0:
		return 1
	case math.IsNaN(y):
		return math.NaN()
	case (x == 1 || x == -1) && math.IsInf(y, 0):
		return math.NaN()
	}
	return math.Pow(x, y)
}

// Log2 is LOG2(x): Math.log(x) / Math.log(2), as SqlFunctionUtils.log2 computes it
// (rounded twice, unlike math.Log2).
func Log2(x float64) float64 { return math.Log(x) / math.Log(2) }

// LogBase is LOG(base, x): Math.log(x) / Math.log(base) (SqlFunctionUtils.log), so
// LOG(10, 1000) is 2.9999999999999996, as in Flink.
func LogBase(base, x float64) float64 { return math.Log(x) / math.Log(base) }

// Log10 is Math.log10 as fdlibm's e_log10.c computes it (StrictMath.log10), which is
// exact for powers of ten: LOG10(1e15) is 15.0 (math.Log10 gives 14.999999999999998).
func Log10(x float64) float64 {
	const (
		two54     = 1.80143985094819840000e+16
		ivln10    = 4.34294481903251816668e-01
		log10_2hi = 3.01029995663611771306e-01
		log10_2lo = 3.69423907715893078616e-13
	)
	bits := math.Float64bits(x)
	hx := int32(bits >> 32)
	lx := uint32(bits)
	k := int32(0)
	if hx < 0x00100000 { // x < 2**-1022
		if (hx&0x7fffffff)|int32(lx) == 0 {
			return math.Inf(-1) // log(+-0) = -inf
		}
		if hx < 0 {
			return math.NaN() // log(-#) = NaN
		}
		k -= 54
		x *= two54 // subnormal number, scale up x
		hx = int32(math.Float64bits(x) >> 32)
	}
	if hx >= 0x7ff00000 {
		return x + x
	}
	k += (hx >> 20) - 1023
	i := int32((uint32(k) & 0x80000000) >> 31)
	hx = (hx & 0x000fffff) | ((0x3ff - i) << 20)
	y := float64(k + i)
	x = math.Float64frombits(uint64(uint32(hx))<<32 | uint64(lx))
	z := y*log10_2lo + ivln10*math.Log(x)
	return z + y*log10_2hi
}

// FloorDecimal is FLOOR of a DECIMAL with the given scale: the largest integer not above
// it, at scale 0 (DecimalDataUtils.floor).
func FloorDecimal(d Decimal, scale int) Decimal { return integralDecimal(d, scale, -1) }

// CeilDecimal is CEIL of a DECIMAL: the smallest integer not below it, at scale 0.
func CeilDecimal(d Decimal, scale int) Decimal { return integralDecimal(d, scale, 1) }

// integralDecimal drops the fraction of d, moving toward -infinity (dir -1),
// +infinity (1) or zero (0) when something was dropped. The result has fewer digits
// than d, so it always fits.
func integralDecimal(d Decimal, scale, dir int) Decimal {
	if scale <= 0 {
		return d
	}
	x := d.big()
	q, r := new(big.Int).QuoRem(x, bigPow10(scale), new(big.Int)) // toward zero
	if r.Sign() != 0 && r.Sign() == dir {
		q.Add(q, big.NewInt(int64(dir)))
	}
	out, _ := bigDivHalfUp(q, big.NewInt(1), MaxDecimalPrecision)
	return out
}

// TruncateDecimal is TRUNCATE(d, n) of a DECIMAL with the given scale
// (SqlFunctionUtils.struncate): the digits below 10^-n dropped toward zero. The result
// has scale max(min(n, scale), 0): d itself when n >= scale.
func TruncateDecimal(d Decimal, scale, n int) Decimal {
	if n >= scale {
		return d
	}
	x := d.big()
	q := new(big.Int).Quo(x, bigPow10(scale-n)) // toward zero
	if n < 0 {
		if -n > 2*MaxDecimalPrecision {
			return Decimal{}
		}
		q.Mul(q, bigPow10(-n))
	}
	out, _ := bigDivHalfUp(q, big.NewInt(1), MaxDecimalPrecision)
	return out
}

// TruncateInt is TRUNCATE(x, n) of an integer (Calcite's SqlFunctions.struncate:
// BigDecimal.movePointRight(n).setScale(0, DOWN).movePointLeft(n)): x for n >= 0, x with
// its last -n digits zeroed otherwise (0 once 10^-n exceeds every long).
func TruncateInt(x int64, n int32) int64 {
	if n >= 0 {
		return x
	}
	if n <= -19 {
		return 0
	}
	p := int64(1)
	for range -n {
		p *= 10
	}
	return x / p * p
}

// TruncateDouble is TRUNCATE(x, n) of a DOUBLE (Calcite's SqlFunctions.struncate):
// BigDecimal.valueOf(x), i.e. the shortest decimal digits of x, truncated below 10^-n,
// back to double. ok=false for NaN and infinities, which BigDecimal.valueOf rejects
// (Flink's job fails).
func TruncateDouble(x float64, n int32) (float64, bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x, false
	}
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(x, 'e', -1, 64))
	return truncRat(r, int(n)), true
}

// TruncateFloat is TRUNCATE(x, n) of a FLOAT (SqlFunctionUtils.struncate(float, int)):
// the float widened to double, cast to DECIMAL(38, 18) (castFrom: its shortest digits,
// rounded HALF_UP to 18 places), truncated, back to float. ok=false for NaN, infinities
// and values too large for DECIMAL(38, 18), where Flink's job fails.
func TruncateFloat(x float32, n int32) (float32, bool) {
	d, ok := DecimalFromFloat64(float64(x), MaxDecimalPrecision, 18)
	if !ok {
		return x, false
	}
	return float32(DecimalToFloat64(TruncateDecimal(d, 18, int(n)), max(min(int(n), 18), 0))), true
}

// truncRat drops the digits of r below 10^-n (toward zero) and rounds the result to the
// nearest double, as BigDecimal.doubleValue does.
func truncRat(r *big.Rat, n int) float64 {
	scale := new(big.Rat).SetInt(bigPow10(abs(n)))
	if n < 0 {
		scale.Inv(scale)
	}
	v := new(big.Rat).Mul(r, scale)
	q := new(big.Int).Quo(v.Num(), v.Denom()) // toward zero
	res := new(big.Rat).Quo(new(big.Rat).SetInt(q), scale)
	f, _ := res.Float64()
	if f == 0 && r.Sign() < 0 {
		return 0 // BigDecimal has no negative zero
	}
	return f
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
