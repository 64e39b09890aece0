package types

import (
	"testing"
)

func TestPad(t *testing.T) {
	for _, c := range []struct {
		left   bool
		s      string
		n      int32
		pad    string
		want   string
		wantOK bool
	}{
		// Flink's docs: LPAD('hi', 4, '??') is '??hi', LPAD('hi', 1, '??') is 'h';
		// RPAD('hi', 4, '??') is 'hi??', RPAD('hi', 1, '??') is 'h'.
		{true, "hi", 4, "??", "??hi", true},
		{true, "hi", 1, "??", "h", true},
		{false, "hi", 4, "??", "hi??", true},
		{false, "hi", 1, "??", "h", true},
		{true, "hi", 5, "ab", "abahi", true},  // the pad is repeated and cut
		{false, "hi", 5, "ab", "hiaba", true}, //
		{true, "hi", 0, "?", "", true},
		{true, "hi", -1, "?", "", false}, // NULL
		{false, "hi", 3, "", "", false},  // NULL: empty pad
		{true, "", 3, "é", "ééé", true},
		{true, "straße", 4, "x", "stra", true},
		// UTF-16 units: '😀' is two, and a cut pair leaves '?'
		{true, "😀", 1, "x", "?", true},
		{false, "a", 2, "😀", "a?", true},
		{true, "a", 3, "😀", "😀a", true},
	} {
		f := RPad
		if c.left {
			f = LPad
		}
		got, ok := f(c.s, c.n, c.pad)
		if got != c.want || ok != c.wantOK {
			t.Errorf("pad(left=%v, %q, %d, %q) = %q, %v; want %q, %v", c.left, c.s, c.n, c.pad, got, ok, c.want, c.wantOK)
		}
	}
}

