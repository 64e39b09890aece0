package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/maphash"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// encodeGroup and decodeGroup are what the compiler generates for a state struct.
func encodeGroup(w *codec.Writer, s *group) {
	w.String(s.key)
	w.Int64(s.count)
}

func decodeGroup(r *codec.Reader, s *group) {
	s.key = r.String()
	s.count = r.Int64()
}

func snapshot(t *Table[group]) []byte {
	var w codec.Writer
	t.Snapshot(&w, encodeGroup)
	return w.Buf
}

func restore(t *Table[group], b []byte, keep func(int) bool) error {
	r := codec.NewReader(b)
	if err := t.Restore(r, decodeGroup, keep); err != nil {
		return err
	}
	return r.Done()
}

// entries is a table's content by key.
func entries(t *Table[group]) map[string]group {
	m := map[string]group{}
	for _, s := range t.All() {
		m[s.key] = *s
	}
	return m
}

func TestSnapshotRoundTrip(t *testing.T) {
	src := newTable(time.Minute, nil)
	for i := range 5000 {
		src.SetNow(int64(i))
		k := fmt.Sprintf("key-%d-%s", i, strings.Repeat("x", i%200)) // entries over 127 bytes too
		idx := upsert(src, k)
		src.At(idx).count = int64(i) - 2500
	}
	for i := 0; i < 5000; i += 3 { // free slots and holes must not show
		remove(src, fmt.Sprintf("key-%d-%s", i, strings.Repeat("x", i%200)))
	}
	b := snapshot(src)
	dst := newTable(time.Minute, nil)
	if err := restore(dst, b, nil); err != nil {
		t.Fatal(err)
	}
	want, got := entries(src), entries(dst)
	if len(got) != len(want) || dst.Len() != src.Len() {
		t.Fatalf("restored %d entries, want %d", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Fatalf("%q restored as %+v, want %+v", k, got[k], w)
		}
	}
	for k := range want {
		si, di := find(src, k), find(dst, k)
		if di < 0 || dst.Group(di) != src.Group(si) || *dst.written.at(di) != *src.written.at(si) {
			t.Fatalf("%q: restored at %d, group %d want %d", k, di, dst.Group(di), src.Group(si))
		}
	}
	// Without a TTL the times are skipped; into a table with one, restored entries
	// start at the restore time.
	plain := newTable(0, nil)
	if err := restore(plain, b, nil); err != nil || plain.Len() != src.Len() {
		t.Fatalf("restore without a TTL: %v, %d entries", err, plain.Len())
	}
	timed := newTable(time.Minute, nil)
	timed.SetNow(777)
	if err := restore(timed, snapshot(plain), nil); err != nil {
		t.Fatal(err)
	}
	for idx := range timed.All() {
		if *timed.written.at(idx) != 777 {
			t.Fatalf("entry %d written at %d, want the restore time 777", idx, *timed.written.at(idx))
		}
	}
	// An empty table's snapshot restores to nothing.
	empty := newTable(0, nil)
	if err := restore(empty, snapshot(newTable(0, nil)), nil); err != nil || empty.Len() != 0 {
		t.Errorf("empty snapshot: %v, %d entries", err, empty.Len())
	}
}

