package difftest

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A small java.util.regex, written for the reference evaluator from Java's Pattern and
// Matcher documentation: a backtracking matcher over the UTF-16 units of the text (a
// character is read with Character.codePointAt, so a search may start between the halves
// of a surrogate pair, as Java's does), leftmost, with Java's alternation and quantifier
// preferences. It knows the syntax the generator writes (genregex.go) and the SQL
// SIMILAR TO patterns, not all of Java's.

// rxNode is a node of a parsed pattern.
type rxNode struct {
	kind  rxKind
	cp    rune            // rxChar
	class func(rune) bool // rxClass
	kids  []*rxNode       // rxSeq, rxAlt, rxGroup (one kid), rxRepeat (one kid)
	min   int             // rxRepeat
	max   int             // rxRepeat; -1 for no limit
	lazy  bool            // rxRepeat
	group int             // rxGroup: capture number, 0 for a non-capturing group
	fold  bool            // rxChar: ASCII case-insensitive
}

type rxKind int

const (
	rxChar rxKind = iota
	rxClass
	rxSeq
	rxAlt
	rxGroup
	rxRepeat
	rxBegin // ^
	rxEnd   // $ (no MULTILINE): end, or before a final line terminator
)

// rxPattern is a compiled pattern.
type rxPattern struct {
	root   *rxNode
	groups int
}

// javaLineTerminator is a character '.' does not match (without DOTALL).
func javaLineTerminator(c rune) bool {
	return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029
}

// parseJavaRegex parses the Java patterns the generator writes.
func parseJavaRegex(p string) (*rxPattern, error) {
	ps := &rxParser{p: []rune(p)}
	if strings.HasPrefix(p, "(?i)") {
		ps.fold = true
		ps.i = 4
	}
	n, err := ps.alt()
	if err != nil {
		return nil, err
	}
	if ps.i < len(ps.p) {
		return nil, fmt.Errorf("unexpected %q", ps.p[ps.i])
	}
	return &rxPattern{root: n, groups: ps.groups}, nil
}

type rxParser struct {
	p      []rune
	i      int
	groups int
	fold   bool
}

func (ps *rxParser) alt() (*rxNode, error) {
	var alts []*rxNode
	for {
		s, err := ps.seq()
		if err != nil {
			return nil, err
		}
		alts = append(alts, s)
		if ps.i < len(ps.p) && ps.p[ps.i] == '|' {
			ps.i++
			continue
		}
		if len(alts) == 1 {
			return alts[0], nil
		}
		return &rxNode{kind: rxAlt, kids: alts}, nil
	}
}

func (ps *rxParser) seq() (*rxNode, error) {
	s := &rxNode{kind: rxSeq}
	for ps.i < len(ps.p) && ps.p[ps.i] != '|' && ps.p[ps.i] != ')' {
		a, err := ps.atom()
		if err != nil {
			return nil, err
		}
		a, err = ps.quant(a)
		if err != nil {
			return nil, err
		}
		s.kids = append(s.kids, a)
	}
	return s, nil
}

func (ps *rxParser) quant(a *rxNode) (*rxNode, error) {
	if ps.i >= len(ps.p) {
		return a, nil
	}
	r := &rxNode{kind: rxRepeat, kids: []*rxNode{a}}
	switch ps.p[ps.i] {
	case '*':
		r.min, r.max = 0, -1
	case '+':
		r.min, r.max = 1, -1
	case '?':
		r.min, r.max = 0, 1
	case '{':
		end := strings.IndexRune(string(ps.p[ps.i:]), '}')
		if end < 0 {
			return nil, fmt.Errorf("bad repetition")
		}
		body := string(ps.p[ps.i+1 : ps.i+utf8.RuneCountInString(string(ps.p[ps.i:])[:end])])
		lo, hi, comma := strings.Cut(body, ",")
		if _, err := fmt.Sscan(lo, &r.min); err != nil {
			return nil, fmt.Errorf("bad repetition")
		}
		r.max = r.min
		if comma {
			r.max = -1
			if hi != "" {
				if _, err := fmt.Sscan(hi, &r.max); err != nil {
					return nil, fmt.Errorf("bad repetition")
				}
			}
		}
		ps.i += utf8.RuneCountInString(string(ps.p[ps.i:])[:end])
	default:
		return a, nil
	}
	ps.i++
	if ps.i < len(ps.p) && ps.p[ps.i] == '?' {
		r.lazy = true
		ps.i++
	}
	return r, nil
}

