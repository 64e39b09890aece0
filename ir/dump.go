package ir

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump renders an operator tree like Flink's EXPLAIN CHANGELOG_MODE, one operator a
// line, children indented under "+- ":
//
//	Sink(table=[t], fields=[a, b], changelogMode=[I,UB,UA])
//	+- Calc(select=[a, CAST(b AS DOUBLE) AS b], types=[STRING, DOUBLE], changelogMode=[I,UB,UA])
//	   +- Aggregate(groupBy=[a], select=[a, COUNT(*) AS b], ...)
//
// Expressions print as SQL over the input's column names. Calc and Aggregate lines end
// with the output types; the output is deterministic.
func Dump(n Node) string {
	var sb strings.Builder
	dumpTree(&sb, n, "", "")
	return sb.String()
}

func dumpTree(sb *strings.Builder, n Node, first, rest string) {
	sb.WriteString(first)
	sb.WriteString(Describe(n))
	sb.WriteByte('\n')
	// As Flink's EXPLAIN: ":- " before every child but the last, "+- " before the last.
	ins := n.Inputs()
	for i, in := range ins {
		if i < len(ins)-1 {
			dumpTree(sb, in, rest+":- ", rest+":  ")
		} else {
			dumpTree(sb, in, rest+"+- ", rest+"   ")
		}
	}
}

// DumpPlan renders every sink of a plan, separated by blank lines.
func DumpPlan(p *Plan) string {
	var parts []string
	for _, s := range p.Sinks {
		parts = append(parts, Dump(s))
	}
	return strings.Join(parts, "\n")
}

// DumpProgram lists each pipeline with its operators:
//
//	Pipeline 1: Scan(cdn_access_log) -> Calc -> Aggregate
//	  Scan(...)
//	  Calc(...)
//	  Aggregate(...)
//
// An operator in several pipelines (the Calc that computes what the readers of an
// Aggregate have in common, optimizer.ShareAggregateCalcs) is marked shared:
//
//	Pipeline 2: Aggregate(emit) -> Calc(shared) -> Calc -> Sink(t)
//	  emit Aggregate(...)
//	  shared Calc(...)
func DumpProgram(p *Program) string {
	in := map[Node]int{} // how many pipelines run each step
	for _, pl := range p.Pipelines {
		for _, st := range pl.Operators() {
			in[st]++
		}
	}
	var sb strings.Builder
	for i, pl := range p.Pipelines {
		if i > 0 {
			sb.WriteByte('\n')
		}
		steps := []string{shortName(pl.Source, true)}
		for _, st := range pl.Operators() {
			name := shortName(st, false)
			if in[st] > 1 {
				name += "(shared)"
			}
			steps = append(steps, name)
		}
		if pl.Union != nil {
			steps = append(steps, "Union")
		}
		if pl.Sink != nil {
			steps = append(steps, shortName(pl.Sink, false))
		}
		fmt.Fprintf(&sb, "Pipeline %d: %s\n", pl.ID, strings.Join(steps, " -> "))
		if pl.Source != nil {
			if _, ok := pl.Source.(*Aggregate); ok {
				fmt.Fprintf(&sb, "  emit %s\n", Describe(pl.Source))
			} else {
				fmt.Fprintf(&sb, "  %s\n", Describe(pl.Source))
			}
		}
		for _, st := range pl.Operators() {
			if in[st] > 1 {
				fmt.Fprintf(&sb, "  shared %s\n", Describe(st))
			} else {
				fmt.Fprintf(&sb, "  %s\n", Describe(st))
			}
		}
		if pl.Union != nil {
			fmt.Fprintf(&sb, "  %s\n", Describe(pl.Union))
		}
		if pl.Sink != nil {
			fmt.Fprintf(&sb, "  %s\n", Describe(pl.Sink))
		}
	}
	return sb.String()
}

func shortName(n Node, source bool) string {
	switch n := n.(type) {
	case *Scan:
		return "Scan(" + n.Table.Name + ")"
	case *Aggregate:
		if source {
			return "Aggregate(emit)"
		}
		return "Aggregate"
	case *Sink:
		return "Sink(" + n.Table.Name + ")"
	case *Calc:
		return "Calc"
	case *Union:
		return "Union"
	case *Correlate:
		return "Correlate"
	case *WatermarkAssigner:
		return "WatermarkAssigner"
	case nil:
		return "?"
	}
	return fmt.Sprintf("%T", n)
}

