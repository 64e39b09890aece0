package difftest

import "fmt"

// Shapes of queries the generator makes; each documented query shape is one.
var shapes = []string{"project", "aggregate", "global", "distinct", "subquery", "aggagg", "union", "unionall", "having"}

// Query makes a random query of a random shape over the database's tables.
func (g *Gen) Query(db *DB) (Query, string) {
	shape := pick(g, shapes)
	return g.queryOf(db, shape, 2), shape
}

func (g *Gen) source(db *DB) *Scan {
	return &Scan{T: db.Tables[pick(g, []string{"t1", "t2"})]}
}

func (g *Gen) queryOf(db *DB, shape string, nest int) Query {
	switch shape {
	case "project":
		return g.project(g.input(db, nest, false))
	case "aggregate", "having":
		return g.aggregate(g.input(db, nest, false), false, shape == "having")
	case "global":
		return g.aggregate(g.input(db, nest, false), true, false)
	case "distinct":
		s := g.project(g.input(db, nest, false))
		s.Distinct = true
		return s
	case "subquery":
		return g.queryOf(db, pick(g, []string{"project", "aggregate", "distinct"}), nest+1)
	case "aggagg":
		inner := g.aggregate(g.input(db, nest, false), false, false)
		return g.aggregate(g.wrap(inner), g.p(0.3), g.p(0.3))
	case "union", "unionall":
		return g.union(db, shape == "unionall")
	}
	panic("difftest: no shape " + shape)
}

// input is what a select reads: a table, or (while nest allows) an append-only subquery.
// src is what a select reads, with the subquery's alias.
type src struct {
	Q     Query
	Alias string
}

func (g *Gen) input(db *DB, nest int, updating bool) src {
	if nest < 3 && g.p(0.35) {
		var q Query
		if updating && g.p(0.5) {
			q = g.aggregate(g.input(db, nest+1, false), false, false)
		} else {
			q = g.project(g.input(db, nest+1, false))
		}
		return g.wrap(q)
	}
	if g.p(0.12) {
		sc := g.source(db)
		l := &Lateral{From: sc, Arg: g.Expr(scopeOf(sc), cString, 1), Left: g.p(0.4)}
		l.Cross = !l.Left && g.p(0.5)
		return src{Q: l}
	}
	return src{Q: g.source(db)}
}

func (g *Gen) wrap(q Query) src { return src{q, g.name("sq")} }

// scopeOf makes leaves for the columns of an input.
func scopeOf(q Query) *scope {
	s := &scope{}
	for i, c := range q.Schema() {
		s.leaves = append(s.leaves, &Expr{Op: "col", Col: i, Name: c.Name, T: c.T})
	}
	return s
}

func (g *Gen) project(in src) *Select {
	sc := scopeOf(in.Q)
	s := &Select{From: in.Q, Alias: in.Alias}
	for i := range 1 + g.n(4) {
		s.Items = append(s.Items, g.Expr(sc, classes[g.n(len(classes))], 1+g.n(3)))
		s.Names = append(s.Names, fmt.Sprintf("c%d", i))
	}
	if g.p(0.6) {
		s.Where = g.Expr(sc, cBool, 1+g.n(3))
	}
	return s
}

// classes weights the classes of select items.
var classes = []class{cBool, cInt, cInt, cInt, cDecimal, cDecimal, cApprox, cString, cString, cString, cBinary, cDate, cTime, cTimestamp, cLTZ}