func (ps *rxParser) atom() (*rxNode, error) {
	c := ps.p[ps.i]
	ps.i++
	switch c {
	case '(':
		g := &rxNode{kind: rxGroup}
		switch {
		case strings.HasPrefix(string(ps.p[ps.i:]), "?:"):
			ps.i += 2
		case strings.HasPrefix(string(ps.p[ps.i:]), "?s:"): // SIMILAR TO's '%': (?s:.*)
			ps.i += 3
			body, err := ps.alt()
			if err != nil {
				return nil, err
			}
			dotAll(body)
			g.kids = []*rxNode{body}
			return g, ps.close()
		default:
			ps.groups++
			g.group = ps.groups
		}
		body, err := ps.alt()
		if err != nil {
			return nil, err
		}
		g.kids = []*rxNode{body}
		return g, ps.close()
	case '[':
		return ps.class()
	case '.':
		return &rxNode{kind: rxClass, class: func(r rune) bool { return !javaLineTerminator(r) }}, nil
	case '^':
		return &rxNode{kind: rxBegin}, nil
	case '$':
		return &rxNode{kind: rxEnd}, nil
	case '\\':
		if ps.i >= len(ps.p) {
			return nil, fmt.Errorf("trailing backslash")
		}
		e := ps.p[ps.i]
		ps.i++
		if cl := escapeClass(e); cl != nil {
			return &rxNode{kind: rxClass, class: cl}, nil
		}
		if e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z' || e >= '0' && e <= '9' {
			return nil, fmt.Errorf("unknown escape \\%c", e)
		}
		return &rxNode{kind: rxChar, cp: e, fold: ps.fold}, nil
	case '*', '+', '?', '{':
		return nil, fmt.Errorf("dangling meta character %q", c)
	}
	return &rxNode{kind: rxChar, cp: c, fold: ps.fold}, nil
}

func (ps *rxParser) close() error {
	if ps.i >= len(ps.p) || ps.p[ps.i] != ')' {
		return fmt.Errorf("unclosed group")
	}
	ps.i++
	return nil
}

// dotAll makes the '.' classes under n match line terminators too.
func dotAll(n *rxNode) {
	if n.kind == rxClass {
		n.class = func(rune) bool { return true }
	}
	for _, k := range n.kids {
		dotAll(k)
	}
}

// escapeClass is \d \D \w \W \s \S (Java's, ASCII), or nil.
func escapeClass(e rune) func(rune) bool {
	digit := func(r rune) bool { return r >= '0' && r <= '9' }
	word := func(r rune) bool { return digit(r) || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' }
	space := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\x0b' || r == '\f' || r == '\r' }
	not := func(f func(rune) bool) func(rune) bool { return func(r rune) bool { return !f(r) } }
	switch e {
	case 'd':
		return digit
	case 'D':
		return not(digit)
	case 'w':
		return word
	case 'W':
		return not(word)
	case 's':
		return space
	case 'S':
		return not(space)
	}
	return nil
}

// class parses [...] after its '['.
func (ps *rxParser) class() (*rxNode, error) {
	neg := false
	if ps.i < len(ps.p) && ps.p[ps.i] == '^' {
		neg = true
		ps.i++
	}
	var items []func(rune) bool
	for {
		if ps.i >= len(ps.p) {
			return nil, fmt.Errorf("unclosed class")
		}
		c := ps.p[ps.i]
		ps.i++
		if c == ']' {
			break
		}
		if c == '\\' && ps.i < len(ps.p) {
			e := ps.p[ps.i]
			ps.i++
			if cl := escapeClass(e); cl != nil {
				items = append(items, cl)
				continue
			}
			c = e
		}
		lo, hi := c, c
		if ps.i+1 < len(ps.p) && ps.p[ps.i] == '-' && ps.p[ps.i+1] != ']' {
			hi = ps.p[ps.i+1]
			ps.i += 2
			if hi < lo {
				return nil, fmt.Errorf("bad range")
			}
		}
		items = append(items, func(r rune) bool { return r >= lo && r <= hi })
	}
	fold := ps.fold
	in := func(r rune) bool {
		for _, f := range items {
			if f(r) || fold && r < 128 && unicode.IsLetter(r) && f(asciiOtherCase(r)) {
				return true
			}
		}
		return false
	}
	return &rxNode{kind: rxClass, class: func(r rune) bool { return in(r) != neg }}, nil
}

func asciiOtherCase(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 32
	case r >= 'A' && r <= 'Z':
		return r + 32
	}
	return r
}

// rxMatcher runs a pattern over the UTF-16 units of a text.
type rxMatcher struct {
	pat  *rxPattern
	u    []uint16
	caps []int // 2 per group, -1 unset
}

func newMatcher(p *rxPattern, s string) *rxMatcher {
	return &rxMatcher{pat: p, u: utf16.Encode([]rune(s))}
}

// codePointAt is Character.codePointAt: a surrogate pair is one code point, an unpaired
// surrogate is itself.
func (m *rxMatcher) codePointAt(i int) (rune, int) {
	c := rune(m.u[i])
	if utf16.IsSurrogate(c) && c < 0xdc00 && i+1 < len(m.u) && m.u[i+1] >= 0xdc00 && m.u[i+1] <= 0xdfff {
		return utf16.DecodeRune(c, rune(m.u[i+1])), 2
	}
	return c, 1
}

