package optimizer

import (
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// FoldConstants evaluates built-in operators whose arguments are literals and simplifies
// boolean identities, in every expression of the plan (Calc lets, conditions and
// projections; aggregate arguments and filters). A Calc whose condition folds to TRUE
// loses it; one that folds to FALSE or NULL keeps an always-false condition.
//
// It never folds what could fail at runtime (division by zero, a CAST the input does not
// fit, a DECIMAL overflow): those stay in the plan and fail (or yield NULL) where Flink
// would. UDF calls are not folded, even deterministic ones: the compiler cannot run the
// user's Go code at compile time.
//
// The returned plan is a copy; p is not modified.
func FoldConstants(p *ir.Plan) *ir.Plan {
	q := copyPlan(p)
	foldPlan(q)
	return q
}

func foldPlan(p *ir.Plan) { rewritePlan(p, foldNode) }

// foldNode folds every expression of n; a condition (a Calc's, an aggregate's FILTER)
// that folds to TRUE is dropped, one that folds to NULL is FALSE.
func foldNode(n ir.Node) ir.Node {
	n = ir.MapExprs(n, FoldExpr)
	switch n := n.(type) {
	case *ir.Calc:
		n.Cond = foldedCond(n.Cond)
	case *ir.Aggregate:
		for i := range n.Aggs {
			n.Aggs[i].Filter = foldedCond(n.Aggs[i].Filter)
		}
	}
	return n
}

// foldedCond normalizes a folded filter condition: TRUE means no filter (nil); FALSE
// and NULL both drop every row and become a FALSE literal.
func foldedCond(c ir.Expr) ir.Expr {
	if c == nil {
		return nil
	}
	if v, ok := boolLit(c); ok && v {
		return nil
	}
	if isNullLit(c) {
		return &ir.Literal{Value: false, T: ir.Boolean().NotNull(), Pos: c.Span()}
	}
	return c
}

// FoldExpr returns e with constant subexpressions evaluated. e is not modified.
func FoldExpr(e ir.Expr) ir.Expr {
	return ir.RewriteExpr(e, foldOne)
}

// foldOne folds one node whose children are already folded.
func foldOne(e ir.Expr) ir.Expr {
	switch e := e.(type) {
	case *ir.Call:
		if r := foldCall(e); r != nil {
			return r
		}
	case *ir.Cast:
		if r := foldCast(e); r != nil {
			return r
		}
	case *ir.Case:
		if r := foldCase(e); r != nil {
			return r
		}
	case *ir.FieldAccess:
		// ROW(a, b).EXPR$1 => b, unless a could fail the job.
		if c, ok := e.X.(*ir.Call); ok && c.Op == ir.OpRow && e.Index < len(c.Args) {
			for i, a := range c.Args {
				if i != e.Index && canFail(a) {
					return e
				}
			}
			if r := coerce(c.Args[e.Index], e.T); r != nil {
				return r
			}
		}
	}
	return e
}

func lit(v any, t ir.Type, at ir.Expr) *ir.Literal {
	return &ir.Literal{Value: v, T: t, Pos: at.Span()}
}

// nullOf returns a NULL literal of e's type, or nil if e's type is NOT NULL (a binder
// bug we do not paper over).
func nullOf(e ir.Expr) ir.Expr {
	if !e.Type().Nullable && e.Type().Kind != ir.KindNull {
		return nil
	}
	return lit(nil, e.Type(), e)
}

// coerce returns x as an expression of type t, for replacing an expression of type t
// by x (x AND TRUE => x): x itself if the types are equal, a folded literal, or a CAST
// that cannot fail. nil means the replacement is not possible.
func coerce(x ir.Expr, t ir.Type) ir.Expr {
	if x.Type().Equal(t) {
		return x
	}
	if !castNeverFails(x.Type(), t) {
		return nil
	}
	c := &ir.Cast{X: x, T: t, Implicit: true, Pos: x.Span()}
	if r := foldCast(c); r != nil {
		return r
	}
	if _, isLit := x.(*ir.Literal); isLit {
		return nil
	}
	return c
}

func allLiterals(args []ir.Expr) ([]*ir.Literal, bool) {
	out := make([]*ir.Literal, len(args))
	for i, a := range args {
		l, ok := a.(*ir.Literal)
		if !ok {
			return nil, false
		}
		out[i] = l
	}
	return out, true
}

func anyNull(ls []*ir.Literal) bool {
	for _, l := range ls {
		if l.Value == nil {
			return true
		}
	}
	return false
}

func foldCall(e *ir.Call) ir.Expr {
	switch e.Op {
	case ir.OpAnd, ir.OpOr:
		return foldAndOr(e)
	case ir.OpNot:
		if len(e.Args) != 1 {
			return nil
		}
		if inner, ok := e.Args[0].(*ir.Call); ok && inner.Op == ir.OpNot && len(inner.Args) == 1 {
			return coerce(inner.Args[0], e.T) // NOT NOT x => x
		}
	case ir.OpIsNull, ir.OpIsNotNull:
		if len(e.Args) != 1 {
			return nil
		}
		x := e.Args[0]
		isNull := false
		switch {
		case isLiteral(x):
			isNull = isNullLit(x)
		case !x.Type().Nullable && !canFail(x):
			isNull = false
		default:
			return nil
		}
		return lit(isNull == (e.Op == ir.OpIsNull), e.T, e)
	case ir.OpIsTrue, ir.OpIsFalse:
		if len(e.Args) != 1 || !isLiteral(e.Args[0]) {
			return nil
		}
		v, ok := boolLit(e.Args[0])
		return lit(ok && v == (e.Op == ir.OpIsTrue), e.T, e)
	}

	ls, ok := allLiterals(e.Args)
	if !ok || len(ls) == 0 {
		return nil
	}
	if e.Op == ir.OpIn {
		return foldIn(e, ls)
	}
	if !strictOps[e.Op] {
		return nil // function-style built-ins are evaluated at runtime for now
	}
	if anyNull(ls) {
		return nullOf(e) // every remaining operator is NULL on a NULL operand
	}
	switch e.Op {
	case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpMod:
		if len(ls) != 2 {
			return nil
		}
		return foldArith(e, ls[0], ls[1])
	case ir.OpNeg:
		if len(ls) != 1 {
			return nil
		}
		return foldNeg(e, ls[0])
	case "ABS":
		if len(ls) != 1 {
			return nil
		}
		return foldAbs(e, ls[0])
	case ir.OpNot:
		v, ok := ls[0].Value.(bool)
		if !ok {
			return nil
		}
		return lit(!v, e.T, e)
	case ir.OpEq, ir.OpNe, ir.OpLt, ir.OpLe, ir.OpGt, ir.OpGe:
		if len(ls) != 2 {
			return nil
		}
		c, ok := compareLits(ls[0], ls[1])
		if !ok {
			return nil
		}
		return lit(compareResult(e.Op, c), e.T, e)
	case ir.OpConcat:
		if !e.T.IsString() {
			return nil
		}
		s := ""
		for _, l := range ls {
			v, ok := litString(l)
			if !ok {
				return nil
			}
			s += v
		}
		return lit(s, e.T, e)
	}
	return nil
}

func isLiteral(e ir.Expr) bool { _, ok := e.(*ir.Literal); return ok }

func compareResult(op ir.Op, c int) bool {
	switch op {
	case ir.OpEq:
		return c == 0
	case ir.OpNe:
		return c != 0
	case ir.OpLt:
		return c < 0
	case ir.OpLe:
		return c <= 0
	case ir.OpGt:
		return c > 0
	}
	return c >= 0
}

// foldAndOr applies three-valued logic. For AND (OR is the mirror image): a FALSE operand
// makes the whole FALSE when dropping the other operands loses no failure; TRUE operands
// are dropped; all-literal operands evaluate; a single remaining operand replaces the
// call. A NULL operand is kept, since x AND NULL is FALSE or NULL depending on x.
func foldAndOr(e *ir.Call) ir.Expr {
	absorbing := e.Op == ir.OpOr // TRUE absorbs OR, FALSE absorbs AND
	var rest []ir.Expr
	sawNull, sawAbsorbing, changed := false, false, false
	for _, a := range e.Args {
		if v, ok := boolLit(a); ok {
			changed = true
			if v == absorbing {
				sawAbsorbing = true
			}
			continue // the neutral element is dropped
		}
		if isNullLit(a) {
			if !sawNull {
				sawNull = true
			} else {
				changed = true
			}
			continue
		}
		rest = append(rest, a)
	}
	if sawAbsorbing {
		for _, a := range rest {
			if canFail(a) {
				return nil
			}
		}
		return lit(absorbing, e.T, e)
	}
	if !changed {
		return nil
	}
	if len(rest) == 0 {
		if sawNull {
			return nullOf(e)
		}
		return lit(!absorbing, e.T, e)
	}
	if sawNull {
		rest = append(rest, lit(nil, ir.Boolean(), e))
	}
	if len(rest) == 1 {
		return coerce(rest[0], e.T)
	}
	c := *e
	c.Args = rest
	return &c
}

// foldIn evaluates x IN (v1, ...) on literals: TRUE if some vi equals x, else NULL if x
// or some vi is NULL, else FALSE.
func foldIn(e *ir.Call, ls []*ir.Literal) ir.Expr {
	if ls[0].Value == nil {
		return nullOf(e)
	}
	sawNull := false
	for _, v := range ls[1:] {
		if v.Value == nil {
			sawNull = true
			continue
		}
		c, ok := compareLits(ls[0], v)
		if !ok {
			return nil
		}
		if c == 0 {
			return lit(true, e.T, e)
		}
	}
	if sawNull {
		return nullOf(e)
	}
	return lit(false, e.T, e)
}

// foldArith evaluates + - * / MOD in the domain of the result type: integers wrap to
// the result width as in Java (computed in 64 bits, so a MOD, whose result has the
// divisor's type, does not narrow the dividend first; a DECIMAL(p, 0) operand counts as
// Flink's DecimalDataUtils.castToLong of it); DECIMAL is exact and rounded HALF_UP to
// the result scale (division first to 38 significant digits, as Flink's
// DecimalDataUtils.divide; MOD is BigDecimal.remainder, its sign that of the dividend);
// FLOAT and DOUBLE use IEEE arithmetic. Division or MOD by zero is never folded.
func foldArith(e *ir.Call, a, b *ir.Literal) ir.Expr {
	t := e.T
	switch {
	case t.IsInteger():
		x, ok1 := litLong(a)
		y, ok2 := litLong(b)
		if !ok1 || !ok2 {
			return nil
		}
		var r int64
		switch e.Op {
		case ir.OpAdd:
			r = x + y
		case ir.OpSub:
			r = x - y
		case ir.OpMul:
			r = x * y
		case ir.OpDiv:
			if y == 0 {
				return nil
			}
			r = x / y
		case ir.OpMod:
			if y == 0 {
				return nil
			}
			r = x % y
		}
		return lit(ir.WrapInt(r, t.Kind), t, e)
	case t.Kind == ir.KindDecimal:
		x, ok1 := litRat(a)
		y, ok2 := litRat(b)
		if !ok1 || !ok2 {
			return nil
		}
		r := new(big.Rat)
		switch e.Op {
		case ir.OpAdd:
			r.Add(x, y)
		case ir.OpSub:
			r.Sub(x, y)
		case ir.OpMul:
			r.Mul(x, y)
		case ir.OpDiv:
			if y.Sign() == 0 {
				return nil
			}
			r = roundSignificant(r.Quo(x, y), 38)
		case ir.OpMod:
			if y.Sign() == 0 {
				return nil
			}
			q := ratInt(new(big.Rat).Quo(x, y))
			if numDigits(q) > 38 {
				return nil // BigDecimal.remainder with 38 digits throws: left to the runtime
			}
			r.Sub(x, new(big.Rat).Mul(new(big.Rat).SetInt(q), y))
		}
		s, ok := decimalValue(r, t.Precision, t.Scale)
		if !ok {
			return nil
		}
		return lit(s, t, e)
	case isFloatKind(t.Kind):
		x, ok1 := litFloat(a)
		y, ok2 := litFloat(b)
		if !ok1 || !ok2 {
			return nil
		}
		var r float64
		switch e.Op {
		case ir.OpAdd:
			r = x + y
		case ir.OpSub:
			r = x - y
		case ir.OpMul:
			r = x * y
		case ir.OpDiv:
			if y == 0 {
				return nil
			}
			r = x / y
		case ir.OpMod:
			return nil
		}
		if t.Kind == ir.KindFloat {
			r = float64(float32(r))
		}
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil
		}
		return lit(r, t, e)
	}
	return nil
}

