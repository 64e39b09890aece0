package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	jobpkg "github.com/sqlc-stream/sqlc-stream/runtimelib/job"
)

// The checkpoint tests (docs/checkpoints.md) run jobs that count events per key into
// an upsert SQLite table, with checkpoints every 100 ms into ./ck. A Go function slows
// the source down ($SLOW_EVERY calls sleep $SLOW_MS ms each), so that a kill or a
// signal lands while the job runs. Each test compares the final table with a plain Go
// aggregation of the input, and checks with the job's statistics that a restarted job
// read exactly the records after the checkpoint it restored: the restored state, not a
// recomputation, made the result.

const ckptUDF = `package udf

import (
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

var calls atomic.Int64

var every, ms = env("SLOW_EVERY", 64), env("SLOW_MS", 1)

func env(k string, def int64) int64 {
	if n, err := strconv.ParseInt(os.Getenv(k), 10, 64); err == nil {
		return n
	}
	return def
}

// Slow returns k, sleeping now and then; a sleep of a second or more is announced.
func Slow(k string) string {
	if every > 0 && calls.Add(1)%every == 0 {
		if ms >= 1000 {
			os.Stderr.WriteString("slow: sleeping\n")
		}
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	return k
}
`

// ckptHead is every version's checkpoint settings, source, sink and function.
const ckptHead = `
SET 'execution.checkpointing.interval' = '100 ms';
SET 'execution.checkpointing.dir' = 'ck';
SET 'state.checkpoints.num-retained' = '2';
CREATE TABLE events (k STRING, v BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'in', 'format' = 'csv');
CREATE TABLE totals (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'totals',
  'sink.buffer-flush.interval' = '50 ms');
CREATE FUNCTION slow AS 'example.com/ckpt/udf.Slow' LANGUAGE GO;
`

// ckptJob is the base job: per key, the number of events and the sum of v.
const ckptJob = ckptHead + `
INSERT INTO totals SELECT slow(k), COUNT(*), SUM(v) FROM events GROUP BY slow(k);
`

// lineWidth is the width of every input line ("k042,00001234\n"), so that a byte
// offset is a record count.
const lineWidth = 14

type total struct{ n, s int64 }

// ckptModule is a scratch module with the slow function, in which jobs are built.
type ckptModule struct {
	dir  string
	jobs int
}

func newCkptModule(t *testing.T) *ckptModule {
	dir := gotest.NewModule(t, "ckpt")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), ckptUDF)
	return &ckptModule{dir: dir}
}

// build compiles a version of the job (always named job.sql: one job) into a binary.
func (m *ckptModule) build(t *testing.T, sqlText string) string {
	t.Helper()
	m.jobs++
	return jobtest.BuildPkg(t, m.dir, fmt.Sprintf("job%d", m.jobs), sqlText)
}

// writeEvents writes file name of work/in with n events: key k<i mod keys>, v seeded.
func writeEvents(t *testing.T, work, name string, n, keys int, seed uint64, want map[string]total) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	for i := range n {
		k := fmt.Sprintf("k%03d", (i*7+int(seed))%keys)
		v := rng.Int64N(100_000_000)
		fmt.Fprintf(&b, "%s,%08d\n", k, v)
		if want != nil {
			w := want[k]
			w.n++
			w.s += v
			want[k] = w
		}
	}
	if b.Len() != n*lineWidth {
		t.Fatalf("lines are not %d bytes wide", lineWidth)
	}
	gotest.WriteFile(t, filepath.Join(work, "in", name), b.String())
}

// ckptRun is a run of a job binary in a working directory.
type ckptRun struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr *watcher
	done   chan struct{}
	err    error
	stats  string
}

func startIn(t *testing.T, work, bin string, env []string, args ...string) *ckptRun {
	t.Helper()
	r := &ckptRun{cmd: exec.Command(bin, args...), done: make(chan struct{}), stderr: newWatcher(), stats: filepath.Join(work, fmt.Sprintf("stats-%d.json", time.Now().UnixNano()))}
	r.cmd.Dir = work
	r.cmd.Env = append(append(os.Environ(), "SQLC_STREAM_STATS_FILE="+r.stats), env...)
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.done
	})
	return r
}

