package golden

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// checkParallelism runs a case's built job again with one and with four workers
// (-D parallelism.default=N) and requires the same standard output as the default run
// (GOMAXPROCS workers): parallel execution merges the workers' partial aggregation state
// in batch order, so even the order of the changes is that of a single worker.
func checkParallelism(t *testing.T, dir, bin, args, want string) {
	t.Helper()
	for _, n := range []string{"1", "4"} {
		argv := append([]string{"-D", "parallelism.default=" + n}, strings.Fields(args)...)
		stdout, stderr, code := gotest.Run(t, dir, bin, argv...)
		if code != 0 {
			t.Fatalf("job with parallelism.default=%s exited %d\nstderr:\n%s", n, code, stderr)
		}
		if stdout != want {
			t.Errorf("job with parallelism.default=%s: standard output differs from the default run:\n%s", n, diff(want, stdout))
		}
	}
}
