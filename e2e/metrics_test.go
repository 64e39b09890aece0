package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

var screenshotDir = flag.String("screenshot-dir", "", "keep the status page's screenshot here (also $SQLC_STREAM_SCREENSHOT_DIR); default: the test's temporary directory")

// TestMetrics runs the seed job (examples/cdn/cdn.sql, Kafka in, MariaDB out) with
// --metrics-addr 127.0.0.1:0 while records are produced in two halves: a scrape after
// each half sees the counters move, and once the job caught up they match the final
// counts (records read = records produced, the keyed operator's keys = the rows
// MariaDB holds, the records with NULLed fields = the job's own summary). Its StatusPage subtest
// loads the status page of the running job in headless Chromium (acceptance 2).
func TestMetrics(t *testing.T) {
	n := records(t)
	b := &builder{dir: t.TempDir(), root: gotest.RepoRoot(t)}
	bin := b.job(t, "examples/cdn/cdn.sql")
	bootstrap := testservers.Kafka(t)
	my := newMySQL(t)
	topic, topicArgs := seedTopic(t, bootstrap)

	args := append(my.seedArgs(), topicArgs...)
	args = append(args, "--metrics-addr", "127.0.0.1:0",
		"--checkpoint-interval", "1s", "--checkpoint-dir", t.TempDir())
	j := startJob(t, bin, seedEnv(bootstrap, my), args...)
	base := metricsURL(t, j)
	t.Logf("metrics at %s", base)

	g := mock.New(seed, malformed, true)
	produce := func(k int64) {
		t.Helper()
		if _, err := g.ProduceKafka(context.Background(), k, mock.KafkaOptions{
			Brokers: strings.Split(bootstrap, ","), Topic: topic, Partitions: partitions}); err != nil {
			t.Fatal(err)
		}
	}
	half := n / 2
	produce(half)
	m1 := waitMetrics(t, j, base, func(m metrics) bool {
		return m.sum("sqlc_stream_source_records_total") == float64(half) && m.sum("sqlc_stream_sink_records_total") > 0
	})
	produce(n - half)
	m2 := waitMetrics(t, j, base, func(m metrics) bool {
		return m.sum("sqlc_stream_source_records_total") == float64(n) && m.sum("sqlc_stream_kafka_consumer_lag_records") == 0
	})
	// Every record is read; the table is complete once a flush after the last one ran.
	waitTable(t, my.db, reference(t, n), j)
	flushes := m2.sum("sqlc_stream_sink_flush_duration_seconds_count")
	final := waitMetrics(t, j, base, func(m metrics) bool {
		return m.sum("sqlc_stream_sink_flush_duration_seconds_count") >= flushes+2 && m.sum("sqlc_stream_checkpoints_total") > 0
	})

	// Moving: what the first scrape saw grew by the second half.
	for _, name := range []string{"sqlc_stream_source_records_total", "sqlc_stream_source_bytes_total",
		"sqlc_stream_operator_records_in_total", "sqlc_stream_sink_records_total"} {
		if a, b := m1.sum(name), final.sum(name); !(a > 0 && b > a) {
			t.Errorf("%s: %v after the first half, %v at the end: want a positive count that grows", name, a, b)
		}
	}
	// Final counts.
	if got := final.get("sqlc_stream_source_records_total", "source", "cdn_access_log"); got != float64(n) {
		t.Errorf("records read %v, want the %d produced", got, n)
	}
	if got := final.get("sqlc_stream_operator_records_in_total", "operator", "stage0"); got != float64(n) {
		t.Errorf("stage0 records in %v, want %d", got, n)
	}
	if out, in := final.get("sqlc_stream_operator_records_out_total", "operator", "stage0"),
		final.get("sqlc_stream_operator_records_in_total", "operator", "stage1"); out != in {
		t.Errorf("stage0 sent %v rows, stage1 received %v", out, in)
	}
	var rows int
	if err := my.db.QueryRow("SELECT COUNT(*) FROM access_statistic").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if keys := final.sum("sqlc_stream_operator_state_keys"); keys != float64(rows) {
		t.Errorf("state keys %v, MariaDB holds %d rows", keys, rows)
	}
	if w := final.get("sqlc_stream_sink_records_total", "sink", "cdn_access_statistic"); w < float64(rows) {
		t.Errorf("sink rows %v, fewer than the %d rows MariaDB holds", w, rows)
	}
	if parts := final.count("sqlc_stream_kafka_consumer_lag_records"); parts != partitions {
		t.Errorf("Kafka lag of %d partitions, want %d", parts, partitions)
	}
	for _, name := range []string{"sqlc_stream_checkpoint_duration_seconds", "sqlc_stream_checkpoint_size_bytes",
		"sqlc_stream_checkpoint_age_seconds", "sqlc_stream_operator_state_bytes", "sqlc_stream_sink_retries_total",
		"sqlc_stream_operator_backpressure_seconds_total", "sqlc_stream_operator_input_queue_fill_ratio"} {
		if final.count(name) == 0 {
			t.Errorf("no %s in the scrape", name)
		}
	}

	t.Run("StatusPage", func(t *testing.T) { testStatusPage(t, base) })

	// Stopped, the job prints its counters: the records whose bad fields were set to
	// NULL (the mock's malformed lines) are the same count.
	nulled := final.get("sqlc_stream_records_nulled_total", "table", "cdn_access_log")
	if err := j.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	j.wait(t)
	m := regexp.MustCompile(`cdn_access_log\.records_nulled=(\d+)`).FindStringSubmatch(j.stderr.String())
	if m == nil {
		t.Fatalf("no records_nulled counter in the summary:\n%s", j.stderr)
	}
	if want, _ := strconv.ParseFloat(m[1], 64); nulled != want || want == 0 {
		t.Errorf("sqlc_stream_records_nulled_total{table=cdn_access_log} = %v, the summary says %v", nulled, want)
	}
}

