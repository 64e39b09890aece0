package codegen

import (
	"regexp"
	"strings"
	"testing"
)

const uidTables = `
CREATE TABLE log (k STRING, ip STRING, v BIGINT, w DOUBLE) WITH ('connector' = 'filesystem', 'path' = 'x', 'format' = 'csv');
CREATE TABLE totals (k STRING, n BIGINT, s BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:o.db', 'table-name' = 't');
CREATE TABLE other (k STRING, m DOUBLE, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:o.db', 'table-name' = 'o');
CREATE TABLE echo (k STRING, v BIGINT) WITH ('connector' = 'print');
CREATE TABLE printed (k STRING, n BIGINT, s BIGINT) WITH ('connector' = 'print');
`

const uidBase = "INSERT INTO totals SELECT UPPER(k), COUNT(*), SUM(v) FROM log GROUP BY UPPER(k);\n"

var (
	uidRE    = regexp.MustCompile(`UID:\s+"([^"]+)",\s+Desc:\s+"([^"]+)"`)
	layoutRE = regexp.MustCompile(`Layout: "([^"]+)"`)
	planRE   = regexp.MustCompile(`Plan: "([^"]+)"`)
)

// aggState is an aggregate's identity in the generated spec.
type aggState struct{ uid, desc, layout string }

// statesOf compiles a job and returns the identities of its aggregates (by their
// descriptions) and the plan's fingerprint.
func statesOf(t *testing.T, inserts string) (map[string]aggState, string) {
	t.Helper()
	tables := uidTables
	if strings.Contains(inserts, "/ COUNT(*)") { // totals with a fourth column
		tables = strings.Replace(tables, "s BIGINT, PRIMARY KEY", "s BIGINT, a BIGINT, PRIMARY KEY", 1)
	}
	prog, src := compileSQL(t, tables+inserts)
	main := string(generate(t, prog, src)[0].Content)
	uids, layouts := uidRE.FindAllStringSubmatch(main, -1), layoutRE.FindAllStringSubmatch(main, -1)
	if len(uids) != len(layouts) || len(uids) == 0 {
		t.Fatalf("the spec's State: %d uids, %d layouts", len(uids), len(layouts))
	}
	out := map[string]aggState{}
	for i, u := range uids {
		out[u[2]] = aggState{u[1], u[2], layouts[i][1]}
		if n := strings.Count(main, "SetUID(spec.State["); n != len(uids) {
			t.Fatalf("%d stages given a uid, %d aggregates", n, len(uids))
		}
	}
	return out, planRE.FindStringSubmatch(main)[1]
}

// An aggregate's uid and layout survive compatible edits of the job (another INSERT
// before or after it, a new output column computed from its calls, a changed WHERE)
// and change when its key, its calls or its input change; the plan's fingerprint
// changes with any edit.
func TestStateIdentity(t *testing.T) {
	base, basePlan := statesOf(t, uidBase)
	if len(base) != 1 {
		t.Fatalf("one aggregate expected: %v", base)
	}
	var agg aggState
	for _, a := range base {
		agg = a
	}
	if again, plan := statesOf(t, uidBase); again[agg.desc] != agg || plan != basePlan {
		t.Fatal("the same job compiled twice has another identity")
	}
	same := []struct{ name, sql string }{
		{"another INSERT before it", "INSERT INTO other SELECT ip, MAX(w) FROM log GROUP BY ip;\n" + uidBase},
		{"a stateless INSERT after it", uidBase + "INSERT INTO echo SELECT k, v FROM log WHERE v > 3;\n"},
		{"a column computed from its calls", "INSERT INTO totals SELECT UPPER(k), COUNT(*), SUM(v), SUM(v) / COUNT(*) FROM log GROUP BY UPPER(k);\n"},
		{"a WHERE before it", "INSERT INTO totals SELECT UPPER(k), COUNT(*), SUM(v) FROM log WHERE v > 0 GROUP BY UPPER(k);\n"},
		{"another alias", "INSERT INTO totals SELECT UPPER(k) AS kk, COUNT(*) AS c, SUM(v) AS sv FROM log GROUP BY UPPER(k);\n"},
	}
	for _, c := range same {
		got, plan := statesOf(t, c.sql)
		if got[agg.desc] != agg {
			t.Errorf("%s: the aggregate became %+v, was %+v (all: %v)", c.name, got[agg.desc], agg, got)
		}
		if plan == basePlan {
			t.Errorf("%s: the plan's fingerprint did not change", c.name)
		}
	}
	other := []struct{ name, sql string }{
		{"another key", "INSERT INTO totals SELECT LOWER(k), COUNT(*), SUM(v) FROM log GROUP BY LOWER(k);\n"},
		{"another call", "INSERT INTO totals SELECT UPPER(k), COUNT(*), MAX(v) FROM log GROUP BY UPPER(k);\n"},
		{"another argument", "INSERT INTO totals SELECT UPPER(k), COUNT(*), SUM(v + 1) FROM log GROUP BY UPPER(k);\n"},
	}
	for _, c := range other {
		got, _ := statesOf(t, c.sql)
		for _, a := range got {
			if a.uid == agg.uid {
				t.Errorf("%s: the changed aggregate kept the uid %s", c.name, a.uid)
			}
		}
	}
	// A second reader of the aggregate (a retracting sink) keeps the uid and the
	// layout: what it keeps per group is a section of its own, named in aggNReaders.
	got, _ := statesOf(t, "CREATE VIEW v AS SELECT UPPER(k) AS k, COUNT(*) AS n, SUM(v) AS s FROM log GROUP BY UPPER(k);\nINSERT INTO totals SELECT * FROM v;\nINSERT INTO printed SELECT * FROM v;\n")
	var found bool
	for _, a := range got {
		if a.uid == agg.uid {
			found = true
			if a.layout != agg.layout {
				t.Error("a second reader changed the layout")
			}
		}
	}
	if !found {
		t.Errorf("a second reader changed the uid: %v", got)
	}
	prog, src := compileSQL(t, uidTables+"CREATE VIEW v AS SELECT UPPER(k) AS k, COUNT(*) AS n, SUM(v) AS s FROM log GROUP BY UPPER(k);\nINSERT INTO totals SELECT * FROM v;\nINSERT INTO printed SELECT * FROM v;\n")
	main := string(generate(t, prog, src)[0].Content)
	for _, want := range []string{`"reader totals: emitted flag"`, `"reader printed: last row (STRING, BIGINT NOT NULL, BIGINT)"`, "Readers: agg0Readers"} {
		if !strings.Contains(main, want) {
			t.Errorf("the generated code lacks %s", want)
		}
	}
}
