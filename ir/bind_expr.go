package ir

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// exprCtx says where an expression is bound.
type exprCtx struct {
	sc     *scope
	clause string // "WHERE", "GROUP BY", "HAVING", "computed columns", ... ("" = SELECT)
	// agg is set while binding the select list and HAVING of an aggregate query: group
	// expressions and aggregate calls become references to the Aggregate's output.
	agg       *aggState
	groupKeys []string
	// inAgg is set while binding the arguments of an aggregate call.
	inAgg bool
}

// scalar binds an expression in which aggregate functions are not allowed.
func (b *binder) scalar(sc *scope, e parser.Expr, clause string) (Expr, *bindError) {
	return b.expr(&exprCtx{sc: sc, clause: clause}, e)
}

// predicate binds a condition, which must be BOOLEAN.
func (b *binder) predicate(sc *scope, e parser.Expr, clause string) (Expr, *bindError) {
	if b.containsAggCall(e) {
		return nil, b.errorf(b.aggCallSpan(e), "aggregate functions are not allowed in %s", clause)
	}
	x, err := b.scalar(sc, e, clause)
	if err != nil {
		return nil, err
	}
	return b.requireBool(x, e.ExprSpan(), clause)
}

func (b *binder) requireBool(x Expr, span diag.Span, clause string) (Expr, *bindError) {
	switch x.Type().Kind {
	case KindBoolean:
		return x, nil
	case KindNull:
		return convert(x, Boolean()), nil
	}
	return nil, b.errorf(span, "%s condition must be BOOLEAN, got %s", clause, x.Type())
}

func (b *binder) expr(c *exprCtx, e parser.Expr) (Expr, *bindError) {
	if c.agg != nil {
		return b.aggExpr(c, e)
	}
	return b.expr1(c, e)
}

// aggExpr binds an expression of the select list or HAVING of an aggregate query.
func (b *binder) aggExpr(c *exprCtx, e parser.Expr) (Expr, *bindError) {
	if fc, ok := e.(*parser.FuncCall); ok && b.isAggCall(fc) {
		return b.aggCall(c, fc)
	}
	if fc, ok := e.(*parser.FuncCall); ok {
		if x, ok, err := b.windowProperty(c, fc); ok {
			return x, err
		}
	}
	if !b.containsAggCall(e) {
		plain := &exprCtx{sc: c.sc, clause: c.clause}
		bound, err := b.expr1(plain, e)
		if err == nil {
			k := ExprKey(bound)
			for g, gk := range c.groupKeys {
				if gk == k {
					return &InputRef{Index: g, Name: c.agg.preNames[g], T: bound.Type().Materialized(), Pos: e.ExprSpan()}, nil
				}
			}
			if !hasInputRef(bound) {
				return bound, nil
			}
		}
		switch e.(type) {
		case *parser.ColumnName:
			if err != nil {
				return nil, err
			}
			return nil, b.errorf(e.ExprSpan(), "expression %q is not being grouped", b.text(e.ExprSpan()))
		}
	}
	return b.expr1(c, e)
}

// text returns the source text of span.
func (b *binder) text(span diag.Span) string {
	if b.src == nil || span.Start < 0 || span.End > len(b.src.Text) || span.Start > span.End {
		return ""
	}
	return b.src.Text[span.Start:span.End]
}

var aggFuncNames = map[string]bool{
	"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true,
	// known to Flink, not supported yet
	"SUM0": true, "LISTAGG": true, "STDDEV": true, "STDDEV_POP": true, "STDDEV_SAMP": true,
	"VARIANCE": true, "VAR_POP": true, "VAR_SAMP": true, "FIRST_VALUE": true, "LAST_VALUE": true,
	"COLLECT": true, "ARRAY_AGG": true, "JSON_OBJECTAGG": true, "JSON_ARRAYAGG": true,
}

func isAggName(fc *parser.FuncCall) bool {
	return len(fc.Name.Parts) == 1 && fc.Over == nil && aggFuncNames[strings.ToUpper(fc.Name.Parts[0].Name)]
}

