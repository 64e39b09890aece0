package agg

import (
	"math"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Sum is SUM(x) over an append-only input for an integer, FLOAT or DOUBLE x. The sum
// has x's type and wraps in it (Flink's SUM(INT) is an INT). It is NULL until a value
// is added: that flag is the caller's seen bool (see the package doc), which Add sets.
// The first value is taken as is, as Flink's SumAggFunction does, so SUM of one -0.0
// is -0.0.
type Sum[T Number] struct {
	sum T
}

// Add adds v.
func (s *Sum[T]) Add(v T, seen *bool) {
	if *seen {
		s.sum += v
	} else {
		s.sum, *seen = v, true
	}
}

// Merge adds another partial sum (o, with its seen flag). Exact and order-insensitive
// for integers (wrapping addition is associative); for FLOAT and DOUBLE the last bits
// depend on the order, as in Flink's two-phase aggregation.
func (s *Sum[T]) Merge(o Sum[T], oSeen bool, seen *bool) {
	if oSeen {
		s.Add(o.sum, seen)
	}
}

// Result is the sum, NULL when no value was added.
func (s *Sum[T]) Result(seen bool) (v T, null bool) { return s.sum, !seen }

// Encode writes the seen flag and the sum.
func (s *Sum[T]) Encode(w *codec.Writer, seen bool) {
	w.Bool(seen)
	putValue(w, s.sum)
}

// Decode reads what Encode wrote into s and *seen; a sum without a value fails r.
func (s *Sum[T]) Decode(r *codec.Reader, seen *bool) {
	*seen = r.Bool()
	s.sum = getValue[T](r)
	if !*seen && !isZero(s.sum) {
		r.Fail("SUM of no value is %v", s.sum)
	}
}

// SumWithRetract is SUM(x) over an updating input (Flink's SumWithRetractAggFunction):
// the sum and the number of values in it, so it is NULL again when the last value is
// retracted.
type SumWithRetract[T Number] struct {
	sum   T
	count int64
}

// Add adds v.
func (s *SumWithRetract[T]) Add(v T) { s.sum += v; s.count++ }

// Retract subtracts v.
func (s *SumWithRetract[T]) Retract(v T) { s.sum -= v; s.count-- }

// Merge adds another partial sum; see Sum.Merge.
func (s *SumWithRetract[T]) Merge(o SumWithRetract[T]) { s.sum += o.sum; s.count += o.count }

// Result is the sum, NULL when it holds no value.
func (s *SumWithRetract[T]) Result() (v T, null bool) { return s.sum, s.count == 0 }

// Encode writes the sum and the count.
func (s *SumWithRetract[T]) Encode(w *codec.Writer) {
	putValue(w, s.sum)
	w.Int64(s.count)
}

// Decode reads what Encode wrote; a negative count fails r.
func (s *SumWithRetract[T]) Decode(r *codec.Reader) {
	s.sum = getValue[T](r)
	s.count = getCount(r)
}

// overflowed is the sum of a DECIMAL SUM or AVG that overflowed 38 digits: -2^127, not
// a DECIMAL(38) value. The overflow is sticky: the result is NULL from then on (until
// the group is deleted), and a flag for it would cost the state a word.
var overflowed = types.Decimal{Hi: math.MinInt64}

// addDecimal is a + b (or a - b) for a DECIMAL(38, s) sum, overflowed when it does not
// fit 38 digits or a already overflowed. Both have the sum's scale, so the scale does not
// matter.
func addDecimal(a, b types.Decimal, sub bool) types.Decimal {
	if a == overflowed {
		return a
	}
	var s types.Decimal
	var ok bool
	if sub {
		s, ok = types.SubDecimal(a, b, 0, 0, 0, types.MaxDecimalPrecision)
	} else {
		s, ok = types.AddDecimal(a, b, 0, 0, 0, types.MaxDecimalPrecision)
	}
	if !ok {
		return overflowed
	}
	return s
}

// getDecimalSum reads a DECIMAL(38) sum, which may be overflowed.
func getDecimalSum(r *codec.Reader) types.Decimal {
	d := r.Decimal()
	if d != overflowed && !types.FitsPrecision(d, types.MaxDecimalPrecision) {
		r.Fail("DECIMAL sum of more than %d digits", types.MaxDecimalPrecision)
		return types.Decimal{}
	}
	return d
}

// SumDecimal is SUM(x) of a DECIMAL(p, s) x over an append-only input. Flink's result
// is a DECIMAL(38, s), so the sum needs no precision or scale: the values it adds have
// its scale. It is NULL until a value is added (the caller's seen flag, as for Sum) and
// once it overflows 38 digits.
type SumDecimal struct {
	sum types.Decimal
}

// Add adds v.
func (s *SumDecimal) Add(v types.Decimal, seen *bool) {
	s.sum = addDecimal(s.sum, v, false)
	*seen = true
}

// Merge adds another partial sum. Exact, and order-insensitive unless the sum
// overflows: a partial that overflowed makes the sum NULL, but partial sums within 38
// digits can add up within them although some order of the rows passed 38 digits on
// the way (as in Flink's two-phase aggregation).
func (s *SumDecimal) Merge(o SumDecimal, oSeen bool, seen *bool) {
	if !oSeen {
		return
	}
	if o.sum == overflowed {
		s.sum = overflowed
	} else {
		s.sum = addDecimal(s.sum, o.sum, false)
	}
	*seen = true
}

// Result is the sum, NULL when no value was added or the sum overflowed.
func (s *SumDecimal) Result(seen bool) (v types.Decimal, null bool) {
	if !seen || s.sum == overflowed {
		return types.Decimal{}, true
	}
	return s.sum, false
}

// Encode writes the seen flag and the sum.
func (s *SumDecimal) Encode(w *codec.Writer, seen bool) {
	w.Bool(seen)
	w.Decimal(s.sum)
}

// Decode reads what Encode wrote into s and *seen.
func (s *SumDecimal) Decode(r *codec.Reader, seen *bool) {
	*seen = r.Bool()
	s.sum = getDecimalSum(r)
	if !*seen && s.sum != (types.Decimal{}) {
		r.Fail("SUM of no value is not zero")
	}
}

// SumDecimalWithRetract is SUM(x) of a DECIMAL x over an updating input: the sum and the
// number of values in it. An overflow stays until the group is deleted.
type SumDecimalWithRetract struct {
	sum   types.Decimal
	count int64
}

// Add adds v.
func (s *SumDecimalWithRetract) Add(v types.Decimal) {
	s.sum = addDecimal(s.sum, v, false)
	s.count++
}

// Retract subtracts v.
func (s *SumDecimalWithRetract) Retract(v types.Decimal) {
	s.sum = addDecimal(s.sum, v, true)
	s.count--
}

// Merge adds another partial sum; see SumDecimal.Merge.
func (s *SumDecimalWithRetract) Merge(o SumDecimalWithRetract) {
	if o.sum == overflowed {
		s.sum = overflowed
	} else {
		s.sum = addDecimal(s.sum, o.sum, false)
	}
	s.count += o.count
}

// Result is the sum, NULL when it holds no value or overflowed.
func (s *SumDecimalWithRetract) Result() (v types.Decimal, null bool) {
	if s.count == 0 || s.sum == overflowed {
		return types.Decimal{}, true
	}
	return s.sum, false
}

// Encode writes the sum and the count.
func (s *SumDecimalWithRetract) Encode(w *codec.Writer) {
	w.Decimal(s.sum)
	w.Int64(s.count)
}

// Decode reads what Encode wrote; a negative count fails r.
func (s *SumDecimalWithRetract) Decode(r *codec.Reader) {
	s.sum = getDecimalSum(r)
	s.count = getCount(r)
}
