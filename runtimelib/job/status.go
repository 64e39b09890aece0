package job

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The status page (docs/metrics.md): GET / is status.html, a self-contained page (no
// external asset) whose script polls GET /api/status every second and draws the job's
// graph as SVG: sources -> stages (the fused operators, as compiled) -> sinks, each
// with its live counters, watermark and back-pressure, the SQL it came from, and the
// last checkpoint.

//go:embed status.html
var statusHTML []byte

// Status is the JSON of /api/status.
type Status struct {
	Job        string            `json:"job"`
	File       string            `json:"file"`
	Now        int64             `json:"now_ms"`
	Uptime     float64           `json:"uptime_seconds"`
	Running    bool              `json:"running"` // the graph runs (its stats are known)
	Sources    []SourceStatus    `json:"sources"`
	Stages     []StageStatus     `json:"stages"`
	Sinks      []SinkStatus      `json:"sinks"`
	Counters   map[string]int64  `json:"counters"`
	Checkpoint *CheckpointStatus `json:"checkpoint"`
}

// SourceStatus is a source table of the job.
type SourceStatus struct {
	Table     string                `json:"table"`
	Connector string                `json:"connector"`
	SQL       string                `json:"sql"`
	Records   int64                 `json:"records"`
	Bytes     int64                 `json:"bytes"`
	Lag       []stream.PartitionLag `json:"lag,omitempty"`
}

// StageStatus is a stage: fused operators run by parallel tasks.
type StageStatus struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	SQL        string   `json:"sql"`
	Tasks      int      `json:"tasks"`
	Inputs     []string `json:"inputs"`  // stage ids
	Sources    []string `json:"sources"` // source tables it scans
	Sinks      []string `json:"sinks"`   // sink tables it writes
	Chained    bool     `json:"chained"`
	RecordsIn  int64    `json:"records_in"`
	RecordsOut int64    `json:"records_out"`
	BytesIn    int64    `json:"bytes_in"`
	BytesOut   int64    `json:"bytes_out"`
	// Watermark in ms, nil when none yet; WatermarkLag the wall clock minus it.
	Watermark    *int64   `json:"watermark_ms"`
	WatermarkLag *float64 `json:"watermark_lag_seconds"`
	Ended        bool     `json:"input_ended"`
	Backpressure float64  `json:"backpressure_seconds"`
	QueueFill    float64  `json:"queue_fill"`
	StateKeys    *int64   `json:"state_keys"`
	StateBytes   *int64   `json:"state_bytes"`
}

// SinkStatus is a sink table of the job.
type SinkStatus struct {
	Table     string  `json:"table"`
	Connector string  `json:"connector"`
	SQL       string  `json:"sql"`
	Records   int64   `json:"records"`
	Bytes     *int64  `json:"bytes"` // nil when the sink does not count them
	Flushes   int64   `json:"flushes"`
	FlushAvg  float64 `json:"flush_avg_seconds"`
	Retries   int64   `json:"retries"`
}

// CheckpointStatus is the last completed checkpoint.
type CheckpointStatus struct {
	Count     int64   `json:"count"`
	ID        int64   `json:"id"`
	Duration  float64 `json:"duration_seconds"`
	Bytes     int64   `json:"size_bytes"`
	Completed int64   `json:"completed_ms"`
	Age       float64 `json:"age_seconds"`
}

// statusHandlers adds / and /api/status.
func (c *Context) statusHandlers(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(statusHTML)
	})
	mux.HandleFunc("GET /api/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(c.status())
	})
}

