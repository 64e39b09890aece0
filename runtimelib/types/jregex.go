package types

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Java regular expressions (java.util.regex.Pattern, what Flink's REGEXP, REGEXP_EXTRACT,
// REGEXP_REPLACE and SIMILAR TO use) translated to Go's regexp (RE2). Both match
// leftmost-first, backtracking-style, so a translated pattern finds the same matches
// and groups; the syntax and the defaults differ, and the translation spells out what
// Java means:
//
//   - '.' excludes Java's line terminators \n \r U+0085 U+2028 U+2029 (only \n with
//     (?d), none with (?s)); \s is [ \t\n\x0B\f\r] (Go's \s lacks \x0B); \h \H \v \V \R
//     are spelled out; \uFFFF, \0ooo, \cX and \e become \x{...}.
//   - (?i) without (?u) folds ASCII letters only, as Java's CASE_INSENSITIVE does; with
//     (?u) it folds Unicode, as Go's (?i) does.
//   - Character classes are computed as sets of code points, so Java's nested classes
//     ([a-d[x-z]]), intersections ([a-z&&[^aeiou]]), POSIX properties (\p{Alpha} is
//     ASCII), Unicode categories and scripts (\p{Lu}, \p{IsGreek}) all translate.
//   - $ without (?m) is Java's "end of input, or before a final line terminator"; RE2 has
//     no lookahead, so the translation consumes that final terminator: a match's text,
//     and what REGEXP_REPLACE replaces, then include it (Java's would stop before it).
//
// Where RE2 cannot do what Java does, compiling fails with a *RegexError whose
// Unsupported is set: back-references (\1, \k<name>), lookaround ((?=, (?!, (?<=, (?<!),
// atomic groups (?>), possessive quantifiers (a*+), \G, \X, \N{...}, Unicode blocks
// (\p{InGreek}) and java... properties, (?U), and repetition counts above 1000.
// Differences that remain: \b and \B use ASCII word characters (Java's count every
// Unicode letter and digit), (?m)^ and (?m)$ know only \n as a line terminator.
// A pattern Java rejects is a *RegexError without Unsupported.

// RegexError is a Java pattern that does not compile: invalid in Java (Flink's functions
// then give NULL or FALSE), or, with Unsupported, valid in Java but beyond Go's regexp.
type RegexError struct {
	Pattern     string
	Msg         string
	Unsupported bool
}

func (e *RegexError) Error() string {
	if e.Unsupported {
		return fmt.Sprintf("regular expression %q: %s is not supported (Go's regexp, RE2)", e.Pattern, e.Msg)
	}
	return fmt.Sprintf("invalid regular expression %q: %s", e.Pattern, e.Msg)
}

// IsUnsupportedRegex reports a *RegexError that is valid Java beyond Go's regexp.
func IsUnsupportedRegex(err error) bool {
	var re *RegexError
	return errors.As(err, &re) && re.Unsupported
}

// TranslateJavaRegex returns Go regexp syntax matching what the Java pattern matches.
func TranslateJavaRegex(pattern string) (string, error) {
	t := &jrx{src: pattern, p: []rune(pattern)}
	t.flags = append(t.flags, jflags{})
	if err := t.alternation(0); err != nil {
		return "", err
	}
	if t.i < len(t.p) { // a ')' without its '('
		return "", t.invalid("unmatched closing ')'")
	}
	return t.out.String(), nil
}

// jflags are the Java flags in effect: CASE_INSENSITIVE, MULTILINE, DOTALL, UNIX_LINES,
// UNICODE_CASE, COMMENTS.
type jflags struct{ i, m, s, d, u, x bool }

type jrx struct {
	src   string
	p     []rune
	i     int
	out   strings.Builder
	flags []jflags // a stack: a group's flags end with the group
}

func (t *jrx) f() *jflags { return &t.flags[len(t.flags)-1] }

func (t *jrx) invalid(format string, args ...any) error {
	return &RegexError{Pattern: t.src, Msg: fmt.Sprintf(format, args...)}
}

func (t *jrx) unsupported(format string, args ...any) error {
	return &RegexError{Pattern: t.src, Msg: fmt.Sprintf(format, args...), Unsupported: true}
}

func (t *jrx) eof() bool { return t.i >= len(t.p) }

func (t *jrx) peek(k int) rune {
	if t.i+k < len(t.p) {
		return t.p[t.i+k]
	}
	return -1
}

// skipComments skips whitespace and #-comments in COMMENTS mode.
func (t *jrx) skipComments() {
	for t.f().x && !t.eof() {
		switch c := t.p[t.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\x0b' || c == '\f' || c == '\r':
			t.i++
		case c == '#':
			for !t.eof() && t.p[t.i] != '\n' {
				t.i++
			}
		default:
			return
		}
	}
}

// alternation translates a|b|... up to a ')' at depth > 0 or the end.
func (t *jrx) alternation(depth int) error {
	for {
		if err := t.sequence(depth); err != nil {
			return err
		}
		if t.eof() || t.p[t.i] != '|' {
			return nil
		}
		t.i++
		t.out.WriteByte('|')
	}
}

func (t *jrx) sequence(depth int) error {
	for {
		t.skipComments()
		if t.eof() {
			return nil
		}
		switch t.p[t.i] {
		case '|':
			return nil
		case ')':
			if depth == 0 {
				return t.invalid("unmatched closing ')'")
			}
			return nil
		case '*', '+', '?', '{':
			return t.invalid("dangling meta character '%c'", t.p[t.i])
		}
		quantifiable, err := t.atom(depth)
		if err != nil {
			return err
		}
		if quantifiable {
			if err := t.quantifier(); err != nil {
				return err
			}
		}
	}
}

// quantifier translates an optional quantifier after an atom.
func (t *jrx) quantifier() error {
	t.skipComments()
	if t.eof() {
		return nil
	}
	switch c := t.p[t.i]; c {
	case '*', '+', '?':
		t.i++
		t.out.WriteRune(c)
	case '{':
		j := t.i + 1
		lo, hi := -1, -1
		n, k := digits(t.p, j)
		if k == j {
			return t.invalid("illegal repetition")
		}
		lo, j = n, k
		hi = lo
		if j < len(t.p) && t.p[j] == ',' {
			j++
			hi = -1
			if n, k := digits(t.p, j); k > j {
				hi, j = n, k
			}
		}
		if j >= len(t.p) || t.p[j] != '}' {
			return t.invalid("unclosed counted closure")
		}
		if hi >= 0 && hi < lo {
			return t.invalid("illegal repetition range")
		}
		if lo > 1000 || hi > 1000 {
			return t.unsupported("a repetition count above 1000")
		}
		t.out.WriteString(string(t.p[t.i : j+1]))
		t.i = j + 1
	default:
		return nil
	}
	if !t.eof() {
		switch t.p[t.i] {
		case '?':
			t.i++
			t.out.WriteByte('?')
		case '+':
			return t.unsupported("a possessive quantifier")
		}
	}
	return nil
}

// digits reads a decimal number at p[i:] (capped to stay in int range), returning the
// index after it.
func digits(p []rune, i int) (int, int) {
	n := 0
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		n = min(n*10+int(p[i]-'0'), 1<<30)
		i++
	}
	return n, i
}

