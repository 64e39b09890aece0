package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Rows of one key keep their order through a hash exchange with several producers and
// consumers, land in the task of their key group, and their strings survive the
// release of the batch they were read from; tiny buffers and one credit make producers
// wait for consumers all the time.
func TestHashExchangeKeepsPerKeyOrder(t *testing.T) {
	for _, c := range []struct{ src, keyed, rows, credits int }{
		{3, 4, 3, 1},
		{2, 5, 1, 1},
		{4, 2, 64, 2},
		{1, 3, 7, 1},
		{3, 1, 5, 1},
	} {
		t.Run(fmt.Sprintf("%dx%d/rows%d/credits%d", c.src, c.keyed, c.rows, c.credits), func(t *testing.T) {
			tr := &tracker{}
			src := splitSource(tr, 6, 40, 25, 9, 1000)
			j := newKeyedJob(Config{FlushInterval: time.Hour}, c.src, c.keyed, []stream.Source{src}, c.rows, c.credits, nil)
			if j.x.Chained() {
				t.Fatal("an exchange between several tasks is chained")
			}
			for _, s := range j.srcs {
				s.yield = true
			}
			if err := j.g.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if rows := j.check(t); rows != 6*40*25 {
				t.Errorf("%d rows, want %d", rows, 6*40*25)
			}
			for _, k := range j.keys {
				if k.ended != 1 {
					t.Errorf("task %d ended %d times", k.task.index, k.ended)
				}
			}
			tr.check(t)
		})
	}
}

// A partitioned source's split always goes to the same source task; other batches go
// to whichever task has the least work.
func TestSplitOwner(t *testing.T) {
	b := &stream.Batch{Partition: []int32{7}, Split: 7}
	if task, owned := SplitOwner(b, 3); !owned || task != 1 {
		t.Errorf("partition 7 of 3 tasks: task %d, owned %v", task, owned)
	}
	if _, owned := SplitOwner(&stream.Batch{Split: 7}, 3); owned {
		t.Error("a file chunk is owned by a task")
	}
}

// The watermark of a keyed task is the minimum of its inputs': with splits whose
// times are far apart and are read in turn, a maximum (or any single input's) would
// overtake rows of the slow splits, which the keyed operator checks for every row.
func TestWatermarkIsMinimumOverInputs(t *testing.T) {
	for _, disable := range []bool{false, true} {
		for _, c := range []struct{ src, keyed int }{{3, 2}, {1, 1}, {2, 1}} {
			t.Run(fmt.Sprintf("%dx%d/unchained=%v", c.src, c.keyed, disable), func(t *testing.T) {
				tr := &tracker{}
				src := splitSource(tr, 5, 30, 20, 4, 1_000_000)
				log := &eventLog{}
				j := newKeyedJob(Config{FlushInterval: time.Hour, DisableChaining: disable}, c.src, c.keyed, []stream.Source{src}, 4, 1, log)
				for _, s := range j.srcs {
					s.reportWM = true
					s.yield = true
				}
				if err := j.g.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				j.check(t)
				for _, k := range j.keys {
					n := len(k.watermark)
					if n == 0 || k.watermark[n-1] != EndOfTime {
						t.Errorf("task %d: watermarks %v do not end with EndOfTime", k.task.index, k.watermark)
						continue
					}
				}
				// Every task saw EndOfTime before its end.
				for _, e := range log.events {
					if strings.HasSuffix(e, " end") {
						task := strings.TrimSuffix(e, " end")
						if !slices.Contains(log.events, task+" watermark "+fmt.Sprint(int64(EndOfTime))) {
							t.Errorf("%s ended without the final watermark", task)
						}
					}
				}
				tr.check(t)
			})
		}
	}
}

