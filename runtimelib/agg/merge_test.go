package agg

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// permutations of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

type seenMerger[T any, A any] interface {
	seenAcc[T, A]
	Merge(A, bool, *bool)
}

// checkSeenMerge: values split at random among three partials, merged in every order
// into an empty accumulator, give the state of adding them all to one.
func checkSeenMerge[T any, A any, P seenMerger[T, A]](t *testing.T, name string, gen func(*rand.Rand) T) {
	t.Helper()
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 4))
		var all A
		var allSeen bool
		parts := make([]A, 3)
		partSeen := make([]bool, 3)
		for range rng.IntN(30) {
			v := gen(rng)
			P(&all).Add(v, &allSeen)
			i := rng.IntN(3)
			P(&parts[i]).Add(v, &partSeen[i])
		}
		var want codec.Writer
		P(&all).Encode(&want, allSeen)
		for _, order := range permutations(3) {
			var m A
			var seen bool
			for _, i := range order {
				P(&m).Merge(parts[i], partSeen[i], &seen)
			}
			var got codec.Writer
			P(&m).Encode(&got, seen)
			if !bytes.Equal(got.Buf, want.Buf) {
				t.Fatalf("%s seed %d: merged in order %v: %s, sequential %s", name, seed, order,
					format(P(&m).Result(seen)), format(P(&all).Result(allSeen)))
			}
		}
	}
}

type selfMerger[T any, A any] interface {
	*A
	Add(T)
	Merge(A)
	Encode(*codec.Writer)
}

// checkMerge is checkSeenMerge for the accumulators that know their own NULL.
func checkMerge[T any, A any, P selfMerger[T, A]](t *testing.T, name string, gen func(*rand.Rand) T) {
	t.Helper()
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 5))
		var all A
		parts := make([]A, 3)
		for range rng.IntN(30) {
			v := gen(rng)
			P(&all).Add(v)
			P(&parts[rng.IntN(3)]).Add(v)
		}
		var want codec.Writer
		P(&all).Encode(&want)
		for _, order := range permutations(3) {
			var m A
			for _, i := range order {
				P(&m).Merge(parts[i])
			}
			var got codec.Writer
			P(&m).Encode(&got)
			if !bytes.Equal(got.Buf, want.Buf) {
				t.Fatalf("%s seed %d: merged in order %v: %x, sequential %x", name, seed, order, got.Buf, want.Buf)
			}
		}
	}
}

// countRows gives Count the Add(v) of selfMerger.
type countRows struct{ Count }

func (c *countRows) Add(struct{})      { c.Count.Add() }
func (c *countRows) Merge(o countRows) { c.Count.Merge(o.Count) }

func genSmallDecimal(rng *rand.Rand) types.Decimal {
	return types.DecimalFromInt64(rng.Int64N(2001)-1000, 2)
}

// TestMergeEqualsSequential covers the accumulators whose Merge is exact and
// order-insensitive (see the package doc for the others).
func TestMergeEqualsSequential(t *testing.T) {
	checkMerge[struct{}, countRows](t, "Count", func(*rand.Rand) struct{} { return struct{}{} })
	checkMerge[string, CountDistinct[string]](t, "CountDistinct[string]", genString)
	checkMerge[uint64, CountDistinct[uint64]](t, "CountDistinct[uint64]", genFloat64Key)
	checkSeenMerge[int64, Sum[int64]](t, "Sum[int64]", genInt64)
	checkSeenMerge[int8, Sum[int8]](t, "Sum[int8]", genInt8)
	checkMerge[int64, SumWithRetract[int64]](t, "SumWithRetract[int64]", genInt64)
	checkSeenMerge[types.Decimal, SumDecimal](t, "SumDecimal", genSmallDecimal)
	checkMerge[types.Decimal, SumDecimalWithRetract](t, "SumDecimalWithRetract", genSmallDecimal)
	checkMerge[int32, AvgInt[int32]](t, "AvgInt[int32]", genInt32)
	checkMerge[types.Decimal, AvgDecimal](t, "AvgDecimal", genSmallDecimal)
	checkSeenMerge[int64, Min[int64]](t, "Min[int64]", genInt64)
	checkSeenMerge[int16, Max[int16]](t, "Max[int16]", func(rng *rand.Rand) int16 { return int16(genInt64(rng)) })
	checkSeenMerge[string, MinCompared[string]](t, "MinCompared[string]", genString)
	checkSeenMerge[[]byte, MaxCompared[[]byte]](t, "MaxCompared[[]byte]", genBytes)
	checkSeenMerge[bool, MaxCompared[bool]](t, "MaxCompared[bool]", genBool)
	checkSeenMerge[types.Decimal, MinCompared[types.Decimal]](t, "MinCompared[Decimal]", genDecimal)
	checkSeenMerge[types.Timestamp, MaxCompared[types.Timestamp]](t, "MaxCompared[Timestamp]", genTimestamp)
	checkSeenMerge[string, MinString](t, "MinString", genString)
	checkSeenMerge[string, MaxString](t, "MaxString", genString)
	checkSeenMerge[types.Decimal, MinDecimal](t, "MinDecimal", genDecimal)
	checkSeenMerge[types.Decimal, MaxDecimal](t, "MaxDecimal", genDecimal)
	checkSeenMerge[types.Timestamp, MinTimestamp](t, "MinTimestamp", genTimestamp)
	checkSeenMerge[types.Timestamp, MaxTimestamp](t, "MaxTimestamp", genTimestamp)
}

// TestMergeOverflow: a partial that overflowed makes the merged DECIMAL sum NULL.
func TestMergeOverflow(t *testing.T) {
	var a, b SumDecimal
	var aSeen, bSeen bool
	a.Add(types.DecimalFromInt64(1, 0), &aSeen)
	b.Add(maxDecimal, &bSeen)
	b.Add(maxDecimal, &bSeen)
	a.Merge(b, bSeen, &aSeen)
	if v, null := a.Result(aSeen); !null {
		t.Errorf("merged an overflowed partial: %v, want NULL", v)
	}
	var x, y AvgDecimal
	x.Add(maxDecimal)
	y.Add(maxDecimal)
	x.Merge(y)
	if v, null := x.Result(0, 6, 38); !null {
		t.Errorf("AVG of partials whose sum overflows: %v, want NULL", v)
	}
}
