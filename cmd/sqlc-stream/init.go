package main

import (
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/template"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// initrepo holds the files `sqlc-stream init` writes, as text/template templates
// ({{.Name}}: the job's name, {{.Module}}: the module path).
//
//go:embed initrepo
var initrepo embed.FS

// initFiles maps each template to the file it becomes in the new repository.
var initFiles = []struct{ tmpl, file string }{
	{"job.sql.tmpl", "job.sql"},
	{"gen.go.tmpl", "gen.go"},
	{"job_test.go.tmpl", "job_test.go"},
	{"output.golden.tmpl", "testdata/output.golden"},
	{"page_views.csv.tmpl", "data/page_views.csv"},
	{"udf.go.tmpl", "udf/udf.go"},
	{"udf_test.go.tmpl", "udf/udf_test.go"},
	{"gitignore.tmpl", ".gitignore"},
}

// sourceEnv names the checkout of sqlc-stream that `init` points a new repository at
// (a replace directive), when -replace does not: the module is not published yet, so a
// repository made from a checkout uses that checkout (docs/cli.md).
const sourceEnv = "SQLC_STREAM_SOURCE"

var initFlags struct {
	module  string
	replace string
	noTidy  bool
}

func addInitFlags(fs *flag.FlagSet) {
	fs.StringVar(&initFlags.module, "module", "", "the new module's path (default: example.com/ and the directory's name)")
	fs.StringVar(&initFlags.replace, "replace", "", "a checkout of sqlc-stream to require through a replace directive (default: $"+sourceEnv+", else the checkout this command was built from, unless it is a released version)")
	fs.BoolVar(&initFlags.noTidy, "no-tidy", false, "do not run go mod tidy (which writes go.sum and may download modules)")
}

// runInit scaffolds a user repository in dir (default "."): go.mod with the tool line,
// job.sql on embedded defaults, a UDF package, the go:generate line, a golden test of
// the generated code, a sample input; then go mod tidy, so that
// `go generate ./... && go test ./... && go build` works with no other step.
func runInit(_ *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return usageError{"expected at most one directory"}
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	name := jobName(filepath.Base(abs))
	modPath := initFlags.module
	if modPath == "" {
		modPath = "example.com/" + name
	} else {
		name = jobName(path.Base(modPath))
	}
	if err := module.CheckPath(modPath); err != nil {
		return usageError{fmt.Sprintf("-module %s: %v", modPath, err)}
	}
	for _, f := range append([]struct{ tmpl, file string }{{file: "go.mod"}}, initFiles...) {
		if _, err := os.Stat(filepath.Join(abs, f.file)); err == nil {
			return fmt.Errorf("sqlc-stream init: %s exists already; init writes a new repository into an empty directory", filepath.Join(dir, f.file))
		}
	}
	src, err := sqlcStreamSource()
	if err != nil {
		return err
	}
	gomod, err := initGoMod(modPath, src)
	if err != nil {
		return err
	}
	data := struct{ Name, Module string }{name, modPath}
	files := map[string][]byte{"go.mod": gomod}
	for _, f := range initFiles {
		t, err := template.ParseFS(initrepo, "initrepo/"+f.tmpl)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return err
		}
		files[f.file] = buf.Bytes()
	}
	for _, f := range append([]string{"go.mod"}, initFileNames()...) {
		p := filepath.Join(abs, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[f], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "sqlc-stream init: wrote module %s in %s", modPath, dir)
	if src.replace != "" {
		fmt.Fprintf(stdout, " (sqlc-stream from %s)", src.replace)
	}
	fmt.Fprintln(stdout)
	if !initFlags.noTidy {
		cmd := exec.Command("go", "mod", "tidy")
		cmd.Dir = abs
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("sqlc-stream init: go mod tidy in %s failed:\n%s\nrun\n  go mod tidy\nthere once the module proxy (or your module cache) has what it lists", dir, strings.TrimSpace(string(out)))
		}
	}
	cd := ""
	if dir != "." {
		cd = "cd " + dir + " && "
	}
	fmt.Fprintf(stdout, "next:\n  %sgo generate ./... && go test ./... && go build && ./%s\n", cd, name)
	return nil
}

func initFileNames() []string {
	names := make([]string, len(initFiles))
	for i, f := range initFiles {
		names[i] = f.file
	}
	return names
}

// jobName turns a directory name into a Go-friendly name for the job and its binary.
func jobName(base string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), "_-")
	if s == "" {
		return "job"
	}
	return s
}

// source is where a new repository gets sqlc-stream from: a local checkout (replace),
// or a released version.
type source struct {
	replace   string // absolute path of a checkout, or ""
	version   string // the version to require
	goVersion string // the go line of sqlc-stream's go.mod
}

// sqlcStreamSource decides which sqlc-stream a new repository requires: -replace, then
// $SQLC_STREAM_SOURCE, then the release this command is (go install ...@vX), then the
// checkout its source files are in (go run ./cmd/sqlc-stream, go tool from a repository
// that replaces the module with a checkout).
func sqlcStreamSource() (source, error) {
	dir := initFlags.replace
	if dir == "" {
		dir = os.Getenv(sourceEnv)
	}
	if dir == "" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == modulePath && bi.Main.Replace == nil &&
			semver.IsValid(bi.Main.Version) && !module.IsPseudoVersion(bi.Main.Version) && semver.Build(bi.Main.Version) == "" && bi.Main.Version != "v0.0.0" {
			return source{version: bi.Main.Version, goVersion: "1.26.0"}, nil
		}
		if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
			dir = filepath.Dir(filepath.Dir(filepath.Dir(file))) // cmd/sqlc-stream/init.go
		}
	}
	if dir == "" {
		return source{}, fmt.Errorf("sqlc-stream init: this sqlc-stream is no release and does not know its source; give the checkout to use: -replace /path/to/sqlc-stream (or $%s)", sourceEnv)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return source{}, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return source{}, fmt.Errorf("sqlc-stream init: %s is not a checkout of %s: %v", dir, modulePath, err)
	}
	mf, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil || mf.Module == nil || mf.Module.Mod.Path != modulePath {
		return source{}, fmt.Errorf("sqlc-stream init: %s is not a checkout of %s (its go.mod names another module)", dir, modulePath)
	}
	gv := "1.26.0"
	if mf.Go != nil {
		gv = mf.Go.Version
	}
	return source{replace: dir, version: "v0.0.0", goVersion: gv}, nil
}

const modulePath = "github.com/sqlc-stream/sqlc-stream"

// initGoMod writes the new repository's go.mod: the tool line that pins the compiler
// (go tool sqlc-stream), its requirement, and a replace directive for a checkout.
func initGoMod(modPath string, src source) ([]byte, error) {
	var f modfile.File
	steps := []error{
		f.AddModuleStmt(modPath),
		f.AddGoStmt(src.goVersion),
		f.AddTool(modulePath + "/cmd/sqlc-stream"),
		f.AddRequire(modulePath, src.version),
	}
	if src.replace != "" {
		steps = append(steps, f.AddReplace(modulePath, "", src.replace, ""))
	}
	if err := errors.Join(steps...); err != nil {
		return nil, err
	}
	f.Cleanup()
	return modfile.Format(f.Syntax), nil
}
