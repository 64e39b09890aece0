package table

import (
	"errors"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// rendered is the job's SQL text with a record of where each piece of user text and
// each Table API call landed in it, to map compiler errors back to the Go program.
type rendered struct {
	text   strings.Builder
	pieces []placedPiece
	calls  []placedCall
}

type placedPiece struct {
	start, end int
	p          *piece
}

type placedCall struct {
	start, end int
	site       callSite
}

func (e *Environment) render() *rendered {
	r := &rendered{}
	for _, p := range e.ddl {
		r.put(p)
		r.text.WriteString(";\n\n")
	}
	for _, ins := range e.inserts {
		start := r.text.Len()
		r.text.WriteString("INSERT INTO ")
		r.put(ins.sink)
		r.text.WriteString("\n")
		r.query(ins.q)
		r.calls = append(r.calls, placedCall{start, r.text.Len(), ins.site})
		r.text.WriteString(";\n\n")
	}
	return r
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

// query writes q, each clause on its own line.
func (r *rendered) query(q *query) {
	start := r.text.Len()
	r.text.WriteString("SELECT ")
	if q.items == nil {
		r.text.WriteString("*")
	} else {
		r.put(q.items)
	}
	r.text.WriteString("\nFROM ")
	if q.sub != nil {
		r.text.WriteString("(\n")
		r.query(q.sub)
		r.text.WriteString("\n)")
	} else {
		r.put(q.from)
	}
	if len(q.where) > 0 {
		r.text.WriteString("\nWHERE ")
		for i, w := range q.where {
			if len(q.where) == 1 {
				r.put(w)
				break
			}
			if i > 0 {
				r.text.WriteString(" AND ")
			}
			r.text.WriteString("(")
			r.put(w)
			r.text.WriteString(")")
		}
	}
	if q.groupBy != nil {
		r.text.WriteString("\nGROUP BY ")
		r.put(q.groupBy)
	}
	r.calls = append(r.calls, placedCall{start, r.text.Len(), q.site})
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
	return out.Err()
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
