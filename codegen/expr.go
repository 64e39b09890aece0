package codegen

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// expr compiles a bound expression into straight-line Go in the current block and
// returns its value. Unsupported constructs are reported as diagnostics and compile to a
// NULL of the expression's type, so generation can go on and report more.
func (f *fn) expr(e ir.Expr) value {
	switch e := e.(type) {
	case *ir.InputRef:
		if e.Index < 0 || e.Index >= len(f.in) {
			f.g.errorf(e.Pos, "internal error: column reference %d out of range", e.Index)
			return nullValue(e.T)
		}
		v := f.in[e.Index]
		v.t = e.T
		return v
	case *ir.LocalRef:
		if e.Index < 0 || e.Index >= len(f.lets) {
			f.g.errorf(diag.Span{}, "internal error: local reference %d out of range", e.Index)
			return nullValue(e.T)
		}
		return f.lets[e.Index]
	case *ir.Literal:
		return f.literal(e)
	case *ir.Call:
		return f.call(e)
	case *ir.Cast:
		x := f.expr(e.X)
		return f.castAs(x, e.T, e.Try, !e.Implicit, e.Pos)
	case *ir.Case:
		return f.caseExpr(e)
	case *ir.UDFCall:
		return f.udfCall(e)
	case *ir.FieldAccess:
		return f.fieldOf(f.expr(e.X), e.Index, e.T)
	}
	f.g.errorf(e.Span(), "expression %T is not supported by the code generator yet", e)
	return nullValue(e.Type())
}

// checkType reports a type the code generator cannot represent.
func (f *fn) checkType(t ir.Type, span diag.Span) bool {
	if _, ok := goType(t); !ok {
		f.g.errorf(span, "type %s is not supported by the code generator yet", t)
		return false
	}
	return true
}

// literal renders a constant.
func (f *fn) literal(l *ir.Literal) value {
	if l.Value == nil || l.T.Kind == ir.KindNull {
		return nullValue(l.T)
	}
	t := l.T
	bad := func() value {
		f.g.errorf(l.Pos, "literal %v of type %s is not supported by the code generator yet", l.Value, t)
		return nullValue(t)
	}
	switch t.Kind {
	case ir.KindBoolean:
		if b, ok := l.Value.(bool); ok {
			return value{t: t, vc: jen.Lit(b)}
		}
	case ir.KindTinyInt, ir.KindSmallInt, ir.KindInt, ir.KindBigInt, ir.KindDate, ir.KindTime,
		ir.KindIntervalDayTime, ir.KindIntervalYearMonth:
		if n, ok := l.Value.(int64); ok {
			if ir.WrapInt(n, t.Kind) != n {
				// The binder and the optimizer wrap integer constants; int8(300) would not build.
				f.g.errorf(l.Pos, "internal error: literal %d out of range of %s", n, t)
				return nullValue(t)
			}
			gt, _ := goType(t)
			return value{t: t, vc: jen.Add(gt).Call(jen.Lit(int(n))), konst: n}
		}
	case ir.KindFloat, ir.KindDouble:
		if x, ok := l.Value.(float64); ok {
			var c *jen.Statement
			switch {
			case math.IsNaN(x):
				c = jen.Qual("math", "NaN").Call()
			case math.IsInf(x, 1):
				c = jen.Qual("math", "Inf").Call(jen.Lit(1))
			case math.IsInf(x, -1):
				c = jen.Qual("math", "Inf").Call(jen.Lit(-1))
			default:
				c = jen.Lit(x)
			}
			if t.Kind == ir.KindFloat {
				return value{t: t, vc: jen.Float32().Call(c), konst: x}
			}
			return value{t: t, vc: jen.Float64().Call(c), konst: x}
		}
	case ir.KindDecimal:
		if s, ok := l.Value.(string); ok {
			d, err := decimalConst(s, t.Scale)
			if err != nil {
				f.g.errorf(l.Pos, "bad DECIMAL literal %q: %v", s, err)
				return nullValue(t)
			}
			// var decLit1 = types.Decimal{Hi: 0, Lo: 15} // 1.5
			lit := jen.Qual(pkgTypes, "Decimal").Add(composite(false, kv("Hi", jen.Op(strconv.FormatInt(d.Hi, 10))), kv("Lo", jen.Op(strconv.FormatUint(d.Lo, 10)))))
			return value{t: t, konst: d, vc: f.structConst("decLit", lit, d.Format(t.Scale))}
		}
	case ir.KindChar, ir.KindVarchar:
		if s, ok := l.Value.(string); ok {
			return value{t: t, vc: jen.Lit(s)}
		}
	case ir.KindBinary, ir.KindVarbinary:
		if b, ok := l.Value.([]byte); ok {
			name := f.g.pkgVar("bytesLit", jen.Index().Byte().Call(jen.Lit(string(b))), "")
			return value{t: t, vc: jen.Id(name)}
		}
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		if s, ok := l.Value.(string); ok {
			ts, ok := types.ParseTimestamp([]byte(s), t.Precision)
			if !ok {
				f.g.errorf(l.Pos, "bad TIMESTAMP literal %q", s)
				return nullValue(t)
			}
			// var tsLit1 = types.Timestamp{Millis: 1577880000123, Nanos: 0} // 2020-01-01 12:00:00.123
			lit := jen.Qual(pkgTypes, "Timestamp").Add(composite(false, kv("Millis", jen.Lit(ts.Millis)), kv("Nanos", jen.Lit(ts.Nanos))))
			return value{t: t, vc: f.structConst("tsLit", lit, strings.TrimSpace(s))}
		}
	}
	return bad()
}

