package e2e

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// commitJob reads a Kafka topic under a consumer group, passes every tag through a Go
// function that fails on the poison record (unless $POISON_OK is set) and prints the
// rows. Topic and group come from the environment, so one binary serves every run.
const commitJob = `
CREATE TABLE src (id BIGINT, tag STRING) WITH (
  'connector' = 'kafka',
  'topic' = '${IN_TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'properties.group.id' = '${GROUP}',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'csv'
);
CREATE TABLE out_t (id BIGINT, tag STRING) WITH ('connector' = 'print');
CREATE FUNCTION check_tag AS 'example.com/commit/udf.Check';
INSERT INTO out_t SELECT id, check_tag(tag) FROM src;
`

const commitUDF = `package udf

import (
	"errors"
	"os"
)

// Check returns tag; it fails on "poison" unless $POISON_OK is set.
func Check(tag string) (string, error) {
	if tag == "poison" && os.Getenv("POISON_OK") == "" {
		return "", errors.New("poison record")
	}
	return tag, nil
}
`

// TestKafkaCommitAtLeastOnce: a job with a group id fails on a poison record partway
// through a partition; once the poison is made harmless, the job restarted with the same
// group must write every record the first run did not (at least once: duplicates are
// allowed, losses are not). The group's offset never passes the poison record while it
// fails, and a run that ends normally commits its end: a third run reads nothing.
func TestKafkaCommitAtLeastOnce(t *testing.T) {
	dir := gotest.NewModule(t, "commit")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), commitUDF)
	bin := buildJob(t, dir, "job", commitJob)
	bootstrap := testservers.Kafka(t)

	for _, parallelism := range []string{"1", "2"} {
		t.Run("parallelism="+parallelism, func(t *testing.T) {
			const perPartition, poisonAt = 40, 17 // the poison is record 17 of partition 0
			topic := testservers.CreateTopic(t, bootstrap, 2)
			var recs []testservers.Record
			want := map[int64]bool{}
			for p := 0; p < 2; p++ {
				for i := 0; i < perPartition; i++ {
					id := int64(p*1000 + i)
					tag := fmt.Sprintf("p%d-%d", p, i)
					if p == 0 && i == poisonAt {
						tag = "poison"
					}
					want[id] = true
					recs = append(recs, testservers.Record{Partition: p, Value: fmt.Appendf(nil, "%d,%s", id, tag), Time: time.Now()})
				}
			}
			testservers.Produce(t, bootstrap, topic, recs...)
			group := "g-" + topic
			run := func(poisonOK bool) (map[int64]int, int) {
				t.Helper()
				t.Setenv("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
				t.Setenv("IN_TOPIC", topic)
				t.Setenv("GROUP", group)
				t.Setenv("POISON_OK", map[bool]string{true: "1"}[poisonOK])
				stdout, stderr, code := gotest.Run(t, dir, bin, "-D", "parallelism.default="+parallelism)
				t.Logf("exit %d, stderr:\n%s", code, stderr)
				return printedIDs(t, stdout), code
			}

			first, code := run(false)
			if code == 0 {
				t.Fatal("the first run did not fail on the poison record")
			}
			if o := committedOffset(t, bootstrap, group, topic, 0); o > poisonAt {
				t.Errorf("after the failed run the group's offset of partition 0 is %d, past the poison record at %d", o, poisonAt)
			}
			second, code := run(true)
			if code != 0 {
				t.Fatalf("the second run failed (exit %d)", code)
			}
			var lost []int64
			for id := range want {
				if first[id]+second[id] == 0 {
					lost = append(lost, id)
				}
			}
			sort.Slice(lost, func(i, j int) bool { return lost[i] < lost[j] })
			if len(lost) > 0 {
				t.Fatalf("records written by neither run: %v", lost)
			}
			third, code := run(true)
			if code != 0 || len(third) != 0 {
				t.Fatalf("a run after a complete one: exit %d, wrote %d rows (want none: the second run commits its end)", code, len(third))
			}
		})
	}
}

var printedRow = regexp.MustCompile(`(?m)^\+I\[(\d+), `)

// printedIDs counts the ids of the rows the print sink wrote.
func printedIDs(t *testing.T, stdout string) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	for _, m := range printedRow.FindAllStringSubmatch(stdout, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[id]++
	}
	return out
}

// committedOffset returns the group's committed offset of a partition, -1 for none.
func committedOffset(t *testing.T, bootstrap, group, topic string, partition int) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := testservers.Client(bootstrap).OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: {partition}}})
	if err == nil {
		err = resp.Error
	}
	if errors.Is(err, kafkago.GroupIdNotFound) {
		return -1 // the group never committed
	}
	if err != nil {
		t.Fatalf("offsets of group %s: %v", group, err)
	}
	for _, p := range resp.Topics[topic] {
		if p.Partition == partition {
			return p.CommittedOffset
		}
	}
	return -1
}
