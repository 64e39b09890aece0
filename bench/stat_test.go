package main

import (
	"testing"
	"time"
)

func TestDistMedian(t *testing.T) {
	for _, c := range []struct {
		runs []float64
		want float64
	}{
		{[]float64{7}, 7},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{9, 1, 5, 7, 3}, 5},
	} {
		var runs []run
		for _, v := range c.runs {
			runs = append(runs, run{maxRSSKB: int64(v * 1024)})
		}
		d := distOf(runs, rssMB)
		if got := d.median(); got != c.want {
			t.Errorf("median of %v = %v, want %v", c.runs, got, c.want)
		}
		if d.min() > d.median() || d.median() > d.max() {
			t.Errorf("%v: min %v, median %v, max %v out of order", c.runs, d.min(), d.median(), d.max())
		}
	}
}

// pairRatios divides run i by run i of the other program, before sorting: the
// slowest run of one program is not set against the slowest of the other.
func TestPairRatios(t *testing.T) {
	walls := func(secs ...float64) []run {
		var rs []run
		for _, s := range secs {
			rs = append(rs, run{wall: time.Duration(s * float64(time.Second))})
		}
		return rs
	}
	one := walls(2, 4, 3) // a machine that slows down, then recovers
	two := walls(1, 2.5, 1.5)
	got := pairRatios(two, one, wallRate(100))
	want := dist{1.6, 2, 2}
	for i := range want {
		if diff := got[i] - want[i]; diff > 1e-9 || diff < -1e-9 {
			t.Fatalf("pairRatios = %v, want %v", got, want)
		}
	}
	if got.allRuns(1.8) != "no (2 of 3)" || got.allRuns(1.6) != "yes" {
		t.Errorf("allRuns(1.8) = %q, allRuns(1.6) = %q", got.allRuns(1.8), got.allRuns(1.6))
	}
	// The ratio of the medians would be 3/1.5 = 2: it hides the pair that fell short.
	if got.median() != 2 || got.min() != 1.6 {
		t.Errorf("median %v, min %v", got.median(), got.min())
	}
}

func TestDistAtLeast(t *testing.T) {
	d := dist{1.5, 1.8, 1.8, 2}
	for bar, want := range map[float64]int{1: 4, 1.8: 3, 1.9: 1, 2: 1, 2.1: 0} {
		if got := d.atLeast(bar); got != want {
			t.Errorf("atLeast(%v) = %d, want %d", bar, got, want)
		}
	}
}

func TestDistFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{dist{6.2e6, 6.71e6, 7.04e6}.rateRange(), "6.71M (6.20–7.04)"},
		{dist{790e3, 812e3, 830e3}.rateRange(), "812K (790–830)"},
		{dist{6.71e6}.rateRange(), "6.71M"},
		{dist{1.65, 1.91, 1.95}.ratioRange(), "1.91× (1.65–1.95)"},
		{dist{112, 115, 122.4}.mbRange(), "115 MB (max 122)"},
		{dist{115}.mbRange(), "115 MB"},
		{dist{1.1, 1.13, 1.2}.secsRange(), "1.13 s (1.10–1.20)"},
		{dist{0.0051, 0.0055, 0.006}.secsRange(), "5.5 ms (5.1–6.0)"},
		{dist{0.0003, 0.0004, 0.0005}.secsRange(), "0.40 ms (0.30–0.50)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
