package types

import (
	"testing"
)

// TestJavaRegexMatches checks translated patterns against what java.util.regex finds
// (Matcher.find, group 0).
func TestJavaRegexMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       string // the first match; "<none>" for none
	}{
		{`foo(.*?)(bar)`, "foothebar", "foothebar"},
		{`a.c`, "a\nc abc", "abc"},    // '.' is not a line terminator
		{`a.c`, "a\rc", "<none>"},     // \r is one too, for Java
		{`(?s)a.c`, "a\nc", "a\nc"},   // DOTALL
		{`(?d)a.c`, "a\rc", "a\rc"},   // UNIX_LINES: only \n ends a line
		{`\s+`, "a\x0b\tb", "\x0b\t"}, // Java's \s has \x0B
		{`(?i)straSSe`, "STRASSE", "STRASSE"},
		{`(?i)é`, "É", "<none>"},       // CASE_INSENSITIVE folds ASCII only
		{`(?iu)é`, "É", "É"},           // with UNICODE_CASE, Unicode
		{`[a-d[x-z]]+`, "bycq", "byc"}, // a nested class is a union
		{`[a-z&&[^aeiou]]+`, "bcdea", "bcd"},
		{`\p{Alpha}+`, "éab1", "ab"}, // POSIX classes are ASCII
		{`\p{L}+`, "1éab", "éab"},
		{`\p{IsGreek}+`, "aΣΑΣb", "ΣΑΣ"},
		{`\P{Digit}+`, "12ab3", "ab"},
		{`[^\d]`, "12a", "a"},
		{`\x41\u0042\0103\x{44}`, "ABCD", "ABCD"},
		{`\uD83D\uDE00`, "x😀", "😀"},
		{`\Qa.b\E`, "axb a.b", "a.b"},
		{`a{2,3}`, "aaaa", "aaa"},
		{`a{2,3}?`, "aaaa", "aa"},
		{`(?x) a b # comment`, "ab", "ab"},
		{`c$`, "abc\n", "c\n"}, // $ before a final terminator: consumed here
		{`c$`, "abc", "c"},
		{`^b`, "ab", "<none>"},
		{`(?m)^b`, "a\nb", "b"},
		{`(?<year>\d{4})-`, "in 2024-01", "2024-"},
		{`[]a]+`, "]a]b", "]a]"}, // a leading ']' is literal
		{`\\d`, `a\d`, `\d`},
		{`\t|\e`, "\x1b", "\x1b"},
		{`\cA`, "\x01", "\x01"},
		{`[\w&&[^_]]+`, "_ab_", "ab"},
	} {
		re, err := CompileJavaRegex(c.pattern, false)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		got := "<none>"
		if m := re.Go().FindString(c.s); re.Go().MatchString(c.s) {
			got = m
		}
		if got != c.want {
			t.Errorf("%q on %q: found %q, want %q (Go: %s)", c.pattern, c.s, got, c.want, re.Go())
		}
	}
}

func TestJavaRegexErrors(t *testing.T) {
	for _, p := range []string{`(a`, `a)`, `*a`, `a{2`, `a{3,2}`, `[a`, `\y`, `\p{Nope}`, `a{`, `(?<1a>x)`, `[b-a]`, `\x4`, `(?Q)`} {
		if _, err := CompileJavaRegex(p, false); err == nil || IsUnsupportedRegex(err) {
			t.Errorf("%q: err = %v, want invalid", p, err)
		}
	}
	for _, p := range []string{`(a)\1`, `a(?=b)`, `a(?!b)`, `(?<=a)b`, `(?<!a)b`, `(?>a)`, `a*+`, `\G`, `\p{InGreek}`, `a{1001}`, `\k<x>`, `(?U)\w`, `\X`} {
		if _, err := CompileJavaRegex(p, false); !IsUnsupportedRegex(err) {
			t.Errorf("%q: err = %v, want unsupported", p, err)
		}
	}
}

