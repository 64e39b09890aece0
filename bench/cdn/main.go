// Command cdn benchmarks the generated CDN job against the hand-written baseline on the
// same input, in one run:
//
//	go run ./bench/cdn -n 10000000
//	go run ./bench/cdn -n 10000000 -format json
//
// It writes n mock records (examples/cdn/mock) to a temporary CSV file (or, with
// -format json, a file of JSON lines), builds the baseline (bench/cdn/baseline) and the
// job (cdn_bench.sql or cdn_bench_json.sql through `sqlc-stream build`),
// runs each with GOMAXPROCS=1, checks both SQLite tables against an independent
// computation of the query (internal/cdnref), and prints records per second, records
// per second per core of CPU time (user+system, from the OS), and peak RSS.
//
// `go run ./bench` (make bench) measures this row and the other targets of issue 5 in one
// table; see docs/PERFORMANCE.md.
package main

import (
	"bufio"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
)

func main() {
	n := flag.Int64("n", 10_000_000, "number of records")
	seed := flag.Uint64("seed", 1, "mock data seed")
	malformed := flag.Float64("malformed", 0.001, "fraction of malformed lines")
	procs := flag.Int("procs", 1, "GOMAXPROCS for both programs")
	format := flag.String("format", "csv", "input format: csv or json")
	flag.Parse()
	if *format != "csv" && *format != "json" {
		fmt.Fprintf(os.Stderr, "bench/cdn: -format %q: want csv or json\n", *format)
		os.Exit(2)
	}
	if err := run(*n, *seed, *malformed, *procs, *format == "json"); err != nil {
		fmt.Fprintln(os.Stderr, "bench/cdn:", err)
		os.Exit(1)
	}
}

type result struct {
	name     string
	wall     time.Duration
	cpu      time.Duration
	maxRSSKB int64
	check    string
}

func run(n int64, seed uint64, malformed float64, procs int, json bool) error {
	tmp, err := os.MkdirTemp("", "bench-cdn-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	input, sqlFile, format := filepath.Join(tmp, "access_log.csv"), "bench/cdn/cdn_bench.sql", "CSV"
	if json {
		input, sqlFile, format = filepath.Join(tmp, "access_log.json"), "bench/cdn/cdn_bench_json.sql", "JSON"
	}
	size, err := writeInput(input, n, seed, malformed, json)
	if err != nil {
		return err
	}

	baseline := filepath.Join(tmp, "baseline")
	if err := goCmd("build", "-o", baseline, "./bench/cdn/baseline"); err != nil {
		return err
	}
	job := filepath.Join(tmp, "job")
	start := time.Now()
	if err := goCmd("run", "./cmd/sqlc-stream", "build", "-o", job, sqlFile); err != nil {
		return err
	}
	buildTime := time.Since(start)

	want, err := reference(input, n, seed, malformed, json)
	if err != nil {
		return err
	}

	var results []result
	for _, p := range []struct {
		name string
		args []string
		db   string
	}{
		{"hand-written Go", []string{baseline, input, filepath.Join(tmp, "baseline.db")}, "baseline.db"},
		{"sqlc-stream job", []string{job, "-D", "cdn_access_log.path=" + input, "-D", "cdn_access_statistic.url=jdbc:sqlite:" + filepath.Join(tmp, "job.db")}, "job.db"},
	} {
		r, err := measure(p.name, p.args, procs)
		if err != nil {
			return err
		}
		r.check = "equal to reference"
		if err := check(filepath.Join(tmp, p.db), want); err != nil {
			r.check = "WRONG: " + err.Error()
		}
		results = append(results, r)
	}

	fmt.Printf("CDN job: %d records (%.0f MB %s), GOMAXPROCS=%d, %d provinces\n", n, float64(size)/1e6, format, procs, len(want))
	fmt.Printf("%-16s %9s %9s %14s %16s %9s  %s\n", "program", "wall", "cpu", "records/s", "records/s/core", "peak RSS", "result")
	for _, r := range results {
		fmt.Printf("%-16s %8.2fs %8.2fs %14.0f %16.0f %7.0fMB  %s\n", r.name, r.wall.Seconds(), r.cpu.Seconds(),
			float64(n)/r.wall.Seconds(), float64(n)/r.cpu.Seconds(), float64(r.maxRSSKB)/1024, r.check)
	}
	fmt.Printf("generated / hand-written throughput per core: %.2fx\n", results[0].cpu.Seconds()/results[1].cpu.Seconds())
	fmt.Printf("sqlc-stream build (SQL -> static binary, incl. go run of the CLI): %.2fs\n", buildTime.Seconds())
	return nil
}

// reference computes the expected table from the CSV records (the JSON file holds the
// same records: the CSV lines are generated again, in memory).
func reference(input string, n int64, seed uint64, malformed float64, json bool) ([]cdnref.Row, error) {
	if !json {
		f, err := os.Open(input)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return cdnref.Compute(bufio.NewReaderSize(f, 1<<20), udf.IPToProvince)
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<20)
		g := mock.New(seed, malformed, false)
		var line []byte
		for i := int64(0); i < n; i++ {
			line = append(g.Append(line[:0]), '\n')
			w.Write(line)
		}
		pw.CloseWithError(w.Flush())
	}()
	rows, err := cdnref.Compute(pr, udf.IPToProvince)
	pr.CloseWithError(io.ErrClosedPipe) // unblock the writer if Compute stopped early
	return rows, err
}

// writeInput writes n mock records as CSV lines, or with json as JSON objects, one per
// line (mock.CSVToJSON).
func writeInput(path string, n int64, seed uint64, malformed float64, json bool) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	g := mock.New(seed, malformed, false)
	var line, obj []byte
	for i := int64(0); i < n; i++ {
		line = g.Append(line[:0])
		if json {
			obj = append(mock.CSVToJSON(obj[:0], line), '\n')
			w.Write(obj)
			continue
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), f.Close()
}

func goCmd(args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

func measure(name string, argv []string, procs int) (result, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %v", name, err)
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return result{
		name:     name,
		wall:     wall,
		cpu:      cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(),
		maxRSSKB: ru.Maxrss,
	}, nil
}

func check(dbPath string, want []cdnref.Row) error {
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	got, err := cdnref.ReadTable(db)
	if err != nil {
		return err
	}
	return cdnref.Equal(want, got)
}
