package parser

import (
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// ParseScript parses a whole SQL file. Statements are separated by semicolons; a
// trailing one is optional. After a syntax error the parser skips to the next semicolon
// and goes on, so one run reports the first error of every bad statement. The error, if
// any, is a diag.List; the returned Script then holds the statements that parsed.
func ParseScript(src *diag.Source) (script *Script, err error) { return parseScript(src, nil) }

func parseScript(src *diag.Source, vars Vars) (script *Script, err error) {
	script = &Script{Source: src}
	defer recoverInternal(src, &err)
	toks, lerr := lexWith(src, vars)
	if lerr != nil {
		return script, diag.List{lerr}
	}
	p := &parser{src: src, toks: toks}
	var errs diag.List
	for {
		for p.acceptOp(";") {
		}
		if p.tok().kind == tEOF {
			break
		}
		first := p.pos
		stmt := p.parseStmt()
		if p.err == nil && p.tok().kind != tEOF && !p.isOp(";") {
			p.expected(`";"`)
		}
		if p.err != nil {
			errs.Add(p.err)
			p.err = nil
			if t := p.toks[first]; t.isKw("BEGIN") || t.isKw("EXECUTE") && p.toks[first+1].isKw("STATEMENT") {
				// A statement set holds semicolons; resume after its END.
				p.skipPast("END")
			}
			p.skipStatement()
			continue
		}
		script.Stmts = append(script.Stmts, stmt)
	}
	return script, blameUnterminated(src, toks, errs).Err()
}

// blameUnterminated replaces the errors that follow a string literal missing its
// closing quote (see unterminatedString) by one error at that string's opening quote.
func blameUnterminated(src *diag.Source, toks []token, errs diag.List) diag.List {
	for i, e := range errs {
		if d := unterminatedString(src, toks, e); d != nil {
			out := append(diag.List(nil), errs[:i]...)
			for _, prev := range out {
				if prev.Span.Start >= d.Span.Start {
					return errs // an error inside the string: keep them all
				}
			}
			return append(out, d)
		}
	}
	return errs
}

// ParseExpr parses one scalar expression, e.g. a Table API string expression.
func ParseExpr(src *diag.Source) (e Expr, err error) {
	defer recoverInternal(src, &err)
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, diag.List{lerr}
	}
	p := &parser{src: src, toks: toks}
	e = p.parseExpr()
	p.expectEOF()
	if p.err != nil {
		return nil, blameUnterminated(src, toks, diag.List{p.err})
	}
	return e, nil
}

// ParseSelectList parses "a, f(b) AS c, t.*", the argument of a Table API select.
func ParseSelectList(src *diag.Source) (items []*SelectItem, err error) {
	defer recoverInternal(src, &err)
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, diag.List{lerr}
	}
	p := &parser{src: src, toks: toks}
	items = p.parseSelectItems()
	p.expectEOF()
	if p.err != nil {
		return nil, blameUnterminated(src, toks, diag.List{p.err})
	}
	return items, nil
}

// internalErrorMsg starts the message of a diagnostic made from a recovered panic.
// Tests check that no ordinary bad input produces it.
const internalErrorMsg = "internal parser error"

// recoverInternal turns a panic (a bug in this package) into a diagnostic, so that a
// user gets an error instead of a crash.
func recoverInternal(src *diag.Source, err *error) {
	if r := recover(); r != nil {
		*err = diag.List{diag.Errorf(src, diag.Span{}, "%s (please report this bug): %v", internalErrorMsg, r)}
	}
}

// parser is a recursive-descent parser over a token slice.
//
// Errors are sticky: the first error is kept in err and from then on the parser sees
// only end of input, so every loop ends and every function returns quickly. Parse
// functions therefore always return non-nil nodes (placeholders after an error), which
// lets callers compute spans without nil checks.
type parser struct {
	src  *diag.Source
	toks []token
	pos  int
	err  *diag.Diagnostic
	// depth counts nested expressions, queries and types, so that absurdly deep input
	// gets an error instead of exhausting the stack.
	depth int
}

// maxDepth bounds nesting; real queries stay far below it.
const maxDepth = 500

// enter increments the nesting depth; it reports false (after recording an error) when
// the input is nested too deeply. Every successful enter is paired with a leave.
func (p *parser) enter() bool {
	if p.depth >= maxDepth {
		p.errorAt(p.tok().span(), "nesting is too deep (more than %d levels)", maxDepth)
		return false
	}
	p.depth++
	return true
}

func (p *parser) leave() { p.depth-- }

func (p *parser) tok() token {
	if p.err != nil {
		last := p.toks[len(p.toks)-1]
		return token{kind: tEOF, start: last.start, end: last.end}
	}
	return p.toks[p.pos]
}

// peek returns the token n places after the current one.
func (p *parser) peek(n int) token {
	if p.err != nil {
		return p.tok()
	}
	i := p.pos + n
	if i >= len(p.toks) {
		i = len(p.toks) - 1
	}
	return p.toks[i]
}

func (p *parser) advance() token {
	t := p.tok()
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// prevEnd is the end offset of the last consumed token.
func (p *parser) prevEnd() int {
	if p.pos == 0 {
		return 0
	}
	return p.toks[p.pos-1].end
}

func (p *parser) spanFrom(start int) diag.Span {
	end := p.prevEnd()
	if end < start {
		end = start
	}
	return diag.Span{Start: start, End: end}
}

func (p *parser) errorAt(span diag.Span, format string, args ...any) {
	if p.err == nil {
		p.err = diag.Errorf(p.src, span, format, args...)
	}
}

// expected reports that what was expected at the current token.
func (p *parser) expected(what string) {
	t := p.tok()
	p.errorAt(t.span(), "expected %s but found %s", what, p.describe(t))
}

// describe names a token for messages: "FROM", "'abc'", end of input.
func (p *parser) describe(t token) string {
	if t.kind == tEOF {
		return "end of input"
	}
	text := p.src.Text[t.start:t.end]
	if len(text) > 30 {
		text = text[:27] + "..."
	}
	return strconv.Quote(text)
}

// skipStatement skips to just before the next top-level ";" after an error.
func (p *parser) skipStatement() {
	for p.pos < len(p.toks)-1 && !(p.toks[p.pos].kind == tOp && p.toks[p.pos].val == ";") {
		p.pos++
	}
}

// skipPast skips up to and including the next keyword kw that ends a statement (is
// followed by ";" or the end), so that CASE ... END inside the statement does not count.
func (p *parser) skipPast(kw string) {
	for p.pos < len(p.toks)-1 {
		p.pos++
		next := p.toks[p.pos]
		if p.toks[p.pos-1].isKw(kw) && (next.kind == tEOF || next.kind == tOp && next.val == ";") {
			return
		}
	}
}

func (p *parser) expectEOF() {
	if p.tok().kind != tEOF {
		p.expected("end of input")
	}
}

func (p *parser) isOp(op string) bool {
	t := p.tok()
	return t.kind == tOp && t.val == op
}

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expectOp(op string) {
	if !p.acceptOp(op) {
		p.expected(strconv.Quote(op))
	}
}

// expectClose expects the closing token of a comma-separated list.
func (p *parser) expectClose(close string) {
	if !p.acceptOp(close) {
		p.expected(`"," or ` + strconv.Quote(close))
	}
}

func (t token) isKw(kw string) bool { return t.kind == tIdent && t.kw == kw }

func (p *parser) isKw(kw string) bool { return p.tok().isKw(kw) }

func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.advance()
		return true
	}
	return false
}

// acceptKws accepts a sequence of keywords, all or none.
func (p *parser) acceptKws(kws ...string) bool {
	for i, kw := range kws {
		if !p.peek(i).isKw(kw) {
			return false
		}
	}
	for range kws {
		p.advance()
	}
	return true
}

func (p *parser) expectKw(kw string) {
	if !p.acceptKw(kw) {
		p.expected(strconv.Quote(kw))
	}
}

// reservedWords cannot be used as unquoted identifiers: they start or separate
// clauses, so accepting them as names would make the grammar ambiguous. Every other
// keyword (COUNT, HOUR, VALUE, KEY, DATE, ...) is also a valid name where the grammar
// expects one. doc.go lists the same words.
const reservedWords = `
	ALL AND AS BETWEEN BY CASE CAST CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP
	DISTINCT ELSE END ESCAPE EXCEPT EXISTS FALSE FETCH FOR FROM FULL GROUP HAVING IN INNER
	INSERT INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP
	MATCH_RECOGNIZE MINUS NATURAL NOT NULL OFFSET ON OR ORDER OUTER RIGHT SELECT SIMILAR
	TABLE THEN TRUE UNION UNKNOWN USING VALUES WHEN WHERE WINDOW WITH`

var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(reservedWords) {
		reserved[w] = true
	}
}

// isIdent reports whether the current token can be a name.
func (p *parser) isIdent() bool {
	t := p.tok()
	return t.kind == tQuotedIdent || t.kind == tIdent && !reserved[t.kw]
}

func (p *parser) identFrom(t token) Ident {
	return Ident{Name: t.val, Span: t.span()}
}

// parseIdent parses a name; what describes it for the error message.
func (p *parser) parseIdent(what string) Ident {
	if !p.isIdent() {
		t := p.tok()
		if t.kind == tIdent && reserved[t.kw] {
			p.errorAt(t.span(), "expected %s but found reserved word %s (quote it with backticks to use it as a name)", what, p.describe(t))
		} else {
			p.expected(what)
		}
		return Ident{Span: p.tok().span()}
	}
	return p.identFrom(p.advance())
}

