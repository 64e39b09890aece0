package rowenc

import (
	"math"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

var cols = []stream.Column{
	{Name: "s", Kind: stream.Varchar}, {Name: "b", Kind: stream.Boolean}, {Name: "f", Kind: stream.Float},
	{Name: "d", Kind: stream.Double}, {Name: "dec", Kind: stream.Decimal, Precision: 20, Scale: 9},
	{Name: "ts", Kind: stream.Timestamp, Precision: 3}, {Name: "ltz", Kind: stream.TimestampLTZ, Precision: 3},
	{Name: "day", Kind: stream.Date}, {Name: "tm", Kind: stream.Time}, {Name: "bin", Kind: stream.Varbinary},
}

func fill(s string, null bool) []Value {
	r := NewRow(len(cols))
	r.Begin(stream.Insert)
	if null {
		r.Null()
	} else {
		r.String(s)
	}
	r.Bool(true)
	r.Float64(float64(float32(0.1)))
	r.Float64(1e10)
	r.Decimal(types.DecimalFromInt64(1, 0), 9) // 1E-9
	ts := types.Timestamp{Millis: 1577880000120}
	r.Timestamp(ts)
	r.Timestamp(ts)
	r.Date(18262)    // 2020-01-01
	r.Time(43200500) // 12:00:00.5
	r.Bytes([]byte("hi"))
	if err := r.Complete(); err != nil {
		panic(err)
	}
	return r.Values
}

func enc(t *testing.T, kv ...string) *Encoder {
	t.Helper()
	written := []options.KV{{Key: "connector", Value: "kafka"}, {Key: "topic", Value: "x"}, {Key: "properties.bootstrap.servers", Value: "h:1"}}
	for i := 0; i < len(kv); i += 2 {
		written = append(written, options.KV{Key: kv[i], Value: kv[i+1]})
	}
	r, probs := options.Resolve("t", written)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	all := make([]int, len(cols))
	for i := range all {
		all[i] = i
	}
	e, err := NewEncoder(r, cols, all)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCSV(t *testing.T) {
	e := enc(t, "format", "csv")
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a-b.c", "a-b.c"},
		{"with space", `"with space"`},
		{`q"uote`, `"q""uote"`},
		{"a,b", `"a,b"`},
		{"abcdefghijklmnopqrstuvwxyz", `"abcdefghijklmnopqrstuvwxyz"`}, // longer than 24
		{"", ""},
	} {
		got := string(e.Append(nil, fill(c.in, false)))
		want := c.want + ",true,0.1,1.0E10,1E-9,2020-01-01 12:00:00.12,2020-01-01 12:00:00.12Z,2020-01-01,12:00:00.5,aGk="
		if got != want {
			t.Errorf("%q:\n got %s\nwant %s", c.in, got, want)
		}
	}
	e = enc(t, "format", "csv", "csv.null-literal", "NULL", "csv.field-delimiter", "|",
		"csv.write-bigdecimal-in-scientific-notation", "false", "csv.disable-quote-character", "true")
	got := string(e.Append(nil, fill("", true)))
	if want := "NULL|true|0.1|1.0E10|0.000000001|2020-01-01 12:00:00.12|2020-01-01 12:00:00.12Z|2020-01-01|12:00:00.5|aGk="; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestJSON(t *testing.T) {
	e := enc(t, "format", "json")
	got := string(e.Append(nil, fill("a\"\\\n\x01é", false)))
	want := `{"s":"a\"\\\n\u0001é","b":true,"f":0.1,"d":1.0E10,"dec":1E-9,"ts":"2020-01-01 12:00:00.12","ltz":"2020-01-01 12:00:00.12Z","day":"2020-01-01","tm":"12:00:00","bin":"aGk="}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	e = enc(t, "format", "json", "json.timestamp-format.standard", "ISO-8601", "json.encode.ignore-null-fields", "true",
		"json.encode.decimal-as-plain-number", "true")
	vals := fill("", true)
	vals[3] = Value{Kind: Float, F: math.NaN()}
	got = string(e.Append(nil, vals))
	want = `{"b":true,"f":0.1,"d":"NaN","dec":0.000000001,"ts":"2020-01-01T12:00:00.12","ltz":"2020-01-01T12:00:00.12Z","day":"2020-01-01","tm":"12:00:00","bin":"aGk="}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestJavaBigDecimal(t *testing.T) {
	for _, c := range []struct {
		unscaled int64
		scale    int
		want     string
	}{
		{12345, 2, "123.45"}, {1, 6, "0.000001"}, {1, 7, "1E-7"}, {-123, 10, "-1.23E-8"}, {0, 2, "0.00"}, {5, 0, "5"},
	} {
		if got := string(appendJavaBigDecimal(nil, types.DecimalFromInt64(c.unscaled, 0), c.scale, true)); got != c.want {
			t.Errorf("%d scale %d: got %s, want %s", c.unscaled, c.scale, got, c.want)
		}
	}
}

func TestRowFieldCount(t *testing.T) {
	r := NewRow(2)
	r.Begin(stream.Insert)
	r.Int64(1)
	if r.Complete() == nil {
		t.Error("short row accepted")
	}
	r.Int64(2)
	r.Int64(3)
	if r.Complete() == nil {
		t.Error("long row accepted")
	}
}
