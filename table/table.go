package table

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// Options configure an Environment.
type Options struct {
	// Name is the name the job's SQL is reported under in the generated code and in
	// runtime messages (the job's name is Name without its extension); "job.sql" by
	// default. Environment.SQL returns that text.
	Name string
	// Dir is the directory Go UDF packages of CREATE FUNCTION are resolved from (its
	// go.mod decides); "." by default.
	Dir string
	// Resolver overrides UDF resolution (tests); nil means the compiler's default.
	Resolver ir.FuncResolver
}

// Environment collects DDL and Table programs and compiles them into one job, like
// Flink's TableEnvironment. It is not safe for concurrent use.
type Environment struct {
	opts    Options
	ddl     []*piece // one per DDL statement, in order
	inserts []*insert
	errs    diag.List // errors found while building (bad string expressions)
}

// NewEnvironment returns an empty environment.
func NewEnvironment(opts Options) *Environment {
	if opts.Name == "" {
		opts.Name = "job.sql"
	}
	return &Environment{opts: opts}
}

// callSite is the Go file and line of a Table API call in the user's program.
type callSite struct {
	file string
	line int
}

func (c callSite) String() string { return fmt.Sprintf("%s:%d", c.file, c.line) }

// caller returns the call site of the user code that called the exported method
// calling caller (skip counts the frames of this package in between).
func caller(skip int) callSite {
	_, file, line, ok := runtime.Caller(skip + 2)
	if !ok {
		return callSite{file: "?", line: 0}
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	return callSite{file: file, line: line}
}

// piece is user text placed verbatim in the job's SQL: a string expression, a table
// name, or one DDL statement. Errors found in it are reported against src, whose Base
// is the Go call site, so that a column counts within the user's string.
type piece struct {
	text string
	src  *diag.Source
	off  int // offset of text within src.Text
}

// newSource makes the source of one string argument given at site.
func newSource(site callSite, text string) *diag.Source {
	return &diag.Source{Name: site.file, Text: text, Base: &diag.Position{File: site.file, Line: site.line, Col: 1}}
}

// ExecuteSQL runs DDL: CREATE TABLE, CREATE VIEW, CREATE FUNCTION and SET statements,
// separated by semicolons. Syntax errors are returned at once (and again by Plan);
// name and type errors are found when the job is bound. Positions in errors are the
// Go call site's file and line plus the line and column within sql.
func (e *Environment) ExecuteSQL(sql string) error {
	site := caller(0)
	src := newSource(site, sql)
	script, err := parser.ParseScript(src)
	if err != nil {
		e.addErr(err, site)
		return err
	}
	var errs diag.List
	for _, st := range script.Stmts {
		switch st.(type) {
		case *parser.CreateTable, *parser.CreateView, *parser.CreateFunction, *parser.Set:
			sp := st.StmtSpan()
			e.ddl = append(e.ddl, &piece{text: sql[sp.Start:sp.End], src: src, off: sp.Start})
		default:
			errs.Add(diag.Errorf(src, st.StmtSpan(), "ExecuteSQL takes CREATE TABLE, CREATE VIEW, CREATE FUNCTION and SET statements; write queries with From(...) and InsertInto"))
		}
	}
	if err := errs.Err(); err != nil {
		e.errs = append(e.errs, errs...)
		return err
	}
	return nil
}

func (e *Environment) addErr(err error, site callSite) {
	var l diag.List
	if errors.As(err, &l) {
		e.errs = append(e.errs, l...)
		return
	}
	e.errs.Add(&diag.Diagnostic{Msg: site.String() + ": " + err.Error()})
}

// Table is a relation under construction: a table read with From and the operations
// applied to it. Tables are immutable; each operation returns a new Table. An invalid
// string expression is recorded in the Environment and reported by Plan and Compile;
// the Table it returns is marked broken so that one mistake gives one error.
type Table struct {
	env    *Environment
	q      *query // nil when broken
	broken bool
}

// query is one SELECT of the job's SQL:
//
//	SELECT items FROM (from | (sub)) [WHERE where AND ...] [GROUP BY groupBy]
type query struct {
	site    callSite
	items   *piece // nil means *
	from    *piece // a table name; nil when sub is set
	sub     *query
	where   []*piece
	groupBy *piece
}

// plain reports whether q is SELECT * with no grouping, so that a projection or a
// filter can be merged into it instead of wrapping it in a subquery.
func (q *query) plain() bool { return q.items == nil && q.groupBy == nil }

func (t *Table) derive(q *query) *Table { return &Table{env: t.env, q: q} }

func (t *Table) fail() *Table { return &Table{env: t.env, broken: true} }

// parsePiece checks one string argument with the SQL parser; kind is "select",
// "expr" or "name" (a possibly qualified table name).
func (e *Environment) parsePiece(site callSite, method, text, kind string) *piece {
	src := newSource(site, text)
	var err error
	switch kind {
	case "select", "group":
		var items []*parser.SelectItem
		items, err = parser.ParseSelectList(src)
		if err == nil && kind == "group" {
			for _, it := range items {
				if it.Star || it.Alias != nil {
					err = diag.List{diag.Errorf(src, it.Span, "%s takes expressions without aliases or *", method)}
					break
				}
			}
		}
	case "expr":
		_, err = parser.ParseExpr(src)
	case "name":
		var x parser.Expr
		x, err = parser.ParseExpr(src)
		if _, ok := x.(*parser.ColumnName); err == nil && !ok {
			err = diag.List{diag.Errorf(src, x.ExprSpan(), "%s takes a table name such as orders or default_catalog.default_database.orders", method)}
		}
	}
	if err != nil {
		e.addErr(err, site)
		return nil
	}
	return &piece{text: text, src: src}
}

// From reads a table or view created with ExecuteSQL, like Flink's from_path.
func (e *Environment) From(name string) *Table {
	site := caller(0)
	t := &Table{env: e}
	p := e.parsePiece(site, "From", name, "name")
	if p == nil {
		return t.fail()
	}
	return t.derive(&query{site: site, from: p})
}

// Select projects fields, a PyFlink-style select list parsed as SQL:
// "uuid, ip_to_province(client_ip) AS province, response_size".
func (t *Table) Select(fields string) *Table {
	return t.selectAt(caller(0), fields)
}

func (t *Table) selectAt(site callSite, fields string) *Table {
	if t.broken {
		return t
	}
	p := t.env.parsePiece(site, "Select", fields, "select")
	if p == nil {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site, q.items = site, p
		return t.derive(&q)
	}
	return t.derive(&query{site: site, items: p, sub: t.q})
}

// Where keeps the rows for which predicate, a SQL boolean expression, is TRUE.
func (t *Table) Where(predicate string) *Table { return t.whereAt(caller(0), predicate) }

// Filter is Where.
func (t *Table) Filter(predicate string) *Table { return t.whereAt(caller(0), predicate) }

func (t *Table) whereAt(site callSite, predicate string) *Table {
	if t.broken {
		return t
	}
	p := t.env.parsePiece(site, "Where", predicate, "expr")
	if p == nil {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site = site
		q.where = append(append([]*piece(nil), t.q.where...), p)
		return t.derive(&q)
	}
	return t.derive(&query{site: site, sub: t.q, where: []*piece{p}})
}

// GroupedTable is a Table grouped by keys; Select aggregates each group.
type GroupedTable struct {
	t    *Table
	keys *piece
}

// GroupBy groups by fields, a comma-separated list of expressions ("province").
func (t *Table) GroupBy(fields string) *GroupedTable {
	site := caller(0)
	if t.broken {
		return &GroupedTable{t: t}
	}
	p := t.env.parsePiece(site, "GroupBy", fields, "group")
	if p == nil {
		return &GroupedTable{t: t.fail()}
	}
	return &GroupedTable{t: t, keys: p}
}

// Select computes one row per group: "province, count(uuid) AS access_count".
func (g *GroupedTable) Select(fields string) *Table {
	site := caller(0)
	t := g.t
	if t.broken {
		return t
	}
	p := t.env.parsePiece(site, "Select", fields, "select")
	if p == nil {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site, q.items, q.groupBy = site, p, g.keys
		return t.derive(&q)
	}
	return t.derive(&query{site: site, items: p, sub: t.q, groupBy: g.keys})
}

type insert struct {
	site callSite
	sink *piece
	q    *query
}

// InsertInto writes the table into sink, a table created with ExecuteSQL; each call
// adds one INSERT to the job (all of them run together, like a statement set).
func (t *Table) InsertInto(sink string) {
	site := caller(0)
	if t.broken {
		return
	}
	p := t.env.parsePiece(site, "InsertInto", sink, "name")
	if p == nil {
		return
	}
	t.env.inserts = append(t.env.inserts, &insert{site: site, sink: p, q: t.q})
}

// SQL returns the job's SQL script that the Table program stands for: the DDL, then
// one INSERT per InsertInto call. It is the text the compiler parses, so a Table
// program and this SQL compile to the same plan.
func (e *Environment) SQL() string { return e.render().text.String() }

// Plan binds the job and returns its logical plan (before optimization).
func (e *Environment) Plan() (*ir.Plan, error) {
	res, err := e.compile("bind")
	if err != nil {
		return nil, err
	}
	return res.Plan, nil
}

// Program binds and optimizes the job.
func (e *Environment) Program() (*ir.Program, error) {
	res, err := e.compile("optimize")
	if err != nil {
		return nil, err
	}
	return res.Program, nil
}

// Compile runs every phase and returns the generated Go files (package main) with
// every intermediate stage.
func (e *Environment) Compile() (*compiler.Result, error) { return e.compile("") }

// WriteGo compiles the job and writes its Go files into dir (created if needed), the
// step a //go:generate program performs; build dir with go build.
func (e *Environment) WriteGo(dir string) error {
	res, err := e.Compile()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (e *Environment) compile(stop string) (*compiler.Result, error) {
	if err := e.errs.Err(); err != nil {
		return &compiler.Result{}, err
	}
	if len(e.inserts) == 0 {
		return &compiler.Result{}, errors.New("the job has no InsertInto: nothing to run")
	}
	r := e.render()
	res, err := compiler.Compile(r.text.String(), compiler.Options{
		Name: e.opts.Name, Dir: e.opts.Dir, Resolver: e.opts.Resolver, Stop: stop,
	})
	if err != nil {
		return res, r.remap(err, res.Source)
	}
	return res, nil
}
