package rowenc

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/json"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Encoder appends rows in one format. Build it with NewEncoder.
type Encoder struct {
	json   bool
	cols   []stream.Column
	fields []int // which columns, in order

	// csv
	delim         byte
	quote         byte
	quoteOn       bool
	esc           byte
	escOn         bool
	nullLiteral   string
	minSafe       rune
	sciDecimal    bool
	jsonNames     [][]byte // json: `"name":` per field, precomputed
	isoTimestamps bool
	plainDecimal  bool
	skipNulls     bool
}

// jacksonMaxQuoteCheck is Jackson's CsvEncoder.MAX_QUOTE_CHECK: longer strings are
// always quoted by its default (loose) check.
const jacksonMaxQuoteCheck = 24

// NewEncoder returns an encoder for the format r.Format ("csv" or "json") with that
// format's options from r, writing the columns fields (indexes into cols) in order.
// For a Kafka key, pass r.KeyFormatOptions().
func NewEncoder(r *options.Resolved, cols []stream.Column, fields []int) (*Encoder, error) {
	e := &Encoder{cols: cols, fields: fields}
	switch r.Format {
	case "csv":
		e.delim = charOpt(r, "csv.field-delimiter", ',')
		e.quote = charOpt(r, "csv.quote-character", '"')
		e.quoteOn = !r.Bool("csv.disable-quote-character")
		if r.String("csv.escape-character") != "" {
			e.esc, e.escOn = charOpt(r, "csv.escape-character", 0), true
		}
		e.nullLiteral = r.String("csv.null-literal")
		e.sciDecimal = r.String("csv.write-bigdecimal-in-scientific-notation") != "false"
		e.minSafe = rune(max(e.delim, e.quote, '\n')) + 1
	case "json":
		e.json = true
		e.isoTimestamps = r.String("json.timestamp-format.standard") == "ISO-8601"
		e.plainDecimal = r.Bool("json.encode.decimal-as-plain-number")
		e.skipNulls = r.Bool("json.encode.ignore-null-fields")
		for _, f := range fields {
			name := json.AppendString(nil, cols[f].Name)
			e.jsonNames = append(e.jsonNames, append(name, ':'))
		}
	case "":
		return nil, fmt.Errorf("table %s: no format given (set 'format' or 'value.format' to csv or json)", r.Table)
	default:
		return nil, fmt.Errorf("table %s: format %q cannot be written (supported: csv, json)", r.Table, r.Format)
	}
	for _, f := range fields {
		if f < 0 || f >= len(cols) {
			return nil, fmt.Errorf("table %s: field index %d out of range", r.Table, f)
		}
		switch cols[f].Kind {
		case stream.Row, stream.Array, stream.Map, stream.Multiset:
			return nil, fmt.Errorf("table %s: column %s of type %s cannot be written as %s yet", r.Table, cols[f].Name, cols[f].Type, r.Format)
		}
	}
	return e, nil
}

func charOpt(r *options.Resolved, key string, def byte) byte {
	s := r.String(key)
	if len(s) == 1 {
		return s[0]
	}
	return def
}

// Append appends the encoded row (the encoder's fields of row) to dst.
func (e *Encoder) Append(dst []byte, row []Value) []byte {
	if e.json {
		return e.appendJSON(dst, row)
	}
	for i, f := range e.fields {
		if i > 0 {
			dst = append(dst, e.delim)
		}
		dst = e.appendCSVField(dst, &e.cols[f], &row[f])
	}
	return dst
}

func (e *Encoder) appendCSVField(dst []byte, c *stream.Column, v *Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, e.nullLiteral...)
	case String:
		return e.appendCSVString(dst, v.S)
	case Bytes:
		return base64.StdEncoding.AppendEncode(dst, v.B)
	case Int:
		switch c.Kind {
		case stream.Date:
			return types.AppendDate(dst, int32(v.I))
		case stream.Time:
			return appendISOTime(dst, int32(v.I))
		}
	case Timestamp:
		dst = types.AppendTimestamp(dst, v.T, 0)
		if c.Kind == stream.TimestampLTZ {
			dst = append(dst, 'Z')
		}
		return dst
	case Decimal:
		return appendJavaBigDecimal(dst, v.D, v.Scale, e.sciDecimal)
	}
	return appendScalar(dst, c, v)
}

