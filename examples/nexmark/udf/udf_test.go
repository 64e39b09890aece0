package udf

import "testing"

func TestCountChar(t *testing.T) {
	s := "abcabcc"
	for _, c := range []struct {
		s    *string
		c    string
		want int64
	}{
		{&s, "c", 3}, {&s, "cx", 3}, {&s, "z", 0}, {nil, "c", 0},
	} {
		got, err := CountChar(c.s, c.c)
		if err != nil || got != c.want {
			t.Errorf("CountChar(%v, %q) = %d, %v; want %d", c.s, c.c, got, err, c.want)
		}
	}
	if _, err := CountChar(&s, ""); err == nil {
		t.Error("CountChar with an empty character did not fail")
	}
}
