package difftest

import (
	"strings"
	"unicode"
)

// javaUpper is Java's String.toUpperCase(Locale.ROOT) for the tester's texts: the
// simple mapping plus SpecialCasing's unconditional expansions.
func javaUpper(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'ß':
			b.WriteString("SS")
		case 'ŉ':
			b.WriteString("ʼN")
		case 'ﬀ':
			b.WriteString("FF")
		case 'ﬁ':
			b.WriteString("FI")
		case 'ﬂ':
			b.WriteString("FL")
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// javaLower is Java's String.toLowerCase(Locale.ROOT): the simple mapping, İ to "i̇",
// and Σ to ς at the end of a word (the Final_Sigma condition).
func javaLower(s string) string {
	rs := []rune(s)
	var b strings.Builder
	cased := func(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }
	ignorable := func(r rune) bool {
		return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) || r == '\'' || r == '.' || r == ':' || r == '·'
	}
	for i, r := range rs {
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
			continue
		case 'Σ':
			before := false
			for j := i - 1; j >= 0; j-- {
				if ignorable(rs[j]) {
					continue
				}
				before = cased(rs[j])
				break
			}
			after := false
			for j := i + 1; j < len(rs); j++ {
				if ignorable(rs[j]) {
					continue
				}
				after = cased(rs[j])
				break
			}
			if before && !after {
				b.WriteRune('ς')
				continue
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
