package main

import (
	"bytes"
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
		{name: "compile", args: "[-o out.go|dir] [compile flags] job.sql...", summary: "translate a SQL job into Go source (package main)", run: runCompile, flags: compileFlags},
		{name: "build", args: "[-o binary] [compile flags] job.sql...", summary: "compile a SQL job into a static binary", run: runBuild, flags: buildFlags},
		{name: "run", args: "[compile flags] job.sql... [job flags]", summary: "build a SQL job into a temporary binary and run it", run: runRun, flags: addJobFlags},
		{name: "explain", args: "[--format text|dot|svg] [-o file] [compile flags] job.sql...", summary: "print the bound and the optimized plan with changelog modes, or draw the optimized plan (dot, svg)", run: runExplain, flags: explainFlags},
		{name: "nexmark", args: "dump [-n N] [-format json|csv] [-o file|dir] [-D key=value ...]", summary: "write the Nexmark generator's events to files (nexmark dump)", run: runNexmark},
		{name: "init", args: "[-module path] [-replace dir] [dir]", summary: "scaffold a Go repository for a SQL job: go.mod with the tool line, job.sql, a UDF package, go:generate, tests", run: runInit, flags: addInitFlags},
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
		if err := fs.Parse(rest); err != nil {
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

// jobFlags are the compile flags every command that compiles takes.
type jobFlags struct {
	vars    multiFlag
	defines multiFlag
	funcs   multiFlag
	funcMap string
	dir     string
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

var jf jobFlags

func addJobFlags(fs *flag.FlagSet) {
	jf = jobFlags{}
	fs.Var(&jf.vars, "var", "NAME=value: the value of the ${NAME} placeholders of the SQL text (repeatable; see docs/cli.md)")
	fs.Var(&jf.defines, "D", "table.option=value: compile the job with this WITH option of the table set or replaced, e.g. -D sink.connector=print (repeatable)")
	fs.Var(&jf.funcs, "func", "class=import/path.Func: implement the CREATE FUNCTION class (a Java class name) with this Go function (repeatable)")
	fs.StringVar(&jf.funcMap, "func-map", "", "a file of class = import/path.Func lines (default: functions.map next to the SQL files, if any)")
	fs.StringVar(&jf.dir, "dir", "", "the directory whose Go module resolves UDFs and builds the job (default: the first SQL file's, or the current one when that is in no module)")
}

// sqlFiles checks that args are SQL files (at least one).
func sqlFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		return nil, usageError{"expected a SQL file (or several, compiled as one script in order)"}
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return nil, usageError{fmt.Sprintf("flag %s after the SQL files: give flags first", a)}
		}
	}
	return args, nil
}

// compileOptions turns the compile flags into compiler options for the files.
func compileOptions(files []string, stop string) (compiler.Options, error) {
	opts := compiler.Options{Stop: stop, Getenv: os.LookupEnv}
	for _, v := range jf.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return opts, usageError{fmt.Sprintf("-var %s: expected NAME=value", v)}
		}
		if opts.Vars == nil {
			opts.Vars = map[string]string{}
		}
		opts.Vars[name] = value
	}
	for _, d := range jf.defines {
		def, err := ir.ParseDefine(d)
		if err != nil {
			return opts, usageError{err.Error()}
		}
		opts.Defines = append(opts.Defines, def)
	}
	funcs, err := functionMap(files)
	if err != nil {
		return opts, err
	}
	opts.Functions = funcs
	dir, err := jobDir(files)
	if err != nil {
		return opts, err
	}
	opts.Dir = dir
	return opts, nil
}

