package codegen

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// floatKeysSQL groups keys by their row count c, as a DOUBLE v: NaN up to c = 90, then
// -0.0 for an even c and 0.0 for an odd one. The aggregates above are built from the
// changes of the one below (they retract), and the jdbc sink's 1 ms flush interval makes
// the job flush many times while it reads: groups of v are emptied and refilled, and v
// and its FLOAT copy w enter and leave the value sets of COUNT(DISTINCT) and MIN/MAX.
const floatKeysSQL = `
CREATE TABLE t (k STRING) WITH ('connector' = 'filesystem', 'path' = '$DIR/log.csv', 'format' = 'csv');
CREATE VIEW per_key AS SELECT k, v, CAST(v AS FLOAT) AS w FROM (
  SELECT k, CASE WHEN c <= 90 THEN CAST('NaN' AS DOUBLE) WHEN MOD(c, 2) = 0 THEN CAST('-0.0' AS DOUBLE)
    ELSE CAST('0.0' AS DOUBLE) END AS v
  FROM (SELECT k, COUNT(*) AS c FROM t GROUP BY k));
CREATE TABLE by_v (v DOUBLE, n BIGINT, nw BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'by_v');
CREATE TABLE overall (n BIGINT, dv BIGINT, lo DOUBLE, hi DOUBLE, dw BIGINT, low FLOAT, hiw FLOAT)
  WITH ('connector' = 'print', 'print-identifier' = 'overall');
CREATE TABLE d (k STRING, n BIGINT) WITH (
  'connector' = 'jdbc', 'url' = 'jdbc:sqlite:$DIR/out.db', 'table-name' = 'd',
  'sink.buffer-flush.interval' = '1ms');
EXECUTE STATEMENT SET BEGIN
INSERT INTO by_v SELECT v, COUNT(*), COUNT(DISTINCT w) FROM per_key GROUP BY v;
INSERT INTO overall SELECT COUNT(*), COUNT(DISTINCT v), MIN(v), MAX(v), COUNT(DISTINCT w), MIN(w), MAX(w) FROM per_key;
INSERT INTO d SELECT k, COUNT(*) FROM t GROUP BY k;
END;
`

// TestFloatKeysRetract: key kJ gets 100+J%4 rows, written round by round, so every key
// is NaN for the first 90 rounds and ends at an even or odd count: the final
// groups are -0.0 and 0.0 (two keys, as Flink's binary keys tell them apart), the NaN
// group is gone, and MIN/MAX order as Java's compareTo (-0.0 < 0.0). Go's == would put
// -0.0 and 0.0 in one group and never find a NaN again to retract it.
func TestFloatKeysRetract(t *testing.T) {
	t.Parallel()
	const keys, rounds = 4000, 104
	var sb strings.Builder
	for r := 0; r < rounds; r++ {
		for j := 0; j < keys; j++ {
			if 100+j%4 > r {
				fmt.Fprintf(&sb, "k%d\n", j)
			}
		}
	}
	// j%4 = 0 and 2 end at an even count (-0.0), 1 and 3 at an odd one (0.0).
	want := []string{
		fmt.Sprintf("by_v> [-0.0, %d, 1]", keys/2),
		fmt.Sprintf("by_v> [0.0, %d, 1]", keys/2),
		fmt.Sprintf("overall> [%d, 2, -0.0, 0.0, 2, -0.0, 0.0]", keys),
	}
	bin, _, _ := sqlJob(t, floatKeysSQL, map[string]string{"log.csv": sb.String()})
	for _, n := range []string{"1", "4"} {
		stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+n)
		if !ok {
			t.Fatalf("parallelism %s: job failed: %s", n, stderr)
		}
		t.Logf("parallelism %s: %d changes printed, %d with NaN", n, strings.Count(stdout, "\n"), strings.Count(stdout, "NaN"))
		var got []string
		for _, l := range strings.Split(stdout, "\n") {
			// by_v> +I[...] -> +Iby_v> [...], the print-identifier kept in the row
			if id, change, ok := strings.Cut(l, "> "); ok && len(change) > 2 {
				got = append(got, change[:2]+id+"> "+change[2:])
			}
		}
		if final := finalRows(t, strings.Join(got, "\n")); !slices.Equal(final, want) {
			t.Errorf("parallelism %s: final rows differ:\n%s", n, diffLines(want, final))
		}
	}
}
