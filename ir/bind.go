package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// FuncResolver finds the Go declaration of a CREATE FUNCTION ... LANGUAGE GO class
// ('importPath.GoName') and maps its signature to SQL types (package udf implements it).
type FuncResolver interface {
	Resolve(importPath, goName string) (*Function, error)
}

// BindOptions configures Bind.
type BindOptions struct {
	// Resolver resolves Go UDFs; nil makes every CREATE FUNCTION an error.
	Resolver FuncResolver
	// Defines are compile-time option overrides (-D table.option=value).
	Defines []Define
	// Functions maps a CREATE FUNCTION class as written to the Go function that
	// implements it ('import/path.Func'), so that a script written for Flink, whose
	// classes are Java classes, compiles unchanged: -func com.example.Udf=example.com/udf.Func.
	Functions map[string]string
}

// Flink's default catalog and database: the names a table is reported under.
const (
	DefaultCatalog  = "default_catalog"
	DefaultDatabase = "default_database"
)

// QualifiedName is how Flink names a table in messages: default_catalog.default_database.t.
func QualifiedName(table string) string {
	return DefaultCatalog + "." + DefaultDatabase + "." + table
}

// Bind resolves names and types of a parsed script and builds its logical plan: one
// Sink per INSERT. The error is a diag.List of positioned diagnostics.
func Bind(script *parser.Script, opts BindOptions) (*Plan, error) {
	b := &binder{
		src:    script.Source,
		opts:   opts,
		cat:    &Catalog{},
		tables: map[string]*Table{},
		views:  map[string]*viewDef{},
		funcs:  map[string]*Function{},
		broken: map[string]bool{},
	}
	plan := &Plan{Catalog: b.cat, Source: script.Source}
	for _, st := range script.Stmts {
		b.stmtSafely(st, plan)
	}
	b.unusedDefines()
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	return plan, nil
}

// viewDef is a CREATE VIEW kept as its AST: each use binds the query anew, so the
// view is inlined into the plan of every query that reads it.
type viewDef struct {
	view  *View
	query parser.Query
	names []parser.Ident // column list renaming the query's columns
}

type binder struct {
	src    *diag.Source
	opts   BindOptions
	cat    *Catalog
	errs   diag.List
	tables map[string]*Table
	views  map[string]*viewDef
	funcs  map[string]*Function // by lower-cased name
	// broken names tables and views whose definition failed; reading them reports nothing more.
	broken map[string]bool
	// viewStack holds the views being expanded, to report a view that reads itself.
	viewStack []string
	// defined maps each applied define (index in opts.Defines) to its table.
	defined map[int]string
}

// bindError is a positioned error raised while binding one statement or expression.
type bindError struct{ d *diag.Diagnostic }

func (b *binder) errorf(span diag.Span, format string, args ...any) *bindError {
	return &bindError{diag.Errorf(b.src, span, format, args...)}
}

// errReported is returned where the cause was already reported (e.g. reading a table
// whose CREATE TABLE failed), so that one mistake gives one message.
var errReported = &bindError{}

func (b *binder) report(err *bindError) {
	if err != nil && err.d != nil {
		b.errs.Add(err.d)
	}
}

// stmtSafely binds one statement; a panic (a binder bug) becomes a positioned internal
// error instead of crashing the compiler.
func (b *binder) stmtSafely(st parser.Stmt, plan *Plan) {
	defer func() {
		if r := recover(); r != nil {
			b.report(b.errorf(st.StmtSpan(), "internal error while binding this statement: %v (please report this bug)", r))
		}
	}()
	b.stmt(st, plan)
}

func (b *binder) stmt(st parser.Stmt, plan *Plan) {
	switch s := st.(type) {
	case *parser.CreateTable:
		b.report(b.createTable(s))
	case *parser.CreateView:
		b.report(b.createView(s))
	case *parser.CreateFunction:
		b.report(b.createFunction(s))
	case *parser.Set:
		if s.Option == nil || s.Option.Key == nil || s.Option.Value == nil {
			b.report(b.errorf(s.Span, "SET needs 'key' = 'value'"))
			return
		}
		o := Option{
			Key: s.Option.Key.Value, Value: s.Option.Value.Value,
			KeySpan: s.Option.Key.Span, ValueSpan: s.Option.Value.Span,
		}
		b.report(b.checkLocalTimeZone(o)) // bind_timezone.go
		b.cat.Settings = append(b.cat.Settings, o)
	case *parser.Insert:
		sink, err := b.insert(s)
		b.report(err)
		if sink != nil {
			plan.Sinks = append(plan.Sinks, sink)
		}
	case *parser.StatementSet:
		for _, ins := range s.Inserts {
			sink, err := b.insert(ins)
			b.report(err)
			if sink != nil {
				plan.Sinks = append(plan.Sinks, sink)
			}
		}
	case *parser.Explain:
		b.report(b.errorf(s.Span, "EXPLAIN is not supported in a job; use `sqlc-stream explain` instead"))
	case *parser.QueryStmt:
		b.report(b.errorf(s.Span, "a bare SELECT is not supported in a job (there is no client to print it); use INSERT INTO a table with 'connector' = 'print'"))
	default:
		b.report(b.errorf(st.StmtSpan(), "statement is not supported yet"))
	}
}

