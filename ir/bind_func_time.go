package ir

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// The built-in time functions: their argument types and result types are Flink's
// (FlinkSqlOperatorTable, Calcite's SqlDatePartFunction and SqlTimestampAddFunction as
// Flink copies it). Units of EXTRACT, FLOOR/CEIL ... TO, TIMESTAMPADD and TIMESTAMPDIFF
// are the call's first argument, an upper-case string literal ('HOUR').

func init() {
	// bind_func.go's init, which makes builtinFuncs, runs first: files initialize in
	// name order.
	if builtinFuncs == nil {
		panic("ir: builtinFuncs is not initialized")
	}
	for name, fn := range map[string]builtinFn{
		"DATE_FORMAT":      dateFormat,
		"TO_TIMESTAMP":     parseFn(Timestamp(3)),
		"TO_TIMESTAMP_LTZ": toTimestampLTZ,
		"TO_DATE":          parseFn(Type{Kind: KindDate, Nullable: true}),
		"UNIX_TIMESTAMP":   unixTimestamp,
		"PROCTIME":         procTime,
		"FROM_UNIXTIME":    fromUnixtime,
		"YEAR":             datePart,
		"QUARTER":          datePart,
		"MONTH":            datePart,
		"WEEK":             datePart,
		"DAYOFYEAR":        datePart,
		"DAYOFMONTH":       datePart,
		"DAYOFWEEK":        datePart,
		"HOUR":             datePart,
		"MINUTE":           datePart,
		"SECOND":           datePart,
		"TIMESTAMPADD":     timestampAdd,
		"TIMESTAMPDIFF":    timestampDiff,
	} {
		builtinFuncs[name] = fn
	}
}

// datePartUnits are the units of YEAR(x) ... SECOND(x), which Calcite rewrites to
// EXTRACT(unit FROM x).
var datePartUnits = map[string]string{
	"YEAR": "YEAR", "QUARTER": "QUARTER", "MONTH": "MONTH", "WEEK": "WEEK",
	"DAYOFYEAR": "DOY", "DAYOFMONTH": "DAY", "DAYOFWEEK": "DOW", "HOUR": "HOUR",
	"MINUTE": "MINUTE", "SECOND": "SECOND",
}

// extractDateUnits are the units EXTRACT reads from a date.
var extractDateUnits = map[string]bool{
	"YEAR": true, "QUARTER": true, "MONTH": true, "WEEK": true, "DAY": true, "DOW": true,
	"ISODOW": true, "DOY": true, "ISOYEAR": true, "DECADE": true, "CENTURY": true,
	"MILLENNIUM": true,
}

// extractTimeUnits are the units EXTRACT reads from a time of day (MICROSECOND and
// NANOSECOND only from a timestamp).
var extractTimeUnits = map[string]bool{
	"HOUR": true, "MINUTE": true, "SECOND": true, "MILLISECOND": true,
}

func unitLit(unit string) *Literal {
	return &Literal{Value: unit, T: Type{Kind: KindChar, Length: len(unit)}}
}

// timeOperand checks a datetime argument (a bare NULL becomes TIMESTAMP(3)).
func (b *binder) timeOperand(fc *parser.FuncCall, name string, args []Expr, i int) (Expr, *bindError) {
	a := args[i]
	t := a.Type()
	switch t.Kind {
	case KindNull:
		return convert(a, Timestamp(3)), nil
	case KindDate, KindTime, KindTimestamp, KindTimestampLTZ:
		return a, nil
	}
	return nil, b.errorf(fc.Args[i].ExprSpan(), "cannot apply %s to arguments of type %s", name, typeList(argTypes(args)))
}

// unitArg reads the unit literal of argument i.
func (b *binder) unitArg(fc *parser.FuncCall, args []Expr, i int) (string, *bindError) {
	if l, ok := args[i].(*Literal); ok {
		if s, ok := l.Value.(string); ok {
			return strings.ToUpper(s), nil
		}
	}
	return "", b.errorf(fc.Args[i].ExprSpan(), "expected a time unit like DAY or HOUR")
}

