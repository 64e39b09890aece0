package types

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// The regular-expression functions. Generated code compiles a constant pattern once,
// when the job starts (MustJavaRegex), and calls the methods of JavaRegex per row; a
// pattern computed per row goes through a cache of compiled patterns (the functions
// without a receiver), as Flink's ThreadLocalCache of Patterns does.

// Find is REGEXP(s, pattern): whether some substring of s matches (Matcher.find).
func (r *JavaRegex) Find(s string) bool {
	if r.pre.lit != "" {
		j, re, ok := r.pre.cut(s, r.re)
		return ok && re.MatchString(s[j:])
	}
	return r.re.MatchString(s)
}

// Extract is REGEXP_EXTRACT(s, pattern, i) (SqlFunctionUtils.regexpExtract): group i of
// the first match (0 is the whole match); ok=false (NULL) when nothing matches, when i
// is not a group of the pattern, or when the group took no part in the match.
func (r *JavaRegex) Extract(s string, i int32) (string, bool) {
	if i < 0 || int(i) > r.re.NumSubexp() {
		return "", false
	}
	re, j := r.re, 0
	if r.pre.lit != "" {
		var ok bool
		if j, re, ok = r.pre.cut(s, r.re); !ok {
			return "", false
		}
	}
	m := re.FindStringSubmatchIndex(s[j:])
	if m == nil || m[2*i] < 0 {
		return "", false
	}
	return s[j+m[2*i] : j+m[2*i+1]], true
}

