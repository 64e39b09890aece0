package optimizer_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
)

const watermarkDDL = `
CREATE TABLE ev (
  id BIGINT,
  name STRING,
  ts TIMESTAMP(3),
  lag_ms BIGINT,
  unused STRING,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '/tmp/ev.csv', 'format' = 'csv');
CREATE TABLE ev2 (
  id BIGINT,
  ts TIMESTAMP(3),
  slack INT,
  WATERMARK FOR ts AS ts - CAST(slack AS INTERVAL SECOND)
) WITH ('connector' = 'filesystem', 'path' = '/tmp/ev2.csv', 'format' = 'csv');
CREATE TABLE ev3 (
  id BIGINT,
  ts TIMESTAMP(3),
  ts2 TIMESTAMP(3),
  WATERMARK FOR ts AS ts2
) WITH ('connector' = 'filesystem', 'path' = '/tmp/ev3.csv', 'format' = 'csv');
CREATE TABLE names (name STRING, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE times (id BIGINT, t TIMESTAMP(3)) WITH ('connector' = 'print');
`

// assignerOf finds the WatermarkAssigner below n.
func assignerOf(n ir.Node) *ir.WatermarkAssigner {
	var w *ir.WatermarkAssigner
	ir.WalkFrom(func(x ir.Node) {
		if a, ok := x.(*ir.WatermarkAssigner); ok {
			w = a
		}
	}, n)
	return w
}

