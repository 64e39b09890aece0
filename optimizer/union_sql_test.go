package optimizer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

const unionDDL = `
CREATE TABLE t (
  k BIGINT NOT NULL, a BIGINT, i INT NOT NULL, j INT,
  c CHAR(3) NOT NULL, s STRING, d2 DECIMAL(10, 2), d4 DECIMAL(6, 4) NOT NULL
) WITH ('connector' = 'datagen');
CREATE TABLE print_out (x STRING, y STRING) WITH ('connector' = 'print');
CREATE TABLE upsert_out (x STRING, y STRING, PRIMARY KEY (x) NOT ENFORCED)
  WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:/tmp/u.db', 'table-name' = 'u');
CREATE TABLE one_out (x BIGINT) WITH ('connector' = 'print');
CREATE TABLE count_out (x BIGINT, n BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION rand_tag AS 'example.com/udf.RandTag' LANGUAGE GO;
`

// unions returns every Union in n.
func unions(n ir.Node) []*ir.Union {
	var out []*ir.Union
	if u, ok := n.(*ir.Union); ok {
		out = append(out, u)
	}
	for _, in := range n.Inputs() {
		out = append(out, unions(in)...)
	}
	return out
}

// TestUnionColumnTypes unites, in both orders and into a print and an upsert sink, a
// column of t with another column or with an aggregate's NOT NULL result: the column is
// the common type of both, nullable if either is, and every branch produces exactly
// the Union's row type, in the bound and in the optimized plan (where the CAST above is
// in the branches).
func TestUnionColumnTypes(t *testing.T) {
	// Each pair: two expressions over t, the Union's column type.
	pairs := []struct{ x, y, want string }{
		{"a", "COUNT(*)", "BIGINT"},
		{"k", "COUNT(*)", "BIGINT NOT NULL"},
		{"j", "COUNT(*)", "BIGINT"},
		{"i", "COUNT(*)", "BIGINT NOT NULL"},
		{"a", "k", "BIGINT"},
		{"k", "k + 1", "BIGINT NOT NULL"},
		{"i", "a", "BIGINT"},
		{"j", "k", "BIGINT"},
		{"i", "k", "BIGINT NOT NULL"},
		{"c", "s", "STRING"},
		{"c", "c", "CHAR(3) NOT NULL"},
		{"c", "MAX(s)", "STRING"},
		{"d2", "d4", "DECIMAL(12, 4)"},
		{"d4", "SUM(d4)", "DECIMAL(38, 4) NOT NULL"},
		{"d2", "SUM(d4)", "DECIMAL(38, 4)"},
		{"i", "d4", "DECIMAL(14, 4) NOT NULL"},
		{"CAST(NULL AS INT)", "k", "BIGINT"},
	}
	for _, pr := range pairs {
		for _, order := range [][2]string{{pr.x, pr.y}, {pr.y, pr.x}} {
			for _, sink := range []string{"print_out", "upsert_out"} {
				branch := func(e string) string {
					if strings.Contains(e, "(*)") || strings.Contains(e, "MAX(") || strings.Contains(e, "SUM(") {
						return fmt.Sprintf("SELECT CAST(k AS STRING) AS x, %s AS y FROM t GROUP BY k", e)
					}
					return fmt.Sprintf("SELECT CAST(k AS STRING) AS x, %s AS y FROM t", e)
				}
				q := fmt.Sprintf("INSERT INTO %s SELECT x, CAST(y AS STRING) FROM (%s UNION ALL %s);", sink, branch(order[0]), branch(order[1]))
				t.Run(q, func(t *testing.T) {
					p, prog := optimize(t, unionDDL+q)
					for _, n := range []ir.Node{p.Sinks[0], prog.Plan.Sinks[0]} {
						us := unions(n)
						if len(us) != 1 {
							t.Fatalf("%d Unions, want 1:\n%s", len(us), ir.DumpPlan(p))
						}
						if got := us[0].Schema()[1].Type.String(); n == p.Sinks[0] && got != pr.want {
							t.Errorf("union column y is %s, want %s", got, pr.want)
						}
						for bi, b := range us[0].Branches {
							for c, f := range b.Schema() {
								if want := us[0].Schema()[c].Type; !f.Type.Equal(want) {
									t.Errorf("branch %d column %d is %s, want %s", bi, c, f.Type, want)
								}
							}
						}
					}
				})
			}
		}
	}
}

