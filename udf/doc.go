// Package udf resolves Go user-defined functions declared in SQL with
//
//	CREATE FUNCTION ip_to_province AS 'example.com/cdn/udf.IPToProvince' LANGUAGE GO
//
// The class string is split at its last '.' into an import path and a function name.
// A Resolver loads the package with golang.org/x/tools/go/packages from the directory of
// the SQL file, so that directory's go.mod decides what the import path means (a
// package of the user's own module, or a dependency it requires); each import path is
// loaded and type-checked once. What is loaded is kept in a persistent cache keyed by
// the package's sources (cache.go; SQLC_STREAM_CACHE=off turns it off).
//
// The function must be an exported, non-generic, package-level func. Its signature maps
// to SQL types:
//
//	Go           SQL
//	string       STRING
//	int64        BIGINT
//	int32        INT
//	int16        SMALLINT
//	int8         TINYINT
//	float64      DOUBLE
//	float32      FLOAT
//	bool         BOOLEAN
//	[]byte       BYTES
//	time.Time    TIMESTAMP(9) (nanoseconds; the wall clock of the value, read in UTC)
//
// A plain parameter is NOT NULL: generated code does not call the function when such an
// argument is NULL and yields NULL instead. A pointer parameter (*string, *int64, ...)
// accepts NULL as nil. A pointer result is nullable (nil is NULL); a plain result is
// NOT NULL. A final variadic parameter ...T takes any number of T arguments (its
// ir.Param has GoType "...T" and the SQL type of T). The function may return
// (T, error): a non-nil error fails the job with a message naming the function and its
// SQL position. Any other result shape, and any other Go type
// (int, uint64, named types, structs, maps, ...), is rejected with a message naming the
// type. Resolved functions are assumed deterministic, as Flink assumes of UDFs.
//
// Table functions (tablefunc.go; Flink's TableFunction): a func, or a type's Eval
// methods, returning []Row, ([]Row, error), iter.Seq[Row] or (iter.Seq[Row], error). Row
// is a named struct (or a pointer to one; a nil element is skipped) whose exported fields
// are the columns in order, named by a `sql:"name"` tag or else the field name (`sql:"-"`
// skips a field), typed as parameters are (a pointer field is a nullable column); or a
// scalar type of the table above, one column named f0. The resolver sets Kind =
// ir.TableFunction, TableColumns and Table (ir.TableInfo: slice or iter.Seq, the row
// type's package and name, the Go field of each column).
//
// Aggregate functions (aggregate.go; Flink's AggregateFunction): a type with
// CreateAccumulator() ACC, Accumulate(acc ACC, args...) [ACC], GetValue(acc ACC) R (or
// (R, error)), optional Retract and Merge(acc, other ACC) [ACC] of Accumulate's form, and
// Open/Close. Accumulate's parameters after acc map as scalar parameters and R as a
// scalar result. A pointer or map ACC is mutated (the methods return nothing); any other
// ACC is returned updated (ValueAcc). The resolver sets Kind = ir.AggregateFunction,
// Receiver, Method "Accumulate" and Agg (ir.AggregateInfo: the accumulator's Go type and
// package, HasRetract, HasMerge, and State: how generated code saves an accumulator in
// a snapshot, see accstate.go; an accumulator that cannot be saved is an error naming
// the field). runtimelib/aggfunc documents the shape for users.
//
// Errors are plain errors; ir.Bind positions them at the class string of CREATE FUNCTION.
package udf