// structConst renders a constant of a struct type (DECIMAL, TIMESTAMP) as a package-level
// variable. Values go anywhere an expression does, statement headers included, where a
// composite literal does not parse: `if types.Decimal{Hi: 0, Lo: 225}.Sign() < 0 {` and
// `for ... && key != types.Decimal{...} {` are syntax errors, `if decLit1.Sign() < 0 {`
// is not. comment shows the SQL value.
func (f *fn) structConst(base string, lit *jen.Statement, comment string) *jen.Statement {
	return jen.Id(f.g.pkgVar(base, lit, comment))
}

// decimalConst converts decimal text ("1.50", "-3", "2E3") to its unscaled 128-bit
// two's-complement value at the given scale.
func decimalConst(s string, scale int) (types.Decimal, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return types.Decimal{}, fmt.Errorf("not a number")
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	if !r.IsInt() {
		return types.Decimal{}, fmt.Errorf("more fractional digits than scale %d", scale)
	}
	x := new(big.Int).Set(r.Num())
	if x.BitLen() > 126 {
		return types.Decimal{}, fmt.Errorf("out of range")
	}
	if x.Sign() < 0 {
		x.Add(x, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	lo := new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(x, 64).Uint64()
	return types.Decimal{Hi: int64(hi), Lo: lo}, nil
}

// call compiles a built-in operator or function.
func (f *fn) call(c *ir.Call) value {
	switch c.Op {
	case ir.OpAnd:
		return f.and(c)
	case ir.OpOr:
		return f.or(c)
	case opCoalesce:
		return f.coalesce(c)
	}
	args := make([]value, len(c.Args))
	for i, a := range c.Args {
		args[i] = f.expr(a)
	}
	want := func(n int) bool {
		if len(args) != n {
			f.g.errorf(c.Pos, "internal error: %s takes %d arguments, got %d", c.Op, n, len(args))
			return false
		}
		return true
	}
	if v, ok := f.timeCall(c, args); ok { // fn_time.go
		return v
	}
	switch c.Op {
	case ir.OpRow:
		return f.rowConstructor(c, args)
	case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpMod:
		if !want(2) {
			break
		}
		return f.arith(c, args[0], args[1])
	case ir.OpNeg:
		if !want(1) {
			break
		}
		return f.neg(c, args[0])
	case ir.OpEq, ir.OpNe, ir.OpLt, ir.OpLe, ir.OpGt, ir.OpGe:
		if !want(2) {
			break
		}
		return f.compare(c.Op, args[0], args[1], c.T, c.Pos)
	case ir.OpNot:
		if !want(1) {
			break
		}
		x := args[0]
		if !x.nullable() {
			// !x
			return value{t: c.T, vl: f.define("not", jen.Op("!").Add(x.V()))}
		}
		// v := !x && !xNull; vNull := xNull
		v := f.define("not", jen.Op("!").Add(x.V()).Op("&&").Op("!").Add(x.N()))
		return value{t: c.T, vl: v, nl: f.defineNull(v, x.N())}
	case ir.OpIsNull, ir.OpIsNotNull:
		if !want(1) {
			break
		}
		x := args[0]
		n := x.N()
		if n == nil {
			n = jen.False()
		}
		if c.Op == ir.OpIsNotNull {
			n = jen.Op("!").Add(parenIfNeeded(n))
		}
		return value{t: c.T, vl: f.define("isNull", n)}
	case ir.OpIsTrue:
		if !want(1) {
			break
		}
		// NULL reads as false, so x is "x IS TRUE".
		return value{t: c.T, vc: args[0].V()}
	case ir.OpIsFalse:
		if !want(1) {
			break
		}
		x := args[0]
		if n := x.N(); n != nil {
			return value{t: c.T, vl: f.define("isFalse", jen.Op("!").Add(x.V()).Op("&&").Op("!").Add(n))}
		}
		return value{t: c.T, vl: f.define("isFalse", jen.Op("!").Add(x.V()))}
	case ir.OpConcat, "CONCAT":
		for i := range args {
			args[i] = f.toString(args[i], c.Pos)
		}
		return f.strict("concat", c.T, args, func() jen.Code {
			parts := make([]jen.Code, len(args))
			for i, a := range args {
				parts[i] = a.V()
			}
			return joinOp("+", parts)
		})
	case ir.OpLike:
		return f.like(c, args)
	case ir.OpIn:
		return f.inList(c, args)
	case "UPPER", "LOWER":
		if !want(1) {
			break
		}
		// Java's toUpperCase/toLowerCase: full case mappings (ß -> SS) and final sigma.
		fnName := "Upper"
		if c.Op == "LOWER" {
			fnName = "Lower"
		}
		return f.strict(strings.ToLower(string(c.Op)), c.T, args, func() jen.Code {
			return jen.Qual(pkgTypes, fnName).Call(args[0].V())
		})
	case "CHAR_LENGTH", "CHARACTER_LENGTH":
		if !want(1) {
			break
		}
		return f.strict("length", c.T, args, func() jen.Code {
			return jen.Int32().Call(jen.Qual("unicode/utf8", "RuneCountInString").Call(args[0].V()))
		})
	case "ABS":
		if !want(1) {
			break
		}
		return f.abs(c, args[0])
	case "SUBSTRING":
		if len(args) != 2 && len(args) != 3 {
			want(3)
			break
		}
		s := f.toString(args[0], c.Pos)
		pos := f.convert(args[1], ir.BigInt(), c.Pos)
		length := value{t: ir.BigInt().NotNull(), vc: jen.Lit(-1)}
		hasLen := false
		all := []value{s, pos}
		if len(args) == 3 {
			length = f.convert(args[2], ir.BigInt(), c.Pos)
			hasLen = true
			all = append(all, length)
		}
		return f.strict("substr", c.T, all, func() jen.Code {
			// substringSQL(s, pos, length, hasLength)
			return jen.Qual(pkgTypes, "SubstringSQL").Call(s.V(), pos.V(), length.V(), jen.Lit(hasLen))
		})
	case "TRIM":
		if !want(3) {
			break
		}
		lit, ok := c.Args[0].(*ir.Literal)
		mode, _ := lit.Value.(string)
		fnName := map[string]string{"BOTH": "Trim", "LEADING": "TrimLeft", "TRAILING": "TrimRight"}[mode]
		if !ok || fnName == "" {
			f.g.errorf(c.Pos, "internal error: bad TRIM mode")
			break
		}
		chars, s := f.toString(args[1], c.Pos), f.toString(args[2], c.Pos)
		// strings.Trim(s, chars): every character of chars is trimmed, as Flink does.
		return f.strict("trim", c.T, []value{chars, s}, func() jen.Code {
			return jen.Qual("strings", fnName).Call(s.V(), chars.V())
		})
	case "FLOOR", "CEIL":
		if !want(1) {
			break
		}
		x := args[0]
		switch {
		case x.t.IsInteger():
			return f.convert(x, c.T, c.Pos)
		case x.t.Kind == ir.KindDouble || x.t.Kind == ir.KindFloat:
			fnName := map[ir.Op]string{"FLOOR": "Floor", "CEIL": "Ceil"}[c.Op]
			return f.strict(strings.ToLower(string(c.Op)), c.T, args, func() jen.Code {
				return f.floatCast(c.T, jen.Qual("math", fnName).Call(jen.Float64().Call(x.V())))
			})
		case x.t.Kind == ir.KindDecimal:
			// types.FloorDecimal(x, scale): DecimalDataUtils.floor, the result at scale 0
			fnName := map[ir.Op]string{"FLOOR": "FloorDecimal", "CEIL": "CeilDecimal"}[c.Op]
			return f.strict(strings.ToLower(string(c.Op)), c.T, args, func() jen.Code {
				return jen.Qual(pkgTypes, fnName).Call(x.V(), jen.Lit(x.t.Scale))
			})
		}
		f.g.errorf(c.Pos, "%s of %s is not supported by the code generator yet", c.Op, x.t)
	case "ROUND":
		if !want(2) {
			break
		}
		x := args[0]
		lit, _ := c.Args[1].(*ir.Literal)
		n, _ := lit.Value.(int64)
		switch {
		case x.t.IsInteger() && n >= 0:
			return f.convert(x, c.T, c.Pos)
		case (x.t.Kind == ir.KindDouble || x.t.Kind == ir.KindFloat) && n >= 0 && n <= 30:
			// roundHalfUp(x, n), Flink's SqlFunctionUtils.sround: BigDecimal.valueOf(x)
			// rounded HALF_UP; NaN and ±Infinity have no BigDecimal, so the job fails.
			pos := f.g.pos(c.Pos)
			return f.strictOK("round", c.T, []value{x}, func() jen.Code {
				if c.T.Kind == ir.KindFloat {
					return jen.Qual(pkgTypes, "RoundHalfUp32").Call(jen.Float32().Call(x.V()), jen.Lit(int(n)))
				}
				return jen.Qual(pkgTypes, "RoundHalfUp").Call(jen.Float64().Call(x.V()), jen.Lit(int(n)))
			}, func() jen.Code {
				// return job.RowError(where, "job.sql:4:8", "ROUND of %v: ...", x)
				return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos),
					jen.Lit("ROUND of %v: Infinite or NaN (BigDecimal.valueOf)"), x.V()))
			})
		case x.t.Kind == ir.KindDecimal && c.T.Kind == ir.KindDecimal && n >= 0:
			// types.Rescale rounds HALF_UP when it drops digits.
			return f.strictOK("round", c.T, []value{x}, func() jen.Code {
				return jen.Qual(pkgTypes, "Rescale").Call(x.V(), jen.Lit(x.t.Scale), jen.Lit(c.T.Scale), jen.Lit(c.T.Precision))
			}, nil)
		}
		f.g.errorf(c.Pos, "ROUND(%s, %d) is not supported by the code generator yet", x.t, n)
	default:
		if emit := callEmitters[c.Op]; emit != nil {
			return emit(f, c, args) // fn_builtin.go
		}
		f.g.errorf(c.Pos, "function %s is not supported by the code generator yet", c.Op)
	}
	return nullValue(c.T)
}

