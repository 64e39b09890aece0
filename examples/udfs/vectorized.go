package udfs

import (
	"errors"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
)

// Vectorized functions: one slice per SQL argument, one result per row, called once per
// batch (the counterpart of PyFlink's pandas UDFs). See docs/udf.md.

// IPToProvinces is the vectorized ip_to_province: the province of each dotted IPv4
// address (udf.IPToProvince per element). The result slice is the only allocation per
// batch.
//
//sqlcstream:vectorized
func IPToProvinces(ips []string) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = udf.IPToProvince(ip)
	}
	return out
}

// Scale multiplies each x by its factor.
//
//sqlcstream:vectorized
func Scale(x, factor []float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = x[i] * factor[i]
	}
	return out
}

// KiB converts byte counts into kibibytes; a negative count is an error, which fails the
// job (or, with WITH ('on-error' = 'null'), makes the whole batch's results NULL).
//
//sqlcstream:vectorized
func KiB(bytes []int64) ([]float64, error) {
	out := make([]float64, len(bytes))
	for i, b := range bytes {
		if b < 0 {
			return nil, errors.New("negative byte count")
		}
		out[i] = float64(b) / 1024
	}
	return out, nil
}

// Len is the length of each string; NULL (nil) stays NULL, as does the empty string.
//
//sqlcstream:vectorized
func Len(s []*string) []*int64 {
	out := make([]*int64, len(s))
	vals := make([]int64, len(s))
	for i, p := range s {
		if p != nil && *p != "" {
			vals[i] = int64(len(*p))
			out[i] = &vals[i]
		}
	}
	return out
}

// BatchRows returns, for every row, how many rows the call received: it shows which
// rows reach a vectorized call (filtered rows and rows with a NULL argument do not).
//
//sqlcstream:vectorized
func BatchRows(x []int64) []int64 {
	out := make([]int64, len(x))
	for i := range out {
		out[i] = int64(len(x))
	}
	return out
}
