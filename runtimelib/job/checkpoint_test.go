package job

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The checkpoint settings come from SET (the spec), -D and the flags, later ones
// winning; bad values are errors (exit 2).
func TestCheckpointSettings(t *testing.T) {
	spec := testSpec()
	spec.Settings = []options.KV{{Key: CheckpointIntervalKey, Value: "5 s"}, {Key: LegacyCheckpointDirKey, Value: "file:///tmp/old"}}
	var got checkpointSettings
	grab := func(c *Context) error { got = c.ckpt; return nil }
	dir := t.TempDir()
	if res := runJob(t, spec, pwEnv, grab); res.code != 0 || got.interval != 5*time.Second || got.dir != "/tmp/old" || got.retained != 1 {
		t.Fatalf("from SET: %+v (exit %d, %s)", got, res.code, res.stderr)
	}
	res := runJob(t, spec, pwEnv, grab, "-D", RetainedKey+"=3", "--checkpoint-interval", "250ms", "--checkpoint-dir", dir, "-s", filepath.Join(dir, "none"), "--allow-non-restored-state")
	// The savepoint path does not exist: restoring it fails (exit 1), after the settings
	// were read.
	if res.code != 1 || !strings.Contains(res.stderr, "none") {
		t.Fatalf("a missing savepoint: exit %d, %s", res.code, res.stderr)
	}
	res = runJob(t, spec, pwEnv, grab, "-D", RetainedKey+"=3", "--checkpoint-interval", "250ms", "--checkpoint-dir", dir, "--allow-non-restored-state")
	if res.code != 0 || got.interval != 250*time.Millisecond || got.dir != dir || got.retained != 3 || !got.ignoreUnclaimed {
		t.Fatalf("from flags: %+v (exit %d, %s)", got, res.code, res.stderr)
	}
	for _, bad := range []string{CheckpointIntervalKey + "=soon", CheckpointIntervalKey + "=0s", RetainedKey + "=0", IgnoreUnclaimedKey + "=maybe"} {
		if res := runJob(t, spec, pwEnv, grab, "-D", bad); res.code != 2 || !strings.Contains(res.stderr, strings.Split(bad, "=")[0]) {
			t.Errorf("-D %s: exit %d, %s", bad, res.code, res.stderr)
		}
	}
}

// stateSpec is a spec with one aggregate over table t, as the compiler writes it.
func stateSpec() *Spec {
	return &Spec{Name: "j", Tables: []TableSpec{{Name: "t", Role: options.Source, Options: []options.KV{{Key: "connector", Value: "print"}}}},
		State: []StateSpec{{UID: "agg-1", Desc: "Aggregate(groupBy=[k], aggs=[COUNT(*), SUM(v)])", Input: "t", Pos: "j.sql:5:1", Layout: "L1",
			Fields: []string{"key k STRING", "acc COUNT(*): agg.Count", "acc SUM(v): agg.Sum[int64] with seen flag"}, Readers: []string{"reader o: emitted flag"}}}}
}

func loadedOf(spec *Spec) *checkpoint.Loaded {
	m := &checkpoint.Manifest{Job: spec.Name, ID: 4, MaxParallelism: 128,
		Sources: []checkpoint.Source{{Table: "t", Positions: []stream.Position{{Name: "a.csv", Offset: 10}}}}}
	l := &checkpoint.Loaded{Path: "/ck/chk-4", Manifest: m}
	for _, s := range spec.State {
		m.Operators = append(m.Operators, checkpoint.Operator{UID: s.UID, Stage: "s1", Tasks: 2, Desc: s.Desc, Input: s.Input, Pos: s.Pos, Layout: s.Layout, Fields: s.Fields, Readers: s.Readers})
		l.Blobs = append(l.Blobs, [][]byte{[]byte("a"), []byte("b")})
	}
	return l
}

