package ir_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

const planDDL = `
CREATE TABLE src (
  id BIGINT,
  name STRING,
  price DECIMAL(10, 2),
  qty INT NOT NULL,
  ts TIMESTAMP(3),
  person ROW<id BIGINT, city STRING>,
  total AS price * qty,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '/tmp/src.csv', 'format' = 'csv');
CREATE TABLE out_print (a STRING, b BIGINT, c DOUBLE) WITH ('connector' = 'print');
CREATE TABLE out_kafka (a STRING, b BIGINT, c DOUBLE) WITH ('connector' = 'kafka', 'topic' = 'o', 'properties.bootstrap.servers' = 'localhost:9092', 'format' = 'json');
CREATE TABLE out_jdbc (a STRING, b BIGINT, c DOUBLE) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:/tmp/x.db', 'table-name' = 'o');
CREATE TABLE out_jdbc_pk (a STRING, b BIGINT, c DOUBLE, PRIMARY KEY (b) NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:/tmp/x.db', 'table-name' = 'o');
CREATE TABLE out_upsert_kafka (a STRING, b BIGINT, c DOUBLE) WITH ('connector' = 'upsert-kafka', 'topic' = 'o', 'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');
CREATE FUNCTION ip_to_province AS 'example.com/udf.IPToProvince' LANGUAGE GO;
`

