package exec

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// tracker counts the batches the test sources made and released; a released batch's
// bytes are overwritten, so a row that still points into them shows it.
type tracker struct {
	made, released atomic.Int64
}

func (tr *tracker) check(t *testing.T) {
	t.Helper()
	if m, r := tr.made.Load(), tr.released.Load(); m != r {
		t.Errorf("%d batches made, %d released", m, r)
	}
}

// batchOf makes a batch of records "key:seq:ts"; partitioned batches (Kafka's kind)
// carry offsets from offset on.
func (tr *tracker) batchOf(split int32, partitioned bool, offset int64, recs []string) *stream.Batch {
	tr.made.Add(1)
	b := &stream.Batch{Origin: "test", Split: split, End: offset + int64(len(recs))}
	for i, r := range recs {
		b.Records = append(b.Records, []byte(r))
		if partitioned {
			b.Partition = append(b.Partition, split)
			b.Offset = append(b.Offset, offset+int64(i))
		}
	}
	var once sync.Once
	b.SetRelease(func(b *stream.Batch) {
		once.Do(func() { tr.released.Add(1) })
		for _, r := range b.Records {
			for i := range r {
				r[i] = 'X'
			}
		}
	})
	return b
}

// testSource sends the batches next makes until it returns nil; then it fails with
// fail, ends (bounded) or waits for cancellation.
type testSource struct {
	next    func(i int) *stream.Batch
	bounded bool
	fail    error
	sent    atomic.Int64
}

func (s *testSource) Bounded() bool { return s.bounded }

