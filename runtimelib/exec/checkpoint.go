package exec

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Checkpoints. With Config.CheckpointInterval set, some barriers are checkpoints: a
// task that has such a barrier on every input snapshots its operator's state
// (Snapshotter) right after OnBarrier, before it forwards the barrier, so the snapshot
// holds exactly the effect of the input before the barrier. When every task
// acknowledged it, the coordinator hands Config.OnCheckpointComplete the snapshots (one
// blob per task of each stateful stage) and the sources' positions before the barrier;
// only once that returned (the checkpoint is durable) are the positions committed to
// sources that keep them outside the job (stream.Committer). The barriers between two
// checkpoints only flush, and commit nothing.
//
// Restore (Config.Restore) runs in Run before any task starts: every task of a stage
// gets the blobs of that stage's tasks at checkpoint time (Snapshotter.Restore once per
// blob, each adding the key groups the task owns now), so a stage may restore into
// another parallelism; with the same parallelism each task gets only its own blob,
// which holds exactly its key groups. Sources that implement stream.Resumable resume
// at the checkpoint's positions.

// Checkpoint is a complete checkpoint: what every stateful task saved and where every
// source stood at its barrier.
type Checkpoint struct {
	// ID numbers the job's checkpoints: Config.FirstCheckpointID, then one more each.
	ID int64
	// Final: the job's last barrier (its input ended, or it was stopped). Stopped: it
	// was stopped (SIGTERM): the checkpoint is a savepoint.
	Final, Stopped bool
	// MaxParallelism is the number of key groups the snapshots are organised by.
	MaxParallelism int
	// Stages lists every stage: its name, uid and parallelism, and for a stage whose
	// operators save state the blob of each task, by task index.
	Stages []StageSnapshot
	// Sources holds the position of every split of every source before the barrier:
	// where a restored job resumes.
	Sources []SourcePositions
}

// StageSnapshot is a stage in a checkpoint.
type StageSnapshot struct {
	UID   string   // the stage's SetUID, or its name
	Name  string   // the stage's name
	Tasks int      // its parallelism at the checkpoint
	Blobs [][]byte // by task index; nil when its operators are not Snapshotters
}

// SourcePositions are the positions of one source's splits.
type SourcePositions struct {
	Table     string // the table it reads, when it says (the script's tableSource)
	Positions []stream.Position
}

// Restore is the checkpoint a graph starts from (Config.Restore).
type Restore struct {
	// ID is the restored checkpoint's id; the next one is ID+1.
	ID int64
	// Stages are the snapshots by stage uid. Every stage of the graph with a
	// Snapshotter operator and an entry here is restored; an entry no stage of the
	// graph claims is an error (the caller leaves out what it chose to ignore).
	Stages map[string]StageSnapshot
	// Sources are the positions by table name, for the sources that are
	// stream.Resumable.
	Sources map[string][]stream.Position
}

// SetUID gives the stage the identity its state is checkpointed and restored under
// (Flink's operator uid): generated code derives it from what determines the state, so
// that it survives compatible edits of the job. Without one a stage's name is used.
func (s *Stage) SetUID(uid string) { s.uid = uid }

// UID returns the stage's uid (its name when none was set).
func (s *Stage) UID() string {
	if s.uid == "" {
		return s.name
	}
	return s.uid
}

// snapshots keeps which barriers are checkpoints and the blobs their tasks took, until
// the coordinator collects them. Tasks and the coordinator share it; a lock taken once
// per task and checkpoint costs nothing next to the snapshot.
type snapshots struct {
	mu    sync.Mutex
	ids   map[int64]int64              // barrier id -> checkpoint id
	blobs map[int64]map[*Task]([]byte) // barrier id -> task -> blob
}

// mark records that barrier is checkpoint id; called before the barrier is sent.
func (s *snapshots) mark(barrier, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids, s.blobs = map[int64]int64{}, map[int64]map[*Task][]byte{}
	}
	s.ids[barrier] = id
	s.blobs[barrier] = map[*Task][]byte{}
}

func (s *snapshots) isCheckpoint(barrier int64) bool { return s.checkpointOf(barrier) != 0 }

// checkpointOf returns the checkpoint id of barrier, 0 for a flush barrier. It is
// known from before the barrier is sent until it completes.
func (s *snapshots) checkpointOf(barrier int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[barrier]
}

// CheckpointOf returns the checkpoint id of barrier, 0 for a barrier that only flushes
// (stream.TwoPhase). Tasks ask it while they handle the barrier (OnBarrier).
func (g *Graph) CheckpointOf(barrier int64) int64 { return g.snaps.checkpointOf(barrier) }

func (s *snapshots) put(barrier int64, t *Task, blob []byte) {
	s.mu.Lock()
	s.blobs[barrier][t] = blob
	s.mu.Unlock()
}