func (b *binder) aggCall(c *exprCtx, fc *parser.FuncCall) (Expr, *bindError) {
	name := strings.ToUpper(fc.Name.Parts[0].Name)
	if c.inAgg {
		return nil, b.errorf(fc.Span, "aggregate function calls cannot be nested")
	}
	if c.agg == nil {
		where := c.clause
		if where == "" {
			where = "this context"
		}
		return nil, b.errorf(fc.Span, "aggregate functions are not allowed in %s", where)
	}
	st := c.agg
	if fn := b.aggUDF(fc); fn != nil {
		return b.udafCall(st, fc, fn)
	}
	switch name {
	case "COUNT", "SUM", "AVG", "MIN", "MAX":
	default:
		return nil, b.errorf(fc.Name.Span, "aggregate function %s is not supported yet", name)
	}
	argCtx := &exprCtx{sc: st.in.sc, clause: "aggregate arguments", inAgg: true}
	call := AggCall{Func: AggFunc(name), Distinct: fc.Distinct, Pos: fc.Span}
	if fc.Star {
		if name != "COUNT" {
			return nil, b.errorf(fc.Span, "%s(*) is not valid; only COUNT(*) is", name)
		}
		if fc.Distinct {
			return nil, b.errorf(fc.Span, "COUNT(DISTINCT *) is not valid")
		}
	} else {
		if len(fc.Args) != 1 {
			if name == "COUNT" && len(fc.Args) > 1 {
				return nil, b.errorf(fc.Span, "COUNT with several arguments is not supported yet")
			}
			return nil, b.errorf(fc.Span, "%s takes exactly one argument, got %d", name, len(fc.Args))
		}
		arg, err := b.expr(argCtx, fc.Args[0])
		if err != nil {
			return nil, err
		}
		at := arg.Type()
		switch name {
		case "SUM", "AVG":
			if !at.IsNumeric() {
				return nil, b.errorf(fc.Args[0].ExprSpan(), "cannot apply %s to an argument of type %s; it needs a numeric argument", name, at)
			}
		case "MIN", "MAX":
			if isConstructed(at) || at.Kind == KindNull {
				return nil, b.errorf(fc.Args[0].ExprSpan(), "cannot apply %s to an argument of type %s", name, at)
			}
		case "COUNT":
			if at.Kind == KindNull {
				return nil, b.errorf(fc.Args[0].ExprSpan(), "cannot apply COUNT to an untyped NULL")
			}
		}
		col := st.preColumn(arg, "")
		call.Arg = &InputRef{Index: col, Name: st.preNames[col], T: at}
	}
	if fc.Filter != nil {
		f, err := b.predicate(st.in.sc, fc.Filter, "FILTER")
		if err != nil {
			return nil, err
		}
		col := st.preColumn(f, "")
		call.Filter = &InputRef{Index: col, Name: st.preNames[col], T: f.Type()}
	}
	maybeNull := !st.hasGroup || call.Filter != nil
	switch name {
	case "COUNT":
		call.T = BigInt().NotNull()
	case "SUM":
		call.T = SumType(call.Arg.Type())
	case "AVG":
		call.T = AvgType(call.Arg.Type())
	default:
		call.T = call.Arg.Type().Materialized() // MIN(rowtime) is a plain timestamp
	}
	if name != "COUNT" && maybeNull {
		call.T.Nullable = true
	}
	j := len(st.aggs)
	if n, ok := st.itemAggName[fc]; ok {
		call.Name = n
	} else {
		call.Name = "$f" + strconv.Itoa(st.nGroup+j)
	}
	st.aggs = append(st.aggs, call)
	return &InputRef{Index: st.nGroup + j, Name: call.Name, T: call.T, Pos: fc.Span}, nil
}

// expr1 binds one expression node; children go through b.expr.
func (b *binder) expr1(c *exprCtx, e parser.Expr) (Expr, *bindError) {
	switch e := e.(type) {
	case *parser.Paren:
		return b.expr(c, e.X)
	case *parser.ColumnName:
		return b.column(c, e.Name)
	case *parser.Literal:
		return b.literal(e, false)
	case *parser.StringLit:
		return &Literal{Value: e.Value, T: Type{Kind: KindChar, Length: utf8.RuneCountInString(e.Value)}, Pos: e.Span}, nil
	case *parser.Interval:
		return b.interval(e)
	case *parser.Unary:
		return b.unary(c, e)
	case *parser.Binary:
		return b.binary(c, e)
	case *parser.FuncCall:
		return b.funcCall(c, e)
	case *parser.Cast:
		return b.cast(c, e)
	case *parser.Case:
		return b.caseExpr(c, e)
	case *parser.IsNull:
		x, err := b.expr(c, e.X)
		if err != nil {
			return nil, err
		}
		if x.Type().Kind == KindNull {
			x = convert(x, Boolean())
		}
		op := OpIsNull
		if e.Not {
			op = OpIsNotNull
		}
		return &Call{Op: op, Args: []Expr{x}, T: Boolean().NotNull(), Pos: e.Span}, nil
	case *parser.IsBool:
		return b.isBool(c, e)
	case *parser.In:
		return b.in(c, e)
	case *parser.Between:
		return b.between(c, e)
	case *parser.Like:
		return b.like(c, e)
	case *parser.Exists:
		return nil, b.errorf(e.Span, "EXISTS subqueries are not supported yet")
	case *parser.ScalarSubquery:
		return nil, b.errorf(e.Span, "scalar subqueries are not supported yet")
	case *parser.Index:
		return nil, b.errorf(e.Span, "element access x[i] is not supported yet")
	case *parser.FieldAccess:
		x, err := b.expr(c, e.X)
		if err != nil {
			return nil, err
		}
		return b.field(x, e.Field, e.Span)
	case *parser.Constructor:
		if e.Kind == "ROW" {
			return b.rowConstructor(c, e)
		}
		return nil, b.errorf(e.Span, "%s constructors are not supported yet", e.Kind)
	case *parser.Descriptor:
		return nil, b.errorf(e.Span, "DESCRIPTOR is only valid in window table-valued functions, which are not supported yet")
	case *parser.TableArg:
		return nil, b.errorf(e.Span, "TABLE arguments are only valid in table-valued functions, which are not supported yet")
	case *parser.Extract:
		return b.extract(c, e)
	}
	return nil, b.errorf(e.ExprSpan(), "this expression is not supported yet")
}

