package exec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Run runs the job until its input ends, it is cancelled or it fails, and returns
// after every goroutine it started has ended.
//
// Bounded input: when every source ended, each source task gets a final watermark
// (EndOfTime), a final barrier and the end, which flow through every stage; Run returns
// nil once every task ended and the final barrier completed. Cancelling ctx
// (SIGINT/SIGTERM) stops the sources; the batches already handed to tasks are
// processed, then a final barrier (so sinks flush what was processed) and the end flow
// through; Run returns nil. Any error (a source's, an operator's, a panic in a task)
// stops everything: Run releases the batches nobody will process and returns the first
// error.
func (g *Graph) Run(ctx context.Context) (err error) {
	g.seal()
	if err := g.check(); err != nil {
		return err
	}
	if g.runners != nil {
		return errors.New("exec: a graph runs once")
	}
	if ctx.Err() != nil {
		return nil
	}
	g.ctx, g.abort = context.WithCancel(context.WithoutCancel(ctx))
	defer g.abort()
	g.clock = g.cfg.Clock
	if g.cfg.Script != nil {
		g.clock = &scriptClock{base: g.cfg.Clock}
	}
	g.acks = acks{pending: map[int64]int{}, notify: make(chan struct{}, 1)}
	g.room = make(chan struct{}, 1)
	if r := g.cfg.Restore; r != nil { // before any task runs; the clock is set
		if err := g.restore(r); err != nil {
			return err
		}
	}
	g.build()
	g.stats.mu.Lock()
	g.stats.running = true // Stats may read the runners now
	g.stats.mu.Unlock()

	var wg sync.WaitGroup
	for _, r := range g.runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.run(); err != nil && !errors.Is(err, errAborted) {
				g.errs <- err
				g.abort()
			}
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()

	sources := g.source.sources
	if g.cfg.Script != nil {
		sources = nil // the script's steps replace them
	}
	events, stopSources := startSources(ctx, sources)
	c := &coordinator{g: g, finished: finished, stopSources: stopSources, positions: map[splitKey]stream.Position{}}
	if g.cfg.Script == nil {
		c.stop = ctx.Done() // a script's steps all run
	}
	c.lastCheckpoint = max(g.cfg.FirstCheckpointID, 1) - 1
	for _, t := range g.source.tasks {
		c.tasks = append(c.tasks, t.runner)
	}
	for _, s := range g.stages {
		c.totalTasks += len(s.tasks)
	}
	err = c.run(ctx, events)
	if err != nil {
		g.abort()
	}
	stopSources()
	<-finished
	c.releaseQueued()
	c.drainWrites() // a checkpoint being written is finished, whatever happened
	return err
}

func (g *Graph) now() int64 { return g.clock.Now().UnixMilli() }

// send delivers m unless the job was aborted.
func (g *Graph) send(ch chan message, m message) bool {
	select {
	case ch <- m:
		return true
	case <-g.ctx.Done():
		return false
	}
}

// build makes a runner per task that is not chained to its producer, and wires the
// exchanges.
func (g *Graph) build() {
	for _, s := range g.stages {
		for _, t := range s.tasks {
			if s != g.source && s.inputs[0].base().chained {
				continue // runs in its producer's runner
			}
			r := &runner{g: g, head: t, wake: make(chan struct{}, 1)}
			r.chain = []*Task{t}
			for i := 0; i < len(r.chain); i++ {
				r.chain[i].runner = r
				for _, e := range r.chain[i].stage.outputs {
					if c := e.base().to.tasks[0]; e.base().chained && !slices.Contains(r.chain, c) {
						r.chain = append(r.chain, c)
					}
				}
			}
			if s == g.source {
				t.stats.sources = make([]sourceStats, len(s.sources))
				r.in = make(chan message, taskQueue)
				r.batch = t.op.(SourceOperator)
				now := g.now()
				t.src = &splits{task: t, byKey: map[splitKey]*splitState{}, timeout: g.cfg.IdleTimeout.Milliseconds(), started: now}
			} else {
				channels := 0
				for _, e := range s.inputs {
					channels += len(e.base().from.tasks)
				}
				r.in = make(chan message, channels*(DefaultCredits+2))
				r.gate = newGate(t, channels)
			}
			g.runners = append(g.runners, r)
		}
	}
	for _, s := range g.stages {
		for _, e := range s.outputs {
			e.open()
		}
	}
	g.errs = make(chan error, len(g.runners))
}

