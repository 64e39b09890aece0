package difftest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/txtar"
)

// maxReduceSteps bounds the job builds one reduction may spend.
const maxReduceSteps = 40

// reduce shrinks a failing query and its data while the failure stays of the same kind,
// then writes the smallest case found to cfg.Found as a txtar archive in the layout of
// a golden case (job.sql, udf/udf.go, data/...), with the reference's expected rows.
func reduce(ctx context.Context, cfg Config, db *DB, f *Failure) {
	it := f.item
	if it == nil || strings.Contains(f.Kind, "together") {
		return
	}
	dir := filepath.Join(cfg.Work, fmt.Sprintf("reduce%d", f.Index))
	steps := 0
	fails := func(q Query, db *DB) bool {
		if steps >= maxReduceSteps || ctx.Err() != nil {
			return false
		}
		steps++
		want, err := q.Rows(db)
		if err != nil {
			return false // the reference fails: not a query we can keep
		}
		cand := &item{index: f.Index, shape: it.shape, q: q, want: want}
		os.RemoveAll(dir)
		if writeModule(cfg, dir, db) != nil {
			return false
		}
		res := &Result{Unsupported: map[string]int{}}
		got, err := runTogether(ctx, cfg, dir, db, []*item{cand}, res)
		return err == nil && len(got) == 1 && sameKind(got[0].Kind, f.Kind)
	}
	q := it.q
	// Shrink the query, then the data, then the query again.
	q = shrinkQuery(q, db, fails)
	db = shrinkData(q, db, fails)
	q = shrinkQuery(q, db, fails)
	want, err := q.Rows(db)
	if err != nil {
		return
	}
	name := filepath.Join(cfg.Found, fmt.Sprintf("seed%d_q%d_%s.txtar", f.Seed, f.Index, strings.Fields(f.Kind)[0]))
	if err := os.MkdirAll(cfg.Found, 0o755); err != nil {
		return
	}
	if err := os.WriteFile(name, caseArchive(q, db, want, f), 0o644); err == nil {
		f.Case = name
		f.Reduced = q.SQL("")
	}
}

func sameKind(a, b string) bool { return strings.Fields(a)[0] == strings.Fields(b)[0] }

// shrinkQuery tries smaller variants of q, keeping each that still fails, until none does.
func shrinkQuery(q Query, db *DB, fails func(Query, *DB) bool) Query {
	for progress := true; progress; {
		progress = false
		for _, c := range candidates(q) {
			if _, err := c.Rows(db); err != nil {
				continue
			}
			if fails(c, db) {
				q, progress = c, true
				break
			}
		}
	}
	return q
}

// candidates are queries one step smaller than q.
func candidates(q Query) []Query {
	var out []Query
	switch q := q.(type) {
	case *Select:
		cp := func() *Select { c := *q; return &c }
		// A subquery that is itself a select over a table: read the table instead when
		// the outer query reads no column the table lacks... only tried via schema checks.
		if len(q.Items) > 1 {
			for i := range q.Items {
				c := cp()
				c.Items = append(append([]*Expr{}, q.Items[:i]...), q.Items[i+1:]...)
				c.Names = append(append([]string{}, q.Names[:i]...), q.Names[i+1:]...)
				out = append(out, c)
			}
		}
		if q.Where != nil {
			c := cp()
			c.Where = nil
			out = append(out, c)
		}
		if q.Having != nil {
			c := cp()
			c.Having = nil
			out = append(out, c)
		}
		if q.Distinct {
			c := cp()
			c.Distinct = false
			out = append(out, c)
		}
		for i, a := range q.Aggs {
			if a.Filter != nil {
				c := cp()
				c.Aggs = append([]*Agg{}, q.Aggs...)
				na := *a
				na.Filter = nil
				c.Aggs[i] = &na
				out = append(out, c)
			}
		}
		for i, e := range q.Items {
			for _, v := range exprCandidates(e) {
				c := cp()
				c.Items = append([]*Expr{}, q.Items...)
				c.Items[i] = v
				out = append(out, c)
			}
		}
		if q.Where != nil {
			for _, v := range exprCandidates(q.Where) {
				c := cp()
				c.Where = v
				out = append(out, c)
			}
		}
		for _, sub := range candidates(q.From) {
			if slices.Equal(sub.Schema(), q.From.Schema()) {
				c := cp()
				c.From = sub
				out = append(out, c)
			}
		}
	case *Union:
		for i := range q.Branches {
			if len(q.Branches) > 2 {
				c := *q
				c.Branches = append(append([]Query{}, q.Branches[:i]...), q.Branches[i+1:]...)
				c.cols = unionCols(c.Branches)
				if c.cols != nil {
					out = append(out, &c)
				}
			} else {
				out = append(out, q.Branches[i])
			}
		}
		for i, b := range q.Branches {
			for _, sub := range candidates(b) {
				if slices.Equal(sub.Schema(), b.Schema()) {
					c := *q
					c.Branches = append([]Query{}, q.Branches...)
					c.Branches[i] = sub
					out = append(out, &c)
				}
			}
		}
	}
	return out
}