// wait waits for the run to end (a guard against a hung job, not a timing) and returns
// its exit code.
func (r *ckptRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(5 * time.Minute):
		t.Fatalf("the job hangs; stderr:\n%s", r.stderr)
	}
	var ee *exec.ExitError
	if errors.As(r.err, &ee) {
		return ee.ExitCode()
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	return 0
}

// records is how many records the run read (its statistics; only a run that exited
// writes them).
func (r *ckptRun) records(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(r.stats)
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Records int64 }
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st.Records
}

// runToEnd runs a job until it exits by itself and fails the test unless it exits 0.
func runToEnd(t *testing.T, work, bin string, env []string, args ...string) *ckptRun {
	t.Helper()
	r := startIn(t, work, bin, env, args...)
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, r.stderr)
	}
	return r
}

// latest returns the checkpoint a restart restores (nil for none): the one the totals
// table's offsets row names (the sink is exactly-once), else the latest in work/ck; and
// the records before its positions.
func latest(t *testing.T, work string) (*checkpoint.Manifest, int64) {
	t.Helper()
	store := &checkpoint.Store{Dir: filepath.Join(work, "ck")}
	var l *checkpoint.Loaded
	var err error
	if id := namedByDatabase(t, work); id > 0 {
		l, err = checkpoint.Load(store.Path(id))
	} else {
		l, err = store.Latest()
	}
	if err != nil {
		t.Fatal(err)
	}
	if l == nil {
		return nil, 0
	}
	var bytes int64
	for _, s := range l.Manifest.Sources {
		for _, p := range s.Positions {
			bytes += p.Offset
		}
	}
	return l.Manifest, bytes / lineWidth
}

// namedByDatabase is the checkpoint of job.sql that out.db's offsets row for totals
// names (0: none).
func namedByDatabase(t *testing.T, work string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(work, "out.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, _, _ := checkpoint.ReadCommitted(context.Background(), db, "job", "totals", "") // no table yet: 0
	return id
}

// readTotals reads the table a job wrote; table defaults to totals.
func readTotals(t *testing.T, work, table string) map[string]total {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(work, "out.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return queryTotals(t, db, "SELECT k, n, COALESCE(s, 0) FROM "+table)
}

// queryTotals runs a query of rows (k, n, s) and returns them by k.
func queryTotals(t *testing.T, db *sql.DB, query string) map[string]total {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]total{}
	for rows.Next() {
		var k string
		var v total
		if err := rows.Scan(&k, &v.n, &v.s); err != nil {
			t.Fatal(err)
		}
		got[k] = v
	}
	return got
}

// readCount is the number of events the totals table counts so far (0 before the
// table exists).
func readCount(t *testing.T, work string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(work, "out.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n sql.NullInt64
	if err := db.QueryRow("SELECT SUM(n) FROM totals").Scan(&n); err != nil {
		return 0
	}
	return n.Int64
}

func checkTotals(t *testing.T, got, want map[string]total) {
	t.Helper()
	if maps.Equal(got, want) {
		return
	}
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			diffs = append(diffs, fmt.Sprintf("%s: got %+v, want %+v", k, got[k], want[k]))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %+v, not in the input", k, got[k]))
		}
	}
	t.Fatalf("%d keys differ, first: %v", len(diffs), diffs[:min(5, len(diffs))])
}

// killAtRandom runs the job in work until it wrote a checkpoint of its own (or ended),
// then kills it with SIGKILL after a random time below spread: a kill at a random point
// of a run that made progress. It reports whether the run restored a checkpoint.
func killAtRandom(t *testing.T, work, bin string, env, args []string, rng *rand.Rand, spread time.Duration) bool {
	t.Helper()
	before, _ := latest(t, work)
	r := startIn(t, work, bin, env, args...)
	for {
		if mf, _ := latest(t, work); mf != nil && (before == nil || mf.ID > before.ID) {
			break
		}
		select {
		case <-r.done:
			return strings.Contains(r.stderr.String(), "restoring checkpoint")
		case <-time.After(5 * time.Millisecond):
		}
	}
	time.Sleep(time.Duration(rng.Int64N(int64(spread))))
	r.cmd.Process.Signal(syscall.SIGKILL)
	r.wait(t)
	return strings.Contains(r.stderr.String(), "restoring checkpoint")
}

