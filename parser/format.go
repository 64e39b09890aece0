package parser

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format prints a script as SQL that parses back into the same AST (positions aside):
// one statement per line, keywords upper-cased, names in backticks only where they
// need them, and the special syntaxes the parser normalizes in their normal form
// (TRIM(BOTH ' ' FROM s) as `TRIM`('BOTH', ' ', s), UNKNOWN as CAST(NULL AS BOOLEAN),
// (a, b) as ROW(a, b), FETCH FIRST n ROWS ONLY as LIMIT n). It drops what the AST does
// not keep: comments, hints other than OPTIONS, constraint names, view comments.
// The parser's fuzz test checks the round trip (FuzzFormat).
func Format(s *Script) string {
	var p printer
	for _, st := range s.Stmts {
		p.stmt(st)
		p.w(";\n")
	}
	return p.b.String()
}

// FormatExpr prints one expression as Format does.
func FormatExpr(e Expr) string {
	var p printer
	p.expr(e)
	return p.b.String()
}

// FormatQuery prints one query as Format does.
func FormatQuery(q Query) string {
	var p printer
	p.query(q)
	return p.b.String()
}

type printer struct {
	b       strings.Builder
	last    byte // the last byte written
	lastNum bool // the last text written was a number literal
}

// w writes s, with a space first where the two texts would otherwise run together
// into other tokens: "-" "-" (a comment), "1" ".f", "x" "'a'" (a binary string), two
// quoted strings or names (a doubled quote), or two operators ("<" ">").
func (p *printer) w(s string) {
	if s == "" {
		return
	}
	a, b := p.last, s[0]
	const ops = "+-*/%=<>!|"
	if a != 0 && (strings.IndexByte(ops, a) >= 0 && strings.IndexByte(ops, b) >= 0 ||
		p.lastNum && b == '.' ||
		(isIdentPart(a) || a == '\'' || a == '`') && (isIdentPart(b) || b == '\'' || b == '`')) {
		p.b.WriteByte(' ')
	}
	p.b.WriteString(s)
	p.last = s[len(s)-1]
	p.lastNum = false
}

// plainIdent reports whether name lexes as one unquoted identifier token: ASCII letters,
// digits, "_" and "$", and non-ASCII letters, digits and marks, not starting with a digit.
func plainIdent(name string) bool {
	if name == "" || !isIdentStart(name[0]) {
		return false
	}
	if name[0] >= utf8.RuneSelf {
		if r, _ := utf8.DecodeRuneInString(name); !unicode.IsLetter(r) {
			return false
		}
	}
	return identEnd(name, 0) == len(name)
}

// columnWords start a table element other than a column in CREATE TABLE (a column
// named so must be quoted).
var columnWords = map[string]bool{"CONSTRAINT": true, "PRIMARY": true, "FOREIGN": true, "PERIOD": true, "UNIQUE": true, "CHECK": true, "WATERMARK": true}

// specialCalls are the names parsePrimary reads with a syntax of their own when a "("
// (or "[") follows, and GROUP BY's ROLLUP and CUBE: a call of an ordinary function so
// named is printed with the name quoted, which parses as an ordinary call.
var specialCalls = map[string]bool{
	"CAST": true, "TRY_CAST": true, "ROW": true, "ARRAY": true, "MAP": true, "EXTRACT": true,
	"POSITION": true, "TRIM": true, "SUBSTRING": true, "SUBSTR": true, "OVERLAY": true,
	"FLOOR": true, "CEIL": true, "CEILING": true, "TIMESTAMPADD": true, "TIMESTAMPDIFF": true,
	"DESCRIPTOR": true, "ROLLUP": true, "CUBE": true, "GROUPING": true, "UNNEST": true,
}

// constructorWords start a constructor when "[" follows: a column so named is quoted.
var constructorWords = map[string]bool{"ARRAY": true, "MAP": true}

