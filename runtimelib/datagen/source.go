package datagen

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// maxBatch is the most rows in one batch.
const maxBatch = 1024

type kind uint8

const (
	random kind = iota
	sequence
)

// column is the generator of one column.
type column struct {
	name     string
	typ      stream.Column
	kind     kind
	nullRate float64

	// random numbers
	imin, imax int64
	fmin, fmax float64
	// strings and bytes
	length int
	varLen bool
	// timestamps
	maxPast time.Duration
	// sequence
	start, end int64
}

// Source generates rows. It implements stream.Source; the getters are called by generated
// code in the job loop's goroutine, never concurrently with each other.
type Source struct {
	table     string
	cols      []column
	rate      int64 // rows per second
	total     int64 // rows to produce; -1 = unbounded
	seed      uint64
	batchSize int
	now       func() time.Time

	batches sync.Pool
}

// Reader pulls the values of generated rows: one per task, since it holds the position
// of the row being pulled. Values depend only on the seed, the row and the column, so
// every reader of a source sees the same rows.
type Reader struct {
	*Source
	row     int64 // 0-based number of the row being pulled
	lastCol int
	scratch []byte
}

// Reader returns a new reader of the source's rows.
func (s *Source) Reader() *Reader { return &Reader{Source: s, lastCol: -1} }

