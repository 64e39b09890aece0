package print

import (
	"io"
	"os"
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// bufferLimit is how many bytes of whole lines the sink collects before it writes them
// out even without a Flush.
const bufferLimit = 64 << 10

// Sink writes rows as Flink's print sink does. It implements stream.Sink.
type Sink struct {
	w      io.Writer
	prefix string
	schema stream.Schema

	buf     []byte          // whole lines not yet written
	written int64           // bytes written (BytesWritten)
	line    []byte          // the row being encoded
	cols    []stream.Column // the columns (or ROW fields) being written
	col     int             // index of the next one
	outer   []level         // the levels around a ROW value being written
	rows    int64
	err     error // first write error, reported by End, Flush and Close
}

// level is where a ROW value was begun: the columns and index to return to.
type level struct {
	cols []stream.Column
	col  int
}

// Stdout is where print sinks write (without 'standard-error'): standard output, or
// what the job puts in its place before the sinks are made (with a progress bar on the
// same terminal, a writer that clears the bar's line first: runtimelib/job).
var Stdout io.Writer = os.Stdout

// NewSink returns a print sink for the table's options ('print-identifier',
// 'standard-error') writing to standard output or standard error.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	w := Stdout
	if r.Bool("standard-error") {
		w = os.Stderr
	}
	return NewWriterSink(w, r.String("print-identifier"), schema), nil
}

// NewWriterSink returns a print sink writing to w, with identifier as print-identifier
// ("" for none).
func NewWriterSink(w io.Writer, identifier string, schema stream.Schema) *Sink {
	s := &Sink{w: w, schema: schema}
	if identifier != "" {
		s.prefix = identifier + "> "
	}
	return s
}

// Rows returns the number of rows written so far.
func (s *Sink) Rows() int64 { return s.rows }

func (s *Sink) Begin(kind stream.RowKind) {
	s.line = append(s.line[:0], s.prefix...)
	s.line = append(s.line, kind.String()...)
	s.line = append(s.line, '[')
	s.cols, s.col, s.outer = s.schema.Columns, 0, s.outer[:0]
}

// sep starts the next field and returns its column (nil past the schema's end).
func (s *Sink) sep() *stream.Column {
	if s.col > 0 {
		s.line = append(s.line, ", "...)
	}
	var c *stream.Column
	if s.col < len(s.cols) {
		c = &s.cols[s.col]
	}
	s.col++
	return c
}

// BeginRow starts a ROW value: Flink prints a nested row as Row.toString does, with its
// kind, +I[2, x] (stream.RowWriter).
func (s *Sink) BeginRow() {
	c := s.sep()
	s.outer = append(s.outer, level{cols: s.cols, col: s.col})
	s.cols, s.col = nil, 0
	if c != nil {
		s.cols = c.Fields
	}
	s.line = append(s.line, "+I["...)
}

// EndRow ends the ROW value BeginRow started.
func (s *Sink) EndRow() {
	s.line = append(s.line, ']')
	if n := len(s.outer); n > 0 {
		s.cols, s.col = s.outer[n-1].cols, s.outer[n-1].col
		s.outer = s.outer[:n-1]
	}
}

func (s *Sink) Null() {
	s.sep()
	s.line = append(s.line, "null"...)
}

func (s *Sink) Bool(v bool) {
	s.sep()
	s.line = strconv.AppendBool(s.line, v)
}

func (s *Sink) Int64(v int64) {
	s.sep()
	s.line = strconv.AppendInt(s.line, v, 10)
}

func (s *Sink) Float64(v float64) {
	if c := s.sep(); c != nil && c.Kind == stream.Float {
		s.line = types.AppendFloat(s.line, float32(v))
		return
	}
	s.line = types.AppendDouble(s.line, v)
}

func (s *Sink) String(v string) {
	s.sep()
	s.line = append(s.line, v...)
}

func (s *Sink) Bytes(v []byte) {
	s.sep()
	s.line = AppendJavaBytes(s.line, v)
}

func (s *Sink) Decimal(v types.Decimal, scale int) {
	s.sep()
	s.line = AppendJavaDecimal(s.line, v, scale)
}

func (s *Sink) Timestamp(v types.Timestamp) {
	if c := s.sep(); c != nil && c.Kind == stream.TimestampLTZ {
		s.line = AppendJavaInstant(s.line, v)
		return
	}
	s.line = AppendJavaLocalDateTime(s.line, v)
}

func (s *Sink) Date(days int32) {
	s.sep()
	s.line = AppendJavaLocalDate(s.line, int64(days))
}

func (s *Sink) Time(millisOfDay int32) {
	s.sep()
	ms := int64(millisOfDay)
	if ms < 0 || ms >= 86_400_000 {
		// CAST of a TIMESTAMP before 1970 to TIME is negative, CAST('25:00' AS TIME) is
		// beyond a day (as in Flink, whose print sink then fails in LocalTime.of); printed
		// as the time of day it stands for (docs/semantics.md).
		ms %= 86_400_000
		if ms < 0 {
			ms += 86_400_000
		}
	}
	s.line = AppendJavaLocalTime(s.line, ms*1_000_000)
}

// End completes the row's line; the buffer is written out when it is full.
func (s *Sink) End() error {
	s.line = append(s.line, ']', '\n')
	if len(s.buf)+len(s.line) > bufferLimit && len(s.buf) > 0 {
		s.write()
	}
	s.buf = append(s.buf, s.line...)
	s.rows++
	return s.err
}

func (s *Sink) write() {
	if len(s.buf) == 0 {
		return
	}
	if _, err := s.w.Write(s.buf); err != nil && s.err == nil {
		s.err = err
	}
	s.written += int64(len(s.buf))
	s.buf = s.buf[:0]
}

// BytesWritten is the bytes of the lines written so far (stream.ByteCounter).
func (s *Sink) BytesWritten() int64 { return s.written }

// Flush writes the buffered lines.
func (s *Sink) Flush() error {
	s.write()
	return s.err
}

// Close flushes; it does not close standard output.
func (s *Sink) Close() error { return s.Flush() }
