package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func split(t *testing.T, cfg Config, rec string, n int) ([]string, error) {
	t.Helper()
	fs, err := NewSplitter(cfg).Split([]byte(rec), n)
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out, err
}

func TestSplit(t *testing.T) {
	def := DefaultConfig()
	esc := def
	esc.Escape, esc.HasEscape = '\\', true
	noq := def
	noq.QuoteEnabled = false
	tab := def
	tab.Delim = '\t'
	cases := []struct {
		cfg  Config
		rec  string
		n    int
		want []string
		err  bool
	}{
		{def, "a,b,c", -1, []string{"a", "b", "c"}, false},
		{def, "a,b,c", 2, []string{"a", "b"}, false},
		{def, "a,b", 5, []string{"a", "b"}, false},
		{def, "a,,c", -1, []string{"a", "", "c"}, false},
		{def, "a,b,", -1, []string{"a", "b", ""}, false},
		{def, ",", -1, []string{"", ""}, false},
		{def, "", -1, []string{}, false},
		{def, "x", 0, []string{}, false},
		{def, `"a,b",c`, -1, []string{"a,b", "c"}, false},
		{def, `"say ""hi""",x`, -1, []string{`say "hi"`, "x"}, false},
		{def, `""`, -1, []string{""}, false},
		{def, `"",""`, -1, []string{"", ""}, false},
		{def, `a"b,c`, -1, []string{`a"b`, "c"}, false},
		{def, ` "a"`, -1, []string{` "a"`}, false},
		{def, `"abc`, -1, nil, true},
		{def, `"a"b,c`, -1, nil, true},
		{def, `x,"unterminated`, 1, []string{"x"}, false}, // not examined beyond n
		{esc, `a\,b,c`, -1, []string{"a,b", "c"}, false},
		{esc, `"a\"b",c`, -1, []string{`a"b`, "c"}, false},
		{esc, `a\\b`, -1, []string{`a\b`}, false},
		{esc, `ab\`, -1, []string{`ab\`}, false},
		{noq, `"a,b"`, -1, []string{`"a`, `b"`}, false},
		{tab, "a\tb,c\t\"d\"", -1, []string{"a", "b,c", "d"}, false},
		{def, "日本,語", -1, []string{"日本", "語"}, false},
	}
	for _, c := range cases {
		got, err := split(t, c.cfg, c.rec, c.n)
		if c.err {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("Split(%q) err = %v, want ParseError", c.rec, err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("Split(%q, %d) = %q, %v; want %q", c.rec, c.n, got, err, c.want)
		}
	}
}

// TestSplitMatchesEncodingCSV compares with encoding/csv on random RFC 4180 records.
func TestSplitMatchesEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	sp := NewSplitter(DefaultConfig())
	alpha := []string{"a", "b", " ", ",", `"`, "é", "1"}
	for i := 0; i < 5000; i++ {
		nf := 1 + r.Intn(6)
		want := make([][]byte, nf)
		for k := range want {
			var sb strings.Builder
			for m := r.Intn(6); m > 0; m-- {
				sb.WriteString(alpha[r.Intn(len(alpha))])
			}
			want[k] = []byte(sb.String())
		}
		if nf == 1 && len(want[0]) == 0 {
			continue // an empty line has no fields
		}
		rec := AppendRecord(nil, DefaultConfig(), want...)
		got, err := sp.Split(rec, -1)
		if err != nil {
			t.Fatalf("Split(%q): %v", rec, err)
		}
		std := stdcsv.NewReader(bytes.NewReader(rec))
		std.LazyQuotes = false
		stdFields, stdErr := std.Read()
		if stdErr != nil {
			t.Fatalf("encoding/csv(%q): %v", rec, stdErr)
		}
		if len(got) != nf || len(stdFields) != nf {
			t.Fatalf("Split(%q) = %q, encoding/csv %q, want %q", rec, got, stdFields, want)
		}
		for k := range want {
			if !bytes.Equal(got[k], want[k]) || stdFields[k] != string(want[k]) {
				t.Fatalf("Split(%q)[%d] = %q, encoding/csv %q, want %q", rec, k, got[k], stdFields[k], want[k])
			}
		}
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Escape, cfg.HasEscape = '\\', true
	for _, noQuote := range []bool{false, true} {
		cfg.QuoteEnabled = !noQuote
		fields := [][]byte{[]byte(`a"b`), []byte(`c\d`), []byte("e,f"), []byte(" g "), []byte("")}
		rec := AppendRecord(nil, cfg, fields...)
		got, err := NewSplitter(cfg).Split(rec, -1)
		if err != nil || len(got) != len(fields) {
			t.Fatalf("quote=%v Split(%q) = %q, %v", cfg.QuoteEnabled, rec, got, err)
		}
		for i := range fields {
			if !bytes.Equal(got[i], fields[i]) {
				t.Errorf("quote=%v field %d = %q, want %q (record %q)", cfg.QuoteEnabled, i, got[i], fields[i], rec)
			}
		}
	}
}

func TestFieldsSurviveLaterScratchUse(t *testing.T) {
	sp := NewSplitter(DefaultConfig())
	got, err := sp.Split([]byte(`"a""1","b""2","c""3"`), -1)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[0]) != `a"1` || string(got[1]) != `b"2` || string(got[2]) != `c"3` {
		t.Errorf("fields = %q", got)
	}
}

type fakeOptions map[string]string

func (f fakeOptions) String(k string) string { return f[k] }
func (f fakeOptions) Bool(k string) bool     { return f[k] == "true" }
func (f fakeOptions) Has(k string) bool      { _, ok := f[k]; return ok }

func TestConfigFrom(t *testing.T) {
	c := ConfigFrom(fakeOptions{
		"csv.field-delimiter": `\t`, "csv.ignore-parse-errors": "true", "csv.null-literal": "\\N",
		"csv.escape-character": `\\`, "csv.allow-comments": "true", "csv.quote-character": "'",
	})
	want := Config{Delim: '\t', Quote: '\'', QuoteEnabled: true, AllowComments: true, IgnoreParseErrors: true,
		NullLiteral: `\N`, HasNullLiteral: true, Escape: '\\', HasEscape: true}
	if c != want {
		t.Errorf("ConfigFrom = %+v\nwant %+v", c, want)
	}
	if c := ConfigFrom(fakeOptions{}); c != DefaultConfig() {
		t.Errorf("defaults = %+v", c)
	}
	if c := ConfigFrom(fakeOptions{"csv.field-delimiter": `\u0001`, "csv.disable-quote-character": "true"}); c.Delim != 1 || c.QuoteEnabled {
		t.Errorf("unicode delimiter = %+v", c)
	}
	sp := NewSplitter(want)
	if !sp.IsNull([]byte(`\N`)) || sp.IsNull(nil) || !sp.IsComment([]byte("# x")) || sp.IsComment([]byte("x#")) {
		t.Error("IsNull/IsComment")
	}
	if sp.Classify([]byte("")) != FieldValue || sp.Classify([]byte(`\N`)) != FieldNull {
		t.Error("Classify")
	}
	// An empty numeric field is a parse error, as in Flink.
	if _, ok := types.ParseInt64([]byte("")); ok {
		t.Error("empty int parsed")
	}
}

func TestSplitAllocs(t *testing.T) {
	sp := NewSplitter(DefaultConfig())
	rec := []byte(`1,"Beijing, CN","say ""hi""",42,3.5,2020-01-01 12:00:00`)
	sp.Split(rec, -1) // warm up the buffers
	n := testing.AllocsPerRun(100, func() {
		if _, err := sp.Split(rec, -1); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"a,b,c", `"a,b",c`, `"a""b"`, `"abc`, `a\,b`, `"a\"b"`, ",,", ""} {
		f.Add(s, byte(','), true, true)
	}
	f.Fuzz(func(t *testing.T, rec string, delim byte, quote, escape bool) {
		cfg := DefaultConfig()
		if delim != '"' && delim != '\\' && delim != 0 {
			cfg.Delim = delim
		}
		cfg.QuoteEnabled = quote
		if escape {
			cfg.Escape, cfg.HasEscape = '\\', true
		}
		sp := NewSplitter(cfg)
		fields, err := sp.Split([]byte(rec), -1)
		if err != nil {
			return
		}
		total := 0
		for _, fl := range fields {
			total += len(fl)
		}
		if total > len(rec) {
			t.Fatalf("fields longer than the record: %q -> %q", rec, fields)
		}
		// Re-encoding the fields and splitting again gives the same fields.
		if len(fields) == 1 && len(fields[0]) == 0 {
			return
		}
		if !cfg.QuoteEnabled && !cfg.HasEscape {
			return // nothing can protect a delimiter inside a field
		}
		enc := AppendRecord(nil, cfg, fields...)
		again, err := NewSplitter(cfg).Split(enc, -1)
		if err != nil {
			t.Fatalf("re-split %q (from %q): %v", enc, rec, err)
		}
		if len(again) != len(fields) {
			t.Fatalf("re-split %q = %q, want %q", enc, again, fields)
		}
		for i := range fields {
			if !bytes.Equal(again[i], fields[i]) {
				t.Fatalf("re-split %q = %q, want %q", enc, again, fields)
			}
		}
	})
}

var benchRec = []byte(`1001,"Beijing, CN",42,3.5,2020-01-01 12:00:00,some plain text,7`)

func BenchmarkSplit(b *testing.B) {
	sp := NewSplitter(DefaultConfig())
	b.SetBytes(int64(len(benchRec)))
	for i := 0; i < b.N; i++ {
		sp.Split(benchRec, -1)
	}
}

func BenchmarkSplitBaselineEncodingCSV(b *testing.B) {
	b.SetBytes(int64(len(benchRec)))
	for i := 0; i < b.N; i++ {
		r := stdcsv.NewReader(bytes.NewReader(benchRec))
		r.ReuseRecord = true
		r.Read()
	}
}

// BenchmarkSplitBaselineEncodingCSVStream reads many records with one reader, the
// fairest use of encoding/csv.
func BenchmarkSplitBaselineEncodingCSVStream(b *testing.B) {
	data := bytes.Repeat(append(append([]byte{}, benchRec...), '\n'), 1000)
	b.SetBytes(int64(len(benchRec)))
	r := stdcsv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	for i := 0; i < b.N; i++ {
		if _, err := r.Read(); err != nil {
			r = stdcsv.NewReader(bytes.NewReader(data))
			r.ReuseRecord = true
		}
	}
}

func TestUnescapeJava(t *testing.T) {
	cases := []struct{ in, want string }{{`\t`, "\t"}, {`\0`, "\x00"}, {`\001`, "\x01"}, {`\u0001`, "\x01"},
		{`\\`, `\`}, {`;`, ";"}, {`\|`, ""}, {`\u12`, ""}}
	for _, c := range cases {
		got, ok := UnescapeJava(c.in)
		if (c.want == "") == ok || got != c.want {
			t.Errorf("UnescapeJava(%q) = %q %v; want %q", c.in, got, ok, c.want)
		}
	}
	// A NUL delimiter is a real delimiter, not "use the default".
	cfg := DefaultConfig()
	cfg.Delim = 0
	got, err := NewSplitter(cfg).Split([]byte("a\x00b,c"), -1)
	if err != nil || len(got) != 2 || string(got[1]) != "b,c" {
		t.Errorf("NUL delimiter: %q %v", got, err)
	}
}
