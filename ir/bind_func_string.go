package ir

import (
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// The string, regular-expression and conditional built-ins, and the comparisons
// IS [NOT] DISTINCT FROM and SIMILAR TO, with Flink's argument and result types
// (FlinkSqlOperatorTable, BuiltInFunctionDefinitions). Their run-time meaning is in
// runtimelib/types (strfn.go, regexfn.go, parseurl.go) and docs/sql.md.

// The comparison operators of this file.
const (
	OpIsDistinctFrom    Op = "IS DISTINCT FROM"     // Args: x, y (common type); never NULL
	OpIsNotDistinctFrom Op = "IS NOT DISTINCT FROM" // Args: x, y
	OpSimilar           Op = "SIMILAR TO"           // Args: x, pattern[, escape literal]
)

// init adds to builtinFuncs, which bind_func.go's init makes first (Go runs a package's
// init functions in file-name order).
func init() {
	for name, fn := range map[string]builtinFn{
		"CONCAT_WS":      concatWs,
		"REPLACE":        stringFn(3, varcharNullable),
		"REGEXP":         regexpFn,
		"REGEXP_REPLACE": regexpReplace,
		"REGEXP_EXTRACT": regexpExtract,
		"SPLIT_INDEX":    splitIndex,
		"LPAD":           pad,
		"RPAD":           pad,
		"POSITION":       locate,
		"LOCATE":         locate,
		"INSTR":          instr,
		"INITCAP":        stringUnary,
		"LEFT":           leftRight,
		"RIGHT":          leftRight,
		"REVERSE":        stringFn(1, varcharForceNullable),
		"REPEAT":         repeatFn,
		"PARSE_URL":      parseURL,
		"TO_BASE64":      stringFn(1, varcharNullable),
		"FROM_BASE64":    stringFn(1, varcharNullable),
		"MD5":            hashFn(32),
		"SHA1":           hashFn(40),
		"SHA256":         hashFn(64),
		"ASCII":          charLength, // INT of a string, as CHAR_LENGTH
		"CHR":            chrFn,
		"GREATEST":       greatestLeast,
		"LEAST":          greatestLeast,
		"IFNULL":         ifNull,
	} {
		builtinFuncs[name] = fn
	}
}

// stringArgs converts every argument with stringArg.
func stringArgs(b *binder, fc *parser.FuncCall, name string, args []Expr) ([]Expr, *bindError) {
	return stringArgsFrom(b, fc, name, args, 0)
}

// argsOf converts argument i with stringArg where kinds[i] is 's' and with intArg where
// it is 'i' (kinds may be longer than args: trailing optional arguments).
func argsOf(b *binder, fc *parser.FuncCall, name string, args []Expr, kinds string) ([]Expr, *bindError) {
	out := make([]Expr, len(args))
	for i := range args {
		var err *bindError
		if kinds[i] == 'i' {
			out[i], err = intArg(b, fc, name, args, i)
		} else {
			out[i], err = stringArg(b, fc, name, args, i)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// commonArgs converts the arguments to their common type (nullable if one is).
func commonArgs(args []Expr) (Type, []Expr, bool) {
	ct, ok := CommonType(argTypes(args)...)
	if !ok {
		return Type{}, nil, false
	}
	out := make([]Expr, len(args))
	for i, a := range args {
		out[i] = convertKeepNull(a, ct)
	}
	return ct, out, true
}

// stringOperands checks the string operands of LIKE and SIMILAR TO (a NULL becomes a
// STRING NULL).
func (b *binder) stringOperands(op string, x, p Expr, span diag.Span) ([]Expr, *bindError) {
	args := []Expr{x, p}
	for i, a := range args {
		at := a.Type()
		if at.Kind == KindNull {
			args[i] = convert(a, String())
			continue
		}
		if !at.IsString() {
			return nil, b.mismatch(op, span, x.Type(), p.Type())
		}
	}
	return args, nil
}

// varcharNullable is STRING, nullable when an argument is (Flink's VARCHAR with
// TO_NULLABLE); varcharForceNullable is always nullable (VARCHAR_FORCE_NULLABLE).
func varcharNullable(args []Expr) Type {
	t := String()
	t.Nullable = anyNullable(args)
	return t
}

func varcharForceNullable([]Expr) Type { return String() }

// stringFn binds a function of n string arguments with the given result type.
func stringFn(n int, result func([]Expr) Type) builtinFn {
	return func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
		if err := arity(b, fc, name, args, n, n); err != nil {
			return nil, err
		}
		out, err := stringArgs(b, fc, name, args)
		if err != nil {
			return nil, err
		}
		return &Call{Op: opOf(name), Args: out, T: result(out), Pos: fc.Span}, nil
	}
}

// concatWs is CONCAT_WS(sep, s, ...): NULL only when sep is; NULL strings are skipped.
func concatWs(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if len(args) == 0 {
		return nil, b.errorf(fc.Span, "function CONCAT_WS takes at least 1 argument")
	}
	out, err := stringArgs(b, fc, name, args)
	if err != nil {
		return nil, err
	}
	return &Call{Op: "CONCAT_WS", Args: out, T: varcharNullable(out), Pos: fc.Span}, nil
}

// regexpFn is REGEXP(s, pattern): BOOLEAN.
func regexpFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	out, err := stringArgs(b, fc, name, args)
	if err != nil {
		return nil, err
	}
	return predicate("REGEXP", fc.Span, out...), nil
}

// regexpReplace is REGEXP_REPLACE(s, pattern, replacement): STRING, NULL for a pattern
// Java rejects, so nullable unless the pattern is a constant (checked when compiled).
func regexpReplace(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	out, err := stringArgs(b, fc, name, args)
	if err != nil {
		return nil, err
	}
	t := varcharNullable(out)
	if !isLiteral(out[1]) {
		t.Nullable = true
	}
	return &Call{Op: "REGEXP_REPLACE", Args: out, T: t, Pos: fc.Span}, nil
}

// regexpExtract is REGEXP_EXTRACT(s, pattern[, group]): STRING, always nullable (NULL
// without a match); the group defaults to 0, the whole match.
func regexpExtract(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 3); err != nil {
		return nil, err
	}
	out, err := stringArgs(b, fc, name, args[:2])
	if err != nil {
		return nil, err
	}
	group := Expr(&Literal{Value: int64(0), T: Int().NotNull(), Pos: fc.Span})
	if len(args) == 3 {
		if group, err = intArg(b, fc, name, args, 2); err != nil {
			return nil, err
		}
	}
	return &Call{Op: "REGEXP_EXTRACT", Args: append(out, group), T: String(), Pos: fc.Span}, nil
}

// splitIndex is SPLIT_INDEX(s, sep, i), sep a string or the code of a character.
func splitIndex(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	s, err := stringArg(b, fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	var sep Expr
	if args[1].Type().IsInteger() {
		sep, err = intArg(b, fc, name, args, 1)
	} else {
		sep, err = stringArg(b, fc, name, args, 1)
	}
	if err != nil {
		return nil, err
	}
	i, err := intArg(b, fc, name, args, 2)
	if err != nil {
		return nil, err
	}
	return &Call{Op: "SPLIT_INDEX", Args: []Expr{s, sep, i}, T: String(), Pos: fc.Span}, nil
}

// pad is LPAD/RPAD(s, n, pad): STRING, NULL when n < 0 or pad is empty, so nullable
// unless n and pad are constants that rule that out.
func pad(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	out, err := argsOf(b, fc, name, args, "sis")
	if err != nil {
		return nil, err
	}
	n, p := out[1], out[2]
	t := varcharNullable(out)
	nl, nOK := n.(*Literal)
	pl, pOK := p.(*Literal)
	if !nOK || !pOK || nl.Value == nil || nl.Value.(int64) < 0 || pl.Value == nil || pl.Value.(string) == "" {
		t.Nullable = true
	}
	return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
}

// locate is POSITION(seek IN s) and LOCATE(seek, s[, from]): INT, 0 when not found.
func locate(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	hi := 3
	if name == "POSITION" {
		hi = 2
	}
	if err := arity(b, fc, name, args, 2, hi); err != nil {
		return nil, err
	}
	out, err := argsOf(b, fc, name, args, "ssi")
	if err != nil {
		return nil, err
	}
	t := Int()
	t.Nullable = anyNullable(out)
	return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
}

// instr is INSTR(s, sub[, start[, nth]]): INT.
func instr(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 4); err != nil {
		return nil, err
	}
	out, err := argsOf(b, fc, name, args, "ssii")
	if err != nil {
		return nil, err
	}
	t := Int()
	t.Nullable = anyNullable(out)
	return &Call{Op: "INSTR", Args: out, T: t, Pos: fc.Span}, nil
}

// leftRight is LEFT/RIGHT(s, n): VARCHAR of s's length, nullable (Flink's
// ARG0_VARCHAR_FORCE_NULLABLE).
func leftRight(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	out, err := argsOf(b, fc, name, args, "si")
	if err != nil {
		return nil, err
	}
	t := Type{Kind: KindVarchar, Length: out[0].Type().Length, Nullable: true}
	return &Call{Op: opOf(name), Args: out, T: t, Pos: fc.Span}, nil
}

// repeatFn is REPEAT(s, n): STRING.
func repeatFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	out, err := argsOf(b, fc, name, args, "si")
	if err != nil {
		return nil, err
	}
	return &Call{Op: "REPEAT", Args: out, T: varcharNullable(out), Pos: fc.Span}, nil
}

