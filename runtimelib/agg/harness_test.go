package agg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// subject is one accumulator under test behind a uniform face: random operations, its
// result as text, its codec. Adapters keep the values added and not retracted yet, so
// a random retraction retracts a row that exists, as an updating input does.
type subject interface {
	step(rng *rand.Rand) // one random Add, or Retract of a live value
	result() string
	encode(w *codec.Writer)
	// decoded is a new subject of the same kind whose accumulator is decoded from r
	// (and whose test-side record of live values is a copy of this one's).
	decoded(r *codec.Reader) subject
}

// kind is one accumulator type with its value generator.
type kind struct {
	name    string
	new     func() subject
	retract bool // has Retract
}

func encodeBytes(s subject) []byte {
	var w codec.Writer
	s.encode(&w)
	return w.Buf
}

// live is the test-side multiset of values added and not retracted.
type live[T any] struct {
	vals []T
	gen  func(*rand.Rand) T
}

// next picks an operation: a new value to add, or (retract) one to retract.
func (l *live[T]) next(rng *rand.Rand, canRetract bool) (v T, retract bool) {
	if canRetract && len(l.vals) > 0 && rng.IntN(3) == 0 {
		i := rng.IntN(len(l.vals))
		v = l.vals[i]
		l.vals = slices.Delete(l.vals, i, i+1)
		return v, true
	}
	v = l.gen(rng)
	if canRetract {
		l.vals = append(l.vals, v)
	}
	return v, false
}

func (l *live[T]) clone() live[T] { return live[T]{vals: slices.Clone(l.vals), gen: l.gen} }

