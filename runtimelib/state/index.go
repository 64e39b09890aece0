package state

import (
	"hash/maphash"
	"math/bits"
)

// seed keys every hash of the process: Index values of one job (every task's) hash a
// key alike. seed0 and seed1 key the short-string hash.
var (
	seed         = maphash.MakeSeed()
	seed0, seed1 = maphash.Comparable(seed, 0) | 1, maphash.Comparable(seed, 1)
)

// HashString hashes a string group key for Index. Group keys are mostly short (a
// province, a country code, an address): up to 16 bytes they are hashed inline, with
// wyhash's reads (the first and last bytes or words, overlapping, never past the end)
// and its 128-bit multiply mix, seeded per process; this is a few instructions where
// maphash.String costs a call chain into the runtime. Longer keys use maphash.
func HashString(s string) uint64 {
	n := len(s)
	var a, b uint64
	switch {
	case n > 16:
		return maphash.String(seed, s)
	case n > 8:
		a, b = le64(s), le64(s[n-8:])
	case n >= 4:
		a, b = uint64(le32(s)), uint64(le32(s[n-4:]))
	case n > 0:
		a = uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1])
	}
	return mix(a^seed0, b^seed1^uint64(n))
}

// mix is wyhash's mum: the two halves of the 128-bit product, xored.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Hash hashes a comparable group key (a number, a generated key struct) for Index.
// Keys that are == hash alike.
func Hash[K comparable](k K) uint64 { return maphash.Comparable(seed, k) }

// Index finds the state of a group from its key's hash: an open-addressing table
// (linear probing, at most 3/4 full) of 8-byte slots, each the upper 32 bits of a
// key's hash and the index of its state in a Pages table. Keys are not stored: the
// caller compares its key with the candidate state's, so a key is kept once, in its
// state. A million groups take 16 MiB here, where a Go map[string]int32 holding the
// keys again takes about 30 MiB, plus the garbage of its growth.
//
// A lookup is
//
//	idx, pos := x.Lookup(h)
//	for idx >= 0 && states.At(idx).key != k {
//		idx, pos = x.Next(h, pos)
//	}
//	if idx < 0 { idx = states.Append(...); x.Insert(h, idx) }
//
// and a deletion x.Delete(h, idx); states.Free(idx). The zero value is an empty index ready to use.
type Index struct {
	slots []uint64 // 0: empty; else hash>>32<<32 | idx+1
	mask  uint32   // len(slots)-1
	shift uint8    // 64 - log2(len(slots)): home takes the product's top bits
	n     int
}

// Len returns the number of states indexed.
func (x *Index) Len() int { return x.n }

// Lookup starts the probe for hash h: it returns the first indexed state whose hash
// matches h in its upper 32 bits (a candidate: the caller compares keys) and the
// probe's position, or -1 when there is none.
func (x *Index) Lookup(h uint64) (idx int32, pos uint32) {
	if x.n == 0 {
		return -1, 0
	}
	return x.probe(h>>32, x.home(h>>32))
}

// Next continues the probe after a candidate at pos whose key differed.
func (x *Index) Next(h uint64, pos uint32) (idx int32, next uint32) {
	return x.probe(h>>32, (pos+1)&x.mask)
}

func (x *Index) probe(tag uint64, pos uint32) (int32, uint32) {
	for {
		s := x.slots[pos]
		if s == 0 {
			return -1, pos
		}
		if s>>32 == tag {
			return int32(uint32(s) - 1), pos
		}
		pos = (pos + 1) & x.mask
	}
}

// home is a tag's first slot: Fibonacci hashing of the 32 stored bits, so growing the
// table needs no key.
func (x *Index) home(tag uint64) uint32 {
	return uint32((tag * 0x9e3779b97f4a7c15) >> x.shift)
}

// Insert indexes the state idx under hash h. The caller looked the key up first and
// did not find it.
func (x *Index) Insert(h uint64, idx int32) {
	if 4*(x.n+1) > 3*len(x.slots) {
		x.grow()
	}
	x.place(h>>32<<32 | uint64(uint32(idx)+1))
	x.n++
}

func (x *Index) place(s uint64) {
	pos := x.home(s >> 32)
	for x.slots[pos] != 0 {
		pos = (pos + 1) & x.mask
	}
	x.slots[pos] = s
}

// Delete removes the state idx, indexed under hash h, and reports whether it was
// indexed. The slot is emptied by backward-shift deletion: the entries after it in its
// cluster that may live closer to their home slot move back, so the table keeps no
// tombstones, a lookup probes exactly as if the state had never been inserted, and
// a table of inserts and deletes never fills up with dead slots.
func (x *Index) Delete(h uint64, idx int32) bool {
	if x.n == 0 {
		return false
	}
	want := h>>32<<32 | uint64(uint32(idx)+1)
	hole := x.home(h >> 32)
	for x.slots[hole] != want {
		if x.slots[hole] == 0 {
			return false
		}
		hole = (hole + 1) & x.mask
	}
	for j := (hole + 1) & x.mask; x.slots[j] != 0; j = (j + 1) & x.mask {
		// The entry at j may fill the hole if the hole lies between its home and j:
		// its probe from home passes the hole before reaching j.
		if (j-x.home(x.slots[j]>>32))&x.mask >= (j-hole)&x.mask {
			x.slots[hole] = x.slots[j]
			hole = j
		}
	}
	x.slots[hole] = 0
	x.n--
	return true
}

// grow doubles the table (64 slots at first) and places every slot again.
func (x *Index) grow() {
	old := x.slots
	size := 2 * len(old)
	if size == 0 {
		size = 64
	}
	x.slots = make([]uint64, size)
	x.mask = uint32(size - 1)
	x.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	for _, s := range old {
		if s != 0 {
			x.place(s)
		}
	}
}

// Reset empties the index and releases its table.
func (x *Index) Reset() { *x = Index{} }
