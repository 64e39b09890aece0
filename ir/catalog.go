package ir

import "github.com/sqlc-stream/sqlc-stream/diag"

// Catalog holds everything a script declares, in declaration order.
type Catalog struct {
	Tables    []*Table
	Views     []*View
	Functions []*Function
	// Settings are the SET 'k' = 'v' statements, later ones winning.
	Settings []Option
}

// ColumnKind says how a table column gets its value.
type ColumnKind int

const (
	Physical ColumnKind = iota // read from the connector's format
	Computed                   // c AS expr, evaluated after the scan
	Metadata                   // c TYPE METADATA [FROM 'key'] [VIRTUAL]
)

// Column is one column of a table.
type Column struct {
	Name        string
	Type        Type
	Kind        ColumnKind
	Expr        Expr   // Computed: bound over the table's physical and metadata columns
	MetadataKey string // Metadata: the connector's metadata key ("offset", "timestamp", ...)
	Virtual     bool   // Metadata: read-only, not written by a sink
	Span        diag.Span
}

// Option is a connector option, with where it was written for error messages.
type Option struct {
	Key, Value string
	KeySpan    diag.Span
	ValueSpan  diag.Span
}

// Table is a CREATE TABLE.
type Table struct {
	Name       string
	Columns    []*Column
	PrimaryKey []int // indexes into Columns; empty if none
	Watermark  *Watermark
	// Options as written, in order. Connector is the normalized connector identifier
	// ("filesystem", "kafka", "jdbc", "print", ...), whichever option key spelled it.
	Options   []Option
	Connector string
	Temporary bool
	Span      diag.Span
	Source    *diag.Source
}

// Watermark is WATERMARK FOR Column AS Expr.
type Watermark struct {
	Column int  // index into Table.Columns (the rowtime column)
	Expr   Expr // bound over the table's columns
}

// Column returns the index of the column named name, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Option returns the value of the first option whose key is one of keys.
func (t *Table) Option(keys ...string) (string, bool) {
	for _, k := range keys {
		for _, o := range t.Options {
			if o.Key == k {
				return o.Value, true
			}
		}
	}
	return "", false
}

// View is a CREATE VIEW; its query is bound (and inlined) where the view is used.
type View struct {
	Name    string
	Columns []Field
	Span    diag.Span
}

// Function is a user-defined function declared with CREATE FUNCTION ... LANGUAGE GO
// (or registered through the Table API), resolved against its Go declaration.
type Function struct {
	Name       string // SQL name, as declared
	ImportPath string // "example.com/cdn/udf"
	GoName     string // "IPToProvince"
	Params     []Param
	Variadic   bool // the last Param is a ...T parameter
	Result     Type
	ResultGo   string // Go result type as written, e.g. "string", "*int64"
	// ResultPointer: the function returns *T, nil meaning SQL NULL.
	ResultPointer bool
	// ReturnsError: the last Go result is an error, which fails the job (by default).
	ReturnsError bool
	// Deterministic calls on constants may be folded at compile time.
	Deterministic bool
	Span          diag.Span
}

// Param is one parameter of a Go UDF.
type Param struct {
	Name    string
	Type    Type   // the SQL type it accepts
	GoType  string // as written: "string", "*int64", "time.Time"
	Pointer bool   // *T parameters accept NULL (nil); others make the call NULL-in, NULL-out
}
