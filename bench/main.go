// Command bench measures the performance targets of issues 5 and 10 side by side, from a fresh clone, with
// one command:
//
//	go run ./bench                  # every row, default sizes (several minutes on 2 cores)
//	go run ./bench -n 2000000       # fewer records for the file rows
//	go run ./bench -only cdn,compile
//	make bench                      # the same as go run ./bench
//
// It generates its inputs (deterministic: examples/cdn/mock with -seed), builds every
// job with the real compiler (the sqlc-stream CLI of this checkout: compiler + go build,
// CGO_ENABLED=0) and the hand-written baselines (bench/baseline), runs each on the
// same input, checks the results, and prints one table:
//
//	what | baseline | target (the bar) | ours | ratio | holds
//
// Rows (names for -only): cdn (a: the CDN CSV file job vs hand-written Go, GOMAXPROCS=1),
// parallel (b: the same job with GOMAXPROCS=2 vs 1, same SQLite table), compile (c: SQL
// -> static binary with a warm build cache, and SQL -> Go source in-process), memory
// (d: a GROUP BY over 1,000,000 distinct keys, 10 records each, at GOMAXPROCS=2 vs 1:
// speed-up and peak RSS), kafka (e: the seed job
// examples/cdn/cdn.sql from the in-process Kafka-protocol broker to a real MariaDB),
// json (f: the JSON variant of the CDN job vs hand-written Go), nexmark (g: Nexmark's
// queries from ../shared/nexmark, unchanged, on the generator: events/s per core against
// the best published per-core figures), window (h: a HOP of slide/size 1/10 against a
// TUMBLE of the same size, cost per event on the generator; bench/jobs/window_*.sql).
//
// Every measured program runs -runs times (default 5); the programs a row compares run
// alternately (A, B, A, B, ...), so a machine whose speed drifts weighs on both alike.
// A cell shows the median and the range (min–max) of the runs; a ratio is the median of
// the ratios of the pairs of alternated runs; a bar holds when the median meets it, and
// the speed-up of row b is also judged on every run.
//
// Throughput per core is records over the process's CPU time (user+system from wait4's
// rusage, never wall time); peak RSS is rusage's maxrss; allocations per record are the
// job's runtime.MemStats.Mallocs at exit (written by runtimelib/job when
// $SQLC_STREAM_STATS_FILE is set) over the records. The command exits non-zero only on
// a real failure (a build error, a job that fails, a wrong result); a missed target is
// "no" in the holds column. Progress goes to stderr, the table to stdout.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
)

type bench struct {
	root, tmp string
	n         int64  // records of the CSV/JSON file rows
	jsonN     int64  // records of the JSON row
	kafkaN    int64  // records of the Kafka row
	nexmarkN  int64  // events of the nexmark rows
	nexmarkQ  string // the nexmark queries measured ("" all)
	keys      int64  // distinct group keys of the memory row
	perKey    int64  // records per key of the memory row
	seed      uint64
	verbose   bool
	runs      int // runs of each measured program; the table shows medians and ranges
	start     time.Time
	loadStart string // 1-minute load average when the command started
	cliPath   string

	rows     []row
	notes    []string
	failures []error

	csvPath       string       // CSV input of rows a and b, written once
	csvWant       []cdnref.Row // its reference result
	cdnBin        string       // bench/jobs/cdn.sql built
	baselineBuilt bool         // bench/baseline built
}

// row is one line of the table.
type row struct{ what, baseline, target, ours, ratio, holds string }

var allRows = []string{"cdn", "parallel", "compile", "memory", "kafka", "json", "nexmark", "window"}

// letters are the rows' letters in issue 5's table order, accepted by -only too.
var letters = map[string]string{"a": "cdn", "b": "parallel", "c": "compile", "d": "memory", "e": "kafka", "f": "json", "g": "nexmark", "h": "window"}

func main() {
	if f := os.Getenv(spawnEnv); f != "" {
		spawn(f, os.Args[1:])
	}
	b := &bench{start: time.Now(), loadStart: loadAverage()}
	flag.Int64Var(&b.n, "n", 10_000_000, "records of the CSV file rows (cdn, parallel)")
	flag.Int64Var(&b.jsonN, "json-n", 0, "records of the JSON row (0: the same as -n)")
	flag.Int64Var(&b.kafkaN, "kafka-n", 2_000_000, "records produced into Kafka for the kafka row")
	flag.Int64Var(&b.nexmarkN, "nexmark-n", 10_000_000, "events of the nexmark rows (g)")
	flag.StringVar(&b.nexmarkQ, "nexmark-q", "", "comma-separated nexmark queries to measure (default: every query of the rows)")
	flag.Int64Var(&b.keys, "keys", 1_000_000, "distinct group keys of the GROUP BY row (d)")
	flag.Int64Var(&b.perKey, "per-key", 10, "records per key of the GROUP BY row (d)")
	flag.IntVar(&b.runs, "runs", 5, "runs of each measured program (alternating the programs a row compares): the table shows the median and the range")
	flag.Uint64Var(&b.seed, "seed", 1, "seed of the mock data")
	only := flag.String("only", "", "comma-separated subset of rows: "+strings.Join(allRows, ",")+" (or their letters a-f)")
	keep := flag.Bool("keep", false, "keep the temporary directory (inputs, binaries, databases) and print its path")
	flag.BoolVar(&b.verbose, "v", false, "show the programs' stderr")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if b.jsonN == 0 {
		b.jsonN = b.n
	}
	if b.runs < 1 || b.keys < 1 || b.perKey < 1 {
		fmt.Fprintln(os.Stderr, "bench: -runs, -keys and -per-key must be at least 1")
		os.Exit(2)
	}
	selected := map[string]bool{}
	if *only == "" {
		for _, r := range allRows {
			selected[r] = true
		}
	} else {
		for _, s := range strings.Split(*only, ",") {
			s = strings.TrimSpace(s)
			if l, ok := letters[s]; ok {
				s = l
			}
			if !contains(allRows, s) {
				fmt.Fprintf(os.Stderr, "bench: -only: unknown row %q; rows: %s\n", s, strings.Join(allRows, ","))
				os.Exit(2)
			}
			selected[s] = true
		}
	}
	code := b.main(selected, *keep)
	os.Exit(code)
}

