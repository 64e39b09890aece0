package difftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/compiler"
)

// Config says what one differential run does.
type Config struct {
	Queries int    // how many queries
	Batch   int    // queries compiled into one job binary
	Rows    int    // rows per source table
	Seed    uint64 // the run's seed: query i of a run is reproduced by (Seed, i)
	Repo    string // this checkout (the scratch module replaces the module with it)
	Work    string // a scratch directory
	Found   string // where reduced failing cases are written ("" = not written)
	Log     io.Writer
	// Runs are the job runs of every batch: parallelism and flush interval.
	Runs []RunConfig
}

// RunConfig is one run of a job binary.
type RunConfig struct {
	Parallelism int
	Flush       string
	// AggPhase is table.optimizer.agg-phase-strategy ("" for the default, AUTO).
	AggPhase string
}

// DefaultRuns runs each job at parallelism 1, 2 and 4, with long and short flushes so
// that aggregates emit updates and retractions, and source tasks that pre-aggregate
// (2) or forward every row to the group's owner (4).
var DefaultRuns = []RunConfig{{1, "1s", ""}, {2, "1ms", "TWO_PHASE"}, {4, "3ms", "ONE_PHASE"}}

// Failure is one query the job got wrong.
type Failure struct {
	Seed   uint64
	Index  int
	Shape  string
	Kind   string // compile, build, run, wrong
	SQL    string
	Detail string
	Case   string // the reduced case's file, when written
	// Reduced is the reduced query, when reduction ran.
	Reduced string
	item    *item
}

func (f *Failure) String() string {
	s := fmt.Sprintf("query %d (seed %d, %s): %s\n%s\n%s", f.Index, f.Seed, f.Shape, f.Kind, indent(f.SQL), indent(f.Detail))
	if f.Case != "" {
		s += "\n  reduced to:\n" + indent(f.Reduced) + "\n  case: " + f.Case
	}
	return s
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// Result sums up a run.
type Result struct {
	Queries     int
	Passed      int
	Unsupported map[string]int // "not supported yet" messages and how often
	Expected    int            // queries the reference says fail, and did
	Pruned      int            // queries the reference says fail whose failing part the job never computed
	// Intermediate counts queries whose job failed on an aggregate's intermediate result.
	Intermediate int
	Failures     []*Failure
	Shapes       map[string]int
}

// item is one generated query of a batch with its expected result.
type item struct {
	index    int
	shape    string
	q        Query
	want     []Row
	wantFail bool
	line     int // the INSERT's first line in job.sql
	lines    int
	jdbc     bool // the query is also written into a jdbc (SQLite) table
	jline    int  // that INSERT's first line
	jlines   int
}

func (it *item) sink() string { return fmt.Sprintf("q%d", it.index) }

// Run runs cfg.Queries random queries in batches.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Batch <= 0 {
		cfg.Batch = 40
	}
	if cfg.Rows <= 0 {
		cfg.Rows = 40
	}
	if cfg.Runs == nil {
		cfg.Runs = DefaultRuns
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	res := &Result{Unsupported: map[string]int{}, Shapes: map[string]int{}}
	var mu sync.Mutex
	batches := (cfg.Queries + cfg.Batch - 1) / cfg.Batch
	sem := make(chan struct{}, 2) // two builds at a time: the machine has two cores
	var wg sync.WaitGroup
	var firstErr error
	for b := range batches {
		if ctx.Err() != nil {
			break
		}
		lo, hi := b*cfg.Batch, min((b+1)*cfg.Batch, cfg.Queries)
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := runBatch(ctx, cfg, b, lo, hi)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			res.merge(r)
			fmt.Fprintf(cfg.Log, "batch %d/%d: %d queries, %d passed, %d failed so far\n", b+1, batches, res.Queries, res.Passed, len(res.Failures))
		}()
	}
	wg.Wait()
	sort.Slice(res.Failures, func(i, j int) bool { return res.Failures[i].Index < res.Failures[j].Index })
	return res, firstErr
}

