package exec

import (
	"fmt"
	"slices"
	"testing"
)

// recorder is an operator that records its hooks.
type recorder struct {
	t      *Task
	events []string
	rows   []string
}

func (r *recorder) OnWatermark(t int64) error {
	r.events = append(r.events, fmt.Sprintf("wm %d", t))
	return nil
}
func (r *recorder) OnBarrier(id int64) error {
	r.events = append(r.events, fmt.Sprintf("barrier %d", id))
	return nil
}
func (r *recorder) OnEnd() error { r.events = append(r.events, "end"); return nil }

func (r *recorder) take() []string {
	e := r.events
	r.events = nil
	return e
}

// lonelyTask is a task with a recorder and no outputs, outside a running graph.
func lonelyTask() (*Task, *recorder) {
	g := New(Config{})
	g.acks = acks{pending: map[int64]int{}, notify: make(chan struct{}, 1)}
	t := g.Stage("t", 1).Task(0)
	rec := &recorder{t: t}
	t.SetOperator(rec)
	return t, rec
}

// rowsOf is a delivery of one labelled row into a recorder.
type rowsOf struct {
	rec   *recorder
	label string
}

func (d rowsOf) deliver() error { d.rec.rows = append(d.rec.rows, d.label); return nil }
func (d rowsOf) recycle()       {}
func (d rowsOf) len() int       { return 1 }
func (d rowsOf) size() int64    { return int64(len(d.label)) }

func wm(ch int, t int64) message { return message{kind: msgWatermark, channel: int32(ch), value: t} }
func idle(ch int) message        { return message{kind: msgIdle, channel: int32(ch)} }
func active(ch int) message      { return message{kind: msgActive, channel: int32(ch)} }
func barrier(ch, id int) message {
	return message{kind: msgBarrier, channel: int32(ch), value: int64(id)}
}
func end(ch int) message { return message{kind: msgEnd, channel: int32(ch)} }
func row(rec *recorder, ch int, label string) message {
	return message{kind: msgRows, channel: int32(ch), rows: rowsOf{rec, label}}
}

// feed gives the gate each message and returns the hooks they caused.
func feed(t *testing.T, g *gate, rec *recorder, msgs ...message) []string {
	t.Helper()
	for _, m := range msgs {
		if err := g.receive(m); err != nil {
			t.Fatal(err)
		}
	}
	return rec.take()
}

