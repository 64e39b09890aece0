package table

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// union is Union and UnionAll.
func (t *Table) union(site callSite, method string, other *Table, all bool) *Table {
	if t.broken {
		return t
	}
	if other == nil {
		t.env.errorAt(site, "%s of a nil *Table", method)
		return t.fail()
	}
	if other.broken {
		return other
	}
	if other.env != t.env {
		t.env.errorAt(site, "%s of a Table from another Environment", method)
		return t.fail()
	}
	left, right := t.q, other.q
	if left.raw != nil {
		left = over(site, left)
	}
	if right.raw != nil || right.setop != nil {
		// a UNION ALL (b UNION ALL c): keep the grouping the program wrote.
		right = over(site, right)
	}
	return t.derive(&query{site: site, setop: &setop{all: all, left: left, right: right}})
}

// UnionAll is the rows of t followed by those of other, duplicates kept, like SQL's
// UNION ALL (both tables need the same column types, as in SQL).
func (t *Table) UnionAll(other *Table) *Table {
	return t.union(caller(0), "UnionAll", other, true)
}

// Union is the rows of t and other without duplicates (set semantics), as Flink's
// union: SQL's UNION.
func (t *Table) Union(other *Table) *Table {
	return t.union(caller(0), "Union", other, false)
}

// Distinct removes duplicate rows: SELECT DISTINCT.
func (t *Table) Distinct() *Table {
	site := caller(0)
	if t.broken {
		return t
	}
	if t.q.distinct {
		return t
	}
	if t.q.setop != nil || t.q.raw != nil {
		q := over(site, t.q)
		q.distinct = true
		return t.derive(q)
	}
	q := *t.q
	q.site, q.distinct = site, true
	return t.derive(&q)
}

// schemaOp adds method's operation, whose select list depends on the columns of t:
// it converts fields (strings or Expr) to items, and build gets them with the columns
// at render time. site is the user's call of method.
func (t *Table) schemaOp(site callSite, method string, kind argKind, fields []any,
	build func(site callSite, items []item, cols []string) ([]frag, diag.List)) *Table {
	if t.broken {
		return t
	}
	items, ok := t.env.items(site, method, kind, fields)
	if !ok {
		return t.fail()
	}
	q := over(site, t.q)
	q.lazy = func(cols []string) ([]frag, diag.List) { return build(site, items, cols) }
	return t.derive(q)
}

func colFrag(site callSite, name string) frag { return frag{gen: quoteIdent(name), site: site} }

// itemErr builds the diagnostic for one item (see Environment.errorOn).
func itemErr(it item, format string, args ...any) *diag.Diagnostic {
	if it.src != nil {
		return diag.Errorf(it.src, it.span, format, args...)
	}
	return &diag.Diagnostic{Msg: it.site.String() + ": " + fmt.Sprintf(format, args...)}
}

func unknownColumn(it item, name string, cols []string) *diag.Diagnostic {
	return itemErr(it, "unknown column %q; the table has %s", name, strings.Join(cols, ", "))
}

func indexOf(cols []string, name string) int {
	for i, c := range cols {
		if c == name {
			return i
		}
	}
	return -1
}

// AddColumns adds computed columns after the existing ones, like Flink's
// addColumns: "concat(a, 'x') AS b" or Call("concat", Col("a"), "x").As("b"). A new
// column whose name exists already is an error (AddOrReplaceColumns replaces it).
func (t *Table) AddColumns(fields ...any) *Table {
	return t.schemaOp(caller(0), "AddColumns", kindNewCols, fields, func(site callSite, items []item, cols []string) ([]frag, diag.List) {
		var errs diag.List
		for _, it := range items {
			if name := newName(it); name != "" && indexOf(cols, name) >= 0 {
				errs.Add(itemErr(it, "AddColumns: column %q exists; use AddOrReplaceColumns to replace it", name))
			}
		}
		return append([]frag{{gen: "*", site: site}}, frags(items)...), errs
	})
}

