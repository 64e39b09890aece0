package e2e

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// kafkaSource is the Kafka table of the watermark tests: rows "id,ts" with a watermark
// 1 s behind the largest ts.
const kafkaSource = `
CREATE TABLE src (
  id INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${IN_TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'csv'
);
`

// watermarkJob prints every row of a Kafka topic with the watermark its operator sees.
const watermarkJob = kafkaSource + `
CREATE TABLE out_t (id INT, wm TIMESTAMP(3)) WITH ('connector' = 'print');
INSERT INTO out_t SELECT id, CURRENT_WATERMARK(ts) FROM src;
`

// TestIdlePartitionWatermark reads a topic of two partitions where only partition 0 gets
// records, with one source task (which then owns both partitions), as Flink's Kafka
// source does: every partition is a split with a watermark of its own, and the task's
// watermark is their minimum. Records are produced one at a time, each once the job
// printed the one before.
//   - Without table.exec.source.idle-timeout the empty partition holds the watermark back
//     for ever: CURRENT_WATERMARK is NULL on every row.
//   - With a 1 ms time-out partition 1 is idle by the time record 3 has been read
//     (a Kafka round trip after the start), so after record 3 the watermark is partition
//     0's, 10:00:03 - 1 s, which record 4 sees.
func TestIdlePartitionWatermark(t *testing.T) {
	bin := jobtest.Build(t, gotest.NewModule(t, "wm"), watermarkJob)
	bootstrap := testservers.Kafka(t)

	for _, tc := range []struct {
		name string
		args []string
		want string // record 4's watermark
	}{
		{"no idle-timeout", nil, "null"},
		{"idle-timeout", []string{"-D", "table.exec.source.idle-timeout=1 ms"}, "2020-01-01T10:00:02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topic := testservers.CreateTopic(t, bootstrap, 2)
			cmd, out, errOut, done := startKafkaJob(t, bin, bootstrap, topic, append([]string{"-D", "parallelism.default=1"}, tc.args...)...)
			defer func() { cmd.Process.Kill(); <-done }()

			for i := 1; i <= 4; i++ {
				testservers.Produce(t, bootstrap, topic, testservers.Record{Partition: 0,
					Value: fmt.Appendf(nil, "%d,2020-01-01 10:00:%02d", i, i), Time: time.Now()})
				if !out.waitFor(done, 2*time.Minute, fmt.Sprintf("+I[%d, ", i)) {
					t.Fatalf("record %d was not printed; stdout:\n%s\nstderr:\n%s", i, out, errOut)
				}
			}
			rows := regexp.MustCompile(`(?m)^\+I\[(\d), (.*)\]$`).FindAllStringSubmatch(out.String(), -1)
			if len(rows) != 4 {
				t.Fatalf("rows %q", rows)
			}
			if rows[0][2] != "null" {
				t.Errorf("record 1 sees watermark %s before any", rows[0][2])
			}
			if rows[3][2] != tc.want {
				t.Errorf("record 4 sees watermark %s, want %s; stdout:\n%s", rows[3][2], tc.want, out)
			}
			if tc.want == "null" {
				for _, r := range rows {
					if r[2] != "null" {
						t.Errorf("record %s sees watermark %s though partition 1 holds it back", r[1], r[2])
					}
				}
			}
		})
	}
}