func expect(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// The scenarios of Flink's StatusWatermarkValveTest.
func TestGateWatermarkValve(t *testing.T) {
	t.Run("single channel: increasing watermarks only", func(t *testing.T) {
		task, rec := lonelyTask()
		g := newGate(task, 1)
		expect(t, "", feed(t, g, rec, wm(0, 0), wm(0, 25), wm(0, 18), wm(0, 42)), "wm 0", "wm 25", "wm 42")
	})
	t.Run("minimum across channels", func(t *testing.T) {
		task, rec := lonelyTask()
		g := newGate(task, 3)
		expect(t, "not all channels", feed(t, g, rec, wm(0, 10), wm(1, 5)))
		expect(t, "all channels", feed(t, g, rec, wm(2, 3)), "wm 3")
		expect(t, "not the minimum", feed(t, g, rec, wm(0, 12), wm(1, 15)))
		expect(t, "minimum moves", feed(t, g, rec, wm(2, 20)), "wm 12")
		expect(t, "a channel going back is ignored", feed(t, g, rec, wm(0, 1), wm(0, 13)), "wm 13")
	})
	t.Run("idle channels leave the minimum", func(t *testing.T) {
		task, rec := lonelyTask()
		g := newGate(task, 3)
		expect(t, "", feed(t, g, rec, wm(0, 10), wm(1, 7), wm(2, 5)), "wm 5")
		expect(t, "the lowest goes idle", feed(t, g, rec, idle(2)), "wm 7")
		if task.idle {
			t.Fatal("gate idle with active channels")
		}
		expect(t, "watermarks of an idle channel are ignored", feed(t, g, rec, wm(2, 100)))
		expect(t, "the next lowest goes idle", feed(t, g, rec, idle(1)), "wm 10")
		// The last active channel goes idle while holding the output: flush the highest.
		expect(t, "all idle", feed(t, g, rec, wm(0, 11), wm(1, 30)), "wm 11")
		expect(t, "all idle", feed(t, g, rec, idle(0)))
		if !task.idle {
			t.Fatal("gate not idle when every channel is")
		}
		// Back to active below the output: not aligned until it catches up.
		expect(t, "active below", feed(t, g, rec, active(1), wm(1, 9)))
		if task.idle {
			t.Fatal("gate still idle after a channel became active")
		}
		expect(t, "the unaligned channel does not hold the output", feed(t, g, rec, active(0), wm(0, 40)), "wm 40")
		expect(t, "catches up", feed(t, g, rec, wm(1, 45)))
		expect(t, "aligned again", feed(t, g, rec, wm(0, 50)), "wm 45")
	})
	t.Run("all idle: the highest watermark is flushed", func(t *testing.T) {
		task, rec := lonelyTask()
		g := newGate(task, 2)
		expect(t, "", feed(t, g, rec, wm(0, 10), wm(1, 20)), "wm 10")
		expect(t, "", feed(t, g, rec, idle(1), idle(0)), "wm 20")
		if !task.idle {
			t.Fatal("not idle")
		}
	})
	t.Run("ended channels do not hold the minimum back", func(t *testing.T) {
		task, rec := lonelyTask()
		g := newGate(task, 2)
		expect(t, "", feed(t, g, rec, wm(0, 10), wm(1, 20)), "wm 10")
		expect(t, "an end is no watermark (a stopped job)", feed(t, g, rec, end(0)))
		expect(t, "", feed(t, g, rec, wm(1, 30)), "wm 30")
		expect(t, "", feed(t, g, rec, wm(1, EndOfTime), end(1)), fmt.Sprintf("wm %d", int64(EndOfTime)), "end")
	})
}

// A channel that delivered Barrier(n) waits until every channel did; its later
// messages wait, the other channels' do not; then the barrier, then what waited.
func TestGateAlignsBarriers(t *testing.T) {
	task, rec := lonelyTask()
	task.stage.g.acks.expect(1, 1)
	task.stage.g.acks.expect(2, 1)
	g := newGate(task, 3)
	feed(t, g, rec,
		row(rec, 0, "a1"), barrier(0, 1), row(rec, 0, "a2"), wm(0, 5), wm(0, 6), row(rec, 0, "a3"),
		row(rec, 1, "b1"), wm(1, 7), wm(2, 8), barrier(1, 1), row(rec, 1, "b2"), barrier(1, 2),
		row(rec, 2, "c1"))
	expect(t, "before the barrier", rec.rows, "a1", "b1", "c1")
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("hooks before alignment: %q", got)
	}
	rec.rows = nil
	// A queued watermark right after another replaces it: a channel that waits holds
	// at most its credits in rows.
	if n := g.channels[0].pending.len(); n != 3 {
		t.Errorf("channel 0 holds %d messages, want 3 (a2, wm 6, a3)", n)
	}
	expect(t, "barrier 1", feed(t, g, rec, barrier(2, 1)), "barrier 1", "wm 6")
	expect(t, "after barrier 1", rec.rows, "a2", "a3", "b2")
	if !task.stage.g.acks.complete(1) {
		t.Error("barrier 1 not acknowledged")
	}
	// Channel 1 already waits at barrier 2; the others end: an ended channel has
	// delivered every barrier.
	expect(t, "barrier 2", feed(t, g, rec, end(0), end(2)), "barrier 2")
	expect(t, "end", feed(t, g, rec, end(1)), "end")
	if !g.done() {
		t.Error("gate not done")
	}
}
