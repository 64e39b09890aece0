package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

var nexmarkVars = strings.NewReplacer(
	"${TPS}", "10000", "${EVENTS_NUM}", "1000000", "${PERSON_PROPORTION}", "1",
	"${AUCTION_PROPORTION}", "3", "${BID_PROPORTION}", "46", "${BOOTSTRAP_SERVERS}", "127.0.0.1:9092",
	"${FLINK_HOME}", "/opt/flink", "${NEXMARK_DIR}", "/opt/nexmark", "${SUBMIT_TIME}", "0",
)

// TestNexmarkCompilesOrSaysWhy compiles every Nexmark query over both of its source
// DDLs. Each must either give positioned diagnostics (job.sql:line:col: ...) that are
// not internal errors, or generate Go that builds and passes go vet: never a panic,
// never Go that does not compile.
func TestNexmarkCompilesOrSaysWhy(t *testing.T) {
	// The Flink SQL text of the Nexmark benchmark beside the project: an external
	// suite, so what it finds is evidence, not tuning.
	nexmarkDir := gotest.NexmarkDir(t)
	queries, err := filepath.Glob(filepath.Join(nexmarkDir, "q*.sql"))
	if err != nil || len(queries) == 0 {
		t.Fatalf("no queries in %s: %v", nexmarkDir, err)
	}
	views := read(t, filepath.Join(nexmarkDir, "ddl_views.sql"))
	dir := gotest.NewModule(t, "nexmark")
	var built []string
	positioned := regexp.MustCompile(`^job\.sql:\d+:\d+: `)
	for _, ddl := range []string{"ddl_gen.sql", "ddl_kafka.sql"} {
		table := "datagen"
		if ddl == "ddl_kafka.sql" {
			table = "kafka"
		}
		for _, q := range queries {
			name := strings.TrimSuffix(filepath.Base(q), ".sql") + "_" + table
			sql := nexmarkVars.Replace(read(t, filepath.Join(nexmarkDir, ddl)) + ";\n" +
				strings.ReplaceAll(views, "${NEXMARK_TABLE}", table) + "\n" + read(t, q))
			res, err := compilePanicFree(t, name, sql, dir)
			if err != nil {
				var list diag.List
				if !errors.As(err, &list) {
					t.Errorf("%s: error without a position: %v", name, err)
					continue
				}
				for _, d := range list {
					line := strings.SplitN(d.Error(), "\n", 2)[0]
					if !positioned.MatchString(line) || strings.Contains(line, "internal error") {
						t.Errorf("%s: %s", name, line)
					}
				}
				t.Logf("%s: %s", name, strings.SplitN(err.Error(), "\n", 2)[0])
				continue
			}
			for _, f := range res.Files {
				gotest.WriteFile(t, filepath.Join(dir, name, f.Name), string(f.Content))
			}
			built = append(built, "./"+name)
			t.Logf("%s: compiles", name)
		}
	}
	if len(built) == 0 {
		return
	}
	for _, args := range [][]string{{"build", "-o", os.DevNull}, {"vet"}} {
		cmd := exec.Command("go", append(args, built...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s of the generated Nexmark jobs: %v\n%s", args[0], err, out)
		}
	}
}

func compilePanicFree(t *testing.T, name, sql, dir string) (res *compiler.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s: the compiler panicked: %v", name, p)
			err = errors.New("panic")
		}
	}()
	return compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: dir})
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