func format(v any, null bool) string {
	if null {
		return "NULL"
	}
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%v(%#x)", x, math.Float64bits(x))
	case float32:
		return fmt.Sprintf("%v(%#x)", x, math.Float32bits(x))
	case []byte:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%v", v)
}

// seenAcc is the method set of the accumulators with a caller-held seen flag.
type seenAcc[T any, A any] interface {
	*A
	Add(T, *bool)
	Result(bool) (T, bool)
	Encode(*codec.Writer, bool)
	Decode(*codec.Reader, *bool)
}

type withSeen[T any, A any, P seenAcc[T, A]] struct {
	acc  A
	seen bool
	gen  func(*rand.Rand) T
}

func seenKind[T any, A any, P seenAcc[T, A]](name string, gen func(*rand.Rand) T) kind {
	return kind{name: name, new: func() subject { return &withSeen[T, A, P]{gen: gen} }}
}

func (s *withSeen[T, A, P]) step(rng *rand.Rand)    { P(&s.acc).Add(s.gen(rng), &s.seen) }
func (s *withSeen[T, A, P]) result() string         { return format(P(&s.acc).Result(s.seen)) }
func (s *withSeen[T, A, P]) encode(w *codec.Writer) { P(&s.acc).Encode(w, s.seen) }
func (s *withSeen[T, A, P]) decoded(r *codec.Reader) subject {
	d := &withSeen[T, A, P]{gen: s.gen}
	P(&d.acc).Decode(r, &d.seen)
	return d
}

// retractAcc is the method set of the accumulators that know their own NULL and retract.
type retractAcc[T any, R any, A any] interface {
	*A
	Add(T)
	Retract(T)
	Result() (R, bool)
	Encode(*codec.Writer)
	Decode(*codec.Reader)
}

type withRetract[T any, R any, A any, P retractAcc[T, R, A]] struct {
	acc  A
	live live[T]
}

func retractKind[T any, R any, A any, P retractAcc[T, R, A]](name string, gen func(*rand.Rand) T) kind {
	return kind{name: name, retract: true, new: func() subject {
		return &withRetract[T, R, A, P]{live: live[T]{gen: gen}}
	}}
}

func (s *withRetract[T, R, A, P]) step(rng *rand.Rand) {
	if v, retract := s.live.next(rng, true); retract {
		P(&s.acc).Retract(v)
	} else {
		P(&s.acc).Add(v)
	}
}
func (s *withRetract[T, R, A, P]) result() string         { return format(P(&s.acc).Result()) }
func (s *withRetract[T, R, A, P]) encode(w *codec.Writer) { P(&s.acc).Encode(w) }
func (s *withRetract[T, R, A, P]) decoded(r *codec.Reader) subject {
	d := &withRetract[T, R, A, P]{live: s.live.clone()}
	P(&d.acc).Decode(r)
	return d
}

// countSubject is COUNT with retraction.
type countSubject struct {
	acc  Count
	live int
}

func (s *countSubject) step(rng *rand.Rand) {
	if s.live > 0 && rng.IntN(3) == 0 {
		s.acc.Retract()
		s.live--
	} else {
		s.acc.Add()
		s.live++
	}
}
func (s *countSubject) result() string         { return format(s.acc.Result(), false) }
func (s *countSubject) encode(w *codec.Writer) { s.acc.Encode(w) }
func (s *countSubject) decoded(r *codec.Reader) subject {
	d := &countSubject{live: s.live}
	d.acc.Decode(r)
	return d
}

// distinctSubject is COUNT(DISTINCT) over an append-only input.
type distinctSubject[K Key] struct {
	acc CountDistinct[K]
	gen func(*rand.Rand) K
}

func (s *distinctSubject[K]) step(rng *rand.Rand)    { s.acc.Add(s.gen(rng)) }
func (s *distinctSubject[K]) result() string         { return format(s.acc.Result(), false) }
func (s *distinctSubject[K]) encode(w *codec.Writer) { s.acc.Encode(w) }
func (s *distinctSubject[K]) decoded(r *codec.Reader) subject {
	d := &distinctSubject[K]{gen: s.gen}
	d.acc.Decode(r)
	return d
}

// distinctRetract gives CountDistinctWithRetract the (value, null) Result of retractAcc.
type distinctRetract[K Key] struct{ CountDistinctWithRetract[K] }

func (d *distinctRetract[K]) Result() (int64, bool) {
	return d.CountDistinctWithRetract.Result(), false
}

// avgDecimalSubject is AVG of a DECIMAL(20, 2): the result is a DECIMAL(38, 6).
type avgDecimalSubject struct {
	acc  AvgDecimal
	live live[types.Decimal]
}

func (s *avgDecimalSubject) step(rng *rand.Rand) {
	if v, retract := s.live.next(rng, true); retract {
		s.acc.Retract(v)
	} else {
		s.acc.Add(v)
	}
}
func (s *avgDecimalSubject) result() string         { return format(s.acc.Result(2, 6, 38)) }
func (s *avgDecimalSubject) encode(w *codec.Writer) { s.acc.Encode(w) }
func (s *avgDecimalSubject) decoded(r *codec.Reader) subject {
	d := &avgDecimalSubject{live: s.live.clone()}
	d.acc.Decode(r)
	return d
}

// Value generators: few distinct values, so sets and row counts repeat, and the edge
// values (-0.0, NaN, the extremes of a type) come up often.

func genInt64(rng *rand.Rand) int64 {
	switch rng.IntN(8) {
	case 0:
		return math.MaxInt64 - rng.Int64N(3)
	case 1:
		return math.MinInt64 + rng.Int64N(3)
	}
	return rng.Int64N(21) - 10
}

func genInt32(rng *rand.Rand) int32 { return int32(genInt64(rng)) }
func genInt8(rng *rand.Rand) int8   { return int8(genInt64(rng)) }

var negZero = math.Copysign(0, -1)

var floatEdges = []float64{0, negZero, math.NaN(), math.Inf(1), math.Inf(-1), 1.5, -2.25, 1e308}

func genFloat64(rng *rand.Rand) float64 {
	if rng.IntN(3) == 0 {
		return floatEdges[rng.IntN(len(floatEdges))]
	}
	return float64(rng.IntN(9)-4) / 4
}

func genFloat32(rng *rand.Rand) float32 { return float32(genFloat64(rng)) }

func genString(rng *rand.Rand) string {
	return []string{"", "a", "ab", "b", "é", "zz", "A"}[rng.IntN(7)]
}

func genBytes(rng *rand.Rand) []byte {
	if rng.IntN(7) == 0 {
		return nil
	}
	return []byte(genString(rng))
}

func genBool(rng *rand.Rand) bool { return rng.IntN(2) == 0 }

// maxDecimal is 10^38 - 1, the largest DECIMAL(38) value.
var maxDecimal, _ = types.ParseDecimal([]byte("99999999999999999999999999999999999999"), 38, 0)

func genDecimal(rng *rand.Rand) types.Decimal {
	if rng.IntN(10) == 0 {
		if rng.IntN(2) == 0 {
			return maxDecimal
		}
		return maxDecimal.Neg()
	}
	return types.DecimalFromInt64(rng.Int64N(2001)-1000, 0)
}

func genTimestamp(rng *rand.Rand) types.Timestamp {
	return types.Timestamp{Millis: rng.Int64N(5) - 2, Nanos: int32(rng.IntN(3) * 1000)}
}

func genFloat64Key(rng *rand.Rand) uint64 { return types.Float64Key(genFloat64(rng)) }
func genFloat32Key(rng *rand.Rand) uint32 { return types.Float32Key(genFloat32(rng)) }

// kinds lists every accumulator type with a representative set of value types.
func kinds() []kind {
	return []kind{
		{name: "Count", retract: true, new: func() subject { return &countSubject{} }},
		{name: "CountDistinct[int64]", new: func() subject { return &distinctSubject[int64]{gen: genInt64} }},
		{name: "CountDistinct[string]", new: func() subject { return &distinctSubject[string]{gen: genString} }},
		{name: "CountDistinct[uint64]", new: func() subject { return &distinctSubject[uint64]{gen: genFloat64Key} }},
		{name: "CountDistinct[Decimal]", new: func() subject { return &distinctSubject[types.Decimal]{gen: genDecimal} }},
		{name: "CountDistinct[Timestamp]", new: func() subject { return &distinctSubject[types.Timestamp]{gen: genTimestamp} }},
		{name: "CountDistinct[bool]", new: func() subject { return &distinctSubject[bool]{gen: genBool} }},
		retractKind[int32, int64, distinctRetract[int32]]("CountDistinctWithRetract[int32]", genInt32),
		retractKind[string, int64, distinctRetract[string]]("CountDistinctWithRetract[string]", genString),
		retractKind[uint32, int64, distinctRetract[uint32]]("CountDistinctWithRetract[uint32]", genFloat32Key),
		seenKind[int64, Sum[int64]]("Sum[int64]", genInt64),
		seenKind[int8, Sum[int8]]("Sum[int8]", genInt8),
		seenKind[float64, Sum[float64]]("Sum[float64]", genFloat64),
		seenKind[float32, Sum[float32]]("Sum[float32]", genFloat32),
		retractKind[int64, int64, SumWithRetract[int64]]("SumWithRetract[int64]", genInt64),
		retractKind[float64, float64, SumWithRetract[float64]]("SumWithRetract[float64]", genFloat64),
		seenKind[types.Decimal, SumDecimal]("SumDecimal", genDecimal),
		retractKind[types.Decimal, types.Decimal, SumDecimalWithRetract]("SumDecimalWithRetract", genDecimal),
		retractKind[int64, int64, AvgInt[int64]]("AvgInt[int64]", genInt64),
		retractKind[int8, int8, AvgInt[int8]]("AvgInt[int8]", genInt8),
		retractKind[float64, float64, AvgFloat[float64]]("AvgFloat[float64]", genFloat64),
		retractKind[float32, float32, AvgFloat[float32]]("AvgFloat[float32]", genFloat32),
		{name: "AvgDecimal", retract: true, new: func() subject { return &avgDecimalSubject{live: live[types.Decimal]{gen: genDecimal}} }},
		seenKind[int64, Min[int64]]("Min[int64]", genInt64),
		seenKind[int32, Max[int32]]("Max[int32]", genInt32),
		seenKind[float64, Min[float64]]("Min[float64]", genFloat64),
		seenKind[float32, Max[float32]]("Max[float32]", genFloat32),
		seenKind[string, MinCompared[string]]("MinCompared[string]", genString),
		seenKind[[]byte, MaxCompared[[]byte]]("MaxCompared[[]byte]", genBytes),
		seenKind[bool, MinCompared[bool]]("MinCompared[bool]", genBool),
		seenKind[types.Decimal, MaxCompared[types.Decimal]]("MaxCompared[Decimal]", genDecimal),
		seenKind[types.Timestamp, MinCompared[types.Timestamp]]("MinCompared[Timestamp]", genTimestamp),
		seenKind[string, MinString]("MinString", genString),
		seenKind[string, MaxString]("MaxString", genString),
		seenKind[types.Decimal, MinDecimal]("MinDecimal", genDecimal),
		seenKind[types.Decimal, MaxDecimal]("MaxDecimal", genDecimal),
		seenKind[types.Timestamp, MinTimestamp]("MinTimestamp", genTimestamp),
		seenKind[types.Timestamp, MaxTimestamp]("MaxTimestamp", genTimestamp),
		retractKind[int64, int64, MinWithRetract[int64]]("MinWithRetract[int64]", genInt64),
		retractKind[uint64, uint64, MaxWithRetract[uint64]]("MaxWithRetract[uint64]", genFloat64Key),
		retractKind[uint32, uint32, MinWithRetract[uint32]]("MinWithRetract[uint32]", genFloat32Key),
		retractKind[string, string, MaxWithRetract[string]]("MaxWithRetract[string]", genString),
		retractKind[types.Decimal, types.Decimal, MinWithRetract[types.Decimal]]("MinWithRetract[Decimal]", genDecimal),
		retractKind[types.Timestamp, types.Timestamp, MaxWithRetract[types.Timestamp]]("MaxWithRetract[Timestamp]", genTimestamp),
		retractKind[bool, bool, MinWithRetract[bool]]("MinWithRetract[bool]", genBool),
		retractKind[int16, int16, MaxWithRetract[int16]]("MaxWithRetract[int16]", func(rng *rand.Rand) int16 { return int16(genInt64(rng)) }),
	}
}
