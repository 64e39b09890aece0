package table_test

import (
	"path/filepath"
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