// TestSnapshotRescale takes snapshots at parallelism 2 and restores them into 3 tasks:
// each task reads both old files and keeps its key groups (group mod 3).
func TestSnapshotRescale(t *testing.T) {
	const oldTasks, newTasks = 2, 3
	var files [oldTasks][]byte
	all := map[string]group{}
	for task := range oldTasks {
		tb := newTable(0, nil)
		for i := range 3000 {
			k := fmt.Sprint(i)
			if keyGroup(k)%oldTasks == task {
				tb.At(upsert(tb, k)).count = int64(i)
				all[k] = group{key: k, count: int64(i)}
			}
		}
		files[task] = snapshot(tb)
	}
	restored := map[string]group{}
	for task := range newTasks {
		tb := newTable(0, nil)
		for _, f := range files {
			if err := restore(tb, f, func(g int) bool { return g%newTasks == task }); err != nil {
				t.Fatal(err)
			}
		}
		for idx, s := range tb.All() {
			if g := keyGroup(s.key); g%newTasks != task || tb.Group(idx) != g {
				t.Fatalf("task %d restored %q of key group %d (stored %d)", task, s.key, g, tb.Group(idx))
			}
			if find(tb, s.key) != idx {
				t.Fatalf("task %d: %q restored but not found", task, s.key)
			}
			restored[s.key] = *s
		}
		if err := restore(tb, files[0], func(g int) bool { return g%newTasks == task }); err == nil ||
			!strings.Contains(err.Error(), "is in two snapshots") {
			t.Errorf("restoring one file twice: %v", err)
		}
	}
	if len(restored) != len(all) {
		t.Fatalf("restored %d keys over %d tasks, want %d", len(restored), newTasks, len(all))
	}
	for k, s := range all {
		if restored[k] != s {
			t.Fatalf("%q restored as %+v, want %+v", k, restored[k], s)
		}
	}
}

// TestSnapshotOtherSeed restores into a process whose hashes differ: the snapshot
// holds no hashes, the index is rebuilt with the new process's.
func TestSnapshotOtherSeed(t *testing.T) {
	src := newTable(0, nil)
	for i := range 2000 {
		upsert(src, fmt.Sprint(i))
	}
	seed := maphash.MakeSeed()
	other := func(k string) uint64 { return maphash.String(seed, k) }
	var dst Table[group]
	dst.Init(TableConfig[group]{Hash: func(s *group) uint64 { return other(s.key) }})
	if err := restore(&dst, snapshot(src), nil); err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		k := fmt.Sprint(i)
		h := other(k)
		idx, pos := dst.Lookup(h)
		for idx >= 0 && dst.At(idx).key != k {
			idx, pos = dst.Next(h, pos)
		}
		if idx < 0 {
			t.Fatalf("%q not found under the new process's hash", k)
		}
	}
}

// TestRestoreCorrupt: every truncation and every single flipped bit of a snapshot
// fails with an error, never a panic, and never restores an entry.
func TestRestoreCorrupt(t *testing.T) {
	src := newTable(time.Minute, nil)
	for i := range 40 {
		upsert(src, fmt.Sprint(i))
	}
	b := snapshot(src)
	for n := range len(b) {
		tb := newTable(time.Minute, nil)
		if err := restore(tb, b[:n], nil); !errors.Is(err, codec.ErrCorrupt) || tb.Len() != 0 {
			t.Fatalf("truncated to %d of %d bytes: error %v, %d entries", n, len(b), err, tb.Len())
		}
	}
	for i := range len(b) * 8 {
		c := append([]byte(nil), b...)
		c[i/8] ^= 1 << (i % 8)
		tb := newTable(time.Minute, nil)
		if err := restore(tb, c, nil); !errors.Is(err, codec.ErrCorrupt) || tb.Len() != 0 {
			t.Fatalf("bit %d of byte %d flipped: error %v, %d entries", i%8, i/8, err, tb.Len())
		}
	}
	// What the errors say.
	header := func(magic string, version, blocks uint32) []byte {
		h := binary.LittleEndian.AppendUint32([]byte(magic), version)
		h = binary.LittleEndian.AppendUint32(h, blocks)
		return binary.LittleEndian.AppendUint32(h, crc32.Checksum(h, castagnoli))
	}
	for _, c := range []struct {
		data []byte
		want string
	}{
		{[]byte("PK\x03\x04 a zip file, not a snapshot"), `not a state table snapshot: magic "PK\x03\x04"`},
		{header("SQST", 2, 0), "format version 2, this build reads version 1"},
		{header("SQST", 1, 1<<31), "2147483648 key group blocks"},
		{header("SQST", 1, 1), "truncated"},
		{b[:len(b)-1], "truncated"},
		{append(append([]byte(nil), b[:len(b)-1]...), b[len(b)-1]^1), "checksum"},
	} {
		err := restore(newTable(0, nil), c.data, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("restore of %q: error %v, want it to say %q", c.data[:min(len(c.data), 16)], err, c.want)
		}
	}
}

