package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// watermarkJob prints every row of a Kafka topic with the watermark its operator sees.
const watermarkJob = `
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
			cmd := exec.Command(bin, append([]string{"-D", "parallelism.default=1"}, tc.args...)...)
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), "IN_TOPIC="+topic, "KAFKA_BOOTSTRAP_SERVERS="+bootstrap)
			out, errOut := newWatcher(), newWatcher()
			cmd.Stdout, cmd.Stderr = out, errOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
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
	// millis reads the print sink's LocalDateTime.toString, which drops zero seconds.
	millis := func(s string) int64 {
		if strings.Count(s, ":") == 1 {
			s += ":00"
		}
		v, err := time.Parse("2006-01-02T15:04:05.999999999", s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v.UnixMilli()
	}
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
