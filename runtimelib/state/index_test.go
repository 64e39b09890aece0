package state

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// lookup is the probe loop generated code runs.
func lookup(x *Index, p *Pages[group], k string) int32 {
	h := HashString(k)
	idx, pos := x.Lookup(h)
	for idx >= 0 && p.At(idx).key != k {
		idx, pos = x.Next(h, pos)
	}
	return idx
}

func TestIndexAgainstMap(t *testing.T) {
	var x Index
	var p Pages[group]
	want := map[string]int32{}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		k := fmt.Sprint(rng.IntN(50_000))
		idx := lookup(&x, &p, k)
		w, ok := want[k]
		switch {
		case ok && idx != w:
			t.Fatalf("step %d: key %q found at %d, want %d", i, k, idx, w)
		case !ok && idx >= 0:
			t.Fatalf("step %d: new key %q found at %d", i, k, idx)
		case !ok:
			idx = p.Append(group{key: k})
			x.Insert(HashString(k), idx)
			want[k] = idx
		}
		p.At(idx).count++
	}
	if x.Len() != len(want) || p.Len() != len(want) {
		t.Fatalf("index holds %d, pages %d, want %d", x.Len(), p.Len(), len(want))
	}
	if 4*x.Len() > 3*len(x.slots) {
		t.Errorf("%d keys in %d slots: more than 3/4 full", x.Len(), len(x.slots))
	}
}

// TestIndexTagCollisions forces every key onto one tag: the probe must still find
// each key by comparing keys, not hashes.
func TestIndexTagCollisions(t *testing.T) {
	var x Index
	var p Pages[group]
	const h = 0xdeadbeef_00000000
	for i := range 100 {
		k := fmt.Sprint(i)
		idx := p.Append(group{key: k})
		x.Insert(h, idx)
	}
	for i := range 100 {
		k := fmt.Sprint(i)
		idx, pos := x.Lookup(h)
		for idx >= 0 && p.At(idx).key != k {
			idx, pos = x.Next(h, pos)
		}
		if idx != int32(i) {
			t.Fatalf("key %q: found %d, want %d", k, idx, i)
		}
	}
	if idx, _ := x.Lookup(h ^ 1<<40); idx >= 0 {
		t.Errorf("a hash with another tag found state %d", idx)
	}
	x.Reset()
	if idx, _ := x.Lookup(h); idx >= 0 || x.Len() != 0 {
		t.Errorf("after Reset: Lookup found %d, Len %d", idx, x.Len())
	}
}

func TestHashComparable(t *testing.T) {
	type key struct {
		a    string
		b    int64
		null bool
	}
	if Hash(key{"x", 1, false}) != Hash(key{"x", 1, false}) {
		t.Error("equal keys hash differently")
	}
	if Hash(0.0) != Hash(-0.0) {
		t.Error("0.0 and -0.0 are == but hash differently")
	}
}

var provinces = func() []string {
	out := make([]string, 34)
	for i := range out {
		out[i] = fmt.Sprintf("province-%02d", i)
	}
	return out
}()

// BenchmarkIndexCDN is the CDN aggregate's lookup: 34 string keys, all present;
// the baseline is the map[string]int32 generated code used before.
func BenchmarkIndexCDN(b *testing.B) {
	var x Index
	var p Pages[group]
	for _, k := range provinces {
		x.Insert(HashString(k), p.Append(group{key: k}))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.At(lookup(&x, &p, provinces[i%34])).count++
	}
}

func BenchmarkIndexCDNBaselineMap(b *testing.B) {
	m := map[string]int32{}
	s := make([]group, 34)
	for i, k := range provinces {
		m[k] = int32(i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s[m[provinces[i%34]]].count++
	}
}

// BenchmarkIndexInsert1M builds the index of a million distinct keys (the memory
// target's shape); the baseline builds the map.
func BenchmarkIndexInsert1M(b *testing.B) {
	keys := make([]string, 1_000_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
	}
	b.ReportAllocs()
	for b.Loop() {
		var x Index
		var p Pages[group]
		for _, k := range keys {
			if lookup(&x, &p, k) < 0 {
				x.Insert(HashString(k), p.Append(group{key: k}))
			}
		}
	}
}

func BenchmarkIndexInsert1MBaselineMap(b *testing.B) {
	keys := make([]string, 1_000_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
	}
	b.ReportAllocs()
	for b.Loop() {
		m := map[string]int32{}
		var s []group
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				m[k] = int32(len(s))
				s = append(s, group{key: k})
			}
		}
	}
}

