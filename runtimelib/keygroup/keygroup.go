// Package keygroup assigns keys to key groups and key groups to tasks, the unit by
// which keyed state is partitioned and moved (Flink's KeyGroupRangeAssignment, with
// Kafka's murmur2 over a canonical key encoding instead of Java's hashCode).
//
// A key is first encoded into bytes with the Append functions, one call per key
// column in key order, into a reused buffer; the bytes are the same in every process
// and on every machine (fixed widths, big-endian, explicit lengths and null flags), so
// a key lands in the same group after a restart or on another host. Then
//
//	group = (murmur2(bytes) & 0x7fffffff) mod K   (K = pipeline.max-parallelism)
//	task  = group mod N                           (N = the stage's parallelism)
//
// Kafka's default partitioner computes the same murmur2 (Utils.murmur2, toPositive),
// so the hash of a key's bytes is the one a Kafka producer uses for them.
package keygroup

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// MaxParallelismKey is Flink's setting for the number of key groups:
// SET 'pipeline.max-parallelism' = '256'. It bounds the parallelism a job's keyed state
// can ever be rescaled to.
const MaxParallelismKey = "pipeline.max-parallelism"

// DefaultMaxParallelism is the least number of key groups without
// pipeline.max-parallelism: Flink's default is 128 up to a parallelism of 85 (see
// MaxParallelism).
const DefaultMaxParallelism = 128

// UpperBoundMaxParallelism is Flink's upper bound for pipeline.max-parallelism
// (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM).
const UpperBoundMaxParallelism = 1 << 15

// MaxParallelism resolves pipeline.max-parallelism: the setting's value ("" for
// none) checked against the parallelism, which it must not be below. Without a value it
// is Flink's default (KeyGroupRangeAssignment.computeDefaultMaxParallelism): 1.5 times
// the parallelism rounded up to a power of two, at least 128, at most 32768.
func MaxParallelism(value string, parallelism int) (int, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		p := 1
		for p < parallelism+parallelism/2 {
			p *= 2
		}
		return min(max(p, DefaultMaxParallelism), UpperBoundMaxParallelism), nil
	}
	k, err := strconv.Atoi(v)
	if err != nil || k < 1 || k > UpperBoundMaxParallelism {
		return 0, fmt.Errorf("%s: %q is not an integer between 1 and %d", MaxParallelismKey, value, UpperBoundMaxParallelism)
	}
	if k < parallelism {
		return 0, fmt.Errorf("%s (%d) is below the parallelism (%d)", MaxParallelismKey, k, parallelism)
	}
	return k, nil
}

// Murmur2 is Kafka's 32-bit murmur2 (org.apache.kafka.common.utils.Utils.murmur2),
// as an unsigned value: int32(Murmur2(b)) is what Java returns.
func Murmur2(data []byte) uint32 {
	const (
		seed = 0x9747b28c
		m    = 0x5bd1e995
		r    = 24
	)
	n := len(data)
	h := uint32(seed) ^ uint32(n)
	for len(data) >= 4 {
		k := binary.LittleEndian.Uint32(data)
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
		data = data[4:]
	}
	switch len(data) {
	case 3:
		h ^= uint32(data[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(data[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(data[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}

// Of returns the key group of a key's canonical bytes among maxParallelism groups.
func Of(key []byte, maxParallelism int) int {
	return int((Murmur2(key) & 0x7fffffff) % uint32(maxParallelism)) // 32-bit: a cheaper division
}

// Task returns the task (0 <= task < parallelism) that owns a key group.
func Task(group, parallelism int) int { return int(uint32(group) % uint32(parallelism)) }

// The Append functions encode one key column. Every column of a nullable type starts
// with AppendNull (its null flag); a NULL column is that flag alone. Integer columns of
// every width are encoded by AppendInt64, so widening a column's type keeps its groups.

// AppendNull appends a nullable column's null flag: 0 for NULL, 1 for a value.
func AppendNull(b []byte, isNull bool) []byte {
	if isNull {
		return append(b, 0)
	}
	return append(b, 1)
}

// AppendBool appends a BOOLEAN.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendInt64 appends an integer (TINYINT to BIGINT, DATE days, TIME millis),
// big-endian.
func AppendInt64(b []byte, v int64) []byte { return binary.BigEndian.AppendUint64(b, uint64(v)) }

// AppendString appends a string: its length (uint32, big-endian), then its bytes, so
// that ("ab", "c") and ("a", "bc") differ.
func AppendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// AppendBytes appends a BINARY/VARBINARY value, as AppendString does.
func AppendBytes(b []byte, v []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}

// AppendFloat64 appends a DOUBLE (or a FLOAT, widened with float64(v)) by its key identity
// (types.Float64Key: -0.0 and 0.0 differ, every NaN is one key), as Flink groups them.
func AppendFloat64(b []byte, v float64) []byte {
	return binary.BigEndian.AppendUint64(b, types.Float64Key(v))
}

// AppendDecimal appends a DECIMAL's unscaled value (the scale is the column's).
func AppendDecimal(b []byte, v types.Decimal) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(v.Hi))
	return binary.BigEndian.AppendUint64(b, v.Lo)
}

// AppendTimestamp appends a TIMESTAMP or TIMESTAMP_LTZ.
func AppendTimestamp(b []byte, v types.Timestamp) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(v.Millis))
	return binary.BigEndian.AppendUint32(b, uint32(v.Nanos))
}