// Describe renders one operator on one line, without its inputs.
func Describe(n Node) string {
	mode := "changelogMode=" + n.Changelog().String()
	switch n := n.(type) {
	case *Scan:
		var fs []string
		for i := range n.Columns {
			fs = append(fs, n.Field(i).Name)
		}
		return fmt.Sprintf("Scan(table=[%s], fields=[%s], %s)", n.Table.Name, strings.Join(fs, ", "), mode)
	case *Calc:
		in := n.Input.Schema()
		var parts []string
		if len(n.Lets) > 0 {
			var ls []string
			for i, l := range n.Lets {
				ls = append(ls, fmt.Sprintf("$e%d := %s", i, FormatExpr(l, in)))
			}
			parts = append(parts, "lets=["+strings.Join(ls, ", ")+"]")
		}
		var sel []string
		for i, e := range n.Exprs {
			s := FormatExpr(e, in)
			if name := quoteIdent(n.Names[i]); name != s {
				s += " AS " + name
			}
			sel = append(sel, s)
		}
		parts = append(parts, "select=["+strings.Join(sel, ", ")+"]")
		if n.Cond != nil {
			parts = append(parts, "where=["+FormatExpr(n.Cond, in)+"]")
		}
		parts = append(parts, "types=["+typesOf(n.Schema())+"]", mode)
		return "Calc(" + strings.Join(parts, ", ") + ")"
	case *Aggregate:
		in := n.Input.Schema()
		var parts []string
		var groups, sel []string
		for i, g := range n.GroupBy {
			s := quoteIdent(in[g].Name)
			groups = append(groups, s)
			if w := n.Window; w != nil && w.IsProperty(i) {
				// start('w$) AS window_start, as Flink prints a window property
				s = map[bool]string{true: "start", false: map[bool]string{true: "end", false: "rowtime"}[i == w.End]}[i == w.Start] + "('w$)"
			}
			if name := quoteIdent(n.Names[i]); name != s {
				s += " AS " + name
			}
			sel = append(sel, s)
		}
		if w := n.Window; w != nil {
			// WindowAggregate(groupBy=[k], window=[TUMBLE(time_col=[ts], size=[10 s])], ...)
			groups = groups[:0]
			for _, i := range w.KeyPositions(n.GroupBy) {
				groups = append(groups, quoteIdent(in[n.GroupBy[i]].Name))
			}
			if len(groups) > 0 {
				parts = append(parts, "groupBy=["+strings.Join(groups, ", ")+"]")
			}
			parts = append(parts, "window=["+w.describe(quoteIdent(in[n.GroupBy[w.TimePos()]].Name))+"]")
		} else if len(groups) > 0 {
			parts = append(parts, "groupBy=["+strings.Join(groups, ", ")+"]")
		}
		for i, a := range n.Aggs {
			sel = append(sel, formatAgg(a, in)+" AS "+quoteIdent(n.Names[len(n.GroupBy)+i]))
		}
		parts = append(parts, "select=["+strings.Join(sel, ", ")+"]")
		parts = append(parts, "types=["+typesOf(n.Schema())+"]", mode)
		if n.Window != nil {
			return "WindowAggregate(" + strings.Join(parts, ", ") + ")"
		}
		return "Aggregate(" + strings.Join(parts, ", ") + ")"
	case *Sink:
		var fs []string
		for _, c := range n.Columns {
			fs = append(fs, sinkColumnName(n, c))
		}
		s := fmt.Sprintf("Sink(table=[%s], fields=[%s]", n.Table.Name, strings.Join(fs, ", "))
		if n.UpsertKey != nil {
			var ks []string
			for _, k := range n.UpsertKey {
				ks = append(ks, sinkColumnName(n, k))
			}
			s += ", upsertKey=[" + strings.Join(ks, ", ") + "]"
		}
		return s + ", " + mode + ")"
	case *Correlate:
		return describeCorrelate(n)
	case *WatermarkAssigner:
		return describeWatermarkAssigner(n)
	case *Union:
		var fs []string
		for _, f := range n.Schema() {
			fs = append(fs, quoteIdent(f.Name))
		}
		return fmt.Sprintf("Union(all=[true], union=[%s], %s)", strings.Join(fs, ", "), mode)
	case nil:
		return "<nil>"
	}
	return fmt.Sprintf("%T", n)
}

// sinkColumnName names column i of the sink's table.
func sinkColumnName(s *Sink, i int) string {
	if i >= 0 && i < len(s.Table.Columns) {
		return s.Table.Columns[i].Name
	}
	return "$" + strconv.Itoa(i)
}

func typesOf(fs []Field) string {
	ts := make([]string, len(fs))
	for i, f := range fs {
		ts[i] = f.Type.String()
	}
	return strings.Join(ts, ", ")
}

