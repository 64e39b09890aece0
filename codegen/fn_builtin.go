package codegen

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Flink's built-in functions of ir/bind_func_math.go and ir/bind_func_string.go, and
// IS [NOT] DISTINCT FROM and SIMILAR TO. Each is a call of a tested helper of
// runtimelib/types on typed locals (fn.call evaluated every argument first, as Flink's
// generated code does), NULL when an argument is NULL unless the function says
// otherwise. A constant regular expression is translated and compiled once, into a
// package variable, and checked here: a pattern Java rejects or Go's regexp cannot run
// is a compile error at its position.

// callEmitter compiles a built-in call over its evaluated arguments.
type callEmitter func(f *fn, c *ir.Call, args []value) value

var callEmitters = map[ir.Op]callEmitter{}

func init() {
	for op, e := range map[ir.Op]callEmitter{
		ir.OpIsDistinctFrom:    (*fn).distinctFrom,
		ir.OpIsNotDistinctFrom: (*fn).distinctFrom,
		ir.OpSimilar:           (*fn).similarTo,
		"POWER":                (*fn).mathCall,
		"SQRT":                 (*fn).mathCall,
		"LN":                   (*fn).mathCall,
		"LOG10":                (*fn).mathCall,
		"LOG2":                 (*fn).mathCall,
		"LOG":                  (*fn).mathCall,
		"EXP":                  (*fn).mathCall,
		"TRUNCATE":             (*fn).truncate,
		"RAND":                 (*fn).rand,
		"RAND_INTEGER":         (*fn).rand,
		"UUID":                 (*fn).uuid,
		"CONCAT_WS":            (*fn).concatWs,
		"REPLACE":              helper("replace", "Replace"),
		"INITCAP":              helper("initcap", "InitCap"),
		"LEFT":                 helper("left", "Left"),
		"RIGHT":                helper("right", "Right"),
		"REVERSE":              helper("reverse", "Reverse"),
		"TO_BASE64":            helper("base64", "ToBase64"),
		"MD5":                  helper("md5", "MD5"),
		"SHA1":                 helper("sha1", "SHA1"),
		"SHA256":               helper("sha256", "SHA256"),
		"ASCII":                helper("ascii", "ASCII"),
		"CHR":                  helper("chr", "Chr"),
		"LPAD":                 helperOK("lpad", "LPad"),
		"RPAD":                 helperOK("rpad", "RPad"),
		"PARSE_URL":            (*fn).parseURL,
		"SPLIT_INDEX":          (*fn).splitIndex,
		"POSITION":             (*fn).locate,
		"LOCATE":               (*fn).locate,
		"INSTR":                (*fn).instr,
		"REPEAT":               (*fn).repeat,
		"FROM_BASE64":          (*fn).fromBase64,
		"REGEXP":               (*fn).regexp,
		"REGEXP_EXTRACT":       (*fn).regexpExtract,
		"REGEXP_REPLACE":       (*fn).regexpReplace,
		"GREATEST":             (*fn).greatestLeast,
		"LEAST":                (*fn).greatestLeast,
		"IFNULL":               (*fn).ifNull,
	} {
		callEmitters[op] = e
	}
}

// helper compiles a strict call of types.<name>(args...).
//
//	v := types.Replace(s, a, b)
func helper(base, name string) callEmitter {
	return func(f *fn, c *ir.Call, args []value) value {
		return f.strict(base, c.T, args, func() jen.Code { return jen.Qual(pkgTypes, name).Call(vals(args)...) })
	}
}

// helperOK compiles a call of types.<name>(args...) returning (v, ok), NULL when !ok.
func helperOK(base, name string) callEmitter {
	return func(f *fn, c *ir.Call, args []value) value {
		return f.strictOK(base, c.T, args, func() jen.Code { return jen.Qual(pkgTypes, name).Call(vals(args)...) }, nil)
	}
}

func vals(args []value) []jen.Code {
	out := make([]jen.Code, len(args))
	for i, a := range args {
		out[i] = a.V()
	}
	return out
}

// resultKind is what a helper returns besides its value.
type resultKind int

const (
	resErr   resultKind = iota // (v, error): the error fails the job
	resOKErr                   // (v, ok, error): !ok is NULL, the error fails the job
)

