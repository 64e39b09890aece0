// Package window is the arithmetic of Flink's aligned windows (TUMBLE, HOP, CUMULATE)
// as the slicing window operator sees it, for the window aggregates of generated jobs.
//
// Time is cut into slices of one size (TUMBLE: the window size; HOP: the greatest
// common divisor of size and slide; CUMULATE: the step). A row updates the one slice
// its time falls in, named by the slice's end; a window is the union of the slices
// between its start and its end, merged when it fires. A HOP of size 10 and slide 2
// keeps five slices per key, not five copies of each row.
//
//	slice of t:   [SliceEnd(t) - Slice, SliceEnd(t))
//	windows of a slice s: ends FirstWindowEnd(s), next, ..., LastWindowEnd(s)
//	window ending e:      [WindowStart(e), e), the slices ending in (WindowStart(e), e]
//
// A slice's state can be freed once its last window fired; a row whose slice's last
// window has fired (LastWindowEnd(s) <= watermark) is late and dropped. Offsets shift
// every window as Flink's window TVF offset does; times are epoch milliseconds.
package window