// atom translates one atom; it reports whether a quantifier may follow.
func (t *jrx) atom(depth int) (bool, error) {
	c := t.p[t.i]
	t.i++
	switch c {
	case '(':
		return true, t.group(depth)
	case '[':
		set, err := t.class()
		if err != nil {
			return false, err
		}
		t.out.WriteString(set.goClass())
	case '.':
		var set runeSet
		switch f := t.f(); {
		case f.s:
			set = runeSet{{0, unicode.MaxRune}}
		case f.d:
			set = runeSet{{'\n', '\n'}}.negate()
		default:
			set = lineTerminators.negate()
		}
		t.out.WriteString(set.goClass())
	case '^':
		if t.f().m {
			t.out.WriteString(`(?m:^)`)
		} else {
			t.out.WriteString(`^`)
		}
	case '$':
		t.out.WriteString(t.dollar())
	case '\\':
		return t.escape()
	default:
		t.literal(c)
	}
	return true, nil
}

var lineTerminators = runeSet{{'\n', '\n'}, {'\r', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}}

// dollar is $ (and \Z): end of input, or before a final line terminator.
func (t *jrx) dollar() string {
	switch f := t.f(); {
	case f.m:
		return `(?m:$)`
	case f.d:
		return `(?:\n?\z)`
	}
	return `(?:(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)`
}