// coordinator is Run's loop: it reads the sources, hands batches to source tasks,
// injects barriers and completes them.
type coordinator struct {
	g           *Graph
	tasks       []*runner // the source tasks'
	totalTasks  int       // tasks that acknowledge a barrier
	finished    chan struct{}
	stop        <-chan struct{} // the job is cancelled: hand out no more batches
	stopSources func()
	rotate      int // where the search for the least loaded task starts

	lastBarrier int64
	pending     []pendingBarrier // injected, not yet complete, in order
	positions   map[splitKey]stream.Position

	lastCheckpoint int64 // the id of the last checkpoint injected
	checkpointDue  bool  // the checkpoint interval passed: the next barrier is one

	// Checkpoints are written in the background (OnCheckpointComplete), one at a time:
	// writing is the one being written, toWrite those complete behind it (only the
	// final checkpoint can complete while another is written), written its result.
	writing *pendingBarrier
	toWrite []pendingBarrier
	written chan error
}

type pendingBarrier struct {
	id        int64
	positions []Position
	// A checkpoint barrier: its checkpoint id (0 for a flush barrier), whether it is
	// the final one and the job was stopped, and every source's positions.
	checkpoint     int64
	final, stopped bool
	sources        []SourcePositions
}

func (c *coordinator) run(ctx context.Context, events chan event) error {
	flush := c.g.cfg.FlushInterval
	var tick, checkpointTick <-chan time.Time
	if flush > 0 {
		t := time.NewTicker(flush)
		defer t.Stop()
		tick = t.C
	}
	if iv := c.g.cfg.CheckpointInterval; iv > 0 {
		t := time.NewTicker(iv)
		defer t.Stop()
		checkpointTick = t.C
	}
	running, cancelled := len(c.g.source.sources), false
	if c.g.cfg.Script != nil {
		if err := c.runScript(); err != nil {
			return err
		}
		running = 0
	}
	for running > 0 && !cancelled {
		select {
		case ev := <-events:
			if ev.batch == nil {
				running--
				if ev.err != nil {
					if ctx.Err() != nil && errors.Is(ev.err, context.Canceled) {
						cancelled = true // the job is being stopped (the select may take this before ctx.Done)
						continue
					}
					return ev.err
				}
				if err := c.broadcast(message{kind: msgSourceEnded, channel: int32(ev.source)}); err != nil {
					return c.failure(err)
				}
				continue
			}
			if err := c.dispatch(ev.source, ev.batch); errors.Is(err, errStopped) {
				cancelled = true
				continue
			} else if err != nil {
				return c.failure(err)
			}
			if flush <= 0 {
				if err := c.inject(); err != nil {
					return c.failure(err)
				}
			}
		case <-tick:
			if len(c.pending) == 0 { // one periodic barrier at a time
				if err := c.inject(); err != nil {
					return c.failure(err)
				}
			}
		case <-checkpointTick:
			// One checkpoint at a time, but not behind a flush barrier: it would wait
			// for that one to complete, doubling its delay under backpressure.
			c.checkpointDue = true
			if !c.checkpointPending() {
				if err := c.inject(); err != nil {
					return c.failure(err)
				}
			}
		case <-c.g.acks.notify:
			if err := c.complete(); err != nil {
				return err
			}
			if c.checkpointDue && !c.checkpointPending() { // due while one was pending
				if err := c.inject(); err != nil {
					return c.failure(err)
				}
			}
		case err := <-c.written:
			if err := c.wrote(err); err != nil {
				return err
			}
			if c.checkpointDue && !c.checkpointPending() { // due while one was written
				if err := c.inject(); err != nil {
					return c.failure(err)
				}
			}
		case err := <-c.g.errs:
			return err
		case <-ctx.Done():
			cancelled = true
		}
	}

	if cancelled {
		if f := c.g.cfg.OnStop; f != nil {
			if err := call(func() error { f(); return nil }); err != nil {
				return err
			}
		}
		c.stopSources() // what the sources still had is released, not processed
	} else if err := c.broadcast(message{kind: msgWatermark, value: EndOfTime}); err != nil {
		return c.failure(err)
	}
	if err := c.injectBarrier(true, ctx.Err() != nil); err != nil {
		return c.failure(err)
	}
	if err := c.broadcast(message{kind: msgEnd}); err != nil {
		return c.failure(err)
	}
	for {
		select {
		case <-c.g.acks.notify:
			if err := c.complete(); err != nil {
				return err
			}
		case err := <-c.written:
			if err := c.wrote(err); err != nil {
				return err
			}
		case err := <-c.g.errs:
			return err
		case <-c.finished:
			select {
			case err := <-c.g.errs:
				return err
			default:
			}
			if err := c.complete(); err != nil {
				return err
			}
			if len(c.pending) > 0 {
				return fmt.Errorf("internal error: barrier %d was not acknowledged by every task", c.pending[0].id)
			}
			for c.writing != nil { // the final checkpoint is durable before Run returns
				if err := c.wrote(<-c.written); err != nil {
					return err
				}
			}
			return nil
		}
	}
}

