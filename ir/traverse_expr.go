package ir

import (
	"fmt"
	"strconv"
	"strings"
)

// Expressions own their traversal: Children lists the direct subexpressions of an
// expression and WithChildren rebuilds it over new ones. Every walk and rewrite of the
// compiler (WalkExpr, RewriteExpr, ReplaceExpr, ExprKey) is built on these two, so a
// new expression type is added in one place.

// Children returns the direct subexpressions of e, in evaluation order: a Call's or
// UDFCall's arguments, a Cast's or FieldAccess's operand, a Case's conditions and
// results (Cond, Then of each arm, then Else). Leaves (InputRef, LocalRef, Literal)
// have none.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Call:
		return e.Args
	case *Cast:
		return []Expr{e.X}
	case *Case:
		out := make([]Expr, 0, 2*len(e.Whens)+1)
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Then)
		}
		return append(out, e.Else)
	case *UDFCall:
		return e.Args
	case *FieldAccess:
		return []Expr{e.X}
	case *InputRef, *LocalRef, *Literal:
		return nil
	}
	panic(fmt.Sprintf("ir: unknown expression %T", e))
}

// WithChildren returns a shallow copy of e whose direct subexpressions are kids, in
// the order Children returns them (a leaf takes none and is copied). Catalog objects
// (*Function) are shared.
func WithChildren(e Expr, kids []Expr) Expr {
	if want := len(Children(e)); len(kids) != want {
		panic(fmt.Sprintf("ir: %T has %d subexpressions, not %d", e, want, len(kids)))
	}
	switch e := e.(type) {
	case *InputRef:
		c := *e
		return &c
	case *LocalRef:
		c := *e
		return &c
	case *Literal:
		c := *e
		if b, ok := e.Value.([]byte); ok {
			c.Value = append([]byte(nil), b...)
		}
		return &c
	case *Call:
		c := *e
		c.Args = kids
		return &c
	case *Cast:
		c := *e
		c.X = kids[0]
		return &c
	case *Case:
		c := *e
		c.Whens = make([]When, len(e.Whens))
		for i := range e.Whens {
			c.Whens[i] = When{Cond: kids[2*i], Then: kids[2*i+1]}
		}
		c.Else = kids[len(kids)-1]
		return &c
	case *UDFCall:
		c := *e
		c.Args = kids
		return &c
	case *FieldAccess:
		c := *e
		c.X = kids[0]
		return &c
	}
	panic(fmt.Sprintf("ir: unknown expression %T", e))
}

// WalkExpr calls visit on e and every subexpression, parents first. A nil e is not
// visited.
func WalkExpr(e Expr, visit func(Expr)) {
	if e == nil {
		return
	}
	visit(e)
	for _, k := range Children(e) {
		WalkExpr(k, visit)
	}
}

// RewriteExpr rebuilds e bottom-up: the children are rewritten first, then f is applied
// to a fresh copy of the node over them, which f may change in place, keep or replace.
// e itself is not modified; RewriteExpr(e, identity) is a deep copy. A nil e gives nil.
func RewriteExpr(e Expr, f func(Expr) Expr) Expr {
	if e == nil {
		return nil
	}
	kids := Children(e)
	var nk []Expr
	if len(kids) > 0 {
		nk = make([]Expr, len(kids))
		for i, k := range kids {
			nk[i] = RewriteExpr(k, f)
		}
	}
	return f(WithChildren(e, nk))
}

// ReplaceExpr rewrites e top-down: where f reports a replacement the subtree is
// replaced (and not descended into), elsewhere the node is rebuilt over its rewritten
// children. Subtrees without replacements are returned as they are, not copied.
func ReplaceExpr(e Expr, f func(Expr) (Expr, bool)) Expr {
	if e == nil {
		return nil
	}
	if r, ok := f(e); ok {
		return r
	}
	kids := Children(e)
	var nk []Expr
	for i, k := range kids {
		r := ReplaceExpr(k, f)
		if r != k && nk == nil {
			nk = append(make([]Expr, 0, len(kids)), kids[:i]...)
		}
		if nk != nil {
			nk = append(nk, r)
		}
	}
	if nk == nil {
		return e
	}
	return WithChildren(e, nk)
}

// ExprKey renders e canonically: two expressions with the same key compute the same
// value from the same row (spans and display names are ignored, types are not). The
// binder matches select items against GROUP BY expressions with it, the optimizer
// finds common subexpressions and duplicate aggregates.
func ExprKey(e Expr) string {
	var b strings.Builder
	writeExprKey(&b, e)
	return b.String()
}

func writeExprKey(b *strings.Builder, e Expr) {
	if e == nil {
		b.WriteString("nil")
		return
	}
	switch e := e.(type) {
	case *InputRef:
		fmt.Fprintf(b, "$%d:%s", e.Index, e.T)
	case *LocalRef:
		fmt.Fprintf(b, "@%d:%s", e.Index, e.T)
	case *Literal:
		fmt.Fprintf(b, "lit(%s:%s)", literalKey(e.Value), e.T)
	case *Call:
		fmt.Fprintf(b, "%s:%s", strconv.Quote(string(e.Op)), e.T)
	case *Cast:
		fmt.Fprintf(b, "cast[%v,%v]:%s", e.Try, e.Implicit, e.T)
	case *Case:
		fmt.Fprintf(b, "case:%s", e.T)
	case *UDFCall:
		name := "?"
		if e.Fn != nil {
			name = e.Fn.ImportPath + "." + e.Fn.GoName + "/" + e.Fn.Name
		}
		fmt.Fprintf(b, "udf[%s]:%s", name, e.T)
	case *FieldAccess:
		fmt.Fprintf(b, "field[%d]:%s", e.Index, e.T)
	default:
		panic(fmt.Sprintf("ir: unknown expression %T", e))
	}
	kids := Children(e)
	if len(kids) == 0 {
		return
	}
	b.WriteByte('(')
	for i, k := range kids {
		if i > 0 {
			b.WriteByte(',')
		}
		writeExprKey(b, k)
	}
	b.WriteByte(')')
}

func literalKey(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(v)
	case []byte:
		return fmt.Sprintf("x%x", v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	default:
		return fmt.Sprintf("%T:%v", v, v)
	}
}
