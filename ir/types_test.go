package ir_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// typesDDL declares a table with one column of most types for expression tests.
const typesDDL = `
CREATE TABLE t (
  ti TINYINT, si SMALLINT, i INT, bi BIGINT, nn BIGINT NOT NULL,
  f FLOAT, d DOUBLE, dec DECIMAL(10, 2), dec38 DECIMAL(38, 10),
  c CHAR(3), vc VARCHAR(5), s STRING, b BOOLEAN, bin BYTES,
  dt DATE, tm TIME, ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3),
  r ROW<id BIGINT NOT NULL, inner_row ROW<city STRING>>,
  arr ARRAY<INT>, m MAP<STRING, BIGINT>, ms MULTISET<STRING>
) WITH ('connector' = 'datagen');
CREATE FUNCTION ip_to_province AS 'example.com/udf.IPToProvince' LANGUAGE GO;
CREATE FUNCTION plus AS 'example.com/udf.Plus';
CREATE FUNCTION my_join AS 'example.com/udf.Join' LANGUAGE GO;
`

// exprType binds SELECT expr FROM t as a view and returns the column's type, or the
// error text.
func exprType(t *testing.T, expr string) string {
	t.Helper()
	p, err := bind(t, typesDDL+"CREATE VIEW v AS SELECT "+expr+" AS x FROM t;")
	if err != nil {
		return "error: " + firstMsg(err)
	}
	return p.Catalog.Views[0].Columns[0].Type.String()
}

// firstMsg is the message of the first diagnostic, without position and source line.
func firstMsg(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	// strip "job.sql:L:C: "
	for n := 0; n < 3; n++ {
		if i := strings.IndexByte(s, ':'); i >= 0 {
			s = s[i+1:]
		}
	}
	return strings.TrimSpace(s)
}

