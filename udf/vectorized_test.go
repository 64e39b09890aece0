package udf

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

const vectorizedSource = `package udf

import (
	"context"
	"time"
)

// Norm scales.
//
//sqlcstream:vectorized
func Norm(x []float64, s []*float64) []float64 { return x }

//sqlcstream:vectorized
func Prov(ip []string) ([]*string, error) { return nil, nil }

//sqlcstream:vectorized
func Blobs(b [][]byte, t []time.Time) []*time.Time { return nil }

// Plain is not marked: WITH ('vectorized' = 'true') marks it.
func Plain(x []int64) []int64 { return x }

//sqlcstream:vectorized
func NotSlice(x []int64, y int64) []int64 { return x }

//sqlcstream:vectorized
func ResNotSlice(x []int64) int64 { return 0 }

//sqlcstream:vectorized
func Bytes(x []byte) []byte { return x }

//sqlcstream:vectorized
func Variadic(x ...int64) []int64 { return x }

//sqlcstream:vectorized
func NoParams() []int64 { return nil }

//sqlcstream:vectorized
func BadElem(x []int) []int64 { return nil }

//sqlcstream:vectorized
func BadErr(x []int64) ([]int64, string) { return nil, "" }

// Scaler is a vectorized function type with a hook.
//
//sqlcstream:vectorized
type Scaler struct{ f int64 }

func (s *Scaler) Open(ctx context.Context) error { s.f = 2; return nil }
func (s *Scaler) Eval(x []int64) []int64          { return x }

// Two has two Eval methods: not vectorizable.
type Two struct{}

func (Two) Eval(x []int64) []int64       { return x }
func (Two) EvalS(x []string) []string    { return x }
`

func TestResolveVectorized(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": vectorizedSource})
	r := NewResolver(dir)
	yes := true
	good := []struct {
		name  string
		hints ir.ResolveHints
		want  string
	}{
		{"Norm", ir.ResolveHints{}, "func Norm(x []float64, s []*float64) []float64 | DOUBLE NOT NULL, DOUBLE* -> DOUBLE NOT NULL"},
		{"Prov", ir.ResolveHints{}, "func Prov(ip []string) ([]*string, error) | STRING NOT NULL -> STRING ptr"},
		{"Blobs", ir.ResolveHints{}, "func Blobs(b [][]byte, t []time.Time) []*time.Time | BYTES NOT NULL, TIMESTAMP(9) NOT NULL -> TIMESTAMP(9) ptr"},
		{"Plain", ir.ResolveHints{Vectorized: &yes}, "func Plain(x []int64) []int64 | BIGINT NOT NULL -> BIGINT NOT NULL"},
	}
	for _, tc := range good {
		fn, err := r.ResolveHinted("example.com/t/udf", tc.name, tc.hints)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var ps []string
		for _, p := range fn.Params {
			s := p.Type.String()
			if p.Pointer {
				s += "*"
			}
			ps = append(ps, s)
		}
		got := ir.GoSignature(fn) + " | " + strings.Join(ps, ", ") + " -> " + fn.Result.String()
		if fn.ResultPointer {
			got += " ptr"
		}
		if got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
		if !fn.Vectorized || fn.Kind != ir.ScalarFunction {
			t.Errorf("%s: Vectorized=%v Kind=%v", tc.name, fn.Vectorized, fn.Kind)
		}
	}
	bad := []struct{ name, want string }{
		{"NotSlice", "parameter y of example.com/t/udf.NotSlice: int64 is not a slice; a vectorized function is func(a []T1, b []T2, ...) []R"},
		{"ResNotSlice", "result of example.com/t/udf.ResNotSlice: int64 is not a slice"},
		{"Bytes", "parameter x of example.com/t/udf.Bytes: []byte is not a slice"},
		{"Variadic", "example.com/t/udf.Variadic is marked vectorized but has a variadic parameter"},
		{"NoParams", "example.com/t/udf.NoParams is marked vectorized but has no parameters"},
		{"BadElem", "parameter x of example.com/t/udf.BadElem: element type: unsupported Go type int"},
		{"BadErr", "the second result of example.com/t/udf.BadErr must be error, not string"},
	}
	for _, tc := range bad {
		_, err := r.ResolveHinted("example.com/t/udf", tc.name, ir.ResolveHints{Vectorized: &yes})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n got  %v\n want %s...", tc.name, err, tc.want)
		}
	}
}

// TestResolveVectorizedType checks that a function type marked vectorized (by the
// directive on its type declaration, or by the hint) resolves through its one Eval
// method over slices, keeping its hooks.
func TestResolveVectorizedType(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": vectorizedSource})
	r := NewResolver(dir)
	fn, err := r.ResolveHinted("example.com/t/udf", "Scaler", ir.ResolveHints{})
	if err != nil {
		t.Fatal(err)
	}
	if !fn.Vectorized || fn.Receiver != "Scaler" || fn.Method != "Eval" || !fn.HasOpen || len(fn.Params) != 1 || fn.Params[0].GoType != "[]int64" {
		t.Errorf("Scaler: Vectorized=%v Receiver=%q Method=%q HasOpen=%v Params=%+v", fn.Vectorized, fn.Receiver, fn.Method, fn.HasOpen, fn.Params)
	}
	yes := true
	_, err = r.ResolveHinted("example.com/t/udf", "Two", ir.ResolveHints{Vectorized: &yes})
	if want := "vectorized function type example.com/t/udf.Two must have exactly one Eval method, not 2"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Two: got %v, want %s...", err, want)
	}
}
