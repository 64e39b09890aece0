package udf

import (
	"fmt"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/packages"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Resolver resolves Go UDFs for ir.Bind. It loads each import path once, from Dir.
type Resolver struct {
	dir string

	mu    sync.Mutex
	cache map[string]*loaded
	kb    *keyBase // what the keys of the persistent cache share (cache.go), once
}

// loaded is one loaded package: its types (from export data), the files it is built
// from, and the directives of its declarations, parsed when first needed.
type loaded struct {
	types   *types.Package
	fset    *token.FileSet
	goFiles []string
	err     error

	parsed     map[string]bool       // files whose directives are in directives
	directives map[string]Directives // by declared name ("F", "T")
}

// NewResolver returns a Resolver loading packages as the go command would from dir
// (the directory of the SQL file): dir's go.mod decides which module and version an
// import path means.
func NewResolver(dir string) *Resolver {
	return &Resolver{dir: dir, cache: map[string]*loaded{}}
}

var _ ir.FuncResolver = (*Resolver)(nil)

// Resolve finds func or type goName in package importPath and maps its signature to
// SQL types. It is ResolveHinted with no hints.
func (r *Resolver) Resolve(importPath, goName string) (*ir.Function, error) {
	return r.ResolveHinted(importPath, goName, ir.ResolveHints{})
}

var _ ir.HintedResolver = (*Resolver)(nil)

// Decl is the Go declaration a CREATE FUNCTION names, as the resolver found it; the
// resolvers of each function kind (resolveFunc, resolveType, and the hooks below) work
// from it.
type Decl struct {
	ImportPath string
	GoName     string
	Qualified  string // ImportPath + "." + GoName
	Pkg        *types.Package
	Obj        types.Object // *types.Func or *types.TypeName
	// Directives are the //sqlcstream: lines of the declaration's doc comment.
	Directives Directives
	// Hints are what the WITH clause says; Vectorized folds the hint over the directive.
	Hints      ir.ResolveHints
	Vectorized bool
}

// Qual qualifies Go type names by package name, as generated code writes them.
func (d *Decl) Qual(p *types.Package) string { return p.Name() }

// Hooks of the other function kinds. Each is set by the init function of its file
// (vectorized.go, tablefunc.go, aggregate.go); while one is nil, a declaration of that
// kind is reported as not supported yet.
var (
	// resolveVectorizedHook resolves a func marked //sqlcstream:vectorized or WITH
	// ('vectorized' = 'true').
	resolveVectorizedHook func(d *Decl) (*ir.Function, error)
	// resolveTableHook resolves a func, or a type whose Eval methods, return a slice
	// (other than []byte) or an iter.Seq: a table function.
	resolveTableHook func(d *Decl) (*ir.Function, error)
	// resolveAggregateHook resolves a type with an Accumulate method.
	resolveAggregateHook func(d *Decl) (*ir.Function, error)
)

// ResolveHinted finds func or type goName in package importPath, reads the directives
// of its doc comment, and resolves it as the kind of function its shape says: a plain
// func (scalar), a type with Eval methods (scalar, see functype.go), a table function, an
// aggregate function or a vectorized function.
func (r *Resolver) ResolveHinted(importPath, goName string, hints ir.ResolveHints) (*ir.Function, error) {
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
	obj := pkg.types.Scope().Lookup(goName)
	if obj == nil {
		return nil, fmt.Errorf("function %s not found in package %s%s", goName, importPath, similarFuncs(pkg.types, goName))
	}
	d := &Decl{ImportPath: importPath, GoName: goName, Qualified: qualified, Pkg: pkg.types, Obj: obj, Hints: hints}
	switch obj.(type) {
	case *types.Func, *types.TypeName:
		d.Directives = r.directives(pkg, obj)
	}
	if len(d.Directives.Unknown) > 0 {
		u := d.Directives.Unknown[0]
		return nil, fmt.Errorf("unknown directive %s%s in the doc comment of %s%s; known directives are %snondeterministic and %svectorized", directivePrefix, u, qualified, suggestWord(u, []string{"nondeterministic", "vectorized"}), directivePrefix, directivePrefix)
	}
	d.Vectorized = d.Directives.Vectorized
	if hints.Vectorized != nil {
		d.Vectorized = *hints.Vectorized
	}
	var fn *ir.Function
	switch obj := obj.(type) {
	case *types.Func:
		fn, err = resolveFunc(d, obj)
	case *types.TypeName:
		fn, err = resolveType(d, obj)
	case *types.Var:
		err = fmt.Errorf("%s is a variable, not a function", qualified)
	case *types.Const:
		err = fmt.Errorf("%s is a constant, not a function", qualified)
	default:
		err = fmt.Errorf("%s is not a function", qualified)
	}
	if err != nil {
		return nil, err
	}
	for _, f := range append([]*ir.Function{fn}, fn.Overloads...) {
		f.Deterministic = !d.Directives.Nondeterministic
		f.Vectorized = f.Vectorized || d.Vectorized
	}
	return fn, nil
}

// resolveFunc resolves a package-level func: a scalar function, or (by its result) a
// table function, or (by directive or hint) a vectorized one.
func resolveFunc(d *Decl, fn *types.Func) (*ir.Function, error) {
	sig := fn.Type().(*types.Signature)
	if sig.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("%s is a generic function; SQL can only call functions with concrete parameter types", d.Qualified)
	}
	if d.Vectorized {
		if resolveVectorizedHook == nil {
			return nil, fmt.Errorf("%s is marked vectorized: vectorized functions are not supported yet", d.Qualified)
		}
		return resolveVectorizedHook(d)
	}
	if isTableResult(sig) {
		if resolveTableHook == nil {
			return nil, fmt.Errorf("%s returns rows (a table function): table functions are not supported yet", d.Qualified)
		}
		return resolveTableHook(d)
	}
	out := &ir.Function{ImportPath: d.ImportPath, GoName: d.GoName, Deterministic: true}
	if err := MapSignature(out, sig, d.Qualified, d.Qual); err != nil {
		return nil, err
	}
	return out, nil
}

