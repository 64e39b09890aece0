package codegen

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

const builtinErrorsSQL = `
CREATE TABLE t (a BIGINT, b INT, d DOUBLE, s STRING, p STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/ok.csv', 'format' = 'csv');
CREATE TABLE o (tr DOUBLE, dec STRING, ri BOOLEAN, ins INT, m BOOLEAN, sim BOOLEAN, ifn BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT TRUNCATE(d, 1), FROM_BASE64(s), RAND_INTEGER(b) < b, INSTR('abcb', 'b', 1, b * 2 - 2),
  REGEXP('abc', p), 'abc' SIMILAR TO p, IFNULL(a, 10 / (a - 7)) FROM t;
`

// TestBuiltinRuntimeErrors runs the built-ins that fail a row as Flink's would: TRUNCATE
// of NaN (BigDecimal.valueOf throws), FROM_BASE64 of text java.util.Base64 rejects,
// RAND_INTEGER of a bound below 1, INSTR of an nth below 1, a pattern of the row that
// Go's regexp cannot run and a SIMILAR TO pattern Calcite rejects; and IFNULL, which
// evaluates its replacement even when it is not needed, as Flink's IfNullFunction
// receives both arguments.
func TestBuiltinRuntimeErrors(t *testing.T) {
	t.Parallel()
	data := map[string]string{
		"ok.csv":      "5,2,1.25,YWI=,x\n",
		"nan.csv":     "5,2,NaN,YWI=,x\n",
		"b64.csv":     "5,2,1.5,YW=,x\n",
		"rand.csv":    "5,0,1.5,YWI=,x\n",
		"instr.csv":   "5,1,1.5,YWI=,x\n",
		"regexp.csv":  "5,2,1.5,YWI=,a(?=b)\n",
		"similar.csv": "5,2,1.5,YWI=,a]\n",
		"ifnull.csv":  "7,2,1.5,YWI=,x\n",
	}
	bin, dir, _ := sqlJob(t, builtinErrorsSQL, data)
	sql := strings.ReplaceAll(builtinErrorsSQL, "$DIR", dir)
	src := &diag.Source{Name: "job.sql", Text: sql}
	at := func(s string) string { return src.Position(strings.Index(sql, s)).String() }

	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	if want := "+I[1.2, ab, true, 4, false, false, 5]\n"; stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", stdout, want)
	}
	expectRowErrors(t, bin, dir, []rowError{
		{"nan.csv", "nan.csv:1: " + at("TRUNCATE(") + ": TRUNCATE of NaN"},
		{"b64.csv", "b64.csv:1: " + at("FROM_BASE64(") + `: FROM_BASE64 of "YW=": illegal base64`},
		{"rand.csv", "rand.csv:1: " + at("RAND_INTEGER(") + ": RAND_INTEGER: bound must be positive"},
		{"instr.csv", "instr.csv:1: " + at("INSTR(") + ": INSTR: nthAppearance must be positive"},
		{"regexp.csv", "regexp.csv:1: " + at("REGEXP(") + `: REGEXP: regular expression "a(?=b)": lookahead (?= is not supported`},
		{"similar.csv", "similar.csv:1: " + at("'abc' SIMILAR") + `: SIMILAR TO: invalid regular expression "a]"`},
		{"ifnull.csv", "ifnull.csv:1: " + at("10 / (a - 7)") + ": division by zero"},
	})
}
