package json

import (
	stdjson "encoding/json"
	"math"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func TestEncoder(t *testing.T) {
	e := NewEncoder([]string{"city", "n", "avg", "amount", "ts", "d", "raw", "missing", "nan"}, "SQL")
	e.Begin()
	e.String("Bei\"jing\n\x01é")
	e.Int64(3)
	e.Float64(1e7)
	d, _ := types.ParseDecimal([]byte("1.5"), 10, 3)
	e.Decimal(d, 3)
	ts, _ := types.ParseTimestamp([]byte("2020-01-01 12:00:00.5"), 3)
	e.Timestamp(ts)
	e.Date(1)
	e.Bytes([]byte("hi"))
	e.Null()
	e.Float64(math.NaN())
	e.End()
	want := `{"city":"Bei\"jing\n\u0001é","n":3,"avg":1.0E7,"amount":1.500,"ts":"2020-01-01 12:00:00.5","d":"1970-01-02","raw":"aGk=","missing":null,"nan":"NaN"}`
	if got := string(e.Buf); got != want {
		t.Errorf("Encoder =\n%s\nwant\n%s", got, want)
	}
	if !stdjson.Valid(e.Buf) {
		t.Error("not valid JSON")
	}
	// The scanner reads back what the encoder wrote.
	var sc Scanner
	if err := sc.Reset(e.Buf); err != nil {
		t.Fatal(err)
	}
	for sc.Next() {
		if string(sc.Key()) == "city" {
			s, _ := String(sc.Value(), nil)
			if string(s) != "Bei\"jing\n\x01é" {
				t.Errorf("city = %q", s)
			}
		}
	}
	if sc.Err() != nil {
		t.Error(sc.Err())
	}

	iso := NewEncoder([]string{"ts", "x"}, "ISO-8601")
	iso.IgnoreNullFields = true
	iso.Begin()
	iso.Timestamp(types.Timestamp{})
	iso.Null()
	iso.End()
	if got := string(iso.Buf); got != `{"ts":"1970-01-01T00:00:00"}` {
		t.Errorf("iso = %s", got)
	}
}

func TestEncoderAllocs(t *testing.T) {
	e := NewEncoder([]string{"a", "b", "c"}, "SQL")
	e.Buf = make([]byte, 0, 256)
	n := testing.AllocsPerRun(100, func() {
		e.Reset()
		e.Begin()
		e.String("hello")
		e.Int64(42)
		e.Float64(1.5)
		e.End()
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
