package codegen

import (
	"bytes"
	"strings"
	"testing"
)

// TestStructConstantsInHeaders puts DECIMAL and TIMESTAMP constants, whose Go values are
// structs, in every position the code generator may render into an if/for/switch header
// (CASE, COALESCE, NULLIF, IN, BETWEEN, comparisons, ABS, group keys, aggregate
// arguments and FILTER, HAVING, WHERE). A composite literal there does not parse
// (`if types.Decimal{...}.Sign() < 0 {`); generate checks that the output parses.
func TestStructConstantsInHeaders(t *testing.T) {
	t.Parallel()
	const tables = `CREATE TABLE t (k BIGINT, d DECIMAL(10, 2), ts TIMESTAMP(3), b BOOLEAN) WITH (
  'connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE o (r STRING) WITH ('connector' = 'print');
`
	const ts1, ts2 = "TIMESTAMP '2020-01-01 00:00:00'", "TIMESTAMP '2020-01-02 00:00:00.5'"
	queries := []string{
		"SELECT CAST(ABS(d + 2.25) AS STRING) FROM t",
		"SELECT CAST(COUNT(*) AS STRING) FROM t GROUP BY 1.00",
		"SELECT CAST(COUNT(*) AS STRING) FROM t GROUP BY " + ts1,
		"SELECT CAST(COUNT(*) AS STRING) FROM t GROUP BY 1.00, " + ts1,
		"SELECT CAST(ABS(COALESCE(12.345, d)) AS STRING) FROM t",
		"SELECT CAST(COALESCE(d, 12.345) AS STRING) FROM t",
		"SELECT CAST(COALESCE(ts, " + ts1 + ") AS STRING) FROM t",
		"SELECT CAST(CASE WHEN 1.5 < d THEN ABS(2.5) ELSE ABS(-3.25) END AS STRING) FROM t",
		"SELECT CAST(CASE WHEN " + ts1 + " < ts THEN " + ts2 + " END AS STRING) FROM t",
		"SELECT CAST(CASE 2.5 WHEN d THEN 1 WHEN 1.5 THEN 2 END AS STRING) FROM t",
		"SELECT CAST(IF(d > 1.5, 2.5, d) AS STRING) FROM t",
		"SELECT CAST(NULLIF(2.5, d) AS STRING) FROM t",
		"SELECT CAST(NULLIF(" + ts1 + ", ts) AS STRING) FROM t",
		"SELECT CAST(2.5 IN (d, 1.5) AS STRING) FROM t",
		"SELECT CAST(" + ts1 + " IN (ts, " + ts2 + ") AS STRING) FROM t",
		"SELECT CAST(2.0 BETWEEN d AND 3.0 AS STRING) FROM t",
		"SELECT CAST(ts BETWEEN " + ts1 + " AND " + ts2 + " AS STRING) FROM t",
		"SELECT CAST(" + ts1 + " = ts AS STRING) FROM t",
		"SELECT CAST(d > ABS(-1.5) AS STRING) FROM t",
		"SELECT CAST(" + ts1 + " + INTERVAL '1' SECOND AS STRING) FROM t",
		"SELECT CAST(k AS STRING) FROM t WHERE 1.5 = d OR " + ts1 + " = ts",
		"SELECT CAST(SUM(2.5) AS STRING) FROM t",
		"SELECT CAST(MIN(2.5) AS STRING) FROM t GROUP BY k",
		"SELECT CAST(MAX(" + ts1 + ") AS STRING) FROM t GROUP BY k",
		"SELECT CAST(AVG(ABS(2.5)) AS STRING) FROM t",
		"SELECT CAST(COUNT(DISTINCT 2.5) AS STRING) FROM t",
		"SELECT CAST(COUNT(DISTINCT " + ts1 + ") AS STRING) FROM t",
		"SELECT CAST(SUM(d) FILTER (WHERE d > ABS(1.5)) AS STRING) FROM t",
		"SELECT CAST(COUNT(*) FILTER (WHERE " + ts1 + " = ts) AS STRING) FROM t",
		"SELECT CAST(SUM(d) AS STRING) FROM t GROUP BY k HAVING ABS(SUM(d)) > 1.5",
		"SELECT CAST(MAX(ts) AS STRING) FROM t GROUP BY k HAVING " + ts1 + " = MAX(ts)",
	}
	for _, q := range queries {
		prog, src := compileSQL(t, tables+"INSERT INTO o "+q+";\n")
		files := generate(t, prog, src)
		if !bytes.Contains(files[0].Content, []byte("decLit")) && !bytes.Contains(files[0].Content, []byte("tsLit")) {
			t.Errorf("%s: no hoisted constant in the generated code", q)
		}
		for _, lit := range []string{"types.Decimal{Hi: ", "types.Timestamp{Millis: int64("} {
			for _, line := range strings.Split(string(files[0].Content), "\n") {
				if strings.Contains(line, lit) && !strings.HasPrefix(line, "var ") {
					t.Errorf("%s: a constant is rendered inline: %s", q, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestNullInList: NULL IN (d, ...) is NULL without comparing; d, read nowhere else,
// must not be left declared and unused (the comparisons were once rendered, counted as
// reads of d, and dropped, so the job did not build).
func TestNullInList(t *testing.T) {
	t.Parallel()
	sql := `CREATE TABLE t (k BIGINT, d DECIMAL(10, 2)) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/in.csv', 'format' = 'csv');
CREATE TABLE o (k BIGINT, u BOOLEAN) WITH ('connector' = 'print');
INSERT INTO o SELECT k, CAST(NULL AS DECIMAL(10, 2)) IN (d, 1.50) FROM t;
`
	bin, _, _ := sqlJob(t, sql, map[string]string{"in.csv": "1,1.50\n2,2.00\n"})
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	if want := "+I[1, null]\n+I[2, null]\n"; stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", stdout, want)
	}
}
