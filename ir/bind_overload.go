package ir

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/parser"
)

// pickOverload chooses the signature of a function with overloads (a Go type with
// several Eval methods) for one call, as Flink chooses among a function class's eval
// methods: a signature every argument matches exactly (same type family, nullability
// aside) wins; otherwise the signature every argument converts to by implicit casts,
// preferring the one with the most exact arguments. Two signatures equally good are an
// error naming both Go declarations. A function without overloads is returned as is
// (udfCall reports its arity and type errors).
func (b *binder) pickOverload(fn *Function, fc *parser.FuncCall, args []Expr) (*Function, *bindError) {
	if len(fn.Overloads) == 0 {
		return fn, nil
	}
	all := append([]*Function{fn}, fn.Overloads...)
	var best []*Function
	bestScore := -1
	for _, f := range all {
		s := overloadScore(f, args)
		switch {
		case s < 0:
		case s > bestScore:
			best, bestScore = []*Function{f}, s
		case s == bestScore:
			best = append(best, f)
		}
	}
	var sigs []string
	for _, f := range all {
		sigs = append(sigs, GoSignature(f))
	}
	types := typeList(argTypes(args))
	switch len(best) {
	case 0:
		return nil, b.errorf(fc.Span, "no Eval method of %s.%s accepts arguments (%s) in this call of %s; its overloads are: %s", fn.ImportPath, fn.Receiver, types, fn.Name, strings.Join(sigs, "; "))
	case 1:
		return best[0], nil
	}
	return nil, b.errorf(fc.Span, "call of %s with arguments (%s) is ambiguous: both %s and %s of %s.%s accept them; add a CAST to pick one", fn.Name, types, GoSignature(best[0]), GoSignature(best[1]), fn.ImportPath, fn.Receiver)
}

// overloadScore rates how well args fit f: -1 when they do not (arity, or an argument
// with no implicit cast to its parameter), else the number of exact arguments plus a
// bonus making an all-exact match beat every match needing a cast.
func overloadScore(f *Function, args []Expr) int {
	n := len(f.Params)
	if f.Variadic && len(args) < n-1 || !f.Variadic && len(args) != n {
		return -1
	}
	exact := 0
	for i, a := range args {
		p := f.Params[min(i, n-1)]
		at := a.Type()
		if at.Kind != KindNull && !SupportsImplicitCast(at, p.Type) {
			return -1
		}
		if exactParam(at, p.Type) {
			exact++
		}
	}
	if exact == len(args) {
		exact += 1 << 16
	}
	return exact
}

// exactParam: at is of p's type family, no cast needed beyond length or precision.
func exactParam(at, p Type) bool {
	switch {
	case at.Kind == p.Kind:
		return true
	case at.IsString() && p.IsString():
		return true
	case (at.Kind == KindBinary || at.Kind == KindVarbinary) && (p.Kind == KindBinary || p.Kind == KindVarbinary):
		return true
	}
	return false
}
