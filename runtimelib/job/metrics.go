package job

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Metrics (docs/metrics.md). With --metrics-addr the job serves, on that address,
// Prometheus metrics at /metrics, the status page at / and its data at /api/status
// (status.go). Nothing is counted for them on the hot path that is not counted anyway:
// the runtime keeps per-batch and per-buffer atomics (exec.Graph.Stats), the sinks a
// per-row increment of a task-local field published at each flush (SinkMeter), and the
// job's counters (Context.Counter) are the ones its end-of-run summary prints. A scrape
// reads them all (metricsCollector).

// counterMetric maps job counters (Context.Counter names) to a Prometheus metric: the
// one place to register a counter for Prometheus. A counter named "<x><Suffix>" (or
// exactly Name when Suffix is empty) becomes Metric{Label="<x>", Const...}. A counter
// that matches no row is exported as sqlc_stream_job_counter_total{name="..."}.
type counterMetric struct {
	Suffix string // ".records_skipped": "<table>.records_skipped"
	Prefix string // what the part before Suffix starts with, cut off ("udf.")
	Exact  string // a job-wide counter's whole name ("job.restarts"), instead of Suffix
	Metric string
	Help   string
	Label  string            // the label that gets the part before Suffix ("table")
	Const  map[string]string // labels with fixed values ({"reason": "parse_error"})
}

// counterMetrics: add a row here when you add a counter that Prometheus should see
// under a name of its own (and document it in docs/metrics.md).
var counterMetrics = []counterMetric{
	{Suffix: ".records_skipped", Metric: "sqlc_stream_records_dropped_total", Label: "table", Const: map[string]string{"reason": "parse_error"},
		Help: "Records dropped, by table and reason: parse_error (a record ignore-parse-errors skipped), not_null (table.exec.sink.not-null-enforcer = DROP), late (behind the watermark), udf_error."},
	{Suffix: ".records_nulled", Metric: "sqlc_stream_records_nulled_total", Label: "table",
		Help: "Records kept with fields that did not parse set to NULL (ignore-parse-errors), by table."},
	{Suffix: ".not_null_dropped", Metric: "sqlc_stream_records_dropped_total", Label: "table", Const: map[string]string{"reason": "not_null"}},
	{Suffix: ".numLateRecordsDropped", Metric: "sqlc_stream_records_dropped_total", Label: "table", Const: map[string]string{"reason": "late"}}, // "window_aggN.numLateRecordsDropped" (Flink's name)
	{Suffix: ".udf_error_dropped", Metric: "sqlc_stream_records_dropped_total", Label: "table", Const: map[string]string{"reason": "udf_error"}},
	{Prefix: "udf.", Suffix: ".errors", Metric: "sqlc_stream_udf_errors_total", Label: "function",
		Help: "Calls of a user-defined function that failed (on-error null, dead-letter or fail)."},
	{Prefix: "udf.", Suffix: ".dead_letters", Metric: "sqlc_stream_udf_dead_letters_total", Label: "function",
		Help: "Rows a failed user-defined function sent to its dead-letter table."},
	{Suffix: ".dead_letters", Metric: "sqlc_stream_dead_letters_total", Label: "table",
		Help: "Rejected records written to the table's dead-letter destination (dead-letter.path or dead-letter.topic)."},
	{Exact: "job.restarts", Metric: "sqlc_stream_restarts_total",
		Help: "Times the job restarted its graph after a failure (restart strategy)."},
}

// match returns the label values of counter name under m, or false.
func (m *counterMetric) match(name string) (string, bool) {
	if m.Exact != "" {
		return "", name == m.Exact
	}
	x, ok := strings.CutSuffix(name, m.Suffix)
	if !ok || x == "" {
		return "", false
	}
	if m.Prefix != "" {
		if x, ok = strings.CutPrefix(x, m.Prefix); !ok || x == "" {
			return "", false
		}
	}
	return x, true
}

// SinkMeter counts a sink's rows and times its flushes; one per sink per task, made by
// Context.SinkMeter (a zero SinkMeter counts but exports nothing: for operators built by
// hand in tests). Row is for the task's goroutine only (a plain increment); Flush
// publishes the rows counted since the last flush.
type SinkMeter struct {
	table   string
	pending int64 // rows since the last flush (the task's own)
	rows    atomic.Int64
	flushes atomic.Int64
	flushNs atomic.Int64 // total flush time
	retries atomic.Int64
	hist    prometheus.Observer // nil without --metrics-addr
	// counter is the sink's own count of the bytes it wrote (nil when it keeps none).
	counter stream.ByteCounter
	bytes   atomic.Int64
}

