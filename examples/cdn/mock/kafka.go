package mock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// KafkaOptions say where and how ProduceKafka writes.
type KafkaOptions struct {
	Brokers    []string // bootstrap servers, host:port
	Topic      string
	Partitions int     // partitions of the topic when it has to be created (default 1)
	Rate       float64 // records per second; 0 = as fast as the broker takes them
	Format     string  // "csv" (default) or "json"
}

// EnsureTopic creates the topic with the given number of partitions unless it exists,
// and returns the number of partitions it has.
func EnsureTopic(ctx context.Context, brokers []string, topic string, partitions int) (int, error) {
	if partitions <= 0 {
		partitions = 1
	}
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 20 * time.Second}
	if n, err := topicPartitions(ctx, c, topic); err == nil && n > 0 {
		return n, nil
	}
	resp, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: partitions, ReplicationFactor: 1,
	}}})
	if err != nil {
		return 0, fmt.Errorf("create topic %s on %s: %w", topic, strings.Join(brokers, ","), err)
	}
	if err := resp.Errors[topic]; err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
		return 0, fmt.Errorf("create topic %s: %w", topic, err)
	}
	return topicPartitions(ctx, c, topic)
}

func topicPartitions(ctx context.Context, c *kafka.Client, topic string) (int, error) {
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, err
	}
	if len(md.Topics) != 1 {
		return 0, fmt.Errorf("metadata for %s: %d topics", topic, len(md.Topics))
	}
	if md.Topics[0].Error != nil {
		return 0, md.Topics[0].Error
	}
	return len(md.Topics[0].Partitions), nil
}

// sequential sends the i-th message of the writer to partition i mod n, so a run's
// split over the partitions is known in advance (see PartitionCounts).
type sequential struct{ next int }

func (s *sequential) Balance(_ kafka.Message, partitions ...int) int {
	p := partitions[s.next%len(partitions)]
	s.next++
	return p
}

// PartitionCounts returns how many of n records ProduceKafka puts in each of p
// partitions of a topic: record i goes to partition i mod p.
func PartitionCounts(n int64, p int) []int64 {
	out := make([]int64, p)
	for i := range out {
		out[i] = n / int64(p)
		if int64(i) < n%int64(p) {
			out[i]++
		}
	}
	return out
}

// ProduceKafka writes n records (n = 0: until ctx ends) of the generator to the topic,
// creating it when it is missing, with acks=all and batched writes; record i goes to
// partition i mod the topic's partition count. It returns the number of records
// written, which are all acknowledged.
func (g *Generator) ProduceKafka(ctx context.Context, n int64, o KafkaOptions) (int64, error) {
	if o.Format == "" {
		o.Format = "csv"
	}
	if o.Format != "csv" && o.Format != "json" {
		return 0, fmt.Errorf("format %q: want csv or json", o.Format)
	}
	if _, err := EnsureTopic(ctx, o.Brokers, o.Topic, o.Partitions); err != nil {
		return 0, err
	}
	w := &kafka.Writer{
		Addr:         kafka.TCP(o.Brokers...),
		Topic:        o.Topic,
		Balancer:     &sequential{},
		RequiredAcks: kafka.RequireAll, // kafka-go defaults to acks=0
		BatchSize:    2000,
		BatchBytes:   4 << 20,
		BatchTimeout: 5 * time.Millisecond, // kafka-go's default of 1 s would stall every partial batch
		Transport:    &kafka.Transport{Dial: (&net.Dialer{Timeout: 10 * time.Second}).DialContext},
	}
	defer w.Close()

	// Chunks of records per WriteMessages call: large when unpaced, about 1/20 s of
	// records when paced.
	chunk := int64(20000)
	if o.Rate > 0 {
		chunk = max(1, min(chunk, int64(o.Rate/20)))
	}
	start := time.Now()
	var sent int64
	var arena, line []byte
	msgs := make([]kafka.Message, 0, chunk)
	for n == 0 || sent < n {
		k := chunk
		if n > 0 {
			k = min(k, n-sent)
		}
		if o.Rate > 0 {
			// Wait until sending this chunk keeps us at or below the rate.
			due := start.Add(time.Duration(float64(sent+k) / o.Rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				select {
				case <-ctx.Done():
					return sent, ctx.Err()
				case <-time.After(d):
				}
			}
		}
		arena, msgs = arena[:0], msgs[:0]
		ends := make([]int, 0, k)
		for i := int64(0); i < k; i++ {
			line = g.Append(line[:0])
			if o.Format == "json" {
				arena = CSVToJSON(arena, line)
			} else {
				arena = append(arena, line...)
			}
			ends = append(ends, len(arena))
		}
		// Slice values only after the arena stopped growing.
		from := 0
		for _, e := range ends {
			msgs = append(msgs, kafka.Message{Value: arena[from:e:e]})
			from = e
		}
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			return sent, fmt.Errorf("write to %s: %w", o.Topic, err)
		}
		// WriteMessages returned after every ack: the arena can be reused.
		sent += k
	}
	return sent, nil
}
