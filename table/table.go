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
	"github.com/sqlc-stream/sqlc-stream/udf"
)

// Options configure an Environment.
type Options struct {
	// Name is the name the job's SQL is reported under in the generated code and in
	// runtime messages (the job's name is Name without its extension); "job.sql" by
	// default. Environment.SQL returns that text.
	Name string
	// Dir is the directory Go UDF packages of CREATE FUNCTION and RegisterFunction are
	// resolved from (its go.mod decides); "." by default.
	Dir string
	// Resolver overrides UDF resolution (tests); nil means the compiler's default.
	Resolver ir.FuncResolver
}

// Environment collects DDL and Table programs and compiles them into one job, like
// Flink's TableEnvironment. It is not safe for concurrent use.
type Environment struct {
	opts     Options
	ddl      []frag  // one per DDL statement or registered function, in order
	stmts    []*stmt // InsertInto calls and statement sets, in order
	errs     diag.List
	resolver ir.FuncResolver
	lateral  int // table aliases handed out to JoinLateral
	// schemas caches the columns of queries during one render (see schema.go).
	schemas map[*query]schemaResult
	// values are the Go values of RegisterFunction by lower-cased SQL name, for
	// folding calls on constants at compile time (fold.go).
	values map[string]any
}

// NewEnvironment returns an empty environment.
func NewEnvironment(opts Options) *Environment {
	if opts.Name == "" {
		opts.Name = "job.sql"
	}
	e := &Environment{opts: opts, resolver: opts.Resolver}
	if e.resolver == nil {
		dir := opts.Dir
		if dir == "" {
			dir = "."
		}
		// One resolver for the job and every schema lookup: it loads each Go
		// package once.
		e.resolver = udf.NewResolver(dir)
	}
	return e
}

// callSite is the Go file and line of a Table API call in the user's program.
type callSite struct {
	file   string // relative to the working directory when below it
	line   int
	abs    string // the file as the runtime knows it
	method string // the Table API method called ("Select")
}

func (c callSite) String() string { return fmt.Sprintf("%s:%d", c.file, c.line) }

// caller returns the call site of the user code that called the exported method
// calling caller (skip counts the frames of this package in between).
func caller(skip int) callSite {
	_, file, line, ok := runtime.Caller(skip + 2)
	if !ok {
		return callSite{file: "?", line: 0}
	}
	site := callSite{file: file, line: line, abs: file}
	if pc, _, _, ok := runtime.Caller(skip + 1); ok {
		if f := runtime.FuncForPC(pc); f != nil {
			name := f.Name()
			site.method = name[strings.LastIndexByte(name, '.')+1:]
		}
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			site.file = rel
		}
	}
	return site
}

// piece is user text placed verbatim in the job's SQL: a string expression, a table
// name, or one DDL statement. Errors found in it are reported against src, whose Base
// is the Go call site, so that a column counts within the user's string.
type piece struct {
	text string
	src  *diag.Source
	off  int // offset of text within src.Text
}

// frag is one fragment of a clause: the user's text (p) or SQL this package wrote
// (gen, from a typed Expr or a RegisterFunction call) on behalf of the call at site.
type frag struct {
	p    *piece
	gen  string
	site callSite
}

// newSource makes the source of one string argument given at site: positions are
// those of the string literal in the Go file when it is found (gosource.go), else the
// call's line and the column within the string.
func newSource(site callSite, text string) *diag.Source {
	base := literalBase(site, text)
	if base == nil {
		base = &diag.Position{File: site.file, Line: site.line, Col: 1}
	}
	return &diag.Source{Name: site.file, Text: text, Base: base}
}