// opCoalesce is COALESCE as the binder names it (function-style built-ins use their
// upper-cased SQL name).
const opCoalesce ir.Op = "COALESCE"

// and compiles SQL's three-valued AND, evaluating the right side only when the left
// is not FALSE (as Flink's generated code does, so `x <> 0 AND y / x > 1` is safe).
//
//	v := false
//	vNull := false
//	if l || lNull {
//		... right side ...
//		v = l && r
//		vNull = (lNull || rNull) && (r || rNull)
//	}
func (f *fn) and(c *ir.Call) value {
	acc := f.expr(c.Args[0])
	for _, a := range c.Args[1:] {
		l := acc
		v := f.define("and", jen.False())
		var nl *local
		nullable := l.nullable() || a.Type().Nullable
		if nullable {
			nl = f.defineNull(v, jen.False())
		}
		cond := l.V()
		if ln := l.N(); ln != nil {
			cond = cond.Op("||").Add(ln)
		}
		stmts := f.nest(func() {
			r := f.expr(a)
			f.emit(v.id().Op("=").Add(l.V()).Op("&&").Add(r.V()))
			if nl != nil {
				anyNull := orNull(l, r)
				if anyNull == nil {
					return
				}
				rTrueOrNull := r.V()
				if rn := r.N(); rn != nil {
					rTrueOrNull = jen.Parens(rTrueOrNull.Op("||").Add(rn))
				}
				f.emit(nl.id().Op("=").Add(parenIfNeeded(anyNull)).Op("&&").Add(rTrueOrNull))
			}
		})
		f.emit(jen.If(cond).Block(stmts...))
		acc = value{t: c.T, vl: v, nl: nl}
	}
	return acc
}

