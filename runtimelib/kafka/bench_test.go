package kafka

import (
	"context"
	"fmt"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// BenchmarkSourceRead reads a 4-partition topic of 200,000 CDN-log-like CSV records
// from the in-process broker, end to end through Run; it reports records per second.
func BenchmarkSourceRead(b *testing.B) {
	bs := testservers.Kafka(b)
	topic := testservers.CreateTopic(b, bs, 4)
	const perPartition = 50_000
	for p := 0; p < 4; p++ {
		recs := make([]testservers.Record, 0, perPartition)
		for i := 0; i < perPartition; i++ {
			recs = append(recs, testservers.Record{Partition: p, Value: []byte(fmt.Sprintf(
				"%08x-1c2b-4d5e-8f90-%012x,110.%d.%d.%d,%d,%d,/video/%d.mp4", i, p, p, i%256, i%200, 100+i%900, 1000+i%100000, i))})
		}
		testservers.Produce(b, bs, topic, recs...)
	}
	r := resolveB(b, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset")
	b.ResetTimer()
	var total int
	for i := 0; i < b.N; i++ {
		s, err := NewSource(r, stream.Schema{})
		if err != nil {
			b.Fatal(err)
		}
		out := make(chan *stream.Batch, 8)
		errc := make(chan error, 1)
		go func() { errc <- s.Run(context.Background(), out); close(out) }()
		for batch := range out {
			total += len(batch.Records)
			batch.Release()
		}
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "records/s")
}
