package agg

import (
	"strconv"
	"testing"
	"unsafe"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// cdnAccs is the CDN query's accumulators (COUNT(uuid), SUM(response_size),
// SUM(request_time)) as generated code would keep them.
type cdnAccs struct {
	count0   Count
	sum1     Sum[int64]
	sum2     Sum[int64]
	sum1Seen bool
	sum2Seen bool
}

// cdnFields is the same state as codegen lays it out before this package.
type cdnFields struct {
	count0   int64
	sum1     int64
	sum2     int64
	sum1Seen bool
	sum2Seen bool
}

// TestSizes: the accumulators cost a group's state nothing over plain fields.
func TestSizes(t *testing.T) {
	acc, plain := unsafe.Sizeof(cdnAccs{}), unsafe.Sizeof(cdnFields{})
	t.Logf("CDN accumulators: %d bytes; as plain fields: %d", acc, plain)
	if acc > plain {
		t.Errorf("CDN accumulators take %d bytes, plain fields %d", acc, plain)
	}
	for _, s := range []struct {
		name       string
		size, want uintptr
	}{
		{"Count", unsafe.Sizeof(Count{}), 8},
		{"Sum[int64]", unsafe.Sizeof(Sum[int64]{}), 8},
		{"Sum[int32]", unsafe.Sizeof(Sum[int32]{}), 4},
		{"SumWithRetract[int64]", unsafe.Sizeof(SumWithRetract[int64]{}), 16},
		{"SumDecimal", unsafe.Sizeof(SumDecimal{}), 16},
		{"AvgInt[int32]", unsafe.Sizeof(AvgInt[int32]{}), 16},
		{"AvgDecimal", unsafe.Sizeof(AvgDecimal{}), 24},
		{"Min[int64]", unsafe.Sizeof(Min[int64]{}), 8},
		{"MinCompared[string]", unsafe.Sizeof(MinCompared[string]{}), 16},
		{"MinWithRetract[int64]", unsafe.Sizeof(MinWithRetract[int64]{}), 16},
		{"CountDistinct[string]", unsafe.Sizeof(CountDistinct[string]{}), 8},
	} {
		t.Logf("%s: %d bytes", s.name, s.size)
		if s.size != s.want {
			t.Errorf("%s takes %d bytes, want %d (the value fields, no flag)", s.name, s.size, s.want)
		}
	}
}

// cdnRows is a batch of the CDN query's two summed columns, some NULL.
type cdnRow struct {
	size, time         int64
	sizeNull, timeNull bool
}

func cdnBatch() []cdnRow {
	rows := make([]cdnRow, 1024)
	for i := range rows {
		rows[i] = cdnRow{size: int64(i * 37 % 5000), time: int64(i % 300), sizeNull: i%17 == 0}
	}
	return rows
}

// BenchmarkCDN: the CDN query's per-row accumulation into one group, with this
// package's types and with the plain fields and inlined statements codegen writes today.
func BenchmarkCDN(b *testing.B) {
	rows := cdnBatch()
	b.Run("agg", func(b *testing.B) {
		var st cdnAccs
		for b.Loop() {
			for i := range rows {
				r := &rows[i]
				st.count0.Add()
				if !r.sizeNull {
					st.sum1.Add(r.size, &st.sum1Seen)
				}
				if !r.timeNull {
					st.sum2.Add(r.time, &st.sum2Seen)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
	})
	b.Run("plain", func(b *testing.B) {
		var st cdnFields
		for b.Loop() {
			for i := range rows {
				r := &rows[i]
				st.count0++
				if !r.sizeNull {
					st.sum1 += r.size
					st.sum1Seen = true
				}
				if !r.timeNull {
					st.sum2 += r.time
					st.sum2Seen = true
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
	})
}

// BenchmarkAdd: one Add per row for the other families (per-row ns = ns/op / 1024).
func BenchmarkAdd(b *testing.B) {
	ints := make([]int64, 1024)
	strs := make([]string, 1024)
	decs := make([]types.Decimal, 1024)
	for i := range ints {
		ints[i] = int64(i*7919%1000) - 500
		strs[i] = "province-" + strconv.Itoa(i%40)
		decs[i] = types.DecimalFromInt64(ints[i], 2)
	}
	b.Run("Min[int64]", func(b *testing.B) {
		var m Min[int64]
		var seen bool
		for b.Loop() {
			for _, v := range ints {
				m.Add(v, &seen)
			}
		}
	})
	b.Run("plain-min-int64", func(b *testing.B) {
		var m int64
		var seen bool
		for b.Loop() {
			for _, v := range ints {
				if !seen || v < m {
					m, seen = v, true
				}
			}
		}
	})
	b.Run("MinCompared[string]", func(b *testing.B) {
		var m MinCompared[string]
		var seen bool
		for b.Loop() {
			for _, v := range strs {
				m.Add(v, &seen)
			}
		}
	})
	b.Run("MinString", func(b *testing.B) {
		var m MinString
		var seen bool
		for b.Loop() {
			for _, v := range strs {
				m.Add(v, &seen)
			}
		}
	})
	b.Run("SumDecimal", func(b *testing.B) {
		var s SumDecimal
		var seen bool
		for b.Loop() {
			for _, v := range decs {
				s.Add(v, &seen)
			}
		}
	})
	b.Run("AvgInt[int64]", func(b *testing.B) {
		var a AvgInt[int64]
		for b.Loop() {
			for _, v := range ints {
				a.Add(v)
			}
		}
	})
	b.Run("CountDistinct[int64]", func(b *testing.B) {
		var c CountDistinct[int64]
		for b.Loop() {
			for _, v := range ints {
				c.Add(v)
			}
		}
	})
	b.Run("MinWithRetract[int64]", func(b *testing.B) {
		var m MinWithRetract[int64]
		for b.Loop() {
			for _, v := range ints {
				m.Add(v)
			}
			for _, v := range ints {
				m.Retract(v)
			}
		}
	})
}
