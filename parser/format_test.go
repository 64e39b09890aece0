package parser

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// formatCases are scripts whose printing needs care: the special call syntaxes, names
// that must be quoted, set operations and joins nested every way, every literal.
var formatCases = []string{
	"SELECT TRIM(s), TRIM(LEADING 'x' FROM s), TRIM(BOTH FROM s), `TRIM`('BOTH', ' ', s), `trim`(a, b) FROM t",
	"SELECT POSITION('a' IN s), `POSITION`(a = 1, b), SUBSTRING(s FROM 2 FOR 3), SUBSTR(s, 1), OVERLAY(s PLACING 'x' FROM 1 FOR 2) FROM t",
	"SELECT FLOOR(ts TO DAY), CEIL(x), TIMESTAMPADD(HOUR, 1, ts), TIMESTAMPDIFF(DAY, a, b), EXTRACT(YEAR FROM d) FROM t",
	"SELECT UNKNOWN, x IS UNKNOWN, (a, b), ROW(), ROW(1), ARRAY[1, 2], MAP['a', 1], `ARRAY`[1], `array`.x[2], `ROW`(1) FROM t",
	"SELECT DATE '2020-01-01', TIME '12:00:00', TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP_LTZ '2020-01-01 00:00:00', X'0aFF', 1e3, .5, 1., 'it''s', TRUE, NULL FROM t",
	"SELECT DATE /* a comment */ '2020-01-01', 1 .f, (1).f, f(x).g.h, a[1].b FROM t",
	"SELECT -1, - -1, -(-1), +x, NOT NOT a, a - -b, a--comment\n - b, INTERVAL -'1' DAY, INTERVAL - -x HOUR, INTERVAL '1 02' DAY TO HOUR, INTERVAL x SECOND(3) FROM t",
	"SELECT `select`, `a b`, `a``b`, `1a`, `straße`, straße, `a😀`, `from`.`where`, t.`from` FROM `table` AS `order` (`group`)",
	"SELECT CURRENT_TIMESTAMP, LOCALTIME, CURRENT_DATE(), `LEFT`('abc', 1), RIGHT('abc', 1), COUNT(*), COUNT(DISTINCT a), SUM(ALL b) FILTER (WHERE b > 0) FROM t",
	"SELECT a, ROW_NUMBER() OVER (PARTITION BY b ORDER BY c DESC, d ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), SUM(x) OVER (ORDER BY ts RANGE INTERVAL '1' HOUR PRECEDING) FROM t",
	"SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, CASE x WHEN 1 THEN 'a' END, CAST(x AS DECIMAL(10, 2) NOT NULL), TRY_CAST(s AS ROW<`from` INT, b ARRAY<MAP<STRING, INT>>>), CAST(x AS `my type`), CAST(x AS FOO(1)) FROM t",
	"SELECT a IS NOT NULL, b IS NOT TRUE, c NOT IN (1, 2), d IN (SELECT x FROM u), e NOT BETWEEN SYMMETRIC 1 AND 2, f NOT LIKE 'a%' ESCAPE '!', g SIMILAR TO 'x', EXISTS (SELECT 1), (SELECT 1) FROM t",
	"SELECT a FROM t UNION SELECT b FROM u UNION ALL SELECT c FROM v EXCEPT SELECT d FROM w MINUS SELECT e FROM x",
	"SELECT a FROM t UNION (SELECT b FROM u UNION SELECT c FROM v) INTERSECT SELECT d FROM w",
	"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (WITH x AS (SELECT 1) SELECT * FROM x) UNION VALUES (1), (2)",
	"WITH a (x, y) AS (SELECT 1, 2), b AS (VALUES 1, 2) SELECT * FROM a, b ORDER BY x DESC FETCH FIRST 3 ROWS ONLY",
	"SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y) RIGHT JOIN d ON TRUE FULL JOIN e ON FALSE CROSS JOIN f, g",
	"SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y, (d, e) JOIN (SELECT 1) s ON TRUE, (f)",
	"SELECT * FROM t, LATERAL TABLE(split(s)) AS x (w), LATERAL (SELECT 1) AS y JOIN LATERAL TABLE(f(a)) ON TRUE CROSS JOIN LATERAL TABLE(g()) AS z LEFT JOIN LATERAL TABLE(h(b)) AS q ON TRUE",
	"SELECT * FROM TABLE(HOP(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '1' SECOND, SIZE => INTERVAL '10' SECOND))",
	"SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY (item, k), DESCRIPTOR(ts), INTERVAL '5' MINUTE))",
	"SELECT * FROM UNNEST(arr) AS u (v), TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND)), r FOR SYSTEM_TIME AS OF t.ts + INTERVAL '1' SECOND AS rr",
	"SELECT /*+ STATE_TTL('t' = '1h') */ DISTINCT a FROM t /*+ OPTIONS('scan.startup.mode' = 'earliest-offset'), LOOKUP('table' = 'x') */ WHERE a > 1 GROUP BY a, b HAVING COUNT(*) > 1",
	"CREATE TEMPORARY TABLE IF NOT EXISTS db.t (\n  a INT NOT NULL, b STRING COMMENT 'b''s', `primary` KEY, c AS a + 1, d TIMESTAMP(3) METADATA FROM 'timestamp' VIRTUAL, e BIGINT METADATA,\n  f TIMESTAMP(3) WITH LOCAL TIME ZONE, g INTEGER, h DOUBLE PRECISION, i CHAR VARYING(3), j DEC(5), k INTERVAL DAY TO SECOND, l MULTISET<INT>, m ROW(x INT 'desc', y BOOL) NULL,\n  WATERMARK FOR d AS d - INTERVAL '5' SECOND,\n  CONSTRAINT pk PRIMARY KEY (a, b) NOT ENFORCED\n) COMMENT 'c' PARTITIONED BY (a) WITH ('connector' = 'filesystem', 'n' = 5, 'b' = TRUE) LIKE other (EXCLUDING ALL)",
	"CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, `constraint` INT, `watermark` INT); CREATE TABLE u LIKE t WITH ('x' = 'y'); CREATE TABLE v (PRIMARY KEY (a) NOT ENFORCED)",
	"CREATE VIEW IF NOT EXISTS v (a, b) COMMENT 'x' AS SELECT 1, 2; CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'example.com/p.F' LANGUAGE go WITH ('on-error' = 'null'); CREATE FUNCTION g AS 'p.G'",
	"SET 'parallelism.default' = '2'; SET table.exec.state.ttl = 1 h; SET 'k' = 5; SET a.b = 'x'",
	"EXECUTE INSERT INTO t /*+ OPTIONS('a' = 'b') */ (a, b) SELECT 1, 2; INSERT OVERWRITE t (SELECT 1) UNION (SELECT 2); INSERT INTO t VALUES (1)",
	"EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END; BEGIN STATEMENT SET; INSERT INTO c SELECT 3; END; EXECUTE STATEMENT SET BEGIN END",
	"EXPLAIN PLAN FOR SELECT 1; EXPLAIN CHANGELOG_MODE, ESTIMATED_COST INSERT INTO t SELECT 1; SELECT 1 WHERE TRUE",
	"SELECT 'a\nb', x FROM t WHERE y = 'c\n'",
}