func (b *bench) main(selected map[string]bool, keep bool) int {
	var err error
	if b.root, err = repoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if b.tmp, err = os.MkdirTemp("", "sqlc-stream-bench-*"); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if keep {
		defer fmt.Fprintln(os.Stderr, "bench: kept", b.tmp)
	} else {
		defer os.RemoveAll(b.tmp)
	}
	start := time.Now()
	steps := []struct {
		name string
		f    func() error
	}{
		{"cdn", b.cdnRow},
		{"parallel", b.parallelRow},
		{"compile", b.compileRow},
		{"memory", b.memoryRow},
		{"json", b.jsonRow},
		{"nexmark", b.nexmarkRow},
		{"window", b.windowRow},
		{"kafka", b.kafkaRow}, // last: it leaves a MariaDB server running until exit
	}
	for _, s := range steps {
		if !selected[s.name] {
			continue
		}
		t := time.Now()
		if err := s.f(); err != nil {
			b.fail(err)
			b.add(row{what: "(" + letterOf(s.name) + ") " + s.name + ": FAILED", baseline: "—", target: "—", ours: "—", ratio: "—", holds: "no"})
		}
		b.logf("%s done in %s", s.name, time.Since(t).Round(100*time.Millisecond))
	}
	b.print(time.Since(start))
	if len(b.failures) > 0 {
		fmt.Fprintln(os.Stderr)
		for _, e := range b.failures {
			fmt.Fprintln(os.Stderr, "bench: FAILURE:", e)
		}
		return 1
	}
	return 0
}

func (b *bench) add(r row) {
	if r.ratio == "" {
		r.ratio = "—"
	}
	if r.holds == "" {
		r.holds = "—"
	}
	b.rows = append(b.rows, r)
}

func (b *bench) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

func (b *bench) fail(err error) { b.failures = append(b.failures, err) }

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: %5.1fs "+format+"\n", append([]any{time.Since(b.start).Seconds()}, args...)...)
}

// print writes the table as Markdown, padded so it reads in a terminal too.
func (b *bench) print(total time.Duration) {
	head := row{"what", "baseline", "target (the bar)", "ours", "ratio", "holds"}
	cols := func(r row) []string { return []string{r.what, r.baseline, r.target, r.ours, r.ratio, r.holds} }
	width := make([]int, 6)
	for _, r := range append([]row{head}, b.rows...) {
		for i, c := range cols(r) {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(cs []string) {
		var sb strings.Builder
		sb.WriteString("|")
		for i, c := range cs {
			pad := width[i] - len([]rune(c))
			if i == 0 {
				sb.WriteString(" " + c + strings.Repeat(" ", pad) + " |")
			} else {
				sb.WriteString(" " + strings.Repeat(" ", pad) + c + " |")
			}
		}
		fmt.Println(sb.String())
	}
	cpu := cpuModel()
	fmt.Printf("sqlc-stream bench: %d CPUs (%s), %s/%s, %s, %s\n\n", runtime.NumCPU(), cpu, runtime.GOOS, runtime.GOARCH,
		runtime.Version(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	line(cols(head))
	seps := make([]string, 6)
	for i := range seps {
		seps[i] = strings.Repeat("-", width[i])
		if i > 0 {
			seps[i] = strings.Repeat("-", width[i]-1) + ":"
		}
	}
	line(seps)
	for _, r := range b.rows {
		line(cols(r))
	}
	fmt.Println()
	fmt.Printf("Every figure is the median of %d runs of each program, with the range (min–max) in brackets;\n", b.runs)
	fmt.Println("peak RSS shows the median and the max. The programs a row compares run alternately (A, B, A, B, ...).")
	fmt.Println("Records/s per core: records ÷ CPU time (user+system) of the process, from the OS.")
	fmt.Println("ratio: the median of the ratios of each pair of alternated runs, ours ÷ baseline, where the bar is")
	fmt.Println("relative to a baseline (a, f) or a speed-up (b, d); otherwise ours ÷ target (c, d's RSS, e: below 1")
	fmt.Println("is better for c and d's RSS). holds: judged on the median; (b) also on every run.")
	for _, n := range b.notes {
		fmt.Println(n)
	}
	fmt.Printf("Load average (1 min) at start %s, at end %s: wall-clock figures (records/s, speed-up) need an idle machine;\n", b.loadStart, loadAverage())
	fmt.Println("per-core figures use CPU time and suffer less from other processes.")
	fmt.Printf("Total: %s.\n", total.Round(time.Second))
}

// loadAverage is the 1-minute load average from /proc/loadavg, or "?".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func letterOf(name string) string {
	for l, n := range letters {
		if n == name {
			return l
		}
	}
	return "?"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// Formatting of the table's cells.

func rate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0fK", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

func count(n int64) string {
	switch {
	case n >= 1e6 && n%1e5 == 0:
		return fmt.Sprintf("%gM", float64(n)/1e6)
	case n >= 1e3 && n%100 == 0:
		return fmt.Sprintf("%gK", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func ratio(v float64) string { return fmt.Sprintf("%.2f×", v) }

func holds(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func mb(v float64) string { return fmt.Sprintf("%.0f MB", v) }

func secs(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func allocs(v float64) string {
	if v < 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", v)
}
