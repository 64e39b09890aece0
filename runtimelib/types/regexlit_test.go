package types

import (
	"math/rand/v2"
	"testing"
)

// The prefilter must not change a result: Find and Extract with it equal the regexp run
// on the whole text, over random texts built from the patterns' pieces.
func TestLiteralPrefilter(t *testing.T) {
	patterns := []struct {
		p      string
		active bool // the prefilter applies
	}{
		{`(&|^)channel_id=([^&]*)`, true},
		{`^abc(d*)`, true},
		{`a?b?abc(.)`, true},
		{`[a-c]{1,3}abc`, true},
		{`(x|yy)?abc(\d+)`, true},
		{`é.abc(é*)`, true},
		{`abc$`, true},
		{`(?i)abc`, false},
		{`a*abc`, false},
		{`\babc`, false},
		{`(?m)^abc`, false},
		{`ab`, false},
	}
	pieces := []string{"a", "b", "c", "d", "abc", "&", "channel_id=", "=", "1", "22", "x", "yy", "é", "\n", "ABC"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range patterns {
		r, err := CompileJavaRegex(tc.p, false)
		if err != nil {
			t.Fatalf("%s: %v", tc.p, err)
		}
		if got := r.pre.lit != ""; got != tc.active {
			t.Errorf("%s: prefilter active %v, want %v", tc.p, got, tc.active)
		}
		for n := 0; n < 3000; n++ {
			var s string
			for k := rng.IntN(12); k >= 0; k-- {
				s += pieces[rng.IntN(len(pieces))]
			}
			if got, want := r.Find(s), r.re.MatchString(s); got != want {
				t.Fatalf("%s: Find(%q) = %v, want %v", tc.p, s, got, want)
			}
			m := r.re.FindStringSubmatchIndex(s)
			for g := int32(0); g <= int32(r.re.NumSubexp()); g++ {
				want, wantOK := "", m != nil && m[2*g] >= 0
				if wantOK {
					want = s[m[2*g]:m[2*g+1]]
				}
				if got, ok := r.Extract(s, g); got != want || ok != wantOK {
					t.Fatalf("%s: Extract(%q, %d) = %q, %v, want %q, %v", tc.p, s, g, got, ok, want, wantOK)
				}
			}
		}
	}
}

func BenchmarkExtractChannelID(b *testing.B) {
	r := MustJavaRegex(`(&|^)channel_id=([^&]*)`, false)
	url := "https://www.nexmark.com/yhff/jyei/null/item.htm?query=1&channel_id=1401946112"
	for b.Loop() {
		if v, ok := r.Extract(url, 2); !ok || v != "1401946112" {
			b.Fatal(v)
		}
	}
}

func BenchmarkExtractChannelIDWhole(b *testing.B) {
	r := MustJavaRegex(`(&|^)channel_id=([^&]*)`, false)
	url := "https://www.nexmark.com/yhff/jyei/null/item.htm?query=1&channel_id=1401946112"
	for b.Loop() {
		r.re.FindStringSubmatchIndex(url)
	}
}
