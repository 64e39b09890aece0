package codegen

import (
	"bytes"
	"database/sql"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// repoRoot is the module root, two levels up from this package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(wd)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s", wd)
	}
	return root
}

// udfSource is the tiny UDF package the test jobs call.
const udfSource = `package udf

import (
	"errors"
	"strings"
)

// IPToProvince maps the first octet of an IPv4 address to a province.
func IPToProvince(ip string) string {
	switch {
	case strings.HasPrefix(ip, "1."):
		return "Beijing"
	case strings.HasPrefix(ip, "2."):
		return "Shanghai"
	case strings.HasPrefix(ip, "3."):
		return "Guangdong"
	}
	return "Unknown"
}

// Checked fails on negative input.
func Checked(x int64) (int64, error) {
	if x < 0 {
		return 0, errors.New("negative input")
	}
	return x * 2, nil
}

// Boom panics on "boom".
func Boom(s string) string {
	if s == "boom" {
		panic("boom!")
	}
	return s + "!"
}

// OrZero maps NULL to 0.
func OrZero(x *int64) int64 {
	if x == nil {
		return 0
	}
	return *x
}
`

// udfFuncs describes udfSource's functions as the binder would resolve them.
var udfFuncs = map[string]*ir.Function{
	"IPToProvince": {Name: "ip_to_province", ImportPath: "example.com/jobtest/udf", GoName: "IPToProvince",
		Params: []ir.Param{{Name: "ip", Type: ir.String().NotNull(), GoType: "string"}},
		Result: ir.String().NotNull(), ResultGo: "string", Deterministic: true},
	"Checked": {Name: "checked", ImportPath: "example.com/jobtest/udf", GoName: "Checked",
		Params: []ir.Param{{Name: "x", Type: ir.BigInt().NotNull(), GoType: "int64"}},
		Result: ir.BigInt().NotNull(), ResultGo: "int64", ReturnsError: true},
	"Boom": {Name: "boom", ImportPath: "example.com/jobtest/udf", GoName: "Boom",
		Params: []ir.Param{{Name: "s", Type: ir.String().NotNull(), GoType: "string"}},
		Result: ir.String().NotNull(), ResultGo: "string"},
	"OrZero": {Name: "or_zero", ImportPath: "example.com/jobtest/udf", GoName: "OrZero",
		Params: []ir.Param{{Name: "x", Type: ir.BigInt(), GoType: "*int64", Pointer: true}},
		Result: ir.BigInt().NotNull(), ResultGo: "int64"},
}

// buildJob writes the generated files into a fresh module next to the UDF package,
// builds the binary and returns its path.
func buildJob(t *testing.T, files []File) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a job binary")
	}
	root := repoRoot(t)
	dir := t.TempDir()
	gomod := fmt.Sprintf("module example.com/jobtest\n\ngo 1.26\n\nrequire github.com/sqlc-stream/sqlc-stream v0.0.0\n\nreplace github.com/sqlc-stream/sqlc-stream => %s\n", root)
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "udf"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "udf", "udf.go"), []byte(udfSource), 0o644))
	for _, f := range files {
		must(t, os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644))
	}
	bin := filepath.Join(dir, "job")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build of the generated job failed: %v\n%s\n--- main.go ---\n%s", err, out, numbered(files[0].Content))
	}
	vet := exec.Command("go", "vet", ".")
	vet.Dir = dir
	vet.Env = cmd.Env
	if out, err := vet.CombinedOutput(); err != nil {
		t.Errorf("go vet of the generated job failed: %v\n%s", err, out)
	}
	return bin
}

func numbered(src []byte) string {
	var b strings.Builder
	for i, l := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// runJob runs a job binary and returns its stdout, stderr and whether it exited 0.
func runJob(t *testing.T, bin string, args ...string) (stdout, stderr string, ok bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if _, isExit := err.(*exec.ExitError); !isExit {
			t.Fatalf("running job: %v", err)
		}
	}
	return o.String(), e.String(), err == nil
}

