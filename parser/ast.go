package parser

import "github.com/sqlc-stream/sqlc-stream/diag"

// Every node records the byte span of the text it came from; line and column are
// computed only when a diagnostic is printed (see package diag).

// Script is one parsed SQL file: its statements in order.
type Script struct {
	Source *diag.Source
	Stmts  []Stmt
}

// Ident is a (possibly backticked) identifier. Name keeps the user's spelling; Flink
// identifiers are case-sensitive, keywords are not.
type Ident struct {
	Name string
	Span diag.Span
}

// Name is a possibly qualified name: catalog.db.table, or t.col, or person.id.
type Name struct {
	Parts []Ident
	Span  diag.Span
}

// ---- Statements ----

// Stmt is a statement.
type Stmt interface {
	stmtNode()
	StmtSpan() diag.Span
}

// CreateTable is CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (...) [COMMENT '...'] WITH (...).
type CreateTable struct {
	Span        diag.Span
	Temporary   bool
	IfNotExists bool
	Name        Name
	Columns     []*ColumnDef
	Watermark   *WatermarkDef // nil if none
	PrimaryKey  *PrimaryKeyDef
	Comment     *StringLit
	Options     []*Option // WITH ('k' = 'v', ...)
	// PartitionedBy lists the PARTITIONED BY (cols) columns; nil if none.
	PartitionedBy []Ident
	// Like is CREATE TABLE ... LIKE other; not supported yet, kept for a positioned error.
	Like *Name
}

// ColumnKind says how a column gets its value.
type ColumnKind int

const (
	PhysicalColumn ColumnKind = iota // name TYPE
	ComputedColumn                   // name AS expr
	MetadataColumn                   // name TYPE METADATA [FROM 'key'] [VIRTUAL]
)

// ColumnDef is one column of CREATE TABLE.
type ColumnDef struct {
	Span        diag.Span
	Name        Ident
	Kind        ColumnKind
	Type        *TypeName  // nil for computed columns
	Expr        Expr       // computed columns
	MetadataKey *StringLit // METADATA FROM 'key'; nil means the column name
	Virtual     bool
	PrimaryKey  bool // inline PRIMARY KEY NOT ENFORCED
	Comment     *StringLit
}

// WatermarkDef is WATERMARK FOR col AS expr.
type WatermarkDef struct {
	Span   diag.Span
	Column Name
	Expr   Expr
}

// PrimaryKeyDef is PRIMARY KEY (a, b) NOT ENFORCED.
type PrimaryKeyDef struct {
	Span        diag.Span
	Columns     []Ident
	NotEnforced bool // Flink requires NOT ENFORCED; the binder reports its absence
}

// Option is one 'key' = 'value' pair of a WITH clause, SET statement or OPTIONS hint.
type Option struct {
	Span  diag.Span
	Key   *StringLit
	Value *StringLit
}

// TypeName is a SQL data type as written.
type TypeName struct {
	Span diag.Span
	// Name is the upper-cased base name: BOOLEAN, TINYINT, SMALLINT, INT (INTEGER is
	// normalized to INT), BIGINT, FLOAT, DOUBLE (DOUBLE PRECISION too), DECIMAL (DEC and
	// NUMERIC too), CHAR, VARCHAR, STRING, BINARY, VARBINARY, BYTES, DATE, TIME,
	// TIMESTAMP, TIMESTAMP_LTZ (also TIMESTAMP(p) WITH LOCAL TIME ZONE), ROW, ARRAY, MAP,
	// MULTISET, INTERVAL, or any other identifier (reported by the binder).
	Name string
	// Params are the numeric parameters: DECIMAL(p, s), VARCHAR(n), TIMESTAMP(p).
	Params []int
	// Fields are the fields of ROW<name TYPE, ...> (also ROW(name TYPE, ...)).
	Fields []*RowField
	// Elem is the element type of ARRAY<T> and MULTISET<T>, the key type of MAP<K, V>.
	Elem *TypeName
	// Value is the value type of MAP<K, V>.
	Value   *TypeName
	NotNull bool
	// IntervalUnit holds the unit text of INTERVAL types ("DAY TO SECOND"); rarely used.
	IntervalUnit string
}

