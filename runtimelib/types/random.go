package types

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	randv2 "math/rand/v2"
)

// JavaRandom is java.util.Random: RAND(seed) and RAND_INTEGER(seed, bound) draw from one
// seeded per task (Flink's generated code keeps one per operator instance, made when it
// is created), so two calls with the same seed give the same sequence, as Flink's do.
// Not safe for concurrent use.
type JavaRandom struct{ seed uint64 }

const (
	randMultiplier = 0x5DEECE66D
	randMask       = 1<<48 - 1
)

// NewJavaRandom is new java.util.Random(seed).
func NewJavaRandom(seed int64) *JavaRandom {
	return &JavaRandom{seed: (uint64(seed) ^ randMultiplier) & randMask}
}

func (r *JavaRandom) next(bits uint) int32 {
	r.seed = (r.seed*randMultiplier + 0xB) & randMask
	return int32(int64(r.seed) >> (48 - bits))
}

// Float64 is Random.nextDouble: a double in [0, 1).
func (r *JavaRandom) Float64() float64 {
	return float64(int64(r.next(26))<<27+int64(r.next(27))) * (1.0 / (1 << 53))
}

// ErrRandBound is Random.nextInt's IllegalArgumentException.
var ErrRandBound = errors.New("bound must be positive")

// IntN is Random.nextInt(bound): an int in [0, bound); bound must be positive.
func (r *JavaRandom) IntN(bound int32) (int32, error) {
	if bound <= 0 {
		return 0, ErrRandBound
	}
	v := r.next(31)
	m := bound - 1
	if bound&m == 0 { // a power of two
		return int32(int64(bound) * int64(v) >> 31), nil
	}
	for u := v; ; u = r.next(31) {
		v = u % bound
		if u-v+m >= 0 { // no int32 overflow: an unbiased draw
			return v, nil
		}
	}
}

// SeededRandFloat64 is RAND(seed) for a seed that is not a constant: Flink draws the
// first double of a new java.util.Random(seed) for each row.
func SeededRandFloat64(seed int32) float64 { return NewJavaRandom(int64(seed)).Float64() }

// SeededRandIntN is RAND_INTEGER(seed, bound) for a seed that is not a constant.
func SeededRandIntN(seed, bound int32) (int32, error) {
	return NewJavaRandom(int64(seed)).IntN(bound)
}

// RandFloat64 is RAND(): a pseudo-random double in [0, 1).
func RandFloat64() float64 { return randv2.Float64() }

// RandIntN is RAND_INTEGER(bound): a pseudo-random int in [0, bound).
func RandIntN(bound int32) (int32, error) {
	if bound <= 0 {
		return 0, ErrRandBound
	}
	return randv2.Int32N(bound), nil
}

// UUID is UUID(): a random (version 4, RFC 4122) UUID from a cryptographically strong
// source, in its 36-character form, as java.util.UUID.randomUUID().toString().
func UUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // never fails (crypto/rand)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