// literal writes a literal character, folded as (?i) says.
func (t *jrx) literal(c rune) {
	f := t.f()
	switch {
	case f.i && f.u:
		t.out.WriteString("(?i:" + regexp.QuoteMeta(string(c)) + ")")
	case f.i && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
		t.out.WriteString(runeSet{{c, c}}.foldASCII().goClass())
	default:
		t.out.WriteString(regexp.QuoteMeta(string(c)))
	}
}

// group translates what follows a '(' up to and including its ')'.
func (t *jrx) group(depth int) error {
	t.flags = append(t.flags, *t.f())
	if t.peek(0) == '?' {
		t.i++
		switch c := t.peek(0); {
		case c == ':':
			t.i++
			t.out.WriteString("(?:")
		case c == '=' || c == '!':
			return t.unsupported("lookahead (?%c", c)
		case c == '>':
			return t.unsupported("an atomic group (?>")
		case c == '<' && (t.peek(1) == '=' || t.peek(1) == '!'):
			return t.unsupported("lookbehind (?<%c", t.peek(1))
		case c == '<':
			t.i++
			start := t.i
			for !t.eof() && (t.p[t.i] >= 'a' && t.p[t.i] <= 'z' || t.p[t.i] >= 'A' && t.p[t.i] <= 'Z' || t.i > start && t.p[t.i] >= '0' && t.p[t.i] <= '9') {
				t.i++
			}
			if t.i == start || t.eof() || t.p[t.i] != '>' {
				return t.invalid("named capturing group is missing trailing '>'")
			}
			t.out.WriteString("(?P<" + string(t.p[start:t.i]) + ">")
			t.i++
		default:
			// (?idmsux-idmsux) or (?idmsux-idmsux:X)
			on := true
			f := t.f()
			for {
				if t.eof() {
					return t.invalid("unknown inline modifier")
				}
				c := t.p[t.i]
				t.i++
				switch c {
				case 'i':
					f.i = on
				case 'm':
					f.m = on
				case 's':
					f.s = on
				case 'd':
					f.d = on
				case 'u':
					f.u = on
				case 'x':
					f.x = on
				case 'U':
					if on {
						return t.unsupported("(?U) (UNICODE_CHARACTER_CLASS)")
					}
				case '-':
					on = false
				case ')':
					// flags for the rest of the enclosing group
					inner := *f
					t.flags = t.flags[:len(t.flags)-1]
					*t.f() = inner
					return nil
				case ':':
					t.out.WriteString("(?:")
					return t.groupBody(depth)
				default:
					return t.invalid("unknown inline modifier")
				}
			}
		}
		return t.groupBody(depth)
	}
	t.out.WriteByte('(')
	return t.groupBody(depth)
}

func (t *jrx) groupBody(depth int) error {
	if err := t.alternation(depth + 1); err != nil {
		return err
	}
	if t.eof() {
		return t.invalid("unclosed group")
	}
	t.i++ // ')'
	t.out.WriteByte(')')
	t.flags = t.flags[:len(t.flags)-1]
	return nil
}