// RowField is a field of a ROW type.
type RowField struct {
	Name Ident
	Type *TypeName
}

// CreateView is CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(cols)] AS query.
type CreateView struct {
	Span        diag.Span
	Temporary   bool
	IfNotExists bool
	Name        Name
	Columns     []Ident
	Query       Query
}

// CreateFunction is CREATE [TEMPORARY] [SYSTEM] FUNCTION [IF NOT EXISTS] name AS 'path.Func'
// [LANGUAGE GO] [WITH ('k' = 'v', ...)]. The WITH clause is sqlc-stream's extension (Flink's
// CREATE FUNCTION has none): per-function options such as 'deterministic' and 'on-error'.
type CreateFunction struct {
	Span        diag.Span
	Temporary   bool
	System      bool
	IfNotExists bool
	Name        Name
	Class       *StringLit // 'example.com/cdn/udf.IPToProvince'
	Language    *Ident     // GO, JAVA, PYTHON, SCALA; nil if omitted
	With        []*Option  // WITH options as written; nil if omitted
}

// Set is SET 'key' = 'value' (also SET key = value with a dotted bare key).
type Set struct {
	Span   diag.Span
	Option *Option
}

// Insert is INSERT INTO|OVERWRITE target [hints] [(cols)] query.
type Insert struct {
	Span      diag.Span
	Overwrite bool
	Table     Name
	Options   []*Option // /*+ OPTIONS('k'='v') */ hint on the target
	Columns   []Ident
	Query     Query
}

// StatementSet is EXECUTE STATEMENT SET BEGIN insert; ... END (also BEGIN STATEMENT SET; ... END;).
type StatementSet struct {
	Span    diag.Span
	Inserts []*Insert
}

// Explain is EXPLAIN [CHANGELOG_MODE, ...] stmt. Parsed so that scripts pasted from the
// Flink SQL client give a positioned "not supported in a job" error from the binder.
type Explain struct {
	Span diag.Span
	Stmt Stmt
}

// QueryStmt is a bare SELECT at top level (the Flink SQL client prints its result; a job
// has no client, so the binder reports it).
type QueryStmt struct {
	Span  diag.Span
	Query Query
}

func (s *CreateTable) StmtSpan() diag.Span    { return s.Span }
func (s *CreateView) StmtSpan() diag.Span     { return s.Span }
func (s *CreateFunction) StmtSpan() diag.Span { return s.Span }
func (s *Set) StmtSpan() diag.Span            { return s.Span }
func (s *Insert) StmtSpan() diag.Span         { return s.Span }
func (s *StatementSet) StmtSpan() diag.Span   { return s.Span }
func (s *Explain) StmtSpan() diag.Span        { return s.Span }
func (s *QueryStmt) StmtSpan() diag.Span      { return s.Span }

func (*CreateTable) stmtNode()    {}
func (*CreateView) stmtNode()     {}
func (*CreateFunction) stmtNode() {}
func (*Set) stmtNode()            {}
func (*Insert) stmtNode()         {}
func (*StatementSet) stmtNode()   {}
func (*Explain) stmtNode()        {}
func (*QueryStmt) stmtNode()      {}

// ---- Queries ----

// Query is a SELECT, a set operation, a VALUES list, or a WITH query.
type Query interface {
	queryNode()
	QuerySpan() diag.Span
}

// Select is SELECT [DISTINCT|ALL] items FROM ... WHERE ... GROUP BY ... HAVING ... [ORDER BY] [LIMIT].
type Select struct {
	Span     diag.Span
	Distinct bool
	Items    []*SelectItem
	From     TableExpr // nil when there is no FROM
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []*OrderItem
	Limit    Expr
}

// SelectItem is expr [[AS] alias], or * / t.* (Star set).
type SelectItem struct {
	Span  diag.Span
	Star  bool  // * or qualifier.*
	Qual  *Name // qualifier of t.*; nil for a bare *
	Expr  Expr
	Alias *Ident
}

// OrderItem is expr [ASC|DESC].
type OrderItem struct {
	Expr Expr
	Desc bool
}

// SetOp is left UNION|INTERSECT|EXCEPT [ALL|DISTINCT] right.
type SetOp struct {
	Span  diag.Span
	Op    string // "UNION", "INTERSECT", "EXCEPT"
	All   bool
	Left  Query
	Right Query
}