// TestFormatRoundTrip prints the cases above and every script the tests and examples
// hold, and parses the result back into the same AST.
func TestFormatRoundTrip(t *testing.T) {
	for _, text := range formatCorpus(t) {
		checkFormat(t, text)
	}
	for _, text := range formatCases {
		if _, err := ParseScript(src(text)); err != nil {
			t.Errorf("case does not parse: %v", err)
		}
	}
}

// FuzzFormat: parse, print, parse gives the same AST (positions aside), and printing
// again gives the same text. Seeds: formatCorpus; a longer run is in docs/fuzzing.md.
func FuzzFormat(f *testing.F) {
	for _, text := range formatCorpus(f) {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkFormat(t, text)
	})
}

// formatCorpus gathers scripts: formatCases, the parser's tests, and the job.sql of
// every golden case and example.
func formatCorpus(t testing.TB) []string {
	out := append([]string(nil), formatCases...)
	for _, tc := range stmtTests {
		out = append(out, tc.in)
	}
	for _, tc := range exprTests {
		out = append(out, "SELECT "+tc.in)
	}
	out = append(out, seedDDL)
	out = append(out, realisticScripts...)
	archives, _ := filepath.Glob("../golden/testdata/*.txtar")
	for _, file := range archives {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == "job.sql" {
				out = append(out, string(f.Data))
			}
		}
	}
	sqls, _ := filepath.Glob("../examples/*/*.sql")
	more, _ := filepath.Glob("../e2e/testdata/*.sql")
	for _, file := range append(sqls, more...) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(data))
	}
	return out
}

