package exec

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// SplitOwner is the rule that gives a batch to a source task: a batch of a
// partitioned source (Batch.Partition is set: Kafka) or of an owned split
// (Batch.Owned: nexmark) belongs to task Split mod tasks, so a split's records keep
// their order and its watermark lives in one task; other batches (file chunks,
// datagen rows) are dynamic: owned reports false and the coordinator gives them to the
// least loaded task.
func SplitOwner(b *stream.Batch, tasks int) (task int, owned bool) {
	if b.Partition == nil && !b.Owned {
		return -1, false
	}
	return int(uint32(b.Split) % uint32(tasks)), true
}

// Position is where a split's input stands at a barrier: the end of the last batch
// dispatched before it (stream.Batch.Position), and the source it belongs to.
type Position struct {
	Source int // index in the source stage's sources
	stream.Position
}

// splitKey names a split of a source task. The dynamic batches of a source that a
// task received form one split of that task: dynamicSplit.
type splitKey struct {
	source, split int32
}

const dynamicSplit = -1

// splitState is a source task's view of one split: Flink's per-split watermark output.
type splitState struct {
	key        splitKey
	watermark  int64 // the largest reported by the task (ReportWatermark)
	lastActive int64 // processing time (ms) of its last batch
	idle       bool
}

// splits is a source task's watermark generation: a watermark per split, the minimum
// over the active ones (Flink's WatermarkOutputMultiplexer), and idleness
// (table.exec.source.idle-timeout).
type splits struct {
	task    *Task
	byKey   map[splitKey]*splitState
	list    []*splitState
	current *splitState // the split of the batch being processed
	timeout int64       // ms; 0: never idle
	started int64       // processing time the task started
}

// begin makes the batch's split the current one and active.
func (s *splits) begin(source int, b *stream.Batch, now int64) error {
	key := splitKey{int32(source), dynamicSplit}
	if _, owned := SplitOwner(b, 1); owned {
		key.split = b.Split
	}
	st := s.byKey[key]
	if st == nil {
		st = &splitState{key: key, watermark: NoWatermark}
		s.byKey[key] = st
		s.list = append(s.list, st)
	}
	st.lastActive, st.idle = now, false
	s.current = st
	return s.task.setIdle(false) // rows of an idle task must follow its Active
}

// update marks the splits that timed out idle and emits the task's watermark: the
// minimum over the active splits, or the idle status when every split is idle.
func (s *splits) update(now int64) error {
	lowest, active := int64(EndOfTime), 0
	for _, st := range s.list {
		if !st.idle && s.timeout > 0 && now-st.lastActive >= s.timeout {
			st.idle = true
		}
		if !st.idle {
			active++
			lowest = min(lowest, st.watermark)
		}
	}
	if active == 0 {
		if len(s.list) > 0 || s.timeout > 0 && now-s.started >= s.timeout {
			return s.task.setIdle(true)
		}
		return nil
	}
	if err := s.task.setIdle(false); err != nil {
		return err
	}
	return s.task.advance(lowest)
}

// nextIdle is when the next active split times out idle.
func (s *splits) nextIdle() (int64, bool) {
	if s.timeout <= 0 || s.task.idle {
		return 0, false
	}
	if len(s.list) == 0 {
		return s.started + s.timeout, true
	}
	next, ok := int64(EndOfTime), false
	for _, st := range s.list {
		if !st.idle {
			next, ok = min(next, st.lastActive+s.timeout), true
		}
	}
	return next, ok
}

// sourceEnded forgets the splits of a source that ended: they no longer hold the
// watermark back (Flink releases a finished split's output).
func (s *splits) sourceEnded(source int) {
	kept := s.list[:0]
	for _, st := range s.list {
		if int(st.key.source) == source {
			delete(s.byKey, st.key)
			continue
		}
		kept = append(kept, st)
	}
	clear(s.list[len(kept):])
	s.list = kept
}

// sourceQueue is how many batches each source may have read ahead of the coordinator,
// and taskQueue how many the coordinator may queue at a source task: enough to overlap
// reading with processing and to keep every task busy, few enough that a batch is
// processed soon after it was read, while its memory is still in the core's cache (a
// file source's batch is a 256 KiB chunk), and that the chunks in flight stay few.
const (
	sourceQueue = 1
	taskQueue   = 2
)

// event is what the forwarders send to the coordinator: a batch of a source, or the
// end of a source (batch nil) with the error its Run returned.
type event struct {
	source int
	batch  *stream.Batch
	err    error
}

// startSources runs every source in its own goroutine, forwarding its batches (and
// its end) to the returned channel. stop cancels the sources, waits for their
// goroutines and releases the batches nobody will process; it may be called again.
func startSources(parent context.Context, sources []stream.Source) (events chan event, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	events = make(chan event, sourceQueue*len(sources)+1)
	var wg sync.WaitGroup
	for i, src := range sources {
		ch := make(chan *stream.Batch, sourceQueue)
		var runErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			defer close(ch)
			runErr = runSource(ctx, src, ch)
		}()
		go func() {
			defer wg.Done()
			forward(ctx, i, ch, &runErr, events)
		}()
	}
	var once sync.Once
	return events, func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			for {
				select {
				case ev := <-events:
					if ev.batch != nil {
						ev.batch.Release()
					}
				default:
					return
				}
			}
		})
	}
}

// runSource runs one source, turning a panic into an error.
func runSource(ctx context.Context, src stream.Source, ch chan<- *stream.Batch) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: source panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return src.Run(ctx, ch)
}

// forward passes a source's batches to the coordinator in order, then its end. Once
// the sources are stopped (ctx done) it releases whatever the source still sends, so
// the source never blocks.
func forward(ctx context.Context, i int, ch <-chan *stream.Batch, runErr *error, events chan<- event) {
	for b := range ch {
		select {
		case events <- event{source: i, batch: b}:
		case <-ctx.Done():
			b.Release()
		}
	}
	// ch is closed after runErr is written: reading it here is ordered after the write.
	select {
	case events <- event{source: i, err: *runErr}:
	case <-ctx.Done():
	}
}