// match tries n at i and calls k with the end; it reports whether k accepted.
func (m *rxMatcher) match(n *rxNode, i int, k func(int) bool) bool {
	switch n.kind {
	case rxChar, rxClass:
		if i >= len(m.u) {
			return false
		}
		c, w := m.codePointAt(i)
		ok := false
		if n.kind == rxChar {
			ok = c == n.cp || n.fold && c < 128 && asciiOtherCase(c) == n.cp
		} else {
			ok = n.class(c)
		}
		return ok && k(i+w)
	case rxSeq:
		return m.seq(n.kids, i, k)
	case rxAlt:
		for _, a := range n.kids {
			if m.match(a, i, k) {
				return true
			}
		}
		return false
	case rxGroup:
		if n.group == 0 {
			return m.match(n.kids[0], i, k)
		}
		g := n.group
		old0, old1 := m.caps[2*g], m.caps[2*g+1]
		if m.match(n.kids[0], i, func(j int) bool {
			s0, s1 := m.caps[2*g], m.caps[2*g+1]
			m.caps[2*g], m.caps[2*g+1] = i, j
			if k(j) {
				return true
			}
			m.caps[2*g], m.caps[2*g+1] = s0, s1
			return false
		}) {
			return true
		}
		m.caps[2*g], m.caps[2*g+1] = old0, old1
		return false
	case rxRepeat:
		return m.repeat(n, 0, i, k)
	case rxBegin:
		return i == 0 && k(i)
	case rxEnd:
		n := len(m.u)
		switch {
		case i == n:
		case i == n-1 && javaLineTerminator(rune(m.u[i])) && !(m.u[i] == '\n' && i > 0 && m.u[i-1] == '\r'):
		case i == n-2 && m.u[i] == '\r' && m.u[i+1] == '\n':
		default:
			return false
		}
		return k(i)
	}
	panic("difftest: bad regex node")
}

func (m *rxMatcher) seq(kids []*rxNode, i int, k func(int) bool) bool {
	if len(kids) == 0 {
		return k(i)
	}
	return m.match(kids[0], i, func(j int) bool { return m.seq(kids[1:], j, k) })
}

// repeat matches n's body count times so far; an iteration that matches nothing ends
// the loop (the generator never repeats a body that can be empty).
func (m *rxMatcher) repeat(n *rxNode, count, i int, k func(int) bool) bool {
	more := func() bool {
		if n.max >= 0 && count >= n.max {
			return false
		}
		return m.match(n.kids[0], i, func(j int) bool {
			if j == i {
				return false
			}
			return m.repeat(n, count+1, j, k)
		})
	}
	if count < n.min {
		return more()
	}
	if n.lazy {
		return k(i) || more()
	}
	return more() || k(i)
}

// find is Matcher.find from unit index from: the leftmost match, its span.
func (m *rxMatcher) find(from int) (int, int, bool) {
	for start := from; start <= len(m.u); start++ {
		m.caps = make([]int, 2*(m.pat.groups+1))
		for i := range m.caps {
			m.caps[i] = -1
		}
		end := -1
		if m.match(m.pat.root, start, func(j int) bool { end = j; return true }) {
			m.caps[0], m.caps[1] = start, end
			return start, end, true
		}
	}
	return 0, 0, false
}

// matches is Matcher.matches: the whole text.
func (m *rxMatcher) matches() bool {
	m.caps = make([]int, 2*(m.pat.groups+1))
	return m.match(m.pat.root, 0, func(j int) bool { return j == len(m.u) })
}

// text converts units back to UTF-8 as Flink does: an unpaired surrogate becomes '?'.
func unitsText(u []uint16) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if utf16.IsSurrogate(c) {
			if c < 0xdc00 && i+1 < len(u) && u[i+1] >= 0xdc00 && u[i+1] <= 0xdfff {
				b.WriteRune(utf16.DecodeRune(c, rune(u[i+1])))
				i++
				continue
			}
			b.WriteByte('?')
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// replaceAll is String.replaceAll(regex, Matcher.quoteReplacement(repl)): Matcher.find
// from where the last match ended, one unit further after an empty match.
func (m *rxMatcher) replaceAll(repl string) string {
	ru := utf16.Encode([]rune(repl))
	var out []uint16
	first, last, appended := -1, 0, 0
	for {
		from := last
		if from == first {
			from++
		}
		if from > len(m.u) {
			break
		}
		s, e, ok := m.find(from)
		if !ok {
			break
		}
		out = append(out, m.u[appended:s]...)
		out = append(out, ru...)
		appended = e
		first, last = s, e
	}
	out = append(out, m.u[appended:]...)
	return unitsText(out)
}

// group is the text of group g of the last match, or false when it took no part.
func (m *rxMatcher) group(g int) (string, bool) {
	if m.caps[2*g] < 0 {
		return "", false
	}
	return unitsText(m.u[m.caps[2*g]:m.caps[2*g+1]]), true
}
