package exec

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// splitsFor is a source task's watermark generator outside a running graph.
func splitsFor(timeout int64) (*splits, *recorder) {
	task, rec := lonelyTask()
	task.src = &splits{task: task, byKey: map[splitKey]*splitState{}, timeout: timeout}
	return task.src, rec
}

// batch runs one batch of split (a partition) through s at time now, reporting wm.
func batch(t *testing.T, s *splits, source int, split int32, partitioned bool, now, wm int64) {
	t.Helper()
	b := &stream.Batch{Split: split}
	if partitioned {
		b.Partition = []int32{split}
	}
	if err := s.begin(source, b, now); err != nil {
		t.Fatal(err)
	}
	s.task.ReportWatermark(wm)
	if err := s.update(now); err != nil {
		t.Fatal(err)
	}
}

func TestSplitWatermarksAndIdleness(t *testing.T) {
	s, rec := splitsFor(100)
	batch(t, s, 0, 0, true, 0, 100)
	expect(t, "one split", rec.take(), "wm 100")
	batch(t, s, 0, 1, true, 0, 50)
	expect(t, "a second split below: the watermark does not go back", rec.take())
	batch(t, s, 0, 0, true, 50, 200)
	expect(t, "the minimum is split 1's", rec.take())
	batch(t, s, 0, 1, true, 60, 120)
	expect(t, "split 1 moves", rec.take(), "wm 120")
	// Split 1 delivers nothing for the time-out: it no longer holds the watermark.
	batch(t, s, 0, 0, true, 170, 300)
	expect(t, "split 1 idle", rec.take(), "wm 300")
	// It delivers again, below: it is part of the minimum again, but the watermark
	// does not go back.
	batch(t, s, 0, 1, true, 180, 130)
	expect(t, "split 1 back", rec.take())
	batch(t, s, 0, 0, true, 190, 500)
	batch(t, s, 0, 1, true, 200, 400)
	expect(t, "minimum over both again", rec.take(), "wm 400")
	// Both time out: the task is idle and emits no watermark.
	if err := s.update(400); err != nil {
		t.Fatal(err)
	}
	expect(t, "all idle", rec.take())
	if !s.task.idle {
		t.Fatal("task not idle with only idle splits")
	}
	if _, ok := s.nextIdle(); ok {
		t.Error("an idle task waits for a time-out")
	}
	batch(t, s, 0, 1, true, 410, 450)
	if s.task.idle {
		t.Fatal("task still idle after a batch")
	}
	expect(t, "split 1 alone", rec.take(), "wm 450")
	if at, ok := s.nextIdle(); !ok || at != 510 {
		t.Errorf("next idle check at %d %v, want 510", at, ok)
	}
}

func TestSplitsNeverIdleWithoutTimeout(t *testing.T) {
	s, rec := splitsFor(0)
	batch(t, s, 0, 0, true, 0, 10)
	batch(t, s, 0, 1, true, 0, 5)
	if err := s.update(1 << 40); err != nil {
		t.Fatal(err)
	}
	if s.task.idle || s.task.watermark != 10 {
		t.Errorf("idle %v, watermark %d", s.task.idle, s.task.watermark)
	}
	expect(t, "", rec.take(), "wm 10")
	if _, ok := s.nextIdle(); ok {
		t.Error("a time-out without idle-timeout")
	}
}

// A task that never received a batch is idle after the time-out (so that a task with
// no partition does not hold the job's watermark back); without one it just waits.
func TestSplitsNoSplitTask(t *testing.T) {
	s, _ := splitsFor(100)
	if at, ok := s.nextIdle(); !ok || at != 100 {
		t.Errorf("next idle check %d %v", at, ok)
	}
	if err := s.update(99); err != nil || s.task.idle {
		t.Fatalf("idle before the time-out (%v)", err)
	}
	if err := s.update(100); err != nil || !s.task.idle {
		t.Fatalf("not idle after the time-out (%v)", err)
	}
	s, _ = splitsFor(0)
	if err := s.update(1 << 40); err != nil || s.task.idle {
		t.Fatalf("idle without a time-out (%v)", err)
	}
}

// Dynamic batches (file chunks) of a source are one split of the task; an ended
// source's splits leave the minimum.
func TestDynamicSplitsAndEndedSources(t *testing.T) {
	s, rec := splitsFor(0)
	batch(t, s, 0, 3, false, 0, 100)
	batch(t, s, 0, 9, false, 0, 200) // another chunk of the same source: same split
	batch(t, s, 1, 0, true, 0, 50)
	expect(t, "", rec.take(), "wm 100", "wm 200")
	if len(s.list) != 2 {
		t.Fatalf("%d splits, want 2", len(s.list))
	}
	batch(t, s, 1, 0, true, 0, 250)
	batch(t, s, 1, 0, true, 0, 260)
	expect(t, "source 0 holds it at 200", rec.take())
	s.sourceEnded(0)
	if err := s.update(0); err != nil {
		t.Fatal(err)
	}
	expect(t, "source 0 ended", rec.take(), "wm 260")
}