// functionMap reads the class mappings: the -func-map file (or functions.map next to
// the SQL files), then the -func flags, which win.
func functionMap(files []string) (map[string]string, error) {
	var paths []string
	if jf.funcMap != "" {
		paths = []string{jf.funcMap}
	} else {
		seen := map[string]bool{}
		for _, f := range files {
			p := filepath.Join(filepath.Dir(f), "functions.map")
			if _, err := os.Stat(p); err == nil && !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	m := map[string]string{}
	for _, p := range paths {
		fm, err := compiler.ReadFunctionMap(p)
		if err != nil {
			return nil, err
		}
		for k, v := range fm {
			if old, ok := m[k]; ok && old != v {
				return nil, fmt.Errorf("%s: %s is mapped to %s in another functions.map already", p, k, old)
			}
			m[k] = v
		}
	}
	for _, f := range jf.funcs {
		class, fn, ok := strings.Cut(f, "=")
		if !ok || class == "" || fn == "" {
			return nil, usageError{fmt.Sprintf("-func %s: expected class=import/path.Func", f)}
		}
		m[strings.TrimSpace(class)] = strings.TrimSpace(fn)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// jobDir is the directory whose module builds the job: -dir, else the first SQL
// file's when it is inside a Go module, else the current directory (SQL kept outside
// any module, such as Nexmark's files, builds in the module one works in).
func jobDir(files []string) (string, error) {
	if jf.dir != "" {
		return jf.dir, nil
	}
	d := filepath.Dir(files[0])
	if compiler.InModule(d) {
		return d, nil
	}
	return ".", nil
}

var compileOut *string

func compileFlags(fs *flag.FlagSet) {
	compileOut = fs.String("o", "", "output: a .go file, or a directory for all generated files (default: standard output)")
	addJobFlags(fs)
}

func runCompile(_ *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	files, err := sqlFiles(args)
	if err != nil {
		return err
	}
	opts, err := compileOptions(files, "")
	if err != nil {
		return err
	}
	res, err := compiler.CompileFiles(files, opts)
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
	buildOut = fs.String("o", "", "output binary (default: the last SQL file's base name, in the current directory)")
	addJobFlags(fs)
}

// jobBinaryName is the last SQL file's base name without its extension.
func jobBinaryName(files []string) string {
	last := files[len(files)-1]
	return strings.TrimSuffix(filepath.Base(last), filepath.Ext(last))
}

func runBuild(_ *flag.FlagSet, args []string, _, stderr io.Writer) error {
	files, err := sqlFiles(args)
	if err != nil {
		return err
	}
	out := *buildOut
	if out == "" {
		out = jobBinaryName(files)
	}
	opts, err := compileOptions(files, "")
	if err != nil {
		return err
	}
	res, err := compiler.CompileFiles(files, opts)
	if err != nil {
		return err
	}
	return compiler.Build(res, opts.Dir, files[len(files)-1], out, stderr)
}

func runRun(_ *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	// The SQL files come first; the first argument starting with "-" after them begins
	// the job binary's flags.
	n := 0
	for n < len(args) && !strings.HasPrefix(args[n], "-") {
		n++
	}
	files, jobArgs := args[:n], args[n:]
	if len(files) == 0 {
		return usageError{"expected a SQL file"}
	}
	opts, err := compileOptions(files, "")
	if err != nil {
		return err
	}
	res, err := compiler.CompileFiles(files, opts)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sqlc-stream-run-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, jobBinaryName(files))
	if err := compiler.Build(res, opts.Dir, files[len(files)-1], bin, stderr); err != nil {
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

var explainFormat, explainOut *string

func explainFlags(fs *flag.FlagSet) {
	explainFormat = fs.String("format", "text", "text: the plans and pipelines as text; dot: the optimized plan as a Graphviz graph, stages, fused pipelines and exchanges boxed; svg: that graph drawn (no Graphviz needed)")
	explainOut = fs.String("o", "", "write to this file (default: standard output)")
	addJobFlags(fs)
}

func runExplain(_ *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	format := *explainFormat
	switch format {
	case "text", "dot", "svg":
	default:
		return usageError{fmt.Sprintf("-format %s: use text, dot or svg", format)}
	}
	files, err := sqlFiles(args)
	if err != nil {
		return err
	}
	opts, err := compileOptions(files, "optimize")
	if err != nil {
		return err
	}
	res, err := compiler.CompileFiles(files, opts)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	switch format {
	case "text":
		fmt.Fprintln(&out, "== Bound Plan ==")
		fmt.Fprintln(&out, strings.TrimRight(ir.DumpPlan(res.Plan), "\n"))
		fmt.Fprintln(&out, "\n== Optimized Plan ==")
		fmt.Fprintln(&out, strings.TrimRight(ir.DumpPlan(res.Program.Plan), "\n"))
		fmt.Fprintln(&out, "\n== Pipelines ==")
		fmt.Fprintln(&out, strings.TrimRight(ir.DumpProgram(res.Program), "\n"))
	case "dot":
		out.WriteString(ir.DumpDot(res.Program))
	case "svg":
		if err := renderSVG(ir.DumpDot(res.Program), &out); err != nil {
			return err
		}
	}
	if *explainOut != "" {
		return os.WriteFile(*explainOut, out.Bytes(), 0o644)
	}
	_, err = stdout.Write(out.Bytes())
	return err
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
