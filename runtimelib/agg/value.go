package agg

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Number is the Go representation of a SUM: TINYINT, SMALLINT, INT, BIGINT (and the
// INTERVALs held in an int64), FLOAT, DOUBLE. DECIMAL has its own accumulators.
type Number interface {
	int8 | int16 | int32 | int64 | float32 | float64
}

// Integer is the Go representation of an integral AVG argument.
type Integer interface {
	int8 | int16 | int32 | int64
}

// Float is the Go representation of a FLOAT or DOUBLE AVG argument.
type Float interface {
	float32 | float64
}

// Compared is a representation MIN and MAX order with a comparison function, and clone
// when it is a string or byte slice: CHAR/VARCHAR (byte order, which is Flink's order of
// UTF-8 strings), BINARY/VARBINARY (bytes.Compare), BOOLEAN (FALSE < TRUE), DECIMAL
// (types.Cmp; one column has one scale) and TIMESTAMP (types.CompareTimestamp). The
// numbers (Number) are ordered by Go's <, which inlines.
type Compared interface {
	string | []byte | bool | types.Decimal | types.Timestamp
}

// Key is a value as a map key (the values of COUNT(DISTINCT x), and of MIN/MAX over an
// updating input), as codegen's keyGoType holds it: the value itself, except that
// BINARY/VARBINARY is a string (see BytesKey) and FLOAT/DOUBLE their bits
// (types.Float32Key, types.Float64Key), because Flink tells such keys apart by their
// bits: -0.0 and 0.0 are two values, every NaN is one. Bits order as Java's
// Float/Double.compare (types.CompareFloat64): -0.0 < 0.0 and NaN above +Infinity.
type Key interface {
	int8 | int16 | int32 | int64 | uint32 | uint64 | string | bool | types.Decimal | types.Timestamp
}

// BytesKey is a BINARY/VARBINARY value as a Key without a copy. The string aliases b:
// it is valid for the call it is passed to only (the accumulators clone a key they
// keep), and b must not change during that call.
func BytesKey(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// keep returns v for storing in an accumulator that outlives the row: strings and byte
// slices alias the batch's buffer, so they are cloned. Other values are returned as is.
func keep[T any](v T) T {
	switch p := any(&v).(type) {
	case *string:
		*p = strings.Clone(*p)
	case *[]byte:
		*p = bytes.Clone(*p)
	}
	return v
}

// compare orders two values of a Compared or Key representation: -1, 0 or +1. Float
// bits (uint32, uint64) order as Java's Float/Double.compare.
func compare[T any](a, b T) int {
	switch pa := any(&a).(type) {
	case *int8:
		return cmp.Compare(*pa, *any(&b).(*int8))
	case *int16:
		return cmp.Compare(*pa, *any(&b).(*int16))
	case *int32:
		return cmp.Compare(*pa, *any(&b).(*int32))
	case *int64:
		return cmp.Compare(*pa, *any(&b).(*int64))
	case *uint32:
		return types.CompareFloat32(math.Float32frombits(*pa), math.Float32frombits(*any(&b).(*uint32)))
	case *uint64:
		return types.CompareFloat64(math.Float64frombits(*pa), math.Float64frombits(*any(&b).(*uint64)))
	case *string:
		return strings.Compare(*pa, *any(&b).(*string))
	case *[]byte:
		return bytes.Compare(*pa, *any(&b).(*[]byte))
	case *bool:
		x, y := *pa, *any(&b).(*bool)
		switch {
		case x == y:
			return 0
		case x:
			return 1
		}
		return -1
	case *types.Decimal:
		return types.Cmp(*pa, *any(&b).(*types.Decimal))
	case *types.Timestamp:
		return types.CompareTimestamp(*pa, *any(&b).(*types.Timestamp))
	}
	panic(fmt.Sprintf("agg: no order for %T", a)) // unreachable: the type constraints
}

// putValue writes one value of any representation the accumulators hold.
func putValue[T any](w *codec.Writer, v T) {
	switch p := any(&v).(type) {
	case *int8:
		w.Int64(int64(*p))
	case *int16:
		w.Int64(int64(*p))
	case *int32:
		w.Int64(int64(*p))
	case *int64:
		w.Int64(*p)
	case *uint32:
		w.Uint64(uint64(*p))
	case *uint64:
		w.Uint64(*p)
	case *float32:
		w.Float32(*p)
	case *float64:
		w.Float64(*p)
	case *string:
		w.String(*p)
	case *[]byte:
		w.Bytes(*p)
	case *bool:
		w.Bool(*p)
	case *types.Decimal:
		w.Decimal(*p)
	case *types.Timestamp:
		w.Timestamp(*p)
	default:
		panic(fmt.Sprintf("agg: no encoding for %T", v)) // unreachable: the type constraints
	}
}

// getValue reads what putValue wrote. A value out of its type's range fails r: an
// integer wider than its type, float bits that are a NaN other than Java's (keys are
// made by types.Float64Key), a DECIMAL of more than 38 digits.
func getValue[T any](r *codec.Reader) T {
	var v T
	switch p := any(&v).(type) {
	case *int8:
		*p = int8(getInt(r, math.MinInt8, math.MaxInt8))
	case *int16:
		*p = int16(getInt(r, math.MinInt16, math.MaxInt16))
	case *int32:
		*p = int32(getInt(r, math.MinInt32, math.MaxInt32))
	case *int64:
		*p = r.Int64()
	case *uint32:
		x := r.Uint64()
		if x > math.MaxUint32 || types.Float32Key(math.Float32frombits(uint32(x))) != uint32(x) {
			r.Fail("%#x is not a FLOAT key", x)
			return v
		}
		*p = uint32(x)
	case *uint64:
		x := r.Uint64()
		if types.Float64Key(math.Float64frombits(x)) != x {
			r.Fail("%#x is not a DOUBLE key", x)
			return v
		}
		*p = x
	case *float32:
		*p = r.Float32()
	case *float64:
		*p = r.Float64()
	case *string:
		*p = r.String()
	case *[]byte:
		*p = r.Bytes()
	case *bool:
		*p = r.Bool()
	case *types.Decimal:
		d := r.Decimal()
		if !types.FitsPrecision(d, types.MaxDecimalPrecision) {
			r.Fail("DECIMAL value of more than %d digits", types.MaxDecimalPrecision)
			return v
		}
		*p = d
	case *types.Timestamp:
		*p = r.Timestamp()
	default:
		panic(fmt.Sprintf("agg: no encoding for %T", v)) // unreachable: the type constraints
	}
	return v
}

func getInt(r *codec.Reader, lo, hi int64) int64 {
	x := r.Int64()
	if x < lo || x > hi {
		r.Fail("integer %d out of range [%d, %d]", x, lo, hi)
		return 0
	}
	return x
}

// isZero reports whether v is its type's zero value (for floats: +0.0, by its bits).
func isZero[T any](v T) bool {
	switch p := any(&v).(type) {
	case *float32:
		return math.Float32bits(*p) == 0
	case *float64:
		return math.Float64bits(*p) == 0
	case *[]byte:
		return *p == nil
	}
	var z T
	return any(v) == any(z)
}

// getCount reads a row count, which is never negative.
func getCount(r *codec.Reader) int64 {
	n := r.Int64()
	if n < 0 {
		r.Fail("negative count %d", n)
		return 0
	}
	return n
}

// getLength reads the entry count of a map whose entries take at least min bytes each:
// a corrupt length fails before anything is allocated for it.
func getLength(r *codec.Reader, min int) int {
	n := r.Length()
	if n > r.Len()/min {
		r.Fail("%d entries in %d bytes", n, r.Len())
		return 0
	}
	return n
}
