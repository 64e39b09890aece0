package optimizer

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

func TestFoldBuiltins(t *testing.T) {
	for _, c := range []struct {
		name string
		in   ir.Expr
		want string
	}{
		{"rand with a seed is not folded", call("RAND", nn(ir.Double()), intLit(42)), "RAND(42)"},
		{"uuid is not folded", call("UUID", nn(ir.Type{Kind: ir.KindChar, Length: 36})), "UUID()"},
		{"rand of a NULL seed stays", call("RAND", ir.Double(), nullLit(ir.Int())), "RAND(NULL)"},
		{"a strict function of NULL is NULL", call("LPAD", ir.String(), nullLit(ir.String()), intLit(2), strLit("x")), "NULL"},
		{"greatest of NULL is NULL", call("GREATEST", ir.Int(), intLit(1), nullLit(ir.Int())), "NULL"},
		{"concat_ws is not strict", call("CONCAT_WS", ir.String(), strLit("-"), nullLit(ir.String())), "CONCAT_WS('-', NULL)"},
		{"ifnull is not strict", call("IFNULL", ir.Int(), nullLit(ir.Int()), intLit(1)), "(NULL IFNULL 1)"},
		{"is distinct from of NULLs is not NULL", call(ir.OpIsDistinctFrom, nn(ir.Boolean()), nullLit(ir.Int()), nullLit(ir.Int())), "(NULL IS DISTINCT FROM NULL)"},
	} {
		if got := fmtExpr(FoldExpr(c.in)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

// TestEliminateCommonSubexpressionsKeepsRandomCalls: two RAND() or UUID() calls are two
// values, never one shared Let.
func TestEliminateCommonSubexpressionsKeepsRandomCalls(t *testing.T) {
	d, u := nn(ir.Double()), nn(ir.Type{Kind: ir.KindChar, Length: 36})
	c := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{
			call("RAND", d), call("RAND", d),
			call("UUID", u), call("UUID", u),
			callN("LN", d, call("RAND", d)), callN("LN", d, call("RAND", d)),
		},
		Names: []string{"a", "b", "c", "d", "e", "f"}}
	q := EliminateCommonSubexpressions(sinkOver(c))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(a := RAND(); b := RAND(); c := UUID(); d := UUID(); e := LN(RAND()); f := LN(RAND()))
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}
