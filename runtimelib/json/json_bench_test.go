package json

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/bench/handwritten"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
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

// cdnLines are 2,048 lines of the JSON input of row f of `go run ./bench` (the mock CDN
// log, 0.1% malformed, through mock.CSVToJSON): about one 256 KiB chunk of the source.
var cdnLines = func() [][]byte {
	g := mock.New(1, 0.001, false)
	lines := make([][]byte, 2048)
	var csvLine []byte
	for i := range lines {
		csvLine = g.Append(csvLine[:0])
		lines[i] = mock.CSVToJSON(nil, csvLine)
	}
	return lines
}()

func cdnLinesBytes() (n int64) {
	for _, l := range cdnLines {
		n += int64(len(l))
	}
	return n
}

// cdnRow is what the CDN JSON job keeps of a record.
type cdnRow struct {
	uuid, clientIP                             string
	requestTime, responseSize                  int64
	uuidNull, clientIPNull, timeNull, sizeNull bool
}

// BenchmarkCDNLines decodes the lines of cdnLines exactly as the code generated for
// bench/jobs/cdn_json.sql does (codegen decodeJSON, with json.ignore-parse-errors): keep
// it in step with the generated pipeline0. Compare with
// BenchmarkCDNLinesBaselineHandWritten, the hand-written program's parser.
func BenchmarkCDNLines(b *testing.B) {
	s := NewScanner("uuid", "client_ip", "request_time", "response_size")
	var scratch0, scratch1 []byte
	var errs, n int64
	var sink cdnRow
	b.SetBytes(cdnLinesBytes())
	b.ReportAllocs()
	for b.Loop() {
		for _, rec := range cdnLines {
			var r cdnRow
			r.uuidNull, r.clientIPNull, r.timeNull, r.sizeNull = true, true, true, true
			if err := s.Reset(rec); err != nil {
				errs++
				continue
			}
			for s.Next() {
				switch s.Field() {
				case 0: // uuid
					if t, ok := s.Text(scratch0); ok {
						r.uuid, r.uuidNull = types.StringOf(t), false
					}
				case 1: // client_ip
					if t, ok := s.Text(scratch1); ok {
						r.clientIP, r.clientIPNull = types.StringOf(t), false
					}
				case 2: // request_time
					var ok bool
					if s.IsNull() {
						r.requestTime, r.timeNull = 0, true
					} else if r.requestTime, ok = s.Int64(); ok {
						r.timeNull = false
					} else {
						r.requestTime, r.timeNull = 0, true
						errs++
					}
				case 3: // response_size
					var ok bool
					if s.IsNull() {
						r.responseSize, r.sizeNull = 0, true
					} else if r.responseSize, ok = s.Int64(); ok {
						r.sizeNull = false
					} else {
						r.responseSize, r.sizeNull = 0, true
						errs++
					}
				}
			}
			if s.Err() != nil {
				errs++
				continue
			}
			n += r.requestTime
			sink = r
		}
	}
	_, _, _ = errs, n, sink
}

// BenchmarkCDNLinesBaselineHandWritten parses cdnLines with the hand-written program's
// parser (bench/handwritten, which bench/baseline runs): the bar for row f.
func BenchmarkCDNLinesBaselineHandWritten(b *testing.B) {
	var n int64
	var sink handwritten.Record
	b.SetBytes(cdnLinesBytes())
	b.ReportAllocs()
	for b.Loop() {
		for _, rec := range cdnLines {
			var r handwritten.Record
			if r.Parse(rec) && r.HasIP {
				n += r.RequestTime
				sink = r
			}
		}
	}
	_, _ = n, sink
}
