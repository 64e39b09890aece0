package difftest

import (
	"testing"
)

// Calcite's leastRestrictive of two DECIMALs: the whole digits of the wider (at most
// 38), then as much of the larger scale as still fits in 38 digits.
func TestCommonTypeDecimal(t *testing.T) {
	cases := []struct{ a, b, want Type }{
		{tDec(10, 2), tDec(20, 6), tDec(20, 6)},
		{tDec(4, 3), tDec(20, 6), tDec(20, 6)},
		{tDec(33, 17), tDec(30, 2), tDec(38, 10)}, // a quotient and a product in a UNION
		{tDec(38, 37), tBig, tDec(38, 19)},
		{tInt, tDec(38, 18), tDec(38, 18)},
		{tDec(38, 0), tDec(38, 38), tDec(38, 0)},
	}
	for _, c := range cases {
		for _, ab := range [][2]Type{{c.a, c.b}, {c.b, c.a}} {
			got, ok := commonType(ab[0], ab[1])
			if !ok || got != c.want {
				t.Errorf("commonType(%v, %v) = %v, want %v", ab[0], ab[1], got, c.want)
			}
		}
	}
}

// DECIMAL division is BigDecimal.divide with MathContext(38, HALF_UP), then setScale.
func TestDecimalDivide(t *testing.T) {
	cases := []struct {
		x    string
		xs   int
		y    string
		ys   int
		rt   Type
		want string // unscaled; "" for NULL
	}{
		{"-275", 6, "1910", 2, tDec(33, 17), "-1439790575916"},
		{"1", 0, "3", 0, tDec(38, 6), "333333"},
		{"2", 0, "3", 0, tDec(38, 6), "666667"},
		// 1.4999...(36 nines)95 has 38 digits 1.5: rounds to 2 at scale 0.
		{"15000000000000000000000000000000000001", 0, "10000000000000000000000000000000000001", 0, tDec(38, 0), "2"},
		{"-15000000000000000000000000000000000001", 0, "10000000000000000000000000000000000001", 0, tDec(38, 0), "-2"},
		{"99999999999999999999", 0, "1", 2, tDec(38, 17), ""}, // 10^22 does not fit 21 whole digits
	}
	for _, c := range cases {
		got, err := decimalArith("/", Value{D: mustBig(c.x)}, Value{D: mustBig(c.y)}, c.xs, c.ys, c.rt)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == "" && !got.Null:
			t.Errorf("%s/%s = %s, want NULL", c.x, c.y, got.D)
		case c.want != "" && (got.Null || got.D.Cmp(mustBig(c.want)) != 0):
			t.Errorf("%s/%s = %v, want %s", c.x, c.y, got.D, c.want)
		}
	}
}