// foldAbs evaluates ABS: an exact value when it is not negative, else its negation, so
// an integer MIN_VALUE stays negative as with Java's Math.abs (ABS(-128) is -128 as
// TINYINT).
func foldAbs(e *ir.Call, a *ir.Literal) ir.Expr {
	if isFloatKind(e.T.Kind) {
		x, ok := litFloat(a)
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return lit(math.Abs(x), e.T, e)
	}
	r, ok := litRat(a)
	if !ok {
		return nil
	}
	if r.Sign() < 0 {
		return foldNeg(e, a)
	}
	return coerce(a, e.T)
}

// foldNeg evaluates unary minus (and ABS of a negative value); integers wrap as in Java.
func foldNeg(e *ir.Call, a *ir.Literal) ir.Expr {
	t := e.T
	switch {
	case t.IsInteger():
		x, ok := litInt(a)
		if !ok {
			return nil
		}
		return lit(ir.WrapInt(-x, t.Kind), t, e)
	case t.Kind == ir.KindDecimal:
		x, ok := litRat(a)
		if !ok {
			return nil
		}
		s, ok := decimalValue(x.Neg(x), t.Precision, t.Scale)
		if !ok {
			return nil
		}
		return lit(s, t, e)
	case isFloatKind(t.Kind):
		x, ok := litFloat(a)
		if !ok {
			return nil
		}
		return lit(-x, t, e)
	}
	return nil
}

