package codec

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	negZero := math.Copysign(0, -1)
	w.Int64(math.MinInt64)
	w.Int64(-1)
	w.Uint64(math.MaxUint64)
	w.Int(42)
	w.Bool(true)
	w.Bool(false)
	w.Float64(negZero)
	w.Float64(math.NaN())
	w.Float32(float32(math.Inf(-1)))
	w.String("")
	w.String("Zürich")
	w.Bytes(nil)
	w.Bytes([]byte{})
	w.Bytes([]byte{0, 255})
	w.Decimal(types.Decimal{Hi: -1, Lo: math.MaxUint64})
	w.Timestamp(types.Timestamp{Millis: -86_400_001, Nanos: 999_999})

	r := NewReader(w.Buf)
	if v := r.Int64(); v != math.MinInt64 {
		t.Errorf("Int64 = %d", v)
	}
	if v := r.Int64(); v != -1 {
		t.Errorf("Int64 = %d", v)
	}
	if v := r.Uint64(); v != math.MaxUint64 {
		t.Errorf("Uint64 = %d", v)
	}
	if v := r.Int(); v != 42 {
		t.Errorf("Int = %d", v)
	}
	if !r.Bool() || r.Bool() {
		t.Error("Bool")
	}
	if v := r.Float64(); v != 0 || !math.Signbit(v) {
		t.Errorf("Float64 -0.0 = %v", v)
	}
	if v := r.Float64(); !math.IsNaN(v) {
		t.Errorf("Float64 NaN = %v", v)
	}
	if v := r.Float32(); !math.IsInf(float64(v), -1) {
		t.Errorf("Float32 = %v", v)
	}
	if v := r.String(); v != "" {
		t.Errorf("String = %q", v)
	}
	if v := r.String(); v != "Zürich" {
		t.Errorf("String = %q", v)
	}
	if v := r.Bytes(); v != nil {
		t.Errorf("Bytes(nil) = %v", v)
	}
	if v := r.Bytes(); v == nil || len(v) != 0 {
		t.Errorf("Bytes(empty) = %#v", v)
	}
	if v := r.Bytes(); len(v) != 2 || v[1] != 255 {
		t.Errorf("Bytes = %v", v)
	}
	if v := r.Decimal(); v != (types.Decimal{Hi: -1, Lo: math.MaxUint64}) {
		t.Errorf("Decimal = %v", v)
	}
	if v := r.Timestamp(); v != (types.Timestamp{Millis: -86_400_001, Nanos: 999_999}) {
		t.Errorf("Timestamp = %v", v)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestCorrupt(t *testing.T) {
	var w Writer
	w.String("hello")
	for cut := 0; cut < len(w.Buf); cut++ {
		r := NewReader(w.Buf[:cut])
		if s := r.String(); s != "" || !errors.Is(r.Err(), ErrCorrupt) {
			t.Errorf("cut at %d: %q, %v", cut, s, r.Err())
		}
		// Sticky: later reads fail too and return zero values.
		if r.Int64() != 0 || r.Err() == nil {
			t.Errorf("cut at %d: error not sticky", cut)
		}
	}
	huge := Writer{}
	huge.Uint64(MaxLength + 1)
	if r := NewReader(huge.Buf); r.String() != "" || r.Err() == nil {
		t.Error("a length above MaxLength must fail")
	}
	if r := NewReader([]byte{2}); r.Bool() || r.Err() == nil {
		t.Error("boolean 2 must fail")
	}
	if err := NewReader([]byte{1, 2}).Done(); err == nil {
		t.Error("trailing bytes must fail Done")
	}
	var ts Writer
	ts.Int64(0)
	ts.Int64(1_000_000)
	if r := NewReader(ts.Buf); r.Timestamp() != (types.Timestamp{}) || r.Err() == nil {
		t.Error("nanoseconds out of range must fail")
	}
}

func FuzzReader(f *testing.F) {
	var w Writer
	w.String("seed")
	w.Bytes([]byte("x"))
	w.Decimal(types.Decimal{Lo: 7})
	f.Add(w.Buf)
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		_ = r.String()
		r.Bytes()
		r.Decimal()
		r.Timestamp()
		r.Bool()
		r.Float64()
		r.Length()
		if r.Err() == nil && r.Offset() > len(b) {
			t.Fatal("read past the end")
		}
	})
}

func TestNext(t *testing.T) {
	var w Writer
	w.String("ab")
	w.Buf = append(w.Buf, 1, 2, 3)
	r := NewReader(w.Buf)
	if s := r.String(); s != "ab" {
		t.Fatalf("String = %q", s)
	}
	if b := r.Next(2); len(b) != 2 || b[0] != 1 || b[1] != 2 {
		t.Fatalf("Next(2) = %v", b)
	}
	if b := r.Next(2); b != nil || !errors.Is(r.Err(), ErrCorrupt) {
		t.Fatalf("Next past the end = %v, error %v", b, r.Err())
	}
}

// Sections: a reader checks where one ends and skips one whole, whatever its length
// (one byte of length, then more); a length past the input is an error.
func TestSections(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 300, 20000} {
		var w Writer
		w.Bool(true)
		at := w.BeginSection()
		w.String(strings.Repeat("x", n))
		w.EndSection(at)
		skip := w.BeginSection()
		w.Int64(-5)
		w.EndSection(skip)
		w.Bool(true)

		r := NewReader(w.Buf)
		r.Bool()
		end := r.Section()
		if s := r.String(); len(s) != n {
			t.Fatalf("n=%d: read %d bytes", n, len(s))
		}
		r.EndSection(end)
		r.SkipTo(r.Section())
		if !r.Bool() || r.Done() != nil {
			t.Fatalf("n=%d: %v", n, r.Done())
		}

		r = NewReader(w.Buf)
		r.Bool()
		end = r.Section()
		r.Bool() // reads less than the section holds
		r.EndSection(end)
		if n > 0 && r.Err() == nil {
			t.Errorf("n=%d: a section read short passed", n)
		}
		r = NewReader(w.Buf[:3])
		r.Bool()
		if r.Section(); n > 1 && r.Err() == nil {
			t.Errorf("n=%d: a section past the input passed", n)
		}
	}
}
