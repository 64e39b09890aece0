// Package aggfunc documents the Go shape of a user-defined aggregate function (Flink's
// AggregateFunction, a UDAF) and offers interfaces to check one at compile time.
//
// A UDAF is a Go type with methods named as Flink's:
//
//	type WeightedAvg struct{}
//
//	type WeightedAvgAcc struct{ Sum, Weight int64 }
//
//	func (WeightedAvg) CreateAccumulator() *WeightedAvgAcc { return &WeightedAvgAcc{} }
//
//	// Accumulate is called once per input row of the group.
//	func (WeightedAvg) Accumulate(acc *WeightedAvgAcc, value, weight int64) {
//		acc.Sum += value * weight
//		acc.Weight += weight
//	}
//
//	// GetValue computes the group's result; a pointer result is nullable (nil is NULL).
//	func (WeightedAvg) GetValue(acc *WeightedAvgAcc) *float64 {
//		if acc.Weight == 0 {
//			return nil
//		}
//		v := float64(acc.Sum) / float64(acc.Weight)
//		return &v
//	}
//
//	// Merge folds other into acc (optional; needed for local-global aggregation).
//	func (WeightedAvg) Merge(acc, other *WeightedAvgAcc) {
//		acc.Sum += other.Sum
//		acc.Weight += other.Weight
//	}
//
//	var _ aggfunc.AggregateFunction[*WeightedAvgAcc, *float64] = WeightedAvg{}
//	var _ aggfunc.Merger[*WeightedAvgAcc] = WeightedAvg{}
//
// and is declared in SQL like any Go function:
//
//	CREATE FUNCTION weighted_avg AS 'example.com/jobs/udf.WeightedAvg' LANGUAGE GO;
//	SELECT item, weighted_avg(price, qty) FROM orders GROUP BY item;
//
// The methods:
//
//   - CreateAccumulator() ACC: a fresh accumulator, called once per group when the
//     group's first row arrives in a task: the task that owns the group, or a source
//     task that pre-aggregates (its partial accumulator is sent to the owner at the
//     next flush, and a new one created after it).
//   - Accumulate(acc ACC, args...): folds one row in. The arguments after acc are the
//     SQL arguments, mapped as scalar UDF parameters: string, int64, int32, int16, int8,
//     float64, float32, bool, []byte, time.Time, and pointers to them. A pointer
//     parameter receives NULL as nil; for a plain parameter, a row whose argument is
//     NULL is skipped (Accumulate is not called), as Flink's built-in aggregates ignore
//     NULL.
//   - GetValue(acc ACC) R, or (R, error): the group's result, computed each time the
//     group's row is emitted. R maps as a scalar UDF result (a pointer is nullable).
//     A non-nil error fails the job.
//   - Retract(acc ACC, args...): optional, the inverse of Accumulate, called for the
//     -U and -D rows of an updating input (an aggregate of an aggregate), where it is
//     required.
//   - Merge(acc ACC, other ACC): optional, folds a partial accumulator that a source
//     task sent into acc, in the task that owns the group (local-global aggregation).
//     Flink's merge takes an Iterable of accumulators; ours takes one and is called
//     once per partial (the group's first partial becomes its accumulator without a
//     call). Without Merge, source tasks forward the rows to the owner, which calls
//     Accumulate itself.
//   - Open(ctx context.Context) error and Close() error: optional hooks, as for scalar
//     function types: called once per function instance (one per task that calls the
//     function) before the first row and at the end of the job.
//
// Accumulators are mutable or values:
//
//   - ACC a pointer (or a map): Accumulate, Retract and Merge mutate it and return
//     nothing, as above.
//   - ACC any other type (a struct, an int64, ...): Accumulate, Retract and Merge return
//     the new accumulator, e.g. func (Count) Accumulate(acc int64, x string) int64.
//
// All three methods use the same form, decided by Accumulate. The accumulator type must
// be a named type (or a pointer to one) of any package, or a type built only from
// predeclared types (int64, map[string]int64, []float64).
//
// # Accumulators in snapshots
//
// A job's snapshots (checkpoints) save every group's accumulator, and a restored job
// reads them back, so an accumulator must be encodable. The compiler checks it at the
// CREATE FUNCTION and accepts, in this order of preference for a defined type T (the
// accumulator, or what a pointer accumulator points to, and every type inside it):
//
//   - *T implements StateEncoder (EncodeState(*codec.Writer), DecodeState(*codec.Reader)
//     with package runtimelib/codec): the type decides its encoding, and may keep
//     unexported fields and values the compiler cannot encode (a sketch, a cache).
//   - *T implements encoding.BinaryMarshaler and encoding.BinaryUnmarshaler (as
//     time.Time does).
//   - T is built only of encodable types: booleans, integers, floats, strings, []byte,
//     and structs of exported fields, slices, arrays, maps and pointers of encodable
//     types. The code generator writes the codec (a pointer is saved as the value it
//     points to: two pointers to one value come back as two values).
//
// Anything else (a channel, a func, an interface, an unexported field) fails the
// CREATE FUNCTION, naming the field:
//
//	accumulator field udf.TopAcc.seen of type map[string]bool is unexported: generated
//	code cannot save it in a snapshot; export it, or give the type EncodeState and
//	DecodeState methods (see docs/udf.md)
//
// The encoding is the job's own (a state fingerprint in the snapshot detects a changed
// accumulator type); a StateEncoder that may change its layout between versions of the
// function writes a version number first.
//
// Generated code holds one value of the function type per task that calls it (the zero
// value: a type needing set-up does it in Open), calls its methods from that task's
// goroutine only, and keeps each group's accumulator in the group's state; the type and
// its accumulators need not be safe for concurrent use. An accumulator is owned by the
// generated code once CreateAccumulator returned it: a pointer accumulator must not be
// shared between groups. Strings and byte slices passed to Accumulate are only valid
// during the call; clone them (strings.Clone, bytes.Clone) to keep them in the
// accumulator.
package aggfunc
