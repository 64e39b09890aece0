package table

import (
	"errors"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// rendered is the job's SQL text with a record of where each piece of user text and
// each Table API call landed in it, to map compiler errors back to the Go program.
type rendered struct {
	env    *Environment
	text   strings.Builder
	pieces []placedPiece
	calls  []placedCall
	// errs are errors found while rendering (a column DropColumns does not find).
	errs diag.List
}

type placedPiece struct {
	start, end int
	p          *piece
}

type placedCall struct {
	start, end int
	site       callSite
}

// render writes the whole job.
func (e *Environment) render() *rendered {
	e.schemas = map[*query]schemaResult{}
	r := e.renderDDL()
	for _, st := range e.stmts {
		if st.ins != nil {
			r.insert(st.ins)
			r.text.WriteString(";\n\n")
			continue
		}
		start := r.text.Len()
		r.text.WriteString("EXECUTE STATEMENT SET\nBEGIN\n")
		for _, ins := range st.set.inserts {
			r.insert(ins)
			r.text.WriteString(";\n")
		}
		r.text.WriteString("END")
		r.calls = append(r.calls, placedCall{start, r.text.Len(), st.set.site})
		r.text.WriteString(";\n\n")
	}
	r.errs = dedup(r.errs)
	return r
}

// renderDDL starts a script with the environment's DDL.
func (e *Environment) renderDDL() *rendered {
	r := &rendered{env: e}
	for _, d := range e.ddl {
		r.frag(d)
		r.text.WriteString(";\n\n")
	}
	return r
}

func (r *rendered) insert(ins *insert) {
	start := r.text.Len()
	if ins.raw != nil {
		r.put(ins.raw)
	} else {
		r.text.WriteString("INSERT INTO ")
		r.put(ins.sink)
		r.text.WriteString("\n")
		r.query(ins.q)
	}
	r.calls = append(r.calls, placedCall{start, r.text.Len(), ins.site})
}

func (r *rendered) put(p *piece) {
	start := r.text.Len()
	r.text.WriteString(p.text)
	r.pieces = append(r.pieces, placedPiece{start, r.text.Len(), p})
	if strings.Contains(p.text, "--") {
		// A trailing -- comment in the user's string must not swallow the SQL after it.
		r.text.WriteString("\n")
	}
}

// frag writes user text, or generated SQL recorded as written by its call.
func (r *rendered) frag(f frag) {
	if f.p != nil {
		r.put(f.p)
		return
	}
	start := r.text.Len()
	r.text.WriteString(f.gen)
	r.calls = append(r.calls, placedCall{start, r.text.Len(), f.site})
}

func (r *rendered) list(fs []frag, sep string) {
	for i, f := range fs {
		if i > 0 {
			r.text.WriteString(sep)
		}
		r.frag(f)
	}
}

// query writes q, each clause on its own line.
func (r *rendered) query(q *query) {
	start := r.text.Len()
	defer func() { r.calls = append(r.calls, placedCall{start, r.text.Len(), q.site}) }()
	switch {
	case q.raw != nil:
		r.put(q.raw)
		return
	case q.setop != nil:
		r.query(q.setop.left)
		if q.setop.all {
			r.text.WriteString("\nUNION ALL\n")
		} else {
			r.text.WriteString("\nUNION\n")
		}
		r.query(q.setop.right)
		return
	}
	r.text.WriteString("SELECT ")
	if q.distinct {
		r.text.WriteString("DISTINCT ")
	}
	items := q.items
	if q.lazy != nil {
		items = r.lazyItems(q)
	}
	if items == nil {
		r.text.WriteString("*")
	} else {
		r.list(items, ", ")
	}
	r.text.WriteString("\nFROM ")
	if q.sub != nil {
		r.text.WriteString("(\n")
		r.query(q.sub)
		r.text.WriteString("\n)")
	} else {
		r.put(q.from)
	}
	if l := q.lateral; l != nil {
		if l.left {
			r.text.WriteString("\nLEFT JOIN LATERAL TABLE(")
		} else {
			r.text.WriteString(",\nLATERAL TABLE(")
		}
		r.frag(l.call)
		r.text.WriteString(")")
		if l.aliasText != nil {
			r.text.WriteString(" AS ")
			r.put(l.aliasText)
		} else if l.alias != "" {
			r.text.WriteString(" AS " + quoteIdent(l.alias))
			if len(l.cols) > 0 {
				r.text.WriteString("(")
				for i, c := range l.cols {
					if i > 0 {
						r.text.WriteString(", ")
					}
					r.text.WriteString(quoteIdent(c))
				}
				r.text.WriteString(")")
			}
		}
		if l.left {
			r.text.WriteString(" ON TRUE")
		}
	}
	if len(q.where) > 0 {
		r.text.WriteString("\nWHERE ")
		if len(q.where) == 1 {
			r.frag(q.where[0])
		} else {
			for i, w := range q.where {
				if i > 0 {
					r.text.WriteString(" AND ")
				}
				r.text.WriteString("(")
				r.frag(w)
				r.text.WriteString(")")
			}
		}
	}
	if q.groupBy != nil {
		r.text.WriteString("\nGROUP BY ")
		r.list(q.groupBy, ", ")
	}
}

// lazyItems computes the items of a schema-dependent operation; if the columns of
// its input are unknown (the input does not bind), the error is reported and * stands
// in for the items.
func (r *rendered) lazyItems(q *query) []frag {
	in := q.sub
	if in == nil {
		in = &query{site: q.site, from: q.from}
	}
	res := r.env.schema(in)
	if res.err != nil {
		var l diag.List
		if errors.As(res.err, &l) {
			r.errs = append(r.errs, l...)
		} else {
			r.errs.Add(&diag.Diagnostic{Msg: q.site.String() + ": " + res.err.Error()})
		}
		return nil
	}
	items, errs := q.lazy(res.cols)
	r.errs = append(r.errs, errs...)
	if len(errs) > 0 {
		return nil
	}
	return items
}

// dedup drops repeated diagnostics (an input read by two schema-dependent operations
// reports its error once).
func dedup(l diag.List) diag.List {
	seen := map[string]bool{}
	var out diag.List
	for _, d := range l {
		k := d.Error()
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// remap moves each diagnostic on the job's SQL (src) to the user's text it points
// into; a diagnostic on SQL this package wrote names the innermost Table API call
// that wrote it.
func (r *rendered) remap(err error, src *diag.Source) error {
	var l diag.List
	if !errors.As(err, &l) || src == nil {
		return err
	}
	out := make(diag.List, 0, len(l))
	for _, d := range l {
		if d.Source != src {
			out = append(out, d)
			continue
		}
		out = append(out, r.remapOne(d))
	}
	return dedup(out).Err()
}

func (r *rendered) remapOne(d *diag.Diagnostic) *diag.Diagnostic {
	at := d.Span.Start
	for _, pp := range r.pieces {
		if at >= pp.start && (at < pp.end || at == pp.end && pp.start == pp.end) {
			end := min(d.Span.End, pp.end)
			return &diag.Diagnostic{
				Source: pp.p.src,
				Span:   diag.Span{Start: at - pp.start + pp.p.off, End: end - pp.start + pp.p.off},
				Msg:    d.Msg,
			}
		}
	}
	best := -1
	for i, c := range r.calls {
		if at >= c.start && at < c.end && (best < 0 || c.end-c.start < r.calls[best].end-r.calls[best].start) {
			best = i
		}
	}
	if best < 0 {
		return d
	}
	return &diag.Diagnostic{Msg: r.calls[best].site.String() + ": " + d.Msg}
}
