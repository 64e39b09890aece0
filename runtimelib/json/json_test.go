package json

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

type member struct{ k, v string }

func scanAll(rec string) ([]member, error) {
	var s Scanner
	if err := s.Reset([]byte(rec)); err != nil {
		return nil, err
	}
	var out []member
	for s.Next() {
		out = append(out, member{string(s.Key()), string(s.Value())})
	}
	return out, s.Err()
}

func TestScanner(t *testing.T) {
	cases := []struct {
		rec  string
		want []member
	}{
		{`{}`, nil},
		{` { } `, nil},
		{`{"a":1}`, []member{{"a", "1"}}},
		{`{"a" : -1.5e3 , "b":"x\"y", "c":true,"d":false,"e":null}`,
			[]member{{"a", "-1.5e3"}, {"b", `"x\"y"`}, {"c", "true"}, {"d", "false"}, {"e", "null"}}},
		{`{"row":{"id":1,"tags":[1,[2,{}],[]],"s":"}"},"n":0}`,
			[]member{{"row", `{"id":1,"tags":[1,[2,{}],[]],"s":"}"}`}, {"n", "0"}}},
		{`{"k\u00e9y":[ ],"\n":{ }}`, []member{{"kéy", "[ ]"}, {"\n", "{ }"}}},
	}
	for _, c := range cases {
		got, err := scanAll(c.rec)
		if err != nil || len(got) != len(c.want) {
			t.Errorf("scan %s = %v, %v; want %v", c.rec, got, err, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("scan %s [%d] = %v; want %v", c.rec, i, got[i], c.want[i])
			}
		}
	}
}

