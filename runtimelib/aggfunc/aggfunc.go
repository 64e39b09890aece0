package aggfunc

import "github.com/sqlc-stream/sqlc-stream/runtimelib/codec"

// AggregateFunction is the part of a UDAF's method set that does not depend on its
// arguments: CreateAccumulator and GetValue. Assert it at compile time:
//
//	var _ aggfunc.AggregateFunction[*WeightedAvgAcc, *float64] = WeightedAvg{}
//
// Accumulate (and Retract) take the SQL arguments after the accumulator, so no single
// interface covers them; Accumulator1, Accumulator2 and Accumulator3 check the common
// arities of the mutating form.
type AggregateFunction[ACC, R any] interface {
	CreateAccumulator() ACC
	GetValue(acc ACC) R
}

// FallibleAggregateFunction is AggregateFunction for a GetValue that can fail: a
// non-nil error fails the job, naming the function and its SQL position.
type FallibleAggregateFunction[ACC, R any] interface {
	CreateAccumulator() ACC
	GetValue(acc ACC) (R, error)
}

// Accumulator1 is a UDAF over one argument whose accumulator is mutated in place.
type Accumulator1[ACC, A any] interface {
	Accumulate(acc ACC, a A)
}

// Accumulator2 is a UDAF over two arguments whose accumulator is mutated in place.
type Accumulator2[ACC, A, B any] interface {
	Accumulate(acc ACC, a A, b B)
}

// Accumulator3 is a UDAF over three arguments whose accumulator is mutated in place.
type Accumulator3[ACC, A, B, C any] interface {
	Accumulate(acc ACC, a A, b B, c C)
}

// Merger is a UDAF whose (pointer) accumulators can be merged: Merge folds other into
// acc. Generated code uses it to fold the partial accumulators that source tasks send
// into the group's accumulator in the task that owns it (local-global aggregation).
type Merger[ACC any] interface {
	Merge(acc ACC, other ACC)
}

// ValueMerger is Merger for value accumulators: Merge returns the combined accumulator.
type ValueMerger[ACC any] interface {
	Merge(acc ACC, other ACC) ACC
}

// StateEncoder is an accumulator that saves itself in a snapshot: implement it on the
// accumulator's pointer type (see "Accumulators in snapshots" in the package doc).
// EncodeState writes the accumulator's state; DecodeState reads exactly what
// EncodeState wrote into a fresh accumulator, and reports a value that cannot be with
// r.Fail (codec.Reader's errors are sticky: read every field, never panic).
type StateEncoder interface {
	EncodeState(w *codec.Writer)
	DecodeState(r *codec.Reader)
}
