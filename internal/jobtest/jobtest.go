// Package jobtest compiles SQL into a job binary for tests, in a scratch module made by
// internal/gotest. It is apart from gotest because it imports the compiler, which
// imports packages whose own tests use gotest.
package jobtest

import (
	"path/filepath"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// Build compiles the SQL script sql (as job.sql) into package job of the scratch module
// dir, builds it and returns the binary's path.
func Build(t testing.TB, dir, sql string) string {
	t.Helper()
	return BuildPkg(t, dir, "job", sql)
}

// BuildPkg is Build into package dir/pkg and the binary dir/pkg.bin, for tests that
// build several jobs in one module.
func BuildPkg(t testing.TB, dir, pkg, sql string) string {
	t.Helper()
	res, err := compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: dir})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, pkg, f.Name), string(f.Content))
	}
	bin := filepath.Join(dir, pkg+".bin")
	gotest.Build(t, dir, pkg, bin)
	return bin
}
