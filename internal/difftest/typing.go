package difftest

// Flink's type rules for the expressions the generator builds, written from Flink's
// documentation and Calcite's rules (LogicalTypeMerging, FlinkTypeSystem,
// SqlTypeFactoryImpl.leastRestrictive), independently of package ir.

const maxPrecision = 38

// adjustDecimal caps a derived DECIMAL at precision 38, keeping at least min(s, 6)
// fraction digits (FlinkTypeSystem / LogicalTypeMerging.adjustPrecisionScale).
func adjustDecimal(p, s int) Type {
	if p <= maxPrecision {
		return tDec(p, s)
	}
	intDigits := p - s
	s = max(maxPrecision-intDigits, min(s, 6))
	return tDec(maxPrecision, s)
}

// commonType is the least restrictive type of two types, or false when they have none.
func commonType(a, b Type) (Type, bool) {
	n := a.Nullable || b.Nullable
	switch {
	case a.Kind == Null:
		return b.null(true), true
	case b.Kind == Null:
		return a.null(true), true
	case a.Kind.isNumeric() && b.Kind.isNumeric():
		switch {
		case a.Kind.isInteger() && b.Kind.isInteger():
			if b.Kind > a.Kind {
				return b.null(n), true
			}
			return a.null(n), true
		case a.Kind.isExact() && b.Kind.isExact():
			// Calcite's leastRestrictive (LogicalTypeMerging too): the whole digits d of
			// the wider, capped at 38, then as much of the larger scale as still fits.
			da, db := decimalOf(a), decimalOf(b)
			d := min(max(da.P-da.S, db.P-db.S), maxPrecision)
			s := min(max(da.S, db.S), maxPrecision-d)
			return tDec(d+s, s).null(n), true
		case a.Kind == Double || b.Kind == Double || a.Kind == Decimal || b.Kind == Decimal:
			return tDouble.null(n), true
		}
		return tFloat.null(n), true
	case a.Kind.isString() && b.Kind.isString():
		if a.Kind == Char && b.Kind == Char && a.P == b.P {
			return a.null(n), true
		}
		// FlinkTypeSystem.shouldConvertRaggedUnionTypesToVarying: CHARs of different
		// lengths meet in a VARCHAR.
		return Type{Kind: VarChar, P: max(a.P, b.P), Nullable: n}, true
	case a.Kind.isBinary() && b.Kind.isBinary():
		if a.Kind == Binary && b.Kind == Binary && a.P == b.P {
			return a.null(n), true
		}
		return Type{Kind: VarBinary, P: max(a.P, b.P), Nullable: n}, true
	case a.Kind == b.Kind && (a.Kind == Boolean || a.Kind == Date):
		return a.null(n), true
	case a.Kind == b.Kind && (a.Kind == Time || a.Kind.isTimestamp()):
		return Type{Kind: a.Kind, P: max(a.P, b.P), Nullable: n}, true
	}
	return Type{}, false
}

// comparable reports whether two types may meet in =, <, IN, BETWEEN.
func comparable(a, b Type) bool {
	_, ok := commonType(a, b)
	return ok
}

// arithType is the type of a op b for + - * / % on numbers.
func arithType(op string, a, b Type) (Type, bool) {
	n := a.Nullable || b.Nullable
	if !a.Kind.isNumeric() || !b.Kind.isNumeric() {
		return Type{}, false
	}
	if op == "%" {
		if !a.Kind.isExact() || !b.Kind.isExact() {
			return Type{}, false
		}
		if a.Kind.isInteger() && b.Kind.isInteger() {
			return b.null(n), true // MOD has the divisor's type
		}
	}
	switch {
	case a.Kind.isInteger() && b.Kind.isInteger():
		t, _ := commonType(a, b)
		return t, true
	case a.Kind.isExact() && b.Kind.isExact():
		da, db := decimalOf(a), decimalOf(b)
		p1, s1, p2, s2 := da.P, da.S, db.P, db.S
		var t Type
		switch op {
		case "+", "-":
			s := max(s1, s2)
			t = adjustDecimal(max(p1-s1, p2-s2)+s+1, s)
		case "*":
			t = adjustDecimal(p1+p2, s1+s2)
		case "/":
			s := max(6, s1+p2+1)
			t = adjustDecimal(p1-s1+s2+s, s)
		case "%":
			s := max(s1, s2)
			t = adjustDecimal(min(p1-s1, p2-s2)+s, s)
		}
		return t.null(n), true
	}
	t, ok := commonType(a, b)
	return t.null(n), ok
}

// aggType is the result type of an aggregate over an argument of type a.
func aggType(fn string, a Type, nullable bool) Type {
	switch fn {
	case "COUNT":
		return tBig
	case "SUM":
		if a.Kind == Decimal {
			return tDec(38, a.S).null(true)
		}
		return a.null(true)
	case "AVG":
		if a.Kind == Decimal {
			return tDec(38, max(6, a.S)).null(true)
		}
		return a.null(true)
	}
	return a.null(true)
}

// castable reports whether CAST(from AS to) is a cast Flink allows and the docs promise.
func castable(from, to Type) bool {
	f, t := from.Kind, to.Kind
	switch {
	case f == Null:
		return true
	case f.isNumeric() && t.isNumeric():
		return true
	case f.isInteger() && t == Boolean: // LogicalTypeCasts: BOOLEAN from INTEGER_NUMERIC only
		return true
	case f == Boolean && (t.isNumeric() || t == Boolean):
		return true
	case t.isString():
		return f != Null
	case f.isString():
		return t != Null
	case f.isBinary() && t.isBinary():
		return true
	case f == Date && (t == Date || t.isTimestamp()):
		return true
	case f == Time && t == Time:
		return true
	case f.isTimestamp() && (t.isTimestamp() || t == Date || t == Time):
		return true
	}
	return false
}
