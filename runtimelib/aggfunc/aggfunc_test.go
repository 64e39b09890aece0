package aggfunc_test

import (
	"errors"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/aggfunc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

type weightedAvg struct{}

// weightedAvgAcc keeps unexported fields, so it saves itself in snapshots.
type weightedAvgAcc struct{ sum, weight int64 }

func (a *weightedAvgAcc) EncodeState(w *codec.Writer) {
	w.Int64(a.sum)
	w.Int64(a.weight)
}

func (a *weightedAvgAcc) DecodeState(r *codec.Reader) {
	a.sum, a.weight = r.Int64(), r.Int64()
	if a.weight < 0 {
		r.Fail("negative weight %d", a.weight)
	}
}

func (weightedAvg) CreateAccumulator() *weightedAvgAcc { return &weightedAvgAcc{} }

func (weightedAvg) Accumulate(acc *weightedAvgAcc, value, weight int64) {
	acc.sum += value * weight
	acc.weight += weight
}

func (weightedAvg) GetValue(acc *weightedAvgAcc) *float64 {
	if acc.weight == 0 {
		return nil
	}
	v := float64(acc.sum) / float64(acc.weight)
	return &v
}

func (weightedAvg) Merge(acc, other *weightedAvgAcc) {
	acc.sum += other.sum
	acc.weight += other.weight
}

// count has a value accumulator: its methods return the new one.
type count struct{}

func (count) CreateAccumulator() int64             { return 0 }
func (count) Accumulate(acc int64, _ string) int64 { return acc + 1 }
func (count) GetValue(acc int64) int64             { return acc }
func (count) Merge(acc, other int64) int64         { return acc + other }

var (
	_ aggfunc.AggregateFunction[*weightedAvgAcc, *float64] = weightedAvg{}
	_ aggfunc.Accumulator2[*weightedAvgAcc, int64, int64]  = weightedAvg{}
	_ aggfunc.Merger[*weightedAvgAcc]                      = weightedAvg{}
	_ aggfunc.StateEncoder                                 = (*weightedAvgAcc)(nil)
	_ aggfunc.AggregateFunction[int64, int64]              = count{}
	_ aggfunc.ValueMerger[int64]                           = count{}
)

// TestMergeEqualsSequential checks the documented contract on an example: merging the
// partial accumulators of two tasks gives the result of one task seeing every row.
func TestMergeEqualsSequential(t *testing.T) {
	rows := [][2]int64{{10, 1}, {20, 3}, {5, 0}, {7, 2}}
	var f weightedAvg
	all := f.CreateAccumulator()
	a, b := f.CreateAccumulator(), f.CreateAccumulator()
	for i, r := range rows {
		f.Accumulate(all, r[0], r[1])
		if i%2 == 0 {
			f.Accumulate(a, r[0], r[1])
		} else {
			f.Accumulate(b, r[0], r[1])
		}
	}
	f.Merge(a, b)
	got, want := f.GetValue(a), f.GetValue(all)
	if got == nil || want == nil || *got != *want {
		t.Fatalf("merged %v, sequential %v", got, want)
	}
	if *want != float64(10+60+14)/6 {
		t.Fatalf("weighted average %v", *want)
	}
	if v := f.GetValue(f.CreateAccumulator()); v != nil {
		t.Fatalf("empty accumulator: %v, want nil", *v)
	}

	var c count
	x, y := c.CreateAccumulator(), c.CreateAccumulator()
	x = c.Accumulate(x, "a")
	y = c.Accumulate(c.Accumulate(y, "b"), "c")
	if got := c.GetValue(c.Merge(x, y)); got != 3 {
		t.Fatalf("count merged %d, want 3", got)
	}
}

// TestStateEncoder: an accumulator that saves itself comes back equal, and its decoder
// rejects a state no rows make.
func TestStateEncoder(t *testing.T) {
	var f weightedAvg
	acc := f.CreateAccumulator()
	f.Accumulate(acc, 10, 2)
	f.Accumulate(acc, -3, 5)
	var w codec.Writer
	acc.EncodeState(&w)
	back := f.CreateAccumulator()
	r := codec.NewReader(w.Buf)
	back.DecodeState(r)
	if err := r.Done(); err != nil || *back != *acc {
		t.Fatalf("decoded %+v (%v), want %+v", *back, err, *acc)
	}
	w = codec.Writer{}
	w.Int64(1)
	w.Int64(-1)
	r = codec.NewReader(w.Buf)
	f.CreateAccumulator().DecodeState(r)
	if err := r.Done(); !errors.Is(err, codec.ErrCorrupt) {
		t.Fatalf("negative weight: %v, want ErrCorrupt", err)
	}
}
