package exec

import "time"

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