// strictErr emits a strict call returning an error besides its value (and ok with
// resOKErr); an error fails the job with the SQL position, what naming the function.
//
//	var v T
//	vNull := aNull || bNull
//	if !vNull {
//		var ok bool
//		var err error
//		if v, ok, err = types.RegexpExtract(s, p, i); err != nil {
//			return job.RowError(where, "job.sql:3:8", "REGEXP_EXTRACT: %v", err)
//		} else if !ok {
//			v, vNull = "", true
//		}
//	}
func (f *fn) strictErr(base string, t ir.Type, args []value, kind resultKind, what string, span diag.Span, compute func() jen.Code) value {
	pos := f.g.pos(span)
	return f.fallible(base, t, args, kind == resOKErr, func(v, nl *local) {
		call := compute()
		fail := jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit(what+": %v"), jen.Err()))
		if kind == resOKErr {
			f.emit(
				jen.Var().Id("ok").Bool(),
				jen.Var().Err().Error(),
				jen.If(jen.List(v.id(), jen.Id("ok"), jen.Err()).Op("=").Add(call), jen.Err().Op("!=").Nil()).Block(fail).
					Else().If(jen.Op("!").Id("ok")).Block(jen.List(v.id(), nl.id()).Op("=").List(zero(t), jen.True())),
			)
			return
		}
		f.emit(
			jen.Var().Err().Error(),
			jen.If(jen.List(v.id(), jen.Err()).Op("=").Add(call), jen.Err().Op("!=").Nil()).Block(fail),
		)
	})
}

// distinctFrom compiles x IS [NOT] DISTINCT FROM y: x = y, or both NULL.
//
//	cmp := ... x = y ...
//	notDistinct := cmp || xNull && yNull
func (f *fn) distinctFrom(c *ir.Call, args []value) value {
	x, y := args[0], args[1]
	eq := f.compare(ir.OpEq, x, y, ir.Boolean(), c.Pos)
	same := eq.V()
	if x.nullable() && y.nullable() {
		same = same.Op("||").Add(x.N()).Op("&&").Add(y.N())
	}
	if c.Op == ir.OpIsDistinctFrom {
		return value{t: c.T, vl: f.define("distinct", jen.Op("!").Parens(same))}
	}
	return value{t: c.T, vl: f.define("notDistinct", same)}
}

// constString is the value of a string literal argument, if it is one.
func constString(e ir.Expr) (string, bool) {
	l, ok := e.(*ir.Literal)
	if !ok {
		return "", false
	}
	s, ok := l.Value.(string)
	return s, ok
}

// similarTo compiles x SIMILAR TO pattern [ESCAPE c] (Calcite's SqlFunctions.similar); a
// constant pattern is compiled once.
func (f *fn) similarTo(c *ir.Call, args []value) value {
	var esc rune
	if len(c.Args) == 3 {
		s, _ := constString(c.Args[2])
		esc, _ = utf8.DecodeRuneInString(s)
	}
	x := args[0]
	if pat, ok := constString(c.Args[1]); ok {
		if _, err := types.SimilarRegex(pat, esc); err != nil {
			f.g.errorf(c.Args[1].Span(), "SIMILAR TO: %v", err)
			return nullValue(c.T)
		}
		// var similar1 = types.MustSimilarRegex("a%", 0)
		re := f.g.pkgVar("similar", jen.Qual(pkgTypes, "MustSimilarRegex").Call(jen.Lit(pat), jen.Lit(int(esc))), "")
		return f.strict("similar", c.T, []value{x}, func() jen.Code { return jen.Id(re).Dot("Find").Call(x.V()) })
	}
	return f.strictErr("similar", c.T, args[:2], resErr, "SIMILAR TO", c.Pos, func() jen.Code {
		return jen.Qual(pkgTypes, "SimilarTo").Call(x.V(), args[1].V(), jen.Lit(int(esc)))
	})
}

// javaRegex returns the package variable of a constant Java pattern, checked now; ""
// when the pattern is not a constant (or after reporting it).
func (f *fn) javaRegex(c *ir.Call, what string) (name string, constant bool) {
	pat, ok := constString(c.Args[1])
	if !ok {
		return "", false
	}
	if _, err := types.CompileJavaRegex(pat, false); err != nil {
		f.g.errorf(c.Args[1].Span(), "%s: %v", what, err)
		return "", true
	}
	// var regex1 = types.MustJavaRegex("foo(.*?)(bar)", false)
	return f.g.pkgVar("regex", jen.Qual(pkgTypes, "MustJavaRegex").Call(jen.Lit(pat), jen.False()), ""), true
}

