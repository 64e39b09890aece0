package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func testSpec() *Spec {
	return &Spec{Name: "cdn_local", Source: "cdn_local.sql", Tables: []TableSpec{
		{Name: "cdn_access_log", Role: options.Source, Options: []options.KV{
			{Key: "connector.type", Value: "filesystem"},
			{Key: "connector.path", Value: "logs.csv"},
			{Key: "format.type", Value: "csv"},
			{Key: "format.ignore-parse-errors", Value: "true"},
		}},
		{Name: "cdn_access_statistic", Role: options.Sink, Options: []options.KV{
			{Key: "connector.type", Value: "jdbc"},
			{Key: "connector.url", Value: "jdbc:sqlite:out.db"},
			{Key: "connector.table", Value: "cdn_access_statistic"},
			{Key: "connector.username", Value: "root"},
			{Key: "connector.password", Value: "${DB_PASSWORD}"},
			{Key: "connector.write.flush.interval", Value: "2s"},
		}},
		{Name: "my.db.table", Options: []options.KV{{Key: "connector", Value: "print"}}},
	}}
}

type result struct {
	code           int
	stdout, stderr string
}

func runJob(t *testing.T, spec *Spec, env map[string]string, run func(*Context) error, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if run == nil {
		run = func(*Context) error { return nil }
	}
	code := execute(context.Background(), spec, run, args, getenv, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

var pwEnv = map[string]string{"DB_PASSWORD": "s3cret"}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "-help"} {
		res := runJob(t, testSpec(), nil, func(*Context) error { t.Error("run called"); return nil }, arg)
		if res.code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", arg, res.code, res.stderr)
		}
		for _, want := range []string{
			"cdn_local: a streaming job compiled by sqlc-stream from cdn_local.sql",
			"cdn_access_log (source): connector filesystem",
			"path = logs.csv  (written as connector.path)",
			"csv.ignore-parse-errors = true  (written as format.ignore-parse-errors)",
			"csv.field-delimiter = ,",
			"cdn_access_statistic (sink): connector jdbc",
			"sink.buffer-flush.max-rows = 100",
			"my.db.table: connector print",
			"-D table.option=value",
			"-log-level",
		} {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("%s: help lacks %q:\n%s", arg, want, res.stdout)
			}
		}
	}
}

func TestHelpMasksSecrets(t *testing.T) {
	spec := testSpec()
	res := runJob(t, spec, nil, nil, "-D", "cdn_access_statistic.password=hunter2",
		"-D", "cdn_access_statistic.url=jdbc:mysql://root:topsecret@db:3306/flink?password=other", "--help")
	if strings.Contains(res.stdout, "hunter2") || strings.Contains(res.stdout, "topsecret") || strings.Contains(res.stdout, "other") {
		t.Errorf("secret in help:\n%s", res.stdout)
	}
	for _, want := range []string{"password = ******", "url = jdbc:mysql://root:******@db:3306/flink?password=******"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, res.stdout)
		}
	}
}

