package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Writer appends encoded values to Buf.
type Writer struct {
	Buf []byte
}

// Uint64 writes an unsigned varint.
func (w *Writer) Uint64(v uint64) { w.Buf = binary.AppendUvarint(w.Buf, v) }

// Int64 writes a zig-zag varint: small negative numbers stay short.
func (w *Writer) Int64(v int64) { w.Buf = binary.AppendVarint(w.Buf, v) }

// Int writes an int as Int64.
func (w *Writer) Int(v int) { w.Int64(int64(v)) }

// Bool writes one byte, 0 or 1.
func (w *Writer) Bool(v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	w.Buf = append(w.Buf, b)
}

// Float64 writes the IEEE bits (NaN payloads and -0.0 survive).
func (w *Writer) Float64(v float64) {
	w.Buf = binary.LittleEndian.AppendUint64(w.Buf, math.Float64bits(v))
}

// Float32 writes the IEEE bits.
func (w *Writer) Float32(v float32) {
	w.Buf = binary.LittleEndian.AppendUint32(w.Buf, math.Float32bits(v))
}

// String writes the length and the bytes.
func (w *Writer) String(s string) {
	w.Uint64(uint64(len(s)))
	w.Buf = append(w.Buf, s...)
}

// Bytes writes the length and the bytes; nil and empty are told apart (a NULL BYTES
// value is nil only where its null flag says so, but a Go accumulator may rely on it).
func (w *Writer) Bytes(b []byte) {
	if b == nil {
		w.Uint64(0)
		return
	}
	w.Uint64(uint64(len(b)) + 1)
	w.Buf = append(w.Buf, b...)
}

// Decimal writes the two words of an unscaled DECIMAL.
func (w *Writer) Decimal(d types.Decimal) {
	w.Int64(d.Hi)
	w.Buf = binary.LittleEndian.AppendUint64(w.Buf, d.Lo)
}

// Timestamp writes epoch milliseconds and the nanoseconds within the millisecond.
func (w *Writer) Timestamp(t types.Timestamp) {
	w.Int64(t.Millis)
	w.Int64(int64(t.Nanos))
}

// BeginSection starts a section: values written until EndSection, prefixed with their
// length so that a reader can check where they end or skip them (Reader.Section). It
// returns the section's start, for EndSection.
func (w *Writer) BeginSection() int {
	w.Buf = append(w.Buf, 0) // the length, most often one byte
	return len(w.Buf) - 1
}

// EndSection writes the length of the section begun at start in front of it, as an
// unsigned varint (moving the section when the length takes more than one byte).
func (w *Writer) EndSection(start int) {
	n := len(w.Buf) - start - 1
	var v [binary.MaxVarintLen64]byte
	size := binary.PutUvarint(v[:], uint64(n))
	if size > 1 {
		w.Buf = append(w.Buf, v[:size-1]...)
		copy(w.Buf[start+size:], w.Buf[start+1:start+1+n])
	}
	copy(w.Buf[start:], v[:size])
}

// MaxLength bounds a decoded string, byte slice or collection length: a corrupt length
// fails instead of allocating gigabytes.
const MaxLength = 1 << 30

// ErrCorrupt is wrapped by every decoding error.
var ErrCorrupt = errors.New("corrupt state")

// Reader decodes what a Writer wrote, with a sticky error.
type Reader struct {
	buf []byte
	off int
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Err is the first decoding error, nil if every read so far succeeded.
func (r *Reader) Err() error { return r.err }

// Len is the number of bytes not read yet.
func (r *Reader) Len() int { return len(r.buf) - r.off }

// Offset is the number of bytes read so far.
func (r *Reader) Offset() int { return r.off }

// Fail records a decoding error found by the caller (a value out of its range), unless
// one was recorded already.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w at byte %d: %s", ErrCorrupt, r.off, fmt.Sprintf(format, args...))
	}
}

// Done fails unless every byte was read: trailing bytes mean the layout differs.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.buf) {
		r.Fail("%d bytes left after the last value", len(r.buf)-r.off)
	}
	return r.err
}

