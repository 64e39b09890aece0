package udf_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
)

const aggRuntimeUDF = `package udf

import (
	"errors"
	"strings"
)

// Sum adds its values and panics on -1.
type Sum struct{}

func (Sum) CreateAccumulator() *int64 { return new(int64) }
func (Sum) Accumulate(acc *int64, x int64) {
	if x == -1 {
		panic("minus one")
	}
	*acc += x
}
func (Sum) GetValue(acc *int64) int64 { return *acc }

// Longest keeps the longest string it saw (a string kept in the accumulator); its
// GetValue fails when the longest is "bad".
type Longest struct{}

type LongestAcc struct{ S string }

func (Longest) CreateAccumulator() *LongestAcc { return &LongestAcc{} }
func (Longest) Accumulate(acc *LongestAcc, s string) {
	if len(s) > len(acc.S) {
		acc.S = s
	}
}
func (Longest) GetValue(acc *LongestAcc) (string, error) {
	if acc.S == "bad" {
		return "", errors.New("bad longest")
	}
	return strings.ToUpper(acc.S), nil
}
`

// runAggJob compiles sql in a scratch module holding aggRuntimeUDF
// (example.com/aggrt/udf) and data, builds the job and runs it.
func runAggJob(t *testing.T, sql, data string) (stdout, stderr string, code int) {
	t.Helper()
	dir := gotest.NewModule(t, "aggrt")
	gotest.WriteFile(t, filepath.Join(dir, "udf", "udf.go"), aggRuntimeUDF)
	gotest.WriteFile(t, filepath.Join(dir, "data", "t.csv"), data)
	return gotest.Run(t, dir, jobtest.Build(t, dir, sql))
}

const aggRuntimeSQL = `CREATE TABLE t (k STRING, x BIGINT, s STRING) WITH (
  'connector' = 'filesystem', 'path' = 'data/t.csv', 'format' = 'csv');
CREATE TABLE o (k STRING, total BIGINT, longest STRING) WITH ('connector' = 'print');
CREATE FUNCTION my_sum AS 'example.com/aggrt/udf.Sum' LANGUAGE GO;
CREATE FUNCTION longest AS 'example.com/aggrt/udf.Longest' LANGUAGE GO;
INSERT INTO o SELECT k, my_sum(x), longest(s) FROM t GROUP BY k;
`

// TestAggregateRuntime runs Go aggregate functions in a built job: strings kept in an
// accumulator survive the batch they came from; a panic in Accumulate and an error from
// GetValue fail the job naming the function and its SQL position.
func TestAggregateRuntime(t *testing.T) {
	// 100000 rows (700 KB): the CSV source reads several chunks and batches, whose
	// buffers it reuses.
	var b strings.Builder
	for i := 0; i < 100000; i++ {
		s := "ab"
		if i == 1234 {
			s = "longest-of-all"
		}
		b.WriteString("a,1," + s + "\n")
	}
	stdout, stderr, code := runAggJob(t, aggRuntimeSQL, b.String())
	if code != 0 {
		t.Fatalf("job exited %d:\n%s", code, stderr)
	}
	if got := strings.TrimSpace(stdout); got != "+I[a, 100000, LONGEST-OF-ALL]" {
		t.Errorf("stdout %q", got)
	}

	_, stderr, code = runAggJob(t, aggRuntimeSQL, "a,1,x\nb,-1,y\n")
	if code != 1 || !strings.Contains(stderr, "job.sql:6:25") || !strings.Contains(stderr, "my_sum") || !strings.Contains(stderr, "minus one") || !strings.Contains(stderr, "t.csv:2") {
		t.Errorf("panic in Accumulate: exit %d, stderr:\n%s", code, stderr)
	}

	_, stderr, code = runAggJob(t, aggRuntimeSQL, "a,1,x\nb,2,bad\n")
	if code != 1 || !strings.Contains(stderr, "job.sql:6:36: function longest returned an error: bad longest") {
		t.Errorf("error from GetValue: exit %d, stderr:\n%s", code, stderr)
	}
}