// foldCast evaluates a CAST of a literal when the result is certain: NULL to anything,
// between numeric types (to an integer type as Java's narrowing casts in Flink's code:
// integers wrap, DECIMAL is truncated and wrapped as DecimalDataUtils.castToLong does,
// FLOAT/DOUBLE saturate to long or int first), numbers to strings for integers and
// DECIMAL, strings to integers and DECIMAL when the text is a plain number, strings to
// strings and bytes to bytes. An explicit CAST to CHAR(n), VARCHAR(n), BINARY(n) or
// VARBINARY(n) cuts and pads the value with the run time's helpers (types.FitChars,
// types.FitBytes), so folded and computed results agree; an implicit one keeps the
// value, and is folded only when the value fits. A CAST whose operand already has the
// target type disappears.
func foldCast(c *ir.Cast) ir.Expr {
	from, to := c.X.Type(), c.T
	if from.Equal(to) {
		return c.X
	}
	// A CAST that only makes a NOT NULL operand nullable (a UNION branch's, say) changes
	// no value: the CAST above it reads the operand itself, and disappears when that has
	// the target type already (CAST(CAST(k AS BIGINT) AS BIGINT NOT NULL) is k).
	if in, ok := c.X.(*ir.Cast); ok && !in.X.Type().Nullable && in.X.Type().WithNull().Equal(in.T) {
		if in.X.Type().Equal(to) {
			return in.X
		}
		outer := *c
		outer.X = in.X
		return &outer
	}
	l, ok := c.X.(*ir.Literal)
	if !ok {
		return nil
	}
	if l.Value == nil {
		return nullOf(c)
	}
	switch {
	case from.IsNumeric() && to.IsInteger():
		v, ok := castToInteger(l, to.Kind)
		if !ok {
			return nil
		}
		return lit(v, to, c)
	case from.IsNumeric() && to.Kind == ir.KindDecimal:
		if isFloatKind(from.Kind) {
			return nil // BigDecimal.valueOf(double) uses Java's shortest repr; leave it
		}
		r, ok := litRat(l)
		if !ok {
			return nil
		}
		s, ok := decimalValue(r, to.Precision, to.Scale)
		if !ok {
			return nil
		}
		return lit(s, to, c)
	case from.IsNumeric() && isFloatKind(to.Kind):
		f, ok := litFloat(l)
		if !ok {
			return nil
		}
		if to.Kind == ir.KindFloat {
			f = float64(float32(f))
		}
		return lit(f, to, c)
	case from.IsNumeric() && to.IsString():
		var s string
		switch {
		case from.IsInteger():
			v, ok := litInt(l)
			if !ok {
				return nil
			}
			s = strconv.FormatInt(v, 10)
		case from.Kind == ir.KindDecimal:
			r, ok := litRat(l)
			if !ok {
				return nil
			}
			if s, ok = decimalValue(r, from.Precision, from.Scale); !ok {
				return nil
			}
		default:
			return nil // Java's Double.toString differs from Go's formatting
		}
		return foldString(c, s)
	case from.IsString() && to.IsInteger():
		s, ok := litString(l)
		if !ok {
			return nil
		}
		v, ok := parseIntText(s, to.Kind)
		if !ok {
			return nil
		}
		return lit(v, to, c)
	case from.IsString() && to.Kind == ir.KindDecimal:
		s, ok := litString(l)
		if !ok {
			return nil
		}
		r, ok := parseDecimal(trimSpace(s))
		if !ok {
			return nil
		}
		d, ok := decimalValue(r, to.Precision, to.Scale)
		if !ok {
			return nil
		}
		return lit(d, to, c)
	case from.IsString() && to.IsString():
		s, ok := litString(l)
		if !ok {
			return nil
		}
		return foldString(c, s)
	case (from.IsString() || from.IsBinary()) && to.IsBinary():
		var b []byte
		switch v := l.Value.(type) {
		case string:
			b = []byte(v) // the UTF-8 bytes (StringToBinaryCastRule)
		case []byte:
			b = v
		default:
			return nil
		}
		if c.Implicit {
			if len(b) > to.Length || to.Kind == ir.KindBinary && len(b) != to.Length {
				return nil
			}
		} else {
			b = types.FitBytes(b, to.Length, to.Kind == ir.KindBinary)
		}
		return lit(append([]byte(nil), b...), to, c)
	case from.Kind == ir.KindBoolean && to.Kind == ir.KindBoolean,
		from.Kind == to.Kind && (from.Kind == ir.KindDate || from.Kind == ir.KindTime):
		// Only nullability differs (equal types returned above).
		return lit(l.Value, to, c)
	}
	return nil
}

