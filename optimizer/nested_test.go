package optimizer_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

const rowDDL = `
CREATE TABLE ev (
  kind INT,
  p ROW<id BIGINT, name STRING, addr ROW<city STRING, zip STRING>>,
  b ROW<auction BIGINT, price BIGINT, extra STRING>,
  ts AS CASE WHEN kind = 0 THEN p.id ELSE b.price END
) WITH ('connector' = 'filesystem', 'path' = '/tmp/ev.json', 'format' = 'json');
CREATE VIEW bids AS SELECT b.auction, b.price, b.extra FROM ev WHERE kind = 2;
CREATE TABLE o1 (a BIGINT, p BIGINT) WITH ('connector' = 'print');
CREATE TABLE o2 (s STRING) WITH ('connector' = 'print');
CREATE TABLE o3 (r ROW<id BIGINT, name STRING, addr ROW<city STRING, zip STRING>>, c STRING) WITH ('connector' = 'print');
`

// scanFields lists what the plan's scans read.
func scanFields(prog *ir.Program) string {
	var out []string
	for _, s := range prog.Plan.Sinks {
		for _, sc := range scans(s) {
			var fs []string
			for i := range sc.Columns {
				fs = append(fs, sc.Field(i).Name)
			}
			out = append(out, strings.Join(fs, ","))
		}
	}
	return strings.Join(out, " | ")
}

func TestPruneNestedFields(t *testing.T) {
	for _, c := range []struct{ name, sql, want string }{
		{"a view of nested fields reads only them",
			`INSERT INTO o1 SELECT auction, price FROM bids WHERE MOD(auction, 123) = 0`,
			"kind,b.auction,b.price"},
		{"computed columns read fields too",
			`INSERT INTO o1 SELECT b.auction, ts FROM ev`,
			"kind,p.id,b.auction,b.price"},
		{"a field inside a field",
			`INSERT INTO o2 SELECT p.addr.city FROM ev`,
			"p.addr.city"},
		{"a field and a field inside it: the outer one is read",
			`INSERT INTO o2 SELECT p.addr.city || p.addr.zip || CAST(p.addr IS NULL AS STRING) FROM ev`,
			"p.addr"},
		{"a column read whole stays whole",
			`INSERT INTO o3 SELECT p, p.name FROM ev`,
			"p"},
		{"a field of a ROW constructor is its argument",
			"INSERT INTO o2 SELECT r.`EXPR$1` FROM (SELECT ROW(p.name, b.extra) AS r FROM ev)",
			"b.extra"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, prog := optimize(t, rowDDL+c.sql)
			if got := scanFields(prog); got != c.want {
				t.Errorf("scan reads %q, want %q\n%s", got, c.want, ir.DumpProgram(prog))
			}
		})
	}
}
