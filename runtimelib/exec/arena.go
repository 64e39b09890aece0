package exec

import "unsafe"

// arenaChunk is the size of an arena's chunks (a longer value gets a chunk of its own).
const arenaChunk = 16 << 10

// arena holds copies of the strings and bytes of a row buffer's rows. It grows by new
// chunks and never moves bytes it handed out; reset makes every chunk reusable, once
// nobody reads the rows any more (the consumer returned the buffer).
type arena struct {
	chunks [][]byte
	cur    int // chunk being filled; -1 before the first
	off    int // bytes used in chunks[cur]
}

func newArena() arena { return arena{cur: -1} }

// alloc returns n fresh bytes (n > 0).
func (a *arena) alloc(n int) []byte {
	if a.cur < 0 || a.off+n > len(a.chunks[a.cur]) {
		a.next(n)
	}
	b := a.chunks[a.cur][a.off : a.off+n : a.off+n]
	a.off += n
	return b
}

// next moves to the next chunk that holds n bytes, making one if none is left.
func (a *arena) next(n int) {
	for a.cur+1 < len(a.chunks) {
		a.cur++
		a.off = 0
		if len(a.chunks[a.cur]) >= n {
			return
		}
	}
	a.chunks = append(a.chunks, make([]byte, max(arenaChunk, n)))
	a.cur, a.off = len(a.chunks)-1, 0
}

func (a *arena) reset() { a.cur, a.off = -1, 0 }

func (a *arena) string(s string) string {
	if len(s) == 0 {
		return ""
	}
	b := a.alloc(len(s))
	copy(b, s)
	return unsafe.String(&b[0], len(b))
}

func (a *arena) bytes(v []byte) []byte {
	if v == nil {
		return nil
	}
	if len(v) == 0 {
		return []byte{}
	}
	b := a.alloc(len(v))
	copy(b, v)
	return b
}