// or compiles SQL's three-valued OR, evaluating the right side only when the left is
// not TRUE.
//
//	v := true
//	vNull := false
//	if !l {
//		... right side ...
//		v = r
//		vNull = (lNull || rNull) && !r
//	}
func (f *fn) or(c *ir.Call) value {
	acc := f.expr(c.Args[0])
	for _, a := range c.Args[1:] {
		l := acc
		v := f.define("or", jen.True())
		var nl *local
		if l.nullable() || a.Type().Nullable {
			nl = f.defineNull(v, jen.False())
		}
		stmts := f.nest(func() {
			r := f.expr(a)
			f.emit(v.id().Op("=").Add(r.V()))
			if nl != nil {
				if anyNull := orNull(l, r); anyNull != nil {
					f.emit(nl.id().Op("=").Add(parenIfNeeded(anyNull)).Op("&&").Op("!").Add(r.V()))
				}
			}
		})
		f.emit(jen.If(jen.Op("!").Add(l.V())).Block(stmts...))
		acc = value{t: c.T, vl: v, nl: nl}
	}
	return acc
}

// coalesce returns the first non-NULL argument, evaluating later ones only when needed.
//
//	v, vNull := a, aNull
//	if vNull {
//		... b ...
//		v, vNull = b, bNull
//	}
func (f *fn) coalesce(c *ir.Call) value {
	first := f.convert(f.expr(c.Args[0]), c.T, c.Pos)
	if !first.nullable() || len(c.Args) == 1 {
		return first
	}
	v := f.define("coalesce", first.V())
	nl := f.defineNull(v, first.N())
	var chain func(i int)
	chain = func(i int) {
		if i == len(c.Args) {
			return
		}
		stmts := f.nest(func() {
			x := f.convert(f.expr(c.Args[i]), c.T, c.Pos)
			n := x.N()
			if n == nil {
				n = jen.False()
			}
			f.emit(jen.List(v.id(), nl.id()).Op("=").List(x.V(), n))
			if x.nullable() {
				chain(i + 1)
			}
		})
		f.emit(jen.If(nl.id()).Block(stmts...))
	}
	chain(1)
	return value{t: c.T, vl: v, nl: nl}
}