func TestExpressionTypes(t *testing.T) {
	tests := []struct{ expr, want string }{
		// literals
		{"1", "INT NOT NULL"},
		{"2147483647", "INT NOT NULL"},
		{"2147483648", "BIGINT NOT NULL"},
		{"-2147483648", "INT NOT NULL"},
		{"9223372036854775808", "DECIMAL(19, 0) NOT NULL"},
		{"1.0", "DECIMAL(2, 1) NOT NULL"},
		{"0.5", "DECIMAL(1, 1) NOT NULL"},
		{"123.456", "DECIMAL(6, 3) NOT NULL"},
		{"1e3", "DOUBLE NOT NULL"},
		{"'abc'", "CHAR(3) NOT NULL"},
		{"''", "CHAR(0) NOT NULL"},
		{"TRUE", "BOOLEAN NOT NULL"},
		{"DATE '2020-01-02'", "DATE NOT NULL"},
		{"TIME '12:00:01'", "TIME(0) NOT NULL"},
		{"TIMESTAMP '2020-01-01 12:00:00'", "TIMESTAMP(0) NOT NULL"},
		{"TIMESTAMP '2020-01-01 12:00:00.123'", "TIMESTAMP(3) NOT NULL"},
		{"INTERVAL '10' SECOND", "INTERVAL SECOND(3) NOT NULL"},
		{"INTERVAL '1' MONTH", "INTERVAL MONTH NOT NULL"},
		// ROW constructors: fields EXPR$0, ...; the row is never NULL, its fields may be
		{"ROW(1, i)", "ROW<`EXPR$0` INT NOT NULL, `EXPR$1` INT> NOT NULL"},
		{"(1, 'a')", "ROW<`EXPR$0` INT NOT NULL, `EXPR$1` CHAR(1) NOT NULL> NOT NULL"},
		{"ROW(i, 2).`EXPR$0`", "INT"},
		// arithmetic
		{"i + i", "INT"},
		{"i / i", "INT"},
		{"ti + si", "SMALLINT"},
		{"i + bi", "BIGINT"},
		{"nn + 1", "BIGINT NOT NULL"},
		{"i * 1.0", "DECIMAL(12, 1)"},
		{"bi * 1.0", "DECIMAL(21, 1)"},
		{"bi * 1.0 / bi", "DECIMAL(38, 18)"},
		{"dec + dec", "DECIMAL(11, 2)"},
		{"dec - i", "DECIMAL(13, 2)"},
		{"dec * dec", "DECIMAL(20, 4)"},
		{"dec / dec", "DECIMAL(23, 13)"},
		{"dec38 * dec38", "DECIMAL(38, 6)"},
		{"dec38 + dec38", "DECIMAL(38, 9)"},
		{"dec % 3", "DECIMAL(10, 2)"},
		{"bi % i", "INT"},
		{"MOD(bi, 7)", "INT"},
		{"i + d", "DOUBLE"},
		{"i + f", "FLOAT"},
		{"dec + f", "DOUBLE"},
		{"-i", "INT"},
		{"ts + INTERVAL '1' SECOND", "TIMESTAMP(3)"},
		{"ts - INTERVAL '1' MONTH", "TIMESTAMP(3)"},
		{"dt + INTERVAL '1' MONTH", "DATE"},
		// comparison and logic
		{"i = bi", "BOOLEAN"},
		{"nn = 1", "BOOLEAN NOT NULL"},
		{"s = 'x'", "BOOLEAN"},
		{"dec > 1", "BOOLEAN"},
		{"b AND TRUE", "BOOLEAN"},
		{"NOT b", "BOOLEAN"},
		{"i IS NULL", "BOOLEAN NOT NULL"},
		{"b IS NOT TRUE", "BOOLEAN NOT NULL"},
		{"i IN (1, 2, 3)", "BOOLEAN"},
		{"nn NOT IN (1, 2)", "BOOLEAN NOT NULL"},
		{"i BETWEEN 1 AND 10", "BOOLEAN"},
		{"i NOT BETWEEN SYMMETRIC 10 AND 1", "BOOLEAN"},
		{"s LIKE 'a%'", "BOOLEAN"},
		{"s NOT LIKE 'a!%' ESCAPE '!'", "BOOLEAN"},
		{"c || vc", "VARCHAR(8)"},
		{"'ab' || 'c'", "CHAR(3) NOT NULL"},
		{"s || 'x'", "STRING"},
		// CAST, CASE, functions
		{"CAST(s AS INT)", "INT"},
		{"CAST(nn AS STRING)", "STRING NOT NULL"},
		{"TRY_CAST('1' AS INT)", "INT"},
		{"CAST(dec AS DOUBLE)", "DOUBLE"},
		{"CAST(bin AS STRING)", "STRING"},
		{"CAST(X'C3A9' AS VARCHAR(3))", "VARCHAR(3) NOT NULL"},
		{"X'B284'", "BINARY(2) NOT NULL"},
		{"X''", "BINARY(0) NOT NULL"},
		{"COALESCE(bin, X'0AFF')", "BYTES NOT NULL"},
		{"CASE WHEN b THEN X'0A' ELSE X'0AFF' END", "VARBINARY(2) NOT NULL"},
		{"CASE WHEN b THEN 'a' ELSE 'bc' END", "VARCHAR(2) NOT NULL"},
		{"CASE WHEN b THEN 1 END", "INT"},
		{"CASE i WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", "VARCHAR(4) NOT NULL"},
		{"CASE WHEN b THEN i ELSE dec END", "DECIMAL(12, 2)"},
		{"CASE WHEN b THEN d ELSE dec END", "DOUBLE"},
		{"IF(b, 1, 2)", "INT NOT NULL"},
		{"NULLIF(i, 0)", "INT"},
		{"COALESCE(i, 0)", "INT NOT NULL"},
		{"COALESCE(i, bi)", "BIGINT"},
		{"UPPER(s)", "STRING"},
		{"lower(c)", "CHAR(3)"},
		{"CHAR_LENGTH(s)", "INT"},
		{"SUBSTRING(vc, 2)", "VARCHAR(5)"},
		{"SUBSTRING(s FROM 1 FOR 2)", "STRING"},
		{"TRIM(s)", "STRING"},
		{"TRIM(LEADING 'x' FROM vc)", "VARCHAR(5)"},
		{"CONCAT(vc, c, 'x')", "VARCHAR(9)"},
		{"ABS(dec)", "DECIMAL(10, 2)"},
		{"FLOOR(dec)", "DECIMAL(10, 0)"}, // Calcite's ARG0_OR_EXACT_NO_SCALE
		{"CEIL(d)", "DOUBLE"},
		{"ROUND(dec, 1)", "DECIMAL(10, 1)"},
		{"ROUND(d)", "DOUBLE"},
		{"TO_TIMESTAMP(s)", "TIMESTAMP(3)"},
		// Flink's built-ins, part 1
		{"i IS DISTINCT FROM bi", "BOOLEAN NOT NULL"},
		{"i IS NOT DISTINCT FROM dec", "BOOLEAN NOT NULL"},
		{"s SIMILAR TO 'a%'", "BOOLEAN"},
		{"CAST(nn AS STRING) NOT SIMILAR TO 'a!%' ESCAPE '!'", "BOOLEAN NOT NULL"},
		{"POWER(i, 2)", "DOUBLE"},
		{"POWER(2, 0.5)", "DOUBLE NOT NULL"},
		{"SQRT(dec)", "DOUBLE"},
		{"LOG(2, 8)", "DOUBLE NOT NULL"},
		{"LN(d) + LOG10(f) + LOG2(bi) + EXP(i)", "DOUBLE"},
		{"TRUNCATE(dec, 1)", "DECIMAL(10, 1)"},
		{"TRUNCATE(dec, -1)", "DECIMAL(9, 0)"},
		{"TRUNCATE(dec)", "DECIMAL(9, 0)"},
		{"TRUNCATE(d, i)", "DOUBLE"},
		{"TRUNCATE(nn, 2)", "BIGINT NOT NULL"},
		{"RAND()", "DOUBLE NOT NULL"},
		{"RAND(i)", "DOUBLE"},
		{"RAND_INTEGER(10)", "INT NOT NULL"},
		{"RAND_INTEGER(1, i)", "INT"},
		{"UUID()", "CHAR(36) NOT NULL"},
		// the clocks (Flink's FlinkSqlOperatorTable / BuiltInFunctionDefinitions)
		{"CURRENT_TIMESTAMP", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"NOW()", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"CURRENT_ROW_TIMESTAMP()", "TIMESTAMP_LTZ(3) NOT NULL"},
		{"LOCALTIMESTAMP", "TIMESTAMP(3) NOT NULL"},
		{"CURRENT_DATE", "DATE NOT NULL"},
		{"CURRENT_TIME", "TIME(0) NOT NULL"},
		{"LOCALTIME", "TIME(0) NOT NULL"},
		{"UNIX_TIMESTAMP()", "BIGINT NOT NULL"},
		{"CONCAT_WS('-', s, c)", "STRING"},
		{"CONCAT_WS('-', 'a')", "STRING NOT NULL"},
		{"REPLACE(s, 'a', 'b')", "STRING"},
		{"REGEXP(s, 'a+')", "BOOLEAN"},
		{"REGEXP_REPLACE('ab', 'a', 'b')", "STRING NOT NULL"},
		{"REGEXP_REPLACE('ab', s, 'b')", "STRING"}, // a pattern Java rejects is NULL
		{"REGEXP_EXTRACT('ab', 'a')", "STRING"},
		{"SPLIT_INDEX(s, ',', 1)", "STRING"},
		{"SPLIT_INDEX('a,b', 44, 1)", "STRING"},
		{"LPAD('a', 2, 'x')", "STRING NOT NULL"},
		{"RPAD('a', i, 'x')", "STRING"},
		{"LPAD('a', -1, 'x')", "STRING"},
		{"POSITION('a' IN s)", "INT"},
		{"LOCATE('a', 'b', 2)", "INT NOT NULL"},
		{"INSTR(s, 'a', 1, 2)", "INT"},
		{"INITCAP(vc)", "VARCHAR(5)"},
		{"LEFT(vc, 2)", "VARCHAR(5)"},
		{"RIGHT('abc', 2)", "VARCHAR(3)"},
		{"REVERSE('ab')", "STRING"},
		{"REPEAT(c, 2)", "STRING"},
		{"PARSE_URL(s, 'HOST')", "STRING"},
		{"TO_BASE64('a')", "STRING NOT NULL"},
		{"FROM_BASE64(s)", "STRING"},
		{"MD5('a')", "CHAR(32) NOT NULL"},
		{"SHA1(s)", "CHAR(40)"},
		{"SHA256(s)", "CHAR(64)"},
		{"ASCII('a')", "INT NOT NULL"},
		{"CHR(97)", "STRING"},
		{"GREATEST(i, bi, 1)", "BIGINT"},
		{"LEAST(1, 2.5)", "DECIMAL(11, 1) NOT NULL"},
		{"GREATEST(c, vc)", "VARCHAR(5)"},
		{"IFNULL(i, 0)", "INT NOT NULL"},
		{"IFNULL(nn, i)", "BIGINT"},
		{"IFNULL(s, NULL)", "STRING"},
		{"DATE_FORMAT(ts, 'yyyy-MM-dd')", "STRING"},
		// nested fields
		{"r.id", "BIGINT"},
		{"t.r.inner_row.city", "STRING"},
		{"`r`.`inner_row`", "ROW<`city` STRING>"},
		// UDFs
		{"ip_to_province(s)", "STRING"},
		{"ip_to_province('1.2.3.4')", "STRING NOT NULL"},
		{"IP_TO_PROVINCE(c)", "STRING"},
		{"plus(nn, bi)", "BIGINT"},
		{"plus(nn, i)", "BIGINT"},
		{"plus(1, NULL)", "BIGINT"},
		{"my_join('-', 'a', 'b', 'c')", "STRING NOT NULL"},
		{"my_join('-')", "STRING NOT NULL"},
	}
	for _, tc := range tests {
		if got := exprType(t, tc.expr); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestExpressionErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"'a' + 1", "cannot apply '+' to arguments of type '<CHAR(1) NOT NULL> + <INT NOT NULL>'"},
		{"s = 1", "cannot apply '=' to arguments of type '<STRING> = <INT NOT NULL>'"},
		{"d % 2", "cannot apply '%' to arguments of type '<DOUBLE> % <INT NOT NULL>'"},
		{"b + 1", "cannot apply '+' to arguments of type '<BOOLEAN> + <INT NOT NULL>'"},
		{"NOT i", "cannot apply 'NOT' to an argument of type INT; it needs BOOLEAN"},
		{"i AND b", "cannot apply 'AND' to an argument of type INT; it needs BOOLEAN"},
		{"s || 1", "cannot apply '||' to arguments of type '<STRING> || <INT NOT NULL>'"},
		{"i LIKE 'x'", "cannot apply 'LIKE' to arguments of type '<INT> LIKE <CHAR(1) NOT NULL>'"},
		{"i IN ('a', 'b')", "values passed to IN must have compatible types, got INT, CHAR(1) NOT NULL, CHAR(1) NOT NULL"},
		{"CASE WHEN b THEN 1 ELSE 'x' END", "the results of CASE have incompatible types INT NOT NULL, CHAR(1) NOT NULL"},
		{"CASE WHEN i THEN 1 END", "cannot apply 'WHEN' to an argument of type INT; it needs BOOLEAN"},
		{"CAST(b AS DATE)", "cannot cast BOOLEAN to DATE"},
		{"CAST(arr AS STRING)", "cannot cast ARRAY<INT> to STRING"},
		{"CAST(i AS DECIMAL(40, 2))", "decimal precision must be between 1 and 38 (both inclusive), got 40"},
		{"CAST(i AS FOO)", "unknown type FOO"},
		{"clientip", `unknown column "clientip"`},
		{"nme", `unknown column "nme"`},
		{"vcc", `unknown column "vcc"; did you mean "vc"?`},
		{"r.nope", `unknown field "nope" of ROW<` + "`id` BIGINT NOT NULL, `inner_row` ROW<`city` STRING>>"},
		{"i.x", "cannot access field \"x\" of a value of type INT"},
		{"t.nope", `unknown column "nope" in table "t"`},
		{"foo(i)", `unknown function "foo"`},
		{"uper(s)", `unknown function "uper"; did you mean "UPPER"?`},
		{"UPPER(i)", "cannot apply UPPER to arguments of type INT"},
		{"SUBSTRING(s, 'a')", "cannot apply SUBSTRING to arguments of type STRING, CHAR(1) NOT NULL"},
		{"ROUND(d, i)", "the second argument of ROUND must be an integer literal"},
		{"UPPER(s, s)", "function UPPER takes 1 argument(s), got 2"},
		{"ip_to_province(i)", "argument 1 of ip_to_province has type INT, which does not convert to STRING (Go parameter string of func IPToProvince(ip string) string in example.com/udf)"},
		{"ip_to_province(s, s)", "function ip_to_province takes 1 argument(s), got 2 (Go: func IPToProvince(ip string) string in example.com/udf)"},
		{"plus(d, 1)", "argument 1 of plus has type DOUBLE, which does not convert to BIGINT (Go parameter int64 of func Plus(a int64, b *int64) (*int64, error) in example.com/udf)"},
		{"my_join()", "function my_join takes at least 1 argument(s), got 0 (Go: func Join(sep string, parts ...string) string in example.com/udf)"},
		{"my_join('-', 1)", "argument 2 of my_join has type INT NOT NULL, which does not convert to STRING (Go parameter ...string of func Join(sep string, parts ...string) string in example.com/udf)"},
		{"NOW(1)", "function NOW takes 0 argument(s), got 1"},
		{"CURRENT_WATERMARK(ts)", "the argument of CURRENT_WATERMARK must be a rowtime attribute, but is of type TIMESTAMP(3)"},
		{"CURRENT_WATERMARK()", "function CURRENT_WATERMARK takes 1 argument(s), got 0"},
		{"COUNT(*) OVER (PARTITION BY s)", "OVER windows are not supported yet"},
		{"i IN (SELECT i FROM t)", "IN (subquery) is not supported yet"},
		{"EXISTS (SELECT i FROM t)", "EXISTS subqueries are not supported yet"},
		{"arr[1]", "element access x[i] is not supported yet"},
		{"ARRAY[1, 2]", "ARRAY constructors are not supported yet"},
		{"ROW(NULL)", "a ROW field cannot be an untyped NULL; write CAST(NULL AS type)"},
		{"i SIMILAR TO 'a'", "cannot apply 'SIMILAR TO' to arguments of type '<INT> SIMILAR TO <CHAR(1) NOT NULL>'"},
		{"s SIMILAR TO 'a' ESCAPE s", "the ESCAPE of SIMILAR TO must be a string literal of one character"},
		{"i IS DISTINCT FROM s", "cannot apply 'IS DISTINCT FROM' to arguments of type '<INT> IS DISTINCT FROM <STRING>'"},
		{"POWER(s, 2)", "cannot apply POWER to arguments of type STRING, INT NOT NULL"},
		{"LOG(1, 2, 3)", "function LOG takes 1 to 2 argument(s), got 3"},
		{"TRUNCATE(dec, i)", "the second argument of TRUNCATE of a DECIMAL must be an integer literal"},
		{"UUID(1)", "function UUID takes 0 argument(s), got 1"},
		{"LPAD(s, 's', 'x')", "cannot apply LPAD to arguments of type STRING, CHAR(1) NOT NULL, CHAR(1) NOT NULL"},
		{"GREATEST(i, s)", "cannot apply GREATEST to arguments of type INT, STRING"},
		{"IFNULL(i, s)", "the arguments of IFNULL have incompatible types INT, STRING"},
		{"CHR(s)", "cannot apply CHR to an argument of type STRING"},
		{"99999999999999999999999999999999999999999", "numeric literal 99999999999999999999999999999999999999999 is out of range (more than 38 digits)"},
		{"DATE '2020-13-01'", `invalid DATE literal "2020-13-01"`},
		{"INTERVAL 'x' SECOND", "invalid INTERVAL literal 'x' SECOND"},
		{"UPPER(DISTINCT s)", "DISTINCT is only valid in aggregate functions"},
		{"LISTAGG(s)", "aggregate function LISTAGG is not supported yet"},
	}
	for _, tc := range tests {
		if got := exprType(t, tc.expr); got != "error: "+tc.want {
			t.Errorf("%s:\n got  %s\n want error: %s", tc.expr, got, tc.want)
		}
	}
}

