package parser

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump renders a script as an indented S-expression, one node per line, children
// indented by two spaces, each node with its byte span as @start-end. The output is
// deterministic; golden tests store it.
//
//	(CreateTable cdn_access_log @0-420
//	  (Column uuid @27-39 physical VARCHAR @32-39)
//	  (Option 'connector.type'='kafka' @147-172))
func Dump(s *Script) string {
	d := &dumper{}
	d.open("Script")
	for _, st := range s.Stmts {
		d.stmt(st)
	}
	d.close()
	return strings.Join(d.lines, "\n") + "\n"
}

// DumpExpr renders one expression like Dump.
func DumpExpr(e Expr) string {
	d := &dumper{}
	d.expr(e)
	return strings.Join(d.lines, "\n") + "\n"
}

type dumper struct {
	lines []string
	depth int
}

// open starts a node line; close appends its ")" to the last line written.
func (d *dumper) open(format string, args ...any) {
	d.lines = append(d.lines, strings.Repeat("  ", d.depth)+"("+fmt.Sprintf(format, args...))
	d.depth++
}

func (d *dumper) close() {
	d.depth--
	d.lines[len(d.lines)-1] += ")"
}

func (d *dumper) leaf(format string, args ...any) {
	d.open(format, args...)
	d.close()
}

func at(start, end int) string { return fmt.Sprintf("@%d-%d", start, end) }

func flags(pairs ...any) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1].(bool) {
			b.WriteByte(' ')
			b.WriteString(pairs[i].(string))
		}
	}
	return b.String()
}

// dumpIdent quotes a name in backticks only when it is not a plain word.
func dumpIdent(name string) string {
	for i := 0; i < len(name); i++ {
		if !isIdentPart(name[i]) || i == 0 && !isIdentStart(name[i]) {
			return quoteIdent(name)
		}
	}
	if name == "" {
		return "``"
	}
	return name
}

func dumpName(n Name) string {
	parts := make([]string, len(n.Parts))
	for i, part := range n.Parts {
		parts[i] = dumpIdent(part.Name)
	}
	return strings.Join(parts, ".")
}

