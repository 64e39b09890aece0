package table

import (
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// Expr is a typed expression of the Table API, built from Col, Lit and Call and the
// methods below, the Go counterpart of Flink's Expression DSL ($("a").plus(1),
// col("a").sum() in PyFlink). It renders to SQL text with identifiers in backticks and
// literals quoted, which the compiler parses like any other SQL, so a typed expression
// and the same expression written as a string give the same plan.
//
// Expressions are immutable values; each method returns a new one. A mistake found
// while building one (a Go value that is no SQL literal) is kept in the Expr and
// reported, naming the call site, by the Table method that uses it.
//
// Where a method takes an operand as any, an Expr is used as it is and any other Go
// value is a literal (Lit): Col("a").IsGreater(1), Col("name").IsEqual("x") compares
// with the string literal 'x'. (The Table methods themselves, Select and Where, read a
// Go string as SQL text instead.)
type Expr struct {
	sql   string
	names []string // As(...)
	col   string   // the column name of a Col (kept by As)
	err   error
}

// SQL returns the expression's SQL text, without its alias.
func (x Expr) SQL() string { return x.sql }

func (x Expr) String() string {
	if x.err != nil {
		return "<invalid: " + x.err.Error() + ">"
	}
	return x.aliased()
}

// aliased is the text as a select item: expr [AS `name`].
func (x Expr) aliased() string {
	if len(x.names) == 1 {
		return x.sql + " AS " + quoteIdent(x.names[0])
	}
	return x.sql
}

// Col refers to a column of the table the expression is used on, like PyFlink's col
// and Java's $. The name is quoted, so any column name works (Col("timestamp")); a
// name with a dot is one identifier, not a qualified name.
func Col(name string) Expr {
	if name == "" {
		return Expr{err: fmt.Errorf("Col needs a column name")}
	}
	return Expr{sql: quoteIdent(name), col: name}
}

// Lit is a literal, like PyFlink's lit: nil is NULL, a bool TRUE or FALSE, a Go
// integer an exact numeric literal (INT, or BIGINT when it does not fit), a float64 an
// approximate literal (DOUBLE: 1.0 renders 1.0E0), a float32 a FLOAT, a string a
// character literal, a []byte a binary literal X'..', a time.Time a TIMESTAMP literal,
// and an Expr itself. Other values give an error when the expression is used.
func Lit(v any) Expr {
	switch v := v.(type) {
	case Expr:
		return v
	case nil:
		return Expr{sql: "NULL"}
	case bool:
		if v {
			return Expr{sql: "TRUE"}
		}
		return Expr{sql: "FALSE"}
	case int:
		return intLit(int64(v))
	case int8:
		return intLit(int64(v))
	case int16:
		return intLit(int64(v))
	case int32:
		return intLit(int64(v))
	case int64:
		return intLit(v)
	case uint8:
		return intLit(int64(v))
	case uint16:
		return intLit(int64(v))
	case uint32:
		return intLit(int64(v))
	case uint:
		if uint64(v) > math.MaxInt64 {
			return Expr{err: fmt.Errorf("Lit(%d): out of the range of BIGINT", v)}
		}
		return intLit(int64(v))
	case uint64:
		if v > math.MaxInt64 {
			return Expr{err: fmt.Errorf("Lit(%d): out of the range of BIGINT", v)}
		}
		return intLit(int64(v))
	case float64:
		s, err := floatLit(v)
		if err != nil {
			return Expr{err: err}
		}
		return Expr{sql: s}
	case float32:
		s, err := floatLit(float64(v))
		if err != nil {
			return Expr{err: err}
		}
		return Expr{sql: "CAST(" + s + " AS FLOAT)"}
	case string:
		return Expr{sql: quoteString(v)}
	case []byte:
		return Expr{sql: "X'" + strings.ToUpper(hex.EncodeToString(v)) + "'"}
	case time.Time:
		return Expr{sql: "TIMESTAMP '" + v.Format("2006-01-02 15:04:05.999999999") + "'"}
	}
	return Expr{err: fmt.Errorf("Lit: a Go %T is not a SQL literal", v)}
}

func intLit(v int64) Expr {
	if v < 0 {
		// -9223372036854775808 does not lex as one literal: negate the positive part.
		if v == math.MinInt64 {
			return Expr{sql: "(-9223372036854775807 - 1)"}
		}
		return Expr{sql: "(" + strconv.FormatInt(v, 10) + ")"}
	}
	return Expr{sql: strconv.FormatInt(v, 10)}
}

func floatLit(v float64) (string, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", fmt.Errorf("Lit(%v): NaN and infinities have no SQL literal; use Lit(\"NaN\").Cast(\"DOUBLE\")", v)
	}
	neg := v < 0 || v == 0 && math.Signbit(v)
	s := strconv.FormatFloat(math.Abs(v), 'E', -1, 64) // 1E+00, 1.5E+20, 2.5E-07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	s = mant + "E" + strconv.Itoa(e)
	if neg {
		return "(-" + s + ")", nil
	}
	return s, nil
}