func unionCols(bs []Query) []Column {
	cols := append([]Column{}, bs[0].Schema()...)
	for _, b := range bs[1:] {
		for i, c := range b.Schema() {
			t, ok := commonType(cols[i].T, c.T)
			if !ok {
				return nil
			}
			cols[i].T = t
		}
	}
	return cols
}

// exprCandidates replace one node of e by a child of the same type.
func exprCandidates(e *Expr) []*Expr {
	var out []*Expr
	for _, a := range e.Args {
		if a.T == e.T && a.Op != "lit" || a.T == e.T && e.Op != "lit" {
			out = append(out, a)
		}
	}
	for i, a := range e.Args {
		for _, v := range exprCandidates(a) {
			c := *e
			c.Args = append([]*Expr{}, e.Args...)
			c.Args[i] = v
			out = append(out, &c)
		}
	}
	return out
}

// shrinkData removes rows of the tables while the failure stays.
func shrinkData(q Query, db *DB, fails func(Query, *DB) bool) *DB {
	for _, name := range []string{"t1", "t2"} {
		for chunk := len(db.Tables[name].Data) / 2; chunk >= 1; chunk /= 2 {
			for start := 0; start < len(db.Tables[name].Data); {
				rows := db.Tables[name].Data
				end := min(start+chunk, len(rows))
				cand := withRows(db, name, append(append([]Row{}, rows[:start]...), rows[end:]...))
				if _, err := q.Rows(cand); err == nil && fails(q, cand) {
					db = cand
					continue
				}
				start = end
			}
		}
	}
	return db
}

func withRows(db *DB, name string, rows []Row) *DB {
	out := &DB{Tables: map[string]*Table{}}
	for k, t := range db.Tables {
		out.Tables[k] = t
	}
	t := *db.Tables[name]
	t.Data = rows
	out.Tables[name] = &t
	return out
}

// caseArchive is a failing case as a txtar archive: a golden case's inputs (the UDF
// package under the golden cases' import path), the reference's rows, and the failure.
func caseArchive(q Query, db *DB, want []Row, f *Failure) []byte {
	it := &item{index: 0, q: q}
	text := strings.ReplaceAll(script([]*item{it}), "example.com/difftest/udf", "example.com/golden/udf")
	a := &txtar.Archive{Comment: []byte(fmt.Sprintf("Reduced by the differential tester from query %d of seed %d (%s).\nTo make a golden case: move it to golden/testdata/, delete the expected and failure\nsections, run go test ./golden -update, and compare its stdout with expected.\n", f.Index, f.Seed, f.Kind))}
	a.Files = append(a.Files, txtar.File{Name: "job.sql", Data: []byte(text)})
	a.Files = append(a.Files, txtar.File{Name: "udf/udf.go", Data: []byte(udfSource)})
	for _, name := range []string{"t1", "t2"} {
		for i, part := range db.Tables[name].CSV(1) {
			a.Files = append(a.Files, txtar.File{Name: fmt.Sprintf("data/%s/part-%d.csv", name, i), Data: []byte(part)})
		}
	}
	lines := sortedLines(want, q.Schema())
	sort.Strings(lines)
	a.Files = append(a.Files, txtar.File{Name: "expected", Data: []byte(strings.Join(lines, "\n") + "\n")})
	a.Files = append(a.Files, txtar.File{Name: "failure", Data: []byte(f.Detail + "\n")})
	return txtar.Format(a)
}
