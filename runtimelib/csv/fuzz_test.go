package csv

import (
	"bytes"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// FuzzDecode runs a record through what a generated job does with a CSV record: split
// it (Split, and SplitInto into a fixed array, which must agree), classify each field,
// and parse it as every column type. Nothing may panic, and the heap allocated must stay
// in proportion to the record: a bad or huge field is a parse error, never a giant
// allocation.
//
//	go test ./runtimelib/csv -run '^$' -fuzz '^FuzzDecode$' -fuzztime 5m
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"1,Beijing,42,3.5,2020-01-01 12:00:00", `"a,b","c""d",,\N`, "x", "", ",,,", `"unclosed`,
		"9223372036854775808,-0.0,NaN,1e400,1e-400,0x1F,true,FALSE,12:34:56.789",
		"1e2147483647,99999999999999999999999999999999999999.99,-.5e-7,2020-02-30,23:59:60",
		"2020-01-01T00:00:00.123456789Z,+inf,aGVsbG8=,YQ", `a\,b,"c\"d"`,
	} {
		f.Add([]byte(s), byte(','), byte(0b0011))
	}
	f.Fuzz(checkDecode)
}

// TestDecodeHuge runs FuzzDecode's check on records too big to be good fuzzing seeds
// (mutating them is slow).
func TestDecodeHuge(t *testing.T) {
	field := bytes.Repeat([]byte("9"), 1<<20)
	checkDecode(t, field, ',', 0b0001)                                               // a 1 MB field
	checkDecode(t, append(append([]byte(`"`), field...), `",1e5,x`...), ',', 0b1011) // quoted, then more fields
	checkDecode(t, bytes.Repeat([]byte(`\,`), 1<<18), ',', 0b0010)                   // a field of escapes
}

func checkDecode(t *testing.T, rec []byte, delim, flags byte) {
	cfg := DefaultConfig()
	if delim != '"' && delim != '\\' && delim != 0 && delim != '\n' {
		cfg.Delim = delim
	}
	cfg.QuoteEnabled = flags&1 != 0
	if flags&2 != 0 {
		cfg.Escape, cfg.HasEscape = '\\', true
	}
	if flags&4 != 0 {
		cfg.NullLiteral, cfg.HasNullLiteral = `\N`, true
	}
	n := -1
	if flags&8 != 0 {
		n = 3
	}
	// Outside the measured decode: a check of its own, which splits the record again.
	checkCount(t, cfg, rec)
	allocated := gotest.AllocatedBytes(func() {
		sp := NewSplitter(cfg)
		fields, err := sp.Split(rec, n)
		if err != nil {
			return
		}
		total := 0
		for _, field := range fields {
			total += len(field)
			if sp.Classify(field) == FieldNull {
				continue
			}
			parseAll(field)
		}
		if total > len(rec) {
			t.Fatalf("fields longer than the record: %q -> %q", rec, fields)
		}
		// SplitInto gives the same first fields.
		want := append([][]byte(nil), fields...)
		var arr [3][]byte
		got, err := NewSplitter(cfg).SplitInto(rec, arr[:])
		if err != nil {
			if len(want) > 3 {
				return // the error is in a field after the third, which Split did not reach either way
			}
			t.Fatalf("SplitInto(%q): %v, Split gave %q", rec, err, want)
		}
		if exp := min(len(want), 3); got != exp {
			t.Fatalf("SplitInto(%q) = %d fields, Split %d (%q)", rec, got, len(want), want)
		}
		for i := 0; i < got; i++ {
			if !bytes.Equal(arr[i], want[i]) {
				t.Fatalf("SplitInto(%q) field %d = %q, Split %q", rec, i, arr[i], want[i])
			}
		}
	})
	// A field costs a 24-byte slice header, and a record of delimiters has a field per
	// byte: Split's append grows a long slice by a quarter at a time (the headers it
	// allocates add up to about five times the last slice's) and the test copies the
	// fields once more, so each possible field is allowed 160 bytes besides the
	// record's own 32 per byte.
	fieldsAtMost := bytes.Count(rec, []byte{cfg.Delim}) + 1
	if limit := uint64(32*len(rec) + 160*fieldsAtMost + 256<<10); allocated > limit {
		t.Fatalf("decoding a %d-byte record allocated %d bytes (limit %d)", len(rec), allocated, limit)
	}
}

// checkCount checks that splitting the first k fields (SplitRest) and counting the rest
// (CountFields) finds the fields Split finds, and the same errors: how generated code
// checks a record's field count without splitting the fields it does not read.
func checkCount(t *testing.T, cfg Config, rec []byte) {
	all, allErr := NewSplitter(cfg).Split(rec, -1)
	for k := 0; k <= 3; k++ {
		sp := NewSplitter(cfg)
		arr := make([][]byte, k)
		nf, rest, err := sp.SplitRest(rec, arr)
		total := nf
		if err == nil && rest != nil {
			var c int
			c, err = sp.CountFields(rest, len(all)+5) // room to spare: no blank field is left out
			total += c
		}
		if (err != nil) != (allErr != nil) {
			t.Fatalf("%q, %d fields split: error %v, Split's %v", rec, k, err, allErr)
		}
		if err == nil && total != len(all) {
			t.Fatalf("%q, %d fields split: %d+rest %q = %d fields, Split finds %d", rec, k, nf, rest, total, len(all))
		}
	}
}

// parseAll parses a field as every column type, as generated code does.
func parseAll(b []byte) {
	if _, ok := types.ParseDigits(b); !ok {
		types.ParseInt64(b)
	}
	types.ParseInt32(b)
	types.ParseInt16(b)
	types.ParseInt8(b)
	types.ParseFloat64(b)
	types.ParseFloat32(b)
	types.ParseBool(b)
	types.ParseDecimal(b, 10, 2)
	types.ParseDecimal(b, 38, 18)
	types.ParseDecimal(b, 38, 0)
	types.ParseDate(b)
	types.ParseTime(b)
	types.ParseTimestamp(b, 3)
	types.ParseTimestamp(b, 9)
	types.ParseBase64(b)
}
