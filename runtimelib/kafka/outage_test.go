package kafka

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// logBuf is a log the source writes while the test reads it.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitLog waits until the log holds sub; it fails the test when errc delivers first
// (the source returned) or after a minute (a guard, not a timing).
func (l *logBuf) waitLog(t *testing.T, sub string, errc <-chan error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(l.String(), sub) {
		select {
		case err := <-errc:
			t.Fatalf("the source returned (%v) before logging %q:\n%s", err, sub, l)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log:\n%s", sub, l)
		}
	}
}

// outageSource is a source of topic on b, bounded at stop records of partition 0,
// logging into the returned buffer.
func outageSource(t *testing.T, b *testservers.Broker, topic string, stop int) (*Source, *logBuf) {
	t.Helper()
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", b.Addr(), "format", "csv",
		"scan.startup.mode", "earliest-offset", "scan.bounded.mode", "specific-offsets",
		"scan.bounded.specific-offsets", fmt.Sprintf("partition:0,offset:%d", stop)), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	log := &logBuf{}
	s.Log = slog.New(slog.NewTextHandler(log, nil))
	return s, log
}

// collect reads the source's batches into a list of values until it ends.
func collect(s *Source) (values func() []string, errc chan error) {
	var mu sync.Mutex
	var vals []string
	out := make(chan *stream.Batch, 4)
	errc = make(chan error, 1)
	var runErr error
	go func() { runErr = s.Run(context.Background(), out); close(out) }()
	go func() {
		for b := range out {
			mu.Lock()
			for _, r := range b.Records {
				vals = append(vals, string(r))
			}
			mu.Unlock()
			b.Release()
		}
		errc <- runErr // every batch was collected
	}()
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), vals...) }, errc
}

// waitValues waits until the source delivered n records; it fails the test when the
// source returns first or after a minute (a guard, not a timing).
func waitValues(t *testing.T, values func() []string, errc <-chan error, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(values()) < n {
		select {
		case err := <-errc:
			t.Fatalf("Run returned (%v) after %d records, before %d", err, len(values()), n)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d records, want %d", len(values()), n)
		}
	}
}

func produceRange(t *testing.T, bs, topic, prefix string, from, to int) {
	var recs []testservers.Record
	for i := from; i < to; i++ {
		recs = append(recs, testservers.Record{Value: []byte(fmt.Sprintf("%s-%d", prefix, i)), Time: base})
	}
	testservers.Produce(t, bs, topic, recs...)
}

func wantValues(t *testing.T, got []string, prefix string, from, to int) []string {
	t.Helper()
	for i := from; i < to; i++ {
		if len(got) == 0 || got[0] != fmt.Sprintf("%s-%d", prefix, i) {
			t.Fatalf("record %s-%d: got %.5q", prefix, i, got)
		}
		got = got[1:]
	}
	return got
}

// The broker down when the source starts: it retries until the broker is there.
func TestSourceBrokerDownAtStart(t *testing.T) {
	b := testservers.StartBroker(t)
	topic := testservers.CreateTopic(t, b.Addr(), 1)
	produceRange(t, b.Addr(), topic, "a", 0, 50)
	b.Cut()
	s, log := outageSource(t, b, topic, 50)
	values, errc := collect(s)
	log.waitLog(t, "kafka not ready, retrying", errc)
	b.Restore()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v\n%s", err, log)
	}
	if rest := wantValues(t, values(), "a", 0, 50); len(rest) > 0 {
		t.Fatalf("more records than produced: %q", rest)
	}
	if !strings.Contains(log.String(), "kafka reachable: reading") {
		t.Errorf("the recovery is not logged:\n%s", log)
	}
}

// The broker leaving and coming back with its data: the source reconnects and goes on
// where it was, nothing lost or read twice.
func TestSourceBrokerLeavesAndComesBack(t *testing.T) {
	b := testservers.StartBroker(t)
	topic := testservers.CreateTopic(t, b.Addr(), 1)
	produceRange(t, b.Addr(), topic, "a", 0, 50)
	s, log := outageSource(t, b, topic, 100)
	values, errc := collect(s)
	waitValues(t, values, errc, 50)
	b.Cut()
	log.waitLog(t, "kafka fetch failed, retrying", errc)
	b.Restore()
	produceRange(t, b.Addr(), topic, "a", 50, 100)
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v\n%s", err, log)
	}
	if rest := wantValues(t, values(), "a", 0, 100); len(rest) > 0 {
		t.Fatalf("more records than produced: %q", rest)
	}
}

// The broker restarted empty: the topic is gone, then created again with a new log.
// The source waits for it and, its offset being past the new log's end, resets as
// properties.auto.offset.reset says (earliest), with a warning.
func TestSourceBrokerRestartedEmpty(t *testing.T) {
	b := testservers.StartBroker(t)
	topic := testservers.CreateTopic(t, b.Addr(), 1)
	produceRange(t, b.Addr(), topic, "a", 0, 50)
	s, log := outageSource(t, b, topic, 50+30)
	values, errc := collect(s)
	waitValues(t, values, errc, 50)
	b.RestartEmpty()
	log.waitLog(t, "kafka fetch failed, retrying", errc) // the topic is unknown
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := testservers.Client(b.Addr()).CreateTopics(ctx, &kafkago.CreateTopicsRequest{Topics: []kafkago.TopicConfig{{Topic: topic, NumPartitions: 1, ReplicationFactor: 1}}}); err != nil {
		t.Fatal(err)
	}
	// Fewer records than the source had read: its offset is past the new log's end.
	produceRange(t, b.Addr(), topic, "b", 0, 30)
	log.waitLog(t, "kafka offset out of range, reset", errc)
	produceRange(t, b.Addr(), topic, "b", 30, 80)
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v\n%s", err, log)
	}
	// The new log from its start, up to the bounded stop offset (80).
	rest := wantValues(t, values(), "a", 0, 50)
	if rest = wantValues(t, rest, "b", 0, 80); len(rest) > 0 {
		t.Fatalf("more records than produced: %q", rest)
	}
}