// checkFormat checks the round trip of a script and, when text is one, of an expression.
func checkFormat(t *testing.T, text string) {
	t.Helper()
	if s, err := ParseScript(src(text)); err == nil {
		printed := Format(s)
		again, err := ParseScript(src(printed))
		if err != nil {
			t.Fatalf("the printed script does not parse: %v\ninput:\n%s\nprinted:\n%s", err, text, printed)
		}
		if a, b := normalized(s), normalized(again); !reflect.DeepEqual(a, b) {
			t.Fatalf("the printed script parses into another AST\ninput:\n%s\nprinted:\n%s\nfirst:\n%s\nagain:\n%s", text, printed, Dump(s), Dump(again))
		}
		if twice := Format(again); twice != printed {
			t.Fatalf("printing is not stable\nfirst:\n%s\nsecond:\n%s", printed, twice)
		}
	}
	if e, err := ParseExpr(src(text)); err == nil {
		printed := FormatExpr(e)
		again, err := ParseExpr(src(printed))
		if err != nil {
			t.Fatalf("the printed expression does not parse: %v\ninput: %s\nprinted: %s", err, text, printed)
		}
		if !reflect.DeepEqual(normalizedExpr(e), normalizedExpr(again)) {
			t.Fatalf("the printed expression parses into another AST\ninput: %s\nprinted: %s\nfirst:\n%s\nagain:\n%s", text, printed, DumpExpr(e), DumpExpr(again))
		}
	}
}

// normalized returns a copy of the script with every position zeroed, its source
// dropped and empty slices made nil: what the round trip must keep.
func normalized(s *Script) *Script {
	c := &Script{Stmts: append([]Stmt(nil), s.Stmts...)}
	v := reflect.ValueOf(c).Elem()
	normalize(v.Field(1))
	return c
}

func normalizedExpr(e Expr) Expr {
	box := &struct{ E Expr }{e}
	normalize(reflect.ValueOf(box).Elem())
	return box.E
}

var spanType = reflect.TypeOf(diag.Span{})

// normalize zeroes the spans under v in place, copying each node it goes through so
// that the original tree is left as it was.
func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		cp := reflect.New(v.Elem().Type())
		cp.Elem().Set(v.Elem())
		v.Set(cp)
		normalize(cp.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		inner := reflect.New(v.Elem().Type()).Elem()
		inner.Set(v.Elem())
		normalize(inner)
		v.Set(inner)
	case reflect.Struct:
		if v.Type() == spanType {
			v.Set(reflect.Zero(spanType))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Type == reflect.TypeOf((*diag.Source)(nil)) {
				v.Field(i).Set(reflect.Zero(v.Field(i).Type()))
				continue
			}
			normalize(v.Field(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		v.Set(cp)
		for i := 0; i < v.Len(); i++ {
			normalize(v.Index(i))
		}
	}
}

// TestFormatReadable shows what Format prints for a small job.
func TestFormatReadable(t *testing.T) {
	s, err := ParseScript(src("create table t (a int, `from` varchar) with ('connector'='print'); insert into t select a, upper(`from`) from u where a>1 and b<>2"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"CREATE TABLE t (",
		"  a INT,",
		"  `from` VARCHAR",
		") WITH ('connector' = 'print');",
		"INSERT INTO t",
		"SELECT a, upper(`from`)",
		"FROM u",
		"WHERE a > 1 AND b <> 2;",
		"",
	}, "\n")
	if got := Format(s); got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
}
