package ir_test

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// FuzzBind checks that Bind never panics (its safety net turns a panic into an
// "internal error" diagnostic, which this test also rejects) on any script the parser
// accepts. Seeds run with go test; go test -fuzz=FuzzBind explores further.
func FuzzBind(f *testing.F) {
	for _, s := range []string{
		cdnDDL + cdnInsert,
		planDDL + "INSERT INTO out_print SELECT UPPER(name), SUM(qty) FILTER (WHERE id > 0), AVG(total) FROM src GROUP BY UPPER(name) HAVING COUNT(DISTINCT id) > 1;",
		planDDL + "CREATE VIEW v (n, cnt) AS SELECT name, COUNT(*) FROM src GROUP BY name; INSERT INTO out_print SELECT n, cnt, 1.5 FROM v WHERE cnt > 1;",
		planDDL + "INSERT INTO out_print (c, a) SELECT price, person.city FROM src;",
		planDDL + "INSERT INTO out_print SELECT DISTINCT name, id, 1 FROM src;",
		typesDDL + "CREATE VIEW v AS SELECT CASE i WHEN 1 THEN 'one' END, r.inner_row.city, i BETWEEN SYMMETRIC 1 AND 2, s LIKE 'x' ESCAPE '!' FROM t;",
		typesDDL + "CREATE VIEW v AS SELECT COALESCE(i, NULL), NULLIF(s, 'x'), IF(b, 1, NULL), TRIM(BOTH 'x' FROM s), CAST(NULL AS INT), -INTERVAL '1' DAY FROM t;",
		typesDDL + "CREATE VIEW v AS SELECT NULL = NULL, NULL + NULL, -NULL, NOT NULL, NULL || NULL, COALESCE(NULL), CASE WHEN NULL THEN NULL END FROM t;",
		typesDDL + "CREATE VIEW v AS SELECT COUNT(NULL), SUM(NULL), MIN(arr), MAX(m), i IN (NULL), NULL IN (1), NULL BETWEEN NULL AND NULL, NULL LIKE NULL FROM t;",
		typesDDL + "CREATE VIEW v AS SELECT my_join(NULL), plus(NULL, NULL), ip_to_province(NULL), ROUND(NULL), ABS(NULL), FLOOR(NULL), SUBSTRING(NULL, NULL) FROM t;",
		typesDDL + "CREATE VIEW v AS SELECT * FROM t GROUP BY i; CREATE VIEW w AS SELECT t.* FROM t; CREATE VIEW x AS SELECT v.* FROM t;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		src := &diag.Source{Name: "fuzz.sql", Text: text}
		script, err := parser.ParseScript(src)
		if err != nil {
			return
		}
		_, err = ir.Bind(script, ir.BindOptions{Resolver: fakeResolver{}})
		if err != nil && containsInternal(err.Error()) {
			t.Fatalf("internal error: %v", err)
		}
	})
}

func containsInternal(s string) bool {
	const m = "internal error"
	for i := 0; i+len(m) <= len(s); i++ {
		if s[i:i+len(m)] == m {
			return true
		}
	}
	return false
}