// regexp compiles REGEXP(s, pattern): an empty pattern is FALSE (SqlFunctionUtils.regExp).
func (f *fn) regexp(c *ir.Call, args []value) value {
	s := args[0]
	if pat, ok := constString(c.Args[1]); ok && pat == "" {
		return f.strict("regexp", c.T, []value{s}, func() jen.Code { return jen.False() })
	}
	if re, constant := f.javaRegex(c, "REGEXP"); constant {
		if re == "" {
			return nullValue(c.T)
		}
		return f.strict("regexp", c.T, []value{s}, func() jen.Code { return jen.Id(re).Dot("Find").Call(s.V()) })
	}
	return f.strictErr("regexp", c.T, args, resErr, "REGEXP", c.Pos, func() jen.Code {
		return jen.Qual(pkgTypes, "Regexp").Call(vals(args)...)
	})
}

// regexpExtract compiles REGEXP_EXTRACT(s, pattern, group).
func (f *fn) regexpExtract(c *ir.Call, args []value) value {
	s, i := args[0], args[2]
	if re, constant := f.javaRegex(c, "REGEXP_EXTRACT"); constant {
		if re == "" {
			return nullValue(c.T)
		}
		return f.strictOK("extract", c.T, []value{s, i}, func() jen.Code { return jen.Id(re).Dot("Extract").Call(s.V(), i.V()) }, nil)
	}
	return f.strictErr("extract", c.T, args, resOKErr, "REGEXP_EXTRACT", c.Pos, func() jen.Code {
		return jen.Qual(pkgTypes, "RegexpExtract").Call(vals(args)...)
	})
}

// regexpReplace compiles REGEXP_REPLACE(s, pattern, replacement).
func (f *fn) regexpReplace(c *ir.Call, args []value) value {
	s, r := args[0], args[2]
	if re, constant := f.javaRegex(c, "REGEXP_REPLACE"); constant {
		if re == "" {
			return nullValue(c.T)
		}
		return f.strict("replaced", c.T, []value{s, r}, func() jen.Code { return jen.Id(re).Dot("ReplaceAll").Call(s.V(), r.V()) })
	}
	return f.strictErr("replaced", c.T, args, resOKErr, "REGEXP_REPLACE", c.Pos, func() jen.Code {
		return jen.Qual(pkgTypes, "RegexpReplace").Call(vals(args)...)
	})
}

// mathCall compiles POWER, SQRT, LN, LOG10, LOG2, LOG and EXP on DOUBLE arguments.
func (f *fn) mathCall(c *ir.Call, args []value) value {
	return f.strict(strings.ToLower(string(c.Op)), c.T, args, func() jen.Code { return mathExpr(c.Op, vals(args)) })
}

func mathExpr(op ir.Op, a []jen.Code) jen.Code {
	var call *jen.Statement
	switch op {
	case "POWER":
		call = jen.Qual(pkgTypes, "Pow").Call(a...)
	case "SQRT": // Calcite rewrites SQRT(x) to POWER(x, 0.5)
		call = jen.Qual(pkgTypes, "Pow").Call(a[0], jen.Lit(0.5))
	case "LN":
		call = jen.Qual("math", "Log").Call(a[0])
	case "LOG":
		if len(a) == 2 {
			call = jen.Qual(pkgTypes, "LogBase").Call(a...)
		} else {
			call = jen.Qual("math", "Log").Call(a[0])
		}
	case "LOG10":
		call = jen.Qual(pkgTypes, "Log10").Call(a[0])
	case "LOG2":
		call = jen.Qual(pkgTypes, "Log2").Call(a[0])
	case "EXP":
		call = jen.Qual("math", "Exp").Call(a[0])
	}
	return call
}

// truncate compiles TRUNCATE(x, n). A DOUBLE or FLOAT that BigDecimal cannot hold (NaN,
// ±Infinity, a FLOAT beyond DECIMAL(38, 18)) fails the job, as in Flink.
func (f *fn) truncate(c *ir.Call, args []value) value {
	x, n := args[0], args[1]
	pos := f.g.pos(c.Pos)
	switch k := x.t.Kind; {
	case x.t.IsInteger():
		// int32(types.TruncateInt(int64(x), n))
		return f.strict("trunc", c.T, args, func() jen.Code {
			return jen.Add(f.goType(c.T)).Call(jen.Qual(pkgTypes, "TruncateInt").Call(jen.Int64().Call(x.V()), n.V()))
		})
	case k == ir.KindDecimal:
		lit, _ := c.Args[1].(*ir.Literal)
		digits, _ := lit.Value.(int64)
		return f.strict("trunc", c.T, []value{x}, func() jen.Code {
			return jen.Qual(pkgTypes, "TruncateDecimal").Call(x.V(), jen.Lit(x.t.Scale), jen.Lit(int(digits)))
		})
	case k == ir.KindDouble || k == ir.KindFloat:
		name := "TruncateDouble"
		if k == ir.KindFloat {
			name = "TruncateFloat"
		}
		return f.strictOK("trunc", c.T, args, func() jen.Code { return jen.Qual(pkgTypes, name).Call(x.V(), n.V()) }, func() jen.Code {
			// return job.RowError(where, "job.sql:4:8", "TRUNCATE of %v: ...", x)
			return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos),
				jen.Lit("TRUNCATE of %v: not a BigDecimal (Infinite, NaN or too large)"), x.V()))
		})
	}
	f.g.errorf(c.Pos, "TRUNCATE of %s is not supported by the code generator yet", x.t)
	return nullValue(c.T)
}