// newName is the column name an added item gets, "" when the binder names it.
func newName(it item) string {
	if it.alias != "" {
		return it.alias
	}
	return it.col
}

// AddOrReplaceColumns adds computed columns, replacing (in place) an existing column
// of the same name, like Flink's addOrReplaceColumns; of several new columns of one
// name the last wins.
func (t *Table) AddOrReplaceColumns(fields ...any) *Table {
	return t.schemaOp(caller(0), "AddOrReplaceColumns", kindNewCols, fields, func(site callSite, items []item, cols []string) ([]frag, diag.List) {
		last := map[string]int{}
		for i, it := range items {
			if n := newName(it); n != "" {
				last[n] = i
			}
		}
		used := map[int]bool{}
		var out []frag
		for _, c := range cols {
			if i, ok := last[c]; ok {
				out = append(out, items[i].frag)
				used[i] = true
				continue
			}
			out = append(out, colFrag(site, c))
		}
		for i, it := range items {
			n := newName(it)
			if used[i] || n != "" && last[n] != i {
				continue
			}
			out = append(out, it.frag)
		}
		return out, nil
	})
}

// DropColumns removes columns: "a, b" or Col("a"), Col("b"), like Flink's
// dropColumns.
func (t *Table) DropColumns(fields ...any) *Table {
	return t.schemaOp(caller(0), "DropColumns", kindColumns, fields, func(site callSite, items []item, cols []string) ([]frag, diag.List) {
		var errs diag.List
		drop := map[string]bool{}
		for _, it := range items {
			if indexOf(cols, it.col) < 0 {
				errs.Add(unknownColumn(it, it.col, cols))
			}
			drop[it.col] = true
		}
		var out []frag
		for _, c := range cols {
			if !drop[c] {
				out = append(out, colFrag(site, c))
			}
		}
		if len(out) == 0 && len(errs) == 0 {
			errs.Add(&diag.Diagnostic{Msg: site.String() + ": DropColumns drops every column"})
		}
		return out, errs
	})
}

// RenameColumns renames columns: "a AS x, b AS y" or Col("a").As("x"), like Flink's
// renameColumns; the other columns keep their names and places.
func (t *Table) RenameColumns(fields ...any) *Table {
	return t.schemaOp(caller(0), "RenameColumns", kindRename, fields, func(site callSite, items []item, cols []string) ([]frag, diag.List) {
		var errs diag.List
		rename := map[string]item{}
		for _, it := range items {
			if indexOf(cols, it.col) < 0 {
				errs.Add(unknownColumn(it, it.col, cols))
				continue
			}
			if _, dup := rename[it.col]; dup {
				errs.Add(itemErr(it, "RenameColumns: column %q is renamed twice", it.col))
			}
			rename[it.col] = it
		}
		names := map[string]bool{}
		var out []frag
		for _, c := range cols {
			name := c
			if it, ok := rename[c]; ok {
				name = it.alias
				out = append(out, frag{gen: quoteIdent(c) + " AS " + quoteIdent(it.alias), site: it.site})
			} else {
				out = append(out, colFrag(site, c))
			}
			if names[name] {
				errs.Add(&diag.Diagnostic{Msg: site.String() + fmt.Sprintf(": RenameColumns: two columns would be named %q", name)})
			}
			names[name] = true
		}
		return out, errs
	})
}

// JoinLateral joins each row with the rows a table function returns for it, like
// Flink's joinLateral; rows for which the function returns nothing are dropped. call
// is "split(line)", "split(line) AS t(word, length)", or Call("split",
// Col("line")).As("word", "length"); without names the columns keep the function's
// own names. An optional predicate (a string or an Expr) filters the joined rows.
func (t *Table) JoinLateral(call any, predicate ...any) *Table {
	site := caller(0)
	if len(predicate) > 1 {
		t.env.errorAt(site, "JoinLateral takes at most one predicate")
		return t.fail()
	}
	return t.joinLateral(site, "JoinLateral", call, false, predicate)
}

