package codegen_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

const correlateUDF = `package udf

import (
	"errors"
	"iter"
)

// Parts fails on "bad".
func Parts(s string) ([]string, error) {
	if s == "bad" {
		return nil, errors.New("bad input")
	}
	return []string{s, s}, nil
}

// Letters panics on "boom" while yielding.
func Letters(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, r := range s {
			if s == "boom" && r == 'o' {
				panic("no o")
			}
			if !yield(string(r)) {
				return
			}
		}
	}
}
`

const correlateSQL = `CREATE TABLE t (id INT, s STRING) WITH (
  'connector' = 'filesystem', 'path' = 'data/t.csv', 'format' = 'csv');
CREATE TABLE o (id INT, p STRING, l STRING) WITH ('connector' = 'print');
CREATE FUNCTION parts AS 'example.com/corr/udf.Parts' LANGUAGE GO;
CREATE FUNCTION letters AS 'example.com/corr/udf.Letters' LANGUAGE GO;
INSERT INTO o
SELECT id, p, l
FROM t, LATERAL TABLE(parts(s)) AS x(p), LATERAL TABLE(letters(p)) AS y(l)
WHERE l <> 'b';
`

// TestCorrelateFailures builds a job with two table functions chained (the second reads
// the first's column) and checks its rows, then that a returned error and a panic while
// iterating fail the job naming the input record and the SQL position of the call.
func TestCorrelateFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a job binary")
	}
	t.Parallel()
	dir := gotest.NewModule(t, "corr")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), correlateUDF)
	res, err := compiler.Compile(correlateSQL, compiler.Options{Name: "job.sql", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	bin := filepath.Join(dir, "job.bin")
	gotest.Build(t, dir, "job", bin)
	src := &diag.Source{Name: "job.sql", Text: correlateSQL}
	at := func(s string) string { return src.Position(strings.Index(correlateSQL, s)).String() }

	gotest.WriteFile(t, filepath.Join(dir, "data", "t.csv"), "1,ab\n2,c\n")
	stdout, stderr, code := gotest.Run(t, dir, bin)
	if code != 0 {
		t.Fatalf("job exited %d: %s", code, stderr)
	}
	// parts("ab") = ab, ab; letters = a, b (b filtered); parts("c") = c, c.
	if want := "+I[1, ab, a]\n+I[1, ab, a]\n+I[2, c, c]\n+I[2, c, c]\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	for _, c := range []struct{ data, want string }{
		{"1,ab\n2,bad\n", "t.csv:2: " + at("LATERAL TABLE(parts(s))") + ": function parts returned an error: bad input"},
		{"1,boom\n", "t.csv:1: " + at("LATERAL TABLE(letters(p))") + ": function letters panicked: no o"},
	} {
		gotest.WriteFile(t, filepath.Join(dir, "data", "t.csv"), c.data)
		_, stderr, code := gotest.Run(t, dir, bin)
		if code == 0 {
			t.Errorf("%q: job succeeded, want failure", c.data)
			continue
		}
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%q: stderr\n%s\nwant it to contain\n%s", c.data, stderr, c.want)
		}
	}
}