// ident writes a name, quoted in backticks when it is not a plain word, is reserved, or
// is one of the extra words that would be read as syntax where it stands.
func (p *printer) ident(name string, extra map[string]bool) {
	up := strings.ToUpper(name)
	if plainIdent(name) && !reserved[up] && !extra[up] {
		p.w(name)
		return
	}
	p.w("`" + strings.ReplaceAll(name, "`", "``") + "`")
}

func (p *printer) name(n Name, extra map[string]bool) {
	for i, part := range n.Parts {
		if i > 0 {
			p.w(".")
			extra = nil
		}
		p.ident(part.Name, extra)
	}
}

func (p *printer) identList(ids []Ident) {
	p.w("(")
	for i, id := range ids {
		if i > 0 {
			p.w(", ")
		}
		p.ident(id.Name, nil)
	}
	p.w(")")
}

func (p *printer) str(s string) { p.w(quoteSQL(s)) }

func (p *printer) options(opts []*Option) {
	p.w("(")
	for i, o := range opts {
		if i > 0 {
			p.w(", ")
		}
		p.option(o)
	}
	p.w(")")
}

func (p *printer) option(o *Option) {
	p.str(o.Key.Value)
	p.w(" = ")
	p.str(o.Value.Value)
}

// ---- Statements ----

func (p *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *CreateTable:
		p.createTable(s)
	case *CreateView:
		p.create(s.Temporary, "VIEW", s.IfNotExists, s.Name)
		if s.Columns != nil {
			p.w(" ")
			p.identList(s.Columns)
		}
		p.w(" AS ")
		p.query(s.Query)
	case *CreateFunction:
		what := "FUNCTION"
		if s.System {
			what = "SYSTEM FUNCTION"
		}
		p.create(s.Temporary, what, s.IfNotExists, s.Name)
		p.w(" AS ")
		p.str(s.Class.Value)
		if s.Language != nil {
			p.w(" LANGUAGE ")
			if plainIdent(s.Language.Name) {
				p.w(s.Language.Name) // any word, reserved or not
			} else {
				p.ident(s.Language.Name, nil)
			}
		}
		if len(s.With) > 0 {
			p.w(" WITH ")
			p.options(s.With)
		}
	case *Set:
		p.w("SET ")
		p.option(s.Option)
	case *Insert:
		p.insert(s)
	case *StatementSet:
		p.w("EXECUTE STATEMENT SET BEGIN\n")
		for _, ins := range s.Inserts {
			p.insert(ins)
			p.w(";\n")
		}
		p.w("END")
	case *Explain:
		p.w("EXPLAIN ")
		p.stmt(s.Stmt)
	case *QueryStmt:
		p.query(s.Query)
	}
}

// create writes CREATE [TEMPORARY] what [IF NOT EXISTS] name.
func (p *printer) create(temporary bool, what string, ifNotExists bool, name Name) {
	p.w("CREATE ")
	if temporary {
		p.w("TEMPORARY ")
	}
	p.w(what + " ")
	if ifNotExists {
		p.w("IF NOT EXISTS ")
	}
	p.name(name, nil)
}

