package print

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

var cdnSchema = stream.Schema{Columns: []stream.Column{
	{Name: "province", Type: "STRING", Kind: stream.Varchar},
	{Name: "access_count", Type: "BIGINT", Kind: stream.BigInt},
	{Name: "total_download", Type: "BIGINT", Kind: stream.BigInt},
	{Name: "download_speed", Type: "DOUBLE", Kind: stream.Double},
}}

func TestFlinkLines(t *testing.T) {
	var out bytes.Buffer
	s := NewWriterSink(&out, "", cdnSchema)
	row := func(k stream.RowKind, p string, n, d int64, speed float64) {
		s.Begin(k)
		s.String(p)
		s.Int64(n)
		s.Int64(d)
		s.Float64(speed)
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
	}
	row(stream.Insert, "Beijing", 3, 300, 1.5)
	row(stream.UpdateBefore, "Beijing", 3, 300, 1.5)
	row(stream.UpdateAfter, "Beijing", 4, 400, 1e10)
	s.Begin(stream.Delete)
	s.Null()
	s.Int64(-1)
	s.Null()
	s.Float64(math.NaN())
	s.End()
	if out.Len() != 0 {
		t.Errorf("wrote before Flush: %q", out.String())
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "+I[Beijing, 3, 300, 1.5]\n" +
		"-U[Beijing, 3, 300, 1.5]\n" +
		"+U[Beijing, 4, 400, 1.0E10]\n" +
		"-D[null, -1, null, NaN]\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	if s.Rows() != 4 {
		t.Errorf("Rows = %d", s.Rows())
	}
}

