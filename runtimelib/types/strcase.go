package types

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Upper is Flink's UPPER: Java's String.toUpperCase() in the root (or English) locale.
// Java applies the full case mappings of Unicode's SpecialCasing.txt, so one code point
// may become several (ß -> SS, ﬁ -> FI, ŉ -> ʼN, ᾳ -> ΑΙ); every other code point takes
// its simple mapping, which is unicode.ToUpper. s is returned as is when nothing
// changes; ASCII input is one pass (and strings.ToUpper's fast path when it changes).
func Upper(s string) string {
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return upperSlow(s, i)
		}
		lower = lower || 'a' <= c && c <= 'z'
	}
	if !lower {
		return s
	}
	return strings.ToUpper(s)
}

func upperSlow(s string, from int) string {
	for _, r := range s[from:] {
		if r >= 0xDF {
			if _, ok := upperSpecial[r]; ok {
				var b strings.Builder
				b.Grow(len(s) + 8)
				for _, r := range s {
					if m, ok := upperSpecial[r]; ok {
						b.WriteString(m)
					} else {
						b.WriteRune(unicode.ToUpper(r))
					}
				}
				return b.String()
			}
		}
	}
	return strings.ToUpper(s)
}

// Lower is Flink's LOWER: Java's String.toLowerCase() in the root (or English) locale.
// It is the simple mapping (unicode.ToLower) except for the two conditions Java's
// ConditionalSpecialCasing applies outside Turkish, Azeri and Lithuanian: İ (U+0130)
// becomes "i̇" (i and U+0307 COMBINING DOT ABOVE), and Σ (U+03A3) becomes the final
// sigma ς when it ends a word (see finalSigma), σ otherwise. s is returned as is when
// nothing changes; ASCII input is one pass (and strings.ToLower's fast path when it
// changes).
func Lower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return lowerSlow(s)
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper {
		return s
	}
	return strings.ToLower(s)
}