func (r *Result) merge(o *Result) {
	r.Queries += o.Queries
	r.Passed += o.Passed
	r.Expected += o.Expected
	r.Pruned += o.Pruned
	r.Intermediate += o.Intermediate
	r.Failures = append(r.Failures, o.Failures...)
	for k, v := range o.Unsupported {
		r.Unsupported[k] += v
	}
	for k, v := range o.Shapes {
		r.Shapes[k] += v
	}
}

// maxReductionsPerBatch bounds the time a batch with many failures spends reducing.
const maxReductionsPerBatch = 3

// querySeed is the seed of query i of a run.
func querySeed(run uint64, i int) uint64 { return run*1_000_003 + uint64(i) }

// batchDB is the data of a batch: every query of a batch reads the same tables.
func batchDB(cfg Config, b int) *DB {
	return NewGen(querySeed(cfg.Seed, -1-b), false).NewDB(cfg.Rows)
}

func runBatch(ctx context.Context, cfg Config, b, lo, hi int) (*Result, error) {
	res := &Result{Unsupported: map[string]int{}, Shapes: map[string]int{}}
	db := batchDB(cfg, b)
	var items []*item
	for i := lo; i < hi; i++ {
		it := generate(cfg.Seed, i, db)
		res.Queries++
		res.Shapes[it.shape]++
		items = append(items, it)
	}
	dir := filepath.Join(cfg.Work, fmt.Sprintf("batch%d", b))
	if err := writeModule(cfg, dir, db); err != nil {
		return nil, err
	}
	var ok []*item
	for _, it := range items {
		if it.wantFail {
			// A query that must fail runs alone, so its failure stops nobody else.
			f, err := runAlone(ctx, cfg, dir, db, it, res)
			if err != nil {
				return nil, err
			}
			if f != nil {
				res.Failures = append(res.Failures, f)
			}
			continue
		}
		ok = append(ok, it)
	}
	fails, err := runTogether(ctx, cfg, dir, db, ok, res)
	if err != nil {
		return nil, err
	}
	for i, f := range fails {
		f.Seed = cfg.Seed
		if cfg.Found != "" && i < maxReductionsPerBatch {
			reduce(ctx, cfg, db, f)
		}
	}
	res.Failures = append(res.Failures, fails...)
	return res, nil
}

// generate makes query i of the run and its expected result. A query whose evaluation
// fails is kept as an expected failure one time in ten and otherwise generated again.
func generate(seed uint64, i int, db *DB) *item {
	g := NewGen(querySeed(seed, i), true)
	for attempt := 0; ; attempt++ {
		q, shape := g.Query(db)
		want, err := q.Rows(db)
		var ee *errEval
		if err != nil && !errors.As(err, &ee) {
			panic(err)
		}
		if err == nil || attempt >= 10 || g.p(0.1) {
			return &item{index: i, shape: shape, q: q, want: want, wantFail: err != nil, jdbc: jdbcEligible(q) && g.p(0.5)}
		}
	}
}

