package table_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// seedDDL declares the seed's tables and function: a CSV source and a print sink.
const seedDDL = `
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'access_log.csv',
  'format' = 'csv'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
) WITH (
  'connector' = 'print'
);

CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;
`

// seedSQL is the seed's query written in SQL.
const seedSQL = seedDDL + `
INSERT INTO cdn_access_statistic
SELECT province, count(uuid) AS access_count, sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;
`

// seedTable builds the seed's Table program (issue 4), in Go.
func seedTable(t *testing.T, opts table.Options) *table.Environment {
	t.Helper()
	env := table.NewEnvironment(opts)
	if err := env.ExecuteSQL(seedDDL); err != nil {
		t.Fatal(err)
	}
	env.From("cdn_access_log").
		Select("uuid, ip_to_province(client_ip) as province, response_size, request_time").
		GroupBy("province").
		Select("province, count(uuid) as access_count, sum(response_size) as total_download, " +
			"sum(response_size) * 1.0 / sum(request_time) as download_speed").
		InsertInto("cdn_access_statistic")
	return env
}

func TestSeedSamePlanAsSQL(t *testing.T) {
	opts := table.Options{Dir: gotest.RepoRoot(t)}
	env := seedTable(t, opts)
	plan, err := env.Plan()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := env.Program()
	if err != nil {
		t.Fatal(err)
	}
	res, err := compiler.Compile(seedSQL, compiler.Options{Name: "job.sql", Dir: opts.Dir, Stop: "optimize"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ir.DumpPlan(plan), ir.DumpPlan(res.Plan); got != want {
		t.Errorf("bound plans differ\nTable API:\n%s\nSQL:\n%s", got, want)
	}
	if got, want := ir.DumpProgram(prog), ir.DumpProgram(res.Program); got != want {
		t.Errorf("optimized programs differ\nTable API:\n%s\nSQL:\n%s", got, want)
	}
	if !strings.Contains(ir.DumpPlan(plan), "ip_to_province") {
		t.Errorf("plan does not call the UDF:\n%s", ir.DumpPlan(plan))
	}
}

// thisLine returns the line of its call in this file.
func thisLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

func TestTypoNamesCallSiteAndColumn(t *testing.T) {
	env := table.NewEnvironment(table.Options{Dir: gotest.RepoRoot(t)})
	if err := env.ExecuteSQL(seedDDL); err != nil {
		t.Fatal(err)
	}
	line := thisLine() + 1
	env.From("cdn_access_log").Select("uuid, ip_to_province(clientip) as province").InsertInto("cdn_access_statistic")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("no error for a misspelled column")
	}
	// The position is that of clientip in this file.
	want := "table_test.go:" + itoa(line) + ":" + itoa(columnOf(tableTestFile(), line, "clientip")) + ": "
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "clientip") {
		t.Errorf("error %q does not name %s and the column", err, want)
	}
	if !strings.Contains(err.Error(), `did you mean "client_ip"`) {
		t.Errorf("error %q does not suggest client_ip", err)
	}
}

func TestSyntaxErrorAtCallSite(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL(seedDDL); err != nil {
		t.Fatal(err)
	}
	line := thisLine() + 1
	env.From("cdn_access_log").Where("response_size >").InsertInto("cdn_access_statistic")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("no error for a broken predicate")
	}
	if want := "table_test.go:" + itoa(line) + ":"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %s", err, want)
	}
	// Each error starts with its position; the lines after it are the string and a caret.
	if n := strings.Count(err.Error(), "table_test.go:"); n != 1 {
		t.Errorf("one mistake gave %d errors: %q", n, err)
	}
	if want := "\n  response_size >\n                 ^"; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q does not end with the string and a caret at its end (%q)", err, want)
	}
}

func TestUnknownTable(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL(seedDDL); err != nil {
		t.Fatal(err)
	}
	line := thisLine() + 1
	env.From("cdn_acces_log").InsertInto("cdn_access_statistic")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("no error for an unknown table")
	}
	if want := "table_test.go:" + itoa(line) + ":" + itoa(columnOf(tableTestFile(), line, "cdn_acces_log")) + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %s", err, want)
	}
}

func TestDDLErrorPositionedInString(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	line := thisLine() + 1
	err := env.ExecuteSQL("CREATE TABLE t (a INT) WITH ('connector' = 'print');\nINSERT INTO t SELECT 1")
	if err == nil {
		t.Fatal("ExecuteSQL accepted an INSERT")
	}
	// The INSERT is on the string's second line.
	if want := "table_test.go:" + itoa(line+1) + ":1: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %s", err, want)
	}
}

