// Package ir is the typed logical plan of a job: the catalog a script declares, bound
// expressions, relational operators with their changelog modes, and Bind, which turns a
// parsed script (package parser) into a Plan. The optimizer rewrites a Plan and cuts it
// into pipelines (a Program); codegen turns a Program into Go.
//
// # Binding
//
// Bind walks the statements in order. CREATE TABLE, CREATE VIEW and CREATE FUNCTION fill
// the Catalog; SET appends to Catalog.Settings; every INSERT INTO (also inside a
// statement set) becomes one Sink. Errors are positioned diagnostics, collected one per
// statement (and one per bad option of a WITH clause) into a diag.List. Constructs we do
// not compile yet (joins other than with a table function, window TVFs, OVER, set
// operations, VALUES, WITH, ORDER BY, LIMIT, subquery expressions, EXPLAIN, a bare
// SELECT, INSERT OVERWRITE, CREATE TABLE LIKE, OPTIONS hints, ...) are reported as
// "<construct> is not supported yet" at their position; Bind never panics on user input.
//
// Names follow Flink: table, view and column names are case-sensitive; function names
// (built-in and CREATE FUNCTION) are not. A table may be named t,
// default_database.t or default_catalog.default_database.t. Messages name tables as
// Flink does (default_catalog.default_database.t) where Flink's message does.
//
// Tables. Columns keep table order. Computed columns (c AS expr) are bound over the
// table's physical and metadata columns, numbered in table order with computed columns
// skipped (the row a Scan of all stored columns produces); they cannot read each other.
// PRIMARY KEY must be NOT ENFORCED (Flink's rule and message) and makes its columns NOT
// NULL. The WATERMARK expression is bound over all columns (computed ones included) and
// must return the rowtime column's type, which must be TIMESTAMP(p) or TIMESTAMP_LTZ(p)
// with p <= 3. WITH options are validated by runtimelib/options.Resolve; each problem is
// reported at the option key as written, a missing option at the WITH clause;
// Table.Connector is the resolved connector. DDL type defaults: VARCHAR and VARBINARY
// without a length are STRING and BYTES (as in Flink SQL DDL), CHAR and BINARY have
// length 1, DECIMAL is DECIMAL(10, 0), TIME is TIME(0), TIMESTAMP and TIMESTAMP_LTZ
// have precision 6.
//
// Views are kept as their AST. A view is bound once when created, so errors point at
// its definition, and bound again wherever it is read: its operators are inlined into
// each query. A column list renames the view's columns.
//
// Functions. CREATE FUNCTION f AS 'import/path.Func' [LANGUAGE GO] splits the class at
// its last '.' and asks BindOptions.Resolver (package udf) for the Go declaration; the
// resolver's error is positioned at the class string. LANGUAGE JAVA, SCALA or PYTHON is
// an error; a missing LANGUAGE means GO. A function may not shadow a built-in unless
// declared TEMPORARY SYSTEM.
//
// # Operators
//
// Every operator has an output Schema (names and types), a ChangelogMode and, where
// known, a UniqueKey. A query binds bottom-up into this shape, kept simple and
// unoptimized (the optimizer merges Calcs, prunes columns and deduplicates aggregates):
//
//	Sink                        INSERT INTO: writes the table's physical columns
//	└ Calc                      implicit casts to the column types, NULL for unlisted columns
//	  └ Calc                    HAVING and the select list (aggregate queries)
//	    └ Aggregate             GROUP BY (group columns first, then the aggregates)
//	      └ Calc                WHERE and the group keys and aggregate arguments
//	        └ WatermarkAssigner only if the table has a WATERMARK
//	          └ Calc            computed columns (only if the table has any)
//	            └ Scan          every physical and metadata column, in table order
//
// A query without aggregates has a single Calc (WHERE and the select list) where the
// aggregate query has three. A subquery or view in FROM contributes its own operators.
//
// Scan reads the table through its connector and emits Columns (indexes into
// Table.Columns) in that order; with Paths (set by the optimizer's PruneNestedFields)
// a column may be a nested field of a ROW column instead (bid.price: column bid, path
// [2]), named by its path and nullable when a ROW on it is. It is insert-only.
//
// Calc evaluates, for each input row, Lets in order (common subexpressions, read by
// LocalRef), drops the row unless Cond is TRUE (NULL drops it), and emits Exprs named by
// Names. Its changelog mode is its input's; it keeps the input's unique key when every
// key column is passed through by an InputRef.
//
// Aggregate is a non-window GROUP BY. Its output is the group
// columns (GroupBy, input column indexes) followed by one column per AggCall. It emits
// +I for the first result of a key and -U/+U when the result changes, so its mode is
// [I,UB,UA] and its unique key is the group columns. GROUP BY expressions are computed
// by the Calc below. Without GROUP BY (an aggregate select list, or HAVING alone) it is
// a global aggregate with one result row. SELECT DISTINCT is an Aggregate grouping by
// every column of the select list, without AggCalls. Over an updating input (another
// Aggregate's result) it retracts, as Flink's GroupAggFunction does: -U/-D rows retract,
// a group whose rows are all retracted is deleted (-D), so its mode is [I,UB,UA,D]; a Go
// aggregate function there must have Retract (a positioned error otherwise).
//
// An Aggregate with a Window (window.go) is a window aggregate (Flink's WindowAggregate,
// printed so): from a window TVF, FROM TABLE(TUMBLE|HOP|CUMULATE(TABLE t,
// DESCRIPTOR(ts), ...)) grouped by window_start and window_end (bind_window.go binds the
// TVF to its input with three more columns in scope, which only such a GROUP BY may
// read), or from a legacy group window GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size)
// with TUMBLE_START/END/ROWTIME. The group positions Window.Start, End and Time read the
// time column and output window_start, window_end and window_time; the other group
// columns are its keys. It accepts an append-only input and emits [I]: each window once,
// when the watermark passes its end (docs/windows.md).
//
// Union is UNION ALL: every row of every branch (Branches, in the order written). The
// binder converts each branch to the common type of each column (Flink's
// leastRestrictive, nullable if any branch's column is) with a Calc where a branch
// differs, if only in nullability; names are the first branch's. Its mode is the union
// of its branches' modes and it has no unique key. UNION without ALL is a SELECT DISTINCT
// Aggregate over a Union; a DISTINCT (an Aggregate without AggCalls) that is a branch of
// a Union below another DISTINCT is dropped (a UNION b UNION c is one DISTINCT over a
// three-way Union). The optimizer pushes every Calc above a
// Union into its branches and flattens nested Unions, so a Union sits directly below a
// Sink or an Aggregate; each branch is then a pipeline of its own into that consumer
// (Pipeline.Union names the Union).
//
// Correlate is a join with a table function (Flink's LogicalCorrelate), bound from
// FROM s, LATERAL TABLE(f(x)) [AS t(a, b)], FROM s CROSS JOIN LATERAL TABLE(...), FROM s
// [INNER] JOIN LATERAL TABLE(...) ON cond and FROM s LEFT JOIN LATERAL TABLE(...) ON
// TRUE. Call is the UDFCall of the table function (Function.Kind TableFunction), its
// arguments bound over the input row (the left side of the join). For each input row
// the function is called once; every row it yields is emitted as the input columns
// followed by the function's columns (Function.TableColumns, renamed by the alias list,
// whose length must match; without one the columns keep the function's names and the
// function's name qualifies them). With Left (LEFT JOIN) an input row for which the
// function yields no row is emitted once with NULL function columns, which are therefore
// nullable. An inner join's ON condition other than TRUE is a filtering Calc above the
// Correlate; a LEFT JOIN accepts only ON TRUE (Flink's message: "Predicate for lateral
// left outer join with table function can only be empty or literal true."). RIGHT and
// FULL joins, USING, and UNNEST are errors. A NULL argument for a non-pointer parameter
// yields no rows without calling the function. The input must be insert-only; the
// Correlate is insert-only and has no unique key. A table function called as a scalar,
// or a scalar function in LATERAL TABLE, is an error at the call. The optimizer pushes
// filters on input columns below a Correlate and prunes the input's columns (never the
// function's); a Correlate does not break pipelines (Pipeline.Steps lists it in order
// with the Calcs), and codegen loops over the function's rows inside the fused loop.
//
// WatermarkAssigner (Flink's LogicalWatermarkAssigner) sits directly above the Scan and
// computed-columns Calc of a table with WATERMARK FOR col AS expr: RowtimeIndex is col
// in the table's row and Expr the watermark strategy over that row. It passes every row
// through unchanged (its mode and unique key are its input's), marks col as a rowtime
// attribute, and dumps as Flink's EXPLAIN prints it:
// WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND]).
//
// Sink writes its input to Table. The input delivers exactly the table's physical
// columns in table order (Sink.Columns lists their Table.Columns indexes: the identity when
// the table has only physical columns), so codegen never converts at
// the sink: the final Calc casts each query column to its column type with the implicit
// casts Flink allows (DECIMAL(38, 18) into DOUBLE, INT into BIGINT, ...), and fills
// columns missing from an INSERT column list with typed NULLs. Two differences remain
// possible: a NOT NULL value fills a nullable column as it is (no cast), and a nullable
// value written into a NOT NULL column is a Cast to the NOT NULL type, which fails the
// job when the value is NULL (Flink's table.exec.sink.not-null-enforcer=ERROR).
// Writable metadata columns are not supported yet.
//
// # Traversal
//
// Operators and expressions own their traversal. Node.Inputs/WithInputs are an
// operator's children (a Union has any number, a Scan none; the interface and every
// helper take n inputs), Node.Expressions/WithExpressions the expressions it holds, in
// fixed slots (Calc: Lets, Cond, Exprs; Aggregate: per AggCall Arg, Filter, Args;
// Correlate: the call's arguments; WatermarkAssigner: Expr). Children/WithChildren are
// an expression's subexpressions. On them: Transform and TransformPlan (bottom-up
// operator rewrite, a shared node rewritten once, failing with an error on a nil
// operator or a sink rewritten into something else), Walk/WalkFrom (every operator
// once, inputs first), MapExprs and VisitExprs (an operator's expressions), WalkExpr,
// RewriteExpr (bottom-up, on fresh copies), ReplaceExpr (top-down, first match) and
// ExprKey (structural identity). Every walk of the binder, the optimizer and codegen
// goes through them; a new operator or expression type is added in this package and
// the compiler asks for its methods (traverse_test.go checks the type lists).
//
// # Changelog rules
//
// Each operator says what it emits (Changelog) and what it can consume
// (AcceptsChangelog, checked for each input by the binder and by the optimizer's Check).
// Flink's names: [I] insert-only, [I,UB,UA] updating, [I,UB,UA,D] retracting.
// Scan is [I]; Calc, Union, Correlate and WatermarkAssigner keep their input's mode;
// Aggregate is [I,UB,UA] ([I,UB,UA,D] over an updating input); Sink consumes its
// input's mode. Correlate accepts only [I]. An updating input (anything but [I]) into
// a kafka, filesystem or other append-only connector is an error with Flink's message: "Table sink
// 'default_catalog.default_database.t' doesn't support consuming update changes which
// is produced by node GroupAggregate(groupBy=[...], select=[...])". print and blackhole
// consume every row kind. jdbc and upsert-kafka are upsert sinks: Sink.UpsertKey is the
// table's PRIMARY KEY (for jdbc also with insert-only input, as Flink's JDBC sink then
// upserts), or, for an updating input into a jdbc table without one, the query's unique
// key mapped to table columns (Flink 1.10's JDBC behaviour); no key at all is an error.
// upsert-kafka requires a PRIMARY KEY. UpsertKey holds Table.Columns indexes. As in
// Flink, print and blackhole tables can only be written and datagen tables only read;
// reading an upsert-kafka table (a changelog source) is not supported yet.
//
// # Expressions
//
// InputRef reads a column of the operator's input row; LocalRef a Calc.Let; Literal is
// a constant (see Literal for how each type holds its value); FieldAccess reads a field
// of a ROW (person.id; nullable when the row is); Cast converts (TRY_CAST yields NULL on
// failure, CAST fails the job; a Cast only to NOT NULL is the not-null check); Case is a
// searched CASE (a simple CASE x WHEN v is bound as WHEN x = v; a missing ELSE is a
// typed NULL; IF(c, a, b) and NULLIF(a, b) are bound as Case); UDFCall calls a Go
// function directly; Call applies a built-in operator:
//
//	Op                       meaning
//	+, -, *, /, MOD, NEG     arithmetic (see type rules)
//	ROW                      ROW(a, b, ...): a ROW of fields EXPR$0, EXPR$1, ...; never NULL
//	=, <>, <, <=, >, >=      comparison; both operands have the same type
//	AND, OR, NOT             three-valued logic
//	IS NULL, IS NOT NULL     never NULL; IS UNKNOWN is IS NULL
//	IS TRUE, IS FALSE        never NULL; IS NOT TRUE is NOT(IS TRUE)
//	IN                       Args: x, v1, v2, ... all of one type; NOT IN is NOT(IN)
//	LIKE                     Args: x, pattern[, escape]; NOT LIKE is NOT(LIKE)
//	SIMILAR TO               Args: x, pattern[, escape]; NOT SIMILAR TO is NOT(SIMILAR TO)
//	IS [NOT] DISTINCT FROM   Args: x, y converted as for =; never NULL (NULLs are equal)
//	||                       string concatenation
//	(BETWEEN)                bound as x >= lo AND x <= hi (SYMMETRIC: OR the swapped
//	                         bounds; NOT BETWEEN: NOT of that)
//
// and the built-in functions, by upper-cased name (synonyms normalized):
//
//	UPPER(s), LOWER(s)                 same type as s
//	CHAR_LENGTH(s)                     INT (also CHARACTER_LENGTH)
//	SUBSTRING(s, start[, len])         VARCHAR(len(s)); start is 1-based; INT arguments (also SUBSTR)
//	TRIM(mode, chars, s)               mode literal 'BOTH'|'LEADING'|'TRAILING'; TRIM(s),
//	                                   LTRIM(s), RTRIM(s) and TRIM(LEADING 'x' FROM s) all bind to it
//	CONCAT(s, ...)                     VARCHAR(sum of lengths); NULL if any argument is
//	COALESCE(x, ...)                   common type; NOT NULL if any argument is
//	ABS(n)                             type of n
//	FLOOR(n), CEIL(n)                  type of n; DECIMAL(p, s) -> DECIMAL(p, 0) (also CEILING)
//	ROUND(n, r)                        r an integer literal (added as 0 when absent); DECIMAL as Flink
//	MOD(a, b)                          bound as the MOD operator
//
// and the time functions (bind_func_time.go; a unit is an upper-case string literal
// argument, first or last as the call's SQL puts it):
//
//	EXTRACT('unit', x)                 BIGINT; x DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ with
//	                                   the units Flink allows for it; YEAR(x), QUARTER,
//	                                   MONTH, WEEK, DAYOFYEAR, DAYOFMONTH, DAYOFWEEK, HOUR,
//	                                   MINUTE, SECOND(x) bind to it
//	FLOOR(x, 'unit'), CEIL(x, 'unit')  FLOOR(x TO unit): the type of x
//	TIMESTAMPADD('unit', n, x)         n BIGINT; the type of x (MILLISECOND: precision >= 3;
//	                                   HOUR, MINUTE, SECOND of a DATE: TIMESTAMP(6))
//	TIMESTAMPDIFF('unit', a, b)        INT; DATE/TIMESTAMP operands, or two TIMESTAMP_LTZ
//	DATE_FORMAT(x, format)             STRING, always nullable; x TIMESTAMP, TIMESTAMP_LTZ,
//	                                   DATE or a string
//	TO_TIMESTAMP(s[, format])          TIMESTAMP(3), always nullable
//	TO_DATE(s[, format])               DATE, always nullable
//	TO_TIMESTAMP_LTZ(n, p)             TIMESTAMP_LTZ(3), always nullable; p the literal 0 or 3
//	UNIX_TIMESTAMP([s[, format]])      BIGINT; NOT NULL without arguments (the clock: not
//	                                   deterministic, see IsDeterministic)
//	FROM_UNIXTIME(n[, format])         STRING, always nullable; n an integer (as BIGINT)
//
// SET 'table.local-time-zone' accepts UTC only (bind_timezone.go).
//
// and those of bind_func_math.go and bind_func_string.go (docs/sql.md lists them with
// their types): POWER, SQRT, LN, LOG10, LOG2, LOG, EXP (arguments converted to DOUBLE),
// TRUNCATE (as ROUND), RAND, RAND_INTEGER, UUID; CONCAT_WS, REPLACE, REGEXP,
// REGEXP_REPLACE, REGEXP_EXTRACT (the group added as 0 when absent), SPLIT_INDEX, LPAD,
// RPAD, POSITION, LOCATE, INSTR, INITCAP, LEFT, RIGHT, REVERSE, REPEAT, PARSE_URL,
// TO_BASE64, FROM_BASE64, MD5, SHA1, SHA256, ASCII, CHR (argument BIGINT); GREATEST and
// LEAST (arguments converted to their common type), IFNULL (its type nullable only when
// the replacement is). String positions and lengths are INT, as for SUBSTRING.
//
// and those of bind_func_clock.go: CURRENT_TIMESTAMP, NOW(), CURRENT_ROW_TIMESTAMP()
// (TIMESTAMP_LTZ(3) NOT NULL), LOCALTIMESTAMP (TIMESTAMP(3) NOT NULL), CURRENT_DATE,
// CURRENT_TIME and LOCALTIME (TIME(0)), all NOT NULL and non-deterministic; and
// CURRENT_WATERMARK(ts), ts a rowtime attribute, typed as ts at precision 3, nullable.
//
// An unknown function is an error ("did you mean" when a name is close).
// PROCTIME is rejected for now.
//
// Aggregates (AggCall over the Aggregate's input): COUNT(*), COUNT([DISTINCT] x),
// SUM, AVG, MIN, MAX, each with DISTINCT and FILTER (WHERE cond); and calls of Go
// aggregate functions (Func AggUDF, Fn the function, Args its arguments converted to the
// Go parameters' SQL types, Arg nil; FILTER, no DISTINCT; the result type is GetValue's,
// nullable only for a pointer result; see aggfunc.go and bind_aggfunc.go). Aggregates are not
// allowed in WHERE, GROUP BY or inside another aggregate. In the select list and HAVING
// of an aggregate query an expression must be a group expression (matched structurally
// after binding), an aggregate, a constant, or built from those; otherwise "expression
// "x" is not being grouped".
//
// # Time attributes
//
// Type.TimeAttr marks a TIMESTAMP or TIMESTAMP_LTZ column as a time attribute (Flink's
// TimestampKind), printed as Flink prints it: TIMESTAMP(3) *ROWTIME*,
// TIMESTAMP_LTZ(3) *PROCTIME*. The WatermarkAssigner makes the WATERMARK FOR column a
// rowtime attribute; below it (in the Scan and the computed-columns Calc) the column is
// a plain timestamp. An InputRef carries its column's marker, so a projection, a view
// or a subquery that passes the column through keeps it; anything that computes on it
// materializes it (ts + INTERVAL, CAST, CASE, COALESCE: the common type and datetime
// arithmetic drop the marker), and so does a non-window Aggregate (group columns and
// MIN/MAX results) and a Union whose inputs disagree. Type.Equal ignores the marker,
// as Flink's TimestampType.equals does, so casts, unions and sink columns treat a
// rowtime as the timestamp it holds; the optimizer's Check compares it exactly.
// PROCTIME() is the one source of a proctime attribute; a window TVF over it makes
// processing-time windows (Window.Proctime).
//
// # Type rules
//
// We follow Flink's type system (LogicalTypeCasts, LogicalTypeMerging, FlinkTypeSystem):
//
//   - Literals: an integer literal is INT if it fits, else BIGINT, else DECIMAL(p, 0); a
//     literal with a point is DECIMAL(p, s) with its digits (1.0 is DECIMAL(2, 1), 0.5
//     is DECIMAL(1, 1)); with an exponent it is DOUBLE; 'abc' is CHAR(3); TRUE/FALSE are
//     BOOLEAN; NULL has the NULL type and takes the type its context needs; DATE, TIME
//     and TIMESTAMP literals have the precision of their fraction digits; INTERVAL '10'
//     SECOND is a day-time interval held in milliseconds, INTERVAL '1' MONTH a year-month
//     interval held in months. Literals are NOT NULL; -literal is a negative literal.
//   - Implicit casts (SupportsImplicitCast): numeric widening TINYINT < SMALLINT < INT <
//     BIGINT, every numeric type to DECIMAL and DOUBLE, every numeric type but DOUBLE to FLOAT,
//     CHAR to VARCHAR, BINARY to VARBINARY, TIMESTAMP to DATE or TIME, NULL to anything.
//     Strings and numbers never convert implicitly: 'a' + 1 is an error.
//   - Common type (CommonType) of CASE branches, IN lists, COALESCE, comparisons: the
//     wider integer; exact with DECIMAL -> DECIMAL with enough integer digits and the
//     larger scale (capped at 38 digits); any DECIMAL with FLOAT/DOUBLE -> DOUBLE;
//     CHAR(n) with CHAR(m), n != m, -> VARCHAR(max); nullable if any input is.
//   - Arithmetic: integers keep the wider integer type (INT / INT is INT, integer
//     division; overflow wraps as in Java); with FLOAT/DOUBLE the result is approximate;
//     with DECIMAL (integers taken as DECIMAL(3|5|10|19, 0)):
//     +,-: s = max(s1, s2), p = max(p1-s1, p2-s2) + s + 1;
//     *: s = s1 + s2, p = p1 + p2;
//     /: s = max(6, s1 + p2 + 1), p = p1 - s1 + s2 + s;
//     %: s = max(s1, s2), p = min(p1-s1, p2-s2) + s (integral % integral: the divisor's type);
//     a precision above 38 becomes 38 and the scale max(38 - (p - s), min(s, 6)).
//     So SUM(response_size) * 1.0 / SUM(request_time) over BIGINT columns is
//     DECIMAL(19, 0) * DECIMAL(2, 1) = DECIMAL(21, 1), / DECIMAL(19, 0) = DECIMAL(38, 18).
//     MOD needs exact operands. Operands are converted before the Call: for a decimal
//     result, integer operands become DECIMAL(p, 0) and decimal operands keep their own
//     precision and scale; otherwise both operands have the result type. Datetime
//     arithmetic: TIMESTAMP ± INTERVAL keeps the timestamp type; DATE ± year-month
//     interval is DATE; interval ± interval of the same kind.
//   - Aggregates: COUNT is BIGINT NOT NULL; SUM over integers and floating point keeps
//     the argument type (SUM(INT) is INT, SUM(BIGINT) is BIGINT), SUM(DECIMAL(p, s)) is
//     DECIMAL(38, s); AVG keeps integer and floating types (AVG(INT) is INT) and makes
//     DECIMAL(p, s) DECIMAL(38, max(6, s)); MIN and MAX keep the argument type. SUM, AVG,
//     MIN and MAX are nullable when the argument is, when there is no GROUP BY, or when
//     they have a FILTER.
//   - Nullability propagates: an operator or function result is nullable when any
//     argument is (except IS [NOT] NULL/TRUE/FALSE, COALESCE with a NOT NULL argument,
//     and COUNT). A UDF result is nullable when the Go function returns a pointer, or
//     when a nullable argument feeds a non-pointer parameter (NULL in, NULL out, without
//     calling the function). UDF arguments convert implicitly to the parameter types.
//
// Where we differ from Flink: decimal multiplication uses p1 + p2 digits (Flink 1.10 to
// 1.13 and Calcite; Flink 1.14+ derives p1 + p2 + 1, which would make the CDN query's
// speed DECIMAL(38, 17); p1 + p2 always holds the exact product, and FLINK-34376
// proposes returning to it). CAST between numbers and BOOLEAN, and between strings and
// BINARY/VARBINARY, are allowed as in newer Flink versions.
//
// Dumps: DumpPlan and DumpProgram render plans and pipelines as text (explain, golden
// files); DumpDot draws a program as a Graphviz graph, stages, fused pipelines and
// exchanges boxed (explain --format dot).
package ir