// errorAt records an error of the Go call at site that is not about a string's text.
func (e *Environment) errorAt(site callSite, format string, args ...any) {
	e.errs.Add(&diag.Diagnostic{Msg: site.String() + ": " + fmt.Sprintf(format, args...)})
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
			e.ddl = append(e.ddl, frag{p: &piece{text: sql[sp.Start:sp.End], src: src, off: sp.Start}, site: site})
		default:
			errs.Add(diag.Errorf(src, st.StmtSpan(), "ExecuteSQL takes CREATE TABLE, CREATE VIEW, CREATE FUNCTION and SET statements; write queries with From(...) or SQLQuery and InsertInto"))
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
// applied to it. Tables are immutable; each operation returns a new Table, and one
// Table may be used several times (two InsertInto, both sides of a Union). An invalid
// argument is recorded in the Environment and reported by Plan and Compile; the
// Table it returns is marked broken so that one mistake gives one error.
type Table struct {
	env    *Environment
	q      *query // nil when broken
	broken bool
}

// query is one query of the job's SQL:
//
//	SELECT [DISTINCT] items FROM source [WHERE where AND ...] [GROUP BY groupBy]
//
// where source is a table name, a subquery, either of them joined with a LATERAL
// TABLE, or the whole query is a UNION ALL of two queries, or the text of SQLQuery.
// Windows (a window TVF source) and joins (a join source) are further source kinds.
type query struct {
	site     callSite
	distinct bool
	items    []frag // nil means *
	from     *piece // a table name; nil when sub is set
	sub      *query
	lateral  *lateral
	where    []frag
	groupBy  []frag
	// setop makes the query "left UNION ALL right" (nothing else is set).
	setop *setop
	// raw is the query text given to SQLQuery (nothing else is set).
	raw *piece
	// lazy computes the items at render time from the columns of sub (or of the table
	// from), for the operations that depend on the input's schema (DropColumns, ...).
	lazy func(cols []string) ([]frag, diag.List)
}

type setop struct {
	all         bool
	left, right *query
}

// lateral is ", LATERAL TABLE(call) AS alias(cols)" or "LEFT JOIN LATERAL TABLE(call)
// AS alias(cols) ON TRUE" after the query's source.
type lateral struct {
	call  frag
	alias string // "" when the function's own column names are used
	cols  []string
	// aliasText is the alias as the user's string wrote it ("t(word, length)"), so
	// that an error about it points into the string; nil for a typed Expr's As.
	aliasText *piece
	left      bool
}

// plain reports whether q is SELECT * with no grouping, so that a projection or a
// filter can be merged into it instead of wrapping it in a subquery.
func (q *query) plain() bool {
	return q.items == nil && q.groupBy == nil && !q.distinct && q.setop == nil && q.raw == nil && q.lazy == nil
}

// bare reports whether q is just SELECT * FROM table.
func (q *query) bare() bool {
	return q.plain() && q.from != nil && q.where == nil && q.lateral == nil
}

// over returns a new query reading q: FROM q's table when q is bare, else FROM (q).
func over(site callSite, q *query) *query {
	if q.bare() {
		return &query{site: site, from: q.from}
	}
	return &query{site: site, sub: q}
}

func (t *Table) derive(q *query) *Table { return &Table{env: t.env, q: q} }

func (t *Table) fail() *Table { return &Table{env: t.env, broken: true} }

// parsePiece checks one string argument with the SQL parser; kind is "expr" or
// "name" (a possibly qualified table name).
func (e *Environment) parsePiece(site callSite, method, text, kind string) *piece {
	src := newSource(site, text)
	var err error
	switch kind {
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

// SQLQuery is a table defined by a SQL query over the environment's tables, like
// Flink's sqlQuery: env.SQLQuery("SELECT a, b FROM t WHERE a > 0").
func (e *Environment) SQLQuery(sql string) *Table {
	site := caller(0)
	t := &Table{env: e}
	src := newSource(site, sql)
	script, err := parser.ParseScript(src)
	if err != nil {
		e.addErr(err, site)
		return t.fail()
	}
	if len(script.Stmts) != 1 {
		e.errorAt(site, "SQLQuery takes one query, got %d statements", len(script.Stmts))
		return t.fail()
	}
	qs, ok := script.Stmts[0].(*parser.QueryStmt)
	if !ok {
		e.addErr(diag.List{diag.Errorf(src, script.Stmts[0].StmtSpan(), "SQLQuery takes a query (SELECT ...); use ExecuteSQL for DDL")}, site)
		return t.fail()
	}
	sp := qs.Span
	return t.derive(&query{site: site, raw: &piece{text: sql[sp.Start:sp.End], src: src, off: sp.Start}})
}

// Select projects fields, like PyFlink's select. Each argument is a PyFlink-style
// select list parsed as SQL ("uuid, ip_to_province(client_ip) AS province, *") or a
// typed Expr (Col("uuid"), Call("ip_to_province", Col("client_ip")).As("province")).
func (t *Table) Select(fields ...any) *Table {
	return t.selectAt(caller(0), "Select", fields)
}

func (t *Table) selectAt(site callSite, method string, fields []any) *Table {
	if t.broken {
		return t
	}
	items, ok := t.env.items(site, method, kindSelect, fields)
	if !ok {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site, q.items = site, frags(items)
		return t.derive(&q)
	}
	return t.derive(&query{site: site, items: frags(items), sub: t.q})
}

// Where keeps the rows for which predicate is TRUE: a SQL boolean expression
// ("response_size > 0") or a typed Expr (Col("response_size").IsGreater(0)).
func (t *Table) Where(predicate any) *Table { return t.whereAt(caller(0), "Where", predicate) }

// Filter is Where.
func (t *Table) Filter(predicate any) *Table { return t.whereAt(caller(0), "Filter", predicate) }

func (t *Table) whereAt(site callSite, method string, predicate any) *Table {
	if t.broken {
		return t
	}
	items, ok := t.env.items(site, method, kindExpr, []any{predicate})
	if !ok {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site = site
		q.where = append(append([]frag(nil), t.q.where...), items[0].frag)
		return t.derive(&q)
	}
	return t.derive(&query{site: site, sub: t.q, where: []frag{items[0].frag}})
}

// GroupedTable is a Table grouped by keys; Select aggregates each group.
type GroupedTable struct {
	t    *Table
	keys []frag
}

// GroupBy groups by fields: SQL expressions ("province", "a, b") or typed Exprs.
func (t *Table) GroupBy(fields ...any) *GroupedTable {
	site := caller(0)
	if t.broken {
		return &GroupedTable{t: t}
	}
	items, ok := t.env.items(site, "GroupBy", kindGroup, fields)
	if !ok {
		return &GroupedTable{t: t.fail()}
	}
	return &GroupedTable{t: t, keys: frags(items)}
}

// Select computes one row per group: "province, count(uuid) AS access_count", or
// typed Exprs (Col("province"), Col("uuid").Count().As("access_count")).
func (g *GroupedTable) Select(fields ...any) *Table {
	site := caller(0)
	t := g.t
	if t.broken {
		return t
	}
	items, ok := t.env.items(site, "Select", kindSelect, fields)
	if !ok {
		return t.fail()
	}
	if t.q.plain() {
		q := *t.q
		q.site, q.items, q.groupBy = site, frags(items), g.keys
		return t.derive(&q)
	}
	return t.derive(&query{site: site, items: frags(items), sub: t.q, groupBy: g.keys})
}

type insert struct {
	site callSite
	sink *piece
	q    *query
	raw  *piece // AddInsertSQL: the whole INSERT statement
}

// stmt is one top-level statement the program added: an INSERT or a statement set.
type stmt struct {
	ins *insert
	set *StatementSet
}

// InsertInto writes the table into sink, a table created with ExecuteSQL; each call
// adds one INSERT to the job (all of them run together, like a statement set).
func (t *Table) InsertInto(sink string) {
	site := caller(0)
	if ins := t.insertAt(site, "InsertInto", sink); ins != nil {
		t.env.stmts = append(t.env.stmts, &stmt{ins: ins})
	}
}

func (t *Table) insertAt(site callSite, method, sink string) *insert {
	if t.broken {
		return nil
	}
	p := t.env.parsePiece(site, method, sink, "name")
	if p == nil {
		return nil
	}
	return &insert{site: site, sink: p, q: t.q}
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

// Build compiles the job and builds it into a static binary at out: CGO_ENABLED=0 go
// build in the Go module of Options.Dir, exactly as `sqlc-stream build` does for a SQL
// file. It is the other step a //go:generate program can take instead of WriteGo when
// the binary, not its source, is what the repository wants. go build's warnings go to
// standard error.
func (e *Environment) Build(out string) error {
	res, err := e.Compile()
	if err != nil {
		return err
	}
	dir := e.opts.Dir
	if dir == "" {
		dir = "."
	}
	return compiler.Build(res, dir, e.opts.Name, out, os.Stderr)
}

func (e *Environment) compile(stop string) (*compiler.Result, error) {
	if err := e.errs.Err(); err != nil {
		return &compiler.Result{}, err
	}
	if len(e.stmts) == 0 {
		return &compiler.Result{}, errors.New("the job has no InsertInto: nothing to run")
	}
	var empty diag.List
	for _, st := range e.stmts {
		if st.set != nil && len(st.set.inserts) == 0 {
			empty.Add(&diag.Diagnostic{Msg: st.set.site.String() + ": the statement set created here has no AddInsert"})
		}
	}
	if err := empty.Err(); err != nil {
		return &compiler.Result{}, err
	}
	r := e.render()
	if err := r.errs.Err(); err != nil {
		return &compiler.Result{}, err
	}
	res, err := compiler.Compile(r.text.String(), compiler.Options{
		Name: e.opts.Name, Dir: e.opts.Dir, Resolver: e.resolver, Stop: stop,
		EvalUDF: e.foldEvaluator(),
	})
	if err != nil {
		return res, r.remap(err, res.Source)
	}
	return res, nil
}
