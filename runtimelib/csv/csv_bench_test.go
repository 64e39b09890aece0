package csv

import "testing"

// cdnRecord is a line of the CDN benchmark (go run ./bench, row a): uuid,client_ip,request_time,response_size.
var cdnRecord = []byte("82c103a3-76ee-d66c-42fe-f924d708086e,60.84.18.198,4024,5012309")

// BenchmarkSplitIntoCDN is the split generated code does per CSV record: the first four
// fields into an array on the stack (the fast path, no quotes).
func BenchmarkSplitIntoCDN(b *testing.B) {
	sp := NewSplitter(DefaultConfig())
	b.SetBytes(int64(len(cdnRecord)))
	b.ReportAllocs()
	for b.Loop() {
		var fields [4][]byte
		if n, err := sp.SplitInto(cdnRecord, fields[:]); n != 4 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkSplitIntoFirstField reads only the first field: the rest of the record is
// never looked at.
func BenchmarkSplitIntoFirstField(b *testing.B) {
	sp := NewSplitter(DefaultConfig())
	b.SetBytes(int64(len(cdnRecord)))
	b.ReportAllocs()
	for b.Loop() {
		var fields [1][]byte
		sp.SplitInto(cdnRecord, fields[:])
	}
}

// BenchmarkSplitIntoQuoted takes the general path: a quoted field with a doubled quote.
func BenchmarkSplitIntoQuoted(b *testing.B) {
	rec := []byte(`82c103a3-76ee-d66c-42fe-f924d708086e,"60.84.18.198 ""edge""",4024,5012309`)
	sp := NewSplitter(DefaultConfig())
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		var fields [4][]byte
		if n, err := sp.SplitInto(rec, fields[:]); n != 4 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkAppendRecord encodes the four CDN fields as a CSV record.
func BenchmarkAppendRecord(b *testing.B) {
	cfg := DefaultConfig()
	fields := [][]byte{[]byte("82c103a3-76ee-d66c-42fe-f924d708086e"), []byte("60.84.18.198"), []byte("4024"), []byte("5012309")}
	var dst []byte
	b.SetBytes(int64(len(cdnRecord)))
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendRecord(dst[:0], cfg, fields...)
	}
}