func (s *testSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	for i := 0; ; i++ {
		b := s.next(i)
		if b == nil {
			break
		}
		select {
		case out <- b:
			s.sent.Add(1)
		case <-ctx.Done():
			b.Release()
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
	return nil
}

// splitSource is a bounded source of `splits` partitions, each with `batches` batches
// of `rows` records; the keys of split s are s, s+splits, ... (keysPerSplit of them);
// a key's seq counts up from 0 and ts = split*tsSpread + seq.
func splitSource(tr *tracker, splits, batches, rows, keysPerSplit int, tsSpread int64) *testSource {
	seqs := make(map[int]int)
	return &testSource{bounded: true, next: func(i int) *stream.Batch {
		if i >= splits*batches {
			return nil
		}
		split := i % splits
		recs := make([]string, rows)
		for r := range recs {
			key := split + splits*((i/splits*rows+r)%keysPerSplit)
			seq := seqs[key]
			seqs[key]++
			recs[r] = fmt.Sprintf("%d:%d:%d", key, seq, int64(split)*tsSpread+int64(i/splits*rows+r))
		}
		return tr.batchOf(int32(split), true, int64(i/splits*rows), recs)
	}}
}

func parseRecord(rec []byte) (key, seq, ts int64) {
	var f [3]int64
	n := 0
	for _, c := range rec {
		if c == ':' {
			n++
			continue
		}
		f[n] = f[n]*10 + int64(c-'0')
	}
	return f[0], f[1], f[2]
}

type kvRow struct {
	key, seq, ts int64
	epoch        int64  // barriers its producer had seen when it emitted the row
	name         string // the record's text, copied into the exchange's arena
}

// srcOp reads records "key:seq:ts" and sends them by key to a keyed stage (through
// out, or by a direct call when the exchange is chained).
type srcOp struct {
	task     *Task
	out      *Output[kvRow]
	chained  interface{ add(kvRow) error }
	epoch    int64
	rows     int64
	reportWM bool // report ts as the watermark
	yield    bool // call Gosched now and then
	onBatch  func(b *stream.Batch) error
	keyBuf   []byte
	log      *eventLog
}

func (o *srcOp) OnBatch(source int, b *stream.Batch) error {
	if o.onBatch != nil {
		if err := o.onBatch(b); err != nil {
			return err
		}
	}
	for _, rec := range b.Records {
		key, seq, ts := parseRecord(rec)
		if o.reportWM {
			o.task.ReportWatermark(ts)
		}
		o.rows++
		if o.yield && seq%7 == 0 {
			runtime.Gosched()
		}
		name := string(rec) // not kept: copied into the arena below
		if o.chained != nil {
			if err := o.chained.add(kvRow{key: key, seq: seq, ts: ts, epoch: o.epoch, name: name}); err != nil {
				return err
			}
			continue
		}
		o.keyBuf = keygroup.AppendInt64(o.keyBuf[:0], key)
		task := o.out.KeyTask(o.keyBuf)
		r := o.out.Row(task)
		r.key, r.seq, r.ts, r.epoch = key, seq, ts, o.epoch
		r.name = o.out.String(task, unsafeView(rec))
	}
	return nil
}

func (o *srcOp) OnWatermark(t int64) error { o.log.add(o.task, "watermark", t); return nil }
func (o *srcOp) OnBarrier(id int64) error {
	o.epoch++
	o.log.add(o.task, "barrier", id)
	return nil
}
func (o *srcOp) OnEnd() error { o.log.add(o.task, "end", 0); return nil }

// keyOp checks what a keyed task receives: per key, seq counts up by one; every row
// is of this task's key groups, of the current barrier epoch and not behind the
// watermark; the row's name survived the batch's release.
type keyOp struct {
	task        *Task
	epoch       int64
	lastSeq     map[int64]int64
	rows        int64
	watermark   []int64
	onWatermark func(int64)
	ended       int
	problems    []string
	onRows      func() error
	yield       bool
	log         *eventLog
	keyGroups   int
}

func newKeyOp(t *Task, log *eventLog) *keyOp {
	return &keyOp{task: t, lastSeq: map[int64]int64{}, log: log}
}

func (o *keyOp) problem(format string, args ...any) {
	if len(o.problems) < 10 {
		o.problems = append(o.problems, fmt.Sprintf("%s[%d]: ", o.task.stage.name, o.task.index)+fmt.Sprintf(format, args...))
	}
}

func (o *keyOp) add(r kvRow) error {
	o.rows++
	if last, ok := o.lastSeq[r.key]; ok && r.seq != last+1 || !ok && r.seq != 0 {
		o.problem("key %d: seq %d after %d", r.key, r.seq, last)
	}
	o.lastSeq[r.key] = r.seq
	if want := fmt.Sprintf("%d:%d:%d", r.key, r.seq, r.ts); r.name != want {
		o.problem("row name %q, want %q", r.name, want)
	}
	if r.epoch != o.epoch {
		o.problem("row of barrier epoch %d processed in epoch %d", r.epoch, o.epoch)
	}
	if r.ts < o.task.Watermark() {
		o.problem("row ts %d behind the watermark %d", r.ts, o.task.Watermark())
	}
	if o.keyGroups > 0 {
		k := keygroup.AppendInt64(nil, r.key)
		if got := keygroup.Task(keygroup.Of(k, o.keyGroups), o.task.stage.Tasks()); got != o.task.index {
			o.problem("key %d belongs to task %d", r.key, got)
		}
	}
	return nil
}

func (o *keyOp) onRowsFunc(rows []kvRow) error {
	if o.onRows != nil {
		if err := o.onRows(); err != nil {
			return err
		}
	}
	for i, r := range rows {
		if o.yield && i%5 == 0 {
			runtime.Gosched()
		}
		if err := o.add(r); err != nil {
			return err
		}
	}
	return nil
}

func (o *keyOp) OnWatermark(t int64) error {
	if n := len(o.watermark); n > 0 && t <= o.watermark[n-1] {
		o.problem("watermark %d after %d", t, o.watermark[n-1])
	}
	if o.ended > 0 {
		o.problem("watermark after the end")
	}
	o.watermark = append(o.watermark, t)
	o.log.add(o.task, "watermark", t)
	if o.onWatermark != nil {
		o.onWatermark(t)
	}
	return nil
}

func (o *keyOp) OnBarrier(id int64) error {
	o.epoch++
	if id != o.epoch {
		o.problem("barrier %d as the %d-th", id, o.epoch)
	}
	o.log.add(o.task, "barrier", id)
	return nil
}

func (o *keyOp) OnEnd() error {
	o.ended++
	o.log.add(o.task, "end", 0)
	return nil
}

// eventLog records the hooks' calls of every task, for tests of their order.
type eventLog struct {
	mu     sync.Mutex
	events []string
}

func (l *eventLog) add(t *Task, what string, v int64) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	s := fmt.Sprintf("%s[%d] %s", t.stage.name, t.index, what)
	if what != "end" {
		s += " " + strconv.FormatInt(v, 10)
	}
	l.events = append(l.events, s)
}

// keyedJob is a source stage feeding a keyed stage through one exchange.
type keyedJob struct {
	g    *Graph
	x    *Exchange[kvRow]
	srcs []*srcOp
	keys []*keyOp
}

func newKeyedJob(cfg Config, srcTasks, keyTasks int, sources []stream.Source, bufRows, credits int, log *eventLog) *keyedJob {
	g := New(cfg)
	src := g.SourceStage("src", srcTasks, sources)
	agg := g.Stage("agg", keyTasks)
	j := &keyedJob{g: g, x: Connect[kvRow](src, agg).WithBuffers(bufRows, credits)}
	for i := range keyTasks {
		op := newKeyOp(agg.Task(i), log)
		op.keyGroups = g.MaxParallelism()
		agg.Task(i).SetOperator(op)
		j.keys = append(j.keys, op)
		if !j.x.Chained() {
			j.x.OnRows(i, op.onRowsFunc)
		}
	}
	for i := range srcTasks {
		op := &srcOp{task: src.Task(i), log: log}
		if j.x.Chained() {
			op.chained = j.keys[0]
		} else {
			op.out = j.x.Output(i)
		}
		src.Task(i).SetOperator(op)
		j.srcs = append(j.srcs, op)
	}
	return j
}

func (j *keyedJob) check(t *testing.T) (rows int64) {
	t.Helper()
	for _, k := range j.keys {
		for _, p := range k.problems {
			t.Error(p)
		}
		rows += k.rows
	}
	var sent int64
	for _, s := range j.srcs {
		sent += s.rows
	}
	if rows != sent {
		t.Errorf("sources emitted %d rows, keyed tasks received %d", sent, rows)
	}
	return rows
}

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.UnixMilli(1_000_000)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) At(at time.Time, f func()) func() bool {
	c.mu.Lock()
	if !at.After(c.now) {
		c.mu.Unlock()
		f()
		return func() bool { return false }
	}
	defer c.mu.Unlock()
	t := &fakeTimer{at: at, f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// Advance moves the clock and runs the functions of the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	kept := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case !t.at.After(c.now):
			t.stopped = true
			due = append(due, t.f)
		default:
			kept = append(kept, t)
		}
	}
	c.timers = kept
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}
