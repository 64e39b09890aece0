package rowenc

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// cdnCols is the CDN statistics row (province, access_count, total_download,
// download_speed) a Kafka sink encodes.
var cdnCols = []stream.Column{
	{Name: "province", Kind: stream.Varchar}, {Name: "access_count", Kind: stream.BigInt},
	{Name: "total_download", Kind: stream.BigInt}, {Name: "download_speed", Kind: stream.Double},
}

func cdnEncoder(b *testing.B, format string) *Encoder {
	r, probs := options.Resolve("t", []options.KV{{Key: "connector", Value: "kafka"}, {Key: "topic", Value: "x"},
		{Key: "properties.bootstrap.servers", Value: "h:1"}, {Key: "format", Value: format}})
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	e, err := NewEncoder(r, cdnCols, []int{0, 1, 2, 3})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// fillCDN is what generated code does per row: the typed field calls of stream.Sink.
func fillCDN(r *Row, i int64) {
	r.Begin(stream.Insert)
	r.String("Guangdong")
	r.Int64(1_000_000 + i)
	r.Int64(5_242_880_000_000 + i)
	r.Float64(2097.152)
}

func benchEncode(b *testing.B, format string) {
	e := cdnEncoder(b, format)
	r := NewRow(len(cdnCols))
	var dst []byte
	fillCDN(r, 0)
	b.SetBytes(int64(len(e.Append(nil, r.Values))))
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		fillCDN(r, i)
		if err := r.Complete(); err != nil {
			b.Fatal(err)
		}
		dst = e.Append(dst[:0], r.Values)
		i++
	}
}

// BenchmarkEncodeCSV is one row through Row and the csv encoder (a Kafka value).
func BenchmarkEncodeCSV(b *testing.B) { benchEncode(b, "csv") }

// BenchmarkEncodeJSON is one row through Row and the json encoder (a Kafka value).
func BenchmarkEncodeJSON(b *testing.B) { benchEncode(b, "json") }

// BenchmarkEncodeMixedTypes encodes the test row of every kind (decimal, timestamps,
// bytes, ...) as JSON.
func BenchmarkEncodeMixedTypes(b *testing.B) {
	all := make([]int, len(cols))
	for i := range all {
		all[i] = i
	}
	r, _ := options.Resolve("t", []options.KV{{Key: "connector", Value: "kafka"}, {Key: "topic", Value: "x"},
		{Key: "properties.bootstrap.servers", Value: "h:1"}, {Key: "format", Value: "json"}})
	e, err := NewEncoder(r, cols, all)
	if err != nil {
		b.Fatal(err)
	}
	vals := fill("some text", false)
	var dst []byte
	b.SetBytes(int64(len(e.Append(nil, vals))))
	b.ReportAllocs()
	for b.Loop() {
		dst = e.Append(dst[:0], vals)
	}
}