// A file job with checkpoints, SIGKILLed at random moments and restarted each time with
// 1, 2 or 3 tasks per stage (a restore at another parallelism redistributes the key
// groups), ends with the exact table; its last run reads only what its checkpoint had
// not.
func TestCheckpointKillRestart(t *testing.T) {
	m := newCkptModule(t)
	bin := m.build(t, ckptJob)
	// 2.7 MiB a file: 10 chunks of the file source, so barriers come between them.
	const files, perFile, keys = 5, 200000, 200
	const all = int64(files * perFile)
	want := map[string]total{}
	input := func(work string, w map[string]total) {
		for f := range files {
			writeEvents(t, work, fmt.Sprintf("part-%d.csv", f), perFile, keys, uint64(f), w)
		}
	}
	par := []string{"-D", "parallelism.default=2"}

	// An uninterrupted run: the same table, and how long a run takes, to kill within it.
	ref := t.TempDir()
	input(ref, want)
	start := time.Now()
	slow := []string{"SLOW_EVERY=512"}
	r := runToEnd(t, ref, bin, slow, par...)
	length := time.Since(start)
	checkTotals(t, readTotals(t, ref, "totals"), want)
	if n := r.records(t); n != all {
		t.Fatalf("an uninterrupted run read %d records, want %d", n, all)
	}
	t.Logf("an uninterrupted run takes %s", length.Round(time.Millisecond))

	work := t.TempDir()
	input(work, nil)
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill times seeded with %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	restored := 0
	randomPar := func() []string { return []string{"-D", fmt.Sprintf("parallelism.default=%d", 1+rng.IntN(3))} }
	for i := range 10 {
		if m, _ := latest(t, work); m != nil && m.Final {
			break // a run ended before its kill
		}
		p := randomPar()
		if killAtRandom(t, work, bin, slow, p, rng, length/4) {
			restored++
		}
		if mf, done := latest(t, work); mf != nil {
			t.Logf("kill %d (%s): latest checkpoint %d covers %d of %d records", i, p[1], mf.ID, done, all)
		}
	}
	mf, done := latest(t, work)
	if mf == nil {
		t.Fatal("no run wrote a checkpoint before it was killed")
	}
	last := runToEnd(t, work, bin, nil, randomPar()...)
	if !strings.Contains(last.stderr.String(), "restoring checkpoint") {
		t.Errorf("the last run did not restore checkpoint %d:\n%s", mf.ID, last.stderr)
	}
	checkTotals(t, readTotals(t, work, "totals"), want)
	if n := last.records(t); n != all-done {
		t.Errorf("the last run read %d records; its checkpoint %d covered %d of %d, so it should read %d", n, mf.ID, done, all, all-done)
	}
	if restored == 0 {
		t.Errorf("no killed run restored a checkpoint")
	}
	t.Logf("%d killed runs restored a checkpoint", restored)
	if ents, _ := os.ReadDir(filepath.Join(work, "ck")); len(ents) > 2 {
		t.Errorf("the checkpoint directory holds %d entries, more than the 2 retained: %v", len(ents), ents)
	}
}