// rand compiles RAND([seed]) and RAND_INTEGER([seed, ] bound). A literal seed seeds a
// java.util.Random per task, a field of the stage's operator; another seed makes a new
// Random for each row (Flink's RandCallGen).
//
//	v := p.rand1.Float64()
func (f *fn) rand(c *ir.Call, args []value) value {
	integer := c.Op == "RAND_INTEGER"
	seeded := len(args) == 2 || !integer && len(args) == 1
	var field string
	if seeded {
		if lit, ok := c.Args[0].(*ir.Literal); ok && lit.Value != nil {
			field = fmt.Sprintf("rand%d", c.Pos.Start)
			// p.rand12 = types.NewJavaRandom(42)
			f.g.cur.once(field, field+" is the java.util.Random of the RAND call at "+f.g.pos(c.Pos)+".",
				jen.Op("*").Qual(pkgTypes, "JavaRandom"),
				jen.Id("p").Dot(field).Op("=").Qual(pkgTypes, "NewJavaRandom").Call(jen.Lit(int(lit.Value.(int64)))))
		}
	}
	if !integer {
		switch {
		case field != "":
			return value{t: c.T, vl: f.define("rand", jen.Id("p").Dot(field).Dot("Float64").Call())}
		case seeded:
			return f.strict("rand", c.T, args, func() jen.Code { return jen.Qual(pkgTypes, "SeededRandFloat64").Call(args[0].V()) })
		}
		return value{t: c.T, vl: f.define("rand", jen.Qual(pkgTypes, "RandFloat64").Call())}
	}
	return f.strictErr("randInt", c.T, args, resErr, "RAND_INTEGER", c.Pos, func() jen.Code {
		switch {
		case field != "":
			return jen.Id("p").Dot(field).Dot("IntN").Call(args[1].V())
		case seeded:
			return jen.Qual(pkgTypes, "SeededRandIntN").Call(args[0].V(), args[1].V())
		}
		return jen.Qual(pkgTypes, "RandIntN").Call(args[0].V())
	})
}

// uuid compiles UUID().
func (f *fn) uuid(c *ir.Call, _ []value) value {
	return value{t: c.T, vl: f.define("uuid", jen.Qual(pkgTypes, "UUID").Call())}
}

// concatWs compiles CONCAT_WS(sep, s...): NULL only when sep is; NULL strings are left
// out.
//
//	v := types.ConcatWs(sep, []string{a, b}, []bool{aNull, false})
func (f *fn) concatWs(c *ir.Call, args []value) value {
	sep, parts := args[0], args[1:]
	return f.strict("concatWs", c.T, []value{sep}, func() jen.Code {
		var strs, nulls []jen.Code
		anyNull := false
		for _, p := range parts {
			strs = append(strs, p.V())
			n := p.N()
			if n == nil {
				n = jen.False()
			} else {
				anyNull = true
			}
			nulls = append(nulls, n)
		}
		nullArg := jen.Nil()
		if anyNull {
			nullArg = jen.Index().Bool().Values(nulls...)
		}
		return jen.Qual(pkgTypes, "ConcatWs").Call(sep.V(), jen.Index().String().Values(strs...), nullArg)
	})
}

// parseURL compiles PARSE_URL(url, part[, key]).
func (f *fn) parseURL(c *ir.Call, args []value) value {
	name := "ParseURL"
	if len(args) == 3 {
		name = "ParseURLQuery"
	}
	return f.strictOK("urlPart", c.T, args, func() jen.Code { return jen.Qual(pkgTypes, name).Call(vals(args)...) }, nil)
}

