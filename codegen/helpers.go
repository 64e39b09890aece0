package codegen

import (
	"fmt"
	"sort"

	"github.com/dave/jennifer/jen"
)

// helperFuncs are small functions emitted into the generated file when some expression
// needs them (each once, in name order).
var helperFuncs = map[string]func() jen.Code{
	// func compareTimestamp(a, b types.Timestamp) int { ... }
	"compareTimestamp": func() jen.Code {
		return jen.Func().Id("compareTimestamp").Params(jen.List(jen.Id("a"), jen.Id("b")).Qual(pkgTypes, "Timestamp")).Int().Block(
			jen.Switch().Block(
				jen.Case(jen.Id("a").Dot("Millis").Op("<").Id("b").Dot("Millis")).Block(jen.Return(jen.Lit(-1))),
				jen.Case(jen.Id("a").Dot("Millis").Op(">").Id("b").Dot("Millis")).Block(jen.Return(jen.Lit(1))),
				jen.Case(jen.Id("a").Dot("Nanos").Op("<").Id("b").Dot("Nanos")).Block(jen.Return(jen.Lit(-1))),
				jen.Case(jen.Id("a").Dot("Nanos").Op(">").Id("b").Dot("Nanos")).Block(jen.Return(jen.Lit(1))),
			),
			jen.Return(jen.Lit(0)),
		)
	},
	// func compareBool(a, b bool) int { ... } // FALSE < TRUE
	"compareBool": func() jen.Code {
		return jen.Func().Id("compareBool").Params(jen.List(jen.Id("a"), jen.Id("b")).Bool()).Int().Block(
			jen.Switch().Block(
				jen.Case(jen.Id("a").Op("==").Id("b")).Block(jen.Return(jen.Lit(0))),
				jen.Case(jen.Id("a")).Block(jen.Return(jen.Lit(1))),
			),
			jen.Return(jen.Lit(-1)),
		)
	},
	// func formatBool(b bool) string — CAST(b AS STRING) is TRUE or FALSE.
	"formatBool": func() jen.Code {
		return jen.Func().Id("formatBool").Params(jen.Id("b").Bool()).String().Block(
			jen.If(jen.Id("b")).Block(jen.Return(jen.Lit("TRUE"))),
			jen.Return(jen.Lit("FALSE")),
		)
	},
	// func timestampToTime(ts types.Timestamp) time.Time
	"timestampToTime": func() jen.Code {
		return jen.Func().Id("timestampToTime").Params(jen.Id("ts").Qual(pkgTypes, "Timestamp")).Qual("time", "Time").Block(
			jen.Return(jen.Qual("time", "UnixMilli").Call(jen.Id("ts").Dot("Millis")).Dot("Add").Call(
				jen.Qual("time", "Duration").Call(jen.Id("ts").Dot("Nanos"))).Dot("UTC").Call()),
		)
	},
	// func timeToTimestamp(t time.Time) types.Timestamp
	"timeToTimestamp": func() jen.Code {
		return jen.Func().Id("timeToTimestamp").Params(jen.Id("t").Qual("time", "Time")).Qual(pkgTypes, "Timestamp").Block(
			jen.Id("ms").Op(":=").Id("t").Dot("UnixMilli").Call(),
			jen.Return(jen.Qual(pkgTypes, "Timestamp").Add(composite(false, kv("Millis", jen.Id("ms")), kv("Nanos", jen.Int32().Call(jen.Id("t").Dot("UnixNano").Call().Op("-").Id("ms").Op("*").Lit(1000000)))))),
		)
	},
}

