package job

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// secretJob is a job whose sink URL carries a password from ${MYSQL_PASSWORD} and whose
// run makes a connector log it and fail with it, as a driver might.
func secretJob(t *testing.T, format string) result {
	t.Helper()
	env := map[string]string{"DB_PASSWORD": "s3cret-pw", "MYSQL_PASSWORD": "hunter2hunter2"}
	return runJob(t, testSpec(), env, func(c *Context) error {
		slog.Default().Warn("MySQL write failed, retrying", "dsn", "u:hunter2hunter2@tcp(h)/db", "attempt", 1)
		return fmt.Errorf("connect %s: refused", c.Options("cdn_access_statistic").String("url"))
	}, "--log-format", format, "-D", "cdn_access_statistic.url=jdbc:mysql://u:${MYSQL_PASSWORD}@h/db")
}

// TestLogsText: the one line at start names the job, its sources and sinks (a URL's
// password masked); a connector's retry is a warning line; no secret appears.
func TestLogsText(t *testing.T) {
	res := secretJob(t, "text")
	if res.code != 1 {
		t.Fatalf("exit %d:\n%s", res.code, res.stderr)
	}
	for _, want := range []string{
		`level=INFO msg=starting job=cdn_local sql=cdn_local.sql sources="cdn_access_log (filesystem logs.csv)" sinks="cdn_access_statistic (jdbc jdbc:mysql://u:******@h/db cdn_access_statistic)" parallelism=`,
		`level=WARN msg="MySQL write failed, retrying" job=cdn_local dsn=u:******@tcp(h)/db attempt=1`,
		"cdn_local: error: connect jdbc:mysql://u:******@h/db: refused",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks\n%s\nin\n%s", want, res.stderr)
		}
	}
	for _, secret := range []string{"s3cret-pw", "hunter2hunter2"} {
		if strings.Contains(res.stderr, secret) {
			t.Errorf("stderr shows %q:\n%s", secret, res.stderr)
		}
	}
}

// TestLogsJSON: with --log-format json every line of stderr is a JSON object (the
// error and the last line too), with the same content, and no secret.
func TestLogsJSON(t *testing.T) {
	for _, run := range []struct {
		fail bool
		want []string // msg of each record, in order
	}{{true, []string{"starting", "MySQL write failed, retrying", "job failed"}}, {false, []string{"starting", "done"}}} {
		var res result
		if run.fail {
			res = secretJob(t, "json")
		} else {
			res = runJob(t, testSpec(), pwEnv, nil, "--log-format=json")
		}
		var msgs []string
		for _, line := range strings.Split(strings.TrimSpace(res.stderr), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("not a JSON line: %q (%v)", line, err)
			}
			if rec["job"] != "cdn_local" {
				t.Errorf("record without the job: %v", rec)
			}
			msgs = append(msgs, fmt.Sprint(rec["msg"]))
			switch rec["msg"] {
			case "starting":
				if rec["sources"] != "cdn_access_log (filesystem logs.csv)" {
					t.Errorf("sources = %v", rec["sources"])
				}
			case "job failed":
				if rec["level"] != "ERROR" || rec["err"] != "connect jdbc:mysql://u:******@h/db: refused" {
					t.Errorf("error record = %v", rec)
				}
			case "done":
				if _, ok := rec["took"]; !ok {
					t.Errorf("done record = %v", rec)
				}
			}
		}
		if strings.Join(msgs, "|") != strings.Join(run.want, "|") {
			t.Errorf("records %q, want %q", msgs, run.want)
		}
		if strings.Contains(res.stderr, "hunter2hunter2") || strings.Contains(res.stderr, "s3cret-pw") {
			t.Errorf("a secret in the JSON log:\n%s", res.stderr)
		}
	}
	res := runJob(t, testSpec(), pwEnv, nil, "--log-format=xml")
	if res.code != 2 || !strings.Contains(res.stderr, `invalid --log-format "xml": use text or json`) {
		t.Errorf("exit %d:\n%s", res.code, res.stderr)
	}
}

// TestProgressLines: every --log-interval a line gives the records read so far and the
// counters. The job runs until two such lines were logged.
func TestProgressLines(t *testing.T) {
	var stdout, stderr syncBuffer
	getenv := func(k string) (string, bool) { v, ok := pwEnv[k]; return v, ok }
	code := execute(context.Background(), testSpec(), func(c *Context) error {
		c.Counter("cdn_access_log.records_skipped").Add(2)
		c.batchHook()(&stream.Batch{Records: make([][]byte, 7)})
		waitFor(t, &stderr, "level=INFO msg=progress job=cdn_local records=7 records_per_s=")
		c.batchHook()(&stream.Batch{Count: 5})
		waitFor(t, &stderr, "records=12")
		return nil
	}, []string{"--log-interval", "20ms"}, getenv, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), `counters="cdn_access_log.records_skipped=2"`) {
		t.Errorf("no counters in the progress lines:\n%s", stderr.String())
	}
	// --log-interval 0: none.
	res := runJob(t, testSpec(), pwEnv, func(c *Context) error { time.Sleep(50 * time.Millisecond); return nil }, "--log-interval", "0")
	if strings.Contains(res.stderr, "msg=progress") {
		t.Errorf("progress lines with --log-interval 0:\n%s", res.stderr)
	}
}