// Idleness end to end: a partition that stops delivering is left out of the watermark
// once the (fake) clock passed table.exec.source.idle-timeout, through the task's
// wake-up, without any batch.
func TestIdleSplitReleasesTheWatermark(t *testing.T) {
	for _, disable := range []bool{false, true} {
		t.Run(fmt.Sprintf("unchained=%v", disable), func(t *testing.T) {
			clock := newFakeClock()
			tr := &tracker{}
			more := make(chan struct{})
			src := &testSource{next: func(i int) *stream.Batch {
				switch i {
				case 0:
					return tr.batchOf(1, true, 0, []string{"1:0:10"})
				case 1:
					return tr.batchOf(0, true, 0, []string{"0:0:1000"})
				case 2:
					<-more
					return tr.batchOf(0, true, 1, []string{"0:1:1001"})
				}
				return nil
			}}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg := Config{FlushInterval: time.Hour, Clock: clock, IdleTimeout: 100 * time.Millisecond, DisableChaining: disable}
			j := newKeyedJob(cfg, 1, 1, []stream.Source{src}, 16, 2, nil)
			started := make(chan struct{})
			j.srcs[0].reportWM = true
			j.srcs[0].onBatch = func(*stream.Batch) error { started <- struct{}{}; return nil }
			watermarks := make(chan int64, 8)
			j.keys[0].onWatermark = func(t int64) { watermarks <- t }
			done := make(chan error, 1)
			go func() { done <- j.g.Run(ctx) }()

			<-started // partition 1, ts 10
			<-started // partition 0, ts 1000
			if w := <-watermarks; w != 10 {
				t.Fatalf("watermark %d, want 10", w)
			}
			clock.Advance(60 * time.Millisecond)
			close(more)
			<-started // partition 0 again at +60ms
			clock.Advance(50 * time.Millisecond)
			// Partition 1 has been silent for 110ms, partition 0 for 50ms.
			if w := <-watermarks; w != 1001 {
				t.Fatalf("watermark %d, want 1001", w)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			j.check(t)
			tr.check(t)
		})
	}
}

// stallOp counts its batches; with stall set, its first OnBatch waits until release is
// closed.
type stallOp struct {
	stall   bool
	release chan struct{}
	batches atomic.Int64
}

func (o *stallOp) OnBatch(int, *stream.Batch) error {
	if o.stall && o.batches.Load() == 0 {
		<-o.release
	}
	o.batches.Add(1)
	return nil
}
func (o *stallOp) OnWatermark(int64) error { return nil }
func (o *stallOp) OnBarrier(int64) error   { return nil }
func (o *stallOp) OnEnd() error            { return nil }

// A task that holds on to a batch (its thread held off by a busy machine) does not hold
// the others up: the coordinator hands the file chunks to the tasks with room in their
// queues instead of waiting on the stalled task's full one.
func TestDynamicBatchesGoAroundAStalledTask(t *testing.T) {
	const n = 40
	tr := &tracker{}
	src := &testSource{bounded: true, next: func(i int) *stream.Batch {
		if i >= n {
			return nil
		}
		return tr.batchOf(0, false, int64(i), []string{"1:0:0"})
	}}
	g := New(Config{FlushInterval: time.Hour})
	s := g.SourceStage("src", 2, []stream.Source{src})
	stalled := &stallOp{stall: true, release: make(chan struct{})}
	free := &stallOp{}
	s.Task(0).SetOperator(stalled)
	s.Task(1).SetOperator(free)
	done := make(chan error, 1)
	go func() { done <- g.Run(context.Background()) }()
	// Task 0 holds one batch and at most a full queue; task 1 gets every other one.
	want := int64(n - 1 - taskQueue)
	for deadline := time.Now().Add(10 * time.Second); free.batches.Load() < want; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			close(stalled.release)
			<-done
			t.Fatalf("task 1 got %d batches while task 0 stalled, want %d: the coordinator waited on task 0", free.batches.Load(), want)
		}
	}
	close(stalled.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := stalled.batches.Load() + free.batches.Load(); got != n {
		t.Errorf("%d batches processed, want %d", got, n)
	}
	tr.check(t)
}