// No row that a producer emitted after a barrier is processed before the barrier came
// on every input, and none from before it after: each row carries its producer's
// barrier count, which must equal the consumer's. Barriers follow every batch;
// operators yield at random and buffers are tiny.
func TestBarriersAlign(t *testing.T) {
	for _, disable := range []bool{false, true} {
		for _, c := range []struct{ src, keyed int }{{3, 2}, {2, 3}, {1, 1}, {4, 1}} {
			t.Run(fmt.Sprintf("%dx%d/unchained=%v", c.src, c.keyed, disable), func(t *testing.T) {
				tr := &tracker{}
				src := splitSource(tr, 7, 20, 9, 3, 100)
				var completed []int64
				var lastPositions []Position
				cfg := Config{FlushInterval: 0, DisableChaining: disable, OnCheckpoint: func(id int64, pos []Position) error {
					completed = append(completed, id)
					lastPositions = pos
					return nil
				}}
				j := newKeyedJob(cfg, c.src, c.keyed, []stream.Source{src}, 2, 1, nil)
				rng := rand.New(rand.NewPCG(1, uint64(c.src*10+c.keyed)))
				var mu sync.Mutex
				for _, k := range j.keys {
					k.yield = true
					k.onRows = func() error {
						mu.Lock()
						n := rng.IntN(3)
						mu.Unlock()
						for range n {
							time.Sleep(0) // yields, like Gosched, at random points
						}
						return nil
					}
				}
				for _, s := range j.srcs {
					s.yield = true
				}
				if err := j.g.Run(context.Background()); err != nil {
					t.Fatal(err)
				}
				j.check(t)
				// 140 batches, a barrier after each, and the final one.
				if len(completed) != 141 {
					t.Fatalf("%d barriers completed, want 141", len(completed))
				}
				for i, id := range completed {
					if id != int64(i+1) {
						t.Fatalf("barriers completed in order %v", completed)
					}
				}
				for _, k := range j.keys {
					if k.epoch != 141 {
						t.Errorf("task %d saw %d barriers", k.task.index, k.epoch)
					}
				}
				// The final barrier's positions: each split's next offset (20 batches of 9).
				want := []Position{}
				for s := range 7 {
					want = append(want, Position{Source: 0, Position: stream.Position{Split: int32(s), Name: "test", Partition: int32(s), Offset: 20 * 9}})
				}
				if !slices.Equal(lastPositions, want) {
					t.Errorf("final positions %v, want %v", lastPositions, want)
				}
				tr.check(t)
			})
		}
	}
}

// The end (after the final watermark and barrier) reaches every task of a graph with
// chained and unchained stages; hooks of a chained task run after its producer's.
func TestEndReachesEveryTask(t *testing.T) {
	for _, disable := range []bool{false, true} {
		t.Run(fmt.Sprintf("unchained=%v", disable), func(t *testing.T) {
			tr := &tracker{}
			src := splitSource(tr, 2, 3, 4, 2, 10)
			log := &eventLog{}
			var checkpoints []int64
			g := New(Config{FlushInterval: time.Hour, DisableChaining: disable, OnCheckpoint: func(id int64, _ []Position) error {
				checkpoints = append(checkpoints, id)
				return nil
			}})
			s0 := g.SourceStage("src", 1, []stream.Source{src})
			a := g.Stage("a", 1) // chained to src
			b := g.Stage("b", 2) // fed by a
			c := g.Stage("c", 3) // fed by src
			xa := Connect[kvRow](s0, a)
			xb := Connect[kvRow](a, b)
			xc := Connect[kvRow](s0, c)
			if xa.Chained() == disable || xb.Chained() || xc.Chained() {
				t.Fatalf("chained: a %v, b %v, c %v", xa.Chained(), xb.Chained(), xc.Chained())
			}
			opsB := []*keyOp{newKeyOp(b.Task(0), log), newKeyOp(b.Task(1), log)}
			for i, op := range opsB {
				b.Task(i).SetOperator(op)
				xb.OnRows(i, op.onRowsFunc)
			}
			var opsC []*keyOp
			for i := range 3 {
				op := newKeyOp(c.Task(i), log)
				c.Task(i).SetOperator(op)
				xc.OnRows(i, op.onRowsFunc)
				opsC = append(opsC, op)
			}
			// a forwards every row to b.
			opA := &forwardOp{keyOp: newKeyOp(a.Task(0), log), out: xb.Output(0)}
			a.Task(0).SetOperator(opA)
			if !xa.Chained() {
				xa.OnRows(0, opA.onRowsFunc)
			}
			// src sends every row to a and to c.
			opS := &srcOp{task: s0.Task(0), log: log}
			if xa.Chained() {
				opS.chained = opA
			} else {
				opS.out = xa.Output(0)
			}
			s0.Task(0).SetOperator(&teeOp{srcOp: opS, out: xc.Output(0)})
			if err := g.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, op := range append(append([]*keyOp{opA.keyOp}, opsB...), opsC...) {
				for _, p := range op.problems {
					t.Error(p)
				}
				if op.ended != 1 {
					t.Errorf("%s[%d] ended %d times", op.task.stage.name, op.task.index, op.ended)
				}
			}
			var rowsB, rowsC int64
			for _, op := range opsB {
				rowsB += op.rows
			}
			for _, op := range opsC {
				rowsC += op.rows
			}
			if opA.rows != 24 || rowsB != 24 || rowsC != 24 {
				t.Errorf("rows: a %d, b %d, c %d; want 24 each", opA.rows, rowsB, rowsC)
			}
			if !slices.Equal(checkpoints, []int64{1}) {
				t.Errorf("checkpoints %v, want the final one", checkpoints)
			}
			// src's hooks come before a's (chained or not, a's input is src's output).
			order := func(what string) []string {
				var got []string
				for _, e := range log.events {
					if strings.Contains(e, what) && (strings.HasPrefix(e, "src") || strings.HasPrefix(e, "a[")) {
						got = append(got, strings.Fields(e)[0])
					}
				}
				return got
			}
			for _, what := range []string{"barrier", "end"} {
				if got := order(what); !slices.Equal(got, []string{"src[0]", "a[0]"}) {
					t.Errorf("%s order %v", what, got)
				}
			}
			tr.check(t)
		})
	}
}

