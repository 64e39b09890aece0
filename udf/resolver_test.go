package udf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

const udfSource = `package udf

import (
	"errors"
	"time"
)

var Table = map[string]string{}

const Version = "1"

type Province string

func IPToProvince(ip string) string { return ip }

func Plus(a int64, b *int64) (*int64, error) {
	if b == nil {
		return nil, errors.New("nil")
	}
	s := a + *b
	return &s, nil
}

func Join(sep string, parts ...string) string { return sep }

func AllTypes(a string, b int64, c int32, d int16, e int8, f float64, g float32, h bool, i []byte, j time.Time) *time.Time {
	return &j
}

func lower(s string) string { return s }

func Generic[T any](x T) T { return x }

func UsesInt(n int) int64 { return int64(n) }

func UsesNamed(p Province) string { return string(p) }

func NoResult(s string) {}

func OnlyError(s string) error { return nil }

func ThreeResults(s string) (string, int64, error) { return s, 0, nil }

func SecondNotError(s string) (string, string) { return s, s }

type Mapper struct{}

func (Mapper) Map(s string) string { return s }
`

func newModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/t\n\ngo 1.21\n"
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestResolveGood(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": udfSource})
	r := NewResolver(dir)
	sig := func(fn *ir.Function) string {
		var ps []string
		for _, p := range fn.Params {
			s := p.Name + " " + p.GoType + ":" + p.Type.String()
			if p.Pointer {
				s += "*"
			}
			ps = append(ps, s)
		}
		s := "(" + strings.Join(ps, ", ") + ") " + fn.ResultGo + ":" + fn.Result.String()
		if fn.ReturnsError {
			s += " +error"
		}
		if fn.Variadic {
			s += " variadic"
		}
		if fn.ResultPointer {
			s += " ptr"
		}
		return s
	}
	tests := []struct{ name, want string }{
		{"IPToProvince", "(ip string:STRING NOT NULL) string:STRING NOT NULL"},
		{"Plus", "(a int64:BIGINT NOT NULL, b *int64:BIGINT*) *int64:BIGINT +error ptr"},
		{"Join", "(sep string:STRING NOT NULL, parts ...string:STRING NOT NULL) string:STRING NOT NULL variadic"},
		{"AllTypes", "(a string:STRING NOT NULL, b int64:BIGINT NOT NULL, c int32:INT NOT NULL, d int16:SMALLINT NOT NULL, e int8:TINYINT NOT NULL, f float64:DOUBLE NOT NULL, g float32:FLOAT NOT NULL, h bool:BOOLEAN NOT NULL, i []byte:BYTES NOT NULL, j time.Time:TIMESTAMP(9) NOT NULL) *time.Time:TIMESTAMP(9) ptr"},
	}
	for _, tc := range tests {
		fn, err := r.Resolve("example.com/t/udf", tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := sig(fn); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
		if fn.ImportPath != "example.com/t/udf" || fn.GoName != tc.name {
			t.Errorf("%s: names %s.%s", tc.name, fn.ImportPath, fn.GoName)
		}
	}
	if got := ir.GoSignature(mustResolve(t, r, "Join")); got != "func Join(sep string, parts ...string) string" {
		t.Errorf("GoSignature(Join) = %s", got)
	}
	if got := ir.GoSignature(mustResolve(t, r, "Plus")); got != "func Plus(a int64, b *int64) (*int64, error)" {
		t.Errorf("GoSignature(Plus) = %s", got)
	}
}

func mustResolve(t *testing.T, r *Resolver, name string) *ir.Function {
	t.Helper()
	fn, err := r.Resolve("example.com/t/udf", name)
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

func TestResolveErrors(t *testing.T) {
	dir := newModule(t, map[string]string{
		"udf/udf.go":       udfSource,
		"broken/broken.go": "package broken\n\nfunc F(s string) string { return undefinedThing }\n",
		"cmd/main.go":      "package main\n\nfunc F(s string) string { return s }\n\nfunc main() {}\n",
	})
	r := NewResolver(dir)
	tests := []struct{ pkg, name, want string }{
		{"example.com/t/udf", "IpToProvince", "function IpToProvince not found in package example.com/t/udf; did you mean IPToProvince?"},
		{"example.com/t/udf", "Nothing", "function Nothing not found in package example.com/t/udf; exported functions: AllTypes, Generic, IPToProvince, Join, NoResult, OnlyError, Plus, SecondNotError, ThreeResults, UsesInt, ..."},
		{"example.com/t/udf", "lower", "function example.com/t/udf.lower is not exported"},
		{"example.com/t/udf", "Table", "example.com/t/udf.Table is a variable, not a function"},
		{"example.com/t/udf", "Version", "example.com/t/udf.Version is a constant, not a function"},
		{"example.com/t/udf", "Mapper", "type example.com/t/udf.Mapper has no Eval method (it has Map)"},
		{"example.com/t/udf", "Map", "function Map not found in package example.com/t/udf"},
		{"example.com/t/udf", "Generic", "example.com/t/udf.Generic is a generic function"},
		{"example.com/t/udf", "UsesInt", "parameter n of example.com/t/udf.UsesInt: unsupported Go type int (use int64 for BIGINT or int32 for INT)"},
		{"example.com/t/udf", "UsesNamed", "parameter p of example.com/t/udf.UsesNamed: unsupported Go type udf.Province (named types are not converted; use string)"},
		{"example.com/t/udf", "NoResult", "example.com/t/udf.NoResult returns no value"},
		{"example.com/t/udf", "OnlyError", "example.com/t/udf.OnlyError returns only an error"},
		{"example.com/t/udf", "ThreeResults", "example.com/t/udf.ThreeResults returns 3 values"},
		{"example.com/t/udf", "SecondNotError", "the second result of example.com/t/udf.SecondNotError must be error, not string"},
		{"example.com/t/broken", "F", "cannot load Go package example.com/t/broken: "},
		{"example.com/t/nosuch", "F", "cannot load Go package example.com/t/nosuch"},
		{"example.com/t/cmd", "F", "Go package example.com/t/cmd is a main package"},
	}
	for _, tc := range tests {
		_, err := r.Resolve(tc.pkg, tc.name)
		if err == nil {
			t.Errorf("%s.%s: no error", tc.pkg, tc.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s.%s:\n got  %v\n want %s...", tc.pkg, tc.name, err, tc.want)
		}
	}
	// the broken package's error names the Go problem
	_, err := r.Resolve("example.com/t/broken", "F")
	if err == nil || !strings.Contains(err.Error(), "undefined: undefinedThing") {
		t.Errorf("broken package: %v", err)
	}
}

func TestResolveCachesLoads(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": udfSource})
	r := NewResolver(dir)
	if _, err := r.Resolve("example.com/t/udf", "IPToProvince"); err != nil {
		t.Fatal(err)
	}
	// Removing the package after the first load does not matter: the load is cached.
	if err := os.RemoveAll(filepath.Join(dir, "udf")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve("example.com/t/udf", "Join"); err != nil {
		t.Fatalf("second resolve reloaded the package: %v", err)
	}
}

// TestBindWithResolver resolves CREATE FUNCTION through ir.Bind, as the compiler does:
// calls type-check against the Go signature and resolver errors are positioned at the
// class string.
func TestBindWithResolver(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": udfSource})
	const ddl = `CREATE TABLE src (ip STRING, n BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE out (p STRING, n BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION ip_to_province AS 'example.com/t/udf.IPToProvince' LANGUAGE GO;
CREATE FUNCTION plus AS 'example.com/t/udf.Plus';
`
	bindSQL := func(sql string) (*ir.Plan, error) {
		src := &diag.Source{Name: "job.sql", Text: ddl + sql}
		script, err := parser.ParseScript(src)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		return ir.Bind(script, ir.BindOptions{Resolver: NewResolver(dir)})
	}
	p, err := bindSQL("INSERT INTO out SELECT ip_to_province(ip), plus(n, n) FROM src;")
	if err != nil {
		t.Fatal(err)
	}
	if got := ir.DumpPlan(p); !strings.Contains(got, "Calc(select=[ip_to_province(ip) AS EXPR$0, plus(n, n) AS EXPR$1], types=[STRING, BIGINT]") {
		t.Errorf("plan:\n%s", got)
	}
	_, err = bindSQL("INSERT INTO out SELECT ip_to_province(n), 1 FROM src;")
	if err == nil || !strings.Contains(err.Error(), "job.sql:5:39: argument 1 of ip_to_province has type BIGINT, which does not convert to STRING (Go parameter string of func IPToProvince(ip string) string in example.com/t/udf)") {
		t.Errorf("type error: %v", err)
	}
	_, err = bindSQL("CREATE FUNCTION f AS 'example.com/t/udf.UsesInt' LANGUAGE GO;")
	if err == nil || !strings.Contains(err.Error(), "job.sql:5:22: parameter n of example.com/t/udf.UsesInt: unsupported Go type int (use int64 for BIGINT or int32 for INT)") {
		t.Errorf("resolver error: %v", err)
	}
}
