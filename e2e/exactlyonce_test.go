package e2e

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
)

// Exactly once end to end (docs/checkpoints.md, issue 11's first acceptance point): the
// seed job with checkpoints every second (examples/cdn/cdn.sql with two SET statements
// added: seedWithCheckpoints) reads the mock CDN records from Kafka while they are being
// produced, is SIGKILLed at random moments and restarted each time; its final table
// equals an independent computation of the query (internal/cdnref) exactly. After each
// kill, the table must also be exactly the query's result over the records before the
// positions its offsets row names: the rows and the offsets row of a checkpoint are
// committed together, or not at all. Once with
// 'earliest-offset' and once with 'group-offsets' as the startup mode, into MariaDB and
// into SQLite (the same with the URL jdbc:sqlite:out.db).
//
// $SQLC_STREAM_EO_RECORDS (default 100,000) and $SQLC_STREAM_EO_KILLS (default 3) size
// it; the acceptance run is SQLC_STREAM_EO_RECORDS=1000000 SQLC_STREAM_EO_KILLS=20.
func TestExactlyOnce(t *testing.T) {
	b := &builder{dir: t.TempDir(), root: gotest.RepoRoot(t)}
	for _, db := range []string{"MariaDB", "SQLite"} {
		job := map[string]string{"MariaDB": "cdn_exactly_once", "SQLite": "cdn_exactly_once_sqlite"}[db]
		bin := b.job(t, seedWithCheckpoints(t, b, job, db == "SQLite"))
		for _, mode := range []string{"earliest-offset", "group-offsets"} {
			t.Run(db+"/"+mode, func(t *testing.T) { testExactlyOnce(t, bin, job, db, mode) })
		}
	}
}

// seedWithCheckpoints writes examples/cdn/cdn.sql with checkpoints every second into
// ./ck, as the job's SQL file job.sql; with sqlite, its URL is jdbc:sqlite:out.db.
func seedWithCheckpoints(t *testing.T, b *builder, job string, sqlite bool) string {
	t.Helper()
	seedSQL, err := os.ReadFile(filepath.Join(b.root, "examples", "cdn", "cdn.sql"))
	if err != nil {
		t.Fatal(err)
	}
	text := "SET 'execution.checkpointing.interval' = '1s';\nSET 'execution.checkpointing.dir' = 'ck';\n" + string(seedSQL)
	if sqlite {
		url := "'jdbc:mysql://${MYSQL_HOST_PORT}/flink'"
		if !strings.Contains(text, url) {
			t.Fatalf("the seed's URL is not %s", url)
		}
		text = strings.Replace(text, url, "'jdbc:sqlite:out.db'", 1)
	}
	path := filepath.Join(b.dir, job+".sql")
	gotest.WriteFile(t, path, text)
	return path
}

func envInt(t *testing.T, k string, def int64) int64 {
	t.Helper()
	s := os.Getenv(k)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", k, s)
	}
	return n
}