// Values is VALUES (row), (row), ...
type Values struct {
	Span diag.Span
	Rows [][]Expr
}

// With is WITH name [(cols)] AS (query), ... body.
type With struct {
	Span diag.Span
	CTEs []*CTE
	Body Query
}

// CTE is one named subquery of a WITH clause.
type CTE struct {
	Name    Ident
	Columns []Ident
	Query   Query
}

func (q *Select) QuerySpan() diag.Span { return q.Span }
func (q *SetOp) QuerySpan() diag.Span  { return q.Span }
func (q *Values) QuerySpan() diag.Span { return q.Span }
func (q *With) QuerySpan() diag.Span   { return q.Span }

func (*Select) queryNode() {}
func (*SetOp) queryNode()  {}
func (*Values) queryNode() {}
func (*With) queryNode()   {}

// ---- FROM clause ----

// TableExpr is an item of a FROM clause.
type TableExpr interface {
	tableNode()
	TableSpan() diag.Span
}

// TableRef names a table or view: name [/*+ OPTIONS(...) */] [[AS] alias [(cols)]].
type TableRef struct {
	Span    diag.Span
	Name    Name
	Options []*Option
	Alias   *Ident
	Columns []Ident
	// SystemTime is the time expression of FOR SYSTEM_TIME AS OF expr (a temporal
	// join); nil if absent.
	SystemTime Expr
}

// Subquery is (query) [[AS] alias [(cols)]]; Flink allows the alias to be omitted.
type Subquery struct {
	Span    diag.Span
	Query   Query
	Alias   *Ident
	Columns []Ident
}

// Join is left [INNER|LEFT|RIGHT|FULL [OUTER]|CROSS] JOIN right [ON cond | USING (cols)],
// and the comma join "a, b" (Kind "CROSS", Comma true).
type Join struct {
	Span    diag.Span
	Kind    string // "INNER", "LEFT", "RIGHT", "FULL", "CROSS"
	Comma   bool
	Lateral bool // JOIN LATERAL / CROSS JOIN LATERAL
	Left    TableExpr
	Right   TableExpr
	On      Expr
	Using   []Ident
}

// TableFunc is TABLE(f(args)) or LATERAL TABLE(f(args)) [AS] alias [(cols)]: window TVFs
// (TUMBLE, HOP, CUMULATE, SESSION) and table functions.
type TableFunc struct {
	Span    diag.Span
	Lateral bool
	Call    *FuncCall
	Alias   *Ident
	Columns []Ident
}

func (t *TableRef) TableSpan() diag.Span  { return t.Span }
func (t *Subquery) TableSpan() diag.Span  { return t.Span }
func (t *Join) TableSpan() diag.Span      { return t.Span }
func (t *TableFunc) TableSpan() diag.Span { return t.Span }

func (*TableRef) tableNode()  {}
func (*Subquery) tableNode()  {}
func (*Join) tableNode()      {}
func (*TableFunc) tableNode() {}

// ---- Expressions ----

// Expr is a scalar expression.
type Expr interface {
	exprNode()
	ExprSpan() diag.Span
}

// ColumnName is a possibly qualified column reference or nested field access:
// col, t.col, person.id, t.person.id. The binder decides which parts name a table.
type ColumnName struct {
	Name Name
}

// LitKind is the kind of a literal.
type LitKind int

const (
	NumberLit       LitKind = iota // 42, 1.0, 1e3 (Text keeps the spelling)
	StringLitK                     // 'abc' (Value is unescaped)
	BoolLit                        // TRUE, FALSE
	NullLit                        // NULL
	BinaryLit                      // X'0AFF'
	DateLit                        // DATE '2020-01-01'
	TimeLit                        // TIME '12:00:00'
	TimestampLit                   // TIMESTAMP '2020-01-01 12:00:00'
	TimestampLTZLit                // TIMESTAMP_LTZ '...' (rare)
)

// Literal is a constant. Text is the source spelling; Value is the decoded string value
// of string, binary and date/time literals.
type Literal struct {
	Span  diag.Span
	Kind  LitKind
	Text  string
	Value string
}

