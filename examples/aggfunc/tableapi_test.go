package aggfunc

import (
	"os"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	aggudf "github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// TestTableAPI builds percentiles.sql's query with the Go Table API, registering the
// aggregate function with its Go type, and checks that it optimizes to the same plan.
func TestTableAPI(t *testing.T) {
	text, err := os.ReadFile("percentiles.sql")
	if err != nil {
		t.Fatal(err)
	}
	ddl := string(text[:strings.Index(string(text), "CREATE FUNCTION")])
	env := table.NewEnvironment(table.Options{Name: "percentiles.sql", Dir: "."})
	if err := env.ExecuteSQL(ddl); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("ip_to_province", udf.IPToProvince); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("percentile", aggudf.Percentile{}); err != nil {
		t.Fatal(err)
	}
	env.From("cdn_access_log").
		Select(table.Call("ip_to_province", table.Col("client_ip")).As("province"), table.Col("response_size")).
		GroupBy(table.Col("province")).
		Select(table.Col("province"), table.CountStar().As("requests"),
			"percentile(response_size, 0.5) AS p50",
			table.Call("percentile", table.Col("response_size"), 0.95).As("p95")).
		InsertInto("province_percentiles")
	got, err := env.Program()
	if err != nil {
		t.Fatalf("%v\nSQL:\n%s", err, env.SQL())
	}
	res, err := compiler.CompileFile("percentiles.sql", compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g, w := ir.DumpProgram(got), ir.DumpProgram(res.Program); g != w {
		t.Errorf("Table API program:\n%s\nSQL program:\n%s\nTable API SQL:\n%s", g, w, env.SQL())
	}
}
