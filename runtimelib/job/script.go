package job

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// ScriptEnv names a script file that replaces the job's sources, for tests (the golden
// harness's script form): its steps feed the job batch by batch, with barriers between
// them, and after each barrier the job prints "== barrier N ==" on standard output, so the
// output shows what every step produced. Lines of a script:
//
//	# a comment
//	> batch clicks            the records up to the next command are one batch of table clicks
//	a,1
//	> batch clicks split 1    a batch of split 1 of clicks: it goes to task 1 mod tasks, and
//	                          the split has a watermark of its own (the task's watermark is
//	                          the minimum over its splits; other batches share one split)
//	> barrier                 flush: every operator emits, every sink writes
//	> restore                 a barrier, then every task snapshots its state and restores it
//	> restore corrupt         the same, after restoring every truncation and every one-byte
//	                          corruption of the snapshot (each must fail, never panic)
//	> watermark 2020-01-01 00:00:05.000   every source task's watermark
//	> sleep 2 h               a barrier, then the job's processing-time clock jumps 2 h ahead
//	                          without waiting (state TTL, table.exec.state.ttl, sees it)
//	> snapshot DIR            a barrier, then every task with state writes its snapshot to DIR
//	> restore from DIR        (first step only) every task with state restores from all the
//	                          snapshots of its stage in DIR, taken at any parallelism
//
// Without the variable, nothing changes.
const ScriptEnv = "SQLC_STREAM_SCRIPT"

// loadScript reads the script named by $SQLC_STREAM_SCRIPT (nil without one).
func loadScript(getenv func(string) (string, bool)) ([]exec.Step, error) {
	path, ok := getenv(ScriptEnv)
	if !ok || path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ScriptEnv, err)
	}
	return parseScript(path, data)
}

// parseScript parses a script (see ScriptEnv).
func parseScript(name string, data []byte) ([]exec.Step, error) {
	steps := []exec.Step{}
	var cur *exec.Step
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		cmd, isCmd := strings.CutPrefix(line, "> ")
		if !isCmd {
			if strings.HasPrefix(line, "#") || line == "" {
				continue
			}
			if cur == nil {
				return nil, fmt.Errorf("%s:%d: a record before any '> batch table' line", name, n)
			}
			cur.Records = append(cur.Records, []byte(line))
			continue
		}
		if cur != nil {
			steps = append(steps, *cur)
			cur = nil
		}
		f := strings.Fields(cmd)
		switch {
		case len(f) == 2 && f[0] == "batch":
			cur = &exec.Step{Kind: exec.StepBatch, Table: f[1]}
		case len(f) == 4 && f[0] == "batch" && f[2] == "split":
			k, err := strconv.ParseInt(f[3], 10, 32)
			if err != nil || k < 0 {
				return nil, fmt.Errorf("%s:%d: bad split %q (a number from 0)", name, n, f[3])
			}
			cur = &exec.Step{Kind: exec.StepBatch, Table: f[1], Owned: true, Split: int32(k)}
		case len(f) == 1 && f[0] == "barrier":
			steps = append(steps, exec.Step{Kind: exec.StepBarrier})
		case len(f) == 1 && f[0] == "restore":
			steps = append(steps, exec.Step{Kind: exec.StepRestore})
		case len(f) == 2 && f[0] == "restore" && f[1] == "corrupt":
			steps = append(steps, exec.Step{Kind: exec.StepRestoreCorrupt})
		case len(f) >= 2 && f[0] == "sleep":
			d, err := options.ParseDuration(strings.Join(f[1:], " "))
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%s:%d: bad sleep duration %q (like '2 h' or '90 s')", name, n, strings.Join(f[1:], " "))
			}
			steps = append(steps, exec.Step{Kind: exec.StepSleep, Duration: d})
		case len(f) == 2 && f[0] == "snapshot":
			steps = append(steps, exec.Step{Kind: exec.StepSnapshotTo, Dir: f[1]})
		case len(f) == 3 && f[0] == "restore" && f[1] == "from":
			if len(steps) > 0 {
				return nil, fmt.Errorf("%s:%d: restore from must be the first step: a restore starts from fresh tasks", name, n)
			}
			steps = append(steps, exec.Step{Kind: exec.StepRestoreFrom, Dir: f[2]})
		case len(f) >= 2 && f[0] == "watermark":
			ts, ok := types.ParseTimestamp([]byte(strings.Join(f[1:], " ")), 3)
			if !ok {
				return nil, fmt.Errorf("%s:%d: bad watermark timestamp %q", name, n, strings.Join(f[1:], " "))
			}
			steps = append(steps, exec.Step{Kind: exec.StepWatermark, Time: ts.Millis})
		default:
			return nil, fmt.Errorf("%s:%d: unknown command %q (batch <table> [split <n>], barrier, restore [corrupt], restore from <dir>, snapshot <dir>, sleep <duration>, watermark <timestamp>)", name, n, cmd)
		}
	}
	if cur != nil {
		steps = append(steps, *cur)
	}
	return steps, sc.Err()
}
