package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// value is a typed SQL value in generated code: a Go expression for the value and, only
// where the value can be NULL, a Go bool expression for its null flag. Invariant kept by
// every producer: when the null flag is true the value is its Go zero value, so NULL keys
// compare equal and NULL booleans read as false.
type value struct {
	t ir.Type

	vl *local   // the value lives in a counted local...
	vc jen.Code // ...or is this expression (a constant, a struct field)

	nl     *local   // null flag local...
	nc     jen.Code // ...or expression; both nil and !always: never NULL
	always bool     // constant NULL

	konst any // the constant (int64, float64, types.Decimal) of a numeric literal, for folding conversions
}

// isConst reports a numeric literal rendered as a Go constant expression (int32(5),
// float64(1.5)); see fn.unconst.
func (x value) isConst() bool { return x.konst != nil && x.vl == nil && !x.always }

// V renders the value (a fresh statement, safe to chain on).
func (x value) V() *jen.Statement {
	if x.vl != nil {
		return x.vl.ref()
	}
	return jen.Add(x.vc)
}

// N renders the null flag, or nil when the value is never NULL.
func (x value) N() *jen.Statement {
	switch {
	case x.always:
		return jen.True()
	case x.nl != nil:
		return x.nl.ref()
	case x.nc != nil:
		return jen.Add(x.nc)
	}
	return nil
}

func (x value) nullable() bool { return x.always || x.nl != nil || x.nc != nil }

