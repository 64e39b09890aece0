package udf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// writeFiles writes files (relative names) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// resolveCounting resolves importPath.name with a new Resolver from dir, as a new
// compile does, and reports whether it loaded the package with go/packages.
func resolveCounting(t *testing.T, dir, importPath, name string) (*ir.Function, bool) {
	t.Helper()
	before := goLoads.Load()
	fn, err := NewResolver(dir).Resolve(importPath, name)
	if err != nil {
		t.Fatalf("Resolve(%s.%s): %v", importPath, name, err)
	}
	return fn, goLoads.Load() != before
}

// cacheEntries lists the package entries of the cache directory.
func cacheEntries(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(cacheDir())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "trim.txt" && !strings.HasPrefix(e.Name(), "env-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestCacheSeesEdits changes a UDF's signature between two compiles: the second must
// see the new signature, and an unchanged package must come from the cache.
func TestCacheSeesEdits(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	v1 := "package udf\n\n// F is v1.\nfunc F(x int64) int64 { return x }\n"
	v2 := "package udf\n\n// F is v2.\nfunc F(x string, y *float64) (string, error) { return x, nil }\n"
	dir := newModule(t, map[string]string{"udf/udf.go": v1})
	steps := []struct {
		source   string
		want     string
		wantLoad bool
	}{
		{v1, "func F(x int64) int64", true},
		{v1, "func F(x int64) int64", false},
		{v2, "func F(x string, y *float64) (string, error)", true},
		{v2, "func F(x string, y *float64) (string, error)", false},
		{v1, "func F(x int64) int64", false}, // back to v1: its entry is still there
	}
	for i, s := range steps {
		writeFiles(t, dir, map[string]string{"udf/udf.go": s.source})
		fn, loaded := resolveCounting(t, dir, "example.com/t/udf", "F")
		if got := ir.GoSignature(fn); got != s.want {
			t.Errorf("step %d: got %s, want %s", i, got, s.want)
		}
		if loaded != s.wantLoad {
			t.Errorf("step %d: loaded with go/packages = %v, want %v", i, loaded, s.wantLoad)
		}
	}
	if n := len(cacheEntries(t)); n != 2 {
		t.Errorf("%d cache entries, want 2 (v1 and v2): %v", n, cacheEntries(t))
	}

	// A new file in the package changes the key too.
	writeFiles(t, dir, map[string]string{"udf/g.go": "package udf\n\nfunc G(b bool) bool { return b }\n"})
	before := goLoads.Load()
	r := NewResolver(dir)
	fn, err := r.Resolve("example.com/t/udf", "G")
	if err != nil || goLoads.Load() == before {
		t.Fatalf("G after adding g.go: %v, loaded %v", err, goLoads.Load() != before)
	}
	if got := ir.GoSignature(fn); got != "func G(b bool) bool" {
		t.Errorf("G: %s", got)
	}

	// So does go.mod (it decides the language version and every dependency).
	writeFiles(t, dir, map[string]string{"go.mod": "module example.com/t\n\ngo 1.22\n"})
	if _, loaded := resolveCounting(t, dir, "example.com/t/udf", "G"); !loaded {
		t.Error("go.mod edited: not loaded again")
	}
}

// TestCacheSeesDependencyEdits edits a package of the same module that the UDF's
// signature uses (a table function's row type), and a package of a module replaced by
// a local directory.
func TestCacheSeesDependencyEdits(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	root := t.TempDir()
	dir := filepath.Join(root, "main")
	writeFiles(t, root, map[string]string{
		"main/go.mod": "module example.com/t\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
		"main/udf/udf.go": `package udf

import "example.com/t/rows"

func Split(s string) []rows.Row { return nil }
`,
		"main/rows/rows.go": "package rows\n\ntype Row struct{ A int64 }\n",
		"lib/go.mod":        "module example.com/lib\n\ngo 1.21\n",
		"lib/fn/fn.go":      "package fn\n\nfunc Double(x int64) int64 { return 2 * x }\n",
	})
	columns := func(fn *ir.Function) string {
		s := ""
		for _, c := range fn.TableColumns {
			s += fmt.Sprintf("%s %s; ", c.Name, c.Type)
		}
		return s
	}
	fn, _ := resolveCounting(t, dir, "example.com/t/udf", "Split")
	if got := columns(fn); got != "A BIGINT NOT NULL; " {
		t.Fatalf("columns %s", got)
	}
	if _, loaded := resolveCounting(t, dir, "example.com/t/udf", "Split"); loaded {
		t.Error("unchanged packages loaded again")
	}
	writeFiles(t, dir, map[string]string{"rows/rows.go": "package rows\n\ntype Row struct{ A string; B *float64 }\n"})
	fn, loaded := resolveCounting(t, dir, "example.com/t/udf", "Split")
	if got := columns(fn); got != "A STRING NOT NULL; B DOUBLE; " || !loaded {
		t.Errorf("after editing rows: columns %s, loaded %v", got, loaded)
	}

	fn, _ = resolveCounting(t, dir, "example.com/lib/fn", "Double")
	if got := ir.GoSignature(fn); got != "func Double(x int64) int64" {
		t.Fatalf("Double: %s", got)
	}
	writeFiles(t, root, map[string]string{"lib/fn/fn.go": "package fn\n\nfunc Double(x float64) float64 { return 2 * x }\n"})
	fn, loaded = resolveCounting(t, dir, "example.com/lib/fn", "Double")
	if got := ir.GoSignature(fn); got != "func Double(x float64) float64" || !loaded {
		t.Errorf("after editing the replaced module: %s, loaded %v", got, loaded)
	}
}

// TestCacheOff: SQLC_STREAM_CACHE=off loads with go/packages every time.
func TestCacheOff(t *testing.T) {
	t.Setenv(cacheEnv, "off")
	dir := newModule(t, map[string]string{"udf/udf.go": "package udf\n\nfunc F(x int64) int64 { return x }\n"})
	for i := 0; i < 2; i++ {
		if _, loaded := resolveCounting(t, dir, "example.com/t/udf", "F"); !loaded {
			t.Errorf("compile %d did not load with go/packages", i)
		}
	}
}

// TestCacheNotUsed: what the key cannot vouch for is loaded with go/packages every
// time, and still resolved.
func TestCacheNotUsed(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	const src = "package udf\n\nfunc F(x int64) int64 { return x }\n"
	cases := map[string]map[string]string{
		"workspace":      {"udf/udf.go": src, "go.work": "go 1.21\n\nuse .\n"},
		"vendor":         {"udf/udf.go": src, "vendor/modules.txt": ""},
		"cgo":            {"udf/udf.go": src, "udf/c.go": "package udf\n\nimport \"C\"\n"},
		"cgo indirectly": {"udf/udf.go": "package udf\n\nimport _ \"example.com/t/c\"\n\nfunc F(x int64) int64 { return x }\n", "c/c.go": "package c\n\nimport \"C\"\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := newModule(t, files)
			if key := NewResolver(dir).cacheKey(cacheDir(), "example.com/t/udf"); key != "" {
				t.Errorf("cacheable (key %s)", key)
			}
		})
	}
	// A package that is a module of its own, inside the main module's tree.
	dir := newModule(t, map[string]string{"udf/udf.go": src, "udf/go.mod": "module example.com/t/udf\n"})
	if key := NewResolver(dir).cacheKey(cacheDir(), "example.com/t/udf"); key != "" {
		t.Errorf("nested module: cacheable (key %s)", key)
	}
	// A relative path means a directory to go list, whatever the module.
	dir = newModule(t, map[string]string{"udf/udf.go": src})
	if key := NewResolver(dir).cacheKey(cacheDir(), "./udf"); key != "" {
		t.Errorf("relative import path: cacheable (key %s)", key)
	}
	// The workspace case, resolved end to end.
	dir = newModule(t, cases["workspace"])
	for i := 0; i < 2; i++ {
		if fn, loaded := resolveCounting(t, dir, "example.com/t/udf", "F"); !loaded || ir.GoSignature(fn) != "func F(x int64) int64" {
			t.Errorf("workspace, compile %d: %s, loaded %v", i, ir.GoSignature(fn), loaded)
		}
	}
}

// TestCacheDamagedEntry: an entry that does not decode is a miss, and is rewritten.
func TestCacheDamagedEntry(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	dir := newModule(t, map[string]string{"udf/udf.go": "package udf\n\nfunc F(x int64) int64 { return x }\n"})
	resolveCounting(t, dir, "example.com/t/udf", "F")
	entries := cacheEntries(t)
	if len(entries) != 1 {
		t.Fatalf("entries %v", entries)
	}
	file := filepath.Join(cacheDir(), entries[0])
	if err := os.WriteFile(file, []byte("not an entry"), 0o644); err != nil {
		t.Fatal(err)
	}
	fn, loaded := resolveCounting(t, dir, "example.com/t/udf", "F")
	if !loaded || ir.GoSignature(fn) != "func F(x int64) int64" {
		t.Errorf("damaged entry: %s, loaded %v", ir.GoSignature(fn), loaded)
	}
	if _, loaded := resolveCounting(t, dir, "example.com/t/udf", "F"); loaded {
		t.Error("entry not rewritten")
	}
}

// TestCacheConcurrent: compiles sharing the cache directory, all missing at once; every
// one resolves right and the directory ends with one whole entry.
func TestCacheConcurrent(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	dir := newModule(t, map[string]string{"udf/udf.go": "package udf\n\nfunc F(x int64) int64 { return x }\n"})
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			fn, err := NewResolver(dir).Resolve("example.com/t/udf", "F")
			if err == nil && ir.GoSignature(fn) != "func F(x int64) int64" {
				err = fmt.Errorf("got %s", ir.GoSignature(fn))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("compile %d: %v", i, err)
		}
	}
	if entries := cacheEntries(t); len(entries) != 1 {
		t.Errorf("entries %v, want one", entries)
	}
	if _, loaded := resolveCounting(t, dir, "example.com/t/udf", "F"); loaded {
		t.Error("not cached after concurrent compiles")
	}
}