// appendScalar writes BOOLEAN, integer and floating values the same way in both formats.
func appendScalar(dst []byte, c *stream.Column, v *Value) []byte {
	switch v.Kind {
	case Bool:
		return strconv.AppendBool(dst, v.I != 0)
	case Int:
		return strconv.AppendInt(dst, v.I, 10)
	case Float:
		if c.Kind == stream.Float {
			return types.AppendFloat(dst, float32(v.F))
		}
		return types.AppendDouble(dst, v.F)
	}
	return dst
}

func (e *Encoder) appendCSVString(dst []byte, s string) []byte {
	if !e.quoteOn || !e.needsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, e.quote)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == e.quote || (e.escOn && c == e.esc) {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, e.quote)
}

func (e *Encoder) needsQuotes(s string) bool {
	if utf8.RuneCountInString(s) > jacksonMaxQuoteCheck {
		return true
	}
	for i := 0; i < len(s); i++ {
		if rune(s[i]) < e.minSafe || (e.escOn && s[i] == e.esc) {
			return true
		}
	}
	return false
}

// appendISOTime writes TIME as java.time's ISO_LOCAL_TIME: HH:mm:ss plus the
// fraction without trailing zeros.
func appendISOTime(dst []byte, ms int32) []byte {
	dst = types.AppendTime(dst, ms, 3)
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// appendJavaBigDecimal writes d at scale as Java's BigDecimal.toString does when
// scientific is set (exponent notation when the adjusted exponent is below -6), else as
// toPlainString.
func appendJavaBigDecimal(dst []byte, d types.Decimal, scale int, scientific bool) []byte {
	if !scientific || scale <= 0 {
		return types.AppendDecimal(dst, d, scale)
	}
	var buf [48]byte
	digits := types.AppendDecimal(buf[:0], d, 0) // unscaled, with sign
	neg := len(digits) > 0 && digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	adjusted := len(digits) - 1 - scale
	if adjusted >= -6 {
		return types.AppendDecimal(dst, d, scale)
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = append(dst, digits[0])
	if len(digits) > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(adjusted), 10)
}

func (e *Encoder) appendJSON(dst []byte, row []Value) []byte {
	dst = append(dst, '{')
	first := true
	for i, f := range e.fields {
		v := &row[f]
		if v.Kind == Null && e.skipNulls {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, e.jsonNames[i]...)
		dst = e.appendJSONValue(dst, &e.cols[f], v)
	}
	return append(dst, '}')
}

func (e *Encoder) appendJSONValue(dst []byte, c *stream.Column, v *Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, "null"...)
	case String:
		return json.AppendString(dst, v.S)
	case Bytes:
		dst = append(dst, '"')
		dst = base64.StdEncoding.AppendEncode(dst, v.B)
		return append(dst, '"')
	case Int:
		switch c.Kind {
		case stream.Date:
			dst = append(dst, '"')
			dst = types.AppendDate(dst, int32(v.I))
			return append(dst, '"')
		case stream.Time:
			dst = append(dst, '"')
			dst = types.AppendTime(dst, int32(v.I), 0)
			return append(dst, '"')
		}
	case Float:
		// Jackson quotes non-finite numbers by default (QUOTE_NON_NUMERIC_NUMBERS).
		if math.IsNaN(v.F) || math.IsInf(v.F, 0) {
			dst = append(dst, '"')
			dst = appendScalar(dst, c, v)
			return append(dst, '"')
		}
	case Timestamp:
		dst = append(dst, '"')
		start := len(dst)
		dst = types.AppendTimestamp(dst, v.T, 0)
		if e.isoTimestamps {
			for k := start; k < len(dst); k++ {
				if dst[k] == ' ' {
					dst[k] = 'T'
					break
				}
			}
		}
		if c.Kind == stream.TimestampLTZ {
			dst = append(dst, 'Z')
		}
		return append(dst, '"')
	case Decimal:
		return appendJavaBigDecimal(dst, v.D, v.Scale, !e.plainDecimal)
	}
	return appendScalar(dst, c, v)
}