// Call calls a function by its SQL name: a built-in (Call("upper", Col("s"))) or one
// registered with RegisterFunction or CREATE FUNCTION (Call("ip_to_province",
// Col("client_ip"))), like PyFlink's call. Arguments that are not an Expr are literals.
func Call(name string, args ...any) Expr {
	if name == "" {
		return Expr{err: fmt.Errorf("Call needs a function name")}
	}
	fn := name
	if !plainIdent.MatchString(name) {
		fn = quoteIdent(name)
	}
	return callExpr(fn, args...)
}

func callExpr(fn string, args ...any) Expr {
	parts := make([]string, len(args))
	for i, a := range args {
		x := Lit(a)
		if x.err != nil {
			return x
		}
		parts[i] = x.sql
	}
	return Expr{sql: fn + "(" + strings.Join(parts, ", ") + ")"}
}

var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// quoteIdent writes name as a backquoted SQL identifier.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteString writes s as a SQL character literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// As names the expression's column in Select and friends ("expr AS name"). A table
// function call given to JoinLateral takes the names of all its columns:
// Call("split", Col("line")).As("word", "length").
func (x Expr) As(names ...string) Expr {
	if x.err != nil {
		return x
	}
	if len(names) == 0 {
		return Expr{err: fmt.Errorf("As needs a name")}
	}
	for _, n := range names {
		if n == "" {
			return Expr{err: fmt.Errorf("As: empty name")}
		}
	}
	return Expr{sql: x.sql, col: x.col, names: append([]string(nil), names...)}
}

func (x Expr) binary(op string, y any) Expr {
	if x.err != nil {
		return x
	}
	r := Lit(y)
	if r.err != nil {
		return r
	}
	return Expr{sql: "(" + x.sql + " " + op + " " + r.sql + ")"}
}

func (x Expr) unary(format string) Expr {
	if x.err != nil {
		return x
	}
	return Expr{sql: fmt.Sprintf(format, x.sql)}
}

// Plus is x + y.
func (x Expr) Plus(y any) Expr { return x.binary("+", y) }

// Minus is x - y.
func (x Expr) Minus(y any) Expr { return x.binary("-", y) }

// Times is x * y.
func (x Expr) Times(y any) Expr { return x.binary("*", y) }

// Div is x / y.
func (x Expr) Div(y any) Expr { return x.binary("/", y) }

// Mod is x % y.
func (x Expr) Mod(y any) Expr { return x.binary("%", y) }

// IsEqual is x = y.
func (x Expr) IsEqual(y any) Expr { return x.binary("=", y) }

// IsNotEqual is x <> y.
func (x Expr) IsNotEqual(y any) Expr { return x.binary("<>", y) }

// IsLess is x < y.
func (x Expr) IsLess(y any) Expr { return x.binary("<", y) }

// IsLessOrEqual is x <= y.
func (x Expr) IsLessOrEqual(y any) Expr { return x.binary("<=", y) }

// IsGreater is x > y.
func (x Expr) IsGreater(y any) Expr { return x.binary(">", y) }

// IsGreaterOrEqual is x >= y.
func (x Expr) IsGreaterOrEqual(y any) Expr { return x.binary(">=", y) }

// And is x AND y.
func (x Expr) And(y any) Expr { return x.binary("AND", y) }

// Or is x OR y.
func (x Expr) Or(y any) Expr { return x.binary("OR", y) }

// Like is x LIKE pattern.
func (x Expr) Like(pattern any) Expr { return x.binary("LIKE", pattern) }

// Not is NOT x.
func (x Expr) Not() Expr { return x.unary("(NOT %s)") }

// IsNull is x IS NULL.
func (x Expr) IsNull() Expr { return x.unary("(%s IS NULL)") }

// IsNotNull is x IS NOT NULL.
func (x Expr) IsNotNull() Expr { return x.unary("(%s IS NOT NULL)") }

// Count is COUNT(x): the number of rows where x is not NULL.
func (x Expr) Count() Expr { return x.unary("COUNT(%s)") }

// Sum is SUM(x).
func (x Expr) Sum() Expr { return x.unary("SUM(%s)") }

// Avg is AVG(x).
func (x Expr) Avg() Expr { return x.unary("AVG(%s)") }

// Min is MIN(x).
func (x Expr) Min() Expr { return x.unary("MIN(%s)") }

// Max is MAX(x).
func (x Expr) Max() Expr { return x.unary("MAX(%s)") }

// Cast is CAST(x AS typ), typ a SQL type such as "DOUBLE" or "DECIMAL(10, 2)". Text
// that does not parse as a type is an error; an unknown type name is reported when the
// job is bound, naming the call that used the expression.
func (x Expr) Cast(typ string) Expr {
	if x.err != nil {
		return x
	}
	if strings.ContainsAny(typ, ";`'-/") {
		return Expr{err: fmt.Errorf("Cast(%q): not a SQL type", typ)}
	}
	if _, err := parser.ParseExpr(&diag.Source{Name: "Cast", Text: "CAST(NULL AS " + typ + ")"}); err != nil {
		return Expr{err: fmt.Errorf("Cast(%q): not a SQL type", typ)}
	}
	return Expr{sql: "CAST(" + x.sql + " AS " + typ + ")"}
}

// CountStar is COUNT(*), the number of rows.
func CountStar() Expr { return Expr{sql: "COUNT(*)"} }
