package state

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// A table snapshot is a header and key-group blocks (integers are codec varints unless
// said otherwise; fixed ones are little-endian):
//
//	snapshot = header crc32c(4 bytes, of header) block...
//	header   = "SQST" version(4 bytes) blocks(4 bytes)
//	block    = length(8 bytes) body crc32c(4 bytes, of body)
//	body     = key-group entries flags(1 byte: 1 = last-write times) entry...
//	entry    = length [last-write ms] state
//
// Blocks come in ascending key group order, one per key group with entries. A block's
// length lets a restore check its checksum and skip a key group it does not own
// without decoding it; an entry's length bounds the entry count by the block's size
// (a corrupt count fails, it does not allocate) and catches a state codec that reads
// more or less than was written. Hashes are never stored: they are seeded per process.
const (
	snapshotMagic   = "SQST"
	snapshotVersion = 1
	flagWriteTimes  = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Snapshot appends the table's entries to w, key group by key group, each entry
// written by encode (the generated state codec); with a TTL, each entry's last-write
// time too. Expired entries not cleaned up yet are included: they expire after the
// restore as they would have.
func (t *Table[S]) Snapshot(w *codec.Writer, encode func(*codec.Writer, *S)) {
	order, starts := t.byGroup()
	blocks := 0
	for g := range MaxKeyGroups {
		if starts[g+1] > starts[g] {
			blocks++
		}
	}
	header := len(w.Buf)
	w.Buf = append(w.Buf, snapshotMagic...)
	w.Buf = binary.LittleEndian.AppendUint32(w.Buf, snapshotVersion)
	w.Buf = binary.LittleEndian.AppendUint32(w.Buf, uint32(blocks))
	w.Buf = binary.LittleEndian.AppendUint32(w.Buf, crc32.Checksum(w.Buf[header:], castagnoli))
	first := len(w.Buf)
	for g := range MaxKeyGroups {
		entries := order[starts[g]:starts[g+1]]
		if len(entries) == 0 {
			continue
		}
		if done := int(starts[g]); done > 0 && done < 2*len(entries) {
			// After the first block or two: make room for the rest at the size per
			// entry so far, rather than copying the buffer as append grows it.
			rest := len(order) - done
			w.Buf = slices.Grow(w.Buf, (len(w.Buf)-first)/done*rest+rest/8)
		}
		lengthAt := len(w.Buf)
		w.Buf = append(w.Buf, make([]byte, 8)...)
		body := len(w.Buf)
		w.Uint64(uint64(g))
		w.Uint64(uint64(len(entries)))
		flags := byte(0)
		if t.ttl != 0 {
			flags = flagWriteTimes
		}
		w.Buf = append(w.Buf, flags)
		for _, idx := range entries {
			start := w.BeginSection() // the entry's length
			if t.ttl != 0 {
				w.Int64(*t.written.at(idx))
			}
			encode(w, t.states.At(idx))
			w.EndSection(start)
		}
		binary.LittleEndian.PutUint64(w.Buf[lengthAt:], uint64(len(w.Buf)-body))
		w.Buf = binary.LittleEndian.AppendUint32(w.Buf, crc32.Checksum(w.Buf[body:], castagnoli))
	}
}

// byGroup sorts the live entries by key group (a counting sort: one pass to count,
// one to place): the entries of group g are order[starts[g]:starts[g+1]], in index
// order.
func (t *Table[S]) byGroup() (order []int32, starts []int32) {
	starts = make([]int32, MaxKeyGroups+1)
	for i := range t.states.End() {
		if g := *t.groups.at(i); g != 0 {
			starts[g]++ // group g-1 counted at g: the prefix sum below shifts it into place
		}
	}
	for g := 1; g <= MaxKeyGroups; g++ {
		starts[g] += starts[g-1]
	}
	next := append([]int32(nil), starts[:MaxKeyGroups]...)
	order = make([]int32, t.states.Len())
	for i := range t.states.End() {
		if g := *t.groups.at(i); g != 0 {
			order[next[g-1]] = i
			next[g-1]++
		}
	}
	return order, starts
}

// Restore reads a snapshot that Snapshot wrote from r, adding the entries of the key
// groups keep accepts (nil keeps all), each decoded by decode (the generated state
// codec), and indexes them under the hashes the table's Hash computes in this
// process. A task restores from every old task's snapshot in turn; a key group seen
// twice is an error. With a TTL, entries keep their last-write time (the restore time
// if the snapshot was taken without a TTL).
//
// A corrupt or truncated snapshot fails with an error wrapping codec.ErrCorrupt that
// says what is wrong and where; every block's checksum is verified before any entry is
// added. After an error the table may hold some of the entries: Reset it.
func (t *Table[S]) Restore(r *codec.Reader, decode func(*codec.Reader, *S), keep func(group int) bool) error {
	header, sum := r.Next(len(snapshotMagic)+8), r.Next(4)
	if r.Err() != nil {
		return fmt.Errorf("state: restore: truncated header: %w", r.Err())
	}
	magic, version, n := header[:4], binary.LittleEndian.Uint32(header[4:]), binary.LittleEndian.Uint32(header[8:])
	switch want, got := binary.LittleEndian.Uint32(sum), crc32.Checksum(header, castagnoli); {
	case string(magic) != snapshotMagic:
		r.Fail("not a state table snapshot: magic %q, want %q", magic, snapshotMagic)
	case want != got:
		r.Fail("header checksum %08x, stored %08x", got, want)
	case version != snapshotVersion:
		r.Fail("state table snapshot format version %d, this build reads version %d", version, snapshotVersion)
	case n > MaxKeyGroups:
		r.Fail("%d key group blocks, at most %d", n, MaxKeyGroups)
	}
	var bodies [][]byte
	for b := uint32(1); b <= n && r.Err() == nil; b++ {
		at := r.Offset()
		if r.Len() < 8 {
			r.Fail("truncated: key group block %d of %d ends after %d bytes", b, n, r.Len())
			break
		}
		size := binary.LittleEndian.Uint64(r.Next(8))
		if size > uint64(r.Len()) || uint64(r.Len())-size < 4 {
			r.Fail("truncated: key group block %d of %d (at byte %d) is %d bytes and a checksum, %d left", b, n, at, size, r.Len())
			break
		}
		body, sum := r.Next(int(size)), r.Next(4)
		if want, got := binary.LittleEndian.Uint32(sum), crc32.Checksum(body, castagnoli); want != got {
			r.Fail("key group block %d of %d (at byte %d): checksum %08x, stored %08x", b, n, at, got, want)
		}
		bodies = append(bodies, body)
	}
	if r.Err() != nil {
		return fmt.Errorf("state: restore: %w", r.Err())
	}
	for _, body := range bodies {
		if err := t.restoreBlock(body, decode, keep); err != nil {
			return err
		}
	}
	return nil
}

// maxSameHash bounds the restored entries whose hashes agree in the index's 32-bit
// tag. Distinct keys hardly ever share one (among a million keys, a few pairs do), but
// a snapshot that repeats one key would make every insert probe all the copies before
// it: quadratic, a stalled restore for a million copies.
const maxSameHash = 16

// sameHash counts the indexed entries whose hash tag is h's, up to maxSameHash.
func (t *Table[S]) sameHash(h uint64) int {
	n := 0
	for idx, pos := t.hashIndex.Lookup(h); idx >= 0 && n < maxSameHash; idx, pos = t.hashIndex.Next(h, pos) {
		n++
	}
	return n
}

func (t *Table[S]) restoreBlock(body []byte, decode func(*codec.Reader, *S), keep func(int) bool) error {
	br := codec.NewReader(body)
	g := br.Uint64()
	if br.Err() == nil && g >= MaxKeyGroups {
		br.Fail("key group %d out of range [0, %d)", g, MaxKeyGroups)
	}
	if br.Err() != nil {
		return fmt.Errorf("state: restore: %w", br.Err())
	}
	group := int(g)
	if keep != nil && !keep(group) {
		return nil
	}
	if t.restored[group] {
		return fmt.Errorf("state: restore: key group %d is in two snapshots", group)
	}
	if t.restored == nil {
		t.restored = map[int]bool{}
	}
	t.restored[group] = true
	count := br.Uint64()
	if br.Err() == nil && count > uint64(br.Len()) {
		br.Fail("%d entries in %d bytes", count, br.Len())
	}
	flags := br.Next(1)
	if br.Err() == nil && flags[0]&^flagWriteTimes != 0 {
		br.Fail("unknown flags %#x", flags[0])
	}
	var zero S
	s := new(S) // decode's argument escapes: one for the block, not one per entry
	for i := uint64(0); i < count && br.Err() == nil; i++ {
		length := br.Length()
		start := br.Offset()
		if br.Err() == nil && length > br.Len() {
			br.Fail("entry %d of %d is %d bytes, %d left", i+1, count, length, br.Len())
		}
		written := t.now
		if flags[0]&flagWriteTimes != 0 {
			if ms := br.Int64(); t.ttl != 0 {
				written = ms
			}
		}
		*s = zero
		decode(br, s)
		if br.Err() != nil {
			break
		}
		if got := br.Offset() - start; got != length {
			br.Fail("entry %d of %d: the state codec read %d bytes of the entry's %d (the state layout differs)", i+1, count, got, length)
			break
		}
		h := t.hash(s)
		if t.sameHash(h) >= maxSameHash {
			br.Fail("entry %d of %d: %d entries restored with one hash: the snapshot repeats a key", i+1, count, maxSameHash)
			break
		}
		t.add(h, group, written, *s)
	}
	if err := br.Done(); err != nil {
		return fmt.Errorf("state: restore key group %d: %w", group, err)
	}
	return nil
}
