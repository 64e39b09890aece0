package udf_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/udf"
)

// buildJob compiles sql in a scratch module holding the UDF package udfSrc
// (example.com/scalar/udf) and the data files, builds the job and runs it there.
func buildJob(t *testing.T, sql, udfSrc string, files map[string]string, opts compiler.Options) (stdout, stderr string, code int, res *compiler.Result) {
	t.Helper()
	dir, bin, res := buildJobBinary(t, sql, udfSrc, files, opts)
	stdout, stderr, code = gotest.Run(t, dir, bin)
	return stdout, stderr, code, res
}

// buildJobBinary is buildJob without the run: it returns the module directory and the
// job binary in it.
func buildJobBinary(t *testing.T, sql, udfSrc string, files map[string]string, opts compiler.Options) (dir, bin string, res *compiler.Result) {
	t.Helper()
	dir = gotest.NewModule(t, "scalar")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), udfSrc)
	for name, content := range files {
		gotest.WriteFile(t, filepath.Join(dir, name), content)
	}
	opts.Name = "job.sql"
	opts.Dir = dir
	res, err := compiler.Compile(sql, opts)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	bin = filepath.Join(dir, "job.bin")
	gotest.Build(t, dir, "job", bin)
	return dir, bin, res
}

const policyUDF = `package udf

import (
	"context"
	"errors"
	"strconv"
)

// ParseNum parses a decimal integer; it panics on "boom".
func ParseNum(s string) (int64, error) {
	if s == "boom" {
		panic("boom")
	}
	return strconv.ParseInt(s, 10, 64)
}

// Closer fails to close.
type Closer struct{ opened bool }

func (c *Closer) Open(ctx context.Context) error { c.opened = true; return nil }

func (c *Closer) Close() error { return errors.New("disk on fire") }

func (c *Closer) Eval(s string) string {
	if !c.opened {
		panic("not opened")
	}
	return s
}

// BadOpen cannot open.
type BadOpen struct{}

func (BadOpen) Open(ctx context.Context) error { return errors.New("no database") }

func (BadOpen) Eval(s string) string { return s }
`

const policyData = "1,10,100\n2,x,200\n3,30,y\n4,boom,400\n5,50,boom\n"

// TestErrorPolicyCounters runs the error policies through a built job and checks the
// failure counters in the job's end-of-run summary on stderr.
func TestErrorPolicyCounters(t *testing.T) {
	sql := `
CREATE TABLE src (id BIGINT, a STRING, b STRING) WITH ('connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE out_t (id BIGINT, a BIGINT, b BIGINT) WITH ('connector' = 'print');
CREATE TABLE bad_rows (error_message STRING, row_position STRING) WITH ('connector' = 'print', 'print-identifier' = 'dead');
CREATE FUNCTION parse_or_null AS 'example.com/scalar/udf.ParseNum' WITH ('on-error' = 'null');
CREATE FUNCTION parse_or_dl AS 'example.com/scalar/udf.ParseNum' WITH ('on-error' = 'dead-letter', 'dead-letter.table' = 'bad_rows');
INSERT INTO out_t SELECT id, parse_or_null(a), parse_or_dl(b) FROM src;
`
	stdout, stderr, code, _ := buildJob(t, sql, policyUDF, map[string]string{"in.csv": policyData}, compiler.Options{})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	wantOut := "dead> +I[strconv.ParseInt: parsing \"y\": invalid syntax, in.csv:3]\ndead> +I[panic: boom, in.csv:5]\n+I[1, 10, 100]\n+I[2, null, 200]\n+I[4, null, 400]\n"
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
	for _, c := range []string{"udf.parse_or_null.errors=2", "udf.parse_or_dl.errors=2", "udf.parse_or_dl.dead_letters=2"} {
		if !strings.Contains(stderr, c) {
			t.Errorf("stderr lacks counter %s:\n%s", c, stderr)
		}
	}
}

