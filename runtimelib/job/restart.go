package job

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The restart strategy settings, with Flink's names and defaults (Flink's
// RestartStrategyOptions; docs/failures.md).
const (
	// RestartStrategyKey picks the strategy: none (also disable, off, no_restart),
	// fixed-delay (fixeddelay), failure-rate (failurerate) or exponential-delay
	// (exponentialdelay). Unset: exponential-delay when checkpoints are on, else none.
	RestartStrategyKey = "restart-strategy.type"
	// LegacyRestartStrategyKey is the key's name before Flink 1.16.
	LegacyRestartStrategyKey = "restart-strategy"

	FixedDelayAttemptsKey = "restart-strategy.fixed-delay.attempts" // default 1
	FixedDelayDelayKey    = "restart-strategy.fixed-delay.delay"    // default 1 s

	FailureRateMaxKey      = "restart-strategy.failure-rate.max-failures-per-interval" // default 1
	FailureRateIntervalKey = "restart-strategy.failure-rate.failure-rate-interval"     // default 1 min
	FailureRateDelayKey    = "restart-strategy.failure-rate.delay"                     // default 1 s

	ExpInitialBackoffKey = "restart-strategy.exponential-delay.initial-backoff"               // default 1 s
	ExpMaxBackoffKey     = "restart-strategy.exponential-delay.max-backoff"                   // default 1 min
	ExpMultiplierKey     = "restart-strategy.exponential-delay.backoff-multiplier"            // default 1.5
	ExpResetKey          = "restart-strategy.exponential-delay.reset-backoff-threshold"       // default 1 h
	ExpJitterKey         = "restart-strategy.exponential-delay.jitter-factor"                 // default 0.1
	ExpAttemptsKey       = "restart-strategy.exponential-delay.attempts-before-reset-backoff" // default infinite
)

// RestartsCounter counts the job's restarts (Flink's numRestarts); it is in the
// counters when a restart strategy is in effect.
const RestartsCounter = "job.restarts"

// The restart settings are job settings: -D takes them without a table prefix.
func init() {
	for _, k := range []string{RestartStrategyKey, LegacyRestartStrategyKey, FixedDelayAttemptsKey, FixedDelayDelayKey,
		FailureRateMaxKey, FailureRateIntervalKey, FailureRateDelayKey,
		ExpInitialBackoffKey, ExpMaxBackoffKey, ExpMultiplierKey, ExpResetKey, ExpJitterKey, ExpAttemptsKey} {
		jobSettings[k] = true
	}
}

// restartStrategy decides, at each failure of the job, whether it restarts and after
// how long (Flink's RestartBackoffTimeStrategy). Not safe for concurrent use: only the
// job's run loop calls it.
type restartStrategy struct {
	kind string // none, fixed-delay, failure-rate, exponential-delay
	// explicit: the strategy was configured, not the default of checkpointing.
	explicit bool

	attempts int           // fixed-delay: restarts allowed; exponential-delay: before reset
	delay    time.Duration // fixed-delay, failure-rate

	maxFailures int           // failure-rate: failures allowed per interval
	interval    time.Duration // failure-rate

	initial, maxBackoff time.Duration // exponential-delay
	multiplier, jitter  float64
	reset               time.Duration

	// State.
	restarts    int         // fixed-delay: so far; exponential-delay: since the last reset
	failures    []time.Time // failure-rate: within the interval
	backoff     time.Duration
	lastFailure time.Time
	rand        func() float64 // in [0, 1); jitter
}

