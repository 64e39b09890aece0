package state

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchKeys returns n addresses and an access order over them: sequential for the
// CDN's 34 provinces (all in cache), a random permutation for a million.
func benchKeys(n int) (keys []string, order []int32) {
	keys = make([]string, n)
	order = make([]int32, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255)
		order[i] = int32(i)
	}
	if n == 34 {
		copy(keys, provinces)
	} else {
		rand.New(rand.NewPCG(5, 6)).Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	return keys, order
}

// BenchmarkLookupHit: find a present key and update its state. Index is today's
// Pages+Index probe; Table the same through Table with its liveness check; TableTTL
// also checks the entry's age and records the write.
func BenchmarkLookupHit(b *testing.B) {
	for _, n := range []int{34, 1_000_000} {
		keys, order := benchKeys(n)
		b.Run(fmt.Sprintf("n=%d/Index", n), func(b *testing.B) {
			var x Index
			var p Pages[group]
			for _, k := range keys {
				x.Insert(HashString(k), p.Append(group{key: k}))
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p.At(lookup(&x, &p, keys[order[i%n]])).count++
			}
		})
		for _, ttl := range []time.Duration{0, time.Hour} {
			name := "Table"
			if ttl != 0 {
				name = "TableTTL"
			}
			b.Run(fmt.Sprintf("n=%d/%s", n, name), func(b *testing.B) {
				tb := newTable(ttl, nil)
				for _, k := range keys {
					upsert(tb, k)
				}
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					upsert(tb, keys[order[i%n]])
				}
			})
		}
	}
}

// BenchmarkLookupMissInsert builds a million-key table: every lookup misses and
// inserts. ns/key is the cost of one miss and insert.
func BenchmarkLookupMissInsert(b *testing.B) {
	keys, _ := benchKeys(1_000_000)
	perKey := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(keys)), "ns/key")
	}
	b.Run("Index", func(b *testing.B) {
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
		perKey(b)
	})
	b.Run("Table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tb := newTable(0, nil)
			for _, k := range keys {
				upsert(tb, k)
			}
		}
		perKey(b)
	})
}

// BenchmarkDeleteInsert deletes a key of a million and inserts it again: the table
// stays full, and every delete shifts back what follows in its cluster.
func BenchmarkDeleteInsert(b *testing.B) {
	keys, order := benchKeys(1_000_000)
	b.Run("Index", func(b *testing.B) {
		var x Index
		var p Pages[group]
		for _, k := range keys {
			x.Insert(HashString(k), p.Append(group{key: k}))
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			k := keys[order[i%len(keys)]]
			h := HashString(k)
			idx := lookup(&x, &p, k)
			x.Delete(h, idx)
			x.Insert(h, idx)
		}
	})
	b.Run("Table", func(b *testing.B) {
		tb := newTable(0, nil)
		for _, k := range keys {
			upsert(tb, k)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			k := keys[order[i%len(keys)]]
			remove(tb, k)
			upsert(tb, k)
		}
	})
}

// BenchmarkLookupHitAfterChurn: lookups in a table of a million keys that has seen a
// million deletes and inserts probe as in a fresh one (LookupHit n=1000000/Table):
// backward-shift deletion leaves no tombstones.
func BenchmarkLookupHitAfterChurn(b *testing.B) {
	keys, order := benchKeys(1_000_000)
	tb := newTable(0, nil)
	for _, k := range keys[:500_000] {
		upsert(tb, k)
	}
	for i, k := range keys[500_000:] {
		upsert(tb, k)
		if i%2 == 0 {
			remove(tb, keys[i])
		}
	}
	for _, k := range keys { // refill: every key present again
		upsert(tb, k)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		upsert(tb, keys[order[i%len(keys)]])
	}
}

// BenchmarkSnapshotRestore: a million entries through the state codec and back.
func BenchmarkSnapshotRestore(b *testing.B) {
	keys, _ := benchKeys(1_000_000)
	tb := newTable(0, nil)
	for _, k := range keys {
		upsert(tb, k)
	}
	b.Run("Snapshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			snapshot(tb)
		}
	})
	data := snapshot(tb)
	b.Run("Restore", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := restore(newTable(0, nil), data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
