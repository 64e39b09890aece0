package csv

import (
	"bytes"
	"math/rand"
	"testing"
)

// checkSplitInto compares SplitInto with Split for every field count up to 6.
func checkSplitInto(t *testing.T, cfg Config, rec []byte) {
	t.Helper()
	for n := 0; n <= 6; n++ {
		want, werr := NewSplitter(cfg).Split(rec, n)
		var arr [6][]byte
		got, gerr := NewSplitter(cfg).SplitInto(rec, arr[:n])
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("SplitInto(%q, %d) err = %v, Split err = %v", rec, n, gerr, werr)
		}
		if werr != nil {
			continue
		}
		if got != len(want) {
			t.Fatalf("SplitInto(%q, %d) = %d fields %q, Split %q", rec, n, got, arr[:got], want)
		}
		for i := range want {
			if !bytes.Equal(arr[i], want[i]) {
				t.Fatalf("SplitInto(%q, %d) = %q, Split %q", rec, n, arr[:got], want)
			}
		}
	}
}

func TestSplitIntoMatchesSplit(t *testing.T) {
	def := DefaultConfig()
	esc := def
	esc.Escape, esc.HasEscape = '\\', true
	noq := def
	noq.QuoteEnabled = false
	tab := def
	tab.Delim = '\t'
	recs := []string{"a,b,c", "a,b", "a,,c", "a,b,", ",", ",,", "", "x", `"a,b",c`, `x,"a,b",c`,
		`"say ""hi""",x`, `""`, `"",""`, `a"b,c`, ` "a"`, `"abc`, `"a"b,c`, `x,"unterminated`,
		`a\,b,c`, `"a\"b",c`, `a\\b`, `ab\`, "a\tb,c\t\"d\"", "日本,語", "uuid,1.2.3.4,12,34",
		"uuid,1.2.3.4,12,34,extra", "uuid,1.2.3.4,slow", "a,b,c,d,e,f,g,h,"}
	for _, cfg := range []Config{def, esc, noq, tab} {
		for _, rec := range recs {
			checkSplitInto(t, cfg, []byte(rec))
		}
	}
	rnd := rand.New(rand.NewSource(1))
	const alphabet = `ab,,"\` + "\t"
	for i := 0; i < 20000; i++ {
		rec := make([]byte, rnd.Intn(12))
		for j := range rec {
			rec[j] = alphabet[rnd.Intn(len(alphabet))]
		}
		for _, cfg := range []Config{def, esc, noq, tab} {
			checkSplitInto(t, cfg, rec)
		}
	}
}

func TestSplitIntoAllocs(t *testing.T) {
	sp := NewSplitter(DefaultConfig())
	rec := []byte("82c103a3-76ee-d66c-42fe-f924d708086e,60.84.18.198,4024,5012309")
	allocs := testing.AllocsPerRun(100, func() {
		var fields [4][]byte
		if n, err := sp.SplitInto(rec, fields[:]); n != 4 || err != nil {
			t.Fatalf("SplitInto = %d, %v", n, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("SplitInto allocates %v times per record", allocs)
	}
}

// TestSplitRestCount checks the rest SplitRest leaves and CountFields's count of it,
// with Jackson's allowance of one blank field after the expected ones.
func TestSplitRestCount(t *testing.T) {
	quoted := DefaultConfig()
	esc := DefaultConfig()
	esc.Escape, esc.HasEscape = '\\', true
	for _, tc := range []struct {
		cfg   Config
		rec   string
		n     int // fields asked for
		arity int // fields of the table
		nf    int
		total int // nf + CountFields(rest, arity-n), or -1 for an error
	}{
		{quoted, "a,b,c,d", 4, 4, 4, 4},
		{quoted, "a,b,c,d,", 4, 4, 4, 4},        // one trailing empty field: allowed
		{quoted, "a,b,c,d, ", 4, 4, 4, 4},       // blank too
		{quoted, "a,b,c,d,,", 4, 4, 4, 6},       // two: too many
		{quoted, "a,b,c,d,e", 4, 4, 4, 5},       // too many
		{quoted, "a,b,c,d,\"e,f\"", 4, 4, 4, 5}, // a quoted extra field holds a delimiter
		{quoted, "a,b,c,d,\"e", 4, 4, 4, -1},    // broken quote in an unread field
		{quoted, "a,b", 4, 4, 2, 2},             // short
		{quoted, "garbage", 4, 4, 1, 1},
		{quoted, "a,b,c,d", 2, 4, 2, 4},       // the query reads two fields
		{quoted, "a,b,c,d,", 2, 4, 2, 4},      // ... with a trailing delimiter
		{quoted, "a,b,\"c,x\",d", 2, 4, 2, 4}, // a quoted unread field
		{quoted, "a,b,c,d,e", 2, 4, 2, 5},     // too many
		{quoted, "a,b,c", 2, 4, 2, 3},         // short in the unread part
		{quoted, "\"a\",b,c,d", 2, 4, 2, 4},   // slow path
		{quoted, "\"a\",b,c,d,e", 2, 4, 2, 5}, // slow path, too many
		{quoted, "a,", 2, 4, 2, 2},            // a trailing delimiter inside the fields read
		{esc, "a\\,b,c,d,e", 4, 4, 4, 4},      // an escaped delimiter
		{esc, "a,b,c\\,x,d", 2, 4, 2, 4},      // ... in the rest
		{esc, "a,b,c\\,x,d,e", 2, 4, 2, 5},
		{esc, "a,b,c,d,e", 2, 4, 2, 5},
	} {
		sp := NewSplitter(tc.cfg)
		fields := make([][]byte, tc.n)
		nf, rest, err := sp.SplitRest([]byte(tc.rec), fields)
		if err != nil {
			t.Errorf("SplitRest(%q): %v", tc.rec, err)
			continue
		}
		total := nf
		if rest != nil {
			k, err := sp.CountFields(rest, tc.arity-tc.n)
			if err != nil {
				total = -1
			} else {
				total += k
			}
		}
		if nf != tc.nf || total != tc.total {
			t.Errorf("%q (n=%d, arity=%d): nf=%d total=%d, want %d %d", tc.rec, tc.n, tc.arity, nf, total, tc.nf, tc.total)
		}
	}
}