func formatAgg(a AggCall, in []Field) string {
	if a.Fn != nil {
		return formatUDAF(a, in)
	}
	var sb strings.Builder
	sb.WriteString(string(a.Func))
	sb.WriteByte('(')
	if a.Distinct {
		sb.WriteString("DISTINCT ")
	}
	if a.Arg == nil {
		sb.WriteByte('*')
	} else {
		sb.WriteString(FormatExpr(a.Arg, in))
	}
	sb.WriteByte(')')
	if a.Filter != nil {
		sb.WriteString(" FILTER (WHERE " + FormatExpr(a.Filter, in) + ")")
	}
	return sb.String()
}

// FormatExpr renders e as SQL text, naming input columns by input's field names ($i
// where a column has no name) and common subexpressions as $e<i>.
func FormatExpr(e Expr, input []Field) string {
	var sb strings.Builder
	formatExpr(&sb, e, input, false)
	return sb.String()
}

var infixOps = map[Op]bool{
	OpAdd: true, OpSub: true, OpMul: true, OpDiv: true, OpEq: true, OpNe: true, OpLt: true,
	OpLe: true, OpGt: true, OpGe: true, OpAnd: true, OpOr: true, OpConcat: true,
}

func formatExpr(sb *strings.Builder, e Expr, in []Field, nested bool) {
	list := func(args []Expr) {
		for i, a := range args {
			if i > 0 {
				sb.WriteString(", ")
			}
			formatExpr(sb, a, in, false)
		}
	}
	switch e := e.(type) {
	case nil:
		sb.WriteString("<nil>")
	case *InputRef:
		switch {
		case e.Index < len(in) && in[e.Index].Name != "":
			sb.WriteString(quoteIdent(in[e.Index].Name))
		default:
			sb.WriteString("$" + strconv.Itoa(e.Index))
		}
	case *LocalRef:
		sb.WriteString("$e" + strconv.Itoa(e.Index))
	case *Literal:
		sb.WriteString(formatLiteral(e))
		if e.Folded != "" {
			sb.WriteString(" /* folded " + e.Folded + " */")
		}
	case *Call:
		switch {
		case infixOps[e.Op] && len(e.Args) == 2:
			if nested {
				sb.WriteByte('(')
			}
			formatOperand(sb, e, e.Args[0], in, false)
			sb.WriteString(" " + string(e.Op) + " ")
			formatOperand(sb, e, e.Args[1], in, true)
			if nested {
				sb.WriteByte(')')
			}
		case e.Op == OpNeg:
			sb.WriteByte('-')
			formatExpr(sb, e.Args[0], in, true)
		case e.Op == OpNot:
			sb.WriteString("NOT ")
			formatExpr(sb, e.Args[0], in, true)
		case e.Op == OpIsNull || e.Op == OpIsNotNull || e.Op == OpIsTrue || e.Op == OpIsFalse:
			if nested {
				sb.WriteByte('(')
			}
			formatExpr(sb, e.Args[0], in, true)
			sb.WriteString(" " + string(e.Op))
			if nested {
				sb.WriteByte(')')
			}
		case e.Op == OpIn:
			if nested {
				sb.WriteByte('(')
			}
			formatExpr(sb, e.Args[0], in, true)
			sb.WriteString(" IN (")
			list(e.Args[1:])
			sb.WriteByte(')')
			if nested {
				sb.WriteByte(')')
			}
		case e.Op == OpLike:
			if nested {
				sb.WriteByte('(')
			}
			formatExpr(sb, e.Args[0], in, true)
			sb.WriteString(" LIKE ")
			formatExpr(sb, e.Args[1], in, true)
			if len(e.Args) > 2 {
				sb.WriteString(" ESCAPE ")
				formatExpr(sb, e.Args[2], in, true)
			}
			if nested {
				sb.WriteByte(')')
			}
		case e.Op == OpMod:
			sb.WriteString("MOD(")
			list(e.Args)
			sb.WriteByte(')')
		case e.Op == "TRIM" && len(e.Args) == 3:
			mode, _ := e.Args[0].(*Literal)
			sb.WriteString("TRIM(")
			if mode != nil {
				if s, ok := mode.Value.(string); ok {
					sb.WriteString(s + " ")
				}
			}
			formatExpr(sb, e.Args[1], in, false)
			sb.WriteString(" FROM ")
			formatExpr(sb, e.Args[2], in, false)
			sb.WriteByte(')')
		default:
			sb.WriteString(string(e.Op) + "(")
			list(e.Args)
			sb.WriteByte(')')
		}
	case *Cast:
		if e.Try {
			sb.WriteString("TRY_CAST(")
		} else {
			sb.WriteString("CAST(")
		}
		formatExpr(sb, e.X, in, false)
		sb.WriteString(" AS " + e.T.WithNull().String())
		if !e.T.Nullable && e.X.Type().Nullable {
			sb.WriteString(" NOT NULL")
		}
		sb.WriteByte(')')
	case *Case:
		sb.WriteString("CASE")
		for _, w := range e.Whens {
			sb.WriteString(" WHEN ")
			formatExpr(sb, w.Cond, in, false)
			sb.WriteString(" THEN ")
			formatExpr(sb, w.Then, in, false)
		}
		sb.WriteString(" ELSE ")
		formatExpr(sb, e.Else, in, false)
		sb.WriteString(" END")
	case *UDFCall:
		sb.WriteString(e.Fn.Name + "(")
		list(e.Args)
		sb.WriteByte(')')
	case *FieldAccess:
		formatExpr(sb, e.X, in, true)
		sb.WriteString("." + quoteIdent(e.Name))
	default:
		fmt.Fprintf(sb, "%T", e)
	}
}

