package exec

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// runner is the goroutine of a task and of the tasks chained to it. Every hook and
// callback of those tasks runs here, one at a time.
type runner struct {
	g     *Graph
	head  *Task
	chain []*Task        // head, then the tasks chained below it, producers first
	in    chan message   // the head's inbound channel
	gate  *gate          // a keyed head's input
	batch SourceOperator // a source head's operator
	load  atomic.Int32   // a source head's batches dispatched and not yet processed

	wake     chan struct{} // processing time to look at: timers, idleness
	wakeAt   int64         // the armed wake-up (ms); 0: none
	stopWake func() bool
	done     bool
}

// run is the task loop; it returns nil once the head ended or the job was aborted.
func (r *runner) run() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: panic: %v\n%s", p, debug.Stack())
		}
		if r.stopWake != nil {
			r.stopWake()
		}
	}()
	r.rearm()
	for !r.done {
		select {
		case m := <-r.in:
			if r.batch != nil { // a source task: tell the coordinator its queue has room
				select {
				case r.g.room <- struct{}{}:
				default:
				}
			}
			err = r.handle(m)
		case <-r.wake:
			r.wakeAt = 0
			err = r.onWake()
		case <-r.g.ctx.Done():
			return nil
		}
		if err == nil && len(r.in) == 0 {
			// Nothing more to do at once: send what the outputs hold rather than wait
			// for full buffers (under load they fill first).
			err = r.head.flush()
		}
		if err != nil {
			return err
		}
		r.rearm()
	}
	return nil
}

func (r *runner) handle(m message) error {
	if r.gate != nil {
		err := r.gate.receive(m)
		r.done = r.gate.done()
		return err
	}
	t := r.head
	switch m.kind {
	case msgBatch:
		err := r.runBatch(m)
		// Let the goroutines that read the sources and hand out batches run now: while
		// the source tasks keep every P busy they only get one when a task runs dry (or
		// after 10 ms), so the tasks would starve in turns.
		runtime.Gosched()
		return err
	case msgBarrier:
		if err := t.src.update(r.g.now()); err != nil { // idleness first, as time passed
			return err
		}
		return t.barrier(m.value)
	case msgWatermark: // the end of bounded input
		if err := t.setIdle(false); err != nil {
			return err
		}
		return t.advance(m.value)
	case msgSourceEnded:
		t.src.sourceEnded(int(m.channel))
		return t.src.update(r.g.now())
	case msgEnd:
		r.done = true
		return t.end()
	}
	panic("exec: unexpected message for a source task")
}

// runBatch runs a source task's batch and releases it, whatever happens.
func (r *runner) runBatch(m message) error {
	b := m.batch
	defer r.load.Add(-1)
	defer b.Release()
	now := r.g.now()
	src := r.head.src
	if err := src.begin(int(m.channel), b, now); err != nil {
		return err
	}
	bytes := b.Bytes
	if bytes == 0 {
		bytes = len(b.Raw)
	}
	b.Prepare()
	r.head.countBatch(int(m.channel), len(b.Records)+b.Count, bytes)
	if hook := r.g.cfg.OnBatch; hook != nil {
		hook(b)
	}
	if err := r.batch.OnBatch(int(m.channel), b); err != nil {
		return err
	}
	return src.update(now)
}

// onWake fires the processing-time timers that are due and looks at idleness.
func (r *runner) onWake() error {
	now := r.g.now()
	for _, t := range r.chain {
		for _, ts := range t.timers {
			if err := ts.fireProcessingTime(now); err != nil {
				return err
			}
		}
	}
	if r.head.src != nil {
		return r.head.src.update(now)
	}
	return nil
}

// rearm makes sure a wake-up is armed for the earliest processing-time timer or idle
// time-out of the runner's tasks.
func (r *runner) rearm() {
	next, ok := int64(EndOfTime), false
	for _, t := range r.chain {
		for _, ts := range t.timers {
			if at, has := ts.nextProcessingTime(); has {
				next, ok = min(next, at), true
			}
		}
	}
	if r.head.src != nil {
		if at, has := r.head.src.nextIdle(); has {
			next, ok = min(next, at), true
		}
	}
	if !ok || r.wakeAt != 0 && r.wakeAt <= next {
		return
	}
	if r.stopWake != nil {
		r.stopWake()
	}
	r.wakeAt = next
	r.stopWake = r.g.clock.At(time.UnixMilli(next), func() {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	})
}