// extract binds EXTRACT(unit FROM x): BIGINT.
func (b *binder) extract(c *exprCtx, e *parser.Extract) (Expr, *bindError) {
	x, err := b.expr(c, e.X)
	if err != nil {
		return nil, err
	}
	return b.extractCall(e.Unit, x, e.X.ExprSpan(), e.Span)
}

func (b *binder) extractCall(unit string, x Expr, xSpan, span diag.Span) (Expr, *bindError) {
	t := x.Type()
	ok := false
	switch t.Kind {
	case KindNull:
		x, t, ok = convert(x, Timestamp(3)), Timestamp(3), true
	case KindDate:
		ok = extractDateUnits[unit] || unit == "EPOCH"
	case KindTime:
		ok = extractTimeUnits[unit]
	case KindTimestamp:
		// Flink's ExtractCallGen has no EPOCH for a TIMESTAMP ("Unit 'EPOCH' is not
		// supported"); TIMESTAMP_LTZ has it.
		ok = extractDateUnits[unit] || extractTimeUnits[unit] || unit == "MICROSECOND" || unit == "NANOSECOND"
	case KindTimestampLTZ:
		ok = extractDateUnits[unit] || extractTimeUnits[unit] || unit == "MICROSECOND" || unit == "NANOSECOND" || unit == "EPOCH"
	default:
		return nil, b.errorf(xSpan, "cannot EXTRACT from a value of type %s", t)
	}
	if !ok {
		return nil, b.errorf(span, "cannot EXTRACT %s from a value of type %s", unit, t)
	}
	rt := BigInt()
	rt.Nullable = t.Nullable || t.Kind == KindNull
	return &Call{Op: "EXTRACT", Args: []Expr{unitLit(unit), x}, T: rt, Pos: span}, nil
}

// datePart binds YEAR(x), ..., SECOND(x) as EXTRACT.
func datePart(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	return b.extractCall(datePartUnits[name], args[0], fc.Args[0].ExprSpan(), fc.Span)
}

// floorCeilUnits are the units of FLOOR/CEIL(x TO unit) by the operand's type.
var floorCeilUnits = map[Kind]map[string]bool{
	KindTimestamp: {"MILLENNIUM": true, "CENTURY": true, "DECADE": true, "YEAR": true,
		"QUARTER": true, "MONTH": true, "WEEK": true, "DAY": true, "HOUR": true, "MINUTE": true,
		"SECOND": true, "MILLISECOND": true},
	KindDate: {"MILLENNIUM": true, "CENTURY": true, "DECADE": true, "YEAR": true,
		"QUARTER": true, "MONTH": true, "WEEK": true, "DAY": true},
	KindTime: {"HOUR": true, "MINUTE": true, "SECOND": true, "MILLISECOND": true},
}