// TestComposition checks how calls combine: filters, a projection and a grouping on a
// plain table merge into one SELECT; operations after a projection nest it as a subquery.
func TestComposition(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL("CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen');\nCREATE TABLE snk (b STRING, n BIGINT) WITH ('connector' = 'print')"); err != nil {
		t.Fatal(err)
	}
	env.From("src").Where("a > 1").Filter("b <> 'x'").Select("a + 1 AS a, b").Where("a < 10").
		GroupBy("b").Select("b, count(*) AS n").InsertInto("snk")
	want := `CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen');

CREATE TABLE snk (b STRING, n BIGINT) WITH ('connector' = 'print');

INSERT INTO snk
SELECT b, count(*) AS n
FROM (
SELECT a + 1 AS a, b
FROM src
WHERE (a > 1) AND (b <> 'x')
)
WHERE a < 10
GROUP BY b;

`
	if got := env.SQL(); got != want {
		t.Errorf("SQL:\n%s\nwant:\n%s", got, want)
	}
	if _, err := env.Program(); err != nil {
		t.Fatal(err)
	}
}

func TestNoInsert(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if _, err := env.Plan(); err == nil {
		t.Error("a job without InsertInto compiled")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestBindErrorsMapBack checks errors found at bind time: one in a DDL string points
// into it, one in SQL the package wrote names the call that wrote it.
func TestBindErrorsMapBack(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	line := thisLine() + 1
	err := env.ExecuteSQL(`CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen');
CREATE TABLE bad (a FOO) WITH ('connector' = 'print');
CREATE TABLE snk (b STRING, n BIGINT) WITH ('connector' = 'print')`)
	if err != nil {
		t.Fatal(err)
	}
	insertLine := thisLine() + 1
	env.From("src").Select("b").InsertInto("snk")
	_, err = env.Plan()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if want := "table_test.go:" + itoa(line+1) + ":21: unknown type FOO"; !strings.Contains(msg, want) {
		t.Errorf("error %q lacks %q", msg, want)
	}
	if want := "table_test.go:" + itoa(insertLine) + ": "; !strings.Contains(msg, want) || !strings.Contains(msg, "sink") {
		t.Errorf("error %q does not name the InsertInto call %s", msg, want)
	}
}

// TestSeveralInserts checks that each InsertInto adds a sink to one job.
func TestSeveralInserts(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL("CREATE TABLE src (a INT, b STRING) WITH ('connector' = 'datagen');\n" +
		"CREATE TABLE s1 (b STRING) WITH ('connector' = 'print');\nCREATE TABLE s2 (a INT) WITH ('connector' = 'print')"); err != nil {
		t.Fatal(err)
	}
	src := env.From("src").Where("a > 0")
	src.Select("b -- a trailing comment").InsertInto("s1")
	src.Select("a").InsertInto("s2")
	plan, err := env.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Sinks) != 2 {
		t.Errorf("got %d sinks, want 2", len(plan.Sinks))
	}
}

// TestSeedRegisteredAndTyped checks the seed written with RegisterFunction (the Go
// function value) and typed expressions against the SQL version: the same plan. A
// Go float64 literal is a DOUBLE (1.0E0), where the seed's SQL 1.0 is a DECIMAL.
func TestSeedRegisteredAndTyped(t *testing.T) {
	root := gotest.RepoRoot(t)
	ddl := seedDDL[:strings.Index(seedDDL, "CREATE FUNCTION")]
	env := table.NewEnvironment(table.Options{Dir: root})
	if err := env.ExecuteSQL(ddl); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("ip_to_province", udf.IPToProvince); err != nil {
		t.Fatal(err)
	}
	env.From("cdn_access_log").
		Select(table.Col("uuid"), table.Call("ip_to_province", table.Col("client_ip")).As("province"),
			table.Col("response_size"), table.Col("request_time")).
		GroupBy(table.Col("province")).
		Select(table.Col("province"), table.Col("uuid").Count().As("access_count"),
			table.Col("response_size").Sum().As("total_download"),
			table.Col("response_size").Sum().Times(1.0).Div(table.Col("request_time").Sum()).As("download_speed")).
		InsertInto("cdn_access_statistic")
	prog, err := env.Program()
	if err != nil {
		t.Fatal(err)
	}
	sql := strings.Replace(seedSQL, "* 1.0 /", "* 1.0E0 /", 1)
	res, err := compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: root, Stop: "optimize"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ir.DumpProgram(prog), ir.DumpProgram(res.Program); got != want {
		t.Errorf("optimized programs differ\nTable API:\n%s\nSQL:\n%s", got, want)
	}
	if !strings.Contains(env.SQL(), "CREATE FUNCTION `ip_to_province` AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;") {
		t.Errorf("RegisterFunction did not render the CREATE FUNCTION:\n%s", env.SQL())
	}
}

func tableTestFile() string {
	_, file, _, _ := runtime.Caller(0)
	return file
}
