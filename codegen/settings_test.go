package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
)

// TestSpecSettings checks that the script's SET of every job setting the runtime reads
// reaches the job's Spec (the last SET of a key winning), and that other SET keys do not.
func TestSpecSettings(t *testing.T) {
	want := map[string]string{
		job.ParallelismKey:         "3",
		keygroup.MaxParallelismKey: "256",
		job.IdleTimeoutKey:         "5 s",
		job.ChainingKey:            "false",
		job.AggPhaseKey:            "ONE_PHASE",
		job.CheckpointIntervalKey:  "1 s",
		job.CheckpointDirKey:       "/ck",
		job.LegacyCheckpointDirKey: "/old",
		job.RetainedKey:            "3",
		job.SavepointPathKey:       "/sp",
		job.IgnoreUnclaimedKey:     "true",
	}
	var sql strings.Builder
	sql.WriteString("SET 'parallelism.default' = '2';\n")
	for _, k := range []string{job.ParallelismKey, keygroup.MaxParallelismKey, job.IdleTimeoutKey, job.ChainingKey, job.AggPhaseKey,
		job.CheckpointIntervalKey, job.CheckpointDirKey, job.LegacyCheckpointDirKey, job.RetainedKey, job.SavepointPathKey, job.IgnoreUnclaimedKey} {
		fmt.Fprintf(&sql, "SET '%s' = '%s';\n", k, want[k])
	}
	sql.WriteString(`SET 'table.exec.mini-batch.enabled' = 'true';
CREATE TABLE t (k STRING) WITH ('connector' = 'filesystem', 'path' = 'x.csv', 'format' = 'csv');
CREATE TABLE o (k STRING, n BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT k, COUNT(*) FROM t GROUP BY k;
`)
	prog, src := compileSQL(t, sql.String())
	main := string(generate(t, prog, src)[0].Content)
	for k, v := range want {
		if kv := fmt.Sprintf("{Key: %q, Value: %q}", k, v); !strings.Contains(main, kv) {
			t.Errorf("the spec's Settings lack %s", kv)
		}
	}
	if strings.Contains(main, `"parallelism.default", Value: "2"`) {
		t.Error("an earlier SET of parallelism.default survived a later one")
	}
	if strings.Contains(main, "mini-batch") {
		t.Error("a SET key the runtime does not read reached the spec")
	}
}
