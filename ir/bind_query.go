package ir

import (
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// scope is the set of columns a query's expressions can name: the output row of its
// FROM clause, each column with the table alias that qualifies it.
type scope struct {
	cols []scopeCol
}

type scopeCol struct {
	qual string // table name or alias
	name string
	typ  Type
}

func (s *scope) addFields(qual string, fs []Field) {
	for _, f := range fs {
		s.cols = append(s.cols, scopeCol{qual: qual, name: f.Name, typ: f.Type})
	}
}

func (s *scope) hasQual(q string) bool {
	for _, c := range s.cols {
		if c.qual == q {
			return true
		}
	}
	return false
}

func (s *scope) names() []string {
	out := make([]string, len(s.cols))
	for i, c := range s.cols {
		out[i] = c.name
	}
	return out
}

func (s *scope) fields() []Field {
	out := make([]Field, len(s.cols))
	for i, c := range s.cols {
		out[i] = Field{Name: c.name, Type: c.typ}
	}
	return out
}

// rel is a bound relation: its operator and the scope its columns form.
type rel struct {
	node Node
	sc   *scope
	// window: the relation is a window TVF's (bind_window.go); its scope has the window
	// columns after node's.
	window *tvfWindow
}

// query binds a query; the resulting scope has no qualifier (a subquery or view gets
// one from its alias).
func (b *binder) query(q parser.Query) (*rel, *bindError) {
	switch q := q.(type) {
	case *parser.Select:
		return b.selectQuery(q)
	case *parser.SetOp:
		return b.setOp(q)
	case *parser.Values:
		return nil, b.errorf(q.Span, "VALUES is not supported yet")
	case *parser.With:
		return nil, b.errorf(q.Span, "WITH is not supported yet")
	}
	return nil, b.errorf(q.QuerySpan(), "this query is not supported yet")
}

func (b *binder) from(t parser.TableExpr) (*rel, *bindError) {
	switch t := t.(type) {
	case *parser.TableRef:
		return b.tableRef(t)
	case *parser.Subquery:
		r, err := b.query(t.Query)
		if err != nil {
			return nil, err
		}
		qual := ""
		if t.Alias != nil {
			qual = t.Alias.Name
		}
		return b.aliased(r, qual, t.Columns, t.Span)
	case *parser.Join:
		if r, ok, err := b.lateralJoin(t); ok {
			return r, err
		}
		if t.Comma {
			return nil, b.errorf(t.Span, "joins are not supported yet")
		}
		return nil, b.errorf(t.Span, "%s JOIN is not supported yet", t.Kind)
	case *parser.TableFunc:
		if t.Call != nil && len(t.Call.Name.Parts) == 1 {
			switch n := strings.ToUpper(t.Call.Name.Parts[0].Name); n {
			case "TUMBLE", "HOP", "CUMULATE", "SESSION":
				return b.windowTVF(t, n)
			}
		}
		return nil, b.errorf(t.Span, "table functions are not supported yet")
	}
	return nil, b.errorf(t.TableSpan(), "this FROM clause is not supported yet")
}

// aliased requalifies a relation's columns and applies a column alias list.
func (b *binder) aliased(r *rel, qual string, cols []parser.Ident, span diag.Span) (*rel, *bindError) {
	fields := r.sc.fields()
	if len(cols) > 0 {
		if len(cols) != len(fields) {
			return nil, b.errorf(span, "the alias lists %d columns but the relation has %d", len(cols), len(fields))
		}
		for i := range fields {
			fields[i].Name = cols[i].Name
		}
	}
	sc := &scope{}
	sc.addFields(qual, fields)
	return &rel{node: r.node, sc: sc}, nil
}

func (b *binder) tableRef(t *parser.TableRef) (*rel, *bindError) {
	if len(t.Options) > 0 {
		return nil, b.errorf(t.Options[0].Span, "OPTIONS hints are not supported yet")
	}
	if t.SystemTime != nil {
		return nil, b.errorf(t.SystemTime.ExprSpan(), "FOR SYSTEM_TIME AS OF (temporal and lookup joins) is not supported yet")
	}
	name, err := b.objectName(t.Name)
	if err != nil {
		return nil, err
	}
	qual := name
	if t.Alias != nil {
		qual = t.Alias.Name
	}
	if b.broken[name] {
		return nil, errReported
	}
	if v := b.views[name]; v != nil {
		for _, s := range b.viewStack {
			if s == name {
				return nil, b.errorf(t.Name.Span, "view %q refers to itself", name)
			}
		}
		b.viewStack = append(b.viewStack, name)
		r, err := b.query(v.query)
		b.viewStack = b.viewStack[:len(b.viewStack)-1]
		if err != nil {
			// the view was checked when created; an error now is an internal inconsistency
			return nil, err
		}
		if len(v.names) > 0 {
			r, err = b.aliased(r, "", v.names, t.Span)
			if err != nil {
				return nil, err
			}
		}
		return b.aliased(r, qual, t.Columns, t.Span)
	}
	tab := b.tables[name]
	if tab == nil {
		var names []string
		for n := range b.tables {
			names = append(names, n)
		}
		for n := range b.views {
			names = append(names, n)
		}
		return nil, b.errorf(t.Name.Span, "unknown table %q%s", name, suggest(name, names))
	}
	switch tab.Connector {
	case "print", "blackhole":
		return nil, b.errorf(t.Name.Span, "Connector '%s' can only be used as a sink. It cannot be used as a source.", tab.Connector)
	case "upsert-kafka":
		return nil, b.errorf(t.Name.Span, "reading an 'upsert-kafka' table (a changelog source) is not supported yet")
	}
	scan := &Scan{Table: tab, Alias: qual, Pos: t.Span}
	hasComputed := false
	for i, c := range tab.Columns {
		if c.Kind == Computed {
			hasComputed = true
			continue
		}
		scan.Columns = append(scan.Columns, i)
	}
	var node Node = scan
	if hasComputed {
		// Evaluate computed columns above the scan; the output is every column in table order.
		calc := &Calc{Input: scan}
		pos := 0
		for _, c := range tab.Columns {
			if c.Kind == Computed {
				calc.Exprs = append(calc.Exprs, c.Expr)
			} else {
				calc.Exprs = append(calc.Exprs, &InputRef{Index: pos, Name: c.Name, T: c.Type})
				pos++
			}
			calc.Names = append(calc.Names, c.Name)
		}
		node = calc
	}
	if wm := tab.Watermark; wm != nil {
		// The table's row (every column in table order) is what the WATERMARK clause
		// was bound over; the assigner makes the rowtime column a time attribute.
		node = &WatermarkAssigner{Input: node, RowtimeIndex: wm.Column, Expr: wm.Expr}
	}
	sc := &scope{}
	sc.addFields(qual, node.Schema())
	return b.aliased(&rel{node: node, sc: sc}, qual, t.Columns, t.Span)
}

// selectQuery binds SELECT ... FROM ... WHERE ... GROUP BY ... HAVING.
func (b *binder) selectQuery(q *parser.Select) (*rel, *bindError) {
	if q.From == nil {
		return nil, b.errorf(q.Span, "SELECT without FROM is not supported yet")
	}
	if len(q.OrderBy) > 0 {
		return nil, b.errorf(q.OrderBy[0].Expr.ExprSpan(), "ORDER BY is not supported yet")
	}
	if q.Limit != nil {
		return nil, b.errorf(q.Limit.ExprSpan(), "LIMIT is not supported yet")
	}
	in, err := b.from(q.From)
	if err != nil {
		return nil, err
	}
	var where Expr
	if q.Where != nil {
		where, err = b.predicate(in.sc, q.Where, "WHERE")
		if err != nil {
			return nil, err
		}
	}
	isAgg := len(q.GroupBy) > 0 || q.Having != nil
	for _, it := range q.Items {
		if it.Expr != nil && b.containsAggCall(it.Expr) {
			isAgg = true
		}
	}
	var out *rel
	if isAgg {
		out, err = b.aggregateSelect(q, in, where)
	} else {
		out, err = b.plainSelect(q, in, where)
	}
	if err != nil {
		return nil, err
	}
	if q.Distinct {
		out, err = b.distinct(out, q.Span)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// selectItem is one output column being built.
type selectItem struct {
	expr Expr
	name string
}

// items binds the select list with bind (a plain or an aggregate-aware expression
// binder), expanding * and t.*.
func (b *binder) items(q *parser.Select, sc *scope, bind func(parser.Expr) (Expr, *bindError), column func(i int) (Expr, *bindError)) ([]selectItem, *bindError) {
	var out []selectItem
	for idx, it := range q.Items {
		if it.Star {
			qual := ""
			if it.Qual != nil {
				qual = it.Qual.Parts[len(it.Qual.Parts)-1].Name
				if !sc.hasQual(qual) {
					return nil, b.errorf(it.Qual.Span, "unknown table %q in %s.*", qual, qual)
				}
			}
			for i, c := range sc.cols {
				if qual != "" && c.qual != qual {
					continue
				}
				e, err := column(i)
				if err != nil {
					if err.d == nil {
						return nil, err
					}
					// position the error at the star
					return nil, b.errorf(it.Span, "%s", err.d.Msg)
				}
				out = append(out, selectItem{expr: e, name: c.name})
			}
			continue
		}
		e, err := bind(it.Expr)
		if err != nil {
			return nil, err
		}
		if e.Type().Kind == KindNull {
			return nil, b.errorf(it.Expr.ExprSpan(), "a NULL without a type cannot be a column; use CAST(NULL AS <type>)")
		}
		name := ""
		switch {
		case it.Alias != nil:
			name = it.Alias.Name
		default:
			name = implicitName(it.Expr, idx)
		}
		out = append(out, selectItem{expr: e, name: name})
	}
	return out, nil
}

// implicitName is Flink's name for an unaliased select item: the column (or last field)
// name for a column reference, else EXPR$<position>.
func implicitName(e parser.Expr, idx int) string {
	for {
		p, ok := e.(*parser.Paren)
		if !ok {
			break
		}
		e = p.X
	}
	switch e := e.(type) {
	case *parser.ColumnName:
		return e.Name.Parts[len(e.Name.Parts)-1].Name
	case *parser.FieldAccess:
		return e.Field.Name
	}
	return "EXPR$" + strconv.Itoa(idx)
}

func (b *binder) plainSelect(q *parser.Select, in *rel, where Expr) (*rel, *bindError) {
	if in.window != nil {
		return nil, b.errorf(in.window.span, "a window table-valued function must be aggregated with GROUP BY window_start, window_end, ... (other uses are not supported yet)")
	}
	items, err := b.items(q, in.sc,
		func(e parser.Expr) (Expr, *bindError) { return b.scalar(in.sc, e, "") },
		func(i int) (Expr, *bindError) {
			c := in.sc.cols[i]
			return &InputRef{Index: i, Name: c.name, T: c.typ}, nil
		})
	if err != nil {
		return nil, err
	}
	calc := &Calc{Input: in.node, Cond: where}
	for _, it := range items {
		calc.Exprs = append(calc.Exprs, it.expr)
		calc.Names = append(calc.Names, it.name)
	}
	sc := &scope{}
	sc.addFields("", calc.Schema())
	return &rel{node: calc, sc: sc}, nil
}

// aggState collects, while binding the select list and HAVING of an aggregate query,
// the columns the pre-aggregation Calc must compute and the aggregate calls.
type aggState struct {
	in       *rel
	pre      []Expr   // pre-aggregation Calc: group expressions first, then agg inputs
	preNames []string //
	preKeys  []string // structural keys of pre, for reuse
	nGroup   int
	aggs     []AggCall
	hasGroup bool
	// itemAggName names the aggregate that is exactly a select item with an alias.
	itemAggName map[*parser.FuncCall]string
	// legacy is the group window of GROUP BY TUMBLE(ts, ...) (bind_window.go).
	legacy *legacyWindow
}

func (a *aggState) preColumn(e Expr, name string) int {
	k := ExprKey(e)
	for i, pk := range a.preKeys {
		if pk == k {
			return i
		}
	}
	a.pre = append(a.pre, e)
	a.preKeys = append(a.preKeys, k)
	if name == "" {
		if r, ok := e.(*InputRef); ok {
			name = r.Name
		} else {
			name = "$f" + strconv.Itoa(len(a.pre)-1)
		}
	}
	a.preNames = append(a.preNames, name)
	return len(a.pre) - 1
}

func (b *binder) aggregateSelect(q *parser.Select, in *rel, where Expr) (*rel, *bindError) {
	// Over an updating input (another aggregate's result) the Aggregate retracts: +I and
	// +U rows accumulate, -U and -D rows retract (Flink's GroupAggFunction).
	updating := !in.node.Changelog().IsInsertOnly()
	st := &aggState{in: in, hasGroup: len(q.GroupBy) > 0, itemAggName: map[*parser.FuncCall]string{}}
	for _, g := range q.GroupBy {
		if b.containsAggCall(g) {
			return nil, b.errorf(b.aggCallSpan(g), "aggregate functions are not allowed in GROUP BY")
		}
		if fc, kind, ok := isGroupWindow(g); ok {
			if err := b.groupWindowItem(in, st, fc, kind); err != nil {
				return nil, err
			}
			continue
		}
		e, err := b.scalar(in.sc, g, "GROUP BY")
		if err != nil {
			return nil, err
		}
		if e.Type().Kind == KindNull {
			return nil, b.errorf(g.ExprSpan(), "cannot group by a NULL without a type")
		}
		if isConstructed(e.Type()) && e.Type().Kind != KindRow {
			return nil, b.errorf(g.ExprSpan(), "cannot group by a value of type %s yet", e.Type())
		}
		before := len(st.pre)
		st.preColumn(e, "")
		if len(st.pre) == before {
			continue // GROUP BY a, a
		}
	}
	st.nGroup = len(st.pre)
	for _, it := range q.Items {
		if it.Alias == nil || it.Expr == nil {
			continue
		}
		if fc, ok := unparen(it.Expr).(*parser.FuncCall); ok && b.isAggCall(fc) {
			st.itemAggName[fc] = it.Alias.Name
		}
	}
	groupKeys := st.preKeys[:st.nGroup:st.nGroup]
	ctx := &exprCtx{sc: in.sc, agg: st, groupKeys: groupKeys}
	items, err := b.items(q, in.sc,
		func(e parser.Expr) (Expr, *bindError) { return b.expr(ctx, e) },
		func(i int) (Expr, *bindError) {
			c := in.sc.cols[i]
			k := ExprKey(&InputRef{Index: i, T: c.typ})
			for g, gk := range groupKeys {
				if gk == k {
					return &InputRef{Index: g, Name: st.preNames[g], T: c.typ.Materialized()}, nil
				}
			}
			return nil, b.errorf(diag.Span{}, "expression %q is not being grouped", c.name)
		})
	if err != nil {
		return nil, err
	}
	var having Expr
	if q.Having != nil {
		ctx.clause = "HAVING"
		having, err = b.expr(ctx, q.Having)
		if err != nil {
			return nil, err
		}
		having, err = b.requireBool(having, q.Having.ExprSpan(), "HAVING")
		if err != nil {
			return nil, err
		}
	}
	pre := &Calc{Input: in.node, Cond: where, Exprs: st.pre, Names: st.preNames}
	agg := &Aggregate{Input: pre, Pos: q.Span}
	if len(st.aggs) == 0 {
		// GROUP BY without aggregates removes duplicates, as DISTINCT does.
		agg.Input = dropDistinctsInUnions(pre, false)
	}
	for i := 0; i < st.nGroup; i++ {
		agg.GroupBy = append(agg.GroupBy, i)
		agg.Names = append(agg.Names, st.preNames[i])
	}
	if in.window != nil {
		if err := b.groupWindow(in.window, st, agg, pre, where); err != nil {
			return nil, err
		}
	}
	if st.legacy != nil {
		w := st.legacy.w
		agg.Window = &w
		for _, p := range []int{w.Start, w.End, w.Time} {
			pre.Names[p] = pre.Exprs[p].(*InputRef).Name // the time column, for EXPLAIN
		}
	}
	for _, a := range st.aggs {
		if updating && a.Fn != nil && a.Fn.Agg != nil && !a.Fn.Agg.HasRetract {
			return nil, b.errorf(a.Pos, "aggregate function %s has no Retract method: it cannot aggregate the updating input of %s (Flink requires a retract method too)", a.Fn.Name, describeUpdating(in.node))
		}
		agg.Aggs = append(agg.Aggs, a)
		agg.Names = append(agg.Names, a.Name)
	}
	// The post-aggregation expressions were bound with group column g as InputRef g and
	// aggregate j as InputRef nGroup+j: exactly the Aggregate's output row.
	post := &Calc{Input: agg, Cond: having}
	for _, it := range items {
		post.Exprs = append(post.Exprs, it.expr)
		post.Names = append(post.Names, it.name)
	}
	sc := &scope{}
	sc.addFields("", post.Schema())
	return &rel{node: post, sc: sc}, nil
}

// distinct is SELECT DISTINCT: an Aggregate grouping by every column, without aggregates.
func (b *binder) distinct(r *rel, span diag.Span) (*rel, *bindError) {
	fs := r.node.Schema()
	agg := &Aggregate{Input: dropDistinctsInUnions(r.node, false), Pos: span}
	for i, f := range fs {
		if isConstructed(f.Type) && f.Type.Kind != KindRow {
			return nil, b.errorf(span, "SELECT DISTINCT over a column of type %s is not supported yet", f.Type)
		}
		agg.GroupBy = append(agg.GroupBy, i)
		agg.Names = append(agg.Names, f.Name)
	}
	sc := &scope{}
	sc.addFields("", agg.Schema())
	return &rel{node: agg, sc: sc}, nil
}

// describeUpdating names the operator that makes n's output updating, as Flink does in
// its changelog errors: GroupAggregate(groupBy=[...], select=[...]).
func describeUpdating(n Node) string {
	for n != nil {
		if a, ok := n.(*Aggregate); ok {
			return flinkAggregateString(a)
		}
		var next Node
		for _, in := range n.Inputs() { // follow an input that updates
			if !in.Changelog().IsInsertOnly() {
				next = in
				break
			}
		}
		n = next
	}
	return "an updating operator"
}

func flinkAggregateString(a *Aggregate) string {
	in := a.Input.Schema()
	var parts []string
	var groups []string
	for _, g := range a.GroupBy {
		groups = append(groups, in[g].Name)
	}
	parts = append(parts, groups...)
	for i, c := range a.Aggs {
		parts = append(parts, formatAgg(c, in)+" AS "+a.Names[len(a.GroupBy)+i])
	}
	s := "GroupAggregate("
	if len(groups) > 0 {
		s += "groupBy=[" + strings.Join(groups, ", ") + "], "
	}
	return s + "select=[" + strings.Join(parts, ", ") + "])"
}

// ---- INSERT ----

// appendOnlyConnectors reject updating input; the others accept every row kind.
var appendOnlyConnectors = map[string]bool{"kafka": true, "filesystem": true, "datagen": true}

// upsertConnectors write updates as upserts on a key.
var upsertConnectors = map[string]bool{"jdbc": true, "upsert-kafka": true}

func (b *binder) insert(s *parser.Insert) (*Sink, *bindError) {
	if s.Overwrite {
		return nil, b.errorf(s.Span, "INSERT OVERWRITE is not supported yet")
	}
	if len(s.Options) > 0 {
		return nil, b.errorf(s.Options[0].Span, "OPTIONS hints are not supported yet")
	}
	name, err := b.objectName(s.Table)
	if err != nil {
		return nil, err
	}
	tab := b.tables[name]
	if tab == nil {
		if b.broken[name] {
			return nil, errReported
		}
		if b.views[name] != nil {
			return nil, b.errorf(s.Table.Span, "cannot INSERT INTO view %q", name)
		}
		var names []string
		for n := range b.tables {
			names = append(names, n)
		}
		return nil, b.errorf(s.Table.Span, "unknown table %q%s", name, suggest(name, names))
	}
	if tab.Connector == "datagen" {
		return nil, b.errorf(s.Table.Span, "Connector 'datagen' can only be used as a source. It cannot be used as a sink.")
	}
	for _, c := range tab.Columns {
		if c.Kind == Metadata && !c.Virtual {
			return nil, b.errorf(s.Table.Span, "writing metadata column %q of table %q is not supported yet", c.Name, name)
		}
	}
	r, err := b.query(s.Query)
	if err != nil {
		return nil, err
	}
	qfields := r.node.Schema()
	qualified := QualifiedName(name)
	// target[i] is the table column that query column i fills
	var target []int
	if len(s.Columns) > 0 {
		seen := map[int]bool{}
		for _, id := range s.Columns {
			i := tab.Column(id.Name)
			if i < 0 {
				return nil, b.errorf(id.Span, "unknown column %q in table %q%s", id.Name, name, suggest(id.Name, columnNames(tab)))
			}
			if tab.Columns[i].Kind != Physical {
				return nil, b.errorf(id.Span, "cannot insert into %s column %q", kindName(tab.Columns[i].Kind), id.Name)
			}
			if seen[i] {
				return nil, b.errorf(id.Span, "column %q is listed twice", id.Name)
			}
			seen[i] = true
			target = append(target, i)
		}
	} else {
		for i, c := range tab.Columns {
			if c.Kind == Physical {
				target = append(target, i)
			}
		}
	}
	if len(target) != len(qfields) {
		return nil, b.errorf(s.Query.QuerySpan(), "column types of query result and sink for '%s' do not match: the query produces %d columns, the sink expects %d", qualified, len(qfields), len(target))
	}
	// Final Calc: the table's physical columns in order, with implicit casts and NULLs.
	byTarget := map[int]int{}
	for qi, ti := range target {
		byTarget[ti] = qi
	}
	final := &Calc{Input: r.node}
	var phys []int
	for ti, c := range tab.Columns {
		if c.Kind != Physical {
			continue
		}
		phys = append(phys, ti)
		qi, ok := byTarget[ti]
		if !ok {
			if !c.Type.Nullable {
				return nil, b.errorf(s.Table.Span, "column %q of table %q is NOT NULL and is not listed in the INSERT", c.Name, name)
			}
			final.Exprs = append(final.Exprs, &Literal{Value: nil, T: c.Type})
			final.Names = append(final.Names, c.Name)
			continue
		}
		qt := qfields[qi].Type
		if !SupportsImplicitCast(qt, c.Type) {
			return nil, b.errorf(s.Query.QuerySpan(), "column types of query result and sink for '%s' do not match: cannot write %s (query column %d %q) into sink column %q of type %s", qualified, qt, qi+1, qfields[qi].Name, c.Name, c.Type)
		}
		var e Expr = &InputRef{Index: qi, Name: qfields[qi].Name, T: qt}
		// A NOT NULL value fills a nullable column as it is; every other difference,
		// including nullable into NOT NULL (checked per row), is an explicit Cast.
		if !qt.Equal(c.Type) && !(qt.NotNull().Equal(c.Type.NotNull()) && c.Type.Nullable) {
			ct := c.Type
			if !qt.Nullable {
				ct = ct.NotNull()
			}
			e = &Cast{X: e, T: ct, Implicit: true}
		}
		final.Exprs = append(final.Exprs, e)
		final.Names = append(final.Names, c.Name)
	}
	// Sink.Columns and UpsertKey index Table.Columns, like Table.PrimaryKey.
	sink := &Sink{Input: final, Table: tab, Columns: phys, Pos: s.Span}
	// Changelog: updating input needs a sink that consumes updates.
	updating := !r.node.Changelog().IsInsertOnly()
	if !sink.AcceptsChangelog(r.node.Changelog()) {
		return nil, b.errorf(s.Span, "Table sink '%s' doesn't support consuming update changes which is produced by node %s", qualified, describeUpdating(r.node))
	}
	if upsertConnectors[tab.Connector] {
		switch {
		case len(tab.PrimaryKey) > 0:
			sink.UpsertKey = append([]int(nil), tab.PrimaryKey...)
		case tab.Connector == "upsert-kafka":
			return nil, b.errorf(s.Table.Span, "'upsert-kafka' tables require to define a PRIMARY KEY constraint; table %q has none", name)
		case updating:
			uk := r.node.UniqueKey()
			if len(uk) == 0 {
				return nil, b.errorf(s.Span, "cannot write the updating result of %s into table '%s': the table has no PRIMARY KEY and the query has no unique key", describeUpdating(r.node), qualified)
			}
			for _, qi := range uk {
				sink.UpsertKey = append(sink.UpsertKey, target[qi])
			}
		}
	}
	return sink, nil
}

func kindName(k ColumnKind) string {
	switch k {
	case Computed:
		return "computed"
	case Metadata:
		return "metadata"
	}
	return "physical"
}

func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}
