package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// sameRepr reports whether values of a and b share a Go representation, so converting
// between them is free (VARCHAR(10) -> STRING, TIMESTAMP(3) -> TIMESTAMP(6), INT -> INT).
func sameRepr(a, b ir.Type) bool {
	switch {
	case a.IsString() && b.IsString(), a.IsBinary() && b.IsBinary():
		return true
	case (a.Kind == ir.KindTimestamp || a.Kind == ir.KindTimestampLTZ) && (b.Kind == ir.KindTimestamp || b.Kind == ir.KindTimestampLTZ):
		// A smaller precision truncates (TimestampToTimestampCastRule).
		return b.Precision >= a.Precision
	case a.Kind == ir.KindDecimal && b.Kind == ir.KindDecimal:
		// A narrower precision needs a check (NULL on overflow).
		return a.Scale == b.Scale && b.Precision >= a.Precision
	case a.Kind == ir.KindRow && b.Kind == ir.KindRow:
		return sameRowRepr(a, b)
	}
	return a.Kind == b.Kind
}

// convert converts x to type to for an implicit conversion (operands of arithmetic and
// comparison, CASE arms, sink columns): numeric widening and DECIMAL rescaling.
func (f *fn) convert(x value, to ir.Type, span diag.Span) value {
	if x.always {
		return nullValue(to)
	}
	if sameRepr(x.t, to) {
		x.t = to
		x.t.Nullable = x.nullable()
		return x
	}
	if x.t.Kind == ir.KindRow && to.Kind == ir.KindRow {
		return f.convertRow(x, to, span)
	}
	return f.castAs(x, to, false, false, span)
}

// cast compiles CAST(x AS to) (try: TRY_CAST). A CAST that cannot parse its input fails
// the job with the SQL position; TRY_CAST gives NULL. Numeric casts that overflow a
// DECIMAL give NULL, as in Flink. A CAST to CHAR(n), VARCHAR(n), BINARY(n) or
// VARBINARY(n) fits the value to n (see fitLength).
func (f *fn) cast(x value, to ir.Type, try bool, span diag.Span) value {
	return f.castAs(x, to, try, true, span)
}