// column resolves col, t.col, person.id or t.person.id.
func (b *binder) column(c *exprCtx, n parser.Name) (Expr, *bindError) {
	parts := n.Parts
	sc := c.sc
	idx := -1
	rest := parts[1:]
	if len(parts) >= 2 && sc.hasQual(parts[0].Name) && parts[0].Name != "" {
		for i, col := range sc.cols {
			if col.qual == parts[0].Name && col.name == parts[1].Name {
				idx = i
				break
			}
		}
		if idx < 0 {
			var names []string
			for _, col := range sc.cols {
				if col.qual == parts[0].Name {
					names = append(names, col.name)
				}
			}
			return nil, b.errorf(diag.Join(parts[0].Span, parts[1].Span), "unknown column %q in table %q%s", parts[1].Name, parts[0].Name, suggest(parts[1].Name, names))
		}
		rest = parts[2:]
	} else {
		for i, col := range sc.cols {
			if col.name == parts[0].Name {
				if idx >= 0 {
					return nil, b.errorf(parts[0].Span, "column %q is ambiguous", parts[0].Name)
				}
				idx = i
			}
		}
		if idx < 0 {
			return nil, b.errorf(parts[0].Span, "unknown column %q%s", parts[0].Name, suggest(parts[0].Name, sc.names()))
		}
	}
	col := sc.cols[idx]
	var x Expr = &InputRef{Index: idx, Name: col.name, T: col.typ, Pos: n.Span}
	for _, f := range rest {
		var err *bindError
		x, err = b.field(x, f, diag.Join(n.Parts[0].Span, f.Span))
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

// rowConstructor binds ROW(a, b, ...) and (a, b, ...): a ROW value that is never NULL,
// whose fields Flink names EXPR$0, EXPR$1, ... (a CAST or a sink column gives them
// other names).
func (b *binder) rowConstructor(c *exprCtx, e *parser.Constructor) (Expr, *bindError) {
	if len(e.Args) == 0 {
		return nil, b.errorf(e.Span, "ROW() needs at least one field")
	}
	call := &Call{Op: OpRow, T: Type{Kind: KindRow}, Pos: e.Span}
	for i, a := range e.Args {
		x, err := b.expr(c, a)
		if err != nil {
			return nil, err
		}
		t := x.Type()
		if t.Kind == KindNull {
			return nil, b.errorf(a.ExprSpan(), "a ROW field cannot be an untyped NULL; write CAST(NULL AS type)")
		}
		call.Args = append(call.Args, x)
		call.T.Fields = append(call.T.Fields, Field{Name: fmt.Sprintf("EXPR$%d", i), Type: t.Materialized()})
	}
	return call, nil
}

func (b *binder) field(x Expr, f parser.Ident, span diag.Span) (Expr, *bindError) {
	t := x.Type()
	if t.Kind != KindRow {
		return nil, b.errorf(f.Span, "cannot access field %q of a value of type %s", f.Name, t)
	}
	for i, fd := range t.Fields {
		if fd.Name == f.Name {
			ft := fd.Type
			if t.Nullable {
				ft.Nullable = true
			}
			return &FieldAccess{X: x, Index: i, Name: fd.Name, T: ft, Pos: span}, nil
		}
	}
	var names []string
	for _, fd := range t.Fields {
		names = append(names, fd.Name)
	}
	return nil, b.errorf(f.Span, "unknown field %q of %s%s", f.Name, t, suggest(f.Name, names))
}

// ---- literals ----

func (b *binder) literal(l *parser.Literal, neg bool) (Expr, *bindError) {
	switch l.Kind {
	case parser.NumberLit:
		return b.number(l, neg)
	case parser.StringLitK:
		return &Literal{Value: l.Value, T: Type{Kind: KindChar, Length: utf8.RuneCountInString(l.Value)}, Pos: l.Span}, nil
	case parser.BoolLit:
		return &Literal{Value: strings.EqualFold(l.Text, "TRUE"), T: Boolean().NotNull(), Pos: l.Span}, nil
	case parser.NullLit:
		return &Literal{Value: nil, T: Type{Kind: KindNull, Nullable: true}, Pos: l.Span}, nil
	case parser.BinaryLit:
		// The lexer checked the digits: an even number of hex digits, two per byte.
		v, err := hex.DecodeString(l.Value)
		if err != nil {
			return nil, b.errorf(l.Span, "invalid binary string %s", l.Text)
		}
		return &Literal{Value: v, T: Type{Kind: KindBinary, Length: len(v)}, Pos: l.Span}, nil
	case parser.DateLit:
		d, err := time.Parse("2006-01-02", strings.TrimSpace(l.Value))
		if err != nil {
			return nil, b.errorf(l.Span, "invalid DATE literal %q", l.Value)
		}
		return &Literal{Value: d.Unix() / 86400, T: Type{Kind: KindDate}, Pos: l.Span}, nil
	case parser.TimeLit:
		v := strings.TrimSpace(l.Value)
		p := fractionDigits(v)
		t, err := time.Parse("15:04:05.999999999", v)
		if err != nil || p > 9 {
			return nil, b.errorf(l.Span, "invalid TIME literal %q", l.Value)
		}
		ms := int64(t.Hour())*3600000 + int64(t.Minute())*60000 + int64(t.Second())*1000 + int64(t.Nanosecond()/1e6)
		return &Literal{Value: ms, T: Type{Kind: KindTime, Precision: p}, Pos: l.Span}, nil
	case parser.TimestampLit, parser.TimestampLTZLit:
		v := strings.TrimSpace(l.Value)
		p := fractionDigits(v)
		if _, err := time.Parse("2006-01-02 15:04:05.999999999", v); err != nil || p > 9 {
			return nil, b.errorf(l.Span, "invalid TIMESTAMP literal %q (want 'yyyy-MM-dd HH:mm:ss[.fraction]')", l.Value)
		}
		k := KindTimestamp
		if l.Kind == parser.TimestampLTZLit {
			k = KindTimestampLTZ
		}
		return &Literal{Value: v, T: Type{Kind: k, Precision: p}, Pos: l.Span}, nil
	}
	return nil, b.errorf(l.Span, "unsupported literal")
}

func fractionDigits(v string) int {
	i := strings.LastIndexByte(v, '.')
	if i < 0 || strings.LastIndexByte(v, ':') > i {
		return 0
	}
	return len(v) - i - 1
}

// number types a numeric literal as Flink does: INT if it fits, else BIGINT, else
// DECIMAL(p, 0); 1.0 is DECIMAL(2, 1); 1e3 is DOUBLE. All NOT NULL.
func (b *binder) number(l *parser.Literal, neg bool) (Expr, *bindError) {
	text := l.Text
	if neg {
		text = "-" + text
	}
	if strings.ContainsAny(text, "eE") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, b.errorf(l.Span, "numeric literal %s is out of range", l.Text)
		}
		return &Literal{Value: f, T: Double().NotNull(), Pos: l.Span}, nil
	}
	if !strings.Contains(text, ".") {
		if v, err := strconv.ParseInt(text, 10, 64); err == nil {
			if v >= math.MinInt32 && v <= math.MaxInt32 {
				return &Literal{Value: v, T: Int().NotNull(), Pos: l.Span}, nil
			}
			return &Literal{Value: v, T: BigInt().NotNull(), Pos: l.Span}, nil
		}
	}
	if _, ok := new(big.Rat).SetString(text); !ok {
		return nil, b.errorf(l.Span, "invalid numeric literal %s", l.Text)
	}
	digits := strings.TrimLeft(text, "+-")
	scale := 0
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		scale = len(digits) - i - 1
		digits = digits[:i] + digits[i+1:]
	}
	digits = strings.TrimLeft(digits, "0")
	p := max(len(digits), scale, 1)
	if p > maxDecimalPrecision {
		return nil, b.errorf(l.Span, "numeric literal %s is out of range (more than 38 digits)", l.Text)
	}
	return &Literal{Value: normalizeDecimalText(text), T: Decimal(p, scale).NotNull(), Pos: l.Span}, nil
}

