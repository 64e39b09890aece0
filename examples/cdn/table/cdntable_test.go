package cdntable

import (
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// TestGeneratedCodeIsCurrent fails when job/ or cdn_table.sql is not what the Table
// program compiles to today: run go generate ./examples/cdn/table.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	env, err := Job(table.Options{Name: "cdn_table.sql"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Compile()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range res.Files {
		want[filepath.Join("job", f.Name)] = f.Content
	}
	want["cdn_table.sql"] = []byte(env.SQL())
	entries, err := os.ReadDir("job")
	if err != nil {
		t.Fatalf("%v; run go generate ./examples/cdn/table", err)
	}
	for _, e := range entries {
		if _, ok := want[filepath.Join("job", e.Name())]; !ok {
			t.Errorf("job/%s is not generated any more: remove it", e.Name())
		}
	}
	for name, w := range want {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%v: run go generate ./examples/cdn/table", err)
			continue
		}
		if string(got) != string(w) {
			t.Errorf("%s is stale: run go generate ./examples/cdn/table", name)
		}
	}
}

// TestSamePlanAsSQL compiles the Table program and ../cdn_local.sql, the seed's SQL
// on the same tables, and compares their optimized programs.
func TestSamePlanAsSQL(t *testing.T) {
	env, err := Job(table.Options{Name: "cdn_table.sql"})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := env.Program()
	if err != nil {
		t.Fatal(err)
	}
	res, err := compiler.CompileFile("../cdn_local.sql", compiler.Options{Stop: "optimize"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ir.DumpProgram(prog), ir.DumpProgram(res.Program); got != want {
		t.Errorf("optimized programs differ\nTable API:\n%s\nSQL:\n%s", got, want)
	}
}

// TestSameTableAsSQL builds the committed Table job and the committed SQL job
// (../job, from cdn_local.sql), runs each on the bundled sample in its own directory,
// and checks that both write the same SQLite table and print the same rows, and that
// the table is right (an independent computation of the query).
func TestSameTableAsSQL(t *testing.T) {
	data, err := os.ReadFile("../data/access_log.csv")
	if err != nil {
		t.Fatal(err)
	}
	root := gotest.RepoRoot(t)
	run := func(pkg string) (rows []cdnref.Row, printed []string) {
		dir := t.TempDir()
		gotest.WriteFile(t, filepath.Join(dir, "data", "access_log.csv"), string(data))
		bin := filepath.Join(dir, "job")
		gotest.Build(t, root, pkg, bin)
		stdout, stderr, code := gotest.Run(t, dir, bin)
		if code != 0 {
			t.Fatalf("%s exited %d:\n%s", pkg, code, stderr)
		}
		db, err := sql.Open("sqlite", filepath.Join(dir, "cdn.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rows, err = cdnref.ReadTable(db)
		if err != nil {
			t.Fatal(err)
		}
		printed = strings.Split(strings.TrimSpace(stdout), "\n")
		sort.Strings(printed)
		return rows, printed
	}
	tableRows, tablePrinted := run("examples/cdn/table/job")
	sqlRows, sqlPrinted := run("examples/cdn/job")

	if err := cdnref.Equal(sqlRows, tableRows); err != nil {
		t.Errorf("the Table job's SQLite table differs from the SQL job's: %v", err)
	}
	if strings.Join(tablePrinted, "\n") != strings.Join(sqlPrinted, "\n") {
		t.Errorf("the Table job printed\n%s\nthe SQL job printed\n%s", strings.Join(tablePrinted, "\n"), strings.Join(sqlPrinted, "\n"))
	}
	want, err := cdnref.Compute(strings.NewReader(string(data)), udf.IPToProvince)
	if err != nil {
		t.Fatal(err)
	}
	if err := cdnref.Equal(want, tableRows); err != nil {
		t.Errorf("the Table job's table: %v", err)
	}
	if len(tablePrinted) != len(want) {
		t.Errorf("the Table job printed %d rows, want %d", len(tablePrinted), len(want))
	}
}
