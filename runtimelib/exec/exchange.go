package exec

import (
	"fmt"
	"slices"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
)

// Default buffering of an exchange, per (producer task, consumer task) pair.
const (
	DefaultBufferRows = 1024 // rows per buffer
	DefaultCredits    = 4    // buffers: one being filled while the consumer reads the other
)

// edgeBase is what the runtime knows of an exchange without its row type.
type edgeBase struct {
	from, to     *Stage
	chained      bool
	firstChannel int // the consumer's input channel of producer task 0
}

// edge is an Exchange without its row type.
type edge interface {
	base() *edgeBase
	check() error
	// open wires the exchange for Run: producers' ports, consumers' inboxes.
	open()
}

// Exchange carries rows of type R from the tasks of one stage to the tasks of
// another: FIFO per (producer task, consumer task), in pooled buffers that the consumer
// returns after its callback (credit-based flow control: a producer with no free
// buffer for a consumer waits, so memory is bounded and a slow consumer slows its
// producers). Watermarks, barriers and the end travel in the same order as the rows.
//
// When the exchange is chained (Chained), there is no channel: the producer's code
// calls the consumer task's operator directly.
type Exchange[R any] struct {
	edgeBase
	bufferRows, credits int
	outputs             []*Output[R]           // per producer task
	consumers           []func(rows []R) error // per consumer task
}

// Connect adds an exchange of rows R from stage from to stage to.
func Connect[R any](from, to *Stage) *Exchange[R] {
	g := from.g
	if g.sealed {
		panic("exec: exchange added after the graph was sealed")
	}
	if to == g.source {
		panic("exec: the source stage has no input exchange")
	}
	x := &Exchange[R]{
		edgeBase:   edgeBase{from: from, to: to},
		bufferRows: DefaultBufferRows,
		credits:    DefaultCredits,
		consumers:  make([]func([]R) error, len(to.tasks)),
	}
	from.outputs = append(from.outputs, x)
	to.inputs = append(to.inputs, x)
	return x
}

// WithBuffers sets the rows per buffer and the buffers (credits) per pair of tasks;
// before the graph is sealed.
func (x *Exchange[R]) WithBuffers(rows, credits int) *Exchange[R] {
	if x.from.g.sealed {
		panic("exec: WithBuffers after the graph was sealed")
	}
	x.bufferRows, x.credits = max(rows, 1), max(credits, 1)
	return x
}

func (x *Exchange[R]) base() *edgeBase { return &x.edgeBase }

// Chained reports whether the exchange is chained: producer and consumer stage have
// one task each and the consumer has no input from another stage (and chaining is not disabled).
// Then the consumer task runs in the producer's goroutine, its hooks called after the
// producer's, and generated code calls its typed methods directly instead of using
// Output. Asking seals the graph.
func (x *Exchange[R]) Chained() bool {
	x.from.g.seal()
	return x.chained
}

// Output returns producer task i's end of the exchange. It panics for a chained
// exchange. Asking seals the graph.
func (x *Exchange[R]) Output(i int) *Output[R] {
	if x.Chained() {
		panic("exec: Output of a chained exchange")
	}
	if x.outputs == nil {
		x.outputs = make([]*Output[R], len(x.from.tasks))
		for p := range x.outputs {
			x.outputs[p] = newOutput(x, p)
		}
	}
	return x.outputs[i]
}

// OnRows registers consumer task i's callback for the rows of this exchange. The rows
// and the strings and bytes in them are valid until it returns.
func (x *Exchange[R]) OnRows(i int, f func(rows []R) error) { x.consumers[i] = f }

func (x *Exchange[R]) check() error {
	if x.chained {
		return nil
	}
	for i, f := range x.consumers {
		if f == nil {
			return fmt.Errorf("exec: stage %s task %d has no callback for its input from %s", x.to.name, i, x.from.name)
		}
	}
	return nil
}

func (x *Exchange[R]) open() {
	if x.chained {
		p, c := x.from.tasks[0], x.to.tasks[0]
		if !slices.Contains(p.chained, c) { // one chain link for several exchanges
			p.chained = append(p.chained, c)
		}
		return
	}
	keyGroups := x.from.g.MaxParallelism()
	for p, task := range x.from.tasks {
		o := x.Output(p)
		o.keyGroups = keyGroups
		for c := range o.targets {
			t := &o.targets[c]
			t.inbox = x.to.tasks[c].runner.in
			t.channel = int32(x.firstChannel + p)
			t.consume = x.consumers[c]
		}
		task.ports = append(task.ports, o)
	}
}

// Output is one producer task's end of an exchange: a buffer being filled per
// consumer task. Only the producer task's goroutine uses it.
//
// To emit a row: pick its consumer task (KeyTask for a keyed stage), fill the slot
// Row returns, and copy the strings and bytes that point into the batch (or anything
// else that will not outlive the call) with String and Bytes, after Row.
type Output[R any] struct {
	x         *Exchange[R]
	cur       []*rowBuffer[R] // per consumer task: the buffer being filled
	targets   []target[R]
	empty     *rowBuffer[R] // full and empty: the first Row takes a real buffer
	scratch   *rowBuffer[R] // rows written after the job failed go here
	keyGroups int
	stats     *taskStats // the producer task's counters (metrics.go)
}

