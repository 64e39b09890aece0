// Package udf holds the Go functions that Nexmark's queries call, in place of the Java
// classes the Flink text names (map them with -func or examples/nexmark/functions.map).
package udf

import "errors"

// CountChar is Nexmark's com.github.nexmark.flink.udf.CountChar (q14's count_char): the
// number of bytes of s equal to the first byte of c, 0 when s is NULL. Java fails on an
// empty c (charAt(0)); so does this.
func CountChar(s *string, c string) (int64, error) {
	if c == "" {
		return 0, errors.New("count_char: the character to count is empty")
	}
	if s == nil {
		return 0, nil
	}
	want, n := c[0], int64(0)
	for i := 0; i < len(*s); i++ {
		if (*s)[i] == want {
			n++
		}
	}
	return n, nil
}
