package codegen

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

const timeErrorsSQL = `
CREATE TABLE t (ts TIMESTAMP(3), d DATE, p STRING, n BIGINT) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/ok.csv', 'format' = 'csv');
CREATE TABLE o (a STRING, b STRING, c DATE, e BIGINT, u BIGINT, v BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT DATE_FORMAT(ts, p), FROM_UNIXTIME(n, p), TIMESTAMPADD(DAY, n, d), UNIX_TIMESTAMP(p, p),
  UNIX_TIMESTAMP(), UNIX_TIMESTAMP() - UNIX_TIMESTAMP() FROM t;
`

// TestTimeFunctionErrors runs the time functions over patterns read per row, where
// Flink fails the job at run time: a pattern that does not compile, a zone letter for a
// TIMESTAMP; and TIMESTAMPADD of a DATE beyond an int of days (Math.toIntExact). It also
// checks UNIX_TIMESTAMP(), the clock, which no optimizer pass may fold.
func TestTimeFunctionErrors(t *testing.T) {
	t.Parallel()
	data := map[string]string{
		"ok.csv":       "2020-01-01 00:00:00,2020-01-01,yyyy,1\n",
		"bad.csv":      "2020-01-01 00:00:00,2020-01-01,yyyy{,1\n",
		"zone.csv":     "2020-01-01 00:00:00,2020-01-01,yyyy Z,1\n",
		"overflow.csv": "2020-01-01 00:00:00,2020-01-01,yyyy,3000000000\n",
		"parse.csv":    "2020-01-01 00:00:00,2020-01-01,ww,1\n",
	}
	bin, dir, files := sqlJob(t, timeErrorsSQL, data)
	if !strings.Contains(string(files[0].Content), "types.UnixTimestampNow()") {
		t.Errorf("UNIX_TIMESTAMP() should be read per row")
	}
	sql := strings.ReplaceAll(timeErrorsSQL, "$DIR", dir)
	src := &diag.Source{Name: "job.sql", Text: sql}
	at := func(s string) string { return src.Position(strings.Index(sql, s)).String() }

	before := time.Now().Unix()
	stdout, stderr, ok := runJob(t, bin)
	after := time.Now().Unix()
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	// DATE_FORMAT(TIMESTAMP, 'yyyy') = 2020, FROM_UNIXTIME(1, 'yyyy') = 1970,
	// UNIX_TIMESTAMP('yyyy', 'yyyy') does not parse: Long.MIN_VALUE.
	fields := strings.Split(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(stdout), "+I["), "]"), ", ")
	if len(fields) != 6 || strings.Join(fields[:4], ", ") != "2020, 1970, 2020-01-02, -9223372036854775808" {
		t.Fatalf("output %q", stdout)
	}
	if now, err := strconv.ParseInt(fields[4], 10, 64); err != nil || now < before || now > after {
		t.Errorf("UNIX_TIMESTAMP() = %s, want the clock in [%d, %d]", fields[4], before, after)
	}
	if d, err := strconv.ParseInt(fields[5], 10, 64); err != nil || d < -1 || d > 1 {
		t.Errorf("UNIX_TIMESTAMP() - UNIX_TIMESTAMP() = %s, want about 0", fields[5])
	}
	expectRowErrors(t, bin, dir, []rowError{
		{"bad.csv", "bad.csv:1: " + at("DATE_FORMAT(ts, p)") + ": DATE_FORMAT: invalid pattern 'yyyy{': Pattern includes reserved character: '{'"},
		{"zone.csv", "zone.csv:1: " + at("DATE_FORMAT(ts, p)") + ": DATE_FORMAT: pattern letters 'Z' need a time zone"},
		{"overflow.csv", "overflow.csv:1: " + at("TIMESTAMPADD(DAY, n, d)") + ": TIMESTAMPADD: integer overflow"},
		{"parse.csv", "parse.csv:1: " + at("UNIX_TIMESTAMP(p, p)") + ": UNIX_TIMESTAMP: pattern letter w is not supported for parsing yet"},
	})
}
