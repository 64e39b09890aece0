package mysql

import (
	"context"
	"sync"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// twoPhase is the job's side of a two-phase sink: barrier 2 is checkpoint 7.
type twoPhase struct {
	mu     sync.Mutex
	sealed map[int64][][]byte
}

func (p *twoPhase) CheckpointOf(barrier int64) int64 { return map[int64]int64{2: 7}[barrier] }

func (p *twoPhase) Seal(id int64, rows []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sealed[id] = append(p.sealed[id], rows)
}

// A two-phase sink writes nothing before the commit, even past
// sink.buffer-flush.max-rows; the commit writes every task's rows with the offsets row,
// once.
func TestTwoPhase(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, statDDL)
	var written []options.KV
	all := append(append([]string(nil), srv.opts...), "table-name", "my-stat")
	for i := 0; i < len(all); i += 2 {
		written = append(written, options.KV{Key: all[i], Value: all[i+1]})
	}
	r, _ := options.Resolve("stat", written)
	db, err := openDatabase(r, statSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tp := &twoPhase{sealed: map[int64][][]byte{}}
	var tasks []*Sink
	for range 2 {
		s, err := srv.sink(t, statSchema, "table-name", "my-stat", "sink.buffer-flush.max-rows", "1")
		if err != nil {
			t.Fatal(err)
		}
		s.tp = tp
		tasks = append(tasks, s)
	}
	row(t, tasks[0], stream.Insert, "Beijing", 1, 1.5)
	row(t, tasks[0], stream.UpdateAfter, "Beijing", 2, 2.5)
	row(t, tasks[1], stream.Insert, "Hebei", 3, 0.5)
	for b := int64(1); b <= 2; b++ {
		for _, s := range tasks {
			if err := stream.FlushAt(s, b); err != nil {
				t.Fatal(err)
			}
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := srv.dump(t, "`my-stat`"); got != "" || len(tp.sealed[7]) != 2 {
		t.Fatalf("before the commit: table %q, sealed %d", got, len(tp.sealed[7]))
	}
	c := context.Background()
	if done, err := db.Commit(c, "j", "stat", 7, "[]", tp.sealed[7]); !done || err != nil {
		t.Fatalf("commit: %v %v", done, err)
	}
	if done, err := db.Commit(c, "j", "stat", 7, "[]", tp.sealed[7]); done || err != nil {
		t.Fatalf("commit again: %v %v", done, err)
	}
	if got, want := srv.dump(t, "`my-stat`"), "Beijing,2,2.5\nHebei,3,0.5"; got != want {
		t.Fatalf("table:\n%s\nwant:\n%s", got, want)
	}
	if got := srv.dump(t, "(SELECT job, sink, checkpoint_id, positions FROM "+checkpoint.OffsetsTable+") o"); got != "j,stat,7,[]" {
		t.Fatalf("offsets row %q", got)
	}
	if id, ok, err := db.Committed(c, "j", "stat"); id != 7 || !ok || err != nil {
		t.Fatalf("committed %d %v %v", id, ok, err)
	}
}