// generate runs Generate twice, checks the output is identical and gofmt-clean, and
// returns it.
func generate(t *testing.T, prog *ir.Program, src *diag.Source) []File {
	t.Helper()
	opts := Options{SourceName: "job.sql", Source: src}
	a, err := Generate(prog, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	b, err := Generate(prog, opts)
	if err != nil {
		t.Fatalf("Generate (second run): %v", err)
	}
	if len(a) != len(b) {
		t.Fatalf("Generate is not deterministic: %d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Fatalf("Generate is not deterministic for %s", a[i].Name)
		}
		formatted, err := format.Source(a[i].Content)
		if err != nil {
			t.Fatalf("%s does not parse: %v", a[i].Name, err)
		}
		if !bytes.Equal(formatted, a[i].Content) {
			t.Errorf("%s is not gofmt-clean", a[i].Name)
		}
		if !bytes.HasPrefix(a[i].Content, []byte("// Code generated by sqlc-stream. DO NOT EDIT.\n// source: job.sql\n")) {
			t.Errorf("%s lacks the generated-code header", a[i].Name)
		}
	}
	return a
}

// writeFile writes content to a new file in a temp dir and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// sortedLines returns the non-empty lines of s, sorted.
func sortedLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// finalRows applies a print sink's changelog (+I/+U add a row, -U/-D remove it) and
// returns the remaining rows, sorted, without their kinds.
func finalRows(t *testing.T, out string) []string {
	t.Helper()
	rows := map[string]int{}
	for _, l := range strings.Split(out, "\n") {
		if l == "" {
			continue
		}
		if len(l) < 3 {
			t.Fatalf("bad print line %q", l)
		}
		kind, row := l[:2], l[2:]
		switch kind {
		case "+I", "+U":
			rows[row]++
		case "-U", "-D":
			if rows[row] == 0 {
				t.Fatalf("%s of a row never emitted: %q", kind, l)
			}
			rows[row]--
		default:
			t.Fatalf("bad print line %q", l)
		}
	}
	var out2 []string
	for r, n := range rows {
		for ; n > 0; n-- {
			out2 = append(out2, r)
		}
	}
	sort.Strings(out2)
	return out2
}

// --- hand-built CDN program -------------------------------------------------------

// cdnProgram builds the CDN job's optimized program by hand:
//
//	Pipeline 1: Scan(cdn_access_log) -> Calc(ip_to_province(client_ip) AS province, ...) -> Aggregate(groupBy=[province])
//	Pipeline 2: Aggregate -> Calc(province, access_count, total_download, download_speed) -> Sink(print)
func cdnProgram(path string) *ir.Program {
	src := &diag.Source{Name: "job.sql", Text: "-- hand-built\n"}
	log := &ir.Table{Name: "cdn_access_log", Connector: "filesystem", Source: src,
		Columns: []*ir.Column{
			{Name: "uuid", Type: ir.String()},
			{Name: "client_ip", Type: ir.String()},
			{Name: "request_time", Type: ir.BigInt()},
			{Name: "response_size", Type: ir.BigInt()},
		},
		Options: []ir.Option{{Key: "connector", Value: "filesystem"}, {Key: "path", Value: path}, {Key: "format", Value: "csv"}},
	}
	out := &ir.Table{Name: "cdn_access_statistic", Connector: "print", Source: src,
		Columns: []*ir.Column{
			{Name: "province", Type: ir.String()},
			{Name: "access_count", Type: ir.BigInt()},
			{Name: "total_download", Type: ir.BigInt()},
			{Name: "download_speed", Type: ir.Double()},
		},
		Options: []ir.Option{{Key: "connector", Value: "print"}},
	}
	scan := &ir.Scan{Table: log, Columns: []int{0, 1, 2, 3}}
	ipToProvince := udfFuncs["IPToProvince"]
	calc1 := &ir.Calc{Input: scan,
		Exprs: []ir.Expr{
			&ir.UDFCall{Fn: ipToProvince, Args: []ir.Expr{&ir.InputRef{Index: 1, Name: "client_ip", T: ir.String()}}, T: ir.String()},
			&ir.InputRef{Index: 0, Name: "uuid", T: ir.String()},
			&ir.InputRef{Index: 3, Name: "response_size", T: ir.BigInt()},
			&ir.InputRef{Index: 2, Name: "request_time", T: ir.BigInt()},
		},
		Names: []string{"province", "uuid", "response_size", "request_time"},
	}
	agg := &ir.Aggregate{Input: calc1, GroupBy: []int{0},
		Aggs: []ir.AggCall{
			{Func: ir.AggCount, Arg: &ir.InputRef{Index: 1, Name: "uuid", T: ir.String()}, T: ir.BigInt().NotNull(), Name: "access_count"},
			{Func: ir.AggSum, Arg: &ir.InputRef{Index: 2, Name: "response_size", T: ir.BigInt()}, T: ir.BigInt(), Name: "total_download"},
			{Func: ir.AggSum, Arg: &ir.InputRef{Index: 3, Name: "request_time", T: ir.BigInt()}, T: ir.BigInt(), Name: "total_time"},
		},
		Names: []string{"province", "access_count", "total_download", "total_time"},
	}
	calc2 := &ir.Calc{Input: agg,
		Exprs: []ir.Expr{
			&ir.InputRef{Index: 0, Name: "province", T: ir.String()},
			&ir.InputRef{Index: 1, Name: "access_count", T: ir.BigInt().NotNull()},
			&ir.InputRef{Index: 2, Name: "total_download", T: ir.BigInt()},
			&ir.Call{Op: ir.OpDiv, T: ir.Double(), Args: []ir.Expr{
				&ir.Cast{X: &ir.InputRef{Index: 2, Name: "total_download", T: ir.BigInt()}, T: ir.Double()},
				&ir.Cast{X: &ir.InputRef{Index: 3, Name: "total_time", T: ir.BigInt()}, T: ir.Double()},
			}},
		},
		Names: []string{"province", "access_count", "total_download", "download_speed"},
	}
	sink := &ir.Sink{Input: calc2, Table: out, Columns: []int{0, 1, 2, 3}, UpsertKey: []int{0}}
	plan := &ir.Plan{Catalog: &ir.Catalog{Tables: []*ir.Table{log, out}, Functions: []*ir.Function{ipToProvince}},
		Sinks: []*ir.Sink{sink}, Source: src}
	return &ir.Program{Plan: plan, Pipelines: []*ir.Pipeline{
		{ID: 1, Source: scan, Calcs: []*ir.Calc{calc1}, Sink: agg},
		{ID: 2, Source: agg, Calcs: []*ir.Calc{calc2}, Sink: sink},
	}}
}

const cdnCSV = `u1,1.1.1.1,10,100
u2,2.2.2.2,20,400
u3,1.2.3.4,30,200
u4,9.9.9.9,5,50
,3.3.3.3,1,1
`

func TestCDNHandBuilt(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "log.csv", cdnCSV)
	files := generate(t, cdnProgram(path), nil)
	src := string(files[0].Content)
	for _, want := range []string{
		"// Pipeline 1: Scan(cdn_access_log) -> Calc -> Aggregate(groupBy=[province])",
		"type agg1Key struct",
		"udf.IPToProvince(client_ip)",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	bin := buildJob(t, files)
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	// The final state of the changelog (a flush tick may split the input).
	want := []string{
		"[Beijing, 2, 300, 7.5]",
		"[Guangdong, 1, 1, 1.0]",
		"[Shanghai, 1, 400, 20.0]",
		"[Unknown, 1, 50, 10.0]",
	}
	if got := finalRows(t, stdout); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant final rows:\n%s", stdout, strings.Join(want, "\n"))
	}
}

