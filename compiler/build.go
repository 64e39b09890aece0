package compiler

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const modulePath = "github.com/sqlc-stream/sqlc-stream"

// Build writes a compiled job's files into a temporary package inside the Go module that
// holds dir (the SQL file's directory, or a Table program's) and runs go build there with
// CGO_ENABLED=0, so the binary at out is static and links the UDF packages and the
// runtimelib version that module requires. name prefixes messages (job.sql); go build's
// warnings go to stderr.
func Build(res *Result, dir, name, out string, stderr io.Writer) error {
	sqlDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	modRoot, err := moduleRoot(sqlDir)
	if err != nil {
		return err
	}
	genRoot := filepath.Join(modRoot, ".sqlc-stream")
	if err := os.MkdirAll(genRoot, 0o755); err != nil {
		return err
	}
	defer os.Remove(genRoot) // only if empty: concurrent builds share it
	pkgDir, err := os.MkdirTemp(genRoot, "build-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(pkgDir)
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(pkgDir, f.Name), f.Content, 0o644); err != nil {
			return err
		}
	}
	rel, err := filepath.Rel(modRoot, pkgDir)
	if err != nil {
		return err
	}
	pkg := "./" + filepath.ToSlash(rel)
	log, err := goBuild(modRoot, absOut, pkg)
	if err != nil && needsModUpdate(log) {
		// A go.mod tidied before the job existed may lack requirements (or go.sum
		// lines) of the runtimelib packages this job imports: let go add them, as
		// `go get` would, and say so.
		log, err = goBuild(modRoot, absOut, pkg, "-mod=mod")
		if err == nil && stderr != nil {
			fmt.Fprintf(stderr, "%s: added the requirements the job needs to %s (run go mod tidy to keep them only when a package of yours imports them)\n", name, filepath.Join(modRoot, "go.mod"))
		}
	}
	if err != nil {
		msg := strings.TrimSpace(log)
		switch {
		case strings.Contains(msg, "no required module provides package "+modulePath):
			return fmt.Errorf("%s: the module at %s does not require %s; run\n  go get -tool %s/cmd/sqlc-stream\nthere (or add a replace directive to a local checkout)", name, modRoot, modulePath, modulePath)
		case needsModUpdate(msg):
			return fmt.Errorf("%s: the module at %s needs new requirements for the job and go could not add them:\n%s\nrun\n  go mod tidy\nthere (with network access to the module proxy) and build again", name, modRoot, msg)
		}
		return fmt.Errorf("%s: go build of the generated job failed:\n%s", name, msg)
	}
	if len(log) > 0 && stderr != nil {
		io.WriteString(stderr, log)
	}
	return nil
}

// goBuild runs go build of pkg in modRoot, static (CGO_ENABLED=0), and returns its
// combined output.
func goBuild(modRoot, out, pkg string, flags ...string) (string, error) {
	args := append([]string{"build", "-trimpath", "-o", out}, flags...)
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = modRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}

// needsModUpdate reports whether go build failed because go.mod or go.sum lacks what
// the generated package imports.
func needsModUpdate(out string) bool {
	return strings.Contains(out, "updates to go.mod needed") || strings.Contains(out, "missing go.sum entry") ||
		strings.Contains(out, "no required module provides package")
}

// InModule reports whether dir is inside a Go module.
func InModule(dir string) bool {
	_, err := moduleRoot(dir)
	return err == nil
}

// moduleRoot returns the directory of the go.mod that governs dir.
func moduleRoot(dir string) (string, error) {
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD in %s: %v", dir, err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module; create one next to the SQL file:\n  go mod init example.com/job && go get %s@latest", dir, modulePath)
	}
	return filepath.Dir(gomod), nil
}
