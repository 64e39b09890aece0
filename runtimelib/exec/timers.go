package exec

// timerService is a task's timers as the runtime drives them.
type timerService interface {
	advanceWatermark(wm int64) error
	fireProcessingTime(now int64) error
	nextProcessingTime() (int64, bool)
}

// Timers is a task's timer service for keys of type K (Flink's InternalTimerService):
// event-time timers fire when the task's watermark reaches their time, processing-time
// timers when the wall clock does; both in the task's goroutine, between data, in order
// of time and then of registration. A timer is one per (key, time): registering it
// again does nothing.
type Timers[K comparable] struct {
	task             *Task
	event, proc      timerHeap[K]
	onEventTime      func(key K, time int64) error
	onProcessingTime func(key K, time int64) error
}

// NewTimers adds a timer service to a task (before Run). onEventTime and
// onProcessingTime are called for each timer that fires (nil for a kind never used).
func NewTimers[K comparable](t *Task, onEventTime, onProcessingTime func(key K, time int64) error) *Timers[K] {
	s := &Timers[K]{task: t, onEventTime: onEventTime, onProcessingTime: onProcessingTime}
	s.event.live = map[timerID[K]]uint64{}
	s.proc.live = map[timerID[K]]uint64{}
	t.timers = append(t.timers, s)
	return s
}

// RegisterEventTimeTimer registers a timer that fires once the watermark reaches time
// (at once, with the next watermark, if it already has).
func (s *Timers[K]) RegisterEventTimeTimer(key K, time int64) { s.event.register(key, time) }

// DeleteEventTimeTimer removes a registered event-time timer (or does nothing).
func (s *Timers[K]) DeleteEventTimeTimer(key K, time int64) { s.event.remove(key, time) }

// RegisterProcessingTimeTimer registers a timer that fires once the wall clock reaches
// time (epoch ms).
func (s *Timers[K]) RegisterProcessingTimeTimer(key K, time int64) { s.proc.register(key, time) }

// DeleteProcessingTimeTimer removes a registered processing-time timer.
func (s *Timers[K]) DeleteProcessingTimeTimer(key K, time int64) { s.proc.remove(key, time) }

// CurrentWatermark is the task's watermark (NoWatermark before the first).
func (s *Timers[K]) CurrentWatermark() int64 { return s.task.watermark }

// CurrentProcessingTime is the wall clock in epoch milliseconds.
func (s *Timers[K]) CurrentProcessingTime() int64 { return s.task.stage.g.now() }

// EventTimeTimers and ProcessingTimeTimers count the registered timers.
func (s *Timers[K]) EventTimeTimers() int      { return len(s.event.live) }
func (s *Timers[K]) ProcessingTimeTimers() int { return len(s.proc.live) }

// FireProcessingTimeTimers fires every processing-time timer up to limit now, without
// waiting for the clock (at the end of a bounded input, processing-time windows fire).
func (s *Timers[K]) FireProcessingTimeTimers(limit int64) error {
	return s.proc.fire(limit, s.onProcessingTime)
}

func (s *Timers[K]) advanceWatermark(wm int64) error { return s.event.fire(wm, s.onEventTime) }

func (s *Timers[K]) fireProcessingTime(now int64) error { return s.proc.fire(now, s.onProcessingTime) }

func (s *Timers[K]) nextProcessingTime() (int64, bool) { return s.proc.next() }

type timerID[K comparable] struct {
	key  K
	time int64
}

type timerEntry[K comparable] struct {
	id  timerID[K]
	seq uint64 // registration order
}

// timerHeap is a min-heap of timers by (time, seq). A deleted timer stays in the heap
// until it reaches the top (or the heap is compacted): live says which entry of each
// timer is current.
type timerHeap[K comparable] struct {
	items []timerEntry[K]
	live  map[timerID[K]]uint64
	seq   uint64
}

func (h *timerHeap[K]) register(key K, time int64) {
	id := timerID[K]{key, time}
	if _, ok := h.live[id]; ok {
		return
	}
	h.seq++
	h.live[id] = h.seq
	h.push(timerEntry[K]{id, h.seq})
}

func (h *timerHeap[K]) remove(key K, time int64) {
	delete(h.live, timerID[K]{key, time})
	if len(h.items) > 64 && len(h.items) > 2*len(h.live) {
		h.compact()
	}
}

// fire pops and calls f for every live timer with time <= limit, including those that
// f registers.
func (h *timerHeap[K]) fire(limit int64, f func(K, int64) error) error {
	for len(h.items) > 0 && h.items[0].id.time <= limit {
		e := h.pop()
		if h.live[e.id] != e.seq {
			continue // deleted (and maybe registered again: a later entry)
		}
		delete(h.live, e.id)
		if err := f(e.id.key, e.id.time); err != nil {
			return err
		}
	}
	return nil
}

// next is the time of the earliest live timer.
func (h *timerHeap[K]) next() (int64, bool) {
	for len(h.items) > 0 {
		if e := h.items[0]; h.live[e.id] == e.seq {
			return e.id.time, true
		}
		h.pop()
	}
	return 0, false
}

func (h *timerHeap[K]) compact() {
	kept := h.items[:0]
	for _, e := range h.items {
		if h.live[e.id] == e.seq {
			kept = append(kept, e)
		}
	}
	clear(h.items[len(kept):])
	h.items = kept
	for i := len(kept)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *timerHeap[K]) less(i, j int) bool {
	a, b := &h.items[i], &h.items[j]
	return a.id.time < b.id.time || a.id.time == b.id.time && a.seq < b.seq
}

func (h *timerHeap[K]) push(e timerEntry[K]) {
	h.items = append(h.items, e)
	for i := len(h.items) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *timerHeap[K]) pop() timerEntry[K] {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items[last] = timerEntry[K]{}
	h.items = h.items[:last]
	h.down(0)
	return top
}

func (h *timerHeap[K]) down(i int) {
	n := len(h.items)
	for {
		smallest := i
		if l := 2*i + 1; l < n && h.less(l, smallest) {
			smallest = l
		}
		if r := 2*i + 2; r < n && h.less(r, smallest) {
			smallest = r
		}
		if smallest == i {
			return
		}
		h.items[i], h.items[smallest] = h.items[smallest], h.items[i]
		i = smallest
	}
}