// caseExpr compiles a searched CASE into nested if/else so that only the chosen arm
// (and the conditions before it) are evaluated.
//
//	var v T
//	vNull := true
//	... cond1 ...
//	if c1 {
//		v, vNull = then1, then1Null
//	} else {
//		... cond2 ...
//	}
func (f *fn) caseExpr(c *ir.Case) value {
	if !f.checkType(c.T, c.Pos) {
		return nullValue(c.T)
	}
	v := f.declare("caseV", f.goType(c.T))
	nl := f.defineNull(v, jen.False())
	assign := func(e ir.Expr) {
		x := f.convert(f.expr(e), c.T, e.Span())
		n := x.N()
		if n == nil {
			n = jen.False()
		}
		f.emit(jen.List(v.id(), nl.id()).Op("=").List(x.V(), n))
	}
	var arm func(i int)
	arm = func(i int) {
		if i == len(c.Whens) {
			assign(c.Else)
			return
		}
		cond := f.expr(c.Whens[i].Cond)
		then := f.nest(func() { assign(c.Whens[i].Then) })
		els := f.nest(func() { arm(i + 1) })
		f.emit(jen.If(cond.V()).Block(then...).Else().Block(els...))
	}
	arm(0)
	return value{t: c.T, vl: v, nl: nl}
}

// arith compiles + - * / MOD with the result type the binder derived (Flink's rules):
// operands are converted to it (DECIMAL operands keep their own scale, the runtime
// aligns them). Integer overflow wraps as in Java; integer division by zero fails the
// job; DOUBLE division by zero gives Inf; DECIMAL overflow gives NULL.
func (f *fn) arith(c *ir.Call, a, b value) value {
	t := c.T
	pos := f.g.pos(c.Pos)
	opName := map[ir.Op]string{ir.OpAdd: "sum", ir.OpSub: "diff", ir.OpMul: "prod", ir.OpDiv: "quo", ir.OpMod: "rem"}[c.Op]
	goOp := map[ir.Op]string{ir.OpAdd: "+", ir.OpSub: "-", ir.OpMul: "*", ir.OpDiv: "/", ir.OpMod: "%"}[c.Op]
	switch {
	case t.IsInteger():
		// w is the type the operation is computed in: the result type, except for MOD,
		// whose result has the divisor's type but whose dividend is not narrowed first
		// (Flink's ScalarOperatorGens: a DECIMAL(p, 0) dividend becomes BIGINT, the
		// remainder is computed in the wider type and narrowed: int32(a % int64(b))).
		w := t
		if c.Op == ir.OpMod {
			w = wideningOf(a.t, t)
		}
		a, b = f.convert(a, w, c.Pos), f.convert(b, w, c.Pos)
		if b.isConst() {
			a = f.unconst(a) // int32(2147483647) + int32(1) would not build
		}
		return f.strict(opName, t, []value{a, b}, func() jen.Code {
			if (c.Op == ir.OpDiv || c.Op == ir.OpMod) && !nonZeroConst(b) {
				// if b == 0 { return job.RowError(where, "job.sql:3:7", "division by zero") }
				f.emit(jen.If(b.V().Op("==").Lit(0)).Block(
					jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("division by zero"))),
				))
				if k, ok := b.konst.(int64); ok && k == 0 {
					// Go rejects x / 0 with a constant 0; the check above always fails the row.
					return zero(t)
				}
			}
			r := a.V().Op(goOp).Add(b.V())
			if w.Kind != t.Kind {
				// int32(a % b)
				return jen.Add(f.goType(t)).Call(r)
			}
			return r
		})
	case t.Kind == ir.KindFloat || t.Kind == ir.KindDouble:
		a, b = f.convert(a, t, c.Pos), f.convert(b, t, c.Pos)
		if b.isConst() {
			a = f.unconst(a) // float64(1) / float64(0) would not build
		}
		if c.Op == ir.OpMod {
			return f.strict(opName, t, []value{a, b}, func() jen.Code {
				return f.floatCast(t, jen.Qual("math", "Mod").Call(jen.Float64().Call(a.V()), jen.Float64().Call(b.V())))
			})
		}
		return f.strict(opName, t, []value{a, b}, func() jen.Code {
			return a.V().Op(goOp).Add(b.V())
		})
	case t.Kind == ir.KindDecimal:
		a, b = f.toDecimalOperand(a, c.Pos), f.toDecimalOperand(b, c.Pos)
		fnName := map[ir.Op]string{ir.OpAdd: "AddDecimal", ir.OpSub: "SubDecimal", ir.OpMul: "MulDecimal", ir.OpDiv: "DivDecimal", ir.OpMod: "ModDecimal"}[c.Op]
		if fnName == "" {
			break
		}
		var fail func() jen.Code
		if c.Op == ir.OpMod {
			// BigDecimal.remainder throws when the quotient needs more than 38 digits.
			fail = func() jen.Code {
				return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("division impossible")))
			}
		}
		return f.strictOK(opName, t, []value{a, b}, func() jen.Code {
			if (c.Op == ir.OpDiv || c.Op == ir.OpMod) && !nonZeroConst(b) {
				// if b.Sign() == 0 { return job.RowError(where, "job.sql:3:7", "division by zero") }
				f.emit(jen.If(jen.Parens(b.V()).Dot("Sign").Call().Op("==").Lit(0)).Block(
					jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("division by zero"))),
				))
			}
			// types.AddDecimal(a, b, aScale, bScale, resScale, resPrecision)
			return jen.Qual(pkgTypes, fnName).Call(a.V(), b.V(), jen.Lit(a.t.Scale), jen.Lit(b.t.Scale), jen.Lit(t.Scale), jen.Lit(t.Precision))
		}, fail)
	case (t.Kind == ir.KindTimestamp || t.Kind == ir.KindTimestampLTZ) && (c.Op == ir.OpAdd || c.Op == ir.OpSub):
		ts, iv := a, b
		if b.t.Kind == ir.KindTimestamp || b.t.Kind == ir.KindTimestampLTZ {
			ts, iv = b, a
		}
		if iv.t.Kind == ir.KindIntervalDayTime {
			return f.strict(opName, t, []value{ts, iv}, func() jen.Code {
				// types.Timestamp{Millis: ts.Millis + iv, Nanos: ts.Nanos}
				return jen.Qual(pkgTypes, "Timestamp").Add(composite(false, kv("Millis", ts.V().Dot("Millis").Op(goOp).Add(iv.V())), kv("Nanos", ts.V().Dot("Nanos"))))
			})
		}
		if iv.t.Kind == ir.KindIntervalYearMonth {
			return f.strict(opName, t, []value{ts, iv}, func() jen.Code {
				// types.AddMonths(ts, iv) or types.AddMonths(ts, -iv)
				m := iv.V()
				if c.Op == ir.OpSub {
					m = jen.Op("-").Add(m)
				}
				return jen.Qual(pkgTypes, "AddMonths").Call(ts.V(), m)
			})
		}
	}
	f.g.errorf(c.Pos, "operator %s on %s and %s is not supported by the code generator yet", c.Op, a.t, b.t)
	return nullValue(t)
}

