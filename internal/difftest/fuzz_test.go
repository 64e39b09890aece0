package difftest

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/udf"
)

// FuzzCodegen: any query the generator makes that binds compiles into Go that
// type-checks. Its input is a seed for the generator (gen.go, genquery.go), not raw
// bytes, so every input is a query of the documented shapes over both tables, with Go
// functions of every kind when udfs is set. Each query is compiled through every phase
// with the real compiler (UDF folding aside: that needs a helper program per query), and
// the generated main.go is type-checked with go/types against the export data of
// runtimelib and the functions' package: no go build per input. A compile error other
// than a documented "not supported yet" fails, as in the differential run.
//
//	go test ./internal/difftest -run '^$' -fuzz '^FuzzCodegen$' -fuzztime 5m
func FuzzCodegen(f *testing.F) {
	for seed := uint64(1); seed <= 12; seed++ {
		f.Add(seed, seed%3 != 0)
	}
	env := &codegenEnv{dir: f.TempDir(), repo: gotest.RepoRoot(f)}
	f.Fuzz(func(t *testing.T, seed uint64, udfs bool) {
		env.once.Do(env.setup)
		if env.err != nil {
			t.Fatal(env.err)
		}
		g := NewGen(seed, udfs)
		q, shape := g.Query(env.db)
		it := &item{shape: shape, q: q, jdbc: jdbcEligible(q) && seed%2 == 0}
		text := script([]*item{it})
		res, err := compiler.Compile(text, compiler.Options{Name: "job.sql", Dir: env.dir, Resolver: env.resolver})
		if err != nil {
			if documentedUnsupported.MatchString(firstLine(err.Error())) {
				return
			}
			t.Fatalf("seed %d (%s): compile: %v\n%s", seed, shape, err, it.q.SQL(""))
		}
		for _, file := range res.Files {
			if err := env.typeCheck(file.Name, file.Content); err != nil {
				t.Fatalf("seed %d (%s): the generated %s does not type-check: %v\nquery:\n%s", seed, shape, file.Name, err, it.q.SQL(""))
			}
		}
	})
}

// codegenEnv is what every input of FuzzCodegen shares, set up once per process: the
// scratch module with the functions' package, a UDF resolver that caches what it loads,
// and an importer of export data.
type codegenEnv struct {
	dir, repo string
	once      sync.Once
	err       error
	db        *DB
	resolver  *udf.Resolver

	mu      sync.Mutex
	fset    *token.FileSet
	exports map[string]string // import path -> export data file
	imp     types.Importer
}

func (e *codegenEnv) setup() {
	e.db = NewGen(1, false).NewDB(20)
	if e.err = writeModule(Config{Repo: e.repo}, e.dir, e.db); e.err != nil {
		return
	}
	e.resolver = udf.NewResolver(e.dir)
	e.fset = token.NewFileSet()
	e.exports = map[string]string{}
	e.err = e.load("github.com/sqlc-stream/sqlc-stream/runtimelib/...", "example.com/difftest/udf")
	e.imp = importer.ForCompiler(e.fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := e.exports[path]
		if !ok { // a standard package runtimelib does not import
			if err := e.load(path); err != nil {
				return nil, err
			}
			if file, ok = e.exports[path]; !ok {
				return nil, fmt.Errorf("no export data for %s", path)
			}
		}
		return os.Open(file)
	})
}

// load records the export data files of the packages matching patterns and of their
// dependencies (go list -export, as the go command builds them).
func (e *codegenEnv) load(patterns ...string) error {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedExportFile | packages.NeedDeps | packages.NeedImports,
		Dir:  e.dir,
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0"),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return err
	}
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, err := range p.Errors {
			errs = append(errs, err.Error())
		}
		if p.ExportFile != "" {
			e.exports[p.PkgPath] = p.ExportFile
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("loading %v: %s", patterns, strings.Join(errs, "; "))
	}
	return nil
}

// typeCheck parses and type-checks one generated file as package main.
func (e *codegenEnv) typeCheck(name string, src []byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	file, err := parser.ParseFile(e.fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	var errs []string
	conf := types.Config{Importer: e.imp, Error: func(err error) {
		if len(errs) < 10 {
			errs = append(errs, err.Error())
		}
	}}
	if _, err := conf.Check("main", e.fset, []*ast.File{file}, nil); err != nil {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// TestTypeCheckCatches makes sure the type check of FuzzCodegen fails on generated code
// that does not compile: a fuzz target whose check cannot fail finds nothing.
func TestTypeCheckCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("loads export data with the go command")
	}
	env := &codegenEnv{dir: t.TempDir(), repo: gotest.RepoRoot(t)}
	env.setup()
	if env.err != nil {
		t.Fatal(env.err)
	}
	ok := "package main\n\nimport \"github.com/sqlc-stream/sqlc-stream/runtimelib/job\"\n\nfunc main() { job.Main(nil, nil) }\n"
	if err := env.typeCheck("ok.go", []byte(ok)); err != nil {
		t.Fatalf("good code rejected: %v", err)
	}
	bad := strings.Replace(ok, "job.Main(nil, nil)", "job.Main(nil)", 1)
	if err := env.typeCheck("bad.go", []byte(bad)); err == nil || !strings.Contains(err.Error(), "not enough arguments") {
		t.Fatalf("bad code: %v", err)
	}
}
