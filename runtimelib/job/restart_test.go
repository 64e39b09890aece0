package job

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
)

func TestRestartStrategySettings(t *testing.T) {
	for _, c := range []struct {
		settings map[string]string
		ckpt     bool
		want     string
	}{
		{nil, false, "none"},
		{nil, true, "exponential-delay (1s to 1m0s, x1.5)"}, // Flink's default with checkpoints
		{map[string]string{RestartStrategyKey: "fixed-delay"}, false, "fixed-delay (1 attempts, 1s apart)"},
		{map[string]string{LegacyRestartStrategyKey: "FixedDelay", FixedDelayAttemptsKey: "5", FixedDelayDelayKey: "10 s"}, true, "fixed-delay (5 attempts, 10s apart)"},
		{map[string]string{LegacyRestartStrategyKey: "fixed-delay", RestartStrategyKey: "off"}, true, "none"}, // the new key wins
		{map[string]string{RestartStrategyKey: "disable"}, true, "none"},
		{map[string]string{RestartStrategyKey: "no_restart"}, true, "none"},
		{map[string]string{RestartStrategyKey: "failurerate", FailureRateMaxKey: "3", FailureRateIntervalKey: "5 min"}, false, "failure-rate (3 failures per 5m0s, 1s apart)"},
		{map[string]string{RestartStrategyKey: "exponentialdelay", ExpInitialBackoffKey: "100 ms", ExpMaxBackoffKey: "2 s", ExpMultiplierKey: "2", ExpAttemptsKey: "4"}, false,
			"exponential-delay (100ms to 2s, x2, 4 attempts before a reset)"},
	} {
		rs, errs := resolveRestartStrategy(c.settings, c.ckpt)
		if len(errs) > 0 || rs.String() != c.want {
			t.Errorf("%v (checkpoints %v): got %q %v, want %q", c.settings, c.ckpt, rs.String(), errs, c.want)
		}
	}
	for _, c := range []struct {
		key, value, msg string
	}{
		{RestartStrategyKey, "sometimes", "is not none, fixed-delay, failure-rate or exponential-delay"},
		{FixedDelayAttemptsKey, "-1", "is not an integer >= 0"},
		{FixedDelayDelayKey, "soon", "is not a duration"},
		{ExpMultiplierKey, "0.5", "is not a number from 1"},
		{ExpJitterKey, "2", "is not a number from 0 to 1"},
		{ExpInitialBackoffKey, "0 s", "is not a positive duration"},
		{ExpMaxBackoffKey, "10 ms", "is less than " + ExpInitialBackoffKey},
		{"restart-strategy.fixed-delay.attempt", "3", "unknown restart strategy setting"},
	} {
		_, errs := resolveRestartStrategy(map[string]string{c.key: c.value, RestartStrategyKey: "exponential-delay"}, false)
		if c.key == FixedDelayAttemptsKey || c.key == FixedDelayDelayKey {
			_, errs = resolveRestartStrategy(map[string]string{c.key: c.value, RestartStrategyKey: "fixed-delay"}, false)
		}
		if c.key == RestartStrategyKey {
			_, errs = resolveRestartStrategy(map[string]string{c.key: c.value}, false)
		}
		if len(errs) != 1 || !strings.Contains(errs[0], c.key) || !strings.Contains(errs[0], c.msg) {
			t.Errorf("%s = %q: got %v, want an error with %q", c.key, c.value, errs, c.msg)
		}
	}
}

