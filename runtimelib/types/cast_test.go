package types

import (
	"bytes"
	"testing"
)

func TestFitChars(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		pad  bool
		want string
	}{
		{"abcdef", 3, false, "abc"},
		{"abcdef", 3, true, "abc"},
		{"ab", 3, false, "ab"},
		{"ab", 3, true, "ab "},
		{"", 2, true, "  "},
		{"", 0, true, ""},
		{"abc", 0, false, ""},
		{"abc", 3, true, "abc"},
		{"héllo", 2, false, "hé"}, // code points, not bytes
		{"hé", 4, true, "hé  "},
		{"a\U0001F600b", 2, false, "a\U0001F600"}, // a supplementary character counts one
		{"a\U0001F600", 3, true, "a\U0001F600 "},
	}
	for _, tc := range tests {
		if got := FitChars(tc.in, tc.n, tc.pad); got != tc.want {
			t.Errorf("FitChars(%q, %d, %v) = %q, want %q", tc.in, tc.n, tc.pad, got, tc.want)
		}
	}
}

func TestFitCharsUTF16(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		pad  bool
		want string
	}{
		{"abcdef", 3, false, "abc"},
		{"ab", 3, true, "ab "},
		{"héllo", 2, false, "hé"},
		{"a\U0001F600b", 3, false, "a\U0001F600"}, // two UTF-16 units
		{"a\U0001F600b", 2, false, "a?"},          // the pair cut in half
		{"\U0001F600", 1, true, "?"},
		{"a\U0001F600", 4, true, "a\U0001F600 "}, // pads to 4 units, not 4 characters
		{"a\U0001F600", 3, true, "a\U0001F600"},
		{"", 0, true, ""},
	}
	for _, tc := range tests {
		if got := FitCharsUTF16(tc.in, tc.n, tc.pad); got != tc.want {
			t.Errorf("FitCharsUTF16(%q, %d, %v) = %q, want %q", tc.in, tc.n, tc.pad, got, tc.want)
		}
	}
}

func TestFitBytes(t *testing.T) {
	tests := []struct {
		in   []byte
		n    int
		pad  bool
		want []byte
	}{
		{[]byte{1, 2, 3}, 2, false, []byte{1, 2}},
		{[]byte{1, 2, 3}, 2, true, []byte{1, 2}},
		{[]byte{1}, 3, false, []byte{1}},
		{[]byte{1}, 3, true, []byte{1, 0, 0}},
		{[]byte{}, 2, true, []byte{0, 0}},
		{[]byte{1, 2}, 0, true, []byte{}},
	}
	for _, tc := range tests {
		if got := FitBytes(tc.in, tc.n, tc.pad); !bytes.Equal(got, tc.want) {
			t.Errorf("FitBytes(%v, %d, %v) = %v, want %v", tc.in, tc.n, tc.pad, got, tc.want)
		}
	}
	// A cut result has no spare capacity: appending to it leaves the input alone.
	in := []byte{1, 2, 3}
	_ = append(FitBytes(in, 1, false), 9)
	if !bytes.Equal(in, []byte{1, 2, 3}) {
		t.Errorf("append to FitBytes result changed the input: %v", in)
	}
	// Padding copies.
	in = make([]byte, 1, 8)
	out := FitBytes(in, 3, true)
	out[0] = 7
	if in[0] != 0 {
		t.Error("FitBytes padding shares the input")
	}
}