// TestHashStringSpread: the inline short-string hash spreads similar keys (addresses
// differing in one digit, lengths 1 to 24) like a random function: among a million
// keys the 32-bit tags collide about n²/2³³ ≈ 116 times, and a full table probes
// little.
func TestHashStringSpread(t *testing.T) {
	const n = 1_000_000
	tags := make(map[uint32]int, n)
	collisions := 0
	var x Index
	var p Pages[group]
	for i := range n {
		k := fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
		switch i % 4 {
		case 1:
			k = k[:1+i%8] // 1 to 8 bytes: many repeats, fine
		case 2:
			k += "/a-longer-suffix" // more than 16 bytes: maphash
		}
		h := HashString(k)
		if lookup(&x, &p, k) >= 0 {
			continue
		}
		if tags[uint32(h>>32)]++; tags[uint32(h>>32)] > 1 {
			collisions++
		}
		x.Insert(h, p.Append(group{key: k}))
	}
	if collisions > 400 {
		t.Errorf("%d tag collisions among %d keys, want about 116", collisions, x.Len())
	}
	// Probe lengths: linear probing at most 3/4 full averages a few slots.
	total := 0
	for i := range p.Len() {
		k := p.At(int32(i)).key
		h := HashString(k)
		idx, pos := x.Lookup(h)
		steps := int((pos - x.home(h>>32)) & x.mask)
		for idx >= 0 && p.At(idx).key != k {
			idx, pos = x.Next(h, pos)
		}
		total += steps
	}
	if avg := float64(total) / float64(p.Len()); avg > 3 {
		t.Errorf("average probe distance %.2f slots, want under 3", avg)
	}
	if HashString("ab") == HashString("ba") || HashString("abcd1234x") == HashString("abcd1234y") {
		t.Error("short keys differing in one byte hash alike")
	}
}

// checkIndex verifies the linear-probing invariant that deletion must keep: no empty
// slot between an entry's home slot and the entry, so every probe reaches it.
func checkIndex(t *testing.T, x *Index) {
	t.Helper()
	n := 0
	for j, s := range x.slots {
		if s == 0 {
			continue
		}
		n++
		for i := x.home(s >> 32); i != uint32(j); i = (i + 1) & x.mask {
			if x.slots[i] == 0 {
				t.Fatalf("slot %d (home %d) is cut off by the empty slot %d", j, x.home(s>>32), i)
			}
		}
	}
	if n != x.n {
		t.Fatalf("%d slots used, Len %d", n, x.n)
	}
}

// TestIndexDelete deletes and inserts at random against a map, with hashes drawn from
// a few hundred tags so that clusters are long and deletion moves entries back.
func TestIndexDelete(t *testing.T) {
	var x Index
	rng := rand.New(rand.NewPCG(3, 4))
	live := map[int32]uint64{} // state index -> hash
	next := int32(0)
	for step := range 100_000 {
		if len(live) > 0 && rng.IntN(5) < 2 { // 40% deletes: the index grows, too
			for idx, h := range live { // a random live entry
				if !x.Delete(h, idx) {
					t.Fatalf("step %d: Delete(%#x, %d) found nothing", step, h, idx)
				}
				if x.Delete(h, idx) {
					t.Fatalf("step %d: a second Delete of %d succeeded", step, idx)
				}
				delete(live, idx)
				break
			}
		} else {
			h := uint64(rng.IntN(300)+1)<<32 | rng.Uint64()&0xffffffff
			x.Insert(h, next)
			live[next] = h
			next++
		}
		if step%10_000 == 0 {
			checkIndex(t, &x)
		}
	}
	checkIndex(t, &x)
	for idx, h := range live {
		got, pos := x.Lookup(h)
		for got >= 0 && got != idx {
			got, pos = x.Next(h, pos)
		}
		if got != idx {
			t.Fatalf("entry %d under %#x is lost", idx, h)
		}
	}
	if x.Delete(1<<40, 0) {
		t.Error("Delete of a hash never inserted succeeded")
	}
}
