package udf

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Aggregate functions (Flink's AggregateFunction): a Go type T with
//
//	CreateAccumulator() ACC
//	Accumulate(acc ACC, args...)            // ACC a pointer or a map: mutated in place
//	Accumulate(acc ACC, args...) ACC        // any other ACC: returns the new accumulator
//	GetValue(acc ACC) R                     // or (R, error)
//	Retract(acc ACC, args...) [ACC]         // optional, same form as Accumulate
//	Merge(acc ACC, other ACC) [ACC]         // optional, same form as Accumulate
//	Open(ctx context.Context) error         // optional
//	Close() error                           // optional
//
// The arguments after acc map as scalar UDF parameters (see doc.go), R as a scalar
// result. runtimelib/aggfunc documents the shape for users.

func init() { resolveAggregateHook = resolveAggregate }

// resolveAggregate resolves a type with an Accumulate method.
func resolveAggregate(d *Decl) (*ir.Function, error) {
	tn, ok := d.Obj.(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("%s is not a type; an aggregate function is a Go type with CreateAccumulator, Accumulate and GetValue methods", d.Qualified)
	}
	named, ok := types.Unalias(tn.Type()).(*types.Named)
	if !ok {
		return nil, fmt.Errorf("%s is not a defined type; an aggregate function is a Go type with CreateAccumulator, Accumulate and GetValue methods", d.Qualified)
	}
	if named.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("type %s is generic; instantiate it in a defined type (type MyAgg = %s[...] does not work either: declare type MyAgg struct{ %s[...] })", d.Qualified, d.GoName, d.GoName)
	}
	if _, isIface := named.Underlying().(*types.Interface); isIface {
		return nil, fmt.Errorf("%s is an interface; an aggregate function is a concrete Go type whose zero value generated code uses", d.Qualified)
	}
	qual := d.Qual
	typeDecl := "type " + d.GoName
	methodOf := func(name string) (*types.Func, *types.Signature, bool) {
		obj, _, _ := types.LookupFieldOrMethod(named, true, d.Pkg, name)
		f, ok := obj.(*types.Func)
		if !ok || !f.Exported() {
			return nil, nil, false
		}
		sig := f.Type().(*types.Signature)
		return f, sig, true
	}
	method := func(f *types.Func) string {
		return fmt.Sprintf("method %s of %s (%s)", f.Name(), d.Qualified, signatureString(f, qual))
	}
	pointerRecv := false
	notePointer := func(sig *types.Signature) {
		if sig.Recv() != nil {
			if _, ok := sig.Recv().Type().(*types.Pointer); ok {
				pointerRecv = true
			}
		}
	}

	// CreateAccumulator() ACC fixes the accumulator type.
	create, csig, ok := methodOf("CreateAccumulator")
	if !ok {
		return nil, fmt.Errorf("%s has Accumulate but no CreateAccumulator method: an aggregate function needs CreateAccumulator() ACC, Accumulate(acc ACC, args...) and GetValue(acc ACC) R", typeDecl+" in "+d.ImportPath)
	}
	notePointer(csig)
	if csig.Params().Len() != 0 || csig.Results().Len() != 1 {
		return nil, fmt.Errorf("%s must take no arguments and return the accumulator: CreateAccumulator() ACC", method(create))
	}
	acc := csig.Results().At(0).Type()
	accGo := types.TypeString(acc, qual)
	info := &ir.AggregateInfo{AccGo: accGo}
	if err := describeAcc(acc, info); err != nil {
		return nil, fmt.Errorf("the accumulator type %s of %s: %v", accGo, method(create), err)
	}
	state, err := stateCodec(acc, qual)
	if err != nil {
		return nil, fmt.Errorf("aggregate function %s: %v", d.Qualified, err)
	}
	info.State = state
	mutable := isReferenceType(acc)

	// Accumulate(acc ACC, args...) [ACC]
	accum, asig, ok := methodOf("Accumulate")
	if !ok {
		return nil, fmt.Errorf("%s has no exported Accumulate method", d.Qualified)
	}
	notePointer(asig)
	if asig.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("%s is generic", method(accum))
	}
	if asig.Variadic() {
		return nil, fmt.Errorf("%s is variadic; an aggregate function takes a fixed number of arguments", method(accum))
	}
	if asig.Params().Len() < 1 || !types.Identical(asig.Params().At(0).Type(), acc) {
		got := "no parameters"
		if asig.Params().Len() > 0 {
			got = "first parameter of type " + types.TypeString(asig.Params().At(0).Type(), qual)
		}
		return nil, fmt.Errorf("%s must take the accumulator first (acc %s, as CreateAccumulator returns), not %s", method(accum), accGo, got)
	}
	switch r := asig.Results(); {
	case r.Len() == 0:
		if !mutable {
			return nil, fmt.Errorf("%s returns nothing, but the accumulator %s is a value, so the update would be lost: return the new accumulator (func (%s) Accumulate(acc %s, ...) %s) or use a pointer accumulator", method(accum), accGo, d.GoName, accGo, accGo)
		}
	case r.Len() == 1 && types.Identical(r.At(0).Type(), acc):
		info.ValueAcc = true
	default:
		return nil, fmt.Errorf("%s must return nothing (the accumulator is mutated) or the new accumulator %s", method(accum), accGo)
	}
	out := &ir.Function{
		Kind:          ir.AggregateFunction,
		ImportPath:    d.ImportPath,
		GoName:        d.GoName,
		Receiver:      d.GoName,
		Method:        "Accumulate",
		Deterministic: true,
		Agg:           info,
	}
	if err := aggParams(out, asig, method(accum), qual); err != nil {
		return nil, err
	}

	// GetValue(acc ACC) R | (R, error)
	get, gsig, ok := methodOf("GetValue")
	if !ok {
		return nil, fmt.Errorf("%s has no exported GetValue method: an aggregate function needs GetValue(acc %s) R to compute its result", typeDecl+" in "+d.ImportPath, accGo)
	}
	notePointer(gsig)
	if gsig.Params().Len() != 1 || !types.Identical(gsig.Params().At(0).Type(), acc) {
		return nil, fmt.Errorf("%s must take exactly the accumulator (acc %s, as CreateAccumulator returns)", method(get), accGo)
	}
	res := gsig.Results()
	switch {
	case res.Len() == 0:
		return nil, fmt.Errorf("%s returns no value; it must return the aggregate's result (optionally followed by an error)", method(get))
	case res.Len() > 2:
		return nil, fmt.Errorf("%s returns %d values; it must return the result, optionally followed by an error", method(get), res.Len())
	case res.Len() == 2:
		if !isError(res.At(1).Type()) {
			return nil, fmt.Errorf("the second result of %s must be error, not %s", method(get), types.TypeString(res.At(1).Type(), qual))
		}
		out.ReturnsError = true
	}
	rt := res.At(0).Type()
	if isError(rt) {
		return nil, fmt.Errorf("%s returns only an error; it must return the result first", method(get))
	}
	st, ptr, err := mapType(rt, qual)
	if err != nil {
		return nil, fmt.Errorf("result of %s: %v", method(get), err)
	}
	out.Result, out.ResultGo, out.ResultPointer = st, types.TypeString(rt, qual), ptr

	// Retract(acc ACC, args...) [ACC]: same parameters and form as Accumulate.
	if ret, rsig, ok := methodOf("Retract"); ok {
		notePointer(rsig)
		if !types.Identical(types.NewTuple(sigParams(rsig)...), types.NewTuple(sigParams(asig)...)) || rsig.Variadic() {
			return nil, fmt.Errorf("%s must take the same parameters as Accumulate (%s)", method(ret), signatureString(accum, qual))
		}
		if !types.Identical(rsig.Results(), asig.Results()) {
			return nil, fmt.Errorf("%s must return what Accumulate returns (%s)", method(ret), signatureString(accum, qual))
		}
		info.HasRetract = true
	}
	// Merge(acc ACC, other ACC) [ACC]
	if m, msig, ok := methodOf("Merge"); ok {
		notePointer(msig)
		p := msig.Params()
		if p.Len() != 2 || !types.Identical(p.At(0).Type(), acc) || !types.Identical(p.At(1).Type(), acc) || msig.Variadic() {
			return nil, fmt.Errorf("%s must take two accumulators: Merge(acc, other %s) (Flink's merge takes an Iterable; here it is called once per other accumulator)", method(m), accGo)
		}
		if !types.Identical(msig.Results(), asig.Results()) {
			want := "nothing"
			if info.ValueAcc {
				want = "the merged accumulator " + accGo
			}
			return nil, fmt.Errorf("%s must return %s, as Accumulate does", method(m), want)
		}
		info.HasMerge = true
	}
	// Open(ctx context.Context) error and Close() error.
	if o, osig, ok := methodOf("Open"); ok {
		notePointer(osig)
		if osig.Params().Len() != 1 || !isContext(osig.Params().At(0).Type()) || osig.Results().Len() != 1 || !isError(osig.Results().At(0).Type()) {
			return nil, fmt.Errorf("%s must be Open(ctx context.Context) error", method(o))
		}
		out.HasOpen = true
	}
	if c, csig, ok := methodOf("Close"); ok {
		notePointer(csig)
		if csig.Params().Len() != 0 || csig.Results().Len() != 1 || !isError(csig.Results().At(0).Type()) {
			return nil, fmt.Errorf("%s must be Close() error", method(c))
		}
		out.HasClose = true
	}
	out.ReceiverPointer = pointerRecv
	return out, nil
}

