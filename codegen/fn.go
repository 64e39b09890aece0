package codegen

import (
	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// fn is the state of one generated function (a pipeline's loop): its names, the block
// statements are currently emitted into, the locals whose uses are counted, and the
// input row of the operator being compiled.
type fn struct {
	g      *gen
	names  *namer
	cur    *[]jen.Code
	locals []*local

	// where renders the record position for runtime errors: b.Where(r) in a scan
	// pipeline, "" at flush time.
	where func() jen.Code
	// in is the input row of the operator being compiled; lets its Calc's Lets.
	in   []value
	lets []value
	// usesSite: a UDF call site was generated (the function declares `site`).
	usesSite bool
	// top is the function's top-level block; vec, in a scan pipeline, the state of the
	// splits at vectorized calls (vectorized.go).
	top *[]jen.Code
	vec *vecFn
	// drop renders what drops the current row (the onFilter of runCalcs), for UDF calls
	// under 'on-error' = 'dead-letter'; scanTable names the scanned table (udfpolicy.go).
	drop      func() []jen.Code
	scanTable string
}

func (g *gen) newFn(where func() jen.Code) *fn {
	body := []jen.Code{}
	return &fn{g: g, names: newNamer(g.aliasSet), cur: &body, top: &body, where: where}
}

// body returns the statements emitted at the function's top level.
func (f *fn) body() []jen.Code { return *f.top }

func (f *fn) emit(c ...jen.Code) { *f.cur = append(*f.cur, c...) }

// nest runs build with a fresh block current and returns that block's statements.
func (f *fn) nest(build func()) []jen.Code {
	saved := f.cur
	block := []jen.Code{}
	f.cur = &block
	build()
	f.cur = saved
	return block
}

// track registers a declared local and leaves a placeholder after its declaration that
// finish turns into `_ = x` if nothing ever read it.
func (f *fn) track(l *local, decl func(id *jen.Statement) jen.Code) *local {
	l.ph = &jen.Statement{}
	f.emit(decl(l.id()), l.ph)
	f.locals = append(f.locals, l)
	return l
}

// track0 registers a local declared by a statement already emitted (a multi-value
// assignment), with its placeholder.
func (f *fn) track0(l *local) {
	l.ph = &jen.Statement{}
	f.emit(l.ph)
	f.locals = append(f.locals, l)
}

// define emits `name := init` for a fresh name based on base.
func (f *fn) define(base string, init jen.Code) *local {
	// x := init
	return f.track(&local{name: f.names.fresh(base)}, func(id *jen.Statement) jen.Code { return id.Op(":=").Add(init) })
}

// defineNull emits `<v>Null := init`, the null flag of local v.
func (f *fn) defineNull(v *local, init jen.Code) *local {
	// xNull := init
	return f.track(&local{name: v.name + "Null"}, func(id *jen.Statement) jen.Code { return id.Op(":=").Add(init) })
}

// declare emits `var name T` for a fresh name based on base.
func (f *fn) declare(base string, t jen.Code) *local {
	// var x T
	return f.track(&local{name: f.names.fresh(base)}, func(id *jen.Statement) jen.Code { return jen.Var().Add(id).Add(t) })
}

// finish fills the placeholders of locals nobody read.
func (f *fn) finish() {
	for _, l := range f.locals {
		if l.uses == 0 {
			// _ = x
			*l.ph = *jen.Id("_").Op("=").Id(l.name)
		}
	}
}

// nullValue is a constant NULL of type t.
func nullValue(t ir.Type) value {
	return value{t: t, vc: zero(t), always: true}
}

// unconst returns x held in a local when it is a Go constant, so that an operation whose
// operands are all constants is computed at run time. Go evaluates such an expression at
// compile time and rejects it when it overflows its type (int32(2147483647) + int32(1),
// -int64(-9223372036854775808)) or divides by a constant zero; Java, and so Flink, wraps
// or gives Inf at run time, which is what Go's arithmetic on variables does.
//
//	c := int64(3000000000)
func (f *fn) unconst(x value) value {
	if !x.isConst() {
		return x
	}
	return value{t: x.t, vl: f.define("c", x.V())}
}

// strict emits a value of type t computed by compute from args, NULL when any arg is
// NULL (SQL's strict functions). compute runs inside the non-NULL branch, may emit
// statements there (checks that fail the job), and returns the value expression.
//
//	v := compute                 // no arg can be NULL
//
//	var v T                      // otherwise
//	vNull := aNull || bNull
//	if !vNull {
//		v = compute
//	}
func (f *fn) strict(base string, t ir.Type, args []value, compute func() jen.Code) value {
	for _, a := range args {
		if a.always {
			return nullValue(t)
		}
	}
	null := orNull(args...)
	if null == nil {
		e := compute()
		return value{t: t, vl: f.define(base, e)}
	}
	gt := f.goType(t)
	v := f.declare(base, gt)
	nl := f.defineNull(v, null)
	stmts := f.nest(func() {
		e := compute()
		// v = compute
		f.emit(v.id().Op("=").Add(e))
	})
	// if !vNull { ... }
	f.emit(jen.If(jen.Op("!").Add(nl.ref())).Block(stmts...))
	return value{t: t, vl: v, nl: nl}
}

// strictOK is strict for a computation returning (T, ok) where ok=false means NULL
// (decimal overflow, TRY_CAST): fail, when non-nil, is emitted instead of NULL.
//
//	var v T
//	vNull := aNull || bNull
//	if !vNull {
//		var ok bool
//		if v, ok = compute; !ok {
//			v, vNull = zero, true    // or: return job.RowError(...)
//		}
//	}
func (f *fn) strictOK(base string, t ir.Type, args []value, compute func() jen.Code, fail func() jen.Code) value {
	return f.fallible(base, t, args, fail == nil, func(v, nl *local) {
		e := compute()
		var onFail jen.Code
		if fail != nil {
			onFail = fail()
		} else {
			onFail = jen.List(v.id(), nl.id()).Op("=").List(zero(t), jen.True())
		}
		f.emit(
			// var ok bool
			jen.Var().Id("ok").Bool(),
			// if v, ok = compute; !ok { ... }
			jen.If(jen.List(v.id(), jen.Id("ok")).Op("=").Add(e), jen.Op("!").Id("ok")).Block(onFail),
		)
	})
}

// fallible emits a value of type t that body computes into v, where body may set it
// NULL (nl, declared when an argument is nullable or needNull is set) or fail the job;
// NULL without running body when an argument is. strictOK and strictErr are built on it.
//
//	var v T
//	vNull := aNull || bNull   // false when no argument can be NULL
//	if !vNull {               // { when no argument can be NULL
//		... body ...
//	}
func (f *fn) fallible(base string, t ir.Type, args []value, needNull bool, body func(v, nl *local)) value {
	for _, a := range args {
		if a.always {
			return nullValue(t)
		}
	}
	null := orNull(args...)
	argsNullable := null != nil
	gt := f.goType(t)
	v := f.declare(base, gt)
	var nl *local
	if needNull || argsNullable {
		if null == nil {
			null = jen.False()
		}
		nl = f.defineNull(v, null)
	}
	stmts := f.nest(func() { body(v, nl) })
	if argsNullable {
		// if !vNull { ... }
		f.emit(jen.If(jen.Op("!").Add(nl.ref())).Block(stmts...))
	} else {
		// { ... }
		f.emit(jen.Block(stmts...))
	}
	out := value{t: t, vl: v}
	if nl != nil {
		out.nl = nl
	}
	return out
}

// goType is goType reporting nothing (callers have checked the type already); an
// unsupported type renders as bool so the output still parses.
func (f *fn) goType(t ir.Type) jen.Code {
	gt, ok := goType(t)
	if !ok {
		return jen.Bool()
	}
	return gt
}