// stopMidRun runs the job slowed down with 2 tasks until it wrote results, then stops
// it with SIGTERM and fails the test unless it exits 0.
func stopMidRun(t *testing.T, work, bin string) *ckptRun {
	t.Helper()
	r := startIn(t, work, bin, []string{"SLOW_EVERY=128", "SLOW_MS=1"}, "-D", "parallelism.default=2")
	// Wait until the job wrote results: it is running.
	for readCount(t, work) == 0 {
		select {
		case <-r.done:
			t.Fatalf("the job ended before it wrote anything:\n%s", r.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	if code := r.wait(t); code != 0 {
		t.Fatalf("SIGTERM: exit %d\n%s", code, r.stderr)
	}
	return r
}

// SIGTERM drains the job, takes a savepoint and exits 0; restarted with more input, the
// job goes on from the savepoint. A second signal exits at once.
func TestCheckpointSavepoint(t *testing.T) {
	m := newCkptModule(t)
	bin := m.build(t, ckptJob)
	work := t.TempDir()
	want := map[string]total{}
	for i, f := range []string{"a.csv", "b.csv", "c.csv"} {
		writeEvents(t, work, f, 200000, 50, uint64(i), want)
	}

	r := stopMidRun(t, work, bin)
	mf, done := latest(t, work)
	if !mf.Savepoint || !strings.Contains(r.stderr.String(), "savepoint written") {
		t.Fatalf("no savepoint at SIGTERM: %+v\n%s", mf, r.stderr)
	}
	if done == 0 || done == 600000 {
		t.Fatalf("the savepoint covers %d of 600000 records: the job was not stopped mid-run", done)
	}
	t.Logf("the savepoint covers %d records", done)

	writeEvents(t, work, "d.csv", 10000, 60, 3, want)
	last := runToEnd(t, work, bin, nil, "-D", "parallelism.default=2")
	checkTotals(t, readTotals(t, work, "totals"), want)
	if n := last.records(t); n != 610000-done {
		t.Errorf("the restarted run read %d records, want the %d after the savepoint", n, 610000-done)
	}

	// A second signal: the first stops reading, but the batch in progress sleeps for
	// minutes; the second exits at once, with 128 + SIGTERM.
	writeEvents(t, work, "e.csv", 1000, 10, 4, nil)
	r = startIn(t, work, bin, []string{"SLOW_EVERY=1", "SLOW_MS=60000"})
	if !r.stderr.waitFor(r.done, time.Minute, "slow: sleeping") {
		t.Fatalf("the job did not start:\n%s", r.stderr)
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	// Two signals sent at once may arrive as one: wait for the first to be seen.
	if !r.stderr.waitFor(r.done, time.Minute, "stopping (once more to exit at once)") {
		t.Fatalf("the job did not see the first SIGTERM:\n%s", r.stderr)
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	if code := r.wait(t); code != 128+int(syscall.SIGTERM) || !strings.Contains(r.stderr.String(), "exiting at once") {
		t.Errorf("two SIGTERMs: exit %d\n%s", code, r.stderr)
	}
}

// A checkpoint restores into the job recompiled with compatible edits (another sink, a
// new aggregate, which start empty) and is refused, naming the change, when an
// aggregate's key or function changed, unless unclaimed state may be dropped.
func TestCheckpointCompatibility(t *testing.T) {
	m := newCkptModule(t)
	work := t.TempDir()
	want := map[string]total{}
	writeEvents(t, work, "a.csv", 3000, 20, 1, want)
	runToEnd(t, work, m.build(t, ckptJob), nil)

	// Incompatible: another key, another function.
	for _, c := range []struct{ query, msg string }{
		{"INSERT INTO totals SELECT UPPER(slow(k)), COUNT(*), SUM(v) FROM events GROUP BY UPPER(slow(k));",
			"GROUP BY changed from [slow(k) STRING] to [UPPER(slow(k)) STRING]"},
		{"INSERT INTO totals SELECT slow(k), COUNT(*), MAX(v) FROM events GROUP BY slow(k);",
			"aggregate calls changed from [COUNT(*), SUM(v)] to [COUNT(*), MAX(v)]"},
	} {
		bin := m.build(t, ckptHead+c.query)
		r := startIn(t, work, bin, nil)
		if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), c.msg) || !strings.Contains(r.stderr.String(), "job.sql:") {
			t.Errorf("%s\nexit %d, want 1 with %q:\n%s", c.query, code, c.msg, r.stderr)
		}
	}
	checkTotals(t, readTotals(t, work, "totals"), want)

	// Compatible: a new aggregate into a new table and a stateless sink. The old
	// aggregate goes on; the new ones see only the input after the checkpoint.
	writeEvents(t, work, "b.csv", 2000, 30, 2, want)
	after := map[string]total{}
	writeEvents(t, t.TempDir(), "b.csv", 2000, 30, 2, after)
	added := ckptJob + `
CREATE TABLE per_key (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'per_key');
CREATE TABLE echo (k STRING, v BIGINT) WITH ('connector' = 'print');
INSERT INTO per_key SELECT k, COUNT(v), SUM(v) FROM events GROUP BY k;
INSERT INTO echo SELECT k, v FROM events WHERE v < 1000000;
`
	r := runToEnd(t, work, m.build(t, added), nil)
	if !strings.Contains(r.stderr.String(), "is new: it starts empty") {
		t.Errorf("the new aggregate was not reported as new:\n%s", r.stderr)
	}
	checkTotals(t, readTotals(t, work, "totals"), want)
	checkTotals(t, readTotals(t, work, "per_key"), after)
	echoed := strings.Count(r.stdout.String(), "+I[")
	b, _ := os.ReadFile(filepath.Join(work, "in", "b.csv"))
	wantEchoed := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line[5:] < "01000000" {
			wantEchoed++
		}
	}
	if echoed != wantEchoed {
		t.Errorf("the new stateless sink printed %d rows, want the %d of the input after the checkpoint", echoed, wantEchoed)
	}

	// A second reader of the aggregate (its view into another table): the aggregate's
	// state restores, and the new table gets every group at once, the old ones with the
	// rest of the input. Then the reader dropped again: the state restores without it.
	withView := strings.Replace(added, "INSERT INTO totals SELECT slow(k), COUNT(*), SUM(v) FROM events GROUP BY slow(k);", `
CREATE VIEW per_slow_key AS SELECT slow(k) AS k, COUNT(*) AS n, SUM(v) AS s FROM events GROUP BY slow(k);
CREATE TABLE mirror (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'mirror');
INSERT INTO totals SELECT * FROM per_slow_key;
INSERT INTO mirror SELECT * FROM per_slow_key;
`, 1)
	writeEvents(t, work, "b2.csv", 1000, 30, 5, want)
	r = runToEnd(t, work, m.build(t, withView), nil)
	// Two upsert readers that compute the same row share one loop, so the reader is
	// "totals and mirror": both tables get every group.
	if !strings.Contains(r.stderr.String(), "has a new reader totals and mirror") {
		t.Errorf("the new reader was not reported:\n%s", r.stderr)
	}
	checkTotals(t, readTotals(t, work, "totals"), want)
	checkTotals(t, readTotals(t, work, "mirror"), want)
	writeEvents(t, work, "b3.csv", 1000, 30, 6, want)
	r = runToEnd(t, work, m.build(t, added), nil)
	if !strings.Contains(r.stderr.String(), "no longer has reader totals and mirror") {
		t.Errorf("the dropped reader was not reported:\n%s", r.stderr)
	}
	checkTotals(t, readTotals(t, work, "totals"), want)

	// An incompatible edit restores with ignore-unclaimed-state, dropping the old
	// state: the new aggregate starts empty.
	writeEvents(t, work, "c.csv", 500, 5, 3, nil)
	changed := ckptHead + "INSERT INTO totals SELECT UPPER(slow(k)), COUNT(*), SUM(v) FROM events GROUP BY UPPER(slow(k));"
	r = runToEnd(t, work, m.build(t, changed), nil, "--allow-non-restored-state")
	if !strings.Contains(r.stderr.String(), "dropping") {
		t.Errorf("no word of the dropped state:\n%s", r.stderr)
	}
	got := readTotals(t, work, "totals")
	if got["K000"].n == 0 || got["K000"].n >= 500 {
		t.Errorf("the new aggregate counted %d rows of K000; it should count only c.csv's", got["K000"].n)
	}
}

// Kafka: the job resumes at the checkpoint's offsets whatever scan.startup.mode says
// (group-offsets and earliest-offset alike), killed at random moments and restarted
// with 1, 2 or 3 tasks.
func TestCheckpointKafkaKillRestart(t *testing.T) {
	m := newCkptModule(t)
	bootstrap := testservers.Kafka(t)
	const partitions, perPartition, keys = 3, 200000, 40
	const all = partitions * perPartition
	for _, mode := range []string{"group-offsets", "earliest-offset"} {
		t.Run(mode, func(t *testing.T) {
			topic := testservers.CreateTopic(t, bootstrap, partitions)
			want := map[string]total{}
			var recs []testservers.Record
			rng := rand.New(rand.NewPCG(uint64(len(mode)), 3))
			for p := range partitions {
				for i := range perPartition {
					k := fmt.Sprintf("k%03d", (i+p)%keys)
					v := rng.Int64N(1000)
					w := want[k]
					w.n++
					w.s += v
					want[k] = w
					recs = append(recs, testservers.Record{Partition: p, Value: fmt.Appendf(nil, "%s,%d", k, v), Time: time.Now()})
				}
			}
			testservers.Produce(t, bootstrap, topic, recs...)
			// The group id names the run: the reference run's commits must not move
			// the killed runs' start.
			sqlText := strings.Replace(ckptJob, `'connector' = 'filesystem', 'path' = 'in', 'format' = 'csv'`, fmt.Sprintf(
				`'connector' = 'kafka', 'topic' = '%s', 'properties.bootstrap.servers' = '%s', 'properties.group.id' = 'g-%s-${RUN}',
				 'scan.startup.mode' = '%s', 'scan.bounded.mode' = 'latest-offset', 'format' = 'csv'`, topic, bootstrap, topic, mode), 1)
			bin := m.build(t, sqlText)
			par := []string{"-D", "parallelism.default=2"}
			env := func(run string) []string { return []string{"SLOW_EVERY=256", "RUN=" + run} }

			ref := t.TempDir()
			start := time.Now()
			runToEnd(t, ref, bin, env("ref"), par...)
			length := time.Since(start)
			checkTotals(t, readTotals(t, ref, "totals"), want)

			work := t.TempDir()
			seed := uint64(time.Now().UnixNano())
			t.Logf("an uninterrupted run takes %s; kill times seeded with %d", length.Round(time.Millisecond), seed)
			kr := rand.New(rand.NewPCG(seed, 2))
			restored := 0
			for range 6 {
				if mf, _ := latest(t, work); mf != nil && mf.Final {
					break
				}
				if killAtRandom(t, work, bin, env("main"), []string{"-D", fmt.Sprintf("parallelism.default=%d", 1+kr.IntN(3))}, kr, length/4) {
					restored++
				}
			}
			mf, _ := latest(t, work)
			if mf == nil {
				t.Fatal("no checkpoint after the kills")
			}
			var done int64 // Kafka positions are offsets: one per record
			for _, s := range mf.Sources {
				for _, p := range s.Positions {
					done += p.Offset
				}
			}
			last := runToEnd(t, work, bin, env("main"), par...)
			checkTotals(t, readTotals(t, work, "totals"), want)
			if n := last.records(t); n != all-done {
				t.Errorf("the last run read %d records; its checkpoint %d covered %d of %d", n, mf.ID, done, all)
			}
			if restored == 0 {
				t.Error("no killed run restored a checkpoint")
			}
			t.Logf("%d killed runs restored a checkpoint; the last run restored checkpoint %d (%d of %d records)", restored, mf.ID, done, all)
		})
	}
}

// A SIGTERM while a MySQL sink retries a failed write (the server is down, and
// sink.max-retries would keep it trying for many minutes) exits at once with the
// write's error; the last checkpoint stays the restore point, and once the server is
// back the restarted job ends with the exact table.
func TestCheckpointSignalWhileRetrying(t *testing.T) {
	if os.Getenv("SQLC_STREAM_MYSQL_DSN") != "" {
		t.Skip("stops and starts the local MariaDB; unset SQLC_STREAM_MYSQL_DSN to run it")
	}
	my := newMySQL(t)
	if _, err := my.db.Exec(`CREATE TABLE totals (k VARCHAR(16) NOT NULL PRIMARY KEY, n BIGINT, s BIGINT)`); err != nil {
		t.Fatal(err)
	}
	m := newCkptModule(t)
	sqlText := strings.Replace(ckptJob, `'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'totals',`,
		fmt.Sprintf(`'connector' = 'jdbc', 'url' = 'jdbc:mysql://%s/%s', 'table-name' = 'totals', 'username' = '%s', 'password' = '%s',
		 'sink.max-retries' = '1000',`, my.cfg.Addr, my.cfg.DBName, my.cfg.User, my.cfg.Passwd), 1)
	bin := m.build(t, sqlText)
	work := t.TempDir()
	want := map[string]total{}
	for i := range 3 {
		writeEvents(t, work, fmt.Sprintf("part-%d.csv", i), 200000, 40, uint64(i), want)
	}
	r := startIn(t, work, bin, []string{"SLOW_EVERY=512"})
	// Rows in the table: the job runs; then the server goes away.
	for {
		var n int
		if err := my.db.QueryRow("SELECT COUNT(*) FROM totals").Scan(&n); err == nil && n > 0 {
			break
		}
		select {
		case <-r.done:
			t.Fatalf("the job ended before it wrote:\n%s", r.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	testservers.StopMariaDB(t)
	if !r.stderr.waitFor(r.done, 2*time.Minute, "MySQL write failed, retrying") {
		t.Fatalf("the job did not retry a write:\n%s", r.stderr)
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	// 1000 retries, at most 10 s apart, would take hours: an exit within the guard of
	// wait is the signal's doing.
	if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), "stopped while retrying") {
		t.Fatalf("SIGTERM while retrying: exit %d\n%s", code, r.stderr)
	}
	testservers.StartMariaDB(t)
	runToEnd(t, work, bin, nil)
	checkTotals(t, queryTotals(t, my.db, "SELECT k, n, s FROM totals"), want)
}

// A savepoint taken by SIGTERM restores into the same job recompiled and into a
// compatible edit (another aggregate into another table, a stateless sink), each from
// a copy of the stopped job's directory, with -s naming the savepoint; an incompatible
// edit is refused, naming the change, and changes nothing.
func TestSavepointRecompiledAndEdited(t *testing.T) {
	m := newCkptModule(t)
	bin := m.build(t, ckptJob)
	work := t.TempDir()
	want := map[string]total{}
	for i, f := range []string{"a.csv", "b.csv"} {
		writeEvents(t, work, f, 200000, 50, uint64(i), want)
	}
	r := stopMidRun(t, work, bin)
	mf, done := latest(t, work)
	if mf == nil || !mf.Savepoint || done == 0 || done == 400000 {
		t.Fatalf("no savepoint mid-run: %+v, %d records", mf, done)
	}
	savepoint := filepath.Join("ck", fmt.Sprintf("chk-%d", mf.ID))
	copyDir := func() string {
		t.Helper()
		dst := t.TempDir()
		if out, err := exec.Command("cp", "-a", work+"/.", dst).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
		return dst
	}

	// Incompatible: refused with the change named, the table as the savepoint left it.
	before := readTotals(t, work, "totals")
	changed := ckptHead + "INSERT INTO totals SELECT slow(k), COUNT(*), MAX(v) FROM events GROUP BY slow(k);"
	r = startIn(t, work, m.build(t, changed), nil, "-s", savepoint)
	if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), "aggregate calls changed from [COUNT(*), SUM(v)] to [COUNT(*), MAX(v)]") {
		t.Errorf("an incompatible edit: exit %d, want 1 naming the change:\n%s", code, r.stderr)
	}
	checkTotals(t, readTotals(t, work, "totals"), before)

	// The same SQL recompiled: a new binary that restores the savepoint and reads only
	// what follows it.
	same := copyDir()
	last := runToEnd(t, same, m.build(t, ckptJob), nil, "-s", savepoint)
	if !strings.Contains(last.stderr.String(), "restoring savepoint") {
		t.Errorf("the recompiled job did not restore the savepoint:\n%s", last.stderr)
	}
	checkTotals(t, readTotals(t, same, "totals"), want)
	if n := last.records(t); n != 400000-done {
		t.Errorf("the recompiled job read %d records, want the %d after the savepoint", n, 400000-done)
	}

	// A compatible edit: the old aggregate goes on, the new one starts empty.
	edited := copyDir()
	added := ckptJob + `
CREATE TABLE per_key (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'per_key');
CREATE TABLE echo (k STRING, v BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO per_key SELECT k, COUNT(v), SUM(v) FROM events GROUP BY k;
INSERT INTO echo SELECT k, v FROM events;
`
	last = runToEnd(t, edited, m.build(t, added), nil, "-s", savepoint)
	if !strings.Contains(last.stderr.String(), "restoring savepoint") || !strings.Contains(last.stderr.String(), "is new: it starts empty") {
		t.Errorf("the edited job did not restore the savepoint:\n%s", last.stderr)
	}
	checkTotals(t, readTotals(t, edited, "totals"), want)
	var counted int64
	for _, v := range readTotals(t, edited, "per_key") {
		counted += v.n
	}
	if counted != 400000-done {
		t.Errorf("the new aggregate counted %d records, want the %d after the savepoint", counted, 400000-done)
	}
}

// The process dies at the two moments a random kill seldom hits, through
// $SQLC_STREAM_CRASH_AT, with two JDBC sinks: between writing checkpoint 2 and
// committing it (the databases still name 1: it is restored, and its input read again),
// and between the two sinks' commits of checkpoint 2 (one names 2, the other 1: 2 is
// restored, and the second sink commits 2's rows from it first). Both tables end
// exact, and each offsets row names the final checkpoint.
func TestCheckpointCrashBetweenWriteAndCommit(t *testing.T) {
	m := newCkptModule(t)
	bin := m.build(t, ckptJob+`
CREATE TABLE plain (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'plain');
INSERT INTO plain SELECT k, COUNT(*), SUM(v) FROM events GROUP BY k;
`)
	named := func(work, sink string) int64 {
		db, err := sql.Open("sqlite", filepath.Join(work, "out.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		id, _, err := checkpoint.ReadCommitted(context.Background(), db, "job", sink, "")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	slow := "SLOW_EVERY=128"
	for _, c := range []struct {
		at                  string
		totals, plain, want int64 // the checkpoints named after the crash; restored
		log                 string
	}{
		{"write:2", 1, 1, 1, "restoring checkpoint"},
		{"commit:2", 2, 1, 2, "committed a checkpoint's rows the process had not committed"},
	} {
		t.Run(c.at, func(t *testing.T) {
			work := t.TempDir()
			want := map[string]total{}
			for i, f := range []string{"a.csv", "b.csv"} {
				writeEvents(t, work, f, 100000, 40, uint64(i), want)
			}
			plainWant := map[string]total{}
			for k, v := range want { // slow(k) is k
				plainWant[k] = v
			}
			r := startIn(t, work, bin, []string{slow, jobpkg.CrashEnv + "=" + c.at})
			r.wait(t)
			if !strings.Contains(r.stderr.String(), "crashing on purpose") {
				t.Fatalf("the job did not crash at %s:\n%s", c.at, r.stderr)
			}
			if a, b := named(work, "totals"), named(work, "plain"); a != c.totals || b != c.plain {
				t.Fatalf("after the crash the databases name %d and %d, want %d and %d", a, b, c.totals, c.plain)
			}
			last := runToEnd(t, work, bin, []string{slow})
			if !strings.Contains(last.stderr.String(), fmt.Sprintf("id=%d", c.want)) || !strings.Contains(last.stderr.String(), c.log) {
				t.Errorf("the restart did not restore checkpoint %d with %q:\n%s", c.want, c.log, last.stderr)
			}
			checkTotals(t, readTotals(t, work, "totals"), want)
			checkTotals(t, readTotals(t, work, "plain"), plainWant)
			mf, _ := latest(t, work)
			if a, b := named(work, "totals"), named(work, "plain"); a != mf.ID || b != mf.ID || !mf.Final {
				t.Errorf("at the end the databases name %d and %d, the final checkpoint is %d", a, b, mf.ID)
			}
		})
	}
}