// nexmarkWatermarkJob prints every event of the Nexmark generator with its time and the
// watermark its operator sees, over the rowtime of Nexmark's own DDL (ddl_gen.sql).
const nexmarkWatermarkJob = `
CREATE TABLE datagen (
  event_type INT,
  person ROW<id BIGINT, ` + "`dateTime`" + ` TIMESTAMP(3)>,
  auction ROW<id BIGINT, ` + "`dateTime`" + ` TIMESTAMP(3)>,
  bid ROW<auction BIGINT, ` + "`dateTime`" + ` TIMESTAMP(3)>,
  ` + "`dateTime`" + ` AS CASE WHEN event_type = 0 THEN person.` + "`dateTime`" + `
    WHEN event_type = 1 THEN auction.` + "`dateTime`" + ` ELSE bid.` + "`dateTime`" + ` END,
  WATERMARK FOR ` + "`dateTime`" + ` AS ` + "`dateTime`" + ` - INTERVAL '4' SECOND
) WITH ('connector' = 'nexmark', 'first-event.rate' = '1000', 'events.num' = '20000');
CREATE TABLE out_t (t TIMESTAMP(3), wm TIMESTAMP(3)) WITH ('connector' = 'print');
INSERT INTO out_t SELECT ` + "`dateTime`, CURRENT_WATERMARK(`dateTime`)" + `
FROM datagen;
`

// TestNexmarkWatermarks runs the watermark of Nexmark's DDL over 20,000 generated events
// (one task, one generator split, at 1000 events per second of event time: 20 s) and
// checks what CURRENT_WATERMARK says of each row: NULL before the first watermark, then
// never NULL again, never going back, and never ahead of the largest dateTime of the
// rows before it minus the 4 s of the strategy (the watermark of a batch comes after
// it); by the end it has moved well past the start.
func TestNexmarkWatermarks(t *testing.T) {
	bin := jobtest.Build(t, gotest.NewModule(t, "nxwm"), nexmarkWatermarkJob)
	stdout, stderr, code := gotest.Run(t, t.TempDir(), bin, "-D", "parallelism.default=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := regexp.MustCompile(`(?m)^\+I\[([-0-9T:.]+), (null|[-0-9T:.]+)\]$`).FindAllStringSubmatch(stdout, -1)
	if len(rows) != 20000 {
		t.Fatalf("%d rows, want 20000", len(rows))
	}
	millis := func(s string) int64 { return printedMillis(t, s) }
	var first, maxSeen, last int64
	seenWM := false
	for i, r := range rows {
		ts := millis(r[1])
		if i == 0 {
			first = ts
		}
		if r[2] == "null" {
			if seenWM {
				t.Fatalf("row %d: NULL after a watermark", i)
			}
		} else {
			wm := millis(r[2])
			switch {
			case i == 0:
				t.Fatalf("row 0 sees watermark %d", wm)
			case seenWM && wm < last:
				t.Fatalf("row %d: the watermark went back from %d to %d", i, last, wm)
			case wm > maxSeen-4000:
				t.Fatalf("row %d: watermark %d is ahead of the rows before it (largest %d, minus 4 s)", i, wm, maxSeen)
			}
			seenWM, last = true, wm
		}
		maxSeen = max(maxSeen, ts)
	}
	if !seenWM || last < first+10_000 {
		t.Errorf("the watermark ends at %d, the events span %d to %d", last, first, maxSeen)
	}
}

// startKafkaJob starts a job of kafkaSource on topic; done closes when it exited.
func startKafkaJob(t *testing.T, bin, bootstrap, topic string, args ...string) (cmd *exec.Cmd, out, errOut *watcher, done chan struct{}) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "IN_TOPIC="+topic, "KAFKA_BOOTSTRAP_SERVERS="+bootstrap)
	out, errOut = newWatcher(), newWatcher()
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	return cmd, out, errOut, done
}

// printedMillis reads a TIMESTAMP as the print sink writes it (Java's
// LocalDateTime.toString, which drops zero seconds) as epoch milliseconds.
func printedMillis(t *testing.T, s string) int64 {
	t.Helper()
	if strings.Count(s, ":") == 1 {
		s += ":00"
	}
	v, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v.UnixMilli()
}