func normalizeDecimalText(s string) string {
	s = strings.TrimPrefix(s, "+")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	if strings.HasSuffix(s, ".") {
		s = strings.TrimSuffix(s, ".")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// interval binds INTERVAL 'v' UNIT [TO UNIT]: day-time intervals in milliseconds,
// year-month intervals in months.
func (b *binder) interval(e *parser.Interval) (Expr, *bindError) {
	if e.Expr != nil {
		return nil, b.errorf(e.Span, "INTERVAL over an expression is not supported yet")
	}
	v := strings.TrimSpace(e.Value)
	neg := e.Neg
	if strings.HasPrefix(v, "-") {
		neg = !neg
		v = strings.TrimSpace(v[1:])
	} else if strings.HasPrefix(v, "+") {
		v = strings.TrimSpace(v[1:])
	}
	bad := func() (Expr, *bindError) {
		unit := e.From
		if e.To != "" {
			unit += " TO " + e.To
		}
		return nil, b.errorf(e.Span, "invalid INTERVAL literal '%s' %s", e.Value, unit)
	}
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0
	}
	// seconds with an optional fraction, in millis
	secMillis := func(s string) (int64, bool) {
		whole, frac, _ := strings.Cut(s, ".")
		n, ok := num(whole)
		if !ok {
			return 0, false
		}
		ms := n * 1000
		if frac != "" {
			if len(frac) > 9 {
				return 0, false
			}
			f, ok := num(frac)
			if !ok {
				return 0, false
			}
			for i := len(frac); i < 3; i++ {
				f *= 10
			}
			for i := len(frac); i > 3; i-- {
				f /= 10
			}
			ms += f
		}
		return ms, true
	}
	var val int64
	kind := KindIntervalDayTime
	unit := e.From
	if e.To != "" {
		unit += " TO " + e.To
	}
	switch unit {
	case "YEAR", "MONTH":
		n, ok := num(v)
		if !ok {
			return bad()
		}
		kind = KindIntervalYearMonth
		val = n
		if unit == "YEAR" {
			val = n * 12
		}
	case "YEAR TO MONTH":
		y, m, ok := strings.Cut(v, "-")
		yn, ok1 := num(y)
		mn, ok2 := num(m)
		if !ok || !ok1 || !ok2 {
			return bad()
		}
		kind = KindIntervalYearMonth
		val = yn*12 + mn
	case "DAY", "HOUR", "MINUTE":
		n, ok := num(v)
		if !ok {
			return bad()
		}
		val = n * map[string]int64{"DAY": 86400000, "HOUR": 3600000, "MINUTE": 60000}[unit]
	case "SECOND":
		ms, ok := secMillis(v)
		if !ok {
			return bad()
		}
		val = ms
	case "DAY TO HOUR", "DAY TO MINUTE", "DAY TO SECOND", "HOUR TO MINUTE", "HOUR TO SECOND", "MINUTE TO SECOND":
		var day int64
		rest := v
		if e.From == "DAY" {
			d, r, ok := strings.Cut(v, " ")
			dn, ok1 := num(d)
			if !ok || !ok1 {
				return bad()
			}
			day, rest = dn, strings.TrimSpace(r)
		}
		fields := strings.Split(rest, ":")
		units := map[string][]int64{
			"DAY TO HOUR": {3600000}, "DAY TO MINUTE": {3600000, 60000}, "DAY TO SECOND": {3600000, 60000, 1000},
			"HOUR TO MINUTE": {3600000, 60000}, "HOUR TO SECOND": {3600000, 60000, 1000}, "MINUTE TO SECOND": {60000, 1000},
		}[unit]
		if len(fields) != len(units) {
			return bad()
		}
		val = day * 86400000
		for i, f := range fields {
			if units[i] == 1000 {
				ms, ok := secMillis(f)
				if !ok {
					return bad()
				}
				val += ms
				continue
			}
			n, ok := num(f)
			if !ok {
				return bad()
			}
			val += n * units[i]
		}
	default:
		return bad()
	}
	if neg {
		val = -val
	}
	t := Type{Kind: kind}
	if kind == KindIntervalDayTime {
		t.Precision = 3
	}
	return &Literal{Value: val, T: t, Pos: e.Span}, nil
}

// ---- operators ----

// mayOverflowDecimal reports whether CAST of a number of type from to the DECIMAL to can
// give NULL because the value does not fit: more integer digits than to has room for, or
// as many with a rounding that can carry (9.99 to DECIMAL(2, 1) is 10.0), or a float.
func mayOverflowDecimal(from, to Type) bool {
	if to.Kind != KindDecimal || !from.IsNumeric() {
		return false
	}
	room := to.Precision - to.Scale
	switch {
	case from.Kind == KindFloat || from.Kind == KindDouble:
		return true
	case from.Kind == KindDecimal:
		digits := from.Precision - from.Scale
		return digits > room || digits == room && from.Scale > to.Scale
	}
	return IntegerDigits(from.Kind) > room
}

// signedNumber reports whether e is a numeric literal behind one or more signs (and
// parentheses), and whether the signs make it negative.
func signedNumber(e parser.Expr) (*parser.Literal, bool, bool) {
	neg := false
	for {
		switch x := unparen(e).(type) {
		case *parser.Literal:
			return x, neg, x.Kind == parser.NumberLit
		case *parser.Unary:
			if x.Op != "-" && x.Op != "+" {
				return nil, false, false
			}
			if x.Op == "-" {
				neg = !neg
			}
			e = x.X
		default:
			return nil, false, false
		}
	}
}

func (b *binder) unary(c *exprCtx, e *parser.Unary) (Expr, *bindError) {
	switch e.Op {
	case "-":
		// Calcite's parser folds a sign into a numeric literal (SqlLiteral.createNegative),
		// also through parentheses and again for - (- 5): the literal's type is that of its
		// value, so - (- 2147483648) is the BIGINT 2147483648.
		if l, neg, ok := signedNumber(e); ok {
			x, err := b.literal(l, neg)
			if err != nil {
				return nil, err
			}
			x.(*Literal).Pos = e.Span
			return x, nil
		}
		if iv, ok := unparen(e.X).(*parser.Interval); ok {
			x, err := b.interval(iv)
			if err != nil {
				return nil, err
			}
			lit := x.(*Literal)
			lit.Value = -lit.Value.(int64)
			lit.Pos = e.Span
			return lit, nil
		}
		x, err := b.expr(c, e.X)
		if err != nil {
			return nil, err
		}
		if !x.Type().IsNumeric() && !isInterval(x.Type()) {
			return nil, b.errorf(e.Span, "cannot apply '-' to an argument of type %s", x.Type())
		}
		return &Call{Op: OpNeg, Args: []Expr{x}, T: x.Type(), Pos: e.Span}, nil
	case "+":
		x, err := b.expr(c, e.X)
		if err != nil {
			return nil, err
		}
		if !x.Type().IsNumeric() && !isInterval(x.Type()) {
			return nil, b.errorf(e.Span, "cannot apply '+' to an argument of type %s", x.Type())
		}
		return x, nil
	case "NOT":
		x, err := b.expr(c, e.X)
		if err != nil {
			return nil, err
		}
		x, err = b.boolOperand(x, "NOT", e.X.ExprSpan())
		if err != nil {
			return nil, err
		}
		return &Call{Op: OpNot, Args: []Expr{x}, T: x.Type(), Pos: e.Span}, nil
	}
	return nil, b.errorf(e.Span, "operator %s is not supported yet", e.Op)
}

func (b *binder) boolOperand(x Expr, op string, span diag.Span) (Expr, *bindError) {
	switch x.Type().Kind {
	case KindBoolean:
		return x, nil
	case KindNull:
		return convert(x, Boolean()), nil
	}
	return nil, b.errorf(span, "cannot apply '%s' to an argument of type %s; it needs BOOLEAN", op, x.Type())
}

var arithOps = map[string]Op{"+": OpAdd, "-": OpSub, "*": OpMul, "/": OpDiv, "%": OpMod}
var cmpOps = map[string]Op{"=": OpEq, "<>": OpNe, "!=": OpNe, "<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe}

func (b *binder) binary(c *exprCtx, e *parser.Binary) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	y, err := b.expr(c, e.Y)
	if err != nil {
		return nil, err
	}
	op := strings.ToUpper(e.Op)
	if op == "IS DISTINCT FROM" || op == "IS NOT DISTINCT FROM" {
		return b.distinctFrom(op, x, y, e.Span)
	}
	if aop, ok := arithOps[op]; ok {
		return b.arith(aop, op, x, y, e.Span)
	}
	if cop, ok := cmpOps[op]; ok {
		return b.compare(cop, op, x, y, e.Span)
	}
	switch op {
	case "AND", "OR":
		x, err := b.boolOperand(x, op, e.X.ExprSpan())
		if err != nil {
			return nil, err
		}
		y, err := b.boolOperand(y, op, e.Y.ExprSpan())
		if err != nil {
			return nil, err
		}
		o := OpAnd
		if op == "OR" {
			o = OpOr
		}
		return boolCall(o, e.Span, x, y), nil
	case "||":
		xt, yt := x.Type(), y.Type()
		if xt.Kind == KindNull {
			xt = String()
			x = convert(x, xt)
		}
		if yt.Kind == KindNull {
			yt = String()
			y = convert(y, yt)
		}
		if !xt.IsString() || !yt.IsString() {
			return nil, b.mismatch(op, e.Span, xt, yt)
		}
		n := min(int64(xt.Length)+int64(yt.Length), MaxLength)
		t := Type{Kind: KindVarchar, Length: int(n), Nullable: xt.Nullable || yt.Nullable}
		if xt.Kind == KindChar && yt.Kind == KindChar {
			t.Kind = KindChar
		}
		return &Call{Op: OpConcat, Args: []Expr{x, y}, T: t, Pos: e.Span}, nil
	}
	return nil, b.errorf(e.Span, "operator %s is not supported yet", e.Op)
}

// mismatch reports operands an operator cannot take, in Flink's form:
// cannot apply '+' to arguments of type '<CHAR(1) NOT NULL> + <INT NOT NULL>'.
func (b *binder) mismatch(op string, span diag.Span, ts ...Type) *bindError {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = "<" + t.String() + ">"
	}
	return b.errorf(span, "cannot apply '%s' to arguments of type '%s'", op, strings.Join(parts, " "+op+" "))
}

