package nexmark

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func resolved(t *testing.T, kv ...string) *options.Resolved {
	t.Helper()
	kvs := []options.KV{{Key: "connector", Value: "nexmark"}, {Key: "events.base-time", Value: "1704067200000"}}
	for i := 0; i < len(kv); i += 2 {
		kvs = append(kvs, options.KV{Key: kv[i], Value: kv[i+1]})
	}
	r, probs := options.Resolve("datagen", kvs)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return r
}

// drain runs the source and returns its batches, in order.
func drain(t *testing.T, s *Source) []*stream.Batch {
	t.Helper()
	ch := make(chan *stream.Batch, 1024)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(context.Background(), ch); close(ch) }()
	var out []*stream.Batch
	for b := range ch {
		c := *b // the batch goes back to the pool below
		out = append(out, &c)
		b.Release()
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return out
}

// The source hands out every event of every split once, each split's batches in order
// and owned by one task; readers in several tasks generate exactly the stream one
// generator makes.
func TestSourceSplitsCoverTheStream(t *testing.T) {
	const events, splits = 20000, 3
	s, err := NewSource(resolved(t, "events.num", "20000"), splits, BidFields|PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Bounded() || s.Splits() != splits {
		t.Fatalf("bounded %v, splits %d", s.Bounded(), s.Splits())
	}
	batches := drain(t, s)
	next := make([]int64, splits)
	readers := []*Reader{s.Reader(), s.Reader()} // two tasks
	got := map[int64]Bid{}
	total := 0
	for _, b := range batches {
		if !b.Owned || b.Count <= 0 || b.Count > BatchEvents {
			t.Fatalf("batch %+v: not owned or count out of range", b)
		}
		if start := b.End - int64(b.Count); start != next[b.Split] {
			t.Fatalf("split %d: batch starts at %d, want %d", b.Split, start, next[b.Split])
		}
		next[b.Split] = b.End
		if want := s.splitName(int(b.Split)); b.Origin != want || b.Position().Name != want {
			t.Fatalf("batch origin %q, want %q", b.Origin, want)
		}
		ev := readers[int(b.Split)%2].Fill(b)
		if ev.Len() != b.Count {
			t.Fatalf("reader made %d events for a batch of %d", ev.Len(), b.Count)
		}
		for i := 0; i < ev.Len(); i++ {
			if ev.Kinds[i] == KindBid {
				b := ev.Bids[ev.Index[i]]
				b.Extra, b.URL, b.Channel = strings.Clone(b.Extra), strings.Clone(b.URL), strings.Clone(b.Channel) // they alias the batch
				got[ev.Event(i)] = b
			}
		}
		total += b.Count
	}
	if total != events {
		t.Fatalf("%d events, want %d", total, events)
	}
	g, _ := NewGenerator(s.Config(), 0, 1, BidFields|PersonID)
	var one Batch
	for n := 0; !g.Done(); {
		g.Fill(&one, 1000)
		for i := 0; i < one.Len(); i++ {
			if one.Kinds[i] != KindBid {
				continue
			}
			if b := got[one.Event(i)]; b != one.Bids[one.Index[i]] {
				t.Fatalf("event %d: split readers made %+v, one generator %+v", one.Event(i), b, one.Bids[one.Index[i]])
			}
			n++
		}
	}
}

// Resume starts each split at its checkpointed position, with the checkpoint's number
// of splits; Starts reports them.
func TestSourceResume(t *testing.T) {
	s, err := NewSource(resolved(t, "events.num", "10000"), 2, BidPrice)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Resume([]stream.Position{{Name: "datagen split 0 of 3", Offset: 3000}, {Name: "datagen split 2 of 3", Offset: 3333}}); err != nil {
		t.Fatal(err)
	}
	if s.Splits() != 3 {
		t.Fatalf("%d splits after a restore of 3", s.Splits())
	}
	starts := s.Starts()
	if len(starts) != 3 || starts[0].Offset != 3000 || starts[1].Offset != 0 || starts[2].Offset != 3333 || starts[1].Name != "datagen split 1 of 3" {
		t.Fatalf("starts %+v", starts)
	}
	total := 0
	for _, b := range drain(t, s) {
		total += b.Count
	}
	// Splits of 10000 events over 3: 3334, 3333, 3333; 334 + 3333 + 0 remain.
	if total != 334+3333 {
		t.Fatalf("%d events after the restore, want %d", total, 334+3333)
	}
	for _, bad := range [][]stream.Position{
		{{Name: "datagen[1]", Offset: 1}},
		{{Name: "datagen split 0 of 2"}, {Name: "datagen split 1 of 3"}},
		{{Name: "datagen split 3 of 3"}},
	} {
		if err := s.Resume(bad); err == nil {
			t.Errorf("Resume(%v) did not fail", bad)
		}
	}
}

// Unbounded, the source runs until it is cancelled; max-emit-speed = false holds the
// batches to first-event.rate on the wall clock.
func TestSourceUnboundedAndPacing(t *testing.T) {
	s, err := NewSource(resolved(t), 1, BidPrice)
	if err != nil {
		t.Fatal(err)
	}
	if s.Bounded() {
		t.Fatal("events.num = 0 is bounded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan *stream.Batch)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, ch) }()
	for i := 0; i < 3; i++ {
		(<-ch).Release()
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("Run after cancel: %v", err)
	}

	// 1000 events per second: a batch is 10 events (10 ms), and the last of 50 events
	// is due 49 ms after the first. Only a lower bound is checked: a busy machine makes
	// the run slower, never faster.
	p, err := NewSource(resolved(t, "first-event.rate", "1000", "max-emit-speed", "false", "events.num", "50"), 1, BidPrice)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var sizes []int
	for _, b := range drain(t, p) {
		sizes = append(sizes, b.Count)
	}
	if len(sizes) != 5 || sizes[0] != 10 {
		t.Fatalf("paced batches %v, want 5 of 10", sizes)
	}
	if d := time.Since(start); d < 45*time.Millisecond {
		t.Fatalf("50 events at 1000/s took %s: not paced", d)
	}
}
