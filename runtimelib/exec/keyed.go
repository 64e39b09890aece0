package exec

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
)

// What a keyed task's state needs from the runtime: the processing time (state TTL),
// the number of key groups and which of them the task owns (a snapshot's blocks are
// per key group, so a restore at another parallelism takes the task's own).

// Now returns the processing time in epoch milliseconds: the graph's clock (a script's
// clock moves with its sleep steps).
func (t *Task) Now() int64 { return t.stage.g.now() }

// MaxParallelism returns the number of key groups the graph's keyed stages route by
// (pipeline.max-parallelism).
func (t *Task) MaxParallelism() int { return t.stage.g.MaxParallelism() }

// OwnsKeyGroup reports whether key group g belongs to this task under the stage's
// current parallelism: g mod N is its index, as Output.KeyTask routes.
func (t *Task) OwnsKeyGroup(g int) bool { return keygroup.Task(g, len(t.stage.tasks)) == t.index }

// WriteKeyedHeader starts a keyed operator's snapshot with the number of key groups its
// entries were assigned under; ReadKeyedHeader checks it on restore.
func (t *Task) WriteKeyedHeader(w *codec.Writer) {
	w.Uint64(uint64(t.MaxParallelism()))
}

// ReadKeyedHeader reads what WriteKeyedHeader wrote and fails unless the snapshot was
// taken with this job's number of key groups: a key's group is its hash mod that
// number, so the groups of a snapshot taken with another one belong to other tasks
// (Flink refuses such a restore too).
func (t *Task) ReadKeyedHeader(r *codec.Reader) error {
	k := r.Uint64()
	if err := r.Err(); err != nil {
		return fmt.Errorf("snapshot header: %w", err)
	}
	if want := t.MaxParallelism(); k != uint64(want) {
		return fmt.Errorf("the snapshot was taken with %s = %d, this job runs with %d: the number of key groups cannot change across a restore", keygroup.MaxParallelismKey, k, want)
	}
	return nil
}
