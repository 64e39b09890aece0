package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// The restart tests (docs/failures.md): a job that fails restarts inside its process,
// as its restart strategy says, from its last checkpoint, and ends with the exact
// table.

// failUDF fails the call number $FAIL_AT of the process, once: a task error that a
// restart gets past (the restarted job calls it again with larger numbers). It slows
// the job down like ckptUDF's Slow, so that checkpoints come before the failure.
const failUDF = `package udf

import (
	"errors"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

var calls atomic.Int64

var failAt, _ = strconv.ParseInt(os.Getenv("FAIL_AT"), 10, 64)

// Check returns k; call number $FAIL_AT fails, and so does every call with k $POISON.
func Check(k string) (string, error) {
	n := calls.Add(1)
	if n == failAt {
		return "", errors.New("injected task failure")
	}
	if k == os.Getenv("POISON") {
		return "", errors.New("poison record")
	}
	if n%512 == 0 {
		time.Sleep(time.Millisecond)
	}
	return k, nil
}
`

// failJob counts events per key through the failing function, with checkpointing as
// $CKPT says (the SET lines or none).
const failJob = `
CREATE TABLE events (k STRING, v BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'in', 'format' = 'csv');
CREATE TABLE totals (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = 'totals',
  'sink.buffer-flush.interval' = '50 ms');
CREATE FUNCTION check_k AS 'example.com/restart/udf.Check' LANGUAGE GO;
INSERT INTO totals SELECT check_k(k), COUNT(*), SUM(v) FROM events GROUP BY check_k(k);
`

var restartsRE = regexp.MustCompile(`job\.restarts=(\d+)`)

// restartsOf is the job.restarts counter of a run's summary line (-1: absent).
func restartsOf(stderr string) int {
	m := restartsRE.FindStringSubmatch(stderr)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// A task error: with checkpoints and no restart option the job restarts (Flink's
// default exponential-delay) from its last checkpoint; without checkpoints it restarts
// from the start when a strategy is set (here by SET), and fails when none is (here -D
// over the SET).
func TestRestartAfterTaskError(t *testing.T) {
	dir := gotest.NewModule(t, "restart")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), failUDF)
	m := &ckptModule{dir: dir}
	withCkpt := m.build(t, "SET 'execution.checkpointing.interval' = '100 ms';\nSET 'execution.checkpointing.dir' = 'ck';\n"+failJob)
	// Without checkpoints, a strategy SET in the script (Flink's older key).
	noCkpt := m.build(t, "SET 'restart-strategy' = 'fixed-delay';\nSET 'restart-strategy.fixed-delay.delay' = '10 ms';\n"+failJob)
	const files, perFile, keys = 4, 200000, 100
	const all = files * perFile
	input := func(work string, want map[string]total) {
		for f := range files {
			writeEvents(t, work, fmt.Sprintf("part-%d.csv", f), perFile, keys, uint64(f), want)
		}
	}
	want := map[string]total{}
	failAt := []string{fmt.Sprintf("FAIL_AT=%d", all*3/4)}

	t.Run("checkpoints", func(t *testing.T) {
		work := t.TempDir()
		input(work, want)
		r := runToEnd(t, work, withCkpt, failAt, "-D", "parallelism.default=2")
		checkTotals(t, readTotals(t, work, "totals"), want)
		stderr := r.stderr.String()
		m := regexp.MustCompile(`job failed; restarting from checkpoint (\d+)" job=job cause=".*injected task failure.*" restart=1`).FindStringSubmatch(stderr)
		if m == nil || restartsOf(stderr) != 1 {
			t.Fatalf("no restart from a checkpoint logged, or job.restarts is not 1:\n%s", stderr)
		}
		// The restarted run read only what its checkpoint had not: all the input
		// once, plus what the failed run read after the checkpoint, which is less than
		// everything it read.
		if n := r.records(t); n <= all || n >= all+all*3/4 {
			t.Errorf("read %d records in all; want more than %d (some read again after the restore) and less than %d (not from the start)", n, all, all+all*3/4)
		}
		if !strings.Contains(stderr, "restart_strategy=\"exponential-delay (1s to 1m0s, x1.5)\"") {
			t.Errorf("the default strategy with checkpoints is not exponential-delay:\n%s", stderr)
		}
	})

	// A record that fails every time: one restart, then the job ends with its error
	// instead of restarting forever.
	t.Run("poison", func(t *testing.T) {
		work := t.TempDir()
		input(work, nil)
		gotest.WriteFile(t, filepath.Join(work, "in", "part-1b.csv"), "k999,00000001\n") // the only k999
		r := startIn(t, work, withCkpt, []string{"POISON=k999"}, "-D", "parallelism.default=2")
		if code := r.wait(t); code != 1 {
			t.Fatalf("exit %d, want 1:\n%s", code, r.stderr)
		}
		stderr := r.stderr.String()
		for _, want := range []string{"part-1b.csv:1: ", "function check_k returned an error: poison record", "restart=1 ",
			"the same record failed again after a restart from the same point: not restarting"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
	})

	t.Run("no-checkpoints-fixed-delay", func(t *testing.T) {
		work := t.TempDir()
		input(work, nil)
		r := runToEnd(t, work, noCkpt, failAt)
		checkTotals(t, readTotals(t, work, "totals"), want)
		stderr := r.stderr.String()
		if !strings.Contains(stderr, "restarting from its sources' start positions, with empty state") || restartsOf(stderr) != 1 {
			t.Fatalf("no restart from the start logged, or job.restarts is not 1:\n%s", stderr)
		}
		if n := r.records(t); n <= all+all/2 {
			t.Errorf("read %d records in all; a restart from the start reads the input again", n)
		}
	})

	t.Run("no-checkpoints-no-strategy", func(t *testing.T) {
		work := t.TempDir()
		input(work, nil)
		r := startIn(t, work, noCkpt, failAt, "-D", "restart-strategy.type=none") // over the script's SET
		if code := r.wait(t); code != 1 || !strings.Contains(r.stderr.String(), "injected task failure") || strings.Contains(r.stderr.String(), "restarting") {
			t.Fatalf("exit %d, want 1 with the failure and no restart:\n%s", code, r.stderr)
		}
	})
}