// escape translates what follows a '\' outside a class.
func (t *jrx) escape() (bool, error) {
	if t.eof() {
		return false, t.invalid("unexpected internal error (a trailing '\\')")
	}
	c := t.p[t.i]
	switch c {
	case 'b':
		t.i++
		t.out.WriteString(`\b`)
		return false, nil
	case 'B':
		t.i++
		t.out.WriteString(`\B`)
		return false, nil
	case 'A':
		t.i++
		t.out.WriteString(`\A`)
		return false, nil
	case 'z':
		t.i++
		t.out.WriteString(`\z`)
		return false, nil
	case 'Z':
		t.i++
		t.out.WriteString(t.dollar())
		return false, nil
	case 'G':
		return false, t.unsupported(`\G`)
	case 'X':
		return false, t.unsupported(`\X (grapheme clusters)`)
	case 'R':
		t.i++
		t.out.WriteString(`(?:\r\n|[\n\x0b\f\r\x{85}\x{2028}\x{2029}])`)
		return true, nil
	case 'k':
		return false, t.unsupported(`a back-reference \k<name>`)
	case 'Q':
		t.i++
		end := strings.Index(string(t.p[t.i:]), `\E`)
		var lit string
		if end < 0 {
			lit = string(t.p[t.i:])
			t.i = len(t.p)
		} else {
			lit = string(t.p[t.i:])[:end]
			t.i += utf8.RuneCountInString(lit) + 2
		}
		for _, r := range lit {
			t.literal(r)
		}
		return true, nil
	}
	if c >= '1' && c <= '9' {
		return false, t.unsupported(`a back-reference \%c`, c)
	}
	set, r, err := t.escapeItem(false)
	if err != nil {
		return false, err
	}
	if set != nil {
		t.out.WriteString(t.folded(set).goClass())
	} else {
		t.literal(r)
	}
	return true, nil
}

// escapeItem reads an escape (after the '\') that is a character class (set) or a
// character (r); inClass rejects what only stands outside classes.
func (t *jrx) escapeItem(inClass bool) (runeSet, rune, error) {
	c := t.p[t.i]
	t.i++
	switch c {
	case 'd':
		return runeSet{{'0', '9'}}, 0, nil
	case 'D':
		return runeSet{{'0', '9'}}.negate(), 0, nil
	case 'w':
		return wordSet, 0, nil
	case 'W':
		return wordSet.negate(), 0, nil
	case 's':
		return spaceSet, 0, nil
	case 'S':
		return spaceSet.negate(), 0, nil
	case 'h':
		return hspaceSet, 0, nil
	case 'H':
		return hspaceSet.negate(), 0, nil
	case 'v':
		return vspaceSet, 0, nil
	case 'V':
		return vspaceSet.negate(), 0, nil
	case 'p', 'P':
		set, err := t.property()
		if err != nil {
			return nil, 0, err
		}
		if c == 'P' {
			set = set.negate()
		}
		return set, 0, nil
	case 't':
		return nil, '\t', nil
	case 'n':
		return nil, '\n', nil
	case 'r':
		return nil, '\r', nil
	case 'f':
		return nil, '\f', nil
	case 'a':
		return nil, '\a', nil
	case 'e':
		return nil, 0x1b, nil
	case 'c':
		if t.eof() {
			return nil, 0, t.invalid("illegal control escape sequence")
		}
		t.i++
		return nil, t.p[t.i-1] ^ 64, nil
	case '0':
		// \0n, \0nn, \0mnn (m <= 3)
		v, k := 0, 0
		for k < 3 && !t.eof() && t.p[t.i] >= '0' && t.p[t.i] <= '7' && (k < 2 || v <= 037) {
			v = v*8 + int(t.p[t.i]-'0')
			t.i++
			k++
		}
		if k == 0 {
			return nil, 0, t.invalid("illegal octal escape sequence")
		}
		return nil, rune(v), nil
	case 'x':
		if t.peek(0) == '{' {
			end := strings.IndexRune(string(t.p[t.i:]), '}')
			if end < 0 {
				return nil, 0, t.invalid("unclosed hexadecimal escape sequence")
			}
			hexText := string(t.p[t.i+1 : t.i+end])
			v, err := strconv.ParseUint(hexText, 16, 32)
			if err != nil || hexText == "" || v > unicode.MaxRune {
				return nil, 0, t.invalid("illegal hexadecimal escape sequence")
			}
			t.i += end + 1
			return nil, rune(v), nil
		}
		return t.hexDigits(2)
	case 'u':
		_, r, err := t.hexDigits(4)
		if err != nil {
			return nil, 0, err
		}
		// a surrogate pair written as two \u escapes is one code point
		if r >= 0xd800 && r < 0xdc00 && t.peek(0) == '\\' && t.peek(1) == 'u' {
			save := t.i
			t.i += 2
			if _, lo, err := t.hexDigits(4); err == nil && lo >= 0xdc00 && lo <= 0xdfff {
				return nil, (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000, nil
			}
			t.i = save
		}
		return nil, r, nil
	case 'N':
		return nil, 0, t.unsupported(`\N{name}`)
	}
	switch {
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		return nil, 0, t.invalid(`illegal/unsupported escape sequence \%c`, c)
	case c >= '0' && c <= '9':
		return nil, 0, t.unsupported(`a back-reference \%c`, c)
	}
	return nil, c, nil
}

func (t *jrx) hexDigits(n int) (runeSet, rune, error) {
	if t.i+n > len(t.p) {
		return nil, 0, t.invalid("illegal hexadecimal escape sequence")
	}
	v, err := strconv.ParseUint(string(t.p[t.i:t.i+n]), 16, 32)
	if err != nil {
		return nil, 0, t.invalid("illegal hexadecimal escape sequence")
	}
	t.i += n
	return nil, rune(v), nil
}

var (
	wordSet   = runeSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	spaceSet  = runeSet{{'\t', '\r'}, {' ', ' '}}
	hspaceSet = runeSet{{'\t', '\t'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x180e, 0x180e}, {0x2000, 0x200a}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}}
	vspaceSet = runeSet{{'\n', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}}
)

