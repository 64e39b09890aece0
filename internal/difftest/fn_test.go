package difftest

import (
	"math"
	"testing"
)

// TestReferenceBuiltins checks the reference evaluator's functions against results
// Java, Calcite and Flink document (the same values the runtime's unit tests use, found
// again here through the reference's own code).
func TestReferenceBuiltins(t *testing.T) {
	// java.util.Random(42): nextDouble 0.7275636800328681, nextInt(10) 0; Random(0):
	// 0.730967787376657.
	if got := newJavaRandom(42).nextDouble(); got != 0.7275636800328681 {
		t.Errorf("Random(42).nextDouble() = %v", got)
	}
	if got, _ := newJavaRandom(42).nextInt(10); got != 0 {
		t.Errorf("Random(42).nextInt(10) = %v", got)
	}
	if got := newJavaRandom(0).nextDouble(); got != 0.730967787376657 {
		t.Errorf("Random(0).nextDouble() = %v", got)
	}
	// Flink's docs: LPAD('hi', 4, '??') is '??hi', LPAD('hi', 1, '??') 'h', RPAD 'hi??'.
	for _, c := range []struct {
		s    string
		n    int64
		pad  string
		left bool
		want string
	}{{"hi", 4, "??", true, "??hi"}, {"hi", 1, "??", true, "h"}, {"hi", 4, "??", false, "hi??"}, {"😀", 1, "x", true, "?"}, {"a", 3, "😀", true, "😀a"}} {
		if got, _ := javaPad(c.s, c.n, c.pad, c.left); got != c.want {
			t.Errorf("pad(%q, %d, %q, %v) = %q, want %q", c.s, c.n, c.pad, c.left, got, c.want)
		}
	}
	// String.replaceAll: Java replaces the empty match after a match, and goes on one
	// UTF-16 unit after an empty match.
	for _, c := range [][4]string{
		{"foobar", "oo|ar", "", "fb"}, // Flink's docs
		{"baaac", "a*", "-", "-b--c-"},
		{"abc", "x*", "-", "-a-b-c-"},
		{"😀", "x*", "-", "-?-?-"},
		{"aXbX", "(?i)x", "_", "a_b_"},
	} {
		p, err := parseJavaRegex(c[1])
		if err != nil {
			t.Fatal(err)
		}
		if got := newMatcher(p, c[0]).replaceAll(c[2]); got != c[3] {
			t.Errorf("%q.replaceAll(%q, %q) = %q, want %q", c[0], c[1], c[2], got, c[3])
		}
	}
	// Flink's docs: REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2) is "bar".
	p, err := parseJavaRegex("foo(.*?)(bar)")
	if err != nil {
		t.Fatal(err)
	}
	m := newMatcher(p, "foothebar")
	if _, _, ok := m.find(0); !ok {
		t.Fatal("no match")
	}
	if g, ok := m.group(2); !ok || g != "bar" {
		t.Errorf("group 2 = %q, %v", g, ok)
	}
	for _, c := range []struct {
		s, pattern string
		esc        rune
		want       bool
	}{{"abc", "a%", 0, true}, {"abc", "a|b", 0, false}, {"b", "(a|b)", 0, true}, {"a%", "a!%", '!', true}, {"a\nb", "a%", 0, true}, {"a$", "a$", 0, true}} {
		j, err := similarToJava(c.pattern, c.esc)
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseJavaRegex(j)
		if err != nil {
			t.Fatalf("%q: %v", j, err)
		}
		if got := newMatcher(p, c.s).matches(); got != c.want {
			t.Errorf("%q SIMILAR TO %q = %v", c.s, c.pattern, got)
		}
	}
	if got := javaLog10(1e15); got != 15 {
		t.Errorf("log10(1e15) = %v", got)
	}
	if !math.IsNaN(javaPow(1, math.Inf(1))) {
		t.Error("pow(1, Infinity) must be NaN")
	}
	if got, _ := splitIndex("a,,b", ",", 1); got != "" {
		t.Errorf("splitIndex = %q", got)
	}
	if got := initcap("hELLO wORLD-3rd"); got != "Hello World-3rd" {
		t.Errorf("initcap = %q", got)
	}
	if got := instr("abcabc", "bc", -1, 2); got != 2 {
		t.Errorf("instr = %d", got)
	}
	if got, ok := parseURL("http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1", "QUERY", "k1", true); !ok || got != "v1" {
		t.Errorf("parseURL = %q, %v", got, ok)
	}
	if got, ok := javaBase64Decode("aGVsbG8gd29ybGQ="); !ok || got != "hello world" {
		t.Errorf("base64 = %q, %v", got, ok)
	}
}
