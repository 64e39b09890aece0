package golden

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// An aggregate over an aggregate, where a golden case cannot look: a golden job reads its
// file in one flush, so the aggregate below only ever sends +I. This test drives the
// generated program batch by batch with a flush after each, so groups below move
// (-U/+U into the aggregate above: retraction) and groups above empty out (-D).

const retractUDF = `package udf

import (
	"sort"
	"strings"
)

// Names joins the distinct names of a group, sorted: a multiset accumulator that
// Retract takes names out of.
type Names struct{}

// NamesAcc counts each name's rows.
type NamesAcc struct{ N map[string]int64 }

func (Names) CreateAccumulator() *NamesAcc { return &NamesAcc{N: map[string]int64{}} }

func (Names) Accumulate(acc *NamesAcc, s string) { acc.N[s]++ }

func (Names) Retract(acc *NamesAcc, s string) {
	if acc.N[s]--; acc.N[s] <= 0 {
		delete(acc.N, s)
	}
}

func (Names) GetValue(acc *NamesAcc) string {
	var ns []string
	for n := range acc.N {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return strings.Join(ns, "|")
}
`

const retractSQL = `
CREATE TABLE clicks (usr STRING, n BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'data/c.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE hist (cnt BIGINT, users BIGINT, total BIGINT, lo BIGINT, hi BIGINT, av BIGINT,
  dt BIGINT, mn STRING, mx STRING, names STRING) WITH ('connector' = 'print');
CREATE FUNCTION names AS 'example.com/retract/udf.Names' LANGUAGE GO;
INSERT INTO hist
SELECT cnt, COUNT(*), SUM(total), MIN(total), MAX(total), AVG(total), COUNT(DISTINCT total),
       MIN(usr), MAX(usr), names(usr)
FROM (SELECT usr, COUNT(*) AS cnt, SUM(n) AS total FROM clicks GROUP BY usr)
GROUP BY cnt;
`