// forwardOp is a keyed operator that passes its rows on to another exchange.
type forwardOp struct {
	*keyOp
	out *Output[kvRow]
}

func (o *forwardOp) onRowsFunc(rows []kvRow) error {
	if err := o.keyOp.onRowsFunc(rows); err != nil {
		return err
	}
	for _, r := range rows {
		task := int(r.key) % o.out.Tasks()
		w := o.out.Row(task)
		*w = r
		w.name = o.out.String(task, r.name)
	}
	return nil
}

// In a chained a, the rows come by direct call: forward them too.
func (o *forwardOp) add(r kvRow) error { return o.onRowsFunc([]kvRow{r}) }

// teeOp is a source operator that also sends every row to a second exchange.
type teeOp struct {
	*srcOp
	out *Output[kvRow]
}

func (o *teeOp) OnBatch(source int, b *stream.Batch) error {
	for _, rec := range b.Records {
		key, seq, ts := parseRecord(rec)
		task := int(key) % o.out.Tasks()
		r := o.out.Row(task)
		r.key, r.seq, r.ts = key, seq, ts
		r.name = o.out.String(task, unsafeView(rec))
	}
	return o.srcOp.OnBatch(source, b)
}

// Errors of an operator, a panic, a source's error and a checkpoint callback's error
// stop the job: Run returns that error, every batch is released and no goroutine is
// left (TestMain checks).
func TestErrorsStopEverything(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name  string
		setup func(j *keyedJob, src *testSource)
		want  string
	}{
		{"keyed operator", func(j *keyedJob, _ *testSource) {
			var n atomic.Int64
			j.keys[1].onRows = func() error {
				if n.Add(1) == 5 {
					return boom
				}
				return nil
			}
		}, "boom"},
		{"source operator", func(j *keyedJob, _ *testSource) {
			var n atomic.Int64
			for _, s := range j.srcs {
				s.onBatch = func(*stream.Batch) error {
					if n.Add(1) == 9 {
						return boom
					}
					return nil
				}
			}
		}, "boom"},
		{"panic in a keyed task", func(j *keyedJob, _ *testSource) {
			var n atomic.Int64
			j.keys[0].onRows = func() error {
				if n.Add(1) == 3 {
					var m map[string]int
					m["x"] = 1
				}
				return nil
			}
		}, "internal error: panic: assignment to entry in nil map"},
		{"panic in a source task", func(j *keyedJob, _ *testSource) {
			j.srcs[0].onBatch = func(*stream.Batch) error { panic("bad batch") }
		}, "internal error: panic: bad batch"},
		{"source", func(_ *keyedJob, src *testSource) { src.fail = boom }, "boom"},
		{"panic in the checkpoint callback", func(j *keyedJob, _ *testSource) {
			j.g.cfg.OnCheckpoint = func(id int64, _ []Position) error {
				if id == 3 {
					panic("commit")
				}
				return nil
			}
		}, "internal error: panic: commit"},
		{"checkpoint callback", func(j *keyedJob, _ *testSource) {
			j.g.cfg.OnCheckpoint = func(id int64, _ []Position) error {
				if id == 4 {
					return boom
				}
				return nil
			}
		}, "boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			tr := &tracker{}
			src := &testSource{}
			src.next = func(i int) *stream.Batch {
				if i >= 200 && src.fail != nil {
					return nil // then Run fails
				}
				return tr.batchOf(int32(i%4), true, int64(i), []string{fmt.Sprintf("%d:0:%d", i, i), fmt.Sprintf("%d:0:%d", i+1000000, i)})
			}
			j := newKeyedJob(Config{FlushInterval: 0}, 2, 3, []stream.Source{src}, 1, 1, nil)
			c.setup(j, src)
			err := j.g.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run: %v, want %q", err, c.want)
			}
			if strings.Contains(c.want, "panic") && !strings.Contains(err.Error(), "goroutine") {
				t.Errorf("a panic's error has no stack: %v", err)
			}
			tr.check(t)
		})
	}
}

