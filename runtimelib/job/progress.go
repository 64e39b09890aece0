package job

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// A bounded job (files, datagen or nexmark with a count) whose standard error is a
// terminal draws a progress bar there: the records read and, for files, the bytes read
// of the known total, the rate and the time left (github.com/schollz/progressbar). It
// ends with a one-line summary. When standard error is no terminal, nothing of it is
// written: no bar, no summary, no control character. --progress=false turns it off.

// progressTick is how often the bar is drawn again.
const progressTick = 200 * time.Millisecond

// isTerminal reports whether w is a terminal (a *os.File on a tty).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminal serializes what goes to a terminal, so that a message (a log line, an error,
// a printed row when standard output is the same terminal) never lands inside the
// progress bar: a message first clears the bar's line, and the bar is drawn again at its
// next tick, below the message.
type terminal struct {
	mu     sync.Mutex
	w      io.Writer // standard error, where the bar is
	barSet bool      // the bar is on the current line of w
}

// Write writes a message to standard error.
func (t *terminal) Write(p []byte) (int, error) { return t.writeTo(t.w, p) }

func (t *terminal) writeTo(w io.Writer, p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.barSet {
		io.WriteString(t.w, "\r\x1b[2K") // back to the line's start, and clear it
		t.barSet = false
	}
	return w.Write(p)
}

// also returns a writer to w (standard output on the same terminal) that keeps clear
// of the bar as messages do.
func (t *terminal) also(w io.Writer) io.Writer {
	return writerFunc(func(p []byte) (int, error) { return t.writeTo(w, p) })
}

// bar returns the writer the progress bar draws with.
func (t *terminal) bar() io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.barSet = true
		return t.w.Write(p)
	})
}

// clear removes the bar from its line.
func (t *terminal) clear() { t.writeTo(io.Discard, nil) }

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// progress draws the bar of one run. Records are counted by the batch hook (count);
// the sources and their sizes come from the job's graph once generated code built it.
type progress struct {
	name    string
	term    *terminal
	graph   *atomic.Pointer[exec.Graph]
	records *atomic.Int64 // the job's count of the records the sources delivered
	start   time.Time
	stop    chan struct{}
	done    chan struct{}

	// Set by the drawing goroutine; read by finish after done.
	sized        []stream.Sized
	totalRecords int64 // -1: not known
	totalBytes   int64 // -1: not known
	bar          *progressbar.ProgressBar
	shown        atomic.Bool // the bar is drawn (drawing)
}

// drawing reports whether the bar is drawn: the job's progress lines are not logged
// meanwhile.
func (p *progress) drawing() bool { return p.shown.Load() }

// startProgress starts drawing the progress of the job whose graph g will hold.
func startProgress(name string, t *terminal, g *atomic.Pointer[exec.Graph], records *atomic.Int64) *progress {
	p := &progress{name: name, term: t, graph: g, records: records, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{}), totalRecords: -1, totalBytes: -1}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.done)
	tick := time.NewTicker(progressTick)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		if p.sized == nil {
			if !p.measure() {
				if p.graph.Load() != nil && len(p.graph.Load().Sources()) > 0 {
					return // unbounded, or a source that does not know its size: no bar
				}
				continue // the graph is not built yet
			}
			p.bar = p.newBar()
			p.shown.Store(true)
		}
		p.draw()
	}
}

// measure finds the job's sources and their sizes; false when there is nothing to
// show a bar of (not built yet, unbounded, a source of unknown size).
func (p *progress) measure() bool {
	g := p.graph.Load()
	if g == nil {
		return false
	}
	srcs := g.Sources()
	if len(srcs) == 0 {
		return false
	}
	var sized []stream.Sized
	records, bytes := int64(0), int64(0)
	for _, s := range srcs {
		z, ok := s.(stream.Sized)
		if !ok || !s.Bounded() {
			return false
		}
		r, b := z.Size()
		if r < 0 || records < 0 {
			records = -1
		} else {
			records += r
		}
		if b < 0 || bytes < 0 {
			bytes = -1
		} else {
			bytes += b
		}
		sized = append(sized, z)
	}
	if records < 0 && bytes < 0 {
		return false
	}
	p.sized, p.totalRecords, p.totalBytes = sized, records, bytes
	return true
}

func (p *progress) bytesRead() int64 {
	var n int64
	for _, s := range p.sized {
		n += s.BytesRead()
	}
	return n
}

// newBar makes the bar: of records when their total is known (generated rows), else of
// bytes (files), with the records read in its description.
func (p *progress) newBar() *progressbar.ProgressBar {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.term.bar()),
		progressbar.OptionSetDescription(p.name),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true), // [elapsed:left]
		progressbar.OptionThrottle(progressTick / 2),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionSetRenderBlankState(true),
	}
	total := p.totalRecords
	if total >= 0 {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString("records"))
	} else {
		total = p.totalBytes
		opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true)) // and bytes/s
	}
	return progressbar.NewOptions64(max(total, 1), opts...)
}

func (p *progress) draw() {
	if p.totalRecords >= 0 {
		p.bar.Set64(min(p.records.Load(), p.totalRecords))
		return
	}
	p.bar.Describe(fmt.Sprintf("%s: %d records", p.name, p.records.Load()))
	p.bar.Set64(min(p.bytesRead(), p.totalBytes))
}

// finish stops drawing, clears the bar and writes the one-line summary (when there was
// something to show a bar of).
func (p *progress) finish() {
	close(p.stop)
	<-p.done
	if p.sized == nil && !p.measure() {
		return
	}
	p.term.clear()
	d := time.Since(p.start)
	n := p.records.Load()
	line := fmt.Sprintf("%s: read %d records", p.name, n)
	if p.totalRecords >= 0 {
		line += fmt.Sprintf(" of %d", p.totalRecords)
	}
	if p.totalBytes >= 0 {
		line += fmt.Sprintf(", %s of %s", byteSize(p.bytesRead()), byteSize(p.totalBytes))
	}
	line += fmt.Sprintf(" in %s", roundDuration(d))
	if s := d.Seconds(); s > 0 {
		line += fmt.Sprintf(" (%.0f records/s)", float64(n)/s)
	}
	fmt.Fprintln(p.term, line)
}

// byteSize renders n bytes in B, kB, MB or GB (powers of 1000).
func byteSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