func quoteSQL(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func identList(ids []Ident) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = dumpIdent(id.Name)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func (d *dumper) stmt(s Stmt) {
	switch s := s.(type) {
	case *CreateTable:
		d.open("CreateTable %s %s%s", dumpName(s.Name), at(s.Span.Start, s.Span.End), flags("temporary", s.Temporary, "if-not-exists", s.IfNotExists))
		for _, c := range s.Columns {
			d.column(c)
		}
		if w := s.Watermark; w != nil {
			d.open("Watermark %s %s", dumpName(w.Column), at(w.Span.Start, w.Span.End))
			d.expr(w.Expr)
			d.close()
		}
		if pk := s.PrimaryKey; pk != nil {
			d.leaf("PrimaryKey %s %s%s", identList(pk.Columns), at(pk.Span.Start, pk.Span.End), flags("not-enforced", pk.NotEnforced))
		}
		if s.Comment != nil {
			d.leaf("Comment %s", quoteSQL(s.Comment.Value))
		}
		if s.PartitionedBy != nil {
			d.leaf("PartitionedBy %s", identList(s.PartitionedBy))
		}
		d.options(s.Options)
		if s.Like != nil {
			d.leaf("Like %s", dumpName(*s.Like))
		}
		d.close()
	case *CreateView:
		cols := ""
		if s.Columns != nil {
			cols = " " + identList(s.Columns)
		}
		d.open("CreateView %s%s %s%s", dumpName(s.Name), cols, at(s.Span.Start, s.Span.End), flags("temporary", s.Temporary, "if-not-exists", s.IfNotExists))
		d.query(s.Query)
		d.close()
	case *CreateFunction:
		lang := ""
		if s.Language != nil {
			lang = " language=" + s.Language.Name
		}
		class := ""
		if s.Class != nil {
			class = " " + quoteSQL(s.Class.Value)
		}
		if len(s.With) == 0 {
			d.leaf("CreateFunction %s%s%s %s%s", dumpName(s.Name), class, lang, at(s.Span.Start, s.Span.End),
				flags("temporary", s.Temporary, "system", s.System, "if-not-exists", s.IfNotExists))
			break
		}
		d.open("CreateFunction %s%s%s %s%s", dumpName(s.Name), class, lang, at(s.Span.Start, s.Span.End),
			flags("temporary", s.Temporary, "system", s.System, "if-not-exists", s.IfNotExists))
		d.options(s.With)
		d.close()
	case *Set:
		d.open("Set %s", at(s.Span.Start, s.Span.End))
		if s.Option != nil {
			d.option(s.Option)
		}
		d.close()
	case *Insert:
		d.insert(s)
	case *StatementSet:
		d.open("StatementSet %s", at(s.Span.Start, s.Span.End))
		for _, ins := range s.Inserts {
			d.insert(ins)
		}
		d.close()
	case *Explain:
		d.open("Explain %s", at(s.Span.Start, s.Span.End))
		if s.Stmt != nil {
			d.stmt(s.Stmt)
		}
		d.close()
	case *QueryStmt:
		d.open("QueryStmt %s", at(s.Span.Start, s.Span.End))
		d.query(s.Query)
		d.close()
	default:
		d.leaf("?%T", s)
	}
}

func (d *dumper) insert(s *Insert) {
	verb := "InsertInto"
	if s.Overwrite {
		verb = "InsertOverwrite"
	}
	cols := ""
	if s.Columns != nil {
		cols = " " + identList(s.Columns)
	}
	d.open("%s %s%s %s", verb, dumpName(s.Table), cols, at(s.Span.Start, s.Span.End))
	d.options(s.Options)
	d.query(s.Query)
	d.close()
}

func (d *dumper) column(c *ColumnDef) {
	kind := [...]string{"physical", "computed", "metadata"}[c.Kind]
	extra := ""
	if c.MetadataKey != nil {
		extra += " from=" + quoteSQL(c.MetadataKey.Value)
	}
	extra += flags("virtual", c.Virtual, "primary-key", c.PrimaryKey)
	if c.Comment != nil {
		extra += " comment=" + quoteSQL(c.Comment.Value)
	}
	d.open("Column %s %s %s%s", dumpIdent(c.Name.Name), at(c.Span.Start, c.Span.End), kind, extra)
	if c.Type != nil {
		d.leaf("Type %s %s", TypeString(c.Type), at(c.Type.Span.Start, c.Type.Span.End))
	}
	if c.Expr != nil {
		d.expr(c.Expr)
	}
	d.close()
}

func (d *dumper) options(opts []*Option) {
	for _, o := range opts {
		d.option(o)
	}
}

func (d *dumper) option(o *Option) {
	k, v := "", ""
	if o.Key != nil {
		k = quoteSQL(o.Key.Value)
	}
	if o.Value != nil {
		v = quoteSQL(o.Value.Value)
	}
	d.leaf("Option %s=%s %s", k, v, at(o.Span.Start, o.Span.End))
}

// TypeString renders a type in SQL syntax: DECIMAL(10, 2) NOT NULL, ROW<a INT, b STRING>.
func TypeString(t *TypeName) string {
	if t == nil {
		return "?"
	}
	var b strings.Builder
	b.WriteString(t.Name)
	switch t.Name {
	case "ROW":
		b.WriteByte('<')
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(dumpIdent(f.Name.Name))
			b.WriteByte(' ')
			b.WriteString(TypeString(f.Type))
		}
		b.WriteByte('>')
	case "ARRAY", "MULTISET":
		b.WriteString("<" + TypeString(t.Elem) + ">")
	case "MAP":
		b.WriteString("<" + TypeString(t.Elem) + ", " + TypeString(t.Value) + ">")
	case "INTERVAL":
		b.WriteString(" " + t.IntervalUnit)
	}
	if len(t.Params) > 0 {
		ps := make([]string, len(t.Params))
		for i, n := range t.Params {
			ps[i] = strconv.Itoa(n)
		}
		b.WriteString("(" + strings.Join(ps, ", ") + ")")
	}
	if t.NotNull {
		b.WriteString(" NOT NULL")
	}
	return b.String()
}

func (d *dumper) query(q Query) {
	switch q := q.(type) {
	case *Select:
		d.open("Select %s%s", at(q.Span.Start, q.Span.End), flags("distinct", q.Distinct))
		for _, it := range q.Items {
			d.selectItem(it)
		}
		if q.From != nil {
			d.open("From")
			d.table(q.From)
			d.close()
		}
		d.clause("Where", q.Where)
		if q.GroupBy != nil {
			d.open("GroupBy")
			for _, e := range q.GroupBy {
				d.expr(e)
			}
			d.close()
		}
		d.clause("Having", q.Having)
		d.orderBy("OrderBy", q.OrderBy)
		d.clause("Limit", q.Limit)
		d.close()
	case *SetOp:
		d.open("%s %s%s", q.Op, at(q.Span.Start, q.Span.End), flags("all", q.All))
		d.query(q.Left)
		d.query(q.Right)
		d.close()
	case *Values:
		d.open("Values %s", at(q.Span.Start, q.Span.End))
		for _, row := range q.Rows {
			d.open("Row")
			for _, e := range row {
				d.expr(e)
			}
			d.close()
		}
		d.close()
	case *With:
		d.open("With %s", at(q.Span.Start, q.Span.End))
		for _, c := range q.CTEs {
			cols := ""
			if c.Columns != nil {
				cols = " " + identList(c.Columns)
			}
			d.open("CTE %s%s %s", dumpIdent(c.Name.Name), cols, at(c.Name.Span.Start, c.Name.Span.End))
			d.query(c.Query)
			d.close()
		}
		d.query(q.Body)
		d.close()
	case nil:
		d.leaf("nil")
	default:
		d.leaf("?%T", q)
	}
}

