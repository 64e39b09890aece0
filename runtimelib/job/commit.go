package job

import (
	"context"
	"log/slog"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// commits applies the commit rule of package stream for the sources that implement
// stream.Committer: it keeps, per source and split, the position after the last batch
// processed successfully, and hands the positions to their source after a successful
// flush. The loops call processed only for a batch whose callback returned nil, and
// flushed only after onFlush returned nil; after an error they call neither.
type commits struct {
	ctx     context.Context
	sources []stream.Committer // nil where the source keeps no positions
	// pending holds per source, indexed by split, the furthest position processed since
	// the last commit (ok false: none).
	pending [][]pendingPosition
}

type pendingPosition struct {
	pos stream.Position
	ok  bool
}

func newCommits(ctx context.Context, sources []stream.Source) *commits {
	c := &commits{
		// The final commit follows the final flush, also when the job is being stopped.
		ctx:     context.WithoutCancel(ctx),
		sources: make([]stream.Committer, len(sources)),
		pending: make([][]pendingPosition, len(sources)),
	}
	for i, src := range sources {
		c.sources[i], _ = src.(stream.Committer)
	}
	return c
}

// processed counts a batch that was processed without error; pos is its Position,
// taken before the batch was processed (it is released then). Parallel workers finish
// batches out of order, so a split keeps its furthest position: a failure of an earlier
// batch stops the job before the next flush, so nothing is committed past it.
func (c *commits) processed(source int, pos stream.Position) {
	if c.sources[source] == nil {
		return
	}
	splits := c.pending[source]
	if int(pos.Split) >= len(splits) {
		splits = append(splits, make([]pendingPosition, int(pos.Split)+1-len(splits))...)
		c.pending[source] = splits
	}
	if p := &splits[pos.Split]; !p.ok || pos.Offset > p.pos.Offset {
		*p = pendingPosition{pos, true}
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
			if p.ok {
				durable = append(durable, p.pos)
			}
		}
		clear(c.pending[i])
		if err := src.Commit(c.ctx, durable); err != nil {
			slog.Warn("committing source positions failed; a restart reads them again", "source", i, "err", err)
		}
	}
}
