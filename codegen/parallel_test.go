package codegen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// parallelSQL reads one CSV file twice: every kind of accumulator over a nullable key and
// over a two-column key (one source, two aggregates: each a keyed stage fed with the
// source tasks' partial groups), and an append-only filter (a second source, written by
// the source tasks).
const parallelSQL = `
CREATE TABLE t (
  k STRING, g INT, x BIGINT, d DOUBLE, s STRING, m DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true');
CREATE TABLE t2 (
  k STRING, g INT, x BIGINT, d DOUBLE, s STRING, m DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true');
CREATE TABLE out1 (k STRING, c BIGINT, cx BIGINT, cd BIGINT, sx BIGINT, mn STRING, mx BIGINT, ax BIGINT,
  sd DOUBLE, ad DOUBLE, sm DECIMAL(38, 2), am DECIMAL(38, 2))
  WITH ('connector' = 'print', 'print-identifier' = 'one');
CREATE TABLE out2 (k STRING, g INT, c BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'two');
CREATE TABLE out3 (k STRING, x BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'three');
EXECUTE STATEMENT SET BEGIN
INSERT INTO out1 SELECT k, COUNT(*), COUNT(x), COUNT(DISTINCT s), SUM(x), MIN(s), MAX(x), AVG(x), SUM(d), AVG(d),
  SUM(m), AVG(m) FROM t GROUP BY k;
INSERT INTO out2 SELECT k, g, COUNT(x) FROM t WHERE x > 10 GROUP BY k, g;
INSERT INTO out3 SELECT k, x FROM t2 WHERE x > 995;
END;
`

// TestParallelResults runs a job over 30 batches with 1, 2 and 4 tasks per stage: the
// final rows and the counters are the same.
func TestParallelResults(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	for i := 0; i < 30000; i++ {
		k := fmt.Sprintf("k%d", i%37)
		if i%101 == 0 {
			k = "" // NULL key
		}
		x := fmt.Sprint(i % 1000)
		if i%13 == 0 {
			x = ""
		}
		if i%5000 == 7 {
			x = "bad" // a parse error, counted
		}
		// DOUBLE values exact in binary, so the sums do not depend on the order.
		fmt.Fprintf(&sb, "%s,%d,%s,%d.5,s%d,%d.25\n", k, i%3, x, i%7, i%211, i%50)
	}
	bin, _, files := sqlJob(t, parallelSQL, map[string]string{"log.csv": sb.String()})
	if !strings.Contains(string(files[0].Content), "exec.Connect[") {
		t.Fatal("the generated job has no exchange")
	}
	var want []string
	var wantCounters string
	counters := regexp.MustCompile(`: (t[^ ]*records_nulled=\d+.*)`)
	for _, n := range []string{"1", "2", "4"} {
		stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+n)
		if !ok {
			t.Fatalf("parallelism %s: job failed: %s", n, stderr)
		}
		// Rows of the three sinks, each applied on its own: "one> +I[...]" -> "one> [...]".
		var got []string
		for _, id := range []string{"one> ", "two> ", "three> "} {
			var lines []string
			for _, l := range strings.Split(stdout, "\n") {
				if rest, ok := strings.CutPrefix(l, id); ok {
					lines = append(lines, rest)
				}
			}
			for _, r := range finalRows(t, strings.Join(lines, "\n")) {
				got = append(got, id+r)
			}
		}
		m := counters.FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("parallelism %s: no counters in %q", n, stderr)
		}
		if want == nil {
			want, wantCounters = got, m[1]
			if len(want) < 37+37*3+10 {
				t.Fatalf("only %d rows:\n%s", len(want), strings.Join(want, "\n"))
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("parallelism %s: final rows differ from parallelism 1:\n%s", n, diffLines(want, got))
		}
		if m[1] != wantCounters {
			t.Errorf("parallelism %s: counters %q, want %q", n, m[1], wantCounters)
		}
	}
}

// TestParallelManyGroups: far more groups than a source task's partial table keeps
// between barriers; the results do not change.
func TestParallelManyGroups(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	for i := 0; i < 200000; i++ {
		fmt.Fprintf(&sb, "ip%d,%d\n", (i*7919)%150000, i%10)
	}
	sql := `
CREATE TABLE t (ip STRING, x BIGINT) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv');
CREATE TABLE o (ip STRING, c BIGINT, s BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT ip, COUNT(*), SUM(x) FROM t GROUP BY ip;
`
	bin, _, _ := sqlJob(t, sql, map[string]string{"log.csv": sb.String()})
	var want []string
	for _, n := range []string{"1", "2", "4"} {
		stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+n)
		if !ok {
			t.Fatalf("parallelism %s: job failed: %s", n, stderr)
		}
		got := finalRows(t, stdout)
		if want == nil {
			want = got
			if len(want) != 150000 {
				t.Fatalf("%d groups, want 150000", len(want))
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("parallelism %s: final rows differ from parallelism 1:\n%s", n, diffLines(want, got))
		}
	}
}

// TestParallelErrors: a UDF panic in a source task stops the job with the same message
// as with one task (the first failing record: both are in one split).
func TestParallelErrors(t *testing.T) {
	t.Parallel()
	var sb strings.Builder
	for i := 1; i <= 20000; i++ {
		s := "ok"
		switch i {
		case 12345, 15000:
			s = "boom"
		}
		fmt.Fprintf(&sb, "%s,%d\n", s, i)
	}
	sql := `
CREATE TABLE t (s STRING, x BIGINT) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv');
CREATE FUNCTION boom AS 'example.com/jobtest/udf.Boom' LANGUAGE GO;
CREATE TABLE o (k STRING, c BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT boom(s), COUNT(x) FROM t GROUP BY boom(s);
`
	bin, _, _ := sqlJob(t, sql, map[string]string{"log.csv": sb.String()})
	for _, n := range []string{"1", "4"} {
		_, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+n)
		if ok {
			t.Fatalf("parallelism %s: job succeeded, want the UDF panic", n)
		}
		if !strings.Contains(stderr, "log.csv:12345: ") || !strings.Contains(stderr, "function boom panicked: boom!") {
			t.Errorf("parallelism %s: stderr %q, want the panic at log.csv:12345", n, stderr)
		}
	}
	_, stderr, ok := runJob(t, bin, "-D", "parallelism.default=0")
	if ok || !strings.Contains(stderr, "parallelism.default") {
		t.Errorf("parallelism 0: ok=%v, stderr %q; want a usage error", ok, stderr)
	}
}

// diffLines shows the first lines where two sorted row lists differ.
func diffLines(want, got []string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d rows, want %d\n", len(got), len(want))
	for i, shown := 0, 0; (i < len(want) || i < len(got)) && shown < 5; i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&sb, "  want %q\n  got  %q\n", w, g)
			shown++
		}
	}
	return sb.String()
}
