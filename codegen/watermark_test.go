package codegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWatermarkStrategies runs the watermark declarations Flink accepts, each in a job
// that prints CURRENT_WATERMARK of its rowtime: over a script of two batches, the row of
// the second sees the watermark the first row made. The rowtime is a physical column of
// TIMESTAMP(0) to (3) or TIMESTAMP_LTZ(3), or a computed column (TO_TIMESTAMP,
// TO_TIMESTAMP_LTZ); the strategy is the rowtime itself or the rowtime minus (or plus)
// an interval of any unit. The expected watermarks are worked out by hand from the
// first row (2020-03-31 10:00:00, or epoch millis 1585648800000) and Flink's interval
// arithmetic (a month back from March 31 is February 29), printed as CAST(... AS STRING)
// does (an LTZ in the UTC session time zone).
func TestWatermarkStrategies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cols, wm, want string
	}{
		{"bare rowtime", "ts TIMESTAMP(3)", "ts", "2020-03-31 10:00:00.000"},
		{"second", "ts TIMESTAMP(3)", "ts - INTERVAL '5' SECOND", "2020-03-31 09:59:55.000"},
		{"fractional second", "ts TIMESTAMP(3)", "ts - INTERVAL '0.25' SECOND", "2020-03-31 09:59:59.750"},
		{"minute", "ts TIMESTAMP(3)", "ts - INTERVAL '2' MINUTE", "2020-03-31 09:58:00.000"},
		{"minute to second", "ts TIMESTAMP(3)", "ts - INTERVAL '1:30' MINUTE TO SECOND", "2020-03-31 09:58:30.000"},
		{"hour", "ts TIMESTAMP(3)", "ts - INTERVAL '3' HOUR", "2020-03-31 07:00:00.000"},
		{"day", "ts TIMESTAMP(3)", "ts - INTERVAL '1' DAY", "2020-03-30 10:00:00.000"},
		{"month", "ts TIMESTAMP(3)", "ts - INTERVAL '1' MONTH", "2020-02-29 10:00:00.000"},
		{"year", "ts TIMESTAMP(3)", "ts - INTERVAL '1' YEAR", "2019-03-31 10:00:00.000"},
		{"ahead", "ts TIMESTAMP(3)", "ts + INTERVAL '1' SECOND", "2020-03-31 10:00:01.000"},
		{"timestamp(0)", "ts TIMESTAMP(0)", "ts - INTERVAL '1' SECOND", "2020-03-31 09:59:59.000"},
		{"ltz column", "ts TIMESTAMP_LTZ(3)", "ts - INTERVAL '1' SECOND", "2020-03-31 09:59:59.000"},
		{"computed to_timestamp", "s STRING, ts AS TO_TIMESTAMP(s)", "ts - INTERVAL '1' SECOND", "2020-03-31 09:59:59.000"},
		{"computed ltz", "ms BIGINT, ts AS TO_TIMESTAMP_LTZ(ms, 3)", "ts - INTERVAL '1' SECOND", "2020-03-31 09:59:59.000"},
		{"ltz strategy for a timestamp", "ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3)", "ltz", "2020-03-31 10:00:00.000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sql := "CREATE TABLE ev (id INT, " + tc.cols + ", WATERMARK FOR ts AS " + tc.wm + ") WITH (" +
				"'connector' = 'filesystem', 'path' = '$DIR/ev.csv', 'format' = 'csv');\n" +
				"CREATE TABLE o (id INT, wm STRING) WITH ('connector' = 'print');\n" +
				"INSERT INTO o SELECT id, CAST(CURRENT_WATERMARK(ts) AS STRING) FROM ev;\n"
			bin, dir, _ := sqlJob(t, sql, map[string]string{"ev.csv": ""})
			// The first row's time in the column's form, then a row 10 s later.
			row := func(id string, at, ms string) string {
				switch {
				case strings.HasPrefix(tc.cols, "ms "):
					return id + "," + ms
				case strings.Contains(tc.cols, "ltz "):
					return id + "," + at + "," + at
				}
				return id + "," + at
			}
			script := "> batch ev\n" + row("1", "2020-03-31 10:00:00", "1585648800000") +
				"\n> batch ev\n" + row("2", "2020-03-31 10:00:10", "1585648810000") + "\n"
			must(t, os.WriteFile(filepath.Join(dir, "steps"), []byte(script), 0o644))
			cmd := exec.Command(bin, "-D", "parallelism.default=1")
			cmd.Env = append(os.Environ(), "SQLC_STREAM_SCRIPT="+filepath.Join(dir, "steps"))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("job: %v\n%s", err, out)
			}
			want := "+I[1, null]\n+I[2, " + tc.want + "]\n== barrier 1 ==\n"
			if string(out) != want {
				t.Errorf("WATERMARK FOR ts AS %s over %s: got\n%swant\n%s", tc.wm, tc.cols, out, want)
			}
		})
	}
}