// Row counts a row written to the sink (after its End).
func (m *SinkMeter) Row() { m.pending++ }

// Flush flushes the sink, timing it, and publishes the rows written since the last one.
func (m *SinkMeter) Flush(s stream.Sink, barrier int64) error {
	start := time.Now()
	err := stream.FlushAt(s, barrier)
	d := time.Since(start)
	m.rows.Add(m.pending)
	m.pending = 0
	m.flushes.Add(1)
	m.flushNs.Add(int64(d))
	if m.counter != nil {
		m.bytes.Store(m.counter.BytesWritten())
	}
	if m.hist != nil {
		m.hist.Observe(d.Seconds())
	}
	return err
}

// SinkMeter returns a new meter of a sink of table (one per task: generated init calls
// it once the sink opened). A sink that retries (stream.RetryCounter) counts its
// retries into it.
func (c *Context) SinkMeter(table string, s stream.Sink) *SinkMeter {
	m := &SinkMeter{table: table}
	if c.mon != nil {
		m.hist = c.mon.flushHist.WithLabelValues(c.spec.Name, table)
	}
	m.counter, _ = s.(stream.ByteCounter)
	if r, ok := s.(stream.RetryCounter); ok {
		r.CountRetries(func() { m.retries.Add(1) })
	}
	c.mu.Lock()
	c.sinks = append(c.sinks, m)
	c.mu.Unlock()
	return m
}

// sinkTotals sums the meters by table.
type sinkTotal struct {
	Rows, Flushes, Retries int64
	FlushTime              time.Duration
	Bytes                  int64
	HasBytes               bool // the sink counts its bytes (stream.ByteCounter)
}

func (c *Context) sinkTotals() map[string]sinkTotal {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]sinkTotal{}
	for _, m := range c.sinks {
		t := out[m.table]
		t.Rows += m.rows.Load()
		t.Flushes += m.flushes.Load()
		t.Retries += m.retries.Load()
		t.FlushTime += time.Duration(m.flushNs.Load())
		t.Bytes += m.bytes.Load()
		t.HasBytes = t.HasBytes || m.counter != nil
		out[m.table] = t
	}
	return out
}

// checkpointStats are the last completed checkpoint's figures.
type checkpointStats struct {
	Count     int64
	ID        int64
	Duration  time.Duration
	Bytes     int64
	Completed time.Time
}

// noteCheckpoint records a completed checkpoint (saveCheckpoint).
func (c *Context) noteCheckpoint(id int64, d time.Duration, bytes int64) {
	c.mu.Lock()
	c.lastCkpt = checkpointStats{Count: c.lastCkpt.Count + 1, ID: id, Duration: d, Bytes: bytes, Completed: time.Now()}
	c.mu.Unlock()
}

// monitor is the metrics server of a job run with --metrics-addr.
type monitor struct {
	reg       *prometheus.Registry
	flushHist *prometheus.HistogramVec
	ln        net.Listener
	srv       *http.Server
	done      chan struct{}
}

// startMonitor listens on addr and serves /metrics, / and /api/status. The URL goes to
// the log (and so to stderr): with port 0, that is how a caller learns the port.
func (c *Context) startMonitor(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--metrics-addr %s: %w", addr, err)
	}
	m := &monitor{reg: prometheus.NewRegistry(), ln: ln, done: make(chan struct{})}
	m.flushHist = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "sqlc_stream_sink_flush_duration_seconds",
		Help:    "Time a sink took to flush what it buffered (at every barrier), retries included.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
	}, []string{"job", "sink"})
	m.reg.MustRegister(m.flushHist, &metricsCollector{c: c},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	c.statusHandlers(mux) // status.go
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	c.mon = m
	go func() {
		defer close(m.done)
		if err := m.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.log.Warn("metrics server stopped", "err", err)
		}
	}()
	c.log.Info("metrics and status page", "url", "http://"+ln.Addr().String()+"/")
	return nil
}

// stopMonitor closes the metrics server.
func (c *Context) stopMonitor() {
	if c.mon == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.mon.srv.Shutdown(ctx)
	<-c.mon.done
}

// metricsCollector turns the job's live state into Prometheus metrics at each scrape.
type metricsCollector struct{ c *Context }

// Describe sends nothing: the metrics depend on the job's graph (an unchecked collector).
func (*metricsCollector) Describe(chan<- *prometheus.Desc) {}