func init() {
	// func substringSQL(s string, pos, length int64, hasLength bool) string
	//
	// SUBSTRING(s, pos[, length]) on characters, 1-based; pos 0 is 1 and a negative pos
	// counts from the end (Flink's substringSQL); a negative length gives "".
	helperFuncs["substringSQL"] = func() jen.Code {
		return jen.Comment("substringSQL is SUBSTRING(s, pos[, length]) over characters (Flink's substringSQL).").Line().
			Func().Id("substringSQL").Params(jen.Id("s").String(), jen.List(jen.Id("pos"), jen.Id("length")).Int64(), jen.Id("hasLength").Bool()).String().Block(
			jen.Id("ascii").Op(":=").True(),
			jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Len(jen.Id("s")), jen.Id("i").Op("++")).Block(
				jen.If(jen.Id("s").Index(jen.Id("i")).Op(">=").Lit(0x80)).Block(jen.Id("ascii").Op("=").False(), jen.Break()),
			),
			jen.Var().Id("runes").Index().Rune(),
			jen.Id("n").Op(":=").Int64().Call(jen.Len(jen.Id("s"))),
			jen.If(jen.Op("!").Id("ascii")).Block(
				jen.Id("runes").Op("=").Index().Rune().Call(jen.Id("s")),
				jen.Id("n").Op("=").Int64().Call(jen.Len(jen.Id("runes"))),
			),
			jen.Var().Id("start").Int64(),
			jen.Switch().Block(
				jen.Case(jen.Id("pos").Op(">").Lit(0)).Block(jen.Id("start").Op("=").Id("pos").Op("-").Lit(1)),
				jen.Case(jen.Id("pos").Op("<").Lit(0)).Block(jen.Id("start").Op("=").Id("n").Op("+").Id("pos")),
			),
			jen.Id("end").Op(":=").Id("n"),
			jen.If(jen.Id("hasLength")).Block(
				jen.If(jen.Id("length").Op("<").Lit(0)).Block(jen.Return(jen.Lit(""))),
				jen.If(jen.Id("length").Op("<").Id("n").Op("-").Id("start")).Block(jen.Id("end").Op("=").Id("start").Op("+").Id("length")),
			),
			jen.Id("start").Op("=").Max(jen.Id("start"), jen.Lit(0)),
			jen.If(jen.Id("start").Op(">=").Id("end")).Block(jen.Return(jen.Lit(""))),
			jen.If(jen.Id("ascii")).Block(jen.Return(jen.Id("s").Index(jen.Id("start").Op(":").Id("end")))),
			jen.Return(jen.String().Call(jen.Id("runes").Index(jen.Id("start").Op(":").Id("end")))),
		)
	}
	// func roundHalfUp(x float64, n int) (float64, bool) — ROUND of a DOUBLE, like Flink's
	// SqlFunctionUtils.sround: BigDecimal.valueOf(x).setScale(n, HALF_UP).doubleValue();
	// not ok for NaN and ±Infinity, which BigDecimal.valueOf rejects. A value too large
	// for DECIMAL(38, n) has no digits below 10^-n in its shortest form: it is kept.
	helperFuncs["roundHalfUp"] = func() jen.Code {
		return jen.Comment("roundHalfUp is ROUND(x, n) of a DOUBLE: the shortest decimal digits of x rounded HALF_UP;").Line().
			Comment("not ok for NaN and ±Infinity.").Line().
			Func().Id("roundHalfUp").Params(jen.Id("x").Float64(), jen.Id("n").Int()).Params(jen.Float64(), jen.Bool()).Block(
			jen.If(jen.Qual("math", "IsNaN").Call(jen.Id("x")).Op("||").Qual("math", "IsInf").Call(jen.Id("x"), jen.Lit(0))).Block(
				jen.Return(jen.Id("x"), jen.False())),
			jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Qual(pkgTypes, "DecimalFromFloat64").Call(jen.Id("x"), jen.Lit(38), jen.Id("n")),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Id("x"), jen.True())),
			jen.Return(jen.Qual(pkgTypes, "DecimalToFloat64").Call(jen.Id("d"), jen.Id("n")), jen.True()),
		)
	}
	// func roundHalfUp32(x float32, n int) (float32, bool) — ROUND of a FLOAT: Flink's
	// sround(float, int) widens x to double for BigDecimal.valueOf, then floatValue().
	helperFuncs["roundHalfUp32"] = func() jen.Code {
		return jen.Comment("roundHalfUp32 is ROUND(x, n) of a FLOAT: roundHalfUp of the widened x, narrowed.").Line().
			Func().Id("roundHalfUp32").Params(jen.Id("x").Float32(), jen.Id("n").Int()).Params(jen.Float32(), jen.Bool()).Block(
			jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("roundHalfUp").Call(jen.Float64().Call(jen.Id("x")), jen.Id("n")),
			jen.Return(jen.Float32().Call(jen.Id("r")), jen.Id("ok")),
		)
	}
}

// helper registers a helper function and returns its name.
func (g *gen) helper(name string) string {
	if _, ok := helperFuncs[name]; !ok {
		panic("codegen: unknown helper " + name) // a bug in the generator, not user input
	}
	g.helpers[name] = true
	return name
}

func (g *gen) helperDecls() []jen.Code {
	names := make([]string, 0, len(g.helpers))
	for n := range g.helpers {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []jen.Code
	for _, n := range names {
		out = append(out, helperFuncs[n](), jen.Line())
	}
	return out
}

// pkgVar declares a package-level variable (a compiled LIKE pattern, a BYTES, DECIMAL
// or TIMESTAMP constant), with an optional trailing comment, and returns its name. The
// variables are never written: equal initializers share one.
func (g *gen) pkgVar(base string, init jen.Code, comment string) string {
	key := fmt.Sprintf("%#v", init)
	if name, ok := g.pkgVarNames[key]; ok {
		return name
	}
	g.nPkgVars++
	name := base + itoa(g.nPkgVars)
	// var like1 = types.NewLikeMatcher("%x%", 0)
	decl := jen.Var().Id(name).Op("=").Add(init)
	if comment != "" {
		decl.Comment(comment)
	}
	g.pkgVars = append(g.pkgVars, decl)
	if g.pkgVarNames == nil {
		g.pkgVarNames = map[string]string{}
	}
	g.pkgVarNames[key] = name
	return name
}

// udfSite registers a UDF call site and returns its number (1-based).
func (g *gen) udfSite(name, pos string) int {
	g.udfSites = append(g.udfSites, udfSite{name: name, pos: pos})
	return len(g.udfSites)
}

type udfSite struct{ name, pos string }