// outage is how long the outage tests keep a server away: $SQLC_STREAM_E2E_OUTAGE
// (acceptance: 30s), else 15 s to keep the default run short.
func outage(t *testing.T) time.Duration {
	t.Helper()
	if s := os.Getenv("SQLC_STREAM_E2E_OUTAGE"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("SQLC_STREAM_E2E_OUTAGE=%q: %v", s, err)
		}
		return d
	}
	return 15 * time.Second
}

// TestSeedSurvivesOutages is acceptance 2 of issue 11: the seed job with checkpoints
// every second and no other option survives MariaDB stopped for $SQLC_STREAM_E2E_OUTAGE
// (its writes fail past their retries: the job restarts from its checkpoint, again and
// again with a growing delay, until the server is back), and the broker gone for as
// long and back; both end with the exact table.
func TestSeedSurvivesOutages(t *testing.T) {
	if os.Getenv("SQLC_STREAM_MYSQL_DSN") != "" || os.Getenv("SQLC_STREAM_KAFKA") != "" {
		t.Skip("stops the local MariaDB and the in-process broker; unset SQLC_STREAM_MYSQL_DSN and SQLC_STREAM_KAFKA to run it")
	}
	b := &builder{dir: t.TempDir(), root: gotest.RepoRoot(t)}
	bin := b.job(t, seedWithCheckpoints(t, b, "cdn_checkpointed", false))
	n := records(t)
	h1, h2 := n/2, n-n/2
	stop := mock.PartitionCounts(h1, partitions)
	for i, c := range mock.PartitionCounts(h2, partitions) {
		stop[i] += c
	}
	// start runs the job on a fresh broker and database, produces the first half and
	// waits for its result in the table.
	start := func(t *testing.T) (*testservers.Broker, *mysqlDB, *job, *mock.Generator, mock.KafkaOptions) {
		br := testservers.StartBroker(t)
		my := newMySQL(t)
		if _, err := mock.EnsureTopic(context.Background(), []string{br.Addr()}, "access_log", partitions); err != nil {
			t.Fatal(err)
		}
		args := append(my.seedArgs(), "-D", "cdn_access_log.scan.bounded.mode=specific-offsets",
			"-D", "cdn_access_log.scan.bounded.specific-offsets="+stopOffsets(stop))
		j := startJob(t, bin, seedEnv(br.Addr(), my), args...)
		g := mock.New(seed, malformed, true)
		opts := mock.KafkaOptions{Brokers: []string{br.Addr()}, Topic: "access_log"}
		if _, err := g.ProduceKafka(context.Background(), h1, opts); err != nil {
			t.Fatal(err)
		}
		waitTable(t, my.db, reference(t, h1), j)
		return br, my, j, g, opts
	}

	t.Run("MariaDB", func(t *testing.T) {
		_, my, j, g, opts := start(t)
		testservers.StopMariaDB(t)
		down := time.Now()
		if _, err := g.ProduceKafka(context.Background(), h2, opts); err != nil {
			t.Fatal(err)
		}
		if !j.stderr.waitFor(j.done, 2*time.Minute, "job failed; restarting from checkpoint") {
			t.Fatalf("the job did not restart from a checkpoint; stderr:\n%s", j.stderr)
		}
		time.Sleep(time.Until(down.Add(outage(t))))
		testservers.StartMariaDB(t)
		j.wait(t)
		checkTable(t, my.db, reference(t, n))
		stderr := j.stderr.String()
		if restartsOf(stderr) < 1 || !strings.Contains(stderr, `restart_strategy="exponential-delay`) {
			t.Errorf("job.restarts missing or 0, or not the default strategy:\n%s", stderr)
		}
		t.Logf("%d restarts while MariaDB was down for %s", restartsOf(stderr), outage(t))
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, "restart") || strings.Contains(l, " done in ") {
				t.Log(l)
			}
		}
	})

	t.Run("broker", func(t *testing.T) {
		br, my, j, g, opts := start(t)
		br.Cut()
		if !j.stderr.waitFor(j.done, 2*time.Minute, "kafka fetch failed, retrying") {
			t.Fatalf("the job did not notice the broker leaving; stderr:\n%s", j.stderr)
		}
		time.Sleep(outage(t))
		br.Restore()
		if _, err := g.ProduceKafka(context.Background(), h2, opts); err != nil {
			t.Fatal(err)
		}
		j.wait(t)
		checkTable(t, my.db, reference(t, n))
	})
}