// idleWindowJob counts a Kafka topic's rows per 10-second tumbling window of event time
// ("window>" lines) and prints every row with the watermark of its source task ("row>"
// lines), which tells the test what the job has read.
const idleWindowJob = kafkaSource + `
CREATE TABLE rows_out (id INT, wm TIMESTAMP(3)) WITH ('connector' = 'print', 'print-identifier' = 'row');
CREATE TABLE windows_out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, ids BIGINT)
  WITH ('connector' = 'print', 'print-identifier' = 'window');
EXECUTE STATEMENT SET BEGIN
INSERT INTO rows_out SELECT id, CURRENT_WATERMARK(ts) FROM src;
INSERT INTO windows_out
SELECT window_start, window_end, COUNT(*), SUM(id)
FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
END;
`

// TestIdlePartitionWindows runs a window aggregate over a topic of two partitions where
// only partition 0 gets records, and stops the unbounded job with SIGTERM (which fires
// no window: only a watermark does).
//   - With table.exec.source.idle-timeout the empty partition (with 1 task, a split of
//     the task; with 2, the whole second task) stops holding the watermark back: windows
//     fire while the job runs, each once the rows sent move the watermark past its end,
//     and a row sent after its window fired is dropped and counted.
//   - Without it, the job reads every row and fires no window, not even when it stops
//     (with 2 tasks, the first task's end must not release the watermark of the other).
//
// Rows go in rounds, ascending in time within a round (so that no row is late however
// Kafka batches them); the test waits for each round to be read (and, with the time-out,
// for its windows) before the next. The expected windows are counted from what was
// sent: a window fires when the largest time sent, minus the strategy's 1 s, reaches its
// end; a row is late when that held before its round.
func TestIdlePartitionWindows(t *testing.T) {
	bin := jobtest.Build(t, gotest.NewModule(t, "wmwin"), idleWindowJob)
	bootstrap := testservers.Kafka(t)
	base := time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC).UnixMilli()
	const size = 10_000 // the window, ms

	type window struct{ n, ids int64 }
	for _, tc := range []struct {
		name  string
		tasks int
		idle  bool
	}{
		{"no idle-timeout", 1, false},
		{"idle-timeout", 1, true},
		{"no idle-timeout 2 tasks", 2, false},
		{"idle-timeout 2 tasks", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topic := testservers.CreateTopic(t, bootstrap, 2)
			args := []string{"-D", fmt.Sprintf("parallelism.default=%d", tc.tasks)}
			if tc.idle {
				args = append(args, "-D", "table.exec.source.idle-timeout=1 ms")
			}
			cmd, out, errOut, done := startKafkaJob(t, bin, bootstrap, topic, args...)
			defer func() { cmd.Process.Kill(); <-done }()
			wait := func(what string, subs ...string) {
				t.Helper()
				if !out.waitFor(done, 2*time.Minute, subs...) {
					t.Fatalf("%s: none of %q was printed; stdout:\n%s\nstderr:\n%s", what, subs, out, errOut)
				}
			}

			// The model: what was sent, and the windows and late rows that follow from it.
			id, maxSent := 0, int64(math.MinInt64)
			want, late := map[int64]window{}, 0
			send := func(times ...int64) {
				t.Helper()
				wm := maxSent - 1000 // the watermark once the rounds before were read
				recs := make([]testservers.Record, len(times))
				for i, ts := range times {
					id++
					recs[i] = testservers.Record{Partition: 0, Time: time.Now(),
						Value: fmt.Appendf(nil, "%d,%s", id, time.UnixMilli(ts).UTC().Format("2006-01-02 15:04:05.000"))}
					start := ts - ts%size
					if tc.idle && maxSent != math.MinInt64 && start+size <= wm {
						late++
						continue
					}
					w := want[start]
					w.n, w.ids = w.n+1, w.ids+int64(id)
					want[start] = w
					maxSent = max(maxSent, ts)
				}
				testservers.Produce(t, bootstrap, topic, recs...)
				wait("round read", fmt.Sprintf("row> +I[%d, ", id))
			}
			// fired waits for the windows up to end to have fired.
			fired := func(end int64) {
				t.Helper()
				if tc.idle {
					wait("window fired", fmt.Sprintf("window> +I[%s, %s, ", javaTime(end-size), javaTime(end)))
				}
			}

			// Warm-up, a row at a time: with the time-out, until a row sees a watermark
			// (then the empty partition is idle, whatever the job's timing).
			for saw := false; tc.idle && !saw || !tc.idle && id < 4; {
				if id == 20 {
					t.Fatalf("none of 20 rows saw a watermark:\n%s", out)
				}
				send(base + int64(id)*100)
				m := regexp.MustCompile(fmt.Sprintf(`(?m)^row> \+I\[%d, (.*)\]$`, id)).FindStringSubmatch(out.String())
				saw = m != nil && m[1] != "null"
			}
			// Round 1: windows [0, 10), [10, 20), [20, 30) s, then a row that moves the
			// watermark to 30.5 s.
			rng := rand.New(rand.NewPCG(12, uint64(tc.tasks)))
			var times []int64
			for w := int64(0); w < 3; w++ {
				for range 3 + rng.IntN(6) {
					times = append(times, base+w*size+rng.Int64N(size))
				}
			}
			slices.Sort(times)
			send(append(times, base+3*size+1500)...)
			fired(base + 3*size)
			// Round 2: a row of [0, 10) s, late with the time-out; rows of [30, 40) s; a row
			// that moves the watermark to 44 s.
			times = []int64{base + 5000}
			for range 3 + rng.IntN(6) {
				times = append(times, base+3*size+1500+rng.Int64N(size-1500))
			}
			slices.Sort(times[1:])
			send(append(times, base+4*size+5000)...)
			fired(base + 4*size)

			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("the job did not stop on SIGTERM:\n%s", errOut)
			}
			if code := cmd.ProcessState.ExitCode(); code != 0 {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}

			// The windows that fired are those whose end the watermark reached (none
			// without the time-out), each once, with what was sent in it on time.
			for start := range want {
				if !tc.idle || start+size > maxSent-1000 {
					delete(want, start)
				}
			}
			got := map[int64]window{}
			for _, m := range regexp.MustCompile(`(?m)^window> \+I\[(.*), (.*), (\d+), (\d+)\]$`).FindAllStringSubmatch(out.String(), -1) {
				start, end := printedMillis(t, m[1]), printedMillis(t, m[2])
				if _, dup := got[start]; dup || end != start+size {
					t.Errorf("window %s – %s twice or not %d ms", m[1], m[2], size)
				}
				n, _ := strconv.ParseInt(m[3], 10, 64)
				ids, _ := strconv.ParseInt(m[4], 10, 64)
				got[start] = window{n, ids}
			}
			if !maps.Equal(got, want) {
				t.Errorf("windows (start: count, sum of ids)\n got %v\nwant %v\nstdout:\n%s", got, want, out)
			}
			if n := strings.Count(out.String(), "row> +I["); n != id {
				t.Errorf("%d rows printed, %d sent", n, id)
			}
			m := regexp.MustCompile(`window_agg\d+\.numLateRecordsDropped=(\d+)`).FindStringSubmatch(errOut.String())
			if m == nil || m[1] != strconv.Itoa(late) {
				t.Errorf("late rows counted: %v, want %d; stderr:\n%s", m, late, errOut)
			}
		})
	}
}

// javaTime writes epoch milliseconds as the print sink writes a TIMESTAMP(3) (Java's
// LocalDateTime.toString): seconds only when not zero, milliseconds only when not zero.
func javaTime(ms int64) string {
	v := time.UnixMilli(ms).UTC()
	s := v.Format("2006-01-02T15:04")
	if v.Second() != 0 || v.Nanosecond() != 0 {
		s += v.Format(":05")
	}
	if v.Nanosecond() != 0 {
		s += v.Format(".000")
	}
	return s
}