// splitIndex compiles SPLIT_INDEX(s, sep, i), sep a string or a character's code.
func (f *fn) splitIndex(c *ir.Call, args []value) value {
	name := "SplitIndex"
	if args[1].t.IsInteger() {
		name = "SplitIndexChar"
	}
	return f.strictOK("field", c.T, args, func() jen.Code { return jen.Qual(pkgTypes, name).Call(vals(args)...) }, nil)
}

// locate compiles POSITION(seek IN s) and LOCATE(seek, s[, from]).
func (f *fn) locate(c *ir.Call, args []value) value {
	return f.strict("pos", c.T, args, func() jen.Code {
		a := vals(args)
		if len(a) == 2 {
			a = append(a, jen.Lit(1)) // from the start
		}
		return jen.Qual(pkgTypes, "Locate").Call(a...)
	})
}

// instr compiles INSTR(s, sub[, start[, nth]]); an nth below 1 fails the job.
func (f *fn) instr(c *ir.Call, args []value) value {
	return f.strictErr("pos", c.T, args, resErr, "INSTR", c.Pos, func() jen.Code {
		a := vals(args)
		for len(a) < 4 {
			a = append(a, jen.Lit(1)) // start 1, the first occurrence
		}
		return jen.Qual(pkgTypes, "Instr").Call(a...)
	})
}

// repeat compiles REPEAT(s, n); a result Java could not allocate fails the job.
func (f *fn) repeat(c *ir.Call, args []value) value {
	return f.strictErr("repeated", c.T, args, resErr, "REPEAT", c.Pos, func() jen.Code { return jen.Qual(pkgTypes, "Repeat").Call(vals(args)...) })
}

// fromBase64 compiles FROM_BASE64(s); text java.util.Base64 rejects fails the job.
func (f *fn) fromBase64(c *ir.Call, args []value) value {
	s, pos := args[0], f.g.pos(c.Pos)
	return f.strictOK("decoded", c.T, args, func() jen.Code { return jen.Qual(pkgTypes, "FromBase64").Call(s.V()) }, func() jen.Code {
		return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos),
			jen.Lit("FROM_BASE64 of %q: illegal base64 (java.util.Base64)"), s.V()))
	})
}

// greatestLeast compiles GREATEST/LEAST(x, ...) over arguments of its type, comparing as
// Flink's compareTo does (FLOAT/DOUBLE as Double.compare: NaN above everything, -0.0
// below 0.0); the first of equal values wins. NULL if any argument is.
//
//	greatest := a
//	if types.CompareFloat64(b, greatest) > 0 {
//		greatest = b
//	}
func (f *fn) greatestLeast(c *ir.Call, args []value) value {
	ct := c.T.NotNull()
	for i := range args {
		args[i] = f.convert(args[i], c.T, c.Pos)
	}
	op := ">"
	if c.Op == "LEAST" {
		op = "<"
	}
	return f.strict(strings.ToLower(string(c.Op)), c.T, args, func() jen.Code {
		m := f.define(strings.ToLower(string(c.Op)), args[0].V())
		for _, a := range args[1:] {
			var better jen.Code
			switch ct.Kind {
			case ir.KindDouble, ir.KindFloat:
				better = jen.Qual(pkgTypes, "CompareFloat64").Call(jen.Float64().Call(a.V()), jen.Float64().Call(m.ref())).Op(op).Lit(0)
			default:
				better = f.compareExpr(op, a, value{t: ct, vl: m}, ct)
			}
			f.emit(jen.If(better).Block(m.id().Op("=").Add(a.V())))
		}
		return m.ref()
	})
}

// ifNull compiles IFNULL(x, replacement); both are evaluated, as Flink's IfNullFunction
// receives both.
//
//	v, vNull := x, xNull
//	if vNull {
//		v, vNull = r, rNull
//	}
func (f *fn) ifNull(c *ir.Call, args []value) value {
	x, r := f.convert(args[0], c.T, c.Pos), f.convert(args[1], c.T, c.Pos)
	if !x.nullable() {
		return x
	}
	if x.always {
		return r
	}
	v := f.define("ifNull", x.V())
	nl := f.defineNull(v, x.N())
	rn := r.N()
	if rn == nil {
		rn = jen.False()
	}
	f.emit(jen.If(nl.ref()).Block(jen.List(v.id(), nl.id()).Op("=").List(r.V(), rn)))
	if !r.nullable() {
		return value{t: c.T, vl: v}
	}
	return value{t: c.T, vl: v, nl: nl}
}
