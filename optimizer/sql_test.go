package optimizer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// resolver knows ip_to_province (deterministic) and rand_tag (not deterministic).
type resolver struct{}

func (resolver) Resolve(importPath, goName string) (*ir.Function, error) {
	str := ir.String().NotNull()
	switch goName {
	case "IPToProvince":
		return &ir.Function{ImportPath: importPath, GoName: goName,
			Params: []ir.Param{{Name: "ip", Type: str, GoType: "string"}},
			Result: str, ResultGo: "string", Deterministic: true}, nil
	case "RandTag":
		return &ir.Function{ImportPath: importPath, GoName: goName,
			Params: []ir.Param{{Name: "s", Type: str, GoType: "string"}},
			Result: str, ResultGo: "string"}, nil
	}
	return nil, fmt.Errorf("no function %s", goName)
}

const ddl = `
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT,
  uri VARCHAR
) WITH (
  'connector' = 'filesystem',
  'path' = '/tmp/access.csv',
  'format' = 'csv'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE,
  PRIMARY KEY (province) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:sqlite:/tmp/out.db',
  'table-name' = 'cdn_access_statistic'
);

CREATE TABLE uris (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');

CREATE FUNCTION ip_to_province AS 'example.com/udf.IPToProvince' LANGUAGE GO;
CREATE FUNCTION rand_tag AS 'example.com/udf.RandTag' LANGUAGE GO;
`

const cdnQuery = `
INSERT INTO cdn_access_statistic
SELECT province, count(uuid) AS access_count, sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
      FROM cdn_access_log)
GROUP BY province;
`

