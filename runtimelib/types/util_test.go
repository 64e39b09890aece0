package types

import "math/rand"

// newRand returns a deterministic source so property tests are reproducible.
func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
