package exec

import (
	"fmt"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// A script replaces a job's sources with steps run in order, for tests that need to
// say exactly what arrives between two barriers (the golden harness's script form):
// batches of records for a source table, barriers (a flush: every operator emits, every
// sink writes) and watermarks. Each barrier completes before the next step, so what the
// job wrote after it is the result of the steps before it.

// StepKind is what a script step does.
type StepKind int

const (
	// StepBatch hands Records to the source that reads Table, as one batch.
	StepBatch StepKind = iota
	// StepBarrier injects a barrier and waits until every task acknowledged it.
	StepBarrier
	// StepWatermark advances every source task's watermark to Time (ms).
	StepWatermark
	// StepRestore injects a barrier after which every task snapshots its state and
	// restores it from the snapshot (exec.Snapshotter), then waits for it: the output
	// after it must be what it would have been without.
	StepRestore
	// StepRestoreCorrupt is StepRestore that first restores corruptions of each snapshot:
	// every truncation, every byte flipped, and 500 random mutations (bytes overwritten,
	// inserted, cut; a fixed seed): a restore of a corrupt snapshot must fail with an
	// error (or restore some state), never panic.
	StepRestoreCorrupt
	// StepSleep injects a barrier and waits for it (everything before the step is
	// processed), then moves the job's processing-time clock ahead by Duration without
	// waiting: what state TTL sees (a test of expiry does not depend on how long it takes).
	StepSleep
	// StepSnapshotTo injects a barrier after which every task with state writes its
	// snapshot to a file of Dir (stage<i>-task<j>.snap), and waits for it.
	StepSnapshotTo
	// StepRestoreFrom injects a barrier after which every task with state restores from
	// every snapshot of its stage in Dir (as StepSnapshotTo wrote them, maybe at another
	// parallelism: each task keeps the key groups it owns), and waits for it. It must be
	// the script's first step: a restore starts from fresh tasks.
	StepRestoreFrom
)

// Step is one step of a script.
type Step struct {
	Kind     StepKind
	Table    string        // StepBatch: the source table's name
	Records  [][]byte      // StepBatch
	Owned    bool          // StepBatch: the batch belongs to split Split, owned by one task
	Split    int32         // StepBatch with Owned
	Time     int64         // StepWatermark
	Duration time.Duration // StepSleep
	Dir      string        // StepSnapshotTo, StepRestoreFrom
}

// tableSource is a source that can say which table it reads (the script addresses
// sources by table).
type tableSource interface {
	Table() string
}

// runScript is the coordinator's loop in script mode: the sources never run.
func (c *coordinator) runScript() error {
	index := map[string]int{}
	for i, s := range c.g.source.sources {
		if ts, ok := s.(tableSource); ok {
			index[ts.Table()] = i
		}
	}
	lines := map[int]int64{} // per source: the next record's number, for Batch.Where
	for _, st := range c.g.cfg.Script {
		switch st.Kind {
		case StepBatch:
			src, ok := index[st.Table]
			if !ok {
				return fmt.Errorf("script: the job reads no source table %q", st.Table)
			}
			if lines[src] == 0 {
				lines[src] = 1
			}
			b := &stream.Batch{Records: st.Records, Origin: st.Table, FirstLine: lines[src]}
			if st.Owned {
				// An owned split goes to task Split mod tasks and has a watermark of its own.
				b.Split, b.Owned = st.Split, true
			}
			lines[src] += int64(len(st.Records))
			if err := c.dispatch(src, b); err != nil {
				return c.failure(err)
			}
		case StepBarrier:
			if err := c.inject(); err != nil {
				return c.failure(err)
			}
			if err := c.awaitPending(); err != nil {
				return err
			}
		case StepRestore, StepRestoreCorrupt, StepSnapshotTo, StepRestoreFrom, StepSleep:
			if st.Kind != StepSleep {
				if c.g.stateSteps == nil {
					c.g.stateSteps = map[int64]Step{}
				}
				c.g.stateSteps[c.lastBarrier+1] = st
			}
			if err := c.inject(); err != nil {
				return c.failure(err)
			}
			if err := c.awaitPending(); err != nil {
				return err
			}
			if st.Kind == StepSleep {
				c.g.clock.(*scriptClock).sleep(st.Duration)
			}
		case StepWatermark:
			if err := c.broadcast(message{kind: msgWatermark, value: st.Time}); err != nil {
				return c.failure(err)
			}
		}
	}
	return nil
}

// awaitPending waits until every injected barrier completed.
func (c *coordinator) awaitPending() error {
	for len(c.pending) > 0 {
		select {
		case <-c.g.acks.notify:
			if err := c.complete(); err != nil {
				return err
			}
		case err := <-c.g.errs:
			return err
		}
	}
	return nil
}