func bindSQL(t *testing.T, sql string) *ir.Plan {
	t.Helper()
	src := &diag.Source{Name: "job.sql", Text: sql}
	script, err := parser.ParseScript(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	p, err := ir.Bind(script, ir.BindOptions{Resolver: resolver{}})
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return p
}

// optimize binds and optimizes sql; opts, if given, replace the default options.
func optimize(t *testing.T, sql string, opts ...optimizer.Options) (*ir.Plan, *ir.Program) {
	t.Helper()
	p := bindSQL(t, sql)
	before := ir.DumpPlan(p)
	var o optimizer.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	prog, err := optimizer.OptimizeWith(p, o)
	if err != nil {
		t.Fatalf("optimize: %v\n%s", err, before)
	}
	if after := ir.DumpPlan(p); after != before {
		t.Errorf("Optimize modified the bound plan:\n%s\nwas:\n%s", after, before)
	}
	if err := optimizer.Check(prog); err != nil {
		t.Fatal(err)
	}
	for i, s := range p.Sinks {
		o := prog.Plan.Sinks[i]
		if s.Changelog() != o.Changelog() {
			t.Errorf("sink %s: changelog %s became %s", s.Table.Name, s.Changelog(), o.Changelog())
		}
		if fmt.Sprint(s.UniqueKey()) != fmt.Sprint(o.UniqueKey()) {
			t.Errorf("sink %s: unique key %v became %v", s.Table.Name, s.UniqueKey(), o.UniqueKey())
		}
	}
	return p, prog
}

func scans(n ir.Node) []*ir.Scan {
	if s, ok := n.(*ir.Scan); ok {
		return []*ir.Scan{s}
	}
	var out []*ir.Scan
	for _, in := range n.Inputs() {
		out = append(out, scans(in)...)
	}
	return out
}

func aggregates(n ir.Node) []*ir.Aggregate {
	var out []*ir.Aggregate
	if a, ok := n.(*ir.Aggregate); ok {
		out = append(out, a)
	}
	for _, in := range n.Inputs() {
		out = append(out, aggregates(in)...)
	}
	return out
}

func scanColumns(s *ir.Scan) string {
	var names []string
	for _, c := range s.Columns {
		names = append(names, s.Table.Columns[c].Name)
	}
	return strings.Join(names, ",")
}

func TestCDNQueryFromSQL(t *testing.T) {
	bound, prog := optimize(t, ddl+cdnQuery)
	opt := prog.Plan
	t.Logf("bound:\n%s\noptimized:\n%s\npipelines:\n%s", ir.DumpPlan(bound), ir.DumpPlan(opt), ir.DumpProgram(prog))

	sc := scans(opt.Sinks[0])
	if len(sc) != 1 {
		t.Fatalf("%d scans", len(sc))
	}
	if got := scanColumns(sc[0]); strings.Contains(got, "uri") || got != "uuid,client_ip,request_time,response_size" {
		t.Errorf("scan decodes %q; uri must be pruned", got)
	}
	// The bound plan still reads uri.
	if got := scanColumns(scans(bound.Sinks[0])[0]); !strings.Contains(got, "uri") {
		t.Errorf("bound scan reads %q", got)
	}
	aggs := aggregates(opt.Sinks[0])
	if len(aggs) != 1 {
		t.Fatalf("%d aggregates", len(aggs))
	}
	sums := 0
	for _, a := range aggs[0].Aggs {
		if a.Func == ir.AggSum {
			if r, ok := a.Arg.(*ir.InputRef); ok && aggs[0].Input.Schema()[r.Index].Name == "response_size" {
				sums++
			}
		}
	}
	if sums != 1 || len(aggs[0].Aggs) != 3 {
		t.Errorf("want COUNT, one SUM(response_size), SUM(request_time); got %d aggregates, %d sums of response_size:\n%s", len(aggs[0].Aggs), sums, ir.DumpPlan(opt))
	}
	if len(aggregates(bound.Sinks[0])[0].Aggs) != 4 {
		t.Errorf("bound plan lost its duplicate SUM")
	}
	// Two pipelines: scan -> calc(s) -> aggregate; aggregate -> calc -> sink. Between
	// the scan and the aggregate there is exactly one Calc (the projections merged).
	if len(prog.Pipelines) != 2 {
		t.Fatalf("%d pipelines:\n%s", len(prog.Pipelines), ir.DumpProgram(prog))
	}
	if n := len(prog.Pipelines[0].Calcs); n != 1 {
		t.Errorf("pipeline 0 has %d calcs, want 1:\n%s", n, ir.DumpProgram(prog))
	}
	if n := len(prog.Pipelines[1].Calcs); n != 1 {
		t.Errorf("pipeline 1 has %d calcs, want 1:\n%s", n, ir.DumpProgram(prog))
	}
	if !opt.Sinks[0].Changelog().UpdateAfter {
		t.Errorf("sink mode %s, want updating", opt.Sinks[0].Changelog())
	}
}

// unshared turns off the sharing of scans and aggregates across the INSERTs of a
// statement set, for tests of what each INSERT's own pipelines look like.
var unshared = optimizer.Options{NoShareScans: true, NoShareAggregates: true}

func TestStatementSetFromSQL(t *testing.T) {
	bound, prog := optimize(t, ddl+cdnQuery+`
INSERT INTO uris SELECT uri, response_size + 0 FROM cdn_access_log WHERE 1 = 1 AND uri IS NOT NULL;
`, unshared)
	opt := prog.Plan
	t.Logf("bound:\n%s\noptimized:\n%s", ir.DumpPlan(bound), ir.DumpPlan(opt))
	if len(opt.Sinks) != 2 {
		t.Fatalf("%d sinks", len(opt.Sinks))
	}
	if got := scanColumns(scans(opt.Sinks[1])[0]); got != "response_size,uri" {
		t.Errorf("second scan decodes %q", got)
	}
	if len(prog.Pipelines) != 3 {
		t.Errorf("%d pipelines:\n%s", len(prog.Pipelines), ir.DumpProgram(prog))
	}
	dump := ir.DumpPlan(opt)
	if strings.Contains(dump, "1 = 1") || !strings.Contains(dump, "IS NOT NULL") {
		t.Errorf("constant condition not folded:\n%s", dump)
	}
	if !opt.Sinks[1].Changelog().IsInsertOnly() {
		t.Errorf("copy sink mode %s", opt.Sinks[1].Changelog())
	}
}

func TestHavingOnGroupKeyFromSQL(t *testing.T) {
	_, prog := optimize(t, ddl+`
INSERT INTO cdn_access_statistic
SELECT province, count(uuid), sum(response_size), CAST(sum(request_time) AS DOUBLE)
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
      FROM cdn_access_log)
GROUP BY province
HAVING province = 'Beijing' AND count(uuid) > 1;
`)
	opt := prog.Plan
	agg := aggregates(opt.Sinks[0])[0]
	below, ok := agg.Input.(*ir.Calc)
	if !ok || below.Cond == nil || !strings.Contains(ir.FormatExpr(below.Cond, below.Input.Schema()), "Beijing") {
		t.Errorf("province filter not below the aggregate:\n%s", ir.DumpPlan(opt))
	}
	// The UDF is computed once for the filter and the group key.
	if n := strings.Count(ir.DumpPlan(opt), "ip_to_province"); n != 1 {
		t.Errorf("ip_to_province appears %d times:\n%s", n, ir.DumpPlan(opt))
	}
	// count(uuid) > 1 stays above.
	found := false
	for n := opt.Sinks[0].Input; n != ir.Node(agg); n = n.Inputs()[0] {
		if c, ok := n.(*ir.Calc); ok && c.Cond != nil {
			found = true
		}
	}
	if !found {
		t.Errorf("count filter lost:\n%s", ir.DumpPlan(opt))
	}
}

func TestNonDeterministicUDFNotShared(t *testing.T) {
	_, prog := optimize(t, ddl+`
INSERT INTO uris SELECT rand_tag(uri) || rand_tag(uri), 1 FROM cdn_access_log;
`)
	if n := strings.Count(ir.DumpPlan(prog.Plan), "rand_tag"); n != 2 {
		t.Errorf("rand_tag appears %d times, want 2:\n%s", n, ir.DumpPlan(prog.Plan))
	}
}

func TestShareScansFromSQL(t *testing.T) {
	p := bindSQL(t, ddl+cdnQuery+`
INSERT INTO uris SELECT uri, response_size FROM cdn_access_log WHERE uri IS NOT NULL;
`)
	prog, err := optimizer.OptimizeWith(p, optimizer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(prog.Pipelines) != 3 {
		t.Fatalf("%d pipelines:\n%s", len(prog.Pipelines), ir.DumpProgram(prog))
	}
	a, c := prog.Pipelines[0].Source, prog.Pipelines[2].Source
	if a != c {
		t.Errorf("the two INSERTs do not share their scan:\n%s", ir.DumpProgram(prog))
	}
	if got := scanColumns(a.(*ir.Scan)); got != "uuid,client_ip,request_time,response_size,uri" {
		t.Errorf("shared scan decodes %q", got)
	}
	dump := ir.DumpPlan(prog.Plan)
	if !strings.Contains(dump, "select=[uri, response_size") || !strings.Contains(dump, "ip_to_province(client_ip)") {
		t.Errorf("readers not renumbered:\n%s", dump)
	}
}

// The CDN example's statement set: the same aggregation into SQLite and print.
const twoSinks = `
CREATE TABLE cdn_access_print (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
) WITH ('connector' = 'print');

CREATE VIEW stats AS
SELECT province, count(uuid) AS access_count, sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
      FROM cdn_access_log)
GROUP BY province;

INSERT INTO cdn_access_statistic SELECT * FROM stats;
INSERT INTO cdn_access_print SELECT * FROM stats;
`

func TestShareAggregatesFromSQL(t *testing.T) {
	p := bindSQL(t, ddl+twoSinks)
	prog, err := optimizer.OptimizeWith(p, optimizer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var shape []string
	for _, pl := range prog.Pipelines {
		shape = append(shape, fmt.Sprintf("%T>%T", pl.Source, pl.Sink))
	}
	want := "*ir.Scan>*ir.Aggregate *ir.Aggregate>*ir.Sink *ir.Aggregate>*ir.Sink"
	if got := strings.Join(shape, " "); got != want {
		t.Errorf("pipelines %s, want %s:\n%s", got, want, ir.DumpProgram(prog))
	}
	for i, s := range p.Sinks {
		if s.Changelog() != prog.Plan.Sinks[i].Changelog() {
			t.Errorf("sink %d mode changed", i)
		}
	}
	// Without sharing, each INSERT aggregates on its own.
	_, prog = optimize(t, ddl+twoSinks, unshared)
	if len(prog.Pipelines) != 4 {
		t.Errorf("%d pipelines without sharing", len(prog.Pipelines))
	}
}

// The CDN statement set's two readers of the shared aggregate compute download_speed
// once, in a shared Calc: the print sink reads it as is, the jdbc sink through a Calc
// of its own that casts province to its NOT NULL key column.
func TestShareAggregateCalcsFromSQL(t *testing.T) {
	_, prog := optimize(t, ddl+twoSinks)
	var shared *ir.Calc
	for _, pl := range prog.Pipelines[1:] {
		if len(pl.Calcs) == 0 {
			t.Fatalf("pipeline %d has no Calc:\n%s", pl.ID, ir.DumpProgram(prog))
		}
		if shared == nil {
			shared = pl.Calcs[0]
		}
		if pl.Calcs[0] != shared || shared.Input != pl.Source {
			t.Fatalf("pipelines 1 and 2 do not start with one shared Calc:\n%s", ir.DumpProgram(prog))
		}
	}
	dump := ir.DumpProgram(prog)
	if n := strings.Count(ir.DumpPlan(prog.Plan), "/ CAST($f4"); n != 2 { // the shared Calc under each sink
		t.Errorf("the division is printed %d times, want 2 (one shared Calc):\n%s", n, ir.DumpPlan(prog.Plan))
	}
	if got := len(prog.Pipelines[1].Calcs) + len(prog.Pipelines[2].Calcs); got != 3 {
		t.Errorf("%d Calcs in the emitting pipelines, want the shared one in both and a cast for jdbc:\n%s", got, dump)
	}
	if !strings.Contains(dump, "Aggregate(emit) -> Calc(shared) -> Calc -> Sink(cdn_access_statistic)") ||
		!strings.Contains(dump, "Aggregate(emit) -> Calc(shared) -> Sink(cdn_access_print)") {
		t.Errorf("explain does not show the shared Calc:\n%s", dump)
	}
	// Turned off with the sharing of aggregates.
	_, prog = optimize(t, ddl+twoSinks, unshared)
	if strings.Contains(ir.DumpProgram(prog), "shared") {
		t.Errorf("shared without ShareAggregates:\n%s", ir.DumpProgram(prog))
	}
}

// What may not be computed for every group stays with its reader: a non-deterministic
// UDF, a UDF that dead-letters the reader's row, and a division that only filtered rows
// compute (each reader has its own HAVING), while the same division in both HAVINGs is
// shared.
func TestShareAggregateCalcsKeepsWhatItMustFromSQL(t *testing.T) {
	_, prog := optimize(t, ddl+`
CREATE VIEW v AS SELECT uri, COUNT(*) AS c, SUM(request_time) AS s FROM cdn_access_log GROUP BY uri;
CREATE TABLE u2 (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE u3 (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE u4 (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE u5 (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE u6 (uri VARCHAR, n BIGINT) WITH ('connector' = 'print');
CREATE TABLE dead (function_name STRING, error_message STRING) WITH ('connector' = 'print');
CREATE FUNCTION tag_or_dead AS 'example.com/udf.IPToProvince' LANGUAGE GO
  WITH ('on-error' = 'dead-letter', 'dead-letter.table' = 'dead');
EXECUTE STATEMENT SET BEGIN
INSERT INTO uris SELECT rand_tag(uri), 100 / s FROM v WHERE c > 1;
INSERT INTO u2 SELECT rand_tag(uri), 100 / s FROM v WHERE c > 2;
INSERT INTO u3 SELECT uri, c + s FROM v WHERE 7 / c > 1;
INSERT INTO u4 SELECT uri, s - c FROM v WHERE 7 / c > 2;
INSERT INTO u5 SELECT uri, c + s FROM v WHERE tag_or_dead(CAST(s AS STRING)) <> 'x';
INSERT INTO u6 SELECT uri, s - c FROM v WHERE tag_or_dead(CAST(s AS STRING)) <> 'y';
END;
`)
	var shared *ir.Calc
	for _, pl := range prog.Pipelines {
		if len(pl.Calcs) > 1 {
			shared = pl.Calcs[0]
		}
	}
	if shared == nil {
		t.Fatalf("no shared Calc:\n%s", ir.DumpProgram(prog))
	}
	got := ir.Describe(shared)
	if strings.Contains(got, "rand_tag") || strings.Contains(got, "100 /") || strings.Contains(got, "tag_or_dead") || !strings.Contains(got, "7 / c") {
		t.Errorf("shared Calc %s: want 7 / c only", got)
	}
}
