package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileSeesUDFEdits compiles a job, changes its UDF's signature and compiles
// again, with the UDF cache on: the second compile must type-check the new signature
// (here it no longer accepts the job's argument), and a third, after changing it back,
// must compile again.
func TestCompileSeesUDFEdits(t *testing.T) {
	t.Setenv("SQLC_STREAM_CACHE", t.TempDir())
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/j\n\ngo 1.21\n")
	write("job.sql", `CREATE TABLE src (ip STRING) WITH ('connector' = 'datagen');
CREATE TABLE out_t (p STRING) WITH ('connector' = 'print');
CREATE FUNCTION geo AS 'example.com/j/udf.Geo' LANGUAGE GO;
INSERT INTO out_t SELECT geo(ip) FROM src;
`)
	stringUDF := "package udf\n\nfunc Geo(ip string) string { return ip }\n"
	intUDF := "package udf\n\nfunc Geo(ip int64) string { return \"\" }\n"
	steps := []struct{ udf, wantErr string }{
		{stringUDF, ""},
		{stringUDF, ""},
		{intUDF, "argument 1 of geo has type STRING, which does not convert to BIGINT"},
		{stringUDF, ""},
	}
	for i, s := range steps {
		write("udf/udf.go", s.udf)
		res, err := CompileFile(filepath.Join(dir, "job.sql"), Options{})
		switch {
		case s.wantErr == "" && err != nil:
			t.Errorf("compile %d: %v", i, err)
		case s.wantErr == "" && !strings.Contains(string(res.Files[0].Content), "udf.Geo("):
			t.Errorf("compile %d: the generated code does not call udf.Geo", i)
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)):
			t.Errorf("compile %d: error %v, want %q", i, err, s.wantErr)
		}
	}
}

// BenchmarkCompileCDN measures SQL -> Go source of the seed job (issue 5's target: at
// most 50 ms), with the Go build cache warm and the UDF cache (udf/cache.go) off, cold
// (an empty cache directory every iteration: go/packages, then the entry is written)
// and warm (the entry is read: no go list).
func BenchmarkCompileCDN(b *testing.B) {
	text, err := os.ReadFile("../examples/cdn/cdn.sql")
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{Name: "cdn.sql", Dir: "../examples/cdn"}
	compile := func(b *testing.B) {
		res, err := Compile(string(text), opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Files) == 0 {
			b.Fatal("no files generated")
		}
	}
	b.Run("cache=off", func(b *testing.B) {
		b.Setenv("SQLC_STREAM_CACHE", "off")
		compile(b) // warms the Go build cache
		for b.Loop() {
			compile(b)
		}
	})
	b.Run("cache=cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			b.Setenv("SQLC_STREAM_CACHE", b.TempDir())
			b.StartTimer()
			compile(b)
		}
	})
	b.Run("cache=warm", func(b *testing.B) {
		b.Setenv("SQLC_STREAM_CACHE", b.TempDir())
		compile(b) // fills the cache
		for b.Loop() {
			compile(b)
		}
	})
}