// TestChainedUnions: a UNION whose branch is another UNION (written nested, in
// parentheses, in a subquery or a view, or as a SELECT DISTINCT or a GROUP BY without
// aggregates) removes duplicates once, over one Union of every branch; a UNION below a
// UNION ALL keeps its own DISTINCT.
func TestChainedUnions(t *testing.T) {
	const view = "CREATE VIEW v AS SELECT k FROM t UNION SELECT a FROM t;\n"
	cases := []struct {
		sql string
		// aggs is the number of Aggregates in the optimized plan, branches the number
		// of branches of its Union, updating whether one of them is an updating one.
		aggs, branches int
		updating       bool
	}{
		{"INSERT INTO one_out SELECT k FROM t UNION SELECT a FROM t UNION SELECT k FROM t;", 1, 3, false},
		{"INSERT INTO one_out SELECT k FROM t UNION ALL SELECT a FROM t UNION SELECT i FROM t;", 1, 3, false},
		{"INSERT INTO one_out SELECT k FROM t UNION (SELECT a FROM t UNION ALL (SELECT i FROM t UNION SELECT j FROM t));", 1, 4, false},
		{"INSERT INTO one_out (SELECT k FROM t UNION SELECT a FROM t) UNION (SELECT i FROM t UNION ALL SELECT j FROM t);", 1, 4, false},
		{"INSERT INTO one_out SELECT * FROM (SELECT k FROM t UNION SELECT a FROM t) UNION SELECT i FROM t;", 1, 3, false},
		{"INSERT INTO one_out SELECT x + 1 FROM (SELECT k AS x FROM t UNION SELECT a FROM t) WHERE x > 0 UNION SELECT i FROM t;", 1, 3, false},
		{view + "INSERT INTO one_out SELECT * FROM v UNION SELECT j FROM t;", 1, 3, false},
		{view + "INSERT INTO one_out SELECT * FROM v UNION ALL SELECT j FROM t;", 1, 2, true},
		{"INSERT INTO one_out SELECT DISTINCT k FROM t UNION SELECT a FROM t;", 1, 2, false},
		{"INSERT INTO one_out SELECT k FROM t GROUP BY k UNION SELECT a FROM t;", 1, 2, false},
		{"INSERT INTO one_out SELECT x FROM (SELECT k AS x FROM t UNION ALL SELECT DISTINCT a FROM t) GROUP BY x;", 1, 2, false},
		{"INSERT INTO count_out SELECT x, COUNT(*) FROM (SELECT k AS x FROM t UNION SELECT a FROM t UNION SELECT j FROM t) GROUP BY x;", 2, 3, false},
		// The DISTINCT below a UNION ALL stays: it is a branch of its own.
		{"INSERT INTO one_out SELECT k FROM t UNION SELECT a FROM t UNION ALL SELECT i FROM t;", 1, 2, true},
		// Not dropped: an aggregate that is not a DISTINCT, and a non-deterministic Calc.
		{"INSERT INTO one_out SELECT k FROM t GROUP BY k HAVING COUNT(*) > 1 UNION SELECT a FROM t;", 2, 2, true},
		{"INSERT INTO print_out SELECT rand_tag(s), s FROM (SELECT s FROM t UNION SELECT c FROM t) UNION SELECT s, s FROM t;", 2, 2, true},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			_, prog := optimize(t, unionDDL+c.sql)
			top := prog.Plan.Sinks[0].Input
			if a := aggregates(top); len(a) != c.aggs {
				t.Errorf("%d Aggregates, want %d:\n%s", len(a), c.aggs, ir.DumpPlan(prog.Plan))
			}
			us := unions(top) // the topmost first
			if len(us) == 0 {
				t.Fatalf("no Union:\n%s", ir.DumpPlan(prog.Plan))
			}
			if len(us[0].Branches) != c.branches {
				t.Errorf("a Union of %d branches, want %d:\n%s", len(us[0].Branches), c.branches, ir.DumpPlan(prog.Plan))
			}
			if got := !us[0].Changelog().IsInsertOnly(); got != c.updating {
				t.Errorf("Union changelog %s, want updating %v:\n%s", us[0].Changelog(), c.updating, ir.DumpPlan(prog.Plan))
			}
		})
	}
}
