package exec

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The arena hands out copies that stay put while it grows, and reuses its chunks
// after a reset.
func TestArena(t *testing.T) {
	a := newArena()
	var got []string
	var want []string
	for i := range 3000 {
		s := strings.Repeat(string(rune('a'+i%26)), i%50)
		if i == 1500 {
			s = strings.Repeat("L", 3*arenaChunk) // longer than a chunk
		}
		got = append(got, a.string(s))
		want = append(want, s)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d changed", i)
		}
	}
	chunks := len(a.chunks)
	a.reset()
	for i := range 3000 {
		a.string(want[i])
	}
	if len(a.chunks) != chunks {
		t.Errorf("%d chunks after a reset and the same strings, want %d", len(a.chunks), chunks)
	}
	if b := a.bytes(nil); b != nil {
		t.Error("nil bytes not nil")
	}
	if b := a.bytes([]byte{}); b == nil || len(b) != 0 {
		t.Error("empty bytes not empty")
	}
	src := []byte("xyz")
	b := a.bytes(src)
	src[0] = 'q'
	if !bytes.Equal(b, []byte("xyz")) || cap(b) != 3 {
		t.Errorf("bytes %q cap %d", b, cap(b))
	}
	if allocs := testing.AllocsPerRun(100, func() {
		a.reset()
		for i := range 3000 {
			a.string(want[i])
		}
	}); allocs != 0 {
		t.Errorf("%v allocations per reuse", allocs)
	}
}

// In steady state, rows through an exchange allocate nothing: buffers and arenas go
// round between producer and consumer. (Producer and consumer take turns in this
// goroutine.)
func TestExchangeSteadyStateAllocatesNothing(t *testing.T) {
	g := New(Config{})
	src := g.SourceStage("src", 1, []stream.Source{&testSource{}})
	agg := g.Stage("agg", 3)
	x := Connect[kvRow](src, agg).WithBuffers(64, 2)
	var sum int64
	for i := range 3 {
		x.OnRows(i, func(rows []kvRow) error {
			for _, r := range rows {
				sum += r.key + int64(len(r.name))
			}
			return nil
		})
	}
	out := x.Output(0)
	g.ctx = context.Background()
	inbox := make(chan message, 100)
	for i := range 3 {
		agg.Task(i).runner = &runner{in: inbox}
	}
	x.open()
	consume := func() {
		for {
			select {
			case m := <-inbox:
				if m.kind == msgRows {
					if err := m.rows.deliver(); err != nil {
						t.Fatal(err)
					}
					m.rows.recycle()
				}
				continue
			default:
			}
			return
		}
	}
	name := "some key text"
	var keyBuf []byte
	rows := func() {
		for i := range 1000 {
			keyBuf = append(keyBuf[:0], byte(i), byte(i>>8))
			task := out.KeyTask(keyBuf)
			r := out.Row(task)
			r.key = int64(i)
			r.name = out.String(task, name)
			if i%100 == 99 {
				consume() // the consumer catches up now and then
			}
		}
		if err := out.flush(); err != nil {
			t.Fatal(err)
		}
		consume()
	}
	rows()
	if allocs := testing.AllocsPerRun(20, rows); allocs != 0 {
		t.Errorf("%v allocations per 1000 rows", allocs)
	}
	// rows ran 22 times: once, then AllocsPerRun's warm-up and 20 runs.
	if want := int64(22 * (999*1000/2 + 1000*len(name))); sum != want {
		t.Errorf("sum %d", sum)
	}
}