func (mc *metricsCollector) Collect(ch chan<- prometheus.Metric) {
	c := mc.c
	job := c.spec.Name
	descs := map[string]*prometheus.Desc{}
	emit := func(name, help string, typ prometheus.ValueType, v float64, labels ...string) {
		keys, vals := []string{"job"}, []string{job}
		for i := 0; i+1 < len(labels); i += 2 {
			keys, vals = append(keys, labels[i]), append(vals, labels[i+1])
		}
		key := name + "\x00" + strings.Join(keys, ",")
		d, ok := descs[key]
		if !ok {
			if help == "" {
				help = metricHelp[name]
			}
			d = prometheus.NewDesc(name, help, keys, nil)
			descs[key] = d
		}
		ch <- prometheus.MustNewConstMetric(d, typ, v, vals...)
	}
	counter, gauge := prometheus.CounterValue, prometheus.GaugeValue
	now := time.Now()

	// The job's counters, the same the end-of-run summary prints.
	c.mu.Lock()
	names := make([]string, 0, len(c.counts))
	values := map[string]int64{}
	for n, k := range c.counts {
		names = append(names, n)
		values[n] = k.Load()
	}
	ckpt := c.lastCkpt
	c.mu.Unlock()
	sort.Strings(names)
	for _, n := range names {
		exported := false
		for i := range counterMetrics {
			cm := &counterMetrics[i]
			x, ok := cm.match(n)
			if !ok {
				continue
			}
			var labels []string
			if cm.Label != "" {
				labels = append(labels, cm.Label, x)
			}
			for _, k := range sortedKeys(cm.Const) {
				labels = append(labels, k, cm.Const[k])
			}
			emit(cm.Metric, helpOf(cm.Metric), counter, float64(values[n]), labels...)
			exported = true
			break
		}
		if !exported {
			emit("sqlc_stream_job_counter_total", "", counter, float64(values[n]), "name", n)
		}
	}

	// Sources, operators (stages) and sinks.
	if g := c.built.Load(); g != nil {
		stats := g.Stats()
		srcs := g.Sources()
		for _, st := range stats {
			op := stageID(st.Index)
			emit("sqlc_stream_operator_info", "", gauge, 1, "operator", op, "name", st.Name, "tasks", strconv.Itoa(st.Tasks), "chained", strconv.FormatBool(st.Chained))
			emit("sqlc_stream_operator_records_in_total", "", counter, float64(st.RecordsIn), "operator", op)
			emit("sqlc_stream_operator_records_out_total", "", counter, float64(st.RecordsOut), "operator", op)
			emit("sqlc_stream_operator_bytes_in_total", "", counter, float64(st.BytesIn), "operator", op)
			emit("sqlc_stream_operator_bytes_out_total", "", counter, float64(st.BytesOut), "operator", op)
			emit("sqlc_stream_operator_backpressure_seconds_total", "", counter, st.Blocked.Seconds(), "operator", op)
			emit("sqlc_stream_operator_input_queue_fill_ratio", "", gauge, st.QueueFill, "operator", op)
			if st.Watermark != exec.NoWatermark && st.Watermark != exec.EndOfTime {
				emit("sqlc_stream_operator_watermark_seconds", "", gauge, float64(st.Watermark)/1000, "operator", op)
				emit("sqlc_stream_operator_watermark_lag_seconds", "", gauge, float64(now.UnixMilli()-st.Watermark)/1000, "operator", op)
			}
			if st.HasState {
				emit("sqlc_stream_operator_state_keys", "", gauge, float64(st.StateKeys), "operator", op)
				emit("sqlc_stream_operator_state_bytes", "", gauge, float64(st.StateBytes), "operator", op)
			}
			for i, s := range st.Sources {
				name := sourceName(srcs, i)
				emit("sqlc_stream_source_records_total", "", counter, float64(s.Records), "source", name)
				emit("sqlc_stream_source_bytes_total", "", counter, float64(s.Bytes), "source", name)
			}
		}
		for i, s := range srcs {
			if l, ok := s.(stream.Lagger); ok {
				for _, p := range l.Lag() {
					emit("sqlc_stream_kafka_consumer_lag_records", "", gauge, float64(p.Lag),
						"source", sourceName(srcs, i), "topic", p.Topic, "partition", strconv.Itoa(int(p.Partition)))
				}
			}
		}
	}
	totals := c.sinkTotals()
	for _, t := range sortedKeys(totals) {
		emit("sqlc_stream_sink_records_total", "", counter, float64(totals[t].Rows), "sink", t)
		emit("sqlc_stream_sink_retries_total", "", counter, float64(totals[t].Retries), "sink", t)
		if totals[t].HasBytes {
			emit("sqlc_stream_sink_bytes_total", "", counter, float64(totals[t].Bytes), "sink", t)
		}
	}

	// Checkpoints.
	if ckpt.Count > 0 {
		emit("sqlc_stream_checkpoints_total", "", counter, float64(ckpt.Count))
		emit("sqlc_stream_checkpoint_duration_seconds", "", gauge, ckpt.Duration.Seconds())
		emit("sqlc_stream_checkpoint_size_bytes", "", gauge, float64(ckpt.Bytes))
		emit("sqlc_stream_checkpoint_last_completed_timestamp_seconds", "", gauge, float64(ckpt.Completed.UnixMilli())/1000)
		emit("sqlc_stream_checkpoint_age_seconds", "", gauge, now.Sub(ckpt.Completed).Seconds())
	}
	emit("sqlc_stream_uptime_seconds", "", gauge, now.Sub(c.started).Seconds())
}

