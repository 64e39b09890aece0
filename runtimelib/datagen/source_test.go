package datagen

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func opts(kv ...string) *options.Resolved {
	r := &options.Resolved{Table: "orders", Connector: "datagen", Values: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Values[kv[i]] = kv[i+1]
	}
	return r
}

var schema = stream.Schema{Columns: []stream.Column{
	{Name: "id", Type: "BIGINT", Kind: stream.BigInt},
	{Name: "qty", Type: "INT", Kind: stream.Int, Nullable: true},
	{Name: "price", Type: "DOUBLE", Kind: stream.Double, Nullable: true},
	{Name: "name", Type: "STRING", Kind: stream.Varchar, Length: 2147483647, Nullable: true},
	{Name: "amount", Type: "DECIMAL(6, 2)", Kind: stream.Decimal, Precision: 6, Scale: 2, Nullable: true},
	{Name: "ok", Type: "BOOLEAN", Kind: stream.Boolean, Nullable: true},
	{Name: "ts", Type: "TIMESTAMP(3)", Kind: stream.Timestamp, Precision: 3, Nullable: true},
	{Name: "code", Type: "VARCHAR(8)", Kind: stream.Varchar, Length: 8, Nullable: true},
	{Name: "tiny", Type: "TINYINT", Kind: stream.TinyInt, Nullable: true},
}}

func newSource(t *testing.T, r *options.Resolved, sc stream.Schema) *Reader {
	t.Helper()
	s, err := NewSource(r, sc)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2020, 1, 31, 12, 30, 5, 123_000_000, time.UTC) }
	return s.Reader()
}

// run collects every batch of a bounded source.
func run(t *testing.T, s *Reader) []*stream.Batch {
	t.Helper()
	out := make(chan *stream.Batch, 1<<14)
	if err := s.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	close(out)
	var bs []*stream.Batch
	for b := range out {
		bs = append(bs, b)
	}
	return bs
}

type row struct {
	id     int64
	qty    int64
	qtyNil bool
	price  float64
	name   string
	amount types.Decimal
	ok     bool
	ts     types.Timestamp
	code   string
	tiny   int64
}

func pullAll(s *Reader) row {
	var r row
	r.id, _ = s.Int64(0)
	r.qty, r.qtyNil = s.Int64(1)
	r.price, _ = s.Float64(2)
	r.name, _ = s.String(3)
	r.amount, _ = s.Decimal(4)
	r.ok, _ = s.Bool(5)
	r.ts, _ = s.Timestamp(6)
	r.code, _ = s.String(7)
	r.tiny, _ = s.Int64(8)
	return r
}

func TestSequenceAndBounds(t *testing.T) {
	r := opts("seed", "42", "rows-per-second", "1000000000",
		"fields.id.kind", "sequence", "fields.id.start", "10", "fields.id.end", "2509",
		"fields.qty.min", "-5", "fields.qty.max", "5",
		"fields.price.min", "1.5", "fields.price.max", "2.5",
		"fields.name.length", "20",
		"fields.amount.min", "-10", "fields.amount.max", "10",
		"fields.ts.max-past", "1 min",
	)
	s := newSource(t, r, schema)
	if !s.Bounded() || s.Rows() != 2500 {
		t.Fatalf("Bounded %v Rows %d, want a bounded source of 2500 rows", s.Bounded(), s.Rows())
	}
	batches := run(t, s)
	total := 0
	trues := 0
	now := s.now().UnixMilli()
	for _, b := range batches {
		if b.Records != nil || b.FirstLine != int64(total+1) || b.Origin != "orders" {
			t.Fatalf("batch: Records %v FirstLine %d Origin %q", b.Records, b.FirstLine, b.Origin)
		}
		for i := 0; i < b.Count; i++ {
			v := pullAll(s)
			if v.id != int64(10+total) {
				t.Fatalf("row %d: id %d", total, v.id)
			}
			if v.qtyNil || v.qty < -5 || v.qty > 5 {
				t.Fatalf("row %d: qty %d null %v", total, v.qty, v.qtyNil)
			}
			if v.price < 1.5 || v.price > 2.5 {
				t.Fatalf("row %d: price %v", total, v.price)
			}
			if len(v.name) != 20 || strings.Trim(v.name, "0123456789abcdef") != "" {
				t.Fatalf("row %d: name %q", total, v.name)
			}
			if a := types.DecimalToFloat64(v.amount, 2); a < -10 || a > 10 {
				t.Fatalf("row %d: amount %v", total, a)
			}
			if v.ts.Millis > now || v.ts.Millis <= now-60_000 {
				t.Fatalf("row %d: ts %d not within a minute before %d", total, v.ts.Millis, now)
			}
			if len(v.code) != 8 {
				t.Fatalf("row %d: VARCHAR(8) value %q", total, v.code)
			}
			if v.ok {
				trues++
			}
			total++
		}
		b.Release()
	}
	if total != 2500 {
		t.Errorf("%d rows, want 2500", total)
	}
	if trues < 1000 || trues > 1500 {
		t.Errorf("%d of 2500 booleans true", trues)
	}
}

