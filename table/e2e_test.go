package table_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// accessLog is a small CDN log: two Beijing requests and one from Guangdong.
const accessLog = `u1,1.2.3.4,10,100
u2,1.2.3.5,30,300
u3,14.1.1.1,5,50
`

// TestSeedEndToEnd generates Go from the seed's Table program, builds and runs it in a
// scratch module on a CSV file, and checks its output against the SQL version's.
func TestSeedEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two job binaries")
	}
	dir := gotest.NewModule(t, "tablejob")
	gotest.WriteFile(t, filepath.Join(dir, "access_log.csv"), accessLog)

	env := seedTable(t, table.Options{Name: "cdn.sql", Dir: dir})
	if err := env.WriteGo(filepath.Join(dir, "tablejob")); err != nil {
		t.Fatal(err)
	}
	gotest.Build(t, dir, "tablejob", filepath.Join(dir, "tablejob.bin"))
	got, stderr, code := gotest.Run(t, dir, filepath.Join(dir, "tablejob.bin"))
	if code != 0 {
		t.Fatalf("Table job exited %d\nstderr:\n%s", code, stderr)
	}

	res, err := compiler.Compile(seedSQL, compiler.Options{Name: "cdn.sql", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "sqljob", f.Name), string(f.Content))
	}
	gotest.Build(t, dir, "sqljob", filepath.Join(dir, "sqljob.bin"))
	want, stderr, code := gotest.Run(t, dir, filepath.Join(dir, "sqljob.bin"))
	if code != 0 {
		t.Fatalf("SQL job exited %d\nstderr:\n%s", code, stderr)
	}

	t.Logf("output:\n%s", got)
	if got != want {
		t.Errorf("Table job printed\n%s\nSQL job printed\n%s", got, want)
	}
	for _, line := range []string{"Beijing, 2, 400, 10.0]", "+I[Guangdong, 1, 50, 10.0]"} {
		if !strings.Contains(got, line) {
			t.Errorf("output lacks %q:\n%s", line, got)
		}
	}
}

// splitUDF is a table function package of the scratch module of TestMethodsEndToEnd.
const splitUDF = `package udfs

import "strings"

// Word is a row of Split.
type Word struct {
	Word   string
	Length int64
}

// Split yields one row per space-separated word of s.
func Split(s string) []Word {
	var out []Word
	for _, w := range strings.Fields(s) {
		out = append(out, Word{Word: w, Length: int64(len(w))})
	}
	return out
}
`

const methodsDDL = `
CREATE TABLE lines (id INT, line STRING) WITH ('connector' = 'filesystem', 'path' = 'lines.csv', 'format' = 'csv');
CREATE TABLE p1 (id INT, w STRING, n2 BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'p1');
CREATE TABLE p2 (n BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'p2');
CREATE FUNCTION split AS 'example.com/tablejob/udfs.Split' LANGUAGE GO;
`

// TestMethodsEndToEnd runs the new methods through built binaries: a Table program
// with JoinLateral, LeftOuterJoinLateral, UnionAll, AddColumns, RenameColumns,
// DropColumns, Distinct, typed expressions and a statement set, against the same job
// written in SQL, on one CSV file.
func TestMethodsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two job binaries")
	}
	dir := gotest.NewModule(t, "tablejob")
	gotest.WriteFile(t, filepath.Join(dir, "udfs", "udfs.go"), splitUDF)
	gotest.WriteFile(t, filepath.Join(dir, "lines.csv"), "1,a bb\n2,ccc\n3,\n4,dd a\n")

	env := table.NewEnvironment(table.Options{Name: "methods.sql", Dir: dir})
	if err := env.ExecuteSQL(methodsDDL); err != nil {
		t.Fatal(err)
	}
	lines := env.From("lines")
	words := lines.JoinLateral("split(line) AS t(word, n)").Select(table.Col("id"), table.Col("word"), table.Col("n"))
	none := lines.LeftOuterJoinLateral(table.Call("split", table.Col("line")).As("word", "n")).
		Where(table.Col("word").IsNull()).
		Select("id, 'none' AS word, CAST(0 AS BIGINT) AS n")
	all := words.UnionAll(none).
		AddColumns(table.Col("n").Times(2).As("n2")).
		RenameColumns("word AS w").
		DropColumns("n")
	env.CreateStatementSet().
		AddInsert("p1", all).
		AddInsert("p2", words.Select("n").Distinct())
	if err := env.WriteGo(filepath.Join(dir, "tablejob")); err != nil {
		t.Fatalf("%v\nSQL:\n%s", err, env.SQL())
	}
	gotest.Build(t, dir, "tablejob", filepath.Join(dir, "tablejob.bin"))
	got, stderr, code := gotest.Run(t, dir, filepath.Join(dir, "tablejob.bin"))
	if code != 0 {
		t.Fatalf("Table job exited %d\nstderr:\n%s", code, stderr)
	}

	sql := methodsDDL + `
EXECUTE STATEMENT SET BEGIN
INSERT INTO p1
SELECT id, word AS w, n * 2 AS n2 FROM (
  SELECT id, word, n FROM lines, LATERAL TABLE(split(line)) AS t(word, n)
  UNION ALL
  SELECT id, 'none' AS word, CAST(0 AS BIGINT) AS n
  FROM lines LEFT JOIN LATERAL TABLE(split(line)) AS t(word, n) ON TRUE
  WHERE word IS NULL
);
INSERT INTO p2
SELECT DISTINCT n FROM lines, LATERAL TABLE(split(line)) AS t(word, n);
END;
`
	res, err := compiler.Compile(sql, compiler.Options{Name: "methods.sql", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "sqljob", f.Name), string(f.Content))
	}
	gotest.Build(t, dir, "sqljob", filepath.Join(dir, "sqljob.bin"))
	want, stderr, code := gotest.Run(t, dir, filepath.Join(dir, "sqljob.bin"))
	if code != 0 {
		t.Fatalf("SQL job exited %d\nstderr:\n%s", code, stderr)
	}

	t.Logf("output:\n%s", got)
	if sortedLines(got) != sortedLines(want) {
		t.Errorf("Table job printed\n%s\nSQL job printed\n%s", got, want)
	}
	for _, line := range []string{
		"p1> +I[1, a, 2]", "p1> +I[1, bb, 4]", "p1> +I[2, ccc, 6]", "p1> +I[3, none, 0]", "p1> +I[4, dd, 4]", "p1> +I[4, a, 2]",
		"p2> +I[1]", "p2> +I[2]", "p2> +I[3]",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("output lacks %q", line)
		}
	}
	if n := strings.Count(got, "p2> +I"); n != 3 {
		t.Errorf("Distinct printed %d rows, want 3", n)
	}
}

func sortedLines(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(l)
	return strings.Join(l, "\n")
}
