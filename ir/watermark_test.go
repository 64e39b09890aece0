package ir_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

func TestTimeAttributeType(t *testing.T) {
	rt := ir.Timestamp(3).WithTimeAttr(ir.TimeRowtime)
	tests := []struct {
		t    ir.Type
		want string
	}{
		{rt, "TIMESTAMP(3) *ROWTIME*"},
		{rt.NotNull(), "TIMESTAMP(3) NOT NULL *ROWTIME*"},
		{ir.TimestampLTZ(3).WithTimeAttr(ir.TimeProctime), "TIMESTAMP_LTZ(3) *PROCTIME*"},
		{rt.Materialized(), "TIMESTAMP(3)"},
	}
	for _, tc := range tests {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	// Equality ignores the marker (Flink's TimestampType.equals), not the rest.
	if !rt.Equal(ir.Timestamp(3)) || rt.Equal(ir.Timestamp(6)) || rt.Equal(ir.Timestamp(3).NotNull()) {
		t.Errorf("Equal with a time attribute is wrong")
	}
}

const watermarkDDL = `
CREATE TABLE ev (
  id BIGINT,
  ts TIMESTAMP(3),
  sec AS CAST(ts AS TIMESTAMP(0)),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '/tmp/ev.csv', 'format' = 'csv');
CREATE TABLE plain (id BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '/tmp/p.csv', 'format' = 'csv');
CREATE TABLE out_ts (a TIMESTAMP(3), b TIMESTAMP(3), c TIMESTAMP(3)) WITH ('connector' = 'print');
CREATE TABLE out_k (a TIMESTAMP(3), b TIMESTAMP(3), c TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = 'o', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
`

// queryTypes binds one INSERT and returns the types of the query's result (the input
// of the sink's final conversion Calc).
func queryTypes(t *testing.T, insert string) []string {
	t.Helper()
	p := mustBind(t, watermarkDDL+insert)
	var out []string
	for _, f := range p.Sinks[0].Input.(*ir.Calc).Input.Schema() {
		out = append(out, f.Type.String())
	}
	return out
}

func TestWatermarkAssignerBinding(t *testing.T) {
	p := mustBind(t, watermarkDDL+"INSERT INTO out_ts SELECT ts, ts, ts FROM ev;")
	got := ir.DumpPlan(p)
	want := `Sink(table=[out_ts], fields=[a, b, c], changelogMode=[I])
+- Calc(select=[ts AS a, ts AS b, ts AS c], types=[TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*], changelogMode=[I])
   +- Calc(select=[ts, ts, ts], types=[TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*], changelogMode=[I])
      +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
         +- Calc(select=[id, ts, CAST(ts AS TIMESTAMP(0)) AS sec], types=[BIGINT, TIMESTAMP(3), TIMESTAMP(0)], changelogMode=[I])
            +- Scan(table=[ev], fields=[id, ts], changelogMode=[I])
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	w := p.Sinks[0].Input.(*ir.Calc).Input.(*ir.Calc).Input.(*ir.WatermarkAssigner)
	if w.RowtimeIndex != 1 || w.Changelog() != ir.InsertOnly || w.UniqueKey() != nil {
		t.Errorf("assigner: rowtime %d, changelog %s", w.RowtimeIndex, w.Changelog())
	}
	// A table without WATERMARK has no assigner and no time attribute.
	p = mustBind(t, watermarkDDL+"INSERT INTO out_ts SELECT ts, ts, ts FROM plain;")
	if got := ir.DumpPlan(p); strings.Contains(got, "WatermarkAssigner") || strings.Contains(got, "*ROWTIME*") {
		t.Errorf("a table without WATERMARK:\n%s", got)
	}
}

func TestTimeAttributePropagation(t *testing.T) {
	tests := []struct{ name, insert, want string }{
		{"passed through a subquery and a view keeps it", `
			CREATE VIEW v AS SELECT ts AS t2, id FROM ev;
			INSERT INTO out_ts SELECT t2, t2, t2 FROM (SELECT * FROM v WHERE id > 0);`,
			"TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*"},
		{"computing on it materializes", `
			INSERT INTO out_ts SELECT ts + INTERVAL '1' SECOND, CAST(ts AS TIMESTAMP(3)), COALESCE(ts, ts) FROM ev;`,
			"TIMESTAMP(3), TIMESTAMP(3), TIMESTAMP(3)"},
		{"CASE over it materializes", `
			INSERT INTO out_ts SELECT CASE WHEN id > 0 THEN ts ELSE ts END, ts, ts FROM ev;`,
			"TIMESTAMP(3), TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*"},
		{"a non-window aggregate materializes group keys and results", `
			INSERT INTO out_ts SELECT ts, MAX(ts), MIN(ts) FROM ev GROUP BY ts;`,
			"TIMESTAMP(3), TIMESTAMP(3), TIMESTAMP(3)"},
		{"a union keeps it only if every input has it", `
			INSERT INTO out_ts SELECT ts, ts, ts FROM ev UNION ALL SELECT ts, ts, ts FROM plain;`,
			"TIMESTAMP(3), TIMESTAMP(3), TIMESTAMP(3)"},
		{"a union of rowtimes is a rowtime", `
			INSERT INTO out_ts SELECT ts, ts, ts FROM ev UNION ALL SELECT ts, ts, ts FROM ev;`,
			"TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*, TIMESTAMP(3) *ROWTIME*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(queryTypes(t, tc.insert), ", "); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestAcceptsChangelog: the binder's changelog errors come from the operators'
// declarations.
func TestAcceptsChangelog(t *testing.T) {
	kafka := &ir.Sink{Table: &ir.Table{Connector: "kafka"}}
	print := &ir.Sink{Table: &ir.Table{Connector: "print"}}
	for _, m := range []ir.ChangelogMode{ir.InsertOnly, ir.Updating, ir.Retracting} {
		if got, want := kafka.AcceptsChangelog(m), m.IsInsertOnly(); got != want {
			t.Errorf("kafka sink accepts %s: %v", m, got)
		}
		if !print.AcceptsChangelog(m) || !(&ir.Calc{}).AcceptsChangelog(m) || !(&ir.WatermarkAssigner{}).AcceptsChangelog(m) {
			t.Errorf("print sink, Calc and WatermarkAssigner accept every mode, not %s", m)
		}
		if got, want := (&ir.Correlate{}).AcceptsChangelog(m), m.IsInsertOnly(); got != want {
			t.Errorf("Correlate accepts %s: %v", m, got)
		}
	}
	_, err := bind(t, watermarkDDL+"INSERT INTO out_k SELECT ts, MAX(ts), MIN(ts) FROM ev GROUP BY ts;")
	if err == nil || !strings.Contains(err.Error(), "doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[ts]") {
		t.Errorf("updating input into kafka: %v", err)
	}
}
