package job

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// sizedSource is a file-like source of known bytes whose reading the test drives.
type sizedSource struct{ read atomic.Int64 }

func (s *sizedSource) Run(ctx context.Context, out chan<- *stream.Batch) error { return nil }
func (s *sizedSource) Bounded() bool                                           { return true }
func (s *sizedSource) Size() (int64, int64)                                    { return -1, 4_000_000 }
func (s *sizedSource) BytesRead() int64                                        { return s.read.Load() }

// syncBuffer is a strings.Builder safe for the bar's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor polls until out holds sub; the test's own deadline bounds it.
func waitFor(t *testing.T, out *syncBuffer, sub string) {
	t.Helper()
	for start := time.Now(); !strings.Contains(out.String(), sub); {
		if time.Since(start) > 20*time.Second {
			t.Fatalf("no %q in %q", sub, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestProgressOfBytes: a source that knows its bytes (files) gets a bar of bytes read
// of the total with the records read in its label; a message written meanwhile clears
// the bar's line first; the summary gives records and bytes.
func TestProgressOfBytes(t *testing.T) {
	src := &sizedSource{}
	g := exec.New(exec.Config{})
	g.SourceStage("source", 1, []stream.Source{src})
	var graph atomic.Pointer[exec.Graph]
	out := &syncBuffer{}
	tty := &terminal{w: out}
	var records atomic.Int64
	p := startProgress("files", tty, &graph, &records)
	graph.Store(g)

	records.Add(1500)
	src.read.Store(1_000_000)
	waitFor(t, out, "files: 1500 records")
	waitFor(t, out, "(1.0/4.0 MB, ")
	tty.Write([]byte("a log line\n"))
	records.Add(4500)
	src.read.Store(4_000_000)
	waitFor(t, out, "files: 6000 records")
	p.finish()

	got := out.String()
	if !strings.Contains(got, "\r\x1b[2Ka log line\n") {
		t.Errorf("the message did not clear the bar's line first:\n%q", got)
	}
	last := got[strings.LastIndex(got, "\r\x1b[2K")+5:] // what follows the bar's clearing
	if !strings.HasPrefix(last, "files: read 6000 records, 4.0 MB of 4.0 MB in ") {
		t.Errorf("summary = %q", last)
	}
}

// TestProgressNotForUnboundedJobs: a source of unknown size (Kafka) means no bar and
// no summary.
func TestProgressNotForUnboundedJobs(t *testing.T) {
	g := exec.New(exec.Config{})
	g.SourceStage("source", 1, []stream.Source{unbounded{}})
	var graph atomic.Pointer[exec.Graph]
	graph.Store(g)
	out := &syncBuffer{}
	p := startProgress("kafka", &terminal{w: out}, &graph, new(atomic.Int64))
	<-p.done // gives up at its first tick
	p.finish()
	if s := out.String(); s != "" {
		t.Errorf("an unbounded job wrote progress: %q", s)
	}
}

type unbounded struct{}

func (unbounded) Run(ctx context.Context, out chan<- *stream.Batch) error { return nil }
func (unbounded) Bounded() bool                                           { return false }
