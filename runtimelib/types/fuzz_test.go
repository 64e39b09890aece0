package types

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var anyDecimalSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

var bigDecimalSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?$`)

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1.5", "-0.005", "1e3", "12345678901234567890123456789012345678", ".5", "5.", "1.2.3", "1e",
		"123456789012345678901234567890123456789.49e-3", "-0.0000000000000000000000000000000000000000555555555555555555555555555555555555555e42"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, scale uint8) {
		sc := int(scale % 39)
		d, ok := ParseDecimal([]byte(s), 38, sc)
		txt := strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
		if ok && !anyDecimalSyntax.MatchString(txt) {
			t.Fatalf("ParseDecimal(%q) accepted text BigDecimal rejects", s)
		}
		if !bigDecimalSyntax.MatchString(txt) {
			return // long exponents: only check that nothing panics
		}
		r, rok := new(big.Rat).SetString(txt)
		if !rok {
			if ok {
				t.Fatalf("ParseDecimal(%q) ok but big.Rat rejects it", s)
			}
			return
		}
		num := new(big.Int).Mul(r.Num(), refPow10(sc))
		want := refHalfUp(num, r.Denom(), 38)
		if want == nil {
			if ok {
				t.Fatalf("ParseDecimal(%q, %d) = %s, want overflow", s, sc, d.big())
			}
			return
		}
		if !ok || d.big().Cmp(want) != 0 {
			t.Fatalf("ParseDecimal(%q, %d) = %s %v, want %s", s, sc, d.big(), ok, want)
		}
	})
}

var javaDoubleSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[fFdD]?$`)

func FuzzParseFloat64(f *testing.F) {
	for _, s := range []string{"1.5", "-0.005", "1e308", "4.9e-324", "1.5f", "NaN", "-Infinity", "0x1p3", "1_0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseFloat64([]byte(s))
		txt := strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
		switch strings.TrimLeft(txt, "+-") {
		case "NaN", "Infinity":
			if !ok {
				t.Fatalf("ParseFloat64(%q) not ok", s)
			}
			return
		}
		if !javaDoubleSyntax.MatchString(txt) {
			if ok {
				t.Fatalf("ParseFloat64(%q) = %v accepted non-Java syntax", s, got)
			}
			return
		}
		if n := len(txt); txt[n-1]|0x20 == 'f' || txt[n-1]|0x20 == 'd' {
			txt = txt[:n-1]
		}
		want, err := strconv.ParseFloat(txt, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			t.Fatalf("strconv rejects %q: %v", txt, err)
		}
		if !ok || got != want {
			t.Fatalf("ParseFloat64(%q) = %v %v, want %v", s, got, ok, want)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2020-01-01 12:00:00.123", "2020-01-01", "2020-1-1T1:2", "2020-02-30", "9999-12-31 23:59:59.999999999"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, p uint8) {
		prec := int(p % 10)
		ts, ok := ParseTimestamp([]byte(s), prec)
		if !ok {
			return
		}
		out := FormatTimestamp(ts, prec)
		back, ok := ParseTimestamp([]byte(out), 9)
		if !ok || back != ts {
			t.Fatalf("ParseTimestamp(%q) = %+v, formatted %q, parsed back %+v %v", s, ts, out, back, ok)
		}
	})
}