// castAs is cast, fitting lengths when fit is set (an explicit CAST; an implicit
// conversion keeps the value).
func (f *fn) castAs(x value, to ir.Type, try, fit bool, span diag.Span) value {
	from := x.t
	if x.always || from.Kind == ir.KindNull {
		return nullValue(to)
	}
	if !f.checkType(to, span) {
		return nullValue(to)
	}
	if from.Kind == ir.KindRow && to.Kind == ir.KindRow && !sameRepr(from, to) {
		return f.convertRow(x, to, span)
	}
	if fit && fitsLength(from, to) {
		fit = false
	}
	if sameRepr(from, to) {
		if fit {
			to.Nullable = x.nullable()
			return f.strict("fit", to, []value{x}, func() jen.Code { return fitLength(from, to, x.V()) })
		}
		x.t = to
		x.t.Nullable = x.nullable()
		return x
	}
	if c, ok := foldConst(x, to); ok {
		return c
	}
	x = f.unconst(x) // float32(float64(1e39)) would not build
	args := []value{x}
	gt := f.goType(to)
	pos := f.g.pos(span)
	switch {
	case from.IsInteger() && to.IsInteger(), from.IsInteger() && (to.Kind == ir.KindFloat || to.Kind == ir.KindDouble),
		(from.Kind == ir.KindFloat || from.Kind == ir.KindDouble) && (to.Kind == ir.KindFloat || to.Kind == ir.KindDouble):
		// int64(x)
		return f.strict("conv", to, args, func() jen.Code { return jen.Add(gt).Call(x.V()) })
	case (from.Kind == ir.KindFloat || from.Kind == ir.KindDouble) && to.IsInteger():
		// Flink casts with Java's (long), (int), (short), (byte): (long) and (int) saturate
		// (NaN is 0), (short) and (byte) saturate to int, then keep the low bits.
		return f.strict("conv", to, args, func() jen.Code {
			if to.Kind == ir.KindBigInt {
				// types.FloatToInt64(x)
				return jen.Qual(pkgTypes, "FloatToInt64").Call(jen.Float64().Call(x.V()))
			}
			// int16(types.FloatToInt32(float64(x)))
			i := jen.Qual(pkgTypes, "FloatToInt32").Call(jen.Float64().Call(x.V()))
			if to.Kind == ir.KindInt {
				return i
			}
			return jen.Add(gt).Call(i)
		})
	case from.IsInteger() && to.Kind == ir.KindDecimal:
		// types.IntToDecimal(int64(x), p, s)
		return f.strictOK("dec", to, args, func() jen.Code {
			return jen.Qual(pkgTypes, "IntToDecimal").Call(jen.Int64().Call(x.V()), jen.Lit(to.Precision), jen.Lit(to.Scale))
		}, nil)
	case (from.Kind == ir.KindFloat || from.Kind == ir.KindDouble) && to.Kind == ir.KindDecimal:
		if !try && !x.always {
			// Flink's BigDecimal.valueOf(NaN or ±Infinity) throws: CAST fails the job
			// (TRY_CAST gives NULL); a value too wide for the DECIMAL is NULL.
			//	if !xNull && (math.IsNaN(float64(x)) || math.IsInf(float64(x), 0)) { return job.RowError(...) }
			fx := jen.Float64().Call(x.V())
			cond := jen.Qual("math", "IsNaN").Call(fx).Op("||").Qual("math", "IsInf").Call(jen.Float64().Call(x.V()), jen.Lit(0))
			if n := x.N(); n != nil {
				cond = jen.Op("!").Add(n).Op("&&").Parens(cond)
			}
			typeName := strings.TrimSuffix(to.String(), " NOT NULL")
			f.emit(jen.If(cond).Block(jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("cannot cast %v to "+typeName), x.V()))))
		}
		return f.strictOK("dec", to, args, func() jen.Code {
			return jen.Qual(pkgTypes, "DecimalFromFloat64").Call(jen.Float64().Call(x.V()), jen.Lit(to.Precision), jen.Lit(to.Scale))
		}, nil)
	case from.Kind == ir.KindDecimal && to.Kind == ir.KindDecimal:
		// types.Rescale(x, fromScale, toScale, toPrecision)
		return f.strictOK("dec", to, args, func() jen.Code {
			return jen.Qual(pkgTypes, "Rescale").Call(x.V(), jen.Lit(from.Scale), jen.Lit(to.Scale), jen.Lit(to.Precision))
		}, nil)
	case from.Kind == ir.KindDecimal && to.IsInteger():
		// Flink's DecimalDataUtils.castToIntegral truncates and keeps the low 64 bits
		// (never NULL); INT, SMALLINT and TINYINT narrow that long as Java casts do.
		return f.strict("conv", to, args, func() jen.Code {
			// int32(types.DecimalToInt64(x, scale))
			i := jen.Qual(pkgTypes, "DecimalToInt64").Call(x.V(), jen.Lit(from.Scale))
			if to.Kind == ir.KindBigInt {
				return i
			}
			return jen.Add(gt).Call(i)
		})
	case from.Kind == ir.KindDecimal && (to.Kind == ir.KindFloat || to.Kind == ir.KindDouble):
		return f.strict("conv", to, args, func() jen.Code {
			return f.floatCast(to, jen.Qual(pkgTypes, "DecimalToFloat64").Call(x.V(), jen.Lit(from.Scale)))
		})
	case from.Kind == ir.KindBoolean && to.IsNumeric():
		// TRUE is 1 and FALSE 0 (Flink's BooleanToNumericCastRule).
		one := func() jen.Code {
			return jen.Func().Params().Int64().Block(
				jen.If(x.V()).Block(jen.Return(jen.Lit(1))),
				jen.Return(jen.Lit(0)),
			).Call()
		}
		if to.Kind == ir.KindDecimal {
			return f.strictOK("dec", to, args, func() jen.Code {
				return jen.Qual(pkgTypes, "IntToDecimal").Call(one(), jen.Lit(to.Precision), jen.Lit(to.Scale))
			}, nil)
		}
		return f.strict("conv", to, args, func() jen.Code { return jen.Add(gt).Call(one()) })
	case from.IsNumeric() && to.Kind == ir.KindBoolean && from.Kind != ir.KindDecimal:
		return f.strict("conv", to, args, func() jen.Code { return x.V().Op("!=").Lit(0) })
	case from.IsString():
		return f.castFromString(x, to, try, fit, pos, gt)
	case to.IsString():
		return f.strict("str", to, args, func() jen.Code {
			if fit {
				return fitLength(from, to, f.formatValue(x))
			}
			return f.formatValue(x)
		})
	case from.IsString() && to.IsBinary():
		return f.strict("conv", to, args, func() jen.Code { return jen.Index().Byte().Call(x.V()) })
	case isTimestampKind(from.Kind) && isTimestampKind(to.Kind):
		// TimestampToTimestampCastRule: DateTimeUtils.truncate when the precision shrinks
		// (a larger one shares the representation, see sameRepr). TIMESTAMP and
		// TIMESTAMP_LTZ convert at the session time zone, UTC: the same instant.
		return f.strict("conv", to, args, func() jen.Code {
			return jen.Qual(pkgTypes, "TruncateTimestamp").Call(x.V(), jen.Lit(to.Precision))
		})
	case isTimestampKind(from.Kind) && (to.Kind == ir.KindDate || to.Kind == ir.KindTime):
		// TimestampToDateCastRule / TimestampToTimeCastRule. TIMESTAMP: Java's / and % of
		// the epoch milliseconds (so before 1970 the DATE is the following day and the TIME
		// negative, as in Flink); TIMESTAMP_LTZ: the day and time of day of the instant in
		// the session time zone (UTC). TIME first truncates to its precision.
		fnName := map[bool]string{true: "TimestampToDate", false: "TimestampToTime"}[to.Kind == ir.KindDate]
		if from.Kind == ir.KindTimestampLTZ {
			fnName = map[bool]string{true: "LTZToDate", false: "LTZToTime"}[to.Kind == ir.KindDate]
		}
		return f.strict("conv", to, args, func() jen.Code {
			ts := x.V()
			if to.Kind == ir.KindTime && from.Precision > to.Precision {
				ts = jen.Qual(pkgTypes, "TruncateTimestamp").Call(ts, jen.Lit(to.Precision))
			}
			return jen.Qual(pkgTypes, fnName).Call(ts)
		})
	case from.Kind == ir.KindDate && (to.Kind == ir.KindTimestamp || to.Kind == ir.KindTimestampLTZ):
		return f.strict("conv", to, args, func() jen.Code {
			return jen.Qual(pkgTypes, "Timestamp").Add(composite(false, kv("Millis", jen.Int64().Call(x.V()).Op("*").Lit(86400000))))
		})
	}
	f.g.errorf(span, "CAST from %s to %s is not supported by the code generator yet", from, to)
	return nullValue(to)
}

