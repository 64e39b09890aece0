package kafka

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestMain(m *testing.M) { testservers.Main(m) }

func resolve(t *testing.T, kv ...string) *options.Resolved { return resolveB(t, kv...) }

func resolveB(t testing.TB, kv ...string) *options.Resolved {
	t.Helper()
	var written []options.KV
	for i := 0; i < len(kv); i += 2 {
		written = append(written, options.KV{Key: kv[i], Value: kv[i+1]})
	}
	r, probs := options.Resolve("t", written)
	if len(probs) > 0 {
		t.Fatalf("options: %v", probs)
	}
	return r
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// got is one record as the source delivered it.
type got struct {
	topic     string
	partition int32
	offset    int64
	ts        int64
	key, val  string
}

// runBounded runs a bounded source to its end and returns what it delivered, releasing
// every batch and then, as the job loop does after its final flush, committing the
// batches' positions.
func runBounded(t *testing.T, s *Source) []got {
	t.Helper()
	if !s.Bounded() {
		t.Fatal("source is not bounded")
	}
	ctx := testCtx(t)
	out := make(chan *stream.Batch, 4)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, out); close(out) }()
	var recs []got
	durable := map[int32]stream.Position{}
	for b := range out {
		checkPosition(t, b, durable)
		if b.Partition == nil || len(b.Offset) != len(b.Records) || len(b.Timestamp) != len(b.Records) || len(b.Keys) != len(b.Records) {
			t.Fatalf("metadata arrays: %d records, %d partitions, %d offsets, %d timestamps, %d keys",
				len(b.Records), len(b.Partition), len(b.Offset), len(b.Timestamp), len(b.Keys))
		}
		for i, rec := range b.Records {
			recs = append(recs, got{b.Origin, b.Partition[i], b.Offset[i], b.Timestamp[i], string(b.Keys[i]), string(rec)})
		}
		b.Release()
	}
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if err := s.Commit(ctx, slices.Collect(maps.Values(durable))); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].partition != recs[j].partition {
			return recs[i].partition < recs[j].partition
		}
		return recs[i].offset < recs[j].offset
	})
	return recs
}

// checkPosition checks a batch's split and position against its records and the
// batches before it (durable: per split, the last position), then records it.
func checkPosition(t *testing.T, b *stream.Batch, durable map[int32]stream.Position) {
	t.Helper()
	if len(b.Records) == 0 {
		// The batch that registers a partition with its source task comes first and
		// stands at the partition's start.
		if _, seen := durable[b.Split]; seen || len(b.Partition) != 1 || !b.Owned {
			t.Fatalf("split %d: an empty batch after others, or not naming its partition (%v)", b.Split, b.Partition)
		}
		durable[b.Split] = b.Position()
		return
	}
	for i := range b.Records {
		if b.Partition[i] != b.Partition[0] {
			t.Fatalf("batch of split %d mixes partitions %v", b.Split, b.Partition)
		}
	}
	last := b.Offset[len(b.Offset)-1]
	prev, seen := durable[b.Split]
	if b.End <= last || (seen && b.Offset[0] < prev.Offset) {
		t.Fatalf("split %d: batch of offsets %d..%d ends at %d, after a batch that ended at %d", b.Split, b.Offset[0], last, b.End, prev.Offset)
	}
	durable[b.Split] = b.Position()
}

var base = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// produceN writes n records to each of the partitions: value "p<partition>-<i>", key
// "k<i>", timestamp base + i seconds.
func produceN(t *testing.T, bs, topic string, partitions, n int) {
	var recs []testservers.Record
	for p := 0; p < partitions; p++ {
		for i := 0; i < n; i++ {
			recs = append(recs, testservers.Record{Partition: p, Key: []byte(fmt.Sprintf("k%d", i)),
				Value: []byte(fmt.Sprintf("p%d-%d", p, i)), Time: base.Add(time.Duration(i) * time.Second)})
		}
	}
	testservers.Produce(t, bs, topic, recs...)
}

func TestSourceReadsAllPartitions(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 4)
	produceN(t, bs, topic, 4, 25)
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	recs := runBounded(t, s)
	if len(recs) != 100 {
		t.Fatalf("got %d records, want 100", len(recs))
	}
	for i, r := range recs {
		p, n := i/25, i%25
		want := got{topic, int32(p), int64(n), base.Add(time.Duration(n) * time.Second).UnixMilli(), fmt.Sprintf("k%d", n), fmt.Sprintf("p%d-%d", p, n)}
		if r != want {
			t.Fatalf("record %d: got %+v, want %+v", i, r, want)
		}
	}
	pos := s.Positions()
	for p := int32(0); p < 4; p++ {
		if pos[p] != 25 {
			t.Errorf("position of partition %d = %d, want 25 (%v)", p, pos[p], pos)
		}
	}
}