func TestDecimalRules(t *testing.T) {
	tests := []struct {
		got  ir.Type
		want string
	}{
		{ir.DecimalAddType(38, 8, 32, 8), "DECIMAL(38, 7)"},
		{ir.DecimalMulType(19, 0, 2, 1), "DECIMAL(21, 1)"},
		{ir.DecimalDivType(21, 1, 19, 0), "DECIMAL(38, 18)"},
		{ir.DecimalDivType(38, 19, 38, 19), "DECIMAL(38, 6)"},
		{ir.DecimalMulType(38, 19, 38, 19), "DECIMAL(38, 6)"},
		{ir.DecimalModType(10, 2, 5, 3), "DECIMAL(5, 3)"},
		{ir.DecimalRoundType(10, 2, 1), "DECIMAL(10, 1)"},
		{ir.DecimalRoundType(10, 2, -1), "DECIMAL(9, 0)"},
		{ir.SumType(ir.Decimal(10, 2)), "DECIMAL(38, 2)"},
		{ir.SumType(ir.Int()), "INT"},
		{ir.AvgType(ir.Decimal(10, 2)), "DECIMAL(38, 6)"},
		{ir.AvgType(ir.Decimal(20, 8)), "DECIMAL(38, 8)"},
		{ir.AvgType(ir.BigInt()), "BIGINT"},
	}
	for i, tc := range tests {
		if got := tc.got.WithNull().String(); got != tc.want {
			t.Errorf("%d: got %s, want %s", i, got, tc.want)
		}
	}
}

