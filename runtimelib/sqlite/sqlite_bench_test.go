package sqlite

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// BenchmarkSinkRow is the cost of one upserted row as generated code writes it (Begin,
// four typed fields, End), with a flush (one transaction) every 1000 rows, as the CDN
// job's statistics table sees it. ns/op is per row.
func BenchmarkSinkRow(b *testing.B) {
	s, err := Open(opts(filepath.Join(b.TempDir(), "bench.db"), "stats", "sink.buffer-flush.max-rows", "0"), statSchema)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("province-%d", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Begin(stream.UpdateAfter)
		s.String(keys[i%len(keys)])
		s.Int64(int64(i))
		s.Int64(int64(i) * 10)
		s.Float64(1.5)
		if err := s.End(); err != nil {
			b.Fatal(err)
		}
		if i++; i%len(keys) == 0 {
			if err := s.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSinkRowBuffered is Begin..End only: the cost of buffering a row before the
// flush writes it (the part that runs per aggregate change between flushes).
func BenchmarkSinkRowBuffered(b *testing.B) {
	s, err := Open(opts(filepath.Join(b.TempDir(), "bench.db"), "stats", "sink.buffer-flush.max-rows", "0"), statSchema)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		s.Begin(stream.UpdateAfter)
		s.String("Guangdong")
		s.Int64(i)
		s.Int64(i * 10)
		s.Float64(1.5)
		if err := s.End(); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.StopTimer()
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
}
