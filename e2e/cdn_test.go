package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

func TestMain(m *testing.M) { testservers.Main(m) }

const (
	seed       = 7
	malformed  = 0.01 // a few bad fields, to exercise ignore-parse-errors
	partitions = 4
)

// records is how many mock records each test produces: SQLC_STREAM_E2E_RECORDS, or
// 50,000 to keep the default run short.
func records(t *testing.T) int64 {
	t.Helper()
	s := os.Getenv("SQLC_STREAM_E2E_RECORDS")
	if s == "" {
		return 50_000
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 2 {
		t.Fatalf("SQLC_STREAM_E2E_RECORDS=%q: want a number >= 2", s)
	}
	return n
}

// TestCDN runs the seed job and its variants. The CLI and each job binary are built once
// (into the parent test's temporary directory) and shared by the subtests, which run one
// after another: the restart subtest stops the shared MariaDB.
func TestCDN(t *testing.T) {
	b := &builder{dir: t.TempDir(), root: gotest.RepoRoot(t)}
	t.Run("ProducedFirst", func(t *testing.T) { testProducedFirst(t, b) })
	t.Run("JobFirst", func(t *testing.T) { testJobFirst(t, b) })
	t.Run("JSON", func(t *testing.T) { testJSON(t, b) })
	t.Run("UpsertKafka", func(t *testing.T) { testUpsertKafka(t, b) })
	t.Run("MariaDBRestart", func(t *testing.T) { testMariaDBRestart(t, b) })
}

// testProducedFirst: examples/cdn/cdn.sql unchanged; N records produced into a
// 4-partition topic, then the job runs until it has read what was there at its start.
func testProducedFirst(t *testing.T, b *builder) {
	n := records(t)
	bin := b.job(t, "examples/cdn/cdn.sql")
	bootstrap := testservers.Kafka(t)
	my := newMySQL(t)
	topic, topicArgs := seedTopic(t, bootstrap)

	start := time.Now()
	g := mock.New(seed, malformed, true)
	if _, err := g.ProduceKafka(context.Background(), n, mock.KafkaOptions{
		Brokers: strings.Split(bootstrap, ","), Topic: topic, Partitions: partitions}); err != nil {
		t.Fatal(err)
	}
	t.Logf("produced %d records into %s (%d partitions) in %s", n, topic, partitions, time.Since(start).Round(time.Millisecond))

	args := append(my.seedArgs(), topicArgs...)
	args = append(args, "-D", "cdn_access_log.scan.bounded.mode=latest-offset")
	j := startJob(t, bin, seedEnv(bootstrap, my), args...)
	j.wait(t)
	logRate(t, n, j)
	checkTable(t, my.db, reference(t, n))
}

// testJobFirst: the same, with the job started before production; it stops at the
// known end of each partition ('scan.bounded.mode' = 'specific-offsets').
func testJobFirst(t *testing.T, b *builder) {
	n := records(t)
	bin := b.job(t, "examples/cdn/cdn.sql")
	bootstrap, fetching := kafkaWatchingFetches(t)
	my := newMySQL(t)
	topic, topicArgs := seedTopic(t, bootstrap)

	args := append(my.seedArgs(), topicArgs...)
	args = append(args, "-D", "cdn_access_log.scan.bounded.mode=specific-offsets",
		"-D", "cdn_access_log.scan.bounded.specific-offsets="+stopOffsets(mock.PartitionCounts(n, partitions)))
	j := startJob(t, bin, seedEnv(bootstrap, my), args...)
	if fetching != nil {
		// Produce only once the job is reading the (still empty) topic.
		select {
		case <-fetching:
		case <-j.done:
			t.Fatalf("the job exited (%v) before reading; stderr:\n%s", j.err, j.stderr)
		}
	}
	g := mock.New(seed, malformed, true)
	if _, err := g.ProduceKafka(context.Background(), n, mock.KafkaOptions{
		Brokers: strings.Split(bootstrap, ","), Topic: topic}); err != nil {
		t.Fatal(err)
	}
	j.wait(t)
	logRate(t, n, j)
	checkTable(t, my.db, reference(t, n))
}

// testJSON: JSON values and the Flink >= 1.11 option keys (testdata/cdn_json.sql).
func testJSON(t *testing.T, b *builder) {
	n := records(t)
	bin := b.job(t, "e2e/testdata/cdn_json.sql")
	bootstrap := testservers.Kafka(t)
	my := newMySQL(t)
	topic := testservers.CreateTopic(t, bootstrap, partitions)
	g := mock.New(seed, malformed, true)
	if _, err := g.ProduceKafka(context.Background(), n, mock.KafkaOptions{
		Brokers: strings.Split(bootstrap, ","), Topic: topic, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	env := append(seedEnv(bootstrap, my), "CDN_TOPIC="+topic)
	j := startJob(t, bin, env)
	j.wait(t)
	logRate(t, n, j)
	checkTable(t, my.db, reference(t, n))
}

// testUpsertKafka: the result into an upsert-kafka topic. The job starts first; half the
// records are produced, and once the topic holds their result the other half: every key
// is updated at least twice, and the last value per key read back from the topic must
// equal the reference.
func testUpsertKafka(t *testing.T, b *builder) {
	n := records(t)
	h1, h2 := n/2, n-n/2
	bin := b.job(t, "e2e/testdata/cdn_upsert_kafka.sql")
	bootstrap := testservers.Kafka(t)
	in := testservers.CreateTopic(t, bootstrap, partitions)
	out := testservers.CreateTopic(t, bootstrap, 1)
	stop := mock.PartitionCounts(h1, partitions)
	for i, c := range mock.PartitionCounts(h2, partitions) {
		stop[i] += c
	}
	j := startJob(t, bin, []string{"KAFKA_BOOTSTRAP_SERVERS=" + bootstrap, "CDN_TOPIC=" + in, "CDN_OUT_TOPIC=" + out},
		"-D", "cdn_access_log.scan.bounded.mode=specific-offsets",
		"-D", "cdn_access_log.scan.bounded.specific-offsets="+stopOffsets(stop))
	g := mock.New(seed, malformed, true)
	opts := mock.KafkaOptions{Brokers: strings.Split(bootstrap, ","), Topic: in}
	if _, err := g.ProduceKafka(context.Background(), h1, opts); err != nil {
		t.Fatal(err)
	}
	want1 := reference(t, h1)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		got, _ := upsertTable(t, bootstrap, out)
		if cdnref.Equal(want1, got) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the topic did not reach the result of the first half: %v", cdnref.Equal(want1, got))
		}
		select {
		case <-j.done:
			t.Fatalf("the job exited (%v) early; stderr:\n%s", j.err, j.stderr)
		case <-tick.C:
		}
	}
	if _, err := g.ProduceKafka(context.Background(), h2, opts); err != nil {
		t.Fatal(err)
	}
	j.wait(t)
	got, msgs := upsertTable(t, bootstrap, out)
	t.Logf("%d messages in %s for %d keys", msgs, out, len(got))
	if msgs < 2*len(got) {
		t.Errorf("%d messages for %d keys: every key should have been updated", msgs, len(got))
	}
	if err := cdnref.Equal(reference(t, n), got); err != nil {
		t.Errorf("upsert-kafka topic, last value per key: %v", err)
	}
}

// upsertTable reads an upsert-kafka topic back as a table: the last value per key, a
// tombstone deleting the key. It also returns the number of messages.
func upsertTable(t *testing.T, bootstrap, topic string) ([]cdnref.Row, int) {
	t.Helper()
	last := map[string][]byte{}
	msgs := testservers.ReadAll(t, bootstrap, topic)
	for _, m := range msgs {
		if m.Value == nil {
			delete(last, string(m.Key))
			continue
		}
		last[string(m.Key)] = m.Value
	}
	var rows []cdnref.Row
	for key, v := range last {
		var r struct {
			Province      string   `json:"province"`
			AccessCount   int64    `json:"access_count"`
			TotalDownload *int64   `json:"total_download"`
			DownloadSpeed *float64 `json:"download_speed"`
		}
		if err := json.Unmarshal(v, &r); err != nil {
			t.Fatalf("value %s of key %s: %v", v, key, err)
		}
		var k struct {
			Province string `json:"province"`
		}
		if err := json.Unmarshal([]byte(key), &k); err != nil || k.Province != r.Province {
			t.Errorf("key %s does not match value %s (%v)", key, v, err)
		}
		rows = append(rows, cdnref.Row{Province: r.Province, AccessCount: r.AccessCount, TotalDownload: r.TotalDownload, Speed: r.DownloadSpeed})
	}
	sort.Slice(rows, func(i, k int) bool { return rows[i].Province < rows[k].Province })
	return rows, len(msgs)
}

// testMariaDBRestart: the seed job runs while MariaDB is stopped and started again;
// its flushes fail, are retried, and the final table is still right.
func testMariaDBRestart(t *testing.T, b *builder) {
	if os.Getenv("SQLC_STREAM_MYSQL_DSN") != "" {
		t.Skip("stops and starts the local MariaDB; unset SQLC_STREAM_MYSQL_DSN to run it")
	}
	n := records(t)
	h1, h2 := n/2, n-n/2
	bin := b.job(t, "examples/cdn/cdn.sql")
	bootstrap := testservers.Kafka(t)
	my := newMySQL(t)
	topic, topicArgs := seedTopic(t, bootstrap)

	// Half the records go before the restart, half while the server is down; the job
	// stops at the end of both.
	stop := mock.PartitionCounts(h1, partitions)
	for i, c := range mock.PartitionCounts(h2, partitions) {
		stop[i] += c
	}
	args := append(my.seedArgs(), topicArgs...)
	args = append(args, "-D", "cdn_access_log.scan.bounded.mode=specific-offsets",
		"-D", "cdn_access_log.scan.bounded.specific-offsets="+stopOffsets(stop),
		// Enough retries (200 ms doubling, at most 10 s apart) to outlast a restart.
		"-D", "cdn_access_statistic.sink.max-retries=10")
	j := startJob(t, bin, seedEnv(bootstrap, my), args...)
	g := mock.New(seed, malformed, true)
	opts := mock.KafkaOptions{Brokers: strings.Split(bootstrap, ","), Topic: topic}
	if _, err := g.ProduceKafka(context.Background(), h1, opts); err != nil {
		t.Fatal(err)
	}
	waitTable(t, my.db, reference(t, h1), j)

	testservers.StopMariaDB(t)
	if _, err := g.ProduceKafka(context.Background(), h2, opts); err != nil {
		t.Fatal(err)
	}
	// The job's next flush fails; once that shows, bring the server back. The sink logs
	// each retry when the job gives it its logger; the MySQL driver logs the dead pooled
	// connection it finds at the start of the failing attempt in any case.
	if !j.stderr.waitFor(j.done, 2*time.Minute, "MySQL write failed, retrying", "closing bad idle connection") {
		t.Fatalf("the job did not report a failed MySQL write; stderr:\n%s", j.stderr)
	}
	testservers.StartMariaDB(t)
	j.wait(t)
	t.Logf("job stderr:\n%s", j.stderr)
	checkTable(t, my.db, reference(t, n))
}

// kafkaWatchingFetches starts an in-process broker like testservers.Kafka and returns a
// channel closed at the first Fetch request from any client (only the job fetches in
// these tests). With an external broker (SQLC_STREAM_KAFKA) the channel is nil.
func kafkaWatchingFetches(t *testing.T) (string, <-chan struct{}) {
	t.Helper()
	if os.Getenv("SQLC_STREAM_KAFKA") != "" {
		return testservers.Kafka(t), nil
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	fetching := make(chan struct{})
	var once sync.Once
	c.ControlKey(kmsg.Fetch.Int16(), func(kmsg.Request) (kmsg.Response, error, bool) {
		once.Do(func() { close(fetching) })
		c.DropControl() // observe one request, then let the broker handle all as usual
		return nil, nil, false
	})
	return strings.Join(c.ListenAddrs(), ","), fetching
}

// seedTopic is the topic cdn.sql reads: access_log on the test's own in-process
// broker, or a fresh topic (named with -D) on an external one.
func seedTopic(t *testing.T, bootstrap string) (string, []string) {
	t.Helper()
	if os.Getenv("SQLC_STREAM_KAFKA") != "" {
		topic := testservers.CreateTopic(t, bootstrap, partitions)
		return topic, []string{"-D", "cdn_access_log.topic=" + topic}
	}
	if _, err := mock.EnsureTopic(context.Background(), strings.Split(bootstrap, ","), "access_log", partitions); err != nil {
		t.Fatal(err)
	}
	return "access_log", nil
}

func stopOffsets(counts []int64) string {
	var parts []string
	for p, c := range counts {
		parts = append(parts, fmt.Sprintf("partition:%d,offset:%d", p, c))
	}
	return strings.Join(parts, ";")
}

// reference computes the query over the first n mock records, independently of
// sqlc-stream.
func reference(t *testing.T, n int64) []cdnref.Row { return referenceAt(t, n, nil) }

// referenceAt computes the query over the first n mock records before the offsets, by
// partition (nil: all): record i is at offset i / partitions of partition i mod
// partitions, as mock.ProduceKafka writes them.
func referenceAt(t *testing.T, n int64, offsets []int64) []cdnref.Row {
	t.Helper()
	g := mock.New(seed, malformed, true)
	var buf bytes.Buffer
	var line []byte
	for i := int64(0); i < n; i++ {
		line = append(g.Append(line[:0]), '\n')
		if offsets == nil || i/partitions < offsets[i%partitions] {
			buf.Write(line)
		}
	}
	rows, err := cdnref.Compute(&buf, udf.IPToProvince)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// mysqlDB is a fresh database with the access_statistic table.
type mysqlDB struct {
	cfg *mysql.Config
	db  *sql.DB
}

func newMySQL(t *testing.T) *mysqlDB {
	t.Helper()
	dsn := testservers.MariaDB(t)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// A fresh connection per query: pooled ones die when the restart test stops the server.
	db.SetMaxIdleConns(0)
	// The statement the sink's start-up check asks for, with the key it upserts on.
	if _, err := db.Exec(`CREATE TABLE access_statistic (
		province VARCHAR(255) NOT NULL PRIMARY KEY,
		access_count BIGINT,
		total_download BIGINT,
		download_speed DOUBLE)`); err != nil {
		t.Fatal(err)
	}
	return &mysqlDB{cfg: cfg, db: db}
}

// seedArgs point cdn.sql's JDBC URL (database flink in the seed) at the test's database.
func (m *mysqlDB) seedArgs() []string {
	return []string{"-D", "cdn_access_statistic.url=jdbc:mysql://" + m.cfg.Addr + "/" + m.cfg.DBName}
}

// seedEnv is the environment cdn.sql reads its host, port and credentials from.
func seedEnv(bootstrap string, m *mysqlDB) []string {
	return []string{
		"KAFKA_BOOTSTRAP_SERVERS=" + bootstrap,
		"MYSQL_HOST_PORT=" + m.cfg.Addr,
		"MYSQL_USER=" + m.cfg.User,
		"MYSQL_PASSWORD=" + m.cfg.Passwd,
		"MYSQL_DATABASE=" + m.cfg.DBName,
	}
}

func readTable(db *sql.DB) ([]cdnref.Row, error) {
	rows, err := cdnref.ReadTable(db)
	// MariaDB's collation orders differently from Go's byte order.
	sort.Slice(rows, func(i, k int) bool { return rows[i].Province < rows[k].Province })
	return rows, err
}

func checkTable(t *testing.T, db *sql.DB, want []cdnref.Row) {
	t.Helper()
	got, err := readTable(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := cdnref.Equal(want, got); err != nil {
		t.Errorf("MariaDB table access_statistic: %v", err)
	}
}

// waitTable polls the table until it equals want; it fails when the job exits first.
func waitTable(t *testing.T, db *sql.DB, want []cdnref.Row, j *job) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for time.Now().Before(deadline) {
		got, err := readTable(db)
		if err == nil {
			if last = cdnref.Equal(want, got); last == nil {
				return
			}
		} else {
			last = err
		}
		select {
		case <-j.done:
			t.Fatalf("the job exited (%v) before the table was %v; last difference: %v\nstderr:\n%s", j.err, want, last, j.stderr)
		case <-tick.C:
		}
	}
	t.Fatalf("the table did not reach the expected state: %v", last)
}

func logRate(t *testing.T, n int64, j *job) {
	t.Helper()
	t.Logf("job: %d records in %s = %.0f records/s (wall time from start to exit, start-up included)",
		n, j.elapsed.Round(time.Millisecond), float64(n)/j.elapsed.Seconds())
	if s := strings.TrimSpace(j.stderr.String()); s != "" {
		lines := strings.Split(s, "\n")
		t.Logf("job stderr (last line): %s", lines[len(lines)-1])
	}
}

// builder builds the CLI once and each job binary once.
type builder struct {
	dir, root string
	mu        sync.Mutex
	cli       string
	jobs      map[string]string
}

// buildCLI builds the sqlc-stream command once; b.mu is held.
func (b *builder) buildCLI(t *testing.T) string {
	t.Helper()
	if b.cli == "" {
		cli := filepath.Join(b.dir, "sqlc-stream")
		cmd := exec.Command("go", "build", "-o", cli, "./cmd/sqlc-stream")
		cmd.Dir = b.root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build ./cmd/sqlc-stream: %v\n%s", err, out)
		}
		b.cli = cli
		b.jobs = map[string]string{}
	}
	return b.cli
}

func (b *builder) job(t *testing.T, sqlPath string) string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buildCLI(t)
	if bin, ok := b.jobs[sqlPath]; ok {
		return bin
	}
	bin := filepath.Join(b.dir, strings.NewReplacer("/", "_", ".", "_").Replace(sqlPath))
	cmd := exec.Command(b.cli, "build", "-o", bin, sqlPath)
	cmd.Dir = b.root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sqlc-stream build %s: %v\n%s", sqlPath, err, out)
	}
	b.jobs[sqlPath] = bin
	return bin
}