func TestRegexFunctions(t *testing.T) {
	// Flink's docs: REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2) is "bar".
	re := MustJavaRegex(`foo(.*?)(bar)`, false)
	for i, want := range map[int32]string{0: "foothebar", 1: "the", 2: "bar"} {
		if got, ok := re.Extract("foothebar", i); !ok || got != want {
			t.Errorf("Extract(%d) = %q, %v, want %q", i, got, ok, want)
		}
	}
	for _, i := range []int32{3, -1} {
		if _, ok := re.Extract("foothebar", i); ok {
			t.Errorf("Extract(%d) must be NULL (no such group)", i)
		}
	}
	if _, ok := re.Extract("nothing", 0); ok {
		t.Error("Extract without a match must be NULL")
	}
	if _, ok := MustJavaRegex(`a|(b)`, false).Extract("a", 1); ok {
		t.Error("Extract of a group that took no part must be NULL")
	}
	// Flink's docs: REGEXP_REPLACE('foobar', 'oo|ar', '') is "fb".
	for _, c := range [][4]string{
		{"foobar", "oo|ar", "", "fb"},
		{"baaac", "a*", "-", "-b--c-"}, // Java replaces the empty match after "aaa" too
		{"abc", "x*", "-", "-a-b-c-"},
		{"a.b", `\.`, "$1\\", "a$1\\b"}, // the replacement is literal
		{"aaa", "a", "bb", "bbbbbb"},
		{"😀", "x*", "-", "-?-?-"}, // Java goes on between the surrogates
		{"ab", "b*", "-", "-a--"},
		{"ab ab", `\b`, "|", "|ab| |ab|"},
		{"a😀", `\b`, "|", "|a|😀"}, // no boundary between the halves of 😀
		{"😀x", "", "-", "-?-?-x-"},
	} {
		if got := MustJavaRegex(c[1], false).ReplaceAll(c[0], c[2]); got != c[3] {
			t.Errorf("ReplaceAll(%q, %q, %q) = %q, want %q", c[0], c[1], c[2], got, c[3])
		}
	}
	// Row patterns: invalid is FALSE / NULL, unsupported an error.
	if ok, err := Regexp("abc", "b"); !ok || err != nil {
		t.Errorf("Regexp = %v, %v", ok, err)
	}
	if ok, err := Regexp("abc", ""); ok || err != nil {
		t.Errorf("Regexp with an empty pattern = %v, %v, want FALSE", ok, err)
	}
	if ok, err := Regexp("abc", "(b"); ok || err != nil {
		t.Errorf("Regexp with an invalid pattern = %v, %v, want FALSE", ok, err)
	}
	if _, err := Regexp("abc", "(?=b)"); !IsUnsupportedRegex(err) {
		t.Errorf("Regexp with lookahead: err = %v", err)
	}
	if _, ok, err := RegexpExtract("abc", "(b", 0); ok || err != nil {
		t.Errorf("RegexpExtract with an invalid pattern: %v, %v", ok, err)
	}
	if _, ok, err := RegexpReplace("abc", "[", "x"); ok || err != nil {
		t.Errorf("RegexpReplace with an invalid pattern: %v, %v", ok, err)
	}
	if v, ok, err := RegexpReplace("abc", "b", "x"); v != "axc" || !ok || err != nil {
		t.Errorf("RegexpReplace = %q, %v, %v", v, ok, err)
	}
}

func TestSimilarTo(t *testing.T) {
	for _, c := range []struct {
		s, pattern string
		escape     rune
		want       bool
	}{
		{"abc", "abc", 0, true},
		{"abc", "a%", 0, true},
		{"abc", "_b_", 0, true},
		{"abc", "a|b", 0, false}, // the whole string must match
		{"b", "a|b", 0, true},
		{"abab", "(ab)*", 0, true},
		{"abd", "ab[c-e]", 0, true},
		{"abf", "ab[c-e]", 0, false},
		{"a1", "a[[:DIGIT:]]", 0, true},
		{"a%", `a\%`, '\\', true},
		{"ab", `a\%`, '\\', false},
		{"a$", "a$", 0, true}, // $ is literal in SQL
		{"a\\b", `a\b`, 0, true},
		{"a\nb", "a%", 0, true},
		{"xyz", "x.z", 0, true}, // '.' passes through as Java's any character
		{"aaa", "a{2,3}", 0, true},
	} {
		got, err := SimilarTo(c.s, c.pattern, c.escape)
		if err != nil || got != c.want {
			j, _ := SimilarToJava(c.pattern, c.escape)
			t.Errorf("%q SIMILAR TO %q = %v, %v, want %v (Java %q)", c.s, c.pattern, got, err, c.want, j)
		}
	}
	for _, p := range []string{"a]", "[a", "[%]"} {
		if _, err := SimilarTo("a", p, 0); err == nil {
			t.Errorf("SIMILAR TO %q must fail", p)
		}
	}
	if _, err := SimilarTo("a", "a!", '!'); err == nil {
		t.Error("a trailing escape must fail")
	}
}