// take removes and returns a complete checkpoint barrier's blobs.
func (s *snapshots) take(barrier int64) map[*Task][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.blobs[barrier]
	delete(s.blobs, barrier)
	delete(s.ids, barrier)
	return b
}

// snapshot saves the task's state for checkpoint barrier id, in the task's goroutine
// right after OnBarrier.
func (t *Task) snapshot(barrier int64) error {
	sn, ok := t.op.(Snapshotter)
	if !ok {
		return nil
	}
	var w codec.Writer
	if err := sn.Snapshot(&w); err != nil {
		return fmt.Errorf("stage %s task %d: checkpoint snapshot: %w", t.stage.name, t.index, err)
	}
	t.stage.g.snaps.put(barrier, t, w.Buf)
	return nil
}

// restore restores every stateful task from the checkpoint and resumes the sources,
// before the graph runs.
func (g *Graph) restore(r *Restore) error {
	claimed := map[string]bool{}
	for _, s := range g.stages {
		st, ok := r.Stages[s.UID()]
		if !ok {
			continue
		}
		claimed[s.UID()] = true
		for _, t := range s.tasks {
			sn, ok := t.op.(Snapshotter)
			if !ok {
				return fmt.Errorf("restore: stage %s has checkpointed state (uid %s) but its operator cannot restore", s.name, s.UID())
			}
			blobs := st.Blobs
			if len(blobs) == len(s.tasks) {
				// The same parallelism: the task's own blob holds every key group it
				// owns now, and only those.
				blobs = blobs[t.index : t.index+1]
			}
			for i, b := range blobs {
				if err := sn.Restore(codec.NewReader(b)); err != nil {
					return fmt.Errorf("restore: stage %s task %d from the snapshot of task %d of %d: %w", s.name, t.index, i, len(st.Blobs), err)
				}
			}
		}
	}
	var unclaimed []string
	for uid := range r.Stages {
		if !claimed[uid] {
			unclaimed = append(unclaimed, uid)
		}
	}
	if len(unclaimed) > 0 {
		slices.Sort(unclaimed)
		return fmt.Errorf("restore: no stage of the job has the uid of the checkpointed state %v", unclaimed)
	}
	for i, src := range g.source.sources {
		name := sourceTable(src, i)
		pos, ok := r.Sources[name]
		if !ok {
			continue
		}
		res, ok := src.(stream.Resumable)
		if !ok {
			slog.Warn("restore: the source cannot resume at the checkpoint's position; it starts over", "table", name)
			continue
		}
		if err := res.Resume(pos); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	return nil
}

// sourceTable names source i: its table, or "source i" for a source that does not say.
func sourceTable(src stream.Source, i int) string {
	if ts, ok := src.(tableSource); ok {
		return ts.Table()
	}
	return fmt.Sprintf("source %d", i)
}

// checkpointPositions are the positions of every split of every source at a barrier:
// where each split started (stream.Resumable's Starts: restored or configured), then the
// end of the last batch dispatched before the barrier. A split is named by its name and
// partition, which outlive the run.
func (c *coordinator) checkpointPositions() []SourcePositions {
	type splitName struct {
		name      string
		partition int32
	}
	out := make([]SourcePositions, len(c.g.source.sources))
	for i, src := range c.g.source.sources {
		byName := map[splitName]stream.Position{}
		if res, ok := src.(stream.Resumable); ok {
			for _, p := range res.Starts() {
				byName[splitName{p.Name, p.Partition}] = p
			}
		}
		for k, p := range c.positions {
			if int(k.source) == i {
				byName[splitName{p.Name, p.Partition}] = p
			}
		}
		ps := make([]stream.Position, 0, len(byName))
		for _, p := range byName {
			ps = append(ps, p)
		}
		slices.SortFunc(ps, func(a, b stream.Position) int {
			return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Partition, b.Partition))
		})
		out[i] = SourcePositions{Table: sourceTable(src, i), Positions: ps}
	}
	return out
}

// checkpoint assembles a complete checkpoint barrier's snapshots.
func (c *coordinator) checkpoint(p pendingBarrier) *Checkpoint {
	blobs := c.g.snaps.take(p.id)
	cp := &Checkpoint{ID: p.checkpoint, Final: p.final, Stopped: p.stopped, MaxParallelism: c.g.MaxParallelism(), Sources: p.sources}
	for _, s := range c.g.stages {
		st := StageSnapshot{UID: s.UID(), Name: s.name, Tasks: len(s.tasks)}
		for _, t := range s.tasks {
			if b, ok := blobs[t]; ok {
				if st.Blobs == nil {
					st.Blobs = make([][]byte, len(s.tasks))
				}
				st.Blobs[t.index] = b
			}
		}
		cp.Stages = append(cp.Stages, st)
	}
	return cp
}