// LeftOuterJoinLateral is JoinLateral keeping the rows for which the function
// returns nothing, with NULL in the function's columns: LEFT JOIN LATERAL TABLE(...)
// ON TRUE, like Flink's leftOuterJoinLateral.
func (t *Table) LeftOuterJoinLateral(call any) *Table {
	return t.joinLateral(caller(0), "LeftOuterJoinLateral", call, true, nil)
}

func (t *Table) joinLateral(site callSite, method string, call any, left bool, predicate []any) *Table {
	if t.broken {
		return t
	}
	l, ok := t.env.lateralCall(site, method, call)
	if !ok {
		return t.fail()
	}
	l.left = left
	var where []frag
	if len(predicate) == 1 {
		items, ok := t.env.items(site, method, kindExpr, predicate)
		if !ok {
			return t.fail()
		}
		where = frags(items)
	}
	q := over(site, t.q)
	q.lateral = l
	q.where = where
	return t.derive(q)
}

const lateralUsage = "%s takes a table function call with optional column names: \"split(line)\", \"split(line) AS t(word, length)\" or table.Call(\"split\", table.Col(\"line\")).As(\"word\", \"length\")"

// lateralCall converts the table function argument of JoinLateral.
func (e *Environment) lateralCall(site callSite, method string, call any) (*lateral, bool) {
	switch c := call.(type) {
	case Expr:
		if c.err != nil {
			e.errorAt(site, "%s: %v", method, c.err)
			return nil, false
		}
		if x, err := parser.ParseExpr(&diag.Source{Name: "expr", Text: c.sql}); err != nil {
			e.errorAt(site, "%s: %v", method, err)
			return nil, false
		} else if _, ok := x.(*parser.FuncCall); !ok {
			e.errorAt(site, lateralUsage, method)
			return nil, false
		}
		l := &lateral{call: frag{gen: c.sql, site: site}}
		if len(c.names) > 0 {
			e.lateral++
			l.alias = fmt.Sprintf("T%d", e.lateral)
			l.cols = c.names
		}
		return l, true
	case string:
		return e.lateralString(site, method, c)
	}
	e.errorAt(site, lateralUsage+", not a %T", method, call)
	return nil, false
}

func (e *Environment) lateralString(site callSite, method, text string) (*lateral, bool) {
	src := newSource(site, text)
	as := topLevelAS(text)
	callText := text
	if as >= 0 {
		callText = strings.TrimRight(text[:as], " \t\r\n")
	}
	callSrc := &diag.Source{Name: src.Name, Text: callText + strings.Repeat(" ", len(text)-len(callText)), Base: src.Base}
	x, err := parser.ParseExpr(callSrc)
	if err != nil {
		e.addErr(err, site)
		return nil, false
	}
	if _, ok := x.(*parser.FuncCall); !ok {
		e.errs.Add(diag.Errorf(src, x.ExprSpan(), lateralUsage, method))
		return nil, false
	}
	l := &lateral{call: frag{p: &piece{text: callText, src: src}, site: site}}
	if as < 0 {
		return l, true
	}
	aliasSrc := &diag.Source{Name: src.Name, Text: strings.Repeat(" ", as+2) + text[as+2:], Base: src.Base}
	a, err := parser.ParseExpr(aliasSrc)
	if err != nil {
		e.addErr(err, site)
		return nil, false
	}
	bad := func() (*lateral, bool) {
		e.errs.Add(diag.Errorf(src, a.ExprSpan(), "%s: after AS comes a table alias with optional column names, such as t(word, length)", method))
		return nil, false
	}
	switch a := a.(type) {
	case *parser.ColumnName:
		if len(a.Name.Parts) != 1 {
			return bad()
		}
		l.alias = a.Name.Parts[0].Name
	case *parser.FuncCall:
		if len(a.Name.Parts) != 1 || a.Star || a.Distinct || a.Filter != nil || a.Over != nil || len(a.Args) == 0 {
			return bad()
		}
		l.alias = a.Name.Parts[0].Name
		for _, arg := range a.Args {
			c, ok := arg.(*parser.ColumnName)
			if !ok || len(c.Name.Parts) != 1 {
				return bad()
			}
			l.cols = append(l.cols, c.Name.Parts[0].Name)
		}
	default:
		return bad()
	}
	rest := text[as+2:]
	off := as + 2 + len(rest) - len(strings.TrimLeft(rest, " \t\r\n"))
	l.aliasText = &piece{text: strings.TrimRight(text[off:], " \t\r\n"), src: src, off: off}
	return l, true
}

