// Package optimizer rewrites the bound logical plan (ir.Plan) into a cheaper plan with the
// same results and cuts it into pipelines (ir.Program) for codegen.
//
// # Passes
//
// Each pass is exported, named for what it does, and pure: it takes a plan and returns a
// rewritten deep copy, leaving its argument as it was, so `explain` can print the bound
// plan next to the optimized one and each pass can be tested alone. Optimize runs them
// in this order:
//
//	repeat until the plan stops changing (at most 20 rounds):
//	    1. FoldConstants
//	    2. MergeCalcs
//	    3. PushFilters
//	    4. DedupAggregates
//	    5. PruneColumns
//	    6. PruneNestedFields
//	7. EliminateCommonSubexpressions
//	   ShareAggregates, ShareAggregateCalcs (unless Options.NoShareAggregates)
//	   ShareScans (unless Options.NoShareScans)
//	8. BuildPipelines
//
// Every pass walks the plan with one helper, rewritePlan (ir.TransformPlan): bottom-up,
// each operator after its inputs, a node shared by several readers once. A pass is a
// function of one operator whose inputs are already rewritten; it changes it in place
// (each pass owns its copy) or returns a replacement, and never recurses itself. The
// operators' own methods (ir.Node's Inputs/WithInputs and Expressions/WithExpressions,
// ir.Children/WithChildren for expressions) do the traversal, so an operator is added
// in package ir, not in every pass. Passes that change which columns an operator emits
// (DedupAggregates, ShareScans, PruneColumns) record the move and let the readers follow
// it (moves.go): an operator with column references is renumbered, any other reads the
// moved input through a projecting Calc. PruneColumns first sweeps top-down (the
// reverse of ir.Walk's order) to collect what each operator's readers need.
//
// The loop is there because the passes feed each other: a merge substitutes a literal
// that can then be folded, a pushed filter lands in a new Calc that the next merge fuses,
// pruning leaves identity Calcs that the next merge drops. CSE runs once at the end, on
// the final Calcs, since merging after it would only have to undo its Lets.
//
// FoldConstants evaluates built-in operators on literals: arithmetic and ABS (integers
// wrap like Java's, MOD without narrowing its dividend first; DECIMAL is exact with
// math/big and rounded HALF_UP to the result scale, division first to 38 significant
// digits as Flink's DecimalDataUtils does), comparisons, AND/OR/NOT with three-valued
// logic, IS [NOT] NULL, IS TRUE/FALSE, IN, ||, CASTs between numbers (to integers with
// Java's wrapping and saturating narrowing) and strings that cannot fail, CASE with
// constant conditions. It simplifies
// x AND TRUE, x OR FALSE, NOT NOT x, and x AND FALSE / x OR TRUE when x cannot fail.
// A Calc condition that folds to TRUE is removed; FALSE or NULL leaves an always-false
// condition. It never folds what would fail or be NULL-on-overflow at runtime (division
// by zero, a CAST the value does not fit, a DECIMAL overflow): the runtime reports those.
// (A CAST to an integer type always fits: it wraps, as in Flink.)
// UDF calls are not folded even when deterministic (Function.Deterministic): the
// compiler cannot run the user's Go code; a later version could build and run a helper.
// Function-style built-ins (UPPER, SUBSTRING, ...) are not folded yet.
//
// MergeCalcs fuses Calc over Calc into one Calc by substitution. An inner projection
// that is not trivial and is read more than once becomes a Let (computed once). Calcs
// that pass their input through unchanged are removed.
//
// PushFilters moves condition conjuncts toward the source, one operator per round: a
// conjunct over group columns only moves below its Aggregate (HAVING province = 'x'), a
// conjunct over columns a lower Calc merely passes through moves into that Calc's
// condition. Nothing moves below a WatermarkAssigner: every row advances the watermark,
// as in Flink.
//
// DedupAggregates computes identical AggCalls of one Aggregate once and renumbers the
// operator above (the CDN query's two sum(response_size)).
//
// PruneColumns removes every column no consumer reads: Calc projections and Lets,
// aggregates, and Scan.Columns, so a source column nobody reads is never decoded. It
// flows through the Calc of computed columns above a Scan; metadata columns are pruned
// like physical ones. Group columns and sink columns are always kept, and so are a
// WatermarkAssigner's rowtime column and the columns its watermark expression reads,
// below it; above it, columns it does not read are pruned as anywhere else.
//
// PruneNestedFields (nested projection pushdown) turns a ROW column whose readers only
// read some of its fields into one column per field read, from the Scan up (Scan.Paths,
// through Calcs and WatermarkAssigners), so a decoder reads those fields and never
// builds the ROW: Nexmark's views read bid.auction, bid.price, ... of the nexmark
// table's bid column. A column some reader uses whole stays whole.
//
// EliminateCommonSubexpressions makes every repeated, non-trivial, deterministic
// subexpression of a Calc a Let read through LocalRef.
//
// ShareAggregates (optional) makes identical Aggregate subtrees of different INSERTs one
// node, built by one pipeline and emitted by one pipeline per reader.
//
// ShareAggregateCalcs (with ShareAggregates) computes what the readers of one Aggregate
// compute alike once: the non-trivial deterministic subexpressions that two or more of
// the Calcs reading it have in common (Lets read through) move into one Calc above the
// Aggregate, without a condition, and each reader reads it and keeps its own condition,
// casts and projections (a reader left as an identity projection is dropped). The shared
// Calc is evaluated for every changed group before any reader's condition, so an
// expression that can fail is shared only when some reader evaluates it for every group
// anyway (CSE's rule across readers). The CDN example's download_speed, a DECIMAL
// division written to two sinks, is computed once.
//
// ShareScans (optional) makes all Scans of one table a single node reading the union of
// their columns and renumbers their readers.
//
// BuildPipelines cuts the plan at Aggregates and Sinks. A pipeline starts at a Scan or
// at an Aggregate's emit side, runs through the Calcs above it, and ends at an
// Aggregate's build side or at a Sink; pipelines are listed so that the one building an
// Aggregate comes before the one emitting from it. A Correlate (LATERAL TABLE) or a
// WatermarkAssigner does not break a pipeline: it is a step like a Calc, and such a
// pipeline lists its operators in order in Pipeline.Steps (Pipeline.Calcs then holds
// only the Calcs). A shape pipelines do not know (an operator with two inputs other
// than a Union, a Union below a Calc) is an error, not a panic.
//
// Correlate in the passes (correlate.go): FoldConstants folds its arguments (never the
// table function call); PushFilters moves the conjuncts of a Calc above it that read only
// input columns below it (for LEFT joins too: an input row's fate does not depend on the
// function's rows); PruneColumns prunes its input to the columns the consumer and the
// arguments read, while the function's columns are always produced; MergeCalcs,
// DedupAggregates and ShareScans pass through it, renumbering its arguments.
//
// # Guarantees
//
// Results: every rewrite keeps each sink's rows, row kinds and values. A rewrite may
// drop work whose result nobody reads (an unused projection, a dead CASE arm) and with it
// a runtime failure, as Flink's own optimizer does; it never adds a failure. Because
// ir.Calc evaluates its Lets before its condition, an expression that can fail (a UDF
// call, a division, a CAST that may reject its input) is only put in a Let when it would
// have been evaluated for every row anyway; otherwise the Calcs stay unmerged (one loop
// all the same) or the repetition stays. Merged conditions keep the guard: when the
// inner condition is nullable and the outer one can fail, the inner one is wrapped in
// IS TRUE, so a row it drops never reaches the outer one.
//
// Codegen must evaluate AND and OR left to right with short-circuit, and CASE lazily,
// as Flink's generated code does: the passes rely on it (a condition like
// `y <> 0 AND x / y > 1` is only safe that way).
//
// Shape: Optimize checks the bound plan and its result with Check (every operator
// accepts its inputs' changelog modes (ir.Node.AcceptsChangelog), every InputRef and
// LocalRef resolves with the right type, time attribute included, Lets only read
// earlier Lets, Scans read only physical and metadata columns, pipelines chain
// correctly and cover the plan; an operator Check does not know is an error), and that
// every sink keeps the changelog mode and unique key of the bound plan. Output schemas keep their types:
// a folded expression is a literal of the original type, and a simplification whose
// result would have a different type is wrapped in a CAST that cannot fail, or skipped.
//
// The bound plan is a tree (a view is bound again where it is read). Copying keeps a
// shared node shared (ir.Transform rewrites it once); only the optional
// ShareAggregates and ShareScans make a DAG, sharing whole Aggregate subtrees and
// Scans; the only Calc in two pipelines is the shared Calc of ShareAggregateCalcs, first
// in the pipelines that emit its Aggregate (Check allows no other).
//
// # Known gaps
//
//   - Statement sets: ShareScans makes the Scans of one table a single node decoding
//     the union of the columns, so their pipelines have the same *ir.Scan Source and
//     codegen reads the table once in one source loop; ShareAggregates computes an
//     aggregation written by two INSERTs once and emits it into one pipeline per sink.
//     Only identical Aggregates are shared, not ones that differ in a single call, and
//     an Aggregate below another one only with it (a view of an aggregate that two
//     different aggregates read is aggregated twice). ShareAggregateCalcs shares only what the Calcs right above the
//     Aggregate compute, and only over Aggregates: readers of a shared Scan each
//     compute their own Calcs.
//   - CSE works inside one Calc (and, through ShareAggregateCalcs, across the readers
//     of an Aggregate); aggregate arguments and FILTERs are not shared across
//     AggCalls beyond exact duplicates (the binder computes them in the Calc below).
//   - No join or window operators yet. A WatermarkAssigner is kept in its pipeline as a
//     step that passes rows through; codegen does not generate watermarks yet.
package optimizer