// castFromString parses a string with the runtime's Flink-compatible parsers.
func (f *fn) castFromString(x value, to ir.Type, try, fit bool, pos string, gt jen.Code) value {
	var call func() jen.Code
	switch to.Kind {
	case ir.KindBoolean:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToBool").Call(x.V()) }
	case ir.KindTinyInt:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToInt8").Call(x.V()) }
	case ir.KindSmallInt:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToInt16").Call(x.V()) }
	case ir.KindInt:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToInt32").Call(x.V()) }
	case ir.KindBigInt:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToInt64").Call(x.V()) }
	case ir.KindFloat:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToFloat32").Call(x.V()) }
	case ir.KindDouble:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToFloat64").Call(x.V()) }
	case ir.KindDecimal:
		call = func() jen.Code {
			return jen.Qual(pkgTypes, "CastStringToDecimal").Call(x.V(), jen.Lit(to.Precision), jen.Lit(to.Scale))
		}
	case ir.KindDate:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToDate").Call(x.V()) }
	case ir.KindTime:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToTime").Call(x.V(), jen.Lit(to.Precision)) }
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		call = func() jen.Code { return jen.Qual(pkgTypes, "CastStringToTimestamp").Call(x.V(), jen.Lit(to.Precision)) }
	case ir.KindBinary, ir.KindVarbinary:
		return f.strict("conv", to, []value{x}, func() jen.Code {
			if fit {
				return fitLength(x.t, to, jen.Index().Byte().Call(x.V()))
			}
			return jen.Index().Byte().Call(x.V())
		})
	default:
		f.g.errorf(diag.Span{}, "CAST from %s to %s is not supported by the code generator yet", x.t, to)
		return nullValue(to)
	}
	var fail func() jen.Code
	if !try {
		typeName := strings.TrimSuffix(to.String(), " NOT NULL")
		fail = func() jen.Code {
			// return job.RowError(where, "job.sql:4:8", "cannot cast %q to INT", x)
			return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("cannot cast %q to "+typeName), x.V()))
		}
	}
	return f.strictOK("conv", to, []value{x}, call, fail)
}

