package job

import (
	"cmp"
	"context"
	"log/slog"
	"slices"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// commits applies the commit rule of package stream for the sources that implement
// stream.Committer: it keeps, per source and split, the position after the last batch
// processed successfully, and hands the positions to their source after a successful
// flush. The loops call processed only for a batch whose callback returned nil, and
// flushed only after onFlush returned nil; after an error they call neither.
type commits struct {
	ctx     context.Context
	sources []stream.Committer          // nil where the source keeps no positions
	pending []map[int32]stream.Position // per source: per split, the furthest position processed since the last commit
}

func newCommits(ctx context.Context, sources []stream.Source) *commits {
	c := &commits{
		// The final commit follows the final flush, also when the job is being stopped.
		ctx:     context.WithoutCancel(ctx),
		sources: make([]stream.Committer, len(sources)),
		pending: make([]map[int32]stream.Position, len(sources)),
	}
	for i, src := range sources {
		if cm, ok := src.(stream.Committer); ok {
			c.sources[i], c.pending[i] = cm, map[int32]stream.Position{}
		}
	}
	return c
}

// processed counts a batch that was processed without error; pos is its Position,
// taken before the batch was processed (it is released then). Parallel workers finish
// batches out of order, so a split keeps its furthest position: a failure of an earlier
// batch stops the job before the next flush, so nothing is committed past it.
func (c *commits) processed(source int, pos stream.Position) {
	m := c.pending[source]
	if m == nil {
		return
	}
	if old, ok := m[pos.Split]; !ok || pos.Offset > old.Offset {
		m[pos.Split] = pos
	}
}

// flushed hands every source the positions processed since its last commit, sorted by
// split. A failed commit is a warning: a restart then reads more again.
func (c *commits) flushed() {
	for i, src := range c.sources {
		if src == nil {
			continue
		}
		var durable []stream.Position
		for _, p := range c.pending[i] {
			durable = append(durable, p)
		}
		clear(c.pending[i])
		slices.SortFunc(durable, func(a, b stream.Position) int { return cmp.Compare(a.Split, b.Split) })
		if err := src.Commit(c.ctx, durable); err != nil {
			slog.Warn("committing source positions failed; a restart reads them again", "source", i, "err", err)
		}
	}
}
