package rowenc

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Kind says which field of a Value holds the value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Int // also DATE days and TIME millis, by column type
	Float
	String
	Bytes
	Decimal
	Timestamp
)

// Value is one field of a row. Only the field named by Kind is meaningful.
type Value struct {
	Kind  Kind
	I     int64 // Bool (0/1), Int, DATE days, TIME millis of day
	F     float64
	S     string
	B     []byte
	D     types.Decimal
	Scale int // of D
	T     types.Timestamp
}

// IsNull reports whether the value is NULL.
func (v *Value) IsNull() bool { return v.Kind == Null }

// Row receives one row through the field calls of stream.Sink. Values passed in are
// kept as given (not copied): strings and byte slices may be views into a source batch,
// so a sink that keeps a row past End must copy them (see Value.Clone).
type Row struct {
	Kind   stream.RowKind
	Values []Value
	n      int
}

// NewRow returns a Row for ncols columns.
func NewRow(ncols int) *Row { return &Row{Values: make([]Value, ncols)} }

func (r *Row) next() *Value {
	if r.n >= len(r.Values) {
		// Count the extra field so Complete reports it; drop the value.
		r.n++
		return &Value{}
	}
	v := &r.Values[r.n]
	r.n++
	return v
}

func (r *Row) Begin(kind stream.RowKind) { r.Kind = kind; r.n = 0 }
func (r *Row) Null()                     { *r.next() = Value{Kind: Null} }
func (r *Row) Bool(v bool) {
	x := r.next()
	*x = Value{Kind: Bool}
	if v {
		x.I = 1
	}
}
func (r *Row) Int64(v int64)     { *r.next() = Value{Kind: Int, I: v} }
func (r *Row) Float64(v float64) { *r.next() = Value{Kind: Float, F: v} }
func (r *Row) String(v string)   { *r.next() = Value{Kind: String, S: v} }
func (r *Row) Bytes(v []byte)    { *r.next() = Value{Kind: Bytes, B: v} }
func (r *Row) Decimal(v types.Decimal, scale int) {
	*r.next() = Value{Kind: Decimal, D: v, Scale: scale}
}
func (r *Row) Timestamp(v types.Timestamp) { *r.next() = Value{Kind: Timestamp, T: v} }
func (r *Row) Date(days int32)             { *r.next() = Value{Kind: Int, I: int64(days)} }
func (r *Row) Time(millisOfDay int32)      { *r.next() = Value{Kind: Int, I: int64(millisOfDay)} }

// Complete checks that the row got exactly one value per column.
func (r *Row) Complete() error {
	if r.n != len(r.Values) {
		return fmt.Errorf("sink row has %d fields, the table has %d columns", r.n, len(r.Values))
	}
	return nil
}

// Clone returns v with its string and bytes copied, for buffering past the batch.
func (v Value) Clone() Value {
	switch v.Kind {
	case String:
		v.S = strings.Clone(v.S)
	case Bytes:
		v.B = append([]byte(nil), v.B...)
	}
	return v
}
