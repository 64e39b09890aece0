package agg

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// extreme is the value MIN or MAX over an append-only input kept, with what they share:
// the result and the codec. Whether it holds one is the caller's seen flag (see the
// package doc).
type extreme[T any] struct {
	v T
}

// Result is the extreme value, NULL when no value was added.
func (e *extreme[T]) Result(seen bool) (v T, null bool) { return e.v, !seen }

// Encode writes the seen flag and the value.
func (e *extreme[T]) Encode(w *codec.Writer, seen bool) {
	w.Bool(seen)
	putValue(w, e.v)
}

// Decode reads what Encode wrote into e and *seen; a value without the seen flag fails r.
func (e *extreme[T]) Decode(r *codec.Reader, seen *bool) {
	*seen = r.Bool()
	e.v = getValue[T](r)
	if !*seen && !isZero(e.v) {
		r.Fail("MIN/MAX of no value holds %v", e.v)
	}
}

// Min is MIN(x) over an append-only input for an integer, FLOAT or DOUBLE x (also DATE,
// TIME and INTERVAL, held in integers), compared with Go's < as
// Flink's MinAggFunction compares with SQL's <: a NaN is kept only when it came first,
// and of -0.0 and 0.0 the first stays. A Merge keeps the receiver's value on a tie, so
// merging partials in the order of their rows gives what one loop over the rows would
// (partials from several source tasks arrive in no fixed order: then the tie goes to
// whichever came first, as in Flink's two-phase aggregation).
type Min[T Number] struct{ extreme[T] }

