package job

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// flushSink is a sink of which only Flush is used, and which retries once per flush.
type flushSink struct {
	stream.Sink
	retry func()
}

func (s *flushSink) Flush() error {
	if s.retry != nil {
		s.retry()
	}
	return nil
}

func (s *flushSink) CountRetries(f func()) { s.retry = f }
func (s *flushSink) BytesWritten() int64   { return 42 }

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}

// TestMetricsEndpoint: the job's counters, a sink's meter and the spec's SQL reach
// /metrics, /api/status and / while the job runs; a secret never does.
func TestMetricsEndpoint(t *testing.T) {
	spec := testSpec()
	spec.Tables[1].SQL = "CREATE TABLE cdn_access_statistic (...) WITH ('connector.password' = 's3cret')"
	spec.Stages = []StageSpec{{Name: "Scan(cdn_access_log) -> Sink(cdn_access_statistic)", SQL: "INSERT INTO cdn_access_statistic SELECT * FROM cdn_access_log"}}
	var metrics, status, page string
	res := runJob(t, spec, pwEnv, func(c *Context) error {
		c.Counter("cdn_access_log.records_skipped").Add(3)
		c.Counter("udf.f.errors").Add(4)
		c.Counter("other.thing").Add(2)
		s := &flushSink{}
		m := c.SinkMeter("cdn_access_statistic", s)
		for range 5 {
			m.Row()
		}
		if err := m.Flush(s, 1); err != nil {
			return err
		}
		base := "http://" + c.mon.ln.Addr().String()
		metrics, status, page = get(t, base+"/metrics"), get(t, base+"/api/status"), get(t, base+"/")
		return nil
	}, "--metrics-addr", "127.0.0.1:0")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "metrics and status page") || !strings.Contains(res.stderr, "http://127.0.0.1:") {
		t.Errorf("the URL is not logged:\n%s", res.stderr)
	}
	for _, want := range []string{
		`sqlc_stream_records_dropped_total{job="cdn_local",reason="parse_error",table="cdn_access_log"} 3`,
		`sqlc_stream_udf_errors_total{function="f",job="cdn_local"} 4`,
		`sqlc_stream_job_counter_total{job="cdn_local",name="other.thing"} 2`,
		`sqlc_stream_sink_records_total{job="cdn_local",sink="cdn_access_statistic"} 5`,
		`sqlc_stream_sink_retries_total{job="cdn_local",sink="cdn_access_statistic"} 1`,
		`sqlc_stream_sink_bytes_total{job="cdn_local",sink="cdn_access_statistic"} 42`,
		`sqlc_stream_sink_flush_duration_seconds_count{job="cdn_local",sink="cdn_access_statistic"} 1`,
		`# TYPE sqlc_stream_records_dropped_total counter`,
		`go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, metrics)
		}
	}
	var st Status
	if err := json.Unmarshal([]byte(status), &st); err != nil {
		t.Fatalf("/api/status: %v\n%s", err, status)
	}
	if len(st.Sinks) != 1 || st.Sinks[0].Records != 5 || st.Sinks[0].Retries != 1 || st.Sinks[0].Bytes == nil || *st.Sinks[0].Bytes != 42 {
		t.Errorf("sinks %+v", st.Sinks)
	}
	if len(st.Stages) != 1 || st.Stages[0].Sources[0] != "cdn_access_log" || st.Stages[0].Sinks[0] != "cdn_access_statistic" {
		t.Errorf("stages %+v", st.Stages)
	}
	if st.Counters["cdn_access_log.records_skipped"] != 3 {
		t.Errorf("counters %v", st.Counters)
	}
	if strings.Contains(status, "s3cret") || !strings.Contains(st.Sinks[0].SQL, "CREATE TABLE cdn_access_statistic") {
		t.Errorf("sink SQL %q: want it shown with its secret masked", st.Sinks[0].SQL)
	}
	if !strings.Contains(page, "<svg") || strings.Contains(page, `src="http`) || strings.Contains(page, `href="http`) {
		t.Errorf("/ is not the self-contained status page")
	}
}

func TestCounterMetrics(t *testing.T) {
	for _, c := range []struct{ name, metric, label string }{
		{"t.records_skipped", "sqlc_stream_records_dropped_total", "t"},
		{"my.db.table.not_null_dropped", "sqlc_stream_records_dropped_total", "my.db.table"},
		{"udf.ip_to_province.errors", "sqlc_stream_udf_errors_total", "ip_to_province"},
		{"udf.f.dead_letters", "sqlc_stream_udf_dead_letters_total", "f"},
		{"job.restarts", "sqlc_stream_restarts_total", ""},
		{"t.errors", "", ""},
		{".records_skipped", "", ""},
	} {
		metric, label := "", ""
		for i := range counterMetrics {
			if x, ok := counterMetrics[i].match(c.name); ok {
				metric, label = counterMetrics[i].Metric, x
				break
			}
		}
		if metric != c.metric || label != c.label {
			t.Errorf("%s: %s %q, want %s %q", c.name, metric, label, c.metric, c.label)
		}
	}
}
