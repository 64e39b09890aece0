package exec

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// committingSource is a testSource that records what it is asked to commit.
type committingSource struct {
	*testSource
	mu      sync.Mutex
	commits [][]stream.Position
}

func (s *committingSource) Commit(_ context.Context, durable []stream.Position) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commits = append(s.commits, durable)
	return nil
}

// failAt is a source operator that fails at a given batch of split 0 and notes the
// barriers it acknowledged.
type failAt struct {
	batches, failAt int
}

func (o *failAt) OnBatch(_ int, b *stream.Batch) error {
	o.batches++
	if o.batches == o.failAt {
		return errors.New("boom")
	}
	return nil
}
func (o *failAt) OnWatermark(int64) error { return nil }
func (o *failAt) OnBarrier(int64) error   { return nil }
func (o *failAt) OnEnd() error            { return nil }

// A source's positions are committed only when a barrier completed (every task flushed
// what the batches before it produced), and never past a batch that failed: a restart
// with the same group resumes at the first record not processed.
func TestCommitOnlyCompleteBarriers(t *testing.T) {
	for _, failAtBatch := range []int{0, 1, 5} {
		tr := &tracker{}
		// One split of 10 batches of 3 records: batch i ends at offset 3(i+1).
		src := &committingSource{testSource: &testSource{bounded: true, next: func(i int) *stream.Batch {
			if i == 10 {
				return nil
			}
			return tr.batchOf(0, true, int64(3*i), []string{"a:0:0", "a:1:0", "a:2:0"})
		}}}
		g := New(Config{FlushInterval: 0}) // a barrier after every batch
		g.SourceStage("src", 1, []stream.Source{src}).Task(0).SetOperator(&failAt{failAt: failAtBatch})
		err := g.Run(context.Background())
		if (err != nil) != (failAtBatch > 0) {
			t.Fatalf("failAt %d: Run = %v", failAtBatch, err)
		}
		last := int64(-1)
		for _, c := range src.commits {
			for _, p := range c {
				if p.Offset < last {
					t.Errorf("failAt %d: commit %d after %d (positions go back)", failAtBatch, p.Offset, last)
				}
				last = p.Offset
			}
		}
		switch {
		case failAtBatch == 0 && last != 30:
			t.Errorf("a full run committed up to %d, want 30", last)
		case failAtBatch > 0 && last > int64(3*(failAtBatch-1)):
			t.Errorf("failAt %d: committed %d, past the failed batch (it starts at %d)", failAtBatch, last, 3*(failAtBatch-1))
		}
		tr.check(t)
	}
}
