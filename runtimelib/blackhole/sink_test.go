package blackhole

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func TestCountsRows(t *testing.T) {
	s, err := NewSink(&options.Resolved{Table: "t", Connector: "blackhole"}, stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		s.Begin(stream.RowKind(i))
		s.Null()
		s.Bool(true)
		s.Int64(1)
		s.Float64(1)
		s.String("x")
		s.Bytes([]byte("x"))
		s.Decimal(types.Decimal{}, 2)
		s.Timestamp(types.Timestamp{})
		s.Date(1)
		s.Time(1)
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := s.(*Sink).Rows(); n != 3 {
		t.Errorf("Rows = %d, want 3", n)
	}
}
