package codegen

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestUnionOfSources unites two files with different column types (INT and BIGINT,
// VARCHAR(3) and STRING) into one sink and one aggregate. Rows of two sources arrive in
// no fixed order, so the test compares sorted rows and the aggregate's final rows.
func TestUnionOfSources(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	want := map[string]int64{}
	var wantRows []string
	for i := range 500 {
		k := fmt.Sprintf("k%d", i%7)
		fmt.Fprintf(&a, "%s,%d\n", k, i)
		want[k] += int64(i)
		wantRows = append(wantRows, fmt.Sprintf("+I[%s, %d]", k, i))
	}
	for i := range 300 {
		k := fmt.Sprintf("k%d", i%5)
		fmt.Fprintf(&b, "%s,%d\n", k, 1000*i)
		want[k] += int64(1000 * i)
		wantRows = append(wantRows, fmt.Sprintf("+I[%s, %d]", k, 1000*i))
	}
	sql := `
CREATE TABLE a (k VARCHAR(3), v INT) WITH ('connector' = 'filesystem', 'path' = '$DIR/a.csv', 'format' = 'csv');
CREATE TABLE b (k STRING, v BIGINT) WITH ('connector' = 'filesystem', 'path' = '$DIR/b.csv', 'format' = 'csv');
CREATE TABLE all_rows (k STRING, v BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'rows');
CREATE TABLE sums (k STRING, total BIGINT) WITH ('connector' = 'print', 'print-identifier' = 'sums');
CREATE VIEW both_logs AS SELECT k, v FROM a UNION ALL SELECT k, v FROM b;
INSERT INTO all_rows SELECT * FROM both_logs;
INSERT INTO sums SELECT k, SUM(v) FROM both_logs GROUP BY k;
`
	bin, _, _ := sqlJob(t, sql, map[string]string{"a.csv": a.String(), "b.csv": b.String()})
	for _, par := range []string{"1", "4"} {
		stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default="+par)
		if !ok {
			t.Fatalf("parallelism %s: job failed: %s", par, stderr)
		}
		var rows, sums strings.Builder
		for _, l := range strings.Split(stdout, "\n") {
			if r, ok := strings.CutPrefix(l, "rows> "); ok {
				rows.WriteString(r + "\n")
			} else if s, ok := strings.CutPrefix(l, "sums> "); ok {
				sums.WriteString(s + "\n")
			}
		}
		if got, w := sortedLines(rows.String()), sortedLines(strings.Join(wantRows, "\n")); !reflect.DeepEqual(got, w) {
			t.Errorf("parallelism %s: %d rows, want %d", par, len(got), len(w))
		}
		var wantSums []string
		for k, v := range want {
			wantSums = append(wantSums, fmt.Sprintf("[%s, %d]", k, v))
		}
		if got, w := finalRows(t, sums.String()), sortedLines(strings.Join(wantSums, "\n")); !reflect.DeepEqual(got, w) {
			t.Errorf("parallelism %s: sums %v, want %v", par, got, w)
		}
	}
}