// posixSets are Java's POSIX character classes, which are ASCII-only.
var posixSets = map[string]runeSet{
	"Lower":  {{'a', 'z'}},
	"Upper":  {{'A', 'Z'}},
	"ASCII":  {{0, 0x7f}},
	"Alpha":  {{'A', 'Z'}, {'a', 'z'}},
	"Digit":  {{'0', '9'}},
	"Alnum":  {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}},
	"Punct":  {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}},
	"Graph":  {{'!', '~'}},
	"Print":  {{' ', '~'}},
	"Blank":  {{' ', ' '}, {'\t', '\t'}},
	"Cntrl":  {{0, 0x1f}, {0x7f, 0x7f}},
	"XDigit": {{'0', '9'}, {'A', 'F'}, {'a', 'f'}},
	"Space":  {{'\t', '\r'}, {' ', ' '}},
}

// property reads the name of \p or \P (after the letter): {Name} or a one-letter name.
func (t *jrx) property() (runeSet, error) {
	var name string
	if t.peek(0) == '{' {
		end := strings.IndexRune(string(t.p[t.i:]), '}')
		if end < 0 {
			return nil, t.invalid("unclosed character family")
		}
		name = string(t.p[t.i+1 : t.i+end])
		t.i += end + 1
	} else {
		if t.eof() {
			return nil, t.invalid("illegal character family")
		}
		name = string(t.p[t.i])
		t.i++
	}
	if set, ok := posixSets[name]; ok {
		return set, nil
	}
	if name == "all" {
		return runeSet{{0, unicode.MaxRune}}, nil
	}
	key, value, hasKey := strings.Cut(name, "=")
	switch {
	case hasKey && (key == "gc" || key == "general_category"):
		name = value
	case hasKey && (key == "sc" || key == "script"):
		if tab := scriptNamed(value); tab != nil {
			return tableSet(tab), nil
		}
		return nil, t.invalid("unknown Unicode script %q", value)
	case hasKey && (key == "blk" || key == "block"):
		return nil, t.unsupported(`the Unicode block property \p{%s}`, name)
	case hasKey:
		return nil, t.invalid("unknown Unicode property {name=%q, value=%q}", key, value)
	case strings.HasPrefix(name, "In"):
		return nil, t.unsupported(`the Unicode block property \p{%s}`, name)
	case strings.HasPrefix(name, "java"):
		return nil, t.unsupported(`the property \p{%s}`, name)
	case strings.HasPrefix(name, "Is"):
		rest := name[2:]
		if tab, ok := unicode.Categories[rest]; ok {
			return tableSet(tab), nil
		}
		if tab := scriptNamed(rest); tab != nil {
			return tableSet(tab), nil
		}
		return nil, t.unsupported(`the property \p{%s}`, name)
	}
	if tab, ok := unicode.Categories[name]; ok {
		return tableSet(tab), nil
	}
	return nil, t.invalid("unknown character property name {%s}", name)
}

// scriptNamed is the script Java's Character.UnicodeScript.forName finds (case-insensitive).
func scriptNamed(name string) *unicode.RangeTable {
	for k, tab := range unicode.Scripts {
		if strings.EqualFold(k, name) {
			return tab
		}
	}
	return nil
}

