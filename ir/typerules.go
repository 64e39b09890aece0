package ir

import "strings"

// This file holds Flink's type rules: implicit and explicit casts
// (LogicalTypeCasts), the common type of several types (LogicalTypeMerging.findCommonType)
// and the result types of arithmetic and aggregates (FlinkTypeSystem and
// LogicalTypeMerging). See doc.go for the rules in prose and where we differ.

// maxDecimalPrecision is Flink's DecimalType.MAX_PRECISION.
const maxDecimalPrecision = 38

// minAdjustedScale is the scale an over-long decimal result keeps at least (Flink's
// MINIMUM_ADJUSTED_SCALE).
const minAdjustedScale = 6

func isExact(t Type) bool     { return t.IsInteger() || t.Kind == KindDecimal }
func isTimestamp(t Type) bool { return t.Kind == KindTimestamp || t.Kind == KindTimestampLTZ }
func isInterval(t Type) bool {
	return t.Kind == KindIntervalDayTime || t.Kind == KindIntervalYearMonth
}
func isConstructed(t Type) bool {
	return t.Kind == KindRow || t.Kind == KindArray || t.Kind == KindMap || t.Kind == KindMultiset
}

// isPredefined reports the types of Flink's PREDEFINED family (everything but
// constructed types).
func isPredefined(t Type) bool { return !isConstructed(t) && t.Kind != KindNull }

// IntegerDigits returns the decimal precision that holds every value of an integer
// kind: 3, 5, 10 or 19 for TINYINT, SMALLINT, INT, BIGINT (19 for any other kind).
func IntegerDigits(k Kind) int {
	switch k {
	case KindTinyInt:
		return 3
	case KindSmallInt:
		return 5
	case KindInt:
		return 10
	default:
		return 19
	}
}

// asDecimal returns the DECIMAL type an exact numeric type widens to.
func asDecimal(t Type) Type {
	if t.Kind == KindDecimal {
		return t
	}
	return Type{Kind: KindDecimal, Precision: IntegerDigits(t.Kind), Nullable: t.Nullable}
}

// sameIgnoringNull reports whether two types are equal apart from nullability.
func sameIgnoringNull(a, b Type) bool { return a.WithNull().Equal(b.WithNull()) }

// SupportsImplicitCast reports whether Flink converts from to to without an explicit
// CAST (LogicalTypeCasts.supportsImplicitCast), ignoring nullability.
func SupportsImplicitCast(from, to Type) bool { return supportsCast(from, to, false) }

// SupportsExplicitCast reports whether CAST(x AS to) is valid for x of type from.
func SupportsExplicitCast(from, to Type) bool { return supportsCast(from, to, true) }

func supportsCast(from, to Type, explicit bool) bool {
	if sameIgnoringNull(from, to) || from.Kind == KindNull {
		return true
	}
	if isInterval(from) && isExact(to) || isExact(from) && isInterval(to) {
		return explicit
	}
	if isConstructed(from) || isConstructed(to) {
		if from.Kind != to.Kind {
			return false
		}
		fc, tc := children(from), children(to)
		if len(fc) != len(tc) {
			return false
		}
		for i := range fc {
			if !supportsCast(fc[i], tc[i], explicit) {
				return false
			}
		}
		return true
	}
	f := from.Kind
	switch to.Kind {
	case KindChar:
		if f == KindChar {
			return true
		}
		return explicit && isPredefined(from)
	case KindVarchar:
		if from.IsString() {
			return true
		}
		return explicit && isPredefined(from)
	case KindBoolean:
		return f == KindBoolean || explicit && (from.IsString() || from.IsInteger())
	case KindBinary:
		return f == KindBinary || explicit && (from.IsBinary() || from.IsString())
	case KindVarbinary:
		return from.IsBinary() || explicit && from.IsString()
	case KindDecimal:
		return from.IsNumeric() || explicit && (from.IsString() || f == KindBoolean)
	case KindTinyInt, KindSmallInt, KindInt, KindBigInt:
		if from.IsInteger() && f <= to.Kind {
			return true
		}
		return explicit && (from.IsNumeric() || from.IsString() || f == KindBoolean)
	case KindFloat:
		if from.IsNumeric() && f != KindDouble {
			return true
		}
		return explicit && (from.IsNumeric() || from.IsString() || f == KindBoolean)
	case KindDouble:
		// BOOLEAN to any number is explicit (Flink 1.15+: BooleanToNumericCastRule).
		return from.IsNumeric() || explicit && (from.IsString() || f == KindBoolean)
	case KindDate:
		if f == KindDate || f == KindTimestamp {
			return true
		}
		return explicit && (isTimestamp(from) || from.IsString())
	case KindTime:
		if f == KindTime || f == KindTimestamp {
			return true
		}
		return explicit && (isTimestamp(from) || from.IsString())
	case KindTimestamp, KindTimestampLTZ:
		if f == to.Kind {
			return true
		}
		return explicit && (isTimestamp(from) || f == KindDate || f == KindTime || from.IsString())
	case KindIntervalDayTime, KindIntervalYearMonth:
		return f == to.Kind || explicit && from.IsString()
	}
	return false
}

