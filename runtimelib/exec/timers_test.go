package exec

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

type firing struct {
	key  string
	time int64
}

func TestEventTimersFireInOrderOfTimeThenRegistration(t *testing.T) {
	task, rec := lonelyTask()
	var fired []firing
	var ts *Timers[string]
	ts = NewTimers(task, func(key string, time int64) error {
		fired = append(fired, firing{key, time})
		if key == "c" && time == 20 {
			ts.RegisterEventTimeTimer("late", 15) // due already: fires in this advance
			ts.RegisterEventTimeTimer("later", 40)
		}
		return nil
	}, nil)
	ts.RegisterEventTimeTimer("b", 20)
	ts.RegisterEventTimeTimer("a", 10)
	ts.RegisterEventTimeTimer("c", 20)
	ts.RegisterEventTimeTimer("b", 20) // a duplicate: one timer, first registration's place
	ts.RegisterEventTimeTimer("d", 30)
	ts.RegisterEventTimeTimer("e", 20)
	ts.DeleteEventTimeTimer("e", 20)
	ts.DeleteEventTimeTimer("zzz", 1) // not registered: nothing
	if n := ts.EventTimeTimers(); n != 4 {
		t.Errorf("%d timers, want 4", n)
	}
	if err := task.advance(9); err != nil {
		t.Fatal(err)
	}
	if len(fired) != 0 {
		t.Fatalf("fired before their time: %v", fired)
	}
	if err := task.advance(25); err != nil {
		t.Fatal(err)
	}
	want := []firing{{"a", 10}, {"b", 20}, {"c", 20}, {"late", 15}}
	if !slices.Equal(fired, want) {
		t.Errorf("fired %v, want %v", fired, want)
	}
	// Timers fire before the operator's OnWatermark.
	expect(t, "hooks", rec.take(), "wm 9", "wm 25")
	if ts.CurrentWatermark() != 25 {
		t.Errorf("CurrentWatermark %d", ts.CurrentWatermark())
	}
	fired = nil
	ts.RegisterEventTimeTimer("e", 20) // registered again after it was deleted
	if err := task.advance(EndOfTime); err != nil {
		t.Fatal(err)
	}
	if want := []firing{{"e", 20}, {"d", 30}, {"later", 40}}; !slices.Equal(fired, want) {
		t.Errorf("fired %v, want %v", fired, want)
	}
	if ts.EventTimeTimers() != 0 {
		t.Errorf("%d timers left", ts.EventTimeTimers())
	}
}

// The heap against a sorted list, with random registrations and deletions: the
// fired sequence is every live timer in (time, registration) order.
func TestTimerHeapAgainstSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for round := range 50 {
		task, _ := lonelyTask()
		var fired []firing
		ts := NewTimers(task, nil, func(key string, time int64) error {
			fired = append(fired, firing{key, time})
			return nil
		})
		type reg struct {
			firing
			seq int
		}
		live := map[firing]int{}
		seq := 0
		for range 300 {
			f := firing{fmt.Sprint(rng.IntN(20)), int64(rng.IntN(50))}
			if rng.IntN(4) == 0 {
				ts.DeleteProcessingTimeTimer(f.key, f.time)
				delete(live, f)
				continue
			}
			ts.RegisterProcessingTimeTimer(f.key, f.time)
			if _, ok := live[f]; !ok {
				seq++
				live[f] = seq
			}
		}
		var want []reg
		for f, s := range live {
			want = append(want, reg{f, s})
		}
		sort.Slice(want, func(i, j int) bool {
			if want[i].time != want[j].time {
				return want[i].time < want[j].time
			}
			return want[i].seq < want[j].seq
		})
		if next, ok := ts.nextProcessingTime(); len(want) > 0 && (!ok || next != want[0].time) {
			t.Fatalf("round %d: next %d %v, want %d", round, next, ok, want[0].time)
		}
		if err := ts.fireProcessingTime(24); err != nil {
			t.Fatal(err)
		}
		if err := ts.fireProcessingTime(1000); err != nil {
			t.Fatal(err)
		}
		var wantFired []firing
		for _, r := range want {
			wantFired = append(wantFired, r.firing)
		}
		if !slices.Equal(fired, wantFired) {
			t.Fatalf("round %d: fired\n%v\nwant\n%v", round, fired, wantFired)
		}
		if _, ok := ts.nextProcessingTime(); ok || ts.ProcessingTimeTimers() != 0 {
			t.Fatalf("round %d: timers left", round)
		}
	}
}

