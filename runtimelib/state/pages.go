package state

// pageBits sets the page size: 1 << pageBits states a page. 1024 states of a few dozen
// bytes make pages of tens of KiB: large enough that the page table stays small (1,000
// pages for a million groups), small enough that the last page wastes little.
const (
	pageBits = 10
	pageSize = 1 << pageBits
	pageMask = pageSize - 1
)

// Pages is an append-only table of states of type S, addressed by the index Append
// returned. The zero value is an empty table ready to use. A pointer from At stays
// valid until Reset: pages never move.
type Pages[S any] struct {
	pages [][]S
	n     int32
}

// Len returns the number of states appended since the last Reset.
func (t *Pages[S]) Len() int { return int(t.n) }

// Append adds s and returns its index.
func (t *Pages[S]) Append(s S) int32 {
	i := t.n
	if int(i>>pageBits) == len(t.pages) {
		t.pages = append(t.pages, make([]S, pageSize))
	}
	t.pages[i>>pageBits][i&pageMask] = s
	t.n++
	return i
}

// At returns the state at index i, which Append returned.
func (t *Pages[S]) At(i int32) *S { return &t.pages[i>>pageBits][i&pageMask] }

// Reset empties the table and releases its pages.
func (t *Pages[S]) Reset() { *t = Pages[S]{} }