func (b *binder) arith(op Op, opText string, x, y Expr, span diag.Span) (Expr, *bindError) {
	xt, yt := x.Type(), y.Type()
	nullable := xt.Nullable || yt.Nullable
	// datetime arithmetic with intervals
	if op == OpAdd || op == OpSub {
		dt, iv := xt, yt
		if op == OpAdd && isInterval(xt) && !isInterval(yt) {
			dt, iv = yt, xt
			x, y = y, x
		}
		if isInterval(iv) && (isTimestamp(dt) || dt.Kind == KindDate && iv.Kind == KindIntervalYearMonth) {
			t := dt.Materialized() // rowtime + INTERVAL is a plain timestamp (Flink)
			t.Nullable = nullable
			return &Call{Op: op, Args: []Expr{x, y}, T: t, Pos: span}, nil
		}
		if isInterval(xt) && xt.Kind == yt.Kind {
			t := xt
			t.Nullable = nullable
			return &Call{Op: op, Args: []Expr{x, y}, T: t, Pos: span}, nil
		}
	}
	res, xc, yc, ok := arithmeticType(op, xt, yt)
	if !ok {
		return nil, b.mismatch(opText, span, xt, yt)
	}
	return &Call{Op: op, Args: []Expr{convert(x, xc), convert(y, yc)}, T: res, Pos: span}, nil
}

