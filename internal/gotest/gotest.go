// Package gotest builds generated job programs in tests the way a user's repository
// does: a scratch Go module that requires sqlc-stream through a replace directive to
// this checkout.
package gotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// RepoRoot is the root of this checkout (the directory holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the repository root")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// NewModule makes a scratch module example.com/<name> in a temporary directory that
// requires this checkout of sqlc-stream, and returns its directory.
func NewModule(t testing.TB, name string) string {
	t.Helper()
	root := RepoRoot(t)
	dir := t.TempDir()
	gomod := "module example.com/" + name + "\n\ngo 1.26.0\n\nrequire github.com/sqlc-stream/sqlc-stream v0.0.0\n\nreplace github.com/sqlc-stream/sqlc-stream => " + root + "\n"
	WriteFile(t, filepath.Join(dir, "go.mod"), gomod)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	WriteFile(t, filepath.Join(dir, "go.sum"), string(sum))
	return dir
}

// WriteFile writes a file, creating its directory.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Build runs `go build -o out ./pkg` in module dir with CGO_ENABLED=0, as the CLI does.
func Build(t testing.TB, dir, pkg, out string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, "./"+pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./%s: %v\n%s", pkg, err, b)
	}
}

// Run runs a binary in dir and returns its stdout, stderr and exit code.
func Run(t testing.TB, dir, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return RunEnv(t, dir, nil, bin, args...)
}

// RunEnv is Run with environment variables ("KEY=value") added to the test's.
func RunEnv(t testing.TB, dir string, env []string, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), ee.ExitCode()
		}
		t.Fatalf("run %s: %v", bin, err)
	}
	return o.String(), e.String(), 0
}

// NexmarkDir is the Flink SQL text of the Nexmark benchmark, an external suite kept
// beside the project, not in it (FindNexmark). The test is skipped, saying so, when there
// is none.
func NexmarkDir(t testing.TB) string {
	t.Helper()
	if d, ok := FindNexmark(RepoRoot(t)); ok {
		return d
	}
	t.Skipf("the Nexmark suite is not beside the project (no shared/nexmark above %s; set SQLC_STREAM_NEXMARK_DIR)", RepoRoot(t))
	return ""
}

// FindNexmark finds the Nexmark suite for the checkout at root: $SQLC_STREAM_NEXMARK_DIR,
// else shared/nexmark in the directory holding the checkout (../shared/nexmark) or in one
// above it (a worktree kept deeper).
func FindNexmark(root string) (string, bool) {
	if d := os.Getenv("SQLC_STREAM_NEXMARK_DIR"); d != "" {
		return d, true
	}
	dir := filepath.Dir(root)
	for {
		d := filepath.Join(dir, "shared", "nexmark")
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", false
		}
		dir = up
	}
}

// AllocatedBytes runs f and returns the heap bytes allocated meanwhile
// (runtime.MemStats.TotalAlloc). Other goroutines' allocations count too, so a bound
// checked against it should leave room; fuzz targets use it to check that a decoder
// allocates in proportion to its input.
func AllocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
