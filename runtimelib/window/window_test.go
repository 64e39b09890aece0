package window

import (
	"math/rand"
	"slices"
	"testing"
)

// windowsOf enumerates, from the definitions (Flink's TimeWindow with offset), the
// windows [start, end) that hold time t.
func windowsOf(kind Kind, size, slide, offset, t int64) [][2]int64 {
	var out [][2]int64
	switch kind {
	case Tumble:
		start := t - mod(t-offset, size)
		out = append(out, [2]int64{start, start + size})
	case Hop:
		// every window start s ≡ offset mod slide with s <= t < s+size
		last := t - mod(t-offset, slide)
		for s := last; s > t-size; s -= slide {
			out = append(out, [2]int64{s, s + size})
		}
		slices.Reverse(out)
	case Cumulate:
		start := t - mod(t-offset, size)
		for e := start + slide; e <= start+size; e += slide {
			if t < e {
				out = append(out, [2]int64{start, e})
			}
		}
	}
	return out
}

func TestAssignerAgainstDefinitions(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		kind := Kind(1 + r.Intn(3))
		size := int64(1 + r.Intn(30))
		slide := int64(1 + r.Intn(12))
		offset := int64(r.Intn(40) - 20)
		var a *Assigner
		switch kind {
		case Tumble:
			a = NewTumble(size, offset)
		case Hop:
			a = NewHop(slide, size, offset)
		case Cumulate:
			size = slide * int64(1+r.Intn(5))
			a = NewCumulate(slide, size, offset)
		}
		for ts := int64(-70); ts < 70; ts++ {
			want := windowsOf(kind, size, slide, offset, ts)
			s := a.SliceEnd(ts)
			if !(s-a.Slice() <= ts && ts < s) {
				t.Fatalf("%v size %d slide %d offset %d: t=%d not in slice ending %d", kind, size, slide, offset, ts, s)
			}
			var got [][2]int64
			for e := a.FirstWindowEnd(s); e <= a.LastWindowEnd(s); e = a.NextWindowEnd(e) {
				got = append(got, [2]int64{a.WindowStart(e), e})
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%v size %d slide %d offset %d: t=%d: windows %v, want %v", kind, size, slide, offset, ts, got, want)
			}
			// Every window's slices: the slice of t is among the slices ending in (start, end].
			for _, w := range got {
				if !(w[0] < s && s <= w[1] && (s-w[0])%a.Slice() == 0) {
					t.Fatalf("slice %d is not a slice of window %v", s, w)
				}
			}
			// NextFire after a watermark: the first window of the slice ending after it.
			for wm := ts - 40; wm < ts+40; wm += 7 {
				e, ok := a.NextFire(s, wm)
				var want int64
				found := false
				for _, w := range got {
					if w[1] > wm {
						want, found = w[1], true
						break
					}
				}
				if ok != found || ok && e != want {
					t.Fatalf("%v size %d slide %d offset %d: NextFire(%d, %d) = %d %v, want %d %v", kind, size, slide, offset, s, wm, e, ok, want, found)
				}
			}
		}
	}
}

func TestCheck(t *testing.T) {
	if Check(Cumulate, 10, 3) == nil || Check(Tumble, 0, 0) == nil || Check(Hop, 10, 0) == nil {
		t.Fatal("bad definitions accepted")
	}
	if Check(Hop, 10, 3) != nil || Check(Cumulate, 9, 3) != nil {
		t.Fatal("good definitions refused")
	}
}