// --- from SQL text ---------------------------------------------------------------

type testResolver struct{}

func (testResolver) Resolve(importPath, goName string) (*ir.Function, error) {
	fn, ok := udfFuncs[goName]
	if !ok || importPath != "example.com/jobtest/udf" {
		return nil, fmt.Errorf("no function %s.%s", importPath, goName)
	}
	c := *fn
	return &c, nil
}

// compileSQL parses, binds and optimizes a script.
func compileSQL(t *testing.T, sql string) (*ir.Program, *diag.Source) {
	t.Helper()
	src := &diag.Source{Name: "job.sql", Text: sql}
	script, err := parser.ParseScript(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	plan, err := ir.Bind(script, ir.BindOptions{Resolver: testResolver{}})
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	prog, err := optimizer.Optimize(plan)
	if err != nil {
		t.Fatalf("optimize: %v", err)
	}
	return prog, src
}

// sqlJob compiles a script whose $DIR stands for a temp directory holding data, builds
// rowError is a job input that must fail the job, and what its standard error says.
type rowError struct{ file, want string }

// expectRowErrors runs bin on each case's file (-D t.path=dir/file) and checks that the job
// fails with the case's message on standard error.
func expectRowErrors(t *testing.T, bin, dir string, cases []rowError) {
	t.Helper()
	for _, c := range cases {
		_, stderr, ok := runJob(t, bin, "-D", "t.path="+filepath.Join(dir, c.file))
		if ok {
			t.Errorf("%s: job succeeded, want failure", c.file)
			continue
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%s: stderr\n%s\nwant it to contain\n%s", c.file, stderr, c.want)
		}
	}
}

// the job and returns the binary and the directory.
func sqlJob(t *testing.T, sql string, data map[string]string) (bin, dir string, files []File) {
	t.Helper()
	dir = t.TempDir()
	names := make([]string, 0, len(data))
	for n := range data {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		must(t, os.WriteFile(filepath.Join(dir, n), []byte(data[n]), 0o644))
	}
	sql = strings.ReplaceAll(sql, "$DIR", dir)
	prog, src := compileSQL(t, sql)
	files = generate(t, prog, src)
	return buildJob(t, files), dir, files
}

const cdnSQL = `
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector.type' = 'filesystem',
  'connector.path' = '$DIR/log.csv',
  'format.type' = 'csv',
  'format.ignore-parse-errors' = 'true'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
) WITH (
  'connector' = 'print'
);

CREATE FUNCTION ip_to_province AS 'example.com/jobtest/udf.IPToProvince' LANGUAGE GO;

INSERT INTO cdn_access_statistic
SELECT province,
       count(uuid) AS access_count,
       sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;
`

// TestCDNFromSQL runs the seed query over a CSV file with a bad field (ignored as NULL)
// and compares with the aggregates computed here.
func TestCDNFromSQL(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	type agg struct {
		count, size, time int64
		order             int
	}
	want := map[string]*agg{}
	province := func(ip string) string {
		switch ip[:2] {
		case "1.":
			return "Beijing"
		case "2.":
			return "Shanghai"
		case "3.":
			return "Guangdong"
		}
		return "Unknown"
	}
	n := 0
	for i := 0; i < 3000; i++ {
		ip := fmt.Sprintf("%d.%d.0.1", i%4+1, i%7)
		rt := int64(i%5 + 1)
		size := int64(i%9) * 100
		fmt.Fprintf(&sb, "u%d,%s,%d,%d\n", i, ip, rt, size)
		p := province(ip)
		a := want[p]
		if a == nil {
			a = &agg{order: n}
			n++
			want[p] = a
		}
		a.count++
		a.size += size
		a.time += rt
	}
	// A bad request_time: ignored (NULL) under format.ignore-parse-errors.
	sb.WriteString("bad,1.1.1.1,notanumber,100\n")
	want["Beijing"].count++
	want["Beijing"].size += 100

	bin, _, _ := sqlJob(t, cdnSQL, map[string]string{"log.csv": sb.String()})
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	if !strings.Contains(stderr, "cdn_access_log.records_nulled=1") {
		t.Errorf("stderr lacks the parse error count: %s", stderr)
	}
	lines := finalRows(t, stdout)
	if len(lines) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%s", len(lines), len(want), stdout)
	}
	for p, a := range want {
		// sum*1.0/sum is a DECIMAL division: the DOUBLE is the quotient rounded to
		// the result scale, so compare with a tolerance.
		speed := float64(a.size) / float64(a.time)
		prefix := fmt.Sprintf("[%s, %d, %d, ", p, a.count, a.size)
		line := ""
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				line = l
			}
		}
		if line == "" {
			t.Errorf("no row with prefix %q in\n%s", prefix, strings.Join(lines, "\n"))
			continue
		}
		var got float64
		fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(line, prefix), "]"), "%g", &got)
		if d := got - speed; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: download_speed %v, want %v", p, got, speed)
		}
	}
}

