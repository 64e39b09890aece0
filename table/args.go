package table

import (
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// argKind says what a method's field arguments may be.
type argKind int

const (
	kindSelect  argKind = iota // select items: expr [AS alias], *, t.*
	kindGroup                  // expressions without alias or *
	kindExpr                   // exactly one expression without alias
	kindNewCols                // AddColumns: expr [AS alias], no *
	kindColumns                // DropColumns: bare column names
	kindRename                 // RenameColumns: column AS new_name
)

// item is one field argument: a select item from a string (its own piece, so that
// errors point into the string) or a typed Expr.
type item struct {
	frag
	alias string // the AS name, "" if none
	col   string // the column name when the expression is a bare column, else ""
	star  bool
	// where to report a problem with this item: a span of src, or the call site
	src  *diag.Source
	span diag.Span
}

func frags(items []item) []frag {
	out := make([]frag, len(items))
	for i, it := range items {
		out[i] = it.frag
	}
	return out
}

// items converts the field arguments of one call: a Go string is SQL text (one or
// several comma-separated items, parsed now), an Expr is rendered. It reports every
// problem and returns false if there was one.
func (e *Environment) items(site callSite, method string, kind argKind, args []any) ([]item, bool) {
	if len(args) == 0 {
		e.errorAt(site, "%s needs at least one field", method)
		return nil, false
	}
	if kind == kindExpr && len(args) != 1 {
		e.errorAt(site, "%s takes one expression, got %d", method, len(args))
		return nil, false
	}
	n := len(e.errs)
	var out []item
	for _, a := range args {
		switch a := a.(type) {
		case string:
			out = append(out, e.stringItems(site, method, kind, a)...)
		case Expr:
			if it, ok := e.exprItem(site, method, kind, a); ok {
				out = append(out, it)
			}
		case *Expr:
			if a == nil {
				e.errorAt(site, "%s: nil *Expr", method)
				continue
			}
			if it, ok := e.exprItem(site, method, kind, *a); ok {
				out = append(out, it)
			}
		default:
			e.errorAt(site, "%s takes SQL strings and table.Expr values, not a %T", method, a)
		}
	}
	if kind == kindExpr && len(out) > 1 && len(e.errs) == n {
		e.errorAt(site, "%s takes one expression", method)
	}
	return out, len(e.errs) == n
}

func (e *Environment) stringItems(site callSite, method string, kind argKind, text string) []item {
	src := newSource(site, text)
	if kind == kindExpr {
		x, err := parser.ParseExpr(src)
		if err != nil {
			e.addErr(err, site)
			return nil
		}
		return []item{{frag: frag{p: &piece{text: text, src: src}, site: site}, src: src, span: x.ExprSpan()}}
	}
	sel, err := parser.ParseSelectList(src)
	if err != nil {
		e.addErr(err, site)
		return nil
	}
	var out []item
	for _, it := range sel {
		sp := it.Span
		x := item{
			frag: frag{p: &piece{text: text[sp.Start:sp.End], src: src, off: sp.Start}, site: site},
			star: it.Star, src: src, span: sp,
		}
		if it.Alias != nil {
			x.alias = it.Alias.Name
		}
		if c, ok := it.Expr.(*parser.ColumnName); ok && len(c.Name.Parts) == 1 {
			x.col = c.Name.Parts[0].Name
		}
		if msg := checkItem(method, kind, x); msg != "" {
			e.errs.Add(diag.Errorf(src, sp, "%s", msg))
			continue
		}
		out = append(out, x)
	}
	return out
}

func (e *Environment) exprItem(site callSite, method string, kind argKind, x Expr) (item, bool) {
	if x.err != nil {
		e.errorAt(site, "%s: %v", method, x.err)
		return item{}, false
	}
	if x.sql == "" {
		e.errorAt(site, "%s: an empty table.Expr (build expressions with Col, Lit and Call)", method)
		return item{}, false
	}
	if len(x.names) > 1 {
		e.errorAt(site, "%s: As takes several names only for a table function given to JoinLateral", method)
		return item{}, false
	}
	it := item{frag: frag{gen: x.aliased(), site: site}, col: x.col}
	if len(x.names) == 1 {
		it.alias = x.names[0]
	}
	if msg := checkItem(method, kind, it); msg != "" {
		e.errorAt(site, "%s", msg)
		return item{}, false
	}
	if kind == kindExpr || kind == kindGroup {
		it.gen = x.sql
	}
	return it, true
}

// checkItem returns what is wrong with an item for kind, or "".
func checkItem(method string, kind argKind, it item) string {
	switch kind {
	case kindGroup:
		if it.star || it.alias != "" {
			return method + " takes expressions without aliases or *"
		}
	case kindExpr:
		if it.alias != "" {
			return method + " takes an expression without an alias"
		}
	case kindNewCols:
		if it.star {
			return method + " takes new columns, not *"
		}
	case kindColumns:
		if it.col == "" || it.alias != "" {
			return method + " takes column names"
		}
	case kindRename:
		if it.col == "" || it.alias == "" {
			return method + " takes renamings: column AS new_name, or Col(\"column\").As(\"new_name\")"
		}
	}
	return ""
}
