package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sqlc-stream": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script. Each runs in a scratch Go module
// (example.com/job) that requires this checkout of sqlc-stream through a replace
// directive, as a user's repository would.
func TestScripts(t *testing.T) {
	root := gotest.RepoRoot(t)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	goEnv := map[string]string{}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		goEnv[k] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"static": cmdStatic},
		Setup: func(env *testscript.Env) error {
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			// As if the user had run go mod tidy after adding sqlc-stream.
			env.Setenv("GOFLAGS", "-mod=mod")
			env.Setenv("REPO", root)
			gomod := "module example.com/job\n\ngo 1.26.0\n\nrequire github.com/sqlc-stream/sqlc-stream v0.0.0\n\nreplace github.com/sqlc-stream/sqlc-stream => " + root + "\n"
			if err := os.WriteFile(filepath.Join(env.WorkDir, "go.mod"), []byte(gomod), 0o644); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(env.WorkDir, "go.sum"), sum, 0o644)
		},
	})
}

// cmdStatic asserts that a binary is statically linked: an ELF file with neither an
// interpreter nor a dynamic section.
//
//	static binary
func cmdStatic(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: static binary")
	}
	f, err := elf.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	dynamic := false
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			dynamic = true
		}
	}
	if dynamic != neg {
		if neg {
			ts.Fatalf("%s is statically linked", args[0])
		}
		ts.Fatalf("%s is dynamically linked", args[0])
	}
}
