package ir

import (
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// setOp binds left UNION [ALL|DISTINCT] right. Nested unions become one Union with every
// branch. INTERSECT and EXCEPT are not supported yet.
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
		// A UNION DISTINCT nested below is bound on its own (it removes duplicates first).
		if s, ok := x.(*parser.SetOp); ok && s.Op == "UNION" && s.All && q.All {
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
	// leastRestrictive); a branch whose column differs gets a converting Calc.
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
			if !sameIgnoringNull(f.Type, common[c]) {
				same = false
			}
		}
		if same {
			continue
		}
		calc := &Calc{Input: br}
		for c, f := range fs {
			calc.Exprs = append(calc.Exprs, convertKeepNull(&InputRef{Index: c, Name: f.Name, T: f.Type}, common[c]))
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