// checkpointPending reports whether a checkpoint barrier was injected and is not
// complete yet.
func (c *coordinator) checkpointPending() bool {
	if c.writing != nil {
		return true
	}
	for _, p := range c.pending {
		if p.checkpoint != 0 {
			return true
		}
	}
	return false
}

// failure is the error to return when a send to a task failed: the job was aborted by
// a task, whose error is waiting.
func (c *coordinator) failure(err error) error {
	if errors.Is(err, errAborted) {
		select {
		case e := <-c.g.errs:
			return e
		default:
		}
	}
	return err
}

// dispatch hands a batch to the task that owns its split, or to the least loaded task
// with room in its queue (handOut).
func (c *coordinator) dispatch(source int, b *stream.Batch) error {
	split := b.Split
	pos := b.Position() // now: once sent, the task may release b
	m := message{kind: msgBatch, channel: int32(source), batch: b}
	var err error
	if task, owned := SplitOwner(b, len(c.tasks)); owned {
		err = c.sendTo(c.tasks[task], m)
	} else {
		err = c.handOut(m)
	}
	if err != nil {
		b.Release()
		return err
	}
	c.positions[splitKey{int32(source), split}] = pos
	return nil
}

// errStopped is dispatch's: the job was cancelled before the batch was handed out.
var errStopped = errors.New("exec: job stopped")

// sendTo waits until r's queue takes m: errAborted when the job was aborted, errStopped
// when it was cancelled while the queue is full (stop reading now, not after the queue
// drained: the batch was not handed out, and a restart reads it).
func (c *coordinator) sendTo(r *runner, m message) error {
	r.load.Add(1)
	select {
	case r.in <- m:
		return nil
	case <-c.g.ctx.Done():
		return errAborted
	case <-c.stop:
		r.load.Add(-1)
		return errStopped
	}
}

// handOut gives a batch of a dynamic split to the least loaded source task that has
// room in its queue, and waits for room when every queue is full (errAborted or
// errStopped as sendTo). Waiting on one full queue while another task runs dry would
// idle a core: on a busy machine the OS may hold a task's thread off for a while, and its
// queue stays full meanwhile. Only the coordinator sends to a source task, so room it
// sees stays.
func (c *coordinator) handOut(m message) error {
	for {
		best := -1
		for i := range c.tasks {
			t := (c.rotate + i) % len(c.tasks)
			r := c.tasks[t]
			if len(r.in) < cap(r.in) && (best < 0 || r.load.Load() < c.tasks[best].load.Load()) {
				best = t
			}
		}
		if best >= 0 {
			r := c.tasks[best]
			r.load.Add(1)
			select {
			case r.in <- m:
				c.rotate = (best + 1) % len(c.tasks)
				return nil
			default:
				r.load.Add(-1)
			}
		}
		select {
		case <-c.g.room: // a source task took a message from its queue
		case <-c.g.ctx.Done():
			return errAborted
		case <-c.stop:
			return errStopped
		}
	}
}

// inject sends the next barrier (not the final one) to every source task.
func (c *coordinator) inject() error { return c.injectBarrier(false, false) }

// injectBarrier sends the next barrier to every source task, recording the positions
// dispatched before it. With checkpoints on, the barrier is a checkpoint when one is due
// and when it is the final one (stopped: the job was cancelled, a savepoint).
func (c *coordinator) injectBarrier(final, stopped bool) error {
	c.lastBarrier++
	id := c.lastBarrier
	pb := pendingBarrier{id: id}
	if c.g.cfg.CheckpointInterval > 0 && (c.checkpointDue || final) {
		c.checkpointDue = false
		c.lastCheckpoint++
		pb.checkpoint, pb.final, pb.stopped = c.lastCheckpoint, final, stopped
		pb.sources = c.checkpointPositions()
		c.g.snaps.mark(id, pb.checkpoint)
	}
	positions := make([]Position, 0, len(c.positions))
	for k, p := range c.positions {
		positions = append(positions, Position{Source: int(k.source), Position: p})
	}
	slices.SortFunc(positions, func(a, b Position) int {
		if a.Source != b.Source {
			return a.Source - b.Source
		}
		return int(a.Split) - int(b.Split)
	})
	pb.positions = positions
	c.g.acks.expect(id, c.totalTasks)
	c.pending = append(c.pending, pb)
	return c.broadcast(message{kind: msgBarrier, value: id})
}

