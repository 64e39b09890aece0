package kafka

import (
	"context"
	"fmt"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// groupOffsets returns the offsets the group has committed for the topic's partitions
// 0 and 1, as "map[partition:offset]".
func groupOffsets(t *testing.T, s *Source, topic string) string {
	t.Helper()
	m, err := s.committed(testCtx(t), topic, []int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(m)
}

// readAll runs s until it has delivered n records, releasing every batch, and returns
// per split the last batch's position. stop cancels Run and returns its error.
func readAll(t *testing.T, s *Source, n int) (positions map[int32]stream.Position, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(testCtx(t))
	out := make(chan *stream.Batch, 4)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, out) }()
	positions = map[int32]stream.Position{}
	for got := 0; got < n; {
		b := <-out
		got += len(b.Records)
		checkPosition(t, b, positions)
		b.Release()
	}
	return positions, func() error { cancel(); return <-errc }
}

// TestSourceCommitsOnlyDurablePositions: the group gets exactly the positions the job
// loop said were durable. A job that read and released everything but made only
// partition 0's results durable commits partition 0 alone, and a restart of the group
// reads partition 1 again from its start.
func TestSourceCommitsOnlyDurablePositions(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 2)
	produceN(t, bs, topic, 2, 10)
	newSource := func(kv ...string) *Source {
		s, err := NewSource(resolve(t, append([]string{"connector", "kafka", "topic", topic,
			"properties.bootstrap.servers", bs, "format", "csv"}, kv...)...), stream.Schema{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := newSource("properties.group.id", "g")
	positions, stop := readAll(t, s, 20)
	// Run stops with everything read and released but nothing durable (as when the job
	// fails): nothing is committed.
	if err := stop(); err != context.Canceled {
		t.Fatalf("Run: %v", err)
	}
	if got := groupOffsets(t, s, topic); got != "map[]" {
		t.Fatalf("committed %s with no durable position", got)
	}
	if err := s.Commit(testCtx(t), []stream.Position{positions[0]}); err != nil {
		t.Fatal(err)
	}
	if got := groupOffsets(t, s, topic); got != "map[0:10]" {
		t.Fatalf("committed %s, want map[0:10]", got)
	}
	if got := startOffsets(t, newSource("properties.group.id", "g")); fmt.Sprint(got) != "map[0:10 1:0]" {
		t.Fatalf("restart of the group starts at %v, want map[0:10 1:0]", got)
	}

	// properties.enable.auto.commit = false: positions are kept, never committed.
	s = newSource("properties.group.id", "g-off", "properties.enable.auto.commit", "false")
	positions, stop = readAll(t, s, 20)
	if err := s.Commit(testCtx(t), []stream.Position{positions[0], positions[1]}); err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != context.Canceled {
		t.Fatalf("Run: %v", err)
	}
	if got := fmt.Sprint(s.Positions()); got != "map[0:10 1:10]" {
		t.Errorf("positions %s, want map[0:10 1:10]", got)
	}
	if got := groupOffsets(t, s, topic); got != "map[]" {
		t.Errorf("enable.auto.commit=false committed %s", got)
	}
}

// TestSourceCommitInterval: properties.auto.commit.interval.ms rate-limits commits of
// durable positions; what it held back is committed when Run returns.
func TestSourceCommitInterval(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 2)
	produceN(t, bs, topic, 2, 10)
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "properties.group.id", "g", "properties.auto.commit.interval.ms", "3600000"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	positions, stop := readAll(t, s, 20)
	ctx := testCtx(t)
	// The first commit goes out at once; the next within the hour waits.
	if err := s.Commit(ctx, []stream.Position{positions[0]}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []stream.Position{positions[1]}); err != nil {
		t.Fatal(err)
	}
	if got := groupOffsets(t, s, topic); got != "map[0:10]" {
		t.Fatalf("committed %s, want map[0:10] (the second commit held back)", got)
	}
	if err := stop(); err != context.Canceled {
		t.Fatalf("Run: %v", err)
	}
	if got := groupOffsets(t, s, topic); got != "map[0:10 1:10]" {
		t.Fatalf("committed %s after Run returned, want map[0:10 1:10]", got)
	}
}
