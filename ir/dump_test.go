package ir_test

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

func TestFormatExpr(t *testing.T) {
	in := []ir.Field{{Name: "a", Type: ir.BigInt()}, {Name: "b c", Type: ir.String()}, {Name: "", Type: ir.Boolean()}}
	a := &ir.InputRef{Index: 0, T: ir.BigInt()}
	bc := &ir.InputRef{Index: 1, T: ir.String()}
	flag := &ir.InputRef{Index: 2, T: ir.Boolean()}
	one := &ir.Literal{Value: int64(1), T: ir.BigInt().NotNull()}
	call := func(op ir.Op, args ...ir.Expr) ir.Expr { return &ir.Call{Op: op, Args: args, T: ir.BigInt()} }
	tests := []struct {
		e    ir.Expr
		want string
	}{
		{a, "a"},
		{bc, "`b c`"},
		{flag, "$2"},
		{&ir.LocalRef{Index: 3}, "$e3"},
		{call(ir.OpAdd, call(ir.OpMul, a, one), one), "a * 1 + 1"},
		{call(ir.OpMul, call(ir.OpAdd, a, one), one), "(a + 1) * 1"},
		{call(ir.OpSub, a, call(ir.OpSub, a, one)), "a - (a - 1)"},
		{call(ir.OpAnd, call(ir.OpOr, flag, flag), call(ir.OpEq, a, one)), "($2 OR $2) AND a = 1"},
		{call(ir.OpNot, call(ir.OpIn, a, one, one)), "NOT (a IN (1, 1))"},
		{call(ir.OpIsNull, bc), "`b c` IS NULL"},
		{call(ir.OpLike, bc, &ir.Literal{Value: "x%", T: ir.String()}), "`b c` LIKE 'x%'"},
		{call(ir.OpMod, a, one), "MOD(a, 1)"},
		{call("UPPER", bc), "UPPER(`b c`)"},
		{&ir.Cast{X: a, T: ir.Double()}, "CAST(a AS DOUBLE)"},
		{&ir.Cast{X: a, T: ir.BigInt().NotNull()}, "CAST(a AS BIGINT NOT NULL)"},
		{&ir.Cast{X: bc, T: ir.Int(), Try: true}, "TRY_CAST(`b c` AS INT)"},
		{&ir.Case{Whens: []ir.When{{Cond: flag, Then: one}}, Else: &ir.Literal{T: ir.BigInt()}, T: ir.BigInt()}, "CASE WHEN $2 THEN 1 ELSE null:BIGINT END"},
		{&ir.Literal{Value: "it's", T: ir.String()}, "'it''s'"},
		{&ir.Literal{Value: "1.50", T: ir.Decimal(3, 2)}, "1.50"},
		{&ir.Literal{Value: 1.5, T: ir.Double()}, "1.5E0"},
		{&ir.Literal{Value: true, T: ir.Boolean()}, "TRUE"},
		{&ir.Literal{Value: int64(18262), T: ir.Type{Kind: ir.KindDate}}, "DATE '2020-01-01'"},
		{&ir.Literal{Value: int64(-1500), T: ir.Type{Kind: ir.KindIntervalDayTime}}, "INTERVAL '-1.500' SECOND"},
		{&ir.Literal{Value: "2020-01-01 00:00:00", T: ir.Timestamp(0)}, "TIMESTAMP '2020-01-01 00:00:00'"},
		{&ir.Literal{Value: []byte{0xab, 1}, T: ir.Bytes()}, "X'AB01'"},
		{&ir.FieldAccess{X: a, Name: "id", T: ir.BigInt()}, "a.id"},
	}
	for i, tc := range tests {
		if got := ir.FormatExpr(tc.e, in); got != tc.want {
			t.Errorf("%d: got %s, want %s", i, got, tc.want)
		}
	}
}

func TestDumpProgram(t *testing.T) {
	p := mustBind(t, cdnDDL+cdnInsert)
	sink := p.Sinks[0]
	final := sink.Input.(*ir.Calc)
	post := final.Input.(*ir.Calc)
	agg := post.Input.(*ir.Aggregate)
	pre := agg.Input.(*ir.Calc)
	sub := pre.Input.(*ir.Calc)
	scan := sub.Input.(*ir.Scan)
	prog := &ir.Program{Plan: p, Pipelines: []*ir.Pipeline{
		{ID: 1, Source: scan, Calcs: []*ir.Calc{sub, pre}, Sink: agg},
		{ID: 2, Source: agg, Calcs: []*ir.Calc{post, final}, Sink: sink},
	}}
	want := dedent(`
		Pipeline 1: Scan(cdn_access_log) -> Calc -> Calc -> Aggregate
		  Scan(table=[cdn_access_log], fields=[uuid, client_ip, request_time, response_size], changelogMode=[I])
		  Calc(select=[uuid, ip_to_province(client_ip) AS province, response_size, request_time], types=[STRING, STRING, BIGINT, BIGINT], changelogMode=[I])
		  Calc(select=[province, uuid, response_size, request_time], types=[STRING, STRING, BIGINT, BIGINT], changelogMode=[I])
		  Aggregate(groupBy=[province], select=[province, COUNT(uuid) AS access_count, SUM(response_size) AS total_download, SUM(response_size) AS $f3, SUM(request_time) AS $f4], types=[STRING, BIGINT NOT NULL, BIGINT, BIGINT, BIGINT], changelogMode=[I,UB,UA])

		Pipeline 2: Aggregate(emit) -> Calc -> Calc -> Sink(cdn_access_statistic)
		  emit Aggregate(groupBy=[province], select=[province, COUNT(uuid) AS access_count, SUM(response_size) AS total_download, SUM(response_size) AS $f3, SUM(request_time) AS $f4], types=[STRING, BIGINT NOT NULL, BIGINT, BIGINT, BIGINT], changelogMode=[I,UB,UA])
		  Calc(select=[province, access_count, total_download, CAST($f3 AS DECIMAL(19, 0)) * 1.0 / CAST($f4 AS DECIMAL(19, 0)) AS download_speed], types=[STRING, BIGINT NOT NULL, BIGINT, DECIMAL(38, 18)], changelogMode=[I,UB,UA])
		  Calc(select=[province, access_count, total_download, CAST(download_speed AS DOUBLE) AS download_speed], types=[STRING, BIGINT NOT NULL, BIGINT, DOUBLE], changelogMode=[I,UB,UA])
		  Sink(table=[cdn_access_statistic], fields=[province, access_count, total_download, download_speed], upsertKey=[province], changelogMode=[I,UB,UA])
	`)
	if got := ir.DumpProgram(prog); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
