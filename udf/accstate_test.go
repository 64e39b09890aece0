package udf

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// stateSource declares one aggregate function per accumulator shape: Fn<Acc> has the
// accumulator *<Acc> (aggregate functions of a pointer accumulator, so the rules are
// the ones of the type pointed to).
const stateSource = `package st

import (
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

type Weight int32

type Inner struct {
	Name  string
	Seen  []byte
	Times map[string]time.Time
}

// Fields is saved field by field.
type Fields struct {
	Sum    int64
	W      Weight
	F      float32
	Values []float64
	Ring   [4]uint8
	Inner  Inner
	Next   *Inner
	ByKey  map[int32][]Inner
	Inner2 ` + "`json:\"x\"`" + `
}

type Inner2 struct{ OK bool }

// Sketch saves itself: its fields are its own business.
type Sketch struct {
	buckets []int
	ch      chan int
}

func (s *Sketch) EncodeState(w *codec.Writer) {}
func (s *Sketch) DecodeState(r *codec.Reader) {}

// Bin is an encoding.BinaryMarshaler.
type Bin struct{ x int }

func (b Bin) MarshalBinary() ([]byte, error)     { return nil, nil }
func (b *Bin) UnmarshalBinary(data []byte) error { return nil }

// WithSketch holds a type that saves itself, next to plain fields.
type WithSketch struct {
	S *Sketch
	N int64
}

type Chan struct {
	N  int64
	Ch chan int
}

type Unexported struct {
	N     int64
	count int64
}

type Deep struct{ M map[string][]func() }

type Iface struct{ V any }

type List struct {
	V    int64
	Next *List
}

type HalfEncoder struct{ N int64 }

func (h *HalfEncoder) EncodeState(w *codec.Writer) {}

type WrongDecoder struct{ N int64 }

func (h *WrongDecoder) EncodeState(w *codec.Writer) {}
func (h *WrongDecoder) DecodeState(b []byte)        {}

type Promoted struct {
	Sketch
	Lost int64
}

type hidden struct{ N int64 }

type HiddenField struct{ H hidden }

type Complex struct{ C complex128 }
`

// fnFor declares an aggregate function over accumulator *acc.
func fnFor(acc string) string {
	return fmt.Sprintf(`
type Fn%[1]s struct{}

func (Fn%[1]s) CreateAccumulator() *%[1]s      { return &%[1]s{} }
func (Fn%[1]s) Accumulate(acc *%[1]s, x int64) {}
func (Fn%[1]s) GetValue(acc *%[1]s) int64      { return 0 }
`, acc)
}

// dumpState renders a StateCodec tree for comparison.
func dumpState(sc *ir.StateCodec) string {
	switch sc.Kind {
	case ir.StateBasic:
		if sc.Name != "" {
			return sc.Name + "(" + sc.Basic + ")"
		}
		return sc.Basic
	case ir.StateBytes:
		return "bytes"
	case ir.StateMethods, ir.StateBinary:
		return sc.Go + "<" + sc.Kind.String() + ">"
	case ir.StateSlice:
		return "[]" + dumpState(sc.Elem)
	case ir.StateArray:
		return fmt.Sprintf("[%d]%s", sc.Len, dumpState(sc.Elem))
	case ir.StateMap:
		return "map[" + dumpState(sc.Key) + "]" + dumpState(sc.Elem)
	case ir.StatePointer:
		return "*" + dumpState(sc.Elem)
	case ir.StateStruct:
		var fs []string
		for _, f := range sc.Fields {
			fs = append(fs, f.Name+" "+dumpState(f.Type))
		}
		return sc.Name + "{" + strings.Join(fs, "; ") + "}"
	}
	return "?"
}

