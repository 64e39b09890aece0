package main

import (
	"go/parser"
	"go/token"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// TestJobDepsListsRuntimelib keeps jobdeps.go complete: it must name every runtimelib
// package generated code may import, or a user repository tidied before its first
// generate lacks the requirements of the one left out.
func TestJobDepsListsRuntimelib(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "jobdeps.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		listed = append(listed, p)
	}
	cmd := exec.Command("go", "list", "./runtimelib/...")
	cmd.Dir = gotest.RepoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal") {
			continue // generated code cannot import those
		}
		if !slices.Contains(listed, p) {
			t.Errorf("jobdeps.go does not import %s: add it", p)
		}
	}
}