func children(t Type) []Type {
	switch t.Kind {
	case KindRow:
		out := make([]Type, len(t.Fields))
		for i, f := range t.Fields {
			out[i] = f.Type
		}
		return out
	case KindArray, KindMultiset:
		return []Type{*t.Elem}
	case KindMap:
		return []Type{*t.Elem, *t.Value}
	}
	return nil
}

// CommonType is Flink's findCommonType: the most specific type every given type
// converts to implicitly, nullable if any input is. ok is false when there is none,
// or when every input is an untyped NULL.
func CommonType(types ...Type) (Type, bool) {
	nullable := false
	var res *Type
	for _, t := range types {
		if t.Nullable || t.Kind == KindNull {
			nullable = true
		}
		if t.Kind == KindNull {
			continue
		}
		t := t.WithNull()
		if res == nil {
			res = &t
			continue
		}
		c, ok := commonOf(*res, t)
		if !ok {
			return Type{}, false
		}
		res = &c
	}
	if res == nil {
		return Type{}, false
	}
	r := res.Materialized() // a time attribute in, a computed timestamp out
	r.Nullable = nullable
	return r, true
}

func commonOf(a, b Type) (Type, bool) {
	switch {
	case sameIgnoringNull(a, b):
		return a, true
	case a.IsString() && b.IsString():
		n := max(a.Length, b.Length)
		if a.Kind == KindChar && b.Kind == KindChar && a.Length == b.Length {
			return Type{Kind: KindChar, Length: n, Nullable: true}, true
		}
		return Type{Kind: KindVarchar, Length: n, Nullable: true}, true
	case a.IsBinary() && b.IsBinary():
		n := max(a.Length, b.Length)
		if a.Kind == KindBinary && b.Kind == KindBinary && a.Length == b.Length {
			return Type{Kind: KindBinary, Length: n, Nullable: true}, true
		}
		return Type{Kind: KindVarbinary, Length: n, Nullable: true}, true
	case isExact(a) && isExact(b):
		if a.Kind != KindDecimal && b.Kind != KindDecimal {
			if b.Kind > a.Kind {
				return b, true
			}
			return a, true
		}
		da, db := asDecimal(a), asDecimal(b)
		d := min(max(da.Precision-da.Scale, db.Precision-db.Scale), maxDecimalPrecision)
		s := min(max(da.Scale, db.Scale), maxDecimalPrecision-d)
		return Decimal(d+s, s), true
	case a.IsNumeric() && b.IsNumeric():
		// at least one is approximate; DECIMAL with an approximate type is DOUBLE
		if a.Kind == KindDouble || b.Kind == KindDouble || a.Kind == KindDecimal || b.Kind == KindDecimal {
			return Double(), true
		}
		return Type{Kind: KindFloat, Nullable: true}, true
	case a.Kind == KindTime && b.Kind == KindTime:
		return Type{Kind: KindTime, Precision: max(a.Precision, b.Precision), Nullable: true}, true
	case isTimestamp(a) && isTimestamp(b):
		k := KindTimestamp
		if a.Kind == KindTimestampLTZ || b.Kind == KindTimestampLTZ {
			k = KindTimestampLTZ
		}
		return Type{Kind: k, Precision: max(a.Precision, b.Precision), Nullable: true}, true
	case isConstructed(a) && a.Kind == b.Kind:
		ac, bc := children(a), children(b)
		if len(ac) != len(bc) {
			return Type{}, false
		}
		out := a
		cs := make([]Type, len(ac))
		for i := range ac {
			c, ok := CommonType(ac[i], bc[i])
			if !ok {
				return Type{}, false
			}
			cs[i] = c
		}
		switch a.Kind {
		case KindRow:
			out.Fields = make([]Field, len(cs))
			for i := range cs {
				out.Fields[i] = Field{Name: a.Fields[i].Name, Type: cs[i]}
			}
		case KindMap:
			out.Elem, out.Value = &cs[0], &cs[1]
		default:
			out.Elem = &cs[0]
		}
		return out, true
	}
	return Type{}, false
}

// adjustDecimal caps a derived decimal at 38 digits, sacrificing scale but keeping at
// least min(scale, 6) fractional digits (LogicalTypeMerging.adjustPrecisionScale).
func adjustDecimal(precision, scale int, nullable bool) Type {
	if precision > maxDecimalPrecision {
		digits := precision - scale
		scale = max(maxDecimalPrecision-digits, min(scale, minAdjustedScale))
		precision = maxDecimalPrecision
	}
	return Type{Kind: KindDecimal, Precision: precision, Scale: scale, Nullable: nullable}
}

// DecimalAddType is the result of DECIMAL(p1,s1) + or - DECIMAL(p2,s2).
func DecimalAddType(p1, s1, p2, s2 int) Type {
	s := max(s1, s2)
	return adjustDecimal(max(p1-s1, p2-s2)+s+1, s, false)
}

// DecimalMulType is the result of DECIMAL(p1,s1) * DECIMAL(p2,s2): p1+p2 digits, s1+s2
// scale (Flink 1.10-1.13 and Calcite; Flink 1.14+ adds one digit, see doc.go).
func DecimalMulType(p1, s1, p2, s2 int) Type {
	return adjustDecimal(p1+p2, s1+s2, false)
}