func (d *dumper) clause(name string, e Expr) {
	if e == nil {
		return
	}
	d.open("%s", name)
	d.expr(e)
	d.close()
}

func (d *dumper) orderBy(name string, items []*OrderItem) {
	if items == nil {
		return
	}
	d.open("%s", name)
	for _, it := range items {
		dir := "asc"
		if it.Desc {
			dir = "desc"
		}
		d.open("%s", dir)
		d.expr(it.Expr)
		d.close()
	}
	d.close()
}

func (d *dumper) selectItem(it *SelectItem) {
	alias := ""
	if it.Alias != nil {
		alias = " as " + dumpIdent(it.Alias.Name)
	}
	if it.Star {
		qual := ""
		if it.Qual != nil {
			qual = dumpName(*it.Qual) + "."
		}
		d.leaf("Item %s* %s", qual, at(it.Span.Start, it.Span.End))
		return
	}
	d.open("Item%s %s", alias, at(it.Span.Start, it.Span.End))
	d.expr(it.Expr)
	d.close()
}

func aliasText(alias *Ident, cols []Ident) string {
	s := ""
	if alias != nil {
		s = " as " + dumpIdent(alias.Name)
	}
	if cols != nil {
		s += identList(cols)
	}
	return s
}

func (d *dumper) table(t TableExpr) {
	switch t := t.(type) {
	case *TableRef:
		d.open("Table %s%s %s", dumpName(t.Name), aliasText(t.Alias, t.Columns), at(t.Span.Start, t.Span.End))
		d.options(t.Options)
		if t.SystemTime != nil {
			d.clause("ForSystemTimeAsOf", t.SystemTime)
		}
		d.close()
	case *Subquery:
		d.open("Subquery%s %s", aliasText(t.Alias, t.Columns), at(t.Span.Start, t.Span.End))
		d.query(t.Query)
		d.close()
	case *Join:
		d.open("Join %s %s%s", t.Kind, at(t.Span.Start, t.Span.End), flags("comma", t.Comma, "lateral", t.Lateral))
		d.table(t.Left)
		d.table(t.Right)
		d.clause("On", t.On)
		if t.Using != nil {
			d.leaf("Using %s", identList(t.Using))
		}
		d.close()
	case *TableFunc:
		d.open("TableFunc%s %s%s", aliasText(t.Alias, t.Columns), at(t.Span.Start, t.Span.End), flags("lateral", t.Lateral))
		if t.Call != nil {
			d.expr(t.Call)
		}
		d.close()
	case nil:
		d.leaf("nil")
	default:
		d.leaf("?%T", t)
	}
}

var litKinds = [...]string{"number", "string", "bool", "null", "binary", "date", "time", "timestamp", "timestamp_ltz"}

