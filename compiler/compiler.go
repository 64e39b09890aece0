package compiler

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/codegen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
	"github.com/sqlc-stream/sqlc-stream/parser"
	"github.com/sqlc-stream/sqlc-stream/udf"
)

// Options say how to compile one SQL file.
type Options struct {
	// Name is the file name shown in messages and in the generated header, usually the
	// path as the user typed it ("job.sql").
	Name string
	// Dir is the directory Go UDF packages are resolved from (its go.mod decides); the
	// SQL file's directory by default.
	Dir string
	// Resolver overrides UDF resolution (tests); nil means udf.NewResolver(Dir).
	Resolver ir.FuncResolver
	// Stop ends compilation after a phase: "parse", "bind", "optimize"; "" runs all.
	Stop string
	// EvalUDF evaluates deterministic UDF calls on constants for the optimizer's
	// FoldUDFs. nil means udf.NewFoldEvaluator(Dir) (a helper program, run only when
	// such calls exist) when Resolver is nil too, and no folding with a custom
	// Resolver. NoFoldUDFs turns folding off.
	EvalUDF    optimizer.UDFEvaluator
	NoFoldUDFs bool

	// Vars are the values of ${NAME} placeholders (-var NAME=value), substituted as
	// Flink's Nexmark runner does before the text is parsed (parser.Vars): everywhere
	// outside quotes, and inside a 'string' when a var is given; a placeholder inside a
	// string without one is left for the job, which expands it from its environment
	// at start. Getenv, when set, supplies the placeholders outside quotes that Vars
	// does not (the CLI passes os.LookupEnv).
	Vars   map[string]string
	Getenv func(string) (string, bool)
	// Defines are compile-time option overrides (-D table.option=value): they change
	// the WITH options the job is compiled with, the connector included.
	Defines []ir.Define
	// Functions maps CREATE FUNCTION classes as written (Java class names in a Flink
	// script) to Go functions, 'import/path.Func' (-func, functions.map).
	Functions map[string]string
}

// Result holds every stage that completed.
type Result struct {
	Source  *diag.Source
	Script  *parser.Script
	Plan    *ir.Plan    // bound, before optimization
	Program *ir.Program // optimized, with pipelines
	Files   []codegen.File
}

// CompileFile reads and compiles a SQL file.
func CompileFile(path string, opts Options) (*Result, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return &Result{}, err
	}
	if opts.Name == "" {
		opts.Name = path
	}
	if opts.Dir == "" {
		opts.Dir = filepath.Dir(path)
	}
	return Compile(string(text), opts)
}

// CompileFiles reads several SQL files and compiles them as one script, in order (a
// Nexmark job: ddl_gen.sql ddl_views.sql q1.sql); messages name the file a position is
// in. One file is CompileFile.
func CompileFiles(paths []string, opts Options) (*Result, error) {
	if len(paths) == 1 {
		return CompileFile(paths[0], opts)
	}
	var names, texts []string
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			return &Result{}, err
		}
		names = append(names, p)
		texts = append(texts, string(text))
	}
	if opts.Name == "" {
		opts.Name = strings.Join(names, " ")
	}
	if opts.Dir == "" {
		opts.Dir = filepath.Dir(paths[0])
	}
	return compileSource(diag.JoinFiles(opts.Name, names, texts), opts)
}

// Compile compiles SQL text through every phase, stopping at the first that fails.
func Compile(text string, opts Options) (*Result, error) {
	return compileSource(&diag.Source{Name: opts.Name, Text: text}, opts)
}

func compileSource(src *diag.Source, opts Options) (*Result, error) {
	res := &Result{Source: src}
	var err error
	var vars parser.Vars
	if opts.Vars != nil || opts.Getenv != nil {
		vars = parser.MapVars{Values: opts.Vars, Fallback: opts.Getenv}
	}
	if res.Script, err = parser.ParseScriptWith(res.Source, vars); err != nil || opts.Stop == "parse" {
		return res, err
	}
	resolver := opts.Resolver
	eval := opts.EvalUDF
	if resolver == nil {
		dir := opts.Dir
		if dir == "" {
			dir = "."
		}
		resolver = udf.NewResolver(dir)
		if eval == nil {
			eval = udf.NewFoldEvaluator(dir)
		}
	}
	if opts.NoFoldUDFs {
		eval = nil
	}
	bopts := ir.BindOptions{Resolver: resolver, Defines: opts.Defines, Functions: opts.Functions}
	if res.Plan, err = ir.Bind(res.Script, bopts); err != nil || opts.Stop == "bind" {
		return res, err
	}
	if len(res.Plan.Sinks) == 0 {
		return res, nothingToExecute(res.Script)
	}
	if res.Program, err = optimizer.OptimizeWith(res.Plan, optimizer.Options{EvalUDF: eval}); err != nil || opts.Stop == "optimize" {
		return res, err
	}
	res.Files, err = codegen.Generate(res.Program, codegen.Options{SourceName: sourceName(res.Source), Source: res.Source})
	return res, err
}

// sourceName names the script in the generated header: the file's base name, or the
// files' base names in order.
func sourceName(src *diag.Source) string {
	if len(src.Files) == 0 {
		return filepath.Base(src.Name)
	}
	names := make([]string, len(src.Files))
	for i, f := range src.Files {
		names[i] = filepath.Base(f.Name)
	}
	return strings.Join(names, " ")
}

// noOperatorsMsg is what Flink says when a job has nothing to run
// (StreamExecutionEnvironment.getStreamGraphGenerator).
const noOperatorsMsg = "No operators defined in streaming topology. Cannot execute."

// nothingToExecute is the error of a script without an INSERT: an empty file, or only
// CREATE and SET statements, would compile to a job that does nothing. It points at the
// end of the last statement, where an INSERT INTO would go (1:1 in an empty file).
func nothingToExecute(s *parser.Script) error {
	what, at := "the script is empty", 0
	if n := len(s.Stmts); n > 0 {
		what, at = "the script has no INSERT INTO statement", s.Stmts[n-1].StmtSpan().End
	}
	return diag.List{diag.Errorf(s.Source, diag.Span{Start: at, End: at}, "%s: %s", what, noOperatorsMsg)}
}
