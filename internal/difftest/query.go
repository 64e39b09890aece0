package difftest

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"
)

// Column is a named, typed output column.
type Column struct {
	Name string
	T    Type
}

// Query is a relational query of the generator's tree. Rows returns its final result as
// a multiset: what replaying the job's changelog must leave.
type Query interface {
	SQL(indent string) string
	Schema() []Column
	Rows(db *DB) ([]Row, error)
	// Updating reports whether the query's changelog has updates (an aggregate, DISTINCT
	// or UNION below it without a window).
	Updating() bool
}

// Table is a source table with its rows.
type Table struct {
	Name string
	Cols []Column
	Data []Row
}

// DB holds the source tables by name.
type DB struct{ Tables map[string]*Table }

// Scan reads a source table.
type Scan struct{ T *Table }

func (s *Scan) SQL(string) string          { return s.T.Name }
func (s *Scan) Schema() []Column           { return s.T.Cols }
func (s *Scan) Rows(db *DB) ([]Row, error) { return db.Tables[s.T.Name].Data, nil }
func (s *Scan) Updating() bool             { return false }

// Agg is an aggregate call. Fn is COUNT, SUM, AVG, MIN or MAX; Arg is nil for COUNT(*).
type Agg struct {
	Fn       string
	Distinct bool
	Arg      *Expr
	Filter   *Expr
	T        Type
}

func (a *Agg) SQL() string {
	s := a.Fn + "("
	if a.Distinct {
		s += "DISTINCT "
	}
	if a.Arg == nil {
		s += "*"
	} else {
		s += a.Arg.SQL()
	}
	s += ")"
	if a.Filter != nil {
		s += " FILTER (WHERE " + a.Filter.SQL() + ")"
	}
	return s
}

// Select is SELECT [DISTINCT] items FROM from [WHERE] [GROUP BY] [HAVING]. In an
// aggregate select (Aggs or GroupBy non-empty), Items and Having are over the row
// [group keys..., aggregates...] (Ops "keyref" and "aggref").
type Select struct {
	From     Query
	Alias    string // the subquery's alias when From is not a Scan
	Items    []*Expr
	Names    []string
	Where    *Expr
	GroupBy  []*Expr
	Aggs     []*Agg
	Having   *Expr
	Distinct bool
	Global   bool // aggregates without GROUP BY
}

func (s *Select) isAgg() bool { return s.Global || len(s.GroupBy) > 0 }

func (s *Select) Schema() []Column {
	cols := make([]Column, len(s.Items))
	for i, e := range s.Items {
		cols[i] = Column{s.Names[i], e.T}
	}
	return cols
}

func (s *Select) Updating() bool {
	return s.isAgg() || s.Distinct || s.From.Updating()
}

func (s *Select) SQL(indent string) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	for i, e := range s.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s AS %s", e.SQL(), s.Names[i])
	}
	b.WriteString("\n" + indent + "FROM ")
	switch from := s.From.(type) {
	case *Scan:
		b.WriteString(from.T.Name)
	case *Lateral:
		b.WriteString(from.SQL(indent))
	default:
		fmt.Fprintf(&b, "(%s) AS %s", s.From.SQL(indent+"  "), s.Alias)
	}
	if s.Where != nil {
		b.WriteString("\n" + indent + "WHERE " + s.Where.SQL())
	}
	if len(s.GroupBy) > 0 {
		b.WriteString("\n" + indent + "GROUP BY ")
		for i, k := range s.GroupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k.SQL())
		}
	}
	if s.Having != nil {
		b.WriteString("\n" + indent + "HAVING " + s.Having.SQL())
	}
	return b.String()
}

