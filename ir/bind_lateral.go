package ir

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// lateralJoin binds a join whose right side is a table function call, as Flink does:
//
//	FROM s, LATERAL TABLE(f(x)) [AS t(a, b)]
//	FROM s CROSS JOIN LATERAL TABLE(f(x)) [AS t(a, b)]
//	FROM s [INNER] JOIN LATERAL TABLE(f(x)) [AS t(a, b)] ON cond
//	FROM s LEFT [OUTER] JOIN LATERAL TABLE(f(x)) [AS t(a, b)] ON TRUE
//
// into a Correlate over the left side (the function's arguments read its columns),
// plus a filtering Calc for an inner join's ON condition other than TRUE. ok is false
// when the join is not one of these (a window TVF or no table function on the right):
// the caller reports it.
func (b *binder) lateralJoin(j *parser.Join) (r *rel, ok bool, err *bindError) {
	tf, isTF := j.Right.(*parser.TableFunc)
	if !isTF || tf.Call == nil || len(tf.Call.Name.Parts) != 1 {
		return nil, false, nil
	}
	fc := tf.Call
	name := fc.Name.Parts[0].Name
	switch up := strings.ToUpper(name); up {
	case "TUMBLE", "HOP", "CUMULATE", "SESSION":
		return nil, false, nil
	case "UNNEST":
		return nil, true, b.errorf(tf.Span, "UNNEST is not supported yet")
	}
	switch j.Kind {
	case "CROSS", "INNER", "LEFT":
	default:
		return nil, true, b.errorf(j.Span, "%s JOIN with a table function is not supported (Flink supports only INNER, CROSS and LEFT joins with LATERAL TABLE)", j.Kind)
	}
	if len(j.Using) > 0 {
		return nil, true, b.errorf(j.Using[0].Span, "USING is not valid in a join with a table function; use ON TRUE")
	}
	fn := b.funcs[strings.ToLower(name)]
	if fn == nil {
		if _, builtin := builtinFuncs[strings.ToUpper(name)]; builtin || aggFuncNames[strings.ToUpper(name)] {
			return nil, true, b.errorf(fc.Name.Span, "%s is not a table function; LATERAL TABLE(...) calls a table function (CREATE FUNCTION of a Go func returning []Row or iter.Seq[Row])", strings.ToUpper(name))
		}
		var names []string
		for _, f := range b.cat.Functions {
			if f.Kind == TableFunction {
				names = append(names, f.Name)
			}
		}
		return nil, true, b.errorf(fc.Name.Span, "unknown table function %q%s", name, suggest(name, names))
	}
	if fn.Kind != TableFunction {
		return nil, true, b.errorf(fc.Name.Span, "function %s is a %s, not a table function: LATERAL TABLE(...) needs a Go func returning []Row, ([]Row, error) or iter.Seq[Row] (Go: %s in %s)", fn.Name, fn.Kind, GoSignature(fn), fn.ImportPath)
	}
	switch {
	case fc.Over != nil:
		return nil, true, b.errorf(fc.Span, "OVER is not valid on a table function")
	case fc.Star:
		return nil, true, b.errorf(fc.Span, "%s(*) is not valid", name)
	case fc.Distinct:
		return nil, true, b.errorf(fc.Span, "DISTINCT is only valid in aggregate functions")
	case fc.Filter != nil:
		return nil, true, b.errorf(fc.Filter.ExprSpan(), "FILTER is only valid in aggregate functions")
	}
	left, err := b.from(j.Left)
	if err != nil {
		return nil, true, err
	}
	if !(&Correlate{}).AcceptsChangelog(left.node.Changelog()) {
		return nil, true, b.errorf(tf.Span, "a table function over an updating input (%s) is not supported yet", describeUpdating(left.node))
	}
	args := make([]Expr, len(fc.Args))
	for i, a := range fc.Args {
		if containsAgg(a) {
			return nil, true, b.errorf(aggSpan(a), "aggregate functions are not allowed in LATERAL TABLE")
		}
		x, err := b.scalar(left.sc, a, "LATERAL TABLE")
		if err != nil {
			return nil, true, err
		}
		args[i] = x
	}
	call, err := b.udfCall(fn, fc, args)
	if err != nil {
		return nil, true, err
	}
	uc, isUDF := call.(*UDFCall)
	if !isUDF {
		return nil, true, b.errorf(fc.Span, "internal error: table function call bound to %T", call)
	}
	// udfCall may pick an overload; its columns are the overload's.
	cols := uc.Fn.TableColumns
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	if len(tf.Columns) > 0 {
		if len(tf.Columns) != len(cols) {
			// At the alias and its column list: "p(k, v, w)".
			span := diag.Span{Start: tf.Columns[0].Span.Start, End: tf.Columns[len(tf.Columns)-1].Span.End}
			if tf.Alias != nil {
				span.Start = tf.Alias.Span.Start
			}
			if b.src != nil {
				if i := strings.IndexByte(b.src.Text[span.End:], ')'); i >= 0 {
					span.End += i + 1
				}
			}
			return nil, true, b.errorf(span, "the alias lists %d columns but table function %s yields %d (%s)", len(tf.Columns), fn.Name, len(cols), strings.Join(names, ", "))
		}
		for i, c := range tf.Columns {
			names[i] = c.Name
		}
	}
	qual := fn.Name
	if tf.Alias != nil {
		qual = tf.Alias.Name
	}
	corr := &Correlate{Input: left.node, Call: uc, Left: j.Kind == "LEFT", Names: names, Alias: qual, Pos: tf.Span}
	sc := &scope{cols: append([]scopeCol(nil), left.sc.cols...)}
	sc.addFields(qual, corr.FunctionFields())
	var node Node = corr
	if j.On != nil {
		on, err := b.predicate(sc, j.On, "ON")
		if err != nil {
			return nil, true, err
		}
		if l, isLit := on.(*Literal); !isLit || l.Value != true {
			if corr.Left {
				return nil, true, b.errorf(j.On.ExprSpan(), "Predicate for lateral left outer join with table function can only be empty or literal true.")
			}
			// An inner join's condition filters the joined rows.
			exprs := make([]Expr, 0, len(sc.cols))
			var cnames []string
			for i, f := range corr.Schema() {
				exprs = append(exprs, &InputRef{Index: i, Name: f.Name, T: f.Type})
				cnames = append(cnames, f.Name)
			}
			node = &Calc{Input: corr, Cond: on, Exprs: exprs, Names: cnames}
		}
	}
	return &rel{node: node, sc: sc}, true, nil
}

// tableFunctionAsScalar is the error for a table function called where a value is
// expected.
func (b *binder) tableFunctionAsScalar(fn *Function, fc *parser.FuncCall) *bindError {
	return b.errorf(fc.Span, "function %s is a table function: call it in FROM, e.g. FROM t, LATERAL TABLE(%s(...)) AS x(...) (Go: %s in %s)", fn.Name, fn.Name, GoSignature(fn), fn.ImportPath)
}