// testStatusPage loads the status page in headless Chromium from Debian's packages,
// keeps a screenshot and checks the rendered graph: the CDN job's source, both stages
// and the sink, with live counts.
func testStatusPage(t *testing.T, base string) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed (apt-get install chromium; scripts/test.sh installs it)")
	}
	dir := *screenshotDir
	if dir == "" {
		dir = os.Getenv("SQLC_STREAM_SCREENSHOT_DIR")
	}
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	run := func(extra ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
			"--user-data-dir=" + profile, "--window-size=1500,1000", "--virtual-time-budget=5000"}, extra...)
		cmd := exec.CommandContext(ctx, browser, append(args, base+"/")...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, stderr.String())
		}
		return out
	}
	shot := filepath.Join(dir, "status-page.png")
	run("--screenshot=" + shot)
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Fatalf("no screenshot at %s: %v", shot, err)
	}
	t.Logf("status page screenshot: %s", shot)

	dom := string(run("--dump-dom"))
	if !strings.Contains(dom, `data-loaded="1"`) {
		t.Fatalf("the page did not load its status:\n%s", dom)
	}
	nodes := regexp.MustCompile(`<g class="node [a-z]+" data-kind="([a-z]+)" data-id="([^"]+)" data-records="([0-9.e+]+)"`).FindAllStringSubmatch(dom, -1)
	got := map[string]float64{}
	for _, m := range nodes {
		v, _ := strconv.ParseFloat(m[3], 64)
		got[m[2]] = v
	}
	for _, id := range []string{"source:cdn_access_log", "stage0", "stage1", "sink:cdn_access_statistic"} {
		v, ok := got[id]
		if !ok {
			t.Errorf("the graph has no node %s; nodes: %v", id, got)
		} else if v <= 0 {
			t.Errorf("node %s shows %v records, want a live count", id, v)
		}
	}
	for _, want := range []string{"cdn_access_log", "Aggregate(groupBy=[province])", "INSERT INTO cdn_access_statistic",
		"CREATE TABLE cdn_access_log", "Last checkpoint", `data-from="stage0" data-to="stage1"`} {
		if !strings.Contains(dom, want) && !strings.Contains(dom, htmlEscape(want)) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if !regexp.MustCompile(`<div id="ckpt">#\d+ \(\d+ in all\)`).MatchString(dom) {
		t.Errorf("the page shows no checkpoint")
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// metricsURL waits for the line where the job says where its metrics are.
func metricsURL(t *testing.T, j *job) string {
	t.Helper()
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	if !j.stderr.waitFor(j.done, 2*time.Minute, "metrics and status page") {
		t.Fatalf("the job did not say where its metrics are; stderr:\n%s", j.stderr)
	}
	u := re.FindString(j.stderr.String())
	if u == "" {
		t.Fatalf("no URL in the job's stderr:\n%s", j.stderr)
	}
	return u
}

// metrics is a scrape: every sample's name and labels, and value.
type metrics []sample

type sample struct {
	name   string
	labels map[string]string
	value  float64
}

func (m metrics) sum(name string) float64 {
	s := 0.0
	for _, x := range m {
		if x.name == name {
			s += x.value
		}
	}
	return s
}

func (m metrics) count(name string) int {
	n := 0
	for _, x := range m {
		if x.name == name {
			n++
		}
	}
	return n
}

// get is the value of the sample name with label key=value (NaN when absent).
func (m metrics) get(name, key, value string) float64 {
	for _, x := range m {
		if x.name == name && x.labels[key] == value {
			return x.value
		}
	}
	return -1
}

var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)

// scrape reads /metrics in Prometheus' text format.
func scrape(base string) (metrics, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("GET /metrics: %s: %s", resp.Status, b)
	}
	var out metrics
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("bad line %q", line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return nil, fmt.Errorf("bad value in %q", line)
		}
		labels := map[string]string{}
		for _, kv := range regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(m[2], -1) {
			var s string
			if err := json.Unmarshal([]byte(`"`+kv[2]+`"`), &s); err != nil {
				s = kv[2]
			}
			labels[kv[1]] = s
		}
		out = append(out, sample{name: m[1], labels: labels, value: v})
	}
	return out, sc.Err()
}

// waitMetrics scrapes until ok holds; it fails when the job exits first or after a
// generous limit.
func waitMetrics(t *testing.T, j *job, base string, ok func(metrics) bool) metrics {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last metrics
	var lastErr error
	for time.Now().Before(deadline) {
		m, err := scrape(base)
		if err == nil && ok(m) {
			return m
		}
		last, lastErr = m, err
		select {
		case <-j.done:
			t.Fatalf("the job exited (%v); stderr:\n%s", j.err, j.stderr)
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("the metrics did not get there: last scrape error %v; source records %v", lastErr, last.sum("sqlc_stream_source_records_total"))
	return nil
}
