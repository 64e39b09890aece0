package json

import (
	stdjson "encoding/json"
	"strings"
	"testing"
)

func must(b []byte, _ bool) []byte { return b }

// TestScanStringEveryOffset puts each kind of special byte at every offset of a string
// value, so that the eight-bytes-at-a-time loop of scanString meets it in every lane and
// in the byte-wise tail, and compares with encoding/json.
func TestScanStringEveryOffset(t *testing.T) {
	specials := []string{`\"`, `\\`, `\n`, `\u00e9`, "\x01", "\x1f", "é", "日本", `"`, "\x7f", " "}
	for _, sp := range specials {
		for off := 0; off <= 20; off++ {
			for tail := 0; tail <= 9; tail++ {
				content := strings.Repeat("a", off) + sp + strings.Repeat("b", tail)
				rec := []byte(`{"k":"` + content + `","n":1}`)
				var want map[string]any
				wantErr := stdjson.Unmarshal(rec, &want) != nil
				var s Scanner
				gotErr := s.Reset(rec) != nil
				var text string
				members := 0
				for !gotErr && s.Next() {
					members++
					if string(s.Key()) == "k" {
						b, ok := s.Text(nil)
						if !ok {
							t.Fatalf("%q: Text not ok", rec)
						}
						text = string(b)
					}
				}
				gotErr = gotErr || s.Err() != nil
				if gotErr != wantErr {
					t.Fatalf("%q: scanner error %v, encoding/json error %v", rec, s.Err(), wantErr)
				}
				if wantErr {
					continue
				}
				if members != 2 || text != want["k"] {
					t.Fatalf("%q: %d members, k = %q; want 2, %q", rec, members, text, want["k"])
				}
			}
		}
	}
}

// Scanner.Text returns a view for a plain string and decodes anything else as Text does.
func TestScannerText(t *testing.T) {
	rec := []byte(`{"a":"plain","b":"esc\"aped","c":12,"d":null,"e":{"x":[1]},"f":true}`)
	want := map[string]string{"a": "plain", "b": `esc"aped`, "c": "12", "e": `{"x":[1]}`, "f": "true"}
	var s Scanner
	if err := s.Reset(rec); err != nil {
		t.Fatal(err)
	}
	for s.Next() {
		got, ok := s.Text(nil)
		w, has := want[string(s.Key())]
		if ok != has || string(got) != w {
			t.Errorf("%s: Text = %q, %v; want %q, %v", s.Key(), got, ok, w, has)
		}
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
}
