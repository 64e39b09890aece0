package cdn

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
)

// TestGeneratedCodeIsCurrent fails when job/ is not what the compiler makes of
// cdn_local.sql today: run `go generate ./examples/cdn` and commit the result.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	res, err := compiler.CompileFile("cdn_local.sql", compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range res.Files {
		want[f.Name] = f.Content
	}
	entries, err := os.ReadDir("job")
	if err != nil {
		t.Fatalf("%v; run go generate ./examples/cdn", err)
	}
	for _, e := range entries {
		got, err := os.ReadFile(filepath.Join("job", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[e.Name()]
		switch {
		case !ok:
			t.Errorf("job/%s is not generated from cdn_local.sql any more: remove it", e.Name())
		case string(w) != string(got):
			t.Errorf("job/%s is stale: run go generate ./examples/cdn", e.Name())
		}
		delete(want, e.Name())
	}
	for name := range want {
		t.Errorf("job/%s is missing: run go generate ./examples/cdn", name)
	}
}

// TestLocalJob builds the committed job, runs it on the bundled sample and checks the
// SQLite table and the print sink against an independent computation of the query.
func TestLocalJob(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("data/access_log.csv")
	if err != nil {
		t.Fatal(err)
	}
	gotest.WriteFile(t, filepath.Join(dir, "data", "access_log.csv"), string(data))
	bin := filepath.Join(dir, "cdn_local")
	gotest.Build(t, gotest.RepoRoot(t), "examples/cdn/job", bin)

	stdout, stderr, code := gotest.Run(t, dir, bin)
	if code != 0 {
		t.Fatalf("job exited %d:\n%s", code, stderr)
	}

	want, err := cdnref.Compute(strings.NewReader(string(data)), udf.IPToProvince)
	if err != nil {
		t.Fatal(err)
	}
	got := readStatistic(t, filepath.Join(dir, "cdn.db"))
	if err := cdnref.Equal(want, got); err != nil {
		t.Errorf("SQLite table access_statistic: %v", err)
	}

	// The print sink shows one +I line per province: the input is small enough to be
	// flushed once, at its end.
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	sort.Strings(lines)
	if len(lines) != len(want) {
		t.Fatalf("print sink wrote %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, "+I["+want[i].Province+", ") {
			t.Errorf("print line %d = %q, want +I[%s, ...]", i, line, want[i].Province)
		}
	}
	if !strings.Contains(stderr, "records_nulled") {
		t.Errorf("the job did not report the sample's malformed fields; stderr:\n%s", stderr)
	}
}

func readStatistic(t *testing.T, path string) []cdnref.Row {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := cdnref.ReadTable(db)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