func (d *dumper) expr(e Expr) {
	switch e := e.(type) {
	case *ColumnName:
		d.leaf("Column %s %s", dumpName(e.Name), at(e.Name.Span.Start, e.Name.Span.End))
	case *Literal:
		kind := "?"
		if int(e.Kind) < len(litKinds) {
			kind = litKinds[e.Kind]
		}
		text := e.Text
		switch e.Kind {
		case StringLitK, DateLit, TimeLit, TimestampLit, TimestampLTZLit:
			text = quoteSQL(e.Value)
		case BinaryLit:
			text = "X" + quoteSQL(e.Value)
		}
		d.leaf("Lit %s %s %s", kind, text, at(e.Span.Start, e.Span.End))
	case *StringLit:
		d.leaf("String %s %s", quoteSQL(e.Value), at(e.Span.Start, e.Span.End))
	case *Interval:
		unit := e.From
		if e.To != "" {
			unit += " TO " + e.To
		}
		neg := ""
		if e.Neg {
			neg = "-"
		}
		if e.Expr != nil {
			d.open("Interval %s%s %s", neg, unit, at(e.Span.Start, e.Span.End))
			d.expr(e.Expr)
			d.close()
		} else {
			d.leaf("Interval %s%s %s %s", neg, quoteSQL(e.Value), unit, at(e.Span.Start, e.Span.End))
		}
	case *Unary:
		d.open("Unary %s %s", e.Op, at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *Binary:
		d.open("Binary %s %s", e.Op, at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.expr(e.Y)
		d.close()
	case *FuncCall:
		d.open("Call %s %s%s", dumpName(e.Name), at(e.Span.Start, e.Span.End), flags("distinct", e.Distinct, "star", e.Star))
		for i, a := range e.Args {
			if i < len(e.ArgNames) && e.ArgNames[i].Name != "" {
				d.open("Named %s", e.ArgNames[i].Name)
				d.expr(a)
				d.close()
				continue
			}
			d.expr(a)
		}
		d.clause("Filter", e.Filter)
		if w := e.Over; w != nil {
			frame := ""
			if w.Frame != "" {
				frame = " frame=" + strconv.Quote(w.Frame)
			}
			d.open("Over %s%s", at(w.Span.Start, w.Span.End), frame)
			if w.PartitionBy != nil {
				d.open("PartitionBy")
				for _, p := range w.PartitionBy {
					d.expr(p)
				}
				d.close()
			}
			d.orderBy("OrderBy", w.OrderBy)
			d.close()
		}
		d.close()
	case *Cast:
		name := "Cast"
		if e.Try {
			name = "TryCast"
		}
		d.open("%s %s %s", name, TypeString(e.Type), at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *Case:
		d.open("Case %s", at(e.Span.Start, e.Span.End))
		d.clause("Operand", e.Operand)
		for _, w := range e.Whens {
			d.open("When")
			d.expr(w.Cond)
			d.expr(w.Result)
			d.close()
		}
		d.clause("Else", e.Else)
		d.close()
	case *IsNull:
		d.open("Is%s NULL %s", notText(e.Not), at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *IsBool:
		d.open("Is%s %s %s", notText(e.Not), e.Value, at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *In:
		d.open("%sIn %s", notPrefix(e.Not), at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		for _, x := range e.List {
			d.expr(x)
		}
		if e.Query != nil {
			d.query(e.Query)
		}
		d.close()
	case *Between:
		d.open("%sBetween %s%s", notPrefix(e.Not), at(e.Span.Start, e.Span.End), flags("symmetric", e.Symmetric))
		d.expr(e.X)
		d.expr(e.Lo)
		d.expr(e.Hi)
		d.close()
	case *Like:
		name := "Like"
		if e.Similar {
			name = "SimilarTo"
		}
		d.open("%s%s %s", notPrefix(e.Not), name, at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.expr(e.Pattern)
		d.clause("Escape", e.Escape)
		d.close()
	case *Exists:
		d.open("Exists %s", at(e.Span.Start, e.Span.End))
		d.query(e.Query)
		d.close()
	case *ScalarSubquery:
		d.open("ScalarSubquery %s", at(e.Span.Start, e.Span.End))
		d.query(e.Query)
		d.close()
	case *Paren:
		d.open("Paren %s", at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *Index:
		d.open("Index %s", at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.expr(e.Index)
		d.close()
	case *FieldAccess:
		d.open("Field %s %s", dumpIdent(e.Field.Name), at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case *Constructor:
		d.open("%s %s", e.Kind, at(e.Span.Start, e.Span.End))
		for _, a := range e.Args {
			d.expr(a)
		}
		d.close()
	case *Descriptor:
		d.leaf("Descriptor %s %s", identList(e.Columns), at(e.Span.Start, e.Span.End))
	case *TableArg:
		if len(e.PartitionBy) == 0 {
			d.leaf("TableArg %s %s", dumpName(e.Name), at(e.Span.Start, e.Span.End))
			break
		}
		d.open("TableArg %s %s", dumpName(e.Name), at(e.Span.Start, e.Span.End))
		d.open("PartitionBy")
		for _, x := range e.PartitionBy {
			d.expr(x)
		}
		d.close()
		d.close()
	case *Extract:
		d.open("Extract %s %s", e.Unit, at(e.Span.Start, e.Span.End))
		d.expr(e.X)
		d.close()
	case nil:
		d.leaf("nil")
	default:
		d.leaf("?%T", e)
	}
}

func notText(not bool) string {
	if not {
		return " NOT"
	}
	return ""
}

func notPrefix(not bool) string {
	if not {
		return "Not"
	}
	return ""
}
