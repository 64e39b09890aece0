package ir

import (
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// setOp binds left UNION [ALL|DISTINCT] right. Nested unions become one Union with every
// branch where that keeps the meaning (see collect). Every branch is converted to the
// Union's column types, nullability included. INTERSECT and EXCEPT are not supported yet.
func (b *binder) setOp(q *parser.SetOp) (*rel, *bindError) {
	if q.Op != "UNION" {
		return nil, b.errorf(q.Span, "%s is not supported yet", q.Op)
	}
	opName := "UNION"
	if q.All {
		opName = "UNION ALL"
	}
	var branches []Node
	var spans []parser.Query
	var collect func(x parser.Query) *bindError
	collect = func(x parser.Query) *bindError {
		// UNION ALL is associative: (a UNION ALL b) UNION ALL c is one three-way Union.
		// Below a UNION (DISTINCT) any nested union flattens too, as Calcite's
		// UnionMergeRule does: DISTINCT(DISTINCT(a ∪ b) ∪ c) = DISTINCT(a ∪ b ∪ c), and
		// (a UNION ALL b) UNION c = DISTINCT(a ∪ b ∪ c). A UNION (DISTINCT) below a
		// UNION ALL is bound on its own: it removes duplicates the outer one keeps.
		if s, ok := x.(*parser.SetOp); ok && s.Op == "UNION" && (s.All || !q.All) {
			if err := collect(s.Left); err != nil {
				return err
			}
			return collect(s.Right)
		}
		r, err := b.query(x)
		if err != nil {
			return err
		}
		branches = append(branches, r.node)
		spans = append(spans, x)
		return nil
	}
	if err := collect(q.Left); err != nil {
		return nil, err
	}
	if err := collect(q.Right); err != nil {
		return nil, err
	}
	first := branches[0].Schema()
	for i, br := range branches[1:] {
		if n := len(br.Schema()); n != len(first) {
			return nil, b.errorf(spans[i+1].QuerySpan(), "column count mismatch in %s: the first query has %d columns, this one %d", opName, len(first), n)
		}
	}
	// Each column's type is the common type of the branches' columns (Flink's
	// leastRestrictive), nullable if any branch's is; a branch whose column differs, if
	// only in nullability, gets a converting Calc, so that every branch produces exactly
	// the Union's row type.
	common := make([]Type, len(first))
	for c := range first {
		ts := make([]Type, len(branches))
		for i, br := range branches {
			ts[i] = br.Schema()[c].Type
		}
		t, ok := CommonType(ts...)
		if !ok {
			if allNull(ts) {
				t = Type{Kind: KindNull, Nullable: true}
			} else {
				return nil, b.errorf(q.Span, "type mismatch in column %d (%s) of %s: no common type of %s", c+1, first[c].Name, opName, typeList(ts))
			}
		}
		common[c] = t
	}
	for i, br := range branches {
		fs := br.Schema()
		same := true
		for c, f := range fs {
			if !f.Type.Equal(common[c]) {
				same = false
			}
		}
		if same {
			continue
		}
		calc := &Calc{Input: br}
		for c, f := range fs {
			calc.Exprs = append(calc.Exprs, convert(&InputRef{Index: c, Name: f.Name, T: f.Type}, common[c]))
			calc.Names = append(calc.Names, f.Name)
		}
		branches[i] = calc
	}
	u := &Union{Branches: branches, Pos: q.Span}
	for _, f := range first {
		u.Names = append(u.Names, f.Name)
	}
	sc := &scope{}
	sc.addFields("", u.Schema())
	out := &rel{node: u, sc: sc}
	if !q.All {
		return b.distinct(out, q.Span)
	}
	return out, nil
}

func allNull(ts []Type) bool {
	for _, t := range ts {
		if t.Kind != KindNull {
			return false
		}
	}
	return true
}

// dropDistinctsInUnions returns n, the input of a DISTINCT, without the duplicate
// removal of the DISTINCTs in the branches of a UNION ALL in n: DISTINCT(DISTINCT(a) ∪ b)
// = DISTINCT(a ∪ b). That is what (a UNION b) UNION ALL c UNION d, or a UNION over a
// subquery or view that is a UNION, or a SELECT DISTINCT branch, binds to; without it
// the outer DISTINCT would be an aggregate over a UNION ALL with an updating branch.
//
// A DISTINCT there is an Aggregate without AggCalls (SELECT DISTINCT, UNION, GROUP BY
// without aggregates); it becomes a projection of its group columns. The walk goes
// through Unions and deterministic Calcs (projections and filters commute with the
// duplicate removal: they give the same set of rows either way) and stops at anything
// else. An Aggregate above which no Union was crossed stays: an aggregate over an
// aggregate works as it is. n is not modified; the nodes on the way are copied.
func dropDistinctsInUnions(n Node, inUnion bool) Node {
	switch n := n.(type) {
	case *Calc:
		for _, e := range n.Lets {
			if !IsDeterministic(e) {
				return n
			}
		}
		for _, e := range n.Exprs {
			if !IsDeterministic(e) {
				return n
			}
		}
		if !IsDeterministic(n.Cond) {
			return n
		}
		in := dropDistinctsInUnions(n.Input, inUnion)
		if in == n.Input {
			return n
		}
		c := *n
		c.Input = in
		return &c
	case *Union:
		branches := make([]Node, len(n.Branches))
		changed := false
		for i, br := range n.Branches {
			branches[i] = dropDistinctsInUnions(br, true)
			changed = changed || branches[i] != br
		}
		if !changed {
			return n
		}
		u := *n
		u.Branches = branches
		return &u
	case *Aggregate:
		if !inUnion || len(n.Aggs) != 0 || len(n.GroupBy) == 0 {
			return n
		}
		in := dropDistinctsInUnions(n.Input, true)
		fs := in.Schema()
		identity := len(n.GroupBy) == len(fs)
		p := &Calc{Input: in, Names: append([]string(nil), n.Names...)}
		for i, g := range n.GroupBy {
			identity = identity && g == i && fs[g].Name == n.Names[i]
			p.Exprs = append(p.Exprs, &InputRef{Index: g, Name: fs[g].Name, T: fs[g].Type})
		}
		if identity {
			return in
		}
		return p
	}
	return n
}
