package types

import (
	"math/rand"
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

// ParseDigits8 accepts exactly 1..8 ASCII digits whose slice's capacity reaches 8 bytes,
// and agrees with strconv there, whatever the bytes after the slice's end.
func TestParseDigits8(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		got, ok := ParseDigits8(b)
		plain := len(b) >= 1 && len(b) <= 8 && cap(b) >= 8
		for _, c := range b {
			plain = plain && c >= '0' && c <= '9'
		}
		if ok != plain {
			t.Fatalf("ParseDigits8(%q, cap %d) ok = %v, want %v", b, cap(b), ok, plain)
		}
		if !ok {
			return
		}
		if want, err := strconv.ParseInt(string(b), 10, 64); err != nil || got != want {
			t.Fatalf("ParseDigits8(%q) = %d, want %d", b, got, want)
		}
	}
	// Every number of up to 8 digits in steps, then every run of bytes of a buffer that
	// mixes digits with the bytes next to them ('/', ':') and others, at every capacity.
	for n := int64(0); n < 100000000; n += 997 {
		s := strconv.FormatInt(n, 10)
		for _, pad := range []string{"", "0", "00000000"} {
			buf := []byte(pad + s + ",9x:/\xff\x00\xf9")
			check(buf[:len(pad)+len(s)])
		}
	}
	rnd := rand.New(rand.NewSource(1))
	const alphabet = "0123456789/:,- +\x00\xff\xf6\xfa\x80"
	for i := 0; i < 200000; i++ {
		buf := make([]byte, 20)
		for j := range buf {
			if rnd.Intn(4) == 0 {
				buf[j] = alphabet[rnd.Intn(len(alphabet))]
			} else {
				buf[j] = byte('0' + rnd.Intn(10))
			}
		}
		lo := rnd.Intn(9)
		hi := lo + rnd.Intn(10)
		max := hi + rnd.Intn(len(buf)-hi+1)
		check(buf[lo:hi:max])
	}
}
