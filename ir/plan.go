package ir

import "github.com/sqlc-stream/sqlc-stream/diag"

// Node is a relational operator of the logical plan.
type Node interface {
	// Schema is the operator's output row.
	Schema() []Field
	// Inputs are the operator's children, in order (a Scan has none, a Union any number).
	Inputs() []Node
	// WithInputs returns a shallow copy of the operator reading inputs instead (as many
	// as Inputs has; see traverse_node.go).
	WithInputs(inputs []Node) Node
	// Expressions are the scalar expressions the operator holds, in a fixed slot order
	// (nil for an absent optional one); WithExpressions returns a shallow copy holding es
	// instead, slot for slot.
	Expressions() []Expr
	WithExpressions(es []Expr) Node
	// Changelog is the set of row kinds the operator emits.
	Changelog() ChangelogMode
	// AcceptsChangelog reports whether the operator can consume an input that emits m
	// (each of its inputs is checked).
	AcceptsChangelog(m ChangelogMode) bool
	// UniqueKey is a set of output columns that identifies a row (nil if none known):
	// an Aggregate's group columns, carried through Calcs that keep them.
	UniqueKey() []int
}

// ChangelogMode is the set of row kinds a stream carries, as Flink's
// EXPLAIN CHANGELOG_MODE prints it: [I], [I,UB,UA], [I,UA,D], [I,UB,UA,D].
type ChangelogMode struct {
	Insert, UpdateBefore, UpdateAfter, Delete bool
}

// InsertOnly is the mode of an append-only stream.
var InsertOnly = ChangelogMode{Insert: true}

// Updating is the mode of a non-window GROUP BY: inserts and updates with retractions.
var Updating = ChangelogMode{Insert: true, UpdateBefore: true, UpdateAfter: true}

// Retracting is the mode of an updating stream that also deletes ([I,UB,UA,D]): an
// Aggregate over an updating input.
var Retracting = ChangelogMode{Insert: true, UpdateBefore: true, UpdateAfter: true, Delete: true}

// IsInsertOnly reports whether the stream only appends.
func (m ChangelogMode) IsInsertOnly() bool {
	return m.Insert && !m.UpdateBefore && !m.UpdateAfter && !m.Delete
}

func (m ChangelogMode) String() string {
	s := "["
	add := func(b bool, k string) {
		if b {
			if len(s) > 1 {
				s += ","
			}
			s += k
		}
	}
	add(m.Insert, "I")
	add(m.UpdateBefore, "UB")
	add(m.UpdateAfter, "UA")
	add(m.Delete, "D")
	return s + "]"
}

// Scan reads a table through its connector. Columns lists which of the table's physical
// and metadata columns it produces, in order (projection pushdown shrinks it); computed
// columns are evaluated by a Calc above the Scan.
type Scan struct {
	Table   *Table
	Columns []int // indexes into Table.Columns
	// Paths, when not nil, has one entry per Columns entry: the nested field of that
	// ROW table column the scan reads (field indexes, outermost first: bid.price is
	// [2] of column bid), or nil for the whole column. The optimizer sets it
	// (PruneNestedFields) so that a decoder reads only the fields a query uses.
	Paths [][]int
	Alias string
	Pos   diag.Span
}

// Path returns the nested field path of scan column i: nil for the whole table column.
func (n *Scan) Path(i int) []int {
	if i < len(n.Paths) {
		return n.Paths[i]
	}
	return nil
}

// Field returns the name and type of scan column i: the table column's, or for a
// nested field its path ("bid.price") and type, nullable when a ROW on the path is.
func (n *Scan) Field(i int) Field {
	c := n.Table.Columns[n.Columns[i]]
	f := Field{Name: c.Name, Type: c.Type}
	for _, j := range n.Path(i) {
		f = NestedField(f, j)
	}
	return f
}