// StringLit is a quoted string in syntax positions (option keys and values, function
// class names, comments).
type StringLit struct {
	Span  diag.Span
	Value string
}

// Interval is INTERVAL '10' SECOND, INTERVAL '1' DAY TO HOUR, INTERVAL '10' SECOND(3).
type Interval struct {
	Span  diag.Span
	Value string // the quoted text, e.g. "10" or "1 02:00"
	Neg   bool   // INTERVAL -'10' SECOND
	From  string // upper-cased unit: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND
	To    string // "" unless FROM TO form
	Expr  Expr   // INTERVAL expr unit form (non-literal), rare; nil normally
}

// Unary is -x, +x, NOT x.
type Unary struct {
	Span diag.Span
	Op   string // "-", "+", "NOT"
	X    Expr
}

// Binary is x op y for + - * / % || = <> != < <= > >= AND OR.
type Binary struct {
	Span diag.Span
	Op   string // upper-cased for AND/OR; "<>" is normalized from "!="
	X, Y Expr
}

// FuncCall is f(args), f(DISTINCT x), COUNT(*), f(...) FILTER (WHERE ...), f(...) OVER (...).
type FuncCall struct {
	Span     diag.Span
	Name     Name // upper-case comparison is the binder's job
	Distinct bool
	Star     bool // COUNT(*)
	Args     []Expr
	// ArgNames are the names of named arguments (name => value), one per Args entry
	// (an empty Name for a positional one); nil when every argument is positional.
	// Flink accepts them in window TVF calls; the binder rejects them elsewhere.
	ArgNames []Ident
	Filter   Expr        // FILTER (WHERE cond)
	Over     *WindowSpec // OVER (...)
}

// WindowSpec is an OVER clause.
type WindowSpec struct {
	Span        diag.Span
	PartitionBy []Expr
	OrderBy     []*OrderItem
	Frame       string // raw frame text, e.g. "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW"
}

// Cast is CAST(x AS type) or TRY_CAST(x AS type).
type Cast struct {
	Span diag.Span
	Try  bool
	X    Expr
	Type *TypeName
}

// Case is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type Case struct {
	Span    diag.Span
	Operand Expr // nil for searched CASE
	Whens   []*When
	Else    Expr
}

// When is one WHEN cond THEN result arm.
type When struct {
	Cond, Result Expr
}

// IsNull is x IS [NOT] NULL; IsBool is x IS [NOT] TRUE|FALSE|UNKNOWN.
type IsNull struct {
	Span diag.Span
	X    Expr
	Not  bool
}

// IsBool is x IS [NOT] TRUE / FALSE / UNKNOWN.
type IsBool struct {
	Span  diag.Span
	X     Expr
	Not   bool
	Value string // "TRUE", "FALSE", "UNKNOWN"
}

// In is x [NOT] IN (list) or x [NOT] IN (subquery).
type In struct {
	Span  diag.Span
	X     Expr
	Not   bool
	List  []Expr
	Query Query // non-nil for IN (SELECT ...)
}

// Between is x [NOT] BETWEEN [ASYMMETRIC|SYMMETRIC] lo AND hi.
type Between struct {
	Span      diag.Span
	X, Lo, Hi Expr
	Not       bool
	Symmetric bool
}

// Like is x [NOT] LIKE|SIMILAR TO pattern [ESCAPE 'c'].
type Like struct {
	Span    diag.Span
	X       Expr
	Pattern Expr
	Escape  Expr
	Not     bool
	Similar bool
}

// Exists is [NOT] EXISTS (query); ScalarSubquery is (query) used as a value.
type Exists struct {
	Span  diag.Span
	Query Query
}

// ScalarSubquery is (SELECT ...) used as an expression.
type ScalarSubquery struct {
	Span  diag.Span
	Query Query
}

// Paren is (x); kept so spans and dumps match the source.
type Paren struct {
	Span diag.Span
	X    Expr
}

// Index is x[i] (array element, map value).
type Index struct {
	Span  diag.Span
	X     Expr
	Index Expr
}

// FieldAccess is expr.field where expr is not a plain name, e.g. (x).f or f(x).f.
type FieldAccess struct {
	Span  diag.Span
	X     Expr
	Field Ident
}