func lowerSlow(s string) string {
	if !strings.Contains(s, "\u0130") && !strings.Contains(s, "\u03A3") {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	var words []int // word boundaries, computed at the first Σ
	for i, r := range s {
		switch r {
		case '\u0130':
			b.WriteString("i\u0307")
		case '\u03A3':
			if words == nil {
				words = wordBoundaries(s)
			}
			if finalSigma(s, i, words) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// finalSigma is Java's ConditionalSpecialCasing.isFinalCased for the Σ at byte i of s:
// within the word (as java.text.BreakIterator's word instance delimits it, see
// wordBoundaries) that holds the Σ, a cased character comes before it and none after.
func finalSigma(s string, i int, words []int) bool {
	start, end := 0, len(s)
	for _, w := range words {
		if w <= i {
			start = w
		} else {
			end = w
			break
		}
	}
	before := false
	for _, r := range s[start:i] {
		if javaCased(r) {
			before = true
			break
		}
	}
	if !before {
		return false
	}
	for _, r := range s[i+len("\u03A3") : end] {
		if javaCased(r) {
			return false
		}
	}
	return true
}

// javaCased is ConditionalSpecialCasing.isCased: a letter of category Lu, Ll or Lt, or
// one of the Other_Lowercase/Other_Uppercase ranges Java lists.
func javaCased(r rune) bool {
	switch {
	case unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt):
		return true
	case r >= 0x02B0 && r <= 0x02B8, r >= 0x02C0 && r <= 0x02C1, r >= 0x02E0 && r <= 0x02E4,
		r == 0x0345, r == 0x037A, r >= 0x1D2C && r <= 0x1D61, r >= 0x2160 && r <= 0x217F,
		r >= 0x24B6 && r <= 0x24E9:
		return true
	}
	return false
}

// wordBoundaries returns the byte offsets where the words of s start, as
// java.text.BreakIterator.getWordInstance() finds them with the JDK's default rules
// (sun.text.resources.BreakIteratorRules, "WordBreakRules"): a word is a run of
// letters (L, Mc, each with its Mn/Me marks; not kana or kanji) and numbers (N) that
// alternate freely; a dash, connector, apostrophe, quote, period, U+00AD or U+2027 may
// join two letters, an apostrophe, quote, comma, period or U+066B two digits; a number
// may have a currency sign, '#' or '.' before it and a '%', '&', '¢', U+066A, U+2030 or
// U+2031 after it. Format characters (Cf) other than the soft hyphen U+00AD (a joiner
// like the dash) are ignored: they belong to what precedes them. Anything else is a
// word of its own (with its marks); only words made of letters can hold a cased
// character, so those are the ones that must be exact.
//
// isFinalCased asks BreakIterator.isBoundary(i), which runs following(i-1): when a
// supplementary code point (two UTF-16 units) ends at i, i-1 is inside its surrogate
// pair and the JDK then reports a boundary at i, unless that code point starts the
// string. Those positions are boundaries here too. This was checked against JDK 17 on
// millions of random strings of letters, marks, digits, punctuation, emoji and
// supplementary letters.
func wordBoundaries(s string) []int {
	bounds := []int{0}
	for i := 0; i < len(s); {
		end := skipFormat(s, wordEnd(s, i))
		for j, r := range s[i:end] {
			if r > 0xFFFF && i+j > 0 && i+j+4 < end {
				bounds = append(bounds, i+j+4)
			}
		}
		i = end
		if i < len(s) {
			bounds = append(bounds, i)
		}
	}
	return bounds
}

// wordEnd returns the end of the word that starts at byte i of s.
func wordEnd(s string, i int) int {
	r, p := nextWordRune(s, i)
	const (
		preNum = iota // after a number prefix: only a digit continues
		letters
		digits
		danda // after a danda ending a run of letters: only a digit continues
	)
	var state int
	switch {
	case isWordLetter(r):
		state = letters
	case isWordDigit(r):
		state = digits
	case isPreNum(r):
		if r2, _ := nextWordRune(s, p); !isWordDigit(r2) {
			return skipMarks(s, p)
		}
		state = preNum
	default:
		return skipMarks(s, p)
	}
	p = skipMarks(s, p)
	for {
		r, q := nextWordRune(s, p)
		switch {
		case r < 0:
			return p
		case isWordLetter(r) && (state == letters || state == digits):
			state = letters
		case isWordDigit(r):
			state = digits
		case state == letters && isMidWord(r):
			if r2, q2 := nextWordRune(s, q); isWordLetter(r2) {
				q = q2
			} else {
				return p
			}
		case state == digits && isMidNum(r):
			if r2, q2 := nextWordRune(s, q); isWordDigit(r2) {
				q = q2
			} else {
				return p
			}
		case state == digits && isPostNum(r):
			return q // no marks after it: they are not part of the word
		case state == letters && (r == '\u0964' || r == '\u0965'):
			state = danda
			p = q
			continue
		default:
			return p
		}
		p = skipMarks(s, q)
	}
}

// nextWordRune returns the rune at or after byte i of s that is not a format character
// (-1 at the end) and the offset after it.
func nextWordRune(s string, i int) (rune, int) {
	i = skipFormat(s, i)
	if i >= len(s) {
		return -1, i
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return r, i + n
}

func skipFormat(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\u00AD' || !unicode.Is(unicode.Cf, r) {
			break
		}
		i += n
	}
	return i
}

// skipMarks skips the non-spacing and enclosing marks (and format characters) at i.
func skipMarks(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\u00AD' || !unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
			break
		}
		i += n
	}
	return i
}

func isWordLetter(r rune) bool {
	if !unicode.In(r, unicode.L, unicode.Mc) {
		return false
	}
	switch {
	case r == 0x3005, r >= 0x4E00 && r <= 0x9FA5, r >= 0xF900 && r <= 0xFA2D, // kanji
		r >= 0x30A1 && r <= 0x30FA, r == 0x30FD, r == 0x30FE, // katakana
		r >= 0x3041 && r <= 0x3094, r == 0x309D, r == 0x309E, // hiragana
		r >= 0x3099 && r <= 0x309C, r == 0x30FB, r == 0x30FC: // CJK diacritics
		return false
	}
	return true
}

