package kafka

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/segmentio/kafka-go/protocol"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

const benchPerPartition = 50_000

// benchTopic fills a 4-partition topic with 200,000 CDN-log-like CSV records on the
// in-process broker.
func benchTopic(b *testing.B) (bootstrap, topic string) {
	bs := testservers.Kafka(b)
	topic = testservers.CreateTopic(b, bs, 4)
	for p := 0; p < 4; p++ {
		recs := make([]testservers.Record, 0, benchPerPartition)
		for i := 0; i < benchPerPartition; i++ {
			recs = append(recs, testservers.Record{Partition: p, Value: []byte(fmt.Sprintf(
				"%08x-1c2b-4d5e-8f90-%012x,110.%d.%d.%d,%d,%d,/video/%d.mp4", i, p, p, i%256, i%200, 100+i%900, 1000+i%100000, i))})
		}
		testservers.Produce(b, bs, topic, recs...)
	}
	return bs, topic
}

// BenchmarkSourceRead reads the benchmark topic end to end through Run; it reports
// records per second. The broker runs in the benchmark process: ns/op and B/op include
// its work too. BenchmarkAppendBatches and its baseline measure the source alone.
func BenchmarkSourceRead(b *testing.B) {
	bs, topic := benchTopic(b)
	r := resolveB(b, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset")
	b.ReportAllocs()
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

// benchBatches encodes about 256 KiB of record batches (one fetch) of CDN-log-like CSV
// records and returns them with the number of records.
func benchBatches(b *testing.B) ([]byte, int) {
	var data []byte
	n := 0
	for len(data) < 256<<10-30<<10 {
		var rs []testRec
		for i := 0; i < 250; i++ {
			rs = append(rs, testRec{offDelta: int64(i), tsDelta: int64(i), val: []byte(fmt.Sprintf(
				"%08x-1c2b-4d5e-8f90-%012x,110.%d.%d.%d,%d,%d,/video/%d.mp4", n, i, i, n%256, i%200, 100+i%900, 1000+n%100000, i))})
			n++
		}
		data = append(data, encodeBatch(b, int64(n-250), 0, 0, 0, 249, rs)...)
	}
	return data, n
}

// BenchmarkAppendBatches parses one fetch response's record batches in place: the
// source's per-record work without the network. Its baseline is
// BenchmarkAppendBatchesBaselineKafkaGo.
func BenchmarkAppendBatches(b *testing.B) {
	data, n := benchBatches(b)
	bb := new(batchBuf)
	p := partitionPlan{stop: -1}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bb.reset()
		if _, err := bb.appendBatches(data, p, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAppendBatchesBaselineKafkaGo is how the source read the same bytes before it
// spoke the Fetch API itself: kafka-go's client decoded the record set
// (protocol.RecordSet, what Client.Fetch returns) and the source copied every key and
// value into an arena.
func BenchmarkAppendBatchesBaselineKafkaGo(b *testing.B) {
	data, n := benchBatches(b)
	set := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	set = append(set, data...)
	var arena []byte
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var rs protocol.RecordSet
		if _, err := rs.ReadFrom(bytes.NewReader(set)); err != nil {
			b.Fatal(err)
		}
		arena = arena[:0]
		for {
			rec, err := rs.Records.ReadRecord()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range []protocol.Bytes{rec.Key, rec.Value} {
				if f != nil {
					start := len(arena)
					arena = append(arena, make([]byte, f.Len())...)
					io.ReadFull(f, arena[start:])
					f.Close()
				}
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