const projectionSQL = `
CREATE TABLE src (
  id INT,
  name STRING,
  score DOUBLE,
  amount DECIMAL(10, 2),
  flag BOOLEAN,
  ts TIMESTAMP(3)
) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/src.csv', 'format' = 'csv',
  'csv.null-literal' = 'NULL', 'csv.ignore-parse-errors' = 'true'
);

CREATE TABLE out (
  id INT, up STRING, grade STRING, amount2 DECIMAL(12, 2), label STRING, num INT,
  nm STRING, small BOOLEAN, alike BOOLEAN, ts2 STRING
) WITH ('connector' = 'print');

INSERT INTO out
SELECT id, UPPER(name),
  CASE WHEN score > 50 THEN 'high' WHEN score IS NULL THEN 'none' ELSE 'low' END,
  amount * 2,
  CAST(id AS STRING) || '-' || COALESCE(name, '?'),
  TRY_CAST(name AS INT),
  COALESCE(name, 'anon'),
  id IN (1, 3),
  name LIKE 'a%',
  CAST(ts AS STRING)
FROM src
WHERE id > 0 AND (flag OR flag IS NULL);
`

// TestProjection covers an append-only pipeline: NULL literals, a parse error read as
// NULL, WHERE with three-valued logic, CASE, DECIMAL arithmetic, casts, COALESCE, IN,
// LIKE and string functions.
func TestProjection(t *testing.T) {
	t.Parallel()
	data := `1,alice,70.5,10.25,true,2020-01-01 12:00:00.123
2,bob,NULL,1.50,NULL,2021-06-30 00:00:00
3,carl,10,NULL,false,NULL
4,NULL,x,3.00,true,2020-01-01 00:00:00
0,zero,1,1,true,NULL
5,42,55,0.01,true,NULL
`
	bin, _, _ := sqlJob(t, projectionSQL, map[string]string{"src.csv": data})
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	want := `+I[1, ALICE, high, 20.50, 1-alice, null, alice, true, true, 2020-01-01 12:00:00.123]
+I[2, BOB, none, 3.00, 2-bob, null, bob, false, false, 2021-06-30 00:00:00.000]
+I[4, null, none, 6.00, 4-?, null, anon, false, null, 2020-01-01 00:00:00.000]
+I[5, 42, high, 0.02, 5-42, 42, 42, false, false, null]
`
	if stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "src.records_nulled=1") {
		t.Errorf("stderr lacks the parse error count: %s", stderr)
	}
}