func (b *binder) compare(op Op, opText string, x, y Expr, span diag.Span) (Expr, *bindError) {
	xt, yt := x.Type(), y.Type()
	ct, ok := comparableTypes(xt, yt)
	if !ok || (op != OpEq && op != OpNe && isConstructed(ct)) {
		return nil, b.mismatch(opText, span, xt, yt)
	}
	t := Boolean()
	t.Nullable = ct.Nullable
	if ct.Kind == KindDouble && (xt.Kind == KindDecimal) != (yt.Kind == KindDecimal) {
		// DECIMAL against FLOAT/DOUBLE: Flink's DecimalDataUtils.compare(DecimalData,
		// double) is Double.compare(doubleValue(dec), x), a total order (NaN above
		// +Infinity and equal to itself, -0.0 below 0.0). The DECIMAL operand stays
		// DECIMAL so that the code generator and the folder see the mixed comparison.
		if xt.Kind != KindDecimal {
			x = convertKeepNull(x, ct)
		} else {
			y = convertKeepNull(y, ct)
		}
		return &Call{Op: op, Args: []Expr{x, y}, T: t, Pos: span}, nil
	}
	return &Call{Op: op, Args: []Expr{convertKeepNull(x, ct), convertKeepNull(y, ct)}, T: t, Pos: span}, nil
}

// convertKeepNull converts x to t's type, keeping x's nullability.
func convertKeepNull(x Expr, t Type) Expr {
	t.Nullable = x.Type().Nullable || x.Type().Kind == KindNull
	return convert(x, t)
}

// convert converts x to t with an implicit cast. Literals are retyped in place when the
// value is representable unchanged (strings, integers, NULL); anything else gets a Cast.
func convert(x Expr, t Type) Expr {
	xt := x.Type()
	if xt.Equal(t) {
		return x
	}
	if l, ok := x.(*Literal); ok {
		switch {
		case l.Value == nil:
			t.Nullable = true
			return &Literal{Value: nil, T: t, Pos: l.Pos}
		case xt.IsString() && t.IsString() && (t.Kind == KindVarchar || t.Length == xt.Length):
			return &Literal{Value: l.Value, T: t, Pos: l.Pos}
		case xt.IsInteger() && t.IsInteger():
			return &Literal{Value: l.Value, T: t, Pos: l.Pos}
		case xt.IsInteger() && t.Kind == KindDecimal:
			return &Literal{Value: strconv.FormatInt(l.Value.(int64), 10), T: t, Pos: l.Pos}
		case xt.IsInteger() && (t.Kind == KindDouble || t.Kind == KindFloat):
			return &Literal{Value: float64(l.Value.(int64)), T: t, Pos: l.Pos}
		case sameIgnoringNull(xt, t):
			return &Literal{Value: l.Value, T: t, Pos: l.Pos}
		}
	}
	return &Cast{X: x, T: t, Implicit: true}
}