func TestSourceTopicListAndSpecificBounds(t *testing.T) {
	bs := testservers.Kafka(t)
	a := testservers.CreateTopic(t, bs, 2)
	b := testservers.CreateTopic(t, bs, 1)
	produceN(t, bs, a, 2, 5)
	produceN(t, bs, b, 1, 5)
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", a+";"+b, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "specific-offsets",
		"scan.startup.specific-offsets", "partition:0,offset:3;partition:1,offset:1",
		"properties.auto.offset.reset", "earliest",
		"scan.bounded.mode", "specific-offsets", "scan.bounded.specific-offsets", "partition:1,offset:2"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	recs := runBounded(t, s)
	var vals []string
	for _, r := range recs {
		vals = append(vals, r.topic[:1]+":"+r.val)
	}
	sort.Strings(vals)
	// Topic a: p0 from 3 to the end (5), p1 from 1 to 2. Topic b: p0 from 3 to the end.
	want := fmt.Sprint([]string{a[:1] + ":p0-3", a[:1] + ":p0-3", a[:1] + ":p0-4", a[:1] + ":p0-4", a[:1] + ":p1-1"})
	if fmt.Sprint(vals) != want {
		t.Fatalf("got %v, want %v", vals, want)
	}
}

// startOffsets returns where each partition of the source's first topic starts.
func startOffsets(t *testing.T, s *Source) map[int32]int64 {
	t.Helper()
	plans, err := s.plan(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int32]int64{}
	for _, p := range plans {
		out[p.tp.partition] = p.start
	}
	return out
}

