package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// exitError carries a process exit status through the command functions.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type command struct {
	name, args, summary string
	run                 func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error
	flags               func(fs *flag.FlagSet)
}

var commands []*command

func init() {
	commands = []*command{
		{name: "compile", args: "[-o out.go|dir] job.sql", summary: "translate a SQL job into Go source (package main)", run: runCompile, flags: compileFlags},
		{name: "build", args: "[-o binary] job.sql", summary: "compile a SQL job into a static binary", run: runBuild, flags: buildFlags},
		{name: "run", args: "job.sql [job flags]", summary: "build a SQL job into a temporary binary and run it", run: runRun},
		{name: "explain", args: "job.sql", summary: "print the bound and the optimized plan with changelog modes", run: runExplain},
		{name: "nexmark", args: "dump [-n N] [-format json|csv] [-o file|dir] [-D key=value ...]", summary: "write the Nexmark generator's events to files (nexmark dump)", run: runNexmark},
		{name: "version", args: "", summary: "print the version", run: runVersion},
	}
}

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the CLI with args and returns the exit status (testscript calls it too).
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			args = []string{args[1], "--help"}
		} else {
			usage(stdout)
			if len(args) == 0 {
				return 2
			}
			return 0
		}
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		fs := flag.NewFlagSet("sqlc-stream "+c.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "usage: sqlc-stream %s %s\n\n%s.\n", c.name, c.args, capitalize(c.summary))
			if c.flags != nil {
				fmt.Fprintln(fs.Output(), "\nflags:")
				fs.PrintDefaults()
			}
		}
		if c.flags != nil {
			c.flags(fs)
		}
		rest := args[1:]
		if c.name == "run" {
			// Everything after the SQL file belongs to the job binary.
			if len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help" || rest[0] == "-help") {
				fs.SetOutput(stdout)
				fs.Usage()
				return 0
			}
		} else if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return 0
			}
			return 2
		} else {
			rest = fs.Args()
		}
		err := c.run(fs, rest, stdout, stderr)
		var ee exitError
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.code
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "sqlc-stream %s: %s\n", c.name, ue.msg)
			fs.Usage()
			return 2
		default:
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "sqlc-stream: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sqlc-stream compiles Flink SQL jobs into Go programs and static binaries.")
	fmt.Fprintln(w, "\nusage: sqlc-stream <command> [flags] job.sql")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'sqlc-stream <command> --help' for a command's flags.")
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// oneSQLFile checks that args is exactly one SQL file.
func oneSQLFile(args []string) (string, error) {
	if len(args) != 1 {
		return "", usageError{"expected exactly one SQL file"}
	}
	return args[0], nil
}

var compileOut *string

func compileFlags(fs *flag.FlagSet) {
	compileOut = fs.String("o", "", "output: a .go file, or a directory for all generated files (default: standard output)")
}

func runCompile(_ *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	path, err := oneSQLFile(args)
	if err != nil {
		return err
	}
	res, err := compiler.CompileFile(path, compiler.Options{})
	if err != nil {
		return err
	}
	out := *compileOut
	switch {
	case out == "":
		for _, f := range res.Files {
			if _, err := stdout.Write(f.Content); err != nil {
				return err
			}
		}
		return nil
	case strings.HasSuffix(out, ".go"):
		if len(res.Files) != 1 {
			return fmt.Errorf("the job compiles into %d files; give -o a directory", len(res.Files))
		}
		return writeIfChanged(out, res.Files[0].Content)
	default:
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		for _, f := range res.Files {
			if err := writeIfChanged(filepath.Join(out, f.Name), f.Content); err != nil {
				return err
			}
		}
		return nil
	}
}

// writeIfChanged leaves an up-to-date file untouched, so go generate does not bump
// modification times and make go build redo work.
func writeIfChanged(path string, content []byte) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(content) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, content, 0o644)
}

var buildOut *string

func buildFlags(fs *flag.FlagSet) {
	buildOut = fs.String("o", "", "output binary (default: the SQL file's base name, in the current directory)")
}

func runBuild(_ *flag.FlagSet, args []string, _, stderr io.Writer) error {
	path, err := oneSQLFile(args)
	if err != nil {
		return err
	}
	out := *buildOut
	if out == "" {
		out = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	res, err := compiler.CompileFile(path, compiler.Options{})
	if err != nil {
		return err
	}
	return compiler.Build(res, filepath.Dir(path), path, out, stderr)
}

func runRun(_ *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"expected a SQL file"}
	}
	path, jobArgs := args[0], args[1:]
	res, err := compiler.CompileFile(path, compiler.Options{})
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sqlc-stream-run-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	if err := compiler.Build(res, filepath.Dir(path), path, bin, stderr); err != nil {
		return err
	}
	cmd := exec.Command(bin, jobArgs...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return exitError{ee.ExitCode()}
		}
		return err
	}
	return nil
}

func runExplain(_ *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	path, err := oneSQLFile(args)
	if err != nil {
		return err
	}
	res, err := compiler.CompileFile(path, compiler.Options{Stop: "optimize"})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "== Bound Plan ==")
	fmt.Fprintln(stdout, strings.TrimRight(ir.DumpPlan(res.Plan), "\n"))
	fmt.Fprintln(stdout, "\n== Optimized Plan ==")
	fmt.Fprintln(stdout, strings.TrimRight(ir.DumpPlan(res.Program.Plan), "\n"))
	fmt.Fprintln(stdout, "\n== Pipelines ==")
	fmt.Fprintln(stdout, strings.TrimRight(ir.DumpProgram(res.Program), "\n"))
	return nil
}

func runVersion(_ *flag.FlagSet, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "sqlc-stream", version())
	return nil
}

// version is the module version the binary was built from ("(devel)" in a checkout),
// with the VCS revision when the build recorded one.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + bi.GoVersion
}