// isTableResult reports whether a signature's first result is a slice (other than
// []byte) or an iter.Seq: the shape of a table function.
func isTableResult(sig *types.Signature) bool {
	if sig.Results().Len() == 0 {
		return false
	}
	elem, _ := tableElem(sig.Results().At(0).Type())
	return elem != nil
}

// mapParams maps sig's parameters to out's Params and Variadic.
func mapParams(out *ir.Function, sig *types.Signature, what string, qual types.Qualifier) error {
	out.Variadic = sig.Variadic()
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
			return fmt.Errorf("parameter %s of %s: %v", paramName(p, i), what, err)
		}
		out.Params = append(out.Params, ir.Param{Name: p.Name(), Type: sqlType, GoType: goType, Pointer: pointer})
	}
	return nil
}

// MapSignature maps sig's parameters and results to out's Params, Variadic, Result,
// ResultGo, ResultPointer and ReturnsError: a scalar signature, one value (optionally
// followed by an error) from parameters of the supported types. what names the
// declaration in messages ("example.com/udf.F", "method Eval of example.com/udf.T").
func MapSignature(out *ir.Function, sig *types.Signature, what string, qual types.Qualifier) error {
	if err := mapParams(out, sig, what, qual); err != nil {
		return err
	}
	res := sig.Results()
	switch {
	case res.Len() == 0:
		return fmt.Errorf("%s returns no value; a SQL function must return one (optionally followed by an error)", what)
	case res.Len() > 2:
		return fmt.Errorf("%s returns %d values; a SQL function returns one value, optionally followed by an error", what, res.Len())
	case res.Len() == 2:
		if !isError(res.At(1).Type()) {
			return fmt.Errorf("the second result of %s must be error, not %s", what, types.TypeString(res.At(1).Type(), qual))
		}
		out.ReturnsError = true
	}
	rt := res.At(0).Type()
	if isError(rt) {
		return fmt.Errorf("%s returns only an error; a SQL function must return a value first", what)
	}
	sqlType, pointer, err := mapType(rt, qual)
	if err != nil {
		return fmt.Errorf("result of %s: %v", what, err)
	}
	out.Result = sqlType
	out.ResultGo = types.TypeString(rt, qual)
	out.ResultPointer = pointer
	return nil
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

// load loads importPath once.
func (r *Resolver) load(importPath string) (*loaded, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.cache[importPath]; ok {
		return l, l.err
	}
	l := r.loadUncached(importPath)
	r.cache[importPath] = l
	return l, l.err
}

// loadUncached loads importPath from the persistent cache (cache.go) or, on a miss,
// with go/packages, and then fills the cache.
func (r *Resolver) loadUncached(importPath string) *loaded {
	dir := cacheDir()
	key := ""
	if dir != "" {
		key = r.cacheKey(dir, importPath)
	}
	if key != "" {
		if l := readCache(dir, key, importPath); l != nil {
			return l
		}
	}
	l, export := r.loadWithGo(importPath)
	// Stored only if the sources did not change while go list ran: the entry must be
	// what the key's sources make.
	if key != "" && l.err == nil && export != nil && r.kb.unchanged() && r.cacheKey(dir, importPath) == key {
		writeCache(dir, key, &cacheEntry{GoFiles: l.goFiles, Export: export})
	}
	return l
}

// goLoads counts the packages loaded with go/packages (tests: cache hits do not).
var goLoads atomic.Int64

// loadWithGo loads importPath with go/packages and returns it with the content of
// its export data file (nil if unreadable).
func (r *Resolver) loadWithGo(importPath string) (*loaded, []byte) {
	goLoads.Add(1)
	fail := func(format string, args ...any) (*loaded, []byte) {
		return &loaded{err: fmt.Errorf(format, args...)}, nil
	}
	// NeedTypes without NeedDeps and NeedSyntax reads the package's types from the
	// compiler's export data (go list -export), which is much faster than
	// type-checking it and its dependencies from source. The directives of a
	// declaration's doc comment are read by parsing just the file declaring it
	// (see directives), found through NeedFiles and the export data's positions.
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedTypes | packages.NeedFiles | packages.NeedExportFile,
		Dir:  r.dir,
		Fset: fset,
	}
	pkgs, err := packages.Load(cfg, importPath)
	if err != nil {
		return fail("cannot load Go package %s: %v", importPath, err)
	}
	if len(pkgs) != 1 {
		return fail("cannot load Go package %s: found %d packages", importPath, len(pkgs))
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
		return fail("cannot load Go package %s: %s%s", importPath, msg, more)
	}
	if p.Types == nil {
		return fail("cannot load Go package %s: no type information", importPath)
	}
	if p.Name == "main" {
		return fail("Go package %s is a main package; put UDFs in an importable package", importPath)
	}
	export, err := os.ReadFile(p.ExportFile)
	if err != nil {
		export = nil
	}
	return &loaded{types: p.Types, fset: fset, goFiles: p.GoFiles}, export
}