// fitsLength reports whether every value of type from already fits the length of an
// explicit CAST to type to, so the cast needs no cut and no padding: to has no length
// (STRING, BYTES, other types), or from and to are VARBINARY-like with from no longer
// (Flink's BinaryToBinaryCastRule relies on the declared length; strings are always
// measured, as CharVarCharTrimPadCastRule does).
func fitsLength(from, to ir.Type) bool {
	switch {
	case !to.IsString() && !to.IsBinary(), to.Length >= ir.MaxLength:
		return true
	case to.Kind == ir.KindVarbinary && from.IsBinary():
		return from.Length <= to.Length
	}
	return false
}

// fitLength fits v, a value cast from type from, to the length of type to as Flink's
// cast rules do (Flink 1.15+, legacy cast behaviour off): CHAR(n) and VARCHAR(n) are
// cut to n characters, CHAR(n) padded with spaces to n (CharVarCharTrimPadCastRule,
// counting code points; from bytes, BinaryToStringCastRule counts UTF-16 units);
// BINARY(n) and VARBINARY(n) are cut to n bytes, BINARY(n) padded with zero bytes.
//
//	types.FitChars(v, 3, true)
func fitLength(from, to ir.Type, v jen.Code) jen.Code {
	name := "FitChars"
	switch {
	case to.IsBinary():
		name = "FitBytes"
	case from.IsBinary():
		name = "FitCharsUTF16"
	}
	pad := to.Kind == ir.KindChar || to.Kind == ir.KindBinary
	return jen.Qual(pkgTypes, name).Call(v, jen.Lit(to.Length), jen.Lit(pad))
}

// formatValue renders a non-NULL value as a STRING, as Flink's CAST(x AS STRING) does.
func (f *fn) formatValue(x value) jen.Code {
	switch x.t.Kind {
	case ir.KindBoolean:
		return jen.Qual(pkgTypes, "FormatBool").Call(x.V())
	case ir.KindTinyInt, ir.KindSmallInt, ir.KindInt, ir.KindBigInt:
		return jen.Qual("strconv", "FormatInt").Call(jen.Int64().Call(x.V()), jen.Lit(10))
	case ir.KindFloat:
		return jen.Qual(pkgTypes, "FormatFloat").Call(x.V())
	case ir.KindDouble:
		return jen.Qual(pkgTypes, "FormatDouble").Call(x.V())
	case ir.KindDecimal:
		return x.V().Dot("Format").Call(jen.Lit(x.t.Scale))
	case ir.KindDate:
		return jen.Qual(pkgTypes, "FormatDate").Call(x.V())
	case ir.KindTime:
		return jen.Qual(pkgTypes, "FormatTime").Call(x.V(), jen.Lit(x.t.Precision))
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return jen.Qual(pkgTypes, "FormatTimestamp").Call(x.V(), jen.Lit(x.t.Precision))
	case ir.KindBinary, ir.KindVarbinary:
		// UTF-8, invalid sequences replaced as Java's new String(b, UTF_8) does
		return jen.Qual(pkgTypes, "CastBytesToString").Call(x.V())
	}
	f.g.errorf(diag.Span{}, "CAST from %s to STRING is not supported by the code generator yet", x.t)
	return jen.Lit("")
}

// foldConst converts a numeric literal at compile time where the result is exact or
// wraps as Java's narrowing does: int32(int64(5)) is rendered int32(5),
// int32(int64(2147483648)) int32(-2147483648) (Go rejects a constant conversion that
// overflows), float64(int64(2)) float64(2).
func foldConst(x value, to ir.Type) (value, bool) {
	switch k := x.konst.(type) {
	case int64:
		switch to.Kind {
		case ir.KindTinyInt, ir.KindSmallInt, ir.KindInt, ir.KindBigInt:
			k = ir.WrapInt(k, to.Kind)
			gt, _ := goType(to)
			return value{t: to.NotNull(), vc: jen.Add(gt).Call(jen.Lit(int(k))), konst: k}, true
		case ir.KindDouble:
			if k > -(1<<53) && k < 1<<53 {
				return value{t: to.NotNull(), vc: jen.Float64().Call(jen.Lit(float64(k))), konst: float64(k)}, true
			}
		}
	}
	return value{}, false
}

func isTimestampKind(k ir.Kind) bool { return k == ir.KindTimestamp || k == ir.KindTimestampLTZ }
