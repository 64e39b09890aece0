package job

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// tracker counts batches made and released, and Run calls in progress, across the fake
// sources of a test.
type tracker struct {
	made, released, running atomic.Int64
}

func (tr *tracker) batch(origin string, n int) *stream.Batch {
	tr.made.Add(1)
	b := &stream.Batch{Origin: origin, Count: n}
	b.SetRelease(func(*stream.Batch) { tr.released.Add(1) })
	return b
}

// send delivers b or gives up when ctx is done (releasing b, as a source must).
func send(ctx context.Context, out chan<- *stream.Batch, b *stream.Batch) bool {
	select {
	case out <- b:
		return true
	case <-ctx.Done():
		b.Release()
		return false
	}
}

// fakeSource sends batches; bounded sources end after n batches (or wait for gate
// first), unbounded ones send until cancelled; fail makes Run return an error after n.
type fakeSource struct {
	tr      *tracker
	name    string
	n       int
	bounded bool
	gate    <-chan struct{} // bounded: wait for this before ending
	fail    error
}

func (s *fakeSource) Bounded() bool { return s.bounded }

func (s *fakeSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	s.tr.running.Add(1)
	defer s.tr.running.Add(-1)
	for i := 0; s.n < 0 || i < s.n; i++ {
		if !send(ctx, out, s.tr.batch(s.name, i)) {
			return ctx.Err()
		}
	}
	if s.fail != nil {
		return s.fail
	}
	if !s.bounded {
		<-ctx.Done()
		return ctx.Err()
	}
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// checkClean verifies that every batch was released, every Run returned and no
// goroutine of the loop is left.
func checkClean(t *testing.T, tr *tracker, baseGoroutines int) {
	t.Helper()
	if tr.running.Load() != 0 {
		t.Errorf("%d sources still running after Loop returned", tr.running.Load())
	}
	if m, r := tr.made.Load(), tr.released.Load(); m != r {
		t.Errorf("batches made %d, released %d", m, r)
	}
	// Loop waits for its goroutines; they may still be unwinding their last frame.
	for i := 0; i < 1000 && runtime.NumGoroutine() > baseGoroutines; i++ {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseGoroutines {
		t.Errorf("goroutines: %d after Loop, %d before", n, baseGoroutines)
	}
}

func TestLoopBoundedSources(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	srcs := []stream.Source{
		&fakeSource{tr: tr, name: "a", n: 50, bounded: true},
		&fakeSource{tr: tr, name: "b", n: 30, bounded: true},
	}
	perSource := map[int]int{}
	rows := 0
	flushes := 0
	var inCallback atomic.Bool
	err := loop(context.Background(), srcs, time.Hour, func(i int, b *stream.Batch) error {
		if inCallback.Swap(true) {
			t.Error("callbacks overlap")
		}
		defer inCallback.Store(false)
		defer b.Release()
		perSource[i]++
		if (i == 0) != (b.Origin == "a") {
			t.Errorf("batch from %s delivered as source %d", b.Origin, i)
		}
		rows += b.Count
		return nil
	}, func() error {
		flushes++
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if perSource[0] != 50 || perSource[1] != 30 {
		t.Errorf("batches per source = %v", perSource)
	}
	if flushes != 1 {
		t.Errorf("flushes = %d, want 1 (at end)", flushes)
	}
	checkClean(t, tr, base)
}

func TestLoopBatchOrderPerSource(t *testing.T) {
	tr := &tracker{}
	next := 0
	err := loop(context.Background(), []stream.Source{&fakeSource{tr: tr, name: "a", n: 200, bounded: true}}, time.Hour,
		func(i int, b *stream.Batch) error {
			defer b.Release()
			if b.Count != next {
				t.Fatalf("batch %d arrived as #%d", b.Count, next)
			}
			next++
			return nil
		}, func() error { return nil }, nil)
	if err != nil || next != 200 {
		t.Fatalf("err %v, batches %d", err, next)
	}
}

func TestLoopFlushOnTick(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	gate := make(chan struct{})
	src := &fakeSource{tr: tr, name: "a", n: 3, bounded: true, gate: gate}
	flushes := 0
	var once sync.Once
	err := loop(context.Background(), []stream.Source{src}, time.Millisecond,
		func(i int, b *stream.Batch) error { b.Release(); return nil },
		func() error {
			flushes++
			// The source ends only after a tick flushed: the test needs no timing.
			once.Do(func() { close(gate) })
			return nil
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if flushes < 2 {
		t.Errorf("flushes = %d, want a tick flush and the final one", flushes)
	}
	checkClean(t, tr, base)
}

func TestLoopFlushEveryBatchWhenIntervalZero(t *testing.T) {
	tr := &tracker{}
	flushes := 0
	err := loop(context.Background(), []stream.Source{&fakeSource{tr: tr, name: "a", n: 5, bounded: true}}, 0,
		func(i int, b *stream.Batch) error { b.Release(); return nil },
		func() error { flushes++; return nil }, nil)
	if err != nil || flushes != 6 {
		t.Fatalf("err %v, flushes %d, want 6", err, flushes)
	}
}

func TestLoopNoSources(t *testing.T) {
	flushes := 0
	if err := loop(context.Background(), nil, time.Hour, nil, func() error { flushes++; return nil }, nil); err != nil || flushes != 1 {
		t.Fatalf("err %v flushes %d", err, flushes)
	}
}

func TestLoopSourceError(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	boom := errors.New("boom")
	srcs := []stream.Source{
		&fakeSource{tr: tr, name: "forever", n: -1},
		&fakeSource{tr: tr, name: "bad", n: 2, bounded: true, fail: boom},
	}
	flushed := false
	err := loop(context.Background(), srcs, time.Hour,
		func(i int, b *stream.Batch) error { b.Release(); return nil },
		func() error { flushed = true; return nil }, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if flushed {
		t.Error("flushed after a source error")
	}
	checkClean(t, tr, base)
}

func TestLoopCallbackErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		batchErr  error
		flushErr  error
		unbounded bool
	}{
		{name: "batch error, bounded", batchErr: errors.New("bad row")},
		{name: "batch error, unbounded", batchErr: errors.New("bad row"), unbounded: true},
		{name: "final flush error", flushErr: errors.New("disk full")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			tr := &tracker{}
			src := &fakeSource{tr: tr, name: "a", n: 100, bounded: !tc.unbounded}
			if tc.unbounded {
				src.n = -1
			}
			seen := 0
			err := loop(context.Background(), []stream.Source{src}, time.Hour,
				func(i int, b *stream.Batch) error {
					defer b.Release()
					seen++
					if seen == 3 && tc.batchErr != nil {
						return tc.batchErr
					}
					return nil
				},
				func() error { return tc.flushErr }, nil)
			want := tc.batchErr
			if want == nil {
				want = tc.flushErr
			}
			if !errors.Is(err, want) {
				t.Fatalf("err = %v, want %v", err, want)
			}
			if tc.batchErr != nil && seen != 3 {
				t.Errorf("onBatch called %d times after the error", seen-3)
			}
			checkClean(t, tr, base)
		})
	}
}

func TestLoopCallbackPanic(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	err := loop(context.Background(), []stream.Source{&fakeSource{tr: tr, name: "a", n: -1}}, time.Hour,
		func(i int, b *stream.Batch) error { b.Release(); panic("bug") },
		func() error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "internal error: panic: bug") {
		t.Fatalf("err = %v", err)
	}
	checkClean(t, tr, base)
}

func TestLoopCancellation(t *testing.T) {
	base := runtime.NumGoroutine()
	tr := &tracker{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srcs := []stream.Source{
		&fakeSource{tr: tr, name: "forever", n: -1},
		&fakeSource{tr: tr, name: "bounded", n: 3, bounded: true},
	}
	batches, flushes, stops := 0, 0, 0
	err := loop(ctx, srcs, time.Hour,
		func(i int, b *stream.Batch) error {
			b.Release()
			batches++
			if batches == 10 {
				cancel() // as SIGINT would
			}
			return nil
		},
		func() error { flushes++; return nil }, func() { stops++ })
	if err != nil {
		t.Fatalf("err = %v, want nil on cancellation", err)
	}
	if stops != 1 {
		t.Errorf("onStop called %d times", stops)
	}
	if flushes != 1 {
		t.Errorf("flushes = %d, want the final one", flushes)
	}
	checkClean(t, tr, base)
}

func TestLoopUnboundedKeepsRunningAfterBoundedEnd(t *testing.T) {
	tr := &tracker{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	boundedDone := 0
	srcs := []stream.Source{
		&fakeSource{tr: tr, name: "bounded", n: 2, bounded: true},
		&fakeSource{tr: tr, name: "forever", n: -1},
	}
	fromForeverAfter := 0
	err := loop(ctx, srcs, time.Hour,
		func(i int, b *stream.Batch) error {
			b.Release()
			if i == 0 {
				boundedDone++
			} else if boundedDone == 2 {
				fromForeverAfter++
				if fromForeverAfter == 50 {
					cancel()
				}
			}
			return nil
		},
		func() error { return nil }, nil)
	if err != nil || fromForeverAfter < 50 {
		t.Fatalf("err %v, batches after bounded end %d", err, fromForeverAfter)
	}
}

func TestLoopAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr := &tracker{}
	called := false
	err := loop(ctx, []stream.Source{&fakeSource{tr: tr, name: "a", n: -1}}, time.Hour,
		func(int, *stream.Batch) error { called = true; return nil }, func() error { return nil }, nil)
	if err != nil || called || tr.made.Load() != 0 {
		t.Fatalf("err %v called %v made %d", err, called, tr.made.Load())
	}
}

// BenchmarkLoop measures the cost per batch of the loop itself (channel hops and
// callback dispatch); real batches carry ~1024 records.
func BenchmarkLoop(b *testing.B) {
	tr := &tracker{}
	src := &fakeSource{tr: tr, name: "a", n: b.N, bounded: true}
	b.ReportAllocs()
	b.ResetTimer()
	err := loop(context.Background(), []stream.Source{src}, time.Hour,
		func(i int, bt *stream.Batch) error { bt.Release(); return nil }, func() error { return nil }, nil)
	if err != nil {
		b.Fatal(err)
	}
}
