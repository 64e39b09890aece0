package difftest

import (
	"math"
	"testing"
)

// SUM of FLOAT/DOUBLE starts from its first value, as Flink's SumAggFunction (whose sum
// starts NULL) does: the sum of -0.0 alone is -0.0, not 0.0 + -0.0.
func TestSumOfStartsFromFirstValue(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, rt := range []Type{tDouble, tFloat} {
		if s := sumOf([]Value{vDbl(negZero)}, rt, rt); !math.Signbit(s.F) {
			t.Errorf("SUM(%v) of -0.0 is %v, want -0.0", rt, s.F)
		}
		if s := sumOf([]Value{vDbl(negZero), vDbl(negZero)}, rt, rt); !math.Signbit(s.F) {
			t.Errorf("SUM(%v) of -0.0, -0.0 is %v, want -0.0", rt, s.F)
		}
		if s := sumOf([]Value{vDbl(negZero), vDbl(0)}, rt, rt); math.Signbit(s.F) {
			t.Errorf("SUM(%v) of -0.0, 0.0 is %v, want 0.0", rt, s.F)
		}
	}
}