func TestIdentifierFromOptions(t *testing.T) {
	r := &options.Resolved{Table: "out", Connector: "print", Values: map[string]string{"print-identifier": "sink"}}
	s, err := NewSink(r, cdnSchema)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ps := s.(*Sink)
	ps.w = &out
	s.Begin(stream.Insert)
	s.String("Shanghai")
	s.Int64(1)
	s.Int64(2)
	s.Float64(0.5)
	s.End()
	s.Close()
	if got, want := out.String(), "sink> +I[Shanghai, 1, 2, 0.5]\n"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func dec(t *testing.T, s string, p, sc int) types.Decimal {
	t.Helper()
	d, ok := types.ParseDecimal([]byte(s), p, sc)
	if !ok {
		t.Fatalf("ParseDecimal(%q)", s)
	}
	return d
}

func TestAllTypes(t *testing.T) {
	schema := stream.Schema{Columns: []stream.Column{
		{Name: "b", Kind: stream.Boolean},
		{Name: "f", Kind: stream.Float},
		{Name: "d", Kind: stream.Decimal, Precision: 10, Scale: 2},
		{Name: "z", Kind: stream.Decimal, Precision: 38, Scale: 18},
		{Name: "y", Kind: stream.Varbinary},
		{Name: "dt", Kind: stream.Date},
		{Name: "tm", Kind: stream.Time},
		{Name: "ts", Kind: stream.Timestamp, Precision: 3},
		{Name: "ts0", Kind: stream.Timestamp, Precision: 0},
		{Name: "ltz", Kind: stream.TimestampLTZ, Precision: 3},
	}}
	var out bytes.Buffer
	s := NewWriterSink(&out, "", schema)
	s.Begin(stream.Insert)
	s.Bool(true)
	s.Float64(float64(float32(0.1)))
	s.Decimal(dec(t, "-1.5", 10, 2), 2)
	s.Decimal(dec(t, "0", 38, 18), 18)
	s.Bytes([]byte{1, 2, 0xff})
	s.Date(18262)                                           // 2020-01-01
	s.Time(12*3600_000 + 30*60_000)                         // 12:30
	s.Timestamp(types.Timestamp{Millis: 1577881805123})     // 2020-01-01T12:30:05.123
	s.Timestamp(types.Timestamp{Millis: 1577881800000})     // 2020-01-01T12:30
	s.Timestamp(types.Timestamp{Millis: 1577881800000 + 1}) // 2020-01-01T12:30:00.001Z
	s.End()
	s.Flush()
	want := "+I[true, 0.1, -1.50, 0E-18, [1, 2, -1], 2020-01-01, 12:30, 2020-01-01T12:30:05.123, 2020-01-01T12:30, 2020-01-01T12:30:00.001Z]\n"
	if out.String() != want {
		t.Errorf("got  %q\nwant %q", out.String(), want)
	}
}

func TestJavaDecimal(t *testing.T) {
	cases := []struct {
		in    string
		p, sc int
		want  string
	}{
		{"12", 10, 0, "12"},
		{"-12", 10, 0, "-12"},
		{"1.5", 10, 1, "1.5"},
		{"0.001", 10, 3, "0.001"},
		{"0.000001", 10, 6, "0.000001"},
		{"0.0000001", 10, 7, "1E-7"},
		{"0.00000012", 10, 8, "1.2E-7"},
		{"-0.0000001", 10, 7, "-1E-7"},
		{"0", 10, 2, "0.00"},
		{"0", 38, 7, "0E-7"},
		{"123.456", 10, 3, "123.456"},
		{"1.5", 38, 18, "1.500000000000000000"},
	}
	for _, c := range cases {
		got := string(AppendJavaDecimal(nil, dec(t, c.in, c.p, c.sc), c.sc))
		if got != c.want {
			t.Errorf("%s at scale %d: got %q want %q", c.in, c.sc, got, c.want)
		}
	}
}

func TestJavaTimes(t *testing.T) {
	cases := []struct {
		ts   types.Timestamp
		ldt  string
		inst string
	}{
		{types.Timestamp{Millis: 0}, "1970-01-01T00:00", "1970-01-01T00:00:00Z"},
		{types.Timestamp{Millis: -1}, "1969-12-31T23:59:59.999", "1969-12-31T23:59:59.999Z"},
		{types.Timestamp{Millis: 1000, Nanos: 1000}, "1970-01-01T00:00:01.000001", "1970-01-01T00:00:01.000001Z"},
		{types.Timestamp{Millis: 1, Nanos: 1}, "1970-01-01T00:00:00.001000001", "1970-01-01T00:00:00.001000001Z"},
		{types.Timestamp{Millis: 951782400000}, "2000-02-29T00:00", "2000-02-29T00:00:00Z"},
		{types.Timestamp{Millis: -62135596800000}, "0001-01-01T00:00", "0001-01-01T00:00:00Z"},
		{types.Timestamp{Millis: 253402300799000}, "9999-12-31T23:59:59", "9999-12-31T23:59:59Z"},
	}
	for _, c := range cases {
		if got := string(AppendJavaLocalDateTime(nil, c.ts)); got != c.ldt {
			t.Errorf("LocalDateTime %+v: got %q want %q", c.ts, got, c.ldt)
		}
		if got := string(AppendJavaInstant(nil, c.ts)); got != c.inst {
			t.Errorf("Instant %+v: got %q want %q", c.ts, got, c.inst)
		}
	}
	if got := string(AppendJavaLocalDate(nil, -719529)); got != "-0001-12-31" {
		t.Errorf("year -1: %q", got)
	}
}

// failWriter fails every write.
type failWriter struct{}

var errFail = errors.New("disk full")

func (failWriter) Write(p []byte) (int, error) { return 0, errFail }

func TestWriteErrorIsReported(t *testing.T) {
	s := NewWriterSink(failWriter{}, "", cdnSchema)
	s.Begin(stream.Insert)
	s.String("x")
	s.End()
	if err := s.Flush(); !errors.Is(err, errFail) {
		t.Errorf("Flush = %v, want %v", err, errFail)
	}
	if err := s.Close(); !errors.Is(err, errFail) {
		t.Errorf("Close = %v, want %v", err, errFail)
	}
}

func TestBufferLimitWritesWholeLines(t *testing.T) {
	var out bytes.Buffer
	w := &countingWriter{w: &out}
	s := NewWriterSink(w, "", stream.Schema{Columns: []stream.Column{{Name: "s", Kind: stream.Varchar}}})
	long := strings.Repeat("x", 1000)
	for i := 0; i < 200; i++ {
		s.Begin(stream.Insert)
		s.String(long)
		s.End()
	}
	if w.writes == 0 {
		t.Errorf("no write before Flush with %d bytes buffered", len(s.buf))
	}
	for _, n := range w.sizes {
		if n%len("+I["+long+"]\n") != 0 {
			t.Errorf("a write of %d bytes is not whole lines", n)
		}
	}
	s.Close()
	if got := strings.Count(out.String(), "\n"); got != 200 {
		t.Errorf("%d lines", got)
	}
}

type countingWriter struct {
	w      *bytes.Buffer
	writes int
	sizes  []int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	c.sizes = append(c.sizes, len(p))
	return c.w.Write(p)
}

// A TIME outside a day (CAST of a TIMESTAMP before 1970, CAST of a string such as '25:00',
// which has no range checks) prints as the time of day it stands for.
func TestTimeOutsideADay(t *testing.T) {
	schema := stream.Schema{Columns: []stream.Column{{Name: "a", Kind: stream.Time}, {Name: "b", Kind: stream.Time},
		{Name: "c", Kind: stream.Time}, {Name: "d", Kind: stream.Time}}}
	var out bytes.Buffer
	s := NewWriterSink(&out, "", schema)
	s.Begin(stream.Insert)
	s.Time(25 * 3600_000)    // 01:00
	s.Time(-3600_000)        // 23:00
	s.Time(-86_400_000)      // 00:00
	s.Time(2*86_400_000 + 1) // 00:00:00.001
	s.End()
	s.Flush()
	if want := "+I[01:00, 23:00, 00:00, 00:00:00.001]\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
