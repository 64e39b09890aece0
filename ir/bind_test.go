package ir_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// fakeResolver knows a few Go functions of example.com/udf.
type fakeResolver struct{}

func (fakeResolver) Resolve(importPath, goName string) (*ir.Function, error) {
	if importPath != "example.com/udf" {
		return nil, fmt.Errorf("cannot load package %q", importPath)
	}
	str := ir.String().NotNull()
	switch goName {
	case "IPToProvince":
		return &ir.Function{ImportPath: importPath, GoName: goName,
			Params: []ir.Param{{Name: "ip", Type: str, GoType: "string"}},
			Result: str, ResultGo: "string", Deterministic: true}, nil
	case "Plus":
		return &ir.Function{ImportPath: importPath, GoName: goName,
			Params: []ir.Param{{Name: "a", Type: ir.BigInt().NotNull(), GoType: "int64"}, {Name: "b", Type: ir.BigInt(), GoType: "*int64", Pointer: true}},
			Result: ir.BigInt(), ResultGo: "*int64", ResultPointer: true, ReturnsError: true}, nil
	case "Join":
		return &ir.Function{ImportPath: importPath, GoName: goName, Variadic: true,
			Params: []ir.Param{{Name: "sep", Type: str, GoType: "string"}, {Name: "parts", Type: str, GoType: "...string"}},
			Result: str, ResultGo: "string"}, nil
	}
	return nil, fmt.Errorf("function %s not found in package %s", goName, importPath)
}

const cdnDDL = `
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = '/tmp/access.csv',
  'format' = 'csv'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:sqlite:/tmp/out.db',
  'table-name' = 'cdn_access_statistic'
);

CREATE FUNCTION ip_to_province AS 'example.com/udf.IPToProvince' LANGUAGE GO;
`

const cdnInsert = `
INSERT INTO cdn_access_statistic
SELECT province,
       COUNT(uuid) AS access_count,
       SUM(response_size) AS total_download,
       SUM(response_size) * 1.0 / SUM(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;
`

func bind(t *testing.T, sql string) (*ir.Plan, error) {
	t.Helper()
	src := &diag.Source{Name: "job.sql", Text: sql}
	script, err := parser.ParseScript(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return ir.Bind(script, ir.BindOptions{Resolver: fakeResolver{}})
}

func mustBind(t *testing.T, sql string) *ir.Plan {
	t.Helper()
	p, err := bind(t, sql)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return p
}

func TestCDN(t *testing.T) {
	p := mustBind(t, cdnDDL+cdnInsert)
	got := ir.DumpPlan(p)
	t.Log("\n" + got)
	if !strings.Contains(got, "DECIMAL(38, 18)") {
		t.Errorf("download_speed is not DECIMAL(38, 18):\n%s", got)
	}
}
