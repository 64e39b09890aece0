package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	cdnudf "github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/examples/udfs"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// Vectorized UDFs through built jobs, where a golden case cannot look: runtime failures
// (the job exits non-zero) and inputs of several batches.

const vecUDF = `package udf

import (
	"errors"
	"strings"
)

// Short returns one result too few.
//
//sqlcstream:vectorized
func Short(x []int64) []int64 { return x[:len(x)-1] }

// Fails returns an error for a batch holding a negative value.
//
//sqlcstream:vectorized
func Fails(x []int64) ([]int64, error) {
	for _, v := range x {
		if v < 0 {
			return nil, errors.New("negative value")
		}
	}
	return x, nil
}

// Panics panics on 13.
//
//sqlcstream:vectorized
func Panics(x []int64) []int64 {
	for _, v := range x {
		if v == 13 {
			panic("unlucky")
		}
	}
	return x
}

// Upper upper-cases; nil stays nil.
//
//sqlcstream:vectorized
func Upper(s []*string) []*string {
	out := make([]*string, len(s))
	for i, p := range s {
		if p != nil {
			u := strings.ToUpper(*p)
			out[i] = &u
		}
	}
	return out
}

// UpperScalar is Upper for one row.
func UpperScalar(s *string) *string {
	if s == nil {
		return nil
	}
	u := strings.ToUpper(*s)
	return &u
}
`

// vecJob compiles sql in a scratch module holding vecUDF and data, builds the job and
// returns the binary and the module directory.
func vecJob(t testing.TB, sql string, data map[string]string) (bin, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a job binary")
	}
	dir = gotest.NewModule(t, "vectest")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), vecUDF)
	for name, content := range data {
		gotest.WriteFile(t, filepath.Join(dir, name), content)
	}
	return buildJob(t, dir, sql), dir
}

const vecFailSQL = `CREATE TABLE t (id BIGINT, x BIGINT) WITH ('connector' = 'filesystem', 'path' = 'data/t.csv', 'format' = 'csv');
CREATE TABLE out_t (id BIGINT, y BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION short AS 'example.com/vectest/udf.Short' LANGUAGE GO;
CREATE FUNCTION fails AS 'example.com/vectest/udf.Fails' LANGUAGE GO;
CREATE FUNCTION panics AS 'example.com/vectest/udf.Panics' LANGUAGE GO;
INSERT INTO out_t SELECT id, %s(x) FROM t WHERE id > 1;
`

// TestVectorizedFailures: a result of the wrong length, an error and a panic each fail
// the job with the SQL position of the call and the batch's rows that reached it (the
// first row, filtered by the WHERE, did not).
func TestVectorizedFailures(t *testing.T) {
	t.Parallel()
	data := map[string]string{"data/t.csv": "1,1\n2,-5\n3,13\n4,4\n"}
	for _, c := range []struct{ fn, want string }{
		{"short", "data/t.csv:2 to data/t.csv:4: job.sql:6:30: function short returned 2 results for 3 rows (a vectorized function returns exactly one result per row)"},
		{"fails", "data/t.csv:2 to data/t.csv:4: job.sql:6:30: function fails returned an error: negative value"},
		{"panics", "data/t.csv:2 to data/t.csv:4: job.sql:6:30: function panics panicked: unlucky"},
	} {
		t.Run(c.fn, func(t *testing.T) {
			t.Parallel()
			bin, dir := vecJob(t, fmt.Sprintf(vecFailSQL, c.fn), data)
			stdout, stderr, code := gotest.Run(t, dir, bin)
			if code == 0 {
				t.Fatalf("job succeeded, want a failure; stdout:\n%s", stdout)
			}
			if stdout != "" {
				t.Errorf("the failing batch wrote rows:\n%s", stdout)
			}
			if !strings.Contains(stderr, "batch "+c.want) {
				t.Errorf("stderr:\n%s\nwant it to contain\n%s", stderr, "batch "+c.want)
			}
		})
	}
}

