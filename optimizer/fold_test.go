package optimizer

import (
	"math"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

func TestFoldExpr(t *testing.T) {
	i := nn(ir.Int())
	bo := nn(ir.Boolean())
	x := ref(0, ir.Boolean())     // a nullable boolean column
	y := ref(1, nn(ir.Boolean())) // a NOT NULL boolean column
	n := ref(2, ir.Int())         // a nullable INT column
	s := ref(3, ir.String())      // a nullable STRING column
	k := ref(4, i)                // a NOT NULL INT column
	_, _, fn := cdnTables()       // ip_to_province, deterministic
	udf := &ir.UDFCall{Fn: fn, Args: []ir.Expr{s}, T: ir.String()}
	udfEq := callN(ir.OpEq, ir.Boolean(), udf, strLit("x"))
	failing := callN(ir.OpEq, ir.Boolean(), callN(ir.OpDiv, ir.Int(), intLit(1), n), intLit(1))

	tests := []struct {
		name string
		in   ir.Expr
		want string
	}{
		{"add", call(ir.OpAdd, i, intLit(1), intLit(2)), "3"},
		{"int overflow wraps like Java", call(ir.OpAdd, i, intLit(2147483647), intLit(1)), "-2147483648"},
		{"bigint arithmetic", call(ir.OpMul, nn(ir.BigInt()), bigLit(1<<40), intLit(3)), "3298534883328"},
		{"integer division truncates", call(ir.OpDiv, i, intLit(-7), intLit(2)), "-3"},
		{"mod sign follows dividend", call(ir.OpMod, i, intLit(-7), intLit(3)), "-1"},
		{"division by zero left for the runtime", call(ir.OpDiv, i, intLit(1), intLit(0)), "(1 / 0)"},
		{"mod by zero left for the runtime", call(ir.OpMod, i, intLit(1), intLit(0)), "(1 MOD 0)"},
		{"neg", call(ir.OpNeg, i, intLit(5)), "-5"},
		{"nested", call(ir.OpMul, i, call(ir.OpAdd, i, intLit(1), intLit(2)), intLit(4)), "12"},
		{"null operand", call(ir.OpAdd, ir.Int(), intLit(1), nullLit(ir.Int())), "NULL"},
		{"decimal times int", call(ir.OpMul, nn(ir.Decimal(13, 1)), decLit("1.0", 2, 1), intLit(3)), "3.0"},
		{"decimal add rescales", call(ir.OpAdd, nn(ir.Decimal(4, 2)), decLit("1.5", 2, 1), decLit("0.25", 3, 2)), "1.75"},
		{"decimal divide half up", call(ir.OpDiv, nn(ir.Decimal(13, 12)), decLit("2.0", 2, 1), intLit(3)), "0.666666666667"},
		{"decimal divide negative", call(ir.OpDiv, nn(ir.Decimal(13, 12)), decLit("-2.0", 2, 1), intLit(3)), "-0.666666666667"},
		{"decimal divide exact", call(ir.OpDiv, nn(ir.Decimal(8, 6)), decLit("1.0", 2, 1), intLit(4)), "0.250000"},
		{"decimal overflow left for the runtime", call(ir.OpMul, nn(ir.Decimal(3, 1)), decLit("99.9", 3, 1), decLit("99.9", 3, 1)), "(99.9 * 99.9)"},
		{"decimal division by zero", call(ir.OpDiv, nn(ir.Decimal(13, 12)), decLit("1.0", 2, 1), intLit(0)), "(1.0 / 0)"},
		{"double", call(ir.OpDiv, nn(ir.Double()), &ir.Literal{Value: 1.0, T: nn(ir.Double())}, intLit(4)), "0.25"},
		{"lt", call(ir.OpLt, bo, intLit(1), intLit(2)), "TRUE"},
		{"int vs decimal", call(ir.OpEq, bo, intLit(1), decLit("1.00", 3, 2)), "TRUE"},
		{"string eq", call(ir.OpEq, bo, strLit("a"), strLit("b")), "FALSE"},
		{"string order is bytewise", call(ir.OpLt, bo, strLit("B"), strLit("a")), "TRUE"},
		{"null comparison", call(ir.OpEq, ir.Boolean(), nullLit(ir.Int()), intLit(1)), "NULL"},
		{"true and null", call(ir.OpAnd, ir.Boolean(), boolL(true), nullLit(ir.Boolean())), "NULL"},
		{"false and null", call(ir.OpAnd, ir.Boolean(), boolL(false), nullLit(ir.Boolean())), "FALSE"},
		{"null or true", call(ir.OpOr, ir.Boolean(), nullLit(ir.Boolean()), boolL(true)), "TRUE"},
		{"null or false", call(ir.OpOr, ir.Boolean(), nullLit(ir.Boolean()), boolL(false)), "NULL"},
		{"x and true", callN(ir.OpAnd, ir.Boolean(), x, boolL(true)), "$0"},
		{"x or false", callN(ir.OpOr, ir.Boolean(), x, boolL(false)), "$0"},
		{"x and false", callN(ir.OpAnd, ir.Boolean(), x, boolL(false)), "FALSE"},
		{"x or true", callN(ir.OpOr, ir.Boolean(), x, boolL(true)), "TRUE"},
		{"x and null stays", callN(ir.OpAnd, ir.Boolean(), x, nullLit(ir.Boolean())), "($0 AND NULL)"},
		{"failing operand keeps the and", callN(ir.OpAnd, ir.Boolean(), failing, boolL(false)), "(((1 / $2) = 1) AND FALSE)"},
		{"udf operand keeps the or", callN(ir.OpOr, ir.Boolean(), udfEq, boolL(true)), "((ip_to_province($3) = 'x') OR TRUE)"},
		{"udf and true", callN(ir.OpAnd, ir.Boolean(), udfEq, boolL(true)), "(ip_to_province($3) = 'x')"},
		{"not not", call(ir.OpNot, ir.Boolean(), call(ir.OpNot, ir.Boolean(), x)), "$0"},
		{"not literal", call(ir.OpNot, bo, boolL(true)), "FALSE"},
		{"not null", call(ir.OpNot, ir.Boolean(), nullLit(ir.Boolean())), "NULL"},
		{"is null", call(ir.OpIsNull, bo, nullLit(ir.Int())), "TRUE"},
		{"is not null", call(ir.OpIsNotNull, bo, intLit(1)), "TRUE"},
		{"not null column is not null", call(ir.OpIsNull, bo, y), "FALSE"},
		{"nullable column stays", call(ir.OpIsNull, bo, n), "IS NULL($2)"},
		{"is true of null", call(ir.OpIsTrue, bo, nullLit(ir.Boolean())), "FALSE"},
		{"is false", call(ir.OpIsFalse, bo, boolL(false)), "TRUE"},
		{"concat", call(ir.OpConcat, nn(ir.Type{Kind: ir.KindVarchar, Length: 2}), strLit("a"), strLit("b")), "'ab'"},
		{"concat null", call(ir.OpConcat, ir.String(), strLit("a"), nullLit(ir.String())), "NULL"},
		{"in", call(ir.OpIn, bo, intLit(2), intLit(1), intLit(2)), "TRUE"},
		{"in with null", call(ir.OpIn, ir.Boolean(), intLit(3), intLit(1), nullLit(ir.Int())), "NULL"},
		{"not in list", call(ir.OpIn, bo, intLit(3), intLit(1), intLit(2)), "FALSE"},
		{"cast string to int", &ir.Cast{X: strLit(" 12 "), T: i}, "12"},
		{"cast bad string left for the runtime", &ir.Cast{X: strLit("abc"), T: i}, "CAST('abc' AS INT NOT NULL)"},
		{"try_cast bad string left", &ir.Cast{X: strLit("abc"), T: ir.Int(), Try: true}, "TRY_CAST('abc' AS INT)"},
		{"cast out of range wraps like Java", &ir.Cast{X: intLit(300), T: nn(ir.Type{Kind: ir.KindTinyInt})}, "44"},
		{"cast bigint to int wraps", &ir.Cast{X: bigLit(2147483648), T: i}, "-2147483648"},
		{"cast decimal to int truncates and wraps", &ir.Cast{X: decLit("-2147483649.9", 11, 1), T: i}, "2147483647"},
		{"cast decimal beyond long wraps like longValue", &ir.Cast{X: decLit("18446744073709551617", 20, 0), T: nn(ir.BigInt())}, "1"},
		{"cast double to int saturates", &ir.Cast{X: dblLit(3e9), T: i}, "2147483647"},
		{"cast double to tinyint narrows the int", &ir.Cast{X: dblLit(3e9), T: nn(ir.Type{Kind: ir.KindTinyInt})}, "-1"},
		{"cast double to bigint saturates", &ir.Cast{X: dblLit(-1e30), T: nn(ir.BigInt())}, "-9223372036854775808"},
		{"cast NaN to int is 0", &ir.Cast{X: dblLit(math.NaN()), T: i}, "0"},
		{"tinyint add wraps", call(ir.OpAdd, nn(ir.Type{Kind: ir.KindTinyInt}), tinyLit(127), tinyLit(1)), "-128"},
		{"smallint mul wraps", call(ir.OpMul, nn(ir.Type{Kind: ir.KindSmallInt}), smallLit(300), smallLit(300)), "24464"},
		{"bigint mul wraps", call(ir.OpMul, nn(ir.BigInt()), bigLit(3000000000), bigLit(10000000000)), "-6893488147419103232"},
		{"bigint neg of min wraps", call(ir.OpNeg, nn(ir.BigInt()), bigLit(math.MinInt64)), "-9223372036854775808"},
		{"abs of min int stays negative", call("ABS", i, intLit(math.MinInt32)), "-2147483648"},
		{"abs", call("ABS", i, intLit(-5)), "5"},
		{"abs decimal", call("ABS", nn(ir.Decimal(3, 1)), decLit("-1.5", 3, 1)), "1.5"},
		{"bigint mod int does not narrow the dividend", call(ir.OpMod, i, bigLit(909297273838), intLit(73495)), "9503"},
		{"bigint mod int, negative dividend", call(ir.OpMod, i, bigLit(-909297273838), intLit(-73495)), "-9503"},
		{"decimal(p,0) mod int", call(ir.OpMod, i, decLit("909297273838", 12, 0), intLit(73495)), "9503"},
		{"decimal mod", call(ir.OpMod, nn(ir.Decimal(4, 3)), decLit("-12.345", 5, 3), decLit("1.5", 2, 1)), "-0.345"},
		{"int mod decimal", call(ir.OpMod, nn(ir.Decimal(3, 1)), intLit(7), decLit("2.5", 2, 1)), "2.0"},
		{"decimal mod by zero left for the runtime", call(ir.OpMod, nn(ir.Decimal(2, 1)), decLit("1.0", 2, 1), decLit("0.0", 2, 1)), "(1.0 MOD 0.0)"},
		{"cast out of range narrows like Java", &ir.Cast{X: intLit(300), T: nn(ir.Type{Kind: ir.KindTinyInt})}, "44"},
		{"cast decimal beyond bigint keeps the low 64 bits", &ir.Cast{X: decLit("99999999990000000000.00", 22, 2), T: nn(ir.BigInt())}, "7766279621452241920"},
		{"cast negative decimal beyond bigint", &ir.Cast{X: decLit("-99999999990000000000.99", 22, 2), T: nn(ir.BigInt())}, "-7766279621452241920"},
		{"cast decimal to int narrows the long", &ir.Cast{X: decLit("3000000000.9", 11, 1), T: i}, "-1294967296"},
		{"cast double to bigint saturates", &ir.Cast{X: dblLit(1e19), T: nn(ir.BigInt())}, "9223372036854775807"},
		{"cast double to int saturates", &ir.Cast{X: dblLit(-1e10), T: i}, "-2147483648"},
		{"cast double to smallint saturates to int first", &ir.Cast{X: dblLit(1e10), T: nn(ir.Type{Kind: ir.KindSmallInt})}, "-1"},
		{"cast double to tinyint narrows", &ir.Cast{X: dblLit(300.7), T: nn(ir.Type{Kind: ir.KindTinyInt})}, "44"},
		{"cast NaN to int", &ir.Cast{X: dblLit(math.NaN()), T: i}, "0"},
		{"cast -Inf to bigint", &ir.Cast{X: dblLit(math.Inf(-1)), T: nn(ir.BigInt())}, "-9223372036854775808"},
		{"cast decimal to int rounds down", &ir.Cast{X: decLit("-1.5", 2, 1), T: i}, "-1"},
		{"cast int to decimal", &ir.Cast{X: intLit(7), T: nn(ir.Decimal(5, 2))}, "7.00"},
		{"cast decimal half up", &ir.Cast{X: decLit("2.5", 2, 1), T: nn(ir.Decimal(2, 0))}, "3"},
		{"cast negative decimal half up", &ir.Cast{X: decLit("-2.5", 2, 1), T: nn(ir.Decimal(2, 0))}, "-3"},
		{"cast int to string", &ir.Cast{X: intLit(12), T: nn(ir.String())}, "'12'"},
		{"cast decimal to string", &ir.Cast{X: decLit("1.50", 3, 2), T: nn(ir.String())}, "'1.50'"},
		{"cast string to decimal", &ir.Cast{X: strLit("1.255"), T: nn(ir.Decimal(4, 2))}, "1.26"},
		{"cast null", &ir.Cast{X: nullLit(ir.String()), T: ir.Int()}, "NULL"},
		{"cast to same type vanishes", &ir.Cast{X: n, T: ir.Int()}, "$2"},
		{"nullable cast under a not-null cast vanishes", &ir.Cast{X: &ir.Cast{X: k, T: ir.Int()}, T: i}, "$4"},
		{"nullable cast under a widening cast", &ir.Cast{X: &ir.Cast{X: k, T: ir.Int()}, T: ir.BigInt()}, "CAST($4 AS BIGINT)"},
		{"nullable cast under a try_cast", &ir.Cast{X: &ir.Cast{X: k, T: ir.Int()}, T: ir.String(), Try: true}, "TRY_CAST($4 AS STRING)"},
		{"not-null cast under a cast stays", &ir.Cast{X: &ir.Cast{X: n, T: i}, T: ir.Int()}, "CAST(CAST($2 AS INT NOT NULL) AS INT)"},
		{"widening cast under a cast stays", &ir.Cast{X: &ir.Cast{X: k, T: nn(ir.BigInt())}, T: ir.Int()}, "CAST(CAST($4 AS BIGINT NOT NULL) AS INT)"},
		{"cast string cut", &ir.Cast{X: strLit("abc"), T: nn(ir.Type{Kind: ir.KindVarchar, Length: 2})}, "'ab'"},
		{"cast string cut by code points", &ir.Cast{X: strLit("héllo"), T: nn(ir.Type{Kind: ir.KindVarchar, Length: 2})}, "'hé'"},
		{"cast string to char pads", &ir.Cast{X: strLit("ab"), T: nn(ir.Type{Kind: ir.KindChar, Length: 4})}, "'ab  '"},
		{"cast string to char cuts", &ir.Cast{X: strLit("abcdef"), T: nn(ir.Type{Kind: ir.KindChar, Length: 4})}, "'abcd'"},
		{"cast number to char pads", &ir.Cast{X: intLit(42), T: nn(ir.Type{Kind: ir.KindChar, Length: 4})}, "'42  '"},
		{"cast number to varchar cuts", &ir.Cast{X: intLit(-12345), T: nn(ir.Type{Kind: ir.KindVarchar, Length: 3})}, "'-12'"},
		{"implicit cast string too long left", &ir.Cast{X: strLit("abc"), T: nn(ir.Type{Kind: ir.KindVarchar, Length: 2}), Implicit: true}, "CAST('abc' AS VARCHAR(2) NOT NULL)"},
		{"implicit cast string fits", &ir.Cast{X: strLit("ab"), T: nn(ir.Type{Kind: ir.KindVarchar, Length: 5}), Implicit: true}, "'ab'"},
		{"cast bytes to binary pads", &ir.Cast{X: &ir.Literal{Value: []byte{}, T: nn(ir.Type{Kind: ir.KindBinary})}, T: nn(ir.Type{Kind: ir.KindBinary, Length: 2})}, "[0 0]"},
		{"cast bytes to varbinary cuts", &ir.Cast{X: &ir.Literal{Value: []byte{1, 2, 3}, T: nn(ir.Type{Kind: ir.KindBinary, Length: 3})}, T: nn(ir.Type{Kind: ir.KindVarbinary, Length: 2})}, "[1 2]"},
		{"cast string to binary is its utf-8 cut", &ir.Cast{X: strLit("é!"), T: nn(ir.Type{Kind: ir.KindBinary, Length: 1})}, "[195]"},
		{"implicit cast to char does not pad", &ir.Cast{X: strLit("ab"), T: nn(ir.Type{Kind: ir.KindChar, Length: 5}), Implicit: true}, "CAST('ab' AS CHAR(5) NOT NULL)"},
		{"case first true", &ir.Case{Whens: []ir.When{{Cond: boolL(false), Then: intLit(1)}, {Cond: boolL(true), Then: intLit(2)}}, Else: intLit(3), T: i}, "2"},
		{"case drops false arms", &ir.Case{Whens: []ir.When{{Cond: x, Then: intLit(1)}, {Cond: call(ir.OpEq, bo, intLit(1), intLit(2)), Then: intLit(2)}, {Cond: boolL(true), Then: intLit(3)}}, Else: intLit(4), T: i}, "CASE WHEN $0 THEN 1 ELSE 3 END"},
		{"case all false", &ir.Case{Whens: []ir.When{{Cond: nullLit(ir.Boolean()), Then: intLit(1)}}, Else: intLit(4), T: i}, "4"},
		{"case widens the chosen arm", &ir.Case{Whens: []ir.When{{Cond: boolL(true), Then: intLit(1)}}, Else: nullLit(ir.BigInt()), T: ir.BigInt()}, "1"},
		{"deterministic udf on literal is not folded", &ir.UDFCall{Fn: fn, Args: []ir.Expr{strLit("1.2.3.4")}, T: ir.String()}, "ip_to_province('1.2.3.4')"},
		{"column arithmetic stays", callN(ir.OpAdd, ir.Int(), n, call(ir.OpAdd, i, intLit(1), intLit(1))), "($2 + 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := ir.ExprKey(tc.in)
			got := FoldExpr(tc.in)
			if s := fmtExpr(got); s != tc.want {
				t.Errorf("FoldExpr(%s) = %s, want %s", fmtExpr(tc.in), s, tc.want)
			}
			if !got.Type().Equal(tc.in.Type()) {
				t.Errorf("type changed from %s to %s", tc.in.Type(), got.Type())
			}
			if ir.ExprKey(tc.in) != before {
				t.Errorf("FoldExpr modified its input")
			}
		})
	}
}