// wideningOf is the type a MOD with an integer result t computes in: the wider of t and
// the dividend's type (BIGINT for a DECIMAL(p, 0) dividend), as Java's binary numeric
// promotion of Flink's `(int) (a % b)`.
func wideningOf(dividend, t ir.Type) ir.Type {
	d := dividend
	if !d.IsInteger() {
		d = ir.BigInt() // DecimalDataUtils.castToLong
	}
	if intWidth(d.Kind) > intWidth(t.Kind) {
		return ir.Type{Kind: d.Kind, Nullable: dividend.Nullable}
	}
	return t
}

// intWidth orders the integer kinds by width.
func intWidth(k ir.Kind) int {
	return map[ir.Kind]int{ir.KindTinyInt: 8, ir.KindSmallInt: 16, ir.KindInt: 32, ir.KindBigInt: 64}[k]
}

// nonZeroConst reports a constant divisor that is not zero (no check needed).
func nonZeroConst(x value) bool {
	switch k := x.konst.(type) {
	case int64:
		return k != 0
	case types.Decimal:
		return k != (types.Decimal{})
	}
	return false
}

// floatCast converts a float64 expression to the Go type of t (float32 or float64).
func (f *fn) floatCast(t ir.Type, e jen.Code) jen.Code {
	if t.Kind == ir.KindFloat {
		return jen.Float32().Call(e)
	}
	return e
}

// toDecimalOperand turns an integer operand into a DECIMAL(19,0)-like value (scale 0)
// and leaves DECIMAL operands alone; the runtime's decimal functions take each operand's
// scale.
func (f *fn) toDecimalOperand(x value, span diag.Span) value {
	switch {
	case x.t.Kind == ir.KindDecimal:
		return x
	case x.t.IsInteger():
		return f.convert(x, ir.Type{Kind: ir.KindDecimal, Precision: 19, Scale: 0, Nullable: x.t.Nullable}, span)
	case x.t.Kind == ir.KindNull:
		return nullValue(ir.Decimal(19, 0))
	}
	f.g.errorf(span, "cannot use %s as a DECIMAL operand", x.t)
	return nullValue(ir.Decimal(19, 0))
}

func (f *fn) neg(c *ir.Call, x value) value {
	x = f.unconst(f.convert(x, c.T, c.Pos)) // -int64(-9223372036854775808) would not build
	switch {
	case c.T.IsInteger(), c.T.Kind == ir.KindFloat, c.T.Kind == ir.KindDouble,
		c.T.Kind == ir.KindIntervalDayTime, c.T.Kind == ir.KindIntervalYearMonth:
		return f.strict("neg", c.T, []value{x}, func() jen.Code { return jen.Op("-").Add(x.V()) })
	case c.T.Kind == ir.KindDecimal:
		return f.strict("neg", c.T, []value{x}, func() jen.Code { return x.V().Dot("Neg").Call() })
	}
	f.g.errorf(c.Pos, "negation of %s is not supported by the code generator yet", x.t)
	return nullValue(c.T)
}

