package ir

import (
	"fmt"
	"strings"
)

// Kind is a Flink logical type root.
type Kind int

const (
	KindNull Kind = iota // the type of an untyped NULL literal
	KindBoolean
	KindTinyInt
	KindSmallInt
	KindInt
	KindBigInt
	KindFloat
	KindDouble
	KindDecimal
	KindChar
	KindVarchar // STRING is VARCHAR(2147483647)
	KindBinary
	KindVarbinary // BYTES is VARBINARY(2147483647)
	KindDate
	KindTime
	KindTimestamp
	KindTimestampLTZ
	KindIntervalDayTime   // INTERVAL DAY TO SECOND, millisecond precision
	KindIntervalYearMonth // INTERVAL YEAR TO MONTH, months
	KindRow
	KindArray
	KindMap
	KindMultiset
)

// MaxLength is the length of STRING and BYTES.
const MaxLength = 2147483647

// Type is a Flink logical type with its nullability.
type Type struct {
	Kind     Kind
	Nullable bool
	// Precision: DECIMAL p (1..38), TIME/TIMESTAMP/TIMESTAMP_LTZ fractional digits (0..9).
	Precision int
	Scale     int // DECIMAL s
	Length    int // CHAR/VARCHAR/BINARY/VARBINARY n
	Fields    []Field
	Elem      *Type // ARRAY/MULTISET element, MAP key
	Value     *Type // MAP value
	// TimeAttr marks a TIMESTAMP or TIMESTAMP_LTZ column as a time attribute (Flink's
	// TimestampKind): the rowtime column of a table with a WATERMARK, read through
	// the table's WatermarkAssigner. InputRefs and projections keep it; an expression
	// computing on the column materializes it (TimeNone). Equal ignores it, as
	// Flink's TimestampType.equals does; String prints it.
	TimeAttr TimeAttribute
}

// TimeAttribute is the time attribute kind of a timestamp type.
type TimeAttribute uint8

const (
	TimeNone     TimeAttribute = iota // a regular value
	TimeRowtime                       // event time: the rowtime column of a watermarked table
	TimeProctime                      // processing time (PROCTIME(); not bound yet)
)

// Materialized returns t without its time attribute: what an expression over a time
// attribute computes is a plain timestamp.
func (t Type) Materialized() Type { t.TimeAttr = TimeNone; return t }

// WithTimeAttr returns t marked as time attribute a.
func (t Type) WithTimeAttr(a TimeAttribute) Type { t.TimeAttr = a; return t }

// Field is a named field of a ROW type (and of an operator's output schema).
type Field struct {
	Name string
	Type Type
}

// Constructors for the common types; all nullable, as in Flink DDL without NOT NULL.
func Boolean() Type           { return Type{Kind: KindBoolean, Nullable: true} }
func BigInt() Type            { return Type{Kind: KindBigInt, Nullable: true} }
func Int() Type               { return Type{Kind: KindInt, Nullable: true} }
func Double() Type            { return Type{Kind: KindDouble, Nullable: true} }
func String() Type            { return Type{Kind: KindVarchar, Length: MaxLength, Nullable: true} }
func Bytes() Type             { return Type{Kind: KindVarbinary, Length: MaxLength, Nullable: true} }
func Decimal(p, s int) Type   { return Type{Kind: KindDecimal, Precision: p, Scale: s, Nullable: true} }
func Timestamp(p int) Type    { return Type{Kind: KindTimestamp, Precision: p, Nullable: true} }
func TimestampLTZ(p int) Type { return Type{Kind: KindTimestampLTZ, Precision: p, Nullable: true} }

// NotNull returns t without nullability; WithNull returns it nullable.
func (t Type) NotNull() Type  { t.Nullable = false; return t }
func (t Type) WithNull() Type { t.Nullable = true; return t }

// IsNumeric reports TINYINT..DECIMAL.
func (t Type) IsNumeric() bool { return t.Kind >= KindTinyInt && t.Kind <= KindDecimal }

// IsInteger reports TINYINT, SMALLINT, INT, BIGINT.
func (t Type) IsInteger() bool { return t.Kind >= KindTinyInt && t.Kind <= KindBigInt }

// IsString reports CHAR and VARCHAR.
func (t Type) IsString() bool { return t.Kind == KindChar || t.Kind == KindVarchar }

// IsBinary reports BINARY and VARBINARY.
func (t Type) IsBinary() bool { return t.Kind == KindBinary || t.Kind == KindVarbinary }

// Equal reports whether two types are identical, nullability included and time
// attributes not (Flink's TimestampType.equals: a rowtime column can be cast, united
// and written as the timestamp it holds).
func (t Type) Equal(u Type) bool { return t.Materialized().String() == u.Materialized().String() }

// String renders the type as Flink prints it: "BIGINT", "VARCHAR(10) NOT NULL",
// "STRING", "DECIMAL(38, 18)", "TIMESTAMP(3)", "ROW<`a` INT, `b` STRING>", and a time
// attribute as Flink's summary string does: "TIMESTAMP(3) *ROWTIME*",
// "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*".
func (t Type) String() string {
	var s string
	switch t.Kind {
	case KindNull:
		s = "NULL"
	case KindBoolean:
		s = "BOOLEAN"
	case KindTinyInt:
		s = "TINYINT"
	case KindSmallInt:
		s = "SMALLINT"
	case KindInt:
		s = "INT"
	case KindBigInt:
		s = "BIGINT"
	case KindFloat:
		s = "FLOAT"
	case KindDouble:
		s = "DOUBLE"
	case KindDecimal:
		s = fmt.Sprintf("DECIMAL(%d, %d)", t.Precision, t.Scale)
	case KindChar:
		s = fmt.Sprintf("CHAR(%d)", t.Length)
	case KindVarchar:
		if t.Length == MaxLength {
			s = "STRING"
		} else {
			s = fmt.Sprintf("VARCHAR(%d)", t.Length)
		}
	case KindBinary:
		s = fmt.Sprintf("BINARY(%d)", t.Length)
	case KindVarbinary:
		if t.Length == MaxLength {
			s = "BYTES"
		} else {
			s = fmt.Sprintf("VARBINARY(%d)", t.Length)
		}
	case KindDate:
		s = "DATE"
	case KindTime:
		s = fmt.Sprintf("TIME(%d)", t.Precision)
	case KindTimestamp:
		s = fmt.Sprintf("TIMESTAMP(%d)", t.Precision)
	case KindTimestampLTZ:
		s = fmt.Sprintf("TIMESTAMP_LTZ(%d)", t.Precision)
	case KindIntervalDayTime:
		s = "INTERVAL SECOND(3)"
	case KindIntervalYearMonth:
		s = "INTERVAL MONTH"
	case KindRow:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = "`" + f.Name + "` " + f.Type.String()
		}
		s = "ROW<" + strings.Join(parts, ", ") + ">"
	case KindArray:
		s = "ARRAY<" + t.Elem.String() + ">"
	case KindMultiset:
		s = "MULTISET<" + t.Elem.String() + ">"
	case KindMap:
		s = "MAP<" + t.Elem.String() + ", " + t.Value.String() + ">"
	default:
		s = fmt.Sprintf("Kind(%d)", int(t.Kind))
	}
	if !t.Nullable && t.Kind != KindNull {
		s += " NOT NULL"
	}
	switch t.TimeAttr {
	case TimeRowtime:
		s += " *ROWTIME*"
	case TimeProctime:
		s += " *PROCTIME*"
	}
	return s
}
