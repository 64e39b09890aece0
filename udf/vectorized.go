package udf

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Vectorized functions (the counterpart of PyFlink's pandas UDFs): a func marked
// //sqlcstream:vectorized or WITH ('vectorized' = 'true') takes one slice per SQL
// argument and returns one slice of results, called once per batch with one element per
// row that reaches the call:
//
//	//sqlcstream:vectorized
//	func Normalize(x []float64, scale []float64) []float64
//	func Province(ip []string) ([]*string, error)
//
// Element types map as scalar parameter and result types do (string, int64, *int64,
// time.Time, []byte as [][]byte, ...): a plain element type is NOT NULL, and rows whose
// argument is NULL are left out of the slices (their result is NULL); a pointer element
// type receives nil for NULL. A nil result element of a pointer result type is NULL.
// The ir.Function holds the element types in Params[i].Type/Pointer and Result/
// ResultPointer, so calls bind like a scalar call, and the Go types as written in
// Params[i].GoType ("[]float64", "[]*int64") and ResultGo ("[]*string"). A type with one
// Eval method of that shape works too (Receiver, Method, Open/Close as for scalar
// function types).
func init() { resolveVectorizedHook = resolveVectorized }

// resolveVectorized resolves a func or a function type marked vectorized. A type has
// exactly one Eval method over slices (overloads are not supported for vectorized
// functions) and optional Open/Close hooks, as a scalar function type.
func resolveVectorized(d *Decl) (*ir.Function, error) {
	switch obj := d.Obj.(type) {
	case *types.Func:
		sig := obj.Type().(*types.Signature)
		if sig.TypeParams().Len() > 0 {
			return nil, fmt.Errorf("%s is a generic function; SQL can only call functions with concrete parameter types", d.Qualified)
		}
		out := &ir.Function{ImportPath: d.ImportPath, GoName: d.GoName, Deterministic: true, Vectorized: true}
		if err := mapVectorizedSignature(out, sig, d.Qualified, d.Qual); err != nil {
			return nil, err
		}
		return out, nil
	case *types.TypeName:
		named, ok := obj.Type().(*types.Named)
		if !ok || obj.IsAlias() || named.TypeParams().Len() > 0 {
			return nil, fmt.Errorf("%s is marked vectorized but is not a concrete named type", d.Qualified)
		}
		ms := types.NewMethodSet(types.NewPointer(named))
		methods := map[string]*types.Func{}
		var evals []string
		for i := 0; i < ms.Len(); i++ {
			m := ms.At(i).Obj().(*types.Func)
			methods[m.Name()] = m
			if isEvalName(m.Name()) {
				evals = append(evals, m.Name())
			}
		}
		if len(evals) != 1 {
			sort.Strings(evals)
			return nil, fmt.Errorf("vectorized function type %s must have exactly one Eval method, not %d (%s); overloads are not supported for vectorized functions", d.Qualified, len(evals), strings.Join(evals, ", "))
		}
		hooks, err := resolveHooks(d, methods)
		if err != nil {
			return nil, err
		}
		out := &ir.Function{
			ImportPath: d.ImportPath, GoName: d.GoName, Deterministic: true, Vectorized: true,
			Receiver: d.GoName, ReceiverPointer: hooks.pointer, Method: evals[0],
			HasOpen: hooks.open, HasClose: hooks.close,
		}
		m := methods[evals[0]]
		if err := mapVectorizedSignature(out, m.Type().(*types.Signature), "method "+m.Name()+" of "+d.Qualified, d.Qual); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s is marked vectorized but is neither a func nor a type", d.Qualified)
}

// vectorizedShape is the shape every vectorized function has, for messages.
const vectorizedShape = "a vectorized function is func(a []T1, b []T2, ...) []R or ([]R, error), one slice element per row"

// mapVectorizedSignature maps a vectorized func's signature: every parameter a slice of
// a supported element type, the result a slice of one, optionally followed by an error.
func mapVectorizedSignature(out *ir.Function, sig *types.Signature, what string, qual types.Qualifier) error {
	if sig.Variadic() {
		return fmt.Errorf("%s is marked vectorized but has a variadic parameter; %s", what, vectorizedShape)
	}
	params := sig.Params()
	if params.Len() == 0 {
		return fmt.Errorf("%s is marked vectorized but has no parameters; %s (the slices' length is the batch's number of rows)", what, vectorizedShape)
	}
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		elem, err := sliceElem(p.Type(), qual)
		if err != nil {
			return fmt.Errorf("parameter %s of %s: %v; %s", paramName(p, i), what, err, vectorizedShape)
		}
		sqlType, pointer, err := mapType(elem, qual)
		if err != nil {
			return fmt.Errorf("parameter %s of %s: element type: %v", paramName(p, i), what, err)
		}
		out.Params = append(out.Params, ir.Param{Name: p.Name(), Type: sqlType, GoType: types.TypeString(p.Type(), qual), Pointer: pointer})
	}
	res := sig.Results()
	switch {
	case res.Len() == 0:
		return fmt.Errorf("%s returns no value; %s", what, vectorizedShape)
	case res.Len() > 2:
		return fmt.Errorf("%s returns %d values; %s", what, res.Len(), vectorizedShape)
	case res.Len() == 2:
		if !isError(res.At(1).Type()) {
			return fmt.Errorf("the second result of %s must be error, not %s", what, types.TypeString(res.At(1).Type(), qual))
		}
		out.ReturnsError = true
	}
	rt := res.At(0).Type()
	elem, err := sliceElem(rt, qual)
	if err != nil {
		return fmt.Errorf("result of %s: %v; %s", what, err, vectorizedShape)
	}
	sqlType, pointer, err := mapType(elem, qual)
	if err != nil {
		return fmt.Errorf("result of %s: element type: %v", what, err)
	}
	out.Result = sqlType
	out.ResultGo = types.TypeString(rt, qual)
	out.ResultPointer = pointer
	return nil
}

// sliceElem returns the element type of a slice type ([]byte is a BYTES value, not a
// slice of rows: a vectorized BYTES parameter is [][]byte).
func sliceElem(t types.Type, qual types.Qualifier) (types.Type, error) {
	s, ok := t.(*types.Slice)
	if !ok || isBytes(t) {
		return nil, fmt.Errorf("%s is not a slice", types.TypeString(t, qual))
	}
	return s.Elem(), nil
}