// class translates a character class after its '['.
func (t *jrx) class() (runeSet, error) {
	neg := false
	if t.peek(0) == '^' {
		neg = true
		t.i++
	}
	set, err := t.classItems(true)
	if err != nil {
		return nil, err
	}
	if t.eof() {
		return nil, t.invalid("unclosed character class")
	}
	t.i++ // ']'
	set = t.folded(set)
	if neg {
		set = set.negate()
	}
	return set, nil
}

// classItems reads the items of a class up to (not including) its ']', with && binding
// loosest, as Java does.
func (t *jrx) classItems(first bool) (runeSet, error) {
	var set runeSet
	for {
		if t.f().x {
			t.skipComments()
		}
		if t.eof() {
			return nil, t.invalid("unclosed character class")
		}
		c := t.p[t.i]
		switch {
		case c == ']' && !first:
			return set, nil
		case c == '&' && t.peek(1) == '&':
			t.i += 2
			rest, err := t.classItems(false)
			if err != nil {
				return nil, err
			}
			return set.intersect(rest), nil
		case c == '[':
			t.i++
			inner, err := t.class()
			if err != nil {
				return nil, err
			}
			set = set.union(inner)
		default:
			lo, isSet, item, err := t.classAtom()
			if err != nil {
				return nil, err
			}
			if isSet {
				set = set.union(item)
				break
			}
			hi := lo
			if t.peek(0) == '-' && t.peek(1) != ']' && t.peek(1) != -1 && t.peek(1) != '[' {
				t.i++
				h, hset, _, err := t.classAtom()
				if err != nil {
					return nil, err
				}
				if hset {
					return nil, t.invalid("illegal character range")
				}
				if h < lo {
					return nil, t.invalid("illegal character range")
				}
				hi = h
			}
			set = set.union(runeSet{{lo, hi}})
		}
		first = false
	}
}

// classAtom reads one character or escape inside a class.
func (t *jrx) classAtom() (rune, bool, runeSet, error) {
	c := t.p[t.i]
	t.i++
	if c != '\\' {
		return c, false, nil, nil
	}
	if t.eof() {
		return 0, false, nil, t.invalid("unclosed character class")
	}
	switch t.p[t.i] {
	case 'Q':
		t.i++
		end := strings.Index(string(t.p[t.i:]), `\E`)
		if end < 0 {
			return 0, false, nil, t.invalid("unclosed character class")
		}
		var set runeSet
		for _, r := range string(t.p[t.i:])[:end] {
			set = set.union(runeSet{{r, r}})
		}
		t.i += utf8.RuneCountInString(string(t.p[t.i:])[:end]) + 2
		return 0, true, set, nil
	case 'b', 'B', 'A', 'z', 'Z', 'G', 'R', 'X', 'k':
		return 0, false, nil, t.invalid(`illegal/unsupported escape sequence \%c in a class`, t.p[t.i])
	}
	set, r, err := t.escapeItem(true)
	if err != nil {
		return 0, false, nil, err
	}
	if set != nil {
		return 0, true, set, nil
	}
	return r, false, nil, nil
}

// folded applies (?i) to a set.
func (t *jrx) folded(s runeSet) runeSet {
	switch f := t.f(); {
	case f.i && f.u:
		return s.foldUnicode()
	case f.i:
		return s.foldASCII()
	}
	return s
}

// runeSet is a set of code points: sorted, disjoint, non-adjacent ranges.
type runeSet [][2]rune