func (p *printer) createTable(s *CreateTable) {
	p.create(s.Temporary, "TABLE", s.IfNotExists, s.Name)
	// Without a column list, LIKE comes right after the name; with one, at the end.
	hasElems := len(s.Columns) > 0 || s.Watermark != nil || s.PrimaryKey != nil
	if s.Like != nil && !hasElems {
		p.w(" LIKE ")
		p.name(*s.Like, nil)
	}
	if hasElems {
		p.w(" (\n")
		inlinePK := false
		sep := func() {}
		for _, c := range s.Columns {
			sep()
			sep = func() { p.w(",\n") }
			p.w("  ")
			p.column(c, s.PrimaryKey)
			inlinePK = inlinePK || c.PrimaryKey
		}
		if w := s.Watermark; w != nil {
			sep()
			sep = func() { p.w(",\n") }
			p.w("  WATERMARK FOR ")
			p.name(w.Column, nil)
			p.w(" AS ")
			p.expr(w.Expr)
		}
		if pk := s.PrimaryKey; pk != nil && !inlinePK {
			sep()
			p.w("  PRIMARY KEY ")
			p.identList(pk.Columns)
			if pk.NotEnforced {
				p.w(" NOT ENFORCED")
			}
		}
		p.w("\n)")
	}
	if s.Comment != nil {
		p.w(" COMMENT ")
		p.str(s.Comment.Value)
	}
	if s.PartitionedBy != nil {
		p.w(" PARTITIONED BY ")
		p.identList(s.PartitionedBy)
	}
	if len(s.Options) > 0 {
		p.w(" WITH ")
		p.options(s.Options)
	}
	if s.Like != nil && hasElems {
		p.w(" LIKE ")
		p.name(*s.Like, nil)
	}
}

func (p *printer) column(c *ColumnDef, pk *PrimaryKeyDef) {
	p.ident(c.Name.Name, columnWords)
	if c.Kind == ComputedColumn {
		p.w(" AS ")
		p.expr(c.Expr)
	} else {
		p.w(" ")
		p.typ(c.Type)
		if c.Kind == MetadataColumn {
			p.w(" METADATA")
			if c.MetadataKey != nil {
				p.w(" FROM ")
				p.str(c.MetadataKey.Value)
			}
			if c.Virtual {
				p.w(" VIRTUAL")
			}
		}
	}
	if c.PrimaryKey {
		p.w(" PRIMARY KEY")
		if pk != nil && pk.NotEnforced {
			p.w(" NOT ENFORCED")
		}
	}
	if c.Comment != nil {
		p.w(" COMMENT ")
		p.str(c.Comment.Value)
	}
}

func (p *printer) insert(s *Insert) {
	p.w("INSERT ")
	if s.Overwrite {
		p.w("OVERWRITE ")
	} else {
		p.w("INTO ")
	}
	p.name(s.Table, nil)
	p.hint(s.Options)
	if s.Columns != nil {
		p.w(" ")
		p.identList(s.Columns)
	}
	p.w("\n")
	p.query(s.Query)
}

// hint writes the OPTIONS hint of a table name, if it has options.
func (p *printer) hint(opts []*Option) {
	if len(opts) > 0 {
		p.w(" /*+ OPTIONS")
		p.options(opts)
		p.w(" */")
	}
}

// ---- Types ----

// simpleTypeNames are the normalized names of the types parseType reads as keywords.
var simpleTypeNames = map[string]bool{}

func init() {
	for _, n := range simpleTypes {
		simpleTypeNames[n] = true
	}
}

func (p *printer) typ(t *TypeName) {
	switch {
	case t.Name == "ROW":
		p.w("ROW<")
		for i, f := range t.Fields {
			if i > 0 {
				p.w(", ")
			}
			p.ident(f.Name.Name, nil)
			p.w(" ")
			p.typ(f.Type)
		}
		p.w(">")
	case (t.Name == "ARRAY" || t.Name == "MULTISET") && t.Elem != nil:
		p.w(t.Name + "<")
		p.typ(t.Elem)
		p.w(">")
	case t.Name == "MAP" && t.Elem != nil && t.Value != nil:
		p.w("MAP<")
		p.typ(t.Elem)
		p.w(", ")
		p.typ(t.Value)
		p.w(">")
	case t.Name == "INTERVAL" && t.IntervalUnit != "":
		p.w("INTERVAL " + t.IntervalUnit)
	case simpleTypeNames[t.Name]:
		p.w(t.Name)
	default:
		// Another name, kept for the binder to report: bare if it reads back as the
		// same upper-cased word, else quoted (which the parser keeps as written).
		up := t.Name == strings.ToUpper(t.Name)
		special := simpleTypes[t.Name] != "" || t.Name == "ROW" || t.Name == "ARRAY" || t.Name == "MAP" || t.Name == "MULTISET" || t.Name == "INTERVAL"
		if up && plainIdent(t.Name) && !reserved[t.Name] && !special {
			p.w(t.Name)
		} else {
			p.w("`" + strings.ReplaceAll(t.Name, "`", "``") + "`")
		}
	}
	if len(t.Params) > 0 {
		p.w("(")
		for i, n := range t.Params {
			if i > 0 {
				p.w(", ")
			}
			p.w(strconv.Itoa(n))
		}
		p.w(")")
	}
	if t.NotNull {
		p.w(" NOT NULL")
	}
}