// status gathers the job's live state. Every SQL text goes through options.Redact with
// the job's secrets: a password written in a WITH clause never reaches the page.
func (c *Context) status() *Status {
	now := time.Now()
	redact := func(s string) string { return options.Redact(s, c.secrets...) }
	st := &Status{Job: c.spec.Name, File: c.spec.Source, Now: now.UnixMilli(), Uptime: now.Sub(c.started).Seconds(), Counters: map[string]int64{}}
	c.mu.Lock()
	for n, k := range c.counts {
		st.Counters[n] = k.Load()
	}
	ckpt := c.lastCkpt
	c.mu.Unlock()
	if ckpt.Count > 0 {
		st.Checkpoint = &CheckpointStatus{Count: ckpt.Count, ID: ckpt.ID, Duration: ckpt.Duration.Seconds(), Bytes: ckpt.Bytes,
			Completed: ckpt.Completed.UnixMilli(), Age: now.Sub(ckpt.Completed).Seconds()}
	}
	connector := func(table string) string {
		if r := c.opts[table]; r != nil {
			return r.Connector
		}
		return ""
	}
	srcIdx := map[string]int{}
	for _, t := range c.spec.Tables {
		if t.Role == options.Source {
			srcIdx[t.Name] = len(st.Sources)
			st.Sources = append(st.Sources, SourceStatus{Table: t.Name, Connector: connector(t.Name), SQL: redact(t.SQL)})
		}
	}
	totals := c.sinkTotals()
	for _, t := range c.spec.Tables {
		if t.Role != options.Sink {
			continue
		}
		tot := totals[t.Name]
		s := SinkStatus{Table: t.Name, Connector: connector(t.Name), SQL: redact(t.SQL), Records: tot.Rows, Flushes: tot.Flushes, Retries: tot.Retries}
		if tot.HasBytes {
			b := tot.Bytes
			s.Bytes = &b
		}
		if tot.Flushes > 0 {
			s.FlushAvg = tot.FlushTime.Seconds() / float64(tot.Flushes)
		}
		st.Sinks = append(st.Sinks, s)
	}

	// The stages as compiled, with the runtime's counters once the graph runs.
	var stats []exec.StageStats
	var srcs []stream.Source
	if g := c.built.Load(); g != nil {
		stats, srcs = g.Stats(), g.Sources()
	}
	st.Running = stats != nil
	for i, sp := range c.spec.Stages {
		s := StageStatus{ID: stageID(i), Name: sp.Name, SQL: redact(sp.SQL), Inputs: []string{}}
		for _, t := range c.spec.Tables {
			switch {
			case t.Role == options.Source && strings.Contains(sp.Name, "Scan("+t.Name+")"):
				s.Sources = append(s.Sources, t.Name)
			case t.Role == options.Sink && strings.Contains(sp.Name, "Sink("+t.Name+")"):
				s.Sinks = append(s.Sinks, t.Name)
			}
		}
		if i < len(stats) && stats[i].Name == sp.Name {
			x := stats[i]
			s.Tasks, s.Chained = x.Tasks, x.Chained
			s.RecordsIn, s.RecordsOut, s.BytesIn, s.BytesOut = x.RecordsIn, x.RecordsOut, x.BytesIn, x.BytesOut
			s.Backpressure, s.QueueFill = x.Blocked.Seconds(), x.QueueFill
			for _, in := range x.Inputs {
				s.Inputs = append(s.Inputs, stageID(in))
			}
			switch x.Watermark {
			case exec.NoWatermark:
			case exec.EndOfTime:
				s.Ended = true
			default:
				wm, lag := x.Watermark, float64(now.UnixMilli()-x.Watermark)/1000
				s.Watermark, s.WatermarkLag = &wm, &lag
			}
			if x.HasState {
				keys, bytes := x.StateKeys, x.StateBytes
				s.StateKeys, s.StateBytes = &keys, &bytes
			}
			for j, ss := range x.Sources {
				if k, ok := srcIdx[sourceName(srcs, j)]; ok {
					st.Sources[k].Records += ss.Records
					st.Sources[k].Bytes += ss.Bytes
				}
			}
		}
		st.Stages = append(st.Stages, s)
	}
	for i, s := range srcs {
		if l, ok := s.(stream.Lagger); ok {
			if k, ok := srcIdx[sourceName(srcs, i)]; ok {
				st.Sources[k].Lag = l.Lag()
			}
		}
	}
	return st
}