// A batch that failed never completes a barrier: no completed barrier has a position
// at or past it.
func TestFailedBatchCompletesNoBarrier(t *testing.T) {
	tr := &tracker{}
	src := &testSource{bounded: true, next: func(i int) *stream.Batch {
		if i >= 50 {
			return nil
		}
		return tr.batchOf(0, true, int64(i*10), []string{"1:0:0"})
	}}
	var maxCompleted int64
	cfg := Config{FlushInterval: 0, OnCheckpoint: func(id int64, pos []Position) error {
		for _, p := range pos {
			maxCompleted = max(maxCompleted, p.Offset)
		}
		return nil
	}}
	j := newKeyedJob(cfg, 1, 1, []stream.Source{src}, 1, 1, nil)
	j.srcs[0].onBatch = func(b *stream.Batch) error {
		if b.Offset[0] == 200 {
			return errors.New("bad record")
		}
		return nil
	}
	if err := j.g.Run(context.Background()); err == nil || err.Error() != "bad record" {
		t.Fatalf("Run: %v", err)
	}
	if maxCompleted > 200 {
		t.Errorf("a barrier after the failed batch completed: position %d", maxCompleted)
	}
	if maxCompleted == 0 {
		t.Error("no barrier before the failed batch completed")
	}
	tr.check(t)
}

// Cancelling the job stops the sources, flushes (a final barrier after everything the
// tasks were given) and ends every task without the final watermark; Run returns nil.
func TestCancellationFlushesAndReturnsNil(t *testing.T) {
	for _, tasks := range []int{1, 3} {
		t.Run(fmt.Sprint(tasks), func(t *testing.T) {
			defer goleak.VerifyNone(t)
			tr := &tracker{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var i atomic.Int64
			src := &testSource{next: func(int) *stream.Batch {
				n := i.Add(1) - 1
				return tr.batchOf(int32(n%5), true, n, []string{fmt.Sprintf("%d:%d:%d", n%5, n/5, n)})
			}}
			var checkpoints []int64
			stopped := 0
			cfg := Config{FlushInterval: time.Hour, OnStop: func() { stopped++ }, OnCheckpoint: func(id int64, _ []Position) error {
				checkpoints = append(checkpoints, id)
				return nil
			}}
			j := newKeyedJob(cfg, tasks, tasks, []stream.Source{src}, 8, 2, nil)
			var seen atomic.Int64
			for _, k := range j.keys {
				k.onRows = func() error {
					if seen.Add(1) == 20 {
						cancel()
					}
					return nil
				}
			}
			if j.x.Chained() {
				j.srcs[0].onBatch = func(*stream.Batch) error {
					if seen.Add(1) == 20 {
						cancel()
					}
					return nil
				}
			}
			if err := j.g.Run(ctx); err != nil {
				t.Fatal(err)
			}
			rows := j.check(t) // every row a source task emitted reached its keyed task
			if rows < 20 {
				t.Errorf("%d rows", rows)
			}
			if stopped != 1 {
				t.Errorf("OnStop called %d times", stopped)
			}
			if !slices.Equal(checkpoints, []int64{1}) {
				t.Errorf("checkpoints %v, want the final one", checkpoints)
			}
			for _, k := range j.keys {
				if k.ended != 1 || k.epoch != 1 {
					t.Errorf("task %d: ended %d, barriers %d", k.task.index, k.ended, k.epoch)
				}
				if slices.Contains(k.watermark, EndOfTime) {
					t.Errorf("task %d: a cancelled job emitted the final watermark", k.task.index)
				}
			}
			tr.check(t)
		})
	}
}

// A job cancelled before it starts does nothing.
func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr := &tracker{}
	j := newKeyedJob(Config{}, 2, 2, []stream.Source{splitSource(tr, 1, 1, 1, 1, 1)}, 1, 1, nil)
	if err := j.g.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if tr.made.Load() != 0 {
		t.Error("a source ran")
	}
}

func TestGraphChecks(t *testing.T) {
	g := New(Config{})
	if err := g.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "no source") {
		t.Errorf("no source: %v", err)
	}
	g = New(Config{})
	s := g.SourceStage("src", 1, []stream.Source{&testSource{bounded: true, next: func(int) *stream.Batch { return nil }}})
	k := g.Stage("agg", 2)
	x := Connect[kvRow](s, k)
	s.Task(0).SetOperator(&srcOp{})
	k.Task(0).SetOperator(&keyOp{})
	k.Task(1).SetOperator(&keyOp{})
	x.OnRows(0, func([]kvRow) error { return nil })
	if err := g.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "task 1 has no callback") {
		t.Errorf("missing callback: %v", err)
	}
	g = New(Config{MaxParallelism: 2})
	g.SourceStage("src", 3, []stream.Source{&testSource{}})
	if err := g.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "pipeline.max-parallelism") {
		t.Errorf("max parallelism: %v", err)
	}
}