// resolveRestartStrategy checks the restart settings; checkpointing says what the
// default is (Flink: exponential-delay with checkpoints, none without).
func resolveRestartStrategy(settings map[string]string, checkpointing bool) (*restartStrategy, []string) {
	rs := &restartStrategy{
		attempts: 1, delay: time.Second,
		maxFailures: 1, interval: time.Minute,
		initial: time.Second, maxBackoff: time.Minute, multiplier: 1.5, reset: time.Hour, jitter: 0.1,
		rand: rand.Float64,
	}
	var errs []string
	bad := func(key, v, want string) { errs = append(errs, fmt.Sprintf("%s: %q is not %s", key, v, want)) }
	get := func(key string) string { return strings.TrimSpace(settings[key]) }
	kind := get(LegacyRestartStrategyKey)
	if v := get(RestartStrategyKey); v != "" {
		kind = v
	}
	switch strings.ToLower(kind) {
	case "":
		rs.kind = "none"
		if checkpointing {
			rs.kind = "exponential-delay"
		}
	case "none", "disable", "off", "no_restart":
		rs.kind = "none"
	case "fixed-delay", "fixeddelay":
		rs.kind = "fixed-delay"
	case "failure-rate", "failurerate":
		rs.kind = "failure-rate"
	case "exponential-delay", "exponentialdelay":
		rs.kind = "exponential-delay"
	default:
		bad(RestartStrategyKey, kind, "none, fixed-delay, failure-rate or exponential-delay")
	}
	rs.explicit = kind != ""
	duration := func(key string, into *time.Duration, zeroOK bool) {
		if v := get(key); v != "" {
			d, err := options.ParseDuration(v)
			if err != nil || d < 0 || d == 0 && !zeroOK {
				bad(key, v, map[bool]string{true: "a duration (like '10 s')", false: "a positive duration (like '10 s')"}[zeroOK])
				return
			}
			*into = d
		}
	}
	integer := func(key string, into *int, min int) {
		if v := get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < min {
				bad(key, v, fmt.Sprintf("an integer >= %d", min))
				return
			}
			*into = n
		}
	}
	float := func(key string, into *float64, lo, hi float64) {
		if v := get(key); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < lo || f > hi || math.IsNaN(f) {
				bad(key, v, fmt.Sprintf("a number from %g to %g", lo, hi))
				return
			}
			*into = f
		}
	}
	// Every setting is checked; those of the strategy in effect are used.
	fixedDelay, rateDelay := time.Second, time.Second
	integer(FixedDelayAttemptsKey, &rs.attempts, 0)
	duration(FixedDelayDelayKey, &fixedDelay, true)
	integer(FailureRateMaxKey, &rs.maxFailures, 1)
	duration(FailureRateIntervalKey, &rs.interval, false)
	duration(FailureRateDelayKey, &rateDelay, true)
	rs.delay = fixedDelay
	if rs.kind == "failure-rate" {
		rs.delay = rateDelay
	}
	duration(ExpInitialBackoffKey, &rs.initial, false)
	duration(ExpMaxBackoffKey, &rs.maxBackoff, false)
	float(ExpMultiplierKey, &rs.multiplier, 1, math.MaxFloat64)
	duration(ExpResetKey, &rs.reset, false)
	float(ExpJitterKey, &rs.jitter, 0, 1)
	if rs.kind == "exponential-delay" {
		rs.attempts = math.MaxInt
		if v := get(ExpAttemptsKey); v != "" && !strings.EqualFold(v, "infinite") {
			integer(ExpAttemptsKey, &rs.attempts, 1)
		}
		if rs.maxBackoff < rs.initial {
			errs = append(errs, fmt.Sprintf("%s (%s) is less than %s (%s)", ExpMaxBackoffKey, rs.maxBackoff, ExpInitialBackoffKey, rs.initial))
		}
	}
	for k := range settings {
		if (k == LegacyRestartStrategyKey || strings.HasPrefix(k, LegacyRestartStrategyKey+".")) && !jobSettings[k] {
			errs = append(errs, fmt.Sprintf("%s: unknown restart strategy setting (see docs/failures.md)", k))
		}
	}
	slices.Sort(errs)
	return rs, errs
}

// String describes the strategy for logs: "exponential-delay (1s to 1m0s, x1.5)".
func (rs *restartStrategy) String() string {
	switch rs.kind {
	case "fixed-delay":
		return fmt.Sprintf("fixed-delay (%d attempts, %s apart)", rs.attempts, rs.delay)
	case "failure-rate":
		return fmt.Sprintf("failure-rate (%d failures per %s, %s apart)", rs.maxFailures, rs.interval, rs.delay)
	case "exponential-delay":
		s := fmt.Sprintf("exponential-delay (%s to %s, x%g", rs.initial, rs.maxBackoff, rs.multiplier)
		if rs.attempts != math.MaxInt {
			s += fmt.Sprintf(", %d attempts before a reset", rs.attempts)
		}
		return s + ")"
	}
	return rs.kind
}

// failed records a failure at now and says whether the job restarts and after how long.
func (rs *restartStrategy) failed(now time.Time) (time.Duration, bool) {
	switch rs.kind {
	case "fixed-delay":
		rs.restarts++
		return rs.delay, rs.restarts <= rs.attempts
	case "failure-rate":
		keep := rs.failures[:0]
		for _, f := range rs.failures {
			if now.Sub(f) < rs.interval {
				keep = append(keep, f)
			}
		}
		rs.failures = append(keep, now)
		return rs.delay, len(rs.failures) <= rs.maxFailures
	case "exponential-delay":
		switch {
		case rs.restarts == 0:
			rs.backoff = rs.initial
		case now.Sub(rs.lastFailure) >= rs.backoff+rs.reset:
			// The job ran for the threshold since its last restart: start over.
			rs.backoff, rs.restarts = rs.initial, 0
		default:
			rs.backoff = min(time.Duration(float64(rs.backoff)*rs.multiplier), rs.maxBackoff)
		}
		rs.restarts++
		rs.lastFailure = now
		d := rs.backoff
		if rs.jitter > 0 {
			d += time.Duration((2*rs.rand() - 1) * rs.jitter * float64(d))
		}
		return max(d, 0), rs.restarts <= rs.attempts
	}
	return 0, false
}

