package exec

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// lengthPrefixed is a Snapshotter of a list of strings whose Restore is careful (codec
// fails on corrupt input) unless trusting is set: then it indexes with a decoded number.
type lengthPrefixed struct {
	items    []string
	trusting bool
}

func (l *lengthPrefixed) Snapshot(w *codec.Writer) error {
	w.Uint64(uint64(len(l.items)))
	for _, s := range l.items {
		w.String(s)
	}
	return nil
}

func (l *lengthPrefixed) Restore(r *codec.Reader) error {
	n := r.Length()
	l.items = l.items[:0]
	for i := 0; i < n && r.Err() == nil; i++ {
		l.items = append(l.items, r.String())
	}
	if l.trusting && n > 0 {
		_ = l.items[n-1] // a corrupt count past the items read: index out of range
	}
	return r.Done()
}

// corruptRestores passes a Restore that fails cleanly on every corruption and reports
// one that panics on some.
func TestCorruptRestores(t *testing.T) {
	good := &lengthPrefixed{items: []string{"a", "bc", "def"}}
	var w codec.Writer
	good.Snapshot(&w)
	if err := corruptRestores(good, w.Buf); err != nil {
		t.Errorf("a careful Restore: %v", err)
	}
	bad := &lengthPrefixed{trusting: true}
	if err := corruptRestores(bad, w.Buf); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("a Restore that panics on a corrupt count: %v", err)
	}
}