// aggParams maps Accumulate's parameters after the accumulator to out.Params.
func aggParams(out *ir.Function, sig *types.Signature, what string, qual types.Qualifier) error {
	params := sig.Params()
	for i := 1; i < params.Len(); i++ {
		p := params.At(i)
		sqlType, pointer, err := mapType(p.Type(), qual)
		if err != nil {
			return fmt.Errorf("parameter %s of %s: %v", paramName(p, i), what, err)
		}
		out.Params = append(out.Params, ir.Param{Name: p.Name(), Type: sqlType, GoType: types.TypeString(p.Type(), qual), Pointer: pointer})
	}
	return nil
}

func sigParams(sig *types.Signature) []*types.Var {
	var vs []*types.Var
	for i := 0; i < sig.Params().Len(); i++ {
		vs = append(vs, sig.Params().At(i))
	}
	return vs
}

// signatureString renders a method as written: func (WeightedAvg) GetValue(acc *WeightedAvgAcc) float64.
func signatureString(f *types.Func, qual types.Qualifier) string {
	sig := f.Type().(*types.Signature)
	recv := ""
	if sig.Recv() != nil {
		recv = "(" + types.TypeString(sig.Recv().Type(), qual) + ") "
	}
	s := types.TypeString(sig, qual) // func(acc *T, x int64) float64
	return "func " + recv + f.Name() + strings.TrimPrefix(s, "func")
}

