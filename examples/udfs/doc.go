// Package udfs holds example Go user-defined functions of every kind, used by the
// examples, the docs and the golden cases (one file per kind: vectorized.go, ...).
package udfs