// The driver: one batch per step, a flush after each. Expected changelog, by hand
// (per user: cnt = rows, total = SUM(n); hist groups users by cnt; the aggregate
// above sees a user's old row retracted (-U) and its new one accumulated (+U)):
//
//	1 a,1 b,2 a,3  a(2,4) b(1,2)           cnt2 {a4}; cnt1 {b2}
//	2 c,5 d,2      c(1,5) d(1,2)           cnt1 {b2,c5,d2}
//	3 b,7          b(1,2)->(2,9)           cnt1 {c5,d2}: MIN stays 2 (d), DISTINCT 2; cnt2 {a4,b9}
//	4 d,1 c,1      d->(2,3) c->(2,6)       cnt1 empty: -D; cnt2 {a4,b9,d3,c6}, AVG 22/4 = 5
//	5 a,0          a->(3,4)                cnt2 {b9,d3,c6}; cnt3 {a4}: +I
//	6 e,9          e(1,9)                  cnt1 back: +I
//	7 b,-9         b->(3,0)                cnt2 {d3,c6}: MAX 9 retracted, recomputed 6; cnt3 {a4,b0}
//	8 f,NULL       f(1,NULL)               cnt1 {e9,fNULL}: SUM and MIN skip NULL
//	9 e,1          e->(2,10)               cnt1 {fNULL}: SUM/MIN/MAX/AVG NULL again, DISTINCT 0
//	10 f,5         f->(2,5)                cnt1 empty: -D; cnt2 {d3,c6,e10,f5}
const retractDriver = `package main

import (
	"bytes"
	"testing"

	"example.com/retract/udf"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/csv"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	printsink "github.com/sqlc-stream/sqlc-stream/runtimelib/print"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestChangelog(t *testing.T) {
	var buf bytes.Buffer
	p := &program{}
	cfg := csv.DefaultConfig()
	cfg.NullLiteral, cfg.HasNullLiteral = "null", true
	p.csv0 = csv.NewSplitter(cfg)
	p.parseErrors0 = &job.Counter{}
	p.udf1_names = new(udf.Names)
	p.sink1 = printsink.NewWriterSink(&buf, "", spec.Tables[1].Schema)
	step := func(want string, lines ...string) {
		t.Helper()
		buf.Reset()
		b := &stream.Batch{Origin: "c.csv", FirstLine: 1}
		for _, l := range lines {
			b.Records = append(b.Records, []byte(l))
		}
		if err := p.onBatch(0, b); err != nil {
			t.Fatal(err)
		}
		if err := p.onFlush(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want {
			t.Errorf("after %q:\n%s\nwant:\n%s", lines, buf.String(), want)
		}
	}
	step("+I[2, 1, 4, 4, 4, 4, 1, a, a, a]\n"+
		"+I[1, 1, 2, 2, 2, 2, 1, b, b, b]\n",
		"a,1", "b,2", "a,3")
	step("-U[1, 1, 2, 2, 2, 2, 1, b, b, b]\n"+
		"+U[1, 3, 9, 2, 5, 3, 2, b, d, b|c|d]\n",
		"c,5", "d,2")
	step("-U[1, 3, 9, 2, 5, 3, 2, b, d, b|c|d]\n"+
		"+U[1, 2, 7, 2, 5, 3, 2, c, d, c|d]\n"+
		"-U[2, 1, 4, 4, 4, 4, 1, a, a, a]\n"+
		"+U[2, 2, 13, 4, 9, 6, 2, a, b, a|b]\n",
		"b,7")
	step("-D[1, 2, 7, 2, 5, 3, 2, c, d, c|d]\n"+
		"-U[2, 2, 13, 4, 9, 6, 2, a, b, a|b]\n"+
		"+U[2, 4, 22, 3, 9, 5, 4, a, d, a|b|c|d]\n",
		"d,1", "c,1")
	step("-U[2, 4, 22, 3, 9, 5, 4, a, d, a|b|c|d]\n"+
		"+U[2, 3, 18, 3, 9, 6, 3, b, d, b|c|d]\n"+
		"+I[3, 1, 4, 4, 4, 4, 1, a, a, a]\n",
		"a,0")
	step("+I[1, 1, 9, 9, 9, 9, 1, e, e, e]\n",
		"e,9")
	step("-U[2, 3, 18, 3, 9, 6, 3, b, d, b|c|d]\n"+
		"+U[2, 2, 9, 3, 6, 4, 2, c, d, c|d]\n"+
		"-U[3, 1, 4, 4, 4, 4, 1, a, a, a]\n"+
		"+U[3, 2, 4, 0, 4, 2, 2, a, b, a|b]\n",
		"b,-9")
	step("-U[1, 1, 9, 9, 9, 9, 1, e, e, e]\n"+
		"+U[1, 2, 9, 9, 9, 9, 1, e, f, e|f]\n",
		"f,null")
	step("-U[1, 2, 9, 9, 9, 9, 1, e, f, e|f]\n"+
		"+U[1, 1, null, null, null, null, 0, f, f, f]\n"+
		"-U[2, 2, 9, 3, 6, 4, 2, c, d, c|d]\n"+
		"+U[2, 3, 19, 3, 10, 6, 3, c, e, c|d|e]\n",
		"e,1")
	step("-D[1, 1, null, null, null, null, 0, f, f, f]\n"+
		"-U[2, 3, 19, 3, 10, 6, 3, c, e, c|d|e]\n"+
		"+U[2, 4, 24, 3, 10, 6, 4, c, f, c|d|e|f]\n",
		"f,5")
	step("")
}
`

// TestRetractChangelog compiles the SQL (with the Go aggregate function, whose Retract
// the aggregate above calls), builds the job module and runs the driver in it.
func TestRetractChangelog(t *testing.T) {
	runDriver(t, retractSQL, retractDriver)
}

const havingSQL = `
CREATE TABLE clicks (usr STRING, n BIGINT) WITH (
  'connector' = 'filesystem', 'path' = 'data/c.csv', 'format' = 'csv');
CREATE TABLE big (cnt BIGINT, users BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'big');
CREATE TABLE total (users BIGINT, s BIGINT, ds DECIMAL(38, 2), da DECIMAL(38, 2))
  WITH ('connector' = 'print', 'print-identifier' = 'total');
CREATE TABLE dist (cnt BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'dist');
CREATE VIEW per_user AS SELECT usr, COUNT(*) AS cnt, SUM(n) AS s FROM clicks GROUP BY usr HAVING SUM(n) < 10;
EXECUTE STATEMENT SET BEGIN
INSERT INTO big SELECT cnt, COUNT(*) FROM per_user GROUP BY cnt;
INSERT INTO total SELECT COUNT(*), SUM(s), SUM(CAST(s AS DECIMAL(10, 2))), AVG(CAST(s AS DECIMAL(10, 2))) FROM per_user;
INSERT INTO dist SELECT DISTINCT cnt FROM per_user;
END;
`