// TestErrorsMaskSecrets: no message of a job shows a password, whether a connector's
// error quotes the expanded URL or a driver's message quotes the password itself.
func TestErrorsMaskSecrets(t *testing.T) {
	env := map[string]string{"DB_PASSWORD": "s3cret-pw", "MYSQL_PASSWORD": "hunter2hunter2"}
	res := runJob(t, testSpec(), env, func(c *Context) error {
		url := c.Options("cdn_access_statistic").String("url")
		c.Logger().Error("connecting", "dsn", "u:"+c.Options("cdn_access_statistic").String("password")+"@tcp(h)/db")
		return fmt.Errorf("url %q names no database; driver said: access with hunter2hunter2 refused", url)
	}, "-D", "cdn_access_statistic.url=jdbc:mysql://u:${MYSQL_PASSWORD}@h")
	if res.code != 1 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, secret := range []string{"s3cret-pw", "hunter2hunter2"} {
		if strings.Contains(res.stderr, secret) {
			t.Errorf("stderr shows %q:\n%s", secret, res.stderr)
		}
	}
	for _, want := range []string{`url "jdbc:mysql://u:******@h" names no database`, "access with ****** refused", "u:******@tcp(h)/db"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	// Start errors too: a -D for an unknown table, with a password in it.
	res = runJob(t, testSpec(), pwEnv, nil, "-D", "nope.password=hunter2hunter2", "-D", "nope.url=jdbc:mysql://h/db?password=hunter3hunter3")
	if res.code != 2 || strings.Contains(res.stderr, "hunter2hunter2") || strings.Contains(res.stderr, "hunter3hunter3") {
		t.Errorf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
}

func TestOverridesAndExpansion(t *testing.T) {
	var got *Context
	res := runJob(t, testSpec(), pwEnv, func(c *Context) error { got = c; return nil },
		"-D", "cdn_access_log.path=other.csv", "-Dcdn_access_statistic.sink.buffer-flush.interval=500ms",
		"--D", "my.db.table.print-identifier=x", "-D=cdn_access_log.csv.field-delimiter=|")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	src := got.Options("cdn_access_log")
	if src.String("path") != "other.csv" || src.String("csv.field-delimiter") != "|" || !src.Bool("csv.ignore-parse-errors") {
		t.Errorf("source options: %v", src.Values)
	}
	sink := got.Options("cdn_access_statistic")
	if sink.String("password") != "s3cret" {
		t.Errorf("password not expanded: %q", sink.String("password"))
	}
	if sink.Duration("sink.buffer-flush.interval") != 500*time.Millisecond || got.FlushInterval() != 500*time.Millisecond {
		t.Errorf("flush interval %v / %v", sink.Duration("sink.buffer-flush.interval"), got.FlushInterval())
	}
	if got.Options("my.db.table").String("print-identifier") != "x" {
		t.Errorf("dotted table override: %v", got.Options("my.db.table").Values)
	}
}

func TestFlushIntervalDefault(t *testing.T) {
	spec := &Spec{Name: "j", Tables: []TableSpec{{Name: "p", Options: []options.KV{{Key: "connector", Value: "print"}}}}}
	var iv time.Duration
	runJob(t, spec, nil, func(c *Context) error { iv = c.FlushInterval(); return nil })
	if iv != time.Second {
		t.Errorf("default flush interval %v", iv)
	}
	spec = testSpec()
	runJob(t, spec, pwEnv, func(c *Context) error { iv = c.FlushInterval(); return nil })
	if iv != 2*time.Second {
		t.Errorf("jdbc flush interval %v", iv)
	}
}

func TestStartErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"unset variable", nil, nil, []string{"cdn_local: table 'cdn_access_statistic': option 'connector.password': environment variable DB_PASSWORD is not set"}},
		{"unknown table", pwEnv, []string{"-D", "nope.path=x"}, []string{"-D nope.path=x: unknown table; tables: cdn_access_log, cdn_access_statistic, my.db.table"}},
		{"no equals", pwEnv, []string{"-D", "cdn_access_log.path"}, []string{"expected table.option=value"}},
		{"no key", pwEnv, []string{"-D", "cdn_access_log.=x"}, []string{"missing option name"}},
		{"unknown option", pwEnv, []string{"-D", "cdn_access_log.pth=x"}, []string{"table 'cdn_access_log': unsupported option 'pth'", "did you mean 'path'?"}},
		{"bad value", pwEnv, []string{"-D", "cdn_access_statistic.sink.buffer-flush.interval=soon"}, []string{"invalid value 'soon'"}},
		{"bad expanded value", map[string]string{"DB_PASSWORD": "x", "IV": "later"}, []string{"-D", "cdn_access_statistic.sink.buffer-flush.interval=${IV}"}, []string{"invalid value 'later'"}},
		{"negative retries", pwEnv, []string{"-D", "cdn_access_statistic.sink.max-retries=-5"}, []string{"invalid value '-5' for option 'sink.max-retries': expected an integer from 0 to 2147483647"}},
		{"negative expanded retries", map[string]string{"DB_PASSWORD": "x", "R": "-1"}, []string{"-D", "cdn_access_statistic.connector.write.max-retries=${R}"}, []string{"invalid value '-1' for option 'connector.write.max-retries'"}},
		{"bad flag", pwEnv, []string{"--bogus"}, []string{"flag provided but not defined: -bogus"}},
		{"positional", pwEnv, []string{"extra"}, []string{`unexpected argument "extra"`}},
		{"log level", pwEnv, []string{"--log-level", "loud"}, []string{`invalid --log-level "loud"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runJob(t, testSpec(), tt.env, func(*Context) error { t.Error("run called"); return nil }, tt.args...)
			if res.code != 2 {
				t.Errorf("exit %d, want 2", res.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}

func TestRunErrorAndSummary(t *testing.T) {
	res := runJob(t, testSpec(), pwEnv, func(c *Context) error {
		c.Counter("cdn_access_log.records").Add(1000)
		c.Counter("cdn_access_log.records_skipped").Add(3)
		c.Counter("cdn_access_log.records").Add(1)
		return nil
	})
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	line := strings.TrimSpace(res.stderr[strings.LastIndex(strings.TrimSpace(res.stderr), "\n")+1:])
	if !strings.HasPrefix(line, "cdn_local: done in ") || !strings.HasSuffix(line, ": cdn_access_log.records=1001 cdn_access_log.records_skipped=3") {
		t.Errorf("summary = %q", line)
	}

	res = runJob(t, testSpec(), pwEnv, func(c *Context) error {
		return RowError("logs.csv:17", "job.sql:5:10", "CAST('abc' AS BIGINT) failed: %w", errors.New("not a number"))
	})
	if res.code != 1 || !strings.Contains(res.stderr, "cdn_local: error: logs.csv:17: job.sql:5:10: CAST('abc' AS BIGINT) failed: not a number") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}

	res = runJob(t, testSpec(), pwEnv, func(c *Context) error { panic("generated bug") })
	if res.code != 1 || !strings.Contains(res.stderr, "internal error: panic: generated bug") {
		t.Errorf("panic: exit %d, stderr %q", res.code, res.stderr)
	}
}

func TestNotesLoggedOnce(t *testing.T) {
	spec := &Spec{Name: "seed", Tables: []TableSpec{{Name: "k", Options: []options.KV{
		{Key: "connector.type", Value: "kafka"}, {Key: "connector.version", Value: "universal"},
		{Key: "connector.topic", Value: "t"}, {Key: "connector.properties.zookeeper.connect", Value: "z:2181"},
		{Key: "connector.properties.bootstrap.servers", Value: "b:9092"}, {Key: "format.type", Value: "csv"},
	}}}}
	res := runJob(t, spec, nil, nil)
	if res.code != 0 || strings.Count(res.stderr, "connector.properties.zookeeper.connect is accepted and unused") != 1 {
		t.Errorf("exit %d stderr %s", res.code, res.stderr)
	}
	res = runJob(t, spec, nil, nil, "--log-level", "warn")
	if strings.Contains(res.stderr, "zookeeper") {
		t.Errorf("info logged at warn level: %s", res.stderr)
	}
}

// endlessSource sends one-record batches until it is cancelled.
type endlessSource struct{}

func (endlessSource) Bounded() bool { return false }

func (endlessSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	for {
		select {
		case out <- &stream.Batch{Records: [][]byte{[]byte("x")}, Origin: "kafka"}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// cancelOnBatch is a source stage's operator that cancels the job at its first batch
// and notes the barriers it saw.
type cancelOnBatch struct {
	cancel   func()
	barriers int
}

func (o *cancelOnBatch) OnBatch(int, *stream.Batch) error { o.cancel(); return nil }
func (o *cancelOnBatch) OnWatermark(int64) error          { return nil }
func (o *cancelOnBatch) OnBarrier(int64) error            { o.barriers++; return nil }
func (o *cancelOnBatch) OnEnd() error                     { return nil }

func TestCancelledJobExitsZeroAfterFlush(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut bytes.Buffer
	op := &cancelOnBatch{cancel: cancel}
	code := execute(ctx, testSpec(), func(c *Context) error {
		g := c.Graph()
		g.SourceStage("test", 1, []stream.Source{endlessSource{}}).Task(0).SetOperator(op)
		return g.Run(c.Context())
	}, nil, func(k string) (string, bool) { return pwEnv[k], true }, &out, &errOut)
	if code != 0 || op.barriers == 0 || !strings.Contains(errOut.String(), "cdn_local: stopped in ") || !strings.Contains(errOut.String(), "stopping: flushing") {
		t.Errorf("code %d barriers %d stderr %q", code, op.barriers, errOut.String())
	}
}

func TestErrors(t *testing.T) {
	inner := errors.New("no such host")
	tests := []struct {
		err  error
		want string
	}{
		{RowError("logs.csv:17", "job.sql:5:10", "CAST(%q AS BIGINT) failed", "abc"), `logs.csv:17: job.sql:5:10: CAST("abc" AS BIGINT) failed`},
		{RowError("", "job.sql:1:1", "x"), "job.sql:1:1: x"},
		{AtRow(UDFError("job.sql:3:8", "ip_to_province", inner), "logs.csv:2"), "logs.csv:2: job.sql:3:8: function ip_to_province returned an error: no such host"},
		{AtRow(UDFPanic("job.sql:3:8", "ip_to_province", "index out of range"), "logs.csv:2"), "logs.csv:2: job.sql:3:8: function ip_to_province panicked: index out of range"},
		{AtRow(inner, "logs.csv:9"), "logs.csv:9: no such host"},
		{AtRow(RowError("a:1", "", "m"), "b:2"), "a:1: m"},
	}
	for _, tt := range tests {
		if tt.err.Error() != tt.want {
			t.Errorf("got %q, want %q", tt.err.Error(), tt.want)
		}
	}
	if !errors.Is(AtRow(UDFError("p", "f", inner), "w"), inner) {
		t.Error("UDFError does not unwrap")
	}
	var re *RuntimeError
	if !errors.As(AtRow(inner, "w"), &re) || re.Where != "w" {
		t.Error("AtRow does not give a RuntimeError")
	}
	if AtRow(nil, "w") != nil {
		t.Error("AtRow(nil)")
	}
}

// table.exec.state.ttl comes from the script's SET, and -D overrides it at start; a value
// that is not a duration stops the job before it runs.
func TestStateTTL(t *testing.T) {
	spec := &Spec{Name: "j", Tables: []TableSpec{{Name: "p", Options: []options.KV{{Key: "connector", Value: "print"}}}},
		Settings: []options.KV{{Key: StateTTLKey, Value: "1 h"}}}
	var ttl time.Duration
	runJob(t, spec, nil, func(c *Context) error { ttl = c.StateTTL(); return nil })
	if ttl != time.Hour {
		t.Errorf("SET ttl: %v", ttl)
	}
	runJob(t, spec, nil, func(c *Context) error { ttl = c.StateTTL(); return nil }, "-D", "table.exec.state.ttl=90 s")
	if ttl != 90*time.Second {
		t.Errorf("-D ttl: %v", ttl)
	}
	res := runJob(t, spec, nil, func(*Context) error { t.Error("run called"); return nil }, "-D", "table.exec.state.ttl=forever")
	if res.code != 2 || !strings.Contains(res.stderr, `table.exec.state.ttl: "forever" is not a duration`) {
		t.Errorf("bad ttl: exit %d, stderr:\n%s", res.code, res.stderr)
	}
}

// The script's state steps: sleep takes a duration, restore from must come first.
func TestScriptStateSteps(t *testing.T) {
	steps, err := parseScript("s", []byte("> restore from snaps\n> batch t\na\n> sleep 2 h\n> snapshot out\n> batch t split 3\nb\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []exec.Step{{Kind: exec.StepRestoreFrom, Dir: "snaps"}, {Kind: exec.StepBatch, Table: "t", Records: [][]byte{[]byte("a")}},
		{Kind: exec.StepSleep, Duration: 2 * time.Hour}, {Kind: exec.StepSnapshotTo, Dir: "out"},
		{Kind: exec.StepBatch, Table: "t", Owned: true, Split: 3, Records: [][]byte{[]byte("b")}}}
	if fmt.Sprint(steps) != fmt.Sprint(want) {
		t.Errorf("steps %v, want %v", steps, want)
	}
	for _, bad := range []string{"> batch t\na\n> restore from snaps\n", "> sleep soon\n", "> sleep 0 s\n", "> batch t split -1\n", "> batch t split x\n"} {
		if _, err := parseScript("s", []byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
