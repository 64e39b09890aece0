// Package udf holds the Go aggregate function of the aggfunc example.
package udf

import (
	"fmt"
	"math"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/aggfunc"
)

// Percentile is an exact percentile of a group's values (nearest rank):
//
//	CREATE FUNCTION percentile AS 'github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf.Percentile' LANGUAGE GO;
//	SELECT province, percentile(response_size, 0.95) FROM ... GROUP BY province;
//
// NULL values are skipped (value is a plain int64); the result is NULL for a group
// without values. It keeps every value of the group, which suits a sample, not an
// unbounded stream.
type Percentile struct{}

// PercentileAcc is Percentile's accumulator: the values seen and the percentile asked.
type PercentileAcc struct {
	Values []int64
	P      float64
}

var (
	_ aggfunc.FallibleAggregateFunction[*PercentileAcc, *int64] = Percentile{}
	_ aggfunc.Accumulator2[*PercentileAcc, int64, float64]      = Percentile{}
	_ aggfunc.Merger[*PercentileAcc]                            = Percentile{}
)

// CreateAccumulator starts a group.
func (Percentile) CreateAccumulator() *PercentileAcc { return &PercentileAcc{} }

// Accumulate adds one value; p is the percentile in [0, 1] (a constant in practice).
func (Percentile) Accumulate(acc *PercentileAcc, value int64, p float64) {
	acc.Values = append(acc.Values, value)
	acc.P = p
}

// Merge adds the values another task saw for the same group.
func (Percentile) Merge(acc, other *PercentileAcc) {
	acc.Values = append(acc.Values, other.Values...)
	if len(other.Values) > 0 {
		acc.P = other.P
	}
}

// GetValue returns the smallest value such that at least p of the values are less or
// equal (the nearest-rank method): the median for 0.5.
func (Percentile) GetValue(acc *PercentileAcc) (*int64, error) {
	if len(acc.Values) == 0 {
		return nil, nil
	}
	if acc.P < 0 || acc.P > 1 || math.IsNaN(acc.P) {
		return nil, fmt.Errorf("percentile %v is not between 0 and 1", acc.P)
	}
	v := NearestRank(acc.Values, acc.P)
	return &v, nil
}

// NearestRank returns the p-th percentile of values by the nearest-rank method; values
// is sorted in place and must not be empty.
func NearestRank(values []int64, p float64) int64 {
	slices.Sort(values)
	rank := int(math.Ceil(p * float64(len(values))))
	if rank < 1 {
		rank = 1
	}
	return values[rank-1]
}
