package table

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FunctionOption is an option of RegisterFunction; each renders one key of the WITH
// clause of CREATE FUNCTION (docs/udf.md).
type FunctionOption struct {
	keys, values []string
}

// NonDeterministic marks the function as returning different results for the same
// arguments (a clock, a random number, a lookup that changes): calls on constants are
// not folded at compile time. WITH ('deterministic' = 'false').
func NonDeterministic() FunctionOption {
	return FunctionOption{keys: []string{"deterministic"}, values: []string{"false"}}
}

// Vectorized declares a function over slices of column values, called once per batch
// (func F(a []T1, b []T2) []R). WITH ('vectorized' = 'true').
func Vectorized() FunctionOption {
	return FunctionOption{keys: []string{"vectorized"}, values: []string{"true"}}
}

// ErrorPolicy is what a failed call of a function does (a returned error or a panic).
type ErrorPolicy int

const (
	// ErrorFail fails the job, naming the SQL position and the row (the default).
	ErrorFail ErrorPolicy = iota
	// ErrorNull makes the call's result NULL (a table function yields no rows).
	ErrorNull
)

// OnError sets the error policy: WITH ('on-error' = 'fail' | 'null'). For routing
// failed rows to a table, use DeadLetter.
func OnError(p ErrorPolicy) FunctionOption {
	v := "fail"
	if p == ErrorNull {
		v = "null"
	}
	return FunctionOption{keys: []string{"on-error"}, values: []string{v}}
}

// DeadLetter routes the rows for which the function fails to table (created with
// ExecuteSQL) and drops them from the result: WITH ('on-error' = 'dead-letter',
// 'dead-letter.table' = 'table').
func DeadLetter(table string) FunctionOption {
	return FunctionOption{keys: []string{"on-error", "dead-letter.table"}, values: []string{"dead-letter", table}}
}

// RegisterFunction registers a Go function under a SQL name, exactly as CREATE
// FUNCTION name AS 'import/path.Name' LANGUAGE GO [WITH (...)] in ExecuteSQL would: fn
// is the Go function value itself (udf.IPToProvince) or a value of the Go type that
// implements the function with Eval (or Accumulate/GetValue) methods (udf.GeoDB{} or
// &udf.GeoDB{}; only its type matters, the generated job makes its own values). The
// compiler finds the declaration from its import path and checks its signature; the
// generated job imports the package and calls it directly.
//
// It must be a top-level, exported, non-generic function or type of an importable
// package (not main): a method value (x.M), a func literal, a generic instantiation,
// or a func of package main cannot be called from generated code, and is an error
// naming this call. Errors are returned and also reported by Plan and Compile.
func (e *Environment) RegisterFunction(name string, fn any, opts ...FunctionOption) error {
	site := caller(0)
	n := len(e.errs)
	class, err := goDeclaration(fn)
	switch {
	case name == "":
		e.errorAt(site, "RegisterFunction needs a SQL name")
	case err != nil:
		e.errorAt(site, "RegisterFunction(%q): %v", name, err)
	}
	var with []string
	seen := map[string]string{}
	for _, o := range opts {
		for i, k := range o.keys {
			v := o.values[i]
			if old, ok := seen[k]; ok {
				if old != v {
					e.errorAt(site, "RegisterFunction(%q): conflicting options %s = %s and %s", name, k, old, v)
				}
				continue
			}
			seen[k] = v
			with = append(with, quoteString(k)+" = "+quoteString(v))
		}
	}
	if len(e.errs) > n {
		return e.errs[n:].Err()
	}
	sql := "CREATE FUNCTION " + quoteIdent(name) + " AS " + quoteString(class) + " LANGUAGE GO"
	if len(with) > 0 {
		sql += " WITH (" + strings.Join(with, ", ") + ")"
	}
	e.ddl = append(e.ddl, frag{gen: sql, site: site})
	if e.values == nil {
		e.values = map[string]any{}
	}
	e.values[strings.ToLower(name)] = fn
	return nil
}

// goDeclaration returns "import/path.Name" for a function value or a value of a
// named type, or why it cannot be called from generated code.
func goDeclaration(fn any) (string, error) {
	v := reflect.ValueOf(fn)
	if !v.IsValid() {
		return "", fmt.Errorf("nil is neither a Go function nor a value of a Go type")
	}
	if v.Kind() == reflect.Func {
		if v.IsNil() {
			return "", fmt.Errorf("the func value is nil")
		}
		f := runtime.FuncForPC(v.Pointer())
		if f == nil {
			return "", fmt.Errorf("cannot find the declaration of the func value")
		}
		return funcDeclaration(f.Name())
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" || t.PkgPath() == "" {
		return "", fmt.Errorf("a value of type %T is neither a Go function nor a value of a named Go type implementing one (pass udf.F or udf.T{})", fn)
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		return "", fmt.Errorf("the generic type %s.%s cannot be named in generated code; declare a non-generic type (type T struct{ %s[...] })", t.PkgPath(), name, name[:i])
	}
	if err := importable(t.PkgPath(), name, "type"); err != nil {
		return "", err
	}
	return t.PkgPath() + "." + name, nil
}

// funcDeclaration splits the runtime name of a func ("example.com/udf.F",
// "example.com/udf.T.M-fm", "main.main.func1") into import path and name.
func funcDeclaration(full string) (string, error) {
	path, rest := full, ""
	slash := strings.LastIndexByte(full, '/')
	if dot := strings.IndexByte(full[slash+1:], '.'); dot >= 0 {
		path, rest = full[:slash+1+dot], full[slash+1+dot+1:]
	}
	// The runtime escapes dots in the last element of an import path (yaml%2ev3).
	path = strings.ReplaceAll(path, "%2e", ".")
	switch {
	case rest == "":
		return "", fmt.Errorf("cannot find the declaration of %s", full)
	case strings.HasSuffix(rest, "-fm"):
		return "", fmt.Errorf("%s.%s is a method value, which generated code cannot call; register the type with the function's Eval method instead (RegisterFunction(name, %s{})) or a top-level func", path, strings.TrimSuffix(rest, "-fm"), receiverOf(path, rest))
	case strings.Contains(rest, "["):
		return "", fmt.Errorf("%s.%s is an instantiation of a generic function, which generated code cannot name; declare a non-generic func that calls it", path, rest)
	case strings.HasPrefix(rest, "glob.") || strings.Contains(rest, ".func"):
		return "", fmt.Errorf("%s.%s is a func literal (a closure), which generated code cannot call; declare it as a top-level exported func", path, rest)
	case strings.Contains(rest, "."):
		return "", fmt.Errorf("%s.%s is a method expression; register the type (RegisterFunction(name, %s{})) or a top-level func", path, rest, receiverOf(path, rest))
	}
	if err := importable(path, rest, "func"); err != nil {
		return "", err
	}
	return path + "." + rest, nil
}

func receiverOf(path, rest string) string {
	recv, _, _ := strings.Cut(rest, ".")
	recv = strings.TrimSuffix(strings.TrimPrefix(recv, "(*"), ")")
	pkg := path[strings.LastIndexByte(path, '/')+1:]
	return pkg + "." + recv
}

func importable(path, name, what string) error {
	if path == "main" || strings.HasSuffix(path, "_test") {
		return fmt.Errorf("%s %s is declared in package %s, which the generated job cannot import; move it to a package of its own", what, name, path)
	}
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) {
		return fmt.Errorf("%s %s.%s is unexported, so the generated job (another package) cannot call it; export it", what, path, name)
	}
	return nil
}
