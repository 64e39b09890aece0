package golden

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// checkParallelism runs a case's built job again with two and with four tasks per stage
// (-D parallelism.default=N; with four, ONE_PHASE aggregation) and requires the same
// results as the recorded run with one task. With several tasks the order of the changes of different keys depends on the
// scheduling (each keyed task emits its own groups, each task writes through its own
// sink), so the outputs are compared as changelogs: replayed, every -U and -D must
// retract a row that is there, and the rows that remain must be the same.
func checkParallelism(t *testing.T, dir string, env []string, bin, args, want string) {
	t.Helper()
	wantRows, err := replay(want)
	if err != nil {
		t.Fatalf("the run with one task: %v", err)
	}
	for _, n := range []string{"2", "4"} {
		argv := append([]string{"-D", "parallelism.default=" + n}, strings.Fields(args)...)
		if n == "4" { // source tasks forward rows to the groups' owners, not partial groups
			argv = append(argv, "-D", "table.optimizer.agg-phase-strategy=ONE_PHASE")
		}
		stdout, stderr, code := gotest.RunEnv(t, dir, env, bin, argv...)
		if code != 0 {
			t.Fatalf("job with parallelism.default=%s exited %d\nstderr:\n%s", n, code, stderr)
		}
		got, err := replay(stdout)
		if err != nil {
			t.Errorf("job with parallelism.default=%s: %v\nstdout:\n%s", n, err, stdout)
			continue
		}
		if g, w := sortedRows(got), sortedRows(wantRows); g != w {
			t.Errorf("job with parallelism.default=%s: the changelog replays to other rows than with one task:\n%s", n, diff(w, g))
		}
	}
}

// checkParallelFailure requires a job that failed with one task to fail with two and four
// tasks as well (which record fails first may differ).
func checkParallelFailure(t *testing.T, dir string, env []string, bin, args string) {
	t.Helper()
	for _, n := range []string{"2", "4"} {
		argv := append([]string{"-D", "parallelism.default=" + n}, strings.Fields(args)...)
		if _, stderr, code := gotest.RunEnv(t, dir, env, bin, argv...); code != 1 || !strings.Contains(stderr, "job: error: ") {
			t.Errorf("job with parallelism.default=%s exited %d, want 1 with an error\nstderr:\n%s", n, code, stderr)
		}
	}
}

// replay applies a printed changelog ("+I[...]", "-U[...]", "+U[...]", "-D[...]", each
// maybe after a print identifier "name> "): the rows it leaves, with their counts. A
// line that is not a row counts as itself.
func replay(out string) (map[string]int, error) {
	rows := map[string]int{}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		prefix, row := "", line
		if i := strings.Index(line, "> "); i >= 0 && i+2 < len(line) && isKind(line[i+2:]) {
			prefix, row = line[:i+2], line[i+2:]
		}
		if !isKind(row) {
			rows[line]++
			continue
		}
		key := prefix + row[2:]
		switch row[:2] {
		case "+I", "+U":
			rows[key]++
		default:
			if rows[key] == 0 {
				return nil, fmt.Errorf("%q retracts a row that is not there", line)
			}
			rows[key]--
		}
	}
	return rows, nil
}

func isKind(s string) bool {
	if len(s) < 3 || s[2] != '[' {
		return false
	}
	switch s[:2] {
	case "+I", "-U", "+U", "-D":
		return true
	}
	return false
}

// sortedRows renders replayed rows one per line, sorted.
func sortedRows(rows map[string]int) string {
	var lines []string
	for r, n := range rows {
		for range n {
			lines = append(lines, r)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}
