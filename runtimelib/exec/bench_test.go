package exec

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The benchmarks push b.N rows (ns/op is ns per row) of 1000 keys from a source of
// 1024-row batches into a keyed sum, and compare with a plain loop doing the same sum.

const benchKeys = 1000

type benchRow struct {
	key, value int64
}

// countSource sends batches of Count rows, n rows in all.
type countSource struct{ n int }

func (s *countSource) Bounded() bool { return true }

func (s *countSource) Run(ctx context.Context, out chan<- *stream.Batch) error {
	for sent := 0; sent < s.n; {
		n := min(1024, s.n-sent)
		select {
		case out <- &stream.Batch{Count: n}:
		case <-ctx.Done():
			return ctx.Err()
		}
		sent += n
	}
	return nil
}

type benchSum struct {
	sums [benchKeys]int64
}

func (s *benchSum) add(r benchRow)          { s.sums[r.key] += r.value }
func (s *benchSum) OnWatermark(int64) error { return nil }
func (s *benchSum) OnBarrier(int64) error   { return nil }
func (s *benchSum) OnEnd() error            { return nil }
func (s *benchSum) onRows(rows []benchRow) error {
	for _, r := range rows {
		s.sums[r.key] += r.value
	}
	return nil
}

type benchSource struct {
	next    int64
	out     *Output[benchRow]
	chained *benchSum
	keyBuf  []byte
}

func (s *benchSource) OnWatermark(int64) error { return nil }
func (s *benchSource) OnBarrier(int64) error   { return nil }
func (s *benchSource) OnEnd() error            { return nil }

func (s *benchSource) OnBatch(_ int, b *stream.Batch) error {
	for range b.Count {
		s.next++
		key := s.next % benchKeys
		if s.chained != nil { // generated code calls the chained operator directly
			s.chained.add(benchRow{key, s.next})
			continue
		}
		s.keyBuf = keygroup.AppendInt64(s.keyBuf[:0], key)
		task := s.out.KeyTask(s.keyBuf)
		r := s.out.Row(task)
		r.key, r.value = key, s.next
	}
	return nil
}

func BenchmarkPlainLoop(b *testing.B) {
	var s benchSum
	var next int64
	for range b.N {
		next++
		s.add(benchRow{next % benchKeys, next})
	}
	reportRows(b)
}

// BenchmarkPlainLoopKeyGroup adds the cost of finding each row's key group.
func BenchmarkPlainLoopKeyGroup(b *testing.B) {
	var s benchSum
	var next int64
	var keyBuf []byte
	t := 0
	for range b.N {
		next++
		key := next % benchKeys
		keyBuf = keygroup.AppendInt64(keyBuf[:0], key)
		t += keygroup.Task(keygroup.Of(keyBuf, 128), 4)
		s.add(benchRow{key, next})
	}
	if t < 0 {
		b.Fatal()
	}
	reportRows(b)
}

func BenchmarkExchange(b *testing.B) {
	for _, c := range []struct {
		tasks   int
		chained bool
	}{{1, true}, {1, false}, {2, false}, {4, false}} {
		name := fmt.Sprintf("tasks=%d", c.tasks)
		if c.chained {
			name += "/chained"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			g := New(Config{FlushInterval: time.Hour, DisableChaining: !c.chained})
			src := g.SourceStage("src", c.tasks, []stream.Source{&countSource{n: b.N}})
			agg := g.Stage("agg", c.tasks)
			x := Connect[benchRow](src, agg)
			sums := make([]*benchSum, c.tasks)
			for i := range sums {
				sums[i] = &benchSum{}
				agg.Task(i).SetOperator(sums[i])
				if !x.Chained() {
					x.OnRows(i, sums[i].onRows)
				}
			}
			for i := range c.tasks {
				op := &benchSource{}
				if x.Chained() {
					op.chained = sums[0]
				} else {
					op.out = x.Output(i)
				}
				src.Task(i).SetOperator(op)
			}
			b.ResetTimer()
			if err := g.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			var total int64
			for _, s := range sums {
				for _, v := range s.sums {
					total += v
				}
			}
			if total == 0 && b.N > 0 {
				b.Fatal("no rows")
			}
			reportRows(b)
		})
	}
}

func reportRows(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
}