// The HAVING below retracts a user's row with -D when it stops passing and sends +I when
// it passes again; above it a grouped, a global (with DECIMAL SUM and AVG, whose
// retraction subtracts) and a DISTINCT aggregate. By hand
// (per user: cnt, s; HAVING s < 10):
//
//	1 a,1 b,2 a,3      a(2,4) b(1,2)              big 2:{a} 1:{b}; total 2 users, 6; dist 2, 1
//	2 a,7              a(3,11) fails: -D(a)      big 2 empty: -D; total 1, 2; dist 2 gone: -D
//	3 a,-5             a(4,6) passes: +I         big 4:{a}; total 2, 8; dist +4
//	4 b,1              b(1,2)->(2,3)             big 1 empty: -D, 2:{b} again: +I; dist -1, +2
//	5 c,1 x4           c(4,4)                    big 4:{a,c}; total 3, 13; dist 4 unchanged: nothing
//	6 a,1 c,-4         a->(5,7) c->(5,0)         big 4 empty: -D, 5:{a,c}; total 3, 10; dist -4, +5
const havingDriver = `package main

import (
	"bytes"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/csv"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	printsink "github.com/sqlc-stream/sqlc-stream/runtimelib/print"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestChangelog(t *testing.T) {
	var buf bytes.Buffer
	p := &program{}
	p.csv0 = csv.NewSplitter(csv.DefaultConfig())
	p.parseErrors0 = &job.Counter{}
	p.sink1 = printsink.NewWriterSink(&buf, "big", spec.Tables[1].Schema)
	p.sink2 = printsink.NewWriterSink(&buf, "total", spec.Tables[2].Schema)
	p.sink3 = printsink.NewWriterSink(&buf, "dist", spec.Tables[3].Schema)
	step := func(want string, lines ...string) {
		t.Helper()
		buf.Reset()
		b := &stream.Batch{Origin: "c.csv", FirstLine: 1}
		for _, l := range lines {
			b.Records = append(b.Records, []byte(l))
		}
		if err := p.onBatch(0, b); err != nil {
			t.Fatal(err)
		}
		if err := p.onFlush(); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want {
			t.Errorf("after %q:\n%s\nwant:\n%s", lines, buf.String(), want)
		}
	}
	step("big> +I[2, 1]\nbig> +I[1, 1]\n"+
		"total> +I[2, 6, 6.00, 3.00]\n"+
		"dist> +I[2]\ndist> +I[1]\n",
		"a,1", "b,2", "a,3")
	step("big> -D[2, 1]\n"+
		"total> -U[2, 6, 6.00, 3.00]\ntotal> +U[1, 2, 2.00, 2.00]\n"+
		"dist> -D[2]\n",
		"a,7")
	step("big> +I[4, 1]\n"+
		"total> -U[1, 2, 2.00, 2.00]\ntotal> +U[2, 8, 8.00, 4.00]\n"+
		"dist> +I[4]\n",
		"a,-5")
	step("big> -D[1, 1]\nbig> +I[2, 1]\n"+
		"total> -U[2, 8, 8.00, 4.00]\ntotal> +U[2, 9, 9.00, 4.50]\n"+
		"dist> -D[1]\ndist> +I[2]\n",
		"b,1")
	step("big> -U[4, 1]\nbig> +U[4, 2]\n"+
		"total> -U[2, 9, 9.00, 4.50]\ntotal> +U[3, 13, 13.00, 4.33]\n",
		"c,1", "c,1", "c,1", "c,1")
	step("big> -D[4, 2]\nbig> +I[5, 2]\n"+
		"total> -U[3, 13, 13.00, 4.33]\ntotal> +U[3, 10, 10.00, 3.33]\n"+
		"dist> -D[4]\ndist> +I[5]\n",
		"a,1", "c,-4")
}
`

// TestRetractHaving: a HAVING below the aggregates over an updating input, whose -D and
// +I they retract and accumulate; a global aggregate and a DISTINCT among them.
func TestRetractHaving(t *testing.T) {
	runDriver(t, havingSQL, havingDriver)
}

// runDriver compiles sql (with retractUDF as the module's udf package), builds the job
// module and runs driver, a test of package main, in it.
func runDriver(t *testing.T, sql, driver string) {
	if testing.Short() {
		t.Skip("builds a job module")
	}
	t.Parallel()
	dir := gotest.NewModule(t, "retract")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), retractUDF)
	res, err := compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	gotest.WriteFile(t, filepath.Join(dir, "job", "job_test.go"), driver)
	cmd := exec.Command("go", "test", "-count=1", "./job")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test ./job: %v\n%s", err, strings.TrimSpace(string(out)))
	}
}
