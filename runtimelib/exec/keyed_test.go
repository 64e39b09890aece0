package exec

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
)

// Every key group has exactly one owner among a stage's tasks, the task KeyTask routes
// its keys to, whatever the parallelism.
func TestOwnsKeyGroup(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		g := New(Config{MaxParallelism: 128})
		s := g.Stage("keyed", n)
		for group := range 128 {
			owners := 0
			for i := range n {
				if s.Task(i).OwnsKeyGroup(group) {
					owners++
					if keygroup.Task(group, n) != i {
						t.Errorf("n=%d: key group %d owned by task %d, routed to %d", n, group, i, keygroup.Task(group, n))
					}
				}
			}
			if owners != 1 {
				t.Errorf("n=%d: key group %d has %d owners", n, group, owners)
			}
		}
	}
}

// A keyed snapshot restores only under the number of key groups it was taken with.
func TestKeyedHeader(t *testing.T) {
	var w codec.Writer
	New(Config{MaxParallelism: 128}).Stage("a", 2).Task(0).WriteKeyedHeader(&w)
	if err := New(Config{MaxParallelism: 128}).Stage("a", 3).Task(2).ReadKeyedHeader(codec.NewReader(w.Buf)); err != nil {
		t.Errorf("same key groups, other parallelism: %v", err)
	}
	err := New(Config{MaxParallelism: 256}).Stage("a", 2).Task(0).ReadKeyedHeader(codec.NewReader(w.Buf))
	if err == nil || !strings.Contains(err.Error(), "taken with pipeline.max-parallelism = 128, this job runs with 256") {
		t.Errorf("other key groups: %v", err)
	}
	if err := New(Config{}).Stage("a", 1).Task(0).ReadKeyedHeader(codec.NewReader(nil)); err == nil {
		t.Error("empty snapshot: no error")
	}
}