func (g *Gen) aggregate(in src, global, having bool) *Select {
	sc := scopeOf(in.Q)
	s := &Select{From: in.Q, Alias: in.Alias, Global: global}
	if g.p(0.4) {
		s.Where = g.Expr(sc, cBool, 1+g.n(2))
	}
	out := &scope{}
	if !global {
		for range 1 + g.n(2) {
			var k *Expr
			if g.p(0.7) {
				k = pick(g, sc.leaves)
			} else {
				k = g.Expr(sc, classes[g.n(len(classes))], 1)
			}
			if k.Op == "lit" {
				continue
			}
			s.GroupBy = append(s.GroupBy, k)
		}
		if len(s.GroupBy) == 0 {
			s.GroupBy = append(s.GroupBy, sc.leaves[0])
		}
		for i, k := range s.GroupBy {
			out.leaves = append(out.leaves, &Expr{Op: "keyref", Ref: i, Text: k.SQL(), T: k.T})
		}
	}
	nk := len(s.GroupBy)
	for range 1 + g.n(3) {
		a := g.agg(sc, global, in.Q.Updating())
		s.Aggs = append(s.Aggs, a)
		out.leaves = append(out.leaves, &Expr{Op: "aggref", Ref: nk + len(s.Aggs) - 1, Text: a.SQL(), T: a.T})
	}
	// Items: every key as is (so the result has a unique key), then expressions over
	// keys and aggregates.
	for i := range nk {
		if g.p(0.85) {
			s.Items = append(s.Items, out.leaves[i])
		}
	}
	for _, l := range out.leaves[nk:] {
		if g.p(0.6) {
			s.Items = append(s.Items, l)
		} else {
			s.Items = append(s.Items, g.Expr(out, classOf(l.T), 1+g.n(2)))
		}
	}
	if global && !readsAgg(s.Items) {
		// Without GROUP BY, only an aggregate makes the query an aggregate.
		s.Items = append(s.Items, out.leaves[nk])
	}
	for i := range s.Items {
		s.Names = append(s.Names, fmt.Sprintf("c%d", i))
	}
	if having {
		s.Having = g.Expr(out, cBool, 2)
	}
	return s
}

// agg makes an aggregate call. Over an updating input (retracting) a FLOAT/DOUBLE SUM or
// AVG is left out: x + NaN - NaN is NaN, so whether a NaN or an infinity that passed
// through a group leaves its mark depends on the flushes the run sees, in Flink too.
func (g *Gen) agg(sc *scope, global, retracting bool) *Agg {
	a := &Agg{Fn: pick(g, []string{"COUNT", "COUNT", "SUM", "SUM", "AVG", "MIN", "MAX", "max_len"})}
	if a.Fn == "max_len" {
		a.Arg = g.Expr(sc, cString, 1)
		a.T = tBig.null(true)
	} else if a.Fn == "COUNT" && g.p(0.3) {
		a.T = tBig
	} else {
		var c class
		switch a.Fn {
		case "SUM", "AVG":
			c = pick(g, []class{cInt, cInt, cDecimal, cApprox})
			if retracting && c == cApprox {
				c = cDecimal
			}
		case "COUNT":
			c = classes[g.n(len(classes))]
		default:
			// MIN and MAX of FLOAT/DOUBLE depend on the order rows arrive in when NaN or
			// both zeros meet (Flink compares with <), so they are left out.
			c = pick(g, []class{cInt, cDecimal, cString, cBool, cDate, cTime, cTimestamp, cLTZ})
		}
		a.Arg = g.Expr(sc, c, 1+g.n(2))
		if a.Arg.T.Kind == Null {
			return &Agg{Fn: "COUNT", T: tBig}
		}
		a.T = aggType(a.Fn, a.Arg.T, global)
		if a.Fn == "COUNT" && g.p(0.3) {
			a.Distinct = true
		}
	}
	if g.p(0.25) {
		a.Filter = g.Expr(sc, cBool, 1)
	}
	return a
}

// union makes UNION [ALL] of 2 or 3 selects whose columns meet in common types.
func (g *Gen) union(db *DB, all bool) Query {
	for {
		first := g.project(g.input(db, 1, false))
		branches := []Query{first}
		cols := append([]Column{}, first.Schema()...)
		ok := true
		for range 1 + g.n(2) {
			var b *Select
			if g.p(0.3) {
				b = g.aggregate(g.input(db, 1, false), false, false)
			} else {
				b = g.project(g.input(db, 1, false))
			}
			// Make the branch's columns meet the first's: regenerate items by class.
			sc := scopeOf(b.From)
			if !b.isAgg() {
				b.Items = nil
				b.Names = nil
				for i, c := range cols {
					b.Items = append(b.Items, g.Expr(sc, classOf(c.T), 2))
					b.Names = append(b.Names, fmt.Sprintf("c%d", i))
				}
			}
			bc := b.Schema()
			if len(bc) != len(cols) {
				ok = false
				break
			}
			for i := range cols {
				t, ok2 := commonType(cols[i].T, bc[i].T)
				if !ok2 {
					ok = false
					break
				}
				cols[i].T = t
			}
			branches = append(branches, b)
		}
		if ok && len(branches) > 1 {
			return &Union{All: all, Branches: branches, cols: cols}
		}
	}
}

// readsAgg reports whether any expression reads an aggregate.
func readsAgg(es []*Expr) bool {
	for _, e := range es {
		if e.Op == "aggref" || readsAgg(e.Args) {
			return true
		}
	}
	return false
}
