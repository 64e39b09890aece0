package ir

import (
	"fmt"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// Correlate joins each input row with the rows a table function yields for it (Flink's
// LogicalCorrelate / StreamPhysicalCorrelate): FROM s, LATERAL TABLE(f(x)) AS t(a, b).
// Call is bound over the input row; for each input row the function is called once and
// each of its rows is emitted as the input columns followed by the function's columns
// (Names). With Left set (LEFT JOIN LATERAL ... ON TRUE) an input row for which the
// function yields no row is emitted once with NULL function columns. It is insert-only
// and does not break pipelines: codegen calls the function inside the fused loop.
type Correlate struct {
	Input Node
	// Call is the table function call (Call.Fn.Kind == TableFunction); its arguments
	// read Input's columns. Call.T is unused.
	Call  *UDFCall
	Left  bool     // LEFT JOIN LATERAL: keep input rows without function rows
	Names []string // the function columns' names (the alias list, or TableColumns' names)
	Alias string   // the table alias (AS t), or the function name
	Pos   diag.Span
}

// TableInfo describes how a Go table function yields its rows: filled by the resolver
// (package udf), read by codegen.
type TableInfo struct {
	// Seq: the function returns iter.Seq[Row] (or a func(yield func(Row) bool)); else
	// it returns []Row.
	Seq bool
	// RowImport and RowName name the element type Row: the package's import path and
	// the type's name ("github.com/x/udfs", "Segment"); RowImport is "" for a
	// predeclared type ("string", "int64") and "time" for time.Time. RowGo is the type
	// as written ("udfs.Segment", "*udfs.Segment", "[]byte"), for messages.
	RowImport string
	RowName   string
	RowGo     string
	// RowPointer: the elements are *Row; a nil element yields no row.
	RowPointer bool
	// Fields are the Go struct fields holding TableColumns, in order; nil when Row is a
	// scalar type (one column f0). A column is nullable exactly when its field (or the
	// scalar element) is a pointer.
	Fields []string
}

// FunctionFields are the columns the function adds: TableColumns under Names,
// nullable with Left.
func (n *Correlate) FunctionFields() []Field {
	cols := n.Call.Fn.TableColumns
	out := make([]Field, len(cols))
	for i, c := range cols {
		out[i] = c
		if i < len(n.Names) {
			out[i].Name = n.Names[i]
		}
		if n.Left {
			out[i].Type = out[i].Type.WithNull()
		}
	}
	return out
}

// Schema is the input's columns followed by the function's (nullable with Left).
func (n *Correlate) Schema() []Field {
	return append(n.Input.Schema(), n.FunctionFields()...)
}

// Inputs is the correlated input.
func (n *Correlate) Inputs() []Node { return []Node{n.Input} }

// Changelog is the input's: insert-only (see AcceptsChangelog).
func (n *Correlate) Changelog() ChangelogMode { return n.Input.Changelog() }

// AcceptsChangelog: only an insert-only input (a table function over an updating
// input is not supported yet).
func (n *Correlate) AcceptsChangelog(m ChangelogMode) bool { return m.IsInsertOnly() }

// UniqueKey is none: an input row may yield several rows.
func (n *Correlate) UniqueKey() []int { return nil }

// describeCorrelate renders a Correlate as Flink's EXPLAIN does, on one line.
func describeCorrelate(n *Correlate) string {
	in := n.Input.Schema()
	var args []string
	for _, a := range n.Call.Args {
		args = append(args, FormatExpr(a, in))
	}
	var sel []string
	for _, f := range n.Schema() {
		sel = append(sel, quoteIdent(f.Name))
	}
	join := "INNER"
	if n.Left {
		join = "LEFT"
	}
	return fmt.Sprintf("Correlate(invocation=[%s(%s)], select=[%s], joinType=[%s], types=[%s], changelogMode=%s)",
		n.Call.Fn.Name, strings.Join(args, ", "), strings.Join(sel, ", "), join, typesOf(n.Schema()), n.Changelog())
}
