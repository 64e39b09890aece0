package ir_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

func TestCatalog(t *testing.T) {
	p := mustBind(t, `
SET 'table.exec.state.ttl' = '1h';
CREATE TEMPORARY TABLE src (
  id BIGINT NOT NULL,
  name VARCHAR,
  code CHAR,
  bin BINARY(4),
  vb VARBINARY,
  amount DECIMAL,
  t TIME,
  ts TIMESTAMP,
  ltz TIMESTAMP_LTZ(3),
  tags ARRAY<STRING NOT NULL>,
  attrs MAP<STRING, BIGINT>,
  bag MULTISET<INT>,
  person ROW<id BIGINT, city STRING>,
  off BIGINT METADATA FROM 'offset' VIRTUAL,
  part INT METADATA,
  upper_name AS UPPER(name),
  PRIMARY KEY (id) NOT ENFORCED,
  WATERMARK FOR ltz AS ltz - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TABLE IF NOT EXISTS src (x INT) WITH ('connector' = 'print');
CREATE VIEW IF NOT EXISTS v AS SELECT id FROM src;
CREATE VIEW IF NOT EXISTS v AS SELECT name FROM src;
CREATE FUNCTION IF NOT EXISTS ip_to_province AS 'example.com/udf.IPToProvince' LANGUAGE GO;
CREATE TEMPORARY SYSTEM FUNCTION ip_to_province2 AS 'example.com/udf.IPToProvince';
SET 'table.exec.state.ttl' = '2h';
`)
	if len(p.Catalog.Tables) != 1 {
		t.Fatalf("tables: %d", len(p.Catalog.Tables))
	}
	tab := p.Catalog.Tables[0]
	var cols []string
	for _, c := range tab.Columns {
		s := c.Name + " " + c.Type.String()
		switch c.Kind {
		case ir.Computed:
			s += " AS " + ir.FormatExpr(c.Expr, nil)
		case ir.Metadata:
			s += " METADATA FROM '" + c.MetadataKey + "'"
			if c.Virtual {
				s += " VIRTUAL"
			}
		}
		cols = append(cols, s)
	}
	want := []string{
		"id BIGINT NOT NULL",
		"name STRING",
		"code CHAR(1)",
		"bin BINARY(4)",
		"vb BYTES",
		"amount DECIMAL(10, 0)",
		"t TIME(0)",
		"ts TIMESTAMP(6)",
		"ltz TIMESTAMP_LTZ(3)",
		"tags ARRAY<STRING NOT NULL>",
		"attrs MAP<STRING, BIGINT>",
		"bag MULTISET<INT>",
		"person ROW<`id` BIGINT, `city` STRING>",
		"off BIGINT METADATA FROM 'offset' VIRTUAL",
		"part INT METADATA FROM 'part'",
		"upper_name STRING AS UPPER($1)",
	}
	if got := strings.Join(cols, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("columns:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if !tab.Temporary || tab.Connector != "datagen" || len(tab.PrimaryKey) != 1 || tab.PrimaryKey[0] != 0 {
		t.Errorf("table: temporary %v connector %q pk %v", tab.Temporary, tab.Connector, tab.PrimaryKey)
	}
	if v, ok := tab.Option("number-of-rows"); !ok || v != "10" {
		t.Errorf("option number-of-rows = %q, %v", v, ok)
	}
	// The watermark is bound over all columns, computed ones included.
	fields := make([]ir.Field, len(tab.Columns))
	for i, c := range tab.Columns {
		fields[i] = ir.Field{Name: c.Name, Type: c.Type}
	}
	if w := tab.Watermark; w == nil || tab.Columns[w.Column].Name != "ltz" || ir.FormatExpr(w.Expr, fields) != "ltz - INTERVAL '5.000' SECOND" {
		t.Errorf("watermark %+v", tab.Watermark)
	}
	if len(p.Catalog.Views) != 1 || p.Catalog.Views[0].Columns[0].Name != "id" {
		t.Errorf("views: %+v", p.Catalog.Views)
	}
	if len(p.Catalog.Functions) != 2 {
		t.Errorf("functions: %d", len(p.Catalog.Functions))
	}
	if s := p.Catalog.Settings; len(s) != 2 || s[1].Key != "table.exec.state.ttl" || s[1].Value != "2h" {
		t.Errorf("settings: %+v", s)
	}
	if len(p.Sinks) != 0 {
		t.Errorf("sinks: %d", len(p.Sinks))
	}
}

// TestSeveralErrors: one diagnostic per failing statement, sorted by position, and no
// follow-up errors for statements that read a table whose definition failed.
func TestSeveralErrors(t *testing.T) {
	sql := `CREATE TABLE bad (x FOO) WITH ('connector' = 'print');
CREATE TABLE out_print (a STRING) WITH ('connector' = 'print'); CREATE TABLE g (a STRING) WITH ('connector' = 'datagen');
INSERT INTO out_print SELECT x FROM bad;
INSERT INTO out_print SELECT nope FROM bad2;
INSERT INTO out_print SELECT 1 + 'a' FROM g;
CREATE TABLE bad (y INT) WITH ('connector' = 'print');
`
	_, err := bind(t, sql)
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("want a diag.List, got %v", err)
	}
	var got []string
	for _, d := range list {
		got = append(got, d.Source.Position(d.Span.Start).String()+": "+d.Msg)
	}
	want := []string{
		"job.sql:1:21: unknown type FOO",
		`job.sql:4:40: unknown table "bad2"`,
		"job.sql:5:30: cannot apply '+' to arguments of type '<INT NOT NULL> + <CHAR(1) NOT NULL>'",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The printed form has the source line and a caret under the span.
	if !strings.Contains(err.Error(), "job.sql:1:21: unknown type FOO\n  CREATE TABLE bad (x FOO) WITH ('connector' = 'print');\n                      ^~~") {
		t.Errorf("printed form:\n%s", err)
	}
}

func TestNoResolver(t *testing.T) {
	src := &diag.Source{Name: "job.sql", Text: "CREATE FUNCTION f AS 'example.com/udf.F' LANGUAGE GO;"}
	script, err := parser.ParseScript(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ir.Bind(script, ir.BindOptions{})
	if err == nil || !strings.Contains(err.Error(), `job.sql:1:22: cannot resolve Go function "example.com/udf.F": no UDF resolver configured`) {
		t.Errorf("got %v", err)
	}
}