// Add offers v.
func (m *Min[T]) Add(v T, seen *bool) {
	if !*seen || v < m.v {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *Min[T]) Merge(o Min[T], oSeen bool, seen *bool) {
	if oSeen && (!*seen || o.v < m.v) {
		m.v, *seen = o.v, true
	}
}

// Max is MAX(x) over an append-only input for an integer, FLOAT or DOUBLE x; see Min.
type Max[T Number] struct{ extreme[T] }

// Add offers v.
func (m *Max[T]) Add(v T, seen *bool) {
	if !*seen || v > m.v {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *Max[T]) Merge(o Max[T], oSeen bool, seen *bool) {
	if oSeen && (!*seen || o.v > m.v) {
		m.v, *seen = o.v, true
	}
}

// MinCompared is MIN(x) over an append-only input for a string, BINARY, BOOLEAN,
// DECIMAL or TIMESTAMP x (see Compared); otherwise as Min. A string or byte slice is
// cloned when it becomes the minimum.
type MinCompared[T Compared] struct{ extreme[T] }

// Add offers v.
func (m *MinCompared[T]) Add(v T, seen *bool) {
	if !*seen || compare(v, m.v) < 0 {
		m.v, *seen = keep(v), true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MinCompared[T]) Merge(o MinCompared[T], oSeen bool, seen *bool) {
	if oSeen && (!*seen || compare(o.v, m.v) < 0) {
		m.v, *seen = o.v, true
	}
}

// MaxCompared is MAX(x) over an append-only input for a string, BINARY, BOOLEAN,
// DECIMAL or TIMESTAMP x (see Compared); otherwise as Max.
type MaxCompared[T Compared] struct{ extreme[T] }

// Add offers v.
func (m *MaxCompared[T]) Add(v T, seen *bool) {
	if !*seen || compare(v, m.v) > 0 {
		m.v, *seen = keep(v), true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MaxCompared[T]) Merge(o MaxCompared[T], oSeen bool, seen *bool) {
	if oSeen && (!*seen || compare(o.v, m.v) > 0) {
		m.v, *seen = o.v, true
	}
}

// The MIN and MAX of strings, DECIMALs and TIMESTAMPs, which are common, are
// MinCompared and MaxCompared with the comparison written out: the generic compare is
// a type switch that does not inline, and these run once per row.

// MinString is MIN(x) over an append-only input for a CHAR/VARCHAR x (byte order); as
// MinCompared[string].
type MinString struct{ extreme[string] }

// Add offers v, cloned when it becomes the minimum.
func (m *MinString) Add(v string, seen *bool) {
	if !*seen || v < m.v {
		m.v, *seen = strings.Clone(v), true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MinString) Merge(o MinString, oSeen bool, seen *bool) {
	if oSeen && (!*seen || o.v < m.v) {
		m.v, *seen = o.v, true
	}
}

// MaxString is MAX(x) over an append-only input for a CHAR/VARCHAR x; see MinString.
type MaxString struct{ extreme[string] }

// Add offers v, cloned when it becomes the maximum.
func (m *MaxString) Add(v string, seen *bool) {
	if !*seen || v > m.v {
		m.v, *seen = strings.Clone(v), true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MaxString) Merge(o MaxString, oSeen bool, seen *bool) {
	if oSeen && (!*seen || o.v > m.v) {
		m.v, *seen = o.v, true
	}
}

// MinDecimal is MIN(x) over an append-only input for a DECIMAL x (one column has one
// scale); as MinCompared[types.Decimal].
type MinDecimal struct{ extreme[types.Decimal] }

// Add offers v.
func (m *MinDecimal) Add(v types.Decimal, seen *bool) {
	if !*seen || types.Cmp(v, m.v) < 0 {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MinDecimal) Merge(o MinDecimal, oSeen bool, seen *bool) {
	if oSeen {
		m.Add(o.v, seen)
	}
}

// MaxDecimal is MAX(x) over an append-only input for a DECIMAL x; see MinDecimal.
type MaxDecimal struct{ extreme[types.Decimal] }

// Add offers v.
func (m *MaxDecimal) Add(v types.Decimal, seen *bool) {
	if !*seen || types.Cmp(v, m.v) > 0 {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MaxDecimal) Merge(o MaxDecimal, oSeen bool, seen *bool) {
	if oSeen {
		m.Add(o.v, seen)
	}
}

// MinTimestamp is MIN(x) over an append-only input for a TIMESTAMP or TIMESTAMP_LTZ x;
// as MinCompared[types.Timestamp].
type MinTimestamp struct{ extreme[types.Timestamp] }

// Add offers v.
func (m *MinTimestamp) Add(v types.Timestamp, seen *bool) {
	if !*seen || types.CompareTimestamp(v, m.v) < 0 {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MinTimestamp) Merge(o MinTimestamp, oSeen bool, seen *bool) {
	if oSeen {
		m.Add(o.v, seen)
	}
}

// MaxTimestamp is MAX(x) over an append-only input for a TIMESTAMP or TIMESTAMP_LTZ x;
// see MinTimestamp.
type MaxTimestamp struct{ extreme[types.Timestamp] }

// Add offers v.
func (m *MaxTimestamp) Add(v types.Timestamp, seen *bool) {
	if !*seen || types.CompareTimestamp(v, m.v) > 0 {
		m.v, *seen = v, true
	}
}

// Merge offers another partial's value (o, with its seen flag).
func (m *MaxTimestamp) Merge(o MaxTimestamp, oSeen bool, seen *bool) {
	if oSeen {
		m.Add(o.v, seen)
	}
}

// extremeRows is MIN or MAX over an updating input, Flink's MinWithRetractAggFunction
// and MaxWithRetractAggFunction: each value's rows (a MapView there) and the current
// extreme, recomputed from them when the extreme's last row is retracted. Values are
// keys (see Key), ordered by compare: FLOAT and DOUBLE as Java's compareTo (-0.0 below
// 0.0, NaN above +Infinity), which is what Flink's map-based form uses. With sign -1
// it keeps the minimum, with +1 the maximum.
type extremeRows[K Key] struct {
	v    K // valid while rows is not empty
	rows map[K]int64
}

func (e *extremeRows[K]) add(k K, sign int) {
	// Only a new value can be a new extreme.
	if stored, isNew := addRow(&e.rows, k); isNew && (len(e.rows) == 1 || compare(stored, e.v)*sign > 0) {
		e.v = stored
	}
}

func (e *extremeRows[K]) retract(k K, sign int) {
	if !retractRow(e.rows, k) || compare(k, e.v) != 0 {
		return // compare is 0 only for the same key: the extreme keeps rows
	}
	e.recompute(sign)
}

func (e *extremeRows[K]) recompute(sign int) {
	var zero K
	e.v = zero
	first := true
	for k := range e.rows {
		if first || compare(k, e.v)*sign > 0 {
			e.v, first = k, false
		}
	}
}

// Result is the extreme value, NULL when no value has rows.
func (e *extremeRows[K]) Result() (v K, null bool) { return e.v, len(e.rows) == 0 }

// Encode writes the values with their row counts, in ascending order of value.
func (e *extremeRows[K]) Encode(w *codec.Writer) { encodeRows(w, e.rows) }

func (e *extremeRows[K]) decode(r *codec.Reader, sign int) {
	e.rows = decodeRows[K](r)
	e.recompute(sign)
}

// MinWithRetract is MIN(x) over an updating input; K is x as a key (see Key).
type MinWithRetract[K Key] struct{ extremeRows[K] }

// Add counts one row of k.
func (m *MinWithRetract[K]) Add(k K) { m.add(k, -1) }

// Retract uncounts one row of k (retracting a value never added does nothing).
func (m *MinWithRetract[K]) Retract(k K) { m.retract(k, -1) }

// Decode reads what Encode wrote; a value listed twice or a count below 1 fails r.
func (m *MinWithRetract[K]) Decode(r *codec.Reader) { m.decode(r, -1) }

// MaxWithRetract is MAX(x) over an updating input; K is x as a key (see Key).
type MaxWithRetract[K Key] struct{ extremeRows[K] }

// Add counts one row of k.
func (m *MaxWithRetract[K]) Add(k K) { m.add(k, +1) }

// Retract uncounts one row of k (retracting a value never added does nothing).
func (m *MaxWithRetract[K]) Retract(k K) { m.retract(k, +1) }

// Decode reads what Encode wrote; a value listed twice or a count below 1 fails r.
func (m *MaxWithRetract[K]) Decode(r *codec.Reader) { m.decode(r, +1) }
