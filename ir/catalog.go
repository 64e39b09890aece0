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
	// Define is the compiler flag that set the option ("-D t.connector=print"), not
	// the text; its spans are then the table's.
	Define string
}

// Table is a CREATE TABLE.
type Table struct {
	Name       string
	Columns    []*Column
	PrimaryKey []int // indexes into Columns; empty if none
	// PartitionKeys are the PARTITIONED BY columns (indexes into Columns, in their
	// order): a filesystem sink writes a directory per partition.
	PartitionKeys []int
	Watermark     *Watermark
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
//
// A function is either a plain Go func (Receiver == "") or a Go type whose methods
// implement it, as a Flink function class does: Eval methods for scalar and table
// functions (several Eval* methods are overloads), Accumulate/GetValue/... for aggregate
// functions, and optional Open/Close hooks. Generated code holds one value of the type
// per parallel instance of the job (as Flink has one function instance per subtask),
// so the type need not be safe for concurrent use.
//
// Params, Result and the fields up to ReturnsError describe one callable signature: the
// func itself, or the method named by Method. A function with several signatures lists
// the others in Overloads (each complete, sharing Name, Receiver and the policy
// fields); the binder picks one per call and the bound UDFCall points at it.
type Function struct {
	Name       string // SQL name, as declared
	Kind       FunctionKind
	ImportPath string // "example.com/cdn/udf"
	GoName     string // "IPToProvince": the func, or the type when Receiver is set
	// Receiver is the Go type implementing the function ("GeoDB"; equal to GoName) and
	// Method the method this signature calls ("Eval", "EvalInt"); both empty for a
	// plain func. Pointer receivers: ReceiverPointer.
	Receiver        string
	ReceiverPointer bool
	Method          string
	Params          []Param
	Variadic        bool // the last Param is a ...T parameter
	Result          Type
	ResultGo        string // Go result type as written, e.g. "string", "*int64"
	// ResultPointer: the function returns *T, nil meaning SQL NULL.
	ResultPointer bool
	// ReturnsError: the last Go result is an error, which fails the job (by default).
	ReturnsError bool
	// Overloads are the function's other signatures (see above); nil for one.
	Overloads []*Function
	// HasOpen: the receiver has Open(ctx context.Context) error, called once per
	// instance before the first row; HasClose: Close() error, called at job end.
	HasOpen, HasClose bool
	// Deterministic calls on constants may be folded at compile time. False when the
	// Go declaration carries //sqlcstream:nondeterministic or WITH ('deterministic' =
	// 'false') says so.
	Deterministic bool
	// Vectorized: the function takes a slice per parameter and returns a slice of
	// results, and is called once per batch (the counterpart of PyFlink's pandas UDFs).
	// Set by //sqlcstream:vectorized or WITH ('vectorized' = 'true').
	Vectorized bool
	// OnError is what a failed call (a returned error or a panic) does; DeadLetter names
	// the table that ErrorDeadLetter routes the failed rows to.
	OnError    ErrorPolicy
	DeadLetter string
	// Options are the WITH options of the CREATE FUNCTION, as written.
	Options []Option
	// Table functions: the columns of each row the function yields (a struct's exported
	// fields in order, or one column f0 for a scalar element type).
	TableColumns []Field
	// Table functions: how the Go function yields its rows (see TableInfo).
	Table *TableInfo
	// Aggregate functions: the accumulator and the methods the type has.
	Agg  *AggregateInfo
	Span diag.Span
}

// FunctionKind is what a user-defined function computes, as Flink's
// ScalarFunction, TableFunction and AggregateFunction.
type FunctionKind uint8

const (
	ScalarFunction    FunctionKind = iota // one value per call
	TableFunction                         // zero or more rows per call: LATERAL TABLE(f(x))
	AggregateFunction                     // one value per group, wherever built-in aggregates go
)

func (k FunctionKind) String() string {
	switch k {
	case TableFunction:
		return "table function"
	case AggregateFunction:
		return "aggregate function"
	}
	return "scalar function"
}

// ErrorPolicy is what a failed UDF call does. Every failure is counted.
type ErrorPolicy uint8

const (
	ErrorFail       ErrorPolicy = iota // fail the job with the SQL position and the row (default)
	ErrorNull                          // the call's result is NULL (a table function yields no rows)
	ErrorDeadLetter                    // the input row goes to the dead-letter table and is dropped
)

func (p ErrorPolicy) String() string {
	switch p {
	case ErrorNull:
		return "null"
	case ErrorDeadLetter:
		return "dead-letter"
	}
	return "fail"
}

// AggregateInfo describes a Go aggregate function type: its accumulator type and which
// of Flink's AggregateFunction methods it has. Filled by the resolver.
type AggregateInfo struct {
	AccGo      string // the accumulator's Go type as written, e.g. "*udf.WeightedAvgAcc"
	HasRetract bool   // Retract(acc, args...): needed over updating input
	HasMerge   bool   // Merge(acc, other): needed for two-phase (local-global) aggregation
	// AccImportPath and AccName name the accumulator's type when it is a named type
	// (AccPointer: a pointer to one), so generated code can declare it; both empty when
	// the accumulator is built from predeclared types only (AccGo is then valid Go).
	AccImportPath string
	AccName       string
	AccPointer    bool
	// ValueAcc: the accumulator is a value; Accumulate, Retract and Merge return the new
	// one (acc = f.Accumulate(acc, x)). Otherwise they mutate it and return nothing.
	ValueAcc bool
	// State is how generated code saves an accumulator (a value of AccGo) in a snapshot
	// and reads it back; the resolver rejects an accumulator that has none.
	State *StateCodec
}

// Param is one parameter of a Go UDF.
type Param struct {
	Name    string
	Type    Type   // the SQL type it accepts
	GoType  string // as written: "string", "*int64", "time.Time"
	Pointer bool   // *T parameters accept NULL (nil); others make the call NULL-in, NULL-out
}