// ReplaceAll is REGEXP_REPLACE(s, pattern, repl) (String.replaceAll with
// Matcher.quoteReplacement): every match, left to right, becomes repl taken literally.
// Java, unlike Go, also replaces an empty match right after a non-empty one (
// REGEXP_REPLACE('baaac', 'a*', '-') is '-b--c-'), and goes on after an empty match one
// UTF-16 unit later, so an empty match before a character above U+FFFF may repeat
// between the halves of its surrogate pair, each then written as '?' (emptyBetween).
func (r *JavaRegex) ReplaceAll(s, repl string) string {
	ms := r.re.FindAllStringIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] is done
	empty := func(p int) {
		b.WriteString(s[last:p])
		b.WriteString(repl)
		last = p
		if c, w := utf8.DecodeRuneInString(s[p:]); c > 0xffff && r.emptyBetween(s, p, w) {
			b.WriteString("?")
			b.WriteString(repl)
			b.WriteString("?")
			last = p + w
		}
	}
	for k, m := range ms {
		if m[0] < last {
			continue // inside a character the empty match above split
		}
		if m[0] == m[1] {
			empty(m[0])
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(repl)
		last = m[1]
		if (k+1 == len(ms) || ms[k+1][0] != m[1]) && r.emptyAfter(s, m[1]) {
			empty(m[1])
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// emptyAfter reports whether the match Java's next find() takes at e, right after a
// match ending there, is empty: the pattern's preferred match at e (run with the
// character before e consumed, so that ^ and \b see it) has no characters.
func (r *JavaRegex) emptyAfter(s string, e int) bool {
	if r.after == nil || e == 0 {
		return false
	}
	_, w := utf8.DecodeLastRuneInString(s[:e])
	loc := r.after.FindStringIndex(s[e-w:])
	return loc != nil && loc[1] == w
}

// emptyBetween reports whether Java's find() that follows an empty match at p, which
// starts between the halves of the surrogate pair of the character at p (w bytes),
// matches nothing there. The halves are not characters Go can match, so each stands
// in as U+FFFD: like an unpaired surrogate, it is no letter, digit or line terminator.
// (A match of characters starting between the halves is not found: the character is
// kept whole.)
func (r *JavaRegex) emptyBetween(s string, p, w int) bool {
	if r.after == nil {
		return false
	}
	probe := "\uFFFD\uFFFD" + s[p+w:]
	loc := r.after.FindStringIndex(probe)
	return loc != nil && loc[1] == len("\uFFFD")
}

// regexCache holds the patterns compiled for rows (Flink's REGEXP_PATTERN_CACHE); it is
// emptied when it grows past regexCacheSize entries.
var (
	regexCache     sync.Map // cacheKey -> regexEntry
	regexCacheSize atomic.Int64
)

const regexCacheLimit = 1024

type regexKey struct {
	pattern string
	full    bool
}

type regexEntry struct {
	re  *JavaRegex
	err error
}

// CachedJavaRegex is CompileJavaRegex through the cache (a pattern that differs from row
// to row).
func CachedJavaRegex(pattern string, full bool) (*JavaRegex, error) {
	k := regexKey{pattern, full}
	if e, ok := regexCache.Load(k); ok {
		return e.(regexEntry).re, e.(regexEntry).err
	}
	re, err := CompileJavaRegex(strings.Clone(pattern), full)
	if regexCacheSize.Add(1) > regexCacheLimit {
		regexCache.Clear()
		regexCacheSize.Store(1)
	}
	regexCache.Store(regexKey{strings.Clone(pattern), full}, regexEntry{re, err})
	return re, err
}

// Regexp is REGEXP(s, pattern) for a pattern of the row (SqlFunctionUtils.regExp): an
// empty or invalid pattern is FALSE; err reports a pattern Go's regexp cannot run.
func Regexp(s, pattern string) (bool, error) {
	if pattern == "" {
		return false, nil
	}
	re, err := CachedJavaRegex(pattern, false)
	if err != nil {
		if IsUnsupportedRegex(err) {
			return false, err
		}
		return false, nil
	}
	return re.Find(s), nil
}

// RegexpExtract is REGEXP_EXTRACT for a pattern of the row: an invalid pattern is NULL.
func RegexpExtract(s, pattern string, i int32) (string, bool, error) {
	re, err := CachedJavaRegex(pattern, false)
	if err != nil {
		if IsUnsupportedRegex(err) {
			return "", false, err
		}
		return "", false, nil
	}
	v, ok := re.Extract(s, i)
	return v, ok, nil
}

// RegexpReplace is REGEXP_REPLACE for a pattern of the row: an invalid pattern is NULL
// (SqlFunctionUtils.regexpReplace catches the exception).
func RegexpReplace(s, pattern, repl string) (string, bool, error) {
	re, err := CachedJavaRegex(pattern, false)
	if err != nil {
		if IsUnsupportedRegex(err) {
			return "", false, err
		}
		return "", false, nil
	}
	return re.ReplaceAll(s, repl), true, nil
}

// SimilarRegex compiles a SQL SIMILAR TO pattern (with its ESCAPE character, 0 for none)
// as Calcite's SqlFunctions.similar does: Like.sqlToRegexSimilar, then a whole-string
// match. An invalid pattern is an error (Flink's job fails).
func SimilarRegex(pattern string, escape rune) (*JavaRegex, error) {
	j, err := SimilarToJava(pattern, escape)
	if err != nil {
		return nil, err
	}
	return CompileJavaRegex(j, true)
}

// MustSimilarRegex is SimilarRegex for a pattern the compiler checked.
func MustSimilarRegex(pattern string, escape rune) *JavaRegex {
	re, err := SimilarRegex(pattern, escape)
	if err != nil {
		panic(err)
	}
	return re
}

// SimilarTo is s SIMILAR TO pattern [ESCAPE escape] for a pattern of the row.
func SimilarTo(s, pattern string, escape rune) (bool, error) {
	j, err := SimilarToJava(pattern, escape)
	if err != nil {
		return false, err
	}
	re, err := CachedJavaRegex(j, true)
	if err != nil {
		return false, err
	}
	return re.Find(s), nil
}

const (
	javaRegexSpecials  = "[]()|^-+*?{}$\\."
	sqlSimilarSpecials = "[]()|^-+*_%?{}"
)

// SimilarToJava is Calcite's Like.sqlToRegexSimilar: the Java pattern of a SQL SIMILAR TO
// pattern. '_' is any character ('.'), '%' any run of characters ((?s:.*)), '\' and '$'
// are literal, an escaped special character is literal, [...] keeps SQL's character
// class syntax ([:ALPHA:] and friends included), and the rest is Java regex syntax.
func SimilarToJava(pattern string, escape rune) (string, error) {
	bad := func(msg string) error { return &RegexError{Pattern: pattern, Msg: msg} }
	p := []rune(pattern)
	if escape != 0 {
		if strings.ContainsRune(sqlSimilarSpecials, escape) {
			for i := 0; i < len(p); i++ {
				if p[i] != escape {
					continue
				}
				if i == len(p)-1 {
					return "", bad("invalid escape sequence")
				}
				if c := p[i+1]; !strings.ContainsRune(sqlSimilarSpecials, c) && c != escape {
					return "", bad("invalid escape sequence")
				}
				i++
			}
		}
		if escape == ':' && (!strings.Contains(pattern, "[:") || !strings.Contains(pattern, ":]")) {
			return "", bad("invalid escape sequence")
		}
	}
	var b strings.Builder
	escaped := func(c rune) {
		if strings.ContainsRune(javaRegexSpecials, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if escape != 0 && c == escape {
			if i == len(p)-1 {
				return "", bad("invalid escape sequence")
			}
			next := p[i+1]
			switch {
			case strings.ContainsRune(sqlSimilarSpecials, next):
				escaped(next)
			case next == escape:
				b.WriteRune(next)
			default:
				return "", bad("invalid escape sequence")
			}
			i++
			continue
		}
		switch c {
		case '_':
			b.WriteByte('.')
		case '%':
			b.WriteString("(?s:.*)")
		case '[':
			b.WriteByte('[')
			inClass = true
			j, err := similarClass(p, &b, i, escape)
			if err != nil {
				return "", bad(err.Error())
			}
			i = j
		case ']':
			if !inClass {
				return "", bad("invalid regular expression")
			}
			inClass = false
			b.WriteByte(']')
		case '\\':
			b.WriteString(`\\`)
		case '$':
			b.WriteString(`\$`)
		default:
			b.WriteRune(c)
		}
	}
	if inClass {
		return "", bad("invalid regular expression")
	}
	return b.String(), nil
}

var similarClassNames = []string{
	"[:ALPHA:]", `\p{Alpha}`, "[:alpha:]", `\p{Alpha}`,
	"[:UPPER:]", `\p{Upper}`, "[:upper:]", `\p{Upper}`,
	"[:LOWER:]", `\p{Lower}`, "[:lower:]", `\p{Lower}`,
	"[:DIGIT:]", `\d`, "[:digit:]", `\d`,
	"[:SPACE:]", " ", "[:space:]", " ",
	"[:WHITESPACE:]", `\s`, "[:whitespace:]", `\s`,
	"[:ALNUM:]", `\p{Alnum}`, "[:alnum:]", `\p{Alnum}`,
}

// similarClass is Like.sqlSimilarRewriteCharEnumeration: the inside of [...] from
// p[pos+1:], up to (not including) its ']'; it returns the index before that ']'.
func similarClass(p []rune, b *strings.Builder, pos int, escape rune) (int, error) {
	i := pos + 1
	for ; i < len(p); i++ {
		c := p[i]
		switch {
		case c == ']':
			return i - 1, nil
		case escape != 0 && c == escape:
			i++
			if i >= len(p) {
				return 0, errString("invalid regular expression")
			}
			next := p[i]
			switch {
			case strings.ContainsRune(sqlSimilarSpecials, next):
				if strings.ContainsRune(javaRegexSpecials, next) {
					b.WriteByte('\\')
				}
				b.WriteRune(next)
			case next == escape:
				b.WriteRune(next)
			default:
				return 0, errString("invalid regular expression")
			}
		case c == '-':
			b.WriteByte('-')
		case c == '^':
			b.WriteByte('^')
		case strings.HasPrefix(string(p[i:]), "[:"):
			found := false
			for k := 0; k < len(similarClassNames); k += 2 {
				if strings.HasPrefix(string(p[i:]), similarClassNames[k]) {
					b.WriteString(similarClassNames[k+1])
					i += utf8.RuneCountInString(similarClassNames[k]) - 1
					found = true
					break
				}
			}
			if !found {
				return 0, errString("invalid regular expression")
			}
		case strings.ContainsRune(sqlSimilarSpecials, c):
			return 0, errString("invalid regular expression")
		default:
			b.WriteRune(c)
		}
	}
	return i - 1, nil
}

type errString string

func (e errString) Error() string { return string(e) }
