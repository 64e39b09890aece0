package agg

import (
	"math/rand/v2"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// A DistinctSet counts as one CountDistinct per call would, through Add, Merge and a
// snapshot.
func TestDistinctSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const calls = 5
	for round := 0; round < 50; round++ {
		var whole, part1, part2 DistinctSet[string]
		want := make([]CountDistinct[string], calls)
		for range rng.IntN(200) {
			k := string(rune('a' + rng.IntN(26)))
			mask := rng.Uint64N(1 << calls)
			for c := range calls {
				if mask&(1<<c) != 0 {
					want[c].Add(k)
				}
			}
			whole.Add(k, mask)
			if rng.IntN(2) == 0 {
				part1.Add(k, mask)
			} else {
				part2.Add(k, mask)
			}
		}
		part1.Merge(part2)
		w := &codec.Writer{}
		whole.Encode(w)
		var back DistinctSet[string]
		r := codec.NewReader(w.Buf)
		back.Decode(r)
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
		for c := range calls {
			for name, d := range map[string]*DistinctSet[string]{"added": &whole, "merged": &part1, "decoded": &back} {
				if got := d.Result(c); got != want[c].Result() {
					t.Fatalf("round %d, call %d, %s: %d, want %d", round, c, name, got, want[c].Result())
				}
			}
		}
	}
}

// Decode fails, without a panic, on a value counted by no call.
func TestDistinctSetDecodeErrors(t *testing.T) {
	w := &codec.Writer{}
	w.Uint64(1)
	w.String("x")
	w.Uint64(0)
	var d DistinctSet[string]
	r := codec.NewReader(w.Buf)
	d.Decode(r)
	if r.Err() == nil || d.Result(0) != 0 {
		t.Fatalf("err %v, result %d", r.Err(), d.Result(0))
	}
}