// foldString is the literal of a CAST of text s to a string type: fitted to an explicit
// CAST's length (types.FitChars), kept as it is for an implicit one when it fits.
func foldString(c *ir.Cast, s string) ir.Expr {
	to := c.T
	switch {
	case to.Length >= ir.MaxLength:
	case !c.Implicit:
		s = types.FitChars(s, to.Length, to.Kind == ir.KindChar)
	case utf8.RuneCountInString(s) > to.Length, to.Kind == ir.KindChar && utf8.RuneCountInString(s) != to.Length:
		return nil
	}
	return lit(s, to, c)
}

// castToInteger is Flink's CAST of a numeric literal to an integer kind, which never
// fails: integers narrow as Java's (int), (short), (byte) casts do (low bits); a DECIMAL
// is truncated toward zero and keeps the low 64 bits of the result (castToIntegral's
// BigDecimal.longValue), then narrows; FLOAT/DOUBLE convert as Java's (long) and (int)
// casts do (toward zero, saturating, NaN is 0), and to SMALLINT or TINYINT as (int)
// then narrowing.
func castToInteger(l *ir.Literal, k ir.Kind) (int64, bool) {
	if isFloatKind(l.T.Kind) {
		f, ok := litFloat(l)
		return javaFloatToInt(f, k), ok
	}
	v, ok := litLong(l)
	return ir.WrapInt(v, k), ok
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] == ' ' {
		i++
	}
	for j > i && s[j-1] == ' ' {
		j--
	}
	return s[i:j]
}

// foldCase drops WHEN arms whose condition folded to FALSE or NULL; an arm whose
// condition folded to TRUE ends the CASE (it becomes the ELSE, or the whole CASE when it
// is the first remaining arm).
func foldCase(e *ir.Case) ir.Expr {
	var whens []ir.When
	els := e.Else
	changed := false
	for _, w := range e.Whens {
		if v, ok := boolLit(w.Cond); ok && v {
			els = w.Then
			changed = true
			break
		}
		if v, ok := boolLit(w.Cond); (ok && !v) || isNullLit(w.Cond) {
			changed = true
			continue
		}
		whens = append(whens, w)
	}
	if len(whens) == 0 {
		return coerce(els, e.T)
	}
	if !changed {
		return nil
	}
	c := *e
	c.Whens = whens
	c.Else = els
	return &c
}