// parseName parses ident {"." ident}. After a dot any word is a name, reserved or not.
func (p *parser) parseName(what string) Name {
	first := p.parseIdent(what)
	n := Name{Parts: []Ident{first}, Span: first.Span}
	for p.isOp(".") && isWord(p.peek(1)) {
		p.advance()
		part := p.identFrom(p.advance())
		n.Parts = append(n.Parts, part)
		n.Span = diag.Join(n.Span, part.Span)
	}
	return n
}

func isWord(t token) bool { return t.kind == tIdent || t.kind == tQuotedIdent }

// parseIdentList parses "(" ident {"," ident} ")".
func (p *parser) parseIdentList(what string) []Ident {
	p.expectOp("(")
	var ids []Ident
	for {
		ids = append(ids, p.parseIdent(what))
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectClose(")")
	return ids
}

func (p *parser) parseStringLit(what string) *StringLit {
	t := p.tok()
	if t.kind != tString {
		p.expected(what)
		return &StringLit{Span: t.span()}
	}
	p.advance()
	return &StringLit{Span: t.span(), Value: t.val}
}

// ---- Statements ----

func (p *parser) parseStmt() Stmt {
	t := p.tok()
	switch {
	case t.isKw("CREATE"):
		return p.parseCreate()
	case t.isKw("INSERT"):
		return p.parseInsert()
	case t.isKw("SET"):
		return p.parseSet()
	case t.isKw("EXECUTE"):
		if p.peek(1).isKw("STATEMENT") {
			return p.parseStatementSet()
		}
		if p.peek(1).isKw("INSERT") {
			p.advance()
			return p.parseInsert()
		}
		p.advance()
		p.expected(`"STATEMENT SET" or "INSERT"`)
		return &QueryStmt{Query: &Select{}}
	case t.isKw("BEGIN"):
		return p.parseStatementSet()
	case t.isKw("EXPLAIN"):
		return p.parseExplain()
	case t.isKw("SELECT"), t.isKw("WITH"), t.isKw("VALUES"), t.kind == tOp && t.val == "(":
		q := p.parseQuery()
		return &QueryStmt{Span: p.spanFrom(t.start), Query: q}
	case t.isKw("DROP"), t.isKw("ALTER"), t.isKw("USE"), t.isKw("SHOW"), t.isKw("DESCRIBE"),
		t.isKw("DESC"), t.isKw("RESET"), t.isKw("LOAD"), t.isKw("UNLOAD"), t.isKw("ADD"),
		t.isKw("REMOVE"), t.isKw("TRUNCATE"), t.isKw("DELETE"), t.isKw("UPDATE"), t.isKw("ANALYZE"),
		t.isKw("REPLACE"):
		p.errorAt(t.span(), "%s statements are not supported in a job", strings.ToUpper(t.val))
		return &QueryStmt{Query: &Select{}}
	}
	p.expected("a statement (CREATE, INSERT, SET, EXECUTE STATEMENT SET, EXPLAIN or a query)")
	return &QueryStmt{Query: &Select{}}
}

func (p *parser) parseCreate() Stmt {
	start := p.advance().start // CREATE
	if p.isKw("OR") {
		p.errorAt(p.tok().span(), "CREATE OR REPLACE is not supported")
		return &QueryStmt{Query: &Select{}}
	}
	temporary := p.acceptKw("TEMPORARY")
	system := p.acceptKw("SYSTEM")
	switch {
	case p.isKw("TABLE") && !system:
		return p.parseCreateTable(start, temporary)
	case p.isKw("VIEW") && !system:
		return p.parseCreateView(start, temporary)
	case p.isKw("FUNCTION"):
		return p.parseCreateFunction(start, temporary, system)
	case p.isKw("CATALOG"), p.isKw("DATABASE"), p.isKw("MODEL"):
		p.errorAt(p.tok().span(), "CREATE %s is not supported in a job", p.tok().kw)
		return &QueryStmt{Query: &Select{}}
	}
	if system {
		p.expected(`"FUNCTION"`)
	} else {
		p.expected(`"TABLE", "VIEW" or "FUNCTION"`)
	}
	return &QueryStmt{Query: &Select{}}
}

func (p *parser) parseIfNotExists() bool {
	return p.acceptKws("IF", "NOT", "EXISTS")
}

func (p *parser) parseCreateTable(start int, temporary bool) *CreateTable {
	p.advance() // TABLE
	ct := &CreateTable{Temporary: temporary}
	ct.IfNotExists = p.parseIfNotExists()
	ct.Name = p.parseName("a table name")
	if p.isKw("AS") {
		p.errorAt(p.tok().span(), "CREATE TABLE ... AS SELECT is not supported; declare the table and use INSERT INTO")
		return ct
	}
	if p.isKw("LIKE") {
		// CREATE TABLE t LIKE other: kept for the binder's positioned error.
		p.advance()
		like := p.parseName("a table name")
		ct.Like = &like
	}
	// The column list may be omitted only with a trailing LIKE clause (checked below).
	noColumns := p.tok()
	hasColumns := ct.Like == nil && p.isOp("(")
	if hasColumns {
		p.advance()
		for p.err == nil {
			p.parseTableElement(ct)
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectClose(")")
	}
	if p.acceptKw("COMMENT") {
		ct.Comment = p.parseStringLit("a comment string")
	}
	if p.isKw("DISTRIBUTED") {
		p.errorAt(p.tok().span(), "DISTRIBUTED BY is not supported")
		return ct
	}
	if p.acceptKws("PARTITIONED", "BY") {
		ct.PartitionedBy = p.parseIdentList("a partition column")
	}
	if p.acceptKw("WITH") {
		ct.Options = p.parseOptionList()
	}
	if ct.Like == nil && p.isKw("LIKE") {
		p.advance()
		like := p.parseName("a table name")
		ct.Like = &like
		if p.isOp("(") {
			p.skipParens()
		}
	}
	if !hasColumns && ct.Like == nil && p.err == nil {
		p.errorAt(noColumns.span(), "expected \"(\" but found %s", p.describe(noColumns))
	}
	ct.Span = p.spanFrom(start)
	return ct
}

// skipParens skips a balanced parenthesized token sequence.
func (p *parser) skipParens() {
	depth := 0
	for p.err == nil {
		t := p.advance()
		switch {
		case t.kind == tEOF:
			p.expected(`")"`)
			return
		case t.kind == tOp && t.val == "(":
			depth++
		case t.kind == tOp && t.val == ")":
			depth--
			if depth == 0 {
				return
			}
		}
	}
}

// parseTableElement parses a column, WATERMARK, or table constraint.
func (p *parser) parseTableElement(ct *CreateTable) {
	t := p.tok()
	switch {
	case t.isKw("WATERMARK") && p.peek(1).isKw("FOR"):
		p.advance()
		p.advance()
		wm := &WatermarkDef{Column: p.parseName("a column name")}
		p.expectKw("AS")
		wm.Expr = p.parseExpr()
		wm.Span = p.spanFrom(t.start)
		if ct.Watermark != nil {
			p.errorAt(wm.Span, "a table can have only one WATERMARK")
		}
		ct.Watermark = wm
		return
	case t.isKw("CONSTRAINT") || t.isKw("PRIMARY") && p.peek(1).isKw("KEY"):
		if p.acceptKw("CONSTRAINT") {
			p.parseIdent("a constraint name")
		}
		if p.isKw("UNIQUE") {
			p.errorAt(p.tok().span(), "UNIQUE constraints are not supported; use PRIMARY KEY (...) NOT ENFORCED")
			return
		}
		p.expectKw("PRIMARY")
		p.expectKw("KEY")
		pk := &PrimaryKeyDef{Columns: p.parseIdentList("a column name")}
		pk.NotEnforced = p.acceptKws("NOT", "ENFORCED")
		pk.Span = p.spanFrom(t.start)
		if ct.PrimaryKey != nil {
			p.errorAt(pk.Span, "a table can have only one PRIMARY KEY")
		}
		ct.PrimaryKey = pk
		return
	case t.isKw("PERIOD") && p.peek(1).isKw("FOR"), t.isKw("FOREIGN") && p.peek(1).isKw("KEY"),
		(t.isKw("UNIQUE") || t.isKw("CHECK")) && p.peek(1).kind == tOp && p.peek(1).val == "(":
		p.errorAt(t.span(), "%s is not supported in CREATE TABLE", t.kw)
		return
	}
	col := &ColumnDef{Name: p.parseIdent("a column name")}
	if p.acceptKw("AS") {
		col.Kind = ComputedColumn
		col.Expr = p.parseExpr()
	} else {
		col.Type = p.parseType()
		if p.acceptKw("METADATA") {
			col.Kind = MetadataColumn
			if p.acceptKw("FROM") {
				col.MetadataKey = p.parseStringLit("a metadata key string")
			}
			col.Virtual = p.acceptKw("VIRTUAL")
		}
	}
	if p.isKw("CONSTRAINT") || p.isKw("PRIMARY") {
		pkStart := p.tok().start
		if p.acceptKw("CONSTRAINT") {
			p.parseIdent("a constraint name")
		}
		p.expectKw("PRIMARY")
		p.expectKw("KEY")
		col.PrimaryKey = true
		notEnforced := p.acceptKws("NOT", "ENFORCED")
		pk := &PrimaryKeyDef{Columns: []Ident{col.Name}, NotEnforced: notEnforced, Span: p.spanFrom(pkStart)}
		if ct.PrimaryKey != nil {
			p.errorAt(pk.Span, "a table can have only one PRIMARY KEY")
		}
		ct.PrimaryKey = pk
	}
	if p.acceptKw("COMMENT") {
		col.Comment = p.parseStringLit("a comment string")
	}
	col.Span = p.spanFrom(t.start)
	ct.Columns = append(ct.Columns, col)
}

// parseOptionList parses "(" 'k' = 'v' {"," 'k' = 'v'} ")".
func (p *parser) parseOptionList() []*Option {
	p.expectOp("(")
	var opts []*Option
	if p.acceptOp(")") {
		return opts
	}
	for p.err == nil {
		opts = append(opts, p.parseOption())
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectClose(")")
	return opts
}

func (p *parser) parseOption() *Option {
	start := p.tok().start
	o := &Option{Key: p.parseStringLit("an option key string like 'connector'")}
	p.expectOp("=")
	o.Value = p.parseOptionValue()
	o.Span = p.spanFrom(start)
	return o
}

// parseOptionValue parses the value of an option. Flink wants a string; numbers and
// TRUE/FALSE are taken as their text too, as the SQL client does.
func (p *parser) parseOptionValue() *StringLit {
	t := p.tok()
	if t.kind == tNumber || t.isKw("TRUE") || t.isKw("FALSE") {
		p.advance()
		return &StringLit{Span: t.span(), Value: strings.ToLower(t.val)}
	}
	return p.parseStringLit("an option value string")
}

func (p *parser) parseCreateView(start int, temporary bool) *CreateView {
	p.advance() // VIEW
	cv := &CreateView{Temporary: temporary}
	cv.IfNotExists = p.parseIfNotExists()
	cv.Name = p.parseName("a view name")
	if p.isOp("(") {
		cv.Columns = p.parseIdentList("a column name")
	}
	if p.isKw("COMMENT") {
		p.advance()
		p.parseStringLit("a comment string")
	}
	p.expectKw("AS")
	cv.Query = p.parseQuery()
	cv.Span = p.spanFrom(start)
	return cv
}

func (p *parser) parseCreateFunction(start int, temporary, system bool) *CreateFunction {
	p.advance() // FUNCTION
	cf := &CreateFunction{Temporary: temporary, System: system}
	cf.IfNotExists = p.parseIfNotExists()
	cf.Name = p.parseName("a function name")
	p.expectKw("AS")
	cf.Class = p.parseStringLit("a string naming the function, like 'example.com/pkg.Func'")
	if p.acceptKw("LANGUAGE") {
		t := p.tok()
		if !isWord(t) {
			p.expected("a language (GO, JAVA, SCALA or PYTHON)")
		} else {
			p.advance()
			lang := Ident{Name: strings.ToUpper(t.val), Span: t.span()}
			cf.Language = &lang
		}
	}
	if p.isKw("USING") {
		p.errorAt(p.tok().span(), "CREATE FUNCTION ... USING JAR is not supported")
	}
	if p.acceptKw("WITH") {
		cf.With = p.parseOptionList()
	}
	cf.Span = p.spanFrom(start)
	return cf
}

// parseSet parses SET 'k' = 'v' and SET key = value, where the bare key and value are
// taken verbatim from the source (they may contain dots and dashes).
func (p *parser) parseSet() *Set {
	start := p.advance().start // SET
	s := &Set{}
	if p.tok().kind == tString {
		s.Option = p.parseOption()
		s.Span = p.spanFrom(start)
		return s
	}
	if p.tok().kind == tEOF || p.isOp(";") {
		p.errorAt(p.tok().span(), "SET without a key lists the configuration in the SQL client; a job needs SET 'key' = 'value'")
		return s
	}
	keyStart := p.tok().start
	for p.tok().kind != tEOF && !p.isOp("=") && !p.isOp(";") {
		p.advance()
	}
	keySpan := p.spanFrom(keyStart)
	key := strings.TrimSpace(p.src.Text[keySpan.Start:keySpan.End])
	p.expectOp("=")
	if p.err != nil {
		return s
	}
	var value *StringLit
	if p.tok().kind == tString && (p.peek(1).kind == tEOF || p.peek(1).kind == tOp && p.peek(1).val == ";") {
		value = p.parseStringLit("a value")
	} else {
		valStart := p.tok().start
		for p.tok().kind != tEOF && !p.isOp(";") {
			p.advance()
		}
		valSpan := p.spanFrom(valStart)
		if valSpan.End <= valSpan.Start {
			p.expected("a value")
			return s
		}
		value = &StringLit{Span: valSpan, Value: p.src.Text[valSpan.Start:valSpan.End]}
	}
	s.Option = &Option{Key: &StringLit{Span: keySpan, Value: key}, Value: value}
	s.Option.Span = p.spanFrom(keyStart)
	s.Span = p.spanFrom(start)
	return s
}

func (p *parser) parseInsert() *Insert {
	start := p.advance().start // INSERT
	ins := &Insert{}
	switch {
	case p.acceptKw("INTO"):
	case p.acceptKw("OVERWRITE"):
		ins.Overwrite = true
	default:
		p.expected(`"INTO" or "OVERWRITE"`)
		return ins
	}
	ins.Table = p.parseName("a table name")
	if p.isKw("PARTITION") {
		p.errorAt(p.tok().span(), "INSERT ... PARTITION (...) is not supported")
		return ins
	}
	if p.tok().kind == tHintStart {
		ins.Options = p.parseTableHints()
	}
	if p.isOp("(") && !p.startsQuery(1) {
		ins.Columns = p.parseIdentList("a column name")
	}
	ins.Query = p.parseQuery()
	ins.Span = p.spanFrom(start)
	return ins
}

// startsQuery reports whether the token n places ahead can start a query.
func (p *parser) startsQuery(n int) bool {
	t := p.peek(n)
	return t.isKw("SELECT") || t.isKw("WITH") || t.isKw("VALUES") || t.kind == tOp && t.val == "("
}

// parseTableHints parses /*+ OPTIONS('k'='v', ...) [other hints] */ after a table name.
// Hints other than OPTIONS only steer Flink's planner, so they are parsed and ignored.
func (p *parser) parseTableHints() []*Option {
	p.advance() // /*+
	var opts []*Option
	for p.err == nil {
		t := p.tok()
		if !isWord(t) {
			p.expected("a hint name like OPTIONS")
			break
		}
		p.advance()
		if t.isKw("OPTIONS") {
			opts = append(opts, p.parseOptionList()...)
		} else if p.isOp("(") {
			p.skipParens()
		}
		if !p.acceptOp(",") {
			break
		}
	}
	if p.tok().kind != tHintEnd {
		p.expected(`"*/"`)
	}
	p.advance()
	return opts
}

// skipQueryHints skips /*+ ... */ after SELECT (join and state hints, which only steer
// Flink's planner).
func (p *parser) skipQueryHints() {
	for p.tok().kind != tHintEnd && p.tok().kind != tEOF {
		p.advance()
	}
	if p.tok().kind != tHintEnd {
		p.expected(`"*/"`)
	}
	p.advance()
}

// parseStatementSet parses EXECUTE STATEMENT SET BEGIN ins; ... END and
// BEGIN STATEMENT SET; ins; ... END.
func (p *parser) parseStatementSet() *StatementSet {
	start := p.tok().start
	ss := &StatementSet{}
	if p.acceptKw("EXECUTE") {
		p.expectKw("STATEMENT")
		p.expectKw("SET")
		p.expectKw("BEGIN")
	} else {
		p.expectKw("BEGIN")
		p.expectKw("STATEMENT")
		p.expectKw("SET")
		p.expectOp(";")
	}
	for p.err == nil {
		for p.acceptOp(";") {
		}
		if p.acceptKw("END") {
			break
		}
		if !p.isKw("INSERT") {
			p.expected(`"INSERT" or "END" (a statement set holds only INSERT statements)`)
			break
		}
		ss.Inserts = append(ss.Inserts, p.parseInsert())
		if !p.isKw("END") {
			p.expectOp(";")
		}
	}
	ss.Span = p.spanFrom(start)
	return ss
}

var explainDetails = map[string]bool{
	"ESTIMATED_COST": true, "CHANGELOG_MODE": true, "JSON_EXECUTION_PLAN": true, "PLAN_ADVICE": true,
}

func (p *parser) parseExplain() *Explain {
	start := p.advance().start // EXPLAIN
	if !p.acceptKws("PLAN", "FOR") {
		for p.tok().kind == tIdent && explainDetails[p.tok().kw] {
			p.advance()
			if !p.acceptOp(",") {
				break
			}
		}
	}
	ex := &Explain{}
	if p.isKw("EXPLAIN") {
		p.expected("a statement to explain")
		return ex
	}
	ex.Stmt = p.parseStmt()
	ex.Span = p.spanFrom(start)
	return ex
}

// ---- Types ----

// simpleTypes maps type keywords to their normalized name.
var simpleTypes = map[string]string{
	"BOOLEAN": "BOOLEAN", "BOOL": "BOOLEAN", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT",
	"INT": "INT", "INTEGER": "INT", "BIGINT": "BIGINT", "FLOAT": "FLOAT", "REAL": "FLOAT",
	"DOUBLE": "DOUBLE", "DECIMAL": "DECIMAL", "DEC": "DECIMAL", "NUMERIC": "DECIMAL",
	"CHAR": "CHAR", "CHARACTER": "CHAR", "VARCHAR": "VARCHAR", "STRING": "STRING",
	"BINARY": "BINARY", "VARBINARY": "VARBINARY", "BYTES": "BYTES", "DATE": "DATE",
	"TIME": "TIME", "TIMESTAMP": "TIMESTAMP", "TIMESTAMP_LTZ": "TIMESTAMP_LTZ",
}

// parseType parses a data type with its nullability.
func (p *parser) parseType() *TypeName {
	t := p.tok()
	tn := &TypeName{}
	if !p.enter() {
		tn.Span = t.span()
		return tn
	}
	defer p.leave()
	switch {
	case t.kind == tIdent && (t.kw == "ROW" || t.kw == "ARRAY" || t.kw == "MAP" || t.kw == "MULTISET"):
		p.advance()
		tn.Name = t.kw
		p.parseCompositeType(tn)
	case t.isKw("INTERVAL"):
		p.advance()
		tn.Name = "INTERVAL"
		tn.IntervalUnit = p.parseIntervalQualifierText()
	case t.kind == tIdent && simpleTypes[t.kw] != "":
		p.advance()
		tn.Name = simpleTypes[t.kw]
		switch {
		case tn.Name == "DOUBLE":
			p.acceptKw("PRECISION")
		case tn.Name == "CHAR" || tn.Name == "BINARY":
			if p.acceptKw("VARYING") {
				tn.Name = "VAR" + tn.Name
			}
		}
		if p.isOp("(") {
			tn.Params = p.parseTypeParams()
		}
		if tn.Name == "TIMESTAMP" || tn.Name == "TIME" {
			switch {
			case p.acceptKws("WITH", "LOCAL", "TIME", "ZONE"):
				if tn.Name == "TIME" {
					p.errorAt(p.spanFrom(t.start), "TIME WITH LOCAL TIME ZONE is not supported")
				}
				tn.Name = "TIMESTAMP_LTZ"
			case p.acceptKws("WITHOUT", "TIME", "ZONE"):
			case p.isKw("WITH") && p.peek(1).isKw("TIME"):
				p.errorAt(p.tok().span(), "%s WITH TIME ZONE is not supported; use TIMESTAMP_LTZ", tn.Name)
			}
		}
	case p.isIdent():
		// RAW, a user-defined type, a typo: the binder reports it with its position.
		n := p.parseName("a type name")
		parts := make([]string, len(n.Parts))
		for i, part := range n.Parts {
			parts[i] = part.Name
		}
		tn.Name = strings.Join(parts, ".")
		if len(n.Parts) == 1 && t.kind == tIdent {
			tn.Name = t.kw
		}
		if p.isOp("(") {
			tn.Params = p.parseTypeParams()
		}
	default:
		p.expected("a data type")
		tn.Span = t.span()
		return tn
	}
	if p.acceptKws("NOT", "NULL") {
		tn.NotNull = true
	} else {
		p.acceptKw("NULL")
	}
	tn.Span = p.spanFrom(t.start)
	return tn
}

// parseTypeParams parses "(" int {"," int} ")".
func (p *parser) parseTypeParams() []int {
	p.expectOp("(")
	var params []int
	for p.err == nil {
		t := p.tok()
		n, err := strconv.Atoi(t.val)
		if t.kind != tNumber || err != nil || n < 0 {
			p.expected("a non-negative integer")
			break
		}
		p.advance()
		params = append(params, n)
		if !p.acceptOp(",") {
			break
		}
	}
	p.expectClose(")")
	return params
}

// parseCompositeType parses the <...> or (...) part of ROW, ARRAY, MAP and MULTISET.
func (p *parser) parseCompositeType(tn *TypeName) {
	if tn.Name == "ROW" {
		if p.acceptOp("<>") { // ROW<>: "<>" lexes as one token
			return
		}
		closer := ">"
		if p.acceptOp("(") {
			closer = ")"
		} else {
			p.expectOp("<")
		}
		if p.acceptOp(closer) {
			return
		}
		for p.err == nil {
			f := &RowField{Name: p.parseIdent("a field name")}
			f.Type = p.parseType()
			if p.tok().kind == tString { // field description
				p.advance()
			}
			tn.Fields = append(tn.Fields, f)
			if !p.acceptOp(",") {
				break
			}
		}
		p.expectClose(closer)
		return
	}
	p.expectOp("<")
	tn.Elem = p.parseType()
	if tn.Name == "MAP" {
		p.expectOp(",")
		tn.Value = p.parseType()
	}
	p.expectOp(">")
}

var intervalUnits = map[string]bool{
	"YEAR": true, "MONTH": true, "DAY": true, "HOUR": true, "MINUTE": true, "SECOND": true,
}

// unitName normalizes plural unit words (SECONDS) to the singular.
func unitName(t token) (string, bool) {
	if t.kind != tIdent {
		return "", false
	}
	u := t.kw
	if intervalUnits[u] {
		return u, true
	}
	if strings.HasSuffix(u, "S") && intervalUnits[u[:len(u)-1]] {
		return u[:len(u)-1], true
	}
	return "", false
}

// parseIntervalQualifier parses unit[(p)] [TO unit[(p)]].
func (p *parser) parseIntervalQualifier() (from, to string) {
	u, ok := unitName(p.tok())
	if !ok {
		p.expected("a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)")
		return "", ""
	}
	p.advance()
	from = u
	if p.isOp("(") {
		p.parseTypeParams()
	}
	if p.acceptKw("TO") {
		u, ok := unitName(p.tok())
		if !ok {
			p.expected("a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)")
			return from, ""
		}
		p.advance()
		to = u
		if p.isOp("(") {
			p.parseTypeParams()
		}
	}
	return from, to
}

func (p *parser) parseIntervalQualifierText() string {
	from, to := p.parseIntervalQualifier()
	if to != "" {
		return from + " TO " + to
	}
	return from
}

// ---- Queries ----

// parseQuery parses [WITH ...] set-expression [ORDER BY ...] [LIMIT n].
func (p *parser) parseQuery() Query {
	start := p.tok().start
	if !p.enter() {
		return &Select{Span: p.tok().span()}
	}
	defer p.leave()
	if p.acceptKw("WITH") {
		w := &With{}
		for p.err == nil {
			cte := &CTE{Name: p.parseIdent("a name for the WITH query")}
			if p.isOp("(") {
				cte.Columns = p.parseIdentList("a column name")
			}
			p.expectKw("AS")
			p.expectOp("(")
			cte.Query = p.parseQuery()
			p.expectOp(")")
			w.CTEs = append(w.CTEs, cte)
			if !p.acceptOp(",") {
				break
			}
		}
		w.Body = p.parseQuery()
		w.Span = p.spanFrom(start)
		return w
	}
	q := p.parseSetExpr(0)
	p.parseOrderLimit(q)
	return q
}

// parseOrderLimit attaches ORDER BY and LIMIT/FETCH to the query they follow.
func (p *parser) parseOrderLimit(q Query) {
	if !p.isKw("ORDER") && !p.isKw("LIMIT") && !p.isKw("FETCH") && !p.isKw("OFFSET") {
		return
	}
	sel, ok := q.(*Select)
	if !ok || sel.OrderBy != nil || sel.Limit != nil {
		what := p.tok().kw
		if what == "ORDER" {
			what = "ORDER BY"
		}
		p.errorAt(p.tok().span(), "%s is supported only directly after a SELECT, not after a set operation or another ORDER BY", what)
		return
	}
	if p.acceptKw("ORDER") {
		p.expectKw("BY")
		sel.OrderBy = p.parseOrderItems()
	}
	switch {
	case p.acceptKw("LIMIT"):
		sel.Limit = p.parseExpr()
	case p.isKw("OFFSET"):
		p.errorAt(p.tok().span(), "OFFSET is not supported")
	case p.acceptKw("FETCH"):
		if !p.acceptKw("FIRST") {
			p.expectKw("NEXT")
		}
		sel.Limit = p.parseExpr()
		if !p.acceptKw("ROWS") {
			p.expectKw("ROW")
		}
		p.expectKw("ONLY")
	}
	if p.isKw("OFFSET") {
		p.errorAt(p.tok().span(), "OFFSET is not supported")
	}
	sel.Span = p.spanFrom(sel.Span.Start)
}

// parseSetExpr parses UNION/EXCEPT (level 0) over INTERSECT (level 1) over query terms.
func (p *parser) parseSetExpr(level int) Query {
	var left Query
	if level == 0 {
		left = p.parseSetExpr(1)
	} else {
		left = p.parseQueryTerm()
	}
	for p.err == nil {
		t := p.tok()
		var op string
		switch {
		case level == 0 && (t.isKw("UNION") || t.isKw("EXCEPT")):
			op = t.kw
		case level == 0 && t.isKw("MINUS"):
			op = "EXCEPT"
		case level == 1 && t.isKw("INTERSECT"):
			op = "INTERSECT"
		default:
			return left
		}
		p.advance()
		all := p.acceptKw("ALL")
		if !all {
			p.acceptKw("DISTINCT")
		}
		var right Query
		if level == 0 {
			right = p.parseSetExpr(1)
		} else {
			right = p.parseQueryTerm()
		}
		left = &SetOp{Op: op, All: all, Left: left, Right: right,
			Span: diag.Join(left.QuerySpan(), right.QuerySpan())}
	}
	return left
}

// parseQueryTerm parses SELECT, VALUES or a parenthesized query.
func (p *parser) parseQueryTerm() Query {
	t := p.tok()
	switch {
	case t.isKw("SELECT"):
		return p.parseSelect()
	case t.isKw("VALUES"):
		return p.parseValues()
	case t.kind == tOp && t.val == "(":
		p.advance()
		q := p.parseQuery()
		p.expectOp(")")
		return q
	}
	p.expected(`a query (SELECT, VALUES or WITH)`)
	return &Select{Span: t.span()}
}

func (p *parser) parseValues() *Values {
	start := p.advance().start // VALUES
	v := &Values{}
	for p.err == nil {
		if p.isOp("(") {
			p.advance()
			var row []Expr
			for p.err == nil {
				row = append(row, p.parseExpr())
				if !p.acceptOp(",") {
					break
				}
			}
			p.expectClose(")")
			v.Rows = append(v.Rows, row)
		} else {
			v.Rows = append(v.Rows, []Expr{p.parseExpr()})
		}
		if !p.acceptOp(",") {
			break
		}
	}
	v.Span = p.spanFrom(start)
	return v
}

func (p *parser) parseSelect() *Select {
	start := p.advance().start // SELECT
	s := &Select{}
	if p.tok().kind == tHintStart {
		p.skipQueryHints()
	}
	if p.acceptKw("DISTINCT") {
		s.Distinct = true
	} else {
		p.acceptKw("ALL")
	}
	s.Items = p.parseSelectItems()
	if p.acceptKw("FROM") {
		s.From = p.parseFrom()
	}
	if p.acceptKw("WHERE") {
		s.Where = p.parseExpr()
	}
	if p.isKw("GROUP") {
		p.advance()
		p.expectKw("BY")
		s.GroupBy = p.parseGroupBy()
	}
	if p.acceptKw("HAVING") {
		s.Having = p.parseExpr()
	}
	if p.isKw("WINDOW") {
		p.errorAt(p.tok().span(), "named windows (WINDOW w AS ...) are not supported; write the OVER (...) clause inline")
	}
	s.Span = p.spanFrom(start)
	return s
}

func (p *parser) parseGroupBy() []Expr {
	var list []Expr
	for p.err == nil {
		t := p.tok()
		switch {
		case t.isKw("GROUPING") && p.peek(1).isKw("SETS"),
			(t.isKw("ROLLUP") || t.isKw("CUBE")) && p.peek(1).kind == tOp && p.peek(1).val == "(":
			what := t.kw
			if what == "GROUPING" {
				what = "GROUPING SETS"
			}
			p.errorAt(t.span(), "%s is not supported", what)
			return list
		}
		list = append(list, p.parseExpr())
		if !p.acceptOp(",") {
			break
		}
	}
	return list
}

func (p *parser) parseSelectItems() []*SelectItem {
	var items []*SelectItem
	for p.err == nil {
		items = append(items, p.parseSelectItem())
		if !p.acceptOp(",") {
			break
		}
	}
	return items
}

func (p *parser) parseSelectItem() *SelectItem {
	start := p.tok().start
	if p.acceptOp("*") {
		return &SelectItem{Star: true, Span: p.spanFrom(start)}
	}
	// qualifier.*: words separated by dots, ending in ".*".
	n := 0
	for isWord(p.peek(n)) && p.peek(n+1).kind == tOp && p.peek(n+1).val == "." {
		n += 2
	}
	if n > 0 && p.peek(n).kind == tOp && p.peek(n).val == "*" {
		qual := p.parseName("a table name")
		p.expectOp(".")
		p.expectOp("*")
		return &SelectItem{Star: true, Qual: &qual, Span: p.spanFrom(start)}
	}
	item := &SelectItem{Expr: p.parseExpr()}
	item.Alias = p.parseOptAlias()
	item.Span = p.spanFrom(start)
	return item
}

// parseOptAlias parses [AS] alias; without AS the alias cannot be a reserved word.
func (p *parser) parseOptAlias() *Ident {
	if p.acceptKw("AS") {
		id := p.parseIdent("an alias")
		return &id
	}
	if p.isIdent() {
		id := p.identFrom(p.advance())
		return &id
	}
	return nil
}

// parseFrom parses table expressions separated by commas (weaker than JOIN).
func (p *parser) parseFrom() TableExpr {
	left := p.parseJoins()
	for p.acceptOp(",") {
		lateral := p.isKw("LATERAL")
		right := p.parseTablePrimary()
		left = &Join{Kind: "CROSS", Comma: true, Lateral: lateral, Left: left, Right: right,
			Span: diag.Join(left.TableSpan(), right.TableSpan())}
		left = p.parseJoinsFrom(left)
	}
	return left
}

func (p *parser) parseJoins() TableExpr {
	return p.parseJoinsFrom(p.parseTablePrimary())
}

func (p *parser) parseJoinsFrom(left TableExpr) TableExpr {
	for p.err == nil {
		t := p.tok()
		var kind string
		switch {
		case t.isKw("JOIN"):
			kind = "INNER"
		case t.isKw("INNER") && p.peek(1).isKw("JOIN"):
			kind = "INNER"
			p.advance()
		case (t.isKw("LEFT") || t.isKw("RIGHT") || t.isKw("FULL")) &&
			(p.peek(1).isKw("JOIN") || p.peek(1).isKw("OUTER")):
			kind = t.kw
			p.advance()
			p.acceptKw("OUTER")
		case t.isKw("CROSS") && p.peek(1).isKw("JOIN"):
			kind = "CROSS"
			p.advance()
		case t.isKw("NATURAL"):
			p.errorAt(t.span(), "NATURAL JOIN is not supported; use JOIN ... USING (...)")
			return left
		case t.isKw("CROSS") && p.peek(1).isKw("APPLY"), t.isKw("OUTER") && p.peek(1).isKw("APPLY"):
			p.errorAt(t.span(), "APPLY is not supported; use JOIN LATERAL TABLE(...)")
			return left
		case t.isKw("INNER") || t.isKw("LEFT") || t.isKw("RIGHT") || t.isKw("FULL") || t.isKw("CROSS"):
			p.advance()
			p.expected(`"JOIN"`)
			return left
		default:
			return left
		}
		p.expectKw("JOIN")
		lateral := p.isKw("LATERAL")
		right := p.parseTablePrimary()
		j := &Join{Kind: kind, Lateral: lateral, Left: left, Right: right}
		if kind != "CROSS" {
			switch {
			case p.acceptKw("ON"):
				j.On = p.parseExpr()
			case p.acceptKw("USING"):
				j.Using = p.parseIdentList("a column name")
			default:
				p.expected(`"ON" or "USING"`)
			}
		}
		j.Span = diag.Join(left.TableSpan(), p.spanFrom(left.TableSpan().Start))
		left = j
	}
	return left
}

// parseTablePrimary parses one table reference of a FROM clause.
func (p *parser) parseTablePrimary() TableExpr {
	t := p.tok()
	if !p.enter() {
		return &TableRef{Span: t.span()}
	}
	defer p.leave()
	lateral := p.acceptKw("LATERAL")
	switch {
	case p.isKw("TABLE") && p.peek(1).kind == tOp && p.peek(1).val == "(":
		p.advance()
		p.advance()
		tf := &TableFunc{Lateral: lateral}
		tf.Call = p.parseTableFuncCall()
		p.expectOp(")")
		tf.Alias, tf.Columns = p.parseTableAlias()
		tf.Span = p.spanFrom(t.start)
		return tf
	case p.isKw("UNNEST") && p.peek(1).kind == tOp && p.peek(1).val == "(":
		// UNNEST(array) becomes a TableFunc calling UNNEST; the binder decides.
		call := p.parseTableFuncCall()
		if p.isKw("WITH") && p.peek(1).isKw("ORDINALITY") {
			p.errorAt(p.tok().span(), "WITH ORDINALITY is not supported")
		}
		tf := &TableFunc{Lateral: lateral, Call: call}
		tf.Alias, tf.Columns = p.parseTableAlias()
		tf.Span = p.spanFrom(t.start)
		return tf
	case p.isOp("("):
		if p.startsQuery(1) && !(p.peek(1).kind == tOp && p.peek(1).val == "(" && !p.parenStartsQuery(1)) {
			p.advance()
			sq := &Subquery{Query: p.parseQuery()}
			p.expectOp(")")
			sq.Alias, sq.Columns = p.parseTableAlias()
			sq.Span = p.spanFrom(t.start)
			return sq
		}
		if lateral {
			p.expected("a subquery or TABLE(...) after LATERAL")
			return &TableRef{Span: t.span()}
		}
		// A parenthesized join.
		p.advance()
		inner := p.parseFrom()
		p.expectOp(")")
		return inner
	}
	if lateral {
		p.expected(`"TABLE(...)" or a subquery after LATERAL`)
		return &TableRef{Span: t.span()}
	}
	if !p.isIdent() {
		p.parseIdent("a table name")
		return &TableRef{Span: t.span()}
	}
	ref := &TableRef{Name: p.parseName("a table name")}
	if p.tok().kind == tHintStart {
		ref.Options = p.parseTableHints()
	}
	if p.isKw("FOR") {
		p.advance()
		p.expectKw("SYSTEM_TIME")
		p.expectKw("AS")
		p.expectKw("OF")
		ref.SystemTime = p.parseAdditive()
	}
	if p.isKw("MATCH_RECOGNIZE") || p.isKw("TABLESAMPLE") {
		p.errorAt(p.tok().span(), "%s is not supported", p.tok().kw)
	}
	ref.Alias, ref.Columns = p.parseTableAlias()
	ref.Span = p.spanFrom(t.start)
	return ref
}

// parenStartsQuery reports whether the "(" n places ahead, possibly nested, opens a query.
func (p *parser) parenStartsQuery(n int) bool {
	for limit := n + maxDepth; p.peek(n).kind == tOp && p.peek(n).val == "(" && n < limit; n++ {
	}
	t := p.peek(n)
	return t.isKw("SELECT") || t.isKw("WITH") || t.isKw("VALUES")
}

// parseTableFuncCall parses f(args) inside TABLE(...).
func (p *parser) parseTableFuncCall() *FuncCall {
	start := p.tok().start
	if !isWord(p.tok()) {
		p.expected("a function call")
		return &FuncCall{Span: p.tok().span()}
	}
	name := p.parseNameAnyWord()
	if !p.isOp("(") {
		p.expected(`"("`)
		return &FuncCall{Name: name, Span: name.Span}
	}
	return p.parseCallArgs(start, name)
}

// parseNameAnyWord parses a dotted name whose first part may be a keyword (function names).
func (p *parser) parseNameAnyWord() Name {
	first := p.identFrom(p.advance())
	n := Name{Parts: []Ident{first}, Span: first.Span}
	for p.isOp(".") && isWord(p.peek(1)) {
		p.advance()
		part := p.identFrom(p.advance())
		n.Parts = append(n.Parts, part)
		n.Span = diag.Join(n.Span, part.Span)
	}
	return n
}

// parseTableAlias parses [[AS] alias [(cols)]].
func (p *parser) parseTableAlias() (*Ident, []Ident) {
	alias := p.parseOptAlias()
	if alias == nil {
		return nil, nil
	}
	var cols []Ident
	if p.isOp("(") {
		cols = p.parseIdentList("a column name")
	}
	return alias, cols
}

func (p *parser) parseOrderItems() []*OrderItem {
	var items []*OrderItem
	for p.err == nil {
		it := &OrderItem{Expr: p.parseExpr()}
		if p.acceptKw("DESC") {
			it.Desc = true
		} else {
			p.acceptKw("ASC")
		}
		if p.isKw("NULLS") {
			p.errorAt(p.tok().span(), "NULLS FIRST/LAST is not supported")
		}
		items = append(items, it)
		if !p.acceptOp(",") {
			break
		}
	}
	return items
}

// ---- Expressions ----

func (p *parser) parseExpr() Expr {
	if !p.enter() {
		return p.badExpr(p.tok())
	}
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	for p.isKw("OR") {
		p.advance()
		y := p.parseAnd()
		x = &Binary{Op: "OR", X: x, Y: y, Span: diag.Join(x.ExprSpan(), y.ExprSpan())}
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseNot()
	for p.isKw("AND") {
		p.advance()
		y := p.parseNot()
		x = &Binary{Op: "AND", X: x, Y: y, Span: diag.Join(x.ExprSpan(), y.ExprSpan())}
	}
	return x
}

func (p *parser) parseNot() Expr {
	if p.isKw("NOT") {
		if !p.enter() {
			return p.badExpr(p.tok())
		}
		defer p.leave()
		start := p.advance().start
		x := p.parseNot()
		return &Unary{Op: "NOT", X: x, Span: p.spanFrom(start)}
	}
	return p.parseComparison()
}

var comparisonOps = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

// parseComparison parses comparisons and the IS, IN, BETWEEN, LIKE and SIMILAR TO
// predicates, which all bind looser than arithmetic and tighter than NOT.
func (p *parser) parseComparison() Expr {
	x := p.parseAdditive()
	for p.err == nil {
		t := p.tok()
		start := x.ExprSpan().Start
		switch {
		case t.kind == tOp && comparisonOps[t.val]:
			p.advance()
			op := t.val
			if op == "!=" {
				op = "<>"
			}
			y := p.parseAdditive()
			x = &Binary{Op: op, X: x, Y: y, Span: diag.Join(x.ExprSpan(), y.ExprSpan())}
		case t.isKw("IS"):
			p.advance()
			not := p.acceptKw("NOT")
			v := p.tok()
			switch {
			case v.isKw("NULL"):
				p.advance()
				x = &IsNull{X: x, Not: not, Span: p.spanFrom(start)}
			case v.isKw("TRUE") || v.isKw("FALSE") || v.isKw("UNKNOWN"):
				p.advance()
				x = &IsBool{X: x, Not: not, Value: v.kw, Span: p.spanFrom(start)}
			case v.isKw("DISTINCT"):
				// x IS [NOT] DISTINCT FROM y: a comparison that treats NULLs as equal
				p.advance()
				p.expectKw("FROM")
				y := p.parseAdditive()
				op := "IS DISTINCT FROM"
				if not {
					op = "IS NOT DISTINCT FROM"
				}
				x = &Binary{Op: op, X: x, Y: y, Span: p.spanFrom(start)}
			default:
				p.expected(`"NULL", "TRUE", "FALSE", "UNKNOWN" or "DISTINCT FROM"`)
				return x
			}
		case t.isKw("NOT") && (p.peek(1).isKw("IN") || p.peek(1).isKw("BETWEEN") ||
			p.peek(1).isKw("LIKE") || p.peek(1).isKw("SIMILAR")):
			p.advance()
			x = p.parsePredicate(x, true)
		case t.isKw("IN") || t.isKw("BETWEEN") || t.isKw("LIKE") || t.isKw("SIMILAR"):
			x = p.parsePredicate(x, false)
		case t.isKw("NOT"):
			p.advance()
			p.expected(`"IN", "BETWEEN", "LIKE" or "SIMILAR TO" after NOT`)
			return x
		default:
			return x
		}
	}
	return x
}

// parsePredicate parses IN, BETWEEN, LIKE or SIMILAR TO after x [NOT].
func (p *parser) parsePredicate(x Expr, not bool) Expr {
	start := x.ExprSpan().Start
	t := p.advance()
	switch t.kw {
	case "IN":
		in := &In{X: x, Not: not}
		p.expectOp("(")
		if p.startsQuery(0) && (!p.isOp("(") || p.parenStartsQuery(0)) {
			in.Query = p.parseQuery()
		} else {
			for p.err == nil {
				in.List = append(in.List, p.parseExpr())
				if !p.acceptOp(",") {
					break
				}
			}
		}
		p.expectClose(")")
		in.Span = p.spanFrom(start)
		return in
	case "BETWEEN":
		b := &Between{X: x, Not: not}
		if p.acceptKw("SYMMETRIC") {
			b.Symmetric = true
		} else {
			p.acceptKw("ASYMMETRIC")
		}
		b.Lo = p.parseAdditive()
		p.expectKw("AND")
		b.Hi = p.parseAdditive()
		b.Span = p.spanFrom(start)
		return b
	default: // LIKE, SIMILAR TO
		l := &Like{X: x, Not: not}
		if t.kw == "SIMILAR" {
			p.expectKw("TO")
			l.Similar = true
		}
		l.Pattern = p.parseAdditive()
		if p.acceptKw("ESCAPE") {
			l.Escape = p.parseAdditive()
		}
		l.Span = p.spanFrom(start)
		return l
	}
}

// parseAdditive parses + - and || (one precedence level, left-associative).
func (p *parser) parseAdditive() Expr {
	x := p.parseMultiplicative()
	for p.isOp("+") || p.isOp("-") || p.isOp("||") {
		op := p.advance().val
		y := p.parseMultiplicative()
		x = &Binary{Op: op, X: x, Y: y, Span: diag.Join(x.ExprSpan(), y.ExprSpan())}
	}
	return x
}

func (p *parser) parseMultiplicative() Expr {
	x := p.parseUnary()
	for p.isOp("*") || p.isOp("/") || p.isOp("%") {
		op := p.advance().val
		y := p.parseUnary()
		x = &Binary{Op: op, X: x, Y: y, Span: diag.Join(x.ExprSpan(), y.ExprSpan())}
	}
	return x
}

func (p *parser) parseUnary() Expr {
	if p.isOp("-") || p.isOp("+") {
		if !p.enter() {
			return p.badExpr(p.tok())
		}
		defer p.leave()
		t := p.advance()
		x := p.parseUnary()
		return &Unary{Op: t.val, X: x, Span: p.spanFrom(t.start)}
	}
	return p.parsePostfix()
}

// parsePostfix parses a primary followed by [index] and .field suffixes.
func (p *parser) parsePostfix() Expr {
	x := p.parsePrimary()
	for p.err == nil {
		switch {
		case p.isOp("["):
			p.advance()
			i := p.parseExpr()
			p.expectOp("]")
			x = &Index{X: x, Index: i, Span: p.spanFrom(x.ExprSpan().Start)}
		case p.isOp(".") && isWord(p.peek(1)):
			p.advance()
			f := p.identFrom(p.advance())
			x = &FieldAccess{X: x, Field: f, Span: p.spanFrom(x.ExprSpan().Start)}
		case p.isOp("."):
			p.advance()
			p.expected("a field name")
			return x
		default:
			return x
		}
	}
	return x
}

// niladic functions are called without parentheses.
var niladic = map[string]bool{
	"CURRENT_DATE": true, "CURRENT_TIME": true, "CURRENT_TIMESTAMP": true,
	"LOCALTIME": true, "LOCALTIMESTAMP": true,
}

// reservedFuncs are reserved words that also name functions when followed by "(".
var reservedFuncs = map[string]bool{"LEFT": true, "RIGHT": true, "INSERT": true}

func (p *parser) badExpr(t token) Expr {
	return &Literal{Kind: NullLit, Text: "NULL", Span: t.span()}
}

func (p *parser) parsePrimary() Expr {
	t := p.tok()
	next := p.peek(1)
	nextIsParen := next.kind == tOp && next.val == "("
	switch t.kind {
	case tNumber:
		p.advance()
		return &Literal{Kind: NumberLit, Text: t.val, Span: t.span()}
	case tString:
		p.advance()
		return &Literal{Kind: StringLitK, Text: p.src.Text[t.start:t.end], Value: t.val, Span: t.span()}
	case tBinary:
		p.advance()
		return &Literal{Kind: BinaryLit, Text: p.src.Text[t.start:t.end], Value: t.val, Span: t.span()}
	case tOp:
		if t.val == "(" {
			return p.parseParen()
		}
	case tQuotedIdent:
		return p.parseNameExpr()
	case tIdent:
		switch t.kw {
		case "TRUE", "FALSE":
			p.advance()
			return &Literal{Kind: BoolLit, Text: t.kw, Span: t.span()}
		case "UNKNOWN":
			// UNKNOWN is the BOOLEAN null; spelled out so no later phase can mistake it
			// for a BoolLit or an untyped NULL.
			p.advance()
			return &Cast{X: &Literal{Kind: NullLit, Text: "NULL", Span: t.span()},
				Type: &TypeName{Name: "BOOLEAN", Span: t.span()}, Span: t.span()}
		case "NULL":
			p.advance()
			return &Literal{Kind: NullLit, Text: t.kw, Span: t.span()}
		case "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ":
			if next.kind == tString {
				p.advance()
				p.advance()
				kind := map[string]LitKind{"DATE": DateLit, "TIME": TimeLit, "TIMESTAMP": TimestampLit, "TIMESTAMP_LTZ": TimestampLTZLit}[t.kw]
				return &Literal{Kind: kind, Text: p.src.Text[t.start:next.end], Value: next.val, Span: p.spanFrom(t.start)}
			}
		case "INTERVAL":
			return p.parseInterval()
		case "CAST":
			return p.parseCast(false)
		case "TRY_CAST":
			if nextIsParen {
				return p.parseCast(true)
			}
		case "CASE":
			return p.parseCase()
		case "EXISTS":
			p.advance()
			p.expectOp("(")
			q := p.parseQuery()
			p.expectOp(")")
			return &Exists{Query: q, Span: p.spanFrom(t.start)}
		case "ROW":
			if nextIsParen {
				p.advance()
				return p.parseConstructor(t, "ROW", "(", ")")
			}
		case "ARRAY", "MAP":
			if next.kind == tOp && next.val == "[" {
				p.advance()
				return p.parseConstructor(t, t.kw, "[", "]")
			}
			if nextIsParen && p.parenStartsQuery(1) {
				p.errorAt(t.span(), "%s(subquery) is not supported", t.kw)
				return p.badExpr(t)
			}
		case "EXTRACT":
			if nextIsParen {
				return p.parseExtract()
			}
		case "POSITION", "TRIM", "SUBSTRING", "SUBSTR", "OVERLAY", "FLOOR", "CEIL", "CEILING",
			"TIMESTAMPADD", "TIMESTAMPDIFF":
			if nextIsParen {
				return p.parseSpecialCall()
			}
		case "DESCRIPTOR":
			if nextIsParen {
				p.advance()
				d := &Descriptor{Columns: p.parseIdentList("a column name")}
				d.Span = p.spanFrom(t.start)
				return d
			}
		case "TABLE":
			if isWord(next) {
				p.advance()
				ta := &TableArg{Name: p.parseName("a table name")}
				ta.Span = p.spanFrom(t.start)
				// PARTITION BY k, or PARTITION BY (k1, k2): a comma after one key
				// separates the TVF's arguments.
				if p.acceptKws("PARTITION", "BY") {
					if p.acceptOp("(") {
						for p.err == nil {
							ta.PartitionBy = append(ta.PartitionBy, p.parseExpr())
							if !p.acceptOp(",") {
								break
							}
						}
						p.expectClose(")")
					} else {
						ta.PartitionBy = append(ta.PartitionBy, p.parseExpr())
					}
				}
				ta.Span = p.spanFrom(t.start)
				return ta
			}
		}
		if niladic[t.kw] {
			if nextIsParen {
				return p.parseNameExpr()
			}
			p.advance()
			return &FuncCall{Name: Name{Parts: []Ident{p.identFrom(t)}, Span: t.span()}, Span: t.span()}
		}
		if reserved[t.kw] && !(reservedFuncs[t.kw] && nextIsParen) {
			p.errorAt(t.span(), "expected an expression but found %s", p.describe(t))
			return p.badExpr(t)
		}
		return p.parseNameExpr()
	}
	p.expected("an expression")
	return p.badExpr(t)
}

// parseNameExpr parses a column reference, a nested field access or a function call.
func (p *parser) parseNameExpr() Expr {
	start := p.tok().start
	name := p.parseNameAnyWord()
	if p.isOp("(") {
		return p.parseCallArgs(start, name)
	}
	return &ColumnName{Name: name}
}

// parseCallArgs parses the "(" args ")" [FILTER (WHERE ...)] [OVER (...)] of a call.
func (p *parser) parseCallArgs(start int, name Name) *FuncCall {
	call := &FuncCall{Name: name}
	p.expectOp("(")
	if p.acceptOp("*") {
		call.Star = true
	} else if !p.isOp(")") {
		if p.acceptKw("DISTINCT") {
			call.Distinct = true
		} else {
			p.acceptKw("ALL")
		}
		for p.err == nil {
			// name => value: a named argument (Flink's window TVFs take them).
			var argName Ident
			if isWord(p.tok()) && p.peek(1).kind == tOp && p.peek(1).val == "=>" {
				argName = p.identFrom(p.tok())
				p.advance()
				p.advance()
				if call.ArgNames == nil {
					call.ArgNames = make([]Ident, len(call.Args))
				}
			}
			if call.ArgNames != nil {
				call.ArgNames = append(call.ArgNames, argName)
			}
			call.Args = append(call.Args, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectClose(")")
	if p.isKw("WITHIN") && p.peek(1).isKw("GROUP") {
		p.errorAt(p.tok().span(), "WITHIN GROUP is not supported")
	}
	if p.isKw("IGNORE") || p.isKw("RESPECT") {
		p.errorAt(p.tok().span(), "IGNORE/RESPECT NULLS is not supported")
	}
	if p.isKw("FILTER") && p.peek(1).kind == tOp && p.peek(1).val == "(" {
		p.advance()
		p.advance()
		p.expectKw("WHERE")
		call.Filter = p.parseExpr()
		p.expectOp(")")
	}
	if p.isKw("OVER") {
		p.advance()
		call.Over = p.parseWindowSpec()
	}
	call.Span = p.spanFrom(start)
	return call
}

func (p *parser) parseWindowSpec() *WindowSpec {
	start := p.tok().start
	ws := &WindowSpec{}
	if !p.isOp("(") {
		if p.isIdent() {
			p.errorAt(p.tok().span(), "named windows are not supported; write OVER (...) inline")
		} else {
			p.expected(`"("`)
		}
		return ws
	}
	p.advance()
	if p.acceptKw("PARTITION") {
		p.expectKw("BY")
		for p.err == nil {
			ws.PartitionBy = append(ws.PartitionBy, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	if p.acceptKw("ORDER") {
		p.expectKw("BY")
		ws.OrderBy = p.parseOrderItems()
	}
	if p.isKw("ROWS") || p.isKw("RANGE") {
		fstart := p.tok().start
		p.advance()
		if p.acceptKw("BETWEEN") {
			p.parseFrameBound()
			p.expectKw("AND")
			p.parseFrameBound()
		} else {
			p.parseFrameBound()
		}
		ws.Frame = p.normalizedText(fstart, p.pos)
	}
	p.expectOp(")")
	ws.Span = p.spanFrom(start)
	return ws
}

// normalizedText joins the source text of tokens from the one starting at offset start
// up to token index end, upper-casing words and separating tokens with one space.
func (p *parser) normalizedText(start, end int) string {
	var parts []string
	for i := end - 1; i >= 0 && p.toks[i].start >= start; i-- {
		t := p.toks[i]
		s := p.src.Text[t.start:t.end]
		if t.kind == tIdent {
			s = t.kw
		}
		parts = append(parts, s)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " ")
}

func (p *parser) parseFrameBound() {
	switch {
	case p.acceptKws("UNBOUNDED", "PRECEDING"), p.acceptKws("UNBOUNDED", "FOLLOWING"),
		p.acceptKws("CURRENT", "ROW"):
	default:
		p.parseAdditive()
		if !p.acceptKw("PRECEDING") {
			p.expectKw("FOLLOWING")
		}
	}
}

func (p *parser) parseParen() Expr {
	start := p.tok().start
	if p.parenStartsQuery(1) {
		p.advance()
		q := p.parseQuery()
		p.expectOp(")")
		return &ScalarSubquery{Query: q, Span: p.spanFrom(start)}
	}
	p.advance()
	x := p.parseExpr()
	if p.isOp(",") {
		// (a, b): an implicit ROW constructor.
		args := []Expr{x}
		for p.acceptOp(",") {
			args = append(args, p.parseExpr())
		}
		p.expectOp(")")
		return &Constructor{Kind: "ROW", Args: args, Span: p.spanFrom(start)}
	}
	p.expectOp(")")
	return &Paren{X: x, Span: p.spanFrom(start)}
}

// parseConstructor parses the argument list of ROW(...), ARRAY[...] or MAP[...].
func (p *parser) parseConstructor(t token, kind, open, close string) Expr {
	c := &Constructor{Kind: kind}
	p.expectOp(open)
	if !p.isOp(close) {
		for p.err == nil {
			c.Args = append(c.Args, p.parseExpr())
			if !p.acceptOp(",") {
				break
			}
		}
	}
	p.expectClose(close)
	c.Span = p.spanFrom(t.start)
	if kind == "MAP" && len(c.Args)%2 != 0 && p.err == nil {
		p.errorAt(c.Span, "MAP[...] needs an even number of arguments (key, value, ...)")
	}
	return c
}

// parseInterval parses INTERVAL [-|+]'text' unit [TO unit] and INTERVAL expr unit.
func (p *parser) parseInterval() Expr {
	start := p.advance().start // INTERVAL
	iv := &Interval{}
	if p.isOp("-") || p.isOp("+") {
		iv.Neg = p.advance().val == "-"
	}
	if t := p.tok(); t.kind == tString {
		p.advance()
		iv.Value = t.val
	} else {
		iv.Expr = p.parseUnary()
	}
	iv.From, iv.To = p.parseIntervalQualifier()
	iv.Span = p.spanFrom(start)
	return iv
}

func (p *parser) parseCast(try bool) Expr {
	start := p.advance().start // CAST / TRY_CAST
	c := &Cast{Try: try}
	p.expectOp("(")
	c.X = p.parseExpr()
	p.expectKw("AS")
	c.Type = p.parseType()
	p.expectOp(")")
	c.Span = p.spanFrom(start)
	return c
}

func (p *parser) parseCase() Expr {
	start := p.advance().start // CASE
	c := &Case{}
	if p.isKw("END") || p.isKw("ELSE") {
		p.expected(`"WHEN"`)
	}
	if !p.isKw("WHEN") {
		c.Operand = p.parseExpr()
	}
	for p.isKw("WHEN") {
		p.advance()
		w := &When{Cond: p.parseExpr()}
		p.expectKw("THEN")
		w.Result = p.parseExpr()
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		p.expected(`"WHEN"`)
	}
	if p.acceptKw("ELSE") {
		c.Else = p.parseExpr()
	}
	p.expectKw("END")
	c.Span = p.spanFrom(start)
	return c
}

var extractUnits = map[string]bool{
	"MILLENNIUM": true, "CENTURY": true, "DECADE": true, "YEAR": true, "QUARTER": true,
	"MONTH": true, "WEEK": true, "DAY": true, "DOW": true, "DOY": true, "HOUR": true,
	"MINUTE": true, "SECOND": true, "MILLISECOND": true, "MICROSECOND": true,
	"NANOSECOND": true, "EPOCH": true, "ISODOW": true, "ISOYEAR": true,
}

func (p *parser) parseExtract() Expr {
	start := p.advance().start // EXTRACT
	p.expectOp("(")
	e := &Extract{}
	if t := p.tok(); t.kind == tIdent && extractUnits[t.kw] {
		p.advance()
		e.Unit = t.kw
	} else {
		p.expected("a time unit like YEAR or HOUR")
	}
	p.expectKw("FROM")
	e.X = p.parseExpr()
	p.expectOp(")")
	e.Span = p.spanFrom(start)
	return e
}

// parseSpecialCall parses POSITION, TRIM, SUBSTRING and OVERLAY with their keyword
// argument syntax into an ordinary FuncCall with positional arguments (see Extract).
func (p *parser) parseSpecialCall() Expr {
	t := p.tok()
	name := Name{Parts: []Ident{p.identFrom(t)}, Span: t.span()}
	switch t.kw {
	case "POSITION":
		// POSITION(a IN b) -> POSITION(a, b); the first operand stops before IN.
		if p.callHasTopLevelKeyword("IN") {
			p.advance()
			p.advance()
			a := p.parseAdditive()
			p.expectKw("IN")
			b := p.parseExpr()
			p.expectOp(")")
			return &FuncCall{Name: name, Args: []Expr{a, b}, Span: p.spanFrom(t.start)}
		}
	case "TRIM":
		return p.parseTrim(name)
	case "SUBSTRING", "SUBSTR":
		if p.callHasTopLevelKeyword("FROM") {
			p.advance()
			p.advance()
			s := p.parseExpr()
			p.expectKw("FROM")
			args := []Expr{s, p.parseExpr()}
			if p.acceptKw("FOR") {
				args = append(args, p.parseExpr())
			}
			p.expectOp(")")
			return &FuncCall{Name: name, Args: args, Span: p.spanFrom(t.start)}
		}
	case "FLOOR", "CEIL", "CEILING":
		// FLOOR(ts TO DAY) -> FLOOR(ts, 'DAY').
		if p.callHasTopLevelKeyword("TO") {
			p.advance()
			p.advance()
			x := p.parseExpr()
			p.expectKw("TO")
			unit := p.parseUnitLiteral()
			p.expectOp(")")
			return &FuncCall{Name: name, Args: []Expr{x, unit}, Span: p.spanFrom(t.start)}
		}
	case "TIMESTAMPADD", "TIMESTAMPDIFF":
		// TIMESTAMPDIFF(DAY, a, b) -> TIMESTAMPDIFF('DAY', a, b).
		if u := p.peek(2); u.kind == tIdent && extractUnits[u.kw] {
			if n := p.peek(3); n.kind == tOp && n.val == "," {
				p.advance()
				p.advance()
				args := []Expr{p.parseUnitLiteral()}
				for p.acceptOp(",") {
					args = append(args, p.parseExpr())
				}
				p.expectOp(")")
				return &FuncCall{Name: name, Args: args, Span: p.spanFrom(t.start)}
			}
		}
	case "OVERLAY":
		if p.callHasTopLevelKeyword("PLACING") {
			p.advance()
			p.advance()
			s := p.parseExpr()
			p.expectKw("PLACING")
			args := []Expr{s, p.parseExpr()}
			p.expectKw("FROM")
			args = append(args, p.parseExpr())
			if p.acceptKw("FOR") {
				args = append(args, p.parseExpr())
			}
			p.expectOp(")")
			return &FuncCall{Name: name, Args: args, Span: p.spanFrom(t.start)}
		}
	}
	return p.parseNameExpr()
}

// parseUnitLiteral parses a time unit word into an upper-cased string literal.
func (p *parser) parseUnitLiteral() Expr {
	t := p.tok()
	if t.kind != tIdent || !extractUnits[t.kw] {
		p.expected("a time unit like DAY or HOUR")
		return p.badExpr(t)
	}
	p.advance()
	return &Literal{Kind: StringLitK, Text: "'" + t.kw + "'", Value: t.kw, Span: t.span()}
}

// callHasTopLevelKeyword reports whether the parenthesized argument list after the
// current name token contains kw outside nested parentheses.
func (p *parser) callHasTopLevelKeyword(kw string) bool {
	depth := 0
	for i := p.pos + 1; i < len(p.toks); i++ {
		t := p.toks[i]
		switch {
		case t.kind == tEOF:
			return false
		case t.kind == tOp && t.val == "(":
			depth++
		case t.kind == tOp && t.val == ")":
			depth--
			if depth == 0 {
				return false
			}
		case depth == 1 && t.isKw(kw):
			return true
		}
	}
	return false
}

// parseTrim parses TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) and TRIM(s) into
// TRIM(mode, chars, s): mode is a string literal, chars defaults to ' '.
func (p *parser) parseTrim(name Name) Expr {
	start := p.advance().start // TRIM
	open := p.tok()
	p.expectOp("(")
	mode := &Literal{Kind: StringLitK, Text: "'BOTH'", Value: "BOTH", Span: diag.Span{Start: open.end, End: open.end}}
	if t := p.tok(); t.isKw("BOTH") || t.isKw("LEADING") || t.isKw("TRAILING") {
		p.advance()
		mode = &Literal{Kind: StringLitK, Text: "'" + t.kw + "'", Value: t.kw, Span: t.span()}
	}
	var chars, s Expr
	switch {
	case p.acceptKw("FROM"):
		s = p.parseExpr()
	default:
		first := p.parseExpr()
		if p.acceptKw("FROM") {
			chars = first
			s = p.parseExpr()
		} else {
			s = first
		}
	}
	if chars == nil {
		chars = &Literal{Kind: StringLitK, Text: "' '", Value: " ", Span: diag.Span{Start: mode.Span.End, End: mode.Span.End}}
	}
	p.expectOp(")")
	return &FuncCall{Name: name, Args: []Expr{mode, chars, s}, Span: p.spanFrom(start)}
}

// String renders a Name as dotted text, quoting parts that need backticks.
func (n Name) String() string {
	var b strings.Builder
	for i, part := range n.Parts {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteIdent(part.Name))
	}
	return b.String()
}

// quoteIdent returns name, in backticks if it is not a plain word.
func quoteIdent(name string) string {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		if !isIdentPart(name[i]) || i == 0 && !isIdentStart(name[i]) {
			plain = false
			break
		}
	}
	if plain && !reserved[strings.ToUpper(name)] {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
