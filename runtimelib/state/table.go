package state

import (
	"fmt"
	"iter"
	"time"
	"unsafe"
)

// MaxKeyGroups bounds an entry's key group: Flink's upper bound of the max
// parallelism, 1 << 15, so a key group fits the table's 16-bit field.
const MaxKeyGroups = 1 << 15

// TableConfig configures a Table.
type TableConfig[S any] struct {
	// Hash returns the hash of an entry's key, the same one the caller's lookups use
	// (HashString or Hash of the key). The table calls it to delete the entries it
	// expires and to rebuild its index on Restore, since snapshots hold no hashes.
	// Required.
	Hash func(*S) uint64
	// TTL is Flink's table.exec.state.ttl: an entry not written for this long expires.
	// 0 (the default) keeps entries forever and costs nothing.
	TTL time.Duration
	// Now returns the processing time in epoch milliseconds; Tick reads it, only with a
	// TTL (the task's clock: exec.Task.Now). Without it, the caller calls SetNow.
	Now func() int64
	// OnExpire, if set, is called with each entry the table expires, just before it is
	// deleted, so the operator can clean up what refers to it. It may read the entry but
	// must not insert or delete entries of this table.
	OnExpire func(idx int32, s *S)
}

// Table is the keyed state of one operator in one task: entries of type S (a
// generated struct that holds its key) in Pages, found by an Index from the key's
// hash, each with its key group, and with a TTL the time it was last written. It
// inserts, looks up, deletes (the slot goes on a free list), expires idle entries, and
// snapshots and restores its entries per key group. Entries are addressed by the
// int32 index Insert returns, stable until the entry is deleted. See the package
// documentation for the code that uses it.
//
// A lookup is Index's, whose methods Table has: Lookup(h) returns the first candidate
// entry whose hash matches h and the probe's position, or -1; the caller compares its
// key with the candidate's and calls Next(h, pos) while they differ. Then Live tells
// whether the entry found has expired.
//
// A Table is not safe for concurrent use: it belongs to one task.
type Table[S any] struct {
	// The index is embedded for its Lookup and Next: promoted, they inline into the
	// caller's probe loop as Index's own do (a wrapper method would be past the inlining
	// budget). Table's Insert, Delete, Len and Reset hide Index's.
	hashIndex
	states  Pages[S]
	groups  column[uint16] // an entry's key group + 1; 0: a free slot
	written column[int64]  // an entry's last write, processing time in ms; only with a TTL
	dirtyAt column[int32]  // an entry's position in dirty + 1; 0: not listed
	dirty   []int32        // entries marked since ClearDirty, in first-mark order; -1: deleted since

	hash     func(*S) uint64
	onExpire func(int32, *S)
	clock    func() int64
	ttl      int64 // ms; 0: entries never expire
	now      int64 // processing time in ms, from SetNow
	cursor   int32 // where Cleanup resumes
	restored map[int]bool
}

// Init configures an empty table. Call it once, before any other method.
func (t *Table[S]) Init(c TableConfig[S]) {
	if c.Hash == nil {
		panic("state: TableConfig.Hash is required")
	}
	*t = Table[S]{hash: c.Hash, onExpire: c.OnExpire, clock: c.Now}
	if c.TTL > 0 {
		t.ttl = max(c.TTL.Milliseconds(), 1)
	}
}

// Tick sets the processing time from TableConfig.Now, with a TTL; without one it is a
// predictable branch and reads no clock. The task calls it once per batch.
func (t *Table[S]) Tick() {
	if t.ttl != 0 && t.clock != nil {
		t.now = t.clock()
	}
}

// SetNow sets the processing time (epoch milliseconds) that writes record and expiry
// compares with. The task calls it once per batch: Flink reads the clock per access, a
// batch is a few milliseconds at most.
func (t *Table[S]) SetNow(ms int64) { t.now = ms }

// Len returns the number of entries, expired ones not cleaned up yet included.
// SizeBytes estimates the table's memory for the job's metrics: each entry's state (its
// Go size), key group, write time and index slot. What the states point to (the bytes
// of string keys) is not counted.
func (t *Table[S]) SizeBytes() int64 {
	var s S
	per := int64(unsafe.Sizeof(s)) + 2 + 4 + 8 // state, group, dirty mark, index slot
	if t.ttl > 0 {
		per += 8
	}
	return int64(t.states.Len()) * per
}

func (t *Table[S]) Len() int { return t.states.Len() }

// hashIndex is Index under an unexported name, so that embedding it in Table exports
// its methods (Lookup starts a probe, Next continues it) but not the field.
type hashIndex = Index

// At returns the entry idx. The pointer is valid until the entry is deleted.
func (t *Table[S]) At(idx int32) *S { return t.states.At(idx) }

// Group returns the key group of the entry idx.
func (t *Table[S]) Group(idx int32) int { return int(*t.groups.at(idx)) - 1 }

// Insert adds the entry s, of key group group, under hash h, and returns its index.
// The caller looked its key up first and did not find it (or found it expired). With a
// TTL, the insert is the entry's first write.
func (t *Table[S]) Insert(h uint64, group int, s S) int32 {
	if uint(group) >= MaxKeyGroups {
		panic(fmt.Sprintf("state: key group %d out of range [0, %d)", group, MaxKeyGroups))
	}
	return t.add(h, group, t.now, s)
}