// topLevelAS returns the offset of the first AS keyword of text outside parentheses,
// quotes and comments, or -1.
func topLevelAS(text string) int {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '(':
			depth++
		case ')':
			depth--
		case '\'', '`', '"':
			j := strings.IndexByte(text[i+1:], c)
			if j < 0 {
				return -1
			}
			i += j + 1
		case '-':
			if strings.HasPrefix(text[i:], "--") {
				j := strings.IndexByte(text[i:], '\n')
				if j < 0 {
					return -1
				}
				i += j
			}
		case 'a', 'A':
			if depth == 0 && i+1 < len(text) && (text[i+1] == 's' || text[i+1] == 'S') &&
				(i == 0 || !identByte(text[i-1])) && (i+2 == len(text) || !identByte(text[i+2])) {
				return i
			}
		}
	}
	return -1
}

func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// StatementSet groups several inserts into one EXECUTE STATEMENT SET, like Flink's
// StatementSet (PyFlink's create_statement_set). Every insert of the job runs in the
// same job whether or not it is in a set; a set keeps the script's shape that of the
// equivalent SQL.
type StatementSet struct {
	env     *Environment
	site    callSite
	inserts []*insert
}

// CreateStatementSet adds an empty statement set to the job; fill it with AddInsert
// and AddInsertSQL (a set left empty is an error).
func (e *Environment) CreateStatementSet() *StatementSet {
	s := &StatementSet{env: e, site: caller(0)}
	e.stmts = append(e.stmts, &stmt{set: s})
	return s
}

// AddInsert adds INSERT INTO sink <t> to the set.
func (s *StatementSet) AddInsert(sink string, t *Table) *StatementSet {
	site := caller(0)
	if t == nil {
		s.env.errorAt(site, "AddInsert of a nil *Table")
		return s
	}
	if t.env != s.env {
		s.env.errorAt(site, "AddInsert of a Table from another Environment")
		return s
	}
	if ins := t.insertAt(site, "AddInsert", sink); ins != nil {
		s.inserts = append(s.inserts, ins)
	}
	return s
}

// AddInsertSQL adds an INSERT statement written in SQL to the set.
func (s *StatementSet) AddInsertSQL(sql string) *StatementSet {
	site := caller(0)
	src := newSource(site, sql)
	script, err := parser.ParseScript(src)
	if err != nil {
		s.env.addErr(err, site)
		return s
	}
	if len(script.Stmts) != 1 {
		s.env.errorAt(site, "AddInsertSQL takes one INSERT statement, got %d statements", len(script.Stmts))
		return s
	}
	ins, ok := script.Stmts[0].(*parser.Insert)
	if !ok {
		s.env.errs.Add(diag.Errorf(src, script.Stmts[0].StmtSpan(), "AddInsertSQL takes an INSERT statement"))
		return s
	}
	sp := ins.Span
	s.inserts = append(s.inserts, &insert{site: site, raw: &piece{text: sql[sp.Start:sp.End], src: src, off: sp.Start}})
	return s
}