func (f *fn) abs(c *ir.Call, x value) value {
	x = f.unconst(f.convert(x, c.T, c.Pos)) // -int32(-2147483648) would not build
	switch {
	case c.T.IsInteger():
		// Java's Math.abs(MIN_VALUE) is MIN_VALUE; so is Go's -x.
		return f.strict("abs", c.T, []value{x}, func() jen.Code {
			return jen.Func().Params().Add(f.goType(c.T)).Block(
				jen.If(x.V().Op("<").Lit(0)).Block(jen.Return(jen.Op("-").Add(x.V()))),
				jen.Return(x.V()),
			).Call()
		})
	case c.T.Kind == ir.KindDouble:
		return f.strict("abs", c.T, []value{x}, func() jen.Code { return jen.Qual("math", "Abs").Call(x.V()) })
	case c.T.Kind == ir.KindFloat:
		// float32(math.Abs(float64(x))): exact, as Java's Math.abs(float)
		return f.strict("abs", c.T, []value{x}, func() jen.Code {
			return jen.Float32().Call(jen.Qual("math", "Abs").Call(jen.Float64().Call(x.V())))
		})
	case c.T.Kind == ir.KindDecimal:
		return f.strict("abs", c.T, []value{x}, func() jen.Code {
			return jen.Func().Params().Qual(pkgTypes, "Decimal").Block(
				jen.If(x.V().Dot("Sign").Call().Op("<").Lit(0)).Block(jen.Return(x.V().Dot("Neg").Call())),
				jen.Return(x.V()),
			).Call()
		})
	}
	f.g.errorf(c.Pos, "ABS of %s is not supported by the code generator yet", x.t)
	return nullValue(c.T)
}

// commonType is the type two operands are compared in.
func commonType(a, b ir.Type) (ir.Type, bool) {
	switch {
	case a.Kind == ir.KindNull:
		return b, true
	case b.Kind == ir.KindNull:
		return a, true
	case a.Kind == b.Kind && (a.Kind != ir.KindDecimal || a.Scale == b.Scale):
		return a, true
	case a.IsNumeric() && b.IsNumeric():
		switch {
		case a.Kind == ir.KindDouble || b.Kind == ir.KindDouble || a.Kind == ir.KindFloat || b.Kind == ir.KindFloat:
			return ir.Double(), true
		case a.Kind == ir.KindDecimal || b.Kind == ir.KindDecimal:
			return ir.Decimal(38, max(decScale(a), decScale(b))), true
		}
		return ir.BigInt(), true
	case a.IsString() && b.IsString():
		return ir.String(), true
	case a.IsBinary() && b.IsBinary():
		return ir.Bytes(), true
	case (a.Kind == ir.KindTimestamp || a.Kind == ir.KindTimestampLTZ) && (b.Kind == ir.KindTimestamp || b.Kind == ir.KindTimestampLTZ):
		return a, true
	}
	return ir.Type{}, false
}

func decScale(t ir.Type) int {
	if t.Kind == ir.KindDecimal {
		return t.Scale
	}
	return 0
}

// compare compiles = <> < <= > >= (NULL if either side is NULL).
func (f *fn) compare(op ir.Op, a, b value, t ir.Type, span diag.Span) value {
	ct, ok := commonType(a.t, b.t)
	if !ok {
		f.g.errorf(span, "cannot compare %s with %s", a.t, b.t)
		return nullValue(t)
	}
	ct.Nullable = a.t.Nullable || b.t.Nullable
	if ct.Kind == ir.KindRow {
		f.g.errorf(span, "comparing ROW values is not supported yet; compare their fields")
		return nullValue(t)
	}
	// DECIMAL against FLOAT/DOUBLE is Flink's DecimalDataUtils.compare(DecimalData,
	// double): Double.compare of the DECIMAL's double value, a total order.
	total := ct.Kind == ir.KindDouble && (a.t.Kind == ir.KindDecimal) != (b.t.Kind == ir.KindDecimal)
	a, b = f.convert(a, ct, span), f.convert(b, ct, span)
	goOp := map[ir.Op]string{ir.OpEq: "==", ir.OpNe: "!=", ir.OpLt: "<", ir.OpLe: "<=", ir.OpGt: ">", ir.OpGe: ">="}[op]
	if total {
		return f.strict("cmp", t, []value{a, b}, func() jen.Code {
			return jen.Qual(pkgTypes, "CompareFloat64").Call(a.V(), b.V()).Op(goOp).Lit(0)
		})
	}
	return f.strict("cmp", t, []value{a, b}, func() jen.Code {
		return f.compareExpr(goOp, a, b, ct)
	})
}