// NewSource checks the datagen options of the table against its schema and returns the
// source.
func NewSource(r *options.Resolved, schema stream.Schema) (*Source, error) {
	s := &Source{table: r.Table, total: -1, now: time.Now}
	fail := func(format string, args ...any) (*Source, error) {
		return nil, fmt.Errorf("table %s: "+format, append([]any{r.Table}, args...)...)
	}

	names := map[string]bool{}
	for _, c := range schema.Columns {
		names[c.Name] = true
	}
	var unknown []string
	for k := range r.Values {
		if rest, ok := strings.CutPrefix(k, "fields."); ok {
			col := rest[:max(strings.LastIndexByte(rest, '.'), 0)]
			if !names[col] {
				unknown = append(unknown, k)
			}
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		cols := make([]string, len(schema.Columns))
		for i, c := range schema.Columns {
			cols[i] = c.Name
		}
		return fail("option '%s' names no column; the columns are %s", unknown[0], strings.Join(cols, ", "))
	}

	s.rate = r.Int("rows-per-second")
	if s.rate <= 0 {
		return fail("option 'rows-per-second' must be positive, not '%s'", r.String("rows-per-second"))
	}
	if r.Has("number-of-rows") {
		s.total = r.Int("number-of-rows")
		if s.total < 0 {
			return fail("option 'number-of-rows' must not be negative")
		}
	}
	if r.Has("seed") {
		seed, err := strconv.ParseInt(strings.TrimSpace(r.String("seed")), 10, 64)
		if err != nil {
			return fail("option 'seed' must be an integer, not '%s'", r.String("seed"))
		}
		s.seed = uint64(seed)
	} else {
		var b [8]byte
		crand.Read(b[:])
		s.seed = binary.LittleEndian.Uint64(b[:])
	}

	for _, c := range schema.Columns {
		col, err := newColumn(r, c)
		if err != nil {
			return fail("%v", err)
		}
		if col.kind == sequence {
			n := int64(uint64(col.end-col.start) + 1)
			if n <= 0 { // the full int64 range
				n = math.MaxInt64
			}
			if s.total < 0 || n < s.total {
				s.total = n
			}
		}
		s.cols = append(s.cols, col)
	}
	s.batchSize = int(min(max(s.rate/10, 1), maxBatch))
	return s, nil
}

func newColumn(r *options.Resolved, c stream.Column) (column, error) {
	key := func(opt string) string { return "fields." + c.Name + "." + opt }
	col := column{name: c.Name, typ: c}
	switch r.String(key("kind")) {
	case "sequence":
		col.kind = sequence
	case "random", "":
		col.kind = random
	default:
		return col, fmt.Errorf("option '%s' must be 'random' or 'sequence'", key("kind"))
	}
	col.nullRate = r.Float(key("null-rate"))
	if col.nullRate < 0 || col.nullRate > 1 {
		return col, fmt.Errorf("option '%s' must be between 0 and 1", key("null-rate"))
	}
	if col.nullRate > 0 && !c.Nullable {
		return col, fmt.Errorf("option '%s': column %s is NOT NULL", key("null-rate"), c.Name)
	}

	parseInt := func(opt string, def int64) (int64, error) {
		if !r.Has(key(opt)) {
			return def, nil
		}
		v, err := strconv.ParseInt(strings.TrimSpace(r.String(key(opt))), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("option '%s' must be an integer, not '%s'", key(opt), r.String(key(opt)))
		}
		return v, nil
	}
	parseFloat := func(opt string, def float64) (float64, error) {
		if !r.Has(key(opt)) {
			return def, nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(r.String(key(opt))), 64)
		if err != nil {
			return 0, fmt.Errorf("option '%s' must be a number, not '%s'", key(opt), r.String(key(opt)))
		}
		return v, nil
	}

	lo, hi, integer := intRange(c.Kind)
	if col.kind == sequence {
		switch {
		case integer, c.Kind == stream.Float, c.Kind == stream.Double, c.Kind == stream.Decimal,
			c.Kind == stream.Char, c.Kind == stream.Varchar:
		default:
			return col, fmt.Errorf("option '%s': a sequence of %s is not supported (integer, FLOAT, DOUBLE, DECIMAL and string columns are)", key("kind"), typeName(c))
		}
		if !r.Has(key("start")) || !r.Has(key("end")) {
			return col, fmt.Errorf("column %s is a sequence: options '%s' and '%s' are required", c.Name, key("start"), key("end"))
		}
		var err error
		if col.start, err = parseInt("start", 0); err != nil {
			return col, err
		}
		if col.end, err = parseInt("end", 0); err != nil {
			return col, err
		}
		if col.start > col.end {
			return col, fmt.Errorf("option '%s' (%d) is larger than '%s' (%d)", key("start"), col.start, key("end"), col.end)
		}
		if integer && (col.start < lo || col.end > hi) {
			return col, fmt.Errorf("the sequence %d..%d of column %s does not fit %s", col.start, col.end, c.Name, typeName(c))
		}
		return col, nil
	}

	var err error
	switch {
	case integer:
		if col.imin, err = parseInt("min", lo); err != nil {
			return col, err
		}
		if col.imax, err = parseInt("max", hi); err != nil {
			return col, err
		}
		if col.imin < lo || col.imax > hi {
			return col, fmt.Errorf("options '%s'/'%s' of column %s are outside %s", key("min"), key("max"), c.Name, typeName(c))
		}
		if col.imin > col.imax {
			return col, fmt.Errorf("option '%s' is larger than '%s'", key("min"), key("max"))
		}
	case c.Kind == stream.Float || c.Kind == stream.Double || c.Kind == stream.Decimal:
		dmin, dmax := math.SmallestNonzeroFloat64, math.MaxFloat64
		if c.Kind == stream.Float {
			dmin, dmax = math.SmallestNonzeroFloat32, math.MaxFloat32
		}
		if col.fmin, err = parseFloat("min", dmin); err != nil {
			return col, err
		}
		if col.fmax, err = parseFloat("max", dmax); err != nil {
			return col, err
		}
		if c.Kind == stream.Decimal {
			largest := math.Pow(10, float64(c.Precision-c.Scale)) - math.Pow(10, float64(-c.Scale))
			col.fmin = math.Max(col.fmin, -largest)
			col.fmax = math.Min(col.fmax, largest)
		}
		if col.fmin > col.fmax {
			return col, fmt.Errorf("option '%s' is larger than '%s'", key("min"), key("max"))
		}
	case c.Kind == stream.Char || c.Kind == stream.Varchar || c.Kind == stream.Binary || c.Kind == stream.Varbinary:
		def := int64(100)
		if c.Length > 0 && c.Length < 100 {
			def = int64(c.Length)
		}
		n, err := parseInt("length", def)
		if err != nil {
			return col, err
		}
		if n < 0 || (c.Length > 0 && n > int64(c.Length)) {
			return col, fmt.Errorf("option '%s' = %d does not fit %s", key("length"), n, typeName(c))
		}
		col.length = int(n)
		col.varLen = r.Bool(key("var-len"))
	case c.Kind == stream.Timestamp || c.Kind == stream.TimestampLTZ:
		if r.Has(key("max-past")) {
			d, err := options.ParseDuration(r.String(key("max-past")))
			if err != nil {
				return col, fmt.Errorf("option '%s': %v", key("max-past"), err)
			}
			col.maxPast = d
		}
	case c.Kind == stream.Boolean || c.Kind == stream.Date || c.Kind == stream.Time:
	default:
		return col, fmt.Errorf("column %s: datagen does not generate %s yet", c.Name, typeName(c))
	}
	return col, nil
}

func typeName(c stream.Column) string {
	if c.Type != "" {
		return c.Type
	}
	return fmt.Sprintf("type kind %d", c.Kind)
}

// intRange returns the value range of an integer kind.
func intRange(k stream.TypeKind) (lo, hi int64, ok bool) {
	switch k {
	case stream.TinyInt:
		return math.MinInt8, math.MaxInt8, true
	case stream.SmallInt:
		return math.MinInt16, math.MaxInt16, true
	case stream.Int:
		return math.MinInt32, math.MaxInt32, true
	case stream.BigInt:
		return math.MinInt64, math.MaxInt64, true
	}
	return 0, 0, false
}

// Bounded reports whether the source ends: number-of-rows is set or a column is a
// sequence.
func (s *Source) Bounded() bool { return s.total >= 0 }

// Size returns the rows the source produces ('number-of-rows', -1: unbounded) and no
// bytes (stream.Sized).
func (s *Source) Size() (records, bytes int64) { return s.total, -1 }

// BytesRead is 0: generated rows have no bytes (stream.Sized).
func (s *Source) BytesRead() int64 { return 0 }

// Rows returns the number of rows a bounded source produces (-1 when unbounded).
func (s *Source) Rows() int64 { return s.total }

// Run sends batches of rows, paced to rows-per-second, until the rows are done or ctx is
// cancelled.
func (s *Source) Run(ctx context.Context, out chan<- *stream.Batch) error {
	start := time.Now()
	var sent int64
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for s.total < 0 || sent < s.total {
		// Wait until the rows already sent are due at the configured rate.
		due := start.Add(time.Duration(float64(sent) / float64(s.rate) * float64(time.Second)))
		if err := stream.Wait(ctx, &timer, time.Until(due)); err != nil {
			return err
		}
		n := int64(s.batchSize)
		if s.total >= 0 {
			n = min(n, s.total-sent)
		}
		b := s.getBatch()
		b.Count = int(n)
		b.FirstLine = sent + 1
		select {
		case out <- b:
		case <-ctx.Done():
			b.Release()
			return ctx.Err()
		}
		sent += n
	}
	return nil
}

func (s *Source) getBatch() *stream.Batch {
	if v := s.batches.Get(); v != nil {
		return v.(*stream.Batch)
	}
	b := &stream.Batch{Origin: s.table}
	b.SetRelease(func(b *stream.Batch) { s.batches.Put(b) })
	return b
}

// ---- pulling values ----

// Seek positions the source on row r of batch b: the next pulls are for that row.
func (s *Reader) Seek(b *stream.Batch, r int) {
	s.row = b.FirstLine - 1 + int64(r)
	s.lastCol = -1
}

// rng is a small counter-based random generator (splitmix64).
type rng struct{ s uint64 }

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// float returns a uniform number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// below returns a uniform number in [0, n) (n > 0).
func (r *rng) below(n uint64) uint64 {
	hi, _ := bits.Mul64(r.next(), n)
	return hi
}

// at starts the pull of column col: it advances to the next row when col does not follow
// the previous pull, and returns the column, the row number and the value's random
// stream.
func (s *Reader) at(col int) (*column, int64, rng) {
	if col <= s.lastCol {
		s.row++
	}
	s.lastCol = col
	c := &s.cols[col]
	idx := uint64(s.row)*uint64(len(s.cols)) + uint64(col)
	return c, s.row, rng{s: mix(s.seed ^ mix(idx+0x632be59bd9b4e019))}
}

// null decides whether a random value is NULL.
func (c *column) null(r *rng) bool {
	return c.nullRate > 0 && r.float() < c.nullRate
}

// Bool returns the BOOLEAN of column col of the current row.
func (s *Reader) Bool(col int) (v bool, null bool) {
	c, _, r := s.at(col)
	if c.null(&r) {
		return false, true
	}
	return r.next()&1 == 1, false
}

// Int64 returns the integer (TINYINT to BIGINT) of column col of the current row.
func (s *Reader) Int64(col int) (int64, bool) {
	c, row, r := s.at(col)
	if c.kind == sequence {
		return c.start + row, false
	}
	if c.null(&r) {
		return 0, true
	}
	span := uint64(c.imax - c.imin)
	if span == math.MaxUint64 {
		return int64(r.next()), false
	}
	return c.imin + int64(r.below(span+1)), false
}

func (c *column) randomFloat(r *rng) float64 {
	v := c.fmin + r.float()*(c.fmax-c.fmin)
	if math.IsInf(v, 0) { // fmax-fmin overflowed
		v = c.fmin/2 + r.float()*(c.fmax/2-c.fmin/2)
		v *= 2
	}
	return min(max(v, c.fmin), c.fmax)
}

// Float64 returns the FLOAT or DOUBLE of column col of the current row.
func (s *Reader) Float64(col int) (float64, bool) {
	c, row, r := s.at(col)
	var v float64
	switch {
	case c.kind == sequence:
		v = float64(c.start + row)
	case c.null(&r):
		return 0, true
	default:
		v = c.randomFloat(&r)
	}
	if c.typ.Kind == stream.Float {
		v = float64(float32(v))
	}
	return v, false
}

// Decimal returns the DECIMAL of column col of the current row, unscaled at the column's
// scale.
func (s *Reader) Decimal(col int) (types.Decimal, bool) {
	c, row, r := s.at(col)
	if c.kind == sequence {
		d, ok := types.IntToDecimal(c.start+row, c.typ.Precision, c.typ.Scale)
		return d, !ok
	}
	if c.null(&r) {
		return types.Decimal{}, true
	}
	d, ok := types.DecimalFromFloat64(c.randomFloat(&r), c.typ.Precision, c.typ.Scale)
	if !ok { // rounding reached the precision's limit
		d, ok = types.DecimalFromFloat64(c.fmin, c.typ.Precision, c.typ.Scale)
	}
	return d, !ok
}

const hexDigits = "0123456789abcdef"

func (c *column) randomLength(r *rng) int {
	if c.varLen && c.length > 0 {
		return 1 + int(r.below(uint64(c.length)))
	}
	return c.length
}

// String returns the CHAR/VARCHAR of column col of the current row.
func (s *Reader) String(col int) (string, bool) {
	c, row, r := s.at(col)
	if c.kind == sequence {
		return strconv.FormatInt(c.start+row, 10), false
	}
	if c.null(&r) {
		return "", true
	}
	n := c.randomLength(&r)
	b := make([]byte, n)
	for i := 0; i < n; i += 16 {
		x := r.next()
		for j := i; j < min(i+16, n); j++ {
			b[j] = hexDigits[x&15]
			x >>= 4
		}
	}
	return string(b), false
}

// Bytes returns the BINARY/VARBINARY of column col of the current row. The slice is valid
// until the next call of Bytes.
func (s *Reader) Bytes(col int) ([]byte, bool) {
	c, _, r := s.at(col)
	if c.null(&r) {
		return nil, true
	}
	n := c.randomLength(&r)
	if cap(s.scratch) < n {
		s.scratch = make([]byte, n)
	}
	b := s.scratch[:n]
	for i := 0; i < n; i += 8 {
		x := r.next()
		for j := i; j < min(i+8, n); j++ {
			b[j] = byte(x)
			x >>= 8
		}
	}
	return b, false
}

// Timestamp returns the TIMESTAMP or TIMESTAMP_LTZ of column col of the current row: now,
// minus a random duration below max-past.
func (s *Reader) Timestamp(col int) (types.Timestamp, bool) {
	c, _, r := s.at(col)
	if c.null(&r) {
		return types.Timestamp{}, true
	}
	ms := s.now().UnixMilli()
	if past := c.maxPast.Milliseconds(); past > 0 {
		ms -= int64(r.below(uint64(past)))
	}
	return types.Timestamp{Millis: ms}, false
}

// Date returns the DATE of column col of the current row: today, in the local time zone.
func (s *Reader) Date(col int) (int32, bool) {
	c, _, r := s.at(col)
	if c.null(&r) {
		return 0, true
	}
	y, m, d := s.now().Date()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return int32(days), false
}

// Time returns the TIME of column col of the current row: the local time of day in
// milliseconds.
func (s *Reader) Time(col int) (int32, bool) {
	c, _, r := s.at(col)
	if c.null(&r) {
		return 0, true
	}
	t := s.now()
	ms := ((t.Hour()*60+t.Minute())*60+t.Second())*1000 + t.Nanosecond()/1_000_000
	return int32(ms), false
}

// Table is the name of the table the source generates.
func (s *Source) Table() string { return s.table }
