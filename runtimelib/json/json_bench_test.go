package json

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// cdnRecord is a line of the JSON variant of the CDN benchmark (go run ./bench, row f).
var cdnRecord = []byte(`{"uuid":"82c103a3-76ee-d66c-42fe-f924d708086e","client_ip":"60.84.18.198","request_time":4024,"response_size":5012309}`)

// BenchmarkScannerCDN decodes a CDN record the way generated code does: one pass over
// the members, strings as views (Scanner.Text), BIGINTs through types.ParseDigits.
func BenchmarkScannerCDN(b *testing.B) {
	var s Scanner
	scratch := make([]byte, 0, 64)
	var sum int64
	b.SetBytes(int64(len(cdnRecord)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Reset(cdnRecord); err != nil {
			b.Fatal(err)
		}
		for s.Next() {
			switch string(s.Key()) {
			case "uuid", "client_ip":
				t, _ := s.Text(scratch)
				sum += int64(len(t))
			case "request_time", "response_size":
				v, ok := types.ParseDigits(s.Value())
				if !ok {
					v, _ = Int64(s.Value())
				}
				sum += v
			}
		}
		if s.Err() != nil {
			b.Fatal(s.Err())
		}
	}
	_ = sum
}

// BenchmarkScannerSkip reads one member and skims the others, nested ones included.
func BenchmarkScannerSkip(b *testing.B) {
	rec := []byte(`{"meta":{"tags":["a","b",{"c":[1,2,3]}],"note":"skip \"me\""},"n":12,"s":"text","ok":true,"x":null}`)
	var s Scanner
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		s.Reset(rec)
		for s.Next() {
			if string(s.Key()) == "n" {
				Int64(s.Value())
			}
		}
	}
}

// BenchmarkScanStringEscaped scans and decodes a string with escapes into a scratch buffer.
func BenchmarkScanStringEscaped(b *testing.B) {
	rec := []byte(`{"s":"line one\nline \"two\" \u00e9t\u00e9 and a long plain tail of text"}`)
	var s Scanner
	scratch := make([]byte, 0, 128)
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		s.Reset(rec)
		for s.Next() {
			scratch, _ = s.Text(scratch[:0])
		}
	}
}