func testExactlyOnce(t *testing.T, bin, job, dbKind, mode string) {
	n := envInt(t, "SQLC_STREAM_EO_RECORDS", 100_000)
	kills := int(envInt(t, "SQLC_STREAM_EO_KILLS", 3))
	bootstrap := testservers.Kafka(t)
	topic, topicArgs := seedTopic(t, bootstrap)
	work := t.TempDir()

	var db *sql.DB
	var env []string
	args := append([]string{}, topicArgs...)
	switch dbKind {
	case "MariaDB":
		my := newMySQL(t)
		db, env = my.db, seedEnv(bootstrap, my)
		args = append(args, my.seedArgs()...)
	case "SQLite":
		// The seed's credentials mean nothing to SQLite, but they must be set.
		env = []string{"KAFKA_BOOTSTRAP_SERVERS=" + bootstrap, "MYSQL_USER=u", "MYSQL_PASSWORD=p"}
		// What the MariaDB variant's test database holds, for the reader below.
		var err error
		if db, err = sql.Open("sqlite", filepath.Join(work, "out.db")); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
	}
	args = append(args,
		"-D", "cdn_access_log.scan.startup.mode="+mode,
		"-D", "cdn_access_log.properties.group.id=cdn-exactly-once",
		// Every run stops at the end of what the producer will have produced.
		"-D", "cdn_access_log.scan.bounded.mode=specific-offsets",
		"-D", "cdn_access_log.scan.bounded.specific-offsets="+stopOffsets(mock.PartitionCounts(n, partitions)))

	// Each run gets a chunk of the records, produced at a steady rate over 2 s (a run
	// starts, commits its first checkpoint after 1 s, and is killed within 1.5 s more);
	// the last chunk comes after the last kill, so every kill lands in a running job
	// (reading, or waiting for records). Chunks are multiples of the partitions, so that
	// record i stays at offset i / partitions of partition i mod partitions.
	chunk := n / int64(kills+1) / partitions * partitions
	chunks := make(chan int64, kills+1)
	produced := make(chan error, 1)
	go func() {
		g := mock.New(seed, malformed, true)
		for c := range chunks {
			if _, err := g.ProduceKafka(context.Background(), c, mock.KafkaOptions{
				Brokers: strings.Split(bootstrap, ","), Topic: topic, Partitions: partitions,
				Rate: float64(c) / 2}); err != nil {
				produced <- err
				return
			}
		}
		produced <- nil
	}()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	restored := 0
	for i := range kills {
		chunks <- chunk
		before := committedID(t, db, job)
		r := startIn(t, work, bin, env, args...)
		// Kill at a random moment once the run committed a checkpoint of its own (it
		// made progress), within the next 1.5 s: before, during or after the next
		// snapshot and commit.
		for committedID(t, db, job) <= before {
			select {
			case <-r.done:
				t.Fatalf("run %d exited before its first checkpoint: %v\n%s", i, r.err, r.stderr)
			case <-time.After(20 * time.Millisecond):
			}
		}
		time.Sleep(time.Duration(rng.Int64N(int64(1500 * time.Millisecond))))
		select {
		case <-r.done:
			t.Fatalf("run %d ended before its kill: %v\n%s", i, r.err, r.stderr)
		default:
		}
		r.cmd.Process.Signal(syscall.SIGKILL)
		r.wait(t)
		if strings.Contains(r.stderr.String(), "restoring checkpoint") {
			restored++
		}
		id, offsets := committedOffsets(t, db, job)
		got, err := cdnref.ReadTable(db)
		if err != nil {
			t.Fatal(err)
		}
		if err := cdnref.Equal(referenceAt(t, n, offsets), sortedRows(got)); err != nil {
			t.Fatalf("kill %d: the table is not the query's result at checkpoint %d (offsets %v) that its database names: %v\n%s", i, id, offsets, err, r.stderr)
		}
		t.Logf("kill %d: the table is exact at checkpoint %d, offsets %v; %s", i, id, offsets, lastCheckpointOnDisk(t, work))
	}
	chunks <- n - int64(kills)*chunk
	close(chunks)
	last := runToEnd(t, work, bin, env, args...)
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(last.stderr.String(), "restoring checkpoint") {
		t.Errorf("the last run restored no checkpoint:\n%s", last.stderr)
	}
	if restored < kills-1 {
		t.Errorf("only %d of the %d killed runs restored a checkpoint", restored, kills)
	}
	got, err := cdnref.ReadTable(db)
	if err != nil {
		t.Fatal(err)
	}
	want := reference(t, n)
	if err := cdnref.Equal(sortedRows(want), sortedRows(got)); err != nil {
		t.Fatalf("after %d kills the table is not the query's result over %d records: %v\nlast run:\n%s", kills, n, err, last.stderr)
	}
	t.Logf("%d records, %d kills: the table is exact; the last run: %s", n, kills, lastLine(last.stderr.String()))
}

// committedID is the checkpoint the sink's database names (0: none yet).
func committedID(t *testing.T, db *sql.DB, job string) int64 {
	t.Helper()
	var id int64
	err := db.QueryRow("SELECT checkpoint_id FROM "+checkpoint.OffsetsTable+" WHERE job = ? AND sink = ?", job, "cdn_access_statistic").Scan(&id)
	if err != nil && err != sql.ErrNoRows && !strings.Contains(err.Error(), "no such table") && !strings.Contains(err.Error(), "doesn't exist") {
		t.Fatal(err)
	}
	return id
}

// committedOffsets is the checkpoint the sink's database names and the offsets of
// its positions, by partition.
func committedOffsets(t *testing.T, db *sql.DB, job string) (int64, []int64) {
	t.Helper()
	var id int64
	var positions string
	if err := db.QueryRow("SELECT checkpoint_id, positions FROM "+checkpoint.OffsetsTable+" WHERE job = ? AND sink = ?", job, "cdn_access_statistic").Scan(&id, &positions); err != nil {
		t.Fatal(err)
	}
	var tables []struct {
		Table  string
		Splits []struct {
			Partition int32
			Offset    int64
		}
	}
	if err := json.Unmarshal([]byte(positions), &tables); err != nil || len(tables) != 1 {
		t.Fatalf("offsets row positions %s: %v", positions, err)
	}
	offsets := make([]int64, partitions)
	for _, sp := range tables[0].Splits {
		offsets[sp.Partition] = sp.Offset
	}
	return id, offsets
}

func lastCheckpointOnDisk(t *testing.T, work string) string {
	ids, err := (&checkpoint.Store{Dir: filepath.Join(work, "ck")}).IDs()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("on disk %v", ids)
}

func sortedRows(rows []cdnref.Row) []cdnref.Row {
	out := append([]cdnref.Row{}, rows...)
	sort.Slice(out, func(i, k int) bool { return out[i].Province < out[k].Province })
	return out
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
