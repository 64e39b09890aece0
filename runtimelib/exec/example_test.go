package exec_test

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// wordRow is what the source stage sends the keyed stage (generated code makes one
// struct per exchange).
type wordRow struct{ word string }

// splitter is the source stage's operator: it splits lines into words and sends each
// word to the task that owns it, or, when the exchange is chained, straight to the
// counter.
type splitter struct {
	out     *exec.Output[wordRow]
	chained *counter
	key     []byte
}

func (s *splitter) OnBatch(_ int, b *stream.Batch) error {
	for _, rec := range b.Records {
		for _, w := range strings.Fields(string(rec)) {
			if s.chained != nil {
				s.chained.add(w)
				continue
			}
			s.key = keygroup.AppendString(s.key[:0], w)
			task := s.out.KeyTask(s.key)
			s.out.Row(task).word = s.out.String(task, w)
		}
	}
	return nil
}
func (s *splitter) OnWatermark(int64) error { return nil }
func (s *splitter) OnBarrier(int64) error   { return nil }
func (s *splitter) OnEnd() error            { return nil }

// counter is the keyed stage's operator: a count per word, printed at the end.
type counter struct {
	counts map[string]int
	result chan<- string
}

func (c *counter) add(w string) { c.counts[strings.Clone(w)]++ }

func (c *counter) onRows(rows []wordRow) error {
	for _, r := range rows {
		c.add(r.word) // r.word is valid until onRows returns: clone what is kept
	}
	return nil
}
func (c *counter) OnWatermark(int64) error { return nil }
func (c *counter) OnBarrier(int64) error   { return nil }
func (c *counter) OnEnd() error {
	for w, n := range c.counts {
		c.result <- fmt.Sprintf("%s=%d", w, n)
	}
	return nil
}

// lines is a bounded source of one batch.
type lines []string

func (l lines) Bounded() bool { return true }
func (l lines) Run(ctx context.Context, out chan<- *stream.Batch) error {
	b := &stream.Batch{Origin: "lines"}
	for _, s := range l {
		b.Records = append(b.Records, []byte(s))
	}
	select {
	case out <- b:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

func Example() {
	const tasks = 2
	g := exec.New(exec.Config{})
	src := g.SourceStage("words", tasks, []stream.Source{lines{"a b c", "b c", "c"}})
	count := g.Stage("count", tasks)
	x := exec.Connect[wordRow](src, count)

	result := make(chan string, 10)
	counters := make([]*counter, tasks)
	for i := range counters {
		counters[i] = &counter{counts: map[string]int{}, result: result}
		count.Task(i).SetOperator(counters[i])
		if !x.Chained() {
			x.OnRows(i, counters[i].onRows)
		}
	}
	for i := range tasks {
		op := &splitter{}
		if x.Chained() {
			op.chained = counters[0]
		} else {
			op.out = x.Output(i)
		}
		src.Task(i).SetOperator(op)
	}
	if err := g.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	close(result)
	var out []string
	for s := range result {
		out = append(out, s)
	}
	sort.Strings(out)
	fmt.Println(out)
	// Output: [a=1 b=2 c=3]
}
