package udf

import "testing"

func TestPercentile(t *testing.T) {
	var f Percentile
	acc := f.CreateAccumulator()
	for _, v := range []int64{15, 20, 35, 40, 50} {
		f.Accumulate(acc, v, 0.4)
	}
	// Nearest rank: ceil(0.4 * 5) = 2nd smallest.
	if got, err := f.GetValue(acc); err != nil || got == nil || *got != 20 {
		t.Fatalf("p40 = %v, %v; want 20", got, err)
	}
	other := f.CreateAccumulator()
	f.Accumulate(other, 1, 0.4)
	f.Merge(acc, other)
	if got, _ := f.GetValue(acc); *got != 20 { // ceil(0.4*6) = 3rd of 1 15 20 35 40 50
		t.Fatalf("merged p40 = %d; want 20", *got)
	}
	if got, err := f.GetValue(f.CreateAccumulator()); got != nil || err != nil {
		t.Fatalf("empty group: %v, %v; want NULL", got, err)
	}
	bad := f.CreateAccumulator()
	f.Accumulate(bad, 1, 1.5)
	if _, err := f.GetValue(bad); err == nil {
		t.Fatal("percentile 1.5: no error")
	}
}
