package kafka

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

var statSchema = stream.Schema{Columns: []stream.Column{
	{Name: "province", Type: "STRING", Kind: stream.Varchar, Nullable: true},
	{Name: "access_count", Type: "BIGINT", Kind: stream.BigInt, Nullable: true},
	{Name: "speed", Type: "DOUBLE", Kind: stream.Double, Nullable: true},
	{Name: "amount", Type: "DECIMAL(10, 2)", Kind: stream.Decimal, Precision: 10, Scale: 2, Nullable: true},
}}

func writeRow(t *testing.T, s stream.Sink, kind stream.RowKind, province string, count int64, speed float64, cents int64) {
	t.Helper()
	s.Begin(kind)
	if province == "" {
		s.Null()
	} else {
		s.String(province)
	}
	s.Int64(count)
	s.Float64(speed)
	s.Decimal(types.DecimalFromInt64(cents, 0), 2)
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

func messages(t *testing.T, bs, topic string) []string {
	var out []string
	for _, m := range testservers.ReadAll(t, bs, topic) {
		v := "<tombstone>"
		if m.Value != nil {
			v = string(m.Value)
		}
		out = append(out, fmt.Sprintf("%d|%s|%s", m.Partition, m.Key, v))
	}
	return out
}

func TestSinkCSV(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 1)
	s, err := NewSink(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv"), statSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeRow(t, s, stream.Insert, "Beijing", 3, 1.5, 12345)
	writeRow(t, s, stream.Insert, "", 1, 1e10, -5)
	writeRow(t, s, stream.Insert, "He said \"hi\", twice", 0, 0.001, 0)
	if got := messages(t, bs, topic); len(got) != 0 {
		t.Fatalf("messages before Flush: %v", got)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0||Beijing,3,1.5,123.45",
		"0||,1,1.0E10,-0.05",
		"0||\"He said \"\"hi\"\", twice\",0,0.001,0.00",
	}
	if got := messages(t, bs, topic); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSinkJSONWithKey(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 4)
	s, err := NewSink(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"value.format", "json", "key.format", "json", "key.fields", "province",
		"value.fields-include", "EXCEPT_KEY", "sink.partitioner", "fixed"), statSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeRow(t, s, stream.Insert, "Beijing", 3, 1.5, 12345)
	writeRow(t, s, stream.Insert, "Tab\there", 2, 0.25, 100)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`0|{"province":"Beijing"}|{"access_count":3,"speed":1.5,"amount":123.45}`,
		`0|{"province":"Tab\there"}|{"access_count":2,"speed":0.25,"amount":1.00}`,
	}
	if got := messages(t, bs, topic); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An updating row is refused by the append-only sink.
	s.Begin(stream.UpdateAfter)
	s.String("x")
	s.Int64(1)
	s.Float64(1)
	s.Decimal(types.Decimal{}, 2)
	if err := s.End(); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("End of +U row: %v", err)
	}
}

func TestUpsertSinkTombstones(t *testing.T) {
	bs := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bs, 2)
	schema := statSchema
	schema.Key = []int{0}
	s, err := NewUpsertSink(resolve(t, "connector", "upsert-kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"key.format", "csv", "value.format", "json"), schema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeRow(t, s, stream.Insert, "Beijing", 1, 1, 100)
	writeRow(t, s, stream.UpdateBefore, "Beijing", 1, 1, 100)
	writeRow(t, s, stream.UpdateAfter, "Beijing", 2, 1, 200)
	writeRow(t, s, stream.Insert, "Shanghai", 1, 1, 100)
	writeRow(t, s, stream.Delete, "Shanghai", 1, 1, 100)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	// Every message of a key lands in one partition, in order.
	byKey := map[string][]string{}
	parts := map[string]map[int]bool{}
	for _, m := range testservers.ReadAll(t, bs, topic) {
		v := "<tombstone>"
		if m.Value != nil {
			v = string(m.Value)
		}
		byKey[string(m.Key)] = append(byKey[string(m.Key)], v)
		if parts[string(m.Key)] == nil {
			parts[string(m.Key)] = map[int]bool{}
		}
		parts[string(m.Key)][m.Partition] = true
	}
	want := map[string][]string{
		"Beijing":  {`{"province":"Beijing","access_count":1,"speed":1.0,"amount":1.00}`, `{"province":"Beijing","access_count":2,"speed":1.0,"amount":2.00}`},
		"Shanghai": {`{"province":"Shanghai","access_count":1,"speed":1.0,"amount":1.00}`, "<tombstone>"},
	}
	if fmt.Sprint(byKey) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", byKey, want)
	}
	for k, ps := range parts {
		if len(ps) != 1 {
			t.Errorf("key %s in partitions %v", k, ps)
		}
	}
}

func TestSinkErrors(t *testing.T) {
	bs := testservers.Kafka(t)
	if _, err := NewSink(resolve(t, "connector", "kafka", "topic", "no_such_topic", "properties.bootstrap.servers", bs,
		"format", "csv"), statSchema); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing topic: %v", err)
	}
	topic := testservers.CreateTopic(t, bs, 1)
	if _, err := NewUpsertSink(resolve(t, "connector", "upsert-kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"key.format", "csv", "value.format", "csv"), statSchema); err == nil || !strings.Contains(err.Error(), "PRIMARY KEY") {
		t.Errorf("upsert without key: %v", err)
	}
	if _, err := NewSink(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "key.format", "csv", "key.fields", "nope"), statSchema); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("bad key field: %v", err)
	}
}

// TestKafkaGoLogsGoToSlog: kafka-go's writer messages become records of slog's default
// logger (the job's), errors as warnings.
func TestKafkaGoLogsGoToSlog(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	slogLogger(slog.LevelWarn).Printf("error writing messages to %s (partition %d): %v", "t", 3, "broken pipe")
	slogLogger(slog.LevelDebug).Printf("writing %d messages to %s (partition: %d)", 2, "t", 0)
	got := buf.String()
	for _, want := range []string{
		`level=WARN msg="error writing messages to t (partition 3): broken pipe" client=kafka-go`,
		`level=DEBUG msg="writing 2 messages to t (partition: 0)" client=kafka-go`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
}
