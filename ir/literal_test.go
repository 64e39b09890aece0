package ir_test

import (
	"fmt"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// literalValue binds SELECT expr FROM t and returns the literal's value and type.
func literalValue(t *testing.T, expr string) string {
	t.Helper()
	p, err := bind(t, typesDDL+"CREATE TABLE o (x STRING) WITH ('connector' = 'print'); INSERT INTO o SELECT CAST("+expr+" AS STRING) FROM t;")
	if err != nil {
		return "error: " + firstMsg(err)
	}
	// Sink <- Calc(final) <- Calc(select) whose first expr is CAST(literal)
	sel := p.Sinks[0].Input.(*ir.Calc).Input.(*ir.Calc)
	lit, ok := sel.Exprs[0].(*ir.Cast).X.(*ir.Literal)
	if !ok {
		return fmt.Sprintf("not a literal: %T", sel.Exprs[0].(*ir.Cast).X)
	}
	return fmt.Sprintf("%#v : %s", lit.Value, lit.T)
}

func TestLiteralValues(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"42", "42 : INT NOT NULL"},
		{"-42", "-42 : INT NOT NULL"},
		{"-2147483649", "-2147483649 : BIGINT NOT NULL"},
		{"1.50", `"1.50" : DECIMAL(3, 2) NOT NULL`},
		{"-0.5", `"-0.5" : DECIMAL(1, 1) NOT NULL`},
		{".5", `"0.5" : DECIMAL(1, 1) NOT NULL`},
		{"1e3", "1000 : DOUBLE NOT NULL"},
		{"'it''s'", `"it's" : CHAR(4) NOT NULL`},
		{"'héllo'", `"héllo" : CHAR(5) NOT NULL`},
		{"X'B284'", `[]byte{0xb2, 0x84} : BINARY(2) NOT NULL`},
		{"x'0aFF'", `[]byte{0xa, 0xff} : BINARY(2) NOT NULL`},
		{"X''", `[]byte{} : BINARY(0) NOT NULL`}, // Calcite's BINARY(0), as Flink's BinaryType.ofEmptyLiteral
		{"TRUE", "true : BOOLEAN NOT NULL"},
		{"DATE '1970-01-02'", "1 : DATE NOT NULL"},
		{"DATE '1969-12-31'", "-1 : DATE NOT NULL"},
		{"TIME '01:02:03.5'", "3723500 : TIME(1) NOT NULL"},
		{"TIMESTAMP '2020-01-01 12:00:00.123456'", `"2020-01-01 12:00:00.123456" : TIMESTAMP(6) NOT NULL`},
		{"TIMESTAMP '2020-01-01'", `error: invalid TIMESTAMP literal "2020-01-01" (want 'yyyy-MM-dd HH:mm:ss[.fraction]')`},
		{"INTERVAL '10' SECOND", "10000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '1.5' SECOND", "1500 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '2' MINUTE", "120000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '1' HOUR", "3600000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '1' DAY", "86400000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '1 02:03:04.005' DAY TO SECOND", "93784005 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '01:30' HOUR TO MINUTE", "5400000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '-5' SECOND", "-5000 : INTERVAL SECOND(3) NOT NULL"},
		{"-INTERVAL '5' SECOND", "-5000 : INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '2' YEAR", "24 : INTERVAL MONTH NOT NULL"},
		{"INTERVAL '1-6' YEAR TO MONTH", "18 : INTERVAL MONTH NOT NULL"},
	}
	for _, tc := range tests {
		if got := literalValue(t, tc.expr); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.expr, got, tc.want)
		}
	}
}
