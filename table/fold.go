package table

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
	"github.com/sqlc-stream/sqlc-stream/udf"
)

// evaluator folds deterministic UDF calls on constants at compile time, as the SQL
// compiler does: functions registered with RegisterFunction are called in process
// through their Go values (udf.ReflectEvaluator); those declared with CREATE FUNCTION
// in ExecuteSQL go to the compiler's helper program (udf.FoldEvaluator), unless
// Options.Resolver is set (tests), which turns that off as it does for the compiler.
type evaluator struct {
	byValue *udf.ReflectEvaluator
	other   optimizer.UDFEvaluator // nil: not folded
}

func (e *Environment) foldEvaluator() optimizer.UDFEvaluator {
	ev := &evaluator{byValue: &udf.ReflectEvaluator{Funcs: e.values}}
	if e.opts.Resolver == nil {
		dir := e.opts.Dir
		if dir == "" {
			dir = "."
		}
		ev.other = udf.NewFoldEvaluator(dir)
	}
	return ev
}

// EvalUDFs implements optimizer.UDFEvaluator.
func (ev *evaluator) EvalUDFs(calls []*ir.UDFCall) ([]optimizer.UDFResult, error) {
	out := make([]optimizer.UDFResult, len(calls))
	var rest []*ir.UDFCall
	var restAt []int
	for i, c := range calls {
		if _, ok := ev.byValue.Funcs[strings.ToLower(c.Fn.Name)]; ok {
			res, err := ev.byValue.EvalUDFs([]*ir.UDFCall{c})
			if err != nil {
				return nil, err
			}
			out[i] = res[0]
			continue
		}
		rest = append(rest, c)
		restAt = append(restAt, i)
	}
	if len(rest) == 0 {
		return out, nil
	}
	var res []optimizer.UDFResult
	var err error
	if ev.other != nil {
		res, err = ev.other.EvalUDFs(rest)
	}
	for j, i := range restAt {
		switch {
		case err != nil || ev.other == nil:
			out[i].Err = errNotFolded
		default:
			out[i] = res[j]
		}
	}
	return out, nil
}

type notFolded struct{}

func (notFolded) Error() string { return "not evaluated at compile time" }

var errNotFolded error = notFolded{}
