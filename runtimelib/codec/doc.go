// Package codec is the binary encoding of operator state in snapshots: what generated
// state codecs, the built-in accumulators (runtimelib/agg) and the state tables
// (runtimelib/state) write and read.
//
// The format is little-endian and self-delimiting per value, with no type tags: a
// decoder must read exactly the fields the encoder wrote, in the same order, which the
// compiler guarantees by generating both from one state layout (and a snapshot's
// manifest records a fingerprint of that layout). Integers are varints (zig-zag for
// signed values), floats their IEEE bits, strings and bytes a length and the bytes,
// DECIMAL its two words, TIMESTAMP milliseconds and nanoseconds.
//
// Writer appends to a byte slice and cannot fail. Reader has a sticky error: once a
// read fails (the input ended, a length is past the end or above the limit, a varint
// overflows), every later read returns the zero value and Err reports the first
// failure with its offset, so decoding code reads all fields and checks Err once. A
// corrupt snapshot fails with an error, never a panic or an unbounded allocation.
package codec
