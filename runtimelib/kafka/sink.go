package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Sink writes rows as Kafka messages. Build it with NewSink ('connector'='kafka',
// append-only) or NewUpsertSink ('connector'='upsert-kafka').
//
// Rows are encoded at End into one buffer and sent on Flush, or earlier when the buffer
// holds maxPending messages or maxPendingBytes bytes. The writer waits for acks from all
// in-sync replicas.
type Sink struct {
	*rowenc.Row
	written int64 // bytes of keys and values produced (BytesWritten)
	table   string
	topic   string
	upsert  bool
	schema  stream.Schema

	val *rowenc.Encoder
	key *rowenc.Encoder // nil: messages without key

	w *kafkago.Writer

	buf     []byte
	pending []pendingMsg
	msgs    []kafkago.Message

	maxPending      int
	maxPendingBytes int
	flushTimeout    time.Duration
}

type pendingMsg struct {
	kStart, kEnd int // key bytes in buf; kStart < 0: no key
	vStart, vEnd int // value bytes in buf; vStart < 0: tombstone
}

// Limits on what End buffers before it sends on its own.
const (
	defaultMaxPending      = 10000
	defaultMaxPendingBytes = 8 << 20
)

// NewSink returns the sink of a 'connector'='kafka' table: append-only rows, values in
// the value format, keys (when key.fields is set) in key.format.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	s, err := newSink(r, schema, false)
	if err != nil {
		return nil, err // not a nil *Sink in a non-nil stream.Sink, which close would call
	}
	return s, nil
}

// NewUpsertSink returns the sink of an 'upsert-kafka' table: the message key is the
// PRIMARY KEY (schema.Key) in key.format; +I and +U rows are sent as values, -D rows as
// tombstones (a null value), -U rows are dropped.
func NewUpsertSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	s, err := newSink(r, schema, true)
	if err != nil {
		return nil, err // not a nil *Sink in a non-nil stream.Sink, which close would call
	}
	return s, nil
}

