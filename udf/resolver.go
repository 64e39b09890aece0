package udf

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Resolver resolves Go UDFs for ir.Bind. It loads each import path once, from Dir.
type Resolver struct {
	dir string

	mu    sync.Mutex
	cache map[string]*loaded
}

type loaded struct {
	pkg *types.Package
	err error
}

// NewResolver returns a Resolver loading packages as the go command would from dir
// (the directory of the SQL file): dir's go.mod decides which module and version an
// import path means.
func NewResolver(dir string) *Resolver {
	return &Resolver{dir: dir, cache: map[string]*loaded{}}
}

var _ ir.FuncResolver = (*Resolver)(nil)

// Resolve finds func goName in package importPath and maps its signature to SQL types.
func (r *Resolver) Resolve(importPath, goName string) (*ir.Function, error) {
	pkg, err := r.load(importPath)
	if err != nil {
		return nil, err
	}
	qualified := importPath + "." + goName
	// Checked first: the package's types come from export data, which has no
	// unexported names.
	if !token.IsExported(goName) {
		return nil, fmt.Errorf("function %s is not exported: generated code in package main cannot call it; export it (e.g. %s)", qualified, strings.ToUpper(goName[:1])+goName[1:])
	}
	obj := pkg.Scope().Lookup(goName)
	if obj == nil {
		return nil, fmt.Errorf("function %s not found in package %s%s", goName, importPath, similarFuncs(pkg, goName))
	}
	fn, ok := obj.(*types.Func)
	if !ok {
		what := "not a function"
		switch obj.(type) {
		case *types.Var:
			what = "a variable, not a function"
		case *types.Const:
			what = "a constant, not a function"
		case *types.TypeName:
			what = "a type, not a function"
		}
		return nil, fmt.Errorf("%s is %s", qualified, what)
	}
	sig := fn.Type().(*types.Signature)
	if sig.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("%s is a generic function; SQL can only call functions with concrete parameter types", qualified)
	}
	out := &ir.Function{ImportPath: importPath, GoName: goName, Variadic: sig.Variadic(), Deterministic: true}
	qual := func(p *types.Package) string { return p.Name() }
	params := sig.Params()
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		t := p.Type()
		goType := types.TypeString(t, qual)
		if sig.Variadic() && i == params.Len()-1 {
			// as written in the declaration: ...T
			t = t.(*types.Slice).Elem()
			goType = "..." + types.TypeString(t, qual)
		}
		sqlType, pointer, err := mapType(t, qual)
		if err != nil {
			return nil, fmt.Errorf("parameter %s of %s: %v", paramName(p, i), qualified, err)
		}
		out.Params = append(out.Params, ir.Param{Name: p.Name(), Type: sqlType, GoType: goType, Pointer: pointer})
	}
	res := sig.Results()
	switch {
	case res.Len() == 0:
		return nil, fmt.Errorf("%s returns no value; a SQL function must return one (optionally followed by an error)", qualified)
	case res.Len() > 2:
		return nil, fmt.Errorf("%s returns %d values; a SQL function returns one value, optionally followed by an error", qualified, res.Len())
	case res.Len() == 2:
		if !isError(res.At(1).Type()) {
			return nil, fmt.Errorf("the second result of %s must be error, not %s", qualified, types.TypeString(res.At(1).Type(), qual))
		}
		out.ReturnsError = true
	}
	rt := res.At(0).Type()
	if isError(rt) {
		return nil, fmt.Errorf("%s returns only an error; a SQL function must return a value first", qualified)
	}
	sqlType, pointer, err := mapType(rt, qual)
	if err != nil {
		return nil, fmt.Errorf("result of %s: %v", qualified, err)
	}
	out.Result = sqlType
	out.ResultGo = types.TypeString(rt, qual)
	out.ResultPointer = pointer
	return out, nil
}

