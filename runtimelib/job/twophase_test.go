package job

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// fakeDBs are the databases of the jdbc:fake: URLs: the checkpoint committed per sink
// and the commits made.
type fakeDBs struct {
	mu        sync.Mutex
	committed map[string]int64
	commits   []string
}

var fakes = &fakeDBs{committed: map[string]int64{}}

func init() {
	checkpoint.RegisterDatabase("jdbc:fake:", func(r *options.Resolved, _ stream.Schema) (checkpoint.Database, error) {
		return fakeDB{}, nil
	})
}

type fakeDB struct{}

func (fakeDB) Committed(_ context.Context, job, sink string) (int64, bool, error) {
	fakes.mu.Lock()
	defer fakes.mu.Unlock()
	id, ok := fakes.committed[sink]
	return id, ok, nil
}

func (fakeDB) Commit(_ context.Context, job, sink string, id int64, positions string, rows [][]byte) (bool, error) {
	fakes.mu.Lock()
	defer fakes.mu.Unlock()
	if have, ok := fakes.committed[sink]; ok && have >= id {
		return false, nil
	}
	fakes.committed[sink] = id
	fakes.commits = append(fakes.commits, fmt.Sprintf("%s %d %s %q", sink, id, positions, rows))
	return true, nil
}

func (fakeDB) Close() error { return nil }

// twoSinkSpec is stateSpec with two JDBC sinks, a and b.
func twoSinkSpec() *Spec {
	spec := stateSpec()
	for _, n := range []string{"a", "b"} {
		spec.Tables = append(spec.Tables, TableSpec{Name: n, Role: options.Sink, Options: []options.KV{
			{Key: "connector", Value: "jdbc"}, {Key: "url", Value: "jdbc:fake:" + n}, {Key: "table-name", Value: n}}})
	}
	return spec
}

// The databases of the JDBC sinks name the checkpoint to restore: the latest they
// committed; a sink one behind commits that checkpoint's rows from it first; a
// checkpoint no longer on disk, or sinks further apart, are errors that say so.
func TestRestoreByDatabase(t *testing.T) {
	dir := t.TempDir()
	spec := twoSinkSpec()
	st := &checkpoint.Store{Dir: dir, Retained: 5}
	for _, id := range []int64{4, 5} {
		l := loadedOf(spec)
		l.Manifest.ID = id
		l.Manifest.Sources[0].Positions[0].Offset = 10 * id
		l.Manifest.Sinks = []checkpoint.SinkRows{{Table: "a"}, {Table: "b"}}
		rows := [][][]byte{{[]byte(fmt.Sprintf("a%d", id))}, {[]byte(fmt.Sprintf("b%d-0", id)), []byte(fmt.Sprintf("b%d-1", id))}}
		if _, err := st.Write(l.Manifest, l.Blobs, rows); err != nil {
			t.Fatal(err)
		}
	}
	var c *Context
	grab := func(ctx *Context) error { c = ctx; return nil }
	run := func(committed map[string]int64) result {
		t.Helper()
		fakes.mu.Lock()
		fakes.committed, fakes.commits = committed, nil
		fakes.mu.Unlock()
		c = nil
		return runJob(t, spec, nil, grab, "--checkpoint-interval", "1s", "--checkpoint-dir", dir)
	}

	// b died before committing 5: 5 is restored, b commits 5's rows (both tasks') first.
	res := run(map[string]int64{"a": 5, "b": 4})
	if res.code != 0 || c.restore == nil || c.restore.ID != 5 || c.firstCheckpoint != 6 {
		t.Fatalf("a at 5, b at 4: exit %d %s, %+v", res.code, res.stderr, c)
	}
	if want := `b 5 [{"table":"t","splits":[{"name":"a.csv","partition":0,"offset":50}]}] ["b5-0" "b5-1"]`; len(fakes.commits) != 1 || fakes.commits[0] != want {
		t.Errorf("commits %v, want [%s]", fakes.commits, want)
	}
	if c.opts["a"].TwoPhase == nil || c.opts["b"].TwoPhase == nil || c.opts["t"].TwoPhase != nil {
		t.Error("the JDBC sinks, and only they, are two-phase")
	}

	// Both at 4 (the process died after writing 5, before committing it): 4 is
	// restored and nothing committed; the next checkpoint is 6.
	res = run(map[string]int64{"a": 4, "b": 4})
	if res.code != 0 || c.restore == nil || c.restore.ID != 4 || c.firstCheckpoint != 6 || len(fakes.commits) != 0 {
		t.Fatalf("both at 4: exit %d %s, %+v, commits %v", res.code, res.stderr, c, fakes.commits)
	}

	// None: nothing is restored, and the log says why.
	res = run(map[string]int64{})
	if res.code != 0 || c.restore != nil || c.firstCheckpoint != 6 || !strings.Contains(res.stderr, "name no checkpoint") {
		t.Fatalf("none committed: exit %d %s, %+v", res.code, res.stderr, c)
	}

	// A checkpoint written before the sinks were two-phase (no sink rows in it) is
	// restored though the databases name none.
	old := t.TempDir()
	l := loadedOf(spec)
	if _, err := (&checkpoint.Store{Dir: old}).Write(l.Manifest, l.Blobs, nil); err != nil {
		t.Fatal(err)
	}
	fakes.committed = map[string]int64{}
	if res := runJob(t, spec, nil, grab, "--checkpoint-interval", "1s", "--checkpoint-dir", old); res.code != 0 || c.restore == nil || c.restore.ID != 4 {
		t.Fatalf("a checkpoint of before: exit %d %s, %+v", res.code, res.stderr, c)
	}

	// A checkpoint the directory no longer holds, and sinks two apart, are refused.
	res = run(map[string]int64{"a": 7, "b": 7})
	if res.code != 1 || !strings.Contains(res.stderr, "names checkpoint 7") || !strings.Contains(res.stderr, "chk-4 to chk-5") {
		t.Errorf("a checkpoint not on disk: exit %d %s", res.code, res.stderr)
	}
	res = run(map[string]int64{"a": 5, "b": 3})
	if res.code != 1 || !strings.Contains(res.stderr, "table b's database names checkpoint 3") {
		t.Errorf("sinks two apart: exit %d %s", res.code, res.stderr)
	}
}
