package compiler

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// ReadFunctionMap reads a functions.map file: the Go function that implements each
// CREATE FUNCTION class of a script written for Flink, whose classes are Java classes,
// so that the script compiles unchanged. One mapping per line, '#' starts a comment:
//
//	# Nexmark's q14
//	com.github.nexmark.flink.udf.CountChar = github.com/sqlc-stream/sqlc-stream/examples/nexmark/udf.CountChar
func ReadFunctionMap(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		class, fn, ok := strings.Cut(text, "=")
		class, fn = strings.TrimSpace(class), strings.TrimSpace(fn)
		if !ok || class == "" || fn == "" || strings.ContainsAny(class, " \t") || strings.ContainsAny(fn, " \t") {
			return nil, fmt.Errorf("%s:%d: expected class = import/path.Func", path, line)
		}
		if old, dup := m[class]; dup && old != fn {
			return nil, fmt.Errorf("%s:%d: %s is mapped twice", path, line, class)
		}
		m[class] = fn
	}
	return m, sc.Err()
}
