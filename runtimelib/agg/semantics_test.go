package agg

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func dec(s string) types.Decimal {
	d, ok := types.ParseDecimal([]byte(s), 38, 2)
	if !ok {
		panic("bad decimal " + s)
	}
	return d
}

// sum adds vs to a Sum and returns its result as text.
func sum[T Number](vs ...T) string {
	var s Sum[T]
	var seen bool
	for _, v := range vs {
		s.Add(v, &seen)
	}
	return format(s.Result(seen))
}

func minOf[T Number](vs ...T) string {
	var m Min[T]
	var seen bool
	for _, v := range vs {
		m.Add(v, &seen)
	}
	return format(m.Result(seen))
}

func maxOf[T Number](vs ...T) string {
	var m Max[T]
	var seen bool
	for _, v := range vs {
		m.Add(v, &seen)
	}
	return format(m.Result(seen))
}

// TestSemantics checks Flink's rules case by case; each case computes a result as text.
func TestSemantics(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		got  func() string
		want string
	}{
		{"COUNT of no row", func() string { var c Count; return format(c.Result(), false) }, "0"},
		{"COUNT retracted to empty", func() string {
			var c Count
			c.Add()
			c.Add()
			c.Retract()
			c.Retract()
			return format(c.Result(), false)
		}, "0"},

		{"SUM of no value (NULL-only group)", func() string { return sum[int64]() }, "NULL"},
		{"SUM BIGINT", func() string { return sum[int64](1, 2, -4) }, "-1"},
		{"SUM of 0 is not NULL", func() string { return sum[int64](0) }, "0"},
		{"SUM BIGINT wraps", func() string { return sum[int64](math.MaxInt64, 1) }, "-9223372036854775808"},
		{"SUM INT wraps in INT", func() string { return sum[int32](math.MaxInt32, 1) }, "-2147483648"},
		{"SUM TINYINT wraps in TINYINT", func() string { return sum[int8](100, 100) }, "-56"},
		{"SUM of one -0.0 is -0.0", func() string { return sum(negZero) }, format(negZero, false)},
		{"SUM -0.0 + 0.0", func() string { return sum(negZero, 0) }, format(0.0, false)},
		{"SUM with NaN", func() string { return sum(1, nan, 2) }, format(nan, false)},
		{"SUM FLOAT in FLOAT", func() string { return sum[float32](16777216, 1) }, format(float32(16777216), false)},

		{"SumWithRetract to empty is NULL", func() string {
			var s SumWithRetract[int64]
			s.Add(5)
			s.Add(7)
			s.Retract(5)
			s.Retract(7)
			return format(s.Result())
		}, "NULL"},
		{"SumWithRetract counts values, not sums", func() string {
			var s SumWithRetract[int64]
			s.Add(5)
			s.Add(-5)
			s.Retract(5)
			return format(s.Result())
		}, "-5"},
		{"SumWithRetract of 0 is 0", func() string {
			var s SumWithRetract[int64]
			s.Add(3)
			s.Add(-3)
			return format(s.Result())
		}, "0"},

		{"SUM DECIMAL", func() string {
			var s SumDecimal
			var seen bool
			s.Add(dec("1.25"), &seen)
			s.Add(dec("-0.05"), &seen)
			return format(s.Result(seen))
		}, format(dec("1.20"), false)},
		{"SUM DECIMAL of no value", func() string { var s SumDecimal; return format(s.Result(false)) }, "NULL"},
		{"SUM DECIMAL overflow is NULL and stays", func() string {
			var s SumDecimal
			var seen bool
			s.Add(maxDecimal, &seen)
			s.Add(types.DecimalFromInt64(1, 0), &seen)
			s.Add(maxDecimal.Neg(), &seen)
			return format(s.Result(seen))
		}, "NULL"},
		{"SUM DECIMAL at 38 digits is not an overflow", func() string {
			var s SumDecimal
			var seen bool
			s.Add(maxDecimal, &seen)
			s.Add(types.DecimalFromInt64(-1, 0), &seen)
			s.Add(types.DecimalFromInt64(1, 0), &seen)
			return format(s.Result(seen))
		}, format(maxDecimal, false)},
		{"SumDecimalWithRetract overflow stays after retraction", func() string {
			var s SumDecimalWithRetract
			s.Add(maxDecimal)
			s.Add(maxDecimal)
			s.Retract(maxDecimal)
			return format(s.Result())
		}, "NULL"},
		{"SumDecimalWithRetract to empty", func() string {
			var s SumDecimalWithRetract
			s.Add(dec("1.00"))
			s.Retract(dec("1.00"))
			return format(s.Result())
		}, "NULL"},

		{"AVG BIGINT truncates toward zero", func() string {
			var a AvgInt[int64]
			a.Add(-7)
			a.Add(0)
			return format(a.Result())
		}, "-3"},
		{"AVG INT sums in BIGINT", func() string {
			var a AvgInt[int32]
			a.Add(math.MaxInt32)
			a.Add(math.MaxInt32)
			return format(a.Result())
		}, "2147483647"},
		{"AVG TINYINT narrows", func() string {
			var a AvgInt[int8]
			a.Add(127)
			a.Add(127)
			a.Add(127)
			return format(a.Result())
		}, "127"},
		{"AVG of no value", func() string { var a AvgInt[int64]; return format(a.Result()) }, "NULL"},
		{"AVG retracted to empty", func() string {
			var a AvgFloat[float64]
			a.Add(1.5)
			a.Retract(1.5)
			return format(a.Result())
		}, "NULL"},
		{"AVG DOUBLE", func() string {
			var a AvgFloat[float64]
			a.Add(1)
			a.Add(2)
			return format(a.Result())
		}, format(1.5, false)},
		{"AVG FLOAT sums in DOUBLE", func() string {
			var a AvgFloat[float32]
			a.Add(16777216)
			a.Add(1)
			a.Add(1)
			return format(a.Result())
		}, format(float32(16777218.0/3), false)},
		{"AVG of one -0.0 is 0.0", func() string {
			var a AvgFloat[float64]
			a.Add(negZero)
			return format(a.Result())
		}, format(0.0, false)},
		{"AVG DECIMAL", func() string {
			var a AvgDecimal
			a.Add(dec("1.00"))
			a.Add(dec("2.00"))
			a.Add(dec("2.00"))
			return format(a.Result(2, 6, 38))
		}, format(types.Decimal{Lo: 1666667}, false)},
		{"AVG DECIMAL overflow", func() string {
			var a AvgDecimal
			a.Add(maxDecimal)
			a.Add(maxDecimal)
			a.Retract(maxDecimal)
			return format(a.Result(2, 6, 38))
		}, "NULL"},

		{"MIN of no value", func() string { return minOf[int64]() }, "NULL"},
		{"MIN BIGINT", func() string { return minOf[int64](3, -2, 5) }, "-2"},
		{"MAX INT", func() string { return maxOf[int32](3, -2, 5) }, "5"},
		{"MIN keeps the first of -0.0 and 0.0", func() string { return minOf(0, negZero) }, format(0.0, false)},
		{"MIN keeps the first of -0.0 and 0.0 (2)", func() string { return minOf(negZero, 0) }, format(negZero, false)},
		{"MIN skips a later NaN", func() string { return minOf(1, nan, 0.5) }, format(0.5, false)},
		{"MIN keeps a first NaN", func() string { return minOf(nan, 1) }, format(nan, false)},
		{"MAX DOUBLE infinity", func() string { return maxOf(1, math.Inf(1), 2) }, format(math.Inf(1), false)},
		{"MIN STRING byte order", func() string {
			var m MinCompared[string]
			var seen bool
			for _, s := range []string{"b", "é", "B", "ab"} {
				m.Add(s, &seen)
			}
			return format(m.Result(seen))
		}, "B"},
		{"MAX BOOLEAN", func() string {
			var m MaxCompared[bool]
			var seen bool
			m.Add(false, &seen)
			m.Add(true, &seen)
			m.Add(false, &seen)
			return format(m.Result(seen))
		}, "true"},
		{"MIN DECIMAL", func() string {
			var m MinCompared[types.Decimal]
			var seen bool
			m.Add(dec("1.00"), &seen)
			m.Add(dec("-3.50"), &seen)
			return format(m.Result(seen))
		}, format(dec("-3.50"), false)},
		{"MAX TIMESTAMP by nanos", func() string {
			var m MaxCompared[types.Timestamp]
			var seen bool
			m.Add(types.Timestamp{Millis: 5, Nanos: 1}, &seen)
			m.Add(types.Timestamp{Millis: 5, Nanos: 3}, &seen)
			m.Add(types.Timestamp{Millis: 4, Nanos: 999}, &seen)
			return format(m.Result(seen))
		}, format(types.Timestamp{Millis: 5, Nanos: 3}, false)},
		{"MIN BYTES", func() string {
			var m MinCompared[[]byte]
			var seen bool
			m.Add([]byte("b"), &seen)
			m.Add([]byte("a\xff"), &seen)
			m.Add([]byte("a"), &seen)
			return format(m.Result(seen))
		}, `"a"`},

		{"MinWithRetract recomputes on the extreme's last row", func() string {
			var m MinWithRetract[int64]
			for _, v := range []int64{5, 3, 3, 8} {
				m.Add(v)
			}
			m.Retract(3)
			m.Retract(3)
			return format(m.Result())
		}, "5"},
		{"MinWithRetract keeps the extreme while it has rows", func() string {
			var m MinWithRetract[int64]
			m.Add(3)
			m.Add(3)
			m.Add(5)
			m.Retract(3)
			return format(m.Result())
		}, "3"},
		{"MaxWithRetract to empty", func() string {
			var m MaxWithRetract[string]
			m.Add("a")
			m.Retract("a")
			return format(m.Result())
		}, "NULL"},
		{"MaxWithRetract of a retracted non-extreme", func() string {
			var m MaxWithRetract[string]
			m.Add("b")
			m.Add("a")
			m.Retract("a")
			m.Retract("z") // never added: nothing
			return format(m.Result())
		}, "b"},
		{"MinWithRetract DOUBLE: -0.0 below 0.0", func() string {
			var m MinWithRetract[uint64]
			m.Add(types.Float64Key(0))
			m.Add(types.Float64Key(negZero))
			k, null := m.Result()
			return format(math.Float64frombits(k), null)
		}, format(negZero, false)},
		{"MaxWithRetract DOUBLE: NaN above +Infinity", func() string {
			var m MaxWithRetract[uint64]
			m.Add(types.Float64Key(math.Inf(1)))
			m.Add(types.Float64Key(nan))
			m.Add(types.Float64Key(1))
			k, null := m.Result()
			return format(math.Float64frombits(k), null)
		}, format(math.Float64frombits(types.Float64Key(nan)), false)}, // Java's NaN
		{"MaxWithRetract FLOAT: after NaN's retraction", func() string {
			var m MaxWithRetract[uint32]
			m.Add(types.Float32Key(float32(math.Inf(-1))))
			m.Add(types.Float32Key(float32(nan)))
			m.Add(types.Float32Key(2))
			m.Retract(types.Float32Key(float32(nan)))
			k, null := m.Result()
			return format(math.Float32frombits(k), null)
		}, format(float32(2), false)},

		{"COUNT DISTINCT", func() string {
			var c CountDistinct[string]
			for _, s := range []string{"a", "b", "a", ""} {
				c.Add(s)
			}
			return format(c.Result(), false)
		}, "3"},
		{"COUNT DISTINCT DOUBLE: -0.0 and 0.0 are two, NaNs one", func() string {
			var c CountDistinct[uint64]
			for _, f := range []float64{0, negZero, nan, -nan, math.Float64frombits(0x7ff8000000000001)} {
				c.Add(types.Float64Key(f))
			}
			return format(c.Result(), false)
		}, "3"},
		{"COUNT DISTINCT with retract: the last row", func() string {
			var c CountDistinctWithRetract[int64]
			c.Add(1)
			c.Add(1)
			c.Add(2)
			c.Retract(1)
			n1 := c.Result()
			c.Retract(1)
			return format(n1, false) + "," + format(c.Result(), false)
		}, "2,1"},
	}
	for _, c := range cases {
		if got := c.got(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestClonesKeptValues: a value kept past the call (a new minimum, a new distinct key)
// does not alias the caller's buffer, which the next batch overwrites.
func TestClonesKeptValues(t *testing.T) {
	buf := []byte("abc")
	var mn MinCompared[string]
	var mb MaxCompared[[]byte]
	var cd CountDistinct[string]
	var mr MinWithRetract[string]
	var seen, seenB bool
	mn.Add(BytesKey(buf), &seen)
	mb.Add(buf, &seenB)
	cd.Add(BytesKey(buf))
	mr.Add(BytesKey(buf))
	copy(buf, "xyz")
	if v, _ := mn.Result(seen); v != "abc" {
		t.Errorf("MinCompared[string] kept %q", v)
	}
	if v, _ := mb.Result(seenB); string(v) != "abc" {
		t.Errorf("MaxCompared[[]byte] kept %q", v)
	}
	if v, _ := mr.Result(); v != "abc" {
		t.Errorf("MinWithRetract[string] kept %q", v)
	}
	for k := range cd.set {
		if k != "abc" {
			t.Errorf("CountDistinct[string] kept %q", k)
		}
	}
	cd.Add("abc")
	if n := cd.Result(); n != 1 {
		t.Errorf("CountDistinct: %d values after adding the kept one again", n)
	}
}

// TestAddDoesNotAllocate: an Add that keeps nothing new allocates nothing.
func TestAddDoesNotAllocate(t *testing.T) {
	var c Count
	var s Sum[int64]
	var sd SumDecimal
	var mn Min[float64]
	var ms MinCompared[string]
	var cd CountDistinct[string]
	cd.Add("a")
	var seen, seenD, seenM, seenS bool
	buf := []byte("b")
	ms.Add("a", &seenS)
	allocs := testing.AllocsPerRun(100, func() {
		c.Add()
		s.Add(3, &seen)
		sd.Add(types.DecimalFromInt64(5, 2), &seenD)
		mn.Add(1.5, &seenM)
		ms.Add(BytesKey(buf), &seenS) // not a new minimum
		cd.Add("a")
	})
	if allocs != 0 {
		t.Errorf("%v allocations per row", allocs)
	}
}

// TestDirectExtremesMatchCompared: MinString, MaxDecimal, ... are MinCompared and
// MaxCompared with the comparison written out; they keep the same values.
func TestDirectExtremesMatchCompared(t *testing.T) {
	checkSameExtreme[string, MinString, MinCompared[string]](t, "MinString", genString)
	checkSameExtreme[string, MaxString, MaxCompared[string]](t, "MaxString", genString)
	checkSameExtreme[types.Decimal, MinDecimal, MinCompared[types.Decimal]](t, "MinDecimal", genDecimal)
	checkSameExtreme[types.Decimal, MaxDecimal, MaxCompared[types.Decimal]](t, "MaxDecimal", genDecimal)
	checkSameExtreme[types.Timestamp, MinTimestamp, MinCompared[types.Timestamp]](t, "MinTimestamp", genTimestamp)
	checkSameExtreme[types.Timestamp, MaxTimestamp, MaxCompared[types.Timestamp]](t, "MaxTimestamp", genTimestamp)
}

func checkSameExtreme[T any, A any, B any, PA seenAcc[T, A], PB seenAcc[T, B]](t *testing.T, name string, gen func(*rand.Rand) T) {
	t.Helper()
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 9))
		var a A
		var b B
		var aSeen, bSeen bool
		for range rng.IntN(20) {
			v := gen(rng)
			PA(&a).Add(v, &aSeen)
			PB(&b).Add(v, &bSeen)
			if got, want := format(PA(&a).Result(aSeen)), format(PB(&b).Result(bSeen)); got != want {
				t.Fatalf("%s seed %d: %s, the compared form %s", name, seed, got, want)
			}
		}
	}
}
