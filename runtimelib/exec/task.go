package exec

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// msgKind is what a message on a task's inbound channel carries.
type msgKind uint8

const (
	msgRows        msgKind = iota // a buffer of rows (rows)
	msgWatermark                  // Watermark(value)
	msgIdle                       // the channel's producer has only idle inputs
	msgActive                     // the channel's producer is active again
	msgBarrier                    // Barrier(value)
	msgEnd                        // the channel ended
	msgBatch                      // coordinator to source task: batch of source `channel`
	msgSourceEnded                // coordinator to source task: source `channel` ended
)

// message is one element of a task's inbound channel. Control events travel in the
// same channel as the rows, so each (producer, consumer) pair is FIFO.
type message struct {
	kind    msgKind
	channel int32 // the consumer's input channel; for msgBatch/msgSourceEnded the source
	value   int64 // watermark (ms) or barrier id
	rows    delivery
	batch   *stream.Batch
}

// delivery is a buffer of typed rows as the consumer's untyped loop sees it.
type delivery interface {
	deliver() error // call the consumer's callback with the rows
	size() int64    // the rows' estimated bytes (metrics.go)
	len() int       // the rows
	recycle()       // give the buffer back to its producer (a credit)
}

// port is a task's end of a non-chained exchange.
type port interface {
	// flush sends the rows buffered for every consumer task.
	flush() error
	// control flushes, then sends m to every consumer task.
	control(m message) error
}

// errAborted unwinds a task when the job failed elsewhere: it is not reported.
var errAborted = errors.New("exec: job aborted")

// The event functions below run an event through a task and then through the tasks
// chained to it, in order: the task's hook, its output ports, then each chained task.

// advance processes a new input watermark: event-time timers, OnWatermark, then the
// watermark goes downstream. Watermarks are monotonic: a lower one is ignored.
func (t *Task) advance(wm int64) error {
	if wm <= t.watermark {
		return nil
	}
	t.watermark = wm
	t.stats.watermark.Store(wm)
	for _, ts := range t.timers {
		if err := ts.advanceWatermark(wm); err != nil {
			return err
		}
	}
	if err := t.op.OnWatermark(wm); err != nil {
		return err
	}
	if err := t.broadcast(message{kind: msgWatermark, value: wm}); err != nil {
		return err
	}
	for _, c := range t.chained {
		if err := c.advance(wm); err != nil {
			return err
		}
	}
	return nil
}

// setIdle changes the task's watermark status and tells every consumer.
func (t *Task) setIdle(idle bool) error {
	if t.idle == idle {
		return nil
	}
	t.idle = idle
	kind := msgActive
	if idle {
		kind = msgIdle
	}
	if err := t.broadcast(message{kind: kind}); err != nil {
		return err
	}
	for _, c := range t.chained {
		if err := c.setIdle(idle); err != nil {
			return err
		}
	}
	return nil
}

// barrier runs OnBarrier, forwards the barrier and acknowledges it.
func (t *Task) barrier(id int64) error {
	if err := t.op.OnBarrier(id); err != nil {
		return err
	}
	t.sampleState()
	if st, ok := t.stage.g.stateSteps[id]; ok {
		if err := t.scriptState(st); err != nil {
			return err
		}
	}

	if t.stage.g.snaps.isCheckpoint(id) { // checkpoint.go
		if err := t.snapshot(id); err != nil {
			return err
		}
	}
	if err := t.broadcast(message{kind: msgBarrier, value: id}); err != nil {
		return err
	}
	t.stage.g.acks.ack(id)
	for _, c := range t.chained {
		if err := c.barrier(id); err != nil {
			return err
		}
	}
	return nil
}

// end runs OnEnd and ends every output.
func (t *Task) end() error {
	if err := t.op.OnEnd(); err != nil {
		return err
	}
	if err := t.broadcast(message{kind: msgEnd}); err != nil {
		return err
	}
	for _, c := range t.chained {
		if err := c.end(); err != nil {
			return err
		}
	}
	return nil
}

// flush sends the rows buffered on the task's outputs and its chained tasks'.
func (t *Task) flush() error {
	for _, p := range t.ports {
		if err := p.flush(); err != nil {
			return err
		}
	}
	for _, c := range t.chained {
		if err := c.flush(); err != nil {
			return err
		}
	}
	return nil
}

func (t *Task) broadcast(m message) error {
	for _, p := range t.ports {
		if err := p.control(m); err != nil {
			return err
		}
	}
	return nil
}

// scriptState runs a script's state step on the task, after OnBarrier.
func (t *Task) scriptState(st Step) error {
	sn, ok := t.op.(Snapshotter)
	if !ok {
		return nil
	}
	var err error
	switch st.Kind {
	case StepRestore, StepRestoreCorrupt:
		err = t.roundTrip(sn, st.Kind == StepRestoreCorrupt)
	case StepSnapshotTo:
		err = t.snapshotTo(sn, st.Dir)
	case StepRestoreFrom:
		err = t.restoreFrom(sn, st.Dir)
	}
	if err != nil {
		return fmt.Errorf("stage %s task %d: %w", t.stage.name, t.index, err)
	}
	return nil
}