func TestStartupModes(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 2)
	produceN(t, bs, topic, 2, 10)
	common := []string{"connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs, "format", "csv"}
	newSource := func(kv ...string) *Source {
		t.Helper()
		s, err := NewSource(resolve(t, append(append([]string(nil), common...), kv...)...), stream.Schema{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name string
		kv   []string
		want map[int32]int64
	}{
		{"earliest", []string{"scan.startup.mode", "earliest-offset"}, map[int32]int64{0: 0, 1: 0}},
		{"latest", []string{"scan.startup.mode", "latest-offset"}, map[int32]int64{0: 10, 1: 10}},
		{"timestamp", []string{"scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", fmt.Sprint(base.Add(7 * time.Second).UnixMilli())}, map[int32]int64{0: 7, 1: 7}},
		{"timestamp-after-end", []string{"scan.startup.mode", "timestamp", "scan.startup.timestamp-millis", fmt.Sprint(base.Add(time.Hour).UnixMilli())}, map[int32]int64{0: 10, 1: 10}},
		{"specific", []string{"scan.startup.mode", "specific-offsets", "scan.startup.specific-offsets", "partition:0,offset:4;partition:1,offset:9"}, map[int32]int64{0: 4, 1: 9}},
		{"group-none-committed", []string{"properties.group.id", "g-empty"}, map[int32]int64{0: 0, 1: 0}},
		{"group-none-committed-latest", []string{"properties.group.id", "g-empty", "properties.auto.offset.reset", "latest"}, map[int32]int64{0: 10, 1: 10}},
		{"default-no-group", nil, map[int32]int64{0: 0, 1: 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := startOffsets(t, newSource(c.kv...)); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("start offsets %v, want %v", got, c.want)
			}
		})
	}

	t.Run("group-committed", func(t *testing.T) {
		// A bounded run with a group commits its positions at the end; the next source
		// of the group starts there.
		s := newSource("properties.group.id", "g1", "scan.startup.mode", "earliest-offset",
			"scan.bounded.mode", "specific-offsets", "scan.bounded.specific-offsets", "partition:0,offset:6;partition:1,offset:3")
		if n := len(runBounded(t, s)); n != 9 {
			t.Fatalf("first run read %d records, want 9", n)
		}
		if got := fmt.Sprint(s.Positions()); got != "map[0:6 1:3]" {
			t.Fatalf("positions after the first run: %s", got)
		}
		next := newSource("properties.group.id", "g1")
		if got := startOffsets(t, next); fmt.Sprint(got) != fmt.Sprint(map[int32]int64{0: 6, 1: 3}) {
			t.Fatalf("group start offsets %v, want map[0:6 1:3]", got)
		}
		if n := len(runBounded(t, newSource("properties.group.id", "g1", "scan.bounded.mode", "latest-offset"))); n != 11 {
			t.Fatalf("second run read %d records, want 11", n)
		}
	})

	t.Run("resumed", func(t *testing.T) {
		// A checkpoint's offsets win over every startup mode; a partition the
		// checkpoint does not name starts as the mode says; an offset no longer in the
		// log resets; Starts reports the restored offsets before Run, then the plan's.
		for _, mode := range [][]string{{"scan.startup.mode", "latest-offset"}, {"scan.startup.mode", "earliest-offset"}, {"properties.group.id", "g1"}} {
			s := newSource(mode...)
			if err := s.Resume([]stream.Position{{Name: topic, Partition: 1, Offset: 4}, {Name: "other-topic", Partition: 0, Offset: 9}}); err != nil {
				t.Fatal(err)
			}
			if st := s.Starts(); len(st) != 2 {
				t.Errorf("Starts before Run: %v, want the 2 restored positions", st)
			}
			want := map[int32]int64{0: startOffsets(t, newSource(mode...))[0], 1: 4}
			if got := startOffsets(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%v resumed: start offsets %v, want %v", mode, got, want)
			}
		}
		s := newSource("scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset")
		s.Resume([]stream.Position{{Name: topic, Partition: 0, Offset: 8}, {Name: topic, Partition: 1, Offset: 99}})
		recs := runBounded(t, s)
		if len(recs) != 2+10 || recs[0].offset != 8 || recs[2].partition != 1 || recs[2].offset != 0 {
			t.Errorf("resumed at 8 and (out of range) 99: read %d records from %+v", len(recs), recs[:min(3, len(recs))])
		}
		if st := fmt.Sprint(s.Starts()); !strings.Contains(st, "0 8}") || !strings.Contains(st, "1 0}") {
			t.Errorf("Starts after Run = %s, want partition 0 at 8 and 1 at 0 (reset)", st)
		}
	})

	t.Run("none-fails", func(t *testing.T) {
		s := newSource("properties.group.id", "g-none", "properties.auto.offset.reset", "none")
		if _, err := s.plan(testCtx(t)); err == nil {
			t.Fatal("no error for auto.offset.reset=none without committed offsets")
		}
	})
}

func TestSourceUnboundedCancel(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 2)
	produceN(t, bs, topic, 2, 3)
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Bounded() {
		t.Fatal("unbounded source says it is bounded")
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	out := make(chan *stream.Batch, 4)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, out) }()
	n := 0
	durable := map[int32]stream.Position{}
	for n < 6 {
		b := <-out
		n += len(b.Records)
		checkPosition(t, b, durable)
		b.Release()
	}
	// Releasing a batch only returns its memory; the job's Commit moves positions.
	if got := s.Positions(); got[0] != 0 || got[1] != 0 {
		t.Fatalf("positions moved by releases: %v", got)
	}
	if err := s.Commit(ctx, slices.Collect(maps.Values(durable))); err != nil {
		t.Fatal(err)
	}
	// Records produced while running arrive too.
	produceN(t, bs, topic, 1, 2)
	for n < 8 {
		b := <-out
		n += len(b.Records)
		checkPosition(t, b, durable)
		b.Release()
	}
	if got := s.Positions(); got[0] != 3 || got[1] != 3 {
		t.Fatalf("positions after the first commit: %v", got)
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("Run after cancel: %v, want context.Canceled", err)
	}
	if n != 8 {
		t.Fatalf("read %d records, want 8", n)
	}
	// The final flush's commit comes after Run returned.
	if err := s.Commit(context.Background(), []stream.Position{durable[0]}); err != nil {
		t.Fatal(err)
	}
	if got := s.Positions(); got[0] != 5 || got[1] != 3 {
		t.Fatalf("positions after the final commit: %v", got)
	}
}

func TestSourceOptionErrors(t *testing.T) {
	for _, kv := range [][]string{
		{"scan.startup.mode", "specific-offsets", "scan.startup.specific-offsets", "partition:x"},
		{"scan.startup.mode", "group-offsets"},
		{"properties.auto.offset.reset", "sometimes"},
	} {
		base := []string{"connector", "kafka", "topic", "x", "properties.bootstrap.servers", "127.0.0.1:1", "format", "csv"}
		if _, err := NewSource(resolve(t, append(base, kv...)...), stream.Schema{}); err == nil {
			t.Errorf("%v: no error", kv)
		}
	}
}

// The seed's Flink 1.10 DDL keys reach the source under their modern names.
func TestSourceLegacyKeys(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 4)
	produceN(t, bs, topic, 4, 3)
	r := resolve(t, "connector.type", "kafka", "connector.version", "universal", "connector.topic", topic,
		"connector.properties.zookeeper.connect", "localhost:2181", "connector.properties.bootstrap.servers", bs,
		"connector.startup-mode", "earliest-offset", "format.type", "csv", "format.ignore-parse-errors", "true",
		"scan.bounded.mode", "latest-offset")
	s, err := NewSource(r, stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(runBounded(t, s)); n != 12 {
		t.Fatalf("read %d records, want 12", n)
	}
}
