package types

import (
	"math/rand/v2"
	"testing"
)

// The memo gives what Format gives, over runs of nearby and far times, for patterns of
// every granularity.
func TestDateFormatMemo(t *testing.T) {
	patterns := map[string]int64{
		"yyyy-MM-dd":              86_400_000,
		"HH:mm":                   60_000,
		"yyyy-MM-dd HH:mm:ss.SSS": 1,
		"ss":                      1000,
		"a h":                     3_600_000,
		"EEE w":                   86_400_000,
		"SSSSSS":                  0,
		"A":                       0,
		"yyyy[ VV]":               0,
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for p, gran := range patterns {
		f := MustDateTimeFormatter(p)
		if f.Granularity() != gran {
			t.Errorf("%s: granularity %d, want %d", p, f.Granularity(), gran)
		}
		var m DateFormatMemo
		ms := int64(-86_400_000 * 3)
		for range 20_000 {
			switch rng.IntN(4) {
			case 0:
				ms = rng.Int64N(1<<42) - 1<<41
			default:
				ms += rng.Int64N(90_000)
			}
			ts := Timestamp{Millis: ms, Nanos: rng.Int32N(1_000_000)}
			want, werr := f.Format(ts)
			got, gerr := m.Format(f, ts)
			if got != want || (werr == nil) != (gerr == nil) {
				t.Fatalf("%s at %d: %q, %v, want %q, %v", p, ms, got, gerr, want, werr)
			}
		}
	}
}
