package agg

import (
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// The AVG accumulators are Flink's AvgAggFunction: a sum and a count of the values,
// NULL while the count is 0. They retract as they add, so one type serves an
// append-only and an updating input.

// AvgInt is AVG(x) of an integer x: Flink sums in a BIGINT (wrapping) and divides with
// Java's long division (truncating toward zero), then narrows to x's type.
type AvgInt[T Integer] struct {
	sum   int64
	count int64
}

// Add adds v.
func (a *AvgInt[T]) Add(v T) { a.sum += int64(v); a.count++ }

// Retract subtracts v.
func (a *AvgInt[T]) Retract(v T) { a.sum -= int64(v); a.count-- }

// Merge adds another partial average. Exact and order-insensitive.
func (a *AvgInt[T]) Merge(o AvgInt[T]) { a.sum += o.sum; a.count += o.count }

// Result is sum / count in x's type, NULL when the count is 0.
func (a *AvgInt[T]) Result() (v T, null bool) {
	if a.count == 0 {
		return 0, true
	}
	return T(a.sum / a.count), false
}

// Encode writes the sum and the count.
func (a *AvgInt[T]) Encode(w *codec.Writer) {
	w.Int64(a.sum)
	w.Int64(a.count)
}

// Decode reads what Encode wrote; a negative count fails r.
func (a *AvgInt[T]) Decode(r *codec.Reader) {
	a.sum = r.Int64()
	a.count = getCount(r)
}

// AvgFloat is AVG(x) of a FLOAT or DOUBLE x: Flink sums in a DOUBLE, divides by the
// count and casts to x's type.
type AvgFloat[T Float] struct {
	sum   float64
	count int64
}

// Add adds v.
func (a *AvgFloat[T]) Add(v T) { a.sum += float64(v); a.count++ }

// Retract subtracts v.
func (a *AvgFloat[T]) Retract(v T) { a.sum -= float64(v); a.count-- }

// Merge adds another partial average. The last bits of the sum depend on the order of
// the additions, as in Flink's two-phase aggregation.
func (a *AvgFloat[T]) Merge(o AvgFloat[T]) { a.sum += o.sum; a.count += o.count }

// Result is sum / count in x's type, NULL when the count is 0.
func (a *AvgFloat[T]) Result() (v T, null bool) {
	if a.count == 0 {
		return 0, true
	}
	return T(a.sum / float64(a.count)), false
}

// Encode writes the sum and the count.
func (a *AvgFloat[T]) Encode(w *codec.Writer) {
	w.Float64(a.sum)
	w.Int64(a.count)
}

// Decode reads what Encode wrote; a negative count fails r.
func (a *AvgFloat[T]) Decode(r *codec.Reader) {
	a.sum = r.Float64()
	a.count = getCount(r)
}

// AvgDecimal is AVG(x) of a DECIMAL(p, s) x: Flink sums in a DECIMAL(38, s), which is
// NULL once it overflows (and stays NULL), and divides by the count into the result
// type DECIMAL(38, max(6, s)) (ir.AvgType).
type AvgDecimal struct {
	sum   types.Decimal
	count int64
}

// Add adds v.
func (a *AvgDecimal) Add(v types.Decimal) {
	a.sum = addDecimal(a.sum, v, false)
	a.count++
}

// Retract subtracts v.
func (a *AvgDecimal) Retract(v types.Decimal) {
	a.sum = addDecimal(a.sum, v, true)
	a.count--
}

// Merge adds another partial average; see SumDecimal.Merge.
func (a *AvgDecimal) Merge(o AvgDecimal) {
	if o.count == 0 {
		return
	}
	if o.sum == overflowed {
		a.sum = overflowed
	} else {
		a.sum = addDecimal(a.sum, o.sum, false)
	}
	a.count += o.count
}

// Result is sum / count (types.DivDecimal, HALF_UP) of the sum at scale argScale into a
// DECIMAL(resPrecision, resScale), NULL when the count is 0, the sum overflowed or the
// quotient does not fit.
func (a *AvgDecimal) Result(argScale, resScale, resPrecision int) (v types.Decimal, null bool) {
	if a.count == 0 || a.sum == overflowed {
		return types.Decimal{}, true
	}
	q, ok := types.DivDecimal(a.sum, types.DecimalFromInt64(a.count, 0), argScale, 0, resScale, resPrecision)
	if !ok {
		return types.Decimal{}, true
	}
	return q, false
}

// Encode writes the sum and the count.
func (a *AvgDecimal) Encode(w *codec.Writer) {
	w.Decimal(a.sum)
	w.Int64(a.count)
}

// Decode reads what Encode wrote; a negative count fails r.
func (a *AvgDecimal) Decode(r *codec.Reader) {
	a.sum = getDecimalSum(r)
	a.count = getCount(r)
}
