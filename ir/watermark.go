package ir

import "fmt"

// WatermarkAssigner generates the watermarks of a table with a WATERMARK declaration
// (Flink's LogicalWatermarkAssigner / StreamPhysicalWatermarkAssigner). The binder puts
// it directly above the table's Scan and computed-columns Calc, so its input row is the
// table's columns. It passes every row through unchanged; for each row it evaluates
// Expr (bound over the input row) and the job's watermark is the largest value so far.
// Column RowtimeIndex (the WATERMARK FOR column) leaves it as a rowtime attribute
// (TIMESTAMP(3) *ROWTIME*), which later operators keep as long as they only pass the
// column through.
//
// The optimizer never pushes a filter below it (every row advances the watermark, as in
// Flink) and never prunes the rowtime column or the columns Expr reads below it.
type WatermarkAssigner struct {
	Input        Node
	RowtimeIndex int  // the rowtime column in the input row
	Expr         Expr // the watermark strategy, over the input row
}

// Schema is the input row, its rowtime column marked as a rowtime attribute.
func (n *WatermarkAssigner) Schema() []Field {
	out := n.Input.Schema()
	if n.RowtimeIndex >= 0 && n.RowtimeIndex < len(out) {
		out[n.RowtimeIndex].Type = out[n.RowtimeIndex].Type.WithTimeAttr(TimeRowtime)
	}
	return out
}

// Inputs is the watermarked relation.
func (n *WatermarkAssigner) Inputs() []Node { return []Node{n.Input} }

// Changelog is the input's: rows pass through.
func (n *WatermarkAssigner) Changelog() ChangelogMode { return n.Input.Changelog() }

// AcceptsChangelog: every mode (a changelog source's rows advance the watermark too).
func (n *WatermarkAssigner) AcceptsChangelog(ChangelogMode) bool { return true }

// UniqueKey is the input's: rows pass through.
func (n *WatermarkAssigner) UniqueKey() []int { return n.Input.UniqueKey() }

// describeWatermarkAssigner renders the assigner as Flink's EXPLAIN does, the
// watermark expression as SQL over the input's columns.
func describeWatermarkAssigner(n *WatermarkAssigner) string {
	in := n.Input.Schema()
	rowtime := fmt.Sprintf("$%d", n.RowtimeIndex)
	if n.RowtimeIndex >= 0 && n.RowtimeIndex < len(in) {
		rowtime = quoteIdent(in[n.RowtimeIndex].Name)
	}
	return fmt.Sprintf("WatermarkAssigner(rowtime=[%s], watermark=[%s], changelogMode=%s)", rowtime, FormatExpr(n.Expr, in), n.Changelog())
}
