package agg

import (
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// Count is COUNT(x) and COUNT(*): the rows added minus the rows retracted (the caller
// skips the rows whose x is NULL). COUNT is never NULL.
type Count struct {
	n int64
}

// Add counts one row.
func (c *Count) Add() { c.n++ }

// Retract uncounts one row (a -U or -D row of an updating input).
func (c *Count) Retract() { c.n-- }

// Merge adds another partial count. Exact and order-insensitive.
func (c *Count) Merge(o Count) { c.n += o.n }

// Result is the count.
func (c *Count) Result() int64 { return c.n }

// Encode writes the count.
func (c *Count) Encode(w *codec.Writer) { w.Int64(c.n) }

// Decode reads what Encode wrote; a negative count fails r.
func (c *Count) Decode(r *codec.Reader) { c.n = getCount(r) }

// CountDistinct is COUNT(DISTINCT x) over an append-only input: the set of values seen.
// K is the value as a map key (see Key); a string key is cloned when it is inserted.
type CountDistinct[K Key] struct {
	set map[K]struct{}
}

// Add puts k in the set.
func (c *CountDistinct[K]) Add(k K) {
	if _, seen := c.set[k]; seen {
		return
	}
	if c.set == nil {
		c.set = make(map[K]struct{})
	}
	c.set[keep(k)] = struct{}{}
}

// Merge adds another partial set (whose keys it shares: a partial is not used after a
// merge, only reset). Exact and order-insensitive.
func (c *CountDistinct[K]) Merge(o CountDistinct[K]) {
	for k := range o.set {
		if c.set == nil {
			c.set = make(map[K]struct{}, len(o.set))
		}
		c.set[k] = struct{}{}
	}
}

// Result is the number of distinct values.
func (c *CountDistinct[K]) Result() int64 { return int64(len(c.set)) }

// Encode writes the set's size and its keys in ascending order (the same set always
// encodes to the same bytes).
func (c *CountDistinct[K]) Encode(w *codec.Writer) {
	keys := sortedKeys(c.set)
	w.Uint64(uint64(len(keys)))
	for _, k := range keys {
		putValue(w, k)
	}
}

// Decode reads what Encode wrote; a key listed twice fails r.
func (c *CountDistinct[K]) Decode(r *codec.Reader) {
	c.set = nil
	n := getLength(r, 1)
	if n == 0 || r.Err() != nil {
		return
	}
	c.set = make(map[K]struct{}, n)
	for range n {
		k := getValue[K](r)
		if _, dup := c.set[k]; dup && r.Err() == nil {
			r.Fail("value listed twice")
		}
		if r.Err() != nil {
			c.set = nil
			return
		}
		c.set[k] = struct{}{}
	}
}

// CountDistinctWithRetract is COUNT(DISTINCT x) over an updating input: each value's
// rows, as Flink's MapView, so a value leaves the count when its last row is retracted.
type CountDistinctWithRetract[K Key] struct {
	rows map[K]int64
}

// Add counts one row of k.
func (c *CountDistinctWithRetract[K]) Add(k K) { addRow(&c.rows, k) }

// Retract uncounts one row of k; k leaves the set with its last row. Retracting a value
// never added does nothing.
func (c *CountDistinctWithRetract[K]) Retract(k K) { retractRow(c.rows, k) }

// Result is the number of distinct values with rows.
func (c *CountDistinctWithRetract[K]) Result() int64 { return int64(len(c.rows)) }

// Encode writes the values with their row counts, in ascending order of value.
func (c *CountDistinctWithRetract[K]) Encode(w *codec.Writer) { encodeRows(w, c.rows) }

// Decode reads what Encode wrote; a value listed twice or a count below 1 fails r.
func (c *CountDistinctWithRetract[K]) Decode(r *codec.Reader) { c.rows = decodeRows[K](r) }

// addRow counts one row of k in *rows. A new k is cloned and returned with isNew.
func addRow[K Key](rows *map[K]int64, k K) (stored K, isNew bool) {
	if n, ok := (*rows)[k]; ok {
		(*rows)[k] = n + 1
		return k, false
	}
	if *rows == nil {
		*rows = make(map[K]int64)
	}
	stored = keep(k)
	(*rows)[stored] = 1
	return stored, true
}

// retractRow uncounts one row of k and reports whether it was k's last.
func retractRow[K Key](rows map[K]int64, k K) (last bool) {
	if n := rows[k]; n > 1 {
		rows[k] = n - 1
		return false
	}
	delete(rows, k)
	return true
}

func encodeRows[K Key](w *codec.Writer, rows map[K]int64) {
	keys := sortedKeys(rows)
	w.Uint64(uint64(len(keys)))
	for _, k := range keys {
		putValue(w, k)
		w.Int64(rows[k])
	}
}

func decodeRows[K Key](r *codec.Reader) map[K]int64 {
	n := getLength(r, 2)
	if n == 0 || r.Err() != nil {
		return nil
	}
	rows := make(map[K]int64, n)
	for range n {
		k := getValue[K](r)
		c := r.Int64()
		if _, dup := rows[k]; dup {
			r.Fail("value listed twice")
		} else if c < 1 {
			r.Fail("row count %d below 1", c)
		}
		if r.Err() != nil {
			return nil
		}
		rows[k] = c
	}
	return rows
}

func sortedKeys[K Key, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare[K])
	return keys
}
