package ir

import (
	"fmt"
	"strings"
)

// WindowKind is the kind of a window aggregate's windows.
type WindowKind uint8

const (
	WindowTumble WindowKind = iota + 1
	WindowHop
	WindowCumulate
	// WindowSession: a key's rows closer than Size (the gap) in time are one window
	// [first row, last row + gap), merged as rows come.
	WindowSession
)

func (k WindowKind) String() string {
	switch k {
	case WindowTumble:
		return "TUMBLE"
	case WindowHop:
		return "HOP"
	case WindowCumulate:
		return "CUMULATE"
	case WindowSession:
		return "SESSION"
	}
	return "WINDOW"
}

// Window makes an Aggregate a window aggregate (Flink's WindowAggregate, from a window
// TVF grouped by window_start and window_end, or from a legacy group window GROUP BY
// TUMBLE(ts, ...)). Its windows are aligned (TUMBLE, HOP, CUMULATE) over the event time
// in the input column GroupBy[TimePos()], a rowtime attribute. The group columns at
// positions Start, End and Time of GroupBy (-1 when absent) all read that time column;
// the aggregate outputs window_start, window_end and window_time there instead (TIMESTAMP(3)
// NOT NULL, window_time a rowtime attribute). The other group columns are the keys.
//
// A window aggregate emits each window's row once, when the watermark passes the
// window's end, and then frees it: its output is append-only ([I]) and it accepts only
// an append-only input. A row whose window already fired is late: dropped and counted.
type Window struct {
	Kind WindowKind
	// Size is the window size (CUMULATE: the max size); Slide is HOP's slide and
	// CUMULATE's step (TUMBLE: the size); Offset shifts the windows' starts. All in
	// milliseconds.
	Size, Slide, Offset int64
	Start, End, Time    int
	// Legacy: a group window (GROUP BY TUMBLE(ts, size)), for EXPLAIN.
	Legacy bool
	// Proctime: the time column is a processing-time attribute (PROCTIME()): windows
	// fire on the wall clock, and no row is late.
	Proctime bool
}

// TimePos is the position in GroupBy of a column holding the window's time attribute.
func (w *Window) TimePos() int {
	for _, p := range []int{w.Start, w.End, w.Time} {
		if p >= 0 {
			return p
		}
	}
	return -1
}

// IsProperty reports whether group position i is window_start, window_end or
// window_time, not a key.
func (w *Window) IsProperty(i int) bool { return i == w.Start || i == w.End || i == w.Time }

// KeyPositions are the positions in GroupBy of the aggregate's keys.
func (w *Window) KeyPositions(groupBy []int) []int {
	var out []int
	for i := range groupBy {
		if !w.IsProperty(i) {
			out = append(out, i)
		}
	}
	return out
}

// propertyType is the type of window_start, window_end (rowtime false) or window_time,
// over a time column of type t.
func propertyType(t Type, rowtime bool) Type {
	out := Type{Kind: t.Kind, Precision: 3}.NotNull()
	if t.TimeAttr == TimeProctime {
		// window_start and window_end of a processing-time window are TIMESTAMP(3),
		// window_time its proctime attribute, as in Flink.
		out.Kind = KindTimestamp
		if rowtime {
			return Type{Kind: KindTimestampLTZ, Precision: 3}.NotNull().WithTimeAttr(TimeProctime)
		}
		return out
	}
	if rowtime {
		out = out.WithTimeAttr(TimeRowtime)
	}
	return out
}

// describe renders the windows as Flink's EXPLAIN does: TUMBLE(time_col=[ts], size=[10 s]).
func (w *Window) describe(timeCol string) string {
	parts := []string{"time_col=[" + timeCol + "]"}
	switch w.Kind {
	case WindowTumble:
		parts = append(parts, "size=["+formatMillis(w.Size)+"]")
	case WindowHop:
		parts = append(parts, "size=["+formatMillis(w.Size)+"]", "slide=["+formatMillis(w.Slide)+"]")
	case WindowCumulate:
		parts = append(parts, "max_size=["+formatMillis(w.Size)+"]", "step=["+formatMillis(w.Slide)+"]")
	case WindowSession:
		parts = append(parts, "gap=["+formatMillis(w.Size)+"]")
	}
	if w.Offset != 0 {
		parts = append(parts, "offset=["+formatMillis(w.Offset)+"]")
	}
	if w.Proctime {
		parts = append(parts, "proctime")
	}
	return w.Kind.String() + "(" + strings.Join(parts, ", ") + ")"
}

// formatMillis renders a duration as Flink's plans do: 10 s, 1 min, 500 ms.
func formatMillis(ms int64) string {
	switch {
	case ms != 0 && ms%3600000 == 0:
		return fmt.Sprintf("%d h", ms/3600000)
	case ms != 0 && ms%60000 == 0:
		return fmt.Sprintf("%d min", ms/60000)
	case ms != 0 && ms%1000 == 0:
		return fmt.Sprintf("%d s", ms/1000)
	}
	return fmt.Sprintf("%d ms", ms)
}