// Deleting timers does not let the heap grow without bound.
func TestTimerHeapCompacts(t *testing.T) {
	task, _ := lonelyTask()
	ts := NewTimers[int](task, func(int, int64) error { return nil }, nil)
	for i := range 10000 {
		ts.RegisterEventTimeTimer(i, int64(i))
		ts.DeleteEventTimeTimer(i, int64(i))
	}
	if n := len(ts.event.items); n > 200 {
		t.Errorf("heap holds %d entries for 0 timers", n)
	}
}

// Processing-time timers fire on the (fake) wall clock in the task's goroutine, never
// during its data callbacks (the race detector watches the unlocked state they share),
// and what they emit leaves the task.
func TestProcessingTimersInTheTaskGoroutine(t *testing.T) {
	for _, disable := range []bool{false, true} {
		t.Run(fmt.Sprintf("unchained=%v", disable), func(t *testing.T) {
			clock := newFakeClock()
			tr := &tracker{}
			more := make(chan struct{})
			src := &testSource{next: func(i int) *stream.Batch {
				switch i {
				case 0:
					return tr.batchOf(0, true, 0, []string{"1:0:0", "2:0:0", "3:0:0"})
				case 1:
					<-more
					return tr.batchOf(0, true, 3, []string{"1:1:0", "4:0:0"})
				}
				return nil
			}}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			j := newKeyedJob(Config{FlushInterval: time.Hour, Clock: clock, DisableChaining: disable}, 1, 1, []stream.Source{src}, 16, 2, nil)
			k := j.keys[0]
			fired := make(chan []int64, 4)
			perKey := map[int64]int{} // shared by data and timer callbacks, unlocked
			var keys []int64
			ts := NewTimers(k.task, nil, func(key int64, time int64) error {
				perKey[key]++
				keys = append(keys, key)
				if len(keys) == 3 || len(keys) == 5 {
					fired <- slices.Clone(keys)
				}
				return nil
			})
			started := make(chan struct{}, 4)
			add := func(r kvRow) {
				perKey[r.key]++
				ts.RegisterProcessingTimeTimer(r.key, ts.CurrentProcessingTime()+100)
				if r.key == 3 || r.key == 4 {
					started <- struct{}{}
				}
			}
			hook := &hookOp{keyOp: k, fn: add}
			if j.x.Chained() {
				j.srcs[0].chained = hook
			} else {
				j.x.OnRows(0, hook.onRowsFunc)
			}
			done := make(chan error, 1)
			go func() { done <- j.g.Run(ctx) }()
			<-started
			clock.Advance(99 * time.Millisecond)
			clock.Advance(1 * time.Millisecond)
			got := <-fired
			if !slices.Equal(got, []int64{1, 2, 3}) {
				t.Errorf("fired %v, want keys 1 2 3 in registration order", got)
			}
			close(more)
			<-started
			clock.Advance(100 * time.Millisecond)
			got = <-fired
			if !slices.Equal(got, []int64{1, 2, 3, 1, 4}) {
				t.Errorf("fired %v", got)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if perKey[1] != 4 || perKey[4] != 2 {
				t.Errorf("per key %v", perKey)
			}
			tr.check(t)
		})
	}
}

// hookOp replaces a keyOp's row handling.
type hookOp struct {
	*keyOp
	fn func(kvRow)
}

func (h *hookOp) add(r kvRow) error { h.fn(r); return nil }

func (h *hookOp) onRowsFunc(rows []kvRow) error {
	for _, r := range rows {
		h.fn(r)
	}
	return nil
}