// roundTrip snapshots the operator's state and restores it from the snapshot, in place
// (a script's restore step: what a checkpoint and a restart would do to the state). In
// corrupt mode it first feeds Restore every truncation of the snapshot and the snapshot
// with each byte flipped: each must fail with an error or restore some state, never
// panic; then the true snapshot is restored.
func (t *Task) roundTrip(sn Snapshotter, corrupt bool) error {
	var w codec.Writer
	if err := sn.Snapshot(&w); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if corrupt {
		if err := corruptRestores(sn, w.Buf); err != nil {
			return err
		}
	}
	return restoreFresh(sn, w.Buf)
}

// restoreFresh restores a snapshot into an operator whose state was dropped first.
func restoreFresh(sn Snapshotter, blobs ...[]byte) error {
	rs, ok := sn.(StateResetter)
	if !ok {
		return fmt.Errorf("the operator cannot drop its state (exec.StateResetter) to restore in place")
	}
	rs.ResetState()
	for _, b := range blobs {
		if err := sn.Restore(codec.NewReader(b)); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	return nil
}

// snapshotFile names the snapshot of a task of the stage with index stage in its graph.
func snapshotFile(dir string, stage, task int) string {
	return filepath.Join(dir, fmt.Sprintf("stage%d-task%d.snap", stage, task))
}

// stageIndex is the index of the task's stage in its graph: the same in every run of
// one generated job, whatever its parallelism.
func (t *Task) stageIndex() int { return slices.Index(t.stage.g.stages, t.stage) }

// snapshotTo writes the task's snapshot to a file of dir (a script's snapshot step).
func (t *Task) snapshotTo(sn Snapshotter, dir string) error {
	var w codec.Writer
	if err := sn.Snapshot(&w); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(snapshotFile(dir, t.stageIndex(), t.index), w.Buf, 0o644)
}

// restoreFrom restores the task from every snapshot of its stage in dir, whatever the
// parallelism they were taken with (a script's restore-from step): the task keeps the
// key groups it owns now.
func (t *Task) restoreFrom(sn Snapshotter, dir string) error {
	var blobs [][]byte
	for task := 0; ; task++ {
		b, err := os.ReadFile(snapshotFile(dir, t.stageIndex(), task))
		if errors.Is(err, fs.ErrNotExist) && task > 0 {
			break
		}
		if err != nil {
			return err
		}
		blobs = append(blobs, b)
	}
	return restoreFresh(sn, blobs...)
}

// corruptRestores restores corruptions of a snapshot: every truncation, every byte
// flipped, and (fuzzing, with a fixed seed so a failure repeats) random mutations: runs
// of random bytes written over it, bytes inserted and cut out. Each must fail with an
// error or restore some state; a panic is the error it returns.
func corruptRestores(sn Snapshotter, good []byte) error {
	bad := make([]byte, len(good))
	for i := range good {
		if err := restoreNoPanic(sn, good[:i]); err != nil {
			return fmt.Errorf("snapshot truncated to %d of %d bytes: %w", i, len(good), err)
		}
		copy(bad, good)
		bad[i] ^= 0xff
		if err := restoreNoPanic(sn, bad); err != nil {
			return fmt.Errorf("snapshot with byte %d flipped: %w", i, err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(len(good)), 1))
	for n := range 500 {
		b := append([]byte(nil), good...)
		for range 1 + rng.IntN(4) {
			at := rng.IntN(len(b) + 1)
			switch rng.IntN(3) {
			case 0: // random bytes over a run
				for i := at; i < min(len(b), at+1+rng.IntN(8)); i++ {
					b[i] = byte(rng.Uint32())
				}
			case 1: // bytes inserted
				ins := make([]byte, 1+rng.IntN(8))
				for i := range ins {
					ins[i] = byte(rng.Uint32())
				}
				b = append(b[:at], append(ins, b[at:]...)...)
			case 2: // bytes cut out
				b = append(b[:at], b[min(len(b), at+1+rng.IntN(8)):]...)
			}
		}
		if err := restoreNoPanic(sn, b); err != nil {
			return fmt.Errorf("snapshot mutation %d (%d bytes): %w", n, len(b), err)
		}
	}
	return nil
}

// restoreNoPanic restores a corrupt snapshot: an error is what it should give, a panic
// is the failure it reports.
func restoreNoPanic(sn Snapshotter, b []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("restore panicked: %v", p)
		}
	}()
	if rs, ok := sn.(StateResetter); ok {
		rs.ResetState()
	}
	sn.Restore(codec.NewReader(b))
	return nil
}
