package types

import (
	"math"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// A required literal lets Find and Extract skip most of the text. Go's regexp looks
// for a match at every position of the text unless the pattern starts with a literal;
// q21's '(&|^)channel_id=([^&]*)' does not, and spends nearly all its time trying
// positions of a URL where no match can start. When the pattern is a concatenation
// whose first parts match at most maxBefore bytes and are followed by a literal, every
// match starts at most maxBefore bytes before an occurrence of the literal, so at or
// after the first occurrence minus maxBefore: the regexp runs on the text from there
// (after strings.Index found the literal), and a text without the literal has no match.
//
// The cut text starts inside the original, where '^' (the start of the text) cannot
// match: the cut runs a copy of the pattern with '^' replaced by a never-matching
// class (noBegin). Patterns with assertions that look at the character before the cut
// (multi-line ^, \b, \B) or with case-folded literals are left alone.

// literalPrefilter is the prefilter of a pattern; lit is "" when it has none.
type literalPrefilter struct {
	lit       string
	maxBefore int
	noBegin   *regexp.Regexp // the pattern with ^ never matching (nil: no ^ in it)
}

// minLiteral is the shortest literal worth a strings.Index.
const minLiteral = 3

// newLiteralPrefilter analyses a Go pattern (not anchored to the whole text).
func newLiteralPrefilter(g string) literalPrefilter {
	re, err := syntax.Parse(g, syntax.Perl)
	if err != nil {
		return literalPrefilter{}
	}
	re = re.Simplify()
	if hasOp(re, syntax.OpBeginLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary) {
		return literalPrefilter{}
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	before := 0
	for _, sub := range subs {
		if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 && len(string(sub.Rune)) >= minLiteral {
			p := literalPrefilter{lit: string(sub.Rune), maxBefore: before}
			if hasOp(re, syntax.OpBeginText) {
				nb, err := regexp.Compile(replaceBeginText(re).String())
				if err != nil {
					return literalPrefilter{}
				}
				p.noBegin = nb
			}
			return p
		}
		_, hi := byteWidth(sub)
		if hi < 0 || before+hi > 1<<16 {
			return literalPrefilter{}
		}
		before += hi
	}
	return literalPrefilter{}
}

// cut returns where to run the pattern on s: the offset of the cut and the regexp to
// use there; ok=false when s cannot match.
func (p *literalPrefilter) cut(s string, re *regexp.Regexp) (int, *regexp.Regexp, bool) {
	i := strings.Index(s, p.lit)
	if i < 0 {
		return 0, nil, false
	}
	j := i - p.maxBefore
	if j <= 0 {
		return 0, re, true
	}
	if p.noBegin != nil {
		return j, p.noBegin, true
	}
	return j, re, true
}

// hasOp reports whether re holds a node of one of the ops.
func hasOp(re *syntax.Regexp, ops ...syntax.Op) bool {
	for _, op := range ops {
		if re.Op == op {
			return true
		}
	}
	for _, s := range re.Sub {
		if hasOp(s, ops...) {
			return true
		}
	}
	return false
}

// replaceBeginText copies re with every ^ (OpBeginText) made a class that matches
// nothing; captures keep their numbers.
func replaceBeginText(re *syntax.Regexp) *syntax.Regexp {
	if re.Op == syntax.OpBeginText {
		return &syntax.Regexp{Op: syntax.OpNoMatch}
	}
	c := *re
	c.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, s := range re.Sub {
		c.Sub[i] = replaceBeginText(s)
	}
	return &c
}

// byteWidth is the least and the most bytes re matches (hi < 0: unbounded).
func byteWidth(re *syntax.Regexp) (lo, hi int) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpNoMatch:
		return 0, 0
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			// a folded letter may match a longer encoding (k and the Kelvin sign)
			return len(re.Rune), 4 * len(re.Rune)
		}
		n := len(string(re.Rune))
		return n, n
	case syntax.OpCharClass:
		top := rune(0)
		for i := 1; i < len(re.Rune); i += 2 {
			top = max(top, re.Rune[i])
		}
		return 1, max(utf8.RuneLen(min(top, utf8.MaxRune)), 1)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, utf8.UTFMax
	case syntax.OpCapture:
		return byteWidth(re.Sub[0])
	case syntax.OpQuest:
		_, hi := byteWidth(re.Sub[0])
		return 0, hi
	case syntax.OpConcat:
		for _, s := range re.Sub {
			l, h := byteWidth(s)
			lo += l
			if hi >= 0 && h >= 0 {
				hi += h
			} else {
				hi = -1
			}
		}
		return lo, hi
	case syntax.OpAlternate:
		lo = math.MaxInt
		for _, s := range re.Sub {
			l, h := byteWidth(s)
			lo = min(lo, l)
			if hi >= 0 && h >= 0 {
				hi = max(hi, h)
			} else {
				hi = -1
			}
		}
		return lo, hi
	case syntax.OpRepeat:
		l, h := byteWidth(re.Sub[0])
		if re.Max < 0 || h < 0 {
			return l * re.Min, -1
		}
		return l * re.Min, h * re.Max
	}
	return 0, -1 // star, plus: unbounded
}
