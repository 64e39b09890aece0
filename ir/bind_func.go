package ir

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/parser"
)

// builtinFn binds a call of a built-in scalar function over bound arguments.
type builtinFn func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError)

// builtinFuncs are the built-in scalar functions we compile, by upper-cased name.
var builtinFuncs map[string]builtinFn

func init() {
	builtinFuncs = map[string]builtinFn{
		"UPPER":            stringUnary,
		"LOWER":            stringUnary,
		"CHAR_LENGTH":      charLength,
		"CHARACTER_LENGTH": charLength,
		"SUBSTRING":        substring,
		"SUBSTR":           substring,
		"TRIM":             trim,
		"LTRIM":            trim,
		"RTRIM":            trim,
		"CONCAT":           concat,
		"COALESCE":         coalesce,
		"ABS":              abs,
		"MOD":              mod,
		"FLOOR":            floorCeil,
		"CEIL":             floorCeil,
		"CEILING":          floorCeil,
		"ROUND":            round,
		"IF":               ifFunc,
		"NULLIF":           nullIf,
	}
}

// canonicalOp maps synonyms to the Op name codegen sees.
var canonicalOp = map[string]Op{
	"CHARACTER_LENGTH": "CHAR_LENGTH", "SUBSTR": "SUBSTRING", "CEILING": "CEIL",
	"LTRIM": "TRIM", "RTRIM": "TRIM",
}

func opOf(name string) Op {
	if o, ok := canonicalOp[name]; ok {
		return o
	}
	return Op(name)
}

