package job

import (
	"fmt"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// The job's log (log/slog, on standard error through the redactor, so no secret gets
// out): text lines by default, JSON with --log-format json. It holds one line at start
// (logStart), a progress line every --log-interval when no progress bar is drawn
// (logProgress), a warning for every retry (the sinks' and sources' own, through
// slog's default logger) and the drivers' own messages (the MySQL driver's and
// kafka-go's loggers are routed to slog by runtimelib/mysql and runtimelib/kafka).

// logStart logs the one line at start: the job, its sources and sinks with their
// connectors and what they read or write, the parallelism, and the checkpoint it
// restored, if any.
func logStart(c *Context, opts map[string]*options.Resolved) {
	var sources, sinks []string
	for _, t := range c.spec.Tables {
		d := describeTable(t.Name, opts[t.Name])
		switch t.Role {
		case options.Source:
			sources = append(sources, d)
		case options.Sink:
			sinks = append(sinks, d)
		}
	}
	attrs := []any{"sql", c.spec.Source, "sources", strings.Join(sources, ", "), "sinks", strings.Join(sinks, ", "), "parallelism", c.Parallelism()}
	if c.restored != "" {
		attrs = append(attrs, "restored", c.restored)
	}
	c.log.Info("starting", attrs...)
}

// describeTable is "name (connector target)": the topic, path, URL (its password
// masked) or table a connector reads or writes.
func describeTable(name string, r *options.Resolved) string {
	if r == nil {
		return name
	}
	var target []string
	for _, k := range []string{"topic", "path", "url", "table-name"} {
		if v := r.String(k); v != "" {
			target = append(target, options.MaskValue(k, v))
		}
	}
	if len(target) == 0 {
		return fmt.Sprintf("%s (%s)", name, r.Connector)
	}
	return fmt.Sprintf("%s (%s %s)", name, r.Connector, strings.Join(target, " "))
}

// logProgress logs a progress line every interval while the job runs (records read
// since the start, the rate since the last line, the counters), unless the progress bar
// shows it. It returns the function that stops it.
func (c *Context) logProgress(interval time.Duration) (stop func()) {
	if interval <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		last, lastAt := int64(0), time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				n := c.records.Load()
				if c.progress != nil && c.progress.drawing() {
					last, lastAt = n, now
					continue
				}
				rate := float64(n-last) / now.Sub(lastAt).Seconds()
				c.log.Info("progress", "records", n, "records_per_s", int64(rate), "counters", c.counterSummary())
				last, lastAt = n, now
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
