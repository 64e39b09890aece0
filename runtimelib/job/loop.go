package job

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// sourceBuffer is how many batches each source may have in flight ahead of the loop:
// enough to overlap reading with processing, bounded so memory stays bounded.
const sourceBuffer = 4

// event is what the forwarders send to the loop: a batch of a source, or the end of a
// source (batch nil) with the error its Run returned.
type event struct {
	source int
	batch  *stream.Batch
	err    error
}

// Loop runs the sources and calls the callbacks until the input ends, an error occurs or
// the job is cancelled.
//
// Every source runs in its own goroutine and sends batches to a bounded channel.
// onBatch (with the index of the batch's source) and onFlush are called only in the
// calling goroutine: generated state needs no locks. onFlush is called every flush
// interval (after every batch when flush <= 0) and once more when all sources have
// ended; then Loop returns nil. After every successful onFlush, the sources that
// implement stream.Committer get the positions of the batches processed since (see
// package stream for the rule). Unbounded sources keep the loop running until the job
// is cancelled (SIGINT/SIGTERM): then Loop flushes once more and returns nil. An error
// from a source or a callback stops every source and is returned. Loop returns only
// after every goroutine it started has ended.
func (c *Context) Loop(sources []stream.Source, flush time.Duration,
	onBatch func(source int, b *stream.Batch) error, onFlush func() error) error {
	onBatch = prepared(countBatches(onBatch)) // records per batch for $SQLC_STREAM_STATS_FILE (stats.go)
	return loop(c.ctx, sources, flush, onBatch, onFlush, func() {
		c.log.Info("stopping: flushing what was processed (interrupt again to exit at once)")
	})
}

// loop is Loop; onStop, if not nil, is called when the job is cancelled, before the
// final flush.
func loop(parent context.Context, sources []stream.Source, flush time.Duration,
	onBatch func(source int, b *stream.Batch) error, onFlush func() error, onStop func()) (err error) {
	if parent.Err() != nil {
		return nil
	}
	events, stop := startSources(parent, sources)
	defer stop()
	commits := newCommits(parent, sources)
	flushAll := func() error {
		if err := call(onFlush); err != nil {
			return err
		}
		commits.flushed()
		return nil
	}

	var tick <-chan time.Time
	if flush > 0 {
		t := time.NewTicker(flush)
		defer t.Stop()
		tick = t.C
	}
	running := len(sources)
	for running > 0 {
		select {
		case ev := <-events:
			if ev.batch == nil {
				running--
				if ev.err != nil {
					if parent.Err() != nil && errors.Is(ev.err, context.Canceled) {
						continue // the job is being stopped; handled below
					}
					return ev.err
				}
				continue
			}
			pos := ev.batch.Position() // onBatch releases the batch
			if err := call(func() error { return onBatch(ev.source, ev.batch) }); err != nil {
				return err
			}
			commits.processed(ev.source, pos)
			if flush <= 0 {
				if err := flushAll(); err != nil {
					return err
				}
			}
		case <-tick:
			if err := flushAll(); err != nil {
				return err
			}
		case <-parent.Done():
			// SIGINT/SIGTERM: keep what was processed, then stop.
			if onStop != nil {
				onStop()
			}
			return flushAll()
		}
	}
	return flushAll()
}

// startSources runs every source in its own goroutine, forwarding its batches (and its
// end) to the returned channel. stop cancels the sources, waits for their goroutines
// and releases the batches nobody will process.
func startSources(parent context.Context, sources []stream.Source) (events chan event, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	events = make(chan event, sourceBuffer*len(sources)+1)
	var wg sync.WaitGroup
	for i, src := range sources {
		ch := make(chan *stream.Batch, sourceBuffer)
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
	return events, func() {
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

// forward passes a source's batches to the loop in order, then its end. Once the loop
// stops (ctx done) it releases whatever the source still sends, so the source never
// blocks.
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

// call runs a callback, turning a panic into an error (a bug in generated code must
// still stop the sources and report, not crash with goroutines running).
func call(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: panic: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}

// prepared splits a batch's raw lines (stream.Batch.Prepare) before onBatch sees it, in
// the goroutine that runs onBatch: a worker's, with parallel execution.
func prepared(onBatch func(int, *stream.Batch) error) func(int, *stream.Batch) error {
	return func(source int, b *stream.Batch) error {
		b.Prepare()
		return onBatch(source, b)
	}
}