// floorCeilTo binds FLOOR(x TO unit) and CEIL(x TO unit), which the parser turns into
// FLOOR(x, 'unit'): the type of x.
func floorCeilTo(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	x, err := b.timeOperand(fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	unit, err := b.unitArg(fc, args, 1)
	if err != nil {
		return nil, err
	}
	k := x.Type().Kind
	if k == KindTimestampLTZ {
		k = KindTimestamp
	}
	if !floorCeilUnits[k][unit] {
		return nil, b.errorf(fc.Span, "%s of a value of type %s TO %s is not supported", name, x.Type(), unit)
	}
	return &Call{Op: opOf(name), Args: []Expr{x, unitLit(unit)}, T: x.Type().Materialized(), Pos: fc.Span}, nil
}

// timestampAdd binds TIMESTAMPADD(unit, n, x): n an integer; the type is x's, except
// that MILLISECOND makes a TIMESTAMP's precision at least 3 and HOUR, MINUTE and SECOND
// make a DATE a TIMESTAMP(6) (Flink's SqlTimestampAddFunction.deduceType).
func timestampAdd(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	unit, err := b.unitArg(fc, args, 0)
	if err != nil {
		return nil, err
	}
	n, ok := bigIntArg(args[1])
	if !ok {
		return nil, b.errorf(fc.Args[1].ExprSpan(), "cannot apply TIMESTAMPADD to arguments of type %s: the count must be an integer", typeList(argTypes(args[1:])))
	}
	x, err := b.timeOperand(fc, name, args, 2)
	if err != nil {
		return nil, err
	}
	xt := x.Type().Materialized()
	t := xt
	switch unit {
	case "YEAR", "QUARTER", "MONTH", "WEEK", "DAY":
	case "HOUR", "MINUTE", "SECOND":
		if xt.Kind == KindDate {
			t = Timestamp(6)
		}
	case "MILLISECOND":
		if xt.Kind == KindDate {
			return nil, b.errorf(fc.Span, "TIMESTAMPADD(MILLISECOND, ...) of a DATE is not supported")
		}
		t.Precision = max(t.Precision, 3)
	default:
		return nil, b.errorf(fc.Args[0].ExprSpan(), "TIMESTAMPADD with unit %s is not supported yet", unit)
	}
	t.Nullable = xt.Nullable || n.Type().Nullable
	return &Call{Op: "TIMESTAMPADD", Args: []Expr{unitLit(unit), n, x}, T: t, Pos: fc.Span}, nil
}

// timestampDiff binds TIMESTAMPDIFF(unit, a, b): INT, the whole units from a to b; a
// TIMESTAMP_LTZ only with another one.
func timestampDiff(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 3, 3); err != nil {
		return nil, err
	}
	unit, err := b.unitArg(fc, args, 0)
	if err != nil {
		return nil, err
	}
	switch unit {
	case "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND":
	default:
		// Flink's TimestampDiffCallGen: "Unit '...' can not be applied to the timestamp
		// difference function."
		return nil, b.errorf(fc.Args[0].ExprSpan(), "unit %s cannot be applied to TIMESTAMPDIFF", unit)
	}
	out := []Expr{unitLit(unit)}
	for i := 1; i <= 2; i++ {
		x, err := b.timeOperand(fc, name, args, i)
		if err != nil {
			return nil, err
		}
		if x.Type().Kind == KindTime {
			return nil, b.errorf(fc.Args[i].ExprSpan(), "TIMESTAMPDIFF of a TIME is not supported")
		}
		out = append(out, x)
	}
	if (out[1].Type().Kind == KindTimestampLTZ) != (out[2].Type().Kind == KindTimestampLTZ) {
		return nil, b.errorf(fc.Span, "TIMESTAMP_LTZ only supports diff between the same type")
	}
	t := Int()
	t.Nullable = anyNullable(out[1:])
	return &Call{Op: "TIMESTAMPDIFF", Args: out, T: t, Pos: fc.Span}, nil
}

// stringArgsFrom checks that arguments from..len(args)-1 are strings (or NULL).
func stringArgsFrom(b *binder, fc *parser.FuncCall, name string, args []Expr, from int) ([]Expr, *bindError) {
	out := append([]Expr(nil), args...)
	for i := from; i < len(args); i++ {
		s, err := stringArg(b, fc, name, args, i)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// dateFormat is DATE_FORMAT(x, format) with x a TIMESTAMP, TIMESTAMP_LTZ, DATE or string:
// STRING, always nullable (Flink's VARCHAR_FORCE_NULLABLE).
func dateFormat(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	x := args[0]
	switch t := x.Type(); {
	case t.Kind == KindNull:
		x = convert(x, Timestamp(3))
	case isTimestamp(t) || t.Kind == KindDate || t.IsString():
	default:
		return nil, b.errorf(fc.Span, "cannot apply DATE_FORMAT to arguments of type %s", typeList(argTypes(args)))
	}
	out, err := stringArgsFrom(b, fc, name, []Expr{x, args[1]}, 1)
	if err != nil {
		return nil, err
	}
	return &Call{Op: "DATE_FORMAT", Args: out, T: String(), Pos: fc.Span}, nil
}

// parseFn binds TO_TIMESTAMP(s[, format]) (TIMESTAMP(3)) and TO_DATE(s[, format]) (DATE):
// always nullable, NULL when s does not parse.
func parseFn(t Type) builtinFn {
	return func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
		if err := arity(b, fc, name, args, 1, 2); err != nil {
			return nil, err
		}
		out, err := stringArgsFrom(b, fc, name, args, 0)
		if err != nil {
			return nil, err
		}
		return &Call{Op: Op(name), Args: out, T: t, Pos: fc.Span}, nil
	}
}

// procTime is PROCTIME(): the processing time, TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*, a
// processing-time attribute that a window TVF can use as its time column.
func procTime(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 0, 0); err != nil {
		return nil, err
	}
	t := Type{Kind: KindTimestampLTZ, Precision: 3}.NotNull().WithTimeAttr(TimeProctime)
	return &Call{Op: "PROCTIME", T: t, Pos: fc.Span}, nil
}

