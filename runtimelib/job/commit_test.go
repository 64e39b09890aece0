package job

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// committingSource sends n batches (n < 0: until cancelled) round-robin over its splits;
// batch i (from 0) carries Count i and is the (i/splits+1)-th of split i%splits, whose End
// is 10 times that. It records what the loop commits.
type committingSource struct {
	tr     *tracker
	n      int
	splits int

	mu        sync.Mutex
	commits   [][]stream.Position // every Commit call, empty ones included
	committed map[int32]int64     // per split, the last committed position
}

func newCommittingSource(tr *tracker, n, splits int) *committingSource {
	return &committingSource{tr: tr, n: n, splits: splits, committed: map[int32]int64{}}
}

func (s *committingSource) Bounded() bool { return s.n >= 0 }

func (s *committingSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	for i := 0; s.n < 0 || i < s.n; i++ {
		b := s.tr.batch("t", i)
		b.Split = int32(i % s.splits)
		b.End = int64(10 * (i/s.splits + 1))
		if !send(ctx, out, b) {
			return ctx.Err()
		}
	}
	if s.n < 0 {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// end returns the End of batch i.
func (s *committingSource) end(i int) int64 { return int64(10 * (i/s.splits + 1)) }

func (s *committingSource) Commit(ctx context.Context, durable []stream.Position) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commits = append(s.commits, durable)
	for i, p := range durable {
		if i > 0 && p.Split <= durable[i-1].Split {
			return fmt.Errorf("positions not sorted by split: %v", durable)
		}
		if p.Name != "t" {
			return fmt.Errorf("position %v: name is not the batch's origin", p)
		}
		if old, ok := s.committed[p.Split]; ok && p.Offset <= old {
			return fmt.Errorf("split %d: committed %d after %d", p.Split, p.Offset, old)
		}
		s.committed[p.Split] = p.Offset
	}
	return nil
}

// state returns the committed positions ("split:offset ...") and the number of Commit
// calls.
func (s *committingSource) state() (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ""
	for sp := int32(0); sp < int32(s.splits); sp++ {
		if o, ok := s.committed[sp]; ok {
			out += fmt.Sprintf("%d:%d ", sp, o)
		}
	}
	return out, len(s.commits)
}

// want returns state's text for batches 0..last (inclusive) all committed.
func (s *committingSource) want(last int) string {
	out := ""
	for sp := 0; sp < s.splits && sp <= last; sp++ {
		i := last - (last-sp)%s.splits // the last batch of split sp up to last
		out += fmt.Sprintf("%d:%d ", sp, s.end(i))
	}
	return out
}

// TestCommitAfterFlush: positions are committed only after a successful flush, at the
// end of bounded input too (after the source's Run returned), never when the flush
// fails.
func TestCommitAfterFlush(t *testing.T) {
	tr := &tracker{}
	src := newCommittingSource(tr, 20, 3)
	flushes := 0
	err := loop(context.Background(), []stream.Source{src}, time.Hour,
		func(i int, b *stream.Batch) error { b.Release(); return nil },
		func() error {
			flushes++
			if got, n := src.state(); n != 0 {
				t.Errorf("committed %q (%d calls) before the flush", got, n)
			}
			return nil
		}, nil)
	if err != nil || flushes != 1 {
		t.Fatalf("loop: %v, %d flushes", err, flushes)
	}
	if got, n := src.state(); got != src.want(19) || n != 1 {
		t.Errorf("committed %q in %d calls, want %q in 1", got, n, src.want(19))
	}

	// A flush that fails commits nothing.
	tr = &tracker{}
	src = newCommittingSource(tr, 20, 3)
	sinkDown := errors.New("sink down")
	err = loop(context.Background(), []stream.Source{src}, 0,
		func(i int, b *stream.Batch) error { b.Release(); return nil },
		func() error { return sinkDown }, nil)
	if !errors.Is(err, sinkDown) {
		t.Fatalf("loop: %v, want the flush's error", err)
	}
	if got, n := src.state(); n != 0 {
		t.Errorf("committed %q (%d calls) though no flush succeeded", got, n)
	}
}

// TestCommitFailedBatch: with a flush after every batch, the positions committed are
// those of the batches before the one that failed (an error or a panic); nothing after.
func TestCommitFailedBatch(t *testing.T) {
	for _, how := range []string{"error", "panic"} {
		t.Run(how, func(t *testing.T) {
			base := runtime.NumGoroutine()
			tr := &tracker{}
			src := newCommittingSource(tr, -1, 2)
			const bad = 7
			err := loop(context.Background(), []stream.Source{src}, 0,
				func(i int, b *stream.Batch) error {
					defer b.Release() // as generated code does: even a failed batch is released
					if b.Count == bad {
						if how == "panic" {
							panic("poison")
						}
						return errors.New("poison")
					}
					return nil
				},
				func() error { return nil }, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got, _ := src.state(); got != src.want(bad-1) {
				t.Errorf("committed %q, want %q (batches before %d)", got, src.want(bad-1), bad)
			}
			checkClean(t, tr, base)
		})
	}
}

// TestCommitOnStop: when the job is cancelled (SIGTERM), the final flush commits the
// batches processed so far.
func TestCommitOnStop(t *testing.T) {
	tr := &tracker{}
	src := newCommittingSource(tr, -1, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := -1
	err := loop(ctx, []stream.Source{src}, time.Hour,
		func(i int, b *stream.Batch) error {
			defer b.Release()
			last = b.Count
			if b.Count == 5 {
				cancel()
			}
			return nil
		},
		func() error { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, n := src.state(); got != src.want(last) || n != 1 {
		t.Errorf("committed %q in %d calls, want %q in 1", got, n, src.want(last))
	}
}

// TestCommitParallel: with workers, every batch counts once its worker returned; a
// failure stops the commits, and the batches the workers skip after it are released
// without being counted.
func TestCommitParallel(t *testing.T) {
	run := func(t *testing.T, src *committingSource, flush time.Duration, bad int) error {
		par := Parallel{
			Workers: 3,
			OnBatch: func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
				defer b.Release()
				if b.Count == bad {
					return false, errors.New("poison")
				}
				return false, nil
			},
			Merge: func() error { return nil },
		}
		return loopParallel(context.Background(), []stream.Source{src}, flush, par, nil, func() error { return nil }, nil)
	}
	t.Run("ok", func(t *testing.T) {
		src := newCommittingSource(&tracker{}, 200, 4)
		if err := run(t, src, time.Hour, -1); err != nil {
			t.Fatal(err)
		}
		if got, n := src.state(); got != src.want(199) || n != 1 {
			t.Errorf("committed %q in %d calls, want %q in 1", got, n, src.want(199))
		}
	})
	t.Run("skipped", func(t *testing.T) {
		// Batches after the failed one are in flight and skipped; none is committed,
		// though the source's later batches were released.
		base := runtime.NumGoroutine()
		tr := &tracker{}
		src := newCommittingSource(tr, 200, 4)
		if err := run(t, src, time.Hour, 3); err == nil {
			t.Fatal("no error")
		}
		if got, n := src.state(); n != 0 {
			t.Errorf("committed %q (%d calls) after a failure with no flush before it", got, n)
		}
		checkClean(t, tr, base)
	})
	t.Run("flush-every-batch", func(t *testing.T) {
		base := runtime.NumGoroutine()
		tr := &tracker{}
		src := newCommittingSource(tr, 200, 4)
		const bad = 50
		if err := run(t, src, 0, bad); err == nil {
			t.Fatal("no error")
		}
		if got, _ := src.state(); got != src.want(bad-1) {
			t.Errorf("committed %q, want %q (batches before %d)", got, src.want(bad-1), bad)
		}
		checkClean(t, tr, base)
	})
}

// BenchmarkLoopCommitting is BenchmarkLoop with a source whose positions the loop tracks
// (4 splits), for the cost of tracking them per batch.
func BenchmarkLoopCommitting(b *testing.B) {
	src := newCommittingSource(&tracker{}, b.N, 4)
	b.ReportAllocs()
	b.ResetTimer()
	err := loop(context.Background(), []stream.Source{src}, time.Hour,
		func(i int, bt *stream.Batch) error { bt.Release(); return nil }, func() error { return nil }, nil)
	if err != nil {
		b.Fatal(err)
	}
}