// TestWatermarkAssignerOptimized: pruning keeps the rowtime column below the assigner
// though nobody above reads it, a filter stays above the assigner, and the pipeline
// runs the assigner as a step.
func TestWatermarkAssignerOptimized(t *testing.T) {
	_, prog := optimize(t, watermarkDDL+`INSERT INTO names SELECT name, id FROM ev WHERE id > 10;`)
	got := ir.DumpProgram(prog)
	want := `Pipeline 0: Scan(ev) -> WatermarkAssigner -> Calc -> Sink(names)
  Scan(table=[ev], fields=[id, name, ts], changelogMode=[I])
  WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
  Calc(select=[name, id AS n], where=[id > 10], types=[STRING, BIGINT], changelogMode=[I])
  Sink(table=[names], fields=[name, n], changelogMode=[I])
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	pl := prog.Pipelines[0]
	if len(pl.Steps) != 2 || len(pl.Calcs) != 1 {
		t.Errorf("steps %d, calcs %d", len(pl.Steps), len(pl.Calcs))
	}
}

// TestWatermarkKeepsWhatItReads: the columns the watermark expression reads stay too,
// and a projection above the assigner still prunes the others.
func TestWatermarkKeepsWhatItReads(t *testing.T) {
	_, prog := optimize(t, watermarkDDL+`INSERT INTO names SELECT CAST(id AS STRING), id FROM ev2;`)
	w := assignerOf(prog.Plan.Sinks[0])
	if w == nil {
		t.Fatal("no assigner")
	}
	in := w.Input.Schema()
	var cols []string
	for _, f := range in {
		cols = append(cols, f.Name)
	}
	if got := strings.Join(cols, ","); got != "id,ts,slack" {
		t.Errorf("assigner input columns %s", got)
	}
	if in[w.RowtimeIndex].Name != "ts" {
		t.Errorf("rowtime index %d is %s", w.RowtimeIndex, in[w.RowtimeIndex].Name)
	}
	// The rowtime column stays even when neither the query nor the watermark reads it.
	_, prog = optimize(t, watermarkDDL+`INSERT INTO names SELECT CAST(id AS STRING), id FROM ev3;`)
	if got := len(prog.Pipelines[0].Source.(*ir.Scan).Columns); got != 3 {
		t.Errorf("ev3 scan reads %d columns, want id, ts, ts2", got)
	}
	// A column nobody reads, not even the watermark, is pruned below the assigner.
	_, prog = optimize(t, watermarkDDL+`INSERT INTO names SELECT name, id FROM ev;`)
	scan := prog.Pipelines[0].Source.(*ir.Scan)
	for _, c := range scan.Columns {
		if n := scan.Table.Columns[c].Name; n == "unused" || n == "lag_ms" {
			t.Errorf("scan still reads %s", n)
		}
	}
}

// TestFilterNotPushedBelowWatermark: a filter on any column, the rowtime included,
// stays above the assigner, which must see every row; the plan keeps the time attribute
// the sink's column reads.
func TestFilterNotPushedBelowWatermark(t *testing.T) {
	for _, where := range []string{"id > 10", "ts > TIMESTAMP '2020-01-01 00:00:00'", "name = 'x' AND id > 1"} {
		_, prog := optimize(t, watermarkDDL+`INSERT INTO times SELECT id, ts FROM ev WHERE `+where+`;`)
		w := assignerOf(prog.Plan.Sinks[0])
		if w == nil {
			t.Fatalf("%s: no assigner", where)
		}
		ir.WalkFrom(func(n ir.Node) {
			if c, ok := n.(*ir.Calc); ok && c.Cond != nil {
				t.Errorf("%s: a filter below the assigner: %s", where, ir.Describe(c))
			}
		}, w.Input)
		if c := prog.Plan.Sinks[0].Input.(*ir.Calc); c.Cond == nil || c.Input != ir.Node(w) {
			t.Errorf("%s: the filter is not right above the assigner: %s", where, ir.Describe(c))
		}
		if got := prog.Plan.Sinks[0].Input.Schema()[1].Type.String(); got != "TIMESTAMP(3) *ROWTIME*" {
			t.Errorf("%s: the sink reads %s", where, got)
		}
	}
}

// join is an operator with two inputs that the optimizer does not know.
type join struct{ left, right ir.Node }

func (j *join) Schema() []ir.Field                     { return append(j.left.Schema(), j.right.Schema()...) }
func (j *join) Inputs() []ir.Node                      { return []ir.Node{j.left, j.right} }
func (j *join) WithInputs(in []ir.Node) ir.Node        { return &join{in[0], in[1]} }
func (j *join) Expressions() []ir.Expr                 { return nil }
func (j *join) WithExpressions([]ir.Expr) ir.Node      { return &join{j.left, j.right} }
func (j *join) Changelog() ir.ChangelogMode            { return ir.InsertOnly }
func (j *join) AcceptsChangelog(ir.ChangelogMode) bool { return true }
func (j *join) UniqueKey() []int                       { return nil }

// TestCheckRejectsUnknownShapes: pipelines and the self-check fail with an error, not
// a panic, on operators they do not know or where they cannot be.
func TestCheckRejectsUnknownShapes(t *testing.T) {
	p := bindSQL(t, watermarkDDL+`INSERT INTO names SELECT name, id FROM ev;`)
	sink := p.Sinks[0]
	w := assignerOf(sink)
	over := func(in ir.Node) *ir.Plan {
		exprs, _ := identity(in.Schema()) // id, name, ...
		c := &ir.Calc{Input: in, Exprs: []ir.Expr{exprs[1], exprs[0]}, Names: []string{"name", "n"}}
		return &ir.Plan{Catalog: p.Catalog, Sinks: []*ir.Sink{{Input: c, Table: sink.Table, Columns: sink.Columns}}}
	}
	// A Union below a Calc (MergeCalcs would have pushed the Calc into the branches).
	u := &ir.Union{Branches: []ir.Node{w, w}, Names: namesOf(w.Schema())}
	if _, err := optimizer.BuildPipelines(over(u)); err == nil || !strings.Contains(err.Error(), "Union below") {
		t.Errorf("Union below a Calc: %v", err)
	}
	// An operator with two inputs that pipelines and Check do not know.
	j := &join{w, w}
	if _, err := optimizer.BuildPipelines(over(j)); err == nil || !strings.Contains(err.Error(), "cannot start at") {
		t.Errorf("two-input operator in a pipeline: %v", err)
	}
	if _, err := optimizer.Optimize(over(j)); err == nil || !strings.Contains(err.Error(), "unknown operator") {
		t.Errorf("Optimize over an unknown operator: %v", err)
	}
	// An updating input into an append-only sink fails the self-check.
	agg := &ir.Aggregate{Input: w, GroupBy: []int{1}, Names: []string{"name"}}
	e2, n2 := identity(agg.Schema())
	e2 = append(e2, &ir.Literal{Value: int64(1), T: ir.BigInt().NotNull()})
	n2 = append(n2, "n")
	kafka := &ir.Table{Name: "k", Connector: "kafka", Columns: sink.Table.Columns}
	upd := &ir.Plan{Catalog: p.Catalog, Sinks: []*ir.Sink{{Input: &ir.Calc{Input: agg, Exprs: e2, Names: n2}, Table: kafka, Columns: sink.Columns}}}
	if _, err := optimizer.Optimize(upd); err == nil || !strings.Contains(err.Error(), "does not accept the changelog mode [I,UB,UA]") {
		t.Errorf("updating input into kafka: %v", err)
	}
}

func namesOf(fs []ir.Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func identity(fs []ir.Field) ([]ir.Expr, []string) {
	var es []ir.Expr
	for i, f := range fs {
		es = append(es, &ir.InputRef{Index: i, Name: f.Name, T: f.Type})
	}
	return es, namesOf(fs)
}

// TestTimeAttributesThroughPasses: queries over a watermarked table pass the
// optimizer's self-check, which compares time attributes exactly.
func TestTimeAttributesThroughPasses(t *testing.T) {
	for _, q := range []string{
		`INSERT INTO names SELECT name, COUNT(*) FROM ev GROUP BY name HAVING name <> 'x';`,
		`INSERT INTO times SELECT COUNT(*), ts FROM ev GROUP BY ts HAVING ts > TIMESTAMP '2020-01-01 00:00:00';`,
		`INSERT INTO times SELECT id, ts FROM ev UNION ALL SELECT id, ts FROM ev2 WHERE id > 1;`,
		`INSERT INTO times SELECT id, MAX(ts) FROM (SELECT * FROM ev WHERE ts IS NOT NULL) GROUP BY id;`,
		`INSERT INTO times SELECT id, t FROM (SELECT id, ts AS t, ts + INTERVAL '1' SECOND AS u FROM ev) WHERE u > t;`,
		`EXECUTE STATEMENT SET BEGIN
		 INSERT INTO times SELECT id, ts FROM ev;
		 INSERT INTO names SELECT name, id FROM ev WHERE id > 0;
		 END;`,
	} {
		optimize(t, watermarkDDL+q)
	}
}
