package e2e

import (
	"path/filepath"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// buildJob compiles sql (as job.sql) into package pkg of the module in dir and builds
// it; it returns the binary, dir/pkg.bin.
func buildJob(t *testing.T, dir, pkg, sql string) string {
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
