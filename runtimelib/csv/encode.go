package csv

import (
	"encoding/base64"
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Encoder appends one CSV record at a time to Buf, field by field, formatting values
// as Flink's CSV serializer does (DOUBLE like Java's Double.toString, DECIMAL plain,
// TIMESTAMP "yyyy-MM-dd HH:mm:ss[.f]", BYTES base64, NULL as the null literal or an
// empty field). A field is quoted when it contains the delimiter, the quote, a line
// break, or starts or ends with a space. Call Begin before each record; the caller
// writes the line separator.
type Encoder struct {
	cfg Config
	Buf []byte
	n   int
}

// NewEncoder returns an encoder for cfg.
func NewEncoder(cfg Config) *Encoder {
	if cfg == (Config{}) {
		cfg = DefaultConfig()
	}
	return &Encoder{cfg: cfg}
}

// Begin starts a new record (appending to Buf after any previous records).
func (e *Encoder) Begin() { e.n = 0 }

// Reset empties Buf.
func (e *Encoder) Reset() { e.Buf, e.n = e.Buf[:0], 0 }

func (e *Encoder) sep() {
	if e.n > 0 {
		e.Buf = append(e.Buf, e.cfg.Delim)
	}
	e.n++
}

// Null appends a NULL field.
func (e *Encoder) Null() {
	e.sep()
	if e.cfg.HasNullLiteral {
		e.Buf = AppendField(e.Buf, e.cfg, []byte(e.cfg.NullLiteral))
	}
}

// Bool appends "true" or "false".
func (e *Encoder) Bool(v bool) { e.sep(); e.Buf = strconv.AppendBool(e.Buf, v) }

// Int64 appends an integer of any width.
func (e *Encoder) Int64(v int64) { e.sep(); e.Buf = strconv.AppendInt(e.Buf, v, 10) }

// Float64 appends a DOUBLE.
func (e *Encoder) Float64(v float64) { e.sep(); e.Buf = types.AppendDouble(e.Buf, v) }

// Float32 appends a FLOAT.
func (e *Encoder) Float32(v float32) { e.sep(); e.Buf = types.AppendFloat(e.Buf, v) }

// String appends a string, quoted if needed.
func (e *Encoder) String(v string) { e.sep(); e.Buf = AppendField(e.Buf, e.cfg, types.BytesOf(v)) }

// Bytes appends BYTES as base64.
func (e *Encoder) Bytes(v []byte) { e.sep(); e.Buf = base64.StdEncoding.AppendEncode(e.Buf, v) }

// Decimal appends a DECIMAL with its scale.
func (e *Encoder) Decimal(v types.Decimal, scale int) {
	e.sep()
	e.Buf = types.AppendDecimal(e.Buf, v, scale)
}

// Timestamp appends a TIMESTAMP as Flink's CSV serializer does:
// "yyyy-MM-dd HH:mm:ss" plus only the fraction digits the value needs.
func (e *Encoder) Timestamp(v types.Timestamp) {
	e.sep()
	e.Buf = types.AppendTimestamp(e.Buf, v, 0)
}

// Date appends a DATE.
func (e *Encoder) Date(days int32) { e.sep(); e.Buf = types.AppendDate(e.Buf, days) }

// Time appends a TIME as "HH:mm:ss", with ".fff" when it has milliseconds.
func (e *Encoder) Time(millisOfDay int32) {
	e.sep()
	p := 0
	if millisOfDay%1000 != 0 {
		p = 3
	}
	e.Buf = types.AppendTime(e.Buf, millisOfDay, p)
}

// AppendField appends one field, quoting it when it needs quotes (and quoting is
// enabled); quotes inside are doubled, or escaped with the escape character if set.
func AppendField(dst []byte, cfg Config, field []byte) []byte {
	need := false
	if len(field) > 0 && (field[0] == ' ' || field[len(field)-1] == ' ') {
		need = true
	}
	for _, c := range field {
		if c == cfg.Delim || c == '\n' || c == '\r' || (cfg.QuoteEnabled && c == cfg.Quote) ||
			(cfg.HasEscape && c == cfg.Escape) {
			need = true
			break
		}
	}
	if !need {
		return append(dst, field...)
	}
	if !cfg.QuoteEnabled {
		// Without quotes the only protection is the escape character.
		for _, c := range field {
			if cfg.HasEscape && (c == cfg.Delim || c == cfg.Escape || c == '\n' || c == '\r') {
				dst = append(dst, cfg.Escape)
			}
			dst = append(dst, c)
		}
		return dst
	}
	dst = append(dst, cfg.Quote)
	for _, c := range field {
		switch {
		case c == cfg.Quote && cfg.HasEscape:
			dst = append(dst, cfg.Escape, c)
		case c == cfg.Quote:
			dst = append(dst, c, c)
		case cfg.HasEscape && c == cfg.Escape:
			dst = append(dst, c, c)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, cfg.Quote)
}

// AppendRecord appends fields as one record (no line separator).
func AppendRecord(dst []byte, cfg Config, fields ...[]byte) []byte {
	if cfg == (Config{}) {
		cfg = DefaultConfig()
	}
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, cfg.Delim)
		}
		dst = AppendField(dst, cfg, f)
	}
	return dst
}