func isWordDigit(r rune) bool { return r >= 0 && unicode.Is(unicode.N, r) }

func isMidWord(r rune) bool {
	return r == '"' || r == '\'' || r == '.' || r == '\u00AD' || r == '\u2027' ||
		unicode.In(r, unicode.Pd, unicode.Pc)
}

func isMidNum(r rune) bool {
	return r == '"' || r == '\'' || r == ',' || r == '.' || r == '\u066B'
}

func isPreNum(r rune) bool {
	return r == '#' || r == '.' || (r != '\u00A2' && r >= 0 && unicode.Is(unicode.Sc, r))
}

func isPostNum(r rune) bool {
	return r == '%' || r == '&' || r == '\u00A2' || r == '\u066A' || r == '\u2030' || r == '\u2031'
}

// upperSpecial holds the code points whose uppercase is more than one code point: the
// unconditional entries of Unicode's SpecialCasing.txt, which Java's
// Character.toUpperCaseCharArray applies. The table was checked against JDK 17's
// new String(Character.toChars(c)).toUpperCase(Locale.ROOT) for every code point c:
// these are exactly the code points where it differs from unicode.ToUpper (apart from
// characters added to Unicode after JDK 17's version 13.0).
var upperSpecial = map[rune]string{
	0x00DF: "SS",                 // ß
	0x0149: "\u02BCN",            // ŉ
	0x01F0: "J\u030C",            // ǰ
	0x0390: "\u0399\u0308\u0301", // ΐ
	0x03B0: "\u03A5\u0308\u0301", // ΰ
	0x0587: "\u0535\u0552",       // և
	0x1E96: "H\u0331",            // ẖ
	0x1E97: "T\u0308",            // ẗ
	0x1E98: "W\u030A",            // ẘ
	0x1E99: "Y\u030A",            // ẙ
	0x1E9A: "A\u02BE",            // ẚ
	0x1F50: "\u03A5\u0313",       // ὐ
	0x1F52: "\u03A5\u0313\u0300", // ὒ
	0x1F54: "\u03A5\u0313\u0301", // ὔ
	0x1F56: "\u03A5\u0313\u0342", // ὖ
	0x1F80: "\u1F08\u0399",       // ᾀ
	0x1F81: "\u1F09\u0399",       // ᾁ
	0x1F82: "\u1F0A\u0399",       // ᾂ
	0x1F83: "\u1F0B\u0399",       // ᾃ
	0x1F84: "\u1F0C\u0399",       // ᾄ
	0x1F85: "\u1F0D\u0399",       // ᾅ
	0x1F86: "\u1F0E\u0399",       // ᾆ
	0x1F87: "\u1F0F\u0399",       // ᾇ
	0x1F88: "\u1F08\u0399",       // ᾈ
	0x1F89: "\u1F09\u0399",       // ᾉ
	0x1F8A: "\u1F0A\u0399",       // ᾊ
	0x1F8B: "\u1F0B\u0399",       // ᾋ
	0x1F8C: "\u1F0C\u0399",       // ᾌ
	0x1F8D: "\u1F0D\u0399",       // ᾍ
	0x1F8E: "\u1F0E\u0399",       // ᾎ
	0x1F8F: "\u1F0F\u0399",       // ᾏ
	0x1F90: "\u1F28\u0399",       // ᾐ
	0x1F91: "\u1F29\u0399",       // ᾑ
	0x1F92: "\u1F2A\u0399",       // ᾒ
	0x1F93: "\u1F2B\u0399",       // ᾓ
	0x1F94: "\u1F2C\u0399",       // ᾔ
	0x1F95: "\u1F2D\u0399",       // ᾕ
	0x1F96: "\u1F2E\u0399",       // ᾖ
	0x1F97: "\u1F2F\u0399",       // ᾗ
	0x1F98: "\u1F28\u0399",       // ᾘ
	0x1F99: "\u1F29\u0399",       // ᾙ
	0x1F9A: "\u1F2A\u0399",       // ᾚ
	0x1F9B: "\u1F2B\u0399",       // ᾛ
	0x1F9C: "\u1F2C\u0399",       // ᾜ
	0x1F9D: "\u1F2D\u0399",       // ᾝ
	0x1F9E: "\u1F2E\u0399",       // ᾞ
	0x1F9F: "\u1F2F\u0399",       // ᾟ
	0x1FA0: "\u1F68\u0399",       // ᾠ
	0x1FA1: "\u1F69\u0399",       // ᾡ
	0x1FA2: "\u1F6A\u0399",       // ᾢ
	0x1FA3: "\u1F6B\u0399",       // ᾣ
	0x1FA4: "\u1F6C\u0399",       // ᾤ
	0x1FA5: "\u1F6D\u0399",       // ᾥ
	0x1FA6: "\u1F6E\u0399",       // ᾦ
	0x1FA7: "\u1F6F\u0399",       // ᾧ
	0x1FA8: "\u1F68\u0399",       // ᾨ
	0x1FA9: "\u1F69\u0399",       // ᾩ
	0x1FAA: "\u1F6A\u0399",       // ᾪ
	0x1FAB: "\u1F6B\u0399",       // ᾫ
	0x1FAC: "\u1F6C\u0399",       // ᾬ
	0x1FAD: "\u1F6D\u0399",       // ᾭ
	0x1FAE: "\u1F6E\u0399",       // ᾮ
	0x1FAF: "\u1F6F\u0399",       // ᾯ
	0x1FB2: "\u1FBA\u0399",       // ᾲ
	0x1FB3: "\u0391\u0399",       // ᾳ
	0x1FB4: "\u0386\u0399",       // ᾴ
	0x1FB6: "\u0391\u0342",       // ᾶ
	0x1FB7: "\u0391\u0342\u0399", // ᾷ
	0x1FBC: "\u0391\u0399",       // ᾼ
	0x1FC2: "\u1FCA\u0399",       // ῂ
	0x1FC3: "\u0397\u0399",       // ῃ
	0x1FC4: "\u0389\u0399",       // ῄ
	0x1FC6: "\u0397\u0342",       // ῆ
	0x1FC7: "\u0397\u0342\u0399", // ῇ
	0x1FCC: "\u0397\u0399",       // ῌ
	0x1FD2: "\u0399\u0308\u0300", // ῒ
	0x1FD3: "\u0399\u0308\u0301", // ΐ
	0x1FD6: "\u0399\u0342",       // ῖ
	0x1FD7: "\u0399\u0308\u0342", // ῗ
	0x1FE2: "\u03A5\u0308\u0300", // ῢ
	0x1FE3: "\u03A5\u0308\u0301", // ΰ
	0x1FE4: "\u03A1\u0313",       // ῤ
	0x1FE6: "\u03A5\u0342",       // ῦ
	0x1FE7: "\u03A5\u0308\u0342", // ῧ
	0x1FF2: "\u1FFA\u0399",       // ῲ
	0x1FF3: "\u03A9\u0399",       // ῳ
	0x1FF4: "\u038F\u0399",       // ῴ
	0x1FF6: "\u03A9\u0342",       // ῶ
	0x1FF7: "\u03A9\u0342\u0399", // ῷ
	0x1FFC: "\u03A9\u0399",       // ῼ
	0xFB00: "FF",                 // ﬀ
	0xFB01: "FI",                 // ﬁ
	0xFB02: "FL",                 // ﬂ
	0xFB03: "FFI",                // ﬃ
	0xFB04: "FFL",                // ﬄ
	0xFB05: "ST",                 // ﬅ
	0xFB06: "ST",                 // ﬆ
	0xFB13: "\u0544\u0546",       // ﬓ
	0xFB14: "\u0544\u0535",       // ﬔ
	0xFB15: "\u0544\u053B",       // ﬕ
	0xFB16: "\u054E\u0546",       // ﬖ
	0xFB17: "\u0544\u053D",       // ﬗ
}