// objectName returns the table or view name of n: a plain name, or one qualified by
// the default catalog and database.
func (b *binder) objectName(n parser.Name) (string, *bindError) {
	parts := n.Parts
	switch {
	case len(parts) == 1:
		return parts[0].Name, nil
	case len(parts) == 2 && parts[0].Name == DefaultDatabase:
		return parts[1].Name, nil
	case len(parts) == 3 && parts[0].Name == DefaultCatalog && parts[1].Name == DefaultDatabase:
		return parts[2].Name, nil
	}
	return "", b.errorf(n.Span, "catalogs and databases other than %s.%s are not supported yet", DefaultCatalog, DefaultDatabase)
}

func (b *binder) nameTaken(name string) bool {
	return b.tables[name] != nil || b.views[name] != nil || b.broken[name]
}

// ---- CREATE FUNCTION ----

func (b *binder) createFunction(s *parser.CreateFunction) *bindError {
	if len(s.Name.Parts) != 1 {
		return b.errorf(s.Name.Span, "qualified function names are not supported yet")
	}
	name := s.Name.Parts[0].Name
	key := strings.ToLower(name)
	if b.funcs[key] != nil {
		if s.IfNotExists {
			return nil
		}
		return b.errorf(s.Name.Span, "function %q already exists", name)
	}
	if _, builtin := builtinFuncs[strings.ToUpper(name)]; builtin || aggFuncNames[strings.ToUpper(name)] {
		if !s.Temporary || !s.System {
			return b.errorf(s.Name.Span, "function %q would shadow a built-in function", name)
		}
	}
	if s.Language != nil && !strings.EqualFold(s.Language.Name, "GO") {
		return b.errorf(s.Language.Span, "only LANGUAGE GO functions can be compiled (got LANGUAGE %s)", strings.ToUpper(s.Language.Name))
	}
	if s.Class == nil {
		return b.errorf(s.Span, "CREATE FUNCTION needs AS '<import path>.<Func>'")
	}
	class := s.Class.Value
	mapped := ""
	if m, ok := b.opts.Functions[class]; ok {
		class, mapped = m, fmt.Sprintf(" (-func %s=%s)", s.Class.Value, m)
	}
	dot := strings.LastIndexByte(class, '.')
	slash := strings.LastIndexByte(class, '/')
	if dot < 0 || dot < slash || dot == len(class)-1 || dot == 0 {
		return b.errorf(s.Class.Span, "function class %q%s must be '<import path>.<Func>', e.g. 'example.com/cdn/udf.IPToProvince'", class, mapped)
	}
	fo, berr := b.parseFuncOptions(s.With)
	if berr != nil {
		b.broken[brokenFuncKey(key)] = true
		return berr
	}
	if b.opts.Resolver == nil {
		return b.errorf(s.Class.Span, "cannot resolve Go function %q: no UDF resolver configured", class)
	}
	if slash < 0 && strings.Contains(class[:dot], ".") {
		// A Java class of a Flink script (com.example.Udf): no Go import path looks so,
		// and resolving it would ask the module proxy for it.
		b.broken[brokenFuncKey(key)] = true
		return b.errorf(s.Class.Span, "function class %q%s is a Java class name: map it to a Go function with -func %s=<import path>.<Func> or a functions.map file (docs/udf.md)", class, mapped, s.Class.Value)
	}
	fn, err := b.resolveFunc(class[:dot], class[dot+1:], fo)
	if err != nil {
		b.broken[brokenFuncKey(key)] = true
		return b.errorf(s.Class.Span, "%v%s", err, mapped)
	}
	fo.apply(fn)
	if fn.Kind == AggregateFunction && fn.OnError == ErrorDeadLetter {
		// GetValue fails for a group, not for an input row: there is no row to route.
		b.broken[brokenFuncKey(key)] = true
		return b.errorf(fo.onErrorOpt.ValueSpan, "'on-error' = 'dead-letter' is not supported for aggregate functions (a failed GetValue belongs to a group, not to an input row); use 'fail' or 'null'")
	}
	for _, f := range append([]*Function{fn}, fn.Overloads...) {
		f.Name = name
		f.Span = s.Span
	}
	b.funcs[key] = fn
	b.cat.Functions = append(b.cat.Functions, fn)
	return nil
}

// ---- CREATE VIEW ----

func (b *binder) createView(s *parser.CreateView) *bindError {
	name, err := b.objectName(s.Name)
	if err != nil {
		return err
	}
	if b.broken[name] {
		return errReported
	}
	if b.nameTaken(name) {
		if s.IfNotExists {
			return nil
		}
		return b.errorf(s.Name.Span, "table or view %q already exists", name)
	}
	// Bind once now so that errors point at the view definition, as Flink validates a
	// view when it is created.
	rel, berr := b.query(s.Query)
	if berr != nil {
		b.broken[name] = true
		return berr
	}
	fields := rel.node.Schema()
	if len(s.Columns) > 0 {
		if len(s.Columns) != len(fields) {
			return b.errorf(s.Name.Span, "view %q has %d column names but its query has %d columns", name, len(s.Columns), len(fields))
		}
		for i := range fields {
			fields[i].Name = s.Columns[i].Name
		}
	}
	v := &View{Name: name, Columns: fields, Span: s.Span}
	b.views[name] = &viewDef{view: v, query: s.Query, names: s.Columns}
	b.cat.Views = append(b.cat.Views, v)
	return nil
}

// ---- helpers ----

// suggest returns ` (did you mean "x"?)` for the candidate closest to name, if close.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := diag.EditDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	switch {
	case len(name) <= 2:
		limit = 0 // only a different case
	case len(name) <= 4:
		limit = 1
	}
	if best == "" || bestD > limit {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
