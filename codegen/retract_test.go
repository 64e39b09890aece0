package codegen

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// retractSQL is an aggregate over an aggregate (a histogram of the keys' counts, with
// SUM, MIN and MAX over the keys' rows) into a print sink and a jdbc (sqlite) upsert
// sink. The jdbc sink's 1 ms flush interval makes the job flush many times while it
// reads: the keys move between the histogram's groups (-U/+U into the aggregate above,
// which retracts) while source tasks pre-aggregate (or forward rows) to keyed tasks.
const retractSQL = `
CREATE TABLE t (k STRING, x BIGINT) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv');
CREATE TABLE o (c BIGINT, n BIGINT, s BIGINT, lo STRING, hi BIGINT) WITH ('connector' = 'print');
CREATE TABLE d (c BIGINT, n BIGINT, s BIGINT, lo STRING, hi BIGINT) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:$DIR/out.db', 'table-name' = 'hist',
  'sink.buffer-flush.interval' = '1ms');
EXECUTE STATEMENT SET BEGIN
INSERT INTO o SELECT c, COUNT(*), SUM(s), MIN(k), MAX(s) FROM (SELECT k, COUNT(*) AS c, SUM(x) AS s FROM t GROUP BY k) GROUP BY c;
INSERT INTO d SELECT c, COUNT(*), SUM(s), MIN(k), MAX(s) FROM (SELECT k, COUNT(*) AS c, SUM(x) AS s FROM t GROUP BY k) GROUP BY c;
END;
`

// TestParallelRetract: key kJ has J%200+1 rows of x = J, written round by round so every
// key keeps growing until the end of the file. The final histogram, computed here, is the
// same with 1, 2 and 4 tasks per stage, in the print sink's changelog and in the sqlite
// table.
func TestParallelRetract(t *testing.T) {
	t.Parallel()
	const keys, rounds = 4000, 200
	var sb strings.Builder
	for r := 0; r < rounds; r++ {
		for j := 0; j < keys; j++ {
			if j%rounds >= r {
				fmt.Fprintf(&sb, "k%d,%d\n", j, j)
			}
		}
	}
	// The histogram by hand: count c = j%200+1 holds the keys j ≡ c-1 (mod 200).
	var want []string
	for c := 1; c <= rounds; c++ {
		var n, s, hi int64
		lo := ""
		for j := c - 1; j < keys; j += rounds {
			k := fmt.Sprintf("k%d", j)
			n++
			s += int64(j * c)
			hi = max(hi, int64(j*c))
			if lo == "" || k < lo {
				lo = k
			}
		}
		want = append(want, fmt.Sprintf("[%d, %d, %d, %s, %d]", c, n, s, lo, hi))
	}
	slices.Sort(want)
	bin, dir, _ := sqlJob(t, retractSQL, map[string]string{"log.csv": sb.String()})
	for _, n := range []string{"1", "2", "4"} {
		stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+n)
		if !ok {
			t.Fatalf("parallelism %s: job failed: %s", n, stderr)
		}
		// How many changes the histogram went through depends on the flush timing: logged.
		t.Logf("parallelism %s: %d changes printed (%d retracted), %d final rows", n, strings.Count(stdout, "\n"),
			strings.Count(stdout, "-U[")+strings.Count(stdout, "-D["), len(want))
		if got := finalRows(t, stdout); !slices.Equal(got, want) {
			t.Errorf("parallelism %s: print sink's final rows differ:\n%s", n, diffLines(want, got))
		}
		db, err := sqlOpen(filepath.Join(dir, "out.db"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(`SELECT c, n, s, lo, hi FROM hist`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var c, n, s, hi int64
			var lo string
			if err := rows.Scan(&c, &n, &s, &lo, &hi); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("[%d, %d, %d, %s, %d]", c, n, s, lo, hi))
		}
		rows.Close()
		if _, err := db.Exec(`DELETE FROM hist`); err != nil {
			t.Fatal(err)
		}
		db.Close()
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("parallelism %s: sqlite table differs:\n%s", n, diffLines(want, got))
		}
	}
}
