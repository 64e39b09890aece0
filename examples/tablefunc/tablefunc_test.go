package tablefunc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// TestJob compiles job.sql, builds the job in a scratch module that imports this
// example's UDF package, runs it on the bundled data and checks every printed row.
func TestJob(t *testing.T) {
	res, err := compiler.CompileFile("job.sql", compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := gotest.NewModule(t, "tablefunc")
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	data, err := os.ReadFile("data/requests.csv")
	if err != nil {
		t.Fatal(err)
	}
	gotest.WriteFile(t, filepath.Join(dir, "data", "requests.csv"), string(data))
	bin := filepath.Join(dir, "job.bin")
	gotest.Build(t, dir, "job", bin)
	stdout, stderr, code := gotest.Run(t, dir, bin)
	if code != 0 {
		t.Fatalf("job exited %d:\n%s", code, stderr)
	}
	// By hand from data/requests.csv: tags in input order (request 2 has none, so one
	// row with a NULL tag; request 5's trailing '|' yields nothing); then, at the end of
	// the input, the traffic of each first path segment (request 4 "/" has none).
	want := `tags> +I[1, mobile]
tags> +I[1, hd]
tags> +I[2, null]
tags> +I[3, hd]
tags> +I[4, mobile]
tags> +I[5, mobile]
tags> +I[5, ad]
segments> +I[video, 2, 12000]
segments> +I[img, 2, 420]
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}
