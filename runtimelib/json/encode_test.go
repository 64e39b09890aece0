package json

import "testing"

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"Beijing":    `"Beijing"`,
		`a"b\c`:      `"a\"b\\c"`,
		"tab\tnl\n":  `"tab\tnl\n"`,
		"\x01\x1f":   `"\u0001\u001f"`,
		"北京":         `"北京"`,
		"":           `""`,
		"\b\f\r end": `"\b\f\r end"`,
	} {
		if got := string(AppendString(nil, in)); got != want {
			t.Errorf("AppendString(%q) = %s, want %s", in, got, want)
		}
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = AppendString(buf[:0], `a"b`) }); n != 0 {
		t.Errorf("AppendString allocates %v times", n)
	}
}
