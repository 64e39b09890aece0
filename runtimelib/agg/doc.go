// Package agg holds the accumulators of the built-in aggregate functions (COUNT, SUM,
// AVG, MIN, MAX, COUNT(DISTINCT)) with Flink's semantics, for generated code to keep in
// each group's state. Each is a small value type of its SQL representation's Go type,
// with the methods a Go aggregate function has (runtimelib/aggfunc) plus a codec:
//
//	Add(v)        fold in one non-NULL value (the caller skips NULLs, as Flink's
//	              built-in aggregates ignore them; COUNT(*) and COUNT(x) call Add())
//	Retract(v)    the inverse of Add, for the -U/-D rows of an updating input
//	Merge(o)      fold in a partial accumulator of the same aggregate call (two-phase
//	              aggregation: a source task's partial into the owning task's group)
//	Result()      the aggregate's value and whether it is NULL
//	Encode(w)     write the state to a snapshot (runtimelib/codec)
//	Decode(r)     read it back; an impossible state (a negative count, a value listed
//	              twice) fails r, and a corrupt snapshot never panics
//
// The zero value of each type is the empty accumulator. The state is unexported:
// generated code goes through the methods, which inline on the hot path (Count.Add,
// Sum.Add, Min.Add, ...).
//
// # The seen flag
//
// SUM, MIN and MAX over an append-only input are NULL until a value is added, and
// nothing in their value tells (a sum of 0 is a value). They do not hold that flag: Go
// pads a struct{int64; bool} to 16 bytes, so the CDN query's COUNT and two SUMs would
// take 40 bytes of each group's state instead of 32 (TestSizes). The caller keeps one
// bool per accumulator, with the state's other bool fields at its end where they share
// a word, and passes it:
//
//	type agg0State struct {
//		key      agg0Key
//		count0   agg.Count        // COUNT(uuid)
//		sum1     agg.Sum[int64]   // SUM(response_size)
//		sum2     agg.Sum[int64]   // SUM(request_time)
//		dirty    bool
//		sum1Seen bool
//		sum2Seen bool
//	}
//
//	st.count0.Add()
//	st.sum1.Add(x, &st.sum1Seen)
//	st.sum1.Merge(ps.sum1, ps.sum1Seen, &st.sum1Seen)
//	total, totalNull := st.sum1.Result(st.sum1Seen)
//	st.sum1.Encode(w, st.sum1Seen)
//	st.sum1.Decode(r, &st.sum1Seen)
//
// Every other accumulator knows when it is NULL from its own count.
//
// # Which type
//
// By aggregate call, input (append-only, or updating: the changelog of another
// aggregate) and the Go type of the argument (codegen's goType; K is its key type,
// codegen's keyGoType: a string for BINARY via BytesKey, the bits for FLOAT/DOUBLE via
// types.Float32Key/Float64Key):
//
//	COUNT(*), COUNT(x)       Count (Retract over an updating input)
//	COUNT(DISTINCT x)        CountDistinct[K]; updating: CountDistinctWithRetract[K]; several
//	                         calls of one x differing by FILTER (append-only): DistinctSet[K]
//	SUM(x) integer/float     Sum[T] (seen flag); updating: SumWithRetract[T]
//	SUM(x) DECIMAL           SumDecimal (seen flag); updating: SumDecimalWithRetract
//	AVG(x) integer           AvgInt[T]   (both inputs: Retract is there)
//	AVG(x) FLOAT/DOUBLE      AvgFloat[T]
//	AVG(x) DECIMAL           AvgDecimal; Result(argScale, resScale, resPrecision)
//	MIN/MAX(x) number        Min[T], Max[T] (seen flag; also DATE, TIME, INTERVAL)
//	MIN/MAX(x) STRING        MinString, MaxString (seen flag); DECIMAL: MinDecimal,
//	                         MaxDecimal; TIMESTAMP: MinTimestamp, MaxTimestamp
//	MIN/MAX(x) other         MinCompared[T], MaxCompared[T] (seen flag): BYTES, BOOLEAN
//	MIN/MAX(x) updating      MinWithRetract[K], MaxWithRetract[K]; Result gives the key
//
// # Semantics
//
// As Flink's SumAggFunction, AvgAggFunction, MinAggFunction, ... and their WithRetract
// forms:
//
//   - SUM has the argument's type and wraps in it; SUM of no value is NULL, and the
//     first value is taken as is (SUM of one -0.0 is -0.0). Over an updating input SUM
//     counts its values and is NULL again when the last is retracted.
//   - SUM and AVG of DECIMAL(p, s) add in DECIMAL(38, s); once the sum overflows 38
//     digits it is NULL until the group is deleted (the sum holds a sentinel, not a
//     flag).
//   - AVG of integers sums in a BIGINT and divides with truncating integer division,
//     then narrows to the argument's type; AVG of FLOAT/DOUBLE sums in a DOUBLE.
//   - MIN/MAX over an append-only input compare as SQL's < and > (Go's, for numbers: a
//     NaN stays only when it came first); over an updating input they keep each value's
//     row count and order FLOAT/DOUBLE as Java's compareTo (-0.0 < 0.0, NaN above
//     +Infinity), as Flink's MapView-based forms do.
//   - COUNT(DISTINCT) tells FLOAT/DOUBLE values apart by their bits (see Key).
//
// # Merge
//
// Merge is exact and independent of the order of the partials for COUNT, COUNT(DISTINCT),
// integer SUM and AVG, and MIN/MAX of everything but FLOAT/DOUBLE. It is not for
// FLOAT/DOUBLE SUM and AVG (the last bits depend on the order of the additions), for
// FLOAT/DOUBLE MIN/MAX when values tie (-0.0 and 0.0: the receiver's stays) or a NaN
// came first in a partial (it hides the partial's later values, as it does without
// partials), nor for a DECIMAL sum that overflows on the way in one order and not in
// another; Flink's two-phase aggregation has the same differences. Merge takes the partial's strings without a copy (a partial is dropped
// or zeroed after a merge, never reused). The map-based forms over an updating input
// (CountDistinctWithRetract, MinWithRetract, MaxWithRetract) have no Merge: an
// aggregate over an updating input gets each change at the task owning its group,
// never partials, and a partial could hold the retraction of a row whose addition is
// in another.
//
// # Strings and bytes
//
// Values passed to Add alias the batch's buffer and are valid for the call only: an
// accumulator clones a string or byte slice it keeps (a new COUNT(DISTINCT) key, a new
// minimum), and nothing else, so an Add that keeps nothing does not allocate.
//
// # Encoding
//
// Encode writes the fields in a fixed order with codec's varints and IEEE bits; map
// entries in ascending order of key, so a state always encodes to the same bytes.
// Decode of a map bounds its length by the bytes left before allocating.
package agg
