package golden

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// TestJSONOptions runs one JSON job with the format's options set at start (-D): a
// member that is null is NULL, an absent one NULL too unless json.fail-on-missing-field,
// and a value that does not parse fails the job unless json.ignore-parse-errors.
func TestJSONOptions(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a job binary")
	}
	sql := `CREATE TABLE t (id BIGINT, name STRING) WITH ('connector' = 'filesystem', 'path' = 'data/t.json', 'format' = 'json');
CREATE TABLE out_t (id BIGINT, name STRING) WITH ('connector' = 'print');
INSERT INTO out_t SELECT id, name FROM t;
`
	dir := gotest.NewModule(t, "jsontest")
	bin := buildJob(t, dir, sql)

	for _, c := range []struct {
		name, data string
		args       []string
		stdout     string // when the job succeeds
		stderr     string // when it fails: a part of its error
	}{
		{"null and absent", "{\"id\":1,\"name\":null}\n{\"name\":\"b\"}\n", nil, "+I[1, null]\n+I[null, b]\n", ""},
		{"null with fail-on-missing-field", "{\"id\":1,\"name\":null}\n{\"name\":\"b\",\"id\":2}\n",
			[]string{"-D", "t.json.fail-on-missing-field=true"}, "+I[1, null]\n+I[2, b]\n", ""},
		{"absent with fail-on-missing-field", "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"x\":\"name\"}\n",
			[]string{"-D", "t.json.fail-on-missing-field=true"}, "",
			"data/t.json:2: job.sql:1:1: could not find field with name 'name' (json.fail-on-missing-field)"},
		{"bad value", "{\"id\":1,\"name\":\"a\"}\n{\"id\":\"12k\",\"name\":\"b\"}\n", nil, "",
			"data/t.json:2: job.sql:1:17: cannot parse \"12k\" as BIGINT for column id"},
		{"bad value ignored", "{\"id\":1,\"name\":\"a\"}\n{\"id\":\"12k\",\"name\":\"b\"}\n{\"id\":3,\n",
			[]string{"-D", "t.json.ignore-parse-errors=true"}, "+I[1, a]\n+I[null, b]\n", ""},
	} {
		gotest.WriteFile(t, filepath.Join(dir, "data", "t.json"), c.data)
		stdout, stderr, code := gotest.Run(t, dir, bin, c.args...)
		switch {
		case c.stderr == "" && (code != 0 || stdout != c.stdout):
			t.Errorf("%s: exit %d, stdout:\n%s\nwant:\n%s\nstderr:\n%s", c.name, code, stdout, c.stdout, stderr)
		case c.stderr != "" && (code == 0 || !strings.Contains(stderr, c.stderr)):
			t.Errorf("%s: exit %d, stderr:\n%s\nwant it to contain\n%s", c.name, code, stderr, c.stderr)
		}
	}
}