func TestSeedMakesValuesReproducibleAndIndependentOfPulls(t *testing.T) {
	r := opts("seed", "7", "number-of-rows", "50", "rows-per-second", "1000000000")
	a := newSource(t, r, schema)
	b := newSource(t, r, schema)
	c := newSource(t, opts("seed", "8", "number-of-rows", "50"), schema)
	differ := false
	for i := 0; i < 50; i++ {
		ra := pullAll(a)
		// b pulls only some columns, and skips whole rows via Seek.
		name, _ := b.String(3)
		tiny, _ := b.Int64(8)
		if name != ra.name || tiny != ra.tiny {
			t.Fatalf("row %d: same seed, other pulls: %q %d vs %q %d", i, name, tiny, ra.name, ra.tiny)
		}
		if rc := pullAll(c); rc.name != ra.name {
			differ = true
		}
	}
	if !differ {
		t.Error("seeds 7 and 8 gave the same strings")
	}

	// Seek gives the values of a row directly.
	d := newSource(t, r, schema)
	batch := &stream.Batch{Count: 50, FirstLine: 1}
	d.Seek(batch, 0)
	first := pullAll(d)
	d.Seek(batch, 0)
	if again := pullAll(d); again != first {
		t.Errorf("Seek to row 0 twice: %+v vs %+v", again, first)
	}
}

func TestNullRate(t *testing.T) {
	r := opts("seed", "1", "fields.qty.null-rate", "0.25", "fields.name.null-rate", "1")
	s := newSource(t, r, schema)
	nulls := 0
	for i := 0; i < 4000; i++ {
		if _, null := s.Int64(1); null {
			nulls++
		}
		if v, null := s.String(3); !null || v != "" {
			t.Fatalf("null-rate 1 gave %q", v)
		}
	}
	if nulls < 800 || nulls > 1200 {
		t.Errorf("%d of 4000 NULLs at rate 0.25", nulls)
	}
	if s.Bounded() {
		t.Error("a source without number-of-rows or sequence is bounded")
	}
}