func TestCasts(t *testing.T) {
	str := ir.String()
	tests := []struct {
		from, to           ir.Type
		implicit, explicit bool
	}{
		{ir.Int(), ir.BigInt(), true, true},
		{ir.BigInt(), ir.Int(), false, true},
		{ir.Decimal(38, 18), ir.Double(), true, true},
		{ir.Double(), ir.Decimal(10, 2), true, true}, // Flink: DECIMAL implicitly from every numeric type
		{ir.BigInt(), ir.Decimal(19, 0), true, true},
		{ir.Type{Kind: ir.KindChar, Length: 3}, str, true, true},
		{str, ir.Type{Kind: ir.KindChar, Length: 3}, false, true},
		{str, ir.Int(), false, true},
		{ir.Int(), str, false, true},
		{ir.Boolean(), str, false, true},
		{ir.Bytes(), str, false, true}, // newer Flink: BinaryToStringCastRule decodes UTF-8
		{ir.Bytes(), ir.Type{Kind: ir.KindChar, Length: 2}, false, true},
		{str, ir.Bytes(), false, true},
		{ir.Type{Kind: ir.KindBinary, Length: 2}, ir.Bytes(), true, true},
		{ir.Timestamp(3), ir.Timestamp(9), true, true},
		{ir.Timestamp(3), ir.Type{Kind: ir.KindDate}, true, true},
		{ir.Type{Kind: ir.KindDate}, ir.Timestamp(3), false, true},
		{ir.Type{Kind: ir.KindNull, Nullable: true}, ir.Int(), true, true},
		{ir.Type{Kind: ir.KindArray, Elem: &str}, ir.Type{Kind: ir.KindArray, Elem: &str}, true, true},
	}
	for i, tc := range tests {
		if got := ir.SupportsImplicitCast(tc.from, tc.to); got != tc.implicit {
			t.Errorf("%d: implicit %s -> %s = %v", i, tc.from, tc.to, got)
		}
		if got := ir.SupportsExplicitCast(tc.from, tc.to); got != tc.explicit {
			t.Errorf("%d: explicit %s -> %s = %v", i, tc.from, tc.to, got)
		}
	}
}