func (s runeSet) normalize() runeSet {
	s = append(runeSet(nil), s...) // never sort a shared set in place
	sort.Slice(s, func(i, j int) bool { return s[i][0] < s[j][0] })
	var out runeSet
	for _, r := range s {
		if n := len(out); n > 0 && r[0] <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

func (s runeSet) union(o runeSet) runeSet {
	return append(append(runeSet{}, s...), o...).normalize()
}

func (s runeSet) negate() runeSet {
	var out runeSet
	next := rune(0)
	for _, r := range s.normalize() {
		if r[0] > next {
			out = append(out, [2]rune{next, r[0] - 1})
		}
		next = r[1] + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, [2]rune{next, unicode.MaxRune})
	}
	return out
}

func (s runeSet) intersect(o runeSet) runeSet {
	return s.negate().union(o.negate()).negate()
}

// foldASCII adds the other case of every ASCII letter in s.
func (s runeSet) foldASCII() runeSet {
	out := append(runeSet{}, s...)
	for _, r := range s {
		for _, letters := range [][2]rune{{'a', 'z'}, {'A', 'Z'}} {
			lo, hi := max(r[0], letters[0]), min(r[1], letters[1])
			if lo <= hi {
				d := rune('a' - 'A')
				if letters[0] == 'a' {
					d = -d
				}
				out = append(out, [2]rune{lo + d, hi + d})
			}
		}
	}
	return out.normalize()
}

// foldUnicode adds the simple case folds of every code point in s.
func (s runeSet) foldUnicode() runeSet {
	out := append(runeSet{}, s...)
	for _, r := range s {
		for c := r[0]; c <= r[1] && c <= 0x1ffff; c++ {
			for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
				out = append(out, [2]rune{f, f})
			}
		}
	}
	return out.normalize()
}

func tableSet(tab *unicode.RangeTable) runeSet {
	var s runeSet
	for _, r := range tab.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, [2]rune{c, rune(r.Hi)})
				break
			}
			s = append(s, [2]rune{c, c})
		}
	}
	for _, r := range tab.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, [2]rune{c, rune(r.Hi)})
				break
			}
			s = append(s, [2]rune{c, c})
		}
	}
	return s.normalize()
}

// goClass renders the set as a Go character class.
func (s runeSet) goClass() string {
	if len(s) == 0 {
		return `[^\x00-\x{10FFFF}]`
	}
	var b strings.Builder
	b.WriteByte('[')
	for _, r := range s {
		b.WriteString(classRune(r[0]))
		if r[1] != r[0] {
			b.WriteByte('-')
			b.WriteString(classRune(r[1]))
		}
	}
	b.WriteByte(']')
	return b.String()
}

func classRune(r rune) string {
	if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
		return string(r)
	}
	return fmt.Sprintf(`\x{%x}`, r)
}

// JavaRegex is a compiled Java pattern.
type JavaRegex struct {
	re      *regexp.Regexp
	pattern string
	// after is the pattern after one consumed character, anchored: for REGEXP_REPLACE's
	// empty match right after a match (afterRegex).
	after *regexp.Regexp
	// pre skips to a literal every match holds (Find and Extract; regexlit.go).
	pre literalPrefilter
}

// CompileJavaRegex compiles a Java pattern (see TranslateJavaRegex); full makes it match
// whole strings only, as Pattern.matches does.
func CompileJavaRegex(pattern string, full bool) (*JavaRegex, error) {
	g, err := TranslateJavaRegex(pattern)
	if err != nil {
		return nil, err
	}
	if full {
		g = `\A(?:` + g + `)\z`
	}
	re, err := regexp.Compile(g)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) && (se.Code == syntax.ErrLarge || se.Code == syntax.ErrNestingDepth || se.Code == syntax.ErrInvalidRepeatSize) {
			return nil, &RegexError{Pattern: pattern, Msg: string(se.Code), Unsupported: true}
		}
		return nil, &RegexError{Pattern: pattern, Msg: strings.TrimPrefix(err.Error(), "error parsing regexp: ")}
	}
	r := &JavaRegex{re: re, pattern: pattern}
	if !full {
		if r.after, err = regexp.Compile(`\A(?s:.)(?:` + g + `)`); err != nil {
			return nil, &RegexError{Pattern: pattern, Msg: err.Error(), Unsupported: true}
		}
		r.pre = newLiteralPrefilter(g)
	}
	return r, nil
}

// MustJavaRegex is CompileJavaRegex for a pattern the compiler checked (a constant of
// the query); generated code calls it once, when the job starts.
func MustJavaRegex(pattern string, full bool) *JavaRegex {
	re, err := CompileJavaRegex(pattern, full)
	if err != nil {
		panic(err)
	}
	return re
}

// Go returns the Go regexp the pattern was translated to.
func (r *JavaRegex) Go() *regexp.Regexp { return r.re }