const errorsSQL = `
CREATE TABLE t (a BIGINT, b BIGINT, s STRING, w STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/ok.csv', 'format' = 'csv');
CREATE TABLE o (q BIGINT, c INT, u BIGINT, bm STRING, z BIGINT, r DOUBLE, d DECIMAL(10, 2)) WITH ('connector' = 'print');
CREATE FUNCTION checked AS 'example.com/jobtest/udf.Checked' LANGUAGE GO;
CREATE FUNCTION boom AS 'example.com/jobtest/udf.Boom' LANGUAGE GO;
CREATE FUNCTION or_zero AS 'example.com/jobtest/udf.OrZero' LANGUAGE GO;
INSERT INTO o SELECT a / b, CAST(s AS INT), checked(a), boom(w), or_zero(TRY_CAST(w AS BIGINT)),
  ROUND(CAST(a AS DOUBLE) / (b - 2), 1), CAST(CAST(a AS DOUBLE) / (b - 1) AS DECIMAL(10, 2)) FROM t;
`

// TestRuntimeErrors builds one job and runs it over inputs that fail in each way a row
// can fail: integer division by zero, a bad CAST, ROUND of ±Infinity, CAST of ±Infinity to DECIMAL, a UDF error, a UDF panic and a field
// that does not parse. Each message names the record and the SQL position.
func TestRuntimeErrors(t *testing.T) {
	t.Parallel()
	data := map[string]string{
		"ok.csv":    "6,3,7,x\n7,-2,8,12\n",
		"div.csv":   "6,3,7,x\n1,0,1,x\n",
		"cast.csv":  "1,1,abc,x\n",
		"udf.csv":   "-1,1,1,x\n",
		"boom.csv":  "1,1,1,boom\n",
		"parse.csv": "1,3,1,x\nx,1,1,x\n",
		"round.csv": "1,2,1,x\n",
		"nan.csv":   "1,1,1,x\n",
	}
	bin, dir, _ := sqlJob(t, errorsSQL, data)
	sql := strings.ReplaceAll(errorsSQL, "$DIR", dir)
	src := &diag.Source{Name: "job.sql", Text: sql}
	at := func(s string) string { return src.Position(strings.Index(sql, s)).String() }

	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	// 7 / -2 truncates toward zero as in Java; TRY_CAST('x') is NULL, so or_zero gets nil.
	// ROUND(-1.75, 1) is HALF_UP on BigDecimal: -1.8.
	if want := "+I[2, 7, 12, x!, 0, 6.0, 3.00]\n+I[-3, 8, 14, 12!, 12, -1.8, -2.33]\n"; stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", stdout, want)
	}
	expectRowErrors(t, bin, dir, []rowError{
		{"div.csv", "div.csv:2: " + at("a / b") + ": division by zero"},
		{"cast.csv", "cast.csv:1: " + at("CAST(s AS INT)") + `: cannot cast "abc" to INT`},
		{"udf.csv", "udf.csv:1: " + at("checked(a)") + ": function checked returned an error: negative input"},
		{"boom.csv", "boom.csv:1: " + at("boom(w)") + ": function boom panicked: boom!"},
		{"parse.csv", "parse.csv:2: " + at("a BIGINT") + `: cannot parse "x" as BIGINT for column a`},
		// BigDecimal.valueOf(Infinity) throws in Flink's SqlFunctionUtils.sround.
		{"round.csv", "round.csv:1: " + at("ROUND(") + ": ROUND of +Inf: Infinite or NaN"},
		// Flink: BigDecimal.valueOf(Infinity) throws; TRY_CAST would give NULL.
		{"nan.csv", "nan.csv:1: " + at("CAST(CAST(a AS DOUBLE) / (b - 1)") + ": cannot cast +Inf to DECIMAL(10, 2)"},
	})
}