// compareExpr renders `a op b` for two non-NULL values of type ct.
func (f *fn) compareExpr(goOp string, a, b value, ct ir.Type) *jen.Statement {
	switch ct.Kind {
	case ir.KindDecimal:
		// types.Cmp(a, b) < 0
		return jen.Qual(pkgTypes, "Cmp").Call(a.V(), b.V()).Op(goOp).Lit(0)
	case ir.KindBinary, ir.KindVarbinary:
		return jen.Qual("bytes", "Compare").Call(a.V(), b.V()).Op(goOp).Lit(0)
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		if goOp == "==" || goOp == "!=" {
			return a.V().Op(goOp).Add(b.V())
		}
		return jen.Qual(pkgTypes, "CompareTimestamp").Call(a.V(), b.V()).Op(goOp).Lit(0)
	case ir.KindBoolean:
		if goOp == "==" || goOp == "!=" {
			return a.V().Op(goOp).Add(b.V())
		}
		// FALSE < TRUE
		return jen.Qual(pkgTypes, "CompareBool").Call(a.V(), b.V()).Op(goOp).Lit(0)
	}
	return a.V().Op(goOp).Add(b.V())
}

// like compiles x LIKE pattern [ESCAPE e]; a constant pattern is compiled once into a
// package-level matcher.
func (f *fn) like(c *ir.Call, args []value) value {
	if len(args) < 2 || len(args) > 3 {
		f.g.errorf(c.Pos, "internal error: LIKE takes 2 or 3 arguments")
		return nullValue(c.T)
	}
	var esc byte
	if len(args) == 3 {
		lit, ok := c.Args[2].(*ir.Literal)
		s, _ := lit.Value.(string)
		if !ok || len(s) != 1 {
			f.g.errorf(c.Args[2].Span(), "ESCAPE must be a constant single character")
			return nullValue(c.T)
		}
		esc = s[0]
	}
	x := f.toString(args[0], c.Pos)
	if lit, ok := c.Args[1].(*ir.Literal); ok {
		if pat, ok := lit.Value.(string); ok {
			// var like1 = types.NewLikeMatcher("%foo%", 0)
			name := f.g.pkgVar("like", jen.Qual(pkgTypes, "NewLikeMatcher").Call(jen.Lit(pat), jen.Lit(int(esc))), "")
			return f.strict("like", c.T, []value{x}, func() jen.Code {
				return jen.Id(name).Dot("Match").Call(x.V())
			})
		}
	}
	pat := f.toString(args[1], c.Pos)
	return f.strict("like", c.T, []value{x, pat}, func() jen.Code {
		return jen.Qual(pkgTypes, "Like").Call(x.V(), pat.V(), jen.Lit(int(esc)))
	})
}

// in compiles x IN (v1, ..., vn): TRUE if x equals one, else NULL if x or any vi is
// NULL, else FALSE.
func (f *fn) inList(c *ir.Call, args []value) value {
	if len(args) < 2 {
		f.g.errorf(c.Pos, "internal error: IN needs a list")
		return nullValue(c.T)
	}
	x := args[0]
	ct := x.t
	for _, a := range args[1:] {
		t, ok := commonType(ct, a.t)
		if !ok {
			f.g.errorf(c.Pos, "cannot compare %s with %s", x.t, a.t)
			return nullValue(c.T)
		}
		ct = t
	}
	ct.Nullable = false
	x = f.convert(x, ct, c.Pos)
	if x.always {
		// Checked before the comparisons are rendered: a local mentioned only in
		// discarded code would count as read, and Go rejects it unused.
		return nullValue(c.T)
	}
	var eqs []jen.Code
	var listNulls []value
	for _, a := range args[1:] {
		if a.always {
			listNulls = append(listNulls, a)
			continue
		}
		a = f.convert(a, ct, c.Pos)
		eq := f.compareExpr("==", x, a, ct)
		if n := a.N(); n != nil {
			eq = jen.Parens(jen.Op("!").Add(n).Op("&&").Add(eq))
			listNulls = append(listNulls, a)
		}
		eqs = append(eqs, eq)
	}
	found := joinOp("||", eqs)
	if found == nil {
		found = jen.False()
	}
	if n := x.N(); n != nil {
		found = jen.Op("!").Add(n).Op("&&").Parens(found)
	}
	v := f.define("in", found)
	anyNull := orNull(append([]value{x}, listNulls...)...)
	if anyNull == nil {
		return value{t: c.T, vl: v}
	}
	return value{t: c.T, vl: v, nl: f.defineNull(v, jen.Op("!").Add(v.id()).Op("&&").Parens(anyNull))}
}

// toString converts a value to STRING for string functions (identity for strings).
func (f *fn) toString(x value, span diag.Span) value {
	if x.t.IsString() || x.t.Kind == ir.KindNull {
		return x
	}
	return f.cast(x, ir.String(), false, span)
}