// ---- Queries ----

func (p *printer) query(q Query) {
	switch q := q.(type) {
	case *Select:
		p.sel(q)
	case *SetOp:
		level := setLevel(q)
		p.setOperand(q.Left, func(l *SetOp) bool { return setLevel(l) < level })
		p.w("\n" + q.Op)
		if q.All {
			p.w(" ALL")
		}
		p.w("\n")
		p.setOperand(q.Right, func(r *SetOp) bool { return setLevel(r) <= level })
	case *Values:
		p.w("VALUES ")
		for i, row := range q.Rows {
			if i > 0 {
				p.w(", ")
			}
			p.w("(")
			p.exprList(row)
			p.w(")")
		}
	case *With:
		p.w("WITH ")
		for i, c := range q.CTEs {
			if i > 0 {
				p.w(", ")
			}
			p.ident(c.Name.Name, nil)
			if c.Columns != nil {
				p.w(" ")
				p.identList(c.Columns)
			}
			p.w(" AS (")
			p.query(c.Query)
			p.w(")")
		}
		p.w("\n")
		p.query(q.Body)
	}
}

// setLevel is how tightly a set operation binds: INTERSECT over UNION and EXCEPT.
func setLevel(q *SetOp) int {
	if q.Op == "INTERSECT" {
		return 1
	}
	return 0
}

// setOperand writes an operand of a set operation, in parentheses where it would not
// read back as the same operand: a WITH, a SELECT with ORDER BY or LIMIT (they would
// attach to the whole), a set operation that binds more loosely (or, on the right, as
// loosely: the operations are left-associative).
func (p *printer) setOperand(q Query, paren func(*SetOp) bool) {
	need := false
	switch q := q.(type) {
	case *With:
		need = true
	case *Select:
		need = q.OrderBy != nil || q.Limit != nil
	case *SetOp:
		need = paren(q)
	}
	if need {
		p.w("(")
	}
	p.query(q)
	if need {
		p.w(")")
	}
}

func (p *printer) sel(q *Select) {
	p.w("SELECT ")
	if q.Distinct {
		p.w("DISTINCT ")
	}
	for i, it := range q.Items {
		if i > 0 {
			p.w(", ")
		}
		switch {
		case it.Star && it.Qual != nil:
			p.name(*it.Qual, nil)
			p.w(".*")
		case it.Star:
			p.w("*")
		default:
			p.expr(it.Expr)
			if it.Alias != nil {
				p.w(" AS ")
				p.ident(it.Alias.Name, nil)
			}
		}
	}
	if q.From != nil {
		p.w("\nFROM ")
		p.table(q.From)
	}
	p.clause("\nWHERE ", q.Where)
	if q.GroupBy != nil {
		p.w("\nGROUP BY ")
		p.exprList(q.GroupBy)
	}
	p.clause("\nHAVING ", q.Having)
	if q.OrderBy != nil {
		p.w("\nORDER BY ")
		p.orderItems(q.OrderBy)
	}
	p.clause("\nLIMIT ", q.Limit)
}

// clause writes keyword and e, when there is an e.
func (p *printer) clause(keyword string, e Expr) {
	if e != nil {
		p.w(keyword)
		p.expr(e)
	}
}

