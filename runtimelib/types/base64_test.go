package types

import (
	"bytes"
	"encoding/base64"
	"math/rand"
	"testing"
)

func TestParseBase64(t *testing.T) {
	tests := []struct {
		in   string
		want []byte // nil: not base64
	}{
		{"", []byte{}},
		{"   ", []byte{}},
		{"aGk=", []byte("hi")},
		{"soQ=", []byte{0xb2, 0x84}},
		{"CvA=", []byte{0x0a, 0xf0}},
		{"AAEC", []byte{0, 1, 2}},
		{"/w==", []byte{0xff}},
		{"+/+/", []byte{0xfb, 0xff, 0xbf}},
		{" aGk= ", []byte("hi")},          // trimmed, as Java's String.trim
		{"aGk=\taGk=", []byte("hihi")},    // white space between units
		{"aGk=aGk=", []byte("hihi")},      // a padded unit may be followed by another
		{"/x==", []byte{0xff}},            // unused low bits are ignored
		{"aGk", nil},                      // padding is required
		{"aG", nil},                       // a unit needs its padding
		{"a", nil},                        // a lone character
		{"aG=k", nil},                     // data after padding in a unit
		{"=aGk", nil},                     // padding first
		{"aGk==", nil},                    // a stray padding character
		{"aG k=", nil},                    // white space inside a unit
		{"aGk-", nil},                     // the URL alphabet is not the standard one
		{"aGk_", nil},                     //
		{"é===", nil},                     // non-ASCII
		{"AAECA", nil},                    // a lone character after a unit
		{"\x00AAEC\x01", []byte{0, 1, 2}}, // Java's trim removes control bytes too
	}
	for _, tc := range tests {
		got, ok := ParseBase64([]byte(tc.in))
		if ok != (tc.want != nil) || !bytes.Equal(got, tc.want) {
			t.Errorf("ParseBase64(%q) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
}

// TestParseBase64Roundtrip decodes what encoding/base64 encodes, and checks the result
// is a copy, not a view into the field.
func TestParseBase64Roundtrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 200; n++ {
		want := make([]byte, r.Intn(40))
		r.Read(want)
		field := []byte(base64.StdEncoding.EncodeToString(want))
		got, ok := ParseBase64(field)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("ParseBase64(%q) = %v, %v; want %v", field, got, ok, want)
		}
		for i := range field {
			field[i] = 'A'
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("ParseBase64 returned a view into its input")
		}
	}
}

func TestCastBytesToString(t *testing.T) {
	const r = "\uFFFD"
	tests := []struct{ in, want string }{
		{"", ""},
		{"h\xc3\xa9", "hé"},
		{"\xf0\x9f\x98\x80", "\U0001F600"},
		{"\xff", r},
		{"a\x80b", "a" + r + "b"},
		{"\xc3", r},                         // truncated at the end
		{"\xc3a", r + "a"},                  //
		{"\xc0\x80", r + r},                 // overlong lead bytes are single bytes
		{"\xe2\x82", r},                     // a truncated 3-byte sequence is one
		{"\xe2\x82a", r + "a"},              //
		{"\xe0\x80\x80", r + r + r},         // overlong: E0 takes A0..BF next
		{"\xed\xa0\x80", r},                 // an encoded surrogate is one (Java)
		{"\xed\xa0", r},                     //
		{"\xf0\x9f\x98", r},                 // truncated 4-byte sequence
		{"\xf0\x9f\x98a", r + "a"},          //
		{"\xf0\x80\x80\x80", r + r + r + r}, // overlong: F0 takes 90..BF next
		{"\xf4\x90\x80\x80", r + r + r + r}, // above U+10FFFF
		{"\xf5\x80", r + r},
	}
	for _, tc := range tests {
		if got := CastBytesToString([]byte(tc.in)); got != tc.want {
			t.Errorf("CastBytesToString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