// parseURL is PARSE_URL(url, part[, key]): STRING, always nullable.
func parseURL(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 3); err != nil {
		return nil, err
	}
	out, err := stringArgs(b, fc, name, args)
	if err != nil {
		return nil, err
	}
	return &Call{Op: "PARSE_URL", Args: out, T: String(), Pos: fc.Span}, nil
}

// hashFn binds MD5, SHA1 and SHA256: CHAR(n) of lower-case hex.
func hashFn(n int) builtinFn {
	return func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
		if err := arity(b, fc, name, args, 1, 1); err != nil {
			return nil, err
		}
		s, err := stringArg(b, fc, name, args, 0)
		if err != nil {
			return nil, err
		}
		t := Type{Kind: KindChar, Length: n, Nullable: s.Type().Nullable}
		return &Call{Op: opOf(name), Args: []Expr{s}, T: t, Pos: fc.Span}, nil
	}
}

// chrFn is CHR(n), n an integer: STRING, nullable (VARCHAR_FORCE_NULLABLE).
func chrFn(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	a := args[0]
	switch {
	case a.Type().Kind == KindNull:
		a = convert(a, BigInt())
	case !a.Type().IsInteger():
		return nil, b.errorf(fc.Span, "cannot apply CHR to an argument of type %s", a.Type())
	}
	return &Call{Op: "CHR", Args: []Expr{convertKeepNull(a, BigInt())}, T: String(), Pos: fc.Span}, nil
}

