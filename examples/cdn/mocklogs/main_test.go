package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs.csv")
	var stdout, stderr strings.Builder
	if code := run([]string{"-n", "500", "-seed", "3", "-malformed", "0.1", "-o", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 500 {
		t.Fatalf("%d lines, want 500", len(lines))
	}
	// The same seed gives the same records, on standard output too.
	stdout.Reset()
	if code := run([]string{"-n", "500", "-seed", "3", "-malformed", "0.1"}, &stdout, &stderr); code != 0 || stdout.String() != string(data) {
		t.Fatalf("exit %d; standard output differs from the file", code)
	}
}

func TestKafkaJSON(t *testing.T) {
	bootstrap := testservers.Kafka(t)
	var stdout, stderr strings.Builder
	args := []string{"-brokers", bootstrap, "-topic", "access_log", "-partitions", "4", "-n", "1001",
		"-format", "json", "-with-uri", "-malformed", "0.05"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	msgs := testservers.ReadAll(t, bootstrap, "access_log")
	if len(msgs) != 1001 {
		t.Fatalf("%d messages, want 1001", len(msgs))
	}
	perPartition := make([]int64, 4)
	want := map[string]bool{}
	g := mock.New(1, 0.05, true)
	var line []byte
	for i := 0; i < 1001; i++ {
		line = g.Append(line[:0])
		want[string(mock.CSVToJSON(nil, line))] = true
	}
	for _, m := range msgs {
		perPartition[m.Partition]++
		var obj map[string]any
		if err := json.Unmarshal(m.Value, &obj); err != nil {
			t.Fatalf("message %s: %v", m.Value, err)
		}
		if !want[string(m.Value)] {
			t.Errorf("message %s is not one of the seed's records", m.Value)
		}
	}
	for p, c := range mock.PartitionCounts(1001, 4) {
		if perPartition[p] != c {
			t.Errorf("partition %d holds %d records, want %d", p, perPartition[p], c)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-format", "xml"}, {"-format", "json"}, {"-malformed", "2"}, {"extra"}} {
		var stdout, stderr strings.Builder
		if code := run(args, &stdout, &stderr); code == 0 {
			t.Errorf("%q: exit 0, want an error", args)
		}
	}
}
