package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// twoPhase is the job's side of a two-phase sink: barriers 3 and 6 are checkpoints 1
// and 2.
type twoPhase struct {
	mu     sync.Mutex
	sealed map[int64][][]byte
}

func (p *twoPhase) CheckpointOf(barrier int64) int64 {
	return map[int64]int64{3: 1, 6: 2}[barrier]
}

func (p *twoPhase) Seal(id int64, rows []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sealed[id] = append(p.sealed[id], rows)
}

// A two-phase sink writes nothing itself, not at a flush barrier nor at
// sink.buffer-flush.max-rows: it seals its rows at a checkpoint's barrier, and the
// database commits them with the offsets row, once; a commit of a checkpoint the
// database names already writes nothing.
func TestTwoPhase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.db")
	r := opts(path, "stat", "sink.buffer-flush.max-rows", "2")
	db, err := openDatabase(r, statSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tp := &twoPhase{sealed: map[int64][][]byte{}}
	r.TwoPhase = tp
	tasks := []*Sink{open(t, r, statSchema), open(t, r, statSchema)}
	stat(t, tasks[0], stream.Insert, "Beijing", 1, 10, 1.5)
	stat(t, tasks[0], stream.UpdateBefore, "Beijing", 1, 10, 1.5)
	stat(t, tasks[0], stream.UpdateAfter, "Beijing", 2, 30, 2.5)
	stat(t, tasks[1], stream.Insert, "Hebei", 1, 5, 0.5)
	for b := int64(1); b <= 3; b++ {
		for _, s := range tasks {
			if err := stream.FlushAt(s, b); err != nil {
				t.Fatal(err)
			}
		}
		if b == 2 {
			if got := query(t, path, "SELECT * FROM stat"); len(got) != 0 {
				t.Fatalf("written before the checkpoint: %v", got)
			}
		}
	}
	stat(t, tasks[1], stream.Delete, "Hebei", 1, 5, 0.5) // checkpoint 2's
	if len(tp.sealed[1]) != 2 || len(tp.sealed[2]) != 0 {
		t.Fatalf("sealed %v", tp.sealed)
	}
	if got := query(t, path, "SELECT * FROM stat"); len(got) != 0 {
		t.Fatalf("written before the commit: %v", got)
	}
	ctx := context.Background()
	if _, ok, err := db.Committed(ctx, "j", "cdn_access_statistic"); ok || err != nil {
		t.Fatalf("committed before the first commit: %v %v", ok, err)
	}
	done, err := db.Commit(ctx, "j", "cdn_access_statistic", 1, `[{"table":"t"}]`, tp.sealed[1])
	if !done || err != nil {
		t.Fatalf("commit 1: %v %v", done, err)
	}
	want := []string{"Beijing|2|30|2.5", "Hebei|1|5|0.5"}
	if got := query(t, path, "SELECT * FROM stat ORDER BY province"); !slices.Equal(got, want) {
		t.Fatalf("after commit 1: %v, want %v", got, want)
	}
	if got := query(t, path, "SELECT job, sink, checkpoint_id, positions FROM "+checkpoint.OffsetsTable); !slices.Equal(got, []string{`j|cdn_access_statistic|1|[{"table":"t"}]`}) {
		t.Fatalf("offsets row %v", got)
	}
	// Committed once: again, nothing is written (a restore's recovery of checkpoint 1).
	stat(t, tasks[0], stream.UpdateAfter, "Beijing", 9, 99, 9)
	if done, err := db.Commit(ctx, "j", "cdn_access_statistic", 1, "", [][]byte{tasks[0].encodePending()}); done || err != nil {
		t.Fatalf("commit 1 again: %v %v", done, err)
	}
	if got := query(t, path, "SELECT * FROM stat ORDER BY province"); !slices.Equal(got, want) {
		t.Fatalf("after committing 1 again: %v, want %v", got, want)
	}
	for b := int64(4); b <= 6; b++ {
		for _, s := range tasks {
			if err := stream.FlushAt(s, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if done, err := db.Commit(ctx, "j", "cdn_access_statistic", 2, "[]", tp.sealed[2]); !done || err != nil {
		t.Fatalf("commit 2: %v %v", done, err)
	}
	if got := query(t, path, "SELECT * FROM stat ORDER BY province"); !slices.Equal(got, []string{"Beijing|9|99|9"}) {
		t.Fatalf("after commit 2: %v", got)
	}
	if id, ok, err := db.Committed(ctx, "j", "cdn_access_statistic"); id != 2 || !ok || err != nil {
		t.Fatalf("committed %d %v %v", id, ok, err)
	}
	// Closing drops what no checkpoint covers.
	stat(t, tasks[1], stream.Insert, "Shanxi", 1, 1, 1)
	for _, s := range tasks {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := query(t, path, "SELECT province FROM stat"); !slices.Equal(got, []string{"Beijing"}) {
		t.Fatalf("after close: %v", got)
	}
}