func (s *Select) Rows(db *DB) ([]Row, error) {
	in, err := s.From.Rows(db)
	if err != nil {
		return nil, err
	}
	if l, ok := s.From.(*Lateral); ok && s.Where != nil {
		// A filter on the table's own columns runs before the table function is called
		// (Flink pushes it below the correlate, as we do), so it also meets rows the
		// function yields nothing for: its failures count.
		if err := l.leftFilterErrors(db, s.Where); err != nil {
			return nil, err
		}
	}
	var kept []Row
	for _, r := range in {
		if s.Where != nil {
			v, err := s.Where.Eval(r)
			if err != nil {
				return nil, err
			}
			if v.Null || v.I == 0 {
				continue
			}
		}
		kept = append(kept, r)
	}
	var out []Row
	if !s.isAgg() {
		for _, r := range kept {
			o, err := evalItems(s.Items, r)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	} else {
		groups, err := s.aggregate(kept)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if s.Having != nil {
				v, err := s.Having.Eval(g)
				if err != nil {
					return nil, err
				}
				if v.Null || v.I == 0 {
					continue
				}
			}
			o, err := evalItems(s.Items, g)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
	}
	if s.Distinct {
		out = distinct(out, s.Schema())
	}
	return out, nil
}

func evalItems(items []*Expr, r Row) (Row, error) {
	o := make(Row, len(items))
	for i, e := range items {
		v, err := e.Eval(r)
		if err != nil {
			return nil, err
		}
		o[i] = v
	}
	return o, nil
}

// keyOf is a value's identity for grouping and DISTINCT, as Flink's binary rows compare
// it: floating point by its bits with NaN normalized (so -0.0 and 0.0 are two keys).
func keyOf(v Value, t Type) string {
	if v.Null {
		return "N"
	}
	switch {
	case t.Kind == Decimal:
		return "D" + v.D.String()
	case t.Kind.isApprox():
		f := v.F
		if math.IsNaN(f) {
			f = math.NaN()
		}
		if t.Kind == Float {
			return fmt.Sprintf("F%x", math.Float32bits(float32(f)))
		}
		return fmt.Sprintf("F%x", math.Float64bits(f))
	case t.Kind.isString(), t.Kind.isBinary():
		return "S" + v.S
	}
	return fmt.Sprintf("I%d.%d", v.I, v.N)
}

func rowKey(r Row, cols []Column) string {
	var b strings.Builder
	for i, v := range r {
		b.WriteString(keyOf(v, cols[i].T))
		b.WriteByte(0)
	}
	return b.String()
}

func distinct(rows []Row, cols []Column) []Row {
	seen := map[string]bool{}
	var out []Row
	for _, r := range rows {
		k := rowKey(r, cols)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

// aggregate groups rows by the GROUP BY keys and computes the aggregates, returning one
// row [keys..., aggregates...] per group. A global aggregate over no rows has no row: a
// streaming aggregate emits nothing until its first input.
func (s *Select) aggregate(rows []Row) ([]Row, error) {
	type group struct {
		key  Row
		rows []Row
	}
	var order []string
	groups := map[string]*group{}
	keyCols := make([]Column, len(s.GroupBy))
	for i, k := range s.GroupBy {
		keyCols[i] = Column{T: k.T}
	}
	for _, r := range rows {
		key, err := evalItems(s.GroupBy, r)
		if err != nil {
			return nil, err
		}
		ks := rowKey(key, keyCols)
		g := groups[ks]
		if g == nil {
			g = &group{key: key}
			groups[ks] = g
			order = append(order, ks)
		}
		g.rows = append(g.rows, r)
	}
	var out []Row
	for _, ks := range order {
		g := groups[ks]
		o := append(Row{}, g.key...)
		for _, a := range s.Aggs {
			v, err := a.eval(g.rows, s.From.Updating())
			if err != nil {
				return nil, err
			}
			o = append(o, v)
		}
		out = append(out, o)
	}
	return out, nil
}

// eval computes the aggregate over a group's rows; updating says its input is an
// updating changelog (Flink then uses the aggregate's retracting version).
func (a *Agg) eval(rows []Row, updating bool) (Value, error) {
	var vals []Value
	at := Type{}
	if a.Arg != nil {
		at = a.Arg.T
	}
	seen := map[string]bool{}
	for _, r := range rows {
		// The argument is computed for every row, filtered or not: Flink computes the
		// aggregate's arguments and filter in the projection below the aggregate.
		v := Value{}
		if a.Arg != nil {
			var err error
			if v, err = a.Arg.Eval(r); err != nil {
				return v, err
			}
		}
		if a.Filter != nil {
			f, err := a.Filter.Eval(r)
			if err != nil {
				return f, err
			}
			if f.Null || f.I == 0 {
				continue
			}
		}
		if a.Arg == nil {
			vals = append(vals, Value{})
			continue
		}
		if v.Null {
			continue
		}
		if a.Distinct {
			k := keyOf(v, at)
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		vals = append(vals, v)
	}
	switch a.Fn {
	case "COUNT":
		return Value{I: int64(len(vals))}, nil
	case "max_len":
		return maxLen(vals), nil
	}
	if len(vals) == 0 {
		return nullValue, nil
	}
	switch a.Fn {
	case "SUM":
		return sumOf(vals, at, a.T), nil
	case "AVG":
		switch {
		case at.Kind.isInteger():
			var s int64
			for _, v := range vals {
				s += v.I
			}
			return Value{I: wrapInt(s/int64(len(vals)), a.T.Kind)}, nil
		case at.Kind == Decimal:
			s := sumOf(vals, at, tDec(38, at.S))
			if s.Null {
				return s, nil
			}
			q, err := decimalArith("/", s, Value{D: big.NewInt(int64(len(vals)))}, at.S, 0, a.T)
			return q, err
		}
		var s float64
		for _, v := range vals {
			s += v.F
		}
		q := s / float64(len(vals))
		if a.T.Kind == Float {
			q = float64(float32(q))
		}
		return Value{F: q}, nil
	case "MIN", "MAX":
		best := vals[0]
		for _, v := range vals[1:] {
			c := compare(v, best, at)
			if updating && at.Kind.isApprox() {
				// MinWithRetractAggFunction/MaxWithRetractAggFunction order by compareTo.
				c = javaCompareDouble(v.F, best.F)
			}
			if a.Fn == "MIN" && c < 0 || a.Fn == "MAX" && c > 0 && c != 2 {
				best = v
			}
		}
		return best, nil
	}
	panic("difftest: no aggregate " + a.Fn)
}

// sumOf adds values (at least one) in the result type: integers wrap, DECIMAL is exact
// and NULL once it overflows its precision, FLOAT adds in float32. FLOAT and DOUBLE
// start from the first value, as Flink's SumAggFunction does (its sum starts NULL), so
// SUM of one -0.0 is -0.0.
func sumOf(vals []Value, at, rt Type) Value {
	switch {
	case rt.Kind.isInteger():
		var s int64
		for _, v := range vals {
			s = wrapInt(s+v.I, rt.Kind)
		}
		return Value{I: s}
	case rt.Kind == Decimal:
		s := new(big.Int)
		for _, v := range vals {
			s.Add(s, v.D)
			if !fitsPrecision(s, rt.P) {
				return nullValue
			}
		}
		return Value{D: s}
	case rt.Kind == Float:
		s := float32(vals[0].F)
		for _, v := range vals[1:] {
			s += float32(v.F)
		}
		return Value{F: float64(s)}
	}
	s := vals[0].F
	for _, v := range vals[1:] {
		s += v.F
	}
	return Value{F: s}
}

// Union is UNION [ALL] of two or more queries with the same column count; each column
// has the common type of the branches' columns.
type Union struct {
	All      bool
	Branches []Query
	cols     []Column
}

func (u *Union) Schema() []Column { return u.cols }

func (u *Union) Updating() bool {
	if !u.All {
		return true
	}
	for _, b := range u.Branches {
		if b.Updating() {
			return true
		}
	}
	return false
}

func (u *Union) SQL(indent string) string {
	op := "\n" + indent + "UNION\n" + indent
	if u.All {
		op = "\n" + indent + "UNION ALL\n" + indent
	}
	parts := make([]string, len(u.Branches))
	for i, b := range u.Branches {
		parts[i] = b.SQL(indent)
		if _, ok := b.(*Union); ok {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, op)
}

func (u *Union) Rows(db *DB) ([]Row, error) {
	var out []Row
	for _, b := range u.Branches {
		rows, err := b.Rows(db)
		if err != nil {
			return nil, err
		}
		bc := b.Schema()
		for _, r := range rows {
			o := make(Row, len(r))
			for i, v := range r {
				o[i] = convert(v, bc[i].T, u.cols[i].T)
			}
			out = append(out, o)
		}
	}
	if !u.All {
		out = distinct(out, u.cols)
	}
	return out, nil
}

// formatRow renders a row as Flink's print sink does, without the row kind.
func formatRow(r Row, cols []Column) string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = printField(v, cols[i].T)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func sortedLines(rows []Row, cols []Column) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = formatRow(r, cols)
	}
	sort.Strings(out)
	return out
}