func (p *printer) orderItems(items []*OrderItem) {
	for i, it := range items {
		if i > 0 {
			p.w(", ")
		}
		p.expr(it.Expr)
		if it.Desc {
			p.w(" DESC")
		}
	}
}

func (p *printer) alias(alias *Ident, cols []Ident) {
	if alias == nil {
		return
	}
	p.w(" AS ")
	p.ident(alias.Name, nil)
	if cols != nil {
		p.w(" ")
		p.identList(cols)
	}
}

// table writes a FROM item. Joins are left-deep, as parsed; a join on the right of
// another is parenthesized.
func (p *printer) table(t TableExpr) {
	switch t := t.(type) {
	case *TableRef:
		p.name(t.Name, nil)
		p.hint(t.Options)
		p.clause(" FOR SYSTEM_TIME AS OF ", t.SystemTime)
		p.alias(t.Alias, t.Columns)
	case *Subquery:
		p.w("(")
		p.query(t.Query)
		p.w(")")
		p.alias(t.Alias, t.Columns)
	case *TableFunc:
		if t.Lateral {
			p.w("LATERAL ")
		}
		p.w("TABLE(")
		p.call(t.Call)
		p.w(")")
		p.alias(t.Alias, t.Columns)
	case *Join:
		p.table(t.Left)
		switch {
		case t.Comma:
			p.w(",\n  ")
		case t.Kind == "INNER":
			p.w("\n  JOIN ")
		default:
			p.w("\n  " + t.Kind + " JOIN ")
		}
		right := t.Right
		if t.Lateral {
			if tf, ok := right.(*TableFunc); ok && tf.Lateral {
				// LATERAL TABLE(...) is written once, by the TableFunc.
			} else {
				p.w("LATERAL ")
			}
		}
		if _, ok := right.(*Join); ok {
			p.w("(")
			p.table(right)
			p.w(")")
		} else {
			p.table(right)
		}
		p.clause(" ON ", t.On)
		if t.Using != nil {
			p.w(" USING ")
			p.identList(t.Using)
		}
	}
}

// ---- Expressions ----

func (p *printer) exprList(es []Expr) {
	for i, e := range es {
		if i > 0 {
			p.w(", ")
		}
		p.expr(e)
	}
}

func (p *printer) not(not bool) {
	if not {
		p.w(" NOT")
	}
}