// unixTimestamp is UNIX_TIMESTAMP() (the current time, BIGINT NOT NULL) or
// UNIX_TIMESTAMP(s[, format]) (BIGINT, nullable when an argument is).
func unixTimestamp(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 0, 2); err != nil {
		return nil, err
	}
	out, err := stringArgsFrom(b, fc, name, args, 0)
	if err != nil {
		return nil, err
	}
	t := BigInt()
	t.Nullable = anyNullable(out)
	return &Call{Op: "UNIX_TIMESTAMP", Args: out, T: t, Pos: fc.Span}, nil
}

// fromUnixtime is FROM_UNIXTIME(n[, format]) with n an integer: STRING, always nullable.
func fromUnixtime(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 2); err != nil {
		return nil, err
	}
	n, ok := bigIntArg(args[0])
	if !ok {
		return nil, b.errorf(fc.Span, "cannot apply FROM_UNIXTIME to arguments of type %s", typeList(argTypes(args)))
	}
	out, err := stringArgsFrom(b, fc, name, append([]Expr{n}, args[1:]...), 1)
	if err != nil {
		return nil, err
	}
	return &Call{Op: "FROM_UNIXTIME", Args: out, T: String(), Pos: fc.Span}, nil
}

// toTimestampLTZ is TO_TIMESTAMP_LTZ(n, precision): n a number of epoch seconds
// (precision 0) or milliseconds (3); TIMESTAMP_LTZ(3), always nullable.
func toTimestampLTZ(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 2, 2); err != nil {
		return nil, err
	}
	n := args[0]
	switch t := n.Type(); {
	case t.Kind == KindNull:
		n = convert(n, BigInt())
	case t.IsNumeric() || t.Kind == KindFloat || t.Kind == KindDouble:
	default:
		return nil, b.errorf(fc.Span, "cannot apply TO_TIMESTAMP_LTZ to arguments of type %s: the first must be a number", typeList(argTypes(args)))
	}
	l, ok := args[1].(*Literal)
	p, isInt := int64(0), false
	if ok && l.T.IsInteger() {
		p, isInt = l.Value.(int64)
	}
	if !isInt {
		return nil, b.errorf(fc.Args[1].ExprSpan(), "the precision of TO_TIMESTAMP_LTZ must be the integer literal 0 or 3")
	}
	if p != 0 && p != 3 {
		return nil, b.errorf(fc.Args[1].ExprSpan(), "The precision value '%d' for function TO_TIMESTAMP_LTZ(numeric, precision) is unsupported, the supported value is '0' for second or '3' for millisecond.", p)
	}
	return &Call{Op: "TO_TIMESTAMP_LTZ", Args: []Expr{n, &Literal{Value: p, T: Int().NotNull(), Pos: l.Pos}}, T: TimestampLTZ(3), Pos: fc.Span}, nil
}

// bigIntArg widens an integer argument (or an untyped NULL) to BIGINT, keeping its
// nullability; ok is false for any other type.
func bigIntArg(n Expr) (Expr, bool) {
	switch {
	case n.Type().Kind == KindNull:
		return convert(n, BigInt()), true
	case n.Type().IsInteger():
		return convertKeepNull(n, BigInt().NotNull()), true
	}
	return n, false
}