func TestScannerErrors(t *testing.T) {
	for _, rec := range []string{
		``, `[]`, `"a"`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`, `{"a":01}`, `{"a":1.}`,
		`{"a":1e}`, `{"a":-}`, `{"a":tru}`, `{"a":"x}`, `{"a":"\x"}`, `{"a":"\u12"}`, "{\"a\":\"\x01\"}",
		`{"a":[1,]}`, `{"a":[1}`, `{"a":{"b":1]}`, `{"a":{"b"}}`, `{"a":1}x`, `{"a":1}{}`, `{a:1}`,
		`{"a":+1}`, `{"a":.5}`, `{"a":NaN}`, `{"a":[}`, `{"a":{,}}`,
		`{"a":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`,
	} {
		_, err := scanAll(rec)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("scan %q: err = %v, want SyntaxError", rec, err)
		}
	}
}

func TestValues(t *testing.T) {
	if v, ok := Int64([]byte("42")); !ok || v != 42 {
		t.Error("Int64 42")
	}
	if v, ok := Int64([]byte(`" 42 "`)); !ok || v != 42 {
		t.Error("Int64 string")
	}
	if v, ok := Int64([]byte(`-1.9`)); !ok || v != -1 {
		t.Errorf("Int64 -1.9 = %d %v", v, ok)
	}
	if v, ok := Int64([]byte(`1e2`)); !ok || v != 100 {
		t.Errorf("Int64 1e2 = %d %v", v, ok)
	}
	if _, ok := Int64([]byte(`-9223372036854775809`)); ok {
		t.Error("Int64 below MinInt64 ok")
	}
	if _, ok := Int64([]byte(`"1.5"`)); ok {
		t.Error("Int64 of \"1.5\" ok")
	}
	if _, ok := Int64([]byte(`true`)); ok {
		t.Error("Int64 of true ok")
	}
	if _, ok := Int32([]byte(`3000000000`)); ok {
		t.Error("Int32 overflow ok")
	}
	if v, ok := Float64([]byte(`1.5e2`)); !ok || v != 150 {
		t.Error("Float64")
	}
	if v, ok := Float64([]byte(`"NaN"`)); !ok || !math.IsNaN(v) {
		t.Error("Float64 NaN")
	}
	if v, ok := Bool([]byte(`true`)); !ok || !v {
		t.Error("Bool true")
	}
	if v, ok := Bool([]byte(`"TRUE"`)); !ok || !v {
		t.Error("Bool string")
	}
	if v, ok := Bool([]byte(`1`)); !ok || v {
		t.Error("Bool 1 should be false as in Flink")
	}
	if _, ok := Bool([]byte(`null`)); ok {
		t.Error("Bool null ok")
	}
	if d, ok := Decimal([]byte(`1.005`), 10, 2); !ok || d.Format(2) != "1.01" {
		t.Error("Decimal")
	}
	if d, ok := Decimal([]byte(`"12.5"`), 10, 1); !ok || d.Format(1) != "12.5" {
		t.Error("Decimal string")
	}
	for _, s := range []string{`"2020-01-01T12:00:00"`, `"2020-01-01 12:00:00"`, `"2020-01-01T12:00:00Z"`} {
		if ts, ok := Timestamp([]byte(s), 3); !ok || ts.Millis != 1577880000000 {
			t.Errorf("Timestamp(%s) = %+v %v", s, ts, ok)
		}
	}
	if d, ok := Date([]byte(`"1970-01-02"`)); !ok || d != 1 {
		t.Error("Date")
	}
	if v, ok := Time([]byte(`"00:00:01.5"`)); !ok || v != 1500 {
		t.Error("Time")
	}
	if b, ok := Bytes([]byte(`"aGk="`)); !ok || string(b) != "hi" {
		t.Error("Bytes")
	}
	if b, ok := Bytes([]byte(`"\/w=="`)); !ok || string(b) != "\xff" { // an escaped '/'
		t.Errorf("Bytes escaped = %v, %v", b, ok)
	}
	for _, raw := range []string{`"aGk"`, `"*"`, `12`, `true`} {
		if _, ok := Bytes([]byte(raw)); ok {
			t.Errorf("Bytes(%s) ok", raw)
		}
	}
	if !IsNull([]byte("null")) || IsNull([]byte(`"null"`)) {
		t.Error("IsNull")
	}
	if s, ok := Text([]byte(`12.50`), nil); !ok || string(s) != "12.50" {
		t.Error("Text number")
	}
	if s, ok := Text([]byte(`{"a":1}`), nil); !ok || string(s) != `{"a":1}` {
		t.Error("Text object")
	}
}

func TestStringUnescape(t *testing.T) {
	cases := []struct{ raw, want string }{
		{`"plain"`, "plain"}, {`""`, ""}, {`"a\"b\\c\/d"`, `a"b\c/d`}, {`"\b\f\n\r\t"`, "\b\f\n\r\t"},
		{`"\u00e9\u4e2d"`, "é中"}, {`"\ud83d\ude00"`, "😀"}, {`"\ud83dx"`, "\uFFFDx"}, {`"\ude00"`, "\uFFFD"},
		{`"\ud83d\u0041"`, "\uFFFDA"}, {`"日本"`, "日本"},
	}
	for _, c := range cases {
		got, ok := String([]byte(c.raw), nil)
		if !ok || string(got) != c.want {
			t.Errorf("String(%s) = %q %v; want %q", c.raw, got, ok, c.want)
		}
		var std string
		if err := stdjson.Unmarshal([]byte(c.raw), &std); err != nil || std != c.want {
			t.Errorf("encoding/json disagrees on %s: %q %v", c.raw, std, err)
		}
	}
	if _, ok := String([]byte(`12`), nil); ok {
		t.Error("String of a number ok")
	}
}

type cfgOpts map[string]string

func (f cfgOpts) String(k string) string { return f[k] }
func (f cfgOpts) Bool(k string) bool     { return f[k] == "true" }
func (f cfgOpts) Has(k string) bool      { _, ok := f[k]; return ok }

func TestConfigFrom(t *testing.T) {
	c := ConfigFrom(cfgOpts{"json.ignore-parse-errors": "true", "json.timestamp-format.standard": "ISO-8601"})
	if c != (Config{IgnoreParseErrors: true, TimestampFormat: "ISO-8601"}) {
		t.Errorf("ConfigFrom = %+v", c)
	}
	if c := ConfigFrom(cfgOpts{}); c.TimestampFormat != "SQL" {
		t.Errorf("default = %+v", c)
	}
}

var benchRec = []byte(`{"uuid":"5b8f4c1e-0c3a-4c8e-9f1a-2d3c4b5a6978","client_ip":"10.1.2.3","request_time":1585714441,"response_size":52341,"uri":"/video/a.mp4","event_time":"2020-04-01 12:14:01","tags":["x","y"],"ok":true}`)

func TestScannerAllocs(t *testing.T) {
	var s Scanner
	var scratch [64]byte
	n := testing.AllocsPerRun(100, func() {
		if err := s.Reset(benchRec); err != nil {
			t.Fatal(err)
		}
		for s.Next() {
			switch string(s.Key()) {
			case "request_time", "response_size":
				Int64(s.Value())
			case "uuid", "uri":
				String(s.Value(), scratch[:0])
			case "event_time":
				Timestamp(s.Value(), 3)
			}
		}
		if s.Err() != nil {
			t.Fatal(s.Err())
		}
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func BenchmarkScanner(b *testing.B) {
	var s Scanner
	var scratch [64]byte
	b.SetBytes(int64(len(benchRec)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Reset(benchRec)
		for s.Next() {
			switch string(s.Key()) {
			case "request_time", "response_size":
				Int64(s.Value())
			case "uuid", "client_ip", "uri":
				String(s.Value(), scratch[:0])
			case "event_time":
				Timestamp(s.Value(), 3)
			}
		}
	}
}

type benchRow struct {
	UUID         string   `json:"uuid"`
	ClientIP     string   `json:"client_ip"`
	RequestTime  int64    `json:"request_time"`
	ResponseSize int64    `json:"response_size"`
	URI          string   `json:"uri"`
	EventTime    string   `json:"event_time"`
	Tags         []string `json:"tags"`
	OK           bool     `json:"ok"`
}

func BenchmarkScannerBaselineUnmarshal(b *testing.B) {
	b.SetBytes(int64(len(benchRec)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var r benchRow
		stdjson.Unmarshal(benchRec, &r)
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":{"b":[1,2,{"c":"\u00e9"}]},"d":null}`, `{"a":"\ud83d\ude00"}`,
		`{"a":1e5,"b":-0.5}`, `{"a":[}`, `[1]`, `{"a":tru}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		s := NewScanner("a", "b", "ab", "\n")
		err := s.Reset(rec)
		members := 0
		if err == nil {
			for s.Next() {
				members++
				v := s.Value()
				// What the scanner notes of a member agrees with the key and the raw value.
				if want := slices.Index([]string{"a", "b", "ab", "\n"}, string(s.Key())); s.Field() != want {
					t.Fatalf("Field() = %d for key %q, want %d", s.Field(), s.Key(), want)
				}
				if n, ok := s.Int64(); s.IsNull() != IsNull(v) || n != must64(Int64(v)) || ok != okOf(Int64(v)) {
					t.Fatalf("IsNull/Int64 of %q: %v, %d, %v", v, s.IsNull(), n, ok)
				}
				// Decoders must never panic on any value the scanner returns.
				Int64(v)
				Float64(v)
				Bool(v)
				String(v, nil)
				if got, ok := s.Text(nil); !ok && v[0] != 'n' || string(got) != string(must(Text(v, nil))) {
					t.Fatalf("Scanner.Text = %q, %v; Text(%q) = %q", got, ok, v, must(Text(v, nil)))
				}
				Decimal(v, 38, 10)
				Timestamp(v, 9)
				if len(v) > 0 && v[0] == '{' {
					var inner Scanner
					if inner.Reset(v) == nil {
						for inner.Next() {
						}
						if inner.Err() != nil {
							t.Fatalf("nested object %q rejected: %v", v, inner.Err())
						}
					}
				}
			}
			err = s.Err()
		}
		trimmed := bytes.TrimLeft(rec, " \t\r\n")
		isObject := len(trimmed) > 0 && trimmed[0] == '{'
		valid := stdjson.Valid(rec) && isObject
		var se *SyntaxError
		if err != nil && errors.As(err, &se) && se.Msg == "nesting too deep" {
			return
		}
		if (err == nil) != valid {
			t.Fatalf("scanner err=%v but encoding/json valid=%v for %q", err, valid, rec)
		}
		if valid {
			var m map[string]stdjson.RawMessage
			if stdjson.Unmarshal(rec, &m) == nil && len(m) > members {
				t.Fatalf("scanner saw %d members, encoding/json %d in %q", members, len(m), rec)
			}
		}
	})
}

// TestScannerFields checks Field against the keys given to NewScanner, whatever the
// order of the members, with unread, repeated and escaped keys, keys JSON must escape,
// keys too long to be compared in place, records too short for that, and the map of
// many keys.
func TestScannerFields(t *testing.T) {
	long := "a_key_longer_than_sixteen_bytes"
	cases := []struct {
		keys []string
		rec  string
		want []int
	}{
		{[]string{"a", "b"}, `{"a":1,"b":2}`, []int{0, 1}},
		{[]string{"a", "b"}, `{"b":2,"a":1}`, []int{1, 0}},
		{[]string{"a", "b"}, `{"x":0,"a":1,"y":[1],"b":2,"a":3}`, []int{-1, 0, -1, 1, 0}},
		{[]string{"a", "ab"}, `{"ab":1,"a":2,"abc":3,"":4}`, []int{1, 0, -1, -1}},
		{[]string{"uuid", "client_ip"}, `{"uuid":"x","client_ip":"1.2.3.4","uuid":"y"}`, []int{0, 1, 0}},
		{[]string{"uuid", "client_ip"}, `{"\u0075uid":"x", "client\u005fip" : "1.2.3.4"}`, []int{0, 1}},
		{[]string{`q"k`, "tab\t", "é"}, `{"q\"k":1,"tab\t":2,"\u00e9":3,"é":4}`, []int{0, 1, 2, 2}},
		{[]string{long, "b"}, `{"` + long + `":1,"b":2,"` + long + `x":3}`, []int{0, 1, -1}},
		{[]string{"response_size"}, `{"response_size":1}`, []int{0}},
		{[]string{"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"},
			`{"k9":1,"k0":1,"k1":1,"kx":1,"k5":1,"k6":1}`, []int{9, 0, 1, -1, 5, 6}},
		{nil, `{"a":1}`, []int{-1}},
	}
	for _, c := range cases {
		s := NewScanner(c.keys...)
		for round := 0; round < 2; round++ { // the second round starts with a learned order
			if err := s.Reset([]byte(c.rec)); err != nil {
				t.Fatalf("%s: %v", c.rec, err)
			}
			var got []int
			for s.Next() {
				got = append(got, s.Field())
			}
			if s.Err() != nil || !slices.Equal(got, c.want) {
				t.Errorf("keys %q, %s: fields %v, %v; want %v", c.keys, c.rec, got, s.Err(), c.want)
			}
		}
	}
}

// TestScannerValueKinds checks what the scanner notes of a value (IsNull, Int64, Text)
// against the decoders of the raw value.
func TestScannerValueKinds(t *testing.T) {
	rec := `{"a":0,"a":-0,"a":123456789012345678,"a":1234567890123456789,"a":-9223372036854775808,` +
		`"a":1.5,"a":-2e3,"a":"7","a":" 8 ","a":null,"a":true,"a":false,"a":"x\"y","a":"plain","a":[1],"a":{"b":null}}`
	s := NewScanner("a")
	if err := s.Reset([]byte(rec)); err != nil {
		t.Fatal(err)
	}
	for s.Next() {
		raw := s.Value()
		v, ok := s.Int64()
		wv, wok := Int64(raw)
		if v != wv || ok != wok {
			t.Errorf("Int64() of %s = %d, %v; want %d, %v", raw, v, ok, wv, wok)
		}
		if s.IsNull() != IsNull(raw) {
			t.Errorf("IsNull() of %s = %v", raw, s.IsNull())
		}
		txt, ok := s.Text(nil)
		wtxt, wok := Text(raw, nil)
		if string(txt) != string(wtxt) || ok != wok {
			t.Errorf("Text() of %s = %q, %v; want %q, %v", raw, txt, ok, wtxt, wok)
		}
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
}

func must64(v int64, _ bool) int64 { return v }
func okOf(_ int64, ok bool) bool   { return ok }

// TestScannerMissing checks Missing with few keys and with more than 64 (a second word
// of bits), a null member (not missing) and a repeated record (the bits start over).
func TestScannerMissing(t *testing.T) {
	var keys []string
	for i := range 70 {
		keys = append(keys, fmt.Sprintf("k%d", i))
	}
	record := func(skip int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range keys {
			if i == skip {
				continue
			}
			if b.Len() > 1 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":null`, i)
		}
		return b.String() + "}"
	}
	cases := []struct {
		keys []string
		rec  string
		want string // "" for none missing
	}{
		{[]string{"a", "b"}, `{"a":1,"b":null}`, ""},
		{[]string{"a", "b"}, `{"b":1,"x":2}`, "a"},
		{[]string{"a", "b"}, `{"a":1}`, "b"},
		{keys, record(-1), ""},
		{keys, record(3), "k3"},
		{keys, record(65), "k65"},
		{keys, record(-1), ""},
	}
	s := NewScanner()
	for _, c := range cases {
		if !slices.Equal(keysOf(s), c.keys) {
			s = NewScanner(c.keys...)
		}
		if err := s.Reset([]byte(c.rec)); err != nil {
			t.Fatal(err)
		}
		for s.Next() {
			if f := s.Field(); f < 0 || c.keys[f] != string(s.Key()) {
				if f >= 0 || slices.Contains(c.keys, string(s.Key())) {
					t.Errorf("keys %d: Field() = %d for %q", len(c.keys), f, s.Key())
				}
			}
		}
		name, missing := s.Missing()
		if s.Err() != nil || missing != (c.want != "") || name != c.want {
			t.Errorf("keys %d, %.40s: Missing() = %q, %v, %v; want %q", len(c.keys), c.rec, name, missing, s.Err(), c.want)
		}
	}
}

func keysOf(s *Scanner) (names []string) {
	for _, k := range s.keys {
		names = append(names, k.name)
	}
	return names
}
