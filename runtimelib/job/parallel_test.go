package job

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestMergeOrder(t *testing.T) {
	lists := [][]uint64{{1, 1, 3, 7}, {2, 4, 4, 5}, nil, {6, 6, 8}}
	var got []string
	MergeOrder(len(lists), func(w int) []uint64 { return lists[w] }, func(w, i int) {
		got = append(got, fmt.Sprintf("%d:%d", lists[w][i], w))
	})
	want := []string{"1:0", "1:0", "2:1", "3:0", "4:1", "4:1", "5:1", "6:3", "6:3", "7:0", "8:3"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	// Equal numbers in two lists (not produced by the loop, but defined): list order.
	lists = [][]uint64{{2, 2}, {1, 2}}
	got = nil
	MergeOrder(2, func(w int) []uint64 { return lists[w] }, func(w, i int) {
		got = append(got, fmt.Sprintf("%d:%d", lists[w][i], w))
	})
	if want := []string{"1:1", "2:0", "2:0", "2:1"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestParallelismSetting(t *testing.T) {
	spec := &Spec{Name: "j", Settings: nil}
	s, rest := splitSettings(spec, []string{"t.path=x", "parallelism.default=3"})
	if n, err := parallelism(s); err != nil || n != 3 || !slices.Equal(rest, []string{"t.path=x"}) {
		t.Errorf("got %d, %v, rest %v", n, err, rest)
	}
	spec.Settings = []options.KV{{Key: ParallelismKey, Value: "5"}}
	s, _ = splitSettings(spec, nil)
	if n, _ := parallelism(s); n != 5 {
		t.Errorf("SET parallelism.default = 5: got %d", n)
	}
	s, _ = splitSettings(spec, []string{"parallelism.default=2"})
	if n, _ := parallelism(s); n != 2 {
		t.Errorf("-D over SET: got %d", n)
	}
	if n, _ := parallelism(map[string]string{}); n != runtime.GOMAXPROCS(0) {
		t.Errorf("default: got %d, want GOMAXPROCS", n)
	}
	for _, bad := range []string{"0", "-1", "x"} {
		if _, err := parallelism(map[string]string{ParallelismKey: bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// partial is a fake worker's state: the batches it ran since the last merge.
type partial struct {
	seqs []uint64
	sum  int
}

// TestLoopParallel checks the contract generated code relies on: every batch runs once,
// Merge and onFlush run with no batch in flight, the merge order is the receive order,
// serial sources run in the loop goroutine.
func TestLoopParallel(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	srcs := []stream.Source{
		&fakeSource{tr: tr, name: "a", n: 300, bounded: true},
		&fakeSource{tr: tr, name: "b", n: 40, bounded: true},
	}
	const workers = 3
	parts := make([]partial, workers)
	var inflight atomic.Int32
	var merged []uint64 // seq of every parallel batch, in merge order
	total, serial, flushes := 0, 0, 0
	var lastSeq uint64
	par := Parallel{
		Workers:  workers,
		Parallel: func(source int) bool { return source == 0 },
		OnBatch: func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
			inflight.Add(1)
			defer inflight.Add(-1)
			defer b.Release()
			if source != 0 {
				t.Errorf("source %d ran in a worker", source)
			}
			p := &parts[w]
			if n := len(p.seqs); n > 0 && p.seqs[n-1] >= seq {
				t.Errorf("worker %d: seq %d after %d", w, seq, p.seqs[n-1])
			}
			p.seqs = append(p.seqs, seq)
			p.sum += b.Count
			return len(p.seqs) >= 7, nil // ask for early merges
		},
		Merge: func() error {
			if n := inflight.Load(); n != 0 {
				t.Errorf("Merge with %d batches in flight", n)
			}
			MergeOrder(workers, func(w int) []uint64 { return parts[w].seqs }, func(w, i int) {
				merged = append(merged, parts[w].seqs[i])
			})
			for w := range parts {
				total += parts[w].sum
				parts[w] = partial{}
			}
			return nil
		},
	}
	err := loopParallel(context.Background(), srcs, time.Hour, par, func(source int, b *stream.Batch) error {
		defer b.Release()
		if source != 1 {
			t.Errorf("source %d ran in the loop goroutine", source)
		}
		serial++
		return nil
	}, func() error {
		if n := inflight.Load(); n != 0 {
			t.Errorf("onFlush with %d batches in flight", n)
		}
		flushes++
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) != 300 || serial != 40 || flushes != 1 {
		t.Errorf("merged %d parallel batches, ran %d serial ones, flushed %d times; want 300, 40, 1", len(merged), serial, flushes)
	}
	for _, s := range merged {
		if s <= lastSeq {
			t.Errorf("merge order not increasing: %d after %d", s, lastSeq)
			break
		}
		lastSeq = s
	}
	if want := 300 * 299 / 2; total != want { // fakeSource's batch i has Count i
		t.Errorf("sum %d, want %d", total, want)
	}
	checkClean(t, tr, base)
}

// TestLoopParallelError: the error of the first failing batch (in receive order) wins,
// and every batch is released.
func TestLoopParallelError(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	srcs := []stream.Source{&fakeSource{tr: tr, name: "a", n: 500, bounded: true}}
	release := make(chan struct{})
	par := Parallel{
		Workers: 4,
		OnBatch: func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
			defer b.Release()
			switch b.Count {
			case 100:
				<-release // fails last
				return false, errors.New("batch 100")
			case 101:
				close(release)
				return false, errors.New("batch 101")
			case 102:
				panic("batch 102")
			}
			return false, nil
		},
		Merge: func() error { return nil },
	}
	err := loopParallel(context.Background(), srcs, time.Hour, par, nil, func() error {
		t.Error("onFlush after an error")
		return nil
	}, nil)
	if err == nil || err.Error() != "batch 100" {
		t.Errorf("error %v, want batch 100's", err)
	}
	checkClean(t, tr, base)
}

// TestLoopParallelCancel: cancelling the job merges and flushes what was processed.
func TestLoopParallelCancel(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	ctx, cancel := context.WithCancel(context.Background())
	srcs := []stream.Source{&fakeSource{tr: tr, name: "a", n: -1}}
	var ran, merged atomic.Int64
	par := Parallel{
		Workers: 2,
		OnBatch: func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
			defer b.Release()
			if ran.Add(1) == 50 {
				cancel()
			}
			return false, nil
		},
		Merge: func() error { merged.Store(ran.Load()); return nil },
	}
	flushed := false
	err := loopParallel(ctx, srcs, time.Hour, par, nil, func() error {
		flushed = true
		if merged.Load() != ran.Load() {
			t.Errorf("flush after merging %d of %d batches", merged.Load(), ran.Load())
		}
		return nil
	}, nil)
	if err != nil || !flushed {
		t.Errorf("err %v, flushed %v", err, flushed)
	}
	checkClean(t, tr, base)
}
