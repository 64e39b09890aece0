package types

import (
	"regexp"
	"strings"
	"testing"
)

// likeRegexp is the reference: LIKE translated to an anchored regular expression.
func likeRegexp(pattern string, escape byte) *regexp.Regexp {
	var sb strings.Builder
	sb.WriteString(`(?s)^`)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case escape != 0 && c == escape && i+1 < len(pattern):
			i++
			sb.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		case escape != 0 && c == escape:
			sb.WriteString(`\z.`) // dangling escape never matches
		case c == '%':
			sb.WriteString(`.*`)
		case c == '_':
			sb.WriteString(`.`)
		default:
			sb.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	sb.WriteString(`$`)
	return regexp.MustCompile(sb.String())
}

func TestLike(t *testing.T) {
	cases := []struct {
		s, p string
		esc  byte
		want bool
	}{
		{"hello", "hello", 0, true}, {"hello", "h%", 0, true}, {"hello", "%llo", 0, true},
		{"hello", "%ell%", 0, true}, {"hello", "h_llo", 0, true}, {"hello", "h_lo", 0, false},
		{"hello", "%", 0, true}, {"", "%", 0, true}, {"", "_", 0, false}, {"", "", 0, true},
		{"héllo", "h_llo", 0, true}, {"100%", `100\%`, '\\', true}, {"1000", `100\%`, '\\', false},
		{"a_b", `a\_b`, '\\', true}, {"axb", `a\_b`, '\\', false}, {"abcabc", "%abc", 0, true},
		{"aaab", "%a%b", 0, true}, {"Hello", "hello", 0, false}, {"mississippi", "%iss%ipp%", 0, true},
		{"abc", "a%%c", 0, true}, {"ab", "a%_b", 0, false},
	}
	for _, c := range cases {
		if got := Like(c.s, c.p, c.esc); got != c.want {
			t.Errorf("Like(%q, %q) = %v; want %v", c.s, c.p, got, c.want)
		}
		if got := NewLikeMatcher(c.p, c.esc).Match(c.s); got != c.want {
			t.Errorf("LikeMatcher(%q).Match(%q) = %v; want %v", c.p, c.s, got, c.want)
		}
	}
}

func TestLikeRandom(t *testing.T) {
	r := newRand(3)
	alpha := []string{"a", "b", "é", "%", "_", `\`}
	for i := 0; i < 20000; i++ {
		var p, s strings.Builder
		for k := r.Intn(6); k > 0; k-- {
			p.WriteString(alpha[r.Intn(len(alpha))])
		}
		for k := r.Intn(8); k > 0; k-- {
			s.WriteString(alpha[r.Intn(3)])
		}
		for _, esc := range []byte{0, '\\'} {
			want := likeRegexp(p.String(), esc).MatchString(s.String())
			if got := Like(s.String(), p.String(), esc); got != want {
				t.Fatalf("Like(%q, %q, %q) = %v; want %v", s.String(), p.String(), esc, got, want)
			}
			if got := NewLikeMatcher(p.String(), esc).Match(s.String()); got != want {
				t.Fatalf("LikeMatcher(%q, %q).Match(%q) = %v; want %v", p.String(), esc, s.String(), got, want)
			}
		}
	}
}

func TestLikeAllocs(t *testing.T) {
	m := NewLikeMatcher("%a_c%", 0)
	n := testing.AllocsPerRun(100, func() {
		Like("xxabcxx", "%a_c%", 0)
		m.Match("xxabcxx")
	})
	if n != 0 {
		t.Errorf("allocs = %v", n)
	}
}
