package state

// pageBits sets the page size: 1 << pageBits states a page. 1024 states of a few dozen
// bytes make pages of tens of KiB: large enough that the page table stays small (1,000
// pages for a million groups), small enough that the last page wastes little.
const (
	pageBits = 10
	pageSize = 1 << pageBits
	pageMask = pageSize - 1
)

// column is a paged array addressed by an int32 index: Pages keeps its states in one,
// Table its per-entry metadata in others, all addressed by the same index.
type column[T any] struct {
	pages [][]T
}

func (c *column[T]) at(i int32) *T { return &c.pages[i>>pageBits][i&pageMask] }

// cover adds pages until index i exists.
func (c *column[T]) cover(i int32) {
	for int(i>>pageBits) >= len(c.pages) {
		c.pages = append(c.pages, make([]T, pageSize))
	}
}

// Pages is a table of states of type S, addressed by the index Append returned. The
// zero value is an empty table ready to use. A pointer from At stays valid until the
// state is freed or the table Reset: pages never move.
//
// Free releases a state: its slot is zeroed (it holds no references for the garbage
// collector) and the next Append reuses it, the most recently freed first, so a table
// whose states come and go stays the size of its largest population.
type Pages[S any] struct {
	col  column[S]
	n    int32   // the high-water mark: indexes below n were appended
	free []int32 // freed indexes, reused last-in first-out
}

// Len returns the number of states appended and not freed since the last Reset.
func (t *Pages[S]) Len() int { return int(t.n) - len(t.free) }

// End returns one past the largest index Append has returned since the last Reset:
// every live state's index is below it (some indexes below it may be free).
func (t *Pages[S]) End() int32 { return t.n }

// Append adds s and returns its index: a freed slot if there is one.
func (t *Pages[S]) Append(s S) int32 {
	if k := len(t.free); k > 0 {
		i := t.free[k-1]
		t.free = t.free[:k-1]
		*t.col.at(i) = s
		return i
	}
	i := t.n
	t.col.cover(i)
	*t.col.at(i) = s
	t.n++
	return i
}

// At returns the state at index i, which Append returned.
func (t *Pages[S]) At(i int32) *S { return t.col.at(i) }

// Free zeroes the state at index i and makes the slot available to Append. i must be
// live: freeing it twice would hand it out twice.
func (t *Pages[S]) Free(i int32) {
	var zero S
	*t.col.at(i) = zero
	t.free = append(t.free, i)
}

// Reset empties the table and releases its pages.
func (t *Pages[S]) Reset() { *t = Pages[S]{} }
