package nexmark

// JavaRandom is java.util.Random: the 48-bit linear congruential generator the JDK
// documents (seed' = seed * 0x5DEECE66D + 0xB mod 2^48, next(bits) = the top bits of
// the seed), with the JDK's algorithms for nextInt, nextInt(bound), nextLong and
// nextDouble. Seeded with the same value it returns the same numbers as Java, which is
// what lets the generator's events be checked against the Java generator's.
//
// The zero value is not Java's new Random(0); use NewJavaRandom.
type JavaRandom struct{ seed uint64 }

const (
	jMultiplier = 0x5DEECE66D
	jAddend     = 0xB
	jMask       = 1<<48 - 1
)

// NewJavaRandom is Java's new Random(seed).
func NewJavaRandom(seed int64) JavaRandom {
	return JavaRandom{seed: (uint64(seed) ^ jMultiplier) & jMask}
}

// next is Java's protected next(bits): the next bits (1..32) pseudo-random bits, as a
// signed int (for bits = 32 the sign bit is a random bit).
func (r *JavaRandom) next(bits uint) int32 {
	r.seed = (r.seed*jMultiplier + jAddend) & jMask
	return int32(r.seed >> (48 - bits))
}

// Int is Java's nextInt(): 32 random bits as a signed int.
func (r *JavaRandom) Int() int32 { return r.next(32) }

// Intn is Java's nextInt(bound): uniform in [0, bound); bound must be positive.
// Like Java it rejects the values of the last partial interval, so a bound that is not
// a power of two may draw more than once.
func (r *JavaRandom) Intn(bound int32) int32 {
	if bound <= 0 {
		panic("nexmark: JavaRandom.Intn: bound must be positive")
	}
	return r.intn(bound)
}

// intn is Intn for a positive bound, small enough to inline, so that a constant
// bound's remainder becomes a multiplication.
func (r *JavaRandom) intn(bound int32) int32 {
	m := bound - 1
	for {
		u := r.next(31)
		if bound&m == 0 { // a power of two: the top bits
			return int32((int64(bound) * int64(u)) >> 31)
		}
		// for (int u = r; u - (r = u % bound) + m < 0; u = next(31));  (int overflow intended)
		if v := u % bound; u-v+m >= 0 {
			return v
		}
	}
}

// Int64 is Java's nextLong(): ((long) next(32) << 32) + next(32), both halves signed.
func (r *JavaRandom) Int64() int64 {
	hi := int64(r.next(32))
	lo := int64(r.next(32))
	return hi<<32 + lo
}

// Float64 is Java's nextDouble(): 53 random bits as a double in [0, 1).
func (r *JavaRandom) Float64() float64 {
	hi := int64(r.next(26))
	lo := int64(r.next(27))
	return float64(hi<<27+lo) * (1.0 / (1 << 53))
}

// int64n is the Nexmark generator's LongGenerator.nextLong(random, n): nextInt(n) when
// n fits an int, else |nextLong() % n| (which the Java source itself calls skewed).
func (r *JavaRandom) int64n(n int64) int64 {
	if n < 1<<31-1 {
		return int64(r.intn(int32(n)))
	}
	v := r.Int64() % n
	if v < 0 {
		v = -v
	}
	return v
}