// TestFailPolicy: the default policy fails the job, naming the function, the SQL
// position and the record.
func TestFailPolicy(t *testing.T) {
	sql := `
CREATE TABLE src (id BIGINT, a STRING, b STRING) WITH ('connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE out_t (id BIGINT, a BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION parse AS 'example.com/scalar/udf.ParseNum';
INSERT INTO out_t SELECT id, parse(a) FROM src;
`
	_, stderr, code, _ := buildJob(t, sql, policyUDF, map[string]string{"in.csv": policyData}, compiler.Options{})
	if code != 1 || !strings.Contains(stderr, `in.csv:2: job.sql:5:30: function parse returned an error: strconv.ParseInt: parsing "x": invalid syntax`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestOpenCloseErrors: a failing Close fails the job after the rows are written; a
// failing Open fails it before any row.
func TestOpenCloseErrors(t *testing.T) {
	sql := `
CREATE TABLE src (id BIGINT, a STRING, b STRING) WITH ('connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE out_t (a STRING) WITH ('connector' = 'print');
CREATE FUNCTION f AS 'example.com/scalar/udf.%s';
INSERT INTO out_t SELECT f(a) FROM src WHERE id = 1;
`
	stdout, stderr, code, _ := buildJob(t, strings.Replace(sql, "%s", "Closer", 1), policyUDF, map[string]string{"in.csv": policyData}, compiler.Options{})
	if code != 1 || stdout != "+I[10]\n" || !strings.Contains(stderr, "function f (example.com/scalar/udf.Closer): Close: disk on fire") {
		t.Errorf("Closer: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	stdout, stderr, code, _ = buildJob(t, strings.Replace(sql, "%s", "BadOpen", 1), policyUDF, map[string]string{"in.csv": policyData}, compiler.Options{})
	if code != 1 || stdout != "" || !strings.Contains(stderr, "function f (example.com/scalar/udf.BadOpen): Open: no database") {
		t.Errorf("BadOpen: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

const foldUDF = `package udf

import "time"

// Twice doubles.
func Twice(x int64) int64 { return 2 * x }

// Shout appends a bang to a nullable string.
func Shout(s *string) *string {
	if s == nil {
		return nil
	}
	r := *s + "!"
	return &r
}

// Half halves a float32.
func Half(x float32) float32 { return x / 2 }

// Later adds an hour.
func Later(t time.Time) time.Time { return t.Add(time.Hour) }

// Flip negates.
func Flip(b bool) bool { return !b }

// Bytes reverses.
func Bytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}
`

// TestFoldTypes folds calls of every supported Go type through both evaluators (the
// helper program and the in-process reflect one) and checks the built job prints the
// same values as the unfolded calls would.
func TestFoldTypes(t *testing.T) {
	sql := `
CREATE TABLE src (id BIGINT) WITH ('connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE out_t (a BIGINT, b STRING, c STRING, d FLOAT, e TIMESTAMP(9), f BOOLEAN, g BYTES, h BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION twice AS 'example.com/scalar/udf.Twice';
CREATE FUNCTION shout AS 'example.com/scalar/udf.Shout';
CREATE FUNCTION half AS 'example.com/scalar/udf.Half';
CREATE FUNCTION later AS 'example.com/scalar/udf.Later';
CREATE FUNCTION flip AS 'example.com/scalar/udf.Flip';
CREATE FUNCTION rev AS 'example.com/scalar/udf.Bytes';
INSERT INTO out_t SELECT twice(twice(3)), shout('hi'), shout(CAST(NULL AS STRING)), half(CAST(3 AS FLOAT)),
  later(TIMESTAMP '2020-01-01 12:00:00.5'), flip(true), rev(CAST('ab' AS BYTES)), twice(id) FROM src;
`
	want := "+I[12, hi!, null, 1.5, 2020-01-01T13:00:00.500, false, [98, 97], 2]\n"
	data := map[string]string{"in.csv": "1\n"}
	for _, mode := range []string{"program", "reflect", "none"} {
		t.Run(mode, func(t *testing.T) {
			opts := compiler.Options{}
			switch mode {
			case "reflect":
				opts.EvalUDF = &udf.ReflectEvaluator{Funcs: map[string]any{"twice": twice, "shout": shout, "half": half, "later": later, "flip": flip, "rev": rev}}
			case "none":
				opts.NoFoldUDFs = true
			}
			stdout, stderr, code, res := buildJob(t, sql, foldUDF, data, opts)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if stdout != want {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			src := string(res.Files[0].Content)
			folded := strings.Count(src, "/* folded ")
			if mode == "none" && folded != 0 || mode != "none" && folded < 7 {
				t.Errorf("%d folded calls in the generated code:\n%s", folded, src)
			}
		})
	}
}

// The reflect evaluator's functions, mirroring foldUDF.
func twice(x int64) int64 { return 2 * x }
func shout(s *string) *string {
	if s == nil {
		return nil
	}
	r := *s + "!"
	return &r
}
func half(x float32) float32      { return x / 2 }
func flip(b bool) bool            { return !b }
func later(t time.Time) time.Time { return t.Add(time.Hour) }
func rev(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}