func TestCommonType(t *testing.T) {
	c3 := ir.Type{Kind: ir.KindChar, Length: 3, Nullable: true}
	c5 := ir.Type{Kind: ir.KindChar, Length: 5, Nullable: true}
	tests := []struct {
		in   []ir.Type
		want string
	}{
		{[]ir.Type{ir.Int(), ir.BigInt(), ir.Decimal(2, 2)}, "DECIMAL(21, 2)"},
		{[]ir.Type{c3, c5}, "VARCHAR(5)"},
		{[]ir.Type{c3.NotNull(), c3.NotNull()}, "CHAR(3) NOT NULL"},
		{[]ir.Type{ir.Int().NotNull(), {Kind: ir.KindNull, Nullable: true}}, "INT"},
		{[]ir.Type{ir.Decimal(10, 2), ir.Double()}, "DOUBLE"},
		{[]ir.Type{ir.Timestamp(3), ir.Timestamp(6)}, "TIMESTAMP(6)"},
		{[]ir.Type{ir.Int(), ir.String()}, "none"},
		{[]ir.Type{{Kind: ir.KindNull, Nullable: true}}, "none"},
	}
	for i, tc := range tests {
		got := "none"
		if ct, ok := ir.CommonType(tc.in...); ok {
			got = ct.String()
		}
		if got != tc.want {
			t.Errorf("%d: CommonType(%v) = %s, want %s", i, tc.in, got, tc.want)
		}
	}
}
