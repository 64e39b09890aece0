package exec

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// resumableSource is a partitioned source of `splits` partitions of `batches`
// batches of `rows` records "key:seq:0" each (record i of a partition has offset i and
// key partition*1000 + i%keys); it resumes at checkpointed offsets. Unless bounded it
// waits for cancellation after its last batch.
type resumableSource struct {
	tr                            *tracker
	splits, batches, rows, keys   int
	bounded                       bool
	from                          map[int32]int64 // Resume: partition -> offset
	mu                            sync.Mutex
	started                       bool
	onBatch                       func(i int)
	table                         string
	resumeCalls, batchesDelivered int
}

func (s *resumableSource) Bounded() bool { return s.bounded }
func (s *resumableSource) Table() string { return s.table }

func (s *resumableSource) Resume(ps []stream.Position) error {
	s.from = map[int32]int64{}
	for _, p := range ps {
		s.from[p.Partition] = p.Offset
	}
	s.resumeCalls++
	return nil
}

func (s *resumableSource) Starts() []stream.Position {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stream.Position
	for p := range s.splits {
		out = append(out, stream.Position{Split: int32(p), Name: s.table, Partition: int32(p), Offset: s.from[int32(p)]})
	}
	return out
}

func (s *resumableSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	perSplit := int64(s.batches * s.rows)
	next := make([]int64, s.splits)
	for p := range next {
		next[p] = s.from[int32(p)]
	}
	for i := 0; ; i++ {
		p := i % s.splits
		if next[p] >= perSplit {
			if slices.IndexFunc(next, func(o int64) bool { return o < perSplit }) < 0 {
				break
			}
			continue
		}
		recs := make([]string, s.rows)
		for r := range recs {
			o := next[p] + int64(r)
			recs[r] = fmt.Sprintf("%d:%d:0", p*1000+int(o)%s.keys, o/int64(s.keys))
		}
		b := s.tr.batchOf(int32(p), true, next[p], recs)
		b.Origin = s.table
		next[p] += int64(s.rows)
		select {
		case out <- b:
			s.batchesDelivered++
			if s.onBatch != nil {
				s.onBatch(s.batchesDelivered)
			}
		case <-ctx.Done():
			b.Release()
			return ctx.Err()
		}
	}
	if !s.bounded {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// countOp counts the rows of each key a keyed task owns. Its snapshot lists
// (key, count); Restore adds the keys of a snapshot whose key group the task owns now
// and skips the others (the restore contract of generated operators).
type countOp struct {
	task   *Task
	counts map[int64]int64
}

func (o *countOp) add(r kvRow) error       { o.counts[r.key]++; return nil }
func (o *countOp) OnWatermark(int64) error { return nil }
func (o *countOp) OnBarrier(int64) error   { return nil }
func (o *countOp) OnEnd() error            { return nil }
func (o *countOp) onRows(rows []kvRow) error {
	for _, r := range rows {
		o.add(r)
	}
	return nil
}

func (o *countOp) Snapshot(w *codec.Writer) error {
	keys := slices.Sorted(maps.Keys(o.counts))
	w.Uint64(uint64(len(keys)))
	for _, k := range keys {
		w.Int64(k)
		w.Int64(o.counts[k])
	}
	return nil
}

func (o *countOp) Restore(r *codec.Reader) error {
	k := o.task.Stage().g.MaxParallelism()
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		key, c := r.Int64(), r.Int64()
		if keygroup.Task(keygroup.Of(keygroup.AppendInt64(nil, key), k), o.task.Stage().Tasks()) == o.task.Index() {
			o.counts[key] += c
		}
	}
	return r.Done()
}

// countJob builds a source stage of srcTasks over src feeding a keyed countOp stage of
// keyTasks.
func countJob(cfg Config, srcTasks, keyTasks int, src stream.Source) (*Graph, []*countOp) {
	g := New(cfg)
	s0 := g.SourceStage("src", srcTasks, []stream.Source{src})
	s1 := g.Stage("count", keyTasks)
	s1.SetUID("count-uid")
	x := Connect[kvRow](s0, s1)
	var ops []*countOp
	for i := range keyTasks {
		op := &countOp{task: s1.Task(i), counts: map[int64]int64{}}
		s1.Task(i).SetOperator(op)
		ops = append(ops, op)
		if !x.Chained() {
			x.OnRows(i, op.onRows)
		}
	}
	for i := range srcTasks {
		op := &srcOp{task: s0.Task(i)}
		if x.Chained() {
			op.chained = ops[0]
		} else {
			op.out = x.Output(i)
		}
		s0.Task(i).SetOperator(op)
	}
	return g, ops
}

func restoreOf(cp *Checkpoint) *Restore {
	r := &Restore{ID: cp.ID, Stages: map[string]StageSnapshot{}, Sources: map[string][]stream.Position{}}
	for _, st := range cp.Stages {
		if st.Blobs != nil {
			r.Stages[st.UID] = st
		}
	}
	for _, s := range cp.Sources {
		r.Sources[s.Table] = s.Positions
	}
	return r
}

// A job stopped after some checkpoints and restored from one of them (at the same or
// another parallelism, chained or not) ends with exactly the counts of one run over the
// whole input: the state at the checkpoint plus the records after its positions.
func TestCheckpointRestoreExact(t *testing.T) {
	const splits, batches, rows, keys = 3, 40, 7, 5
	want := map[int64]int64{}
	for p := range splits {
		for o := range batches * rows {
			want[int64(p*1000+o%keys)]++
		}
	}
	for _, c := range []struct{ par1, par2 int }{{2, 2}, {2, 3}, {3, 1}, {1, 2}, {1, 1}} {
		t.Run(fmt.Sprintf("%d->%d", c.par1, c.par2), func(t *testing.T) {
			tr := &tracker{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cps []*Checkpoint
			src := &resumableSource{tr: tr, table: "t", splits: splits, batches: batches, rows: rows, keys: keys}
			gate := make(chan struct{})
			src.onBatch = func(i int) {
				if i == splits*batches/2 {
					<-gate // half the input, then wait for a checkpoint
				}
			}
			var once sync.Once
			cfg := Config{FlushInterval: time.Millisecond, CheckpointInterval: time.Millisecond, OnCheckpointComplete: func(cp *Checkpoint) error {
				cps = append(cps, cp)
				if len(cps) == 3 {
					once.Do(func() { close(gate) })
				}
				if len(cps) == 6 {
					cancel()
				}
				return nil
			}}
			g, _ := countJob(cfg, c.par1, c.par1, src)
			if err := g.Run(ctx); err != nil {
				t.Fatal(err)
			}
			tr.check(t)
			last := cps[len(cps)-1]
			if !last.Final || !last.Stopped {
				t.Errorf("the last checkpoint of a cancelled job is not a final savepoint: %+v", last)
			}
			for i, cp := range cps {
				if cp.ID != int64(i+1) {
					t.Errorf("checkpoint %d has id %d", i, cp.ID)
				}
			}
			// Restore each of an early, a middle and the final checkpoint.
			for _, cp := range []*Checkpoint{cps[1], cps[3], last} {
				src2 := &resumableSource{tr: tr, table: "t", splits: splits, batches: batches, rows: rows, keys: keys, bounded: true}
				g2, ops := countJob(Config{FlushInterval: time.Millisecond, Restore: restoreOf(cp), FirstCheckpointID: cp.ID + 1}, c.par2, c.par2, src2)
				if err := g2.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := map[int64]int64{}
				for _, op := range ops {
					for k, n := range op.counts {
						got[k] += n
					}
				}
				if !maps.Equal(got, want) {
					t.Errorf("restored from checkpoint %d (positions %v): counts %v, want %v", cp.ID, cp.Sources, got, want)
				}
				if src2.resumeCalls != 1 {
					t.Errorf("Resume called %d times", src2.resumeCalls)
				}
				tr.check(t)
			}
		})
	}
}

// With checkpoints on, the barriers between two checkpoints flush but commit nothing:
// a source's positions are committed only once a checkpoint holding them completed.
func TestCommitOnlyCheckpoints(t *testing.T) {
	tr := &tracker{}
	src := &committingSource{testSource: &testSource{bounded: true, next: func(i int) *stream.Batch {
		if i == 10 {
			return nil
		}
		return tr.batchOf(0, true, int64(3*i), []string{"a:0:0", "a:1:0", "a:2:0"})
	}}}
	var checkpoints, barriers int
	g := New(Config{FlushInterval: 0, CheckpointInterval: time.Hour,
		OnCheckpoint:         func(int64, []Position) error { barriers++; return nil },
		OnCheckpointComplete: func(*Checkpoint) error { checkpoints++; return nil }})
	g.SourceStage("src", 1, []stream.Source{src}).Task(0).SetOperator(&failAt{})
	if err := g.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if barriers != 11 || checkpoints != 1 {
		t.Errorf("%d barriers, %d checkpoints; want 11 (one per batch and the final one) and 1 (the final one)", barriers, checkpoints)
	}
	if len(src.commits) != 1 || len(src.commits[0]) != 1 || src.commits[0][0].Offset != 30 {
		t.Errorf("commits %v, want one at the final checkpoint, of offset 30", src.commits)
	}
	tr.check(t)
}

// A checkpoint that cannot be made durable fails the job, and nothing is committed.
func TestCheckpointFailureFailsJob(t *testing.T) {
	tr := &tracker{}
	src := &committingSource{testSource: &testSource{bounded: true, next: func(i int) *stream.Batch {
		if i == 3 {
			return nil
		}
		return tr.batchOf(0, true, int64(i), []string{"a:0:0"})
	}}}
	boom := errors.New("disk full")
	g := New(Config{FlushInterval: 0, CheckpointInterval: time.Hour, OnCheckpointComplete: func(*Checkpoint) error { return boom }})
	g.SourceStage("src", 1, []stream.Source{src}).Task(0).SetOperator(&failAt{})
	if err := g.Run(context.Background()); !errors.Is(err, boom) {
		t.Errorf("Run = %v, want the checkpoint's error", err)
	}
	if len(src.commits) != 0 {
		t.Errorf("committed %v after a failed checkpoint", src.commits)
	}
	tr.check(t)
}

// State no stage claims is an error, as is a stateful stage whose operator cannot
// restore.
func TestRestoreUnclaimed(t *testing.T) {
	tr := &tracker{}
	src := &resumableSource{tr: tr, table: "t", splits: 1, batches: 1, rows: 1, keys: 1, bounded: true}
	g, _ := countJob(Config{Restore: &Restore{Stages: map[string]StageSnapshot{"gone": {UID: "gone", Blobs: [][]byte{nil}}}}}, 1, 1, src)
	if err := g.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("Run = %v, want an error naming the unclaimed uid", err)
	}
}

// A checkpoint is written in the background: while OnCheckpointComplete runs, barriers
// go on completing (the job reads and processes); the next checkpoint waits for it,
// checkpoints are written one at a time and in order, and Run returns after the last.
func TestCheckpointWrittenInBackground(t *testing.T) {
	tr := &tracker{}
	src := &resumableSource{tr: tr, table: "t", splits: 2, batches: 200, rows: 5, keys: 3, bounded: true}
	var mu sync.Mutex
	writing, written, lastFinal := false, []int64{}, false
	progressed := make(chan struct{})
	var once sync.Once
	cfg := Config{FlushInterval: time.Millisecond, CheckpointInterval: time.Millisecond,
		OnCheckpoint: func(int64, []Position) error {
			mu.Lock()
			defer mu.Unlock()
			if writing {
				once.Do(func() { close(progressed) })
			}
			return nil
		},
		OnCheckpointComplete: func(cp *Checkpoint) error {
			mu.Lock()
			if writing {
				mu.Unlock()
				return fmt.Errorf("checkpoint %d written while another is", cp.ID)
			}
			writing = true
			mu.Unlock()
			if cp.ID == 1 {
				select {
				case <-progressed:
				case <-time.After(time.Minute): // a guard: the job would be stuck
					return errors.New("no barrier completed while checkpoint 1 was written")
				}
			}
			mu.Lock()
			writing = false
			written, lastFinal = append(written, cp.ID), cp.Final
			mu.Unlock()
			return nil
		},
	}
	g, _ := countJob(cfg, 2, 2, src)
	if err := g.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, id := range written {
		if id != int64(i+1) {
			t.Fatalf("checkpoints written: %v, want 1, 2, ... in order", written)
		}
	}
	if len(written) < 2 || !lastFinal {
		t.Fatalf("checkpoints written: %v; the last one final: %v", written, lastFinal)
	}
}