// DecimalDivType is the result of DECIMAL(p1,s1) / DECIMAL(p2,s2).
func DecimalDivType(p1, s1, p2, s2 int) Type {
	s := max(minAdjustedScale, s1+p2+1)
	return adjustDecimal(p1-s1+s2+s, s, false)
}

// DecimalModType is the result of DECIMAL(p1,s1) % DECIMAL(p2,s2).
func DecimalModType(p1, s1, p2, s2 int) Type {
	s := max(s1, s2)
	return adjustDecimal(min(p1-s1, p2-s2)+s, s, false)
}

// DecimalRoundType is the result of ROUND(DECIMAL(p,s), r) (and FLOOR/CEIL with r = 0).
func DecimalRoundType(p, s, r int) Type {
	switch {
	case r >= s:
		return Decimal(p, s)
	case r < 0:
		return Decimal(min(maxDecimalPrecision, 1+p-s), 0)
	}
	return Decimal(min(maxDecimalPrecision, 1+p-s+r), r)
}

// arithmeticType returns the result type of x op y for op in + - * / %, and the type
// each operand is converted to before the operation (for decimal results operands
// keep their own precision and scale, only integers become DECIMAL(p, 0)).
func arithmeticType(op Op, x, y Type) (res, xConv, yConv Type, ok bool) {
	nullable := x.Nullable || y.Nullable || x.Kind == KindNull || y.Kind == KindNull
	if x.Kind == KindNull && y.IsNumeric() {
		x = y
	}
	if y.Kind == KindNull && x.IsNumeric() {
		y = x
	}
	if !x.IsNumeric() || !y.IsNumeric() {
		return Type{}, x, y, false
	}
	if op == OpMod && (!isExact(x) || !isExact(y)) {
		return Type{}, x, y, false
	}
	withNull := func(t Type, n bool) Type { t.Nullable = n; return t }
	if isExact(x) && isExact(y) && (x.Kind == KindDecimal || y.Kind == KindDecimal) {
		dx, dy := asDecimal(x), asDecimal(y)
		p1, s1, p2, s2 := dx.Precision, dx.Scale, dy.Precision, dy.Scale
		switch op {
		case OpAdd, OpSub:
			res = DecimalAddType(p1, s1, p2, s2)
		case OpMul:
			res = DecimalMulType(p1, s1, p2, s2)
		case OpDiv:
			res = DecimalDivType(p1, s1, p2, s2)
		case OpMod:
			if s1 == 0 && s2 == 0 {
				// Flink: an integral modulo has the type of the divisor
				res = y
				return withNull(res, nullable), withNull(x, x.Nullable), withNull(y, y.Nullable), true
			}
			res = DecimalModType(p1, s1, p2, s2)
		}
		return withNull(res, nullable), withNull(dx, x.Nullable), withNull(dy, y.Nullable), true
	}
	if op == OpMod {
		// integer % integer has the type of the divisor; operands keep their types
		return withNull(y, nullable), x, y, true
	}
	c, _ := CommonType(x.WithNull(), y.WithNull())
	return withNull(c, nullable), withNull(c, x.Nullable), withNull(c, y.Nullable), true
}

// comparableTypes reports whether two types can be compared with = < etc., and the
// common type both sides are converted to. Constructed types compare only with the
// same kind of type (and, as the caller checks, only with = and <>).
func comparableTypes(x, y Type) (Type, bool) {
	if (isConstructed(x) || isConstructed(y)) && x.Kind != y.Kind {
		return Type{}, false
	}
	return CommonType(x, y)
}

// SumType is the result type of SUM over arg (LogicalTypeMerging.findSumAggType):
// integers and floating point keep their type, DECIMAL(p, s) becomes DECIMAL(38, s).
func SumType(arg Type) Type {
	if arg.Kind == KindDecimal {
		return Type{Kind: KindDecimal, Precision: maxDecimalPrecision, Scale: arg.Scale, Nullable: arg.Nullable}
	}
	return arg
}

// AvgType is the result type of AVG over arg (findAvgAggType): the argument type, except
// DECIMAL(p, s), which becomes DECIMAL(38, max(6, s)).
func AvgType(arg Type) Type {
	if arg.Kind == KindDecimal {
		t := DecimalDivType(maxDecimalPrecision, arg.Scale, 20, 0)
		t.Nullable = arg.Nullable
		return t
	}
	return arg
}

// typeList renders types for messages: "INT, STRING".
func typeList(ts []Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
	}
	return strings.Join(parts, ", ")
}

// WrapInt narrows v to the width of an integer kind (and of DATE and TIME, held in an
// INT), as Java's (byte), (short) and (int) casts do: the low bits, two's complement.
func WrapInt(v int64, k Kind) int64 {
	switch k {
	case KindTinyInt:
		return int64(int8(v))
	case KindSmallInt:
		return int64(int16(v))
	case KindInt, KindDate, KindTime:
		return int64(int32(v))
	}
	return v
}