// NestedField returns field j of the ROW-typed f, named "f.name", nullable when f is.
func NestedField(f Field, j int) Field {
	nf := f.Type.Fields[j]
	t := nf.Type
	if f.Type.Nullable {
		t.Nullable = true
	}
	return Field{Name: f.Name + "." + nf.Name, Type: t}
}

// Calc is a fused projection and filter (Flink's Calc): for each input row, evaluate
// Lets in order (common subexpressions, referenced by LocalRef), drop the row unless
// Cond is TRUE (Cond nil means no filter), then emit Exprs.
type Calc struct {
	Input Node
	Lets  []Expr
	Cond  Expr
	Exprs []Expr
	Names []string
}

// Aggregate is a non-window GROUP BY (Flink's GroupAggregate). Its output row is the
// group columns followed by the aggregates. Over an insert-only input it emits inserts
// and updates; the first result of a key is +I, later ones -U/+U.
type Aggregate struct {
	Input   Node
	GroupBy []int // input columns; a GROUP BY expression is computed by a Calc below
	Aggs    []AggCall
	Names   []string // output names: group columns then aggregates
	// Window, when not nil, makes it a window aggregate (window.go): append-only, each
	// window emitted once when the watermark passes its end.
	Window *Window
	Pos    diag.Span
}

// Sink writes its input into a table (one INSERT INTO). Columns maps each input column
// to the target table column it fills (INSERT INTO t (c2, c1) SELECT ...); target
// columns not listed get NULL.
type Sink struct {
	Input   Node
	Table   *Table
	Columns []int
	// Options are the OPTIONS hint of the INSERT, overriding the table's for this insert.
	Options []Option
	// UpsertKey is the key an upsert sink writes on: the table's PRIMARY KEY or, lacking
	// one, the input's unique key mapped to table columns. Nil for append-only writes.
	UpsertKey []int
	Pos       diag.Span
}

// Plan is a bound job: every INSERT of the script (one statement set) over one catalog.
type Plan struct {
	Catalog *Catalog
	Sinks   []*Sink
	Source  *diag.Source
}

func (n *Scan) Schema() []Field {
	out := make([]Field, len(n.Columns))
	for i := range n.Columns {
		out[i] = n.Field(i)
	}
	return out
}

func (n *Calc) Schema() []Field {
	out := make([]Field, len(n.Exprs))
	for i, e := range n.Exprs {
		out[i] = Field{Name: n.Names[i], Type: e.Type()}
	}
	return out
}

func (n *Aggregate) Schema() []Field {
	in := n.Input.Schema()
	out := make([]Field, 0, len(n.GroupBy)+len(n.Aggs))
	// A non-window aggregate materializes time attributes: its results are updated,
	// not ordered in time (Flink's RelTimeIndicatorConverter).
	for i, g := range n.GroupBy {
		t := in[g].Type.Materialized()
		if w := n.Window; w != nil && w.IsProperty(i) {
			t = propertyType(in[g].Type, i == w.Time)
		}
		out = append(out, Field{Name: n.Names[i], Type: t})
	}
	for i, a := range n.Aggs {
		out = append(out, Field{Name: n.Names[len(n.GroupBy)+i], Type: a.T.Materialized()})
	}
	return out
}

func (n *Sink) Schema() []Field { return n.Input.Schema() }

func (n *Scan) Inputs() []Node      { return nil }
func (n *Calc) Inputs() []Node      { return []Node{n.Input} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Sink) Inputs() []Node      { return []Node{n.Input} }

func (n *Scan) Changelog() ChangelogMode { return InsertOnly }
func (n *Calc) Changelog() ChangelogMode { return n.Input.Changelog() }
func (n *Sink) Changelog() ChangelogMode { return n.Input.Changelog() }

// Changelog of an Aggregate is [I,UB,UA]; over an updating input also D: a group whose
// every row was retracted is deleted.
func (n *Aggregate) Changelog() ChangelogMode {
	if n.Window != nil {
		return InsertOnly // each window once, when it fires
	}
	if n.Input.Changelog().IsInsertOnly() {
		return Updating
	}
	return Retracting
}