func (b *binder) funcCall(c *exprCtx, fc *parser.FuncCall) (Expr, *bindError) {
	if fc.Over != nil {
		return nil, b.errorf(fc.Span, "OVER windows are not supported yet")
	}
	if i := namedArg(fc); i >= 0 {
		return nil, b.errorf(fc.ArgNames[i].Span, "named arguments (name => value) are only supported in window table-valued functions")
	}
	if b.isAggCall(fc) {
		return b.aggCall(c, fc)
	}
	if len(fc.Name.Parts) != 1 {
		return nil, b.errorf(fc.Name.Span, "qualified function names are not supported yet")
	}
	name := fc.Name.Parts[0].Name
	up := strings.ToUpper(name)
	if fc.Star {
		return nil, b.errorf(fc.Span, "%s(*) is not valid", name)
	}
	if fc.Distinct {
		return nil, b.errorf(fc.Span, "DISTINCT is only valid in aggregate functions")
	}
	if fc.Filter != nil {
		return nil, b.errorf(fc.Filter.ExprSpan(), "FILTER is only valid in aggregate functions")
	}
	fn := b.funcs[strings.ToLower(name)]
	if fn != nil && fn.Kind == TableFunction {
		return nil, b.tableFunctionAsScalar(fn, fc)
	}
	bf := builtinFuncs[up]
	if fn == nil && bf == nil && b.broken[brokenFuncKey(strings.ToLower(name))] {
		return nil, errReported // its CREATE FUNCTION failed and was reported
	}
	if fn == nil && bf == nil {
		var names []string
		for n := range builtinFuncs {
			names = append(names, n)
		}
		for _, f := range b.cat.Functions {
			names = append(names, f.Name)
		}
		return nil, b.errorf(fc.Name.Span, "unknown function %q%s", name, suggest(name, names))
	}
	args := make([]Expr, len(fc.Args))
	for i, a := range fc.Args {
		x, err := b.expr(c, a)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	if fn != nil {
		return b.udfCall(fn, fc, args)
	}
	return bf(b, fc, up, args)
}

// ---- UDFs ----

// GoSignature renders a UDF's Go declaration for messages: func IPToProvince(ip string) string.
func GoSignature(fn *Function) string {
	var ps []string
	for i, p := range fn.Params {
		t := p.GoType
		if fn.Variadic && i == len(fn.Params)-1 && !strings.HasPrefix(t, "...") {
			t = "..." + strings.TrimPrefix(t, "[]")
		}
		if p.Name != "" {
			ps = append(ps, p.Name+" "+t)
		} else {
			ps = append(ps, t)
		}
	}
	res := fn.ResultGo
	if fn.ReturnsError {
		res = "(" + res + ", error)"
	}
	if fn.Receiver != "" {
		recv := fn.Receiver
		if fn.ReceiverPointer {
			recv = "*" + recv
		}
		return fmt.Sprintf("func (%s) %s(%s) %s", recv, fn.Method, strings.Join(ps, ", "), res)
	}
	return fmt.Sprintf("func %s(%s) %s", fn.GoName, strings.Join(ps, ", "), res)
}

func (b *binder) udfCall(fn *Function, fc *parser.FuncCall, args []Expr) (Expr, *bindError) {
	fn, berr := b.pickOverload(fn, fc, args)
	if berr != nil {
		return nil, berr
	}
	if berr := b.checkDeadLetter(fn); berr != nil {
		return nil, berr
	}
	sig := GoSignature(fn)
	n := len(fn.Params)
	if fn.Variadic && len(args) < n-1 || !fn.Variadic && len(args) != n {
		want := strconv.Itoa(n)
		if fn.Variadic {
			want = "at least " + strconv.Itoa(n-1)
		}
		return nil, b.errorf(fc.Span, "function %s takes %s argument(s), got %d (Go: %s in %s)", fn.Name, want, len(args), sig, fn.ImportPath)
	}
	nullIn := false
	out := make([]Expr, len(args))
	for i, a := range args {
		p := fn.Params[min(i, n-1)]
		at := a.Type()
		if at.Kind != KindNull && !SupportsImplicitCast(at, p.Type) {
			return nil, b.errorf(fc.Args[i].ExprSpan(), "argument %d of %s has type %s, which does not convert to %s (Go parameter %s of %s in %s)", i+1, fn.Name, at, p.Type.WithNull(), p.GoType, sig, fn.ImportPath)
		}
		if at.Nullable && !p.Pointer {
			nullIn = true
		}
		out[i] = convertKeepNull(a, p.Type)
	}
	t := fn.Result
	if nullIn || fn.ResultPointer || fn.OnError == ErrorNull {
		t.Nullable = true // 'on-error' = 'null': a failed call is NULL
	}
	return &UDFCall{Fn: fn, Args: out, T: t, Pos: fc.Span}, nil
}

// ---- built-ins ----

func arity(b *binder, fc *parser.FuncCall, name string, args []Expr, lo, hi int) *bindError {
	if len(args) < lo || len(args) > hi {
		want := strconv.Itoa(lo)
		if hi != lo {
			want = fmt.Sprintf("%d to %d", lo, hi)
		}
		return b.errorf(fc.Span, "function %s takes %s argument(s), got %d", name, want, len(args))
	}
	return nil
}

func anyNullable(args []Expr) bool {
	for _, a := range args {
		if a.Type().Nullable || a.Type().Kind == KindNull {
			return true
		}
	}
	return false
}

func argTypes(args []Expr) []Type {
	ts := make([]Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	return ts
}

// stringArg converts a string (or NULL) argument; other types are an error.
func stringArg(b *binder, fc *parser.FuncCall, name string, args []Expr, i int) (Expr, *bindError) {
	a := args[i]
	if a.Type().Kind == KindNull {
		return convert(a, String()), nil
	}
	if !a.Type().IsString() {
		return nil, b.errorf(fc.Args[i].ExprSpan(), "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
	}
	return a, nil
}

// intArg converts an integer argument to INT (Flink's declared type for positions and
// lengths).
func intArg(b *binder, fc *parser.FuncCall, name string, args []Expr, i int) (Expr, *bindError) {
	a := args[i]
	at := a.Type()
	if at.Kind == KindNull {
		return convert(a, Int()), nil
	}
	if !at.IsInteger() || at.Kind == KindBigInt && !isLiteral(a) {
		return nil, b.errorf(fc.Args[i].ExprSpan(), "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
	}
	return convertKeepNull(a, Int()), nil
}

func isLiteral(e Expr) bool { _, ok := e.(*Literal); return ok }

func stringUnary(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	s, err := stringArg(b, fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	return &Call{Op: opOf(name), Args: []Expr{s}, T: s.Type(), Pos: fc.Span}, nil
}

func charLength(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	s, err := stringArg(b, fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	t := Int()
	t.Nullable = s.Type().Nullable
	return &Call{Op: opOf(name), Args: []Expr{s}, T: t, Pos: fc.Span}, nil
}

// substring is SUBSTRING(s, start[, length]) with 1-based start; the result is
// VARCHAR of s's length.
func substring(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 3); err != nil {
		return nil, err
	}
	s, err := stringArg(b, fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	out := []Expr{s}
	for i := 1; i < len(args); i++ {
		x, err := intArg(b, fc, name, args, i)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	t := Type{Kind: KindVarchar, Length: s.Type().Length, Nullable: anyNullable(out)}
	return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
}

// trim normalizes TRIM(s), TRIM(mode, chars, s), LTRIM(s) and RTRIM(s) to
// Call TRIM(mode literal 'BOTH'|'LEADING'|'TRAILING', chars, s).
func trim(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	mode := map[string]string{"TRIM": "BOTH", "LTRIM": "LEADING", "RTRIM": "TRAILING"}[name]
	var chars, s Expr
	switch {
	case len(args) == 1:
		chars = &Literal{Value: " ", T: Type{Kind: KindChar, Length: 1}}
		s = args[0]
	case len(args) == 3 && name == "TRIM":
		l, ok := args[0].(*Literal)
		m, _ := l.Value.(string)
		if !ok || !l.T.IsString() || (m != "BOTH" && m != "LEADING" && m != "TRAILING") {
			return nil, b.errorf(fc.Span, "invalid TRIM mode")
		}
		mode = m
		chars = args[1]
		s = args[2]
	default:
		return nil, b.errorf(fc.Span, "function %s takes 1 argument, got %d", name, len(args))
	}
	all := []Expr{chars, s}
	for i, a := range all {
		if a.Type().Kind == KindNull {
			all[i] = convert(a, String())
			continue
		}
		if !a.Type().IsString() {
			return nil, b.errorf(fc.Span, "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
		}
	}
	t := Type{Kind: KindVarchar, Length: all[1].Type().Length, Nullable: anyNullable(all)}
	modeLit := &Literal{Value: mode, T: Type{Kind: KindChar, Length: len(mode)}}
	return &Call{Op: "TRIM", Args: []Expr{modeLit, all[0], all[1]}, T: t, Pos: fc.Span}, nil
}

func concat(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if len(args) == 0 {
		return nil, b.errorf(fc.Span, "function CONCAT takes at least 1 argument")
	}
	n := int64(0)
	out := make([]Expr, len(args))
	for i := range args {
		s, err := stringArg(b, fc, name, args, i)
		if err != nil {
			return nil, err
		}
		out[i] = s
		n += int64(s.Type().Length)
	}
	t := Type{Kind: KindVarchar, Length: int(min(n, MaxLength)), Nullable: anyNullable(out)}
	return &Call{Op: "CONCAT", Args: out, T: t, Pos: fc.Span}, nil
}

// coalesce: the common type of the arguments, NOT NULL if any argument is.
func coalesce(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if len(args) == 0 {
		return nil, b.errorf(fc.Span, "function COALESCE takes at least 1 argument")
	}
	ct, out, ok := commonArgs(args)
	if !ok {
		return nil, b.errorf(fc.Span, "the arguments of COALESCE have incompatible types %s", typeList(argTypes(args)))
	}
	nullable := true
	for _, a := range out {
		if !a.Type().Nullable {
			nullable = false
		}
	}
	ct.Nullable = nullable
	return &Call{Op: "COALESCE", Args: out, T: ct, Pos: fc.Span}, nil
}

func abs(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	if !args[0].Type().IsNumeric() {
		return nil, b.errorf(fc.Span, "cannot apply ABS to an argument of type %s", args[0].Type())
	}
	return &Call{Op: "ABS", Args: args, T: args[0].Type(), Pos: fc.Span}, nil
}

func mod(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	return b.arith(OpMod, "MOD", args[0], args[1], fc.Span)
}

func floorCeil(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if len(args) == 2 {
		return floorCeilTo(b, fc, name, args) // FLOOR(x TO unit), bind_func_time.go
	}
	if len(args) != 1 {
		return nil, b.errorf(fc.Span, "function %s takes 1 argument, got %d", name, len(args))
	}
	at := args[0].Type()
	if !at.IsNumeric() {
		return nil, b.errorf(fc.Span, "cannot apply %s to an argument of type %s", name, at)
	}
	t := at
	if at.Kind == KindDecimal {
		t.Scale = 0 // Calcite's ARG0_OR_EXACT_NO_SCALE: DECIMAL(p, s) -> DECIMAL(p, 0)
	}
	return &Call{Op: opOf(name), Args: args, T: t, Pos: fc.Span}, nil
}

// round is ROUND(x[, n]) with n an integer literal (0 if absent).
func round(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 2); err != nil {
		return nil, err
	}
	at := args[0].Type()
	if !at.IsNumeric() {
		return nil, b.errorf(fc.Span, "cannot apply ROUND to arguments of type %s", typeList(argTypes(args)))
	}
	r := int64(0)
	if len(args) == 2 {
		l, ok := args[1].(*Literal)
		if !ok || !l.T.IsInteger() {
			return nil, b.errorf(fc.Args[1].ExprSpan(), "the second argument of ROUND must be an integer literal")
		}
		r = l.Value.(int64)
	}
	t := at
	if at.Kind == KindDecimal {
		t = DecimalRoundType(at.Precision, at.Scale, int(r))
		t.Nullable = at.Nullable
	}
	return &Call{Op: "ROUND", Args: []Expr{args[0], &Literal{Value: r, T: Int().NotNull()}}, T: t, Pos: fc.Span}, nil
}

// ifFunc binds IF(cond, a, b) as CASE WHEN cond THEN a ELSE b END.
func ifFunc(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	cond, err := b.boolOperand(args[0], "IF", fc.Args[0].ExprSpan())
	if err != nil {
		return nil, err
	}
	return b.buildCase([]When{{Cond: cond}}, []Expr{args[1]}, args[2], fc.Span)
}

// nullIf binds NULLIF(a, b) as CASE WHEN a = b THEN NULL ELSE a END.
func nullIf(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	eq, err := b.compare(OpEq, "NULLIF", args[0], args[1], fc.Span)
	if err != nil {
		return nil, err
	}
	t := args[0].Type().WithNull()
	if t.Kind == KindNull {
		return nil, b.errorf(fc.Span, "the first argument of NULLIF must not be NULL")
	}
	return &Case{
		Whens: []When{{Cond: eq, Then: &Literal{Value: nil, T: t}}},
		Else:  convert(args[0], t),
		T:     t, Pos: fc.Span,
	}, nil
}

// namedArg is the index of fc's first named argument, or -1.
func namedArg(fc *parser.FuncCall) int {
	for i, n := range fc.ArgNames {
		if n.Name != "" {
			return i
		}
	}
	return -1
}
