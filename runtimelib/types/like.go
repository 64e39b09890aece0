package types

import (
	"strings"
	"unicode/utf8"
)

// Like reports whether s matches the SQL LIKE pattern: '%' matches any sequence of
// characters, '_' exactly one character (a UTF-8 code point), and escape (0 for none)
// makes the next pattern character literal. Matching is case-sensitive, as in Flink.
// It does not allocate; for a constant pattern NewLikeMatcher is faster.
func Like(s, pattern string, escape byte) bool {
	si, pi := 0, 0
	starP, starS := -1, 0 // pattern index after the last '%', and where it resumed in s
	for si < len(s) {
		if pi < len(pattern) {
			c := pattern[pi]
			switch {
			case c == '%':
				for pi < len(pattern) && pattern[pi] == '%' {
					pi++
				}
				if pi == len(pattern) {
					return true
				}
				starP, starS = pi, si
				continue
			case c == '_':
				_, size := utf8.DecodeRuneInString(s[si:])
				si += size
				pi++
				continue
			case escape != 0 && c == escape:
				if pi+1 < len(pattern) && s[si] == pattern[pi+1] {
					si++
					pi += 2
					continue
				}
			default:
				if s[si] == c {
					si++
					pi++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		// Backtrack: let the last '%' swallow one more character.
		_, size := utf8.DecodeRuneInString(s[starS:])
		starS += size
		si, pi = starS, starP
	}
	for pi < len(pattern) && pattern[pi] == '%' {
		pi++
	}
	return pi == len(pattern)
}

// LikeMatcher is a compiled LIKE pattern for the common shapes: exact, 'abc%',
// '%abc', '%abc%'; anything else falls back to Like.
type LikeMatcher struct {
	kind    likeKind
	literal string
	pattern string
	escape  byte
}

type likeKind uint8

const (
	likeGeneral likeKind = iota
	likeExact
	likePrefix
	likeSuffix
	likeContains
	likeAny
)

// NewLikeMatcher compiles pattern with the given escape byte (0 for none).
func NewLikeMatcher(pattern string, escape byte) *LikeMatcher {
	m := &LikeMatcher{kind: likeGeneral, pattern: pattern, escape: escape}
	body := pattern
	leading := strings.HasPrefix(body, "%")
	body = strings.TrimLeft(body, "%")
	if body == "" {
		if leading {
			m.kind = likeAny
		} else {
			m.kind, m.literal = likeExact, ""
		}
		return m
	}
	trailing := false
	if strings.HasSuffix(body, "%") && (escape == 0 || !escapedAt(body, len(body)-1, escape)) {
		trailing = true
		for strings.HasSuffix(body, "%") && !(escape != 0 && escapedAt(body, len(body)-1, escape)) {
			body = body[:len(body)-1]
		}
	}
	lit, ok := likeLiteral(body, escape)
	if !ok {
		return m
	}
	m.literal = lit
	switch {
	case leading && trailing:
		m.kind = likeContains
	case leading:
		m.kind = likeSuffix
	case trailing:
		m.kind = likePrefix
	default:
		m.kind = likeExact
	}
	return m
}

// escapedAt reports whether body[i] is preceded by an odd number of escape bytes.
func escapedAt(body string, i int, escape byte) bool {
	n := 0
	for j := i - 1; j >= 0 && body[j] == escape; j-- {
		n++
	}
	return n%2 == 1
}

// likeLiteral returns the literal text of a pattern without wildcards, resolving escapes.
func likeLiteral(p string, escape byte) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case escape != 0 && c == escape:
			if i+1 == len(p) {
				return "", false
			}
			i++
			b.WriteByte(p[i])
		case c == '%' || c == '_':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// Match reports whether s matches the compiled pattern.
func (m *LikeMatcher) Match(s string) bool {
	switch m.kind {
	case likeExact:
		return s == m.literal
	case likePrefix:
		return strings.HasPrefix(s, m.literal)
	case likeSuffix:
		return strings.HasSuffix(s, m.literal)
	case likeContains:
		return strings.Contains(s, m.literal)
	case likeAny:
		return true
	}
	return Like(s, m.pattern, m.escape)
}

// MatchBytes is Match over a byte slice (no copy).
func (m *LikeMatcher) MatchBytes(b []byte) bool { return m.Match(stringOf(b)) }
