package codegen

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

const clockSQL = `
CREATE TABLE t (id INT) WITH ('connector' = 'filesystem', 'path' = '$DIR/ids.csv', 'format' = 'csv');
CREATE TABLE o (id INT, ct TIMESTAMP_LTZ(3), nw TIMESTAMP_LTZ(3), rt TIMESTAMP_LTZ(3), lt TIMESTAMP(3),
  cd DATE, ctm TIME(0), ltm TIME(0), ut BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT id, CURRENT_TIMESTAMP, NOW(), CURRENT_ROW_TIMESTAMP(), LOCALTIMESTAMP,
  CURRENT_DATE, CURRENT_TIME, LOCALTIME, UNIX_TIMESTAMP() FROM t;
`

// TestClockFunctions runs the clock functions over many rows. Their values are the wall
// clock, so the test checks what it can: every value lies between the run's start and
// end (the date, time and seconds at their precision, in the UTC session time zone),
// and, read per row as Flink does in streaming mode, never goes back from row to row.
func TestClockFunctions(t *testing.T) {
	t.Parallel()
	var ids strings.Builder
	const rows = 3000
	for i := range rows {
		fmt.Fprintf(&ids, "%d\n", i)
	}
	bin, _, files := sqlJob(t, clockSQL, map[string]string{"ids.csv": ids.String()})
	for _, call := range []string{"types.NowTimestamp()", "types.NowDate()", "types.NowTime()"} {
		if !strings.Contains(string(files[0].Content), call) {
			t.Errorf("generated code does not call %s per row", call)
		}
	}
	before := time.Now().UTC()
	stdout, stderr, ok := runJob(t, bin, "-D", "parallelism.default=1")
	after := time.Now().UTC()
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != rows {
		t.Fatalf("%d rows, want %d:\n%s", len(lines), rows, stdout)
	}
	parse := func(layout, s string) time.Time {
		// The print sink writes Java's LocalTime/LocalDateTime/Instant forms, which drop
		// zero seconds ("12:30", "2020-01-31T12:30Z").
		if i := strings.LastIndexByte(s, 'T') + 1; strings.Count(s[i:], ":") == 1 {
			j := i + 5
			s = s[:j] + ":00" + s[j:]
		}
		v, err := time.Parse(layout, s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	within := func(what string, v, lo, hi time.Time) {
		if v.Before(lo) || v.After(hi) {
			t.Errorf("%s = %s, not within [%s, %s]", what, v, lo, hi)
		}
	}
	lo, hi := before.Truncate(time.Millisecond), after
	prev := make([]time.Time, 8)
	for i, line := range lines {
		f := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "+I["), "]"), ", ")
		if len(f) != 9 || f[0] != fmt.Sprint(i) {
			t.Fatalf("row %d: %q", i, line)
		}
		vals := []time.Time{
			parse("2006-01-02T15:04:05.999999999Z", f[1]), // CURRENT_TIMESTAMP
			parse("2006-01-02T15:04:05.999999999Z", f[2]), // NOW()
			parse("2006-01-02T15:04:05.999999999Z", f[3]), // CURRENT_ROW_TIMESTAMP()
			parse("2006-01-02T15:04:05.999999999", f[4]),  // LOCALTIMESTAMP, at UTC
			parse("2006-01-02", f[5]),                     // CURRENT_DATE
		}
		for j, name := range []string{"CURRENT_TIMESTAMP", "NOW()", "CURRENT_ROW_TIMESTAMP()", "LOCALTIMESTAMP"} {
			within(name, vals[j], lo, hi)
		}
		within("CURRENT_DATE", vals[4], before.Truncate(24*time.Hour), after)
		day := vals[4].Format("2006-01-02T")
		for j, name := range []string{"CURRENT_TIME", "LOCALTIME"} {
			tm := parse("2006-01-02T15:04:05", day+f[6+j]) // TIME(0): whole seconds
			within(name, tm, before.Truncate(time.Second), after)
			vals = append(vals, tm)
		}
		secs, err := strconv.ParseInt(f[8], 10, 64)
		if err != nil {
			t.Fatalf("row %d: UNIX_TIMESTAMP() = %q", i, f[8])
		}
		ut := time.Unix(secs, 0).UTC()
		within("UNIX_TIMESTAMP()", ut, before.Truncate(time.Second), after)
		vals = append(vals[:7], ut)
		for j, v := range vals {
			if v.Before(prev[j]) {
				t.Errorf("row %d: value %d went back from %s to %s", i, j+1, prev[j], v)
			}
			prev[j] = v
		}
	}
}