// isReferenceType reports whether an accumulator of type t can be updated in place by a
// method that receives it by value: a pointer or a map.
func isReferenceType(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map:
		return true
	}
	return false
}

// describeAcc records how generated code names the accumulator type t: a named type
// (or a pointer to one) by import path and name, or a type built from predeclared types
// only as written.
func describeAcc(t types.Type, info *ir.AggregateInfo) error {
	base := t
	if p, ok := t.(*types.Pointer); ok {
		base = p.Elem()
		info.AccPointer = true
	}
	if n, ok := types.Unalias(base).(*types.Named); ok {
		o := n.Obj()
		if o.Pkg() == nil { // error, comparable
			return fmt.Errorf("is not a usable accumulator")
		}
		if n.TypeArgs().Len() > 0 {
			return fmt.Errorf("is an instance of a generic type; declare a named type for it")
		}
		if !token.IsExported(o.Name()) {
			return fmt.Errorf("is not exported: generated code keeps accumulators in its state and must name the type; export it")
		}
		if o.Parent() != o.Pkg().Scope() {
			return fmt.Errorf("is declared inside a function; declare it at package level")
		}
		info.AccImportPath, info.AccName = o.Pkg().Path(), o.Name()
		return nil
	}
	info.AccPointer = false
	if !predeclaredOnly(t) {
		return fmt.Errorf("must be a named type, a pointer to one, or built from predeclared types only (like map[string]int64)")
	}
	return nil
}

// predeclaredOnly reports whether t is spelled with predeclared types only.
func predeclaredOnly(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Kind() != types.UnsafePointer && t.Kind() != types.UntypedNil
	case *types.Pointer:
		return predeclaredOnly(t.Elem())
	case *types.Slice:
		return predeclaredOnly(t.Elem())
	case *types.Array:
		return predeclaredOnly(t.Elem())
	case *types.Map:
		return predeclaredOnly(t.Key()) && predeclaredOnly(t.Elem())
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if !predeclaredOnly(t.Field(i).Type()) {
				return false
			}
		}
		return true
	}
	return false
}