// TestVectorizedBatches runs a vectorized and the equivalent scalar function over an
// input of several batches (the file source batches 1024 lines) with NULLs and a WHERE
// before the call, and compares them row by row: the buffers are reused across batches.
func TestVectorizedBatches(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	const rows = 3000
	for i := 1; i <= rows; i++ {
		s := fmt.Sprintf("name%d", i)
		if i%7 == 0 {
			s = "null"
		}
		fmt.Fprintf(&sb, "%d,%s\n", i, s)
	}
	sql := `CREATE TABLE t (id BIGINT, s VARCHAR) WITH ('connector' = 'filesystem', 'path' = 'data/t.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE out_t (id BIGINT, v VARCHAR, s VARCHAR, same BOOLEAN) WITH ('connector' = 'print');
CREATE FUNCTION upper_v AS 'example.com/vectest/udf.Upper' LANGUAGE GO;
CREATE FUNCTION upper_s AS 'example.com/vectest/udf.UpperScalar' LANGUAGE GO;
INSERT INTO out_t SELECT id, upper_v(s), upper_s(s), COALESCE(upper_v(s), '-') = COALESCE(upper_s(s), '-') FROM t WHERE MOD(id, 3) <> 0;
`
	bin, dir := vecJob(t, sql, map[string]string{"data/t.csv": sb.String()})
	stdout, stderr, code := gotest.Run(t, dir, bin)
	if code != 0 {
		t.Fatalf("job exited %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	n := 0
	for i := 1; i <= rows; i++ {
		if i%3 == 0 {
			continue
		}
		want := fmt.Sprintf("+I[%d, NAME%d, NAME%d, true]", i, i, i)
		if i%7 == 0 {
			want = fmt.Sprintf("+I[%d, null, null, true]", i)
		}
		if n >= len(lines) {
			t.Fatalf("only %d rows, want %d", len(lines), rows-rows/3)
		}
		if lines[n] != want {
			t.Fatalf("row %d: %s, want %s", n+1, lines[n], want)
		}
		n++
	}
	if n != len(lines) {
		t.Errorf("%d rows, want %d", len(lines), n)
	}
}

// TestVectorizedParallel runs the CDN aggregation with the vectorized and the scalar
// ip_to_province side by side over 5,000 rows (5 batches) with 4 tasks per stage, each
// holding its own buffers, and checks both sinks print the same statistics.
func TestVectorizedParallel(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join(gotest.RepoRoot(t), "examples", "cdn", "data", "access_log.csv"))
	if err != nil {
		t.Fatal(err)
	}
	sample := strings.Split(strings.TrimSpace(string(src)), "\n")
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		sb.WriteString(sample[i%len(sample)])
		sb.WriteByte('\n')
	}
	sql := `CREATE TABLE cdn_access_log (uuid VARCHAR, client_ip VARCHAR, request_time BIGINT, response_size BIGINT)
  WITH ('connector' = 'filesystem', 'path' = 'data/log.csv', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true');
CREATE TABLE v (province VARCHAR, access_count BIGINT, total_download BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'v');
CREATE TABLE s (province VARCHAR, access_count BIGINT, total_download BIGINT) WITH ('connector' = 'print', 'print-identifier' = 's');
CREATE FUNCTION ip_to_provinces AS 'github.com/sqlc-stream/sqlc-stream/examples/udfs.IPToProvinces' LANGUAGE GO;
CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;
INSERT INTO v SELECT province, count(uuid), sum(response_size)
FROM (SELECT uuid, ip_to_provinces(client_ip) AS province, response_size FROM cdn_access_log) GROUP BY province;
INSERT INTO s SELECT province, count(uuid), sum(response_size)
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size FROM cdn_access_log) GROUP BY province;
`
	bin, dir := vecJob(t, sql, map[string]string{"data/log.csv": sb.String()})
	stdout, stderr, code := gotest.Run(t, dir, bin, "-D", "parallelism.default=4")
	if code != 0 {
		t.Fatalf("job exited %d: %s", code, stderr)
	}
	var vs, ss []string
	total := 0
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "v> "):
			vs = append(vs, strings.TrimPrefix(l, "v> "))
		case strings.HasPrefix(l, "s> "):
			ss = append(ss, strings.TrimPrefix(l, "s> "))
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
	// Each keyed task emits its own groups: the order across groups is the scheduling's.
	sort.Strings(vs)
	sort.Strings(ss)
	if len(vs) == 0 || strings.Join(vs, "\n") != strings.Join(ss, "\n") {
		t.Fatalf("vectorized:\n%s\nscalar:\n%s", strings.Join(vs, "\n"), strings.Join(ss, "\n"))
	}
	for _, l := range vs {
		var p string
		var n, size int64
		if _, err := fmt.Sscanf(strings.ReplaceAll(strings.Trim(l, "+I[]"), ",", " "), "%s %d %d", &p, &n, &size); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		total += int(n)
	}
	if total != 5000 {
		t.Errorf("counts add up to %d, want 5000", total)
	}
}

