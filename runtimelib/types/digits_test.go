package types

import (
	"strconv"
	"testing"
)

// ParseDigits accepts exactly 1..18 ASCII digits and agrees with ParseInt64 there.
func TestParseDigits(t *testing.T) {
	for _, in := range []string{"", "0", "7", "42", "007", "123456789012345678", "1234567890123456789",
		"-1", "+1", " 1", "1 ", "1a", "a", "9223372036854775807", "999999999999999999", "1.0", "12k"} {
		got, ok := ParseDigits([]byte(in))
		plain := len(in) >= 1 && len(in) <= 18
		for _, c := range in {
			plain = plain && c >= '0' && c <= '9'
		}
		if ok != plain {
			t.Errorf("ParseDigits(%q) ok = %v, want %v", in, ok, plain)
			continue
		}
		if ok {
			want, err := strconv.ParseInt(in, 10, 64)
			if err != nil || got != want {
				t.Errorf("ParseDigits(%q) = %d, want %d", in, got, want)
			}
			if v, ok := ParseInt64([]byte(in)); !ok || v != got {
				t.Errorf("ParseInt64(%q) = %d, %v; ParseDigits %d", in, v, ok, got)
			}
		}
	}
}