// TestGoEnvMemo: go env is memoized, and a change of the go command's configuration
// (the go env file, the environment) is seen: here GOFLAGS=-tags selects the file that
// declares the UDF.
func TestGoEnvMemo(t *testing.T) {
	t.Setenv(cacheEnv, t.TempDir())
	envFile := filepath.Join(t.TempDir(), "env")
	t.Setenv("GOENV", envFile)
	t.Setenv("GOFLAGS", "")
	dir := newModule(t, map[string]string{
		"udf/a.go": "//go:build !sqlcstreamtag\n\npackage udf\n\nfunc F(x int64) int64 { return x }\n",
		"udf/b.go": "//go:build sqlcstreamtag\n\npackage udf\n\nfunc F(x string) string { return x }\n",
	})
	const plain, tagged = "func F(x int64) int64", "func F(x string) string"
	step := func(name, want string, wantLoad, wantGoEnv bool) {
		t.Helper()
		runs := goEnvRuns.Load()
		fn, loaded := resolveCounting(t, dir, "example.com/t/udf", "F")
		if got := ir.GoSignature(fn); got != want {
			t.Errorf("%s: got %s, want %s", name, got, want)
		}
		if loaded != wantLoad {
			t.Errorf("%s: loaded with go/packages = %v, want %v", name, loaded, wantLoad)
		}
		if ran := goEnvRuns.Load() != runs; ran != wantGoEnv {
			t.Errorf("%s: ran go env = %v, want %v", name, ran, wantGoEnv)
		}
	}
	step("first compile", plain, true, true)
	step("unchanged", plain, false, false)
	writeFiles(t, filepath.Dir(envFile), map[string]string{"env": "GOFLAGS=-tags=sqlcstreamtag\n"})
	step("go env file sets the tag", tagged, true, true)
	step("unchanged again", tagged, false, false)
	t.Setenv("GOFLAGS", "-tags=other") // the environment overrides the file
	step("environment overrides the tag", plain, true, true)
}
