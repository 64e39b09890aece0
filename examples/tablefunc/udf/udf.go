// Package udf holds the table functions of the tablefunc example.
package udf

import (
	"iter"
	"strings"
)

// Segment is one segment of a request path: its depth (1 for the first segment) and its
// text. The exported fields are the columns of the table function's rows; the sql tag
// names a column.
type Segment struct {
	Depth int32
	Name  string `sql:"segment"`
}

// SplitPath is a table function: the non-empty segments of a request path, in order.
// "/video/2024/cat.mp4?x=1" yields (1, video), (2, 2024), (3, cat.mp4).
func SplitPath(path string) []Segment {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	var out []Segment
	for _, s := range strings.Split(path, "/") {
		if s != "" {
			out = append(out, Segment{Depth: int32(len(out) + 1), Name: s})
		}
	}
	return out
}

// Tags is a table function yielding the tags of a '|'-separated list, one row (column
// f0) per tag, lazily: an iter.Seq.
func Tags(list string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, t := range strings.Split(list, "|") {
			if t = strings.TrimSpace(t); t != "" && !yield(t) {
				return
			}
		}
	}
}
