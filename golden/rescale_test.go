package golden

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
)

// The two halves of a script over retract_changelog's job (an aggregate over an
// aggregate: COUNT, SUM, MIN/MAX and COUNT(DISTINCT) with retraction, a Go aggregate
// function), cut where a checkpoint is taken.
const (
	rescaleFirst = `> batch clicks
a,1
b,2
a,3
c,5
> barrier
> batch clicks
d,2
b,7
e,1
`
	rescaleSecond = `> batch clicks
d,1
c,1
a,0
> barrier
> batch clicks
b,-9
`
	rescaleThird = `> batch clicks
f,null
e,9
b,9
> barrier
`
)

// TestRescaleRestore takes the snapshots of a job's keyed tasks at 2 tasks per stage,
// restores them into 3 tasks, snapshots those and restores them into 1 (and the first
// ones into 1 directly): exec.Snapshotter's contract, each new task restores from every
// old task's snapshot and keeps the key groups it owns now (a task keeping more would
// make the next restore find a key group twice). The changelogs of the runs together
// replay to the rows of a run without a restart. A restore under another number of key
// groups fails, saying why.
func TestRescaleRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a job binary")
	}
	t.Parallel()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "retract_changelog.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := gotest.NewModule(t, "golden")
	var sql string
	for _, f := range ar.Files {
		switch {
		case f.Name == "job.sql":
			sql = string(f.Data)
			gotest.WriteFile(t, filepath.Join(dir, f.Name), sql)
		case strings.HasPrefix(f.Name, "udf/"), strings.HasPrefix(f.Name, "data/"):
			gotest.WriteFile(t, filepath.Join(dir, f.Name), string(f.Data))
		}
	}
	bin := buildJob(t, dir, sql)
	run := func(name, script string, args ...string) (string, string, int) {
		gotest.WriteFile(t, filepath.Join(dir, name), script)
		return gotest.RunEnv(t, dir, []string{job.ScriptEnv + "=" + name}, bin, args...)
	}
	mustRun := func(name, script string, args ...string) string {
		out, stderr, code := run(name, script, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, code, stderr)
		}
		return rowsOnly(out)
	}

	want, err := replay(mustRun("whole.script", rescaleFirst+"> barrier\n"+rescaleSecond+"> barrier\n"+rescaleThird, "-D", "parallelism.default=1"))
	if err != nil {
		t.Fatal(err)
	}
	// 2 tasks, then 3 from their snapshots, then 1 from those of the 3; and 1 from the 2's.
	first := mustRun("first.script", rescaleFirst+"> snapshot snaps2\n", "-D", "parallelism.default=2")
	second := mustRun("second.script", "> restore from snaps2\n"+rescaleSecond+"> snapshot snaps3\n", "-D", "parallelism.default=3")
	third := mustRun("third.script", "> restore from snaps3\n"+rescaleThird, "-D", "parallelism.default=1")
	direct := mustRun("direct.script", "> restore from snaps2\n"+rescaleSecond+"> barrier\n"+rescaleThird, "-D", "parallelism.default=1")
	for _, c := range []struct{ name, log string }{
		{"2, then 3, then 1 task", first + second + third},
		{"2, then 1 task", first + direct},
	} {
		got, err := replay(c.log)
		if err != nil {
			t.Errorf("%s: %v\n%s", c.name, err, c.log)
			continue
		}
		if g, w := sortedRows(got), sortedRows(want); g != w {
			t.Errorf("%s: the changelogs replay to other rows than a run without a restart:\n%s", c.name, diff(w, g))
		}
	}

	_, stderr, code := run("second-k.script", "> restore from snaps2\n"+rescaleSecond, "-D", "parallelism.default=2", "-D", "pipeline.max-parallelism=256")
	if code == 0 || !strings.Contains(stderr, "the snapshot was taken with pipeline.max-parallelism = 128, this job runs with 256") {
		t.Errorf("restore under another max parallelism: exit %d, stderr:\n%s", code, stderr)
	}
}

// buildJob compiles sql in the scratch module dir and builds the job; it returns the
// binary.
func buildJob(t testing.TB, dir, sql string) string {
	t.Helper()
	return jobtest.Build(t, dir, sql)
}

// rowsOnly drops the "== barrier N ==" markers of a script run's output, whose numbers
// differ between runs.
func rowsOnly(out string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if !strings.HasPrefix(line, "== barrier ") && line != "" {
			b.WriteString(line)
		}
	}
	return b.String()
}
