package exec

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Live counters for monitoring (the job's Prometheus endpoint and status page). A task's
// goroutine updates them once per batch, per row buffer, per watermark or per barrier,
// never per row, with atomic adds that a scrape reads from another goroutine; Graph.Stats
// sums them by stage.

// StateSizer is an operator that can say how large its state is: the keys it holds and
// an estimate of their bytes. The runtime asks it after each barrier, in the task's
// goroutine, and publishes the answer in Stats.
type StateSizer interface {
	StateSize() (keys, bytes int64)
}

// taskStats are one task's counters.
type taskStats struct {
	recordsIn, bytesIn   atomic.Int64
	recordsOut, bytesOut atomic.Int64
	watermark            atomic.Int64 // NoWatermark before any
	blocked              atomic.Int64 // nanoseconds waiting for a credit (back-pressure)
	stateKeys, stateSize atomic.Int64
	hasState             atomic.Bool
	// sources counts a source task's input per source (OnBatch's index).
	sources []sourceStats
}

type sourceStats struct{ records, bytes atomic.Int64 }

// StageStats is a stage of the running graph with its counters, summed over its tasks.
type StageStats struct {
	Index int
	Name  string
	Tasks int
	// Inputs are the indexes of the stages feeding this one; Chained says those
	// exchanges are chained (the stage runs in its producer's goroutine, fed by direct
	// calls, so its records in and the producer's records out are not counted).
	Inputs  []int
	Chained bool
	// RecordsIn and BytesIn: a source stage's records and bytes of its batches; another
	// stage's rows received over exchanges (bytes: the rows' Go size and the strings and
	// bytes copied with them, an estimate). RecordsOut and BytesOut: rows sent over
	// exchanges (sinks count their own rows).
	RecordsIn, BytesIn, RecordsOut, BytesOut int64
	// Watermark is the smallest watermark of the stage's tasks (ms; NoWatermark when a
	// task has none yet, EndOfTime once the input ended).
	Watermark int64
	// Blocked is the time the stage's tasks waited for a free buffer of a consumer
	// (back-pressure from downstream); QueueFill is how full their inbound queues are,
	// 0 to 1, averaged over the tasks.
	Blocked   time.Duration
	QueueFill float64
	// HasState: the stage's operators are StateSizers; StateKeys and StateBytes are
	// their sizes at the last barrier.
	HasState              bool
	StateKeys, StateBytes int64
	// Sources are a source stage's counters per source (OnBatch's index).
	Sources []SourceStats
}

// SourceStats are the records and bytes a source delivered to the source stage.
type SourceStats struct {
	Records, Bytes int64
}

// statsState guards what Stats reads of the graph while Run builds it.
type statsState struct {
	mu      sync.Mutex
	running bool // build is done: runners and channels exist
}

// Stats returns every stage's counters; nil before Run built the graph. Safe to call
// from any goroutine while the graph runs (and after).
func (g *Graph) Stats() []StageStats {
	g.stats.mu.Lock()
	defer g.stats.mu.Unlock()
	if !g.stats.running {
		return nil
	}
	out := make([]StageStats, len(g.stages))
	for i, s := range g.stages {
		st := StageStats{Index: i, Name: s.name, Tasks: len(s.tasks), Watermark: EndOfTime}
		for _, e := range s.inputs {
			b := e.base()
			st.Chained = st.Chained || b.chained
			from := g.stageIndex(b.from)
			if len(st.Inputs) == 0 || st.Inputs[len(st.Inputs)-1] != from {
				st.Inputs = append(st.Inputs, from)
			}
		}
		if s == g.source {
			st.Sources = make([]SourceStats, len(s.sources))
		}
		queues := 0
		for _, t := range s.tasks {
			ts := &t.stats
			st.RecordsIn += ts.recordsIn.Load()
			st.BytesIn += ts.bytesIn.Load()
			st.RecordsOut += ts.recordsOut.Load()
			st.BytesOut += ts.bytesOut.Load()
			st.Watermark = min(st.Watermark, ts.watermark.Load())
			st.Blocked += time.Duration(ts.blocked.Load())
			if ts.hasState.Load() {
				st.HasState = true
				st.StateKeys += ts.stateKeys.Load()
				st.StateBytes += ts.stateSize.Load()
			}
			for j := range ts.sources {
				st.Sources[j].Records += ts.sources[j].records.Load()
				st.Sources[j].Bytes += ts.sources[j].bytes.Load()
			}
			if r := t.runner; r != nil && r.head == t && cap(r.in) > 0 {
				st.QueueFill += float64(len(r.in)) / float64(cap(r.in))
				queues++
			}
		}
		if queues > 0 {
			st.QueueFill /= float64(queues)
		}
		out[i] = st
	}
	return out
}

func (g *Graph) stageIndex(s *Stage) int {
	for i, x := range g.stages {
		if x == s {
			return i
		}
	}
	return -1
}

// countBatch counts a source task's batch, before Prepare splits its raw bytes.
func (t *Task) countBatch(source int, n int, bytes int) {
	ts := &t.stats
	ts.recordsIn.Add(int64(n))
	ts.bytesIn.Add(int64(bytes))
	if source < len(ts.sources) {
		ts.sources[source].records.Add(int64(n))
		ts.sources[source].bytes.Add(int64(bytes))
	}
}

// sampleState asks a StateSizer operator for its size (after a barrier).
func (t *Task) sampleState() {
	if s, ok := t.op.(StateSizer); ok {
		keys, bytes := s.StateSize()
		t.stats.stateKeys.Store(keys)
		t.stats.stateSize.Store(bytes)
		t.stats.hasState.Store(true)
	}
}

// size estimates a row buffer's bytes: its rows' Go size and what its arena holds.
func (b *rowBuffer[R]) size() int64 {
	var r R
	n := int64(b.n) * int64(unsafe.Sizeof(r))
	if a := &b.arena; a.cur >= 0 {
		n += int64(a.cur)*arenaChunk + int64(a.off)
	}
	return n
}
