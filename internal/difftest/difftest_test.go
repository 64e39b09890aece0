package difftest

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

var (
	flagQueries = flag.Int("queries", 240, "how many random queries the differential run compiles and checks")
	flagSeed    = flag.Uint64("seed", 1, "the run's seed (0: one from the clock, printed); `go test` and so `make test` use seed 1, so CI is repeatable; make difftest draws one")
	flagKnown   = flag.Bool("known", true, "leave out constructs with known open bugs (gen.go: knownBugs)")
	flagBatch   = flag.Int("batch", 40, "queries per job binary")
	flagFound   = flag.String("found", "", "directory for reduced failing cases (default: no reduction)")
	flagWork    = flag.String("scratch", "", "scratch directory, kept after the run (default: a temporary one)")
)

// TestDifferential compiles random queries into jobs, runs them at parallelism 1, 2 and 4
// and compares each final result with the reference evaluator's. `make difftest` runs a
// long one.
func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("builds job binaries")
	}
	seed := *flagSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano() % 1_000_000)
	}
	if !*flagKnown {
		for k := range knownBugs {
			knownBugs[k] = false
		}
	}
	found := *flagFound
	t.Logf("seed %d (rerun with -seed %d); reduced cases in %q", seed, seed, found)
	res, err := Run(context.Background(), Config{
		Queries: *flagQueries,
		Batch:   *flagBatch,
		Seed:    seed,
		Repo:    gotest.RepoRoot(t),
		Work:    work(t),
		Found:   found,
		Log:     testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d queries: %d passed, %d failed as expected, %d whose failing part was pruned, %d failed on an intermediate result, %d not supported yet, %d wrong",
		res.Queries, res.Passed, res.Expected, res.Pruned, res.Intermediate, sum(res.Unsupported), len(res.Failures))
	t.Logf("shapes: %v", res.Shapes)
	for msg, n := range res.Unsupported {
		t.Logf("not supported yet (%d): %s", n, msg)
	}
	for _, f := range res.Failures {
		t.Errorf("%s", f)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) { l.t.Log(string(p)); return len(p), nil }

func work(t *testing.T) string {
	if *flagWork != "" {
		return *flagWork
	}
	return t.TempDir()
}
