// Package testudf holds Go functions the table package's tests register with
// RegisterFunction: well-formed ones of each shape, and misuses.
package testudf

import "strings"

// Upper is a scalar function.
func Upper(s string) string { return strings.ToUpper(s) }

// Word is a row of Split.
type Word struct {
	Word   string
	Length int64
}

// Split is a table function: one row per space-separated word of s.
func Split(s string) []Word {
	var out []Word
	for _, w := range strings.Fields(s) {
		out = append(out, Word{Word: w, Length: int64(len(w))})
	}
	return out
}

// Prefix is a scalar function implemented by a type, as a Flink function class.
type Prefix struct{}

// Eval returns s with a prefix.
func (Prefix) Eval(s string) string { return "p:" + s }

// Max is generic, so it cannot be registered: only its instantiations are values.
func Max[T int | int64](a, b T) T { return max(a, b) }

// Pair is generic too.
type Pair[T any] struct{ A, B T }

func lower(s string) string { return strings.ToLower(s) }

// Lower returns the unexported lower, so that a test can pass it by value.
func Lower() func(string) string { return lower }

// hidden is an unexported type.
type hidden struct{}

// Eval makes hidden a function type.
func (hidden) Eval(s string) string { return s }

// Hidden returns a value of an unexported type.
func Hidden() any { return hidden{} }