// runWithRestarts runs the job, and after a failure restores the last checkpoint and
// runs it again as the restart strategy allows (docs/failures.md). A job stopped by a
// signal, during a run or a restart delay, is not restarted: it returns the failure.
func (c *Context) runWithRestarts(run func(*Context) error) error {
	rs := c.restart
	var restarts *Counter
	if rs.kind != "none" {
		restarts = c.Counter(RestartsCounter)
		if c.ckpt.interval <= 0 {
			c.log.Info("checkpoints are off: after a failure the job restarts from its sources' start positions with empty state", "restart_strategy", rs.String())
		}
	}
	var lastRow string         // the last failure's, when it was about a record
	var lastFrom *exec.Restore // the restart point it restarted from
	restarting := false
	for {
		err := c.runAgain(run, restarting)
		restarting = true
		if err == nil || c.ctx.Err() != nil {
			return err
		}
		delay, ok := rs.failed(time.Now())
		if !ok {
			if rs.kind != "none" {
				c.log.Error("the restart strategy allows no more restarts", "restart_strategy", rs.String(), "restarts", restarts.Load())
			}
			return err
		}
		from := c.restartPoint()
		// A record that failed again, the same way, after a restart from the same
		// point fails after every restart (a poison record): stop instead of looping.
		row := rowFailure(err)
		if row != "" && row == lastRow && from == lastFrom {
			c.log.Error("the same record failed again after a restart from the same point: not restarting", "restarts", restarts.Load())
			return err
		}
		lastRow, lastFrom = row, from
		what := "its sources' start positions, with empty state"
		if from != nil {
			what = fmt.Sprintf("checkpoint %d", from.ID)
		}
		c.log.Warn("job failed; restarting from "+what, "cause", err.Error(), "restart", restarts.Load()+1, "delay", roundDuration(delay), "restart_strategy", rs.String())
		if !sleepCtx(c.ctx, delay) {
			c.log.Warn("stopped during the restart delay: exiting with the failure")
			return err
		}
		restarts.Add(1)
		c.restore = from
		c.firstCheckpoint = max(c.firstCheckpoint, c.lastCheckpointID+1)
	}
}

// runAgain runs the job; on a restart with two-phase JDBC sinks it first drops the
// rows the failed run sealed and lets the sinks' databases decide the checkpoint, as at
// start (restoreCheckpoint): a commit the failed run could not confirm may have
// reached the database. When a database cannot be read, that is the run's failure.
func (c *Context) runAgain(run func(*Context) error, restarting bool) error {
	if restarting && len(c.txSinks) > 0 {
		for _, ts := range c.txSinks {
			ts.dropSealed()
		}
		if err := c.restoreCheckpoint(true, true); err != nil {
			return err
		}
	}
	return callRun(run, c)
}

// rowFailure is the message of a failure about one record (a RuntimeError that says
// where the record came from), else "".
func rowFailure(err error) string {
	var re *RuntimeError
	if errors.As(err, &re) && re.Where != "" {
		return err.Error()
	}
	return ""
}

// restartPoint is the checkpoint a failed job restarts from, inside the process: the
// last complete one it took, else the one it started from (nil: none, the sources
// start as configured and the state empty). It is the one place that decides the
// restore of a restart, except with two-phase JDBC sinks, whose databases have the
// last word (runAgain).
func (c *Context) restartPoint() *exec.Restore {
	if c.lastComplete != nil {
		return c.lastComplete
	}
	return c.startRestore
}

// checkpointComplete is exec.Config.OnCheckpointComplete: it writes the checkpoint
// (saveCheckpoint) and, once it is durable, keeps it in memory as the restart point
// (with or without a checkpoint directory: the same state that was written).
func (c *Context) checkpointComplete(cp *exec.Checkpoint) error {
	c.lastCheckpointID = max(c.lastCheckpointID, cp.ID)
	if err := c.saveCheckpoint(cp); err != nil {
		return err
	}
	if c.restart == nil || c.restart.kind == "none" {
		return nil
	}
	r := &exec.Restore{ID: cp.ID, Stages: map[string]exec.StageSnapshot{}, Sources: map[string][]stream.Position{}}
	for _, st := range cp.Stages {
		if st.Blobs != nil {
			r.Stages[st.UID] = st
		}
	}
	for _, s := range cp.Sources {
		r.Sources[s.Table] = s.Positions
	}
	c.lastComplete = r
	return nil
}

// sleepCtx waits d; it reports false when ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
