package json

import (
	"encoding/base64"
	"math"
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Encoder appends one JSON object per row to Buf, one member per column in order, the
// way Flink's JSON serializer writes rows: numbers as numbers (DOUBLE like Java's
// Double.toString, NaN and infinities as strings), DECIMAL as a plain number,
// TIMESTAMP as "yyyy-MM-dd HH:mm:ss[.f]" (or with 'T' for ISO-8601, fraction digits
// as needed), BYTES as base64, NULL as null (or omitted with IgnoreNullFields).
// Strings are escaped as Jackson does: short escapes for \b \t \n \f \r, \u00XX for
// other control characters, UTF-8 kept as is.
type Encoder struct {
	Buf []byte
	// IgnoreNullFields omits NULL members (json.encode.ignore-null-fields).
	IgnoreNullFields bool
	iso              bool
	keys             [][]byte // `"name":` for each column, pre-escaped
	col, written     int
}

// NewEncoder returns an encoder for rows with these column names; timestampFormat is
// json.timestamp-format.standard ("SQL" or "ISO-8601").
func NewEncoder(names []string, timestampFormat string) *Encoder {
	e := &Encoder{iso: timestampFormat == "ISO-8601"}
	for _, n := range names {
		k := AppendString(nil, n)
		e.keys = append(e.keys, append(k, ':'))
	}
	return e
}

// Reset empties Buf.
func (e *Encoder) Reset() { e.Buf = e.Buf[:0] }

// Begin starts a row (appended after any previous rows in Buf).
func (e *Encoder) Begin() {
	e.Buf = append(e.Buf, '{')
	e.col, e.written = 0, 0
}

// End closes the row.
func (e *Encoder) End() { e.Buf = append(e.Buf, '}') }

func (e *Encoder) key() {
	if e.written > 0 {
		e.Buf = append(e.Buf, ',')
	}
	if e.col < len(e.keys) {
		e.Buf = append(e.Buf, e.keys[e.col]...)
	} else { // more values than names: name them by position
		e.Buf = append(e.Buf, `"f`...)
		e.Buf = strconv.AppendInt(e.Buf, int64(e.col), 10)
		e.Buf = append(e.Buf, `":`...)
	}
	e.col++
	e.written++
}

// Null writes null (or skips the member with IgnoreNullFields).
func (e *Encoder) Null() {
	if e.IgnoreNullFields {
		e.col++
		return
	}
	e.key()
	e.Buf = append(e.Buf, "null"...)
}

// Bool writes true or false.
func (e *Encoder) Bool(v bool) { e.key(); e.Buf = strconv.AppendBool(e.Buf, v) }

// Int64 writes an integer of any width.
func (e *Encoder) Int64(v int64) { e.key(); e.Buf = strconv.AppendInt(e.Buf, v, 10) }

// Float64 writes a DOUBLE.
func (e *Encoder) Float64(v float64) {
	e.key()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.Buf = append(e.Buf, '"')
		e.Buf = types.AppendDouble(e.Buf, v)
		e.Buf = append(e.Buf, '"')
		return
	}
	e.Buf = types.AppendDouble(e.Buf, v)
}

// Float32 writes a FLOAT.
func (e *Encoder) Float32(v float32) {
	e.key()
	if v != v || math.IsInf(float64(v), 0) {
		e.Buf = append(e.Buf, '"')
		e.Buf = types.AppendFloat(e.Buf, v)
		e.Buf = append(e.Buf, '"')
		return
	}
	e.Buf = types.AppendFloat(e.Buf, v)
}

// String writes an escaped string.
func (e *Encoder) String(v string) { e.key(); e.Buf = AppendString(e.Buf, v) }

// Bytes writes BYTES as a base64 string.
func (e *Encoder) Bytes(v []byte) {
	e.key()
	e.Buf = append(e.Buf, '"')
	e.Buf = base64.StdEncoding.AppendEncode(e.Buf, v)
	e.Buf = append(e.Buf, '"')
}

// Decimal writes a DECIMAL as a plain number.
func (e *Encoder) Decimal(v types.Decimal, scale int) {
	e.key()
	e.Buf = types.AppendDecimal(e.Buf, v, scale)
}

// Timestamp writes a TIMESTAMP with as many fraction digits as it needs.
func (e *Encoder) Timestamp(v types.Timestamp) {
	e.key()
	e.Buf = append(e.Buf, '"')
	start := len(e.Buf)
	e.Buf = types.AppendTimestamp(e.Buf, v, 0)
	if e.iso {
		e.Buf[start+10] = 'T'
	}
	e.Buf = append(e.Buf, '"')
}

// Date writes a DATE as "yyyy-MM-dd".
func (e *Encoder) Date(days int32) {
	e.key()
	e.Buf = append(e.Buf, '"')
	e.Buf = types.AppendDate(e.Buf, days)
	e.Buf = append(e.Buf, '"')
}

// Time writes a TIME as "HH:mm:ss[.fff]".
func (e *Encoder) Time(millisOfDay int32) {
	e.key()
	e.Buf = append(e.Buf, '"')
	p := 0
	if millisOfDay%1000 != 0 {
		p = 3
	}
	e.Buf = types.AppendTime(e.Buf, millisOfDay, p)
	e.Buf = append(e.Buf, '"')
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a quoted JSON string.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
