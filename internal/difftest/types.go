package difftest

import (
	"fmt"
	"math/big"
)

// Kind is a Flink logical type root, as far as the tester generates it.
type Kind int

// The kinds, in the order of Flink's numeric precedence where that matters.
const (
	Boolean Kind = iota
	TinyInt
	SmallInt
	Int
	BigInt
	Decimal
	Float
	Double
	Char
	VarChar
	Binary
	VarBinary
	Date
	Time
	Timestamp
	TimestampLTZ
	Null // the type of a bare NULL literal
)

// Type is a Flink logical type: P is the length of CHAR/VARCHAR/BINARY/VARBINARY, the
// precision of DECIMAL, TIME and TIMESTAMP; S is the scale of DECIMAL.
type Type struct {
	Kind     Kind
	P, S     int
	Nullable bool
}

// MaxLen is the length of STRING and BYTES.
const MaxLen = 2147483647

var (
	tBool    = Type{Kind: Boolean}
	tTiny    = Type{Kind: TinyInt}
	tSmall   = Type{Kind: SmallInt}
	tInt     = Type{Kind: Int}
	tBig     = Type{Kind: BigInt}
	tFloat   = Type{Kind: Float}
	tDouble  = Type{Kind: Double}
	tString  = Type{Kind: VarChar, P: MaxLen}
	tBytes   = Type{Kind: VarBinary, P: MaxLen}
	tDate    = Type{Kind: Date}
	tNullTyp = Type{Kind: Null, Nullable: true}
)

func tDec(p, s int) Type        { return Type{Kind: Decimal, P: p, S: s} }
func tTime(p int) Type          { return Type{Kind: Time, P: p} }
func tTimestamp(p int) Type     { return Type{Kind: Timestamp, P: p} }
func tLTZ(p int) Type           { return Type{Kind: TimestampLTZ, P: p} }
func (t Type) null(n bool) Type { t.Nullable = n; return t }

// orNull makes t nullable when any of ts is.
func (t Type) orNull(ts ...Type) Type {
	for _, o := range ts {
		if o.Nullable {
			t.Nullable = true
		}
	}
	return t
}

func (k Kind) isInteger() bool   { return k >= TinyInt && k <= BigInt }
func (k Kind) isExact() bool     { return k >= TinyInt && k <= Decimal }
func (k Kind) isNumeric() bool   { return k >= TinyInt && k <= Double }
func (k Kind) isApprox() bool    { return k == Float || k == Double }
func (k Kind) isString() bool    { return k == Char || k == VarChar }
func (k Kind) isBinary() bool    { return k == Binary || k == VarBinary }
func (k Kind) isTimestamp() bool { return k == Timestamp || k == TimestampLTZ }

// intBits is the width of an integer kind.
func (k Kind) intBits() uint {
	switch k {
	case TinyInt:
		return 8
	case SmallInt:
		return 16
	case Int:
		return 32
	}
	return 64
}

// decimalOf is the DECIMAL an exact type counts as in DECIMAL arithmetic.
func decimalOf(t Type) Type {
	switch t.Kind {
	case TinyInt:
		return tDec(3, 0)
	case SmallInt:
		return tDec(5, 0)
	case Int:
		return tDec(10, 0)
	case BigInt:
		return tDec(19, 0)
	}
	return t
}

// SQL is the type as DDL and CAST write it.
func (t Type) SQL() string {
	s := ""
	switch t.Kind {
	case Boolean:
		s = "BOOLEAN"
	case TinyInt:
		s = "TINYINT"
	case SmallInt:
		s = "SMALLINT"
	case Int:
		s = "INT"
	case BigInt:
		s = "BIGINT"
	case Decimal:
		s = fmt.Sprintf("DECIMAL(%d, %d)", t.P, t.S)
	case Float:
		s = "FLOAT"
	case Double:
		s = "DOUBLE"
	case Char:
		s = fmt.Sprintf("CHAR(%d)", t.P)
	case VarChar:
		if t.P == MaxLen {
			s = "STRING"
		} else {
			s = fmt.Sprintf("VARCHAR(%d)", t.P)
		}
	case Binary:
		s = fmt.Sprintf("BINARY(%d)", t.P)
	case VarBinary:
		if t.P == MaxLen {
			s = "BYTES"
		} else {
			s = fmt.Sprintf("VARBINARY(%d)", t.P)
		}
	case Date:
		s = "DATE"
	case Time:
		s = fmt.Sprintf("TIME(%d)", t.P)
	case Timestamp:
		s = fmt.Sprintf("TIMESTAMP(%d)", t.P)
	case TimestampLTZ:
		s = fmt.Sprintf("TIMESTAMP_LTZ(%d)", t.P)
	case Null:
		s = "NULL"
	}
	return s
}

func (t Type) String() string {
	if !t.Nullable {
		return t.SQL() + " NOT NULL"
	}
	return t.SQL()
}

// Value is one SQL value of a statically known Type (the evaluator always knows it).
type Value struct {
	Null bool
	I    int64    // BOOLEAN (0/1), integers, DATE (days), TIME (millis of day), TIMESTAMP millis
	N    int32    // TIMESTAMP: nanoseconds within the millisecond
	F    float64  // FLOAT (a float32 value) and DOUBLE
	D    *big.Int // DECIMAL: the unscaled value
	S    string   // CHAR, VARCHAR, BINARY, VARBINARY
}

var nullValue = Value{Null: true}

func boolValue(b bool) Value {
	if b {
		return Value{I: 1}
	}
	return Value{}
}