// AcceptsChangelog of a Scan: it has no input.
func (n *Scan) AcceptsChangelog(ChangelogMode) bool { return false }

// AcceptsChangelog of a Calc: every mode; it works row by row and keeps the row kind.
func (n *Calc) AcceptsChangelog(ChangelogMode) bool { return true }

// AcceptsChangelog of an Aggregate: every mode; over an updating input it retracts. A
// window aggregate takes only an append-only input.
func (n *Aggregate) AcceptsChangelog(m ChangelogMode) bool {
	return n.Window == nil || m.IsInsertOnly()
}

// AcceptsChangelog of a Sink is its connector's: kafka, filesystem and datagen only
// append (Flink: "doesn't support consuming update changes"), the others consume
// every row kind (print, blackhole) or upsert (jdbc, upsert-kafka).
func (n *Sink) AcceptsChangelog(m ChangelogMode) bool {
	return m.IsInsertOnly() || !appendOnlyConnectors[n.Table.Connector]
}

func (n *Scan) UniqueKey() []int { return nil }
func (n *Aggregate) UniqueKey() []int {
	k := make([]int, len(n.GroupBy))
	for i := range k {
		k[i] = i
	}
	return k
}
func (n *Sink) UniqueKey() []int { return n.Input.UniqueKey() }

// NeedsUpdateBefore reports whether the sink consumes UPDATE_BEFORE (-U) rows, as its
// Flink counterpart's changelog mode says: upsert sinks (an UpsertKey) and blackhole
// drop them, so an aggregate need not remember the row it emitted last only to
// retract it there.
func (n *Sink) NeedsUpdateBefore() bool {
	return n.UpsertKey == nil && n.Table.Connector != "blackhole"
}

// UniqueKey of a Calc: the input key, if every key column is passed through unchanged.
func (n *Calc) UniqueKey() []int {
	in := n.Input.UniqueKey()
	if in == nil {
		return nil
	}
	out := make([]int, 0, len(in))
	for _, k := range in {
		found := -1
		for i, e := range n.Exprs {
			if r, ok := e.(*InputRef); ok && r.Index == k {
				found = i
				break
			}
		}
		if found < 0 {
			return nil
		}
		out = append(out, found)
	}
	return out
}

// Pipeline is a fused run of operators between two pipeline breakers: it starts at a
// source (a Scan, or the emit side of an Aggregate whose state it reads at flush time),
// passes each row through Calcs in order, and ends at a breaker (the build side of an
// Aggregate, or a Sink). Codegen emits one loop per pipeline.
//
// Pipelines share their Source when they read the same Scan (codegen decodes it once)
// or emit the same Aggregate (codegen walks its changed groups once). Pipelines that
// emit one Aggregate may also share their first Calc, the one that computes what they
// have in common (optimizer.ShareAggregateCalcs; it has no condition): the only
// operator that is in several pipelines.
type Pipeline struct {
	ID     int
	Source Node // *Scan or *Aggregate
	Calcs  []*Calc
	Sink   Node // *Aggregate or *Sink
	// Steps is set when the pipeline holds an operator other than a Calc: every
	// operator between Source and Sink in order (each a *Calc, a *Correlate or a
	// *WatermarkAssigner); Calcs then lists only the Calcs. Nil otherwise (Calcs is the
	// whole chain).
	Steps []Node
	// Union, when not nil, is the Union that Sink reads: the pipeline's last operator is
	// one of its branches, and every branch is a pipeline of its own into the same Sink.
	Union *Union
}

// Operators are the operators between the pipeline's Source and its Sink, in order: its
// Steps, or its Calcs.
func (pl *Pipeline) Operators() []Node {
	if pl.Steps != nil {
		return pl.Steps
	}
	ops := make([]Node, len(pl.Calcs))
	for i, c := range pl.Calcs {
		ops[i] = c
	}
	return ops
}

// Program is the optimized job: its pipelines in dependency order.
type Program struct {
	Plan      *Plan
	Pipelines []*Pipeline
}
