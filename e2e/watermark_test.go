package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
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