func TestVarLenBytesAndTimes(t *testing.T) {
	sc := stream.Schema{Columns: []stream.Column{
		{Name: "s", Kind: stream.Varchar, Length: 2147483647},
		{Name: "b", Kind: stream.Varbinary, Length: 2147483647},
		{Name: "d", Kind: stream.Date},
		{Name: "t", Kind: stream.Time},
		{Name: "f", Kind: stream.Float},
		{Name: "seq", Kind: stream.Varchar, Length: 10},
	}}
	r := opts("seed", "3", "fields.s.var-len", "true", "fields.s.length", "5", "fields.b.length", "3",
		"fields.seq.kind", "sequence", "fields.seq.start", "-2", "fields.seq.end", "100")
	s := newSource(t, r, sc)
	lengths := map[int]bool{}
	for i := 0; i < 200; i++ {
		v, _ := s.String(0)
		lengths[len(v)] = true
		b, _ := s.Bytes(1)
		if len(b) != 3 {
			t.Fatalf("bytes %v", b)
		}
		if d, _ := s.Date(2); types.FormatDate(d) != "2020-01-31" {
			t.Fatalf("date %s", types.FormatDate(d))
		}
		if tm, _ := s.Time(3); tm != 45_005_123 {
			t.Fatalf("time %d", tm)
		}
		if f, _ := s.Float64(4); f != float64(float32(f)) || f <= 0 {
			t.Fatalf("float %v", f)
		}
		if v, _ := s.String(5); i < 3 && v != []string{"-2", "-1", "0"}[i] {
			t.Fatalf("string sequence row %d: %q", i, v)
		}
	}
	for n := 1; n <= 5; n++ {
		if !lengths[n] {
			t.Errorf("var-len never gave length %d (got %v)", n, lengths)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	cases := []struct {
		kv   []string
		want string
	}{
		{[]string{"fields.nope.kind", "random"}, "option 'fields.nope.kind' names no column; the columns are id, qty"},
		{[]string{"fields.id.kind", "sequence"}, "column id is a sequence: options 'fields.id.start' and 'fields.id.end' are required"},
		{[]string{"fields.id.kind", "sequence", "fields.id.start", "5", "fields.id.end", "1"}, "is larger than"},
		{[]string{"fields.tiny.kind", "sequence", "fields.tiny.start", "0", "fields.tiny.end", "1000"}, "does not fit TINYINT"},
		{[]string{"fields.ok.kind", "sequence", "fields.ok.start", "0", "fields.ok.end", "1"}, "a sequence of BOOLEAN is not supported"},
		{[]string{"fields.qty.min", "x"}, "option 'fields.qty.min' must be an integer"},
		{[]string{"fields.qty.min", "9", "fields.qty.max", "1"}, "option 'fields.qty.min' is larger than 'fields.qty.max'"},
		{[]string{"fields.id.null-rate", "0.5"}, "column id is NOT NULL"},
		{[]string{"fields.code.length", "9"}, "does not fit VARCHAR(8)"},
		{[]string{"rows-per-second", "0"}, "'rows-per-second' must be positive"},
		{[]string{"seed", "abc"}, "option 'seed' must be an integer"},
	}
	for _, c := range cases {
		_, err := NewSource(opts(c.kv...), schema)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "table orders: ") {
			t.Errorf("%v: err = %v, want %q", c.kv, err, c.want)
		}
	}
	_, err := NewSource(opts(), stream.Schema{Columns: []stream.Column{{Name: "a", Type: "ARRAY<INT>", Kind: stream.Array}}})
	if err == nil || !strings.Contains(err.Error(), "datagen does not generate ARRAY<INT> yet") {
		t.Errorf("array column: %v", err)
	}
}

func TestNumberOfRowsAndCancel(t *testing.T) {
	s := newSource(t, opts("number-of-rows", "2500", "rows-per-second", "1000000000"), schema)
	n := 0
	for _, b := range run(t, s) {
		if b.Count > maxBatch {
			t.Errorf("batch of %d rows", b.Count)
		}
		n += b.Count
	}
	if n != 2500 {
		t.Errorf("%d rows, want 2500", n)
	}
	if s := newSource(t, opts("number-of-rows", "0"), schema); len(run(t, s)) != 0 {
		t.Error("number-of-rows 0 produced batches")
	}

	// An unbounded source stops with the context.
	u := newSource(t, opts("rows-per-second", "1"), schema)
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan *stream.Batch)
	errc := make(chan error, 1)
	go func() { errc <- u.Run(ctx, out) }()
	b := <-out // the first batch is immediate; the next waits a second
	if b.Count != 1 {
		t.Errorf("at 1 row/s the batch holds %d rows", b.Count)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}