// helpOf is the help of the first counterMetrics row naming metric with one.
func helpOf(metric string) string {
	for _, cm := range counterMetrics {
		if cm.Metric == metric && cm.Help != "" {
			return cm.Help
		}
	}
	return metric
}

// metricHelp documents the metrics the collector makes (docs/metrics.md has the list).
var metricHelp = map[string]string{
	"sqlc_stream_job_counter_total":                           "A job counter without a metric of its own, by its name.",
	"sqlc_stream_operator_info":                               "A stage of the job's graph (fused operators): its name, parallelism and whether it is chained to its producer.",
	"sqlc_stream_operator_records_in_total":                   "Records into a stage: a source stage's records read, another's rows received over exchanges.",
	"sqlc_stream_operator_records_out_total":                  "Rows a stage sent over exchanges to the next stage (sink rows are sqlc_stream_sink_records_total).",
	"sqlc_stream_operator_bytes_in_total":                     "Bytes into a stage: a source stage's input bytes, another's estimated row bytes received.",
	"sqlc_stream_operator_bytes_out_total":                    "Estimated bytes of the rows a stage sent over exchanges.",
	"sqlc_stream_operator_backpressure_seconds_total":         "Time a stage's tasks waited for a free buffer of the next stage (back-pressure).",
	"sqlc_stream_operator_input_queue_fill_ratio":             "How full a stage's inbound queues are (0 to 1), averaged over its tasks.",
	"sqlc_stream_operator_watermark_seconds":                  "A stage's current event-time watermark (the smallest of its tasks), in Unix seconds.",
	"sqlc_stream_operator_watermark_lag_seconds":              "Wall-clock time minus a stage's watermark.",
	"sqlc_stream_operator_state_keys":                         "Keys (groups) a keyed stage holds in its state, at the last barrier.",
	"sqlc_stream_operator_state_bytes":                        "Estimated bytes of a keyed stage's state, at the last barrier.",
	"sqlc_stream_source_records_total":                        "Records a source delivered to the job.",
	"sqlc_stream_source_bytes_total":                          "Bytes a source read (file bytes, Kafka record batches).",
	"sqlc_stream_kafka_consumer_lag_records":                  "Records of a Kafka partition not fetched yet (high watermark minus the next offset to fetch).",
	"sqlc_stream_sink_records_total":                          "Rows written to a sink and flushed.",
	"sqlc_stream_sink_retries_total":                          "Retries of a sink's failed flushes.",
	"sqlc_stream_sink_bytes_total":                            "Bytes a sink wrote (sinks that count them: print, kafka, upsert-kafka).",
	"sqlc_stream_checkpoints_total":                           "Checkpoints completed and written.",
	"sqlc_stream_checkpoint_duration_seconds":                 "Time the last checkpoint took to write.",
	"sqlc_stream_checkpoint_size_bytes":                       "Bytes of state in the last checkpoint.",
	"sqlc_stream_checkpoint_last_completed_timestamp_seconds": "When the last checkpoint completed, in Unix seconds.",
	"sqlc_stream_checkpoint_age_seconds":                      "Time since the last checkpoint completed.",
	"sqlc_stream_uptime_seconds":                              "Time since the job started.",
}

// stageID is a stage's operator label: "stage0", as generated code names its type.
func stageID(i int) string { return "stage" + strconv.Itoa(i) }

// sourceName is a source's table (its Table method), or "source<i>".
func sourceName(srcs []stream.Source, i int) string {
	if t, ok := srcs[i].(interface{ Table() string }); ok {
		return t.Table()
	}
	return "source" + strconv.Itoa(i)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
