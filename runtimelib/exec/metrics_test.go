package exec

import (
	"context"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Stats counts what the source stage read and what crossed the exchange, whatever the
// buffering: the same rows on both sides of it.
func TestStatsCountRecordsAndRows(t *testing.T) {
	tr := &tracker{}
	src := splitSource(tr, 3, 20, 25, 5, 1000)
	j := newKeyedJob(Config{FlushInterval: time.Hour}, 2, 3, []stream.Source{src}, 7, 1, nil)
	if j.g.Stats() != nil {
		t.Fatal("stats before Run")
	}
	if err := j.g.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows := j.check(t)
	st := j.g.Stats()
	if len(st) != 2 {
		t.Fatalf("%d stages", len(st))
	}
	s0, s1 := st[0], st[1]
	if s0.RecordsIn != 3*20*25 || s0.Sources[0].Records != 3*20*25 {
		t.Errorf("source stage: %d records (%d by source), %d bytes; want %d records", s0.RecordsIn, s0.Sources[0].Records, s0.BytesIn, 3*20*25)
	}
	if s0.RecordsOut != rows || s1.RecordsIn != rows || s1.BytesIn != s0.BytesOut || s1.BytesIn == 0 {
		t.Errorf("exchange: %d rows (%d bytes) out, %d rows (%d bytes) in; the keyed tasks got %d", s0.RecordsOut, s0.BytesOut, s1.RecordsIn, s1.BytesIn, rows)
	}
	if len(s1.Inputs) != 1 || s1.Inputs[0] != 0 || s1.Chained || s1.Tasks != 3 {
		t.Errorf("keyed stage: inputs %v, chained %v, %d tasks", s1.Inputs, s1.Chained, s1.Tasks)
	}
	if s0.Watermark != EndOfTime || s1.Watermark != EndOfTime {
		t.Errorf("watermarks %d, %d after the end of bounded input", s0.Watermark, s1.Watermark)
	}
	tr.check(t)
}
