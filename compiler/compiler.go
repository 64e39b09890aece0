package compiler

import (
	"os"
	"path/filepath"

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

// Compile compiles SQL text through every phase, stopping at the first that fails.
func Compile(text string, opts Options) (*Result, error) {
	res := &Result{Source: &diag.Source{Name: opts.Name, Text: text}}
	var err error
	if res.Script, err = parser.ParseScript(res.Source); err != nil || opts.Stop == "parse" {
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
	if res.Plan, err = ir.Bind(res.Script, ir.BindOptions{Resolver: resolver}); err != nil || opts.Stop == "bind" {
		return res, err
	}
	if len(res.Plan.Sinks) == 0 {
		return res, nothingToExecute(res.Script)
	}
	if res.Program, err = optimizer.OptimizeWith(res.Plan, optimizer.Options{EvalUDF: eval}); err != nil || opts.Stop == "optimize" {
		return res, err
	}
	res.Files, err = codegen.Generate(res.Program, codegen.Options{SourceName: filepath.Base(opts.Name), Source: res.Source})
	return res, err
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