// TestCDNSQLite writes the seed query into an embedded SQLite table through the legacy
// JDBC keys, then reads the table back and compares with the aggregates computed here.
func TestCDNSQLite(t *testing.T) {
	t.Parallel()
	sql := strings.Replace(cdnSQL, `WITH (
  'connector' = 'print'
)`, `WITH (
  'connector.type' = 'jdbc',
  'connector.url' = 'jdbc:sqlite:$DIR/out.db',
  'connector.table' = 'access_statistic',
  'connector.write.flush.interval' = '1s'
)`, 1)
	var sb strings.Builder
	want := cdnWant{}
	names := map[int]string{1: "Beijing", 2: "Shanghai", 3: "Guangdong", 4: "Unknown"}
	for i := 0; i < 5000; i++ {
		o := i%4 + 1
		rt, size := int64(i%3+1), int64(i%11)*10
		fmt.Fprintf(&sb, "u%d,%d.0.0.%d,%d,%d\n", i, o, i%250, rt, size)
		want.add(names[o], size, rt)
	}
	bin, dir, _ := sqlJob(t, sql, map[string]string{"log.csv": sb.String()})
	if _, stderr, ok := runJob(t, bin); !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	db, err := sqlOpen(filepath.Join(dir, "out.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkStatistic(t, db, "access_statistic", want)
}

// cdnAgg is what the CDN query computes for one province, by hand in a test.
type cdnAgg struct{ count, size, time int64 }

// cdnWant maps provinces to their expected aggregates.
type cdnWant map[string]*cdnAgg

// add counts one record of province with the given response_size and request_time.
func (w cdnWant) add(province string, size, time int64) {
	a := w[province]
	if a == nil {
		a = &cdnAgg{}
		w[province] = a
	}
	a.count++
	a.size += size
	a.time += time
}

// checkStatistic compares the CDN statistic table a job wrote with want.
func checkStatistic(t *testing.T, db *sql.DB, table string, want cdnWant) {
	t.Helper()
	rows, err := db.Query(`SELECT province, access_count, total_download, download_speed FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var p string
		var count, size int64
		var speed float64
		if err := rows.Scan(&p, &count, &size, &speed); err != nil {
			t.Fatal(err)
		}
		n++
		a := want[p]
		if a == nil {
			t.Errorf("unexpected province %q", p)
			continue
		}
		exp := float64(a.size) / float64(a.time)
		if count != a.count || size != a.size || speed-exp > 1e-6 || exp-speed > 1e-6 {
			t.Errorf("%s: got (%d, %d, %v), want (%d, %d, %v)", p, count, size, speed, a.count, a.size, exp)
		}
	}
	if n != len(want) {
		t.Errorf("table has %d rows, want %d", n, len(want))
	}
}
