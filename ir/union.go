package ir

import "github.com/sqlc-stream/sqlc-stream/diag"

// Union is UNION ALL (Flink's Union with all = true): every row of every input, in no
// particular order between inputs. The binder makes every input produce the same column
// types (the common type of each column, Flink's leastRestrictive, nullable if any input's
// column is), inserting a Calc that converts where an input differs, if only in
// nullability: every input produces exactly the Union's row type. UNION without ALL is a
// DISTINCT Aggregate over a Union, as Calcite rewrites it.
//
// A Union does not break pipelines: each input is a pipeline of its own that ends at the
// Union's consumer (a Sink or the build side of an Aggregate). The optimizer pushes Calcs
// above a Union into its inputs, so that a Union only ever sits directly below a Sink, an
// Aggregate or another Union (which it flattens).
type Union struct {
	Branches []Node
	Names    []string
	Pos      diag.Span
}

// Schema is the first input's column types under the Union's names, nullable where any
// input's column is, a time attribute where every input's is.
func (n *Union) Schema() []Field {
	out := make([]Field, len(n.Names))
	for i := range out {
		out[i].Name = n.Names[i]
	}
	for j, in := range n.Branches {
		for i, f := range in.Schema() {
			if i >= len(out) {
				break
			}
			if j == 0 {
				out[i].Type = f.Type
				continue
			}
			if f.Type.Nullable {
				out[i].Type.Nullable = true
			}
			if f.Type.TimeAttr != out[i].Type.TimeAttr {
				out[i].Type = out[i].Type.Materialized() // a time attribute only if every input's is
			}
		}
	}
	return out
}

// Inputs are the united relations, in the order written.
func (n *Union) Inputs() []Node { return n.Branches }

// Changelog is every row kind any input emits.
func (n *Union) Changelog() ChangelogMode {
	var m ChangelogMode
	for _, in := range n.Branches {
		c := in.Changelog()
		m.Insert = m.Insert || c.Insert
		m.UpdateBefore = m.UpdateBefore || c.UpdateBefore
		m.UpdateAfter = m.UpdateAfter || c.UpdateAfter
		m.Delete = m.Delete || c.Delete
	}
	return m
}

// AcceptsChangelog: every mode; a Union emits what its inputs emit.
func (n *Union) AcceptsChangelog(ChangelogMode) bool { return true }

// UniqueKey is none: two inputs may produce the same key.
func (n *Union) UniqueKey() []int { return nil }