func (t *Table[S]) add(h uint64, group int, written int64, s S) int32 {
	idx := t.states.Append(s)
	t.groups.cover(idx)
	*t.groups.at(idx) = uint16(group + 1)
	if t.ttl != 0 {
		t.written.cover(idx)
		*t.written.at(idx) = written
	}
	t.hashIndex.Insert(h, idx)
	return idx
}

// Touch records a write of the entry idx: with a TTL its life starts again (Flink's
// OnCreateAndWrite: reads do not extend it). Without a TTL it does nothing.
func (t *Table[S]) Touch(idx int32) {
	if t.ttl != 0 {
		*t.written.at(idx) = t.now
	}
}

// Expired reports whether the entry idx has not been written for the TTL.
func (t *Table[S]) Expired(idx int32) bool {
	return t.ttl != 0 && t.now-*t.written.at(idx) >= t.ttl
}

// Live reports whether the entry idx, which a lookup under hash h found, may be used.
// An expired entry is never returned (Flink's NeverReturnExpired): Live expires it (it
// goes to OnExpire and is deleted) and reports false, and the caller treats the lookup
// as a miss. Without a TTL it is one predictable branch.
func (t *Table[S]) Live(h uint64, idx int32) bool {
	if t.ttl == 0 {
		return true
	}
	return t.liveTTL(h, idx)
}

// liveTTL is Live with a TTL, out of line so that Live inlines.
func (t *Table[S]) liveTTL(h uint64, idx int32) bool {
	if !t.Expired(idx) {
		return true
	}
	t.expire(h, idx)
	return false
}

func (t *Table[S]) expire(h uint64, idx int32) {
	if t.onExpire != nil {
		t.onExpire(idx, t.states.At(idx))
	}
	t.Delete(h, idx)
}

// Cleanup expires idle entries incrementally, like Flink's incremental cleanup: it
// examines at most budget slots, resuming where the last call stopped and wrapping
// around, and expires each idle entry (OnExpire, then deleted). It returns the number
// expired. The task calls it on a timer or every N records; without a TTL it does
// nothing.
func (t *Table[S]) Cleanup(budget int) int {
	if t.ttl == 0 {
		return 0
	}
	expired := 0
	for range min(budget, int(t.states.End())) {
		if t.cursor >= t.states.End() {
			t.cursor = 0
		}
		i := t.cursor
		t.cursor++
		if *t.groups.at(i) != 0 && t.Expired(i) {
			t.expire(t.hash(t.states.At(i)), i)
			expired++
		}
	}
	return expired
}

// Delete removes the entry idx, which a lookup under hash h found: its slot is zeroed
// and reused by a later Insert, and it leaves the dirty list.
func (t *Table[S]) Delete(h uint64, idx int32) {
	g := t.groups.at(idx)
	if *g == 0 {
		panic(fmt.Sprintf("state: Delete of entry %d, which is free", idx))
	}
	if !t.hashIndex.Delete(h, idx) {
		panic(fmt.Sprintf("state: Delete of entry %d, which is not indexed under hash %#x", idx, h))
	}
	*g = 0
	if int(idx>>pageBits) < len(t.dirtyAt.pages) {
		if at := t.dirtyAt.at(idx); *at != 0 {
			t.dirty[*at-1] = -1
			*at = 0
		}
	}
	t.states.Free(idx)
}

// Remove deletes the entry idx, hashing its key with TableConfig.Hash: Delete for a
// caller that does not have the hash at hand.
func (t *Table[S]) Remove(idx int32) { t.Delete(t.hash(t.states.At(idx)), idx) }

// MarkDirty lists the entry idx as changed since the last ClearDirty, unless it is
// listed already.
func (t *Table[S]) MarkDirty(idx int32) {
	t.dirtyAt.cover(idx)
	if at := t.dirtyAt.at(idx); *at == 0 {
		t.dirty = append(t.dirty, idx)
		*at = int32(len(t.dirty))
	}
}

// Dirty returns the entries marked since the last ClearDirty, in the order they were
// first marked. An entry deleted since it was marked is -1 in its place, so slices
// kept parallel to this one stay aligned. The slice is valid until the next MarkDirty
// or ClearDirty.
func (t *Table[S]) Dirty() []int32 { return t.dirty }

// ClearDirty empties the dirty list.
func (t *Table[S]) ClearDirty() {
	for _, idx := range t.dirty {
		if idx >= 0 {
			*t.dirtyAt.at(idx) = 0
		}
	}
	t.dirty = t.dirty[:0]
}

// All yields every entry in index order, expired ones not cleaned up yet included
// (Expired tells them). The loop must not insert or delete.
func (t *Table[S]) All() iter.Seq2[int32, *S] {
	return func(yield func(int32, *S) bool) {
		for i := range t.states.End() {
			if *t.groups.at(i) != 0 && !yield(i, t.states.At(i)) {
				return
			}
		}
	}
}

// Reset empties the table and releases its memory; the configuration stays.
func (t *Table[S]) Reset() {
	*t = Table[S]{hash: t.hash, onExpire: t.onExpire, clock: t.clock, ttl: t.ttl, now: t.now}
}
