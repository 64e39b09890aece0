package job

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// ParallelismKey is Flink's job setting for the number of parallel workers:
// SET 'parallelism.default' = '4' in the script, or -D parallelism.default=4 at start.
// Without it a job runs GOMAXPROCS workers.
const ParallelismKey = "parallelism.default"

// jobSettings are the settings a job reads itself (not table options): -D accepts them
// without a table prefix.
var jobSettings = map[string]bool{ParallelismKey: true}

// splitSettings takes the -D definitions of job settings out of defs and applies them
// over the script's SET values; it returns the remaining (table) definitions.
func splitSettings(spec *Spec, defs []string) (settings map[string]string, rest []string) {
	settings = map[string]string{}
	for _, kv := range spec.Settings {
		settings[kv.Key] = kv.Value
	}
	for _, d := range defs {
		if k, v, ok := strings.Cut(d, "="); ok && jobSettings[k] {
			settings[k] = v
			continue
		}
		rest = append(rest, d)
	}
	return settings, rest
}

// parallelism resolves parallelism.default: a positive integer, default GOMAXPROCS.
func parallelism(settings map[string]string) (int, error) {
	v, ok := settings[ParallelismKey]
	if !ok || strings.TrimSpace(v) == "" {
		return runtime.GOMAXPROCS(0), nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s: %q is not a positive integer", ParallelismKey, v)
	}
	return n, nil
}

// Parallelism is the number of workers the job runs: 'parallelism.default' from the
// script's SET or -D parallelism.default=N, else GOMAXPROCS.
func (c *Context) Parallelism() int {
	if c.parallelism < 1 {
		return 1
	}
	return c.parallelism
}

// Parallel describes the parallel part of a job for LoopParallel.
type Parallel struct {
	// Workers is the number of worker goroutines (parallelism); below 2, LoopParallel is
	// Loop.
	Workers int
	// Parallel reports whether the next batch of a source goes to a worker (true) or is
	// processed by onBatch in the loop goroutine, in order (false). It is called in the
	// loop goroutine for every batch; its answer may change after a Merge. Nil: every
	// source is parallel.
	Parallel func(source int) bool
	// OnBatch processes one batch in worker w (0 <= w < Workers); batches go to whichever
	// worker is free. seq numbers every batch of the job in the order the loop received
	// them, from 1. merge asks the loop to call Merge before it dispatches more batches
	// (a worker's partial state grew too big).
	OnBatch func(w int, seq uint64, source int, b *stream.Batch) (merge bool, err error)
	// Merge folds the workers' partial state into the loop goroutine's state. It is called
	// in the loop goroutine while no batch is in flight: before every onFlush and when a
	// worker asked for it.
	Merge func() error
}

// LoopParallel is Loop with workers: the batches of parallel sources are processed by
// par.OnBatch in par.Workers goroutines (a batch is the unit of work, at most two per
// worker in flight), the batches of the other sources by onBatch in the loop goroutine.
// Before every onFlush (at the flush interval, at the end of the input, when the job is
// cancelled) the loop waits until no batch is in flight (a barrier) and calls par.Merge,
// so onFlush sees the state of every batch received so far, as with one worker.
//
// Errors: the loop stops at the first error; when several batches fail, the error of the
// batch received first is returned (the one a single worker would have stopped at).
// A panic in a worker is an error, as in Loop. Positions are committed as in Loop: after
// a successful onFlush, those of the batches that ran without error; the batches the
// workers skip after an error are released and never counted.
func (c *Context) LoopParallel(sources []stream.Source, flush time.Duration, par Parallel,
	onBatch func(source int, b *stream.Batch) error, onFlush func() error) error {
	if par.Workers < 2 || par.OnBatch == nil {
		return c.Loop(sources, flush, onBatch, onFlush)
	}
	onBatch = prepared(countBatches(onBatch)) // records per batch for $SQLC_STREAM_STATS_FILE (stats.go)
	if statsPath != "" {
		inner := par.OnBatch
		par.OnBatch = func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
			statsRecords.Add(int64(len(b.Records)))
			statsBatches.Add(1)
			return inner(w, seq, source, b)
		}
	}
	// The worker splits the batch's lines (stream.Batch.Prepare), not the coordinator.
	workerBatch := par.OnBatch
	par.OnBatch = func(w int, seq uint64, source int, b *stream.Batch) (bool, error) {
		b.Prepare()
		return workerBatch(w, seq, source, b)
	}
	return loopParallel(c.ctx, sources, flush, par, onBatch, onFlush, func() {
		c.log.Info("stopping: flushing what was processed (interrupt again to exit at once)")
	})
}

// task is one batch for a worker, with the batch's position (taken before the worker
// releases it); workResult is what the worker says about it.
type task struct {
	seq    uint64
	source int
	batch  *stream.Batch
	pos    stream.Position
}

type workResult struct {
	task    task
	skipped bool // released unprocessed after an earlier batch failed
	merge   bool
	err     error
}