// precedence of infix operators for printing; higher binds tighter.
func precedence(e Expr) int {
	c, ok := e.(*Call)
	if !ok {
		return 100
	}
	switch c.Op {
	case OpOr:
		return 1
	case OpAnd:
		return 2
	case OpNot:
		return 3
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIsNull, OpIsNotNull, OpIsTrue, OpIsFalse, OpIn, OpLike:
		return 4
	case OpConcat:
		return 5
	case OpAdd, OpSub:
		return 6
	case OpMul, OpDiv:
		return 7
	}
	return 100
}

var associative = map[Op]bool{OpAnd: true, OpOr: true, OpAdd: true, OpMul: true, OpConcat: true}

// formatOperand prints an operand of an infix call, in parentheses only where
// precedence requires them.
func formatOperand(sb *strings.Builder, parent *Call, arg Expr, in []Field, right bool) {
	pp, cp := precedence(parent), precedence(arg)
	paren := cp < pp
	if cp == pp {
		c := arg.(*Call)
		switch {
		case pp == 4:
			paren = true
		case right:
			paren = !(c.Op == parent.Op && associative[c.Op])
		}
	}
	if paren {
		sb.WriteByte('(')
	}
	formatExpr(sb, arg, in, false)
	if paren {
		sb.WriteByte(')')
	}
}

// quoteIdent backquotes names that are not plain identifiers.
func quoteIdent(s string) string {
	if s == "" {
		return "``"
	}
	for i, r := range s {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '$' || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return "`" + strings.ReplaceAll(s, "`", "``") + "`"
	}
	return s
}

// formatLiteral renders a literal as SQL: 42, 1.0, 'abc', TRUE, DATE '2020-01-01',
// INTERVAL '10.000' SECOND; a typed NULL shows its type as Flink does (null:BIGINT).
func formatLiteral(l *Literal) string {
	if l.Value == nil {
		if l.T.Kind == KindNull {
			return "NULL"
		}
		return "null:" + l.T.WithNull().String()
	}
	switch v := l.Value.(type) {
	case bool:
		if v {
			return "TRUE"
		}
		return "FALSE"
	case int64:
		switch l.T.Kind {
		case KindDate:
			return "DATE '" + formatDays(v) + "'"
		case KindTime:
			return fmt.Sprintf("TIME '%02d:%02d:%02d.%03d'", v/3600000, v/60000%60, v/1000%60, v%1000)
		case KindIntervalDayTime:
			sign := ""
			if v < 0 {
				sign, v = "-", -v
			}
			return fmt.Sprintf("INTERVAL '%s%d.%03d' SECOND", sign, v/1000, v%1000)
		case KindIntervalYearMonth:
			return fmt.Sprintf("INTERVAL '%d' MONTH", v)
		}
		return strconv.FormatInt(v, 10)
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEIN") {
			s += ".0"
		}
		if l.T.Kind == KindDouble && !strings.ContainsAny(s, "eE") {
			s += "E0"
		}
		return s
	case string:
		switch l.T.Kind {
		case KindDecimal:
			return v
		case KindTimestamp:
			return "TIMESTAMP '" + v + "'"
		case KindTimestampLTZ:
			return "TIMESTAMP_LTZ '" + v + "'"
		}
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []byte:
		return fmt.Sprintf("X'%X'", v)
	}
	return fmt.Sprint(l.Value)
}

// formatDays renders days since 1970-01-01 as yyyy-mm-dd (proleptic Gregorian).
func formatDays(d int64) string {
	// civil-from-days (Howard Hinnant)
	z := d + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}