func newSink(r *options.Resolved, schema stream.Schema, upsert bool) (*Sink, error) {
	s := &Sink{
		Row:             rowenc.NewRow(len(schema.Columns)),
		table:           r.Table,
		upsert:          upsert,
		schema:          schema,
		maxPending:      defaultMaxPending,
		maxPendingBytes: defaultMaxPendingBytes,
		flushTimeout:    2 * time.Minute,
	}
	topics := splitList(r.String("topic"), ";")
	if len(topics) != 1 {
		return nil, fmt.Errorf("table %s: a Kafka sink writes to exactly one topic; 'topic' is %q", r.Table, r.String("topic"))
	}
	s.topic = topics[0]
	brokers := splitList(r.String("properties.bootstrap.servers"), ",")
	if len(brokers) == 0 {
		return nil, fmt.Errorf("table %s: option 'properties.bootstrap.servers' is empty", r.Table)
	}

	// Key columns: upsert-kafka keys on the primary key, kafka on key.fields.
	var keyFields []int
	if upsert {
		if len(schema.Key) == 0 {
			return nil, fmt.Errorf("table %s: 'upsert-kafka' tables require a PRIMARY KEY", r.Table)
		}
		keyFields = schema.Key
	} else if kf := r.String("key.fields"); kf != "" {
		for _, name := range splitList(kf, ";") {
			i := columnIndex(schema, name)
			if i < 0 {
				return nil, fmt.Errorf("table %s: 'key.fields' names %q, which is not a column", r.Table, name)
			}
			keyFields = append(keyFields, i)
		}
	}
	if len(keyFields) > 0 {
		if r.KeyFormat == "" {
			return nil, fmt.Errorf("table %s: 'key.format' is required when the message key has fields", r.Table)
		}
		// key.fields-prefix is part of the column names but not of the key format's.
		prefix := r.String("key.fields-prefix")
		keyCols := append([]stream.Column(nil), schema.Columns...)
		for _, i := range keyFields {
			keyCols[i].Name = strings.TrimPrefix(keyCols[i].Name, prefix)
		}
		var err error
		if s.key, err = rowenc.NewEncoder(r.KeyFormatOptions(), keyCols, keyFields); err != nil {
			return nil, err
		}
	} else if r.KeyFormat != "" && !upsert {
		return nil, fmt.Errorf("table %s: 'key.format' is set but 'key.fields' is not", r.Table)
	}

	valueFields := make([]int, 0, len(schema.Columns))
	exceptKey := r.String("value.fields-include") == "EXCEPT_KEY"
	for i := range schema.Columns {
		if exceptKey && contains(keyFields, i) {
			continue
		}
		valueFields = append(valueFields, i)
	}
	var err error
	if s.val, err = rowenc.NewEncoder(r, schema.Columns, valueFields); err != nil {
		return nil, err
	}

	var balancer kafkago.Balancer
	switch p := r.String("sink.partitioner"); p {
	case "", "default":
		// Kafka's default partitioner: murmur2 of the key bytes.
		balancer = &kafkago.Murmur2Balancer{}
	case "fixed":
		// Flink's FlinkFixedPartitioner: subtask i writes to partition i mod n; this
		// job is one subtask, so every message goes to partition 0.
		balancer = kafkago.BalancerFunc(func(kafkago.Message, ...int) int { return 0 })
	case "round-robin":
		balancer = &kafkago.RoundRobin{}
	default:
		return nil, fmt.Errorf("table %s: 'sink.partitioner' %q is not supported (default, fixed or round-robin)", r.Table, p)
	}
	if upsert {
		if n := r.Int("sink.buffer-flush.max-rows"); n > 0 {
			s.maxPending = int(n)
		}
	}
	s.w = &kafkago.Writer{
		Addr:         kafkago.TCP(brokers...),
		Topic:        s.topic,
		Balancer:     balancer,
		RequiredAcks: kafkago.RequireAll,
		Async:        false,
		BatchSize:    s.maxPending,
		BatchBytes:   16 << 20,
		BatchTimeout: 5 * time.Millisecond,
		MaxAttempts:  5,
		// kafka-go's own messages go through slog, the job's logger (log.go).
		Logger:      slogLogger(slog.LevelDebug),
		ErrorLogger: slogLogger(slog.LevelWarn),
	}
	if err := s.checkTopic(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkTopic fails early, with a clear message, when the topic does not exist.
func (s *Sink) checkTopic() error {
	if err := topicExists(s.w.Addr, s.topic); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	return nil
}

// topicExists reports an error when topic does not exist at addr (a writer's).
func topicExists(addr net.Addr, topic string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := &kafkago.Client{Addr: addr, Timeout: 30 * time.Second}
	md, err := c.Metadata(ctx, &kafkago.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return fmt.Errorf("kafka metadata from %s: %w", addr, err)
	}
	for _, t := range md.Topics {
		if t.Name == topic && t.Error == nil && len(t.Partitions) > 0 {
			return nil
		}
	}
	return fmt.Errorf("kafka topic %q does not exist; create it first", topic)
}

func columnIndex(schema stream.Schema, name string) int {
	for i, c := range schema.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// End encodes the row into the send buffer.
func (s *Sink) End() error {
	if err := s.Row.Complete(); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	kind := s.Row.Kind
	if !s.upsert && kind != stream.Insert {
		return fmt.Errorf("table %s: the 'kafka' sink is append-only and got a %s row; use 'upsert-kafka' for updating results", s.table, kind)
	}
	if kind == stream.UpdateBefore {
		return nil // upsert: the +U that follows carries the new value
	}
	m := pendingMsg{kStart: -1, vStart: -1}
	if s.key != nil {
		m.kStart = len(s.buf)
		s.buf = s.key.Append(s.buf, s.Row.Values)
		m.kEnd = len(s.buf)
	}
	if kind != stream.Delete {
		m.vStart = len(s.buf)
		s.buf = s.val.Append(s.buf, s.Row.Values)
		m.vEnd = len(s.buf)
	}
	s.pending = append(s.pending, m)
	if len(s.pending) >= s.maxPending || len(s.buf) >= s.maxPendingBytes {
		return s.Flush()
	}
	return nil
}

// Flush sends the buffered messages and waits until all are acknowledged.
func (s *Sink) Flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	s.msgs = s.msgs[:0]
	for _, p := range s.pending {
		var m kafkago.Message
		if p.kStart >= 0 {
			m.Key = s.buf[p.kStart:p.kEnd:p.kEnd]
		}
		if p.vStart >= 0 {
			m.Value = s.buf[p.vStart:p.vEnd:p.vEnd]
		}
		s.msgs = append(s.msgs, m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.flushTimeout)
	defer cancel()
	if err := s.w.WriteMessages(ctx, s.msgs...); err != nil {
		var werrs kafkago.WriteErrors
		if errors.As(err, &werrs) {
			for _, e := range werrs {
				if e != nil {
					err = fmt.Errorf("%d of %d messages failed, first: %w", werrs.Count(), len(werrs), e)
					break
				}
			}
		}
		return fmt.Errorf("table %s: kafka write to %q: %w", s.table, s.topic, err)
	}
	for i := range s.msgs {
		s.msgs[i] = kafkago.Message{}
	}
	s.pending = s.pending[:0]
	s.written += int64(len(s.buf))
	s.buf = s.buf[:0]
	return nil
}

// BytesWritten is the bytes of the keys and values produced so far (stream.ByteCounter).
func (s *Sink) BytesWritten() int64 { return s.written }

// Close closes the writer; rows not flushed are dropped (the job flushes before Close).
func (s *Sink) Close() error { return s.w.Close() }

var (
	_ stream.Sink   = (*Sink)(nil)
	_ stream.Source = (*Source)(nil)
)
