package ir

import (
	"fmt"
	"strings"
)

// AggUDF is the AggFunc of a call of a Go user-defined aggregate function (Flink's
// AggregateFunction): AggCall.Fn is the function, AggCall.Args its arguments (Arg is
// nil). Such a call is an aggregate wherever built-in aggregates are.
const AggUDF AggFunc = "UDAF"

// Operands returns what the aggregate reads of each row besides its FILTER: Arg, or the
// Args of an AggUDF call. Optimizer passes rewrite them with MapOperands.
func (a *AggCall) Operands() []Expr {
	if a.Fn != nil || len(a.Args) > 0 {
		return a.Args
	}
	if a.Arg == nil {
		return nil
	}
	return []Expr{a.Arg}
}

// MapOperands replaces Arg and every Args element (not Filter) with f of it.
func (a *AggCall) MapOperands(f func(Expr) Expr) {
	if a.Arg != nil {
		a.Arg = f(a.Arg)
	}
	if a.Args != nil {
		args := make([]Expr, len(a.Args))
		for i, x := range a.Args {
			args[i] = f(x)
		}
		a.Args = args
	}
}

// UDAFKey identifies what an AggUDF call computes, for merging duplicate calls: the Go
// function and, for a non-deterministic one, the call's position, so two calls of it
// are never merged. Empty for built-in aggregates.
func (a *AggCall) UDAFKey() string {
	if a.Fn == nil {
		return ""
	}
	k := "udaf:" + a.Fn.ImportPath + "." + a.Fn.GoName
	if !a.Fn.Deterministic {
		k += fmt.Sprintf("@%d-%d", a.Pos.Start, a.Pos.End)
	}
	return k
}

// formatUDAF renders an AggUDF call as SQL: weighted_avg(price, qty).
func formatUDAF(a AggCall, in []Field) string {
	var sb strings.Builder
	sb.WriteString(a.Fn.Name)
	sb.WriteByte('(')
	if a.Distinct {
		sb.WriteString("DISTINCT ")
	}
	for i, x := range a.Args {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(FormatExpr(x, in))
	}
	sb.WriteByte(')')
	if a.Filter != nil {
		sb.WriteString(" FILTER (WHERE " + FormatExpr(a.Filter, in) + ")")
	}
	return sb.String()
}

// AccumulateSignature renders an aggregate function's Accumulate method for messages:
// func (WeightedAvg) Accumulate(acc *udf.WeightedAvgAcc, value int64, weight int64).
func AccumulateSignature(fn *Function) string {
	ps := []string{"acc " + fn.Agg.AccGo}
	for _, p := range fn.Params {
		if p.Name != "" {
			ps = append(ps, p.Name+" "+p.GoType)
		} else {
			ps = append(ps, p.GoType)
		}
	}
	recv := fn.Receiver
	if fn.ReceiverPointer {
		recv = "*" + recv
	}
	s := fmt.Sprintf("func (%s) Accumulate(%s)", recv, strings.Join(ps, ", "))
	if fn.Agg.ValueAcc {
		s += " " + fn.Agg.AccGo
	}
	return s
}

// StateCodec is how generated code writes a value of a Go type into a snapshot and
// reads it back (runtimelib/codec): the accumulator of a Go aggregate function, and
// recursively what it is made of. The udf resolver builds it and rejects a type it
// cannot (docs/udf.md, "Accumulators in snapshots").
type StateCodec struct {
	Kind StateKind
	// Go is the type as written in the function's package (qualified by package
	// name: "udf.WeightedAvgAcc", "map[string]int64"), for comments and messages.
	Go string
	// ImportPath and Name name a defined type, for conversions and composite literals
	// in generated code; both empty for a type spelled with predeclared types only.
	ImportPath string
	Name       string
	// Basic is the predeclared type of a StateBasic value's underlying type: "bool",
	// "int", "int8", ..., "uint64", "uintptr", "float32", "float64", "string".
	Basic string
	// Len is a StateArray's length.
	Len int64
	// Key is a StateMap's key; Elem is the element of a StateSlice or StateArray, a
	// StateMap's value and what a StatePointer points to.
	Key, Elem *StateCodec
	// Fields are a StateStruct's fields in declaration order, every one exported.
	Fields []StateField
}

// StateField is one field of a StateStruct.
type StateField struct {
	Name     string // as declared; for an embedded field, its type's name
	Embedded bool
	Type     *StateCodec
}

// StateKind is the way a StateCodec writes its value.
type StateKind uint8

const (
	// StateMethods: the type's pointer has EncodeState(*codec.Writer) and
	// DecodeState(*codec.Reader) (aggfunc.StateEncoder); generated code calls them.
	StateMethods StateKind = iota + 1
	// StateBinary: the type's pointer has MarshalBinary and UnmarshalBinary
	// (encoding.BinaryMarshaler, BinaryUnmarshaler; time.Time has them); generated
	// code writes the bytes with codec's Bytes, and an UnmarshalBinary error fails the
	// restore as a corrupt snapshot.
	StateBinary
	// StateBasic: a boolean, integer, float or string (Basic), written with codec's
	// Bool, Int64/Uint64, Float32/Float64 or String.
	StateBasic
	// StateBytes: a []byte (or a defined type of one), written with codec's Bytes,
	// which tells nil from empty.
	StateBytes
	// StateStruct: its Fields in order.
	StateStruct
	// StateSlice: a length and the elements (nil and empty are told apart as for
	// StateBytes).
	StateSlice
	// StateArray: Len elements.
	StateArray
	// StateMap: a length and the entries (generated code may sort the keys when Key is
	// ordered, so a state encodes to the same bytes).
	StateMap
	// StatePointer: whether it is nil, then what it points to. Two pointers to one
	// value are restored as two values.
	StatePointer
)

func (k StateKind) String() string {
	switch k {
	case StateMethods:
		return "EncodeState/DecodeState"
	case StateBinary:
		return "MarshalBinary/UnmarshalBinary"
	case StateBasic:
		return "basic"
	case StateBytes:
		return "bytes"
	case StateStruct:
		return "struct"
	case StateSlice:
		return "slice"
	case StateArray:
		return "array"
	case StateMap:
		return "map"
	case StatePointer:
		return "pointer"
	}
	return "none"
}