type target[R any] struct {
	free    chan *rowBuffer[R] // buffers the consumer returned: the credits
	made    int
	inbox   chan message
	channel int32
	consume func([]R) error
}

func newOutput[R any](x *Exchange[R], producer int) *Output[R] {
	o := &Output[R]{x: x, empty: &rowBuffer[R]{}, stats: &x.from.tasks[producer].stats}
	o.cur = make([]*rowBuffer[R], len(x.to.tasks))
	o.targets = make([]target[R], len(x.to.tasks))
	for c := range o.targets {
		o.cur[c] = o.empty
		o.targets[c].free = make(chan *rowBuffer[R], x.credits)
	}
	return o
}

// Tasks returns the number of consumer tasks.
func (o *Output[R]) Tasks() int { return len(o.targets) }

// KeyTask returns the consumer task that owns a key, given its canonical bytes
// (keygroup.Append...): the task of the key's key group.
func (o *Output[R]) KeyTask(key []byte) int {
	return keygroup.Task(keygroup.Of(key, o.keyGroups), len(o.targets))
}

// GroupTask returns the consumer task that owns a key group (keygroup.Of of a key's
// canonical bytes, under the graph's max parallelism).
func (o *Output[R]) GroupTask(group int) int { return keygroup.Task(group, len(o.targets)) }

// Row returns the next row slot (zeroed) of consumer task's buffer. A full buffer is
// sent when the next row needs room; that may wait for a credit.
func (o *Output[R]) Row(task int) *R {
	b := o.cur[task]
	if b.n == len(b.rows) {
		b = o.next(task)
	}
	r := &b.rows[b.n]
	b.n++
	return r
}

// String copies s into the arena of task's current buffer (the one of the last Row
// for task): the copy is valid until the consumer returns the buffer.
func (o *Output[R]) String(task int, s string) string { return o.cur[task].arena.string(s) }

// Bytes is String for a []byte (nil stays nil).
func (o *Output[R]) Bytes(task int, b []byte) []byte { return o.cur[task].arena.bytes(b) }

// next sends task's full buffer and takes a free one.
func (o *Output[R]) next(task int) *rowBuffer[R] {
	o.send(task)
	t := &o.targets[task]
	var b *rowBuffer[R]
	select {
	case b = <-t.free:
	default:
		if t.made < o.x.credits {
			t.made++
			b = &rowBuffer[R]{rows: make([]R, o.x.bufferRows), arena: newArena(), home: t.free, consume: t.consume}
			break
		}
		// No credit: the consumer is behind (back-pressure); count the wait.
		start := time.Now()
		select {
		case b = <-t.free:
		case <-o.x.from.g.ctx.Done():
			b = o.scratchBuffer()
		}
		o.stats.blocked.Add(int64(time.Since(start)))
	}
	o.cur[task] = b
	return b
}

// scratchBuffer is where a producer writes once the job failed: it finishes its batch
// cheaply and stops at its next message.
func (o *Output[R]) scratchBuffer() *rowBuffer[R] {
	if o.scratch == nil {
		o.scratch = &rowBuffer[R]{rows: make([]R, o.x.bufferRows), arena: newArena()}
	}
	clear(o.scratch.rows)
	o.scratch.n = 0
	o.scratch.arena.reset()
	return o.scratch
}

// send hands task's current buffer, if it holds rows, to the consumer.
func (o *Output[R]) send(task int) bool {
	b := o.cur[task]
	if b.n == 0 {
		return true
	}
	o.cur[task] = o.empty
	if b == o.scratch {
		return false
	}
	t := &o.targets[task]
	o.stats.recordsOut.Add(int64(b.n))
	o.stats.bytesOut.Add(b.size())
	return o.x.from.g.send(t.inbox, message{kind: msgRows, channel: t.channel, rows: b})
}

func (o *Output[R]) flush() error {
	for task := range o.targets {
		if !o.send(task) {
			return errAborted
		}
	}
	return nil
}

func (o *Output[R]) control(m message) error {
	for task := range o.targets {
		if !o.send(task) {
			return errAborted
		}
		m.channel = o.targets[task].channel
		if !o.x.from.g.send(o.targets[task].inbox, m) {
			return errAborted
		}
	}
	return nil
}

// rowBuffer is a batch of rows on its way from one producer task to one consumer task.
type rowBuffer[R any] struct {
	rows    []R // all slots; rows[:n] are filled
	n       int
	arena   arena
	home    chan *rowBuffer[R]
	consume func([]R) error
}

func (b *rowBuffer[R]) deliver() error { return b.consume(b.rows[:b.n]) }

func (b *rowBuffer[R]) len() int { return b.n }

func (b *rowBuffer[R]) recycle() {
	clear(b.rows[:b.n])
	b.n = 0
	b.arena.reset()
	b.home <- b // never blocks: home holds every buffer of the pair
}
