package exec

import (
	"sync/atomic"
	"time"
)

// Clock is the wall clock of processing time: processing-time timers and source
// idleness follow it. Tests replace it to move time without sleeping.
type Clock interface {
	Now() time.Time
	// At calls f in its own goroutine once the clock reached t, unless stop is called
	// first. (An instant, not a duration: the time it was computed at may have passed.)
	At(t time.Time, f func()) (stop func() bool)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) At(t time.Time, f func()) func() bool {
	return time.AfterFunc(time.Until(t), f).Stop
}

// scriptClock is the clock of a script run: the configured clock moved ahead by the
// script's sleep steps, which jump without waiting (so a test of state TTL expires
// an hour-old group without taking an hour, and without depending on how long the
// test takes, as long as that is far below the TTL).
type scriptClock struct {
	base   Clock
	offset atomic.Int64 // ns
}

func (c *scriptClock) Now() time.Time {
	return c.base.Now().Add(time.Duration(c.offset.Load()))
}

func (c *scriptClock) At(t time.Time, f func()) func() bool {
	return c.base.At(t.Add(-time.Duration(c.offset.Load())), f)
}

func (c *scriptClock) sleep(d time.Duration) { c.offset.Add(int64(d)) }
