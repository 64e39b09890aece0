package agg

import (
	"math/bits"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// DistinctSet is the distinct values of one argument shared by the COUNT(DISTINCT x)
// calls of a group over an append-only input that differ only in their FILTER (q15
// and q16 of Nexmark count distinct bidders in four price ranges), as Flink's distinct
// view (one MapView per distinct argument, its value a bit per aggregate) shares them:
// one lookup per row instead of one per call. Call i of the set is bit i (up to 64);
// each value keeps the bits of the calls that counted it, and each call its count.
type DistinctSet[K Key] struct {
	index  map[K]int32 // value -> its entry in masks
	masks  []uint64
	counts []int64 // per call
}

// Add counts k for the calls of mask (the calls whose FILTER the row passes; 0 adds
// nothing); a string key is cloned when it is inserted.
func (d *DistinctSet[K]) Add(k K, mask uint64) {
	d.add(k, mask, true)
}

func (d *DistinctSet[K]) add(k K, mask uint64, clone bool) {
	if mask == 0 {
		return
	}
	var old uint64
	i, seen := d.index[k]
	if seen {
		old = d.masks[i]
		if old|mask == old {
			return
		}
		d.masks[i] = old | mask
	} else {
		if d.index == nil {
			d.index = make(map[K]int32)
		}
		if clone {
			k = keep(k)
		}
		d.index[k] = int32(len(d.masks))
		d.masks = append(d.masks, mask)
	}
	for added := mask &^ old; added != 0; added &= added - 1 {
		b := bits.TrailingZeros64(added)
		for len(d.counts) <= b {
			d.counts = append(d.counts, 0)
		}
		d.counts[b]++
	}
}

// Result is the number of distinct values call i counted.
func (d *DistinctSet[K]) Result(i int) int64 {
	if i < len(d.counts) {
		return d.counts[i]
	}
	return 0
}

// Merge adds another partial set (whose keys it shares: a partial is not used after a
// merge, only reset). Exact and order-insensitive.
func (d *DistinctSet[K]) Merge(o DistinctSet[K]) {
	for k, i := range o.index {
		d.add(k, o.masks[i], false)
	}
}

// Encode writes the number of values, then each value and its calls' bits, in
// ascending order of value (the same set always encodes to the same bytes).
func (d *DistinctSet[K]) Encode(w *codec.Writer) {
	keys := sortedKeys(d.index)
	w.Uint64(uint64(len(keys)))
	for _, k := range keys {
		putValue(w, k)
		w.Uint64(d.masks[d.index[k]])
	}
}

// Decode reads what Encode wrote; a value listed twice or without a call fails r.
func (d *DistinctSet[K]) Decode(r *codec.Reader) {
	*d = DistinctSet[K]{}
	n := getLength(r, 2)
	for range n {
		k := getValue[K](r)
		mask := r.Uint64()
		if r.Err() != nil {
			*d = DistinctSet[K]{}
			return
		}
		if _, dup := d.index[k]; dup || mask == 0 {
			r.Fail("value listed twice or counted by no call")
			*d = DistinctSet[K]{}
			return
		}
		d.add(k, mask, false)
	}
}