func (b *binder) isBool(c *exprCtx, e *parser.IsBool) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	x, err = b.boolOperand(x, "IS "+e.Value, e.X.ExprSpan())
	if err != nil {
		return nil, err
	}
	var op Op
	switch strings.ToUpper(e.Value) {
	case "TRUE":
		op = OpIsTrue
	case "FALSE":
		op = OpIsFalse
	case "UNKNOWN":
		op = OpIsNull
		if e.Not {
			op = OpIsNotNull
		}
		return &Call{Op: op, Args: []Expr{x}, T: Boolean().NotNull(), Pos: e.Span}, nil
	default:
		return nil, b.errorf(e.Span, "IS %s is not supported", e.Value)
	}
	var r Expr = &Call{Op: op, Args: []Expr{x}, T: Boolean().NotNull(), Pos: e.Span}
	if e.Not {
		r = &Call{Op: OpNot, Args: []Expr{r}, T: Boolean().NotNull(), Pos: e.Span}
	}
	return r, nil
}

func (b *binder) in(c *exprCtx, e *parser.In) (Expr, *bindError) {
	if e.Query != nil {
		return nil, b.errorf(e.Span, "IN (subquery) is not supported yet")
	}
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	args := []Expr{x}
	types := []Type{x.Type()}
	for _, it := range e.List {
		v, err := b.expr(c, it)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
		types = append(types, v.Type())
	}
	ct, ok := CommonType(types...)
	if !ok || isConstructed(ct) {
		return nil, b.errorf(e.Span, "values passed to IN must have compatible types, got %s", typeList(types))
	}
	if xt := x.Type(); xt.IsNumeric() {
		// Flink (Calcite's SqlToRelConverter.convertInToOr) turns x IN (v1, ...) into
		// x = v1 OR ..., casting each vi of another numeric type to x's type first
		// (ensureSqlType): FLOAT f IN (d) compares f with CAST(d AS FLOAT), INT i IN (2.5)
		// with CAST(2.5 AS INT) = 2.
		for i := 1; i < len(args); i++ {
			if at := args[i].Type(); at.IsNumeric() && at.Kind != xt.Kind {
				t := xt
				t.Nullable = at.Nullable
				args[i] = &Cast{X: args[i], T: t, Pos: args[i].Span()} // narrowing wraps or truncates
				types[i] = t
			}
		}
		if ct, ok = CommonType(types...); !ok {
			return nil, b.errorf(e.Span, "values passed to IN must have compatible types, got %s", typeList(types))
		}
	}
	for i := range args {
		args[i] = convertKeepNull(args[i], ct)
	}
	t := Boolean()
	t.Nullable = ct.Nullable
	var r Expr = &Call{Op: OpIn, Args: args, T: t, Pos: e.Span}
	if e.Not {
		r = &Call{Op: OpNot, Args: []Expr{r}, T: t, Pos: e.Span}
	}
	return r, nil
}

// boolCall is a BOOLEAN-valued call, nullable when any argument is (SQL's NULL
// propagation for comparisons, AND, OR and LIKE).
func boolCall(op Op, pos diag.Span, args ...Expr) *Call {
	t := Boolean()
	for _, a := range args {
		t.Nullable = t.Nullable || a.Type().Nullable
	}
	return &Call{Op: op, Args: args, T: t, Pos: pos}
}

// between binds x BETWEEN lo AND hi as x >= lo AND x <= hi; SYMMETRIC ORs in the
// swapped bounds; NOT negates the whole.
func (b *binder) between(c *exprCtx, e *parser.Between) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	lo, err := b.expr(c, e.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := b.expr(c, e.Hi)
	if err != nil {
		return nil, err
	}
	ct, ok := CommonType(x.Type(), lo.Type(), hi.Type())
	if !ok || isConstructed(ct) {
		return nil, b.errorf(e.Span, "cannot apply BETWEEN to arguments of type %s", typeList([]Type{x.Type(), lo.Type(), hi.Type()}))
	}
	x, lo, hi = convertKeepNull(x, ct), convertKeepNull(lo, ct), convertKeepNull(hi, ct)
	var r Expr = boolCall(OpAnd, e.Span, boolCall(OpGe, e.Span, x, lo), boolCall(OpLe, e.Span, x, hi))
	if e.Symmetric {
		swapped := boolCall(OpAnd, e.Span, boolCall(OpGe, e.Span, x, hi), boolCall(OpLe, e.Span, x, lo))
		r = boolCall(OpOr, e.Span, r, swapped)
	}
	if e.Not {
		r = &Call{Op: OpNot, Args: []Expr{r}, T: r.Type(), Pos: e.Span}
	}
	return r, nil
}

func (b *binder) like(c *exprCtx, e *parser.Like) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	p, err := b.expr(c, e.Pattern)
	if err != nil {
		return nil, err
	}
	if e.Similar {
		var esc Expr
		if e.Escape != nil {
			if esc, err = b.expr(c, e.Escape); err != nil {
				return nil, err
			}
		}
		return b.similar(x, p, esc, e.Not, e)
	}
	args, err := b.stringOperands("LIKE", x, p, e.Span)
	if err != nil {
		return nil, err
	}
	if e.Escape != nil {
		esc, err := b.expr(c, e.Escape)
		if err != nil {
			return nil, err
		}
		l, ok := esc.(*Literal)
		if !ok || !l.T.IsString() || utf8.RuneCountInString(l.Value.(string)) != 1 {
			return nil, b.errorf(e.Escape.ExprSpan(), "the ESCAPE of LIKE must be a string literal of one character")
		}
		args = append(args, esc)
	}
	// The escape is a NOT NULL literal, so it does not change the nullability.
	var r Expr = boolCall(OpLike, e.Span, args...)
	if e.Not {
		r = &Call{Op: OpNot, Args: []Expr{r}, T: r.Type(), Pos: e.Span}
	}
	return r, nil
}

