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
	cmd := exec.Command("go", "build", "-trimpath", "-o", absOut, "./"+filepath.ToSlash(rel))
	cmd.Dir = modRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(buf.String())
		if strings.Contains(msg, "no required module provides package "+modulePath) {
			return fmt.Errorf("%s: the module at %s does not require %s; run\n  go get %s@latest\nthere (or add a replace directive to a local checkout)", name, modRoot, modulePath, modulePath)
		}
		return fmt.Errorf("%s: go build of the generated job failed (this is a bug in sqlc-stream unless it names your UDF package):\n%s", name, msg)
	}
	if buf.Len() > 0 && stderr != nil {
		stderr.Write(buf.Bytes())
	}
	return nil
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
