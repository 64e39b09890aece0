package types

import (
	"strings"
	"testing"
)

// javaCase holds what JDK 17 returns for s.toUpperCase(Locale.ROOT) and
// s.toLowerCase(Locale.ROOT) (identical to the no-argument forms in the en locale,
// which is how Flink calls them in BinaryStringData.toUpperCase/toLowerCase). The
// results were printed by a Java program, not derived from Upper/Lower. They cover the
// full mappings of SpecialCasing.txt (ß, ligatures, Greek with ypogegrammeni), İ's
// conditional lowercase, and the final sigma of ConditionalSpecialCasing.isFinalCased
// within the JDK's word boundaries (punctuation, digits, soft hyphen, danda, emoji,
// supplementary letters).
var javaCase = []struct{ in, upper, lower string }{
	{"", "", ""},
	{"hello World 123", "HELLO WORLD 123", "hello world 123"},
	{"straße", "STRASSE", "straße"},
	{"STRASSE", "STRASSE", "strasse"},
	{"ΣΑΣ", "ΣΑΣ", "σας"},
	{"ΟΔΥΣΣΕΥΣ", "ΟΔΥΣΣΕΥΣ", "οδυσσευς"},
	{"ΑΣ ΑΣ", "ΑΣ ΑΣ", "ας ας"},
	{"Σ", "Σ", "σ"},
	{"ΑΣ.Β", "ΑΣ.Β", "ασ.β"},
	{"ΑΣ-Β", "ΑΣ-Β", "ασ-β"},
	{"ΑΣ1", "ΑΣ1", "ας1"},
	{"Α1Σ", "Α1Σ", "α1ς"},
	{"ΑΣ1Β", "ΑΣ1Β", "ασ1β"},
	{"ΑΣ'", "ΑΣ'", "ας'"},
	{"ΑΣ\u00ADΒ", "ΑΣ\u00ADΒ", "ασ\u00ADβ"},
	{"ΑΣ\u200BΒ", "ΑΣ\u200BΒ", "ασ\u200Bβ"},
	{"ΑΣ\U0001F600", "ΑΣ\U0001F600", "ας\U0001F600"},
	{"Α\U0001F600Σ", "Α\U0001F600Σ", "α\U0001F600σ"},
	{"ΑΣ\U0001F600Β", "ΑΣ\U0001F600Β", "ας\U0001F600β"},
	{"x\U00010442Σ", "X\U0001041AΣ", "x\U00010442σ"},
	{"\U00010442Σ", "\U0001041AΣ", "\U00010442ς"},
	{"ΑΣ\U00010442", "ΑΣ\U0001041A", "ασ\U00010442"},
	{"Ⓐ Σ", "Ⓐ Σ", "ⓐ σ"},
	{"ⒶΣ", "ⒶΣ", "ⓐσ"},
	{"ⅠΣ", "ⅠΣ", "ⅰς"},
	{"ʰΣ", "ʰΣ", "ʰς"},
	{"\u0345Σ", "ΙΣ", "\u0345σ"},
	{"AΣ।", "AΣ।", "aς।"},
	{"AΣ।\u0345", "AΣ।Ι", "aς।\u0345"},
	{"AΣ1%", "AΣ1%", "aς1%"},
	{"$1Σ", "$1Σ", "$1σ"},
	{"İstanbul", "İSTANBUL", "i\u0307stanbul"},
	{"İ", "İ", "i\u0307"},
	{"ŉ", "ʼN", "ŉ"},
	{"ǰ", "J\u030C", "ǰ"},
	{"ﬁﬂﬀﬃﬄﬅﬆ", "FIFLFFFFIFFLSTST", "ﬁﬂﬀﬃﬄﬅﬆ"},
	{"ﬓ", "ՄՆ", "ﬓ"},
	{"և", "ԵՒ", "և"},
	{"ᾳ ᾼ ῳ", "ΑΙ ΑΙ ΩΙ", "ᾳ ᾳ ῳ"},
	{"ᾀ", "ἈΙ", "ᾀ"},
	{"ΐ", "Ι\u0308\u0301", "ΐ"},
	{"ẞß", "ẞSS", "ßß"},
	{"µ", "Μ", "µ"},
	{"ÿ", "Ÿ", "ÿ"},
	{"ǅǈǋ", "ǄǇǊ", "ǆǉǌ"},
	{"ı", "I", "ı"},
	{"ſ", "S", "ſ"},
	{"Ω K Å", "Ω K Å", "ω k å"},
	{"ẖẗẘẙẚ", "H\u0331T\u0308W\u030AY\u030AAʾ", "ẖẗẘẙẚ"},
	{"ᾷ", "Α\u0342Ι", "ᾷ"},
	{"アΣ", "アΣ", "アσ"},
	{"漢Σ", "漢Σ", "漢σ"},
	{"Привет Мир", "ПРИВЕТ МИР", "привет мир"},
	{"ÀÉÎÕÜ àéîõü", "ÀÉÎÕÜ ÀÉÎÕÜ", "àéîõü àéîõü"},
}

func TestUpperLowerJava(t *testing.T) {
	for _, c := range javaCase {
		if got := Upper(c.in); got != c.upper {
			t.Errorf("Upper(%+q) = %+q, Java gives %+q", c.in, got, c.upper)
		}
		if got := Lower(c.in); got != c.lower {
			t.Errorf("Lower(%+q) = %+q, Java gives %+q", c.in, got, c.lower)
		}
	}
}

// A string case mapping leaves unchanged is returned without allocating, ASCII or not.
func TestUpperLowerNoAlloc(t *testing.T) {
	for _, s := range []string{"ALREADY UPPER 123", "ΑΒΓ ÀÉ 😀", "STRASSE"} {
		if n := testing.AllocsPerRun(100, func() { _ = Upper(s) }); n != 0 {
			t.Errorf("Upper(%q) allocates %v times", s, n)
		}
	}
	for _, s := range []string{"already lower 123", "αβγ σας àé 😀", "i\u0307"} {
		if n := testing.AllocsPerRun(100, func() { _ = Lower(s) }); n != 0 {
			t.Errorf("Lower(%q) allocates %v times", s, n)
		}
	}
}

func BenchmarkUpperASCII(b *testing.B) {
	s := strings.Repeat("hello world ", 4)
	for b.Loop() {
		_ = Upper(s)
	}
}

func BenchmarkLowerGreek(b *testing.B) {
	s := strings.Repeat("ΟΔΥΣΣΕΥΣ ", 4)
	for b.Loop() {
		_ = Lower(s)
	}
}