// TestVectorizedTableAPI registers the vectorized function with the Table API by its Go
// value (udfs.IPToProvinces, with table.Vectorized()), runs the seed's Table program
// with it and with the scalar udf.IPToProvince, and compares the outputs.
func TestVectorizedTableAPI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds job binaries")
	}
	dir := gotest.NewModule(t, "vectable")
	gotest.WriteFile(t, filepath.Join(dir, "log.csv"), "u1,1.2.3.4,10,100\nu2,1.2.3.5,30,300\nu3,14.1.1.1,5,50\nu4,,5,7\n")
	ddl := `CREATE TABLE cdn_access_log (uuid VARCHAR, client_ip VARCHAR, request_time BIGINT, response_size BIGINT)
  WITH ('connector' = 'filesystem', 'path' = 'log.csv', 'format' = 'csv');
CREATE TABLE stats (province VARCHAR, access_count BIGINT, total_download BIGINT) WITH ('connector' = 'print');`
	run := func(name string, fn any, opts ...table.FunctionOption) string {
		env := table.NewEnvironment(table.Options{Name: name + ".sql", Dir: dir})
		if err := env.ExecuteSQL(ddl); err != nil {
			t.Fatal(err)
		}
		if err := env.RegisterFunction("ip_to_province", fn, opts...); err != nil {
			t.Fatal(err)
		}
		env.From("cdn_access_log").
			Select("uuid, ip_to_province(client_ip) as province, response_size").
			GroupBy("province").
			Select("province, count(uuid) as access_count, sum(response_size) as total_download").
			InsertInto("stats")
		if err := env.WriteGo(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, name+".bin")
		gotest.Build(t, dir, name, bin)
		out, stderr, code := gotest.Run(t, dir, bin)
		if code != 0 {
			t.Fatalf("%s job exited %d: %s", name, code, stderr)
		}
		return out
	}
	vec := run("vec", udfs.IPToProvinces, table.Vectorized())
	scalar := run("scalar", cdnudf.IPToProvince)
	if vec != scalar || !strings.Contains(vec, "+I[Beijing, 2, 400]") || !strings.Contains(vec, "+I[Unknown, 1, 7]") {
		t.Errorf("vectorized job printed\n%s\nscalar job printed\n%s", vec, scalar)
	}
}

// BenchmarkVectorizedVsScalar runs the CDN query over 1,000,000 rows twice per iteration,
// once calling the vectorized ip_to_provinces and once the scalar ip_to_province
// (examples/udfs, examples/cdn/udf), and reports ns per row of each job (process start
// included; the blackhole sink).
func BenchmarkVectorizedVsScalar(b *testing.B) {
	const rows = 1000000
	src, err := os.ReadFile(filepath.Join(gotest.RepoRoot(b), "examples", "cdn", "data", "access_log.csv"))
	if err != nil {
		b.Fatal(err)
	}
	sample := strings.Split(strings.TrimSpace(string(src)), "\n")
	var sb strings.Builder
	for i := 0; i < rows; i++ {
		sb.WriteString(sample[i%len(sample)])
		sb.WriteByte('\n')
	}
	sql := `CREATE TABLE cdn_access_log (uuid VARCHAR, client_ip VARCHAR, request_time BIGINT, response_size BIGINT)
  WITH ('connector' = 'filesystem', 'path' = 'data/log.csv', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true');
CREATE TABLE out_t (province VARCHAR, access_count BIGINT, total_download BIGINT) WITH ('connector' = 'blackhole');
CREATE FUNCTION f AS '%s' LANGUAGE GO;
INSERT INTO out_t SELECT province, count(uuid), sum(response_size)
FROM (SELECT uuid, f(client_ip) AS province, response_size FROM cdn_access_log) GROUP BY province;
`
	for _, c := range []struct{ name, class string }{
		{"vectorized", "github.com/sqlc-stream/sqlc-stream/examples/udfs.IPToProvinces"},
		{"scalar", "github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince"},
	} {
		b.Run(c.name, func(b *testing.B) {
			bin, dir := vecJob(b, fmt.Sprintf(sql, c.class), map[string]string{"data/log.csv": sb.String()})
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, stderr, code := gotest.Run(b, dir, bin, "-D", "parallelism.default=1"); code != 0 {
					b.Fatalf("job exited %d: %s", code, stderr)
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