func dedent(s string) string {
	lines := strings.Split(strings.TrimRight(strings.TrimLeft(s, "\n"), " \t\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t\t")
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestCDNPlan(t *testing.T) {
	p := mustBind(t, cdnDDL+cdnInsert)
	want := dedent(`
		Sink(table=[cdn_access_statistic], fields=[province, access_count, total_download, download_speed], upsertKey=[province], changelogMode=[I,UB,UA])
		+- Calc(select=[province, access_count, total_download, CAST(download_speed AS DOUBLE) AS download_speed], types=[STRING, BIGINT NOT NULL, BIGINT, DOUBLE], changelogMode=[I,UB,UA])
		   +- Calc(select=[province, access_count, total_download, CAST($f3 AS DECIMAL(19, 0)) * 1.0 / CAST($f4 AS DECIMAL(19, 0)) AS download_speed], types=[STRING, BIGINT NOT NULL, BIGINT, DECIMAL(38, 18)], changelogMode=[I,UB,UA])
		      +- Aggregate(groupBy=[province], select=[province, COUNT(uuid) AS access_count, SUM(response_size) AS total_download, SUM(response_size) AS $f3, SUM(request_time) AS $f4], types=[STRING, BIGINT NOT NULL, BIGINT, BIGINT, BIGINT], changelogMode=[I,UB,UA])
		         +- Calc(select=[province, uuid, response_size, request_time], types=[STRING, STRING, BIGINT, BIGINT], changelogMode=[I])
		            +- Calc(select=[uuid, ip_to_province(client_ip) AS province, response_size, request_time], types=[STRING, STRING, BIGINT, BIGINT], changelogMode=[I])
		               +- Scan(table=[cdn_access_log], fields=[uuid, client_ip, request_time, response_size], changelogMode=[I])
	`)
	if got := ir.DumpPlan(p); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	sink := p.Sinks[0]
	if sink.Table.Connector != "jdbc" || p.Catalog.Tables[0].Connector != "filesystem" {
		t.Errorf("connectors: %q, %q", sink.Table.Connector, p.Catalog.Tables[0].Connector)
	}
	// The sink receives exactly the table's types (a NOT NULL count fills a nullable column).
	in := sink.Input.Schema()
	for i, c := range sink.Table.Columns {
		if !in[i].Type.WithNull().Equal(c.Type) || in[i].Name != c.Name || sink.Columns[i] != i {
			t.Errorf("sink column %d: input %s %s, table %s %s", i, in[i].Name, in[i].Type, c.Name, c.Type)
		}
	}
	if len(sink.UpsertKey) != 1 || sink.UpsertKey[0] != 0 {
		t.Errorf("upsert key %v, want [0] (province)", sink.UpsertKey)
	}
	fn := p.Catalog.Functions[0]
	if fn.Name != "ip_to_province" || fn.ImportPath != "example.com/udf" || fn.GoName != "IPToProvince" {
		t.Errorf("function %+v", fn)
	}
}

// TestPlans checks the operator shape of typical queries.
func TestPlans(t *testing.T) {
	tests := []struct{ name, sql, want string }{
		{"view with column list, filter on an aggregate", `
			CREATE VIEW v (n, cnt) AS SELECT name, COUNT(*) FROM src GROUP BY name;
			INSERT INTO out_print SELECT n, cnt, 1.5 FROM v WHERE cnt > 1;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I,UB,UA])
		+- Calc(select=[n AS a, cnt AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT NOT NULL, DOUBLE NOT NULL], changelogMode=[I,UB,UA])
		   +- Calc(select=[name AS n, EXPR$1 AS cnt, 1.5 AS EXPR$2], where=[EXPR$1 > 1], types=[STRING, BIGINT NOT NULL, DECIMAL(2, 1) NOT NULL], changelogMode=[I,UB,UA])
		      +- Calc(select=[name, $f1 AS EXPR$1], types=[STRING, BIGINT NOT NULL], changelogMode=[I,UB,UA])
		         +- Aggregate(groupBy=[name], select=[name, COUNT(*) AS $f1], types=[STRING, BIGINT NOT NULL], changelogMode=[I,UB,UA])
		            +- Calc(select=[name], types=[STRING], changelogMode=[I])
		               +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		                  +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		                     +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"subquery with alias and star", `
			INSERT INTO out_print SELECT s.name, s.id, 2 FROM (SELECT * FROM src WHERE qty > 0) AS s;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I])
		+- Calc(select=[name AS a, id AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE NOT NULL], changelogMode=[I])
		   +- Calc(select=[name, id, 2 AS EXPR$2], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I])
		      +- Calc(select=[id, name, price, qty, ts, person, total], where=[qty > 0], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3) *ROWTIME*, ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		         +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		            +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		               +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"GROUP BY expression, FILTER, DISTINCT aggregate, HAVING", `
			INSERT INTO out_print SELECT UPPER(name), SUM(qty) FILTER (WHERE id > 0), AVG(total)
			FROM src GROUP BY UPPER(name) HAVING COUNT(DISTINCT id) > 1;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I,UB,UA])
		+- Calc(select=[EXPR$0 AS a, CAST(EXPR$1 AS BIGINT) AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE], changelogMode=[I,UB,UA])
		   +- Calc(select=[$f0 AS EXPR$0, $f1 AS EXPR$1, $f2 AS EXPR$2], where=[$f3 > 1], types=[STRING, INT, DECIMAL(38, 6)], changelogMode=[I,UB,UA])
		      +- Aggregate(groupBy=[$f0], select=[$f0, SUM(qty) FILTER (WHERE $f2) AS $f1, AVG(total) AS $f2, COUNT(DISTINCT id) AS $f3], types=[STRING, INT, DECIMAL(38, 6), BIGINT NOT NULL], changelogMode=[I,UB,UA])
		         +- Calc(select=[UPPER(name) AS $f0, qty, id > 0 AS $f2, total, id], types=[STRING, INT NOT NULL, BOOLEAN, DECIMAL(20, 2), BIGINT], changelogMode=[I])
		            +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		               +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		                  +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"SELECT DISTINCT is an Aggregate without aggregates", `
			INSERT INTO out_print SELECT DISTINCT name, id, 1 FROM src;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I,UB,UA])
		+- Calc(select=[name AS a, id AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE NOT NULL], changelogMode=[I,UB,UA])
		   +- Aggregate(groupBy=[name, id, EXPR$2], select=[name, id, EXPR$2], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I,UB,UA])
		      +- Calc(select=[name, id, 1 AS EXPR$2], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I])
		         +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		            +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		               +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"INSERT column list: reordered, NULL for the rest, nested field", `
			INSERT INTO out_print (c, a) SELECT price, person.city FROM src;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I])
		+- Calc(select=[city AS a, null:BIGINT AS b, CAST(price AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE], changelogMode=[I])
		   +- Calc(select=[price, person.city AS city], types=[DECIMAL(10, 2), STRING], changelogMode=[I])
		      +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		         +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		            +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"jdbc with PRIMARY KEY upserts also insert-only input; nullable into NOT NULL is a cast", `
			INSERT INTO out_jdbc_pk SELECT name, id, 1 FROM src;`, `
		Sink(table=[out_jdbc_pk], fields=[a, b, c], upsertKey=[b], changelogMode=[I])
		+- Calc(select=[name AS a, CAST(id AS BIGINT NOT NULL) AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT NOT NULL, DOUBLE NOT NULL], changelogMode=[I])
		   +- Calc(select=[name, id, 1 AS EXPR$2], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I])
		      +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		         +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		            +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"jdbc without PRIMARY KEY upserts on the GROUP BY key", `
			INSERT INTO out_jdbc SELECT name, COUNT(*), MAX(price) FROM src GROUP BY name;`, `
		Sink(table=[out_jdbc], fields=[a, b, c], upsertKey=[a], changelogMode=[I,UB,UA])
		+- Calc(select=[name AS a, EXPR$1 AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT NOT NULL, DOUBLE], changelogMode=[I,UB,UA])
		   +- Calc(select=[name, $f1 AS EXPR$1, $f2 AS EXPR$2], types=[STRING, BIGINT NOT NULL, DECIMAL(10, 2)], changelogMode=[I,UB,UA])
		      +- Aggregate(groupBy=[name], select=[name, COUNT(*) AS $f1, MAX(price) AS $f2], types=[STRING, BIGINT NOT NULL, DECIMAL(10, 2)], changelogMode=[I,UB,UA])
		         +- Calc(select=[name, price], types=[STRING, DECIMAL(10, 2)], changelogMode=[I])
		            +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		               +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		                  +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"global aggregate into print, table alias", `
			INSERT INTO out_print SELECT 'all', COUNT(*), SUM(price) FROM src a WHERE a.qty > 1;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I,UB,UA])
		+- Calc(select=[CAST(EXPR$0 AS STRING) AS a, EXPR$1 AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING NOT NULL, BIGINT NOT NULL, DOUBLE], changelogMode=[I,UB,UA])
		   +- Calc(select=['all' AS EXPR$0, $f0 AS EXPR$1, $f1 AS EXPR$2], types=[CHAR(3) NOT NULL, BIGINT NOT NULL, DECIMAL(38, 2)], changelogMode=[I,UB,UA])
		      +- Aggregate(select=[COUNT(*) AS $f0, SUM(price) AS $f1], types=[BIGINT NOT NULL, DECIMAL(38, 2)], changelogMode=[I,UB,UA])
		         +- Calc(select=[price], where=[qty > 1], types=[DECIMAL(10, 2)], changelogMode=[I])
		            +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		               +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		                  +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
		{"statement set, qualified star over an aliased subquery", `
			EXECUTE STATEMENT SET BEGIN
			INSERT INTO out_print SELECT src.*, 1 FROM (SELECT name, id FROM default_catalog.default_database.src) src;
			INSERT INTO out_kafka SELECT name, id, 2 FROM src;
			END;`, `
		Sink(table=[out_print], fields=[a, b, c], changelogMode=[I])
		+- Calc(select=[name AS a, id AS b, CAST(EXPR$1 AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE NOT NULL], changelogMode=[I])
		   +- Calc(select=[name, id, 1 AS EXPR$1], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I])
		      +- Calc(select=[name, id], types=[STRING, BIGINT], changelogMode=[I])
		         +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		            +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		               +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])

		Sink(table=[out_kafka], fields=[a, b, c], changelogMode=[I])
		+- Calc(select=[name AS a, id AS b, CAST(EXPR$2 AS DOUBLE) AS c], types=[STRING, BIGINT, DOUBLE NOT NULL], changelogMode=[I])
		   +- Calc(select=[name, id, 2 AS EXPR$2], types=[STRING, BIGINT, INT NOT NULL], changelogMode=[I])
		      +- WatermarkAssigner(rowtime=[ts], watermark=[ts - INTERVAL '5.000' SECOND], changelogMode=[I])
		         +- Calc(select=[id, name, price, qty, ts, person, price * CAST(qty AS DECIMAL(10, 0)) AS total], types=[BIGINT, STRING, DECIMAL(10, 2), INT NOT NULL, TIMESTAMP(3), ROW<` + "`id` BIGINT, `city` STRING" + `>, DECIMAL(20, 2)], changelogMode=[I])
		            +- Scan(table=[src], fields=[id, name, price, qty, ts, person], changelogMode=[I])
		`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustBind(t, planDDL+tc.sql)
			if got, want := ir.DumpPlan(p), dedent(tc.want); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