func TestAccumulatorState(t *testing.T) {
	accs := []string{"Fields", "Sketch", "Bin", "WithSketch", "Chan", "Unexported", "Deep", "Iface", "List",
		"HalfEncoder", "WrongDecoder", "Promoted", "HiddenField", "Complex"}
	src := stateSource
	for _, a := range accs {
		src += fnFor(a)
	}
	dir := gotest.NewModule(t, "t")
	gotest.WriteFile(t, filepath.Join(dir, "st", "st.go"), src)
	r := NewResolver(dir)

	good := []struct{ fn, want string }{
		{"FnFields", "*Fields{Sum int64; W Weight(int32); F float32; Values []float64; Ring [4]uint8; " +
			"Inner Inner{Name string; Seen bytes; Times map[string]time.Time<MarshalBinary/UnmarshalBinary>}; " +
			"Next *Inner{Name string; Seen bytes; Times map[string]time.Time<MarshalBinary/UnmarshalBinary>}; " +
			"ByKey map[int32][]Inner{Name string; Seen bytes; Times map[string]time.Time<MarshalBinary/UnmarshalBinary>}; " +
			"Inner2 Inner2{OK bool}}"},
		{"FnSketch", "*st.Sketch<EncodeState/DecodeState>"},
		{"FnBin", "*st.Bin<MarshalBinary/UnmarshalBinary>"},
		{"FnWithSketch", "*WithSketch{S *st.Sketch<EncodeState/DecodeState>; N int64}"},
	}
	for _, tc := range good {
		fn, err := r.Resolve("example.com/t/st", tc.fn)
		if err != nil {
			t.Errorf("%s: %v", tc.fn, err)
			continue
		}
		if got := dumpState(fn.Agg.State); got != tc.want {
			t.Errorf("%s: state\n got  %s\n want %s", tc.fn, got, tc.want)
		}
	}
	fn, err := r.Resolve("example.com/t/st", "FnFields")
	if err == nil {
		sc := fn.Agg.State.Elem
		if sc.ImportPath != "example.com/t/st" || sc.Name != "Fields" || sc.Go != "st.Fields" || !sc.Fields[8].Embedded {
			t.Errorf("FnFields: %+v", sc)
		}
	}

	const fix = "give the type EncodeState and DecodeState methods (see docs/udf.md)"
	bad := []struct{ fn, want string }{
		{"FnChan", "accumulator field st.Chan.Ch of type chan int cannot be saved in a snapshot: " + fix},
		{"FnUnexported", "accumulator field st.Unexported.count of type int64 is unexported, so generated code cannot save it in a snapshot: export it, or " + fix},
		{"FnDeep", "accumulator field st.Deep.M of type map[string][]func() cannot be saved in a snapshot: " + fix},
		{"FnIface", "accumulator field st.Iface.V of type any cannot be saved in a snapshot: " + fix},
		{"FnList", "accumulator field st.List.Next of type *st.List cannot be saved in a snapshot: st.List is recursive: " + fix},
		{"FnHalfEncoder", "accumulator type *st.HalfEncoder has EncodeState or DecodeState but not both of the right shape: declare EncodeState(w *codec.Writer) and DecodeState(r *codec.Reader) on *st.HalfEncoder (see docs/udf.md)"},
		{"FnWrongDecoder", "accumulator type *st.WrongDecoder has EncodeState or DecodeState but not both of the right shape"},
		{"FnPromoted", "accumulator type *st.Promoted has EncodeState from an embedded field, which would save that field only: declare EncodeState and DecodeState on *st.Promoted (see docs/udf.md)"},
		{"FnHiddenField", "accumulator field st.HiddenField.H of type st.hidden cannot be saved in a snapshot: st.hidden is not an exported package-level type"},
		{"FnComplex", "accumulator field st.Complex.C of type complex128 cannot be saved in a snapshot"},
	}
	for _, tc := range bad {
		_, err := r.Resolve("example.com/t/st", tc.fn)
		want := "aggregate function example.com/t/st." + tc.fn + ": " + tc.want
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s:\n got  %v\n want %s", tc.fn, err, want)
		}
	}
}