// Constructor is ROW(a, b), ARRAY[a, b], MAP[k, v, ...].
type Constructor struct {
	Span diag.Span
	Kind string // "ROW", "ARRAY", "MAP"
	Args []Expr
}

// Descriptor is DESCRIPTOR(col) inside a window TVF call.
type Descriptor struct {
	Span    diag.Span
	Columns []Ident
}

// TableArg is TABLE name [PARTITION BY cols] inside a window TVF call (PARTITION BY:
// the keys of SESSION windows).
type TableArg struct {
	Span        diag.Span
	Name        Name
	PartitionBy []Expr
}

// Extract is EXTRACT(unit FROM x); Position, Trim, Substring keep SQL's special call
// syntaxes and are parsed into FuncCall with positional args instead:
// POSITION(a IN b) -> POSITION(a, b); TRIM(BOTH 'x' FROM s) -> TRIM('BOTH', 'x', s)
// (first arg a string literal naming the mode); SUBSTRING(s FROM a FOR b) -> SUBSTRING(s, a, b).
type Extract struct {
	Span diag.Span
	Unit string
	X    Expr
}

func (e *ColumnName) ExprSpan() diag.Span     { return e.Name.Span }
func (e *Literal) ExprSpan() diag.Span        { return e.Span }
func (e *StringLit) ExprSpan() diag.Span      { return e.Span }
func (e *Interval) ExprSpan() diag.Span       { return e.Span }
func (e *Unary) ExprSpan() diag.Span          { return e.Span }
func (e *Binary) ExprSpan() diag.Span         { return e.Span }
func (e *FuncCall) ExprSpan() diag.Span       { return e.Span }
func (e *Cast) ExprSpan() diag.Span           { return e.Span }
func (e *Case) ExprSpan() diag.Span           { return e.Span }
func (e *IsNull) ExprSpan() diag.Span         { return e.Span }
func (e *IsBool) ExprSpan() diag.Span         { return e.Span }
func (e *In) ExprSpan() diag.Span             { return e.Span }
func (e *Between) ExprSpan() diag.Span        { return e.Span }
func (e *Like) ExprSpan() diag.Span           { return e.Span }
func (e *Exists) ExprSpan() diag.Span         { return e.Span }
func (e *ScalarSubquery) ExprSpan() diag.Span { return e.Span }
func (e *Paren) ExprSpan() diag.Span          { return e.Span }
func (e *Index) ExprSpan() diag.Span          { return e.Span }
func (e *FieldAccess) ExprSpan() diag.Span    { return e.Span }
func (e *Constructor) ExprSpan() diag.Span    { return e.Span }
func (e *Descriptor) ExprSpan() diag.Span     { return e.Span }
func (e *TableArg) ExprSpan() diag.Span       { return e.Span }
func (e *Extract) ExprSpan() diag.Span        { return e.Span }

func (*ColumnName) exprNode()     {}
func (*Literal) exprNode()        {}
func (*StringLit) exprNode()      {}
func (*Interval) exprNode()       {}
func (*Unary) exprNode()          {}
func (*Binary) exprNode()         {}
func (*FuncCall) exprNode()       {}
func (*Cast) exprNode()           {}
func (*Case) exprNode()           {}
func (*IsNull) exprNode()         {}
func (*IsBool) exprNode()         {}
func (*In) exprNode()             {}
func (*Between) exprNode()        {}
func (*Like) exprNode()           {}
func (*Exists) exprNode()         {}
func (*ScalarSubquery) exprNode() {}
func (*Paren) exprNode()          {}
func (*Index) exprNode()          {}
func (*FieldAccess) exprNode()    {}
func (*Constructor) exprNode()    {}
func (*Descriptor) exprNode()     {}
func (*TableArg) exprNode()       {}
func (*Extract) exprNode()        {}

// Parse entry points (implemented in parser.go):
//
//	func ParseScript(src *diag.Source) (*Script, error)   // a whole file; error is a diag.List
//	func ParseExpr(src *diag.Source) (Expr, error)        // one expression (Table API strings)
//	func ParseSelectList(src *diag.Source) ([]*SelectItem, error) // "a, f(b) AS c" (Table API)