// A Kafka broker gone for longer than the Kafka sink's retries: the source waits, the
// sink's write fails, the job restarts from its last checkpoint, its source waits for
// the broker, and once the broker is back the job ends with the exact result in its
// upsert-kafka topic.
func TestRestartKafkaBrokerGone(t *testing.T) {
	if os.Getenv("SQLC_STREAM_KAFKA") != "" {
		t.Skip("takes the in-process broker away; unset SQLC_STREAM_KAFKA to run it")
	}
	br := testservers.StartBroker(t)
	in := testservers.CreateTopic(t, br.Addr(), 3)
	out := testservers.CreateTopic(t, br.Addr(), 1)
	want := map[string]total{}
	var recs []testservers.Record
	for p := range 3 {
		for i := range 100000 {
			k, v := fmt.Sprintf("k%03d", (i+p)%40), int64(i%1000)
			w := want[k]
			w.n++
			w.s += v
			want[k] = w
			recs = append(recs, testservers.Record{Partition: p, Value: fmt.Appendf(nil, "%s,%d", k, v), Time: time.Now()})
		}
	}
	testservers.Produce(t, br.Addr(), in, recs...)
	m := newCkptModule(t)
	bin := m.build(t, fmt.Sprintf(`
SET 'execution.checkpointing.interval' = '100 ms';
SET 'execution.checkpointing.dir' = 'ck';
CREATE TABLE events (k STRING, v BIGINT) WITH (
  'connector' = 'kafka', 'topic' = '%[1]s', 'properties.bootstrap.servers' = '%[3]s',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'csv');
CREATE TABLE totals (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (
  'connector' = 'upsert-kafka', 'topic' = '%[2]s', 'properties.bootstrap.servers' = '%[3]s',
  'key.format' = 'json', 'value.format' = 'json');
CREATE FUNCTION slow AS 'example.com/ckpt/udf.Slow' LANGUAGE GO;
INSERT INTO totals SELECT slow(k), COUNT(*), SUM(v) FROM events GROUP BY slow(k);
`, in, out, br.Addr()))
	work := t.TempDir()
	r := startIn(t, work, bin, []string{"SLOW_EVERY=128", "SLOW_MS=2"}, "-D", "parallelism.default=2")
	// The broker goes once the job has written a checkpoint, with input in flight.
	for mf, _ := latest(t, work); mf == nil; mf, _ = latest(t, work) {
		select {
		case <-r.done:
			t.Fatalf("the job ended before its first checkpoint:\n%s", r.stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	br.Cut()
	if !r.stderr.waitFor(r.done, 2*time.Minute, "job failed; restarting from checkpoint") {
		t.Fatalf("the job did not restart from a checkpoint:\n%s", r.stderr)
	}
	// The restarted job finds the broker still gone: its source waits for it (or its
	// sink cannot open, and it restarts again).
	if !r.stderr.waitFor(r.done, 2*time.Minute, "kafka not ready, retrying", "restart=2") {
		t.Fatalf("the restarted job did not meet the broker's absence:\n%s", r.stderr)
	}
	br.Restore()
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, r.stderr)
	}
	got := map[string]total{}
	for _, msg := range testservers.ReadAll(t, br.Addr(), out) {
		var row struct {
			K    string
			N, S int64
		}
		if err := json.Unmarshal(msg.Value, &row); err != nil {
			t.Fatalf("value %s: %v", msg.Value, err)
		}
		got[row.K] = total{row.N, row.S}
	}
	checkTotals(t, got, want)
	t.Logf("job.restarts=%d", restartsOf(r.stderr.String()))
}