// greatestLeast is GREATEST/LEAST(x, ...): the common type, NULL if any argument is.
func greatestLeast(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if len(args) == 0 {
		return nil, b.errorf(fc.Span, "function %s takes at least 1 argument", name)
	}
	ct, out, ok := commonArgs(args)
	if !ok || isConstructed(ct) {
		return nil, b.errorf(fc.Span, "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
	}
	return &Call{Op: opOf(name), Args: out, T: ct, Pos: fc.Span}, nil
}

// ifNull is IFNULL(x, replacement): the common type, nullable only when the replacement
// is (BuiltInFunctionDefinitions.IF_NULL). Both arguments are evaluated.
func ifNull(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	ct, out, ok := commonArgs(args)
	if !ok || isConstructed(ct) {
		return nil, b.errorf(fc.Span, "the arguments of IFNULL have incompatible types %s", typeList(argTypes(args)))
	}
	ct.Nullable = out[1].Type().Nullable || out[1].Type().Kind == KindNull
	return &Call{Op: "IFNULL", Args: out, T: ct, Pos: fc.Span}, nil
}

// predicate is a BOOLEAN call, NULL when an argument is.
func predicate(op Op, pos diag.Span, args ...Expr) *Call {
	return &Call{Op: op, Args: args, T: Type{Kind: KindBoolean, Nullable: anyNullable(args)}, Pos: pos}
}

// distinctFrom binds x IS [NOT] DISTINCT FROM y: BOOLEAN NOT NULL, NULLs equal to each
// other. The operands are converted as for = (compare), whose Call it reuses.
func (b *binder) distinctFrom(op string, x, y Expr, span diag.Span) (Expr, *bindError) {
	eq, err := b.compare(OpEq, op, x, y, span)
	if err != nil {
		return nil, err
	}
	o := OpIsNotDistinctFrom
	if op == "IS DISTINCT FROM" {
		o = OpIsDistinctFrom
	}
	return &Call{Op: o, Args: eq.(*Call).Args, T: Boolean().NotNull(), Pos: span}, nil
}

// similar binds x [NOT] SIMILAR TO pattern [ESCAPE c].
func (b *binder) similar(x, p, esc Expr, not bool, e *parser.Like) (Expr, *bindError) {
	args, err := b.stringOperands("SIMILAR TO", x, p, e.Span)
	if err != nil {
		return nil, err
	}
	if esc != nil {
		l, ok := esc.(*Literal)
		if !ok || !l.T.IsString() || utf8.RuneCountInString(l.Value.(string)) != 1 {
			return nil, b.errorf(e.Escape.ExprSpan(), "the ESCAPE of SIMILAR TO must be a string literal of one character")
		}
		args = append(args, esc)
	}
	var r Expr = predicate(OpSimilar, e.Span, args...)
	if not {
		r = &Call{Op: OpNot, Args: []Expr{r}, T: r.Type(), Pos: e.Span}
	}
	return r, nil
}