func TestRestartStrategyDelays(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	fixed, _ := resolveRestartStrategy(map[string]string{RestartStrategyKey: "fixed-delay", FixedDelayAttemptsKey: "2", FixedDelayDelayKey: "3 s"}, false)
	for i, want := range []bool{true, true, false} {
		if d, ok := fixed.failed(at(time.Duration(i) * time.Hour)); ok != want || d != 3*time.Second {
			t.Errorf("fixed-delay failure %d: %v %v, want %v after 3s", i+1, d, ok, want)
		}
	}

	rate, _ := resolveRestartStrategy(map[string]string{RestartStrategyKey: "failure-rate", FailureRateMaxKey: "2", FailureRateIntervalKey: "1 min",
		FailureRateDelayKey: "2 s", FixedDelayDelayKey: "3 s"}, false)
	if rate.delay != 2*time.Second {
		t.Errorf("failure-rate's delay is %s, want its own 2s", rate.delay)
	}
	for i, c := range []struct {
		at   time.Duration
		want bool
	}{{0, true}, {10 * time.Second, true}, {20 * time.Second, false}, {75 * time.Second, true}} {
		if _, ok := rate.failed(at(c.at)); ok != c.want {
			t.Errorf("failure-rate failure %d at %s: %v, want %v", i+1, c.at, ok, c.want)
		}
	}

	// Flink's example: 1 s initial, x2, at most 10 s, no jitter.
	exp, _ := resolveRestartStrategy(map[string]string{RestartStrategyKey: "exponential-delay", ExpMultiplierKey: "2",
		ExpMaxBackoffKey: "10 s", ExpJitterKey: "0", ExpResetKey: "1 min", ExpAttemptsKey: "6"}, false)
	now := time.Duration(0)
	for i, want := range []time.Duration{1, 2, 4, 8, 10, 10} {
		d, ok := exp.failed(at(now))
		if !ok || d != want*time.Second {
			t.Errorf("exponential-delay failure %d: %v %v, want %v", i+1, d, ok, want*time.Second)
		}
		now += d + time.Second // fails again a second after each restart
	}
	if _, ok := exp.failed(at(now)); ok {
		t.Error("exponential-delay: a 7th restart within the reset threshold was allowed (attempts-before-reset-backoff = 6)")
	}
	// Running for the threshold after the last restart resets the backoff and the count.
	now += 10*time.Second + time.Minute
	if d, ok := exp.failed(at(now)); !ok || d != time.Second {
		t.Errorf("exponential-delay after the reset threshold: %v %v, want 1s", d, ok)
	}

	// Jitter: the backoff plus or minus jitter-factor of it.
	jit, _ := resolveRestartStrategy(map[string]string{RestartStrategyKey: "exponential-delay", ExpJitterKey: "0.5"}, false)
	for _, r := range []float64{0, 0.5, 0.999} {
		jit.rand = func() float64 { return r }
		jit.restarts = 0
		d, _ := jit.failed(t0)
		if want := time.Duration(float64(time.Second) * (1 + (2*r-1)*0.5)); d != want {
			t.Errorf("jitter with rand %v: %v, want %v", r, d, want)
		}
	}
	if exp0, _ := resolveRestartStrategy(nil, true); exp0.attempts != math.MaxInt {
		t.Errorf("exponential-delay's default attempts: %d, want infinite", exp0.attempts)
	}
}

// A failing run is run again as the strategy allows, from the last complete checkpoint
// kept in memory, and the restarts are logged with their cause and counted.
func TestRunWithRestarts(t *testing.T) {
	spec := testSpec()
	fixed := []string{"-D", "restart-strategy.type=fixed-delay", "-D", "restart-strategy.fixed-delay.attempts=2", "-D", "restart-strategy.fixed-delay.delay=0 s"}

	var calls int
	var restores []*exec.Restore
	failTwice := func(c *Context) error {
		calls++
		restores = append(restores, c.restore)
		if calls == 1 {
			// A checkpoint completes, then the run fails: the restart restores it.
			if err := c.checkpointComplete(&exec.Checkpoint{ID: 7, Stages: []exec.StageSnapshot{{UID: "agg-1", Name: "Aggregate", Tasks: 1, Blobs: [][]byte{{1, 2}}}, {UID: "src", Name: "Scan", Tasks: 1}},
				Sources: []exec.SourcePositions{{Table: "cdn_access_log"}}}); err != nil {
				return err
			}
		}
		if calls <= 2 {
			return errors.New("database down")
		}
		return nil
	}
	res := runJob(t, spec, pwEnv, failTwice, fixed...)
	if res.code != 0 || calls != 3 {
		t.Fatalf("exit %d after %d runs, want 0 after 3:\n%s", res.code, calls, res.stderr)
	}
	if restores[0] != nil || restores[1] == nil || restores[1].ID != 7 || len(restores[1].Stages) != 1 || restores[2] != restores[1] {
		t.Errorf("restored %v, want nothing, then checkpoint 7 (its stateful stage only) twice", restores)
	}
	for _, want := range []string{`msg="job failed; restarting from checkpoint 7" job=cdn_local cause="database down" restart=1`, "restart=2", "job.restarts=2"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}

	// Out of attempts: the last failure is the job's error.
	calls = 0
	always := func(*Context) error { calls++; return errors.New("broker gone") }
	res = runJob(t, spec, pwEnv, always, fixed...)
	if res.code != 1 || calls != 3 || !strings.Contains(res.stderr, "the restart strategy allows no more restarts") || !strings.Contains(res.stderr, "cdn_local: error: broker gone") {
		t.Errorf("exit %d after %d runs, want 1 after 3:\n%s", res.code, calls, res.stderr)
	}

	// No strategy and no checkpoints: no restart, no counter.
	calls = 0
	res = runJob(t, spec, pwEnv, always)
	if res.code != 1 || calls != 1 || strings.Contains(res.stderr, RestartsCounter) {
		t.Errorf("without a strategy: exit %d after %d runs:\n%s", res.code, calls, res.stderr)
	}

	// A strategy without checkpoints restarts from the start, and says so.
	calls = 0
	res = runJob(t, spec, pwEnv, func(c *Context) error {
		calls++
		if c.restore != nil {
			t.Error("a restart without checkpoints restored something")
		}
		if calls == 1 {
			return errors.New("task error")
		}
		return nil
	}, fixed...)
	if res.code != 0 || !strings.Contains(res.stderr, "restarting from its sources' start positions, with empty state") || !strings.Contains(res.stderr, "job.restarts=1") {
		t.Errorf("exit %d:\n%s", res.code, res.stderr)
	}
}

