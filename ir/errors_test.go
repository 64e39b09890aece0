package ir_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// relErrors binds planDDL followed by sql and returns each diagnostic as
// "line:col: message" with the line counted from the start of sql.
func relErrors(t *testing.T, sql string) []string {
	t.Helper()
	_, err := bind(t, planDDL+sql)
	if err == nil {
		return nil
	}
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error is not a diag.List: %v", err)
	}
	base := strings.Count(planDDL, "\n")
	var out []string
	for _, d := range list {
		pos := d.Source.Position(d.Span.Start)
		out = append(out, fmt.Sprintf("%d:%d: %s", pos.Line-base, pos.Col, d.Msg))
	}
	return out
}

func TestBindErrors(t *testing.T) {
	tests := []struct{ sql, want string }{
		// names
		{"INSERT INTO out_print SELECT clientip, 1, 2 FROM src;", `1:30: unknown column "clientip"`},
		{"INSERT INTO out_print SELECT nam, 1, 2 FROM src;", `1:30: unknown column "nam"; did you mean "name"?`},
		{"INSERT INTO out_print SELECT Name, 1, 2 FROM src;", `1:30: unknown column "Name"; did you mean "name"?`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM srcs;", `1:46: unknown table "srcs"; did you mean "src"?`},
		{"INSERT INTO out_prnt SELECT name, 1, 2 FROM src;", `1:13: unknown table "out_prnt"; did you mean "out_print"?`},
		{"INSERT INTO out_print SELECT x.name, 1, 2 FROM src AS x, src AS y;", `1:48: joins are not supported yet`},
		{"INSERT INTO out_print SELECT src.nope, 1, 2 FROM src;", `1:30: unknown column "nope" in table "src"`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM (SELECT name, name FROM src);", `1:30: column "name" is ambiguous`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM other_catalog.db.src;", `1:46: catalogs and databases other than default_catalog.default_database are not supported yet`},
		// types
		{"INSERT INTO out_print SELECT name, 'a' + 1, 2 FROM src;", `1:36: cannot apply '+' to arguments of type '<CHAR(1) NOT NULL> + <INT NOT NULL>'`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src WHERE id;", `1:56: WHERE condition must be BOOLEAN, got BIGINT`},
		{"INSERT INTO out_print SELECT name, COUNT(*), 2 FROM src GROUP BY name HAVING COUNT(*);", `1:78: HAVING condition must be BOOLEAN, got BIGINT NOT NULL`},
		// aggregates
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src WHERE COUNT(*) > 1;", `1:56: aggregate functions are not allowed in WHERE`},
		{"INSERT INTO out_print SELECT name, COUNT(*), 2 FROM src GROUP BY COUNT(*);", `1:66: aggregate functions are not allowed in GROUP BY`},
		{"INSERT INTO out_print SELECT name, SUM(COUNT(*)), 2 FROM src GROUP BY name;", `1:40: aggregate function calls cannot be nested`},
		{"INSERT INTO out_print SELECT name, id, 2 FROM src GROUP BY name;", `1:36: expression "id" is not being grouped`},
		{"INSERT INTO out_print SELECT name, src.id + 1, 2 FROM src GROUP BY name;", `1:36: expression "src.id" is not being grouped`},
		{"INSERT INTO out_print SELECT *, 1 FROM (SELECT name, id FROM src) GROUP BY name;", `1:30: expression "id" is not being grouped`},
		{"INSERT INTO out_print SELECT name, COUNT(*), 2 FROM src GROUP BY name HAVING id > 1;", `1:78: expression "id" is not being grouped`},
		{"INSERT INTO out_print SELECT name, SUM(name), 2 FROM src GROUP BY name;", `1:40: cannot apply SUM to an argument of type STRING; it needs a numeric argument`},
		{"INSERT INTO out_print SELECT name, SUM(*), 2 FROM src GROUP BY name;", `1:36: SUM(*) is not valid; only COUNT(*) is`},
		// An aggregate over an aggregate binds (it retracts); its result is updating too.
		{"INSERT INTO out_kafka SELECT name, cnt, 2 FROM (SELECT name, COUNT(*) AS cnt FROM src GROUP BY name) GROUP BY name, cnt;",
			`1:1: Table sink 'default_catalog.default_database.out_kafka' doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[name, cnt], select=[name, cnt])`},
		// INSERT
		{"INSERT INTO out_print SELECT name, 1 FROM src;", `1:23: column types of query result and sink for 'default_catalog.default_database.out_print' do not match: the query produces 2 columns, the sink expects 3`},
		{"INSERT INTO out_print SELECT name, name, 1 FROM src;", `1:23: column types of query result and sink for 'default_catalog.default_database.out_print' do not match: cannot write STRING (query column 2 "name") into sink column "b" of type BIGINT`},
		{"INSERT INTO out_print (a, d) SELECT name, 1 FROM src;", `1:27: unknown column "d" in table "out_print"`},
		{"INSERT INTO out_print (a, a) SELECT name, name FROM src;", `1:27: column "a" is listed twice`},
		{"INSERT INTO out_jdbc_pk (a) SELECT name FROM src;", `1:13: column "b" of table "out_jdbc_pk" is NOT NULL and is not listed in the INSERT`},
		{"CREATE VIEW v AS SELECT name FROM src; INSERT INTO v SELECT name FROM src;", `1:52: cannot INSERT INTO view "v"`},
		// changelog
		{"INSERT INTO out_kafka SELECT name, COUNT(*), 2 FROM src GROUP BY name;",
			`1:1: Table sink 'default_catalog.default_database.out_kafka' doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[name], select=[name, COUNT(*) AS $f1])`},
		{"INSERT INTO out_kafka SELECT province, cnt, 1 FROM (SELECT name AS province, COUNT(*) AS cnt FROM src GROUP BY name);",
			`1:1: Table sink 'default_catalog.default_database.out_kafka' doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[name], select=[name, COUNT(*) AS cnt])`},
		{"INSERT INTO out_jdbc SELECT 'x', COUNT(*), MAX(price) FROM src;",
			`1:1: cannot write the updating result of GroupAggregate(select=[COUNT(*) AS $f0, MAX(price) AS $f1]) into table 'default_catalog.default_database.out_jdbc': the table has no PRIMARY KEY and the query has no unique key`},
		{"INSERT INTO out_upsert_kafka SELECT name, id, 1 FROM src;", `1:13: 'upsert-kafka' tables require to define a PRIMARY KEY constraint; table "out_upsert_kafka" has none`},
		{"INSERT INTO out_print SELECT a, b, c FROM out_print;", `1:43: Connector 'print' can only be used as a sink. It cannot be used as a source.`},
		{"CREATE TABLE gen (x STRING, y BIGINT, z DOUBLE) WITH ('connector' = 'datagen'); INSERT INTO gen SELECT name, id, 1 FROM src;", `1:93: Connector 'datagen' can only be used as a source. It cannot be used as a sink.`},
		{"INSERT INTO out_print SELECT a, b, c FROM out_upsert_kafka;", `1:43: reading an 'upsert-kafka' table (a changelog source) is not supported yet`},
		// not supported
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src UNION ALL SELECT name, 1 FROM src;", `1:60: column count mismatch in UNION ALL: the first query has 3 columns, this one 2`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src UNION SELECT 1, 1, 2 FROM src;", `1:23: type mismatch in column 1 (name) of UNION: no common type of STRING, INT NOT NULL`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src INTERSECT SELECT name, 1, 2 FROM src;", `1:23: INTERSECT is not supported yet`},
		{"INSERT INTO out_print VALUES ('a', 1, 2.0);", `1:23: VALUES is not supported yet`},
		{"INSERT INTO out_print WITH w AS (SELECT name FROM src) SELECT name, 1, 2 FROM w;", `1:23: WITH is not supported yet`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src ORDER BY id;", `1:59: ORDER BY is not supported yet`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src LIMIT 3;", `1:56: LIMIT is not supported yet`},
		{"INSERT INTO out_print SELECT name, ROW_NUMBER() OVER (ORDER BY ts), 2 FROM src;", `1:36: OVER windows are not supported yet`},
		{"INSERT INTO out_print SELECT a.name, 1, 2 FROM src a LEFT JOIN src b ON a.id = b.id;", `1:48: LEFT JOIN is not supported yet`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '1' MINUTE));", `1:46: a window table-valued function must be aggregated with GROUP BY window_start, window_end, ... (other uses are not supported yet)`},
		{"INSERT INTO out_print SELECT name, 1, 2 FROM src /*+ OPTIONS('path' = '/x') */;", `1:62: OPTIONS hints are not supported yet`},
		{"INSERT OVERWRITE out_print SELECT name, 1, 2 FROM src;", `1:1: INSERT OVERWRITE is not supported yet`},
		{"SELECT * FROM src;", `1:1: a bare SELECT is not supported in a job (there is no client to print it); use INSERT INTO a table with 'connector' = 'print'`},
		{"EXPLAIN INSERT INTO out_print SELECT name, 1, 2 FROM src;", "1:1: EXPLAIN is not supported in a job; use `sqlc-stream explain` instead"},
		{"CREATE TABLE t2 LIKE src;", `1:22: CREATE TABLE ... LIKE is not supported yet`},
		// functions
		{"CREATE FUNCTION f AS 'com.example.F' LANGUAGE JAVA;", `1:47: only LANGUAGE GO functions can be compiled (got LANGUAGE JAVA)`},
		{"CREATE FUNCTION f AS 'example.com/udf.Nope' LANGUAGE GO;", `1:22: function Nope not found in package example.com/udf`},
		{"CREATE FUNCTION f AS 'NoDot' LANGUAGE GO;", `1:22: function class "NoDot" must be '<import path>.<Func>', e.g. 'example.com/cdn/udf.IPToProvince'`},
		{"CREATE FUNCTION IP_TO_PROVINCE AS 'example.com/udf.IPToProvince';", `1:17: function "IP_TO_PROVINCE" already exists`},
		{"CREATE FUNCTION upper AS 'example.com/udf.IPToProvince';", `1:17: function "upper" would shadow a built-in function`},
		{"INSERT INTO out_print SELECT ip_to_province(id), 1, 2 FROM src;", `1:45: argument 1 of ip_to_province has type BIGINT, which does not convert to STRING (Go parameter string of func IPToProvince(ip string) string in example.com/udf)`},
		{"INSERT INTO out_print SELECT nope(name), 1, 2 FROM src;", `1:30: unknown function "nope"`},
		// DDL
		{"CREATE TABLE src (x INT) WITH ('connector' = 'print');", `1:14: table or view "src" already exists`},
		{"CREATE TABLE t2 (x INT, x STRING) WITH ('connector' = 'print');", `1:25: column "x" is declared twice in table "t2"`},
		{"CREATE TABLE t2 (x INT, PRIMARY KEY (x)) WITH ('connector' = 'print');", `1:25: Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if the constraint checks are performed on the incoming/outgoing data. Flink does not own the data therefore the only supported mode is the NOT ENFORCED mode`},
		{"CREATE TABLE t2 (x INT, PRIMARY KEY (y) NOT ENFORCED) WITH ('connector' = 'print');", `1:38: primary key column "y" is not a column of table "t2"`},
		{"CREATE TABLE t2 (x INT, y AS x + 'a') WITH ('connector' = 'blackhole');", `1:30: cannot apply '+' to arguments of type '<INT> + <CHAR(1) NOT NULL>'`},
		{"CREATE TABLE t2 (x INT, y AS z) WITH ('connector' = 'blackhole');", `1:30: unknown column "z"`},
		{"CREATE TABLE t2 (ts TIMESTAMP(6), WATERMARK FOR ts AS ts) WITH ('connector' = 'blackhole');", `1:49: invalid data type of time field for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is TIMESTAMP(6)`},
		{"CREATE TABLE t2 (x INT, ts TIMESTAMP(3), WATERMARK FOR ts AS x) WITH ('connector' = 'blackhole');", `1:62: invalid data type of expression for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the watermark expression type is INT`},
		{"CREATE TABLE t2 (ts TIMESTAMP(3), WATERMARK FOR ts AS CAST(ts AS TIMESTAMP(6))) WITH ('connector' = 'blackhole');", `1:55: invalid data type of expression for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the watermark expression type is TIMESTAMP(6)`},
		{"CREATE TABLE t2 (s STRING, WATERMARK FOR s AS s) WITH ('connector' = 'blackhole');", `1:42: invalid data type of time field for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is STRING`},
		{"CREATE TABLE t2 (ts TIMESTAMP(3), WATERMARK FOR ts AS MAX(ts)) WITH ('connector' = 'blackhole');", `1:55: aggregate functions are not allowed in watermark expressions`},
		{"CREATE TABLE t2 (ts TIMESTAMP(3), WATERMARK FOR ts AS SOURCE_WATERMARK()) WITH ('connector' = 'blackhole');", `1:55: SOURCE_WATERMARK() is not supported: no connector here emits watermarks of its own; write a strategy such as ts - INTERVAL '5' SECOND`},
		{"CREATE TABLE t2 (ts TIMESTAMP(3), WATERMARK FOR ts AS CURRENT_WATERMARK(ts)) WITH ('connector' = 'blackhole');", `1:73: the argument of CURRENT_WATERMARK must be a rowtime attribute, but is of type TIMESTAMP(3)`},
		{"CREATE TABLE t2 (x INT, WATERMARK FOR tss AS tss) WITH ('connector' = 'blackhole');", `1:39: watermark column "tss" is not a column of table "t2"`},
		{"CREATE TABLE t2 (x INT, y STRING) PARTITIONED BY (z) WITH ('connector' = 'blackhole');", `1:51: Partition column 'z' not defined in the table schema. Available columns: ['x', 'y']`},
		{"CREATE TABLE t2 (x INT, y AS x + 1) PARTITIONED BY (y) WITH ('connector' = 'blackhole');", `1:53: partition column 'y' must be a physical column`},
		{"CREATE TABLE t2 (x INT, y INT) PARTITIONED BY (y, y) WITH ('connector' = 'blackhole');", `1:51: partition column 'y' is listed twice`},
		{"CREATE TABLE t2 (x INT) WITH ('connector' = 'filesystem', 'path' = 'p', 'format' = 'csv', 'partition.time-extractor.class' = 'a.B');", `1:91: custom partition time extractors (partition.time-extractor.class) are Java classes: not supported`},
		{"CREATE TABLE t2 (x FOO) WITH ('connector' = 'blackhole');", `1:20: unknown type FOO`},
		{"CREATE TABLE t2 (x DECIMAL(3, 5)) WITH ('connector' = 'blackhole');", `1:20: decimal scale must be between 0 and the precision 3 (both inclusive), got 5`},
		{"CREATE TABLE t2 (x INT);", `1:14: missing required option 'connector' for table 't2'; supported connectors: blackhole, datagen, filesystem, jdbc, kafka, nexmark, print, upsert-kafka`},
		{"CREATE TABLE t2 (x INT) WITH ('connector' = 'blackhole', 'bogus' = '1');", `1:58: unsupported option 'bogus' for connector 'blackhole'; valid options: connector`},
		{"CREATE VIEW v AS SELECT nope FROM src;", `1:25: unknown column "nope"`},
		{"CREATE VIEW src AS SELECT name FROM src;", `1:13: table or view "src" already exists`},
		{"CREATE VIEW v (a, b) AS SELECT name FROM src;", `1:13: view "v" has 2 column names but its query has 1 columns`},
	}
	for _, tc := range tests {
		got := relErrors(t, tc.sql)
		if len(got) == 0 {
			t.Errorf("%s: no error, want %s", tc.sql, tc.want)
			continue
		}
		if got[0] != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.sql, got[0], tc.want)
		}
		if len(got) > 1 {
			t.Errorf("%s: more than one error: %q", tc.sql, got)
		}
	}
}
