package kafka

import (
	"context"
	"fmt"
	"strconv"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// DeadLetterWriter writes a source's rejected records into 'dead-letter.topic'
// (runtimelib/job's DeadLetter): the record's bytes as the message value, unchanged, so
// that it can be read again once fixed, and where it came from in headers:
//
//	sqlc.table      the source table
//	sqlc.position   "logs.csv:17", "clicks[2]@1043"
//	sqlc.outcome    "skipped" or "nulled"
//	sqlc.error      why
//
// The brokers are 'dead-letter.properties.bootstrap.servers', else the table's own
// 'properties.bootstrap.servers'. Messages are buffered and sent, acknowledged by all
// in-sync replicas, at Flush. A record longer than 1,000,000 bytes is cut there (a
// broker takes messages of about 1 MB by default), and header sqlc.record-bytes gives
// its length, so that a huge bad record cannot stop the job.
type DeadLetterWriter struct {
	topic   string
	w       *kafkago.Writer
	pending []kafkago.Message
}

// NewDeadLetterWriter opens the dead-letter topic of a source table; it fails when the
// topic does not exist.
func NewDeadLetterWriter(r *options.Resolved) (stream.DeadLetterWriter, error) {
	servers := r.String("dead-letter.properties.bootstrap.servers")
	if servers == "" {
		servers = r.String("properties.bootstrap.servers")
	}
	brokers := splitList(servers, ",")
	if len(brokers) == 0 {
		return nil, fmt.Errorf("no brokers: set 'dead-letter.properties.bootstrap.servers'")
	}
	topic := r.String("dead-letter.topic")
	d := &DeadLetterWriter{topic: topic, w: &kafkago.Writer{
		Addr:         kafkago.TCP(brokers...),
		Topic:        topic,
		Balancer:     &kafkago.RoundRobin{},
		RequiredAcks: kafkago.RequireAll,
		BatchSize:    1000,
		BatchBytes:   1 << 20, // a broker's message.max.bytes is about 1 MB by default
		BatchTimeout: 5 * time.Millisecond,
		MaxAttempts:  5,
	}}
	if err := topicExists(d.w.Addr, topic); err != nil {
		d.w.Close()
		return nil, err
	}
	return d, nil
}

// maxDeadLetterValue is the longest record a dead-letter message holds whole.
const maxDeadLetterValue = 1_000_000

// Write buffers the record (copied: the batch it came from is released).
func (d *DeadLetterWriter) Write(r *stream.DeadLetterRecord) error {
	rec := r.Record
	headers := []kafkago.Header{
		{Key: "sqlc.table", Value: []byte(r.Table)},
		{Key: "sqlc.position", Value: []byte(r.Position)},
		{Key: "sqlc.outcome", Value: []byte(r.Outcome)},
		{Key: "sqlc.error", Value: []byte(r.Error)},
	}
	if len(rec) > maxDeadLetterValue {
		headers = append(headers, kafkago.Header{Key: "sqlc.record-bytes", Value: []byte(strconv.Itoa(len(rec)))})
		rec = rec[:maxDeadLetterValue]
	}
	d.pending = append(d.pending, kafkago.Message{Value: append([]byte(nil), rec...), Headers: headers})
	return nil
}

// Flush sends the buffered records and waits until all are acknowledged.
func (d *DeadLetterWriter) Flush() error {
	if len(d.pending) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := d.w.WriteMessages(ctx, d.pending...); err != nil {
		return fmt.Errorf("kafka write to %q: %w", d.topic, err)
	}
	d.pending = d.pending[:0]
	return nil
}

// Close closes the writer; records not flushed are dropped (the job flushes first).
func (d *DeadLetterWriter) Close() error { return d.w.Close() }