// Uint64 reads an unsigned varint.
func (r *Reader) Uint64() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf[r.off:])
	if n <= 0 {
		r.Fail("bad varint")
		return 0
	}
	r.off += n
	return v
}

// Int64 reads a zig-zag varint.
func (r *Reader) Int64() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.buf[r.off:])
	if n <= 0 {
		r.Fail("bad varint")
		return 0
	}
	r.off += n
	return v
}

// Int reads an Int64 that must fit an int.
func (r *Reader) Int() int {
	v := r.Int64()
	if int64(int(v)) != v {
		r.Fail("integer %d out of range", v)
		return 0
	}
	return int(v)
}

// Length reads a collection length written with Uint64 or Int, bounded by MaxLength.
func (r *Reader) Length() int {
	v := r.Uint64()
	if v > MaxLength {
		r.Fail("length %d above the limit", v)
		return 0
	}
	return int(v)
}

// Bool reads one byte that must be 0 or 1.
func (r *Reader) Bool() bool {
	b := r.fixed(1)
	if b == nil {
		return false
	}
	if b[0] > 1 {
		r.off--
		r.Fail("bad boolean %d", b[0])
		return false
	}
	return b[0] == 1
}

// Float64 reads IEEE bits.
func (r *Reader) Float64() float64 {
	b := r.fixed(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// Float32 reads IEEE bits.
func (r *Reader) Float32() float32 {
	b := r.fixed(4)
	if b == nil {
		return 0
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(b))
}

// String reads a length and that many bytes, copied.
func (r *Reader) String() string {
	n := r.Length()
	b := r.fixed(n)
	if b == nil {
		return ""
	}
	return string(b)
}

// Bytes reads what Writer.Bytes wrote, copied; nil stays nil.
func (r *Reader) Bytes() []byte {
	n := r.Uint64()
	if n == 0 || r.err != nil {
		return nil
	}
	if n-1 > MaxLength {
		r.Fail("length %d above the limit", n-1)
		return nil
	}
	b := r.fixed(int(n - 1))
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// Decimal reads the two words of an unscaled DECIMAL.
func (r *Reader) Decimal() types.Decimal {
	hi := r.Int64()
	b := r.fixed(8)
	if b == nil {
		return types.Decimal{}
	}
	return types.Decimal{Hi: hi, Lo: binary.LittleEndian.Uint64(b)}
}

// Timestamp reads epoch milliseconds and nanoseconds within the millisecond (0..999999).
func (r *Reader) Timestamp() types.Timestamp {
	ms, ns := r.Int64(), r.Int64()
	if ns < 0 || ns > 999_999 {
		r.Fail("timestamp nanoseconds %d out of range", ns)
		return types.Timestamp{}
	}
	return types.Timestamp{Millis: ms, Nanos: int32(ns)}
}

// Section reads the length of a section (Writer.BeginSection) and returns the offset
// where it ends, for EndSection or SkipTo; a length past the input is an error.
func (r *Reader) Section() int {
	n := r.Length()
	if r.err == nil && n > len(r.buf)-r.off {
		r.Fail("section of %d bytes, %d left", n, len(r.buf)-r.off)
	}
	if r.err != nil {
		return r.off
	}
	return r.off + n
}

// EndSection fails unless the values read since Section ended exactly at end: a
// section's codec read more or less than was written.
func (r *Reader) EndSection(end int) {
	if r.err == nil && r.off != end {
		r.Fail("section ends at byte %d, read up to %d", end, r.off)
	}
}

// SkipTo skips the rest of a section that ends at end (Section).
func (r *Reader) SkipTo(end int) {
	if r.err == nil && end >= r.off && end <= len(r.buf) {
		r.off = end
	}
}

// Next returns the next n bytes as they were written, a view of the input (not a
// copy), or nil after recording an error when fewer are left. Framing code uses it to
// checksum or skip an encoded section without decoding it.
func (r *Reader) Next(n int) []byte { return r.fixed(n) }

// fixed returns the next n bytes (a view), or nil after recording an error.
func (r *Reader) fixed(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.off {
		r.Fail("%d bytes needed, %d left", n, len(r.buf)-r.off)
		return nil
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b
}
