package ir

import (
	"fmt"
	"strings"
)

// AggUDF is the AggFunc of a call of a Go user-defined aggregate function (Flink's
// AggregateFunction): AggCall.Fn is the function, AggCall.Args its arguments (Arg is
// nil). Such a call is an aggregate wherever built-in aggregates are.
const AggUDF AggFunc = "UDAF"

// Operands returns what the aggregate reads of each row besides its FILTER: Arg, or the
// Args of an AggUDF call. Optimizer passes rewrite them with MapOperands.
func (a *AggCall) Operands() []Expr {
	if a.Fn != nil || len(a.Args) > 0 {
		return a.Args
	}
	if a.Arg == nil {
		return nil
	}
	return []Expr{a.Arg}
}

// MapOperands replaces Arg and every Args element (not Filter) with f of it.
func (a *AggCall) MapOperands(f func(Expr) Expr) {
	if a.Arg != nil {
		a.Arg = f(a.Arg)
	}
	if a.Args != nil {
		args := make([]Expr, len(a.Args))
		for i, x := range a.Args {
			args[i] = f(x)
		}
		a.Args = args
	}
}

// UDAFKey identifies what an AggUDF call computes, for merging duplicate calls: the Go
// function and, for a non-deterministic one, the call's position, so two calls of it
// are never merged. Empty for built-in aggregates.
func (a *AggCall) UDAFKey() string {
	if a.Fn == nil {
		return ""
	}
	k := "udaf:" + a.Fn.ImportPath + "." + a.Fn.GoName
	if !a.Fn.Deterministic {
		k += fmt.Sprintf("@%d-%d", a.Pos.Start, a.Pos.End)
	}
	return k
}

// formatUDAF renders an AggUDF call as SQL: weighted_avg(price, qty).
func formatUDAF(a AggCall, in []Field) string {
	var sb strings.Builder
	sb.WriteString(a.Fn.Name)
	sb.WriteByte('(')
	if a.Distinct {
		sb.WriteString("DISTINCT ")
	}
	for i, x := range a.Args {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(FormatExpr(x, in))
	}
	sb.WriteByte(')')
	if a.Filter != nil {
		sb.WriteString(" FILTER (WHERE " + FormatExpr(a.Filter, in) + ")")
	}
	return sb.String()
}

// AccumulateSignature renders an aggregate function's Accumulate method for messages:
// func (WeightedAvg) Accumulate(acc *udf.WeightedAvgAcc, value int64, weight int64).
func AccumulateSignature(fn *Function) string {
	ps := []string{"acc " + fn.Agg.AccGo}
	for _, p := range fn.Params {
		if p.Name != "" {
			ps = append(ps, p.Name+" "+p.GoType)
		} else {
			ps = append(ps, p.GoType)
		}
	}
	recv := fn.Receiver
	if fn.ReceiverPointer {
		recv = "*" + recv
	}
	s := fmt.Sprintf("func (%s) Accumulate(%s)", recv, strings.Join(ps, ", "))
	if fn.Agg.ValueAcc {
		s += " " + fn.Agg.AccGo
	}
	return s
}