func paramName(p *types.Var, i int) string {
	if p.Name() != "" && p.Name() != "_" {
		return p.Name()
	}
	return fmt.Sprintf("%d", i+1)
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// mapType maps a Go parameter or result type to its SQL type. A pointer *T maps like T
// and is nullable (nil is NULL); every other type is NOT NULL.
func mapType(t types.Type, qual types.Qualifier) (ir.Type, bool, error) {
	if p, ok := t.(*types.Pointer); ok {
		st, inner, err := mapType(p.Elem(), qual)
		if err != nil {
			return st, false, err
		}
		if inner {
			return st, false, fmt.Errorf("unsupported Go type %s (pointer to pointer)", types.TypeString(t, qual))
		}
		if st.Kind == ir.KindVarbinary {
			return st, false, fmt.Errorf("unsupported Go type %s (a nil []byte is already NULL-able; use []byte)", types.TypeString(t, qual))
		}
		return st.WithNull(), true, nil
	}
	var st ir.Type
	switch {
	case isTime(t):
		st = ir.Timestamp(TimestampPrecision)
	case isBytes(t):
		st = ir.Bytes()
	default:
		b, ok := t.(*types.Basic)
		if !ok {
			return st, false, unsupported(t, qual)
		}
		switch b.Kind() {
		case types.String:
			st = ir.String()
		case types.Int64:
			st = ir.BigInt()
		case types.Int32:
			st = ir.Int()
		case types.Int16:
			st = ir.Type{Kind: ir.KindSmallInt}
		case types.Int8:
			st = ir.Type{Kind: ir.KindTinyInt}
		case types.Float64:
			st = ir.Double()
		case types.Float32:
			st = ir.Type{Kind: ir.KindFloat}
		case types.Bool:
			st = ir.Boolean()
		default:
			return st, false, unsupported(t, qual)
		}
	}
	return st.NotNull(), false, nil
}

// TimestampPrecision is the SQL precision time.Time maps to: TIMESTAMP(9), since a
// time.Time holds nanoseconds (as Flink maps java.time.LocalDateTime).
const TimestampPrecision = 9

func unsupported(t types.Type, qual types.Qualifier) error {
	s := types.TypeString(t, qual)
	hint := ""
	if b, ok := t.(*types.Basic); ok {
		switch b.Kind() {
		case types.Int, types.Uint, types.Uint64, types.Uint32:
			hint = " (use int64 for BIGINT or int32 for INT)"
		}
	} else if _, ok := t.(*types.Named); ok {
		if _, basic := t.Underlying().(*types.Basic); basic {
			hint = fmt.Sprintf(" (named types are not converted; use %s)", t.Underlying())
		}
	}
	return fmt.Errorf("unsupported Go type %s%s; supported: string, int64, int32, int16, int8, float64, float32, bool, []byte, time.Time, and pointers to them", s, hint)
}

func isTime(t types.Type) bool {
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	o := n.Obj()
	return o.Pkg() != nil && o.Pkg().Path() == "time" && o.Name() == "Time"
}

func isBytes(t types.Type) bool {
	s, ok := t.(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// similarFuncs lists the package's exported functions whose names are close to name
// (or all of them, up to ten, when none is close).
func similarFuncs(pkg *types.Package, name string) string {
	var all, close []string
	for _, n := range pkg.Scope().Names() {
		if _, ok := pkg.Scope().Lookup(n).(*types.Func); !ok || !token.IsExported(n) {
			continue
		}
		all = append(all, n)
		ln, lc := strings.ToLower(name), strings.ToLower(n)
		if strings.Contains(lc, ln) || strings.Contains(ln, lc) || diag.EditDistance(ln, lc) <= 2 {
			close = append(close, n)
		}
	}
	sort.Strings(all)
	sort.Strings(close)
	switch {
	case len(close) > 0:
		return "; did you mean " + strings.Join(close, " or ") + "?"
	case len(all) == 0:
		return " (the package has no exported functions)"
	case len(all) > 10:
		all = append(all[:10], "...")
	}
	return "; exported functions: " + strings.Join(all, ", ")
}

// load type-checks importPath once.
func (r *Resolver) load(importPath string) (*types.Package, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.cache[importPath]; ok {
		return l.pkg, l.err
	}
	pkg, err := r.loadUncached(importPath)
	r.cache[importPath] = &loaded{pkg: pkg, err: err}
	return pkg, err
}

func (r *Resolver) loadUncached(importPath string) (*types.Package, error) {
	// NeedTypes without NeedDeps reads the package's types from the compiler's export
	// data (go list -export), which is much faster than type-checking every dependency
	// from source.
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes,
		Dir:  r.dir,
	}
	pkgs, err := packages.Load(cfg, importPath)
	if err != nil {
		return nil, fmt.Errorf("cannot load Go package %s: %v", importPath, err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("cannot load Go package %s: found %d packages", importPath, len(pkgs))
	}
	p := pkgs[0]
	if len(p.Errors) > 0 {
		msg := p.Errors[0].Msg
		if p.Errors[0].Pos != "" && p.Errors[0].Pos != "-" {
			msg = p.Errors[0].Pos + ": " + msg
		}
		more := ""
		if len(p.Errors) > 1 {
			more = fmt.Sprintf(" (and %d more errors)", len(p.Errors)-1)
		}
		return nil, fmt.Errorf("cannot load Go package %s: %s%s", importPath, msg, more)
	}
	if p.Types == nil {
		return nil, fmt.Errorf("cannot load Go package %s: no type information", importPath)
	}
	if p.Name == "main" {
		return nil, fmt.Errorf("Go package %s is a main package; put UDFs in an importable package", importPath)
	}
	return p.Types, nil
}