// orNull renders a || b || ... over the null flags of xs; nil when none can be NULL,
// `true` when one is always NULL.
func orNull(xs ...value) *jen.Statement {
	for _, x := range xs {
		if x.always {
			// Before any x.N(): a flag read but not emitted would be a local Go
			// reports as declared and not used.
			return jen.True()
		}
	}
	var parts []jen.Code
	seen := map[any]bool{} // the same flag twice would be `aNull || aNull`, which vet rejects
	for _, x := range xs {
		var id any
		switch {
		case x.nl != nil:
			id = x.nl
		case x.nc != nil:
			id = fmt.Sprintf("%#v", x.nc)
		default:
			continue
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		parts = append(parts, x.N())
	}
	return joinOp("||", parts)
}

// joinOp renders parts joined by a binary operator; nil for no parts.
func joinOp(op string, parts []jen.Code) *jen.Statement {
	if len(parts) == 0 {
		return nil
	}
	s := jen.Add(parts[0])
	for _, p := range parts[1:] {
		s = s.Op(op).Add(p)
	}
	return s
}

// parenIfNeeded wraps compound expressions in parentheses. Jennifer statements do not
// expose their structure, so anything longer than one token is wrapped.
func parenIfNeeded(c *jen.Statement) *jen.Statement {
	if c == nil {
		return nil
	}
	if len(*c) <= 1 {
		return c
	}
	return jen.Parens(c)
}

// goType renders the Go type of a SQL type (runtimelib/types/doc.go); ok=false for types
// the code generator does not handle yet.
func goType(t ir.Type) (jen.Code, bool) {
	switch t.Kind {
	case ir.KindBoolean:
		return jen.Bool(), true
	case ir.KindTinyInt:
		return jen.Int8(), true
	case ir.KindSmallInt:
		return jen.Int16(), true
	case ir.KindInt, ir.KindDate, ir.KindTime:
		return jen.Int32(), true
	case ir.KindBigInt, ir.KindIntervalDayTime, ir.KindIntervalYearMonth:
		return jen.Int64(), true
	case ir.KindFloat:
		return jen.Float32(), true
	case ir.KindDouble:
		return jen.Float64(), true
	case ir.KindDecimal:
		return jen.Qual(pkgTypes, "Decimal"), true
	case ir.KindChar, ir.KindVarchar:
		return jen.String(), true
	case ir.KindBinary, ir.KindVarbinary:
		return jen.Index().Byte(), true
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return jen.Qual(pkgTypes, "Timestamp"), true
	case ir.KindNull:
		// An untyped NULL that reaches a typed position is rendered as a bool: it is
		// always NULL, so its value is never read.
		return jen.Bool(), true
	case ir.KindRow:
		return rowGoType(t) // row.go
	}
	return nil, false
}

// keyGoType is the Go type of a value as a key (a group key field, a COUNT(DISTINCT)
// or MIN/MAX value set's map key): []byte is not comparable, so BYTES keys are held as
// strings; FLOAT and DOUBLE keys are their bits (types.Float64Key), because Flink tells
// keys apart by their bits: -0.0 and 0.0 are two keys, NaN is one (== says otherwise).
// toKey makes a key of a value, fromKey gives it back.
func keyGoType(t ir.Type) (jen.Code, bool) {
	switch {
	case t.IsBinary():
		return jen.String(), true
	case t.Kind == ir.KindDouble:
		return jen.Uint64(), true
	case t.Kind == ir.KindFloat:
		return jen.Uint32(), true
	case t.Kind == ir.KindRow:
		return nil, false // not a key yet
	}
	return goType(t)
}

// toKey renders the key (of keyGoType) of the value v of type t.
func toKey(t ir.Type, v jen.Code) *jen.Statement {
	switch {
	case t.IsBinary():
		return jen.String().Call(v)
	case t.Kind == ir.KindDouble:
		return jen.Qual(pkgTypes, "Float64Key").Call(v)
	case t.Kind == ir.KindFloat:
		return jen.Qual(pkgTypes, "Float32Key").Call(v)
	}
	return jen.Add(v)
}

// fromKey renders the value of type t of the key k (see toKey).
func fromKey(t ir.Type, k jen.Code) *jen.Statement {
	switch {
	case t.IsBinary():
		return jen.Index().Byte().Call(k)
	case t.Kind == ir.KindDouble:
		return jen.Qual("math", "Float64frombits").Call(k)
	case t.Kind == ir.KindFloat:
		return jen.Qual("math", "Float32frombits").Call(k)
	}
	return jen.Add(k)
}

// isFloat reports a FLOAT or DOUBLE.
func isFloat(t ir.Type) bool { return t.Kind == ir.KindFloat || t.Kind == ir.KindDouble }

// keyConverted reports whether a key of type t is not the value itself (see toKey).
func keyConverted(t ir.Type) bool {
	return t.IsBinary() || isFloat(t)
}

// zero renders the Go zero value of a SQL type.
func zero(t ir.Type) jen.Code {
	switch t.Kind {
	case ir.KindBoolean, ir.KindNull:
		return jen.False()
	case ir.KindTinyInt:
		return jen.Int8().Call(jen.Lit(0))
	case ir.KindSmallInt:
		return jen.Int16().Call(jen.Lit(0))
	case ir.KindInt, ir.KindDate, ir.KindTime:
		return jen.Int32().Call(jen.Lit(0))
	case ir.KindBigInt, ir.KindIntervalDayTime, ir.KindIntervalYearMonth:
		return jen.Int64().Call(jen.Lit(0))
	case ir.KindFloat:
		return jen.Float32().Call(jen.Lit(0))
	case ir.KindDouble:
		return jen.Float64().Call(jen.Lit(0))
	case ir.KindDecimal:
		return jen.Qual(pkgTypes, "Decimal").Values()
	case ir.KindChar, ir.KindVarchar:
		return jen.Lit("")
	case ir.KindBinary, ir.KindVarbinary:
		return jen.Index().Byte().Call(jen.Nil())
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return jen.Qual(pkgTypes, "Timestamp").Values()
	case ir.KindRow:
		if gt, ok := goType(t); ok {
			return jen.Add(gt).Values()
		}
	}
	return jen.Nil()
}

// comparable reports whether Go's == works on the Go type of t.
func comparableType(t ir.Type) bool { return !t.IsBinary() }

// sinkCall renders the typed stream.Sink call that writes v (not NULL) of type t into
// a column with the given declared scale (DECIMAL).
func sinkCall(sink jen.Code, v jen.Code, t ir.Type, colScale int) (jen.Code, bool) {
	s := jen.Add(sink)
	switch t.Kind {
	case ir.KindBoolean:
		return s.Dot("Bool").Call(v), true
	case ir.KindTinyInt, ir.KindSmallInt, ir.KindInt, ir.KindIntervalYearMonth:
		return s.Dot("Int64").Call(jen.Int64().Call(v)), true
	case ir.KindBigInt, ir.KindIntervalDayTime:
		return s.Dot("Int64").Call(v), true
	case ir.KindFloat:
		return s.Dot("Float64").Call(jen.Float64().Call(v)), true
	case ir.KindDouble:
		return s.Dot("Float64").Call(v), true
	case ir.KindDecimal:
		return s.Dot("Decimal").Call(v, jen.Lit(colScale)), true
	case ir.KindChar, ir.KindVarchar:
		return s.Dot("String").Call(v), true
	case ir.KindBinary, ir.KindVarbinary:
		return s.Dot("Bytes").Call(v), true
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return s.Dot("Timestamp").Call(v), true
	case ir.KindDate:
		return s.Dot("Date").Call(v), true
	case ir.KindTime:
		return s.Dot("Time").Call(v), true
	}
	return nil, false
}

// kv renders `Key: value` for a struct literal.
func kv(key string, v jen.Code) jen.Code { return jen.Id(key).Op(":").Add(v) }

// composite renders a composite literal body {a, b, c} with the items in the given order,
// one per line when multi is set (jen.Dict would sort the keys).
func composite(multi bool, items ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: multi}, items...)
}