// job is a running job binary.
type job struct {
	cmd     *exec.Cmd
	stderr  *watcher
	stdout  bytes.Buffer
	start   time.Time
	elapsed time.Duration
	done    chan struct{} // closed when the process has exited
	err     error
}

func startJob(t *testing.T, bin string, env []string, args ...string) *job {
	t.Helper()
	j := &job{stderr: newWatcher(), done: make(chan struct{})}
	j.cmd = exec.Command(bin, args...)
	j.cmd.Dir = t.TempDir()
	j.cmd.Env = append(os.Environ(), env...)
	j.cmd.Stdout, j.cmd.Stderr = &j.stdout, j.stderr
	j.start = time.Now()
	if err := j.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		j.err = j.cmd.Wait()
		j.elapsed = time.Since(j.start)
		close(j.done)
	}()
	t.Cleanup(func() {
		select {
		case <-j.done:
		default:
			j.cmd.Process.Kill()
			<-j.done
		}
	})
	return j
}

// wait waits for the job to end by itself and fails the test unless it exits 0. The
// deadline only guards against a hung job.
func (j *job) wait(t *testing.T) {
	t.Helper()
	select {
	case <-j.done:
	case <-time.After(10 * time.Minute):
		j.cmd.Process.Kill()
		<-j.done
		t.Fatalf("the job did not stop by itself; stderr:\n%s", j.stderr)
	}
	if j.err != nil {
		t.Fatalf("job: %v\nstderr:\n%s", j.err, j.stderr)
	}
}

// watcher collects a process's output and lets a test wait for a line.
type watcher struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newWatcher() *watcher { return &watcher{changed: make(chan struct{})} }

func (w *watcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	return len(p), nil
}

func (w *watcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor reports whether the output came to contain one of subs before the process
// ended (done) or the limit passed.
func (w *watcher) waitFor(done <-chan struct{}, limit time.Duration, subs ...string) bool {
	timeout := time.After(limit)
	contains := func(s string) bool {
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
	for {
		w.mu.Lock()
		found, changed := contains(w.buf.String()), w.changed
		w.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-changed:
		case <-done:
			return contains(w.String())
		case <-timeout:
			return false
		}
	}
}
