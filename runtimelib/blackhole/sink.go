package blackhole

import (
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Sink discards rows and counts them. It implements stream.Sink.
type Sink struct {
	rows int64
}

// NewSink returns a sink that discards everything. It takes the table's options and
// schema like every other sink, so generated code opens all sinks the same way; the
// blackhole connector has no options and ignores both.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	return &Sink{}, nil
}

// Rows returns the number of rows received (of every kind).
func (s *Sink) Rows() int64 { return s.rows }

func (s *Sink) Begin(stream.RowKind)       {}
func (s *Sink) Null()                      {}
func (s *Sink) Bool(bool)                  {}
func (s *Sink) Int64(int64)                {}
func (s *Sink) Float64(float64)            {}
func (s *Sink) String(string)              {}
func (s *Sink) Bytes([]byte)               {}
func (s *Sink) Decimal(types.Decimal, int) {}
func (s *Sink) Timestamp(types.Timestamp)  {}
func (s *Sink) Date(int32)                 {}
func (s *Sink) Time(int32)                 {}
func (s *Sink) End() error                 { s.rows++; return nil }
func (s *Sink) BeginRow()                  {}
func (s *Sink) EndRow()                    {}
func (s *Sink) Flush() error               { return nil }
func (s *Sink) Close() error               { return nil }