// TestRestoreLayoutMismatch: a state codec that reads less than was written (the
// layout changed) fails naming the entry, though the checksums match.
func TestRestoreLayoutMismatch(t *testing.T) {
	src := newTable(0, nil)
	upsert(src, "a")
	var tb Table[group]
	tb.Init(TableConfig[group]{Hash: hashGroup})
	err := tb.Restore(codec.NewReader(snapshot(src)), func(r *codec.Reader, s *group) { s.key = r.String() }, nil)
	if err == nil || !strings.Contains(err.Error(), "the state layout differs") {
		t.Errorf("a codec reading one field of two: %v", err)
	}
}

// withChecksums frames body as a one-block snapshot with valid checksums, so that the
// fuzzer reaches the decoding of entries behind them.
func withChecksums(body []byte) []byte {
	b := binary.LittleEndian.AppendUint32([]byte(snapshotMagic), snapshotVersion)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(body)))
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(body, castagnoli))
}

// FuzzRestore feeds corrupt snapshots: Restore returns an error or a table whose every
// entry is found by its key; it never panics or allocates without bound. With
// checksummed set, data is a key group block's body, framed with valid checksums.
func FuzzRestore(f *testing.F) {
	for _, ttl := range []time.Duration{0, time.Minute} {
		src := newTable(ttl, nil)
		for i := range 20 {
			upsert(src, fmt.Sprint(i))
		}
		b := snapshot(src)
		f.Add(b, false)
		// The first block's body: its length is at bytes 16 to 24.
		f.Add(b[24:24+binary.LittleEndian.Uint64(b[16:])], true)
	}
	f.Add(snapshot(newTable(0, nil)), false)
	f.Fuzz(func(t *testing.T, data []byte, checksummed bool) {
		if checksummed {
			data = withChecksums(data)
		}
		tb := newTable(time.Minute, nil)
		if err := restore(tb, data, nil); err != nil {
			return
		}
		for idx, s := range tb.All() {
			got, pos := tb.Lookup(HashString(s.key))
			for got >= 0 && got != idx {
				got, pos = tb.Next(HashString(s.key), pos)
			}
			if got != idx {
				t.Fatalf("restored %q at %d is not indexed", s.key, idx)
			}
		}
	})
}

// TestRestoreRepeatedKey: a snapshot with valid checksums that repeats one key (which
// Snapshot never writes) fails quickly instead of probing quadratically.
func TestRestoreRepeatedKey(t *testing.T) {
	const n = 100_000
	body := []byte{0, 0x80 | n&0x7f, n>>7&0x7f | 0x80, n >> 14, 0} // key group 0, n entries, no times
	for range n {
		body = append(body, 2, 0, 0) // length 2: key "", count 0
	}
	err := restore(newTable(0, nil), withChecksums(body), nil)
	if err == nil || !strings.Contains(err.Error(), "the snapshot repeats a key") {
		t.Errorf("restore of one key %d times: %v", n, err)
	}
}

// Section names match by name, in order for repeated names; a name the job lacks is
// -1, a name the snapshot lacks is reported as added, and a corrupt count fails.
func TestSectionNames(t *testing.T) {
	var w codec.Writer
	WriteSectionNames(&w, []string{"a", "b", "a", "gone"})
	r := codec.NewReader(w.Buf)
	match, added := ReadSectionNames(r, []string{"b", "a", "new", "a"})
	if r.Done() != nil || fmt.Sprint(match) != "[1 0 3 -1]" || !added {
		t.Errorf("match %v, added %v, err %v", match, added, r.Err())
	}
	r = codec.NewReader(w.Buf)
	if _, added := ReadSectionNames(r, []string{"a", "b", "a"}); added {
		t.Error("fewer sections in the job reported as added")
	}
	r = codec.NewReader([]byte{0xff, 0x7f})
	if ReadSectionNames(r, nil); r.Err() == nil {
		t.Error("a corrupt count passed")
	}
}