// complete runs the completion callbacks of every barrier every task acknowledged, in
// order: OnCheckpoint, OnCheckpointComplete for a checkpoint, then the commit of the
// sources' positions (with checkpoints on, only a checkpoint's, once it is durable).
func (c *coordinator) complete() error {
	for len(c.pending) > 0 && c.g.acks.complete(c.pending[0].id) {
		p := c.pending[0]
		c.pending = c.pending[1:]
		c.g.acks.forget(p.id)
		if f := c.g.cfg.OnCheckpoint; f != nil {
			if err := call(func() error { return f(p.id, p.positions) }); err != nil {
				return err
			}
		}
		if p.checkpoint != 0 {
			c.toWrite = append(c.toWrite, p)
			c.startWrite()
			continue // committed once written (wrote)
		} else if c.g.cfg.CheckpointInterval > 0 {
			continue // a flush barrier between checkpoints: nothing is committed
		}
		c.commit(p.positions)
	}
	if c.g.cfg.Script != nil {
		// A script's output is deterministic: each checkpoint is written before the
		// next step.
		for c.writing != nil {
			if err := c.wrote(<-c.written); err != nil {
				return err
			}
		}
	}
	return nil
}

// startWrite hands the next complete checkpoint to a goroutine that makes it durable
// (OnCheckpointComplete), unless one is being written: the job goes on meanwhile.
func (c *coordinator) startWrite() {
	if c.writing != nil || len(c.toWrite) == 0 {
		return
	}
	p := c.toWrite[0]
	c.toWrite = c.toWrite[1:]
	c.writing = &p
	if c.written == nil {
		c.written = make(chan error, 1)
	}
	cp := c.checkpoint(p)
	f := c.g.cfg.OnCheckpointComplete
	go func() {
		var err error
		if f != nil {
			err = call(func() error { return f(cp) })
		}
		c.written <- err
	}()
}

// wrote takes the result of the checkpoint written in the background: once it is
// durable, its positions are committed to the sources, and the next one is written.
func (c *coordinator) wrote(err error) error {
	p := c.writing
	c.writing = nil
	if err != nil {
		c.toWrite = nil
		return err
	}
	c.commit(p.positions)
	c.startWrite()
	return nil
}

// drainWrites waits for the checkpoint being written, after the job ended or failed:
// no goroutine outlives Run. What is queued behind it is not written on failure.
func (c *coordinator) drainWrites() {
	for c.writing != nil {
		c.toWrite = nil
		c.wrote(<-c.written)
	}
}

func (c *coordinator) broadcast(m message) error {
	for _, r := range c.tasks {
		if !c.g.send(r.in, m) {
			return errAborted
		}
	}
	return nil
}

// releaseQueued releases the batches left in the source tasks' queues after the tasks
// ended (only a failed job leaves any).
func (c *coordinator) releaseQueued() {
	for _, r := range c.tasks {
		for {
			select {
			case m := <-r.in:
				if m.batch != nil {
					m.batch.Release()
				}
				continue
			default:
			}
			break
		}
	}
}

// call runs a callback of the coordinator, turning a panic into an error, as the
// runners do: a bug must still stop the job cleanly.
func call(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: panic: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}

// commit hands the sources that keep positions outside the job (stream.Committer:
// Kafka's group offsets) the positions of a complete barrier: every result that
// depends on the records before them was written by the sinks, so a restart may resume
// there. A failed commit is a warning: a restart then reads more again.
func (c *coordinator) commit(positions []Position) {
	for i, src := range c.g.source.sources {
		cm, ok := src.(stream.Committer)
		if !ok {
			continue
		}
		var durable []stream.Position
		for _, p := range positions {
			if p.Source == i {
				durable = append(durable, p.Position)
			}
		}
		if len(durable) == 0 {
			continue
		}
		if err := cm.Commit(c.g.ctx, durable); err != nil {
			slog.Warn("committing source positions failed; a restart reads them again", "source", i, "err", err)
		}
	}
}
