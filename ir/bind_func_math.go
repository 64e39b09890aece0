package ir

import (
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// The numeric built-ins: POWER, SQRT, LN, LOG10, LOG2, LOG, EXP (DOUBLE results computed
// on doubles, as Flink's java.lang.Math calls are; a DECIMAL argument is converted with
// CAST's doubleValue), TRUNCATE, and the non-deterministic RAND, RAND_INTEGER and UUID.

// init adds to builtinFuncs, which bind_func.go's init makes first (Go runs a package's
// init functions in file-name order).
func init() {
	for name, fn := range map[string]builtinFn{
		"POWER":        doubleFn(2, 2),
		"SQRT":         doubleFn(1, 1),
		"LN":           doubleFn(1, 1),
		"LOG10":        doubleFn(1, 1),
		"LOG2":         doubleFn(1, 1),
		"LOG":          doubleFn(1, 2),
		"EXP":          doubleFn(1, 1),
		"TRUNCATE":     truncateFn,
		"RAND":         randFn,
		"RAND_INTEGER": randFn,
		"UUID":         uuidFn,
	} {
		builtinFuncs[name] = fn
	}
}

// doubleFn binds a function of lo..hi numeric arguments, each converted to DOUBLE, with
// a DOUBLE result (ReturnTypes.DOUBLE_NULLABLE).
func doubleFn(lo, hi int) builtinFn {
	return func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
		if err := arity(b, fc, name, args, lo, hi); err != nil {
			return nil, err
		}
		out := make([]Expr, len(args))
		for i, a := range args {
			if at := a.Type(); !at.IsNumeric() && at.Kind != KindNull {
				return nil, b.errorf(fc.Span, "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
			}
			out[i] = convertKeepNull(a, Double())
		}
		t := Double()
		t.Nullable = anyNullable(out)
		return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
	}
}

// truncateFn is TRUNCATE(x[, n]): x with the digits below 10^-n dropped (n is 0 by
// default), of x's type; for DECIMAL n must be a literal, which gives the result type
// as for ROUND.
func truncateFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 2); err != nil {
		return nil, err
	}
	x := args[0]
	at := x.Type()
	if at.Kind == KindNull {
		x = convert(x, Double())
		at = x.Type()
	}
	if !at.IsNumeric() {
		return nil, b.errorf(fc.Span, "cannot apply TRUNCATE to arguments of type %s", typeList(argTypes(args)))
	}
	n := Expr(&Literal{Value: int64(0), T: Int().NotNull(), Pos: fc.Span})
	if len(args) == 2 {
		var err *bindError
		if n, err = intArg(b, fc, name, args, 1); err != nil {
			return nil, err
		}
	}
	t := at
	t.Nullable = anyNullable([]Expr{x, n})
	if at.Kind == KindDecimal {
		l, ok := n.(*Literal)
		if !ok || l.Value == nil {
			return nil, b.errorf(fc.Args[1].ExprSpan(), "the second argument of TRUNCATE of a DECIMAL must be an integer literal")
		}
		t = DecimalRoundType(at.Precision, at.Scale, int(l.Value.(int64)))
		t.Nullable = at.Nullable
	}
	return &Call{Op: "TRUNCATE", Args: []Expr{x, n}, T: t, Pos: fc.Span}, nil
}

// randFn is RAND([seed]) (DOUBLE) and RAND_INTEGER([seed, ] bound) (INT). A literal seed
// seeds one java.util.Random per task; any other seed makes a new one for each row, as
// Flink's RandCallGen does.
func randFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	t := Double().NotNull()
	lo, hi := 0, 1
	if name == "RAND_INTEGER" {
		t = Int().NotNull()
		lo, hi = 1, 2
	}
	if err := arity(b, fc, name, args, lo, hi); err != nil {
		return nil, err
	}
	out := make([]Expr, len(args))
	for i := range args {
		x, err := intArg(b, fc, name, args, i)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	t.Nullable = anyNullable(out)
	return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
}

// uuidFn is UUID(): CHAR(36) NOT NULL.
func uuidFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 0, 0); err != nil {
		return nil, err
	}
	return &Call{Op: "UUID", T: Type{Kind: KindChar, Length: 36}, Pos: fc.Span}, nil
}