// writeModule writes the scratch module: go.mod replacing sqlc-stream with this
// checkout, the UDF package, and the tables' CSV files.
func writeModule(cfg Config, dir string, db *DB) error {
	gomod := "module example.com/difftest\n\ngo 1.26.0\n\nrequire github.com/sqlc-stream/sqlc-stream v0.0.0\n\nreplace github.com/sqlc-stream/sqlc-stream => " + cfg.Repo + "\n"
	sum, err := os.ReadFile(filepath.Join(cfg.Repo, "go.sum"))
	if err != nil {
		return err
	}
	files := map[string]string{"go.mod": gomod, "go.sum": string(sum), "udf/udf.go": udfSource}
	for _, name := range []string{"t1", "t2"} {
		for i, part := range db.Tables[name].CSV(4) {
			files[fmt.Sprintf("data/%s/part-%d.csv", name, i)] = part
		}
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// script renders job.sql for the items, recording each INSERT's lines.
func script(items []*item) string {
	var b strings.Builder
	line := 1
	w := func(s string) {
		b.WriteString(s)
		line += strings.Count(s, "\n")
	}
	w("-- Generated by the differential tester.\n")
	for _, name := range []string{"t1", "t2"} {
		w("CREATE TABLE " + name + " (\n")
		for i, c := range sourceCols {
			sep := ","
			if i == len(sourceCols)-1 {
				sep = ""
			}
			w(fmt.Sprintf("  `%s` %s%s\n", c.Name, c.T.SQL(), sep))
		}
		w(") WITH ('connector' = 'filesystem', 'path' = 'data/" + name + "', 'format' = 'csv', 'csv.null-literal' = '\\N');\n")
	}
	w(udfDDL)
	w("CREATE TABLE flushctl (g STRING NOT NULL, n BIGINT, PRIMARY KEY (g) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:flushctl.db', 'table-name' = 'flushctl');\n")
	for _, it := range items {
		var cols []string
		for _, c := range it.q.Schema() {
			t := c.T
			switch { // '' is CHAR(0) and X'' BINARY(0), which no table column can be
			case t.P == 0 && t.Kind.isString():
				t = tString
			case t.P == 0 && t.Kind.isBinary():
				t = tBytes
			}
			cols = append(cols, fmt.Sprintf("`%s` %s", c.Name, t.SQL()))
		}
		w(fmt.Sprintf("CREATE TABLE %s (%s) WITH ('connector' = 'print', 'print-identifier' = '%s');\n", it.sink(), strings.Join(cols, ", "), it.sink()))
		if it.jdbc {
			w(fmt.Sprintf("CREATE TABLE %s (%s) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:out.db', 'table-name' = '%s');\n", it.jdbcTable(), strings.Join(cols, ", "), it.jdbcTable()))
		}
	}
	w("EXECUTE STATEMENT SET BEGIN\n")
	w("INSERT INTO flushctl SELECT COALESCE(g, '-'), COUNT(*) FROM t1 GROUP BY COALESCE(g, '-');\n")
	for _, it := range items {
		it.line = line
		w("INSERT INTO " + it.sink() + "\n" + it.q.SQL("") + ";\n")
		it.lines = line - it.line
		if it.jdbc {
			it.jline = line
			w("INSERT INTO " + it.jdbcTable() + "\n" + it.q.SQL("") + ";\n")
			it.jlines = line - it.jline
		}
	}
	w("END;\n")
	return b.String()
}

var posRE = regexp.MustCompile(`job\.sql:(\d+):(\d+)`)

// owner is the item whose INSERT holds a job.sql line named in msg, or nil.
func owner(items []*item, msg string) *item {
	m := posRE.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	line, _ := strconv.Atoi(m[1])
	for _, it := range items {
		if line >= it.line && line < it.line+it.lines || it.jdbc && line >= it.jline && line < it.jline+it.jlines {
			return it
		}
	}
	return nil
}

// runTogether compiles, builds and runs the items as one job, taking out each item that
// fails to compile, build or run, and compares every result.
func runTogether(ctx context.Context, cfg Config, dir string, db *DB, items []*item, res *Result) ([]*Failure, error) {
	var fails []*Failure
	for len(items) > 0 {
		if ctx.Err() != nil {
			return fails, ctx.Err()
		}
		bin, kept, bad, err := compileBuild(ctx, cfg, dir, items, res)
		if err != nil {
			return fails, err
		}
		if bad != nil {
			fails = append(fails, bad.f)
			items = remove(kept, bad.it)
			for _, it := range bad.group {
				items = remove(items, it)
			}
			continue
		}
		if bin == "" { // every item was unsupported
			return fails, nil
		}
		items = kept // without the items not supported yet
		restart := false
		for _, rc := range cfg.Runs {
			out, stderr, code := runJob(ctx, dir, bin, rc)
			if code != 0 {
				it := owner(items, stderr)
				if it == nil {
					return fails, fmt.Errorf("batch in %s: the job failed and names no query (%s):\n%s", dir, rc, stderr)
				}
				if readsIntermediate(it.q) && rowErrorRE.MatchString(stderr) {
					// An expression over an aggregate's intermediate results failed (a
					// count that is 0 for a while): which intermediate results a run
					// sees depends on its flushes, as in Flink; the final ones alone
					// cannot tell. Not a wrong answer.
					res.Intermediate++
					items = remove(items, it)
					restart = true
					break
				}
				fails = append(fails, &Failure{Index: it.index, Shape: it.shape, Kind: "run", SQL: it.q.SQL(""), item: it, Detail: fmt.Sprintf("%s: exit %d\n%s", rc, code, stderr)})
				items = remove(items, it)
				restart = true
				break
			}
			got, perr := parseOutput(out)
			if perr != nil {
				return fails, fmt.Errorf("batch in %s: %v", dir, perr)
			}
			tables, jerr := readJDBC(filepath.Join(dir, "out.db"), items)
			if jerr != nil {
				return fails, fmt.Errorf("batch in %s: reading the jdbc tables: %v", dir, jerr)
			}
			var wrong []*item
			for _, it := range items {
				msg := check(it, got[it.sink()])
				if msg == "" && it.jdbc {
					msg = checkJDBC(it, tables[it.jdbcTable()])
				}
				if msg != "" {
					fails = append(fails, &Failure{Index: it.index, Shape: it.shape, Kind: "wrong", SQL: it.q.SQL(""), Detail: fmt.Sprintf("%s:\n%s", rc, msg), item: it})
					wrong = append(wrong, it)
				}
			}
			for _, it := range wrong {
				items = remove(items, it)
			}
		}
		if !restart {
			res.Passed += len(items)
			return fails, nil
		}
	}
	return fails, nil
}

func (rc RunConfig) String() string {
	return fmt.Sprintf("parallelism %d, flush %s", rc.Parallelism, rc.Flush)
}

func remove(items []*item, it *item) []*item {
	out := items[:0:0]
	for _, x := range items {
		if x != it {
			out = append(out, x)
		}
	}
	return out
}

type badItem struct {
	it    *item
	f     *Failure
	group []*item // the items that fail only together
}

// compileBuild compiles and builds the items into a binary. An item with a positioned
// "not supported yet" error is dropped and counted; another compile or build error
// comes back as the item's failure (found by halving the batch when go build names no
// query).
func compileBuild(ctx context.Context, cfg Config, dir string, items []*item, res *Result) (string, []*item, *badItem, error) {
	for {
		if len(items) == 0 {
			return "", nil, nil, nil
		}
		text := script(items)
		if err := os.WriteFile(filepath.Join(dir, "job.sql"), []byte(text), 0o644); err != nil {
			return "", nil, nil, err
		}
		r, err := compiler.Compile(text, compiler.Options{Name: "job.sql", Dir: dir})
		if err != nil {
			msg := err.Error()
			if it := owner(items, msg); it != nil {
				if documentedUnsupported.MatchString(firstLine(msg)) {
					res.Unsupported[unsupportedKey(msg)]++
					items = remove(items, it)
					continue
				}
				return "", items, &badItem{it: it, f: &Failure{Index: it.index, Shape: it.shape, Kind: "compile", SQL: it.q.SQL(""), Detail: msg, item: it}}, nil
			}
		}
		bin := filepath.Join(dir, "job.bin")
		kind := "compile"
		if err == nil {
			kind = "build"
			err = buildJob(ctx, dir, r, bin)
		}
		if err != nil {
			if len(items) == 1 {
				it := items[0]
				return "", items, &badItem{it: it, f: &Failure{Index: it.index, Shape: it.shape, Kind: kind, SQL: it.q.SQL(""), Detail: err.Error(), item: it}}, nil
			}
			// The error names no query: find a culprit by halving the batch.
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("failed-%d.sql", len(items))), []byte(text), 0o644)
			half := items[:len(items)/2]
			if _, _, bad, err := compileBuild(ctx, cfg, dir, half, &Result{Unsupported: map[string]int{}}); err != nil || bad != nil {
				return "", items, bad, err
			}
			_, _, bad, err2 := compileBuild(ctx, cfg, dir, items[len(items)/2:], &Result{Unsupported: map[string]int{}})
			if err2 == nil && bad == nil {
				// Only the queries together fail: report them as one failure.
				var sqls []string
				for _, it := range items {
					sqls = append(sqls, fmt.Sprintf("-- query %d\n%s;", it.index, it.q.SQL("")))
				}
				it := items[0]
				bad = &badItem{it: it, f: &Failure{Index: it.index, Shape: it.shape, Kind: kind + fmt.Sprintf(" (of %d queries together, not of either half)", len(items)),
					SQL: strings.Join(sqls, "\n"), Detail: err.Error()}}
				bad.group = items
			}
			return "", items, bad, err2
		}
		return bin, items, nil, nil
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// documentedUnsupported matches the positioned errors of the constructs docs/sql.md
// lists as not supported yet that the generator can make. Any other error, "not
// supported yet" ones included, fails the query: what the docs promise must compile.
var documentedUnsupported = regexp.MustCompile(`an aggregate over a UNION ALL with an updating input is not supported by the code generator yet`)

var posPrefix = regexp.MustCompile(`^job\.sql:\d+:\d+: `)

func unsupportedKey(msg string) string { return posPrefix.ReplaceAllString(firstLine(msg), "") }

func buildJob(ctx context.Context, dir string, r *compiler.Result, bin string) error {
	pkg := filepath.Join(dir, "job")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		return err
	}
	for _, f := range r.Files {
		if err := os.WriteFile(filepath.Join(pkg, f.Name), f.Content, 0o644); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./job")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

func runJob(ctx context.Context, dir, bin string, rc RunConfig) (stdout, stderr string, code int) {
	for _, db := range []string{"flushctl.db", "out.db"} {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(filepath.Join(dir, db+suffix))
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	args := []string{"-D", fmt.Sprintf("parallelism.default=%d", rc.Parallelism),
		"-D", "flushctl.sink.buffer-flush.interval=" + rc.Flush}
	if rc.AggPhase != "" {
		args = append(args, "-D", "table.optimizer.agg-phase-strategy="+rc.AggPhase)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		code = -1
		e.WriteString(err.Error())
	}
	return o.String(), e.String(), code
}

// change is one changelog line of a print sink.
type change struct {
	kind string // +I, -U, +U, -D
	row  string // [a, b]
}

// parseOutput splits print lines ("q3> +I[...]") by sink. A line that does not start
// so continues the line before: a printed string may hold a newline.
func parseOutput(out string) (map[string][]change, error) {
	got := map[string][]change{}
	var last *change
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		m := printLineRE.FindStringSubmatch(line)
		if m == nil {
			if last == nil {
				return nil, fmt.Errorf("unexpected output line %q", line)
			}
			last.row += "\n" + line
			continue
		}
		got[m[1]] = append(got[m[1]], change{m[2], m[3]})
		last = &got[m[1]][len(got[m[1]])-1]
	}
	return got, nil
}

var printLineRE = regexp.MustCompile(`^(q\d+)> ([+-][IUD])(\[.*)$`)

// check replays a sink's changelog and compares what it leaves with the expected rows.
// Retracting a row that is not there is a failure of its own.
func check(it *item, changes []change) string {
	have := map[string]int{}
	for i, c := range changes {
		switch c.kind {
		case "+I", "+U":
			have[c.row]++
		case "-U", "-D":
			if have[c.row] == 0 {
				return fmt.Sprintf("change %d retracts a row that is not there: %s%s", i+1, c.kind, c.row)
			}
			have[c.row]--
		default:
			return fmt.Sprintf("unknown row kind in %s%s", c.kind, c.row)
		}
	}
	var got []string
	for row, n := range have {
		for range n {
			got = append(got, row)
		}
	}
	sort.Strings(got)
	want := sortedLines(it.want, it.q.Schema())
	if slices.Equal(got, want) || approxEqualLines(got, want, it.q.Schema()) {
		return ""
	}
	return diffLines(want, got)
}

// approxEqualLines matches rows whose fields are equal, or floating-point numbers within
// a relative 1e-9 (DOUBLE) or 1e-5 (FLOAT: about a hundred float32 roundings): a
// floating-point SUM or AVG adds in the order rows arrive in, which several tasks
// change (as in Flink).
func approxEqualLines(got, want []string, cols []Column) bool {
	if len(got) != len(want) {
		return false
	}
	used := make([]bool, len(got))
outer:
	for _, w := range want {
		for i, g := range got {
			if !used[i] && approxRow(g, w, cols) {
				used[i] = true
				continue outer
			}
		}
		return false
	}
	return true
}

func approxRow(a, b string, cols []Column) bool {
	fa := strings.Split(strings.Trim(a, "[]"), ", ")
	fb := strings.Split(strings.Trim(b, "[]"), ", ")
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] == fb[i] {
			continue
		}
		x, err1 := strconv.ParseFloat(fa[i], 64)
		y, err2 := strconv.ParseFloat(fb[i], 64)
		if err1 != nil || err2 != nil || !strings.ContainsAny(fa[i], ".EN") {
			return false
		}
		tol := 1e-9
		if i < len(cols) && cols[i].T.Kind == Float {
			tol = 1e-5
		}
		if math.Abs(x-y) > tol*math.Max(math.Abs(x), math.Abs(y)) {
			return false
		}
	}
	return true
}

// diffLines shows the expected and actual rows that differ.
func diffLines(want, got []string) string {
	count := func(ls []string) map[string]int {
		m := map[string]int{}
		for _, l := range ls {
			m[l]++
		}
		return m
	}
	wm, gm := count(want), count(got)
	var b strings.Builder
	fmt.Fprintf(&b, "want %d rows, got %d\n", len(want), len(got))
	for _, l := range want {
		if gm[l] > 0 {
			gm[l]--
			continue
		}
		b.WriteString("- " + l + "\n")
	}
	for _, l := range got {
		if wm[l] > 0 {
			wm[l]--
			continue
		}
		b.WriteString("+ " + l + "\n")
	}
	return b.String()
}

// runAlone compiles and runs a query the reference says fails: the job must exit
// non-zero with a message positioned in its query.
func runAlone(ctx context.Context, cfg Config, dir string, db *DB, it *item, res *Result) (*Failure, error) {
	sub := filepath.Join(dir, fmt.Sprintf("alone%d", it.index))
	if err := writeModule(cfg, sub, db); err != nil {
		return nil, err
	}
	bin, _, bad, err := compileBuild(ctx, cfg, sub, []*item{it}, res)
	if err != nil || bad != nil {
		if bad != nil {
			bad.f.Seed = cfg.Seed
			return bad.f, err
		}
		return nil, err
	}
	if bin == "" {
		return nil, nil
	}
	out, stderr, code := runJob(ctx, sub, bin, cfg.Runs[0])
	_, reason := it.q.Rows(db)
	switch {
	case code != 0 && posRE.MatchString(stderr):
		res.Expected++
	case code != 0:
		return &Failure{Seed: cfg.Seed, Index: it.index, Shape: it.shape, Kind: "run", SQL: it.q.SQL(""), item: it,
			Detail: fmt.Sprintf("the job failed (%v, as it should) without naming the place in job.sql:\n%s", reason, stderr)}, nil
	case mustFail(it.q):
		return &Failure{Seed: cfg.Seed, Index: it.index, Shape: it.shape, Kind: "wrong", SQL: it.q.SQL(""), item: it,
			Detail: fmt.Sprintf("the job should fail (%v) but exited 0 printing\n%s", reason, out)}, nil
	default:
		// The failing value is not needed for the result (a column no one reads, a
		// filter that is never true): Flink's planner prunes such work as ours does.
		res.Pruned++
	}
	return nil, nil
}

// rowErrorRE matches the documented run-time failures of an expression, positioned in
// job.sql.
var rowErrorRE = regexp.MustCompile(`job\.sql:\d+:\d+: (division by zero|cannot cast|ROUND of)`)

// readsIntermediate reports whether a query computes expressions over an aggregate's
// intermediate results: over an updating input, or over aggregates in its own select
// list or HAVING.
func readsIntermediate(q Query) bool {
	switch q := q.(type) {
	case *Select:
		if q.From.Updating() && (q.Where != nil || len(q.Items) > 0) || readsIntermediate(q.From) {
			return true
		}
		if q.isAgg() {
			if q.Having != nil {
				return true
			}
			for _, e := range q.Items {
				if e.Op != "aggref" && e.Op != "keyref" {
					return true
				}
			}
		}
	case *Union:
		for _, b := range q.Branches {
			if readsIntermediate(b) {
				return true
			}
		}
	}
	return false
}

// mustFail reports whether a query whose evaluation fails must fail as a job: a
// projection of a table, where every select item and the WHERE clause are computed.
func mustFail(q Query) bool {
	s, ok := q.(*Select)
	if !ok || s.isAgg() || s.Distinct {
		return false
	}
	_, scan := s.From.(*Scan)
	return scan
}