// A record that fails again after a restart from the same point is not restarted
// again; one that fails after a newer checkpoint is.
func TestRestartPoisonRecord(t *testing.T) {
	fixed := []string{"-D", "restart-strategy.type=fixed-delay", "-D", "restart-strategy.fixed-delay.attempts=5", "-D", "restart-strategy.fixed-delay.delay=0 s"}
	calls := 0
	poison := func(*Context) error {
		calls++
		return AtRow(RowError("", "job.sql:5:10", "CAST('abc' AS BIGINT) failed"), "logs.csv:17")
	}
	res := runJob(t, testSpec(), pwEnv, poison, fixed...)
	if res.code != 1 || calls != 2 || !strings.Contains(res.stderr, "the same record failed again after a restart from the same point: not restarting") ||
		!strings.Contains(res.stderr, "cdn_local: error: logs.csv:17: job.sql:5:10: CAST('abc' AS BIGINT) failed") {
		t.Errorf("exit %d after %d runs, want 1 after 2:\n%s", res.code, calls, res.stderr)
	}
	// A checkpoint between the failures: the restart point moved, the job restarts.
	calls = 0
	progress := func(c *Context) error {
		calls++
		if calls == 4 {
			return nil
		}
		if err := c.checkpointComplete(&exec.Checkpoint{ID: int64(calls)}); err != nil {
			return err
		}
		return AtRow(errors.New("function f returned an error: busy"), "logs.csv:17")
	}
	res = runJob(t, testSpec(), pwEnv, progress, fixed...)
	if res.code != 0 || calls != 4 || restartsOf(res.stderr) != 3 {
		t.Errorf("exit %d after %d runs, want 0 after 4 with 3 restarts:\n%s", res.code, calls, res.stderr)
	}
}

func restartsOf(stderr string) int {
	_, after, ok := strings.Cut(stderr, RestartsCounter+"=")
	if !ok {
		return -1
	}
	n := -1
	fmt.Sscanf(after, "%d", &n)
	return n
}

// A signal during a restart delay exits at once with the failure; a failure after the
// signal is not restarted.
func TestRestartStoppedBySignal(t *testing.T) {
	long := []string{"--restart-strategy", "fixed-delay", "-D", "restart-strategy.fixed-delay.delay=1 h"}
	for _, when := range []string{"delay", "run"} {
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		run := func(c *Context) error {
			calls++
			if when == "run" {
				cancel()
			} else {
				time.AfterFunc(10*time.Millisecond, cancel)
			}
			return errors.New("sink failed")
		}
		var out, errOut strings.Builder
		done := make(chan int)
		go func() {
			done <- execute(ctx, testSpec(), run, long, func(k string) (string, bool) { v, ok := pwEnv[k]; return v, ok }, &out, &errOut)
		}()
		select {
		case code := <-done:
			if code != 1 || calls != 1 || !strings.Contains(errOut.String(), "cdn_local: error: sink failed") {
				t.Errorf("signal during the %s: exit %d after %d runs:\n%s", when, code, calls, errOut.String())
			}
		case <-time.After(time.Minute): // a guard against the hour-long delay, not a timing
			t.Fatalf("signal during the %s: the job did not exit", when)
		}
		cancel()
	}
}
