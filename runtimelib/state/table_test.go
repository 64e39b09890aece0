package state

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
)

func hashGroup(s *group) uint64 { return HashString(s.key) }

// keyGroup stands in for murmur2(canonical key bytes) mod 128: any function of the key
// alone, the same in every process (here FNV-1a, allocation-free).
func keyGroup(k string) int {
	h := uint32(2166136261)
	for i := range len(k) {
		h = (h ^ uint32(k[i])) * 16777619
	}
	return int(h % 128)
}

func newTable(ttl time.Duration, onExpire func(int32, *group)) *Table[group] {
	var t Table[group]
	t.Init(TableConfig[group]{Hash: hashGroup, TTL: ttl, OnExpire: onExpire})
	return &t
}

// find is the lookup generated code runs: probe, compare keys, and treat an expired
// entry as missing.
func find(t *Table[group], k string) int32 {
	h := HashString(k)
	idx, pos := t.Lookup(h)
	for idx >= 0 && t.At(idx).key != k {
		idx, pos = t.Next(h, pos)
	}
	if idx >= 0 && !t.Live(h, idx) {
		return -1
	}
	return idx
}

// upsert adds one to k's count, inserting k if it is new: an aggregate's update.
func upsert(t *Table[group], k string) int32 {
	idx := find(t, k)
	if idx < 0 {
		return t.Insert(HashString(k), keyGroup(k), group{key: k, count: 1})
	}
	t.At(idx).count++
	t.Touch(idx)
	return idx
}

func remove(t *Table[group], k string) bool {
	idx := find(t, k)
	if idx >= 0 {
		t.Delete(HashString(k), idx)
	}
	return idx >= 0
}

func TestTableInsertLookupDelete(t *testing.T) {
	tb := newTable(0, nil)
	for i := range 3000 {
		upsert(tb, fmt.Sprint(i))
	}
	upsert(tb, "7")
	if tb.Len() != 3000 {
		t.Fatalf("Len = %d, want 3000", tb.Len())
	}
	idx := find(tb, "7")
	if idx < 0 || tb.At(idx).count != 2 || tb.Group(idx) != keyGroup("7") {
		t.Fatalf("key 7: idx %d, state %+v, group %d", idx, *tb.At(idx), tb.Group(idx))
	}
	for i := 0; i < 3000; i += 2 {
		if !remove(tb, fmt.Sprint(i)) {
			t.Fatalf("key %d not found for delete", i)
		}
	}
	if tb.Len() != 1500 || find(tb, "0") >= 0 || find(tb, "1") < 0 {
		t.Fatalf("after deleting the even keys: Len %d, 0 at %d, 1 at %d", tb.Len(), find(tb, "0"), find(tb, "1"))
	}
	// Freed slots are reused: the table does not grow while it refills.
	end := tb.states.End()
	for i := 0; i < 3000; i += 2 {
		upsert(tb, fmt.Sprint(i))
	}
	if tb.states.End() != end || tb.Len() != 3000 {
		t.Errorf("refilling the freed slots: End %d (was %d), Len %d", tb.states.End(), end, tb.Len())
	}
	n := 0
	for idx, s := range tb.All() {
		if find(tb, s.key) != idx {
			t.Fatalf("All yields %q at %d, lookup finds %d", s.key, idx, find(tb, s.key))
		}
		n++
	}
	if n != 3000 {
		t.Errorf("All yields %d entries, want 3000", n)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a second Delete of one entry did not panic")
			}
		}()
		idx := find(tb, "5")
		tb.Delete(HashString("5"), idx)
		tb.Delete(HashString("5"), idx)
	}()
}

func TestTableKeyGroupRange(t *testing.T) {
	tb := newTable(0, nil)
	tb.Insert(1, MaxKeyGroups-1, group{key: "last"})
	if tb.Group(0) != MaxKeyGroups-1 {
		t.Errorf("Group = %d, want %d", tb.Group(0), MaxKeyGroups-1)
	}
	for _, g := range []int{-1, MaxKeyGroups} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Insert with key group %d did not panic", g)
				}
			}()
			tb.Insert(2, g, group{})
		}()
	}
}

func TestTableDirty(t *testing.T) {
	tb := newTable(0, nil)
	a, b, c := upsert(tb, "a"), upsert(tb, "b"), upsert(tb, "c")
	tb.MarkDirty(b)
	tb.MarkDirty(a)
	tb.MarkDirty(b)
	if got := tb.Dirty(); !slices.Equal(got, []int32{b, a}) {
		t.Fatalf("Dirty = %v, want [%d %d]", got, b, a)
	}
	// A deleted entry leaves a hole; its slot, reused by a new key, is listed anew.
	remove(tb, "b")
	d := upsert(tb, "d")
	if d != b {
		t.Fatalf("the new key took slot %d, want the freed %d", d, b)
	}
	tb.MarkDirty(d)
	tb.MarkDirty(c)
	if got := tb.Dirty(); !slices.Equal(got, []int32{-1, a, d, c}) {
		t.Fatalf("Dirty = %v, want [-1 %d %d %d]", got, a, d, c)
	}
	tb.ClearDirty()
	if len(tb.Dirty()) != 0 {
		t.Fatalf("after ClearDirty: %v", tb.Dirty())
	}
	tb.MarkDirty(a)
	if got := tb.Dirty(); !slices.Equal(got, []int32{a}) {
		t.Errorf("after ClearDirty and a mark: Dirty = %v, want [%d]", got, a)
	}
}