func TestFoldConstantsCalcCondition(t *testing.T) {
	src, _, _ := cdnTables()
	dst := &ir.Table{Name: "out", Columns: []*ir.Column{{Name: "uuid", Type: ir.String()}}}
	mk := func(cond ir.Expr) *ir.Plan {
		scan := &ir.Scan{Table: src, Columns: []int{0, 1, 2, 3, 4}}
		calc := &ir.Calc{Input: scan, Cond: cond, Exprs: []ir.Expr{ref(0, ir.String())}, Names: []string{"uuid"}}
		return &ir.Plan{Sinks: []*ir.Sink{{Input: calc, Table: dst, Columns: []int{0}}}}
	}
	bo := nn(ir.Boolean())

	p := mk(call(ir.OpEq, bo, intLit(1), intLit(1)))
	wantShow(t, FoldConstants(p), `
		Sink(out)
		  Calc(uuid := $0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	// The input plan is untouched.
	wantShow(t, p, `
		Sink(out)
		  Calc(where (1 = 1); uuid := $0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)

	wantShow(t, FoldConstants(mk(call(ir.OpEq, bo, intLit(1), intLit(2)))), `
		Sink(out)
		  Calc(where FALSE; uuid := $0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	wantShow(t, FoldConstants(mk(call(ir.OpEq, ir.Boolean(), intLit(1), nullLit(ir.Int())))), `
		Sink(out)
		  Calc(where FALSE; uuid := $0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestFoldConstantsAggregateArgs(t *testing.T) {
	src, _, _ := cdnTables()
	dst := &ir.Table{Name: "out", Columns: []*ir.Column{{Name: "n", Type: ir.BigInt()}}}
	scan := &ir.Scan{Table: src, Columns: []int{0, 1, 2, 3, 4}}
	b := ir.BigInt()
	agg := &ir.Aggregate{Input: scan, Aggs: []ir.AggCall{{
		Func: ir.AggSum, Arg: callN(ir.OpMul, b, ref(2, b), call(ir.OpAdd, nn(b), bigLit(1), bigLit(1))),
		Filter: call(ir.OpLt, nn(ir.Boolean()), intLit(0), intLit(1)), T: b, Name: "s"}}, Names: []string{"s"}}
	p := &ir.Plan{Sinks: []*ir.Sink{{Input: agg, Table: dst, Columns: []int{0}}}}
	q := FoldConstants(p)
	a := q.Sinks[0].Input.(*ir.Aggregate).Aggs[0]
	if got := fmtExpr(a.Arg); got != "($2 * 2)" {
		t.Errorf("arg = %s", got)
	}
	if a.Filter != nil {
		t.Errorf("filter TRUE kept: %s", fmtExpr(a.Filter))
	}
}
