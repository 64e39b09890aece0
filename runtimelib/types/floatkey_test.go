package types

import (
	"math"
	"testing"
)

func TestFloatKey(t *testing.T) {
	zero := 0.0
	nans := []float64{
		math.NaN(),                               // Go's NaN: 0x7ff8000000000001
		zero / zero,                              // the hardware's default NaN (amd64: sign bit set)
		math.Inf(1) * zero,                       // ditto
		-math.NaN(),                              // sign flipped
		math.Float64frombits(0x7ff0000000000123), // a signaling NaN's payload
	}
	for _, n := range nans {
		if got := Float64Key(n); got != 0x7ff8000000000000 {
			t.Errorf("Float64Key(NaN %#x) = %#x, want Java's NaN 0x7ff8000000000000", math.Float64bits(n), got)
		}
		if got := Float32Key(float32(n)); got != 0x7fc00000 {
			t.Errorf("Float32Key(NaN %#x) = %#x, want Java's NaN 0x7fc00000", math.Float32bits(float32(n)), got)
		}
	}
	if Float64Key(math.Copysign(0, -1)) == Float64Key(0) {
		t.Error("Float64Key: -0.0 and 0.0 are one key; Flink's binary rows tell them apart")
	}
	if Float32Key(float32(math.Copysign(0, -1))) == Float32Key(0) {
		t.Error("Float32Key: -0.0 and 0.0 are one key")
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1.5, -2, math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64} {
		if back := math.Float64frombits(Float64Key(f)); math.Float64bits(back) != math.Float64bits(f) {
			t.Errorf("Float64Key(%v) does not give the value back: %v", f, back)
		}
		if back := math.Float32frombits(Float32Key(float32(f))); math.Float32bits(back) != math.Float32bits(float32(f)) {
			t.Errorf("Float32Key(%v) does not give the value back: %v", f, back)
		}
	}
}

// TestCompareFloat: Java's Double.compare and Float.compare order -Infinity < -1 < -0.0
// < 0.0 < 1 < Infinity < NaN, and every NaN equals every other.
func TestCompareFloat(t *testing.T) {
	zero := 0.0
	order := []float64{math.Inf(-1), -1, math.Copysign(0, -1), 0, math.SmallestNonzeroFloat64, 1, math.Inf(1), math.NaN()}
	for i, a := range order {
		for j, b := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareFloat64(a, b); got != want {
				t.Errorf("CompareFloat64(%v, %v) = %d, want %d", a, b, got, want)
			}
			if i == 4 || j == 4 {
				continue // the smallest DOUBLE is 0 as a FLOAT
			}
			if got := CompareFloat32(float32(a), float32(b)); got != want {
				t.Errorf("CompareFloat32(%v, %v) = %d, want %d", a, b, got, want)
			}
		}
	}
	if got := CompareFloat64(zero/zero, math.NaN()); got != 0 {
		t.Errorf("CompareFloat64(NaN, NaN) with other bits = %d, want 0", got)
	}
	if got := CompareFloat64(-math.NaN(), math.Inf(1)); got != 1 {
		t.Errorf("CompareFloat64(-NaN, +Inf) = %d, want 1: every NaN is above +Infinity", got)
	}
}
