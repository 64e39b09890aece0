package main

import (
	"fmt"
	"slices"
	"time"
)

// dist is the values one figure took over repeated runs, sorted ascending. The table
// reports its median and its range (min–max): with the 3 to 5 runs a bench can afford,
// the interquartile range is little more than the second and second-to-last values,
// and the bars that must hold "in every run" need the extremes anyway.
type dist []float64

// distOf collects f over runs.
func distOf(runs []run, f func(run) float64) dist {
	d := make(dist, len(runs))
	for i, r := range runs {
		d[i] = f(r)
	}
	slices.Sort(d)
	return d
}

// pairRatios is f(num[i]) / f(den[i]) for every pair of runs made one after the other
// (see alternate): each ratio compares two runs that saw the same machine, so a drift
// of the machine's speed over the whole measurement stays out of it.
func pairRatios(num, den []run, f func(run) float64) dist {
	n := min(len(num), len(den))
	d := make(dist, n)
	for i := range n {
		d[i] = f(num[i]) / f(den[i])
	}
	slices.Sort(d)
	return d
}

func (d dist) min() float64 { return d[0] }
func (d dist) max() float64 { return d[len(d)-1] }

// median is the middle value, or the mean of the two middle values.
func (d dist) median() float64 {
	m := len(d) / 2
	if len(d)%2 == 1 {
		return d[m]
	}
	return (d[m-1] + d[m]) / 2
}

// atLeast is how many values reach bar.
func (d dist) atLeast(bar float64) int {
	i, _ := slices.BinarySearch(d, bar)
	return len(d) - i
}

// withRange appends the range to a formatted median, in the median's unit (values
// divided by unit, digits decimals): "6.71M (6.20–7.04)". One run has no range.
func (d dist) withRange(median string, unit float64, digits int) string {
	if len(d) < 2 {
		return median
	}
	return fmt.Sprintf("%s (%.*f–%.*f)", median, digits, d.min()/unit, digits, d.max()/unit)
}

// rateRange formats records/s, the range with the median's precision: "6.71M
// (6.20–7.04)", "812K (790–830)".
func (d dist) rateRange() string {
	m := d.median()
	switch {
	case m >= 1e6:
		return d.withRange(rate(m), 1e6, 2)
	case m >= 1e3:
		return d.withRange(rate(m), 1e3, 0)
	}
	return d.withRange(rate(m), 1, 0)
}

// ratioRange formats a ratio with the precision of the bars (1.8×, 0.95×): "1.91× (1.65–1.95)".
func (d dist) ratioRange() string { return d.withRange(ratio(d.median()), 1, 2) }

// mbRange formats a peak RSS: the median, and the largest, since a memory bar is a
// ceiling: "115 MB (max 122)".
func (d dist) mbRange() string {
	if len(d) < 2 {
		return mb(d.median())
	}
	return fmt.Sprintf("%s (max %.0f)", mb(d.median()), d.max())
}

// secsRange formats durations given in seconds, in the unit secs picks for the median:
// "1.13 s (1.10–1.20)", "5.5 ms (5.1–6.0)".
func (d dist) secsRange() string {
	m := d.median()
	med := secs(time.Duration(m * float64(time.Second)))
	switch {
	case m < 1e-3:
		return d.withRange(med, 1e-3, 2)
	case m < 1:
		return d.withRange(med, 1e-3, 1)
	}
	return d.withRange(med, 1, 2)
}

// allRuns says whether every run reached a bar: "yes", or "no (3 of 5)".
func (d dist) allRuns(bar float64) string {
	k := d.atLeast(bar)
	if k == len(d) {
		return "yes"
	}
	return fmt.Sprintf("no (%d of %d)", k, len(d))
}