// TestTableMemoryFlat: cycles of a million inserts and deletes reuse the same slots
// and index: neither the tables nor the heap grow after the first cycle.
func TestTableMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("a million keys")
	}
	keys := make([]string, 1_000_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
	}
	tb := newTable(time.Hour, nil)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	cycle := func() {
		for _, k := range keys {
			upsert(tb, k)
			tb.MarkDirty(find(tb, k))
		}
		for _, k := range keys {
			if !remove(tb, k) {
				t.Fatalf("key %q lost", k)
			}
		}
		tb.ClearDirty()
	}
	cycle()
	end, slots, after1 := tb.states.End(), len(tb.hashIndex.slots), heap()
	for range 3 {
		cycle()
	}
	if tb.Len() != 0 || tb.states.End() != end || len(tb.hashIndex.slots) != slots {
		t.Errorf("after 4 cycles: Len %d, End %d (was %d), %d index slots (was %d)",
			tb.Len(), tb.states.End(), end, len(tb.hashIndex.slots), slots)
	}
	if after4 := heap(); after4 > after1+after1/10 {
		t.Errorf("heap grew from %d to %d bytes over 3 more cycles", after1, after4)
	}
	// A sliding window of 1000 live keys over a million: the table stays one window.
	tb.Reset()
	for i, k := range keys {
		upsert(tb, k)
		if i >= 1000 {
			remove(tb, keys[i-1000])
		}
	}
	if tb.Len() != 1000 || tb.states.End() > 1001 || len(tb.hashIndex.slots) > 2048 {
		t.Errorf("sliding window: Len %d, End %d, %d index slots", tb.Len(), tb.states.End(), len(tb.hashIndex.slots))
	}
}

func TestTableTTL(t *testing.T) {
	var expired []string
	tb := newTable(10*time.Second, func(idx int32, s *group) {
		if s.key == "" {
			t.Error("OnExpire got a zeroed entry")
		}
		expired = append(expired, s.key)
	})
	tb.SetNow(1_000)
	upsert(tb, "a")
	upsert(tb, "b")
	tb.SetNow(9_000)
	upsert(tb, "b") // a write: b lives until 19_000
	find(tb, "a")   // a read: a still expires at 11_000
	tb.SetNow(10_999)
	if tb.Expired(find(tb, "a")) {
		t.Fatal("a expired before its TTL")
	}
	tb.SetNow(11_000)
	if idx := find(tb, "a"); idx >= 0 {
		t.Fatalf("a is found at %d after its TTL", idx)
	}
	if !slices.Equal(expired, []string{"a"}) || tb.Len() != 1 {
		t.Fatalf("the lookup of expired a: expired %v, Len %d", expired, tb.Len())
	}
	// A new a starts afresh.
	if idx := upsert(tb, "a"); tb.At(idx).count != 1 {
		t.Fatalf("a after expiry: count %d, want 1", tb.At(idx).count)
	}
	tb.SetNow(19_000)
	if n := tb.Cleanup(100); n != 1 || !slices.Equal(expired, []string{"a", "b"}) || tb.Len() != 1 {
		t.Fatalf("Cleanup at 19s expired %d, %v; Len %d", n, expired, tb.Len())
	}
}

// TestTableCleanupBudget: Cleanup examines at most its budget of slots a call and
// resumes where it stopped, so a big table expires over several calls.
func TestTableCleanupBudget(t *testing.T) {
	expired := map[string]bool{}
	tb := newTable(time.Millisecond, func(_ int32, s *group) { expired[s.key] = true })
	for i := range 100 {
		upsert(tb, fmt.Sprint(i))
	}
	tb.SetNow(1)
	for call, want := range []int{30, 30, 30, 10, 0} {
		if n := tb.Cleanup(30); n != want {
			t.Fatalf("Cleanup call %d expired %d, want %d", call, n, want)
		}
	}
	if len(expired) != 100 || tb.Len() != 0 {
		t.Fatalf("%d expired, %d left", len(expired), tb.Len())
	}
	// Without a TTL, nothing expires and no time is kept.
	never := newTable(0, nil)
	upsert(never, "x")
	never.SetNow(1 << 60)
	if never.Cleanup(10) != 0 || find(never, "x") < 0 || never.written.pages != nil {
		t.Error("a table without a TTL expired an entry or kept write times")
	}
}

// TestTableLookupAllocs: the hot path (probe, compare, liveness, touch) allocates
// nothing, with or without a TTL.
func TestTableLookupAllocs(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Hour} {
		tb := newTable(ttl, nil)
		for _, k := range provinces {
			upsert(tb, k)
		}
		i := 0
		if n := testing.AllocsPerRun(1000, func() {
			upsert(tb, provinces[i%len(provinces)])
			i++
		}); n != 0 {
			t.Errorf("TTL %v: a lookup hit allocates %v times", ttl, n)
		}
	}
}

// Tick reads the clock only with a TTL; Remove deletes with the table's own hash.
func TestTickAndRemove(t *testing.T) {
	reads := 0
	clock := func() int64 { reads++; return 5000 }
	var plain Table[group]
	plain.Init(TableConfig[group]{Hash: hashGroup, Now: clock})
	plain.Tick()
	if reads != 0 {
		t.Errorf("Tick without a TTL read the clock")
	}
	var tab Table[group]
	tab.Init(TableConfig[group]{Hash: hashGroup, TTL: time.Second, Now: clock})
	tab.Tick()
	if reads != 1 || tab.now != 5000 {
		t.Errorf("Tick with a TTL: %d reads, now %d", reads, tab.now)
	}
	idx := tab.Insert(HashString("a"), 3, group{key: "a"})
	tab.Insert(HashString("b"), 3, group{key: "b"})
	tab.Remove(idx)
	if tab.Len() != 1 {
		t.Fatalf("Len %d after Remove", tab.Len())
	}
	if i, _ := tab.Lookup(HashString("a")); i >= 0 && tab.At(i).key == "a" {
		t.Errorf("a still found")
	}
}