func loopParallel(parent context.Context, sources []stream.Source, flush time.Duration, par Parallel,
	onBatch func(source int, b *stream.Batch) error, onFlush func() error, onStop func()) (err error) {
	if parent.Err() != nil {
		return nil
	}
	events, stopSources := startSources(parent, sources)

	// Workers. maxInflight bounds the batches handed out and not yet reported; work and
	// results hold that many, so neither side ever blocks on them.
	maxInflight := 2 * par.Workers
	work := make(chan task, maxInflight)
	results := make(chan workResult, maxInflight)
	// After an error, workers release the batches received after the failed one without
	// running them; the batches received before it still run, so that the error
	// reported is the one of the first failing batch, as with one worker.
	var failedSeq atomic.Uint64
	failedSeq.Store(^uint64(0))
	lowerFailed := func(seq uint64) {
		for {
			cur := failedSeq.Load()
			if seq >= cur || failedSeq.CompareAndSwap(cur, seq) {
				return
			}
		}
	}
	var wwg sync.WaitGroup
	for w := 0; w < par.Workers; w++ {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for t := range work {
				if t.seq > failedSeq.Load() {
					t.batch.Release()
					results <- workResult{task: t, skipped: true}
					continue
				}
				var merge bool
				err := call(func() error {
					var err error
					merge, err = par.OnBatch(w, t.seq, t.source, t.batch)
					return err
				})
				if err != nil {
					lowerFailed(t.seq)
				}
				results <- workResult{task: t, merge: merge, err: err}
			}
		}()
	}

	defer func() {
		failedSeq.Store(0)
		close(work)
		wwg.Wait()
		stopSources()
	}()

	commits := newCommits(parent, sources)
	var (
		seq         uint64
		inflight    int
		firstErr    error
		firstErrSeq uint64
		mergeWanted bool
	)
	fail := func(seq uint64, err error) {
		if firstErr == nil || seq < firstErrSeq {
			firstErr, firstErrSeq = err, seq
		}
	}
	handle := func(r workResult) {
		inflight--
		switch {
		case r.err != nil:
			fail(r.task.seq, r.err)
		case !r.skipped:
			commits.processed(r.task.source, r.task.pos)
		}
		if r.merge {
			mergeWanted = true
		}
	}
	// barrier waits until no batch is in flight; it returns the first error.
	barrier := func() error {
		for inflight > 0 {
			handle(<-results)
		}
		return firstErr
	}
	// mergeAll is the barrier followed by Merge.
	mergeAll := func() error {
		if err := barrier(); err != nil {
			return err
		}
		mergeWanted = false
		return call(par.Merge)
	}
	flushAll := func() error {
		if err := mergeAll(); err != nil {
			return err
		}
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
					if err := barrier(); err != nil {
						return err
					}
					return ev.err
				}
				continue
			}
			seq++
			if mergeWanted {
				if err := mergeAll(); err != nil {
					ev.batch.Release()
					return err
				}
			}
			if par.Parallel == nil || par.Parallel(ev.source) {
				for inflight >= maxInflight {
					handle(<-results)
				}
				if firstErr != nil {
					ev.batch.Release()
					return barrier()
				}
				work <- task{seq: seq, source: ev.source, batch: ev.batch, pos: ev.batch.Position()}
				inflight++
			} else {
				pos := ev.batch.Position() // onBatch releases the batch
				if err := call(func() error { return onBatch(ev.source, ev.batch) }); err != nil {
					lowerFailed(seq)
					fail(seq, err)
					return barrier()
				}
				commits.processed(ev.source, pos)
			}
			if flush <= 0 {
				if err := flushAll(); err != nil {
					return err
				}
			}
		case r := <-results:
			handle(r)
			if firstErr != nil {
				return barrier()
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

// MergeOrder visits the entries of n lists in the order of their sequence numbers:
// seqs(w) is list w's, nondecreasing within the list; visit(w, i) is called for entry i
// of list w. Entries with equal numbers keep list order (lower w first). Generated merge
// code uses it to fold the workers' dirty groups into the global state in the order a
// single worker would have changed them.
func MergeOrder(n int, seqs func(w int) []uint64, visit func(w, i int)) {
	if n == 1 {
		for i := range seqs(0) {
			visit(0, i)
		}
		return
	}
	lists := make([][]uint64, n)
	pos := make([]int, n)
	for w := range lists {
		lists[w] = seqs(w)
	}
	for {
		best := -1
		var bestSeq uint64
		for w, l := range lists {
			if pos[w] < len(l) && (best < 0 || l[pos[w]] < bestSeq) {
				best, bestSeq = w, l[pos[w]]
			}
		}
		if best < 0 {
			return
		}
		// Take the run of entries of that list up to the next list's head.
		next := ^uint64(0)
		for w, l := range lists {
			if w != best && pos[w] < len(l) && l[pos[w]] < next {
				next = l[pos[w]]
			}
		}
		l := lists[best]
		for pos[best] < len(l) && (l[pos[best]] < next || (l[pos[best]] == next && best < nextOwner(lists, pos, best, next))) {
			visit(best, pos[best])
			pos[best]++
		}
	}
}

// nextOwner is the lowest list other than skip whose head has sequence number s.
func nextOwner(lists [][]uint64, pos []int, skip int, s uint64) int {
	for w, l := range lists {
		if w != skip && pos[w] < len(l) && l[pos[w]] == s {
			return w
		}
	}
	return len(lists)
}