// expr writes an expression as parsed: its tree is the one the text gave, with its
// parentheses kept as Paren nodes, so writing it in order reads back as the same tree.
func (p *printer) expr(e Expr) {
	switch e := e.(type) {
	case *ColumnName:
		p.name(e.Name, constructorWords)
	case *Literal:
		p.w(e.Text)
		p.lastNum = e.Kind == NumberLit
	case *StringLit:
		p.str(e.Value)
	case *Interval:
		p.w("INTERVAL ")
		if e.Neg {
			p.w("-")
		}
		if e.Expr != nil {
			p.expr(e.Expr)
		} else {
			p.str(e.Value)
		}
		p.w(" " + e.From)
		if e.To != "" {
			p.w(" TO " + e.To)
		}
	case *Unary:
		if e.Op == "NOT" {
			p.w("NOT ")
		} else {
			p.w(e.Op)
		}
		p.expr(e.X)
	case *Binary:
		p.expr(e.X)
		p.w(" " + e.Op + " ")
		p.expr(e.Y)
	case *FuncCall:
		p.call(e)
	case *Cast:
		if e.Try {
			p.w("TRY_CAST(")
		} else {
			p.w("CAST(")
		}
		p.expr(e.X)
		p.w(" AS ")
		p.typ(e.Type)
		p.w(")")
	case *Case:
		p.w("CASE")
		if e.Operand != nil {
			p.w(" ")
			p.expr(e.Operand)
		}
		for _, w := range e.Whens {
			p.w(" WHEN ")
			p.expr(w.Cond)
			p.w(" THEN ")
			p.expr(w.Result)
		}
		p.clause(" ELSE ", e.Else)
		p.w(" END")
	case *IsNull:
		p.expr(e.X)
		p.w(" IS")
		p.not(e.Not)
		p.w(" NULL")
	case *IsBool:
		p.expr(e.X)
		p.w(" IS")
		p.not(e.Not)
		p.w(" " + e.Value)
	case *In:
		p.expr(e.X)
		p.not(e.Not)
		p.w(" IN (")
		if e.Query != nil {
			p.query(e.Query)
		} else {
			p.exprList(e.List)
		}
		p.w(")")
	case *Between:
		p.expr(e.X)
		p.not(e.Not)
		p.w(" BETWEEN ")
		if e.Symmetric {
			p.w("SYMMETRIC ")
		}
		p.expr(e.Lo)
		p.w(" AND ")
		p.expr(e.Hi)
	case *Like:
		p.expr(e.X)
		p.not(e.Not)
		if e.Similar {
			p.w(" SIMILAR TO ")
		} else {
			p.w(" LIKE ")
		}
		p.expr(e.Pattern)
		p.clause(" ESCAPE ", e.Escape)
	case *Exists:
		p.w("EXISTS (")
		p.query(e.Query)
		p.w(")")
	case *ScalarSubquery:
		p.w("(")
		p.query(e.Query)
		p.w(")")
	case *Paren:
		p.w("(")
		p.expr(e.X)
		p.w(")")
	case *Index:
		p.expr(e.X)
		p.w("[")
		p.expr(e.Index)
		p.w("]")
	case *FieldAccess:
		p.expr(e.X)
		p.w(".")
		p.ident(e.Field.Name, nil)
	case *Constructor:
		open, close := "[", "]"
		if e.Kind == "ROW" {
			open, close = "(", ")"
		}
		p.w(e.Kind + open)
		p.exprList(e.Args)
		p.w(close)
	case *Descriptor:
		p.w("DESCRIPTOR")
		p.identList(e.Columns)
	case *TableArg:
		p.w("TABLE ")
		p.name(e.Name, nil)
		switch len(e.PartitionBy) {
		case 0:
		case 1:
			p.w(" PARTITION BY ")
			p.expr(e.PartitionBy[0])
		default:
			p.w(" PARTITION BY (")
			p.exprList(e.PartitionBy)
			p.w(")")
		}
	case *Extract:
		p.w("EXTRACT(" + e.Unit + " FROM ")
		p.expr(e.X)
		p.w(")")
	}
}

// call writes a function call in the ordinary f(args) form, which the special call
// syntaxes (TRIM(BOTH x FROM s), POSITION(a IN b), ...) are parsed into: a name that
// would start such a syntax is quoted.
func (p *printer) call(c *FuncCall) {
	p.name(c.Name, specialCalls)
	p.w("(")
	switch {
	case c.Star:
		p.w("*")
	default:
		if c.Distinct {
			p.w("DISTINCT ")
		}
		if c.ArgNames == nil {
			p.exprList(c.Args)
			break
		}
		for i, a := range c.Args {
			if i > 0 {
				p.w(", ")
			}
			if n := c.ArgNames[i]; n.Name != "" {
				p.ident(n.Name, nil)
				p.w(" => ")
			}
			p.expr(a)
		}
	}
	p.w(")")
	if c.Filter != nil {
		p.w(" FILTER (WHERE ")
		p.expr(c.Filter)
		p.w(")")
	}
	if w := c.Over; w != nil {
		p.w(" OVER (")
		sep := ""
		if w.PartitionBy != nil {
			p.w("PARTITION BY ")
			p.exprList(w.PartitionBy)
			sep = " "
		}
		if w.OrderBy != nil {
			p.w(sep + "ORDER BY ")
			p.orderItems(w.OrderBy)
			sep = " "
		}
		if w.Frame != "" {
			p.w(sep + w.Frame)
		}
		p.w(")")
	}
}
