package json

import (
	"bytes"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// FuzzDecode runs a record through what a generated job does with a JSON record: one
// Scanner pass over its members, each decoded as every column type (also the members of
// a nested object, as a ROW column). Nothing may panic, and the heap allocated must
// stay in proportion to the record (FuzzScanner checks the scanner against
// encoding/json).
//
//	go test ./runtimelib/json -run '^$' -fuzz '^FuzzDecode$' -fuzztime 5m
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":"x","c":null,"d":[1,{"e":2}],"f":{"g":true}}`, `{"a":1e400,"b":-0.0,"c":"\u00e9\ud83d\ude00","d":"aGVsbG8="}`,
		`{"a":"2020-01-01T00:00:00.123Z","b":"2020-01-01 12:00:00","c":"12:34:56","d":"2020-02-30"}`,
		`{"a":123456789012345678901234567890123456789e2147483647,"b":"\ud800"}`, `{"a":[}`, `{`, `{"a"`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecode)
}

// TestDecodeHuge runs FuzzDecode's check on records too big to be good fuzzing seeds
// (mutating them is slow).
func TestDecodeHuge(t *testing.T) {
	for _, rec := range [][]byte{
		[]byte(`{"a":` + string(bytes.Repeat([]byte("9"), 1<<20)) + `}`),        // a 1 MB number
		[]byte(`{"a":"` + string(bytes.Repeat([]byte(`\u00e9`), 1<<16)) + `"}`), // escapes to unescape
		[]byte(string(bytes.Repeat([]byte(`{"a":`), 1<<12)) + "1"),              // deep nesting
	} {
		checkDecode(t, rec)
	}
}

func checkDecode(t *testing.T, rec []byte) {
	allocated := gotest.AllocatedBytes(func() {
		s := NewScanner("a", "b", "c", "d", "e", "f", "g")
		scratch := make([]byte, 0, 64) // never a view of rec: the decoders append to it
		if s.Reset(rec) != nil {
			return
		}
		for s.Next() {
			v := s.Value()
			decodeAll(v, scratch)
			s.Int64()
			s.Text(scratch[:0])
			if len(v) > 0 && v[0] == '{' {
				var inner Scanner
				if inner.Reset(v) == nil {
					for inner.Next() {
						decodeAll(inner.Value(), scratch)
					}
				}
			}
		}
	})
	if limit := uint64(32*len(rec) + 256<<10); allocated > limit {
		t.Fatalf("decoding a %d-byte record allocated %d bytes (limit %d)", len(rec), allocated, limit)
	}
}

// decodeAll decodes a raw value as every column type, as generated code does.
func decodeAll(v []byte, scratch []byte) {
	IsNull(v)
	Int64(v)
	Int32(v)
	Int16(v)
	Int8(v)
	Float64(v)
	Float32(v)
	Bool(v)
	Decimal(v, 10, 2)
	Decimal(v, 38, 18)
	Timestamp(v, 3)
	Timestamp(v, 9)
	Date(v)
	Time(v)
	Bytes(v)
	String(v, scratch)
	Text(v, scratch)
}