func TestRepeatReplaceReverse(t *testing.T) {
	// Flink's docs: REPEAT('This is a test String.', 2)
	if got, err := Repeat("This is a test String.", 2); err != nil || got != "This is a test String.This is a test String." {
		t.Errorf("Repeat = %q, %v", got, err)
	}
	if got, err := Repeat("ab", -3); err != nil || got != "" {
		t.Errorf("Repeat(-3) = %q, %v", got, err)
	}
	if _, err := Repeat("ab", 1<<30); err != ErrRepeatTooLong {
		t.Errorf("Repeat of 2^31 characters: err = %v", err)
	}
	// Flink's docs: 'hello world'.replace('world', 'flink'), 'ababab'.replace('abab', 'z').
	for _, c := range [][4]string{
		{"hello world", "world", "flink", "hello flink"},
		{"ababab", "abab", "z", "zab"},
		{"abc", "", "-", "-a-b-c-"},
		{"é😀", "", "-", "-é-?-?-"},
		{"aaa", "a", "", ""},
	} {
		if got := Replace(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("Replace(%q, %q, %q) = %q, want %q", c[0], c[1], c[2], got, c[3])
		}
	}
	for s, want := range map[string]string{"": "", "abc": "cba", "straße": "eßarts", "😀x日": "日x😀"} {
		if got := Reverse(s); got != want {
			t.Errorf("Reverse(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLocateInstr(t *testing.T) {
	for _, c := range []struct {
		seek, s string
		from    int32
		want    int32
	}{
		{"b", "abcb", 1, 2},
		{"b", "abcb", 3, 4},
		{"b", "abcb", 5, 0},
		{"b", "abcb", -7, 2}, // before the start: from the start
		{"x", "abc", 1, 0},
		{"", "abc", 3, 1}, // an empty seek is at 1, whatever from is
		{"", "", 1, 1},
		{"ß", "straße", 1, 5}, // characters, not bytes
		{"e", "straße", 6, 6},
	} {
		if got := Locate(c.seek, c.s, c.from); got != c.want {
			t.Errorf("Locate(%q, %q, %d) = %d, want %d", c.seek, c.s, c.from, got, c.want)
		}
	}
	for _, c := range []struct {
		s, sub     string
		start, nth int32
		want       int32
	}{
		{"abcabc", "bc", 1, 1, 2},
		{"abcabc", "bc", 1, 2, 5},
		{"abcabc", "bc", 3, 1, 5},
		{"abcabc", "bc", 1, 3, 0},
		{"abcabc", "bc", 0, 1, 0},
		{"abcabc", "bc", -1, 1, 5}, // from the end
		{"abcabc", "bc", -1, 2, 2},
		{"abcabc", "bc", -3, 1, 2},
		{"ßaßa", "ßa", -1, 1, 3},
	} {
		got, err := Instr(c.s, c.sub, c.start, c.nth)
		if err != nil || got != c.want {
			t.Errorf("Instr(%q, %q, %d, %d) = %d, %v, want %d", c.s, c.sub, c.start, c.nth, got, err, c.want)
		}
	}
	if _, err := Instr("a", "a", 1, 0); err != ErrInstrNth {
		t.Errorf("Instr with nth 0: err = %v", err)
	}
}

func TestLeftRight(t *testing.T) {
	for _, c := range []struct {
		s          string
		n          int32
		left, righ string
	}{
		{"Hello", 2, "He", "lo"},
		{"Hello", 0, "", ""},
		{"Hello", -1, "", ""},
		{"Hello", 9, "Hello", "Hello"},
		{"straße", 2, "st", "ße"},
	} {
		if got := Left(c.s, c.n); got != c.left {
			t.Errorf("Left(%q, %d) = %q, want %q", c.s, c.n, got, c.left)
		}
		if got := Right(c.s, c.n); got != c.righ {
			t.Errorf("Right(%q, %d) = %q, want %q", c.s, c.n, got, c.righ)
		}
	}
}

func TestSplitIndex(t *testing.T) {
	for _, c := range []struct {
		s, sep string
		i      int32
		want   string
		ok     bool
	}{
		{"Jack,John,Mary", ",", 2, "Mary", true},
		{"Jack,John,Mary", ",", 3, "", false},
		{"Jack,John,Mary", ",", -1, "", false},
		{"a,,b", ",", 1, "", true}, // empty fields are kept
		{",a", ",", 0, "", true},
		{"a,", ",", 1, "", true},
		{"", ",", 0, "", false}, // no fields at all
		{"a::b::c", "::", 2, "c", true},
		{"aaa", "aa", 1, "a", true},
		{"a b\tc", "", 2, "c", true}, // an empty separator splits at whitespace
		{"a  b", "", 1, "", true},
		{"abc", "x", 0, "abc", true},
	} {
		got, ok := SplitIndex(c.s, c.sep, c.i)
		if got != c.want || ok != c.ok {
			t.Errorf("SplitIndex(%q, %q, %d) = %q, %v, want %q, %v", c.s, c.sep, c.i, got, ok, c.want, c.ok)
		}
	}
	if got, ok := SplitIndexChar("a,b,c", ',', 1); !ok || got != "b" {
		t.Errorf("SplitIndexChar = %q, %v", got, ok)
	}
	if _, ok := SplitIndexChar("a,b", 256, 0); ok {
		t.Error("SplitIndexChar with character 256 must be NULL")
	}
}

func TestSmallStringFunctions(t *testing.T) {
	for s, want := range map[string]string{
		"hello WORLD": "Hello World",
		"aBC1dE-fg":   "Abc1de-Fg",
		"1abc":        "1abc",    // a digit starts the word
		"éa élan":     "éA éLan", // non-ASCII letters separate words and are kept
		"":            "",
	} {
		if got := InitCap(s); got != want {
			t.Errorf("InitCap(%q) = %q, want %q", s, got, want)
		}
	}
	// Flink's docs: chr(97) is 'a', chr(353) is 'a'.
	for n, want := range map[int64]string{97: "a", 353: "a", 0: "\x00", 256: "\x00", -1: "", 233: "é"} {
		if got := Chr(n); got != want {
			t.Errorf("Chr(%d) = %q, want %q", n, got, want)
		}
	}
	// Flink's docs: ascii('abc') is 97. A non-ASCII first character gives its first
	// UTF-8 byte as a signed byte.
	for s, want := range map[string]int32{"abc": 97, "": 0, "é": -61} {
		if got := ASCII(s); got != want {
			t.Errorf("ASCII(%q) = %d, want %d", s, got, want)
		}
	}
	// Flink's docs: concat_ws('~', 'AA', Null(STRING), 'BB', '', 'CC') is "AA~BB~~CC".
	if got := ConcatWs("~", []string{"AA", "", "BB", "", "CC"}, []bool{false, true, false, false, false}); got != "AA~BB~~CC" {
		t.Errorf("ConcatWs = %q", got)
	}
	if got := ConcatWs("-", []string{"a", "b"}, nil); got != "a-b" {
		t.Errorf("ConcatWs = %q", got)
	}
}

func TestBase64AndHashes(t *testing.T) {
	// Flink's docs: TO_BASE64('hello world') is 'aGVsbG8gd29ybGQ=', and back.
	if got := ToBase64("hello world"); got != "aGVsbG8gd29ybGQ=" {
		t.Errorf("ToBase64 = %q", got)
	}
	for in, want := range map[string]string{
		"aGVsbG8gd29ybGQ=": "hello world",
		"aGVsbG8gd29ybGQ":  "hello world", // padding may be left out
		"YWI=":             "ab",
		"YQ==":             "a",
		"YQ":               "a",
		"":                 "",
	} {
		if got, ok := FromBase64(in); !ok || got != want {
			t.Errorf("FromBase64(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"YQ=", "Y", "YQ==YQ==", "YQ==x", "aGVs\nbG8=", "a b=", "=", "YWJj="} {
		if got, ok := FromBase64(in); ok {
			t.Errorf("FromBase64(%q) = %q, want an error (java.util.Base64 throws)", in, got)
		}
	}
	if got := MD5(""); got != "d41d8cd98f00b204e9800998ecf8427e" {
		t.Errorf("MD5 = %s", got)
	}
	if got := SHA1("abc"); got != "a9993e364706816aba3e25717850c26c9cd0d89d" {
		t.Errorf("SHA1 = %s", got)
	}
	if got := SHA256("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("SHA256 = %s", got)
	}
	if got := MD5("é"); got != "66ddcd97cfdeabb2f6fb8a999b4bc76f" { // md5sum of the bytes C3 A9
		t.Errorf("MD5 of é (its UTF-8 bytes) = %s", got)
	}
}
