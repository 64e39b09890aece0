package exec

// gate is the input of a task fed by exchanges: one channel per producer task of every
// input exchange. It combines the channels' watermarks and statuses as Flink's
// StatusWatermarkValve does, aligns barriers, and sees every channel end.
type gate struct {
	task     *Task
	channels []channel
	ended    int

	// The valve's output: the last watermark and status the task processed are
	// task.watermark and task.idle.
}

type channel struct {
	watermark int64
	idle      bool
	// aligned: the channel takes part in the minimum. An idle channel is not; one that
	// becomes active again is once its watermark caught up with the output.
	aligned bool
	ended   bool
	// blocked: the channel delivered a barrier that not every channel has delivered
	// yet; its later messages wait in pending.
	blocked bool
	barrier int64
	pending queue
}

func newGate(t *Task, channels int) *gate {
	g := &gate{task: t, channels: make([]channel, channels)}
	for i := range g.channels {
		g.channels[i] = channel{watermark: NoWatermark, aligned: true}
	}
	return g
}

// done reports whether every channel ended.
func (g *gate) done() bool { return g.ended == len(g.channels) }

// receive takes a message from the inbound channel.
func (g *gate) receive(m message) error {
	c := &g.channels[m.channel]
	if c.blocked {
		c.pending.push(m)
		return nil
	}
	released, err := g.process(m)
	if err != nil || !released {
		return err
	}
	return g.drain()
}

// drain processes the messages that waited for a barrier, channel by channel, until
// every channel is empty or blocked again.
func (g *gate) drain() error {
	for progress := true; progress; {
		progress = false
		for i := range g.channels {
			c := &g.channels[i]
			for !c.blocked && c.pending.len() > 0 {
				if _, err := g.process(c.pending.pop()); err != nil {
					return err
				}
				progress = true
			}
		}
	}
	return nil
}

// process handles one message of an unblocked channel; released reports that a
// barrier completed and unblocked the channels.
func (g *gate) process(m message) (released bool, err error) {
	c := &g.channels[m.channel]
	switch m.kind {
	case msgRows:
		g.task.stats.recordsIn.Add(int64(m.rows.len()))
		g.task.stats.bytesIn.Add(m.rows.size())
		err = m.rows.deliver()
		m.rows.recycle()
		return false, err
	case msgWatermark:
		return false, g.inputWatermark(c, m.value)
	case msgIdle, msgActive:
		return false, g.inputStatus(c, m.kind == msgIdle)
	case msgBarrier:
		c.blocked, c.barrier = true, m.value
		return g.alignBarrier(m.value)
	case msgEnd:
		c.ended = true
		c.aligned = false
		g.ended++
		if g.done() {
			return false, g.task.end()
		}
		// An ended channel delivered every barrier: the others may be complete now.
		// It no longer takes part in the minimum, but its end does not move the
		// watermark: a channel of bounded input ended at EndOfTime anyway, and one
		// that ends because the job is stopped must not fire timers its watermark did
		// not reach, after the final barrier (Flink's stop without --drain).
		return g.alignBarrier(0)
	}
	panic("exec: unexpected message in a gate")
}

// alignBarrier completes a barrier if every channel that has not ended is blocked on
// it: the task processes the barrier and every channel is unblocked.
func (g *gate) alignBarrier(id int64) (bool, error) {
	for i := range g.channels {
		c := &g.channels[i]
		if c.ended {
			continue
		}
		if !c.blocked {
			return false, nil
		}
		id = c.barrier // every blocked channel waits for the same barrier
	}
	if id == 0 {
		return false, nil
	}
	for i := range g.channels {
		g.channels[i].blocked = false
	}
	return true, g.task.barrier(id)
}

// inputWatermark is StatusWatermarkValve.inputWatermark.
func (g *gate) inputWatermark(c *channel, wm int64) error {
	if c.idle || wm <= c.watermark {
		return nil
	}
	c.watermark = wm
	if !c.aligned && wm >= g.task.watermark {
		c.aligned = true
	}
	return g.advanceToMin()
}

// advanceToMin outputs the minimum watermark of the aligned channels if it is new.
func (g *gate) advanceToMin() error {
	lowest, any := int64(EndOfTime), false
	for i := range g.channels {
		if c := &g.channels[i]; c.aligned {
			lowest, any = min(lowest, c.watermark), true
		}
	}
	if !any {
		return nil
	}
	return g.task.advance(lowest) // ignored unless above the last
}

// inputStatus is StatusWatermarkValve.inputWatermarkStatus.
func (g *gate) inputStatus(c *channel, idle bool) error {
	switch {
	case idle && !c.idle:
		c.idle, c.aligned = true, false
		if !g.anyActive() {
			// No channel will advance: output the highest watermark seen, if this
			// channel was the one holding the output back.
			if c.watermark == g.task.watermark {
				highest := int64(NoWatermark)
				for i := range g.channels {
					highest = max(highest, g.channels[i].watermark)
				}
				if err := g.task.advance(highest); err != nil {
					return err
				}
			}
			return g.task.setIdle(true)
		}
		if c.watermark == g.task.watermark {
			return g.advanceToMin()
		}
	case !idle && c.idle:
		c.idle = false
		if c.watermark >= g.task.watermark {
			c.aligned = true
		}
		return g.task.setIdle(false)
	}
	return nil
}

func (g *gate) anyActive() bool {
	for i := range g.channels {
		if c := &g.channels[i]; !c.idle && !c.ended {
			return true
		}
	}
	return false
}

// queue is a FIFO of messages that reuses its storage.
type queue struct {
	items []message
	head  int
}

func (q *queue) len() int { return len(q.items) - q.head }

// push appends m; a watermark right after a watermark replaces it (nothing happened in
// between, so only the later one matters), which bounds what waits behind a barrier.
func (q *queue) push(m message) {
	if n := len(q.items); m.kind == msgWatermark && n > q.head && q.items[n-1].kind == msgWatermark {
		q.items[n-1] = m
		return
	}
	q.items = append(q.items, m)
}

func (q *queue) pop() message {
	m := q.items[q.head]
	q.items[q.head] = message{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	return m
}