func (b *binder) cast(c *exprCtx, e *parser.Cast) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	t, terr := b.typeOf(e.Type)
	if terr != nil {
		return nil, terr
	}
	if !SupportsExplicitCast(x.Type(), t) {
		return nil, b.errorf(e.Span, "cannot cast %s to %s", x.Type(), t)
	}
	// The result keeps the argument's nullability; TRY_CAST can always yield NULL, and
	// so can a number cast to a DECIMAL it may not fit (Flink gives NULL; its type says
	// NOT NULL, which would let the NULL become a zero in a NOT NULL key).
	t.Nullable = x.Type().Nullable || e.Try || mayOverflowDecimal(x.Type(), t)
	if x.Type().Kind == KindNull {
		t.Nullable = true
		return &Literal{Value: nil, T: t, Pos: e.Span}, nil
	}
	return &Cast{X: x, T: t, Try: e.Try, Pos: e.Span}, nil
}

// caseExpr binds CASE; a simple CASE x WHEN v THEN ... becomes WHEN x = v THEN ....
func (b *binder) caseExpr(c *exprCtx, e *parser.Case) (Expr, *bindError) {
	var operand Expr
	if e.Operand != nil {
		var err *bindError
		operand, err = b.expr(c, e.Operand)
		if err != nil {
			return nil, err
		}
	}
	var whens []When
	var results []Expr
	for _, w := range e.Whens {
		cond, err := b.expr(c, w.Cond)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			cond, err = b.compare(OpEq, "=", operand, cond, w.Cond.ExprSpan())
			if err != nil {
				return nil, err
			}
		} else {
			cond, err = b.boolOperand(cond, "WHEN", w.Cond.ExprSpan())
			if err != nil {
				return nil, err
			}
		}
		r, err := b.expr(c, w.Result)
		if err != nil {
			return nil, err
		}
		whens = append(whens, When{Cond: cond})
		results = append(results, r)
	}
	var els Expr
	if e.Else != nil {
		var err *bindError
		els, err = b.expr(c, e.Else)
		if err != nil {
			return nil, err
		}
	} else {
		els = &Literal{Value: nil, T: Type{Kind: KindNull, Nullable: true}, Pos: e.Span}
	}
	return b.buildCase(whens, results, els, e.Span)
}

func (b *binder) buildCase(whens []When, results []Expr, els Expr, span diag.Span) (Expr, *bindError) {
	types := make([]Type, 0, len(results)+1)
	for _, r := range results {
		types = append(types, r.Type())
	}
	types = append(types, els.Type())
	t, ok := CommonType(types...)
	if !ok {
		return nil, b.errorf(span, "the results of CASE have incompatible types %s", typeList(types))
	}
	for i := range whens {
		whens[i].Then = convertKeepNull(results[i], t)
	}
	return &Case{Whens: whens, Else: convertKeepNull(els, t), T: t, Pos: span}, nil
}

// ---- helpers over bound and unbound trees ----

// containsAgg reports whether e calls an aggregate function outside a subquery.
func containsAgg(e parser.Expr) bool { return aggSpan(e) != (diag.Span{Start: -1, End: -1}) }

// aggSpan returns the span of the first aggregate call in e, or {-1, -1}.
func aggSpan(e parser.Expr) diag.Span { return aggSpanFunc(e, isAggName) }

// aggSpanFunc is aggSpan with isAgg deciding which calls are aggregates (the binder's
// aggCallSpan in bind_aggfunc.go also counts aggregate UDFs).
func aggSpanFunc(e parser.Expr, isAgg func(*parser.FuncCall) bool) diag.Span {
	none := diag.Span{Start: -1, End: -1}
	var walk func(e parser.Expr) diag.Span
	many := func(es ...parser.Expr) diag.Span {
		for _, x := range es {
			if x == nil {
				continue
			}
			if s := walk(x); s != none {
				return s
			}
		}
		return none
	}
	walk = func(e parser.Expr) diag.Span {
		switch e := e.(type) {
		case *parser.FuncCall:
			if isAgg(e) {
				return e.Span
			}
			return many(append(append([]parser.Expr{}, e.Args...), e.Filter)...)
		case *parser.Paren:
			return many(e.X)
		case *parser.Unary:
			return many(e.X)
		case *parser.Binary:
			return many(e.X, e.Y)
		case *parser.Cast:
			return many(e.X)
		case *parser.Case:
			xs := []parser.Expr{e.Operand, e.Else}
			for _, w := range e.Whens {
				xs = append(xs, w.Cond, w.Result)
			}
			return many(xs...)
		case *parser.IsNull:
			return many(e.X)
		case *parser.IsBool:
			return many(e.X)
		case *parser.In:
			return many(append([]parser.Expr{e.X}, e.List...)...)
		case *parser.Between:
			return many(e.X, e.Lo, e.Hi)
		case *parser.Like:
			return many(e.X, e.Pattern, e.Escape)
		case *parser.Index:
			return many(e.X, e.Index)
		case *parser.FieldAccess:
			return many(e.X)
		case *parser.Constructor:
			return many(e.Args...)
		case *parser.Extract:
			return many(e.X)
		}
		return none
	}
	return walk(e)
}

// hasInputRef reports whether a bound expression reads its input row.
func hasInputRef(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) {
		if _, ok := x.(*InputRef); ok {
			found = true
		}
	})
	return found
}
