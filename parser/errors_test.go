package parser

import (
	"strings"
	"testing"
)

// errorTests map a bad script to the exact error text: position, message, source line
// and caret.
var errorTests = []struct{ in, want string }{
	{"SELECT a FROM", `t.sql:1:14: expected a table name but found end of input
  SELECT a FROM
               ^`},
	{"SELECT (a FROM t", `t.sql:1:11: expected ")" but found "FROM"
  SELECT (a FROM t
            ^~~~`},
	{"SELECT a, FROM t", `t.sql:1:11: expected an expression but found "FROM"
  SELECT a, FROM t
            ^~~~`},
	{"SELECT * FROM t WHERE", `t.sql:1:22: expected an expression but found end of input
  SELECT * FROM t WHERE
                       ^`},
	{"CREATE TABLE t (a INT,) WITH ('x' = 'y')", `t.sql:1:23: expected a column name but found ")"
  CREATE TABLE t (a INT,) WITH ('x' = 'y')
                        ^`},
	{"CREATE TABLE t (a INT) WITH (x = 'y')", `t.sql:1:30: expected an option key string like 'connector' but found "x"
  CREATE TABLE t (a INT) WITH (x = 'y')
                               ^`},
	{"CREATE TABLE t (a INT) WITH ('x' 'y')", `t.sql:1:34: expected "=" but found "'y'"
  CREATE TABLE t (a INT) WITH ('x' 'y')
                                   ^~~`},
	{"CREATE TABLE t (\n  a INT\n  b INT\n)", "t.sql:3:3: expected \",\" or \")\" but found \"b\"\n    b INT\n    ^"},
	{"SELECT f(a b) FROM t", `t.sql:1:12: expected "," or ")" but found "b"
  SELECT f(a b) FROM t
             ^`},
	{"SELECT a FROM t WHERE a IN (1 2)", `t.sql:1:31: expected "," or ")" but found "2"
  SELECT a FROM t WHERE a IN (1 2)
                                ^`},
	{"CREATE TABLE t (a VARCHAR(x))", `t.sql:1:27: expected a non-negative integer but found "x"
  CREATE TABLE t (a VARCHAR(x))
                            ^`},
	{"CREATE TABLE t (a) WITH ('x'='y')", `t.sql:1:18: expected a data type but found ")"
  CREATE TABLE t (a) WITH ('x'='y')
                   ^`},
	{"CREATE TABLE t (select INT)", `t.sql:1:17: expected a column name but found reserved word "select" (quote it with backticks to use it as a name)
  CREATE TABLE t (select INT)
                  ^~~~~~`},
	{"CREATE TABLE t", `t.sql:1:15: expected "(" but found end of input
  CREATE TABLE t
                ^`},
	{"CREATE TABLE t (a INT, WATERMARK FOR a AS a, WATERMARK FOR a AS a)", `t.sql:1:46: a table can have only one WATERMARK
  CREATE TABLE t (a INT, WATERMARK FOR a AS a, WATERMARK FOR a AS a)
                                               ^~~~~~~~~~~~~~~~~~~~`},
	{"CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)", `t.sql:1:49: a table can have only one PRIMARY KEY
  CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)
                                                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~`},
	{"CREATE TABLE t (a INT, UNIQUE (a))", `t.sql:1:24: UNIQUE is not supported in CREATE TABLE
  CREATE TABLE t (a INT, UNIQUE (a))
                         ^~~~~~`},
	{"CREATE TABLE t AS SELECT 1", `t.sql:1:16: CREATE TABLE ... AS SELECT is not supported; declare the table and use INSERT INTO
  CREATE TABLE t AS SELECT 1
                 ^~`},
	{"CREATE TABLE t (a TIMESTAMP(3) WITH TIME ZONE)", `t.sql:1:32: TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP_LTZ
  CREATE TABLE t (a TIMESTAMP(3) WITH TIME ZONE)
                                 ^~~~`},
	{"CREATE TABLE t (a ROW<b INT)", `t.sql:1:28: expected "," or ">" but found ")"
  CREATE TABLE t (a ROW<b INT)
                             ^`},
	{"CREATE TABLE t (a MAP<INT>)", `t.sql:1:26: expected "," but found ">"
  CREATE TABLE t (a MAP<INT>)
                           ^`},
	{"CREATE OR REPLACE TABLE t (a INT)", `t.sql:1:8: CREATE OR REPLACE is not supported
  CREATE OR REPLACE TABLE t (a INT)
         ^~`},
	{"CREATE CATALOG c WITH ('type' = 'x')", `t.sql:1:8: CREATE CATALOG is not supported in a job
  CREATE CATALOG c WITH ('type' = 'x')
         ^~~~~~~`},
	{"CREATE INDEX i", `t.sql:1:8: expected "TABLE", "VIEW" or "FUNCTION" but found "INDEX"
  CREATE INDEX i
         ^~~~~`},
	{"CREATE FUNCTION f AS com.x.F", `t.sql:1:22: expected a string naming the function, like 'example.com/pkg.Func' but found "com"
  CREATE FUNCTION f AS com.x.F
                       ^~~`},
	{"CREATE FUNCTION f 'x'", `t.sql:1:19: expected "AS" but found "'x'"
  CREATE FUNCTION f 'x'
                    ^~~`},
	{"CREATE FUNCTION f AS 'x' LANGUAGE 'GO'", `t.sql:1:35: expected a language (GO, JAVA, SCALA or PYTHON) but found "'GO'"
  CREATE FUNCTION f AS 'x' LANGUAGE 'GO'
                                    ^~~~`},
	{"CREATE VIEW v SELECT 1", `t.sql:1:15: expected "AS" but found "SELECT"
  CREATE VIEW v SELECT 1
                ^~~~~~`},
	{"INSERT t SELECT 1", `t.sql:1:8: expected "INTO" or "OVERWRITE" but found "t"
  INSERT t SELECT 1
         ^`},
	{"INSERT INTO t", `t.sql:1:14: expected a query (SELECT, VALUES or WITH) but found end of input
  INSERT INTO t
               ^`},
	{"INSERT INTO t VALUES (1", `t.sql:1:24: expected "," or ")" but found end of input
  INSERT INTO t VALUES (1
                         ^`},
	{"SELECT 'abc", `t.sql:1:8: unterminated string literal
  SELECT 'abc
         ^`},
	// A string missing its closing quote runs on to the next quote, and the error shows
	// up lines later: it is reported at the string's opening quote.
	{"CREATE TABLE t (a INT) WITH ('path' = 'x.csv,\n  'format' = 'csv');\nSELECT 1;", `t.sql:1:39: unterminated string literal: the string starting here runs on to line 2 (is its closing quote missing?)
  CREATE TABLE t (a INT) WITH ('path' = 'x.csv,
                                        ^`},
	{"SELECT 'a' AS x,\n 'b AS y\nFROM t WHERE c = 'it''s'", `t.sql:2:2: unterminated string literal: the string starting here runs on to line 3 (is its closing quote missing?)
   'b AS y
   ^`},
	// A string that legitimately spans lines is not blamed for a later error.
	{"SELECT 'a\nb' FROM t WHERE x = 'y", `t.sql:2:21: unterminated string literal
  b' FROM t WHERE x = 'y
                      ^`},
	{"SELECT 'a\nb' FROM t WHERE", `t.sql:2:16: expected an expression but found end of input
  b' FROM t WHERE
                 ^`},
	{"SELECT `abc", "t.sql:1:8: unterminated quoted identifier\n  SELECT `abc\n         ^"},
	{"SELECT ``", "t.sql:1:8: empty quoted identifier\n  SELECT ``\n         ^~"},
	{"SELECT 1 /* x", `t.sql:1:10: unterminated comment
  SELECT 1 /* x
           ^~`},
	{"SELECT \"a\" FROM t", "t.sql:1:8: double quotes are not allowed here: quote identifiers with `backticks` and strings with 'single quotes'\n  SELECT \"a\" FROM t\n         ^"},
	{"SELECT X'ABC'", `t.sql:1:8: binary string has an odd number of hexadecimal digits
  SELECT X'ABC'
         ^~~~~~`},
	{"SELECT X'zz'", `t.sql:1:8: invalid hexadecimal digit 'z' in binary string
  SELECT X'zz'
         ^~~~~`},
	{"SELECT a FROM t GROUP BY ROLLUP (a)", `t.sql:1:26: ROLLUP is not supported
  SELECT a FROM t GROUP BY ROLLUP (a)
                           ^~~~~~`},
	{"SELECT a FROM t GROUP BY CUBE (a)", `t.sql:1:26: CUBE is not supported
  SELECT a FROM t GROUP BY CUBE (a)
                           ^~~~`},
	{"SELECT a FROM t GROUP BY GROUPING SETS ((a))", `t.sql:1:26: GROUPING SETS is not supported
  SELECT a FROM t GROUP BY GROUPING SETS ((a))
                           ^~~~~~~~`},
	{"SELECT a FROM t NATURAL JOIN u", `t.sql:1:17: NATURAL JOIN is not supported; use JOIN ... USING (...)
  SELECT a FROM t NATURAL JOIN u
                  ^~~~~~~`},
	{"SELECT CAST(a AS) FROM t", `t.sql:1:17: expected a data type but found ")"
  SELECT CAST(a AS) FROM t
                  ^`},
	{"SELECT CAST(a BIGINT) FROM t", `t.sql:1:15: expected "AS" but found "BIGINT"
  SELECT CAST(a BIGINT) FROM t
                ^~~~~~`},
	{"SELECT CASE END FROM t", `t.sql:1:13: expected "WHEN" but found "END"
  SELECT CASE END FROM t
              ^~~`},
	{"SELECT CASE WHEN a THEN 1 FROM t", `t.sql:1:27: expected "END" but found "FROM"
  SELECT CASE WHEN a THEN 1 FROM t
                            ^~~~`},
	{"SELECT a b c FROM t", `t.sql:1:12: expected ";" but found "c"
  SELECT a b c FROM t
             ^`},
	{"SELECT 1e FROM t", `t.sql:1:8: malformed number: exponent has no digits
  SELECT 1e FROM t
         ^~`},
	{"SELECT 12abc FROM t", `t.sql:1:8: malformed number "12abc"
  SELECT 12abc FROM t
         ^~~~~`},
	{"SELECT a # b", `t.sql:1:10: unexpected character "#"
  SELECT a # b
           ^`},
	{"SELECT a ? b", `t.sql:1:10: unexpected character "?"
  SELECT a ? b
           ^`},
	{"DROP TABLE t", `t.sql:1:1: DROP statements are not supported in a job
  DROP TABLE t
  ^~~~`},
	{"USE CATALOG c", `t.sql:1:1: USE statements are not supported in a job
  USE CATALOG c
  ^~~`},
	{"SHOW TABLES", `t.sql:1:1: SHOW statements are not supported in a job
  SHOW TABLES
  ^~~~`},
	{"SELECT a FROM t JOIN u", `t.sql:1:23: expected "ON" or "USING" but found end of input
  SELECT a FROM t JOIN u
                        ^`},
	{"SELECT a FROM t LEFT u", `t.sql:1:22: expected "JOIN" but found "u"
  SELECT a FROM t LEFT u
                       ^`},
	{"SELECT x FROM t WHERE a IS 5", `t.sql:1:28: expected "NULL", "TRUE", "FALSE", "UNKNOWN" or "DISTINCT FROM" but found "5"
  SELECT x FROM t WHERE a IS 5
                             ^`},
	{"SELECT x FROM t WHERE a IS DISTINCT b", `t.sql:1:37: expected "FROM" but found "b"
  SELECT x FROM t WHERE a IS DISTINCT b
                                      ^`},
	{"SELECT x FROM t WHERE a NOT 5", `t.sql:1:29: expected "IN", "BETWEEN", "LIKE" or "SIMILAR TO" after NOT but found "5"
  SELECT x FROM t WHERE a NOT 5
                              ^`},
	{"SELECT x FROM t WHERE a BETWEEN 1", `t.sql:1:34: expected "AND" but found end of input
  SELECT x FROM t WHERE a BETWEEN 1
                                   ^`},
	{"SELECT x FROM t WHERE a IN ()", `t.sql:1:29: expected an expression but found ")"
  SELECT x FROM t WHERE a IN ()
                              ^`},
	{"SELECT x FROM t WHERE a IN 1", `t.sql:1:28: expected "(" but found "1"
  SELECT x FROM t WHERE a IN 1
                             ^`},
	{"INSERT INTO t SELECT 1 INSERT INTO u SELECT 2", `t.sql:1:24: expected ";" but found "INSERT"
  INSERT INTO t SELECT 1 INSERT INTO u SELECT 2
                         ^~~~~~`},
	{"SELECT a FROM t UNION SELECT b FROM u ORDER BY a", `t.sql:1:39: ORDER BY is supported only directly after a SELECT, not after a set operation or another ORDER BY
  SELECT a FROM t UNION SELECT b FROM u ORDER BY a
                                        ^~~~~`},
	{"SELECT a FROM t LIMIT 1 OFFSET 2", `t.sql:1:25: OFFSET is not supported
  SELECT a FROM t LIMIT 1 OFFSET 2
                          ^~~~~~`},
	{"SELECT a FROM t ORDER BY a NULLS FIRST", `t.sql:1:28: NULLS FIRST/LAST is not supported
  SELECT a FROM t ORDER BY a NULLS FIRST
                             ^~~~~`},
	{"SELECT * FROM t /*+ OPTIONS('a'='b') ", `t.sql:1:17: unterminated hint comment
  SELECT * FROM t /*+ OPTIONS('a'='b') 
                  ^~~`},
	{"SELECT * FROM t /*+ OPTIONS('a'='b') x */", `t.sql:1:38: expected "*/" but found "x"
  SELECT * FROM t /*+ OPTIONS('a'='b') x */
                                       ^`},
	{"EXPLAIN", `t.sql:1:8: expected a statement (CREATE, INSERT, SET, EXECUTE STATEMENT SET, EXPLAIN or a query) but found end of input
  EXPLAIN
         ^`},
	{"SET", `t.sql:1:4: SET without a key lists the configuration in the SQL client; a job needs SET 'key' = 'value'
  SET
     ^`},
	{"SET 'a'", `t.sql:1:8: expected "=" but found end of input
  SET 'a'
         ^`},
	{"SET a =", `t.sql:1:8: expected a value but found end of input
  SET a =
         ^`},
	{"SELECT a FROM t WINDOW w AS (PARTITION BY a)", `t.sql:1:17: named windows (WINDOW w AS ...) are not supported; write the OVER (...) clause inline
  SELECT a FROM t WINDOW w AS (PARTITION BY a)
                  ^~~~~~`},
	{"SELECT INTERVAL '1' FORTNIGHT", `t.sql:1:21: expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found "FORTNIGHT"
  SELECT INTERVAL '1' FORTNIGHT
                      ^~~~~~~~~`},
	{"SELECT INTERVAL '1' DAY TO", `t.sql:1:27: expected a time unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found end of input
  SELECT INTERVAL '1' DAY TO
                            ^`},
	{"SELECT MAP['a']", `t.sql:1:8: MAP[...] needs an even number of arguments (key, value, ...)
  SELECT MAP['a']
         ^~~~~~~~`},
	{"SELECT f(x) OVER w FROM t", `t.sql:1:18: named windows are not supported; write OVER (...) inline
  SELECT f(x) OVER w FROM t
                   ^`},
	{"SELECT f(x) OVER (ROWS 1) FROM t", `t.sql:1:25: expected "FOLLOWING" but found ")"
  SELECT f(x) OVER (ROWS 1) FROM t
                          ^`},
	{"SELECT f(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t", `t.sql:1:43: expected "AND" but found ")"
  SELECT f(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t
                                            ^`},
	{"SELECT EXTRACT(FORTNIGHT FROM x)", `t.sql:1:16: expected a time unit like YEAR or HOUR but found "FORTNIGHT"
  SELECT EXTRACT(FORTNIGHT FROM x)
                 ^~~~~~~~~`},
	{"SELECT EXTRACT(DAY x)", `t.sql:1:20: expected "FROM" but found "x"
  SELECT EXTRACT(DAY x)
                     ^`},
	{"SELECT a.", `t.sql:1:10: expected a field name but found end of input
  SELECT a.
           ^`},
	{"SELECT a.* + 1 FROM t", `t.sql:1:12: expected ";" but found "+"
  SELECT a.* + 1 FROM t
             ^`},
	{"SELECT * FROM TABLE(t)", `t.sql:1:22: expected "(" but found ")"
  SELECT * FROM TABLE(t)
                       ^`},
	{"SELECT * FROM LATERAL t", `t.sql:1:23: expected "TABLE(...)" or a subquery after LATERAL but found "t"
  SELECT * FROM LATERAL t
                        ^`},
	{"SELECT * FROM t FOR SYSTEM_TIME x", `t.sql:1:33: expected "AS" but found "x"
  SELECT * FROM t FOR SYSTEM_TIME x
                                  ^`},
	{"SELECT * FROM t MATCH_RECOGNIZE (x)", `t.sql:1:17: MATCH_RECOGNIZE is not supported
  SELECT * FROM t MATCH_RECOGNIZE (x)
                  ^~~~~~~~~~~~~~~`},
	{"SELECT * FROM t CROSS APPLY f(x)", `t.sql:1:17: APPLY is not supported; use JOIN LATERAL TABLE(...)
  SELECT * FROM t CROSS APPLY f(x)
                  ^~~~~`},
	{"SELECT count(*) WITHIN GROUP (ORDER BY a) FROM t", `t.sql:1:17: WITHIN GROUP is not supported
  SELECT count(*) WITHIN GROUP (ORDER BY a) FROM t
                  ^~~~~~`},
	{"SELECT * FROM UNNEST(a) WITH ORDINALITY", `t.sql:1:25: WITH ORDINALITY is not supported
  SELECT * FROM UNNEST(a) WITH ORDINALITY
                          ^~~~`},
	{"SELECT ARRAY(SELECT 1)", `t.sql:1:8: ARRAY(subquery) is not supported
  SELECT ARRAY(SELECT 1)
         ^~~~~`},
	{"SELECT TRIM(BOTH 'x' s)", `t.sql:1:22: expected ")" but found "s"
  SELECT TRIM(BOTH 'x' s)
                       ^`},
	{"SELECT POSITION('a' IN)", `t.sql:1:23: expected an expression but found ")"
  SELECT POSITION('a' IN)
                        ^`},
	{"EXECUTE STATEMENT SET BEGIN SELECT 1; END", `t.sql:1:29: expected "INSERT" or "END" (a statement set holds only INSERT statements) but found "SELECT"
  EXECUTE STATEMENT SET BEGIN SELECT 1; END
                              ^~~~~~`},
	{"EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;", `t.sql:1:52: expected "INSERT" or "END" (a statement set holds only INSERT statements) but found end of input
  EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;
                                                     ^`},
	{"EXECUTE STATEMENT BEGIN", `t.sql:1:19: expected "SET" but found "BEGIN"
  EXECUTE STATEMENT BEGIN
                    ^~~~~`},
	{"BEGIN STATEMENT SET INSERT INTO a SELECT 1; END", `t.sql:1:21: expected ";" but found "INSERT"
  BEGIN STATEMENT SET INSERT INTO a SELECT 1; END
                      ^~~~~~`},
	{"EXECUTE SELECT 1", `t.sql:1:9: expected "STATEMENT SET" or "INSERT" but found "SELECT"
  EXECUTE SELECT 1
          ^~~~~~`},
	{"EXPLAIN EXPLAIN SELECT 1", `t.sql:1:9: expected a statement to explain but found "EXPLAIN"
  EXPLAIN EXPLAIN SELECT 1
          ^~~~~~~`},
	{"SELECT a FROM t GROUP x", `t.sql:1:23: expected "BY" but found "x"
  SELECT a FROM t GROUP x
                        ^`},
	{"SELECT DISTINCT FROM t", `t.sql:1:17: expected an expression but found "FROM"
  SELECT DISTINCT FROM t
                  ^~~~`},
	{"SELECT SELECT", `t.sql:1:8: expected an expression but found "SELECT"
  SELECT SELECT
         ^~~~~~`},
	{"SELECT CURRENT_TIMESTAMP(", `t.sql:1:26: expected an expression but found end of input
  SELECT CURRENT_TIMESTAMP(
                           ^`},
	{"SELECT a FROM (SELECT 1", `t.sql:1:24: expected ")" but found end of input
  SELECT a FROM (SELECT 1
                         ^`},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range errorTests {
		_, err := ParseScript(src(tc.in))
		if err == nil {
			t.Errorf("ParseScript(%q): no error, want\n%s", tc.in, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("ParseScript(%q) error\n got: %s\nwant: %s", tc.in, got, tc.want)
		}
		if strings.Contains(err.Error(), internalErrorMsg) {
			t.Errorf("ParseScript(%q) reached the panic fallback: %v", tc.in, err)
		}
	}
}
