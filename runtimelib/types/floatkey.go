package types

import "math"

// Flink compares FLOAT and DOUBLE keys (GROUP BY, DISTINCT, UNION, the value sets of
// COUNT(DISTINCT x) and of MIN/MAX over an updating input) by their bits, not with ==:
// a group key is a BinaryRowData (MemorySegment.putDouble writes doubleToRawLongBits,
// equals and hashCode read the bytes), a MapView key a Double (Double.equals and
// DoubleSerializer use doubleToLongBits). So -0.0 and 0.0 are two keys, and NaN is one
// key equal to itself. Java's parsers, casts and literals all make the one canonical
// NaN; Go's bits for NaN vary (strconv and math.NaN() set the low bit, 0/0 on amd64 the
// sign bit), so every NaN maps to Java's.

const (
	nan64 = 0x7ff8000000000000 // Double.doubleToLongBits(Double.NaN)
	nan32 = 0x7fc00000         // Float.floatToIntBits(Float.NaN)
)

// Float64Key is a DOUBLE's identity as a key: its bits, with every NaN Java's NaN.
// Keys compare with == and hash as integers; math.Float64frombits gives the value back.
func Float64Key(f float64) uint64 {
	if f != f {
		return nan64
	}
	return math.Float64bits(f)
}

// Float32Key is a FLOAT's identity as a key: its bits, with every NaN Java's NaN.
func Float32Key(f float32) uint32 {
	if f != f {
		return nan32
	}
	return math.Float32bits(f)
}

// CompareFloat64 orders as Java's Double.compare (the compareTo of Flink's MIN/MAX over
// an updating input, and DecimalDataUtils.compare of a DECIMAL with a FLOAT/DOUBLE): numeric order, but -0.0 < 0.0 and NaN above +Infinity, equal to
// itself.
func CompareFloat64(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	ka, kb := int64(Float64Key(a)), int64(Float64Key(b))
	switch {
	case ka == kb:
		return 0
	case ka < kb:
		return -1
	}
	return 1
}

// CompareFloat32 orders as Java's Float.compare: widening to float64 keeps the order,
// the sign of zero and NaN, so it is CompareFloat64 of the widened values.
func CompareFloat32(a, b float32) int { return CompareFloat64(float64(a), float64(b)) }