func TestMatchCheckpoint(t *testing.T) {
	// The same job: everything restores.
	r, notes, err := matchCheckpoint(stateSpec(), loadedOf(stateSpec()), false)
	if err != nil || len(notes) != 0 || len(r.Stages) != 1 || string(r.Stages["agg-1"].Blobs[1]) != "b" || r.Sources["t"][0].Offset != 10 || r.ID != 4 {
		t.Fatalf("same job: %+v %v %v", r, notes, err)
	}

	// A new operator starts empty; the old one still restores.
	spec := stateSpec()
	spec.State = append(spec.State, StateSpec{UID: "agg-2", Desc: "Aggregate(groupBy=[v], aggs=[MAX(k)])", Input: "t", Pos: "j.sql:9:1", Layout: "L2"})
	r, notes, err = matchCheckpoint(spec, loadedOf(stateSpec()), false)
	if err != nil || len(r.Stages) != 1 || len(notes) != 1 || !strings.Contains(notes[0], "MAX(k)") || !strings.Contains(notes[0], "starts empty") {
		t.Fatalf("an added operator: %v %v %v", r, notes, err)
	}

	// The same uid with another layout is refused, naming the operator and the fields.
	spec = stateSpec()
	spec.State[0].Layout = "L1b"
	spec.State[0].Fields = []string{"key k STRING", "acc COUNT(*): agg.Count", "acc SUM(v): agg.Sum[float64] with seen flag"}
	_, _, err = matchCheckpoint(spec, loadedOf(stateSpec()), true)
	if err == nil || !strings.Contains(err.Error(), "j.sql:5:1") || !strings.Contains(err.Error(), "removed acc SUM(v): agg.Sum[int64] with seen flag; added acc SUM(v): agg.Sum[float64] with seen flag") {
		t.Fatalf("a changed layout: %v", err)
	}

	// Readers added and dropped restore, with a word of each.
	spec = stateSpec()
	spec.State[0].Readers = []string{"reader p: emitted flag"}
	r, notes, err = matchCheckpoint(spec, loadedOf(stateSpec()), false)
	if err != nil || len(r.Stages) != 1 || len(notes) != 2 || !strings.Contains(notes[0], "new reader p") || !strings.Contains(notes[1], "no longer has reader o") {
		t.Fatalf("readers changed: %v %v", notes, err)
	}

	// A changed GROUP BY makes another operator: the old state is unclaimed and the
	// message says what changed; ignore-unclaimed-state drops it.
	spec = stateSpec()
	spec.State[0] = StateSpec{UID: "agg-9", Desc: "Aggregate(groupBy=[k, v], aggs=[COUNT(*), SUM(v)])", Input: "t", Pos: "j.sql:5:1", Layout: "L9",
		Fields: []string{"key k STRING", "key v BIGINT", "acc COUNT(*): agg.Count", "acc SUM(v): agg.Sum[int64] with seen flag"}}
	_, _, err = matchCheckpoint(spec, loadedOf(stateSpec()), false)
	if err == nil || !strings.Contains(err.Error(), "GROUP BY changed from [k STRING] to [k STRING, v BIGINT]") || !strings.Contains(err.Error(), IgnoreUnclaimedKey) {
		t.Fatalf("a changed key: %v", err)
	}
	spec.State[0].Fields = []string{"key k STRING", "acc COUNT(*): agg.Count", "acc MAX(v): agg.MaxInt64 with seen flag"}
	_, _, err = matchCheckpoint(spec, loadedOf(stateSpec()), false)
	if err == nil || !strings.Contains(err.Error(), "aggregate calls changed from [COUNT(*), SUM(v)] to [COUNT(*), MAX(v)]") {
		t.Fatalf("a changed aggregate call: %v", err)
	}
	r, notes, err = matchCheckpoint(spec, loadedOf(stateSpec()), true)
	if err != nil || len(r.Stages) != 0 || len(notes) != 2 || !strings.Contains(notes[0], "dropping") {
		t.Fatalf("ignoring unclaimed state: %v %v %v", r, notes, err)
	}

	// Positions of a table the job no longer reads are unclaimed too; another job's
	// checkpoint is refused.
	spec = stateSpec()
	spec.Tables[0].Name = "u"
	if _, _, err := matchCheckpoint(spec, loadedOf(stateSpec()), false); err == nil || !strings.Contains(err.Error(), "source table t") {
		t.Errorf("an unread source: %v", err)
	}
	spec = stateSpec()
	spec.Name = "other"
	if _, _, err := matchCheckpoint(spec, loadedOf(stateSpec()), true); err == nil || !strings.Contains(err.Error(), `taken by job "j"`) {
		t.Errorf("another job's checkpoint: %v", err)
	}
}

// A restored job takes the checkpoint's pipeline.max-parallelism unless the setting
// is given, which must then be the same; its next checkpoint id follows the directory's.
func TestPrepareCheckpointsMaxParallelism(t *testing.T) {
	dir := t.TempDir()
	spec := stateSpec()
	l := loadedOf(spec)
	l.Manifest.MaxParallelism = 256
	st := &checkpoint.Store{Dir: dir, Retained: 5}
	if _, err := st.Save(l.Manifest, l.Blobs); err != nil {
		t.Fatal(err)
	}
	var c *Context
	grab := func(ctx *Context) error { c = ctx; return nil }
	res := runJob(t, spec, nil, grab, "--checkpoint-interval", "1s", "--checkpoint-dir", dir)
	if res.code != 0 || c.graph.maxParallelism != 256 || c.restore == nil || c.firstCheckpoint != 5 {
		t.Fatalf("exit %d (%s): max parallelism %d, restore %v, next id %d", res.code, res.stderr, c.graph.maxParallelism, c.restore, c.firstCheckpoint)
	}
	res = runJob(t, spec, nil, grab, "--checkpoint-interval", "1s", "--checkpoint-dir", dir, "-D", "pipeline.max-parallelism=128")
	if res.code != 1 || !strings.Contains(res.stderr, "pipeline.max-parallelism = 256") {
		t.Errorf("another max parallelism: exit %d, %s", res.code, res.stderr)
	}
}

// The first SIGTERM cancels the job's context; the second exits at once with 128+15.
func TestStopOnSignal(t *testing.T) {
	exited := make(chan int, 1)
	ctx, stop := stopOnSignal("j", io.Discard, func(code int) { exited <- code })
	defer stop()
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the first SIGTERM did not stop the job")
	}
	select {
	case code := <-exited:
		t.Fatalf("exited (%d) on the first signal", code)
	default:
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if code := <-exited; code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit code %d on the second signal", code)
	}
}
