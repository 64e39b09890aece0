package ir

import "github.com/sqlc-stream/sqlc-stream/diag"

// Expr is a bound, typed scalar expression. Column references are by index into the
// input row of the operator that holds the expression.
type Expr interface {
	Type() Type
	Span() diag.Span // source text it came from (zero for synthesized expressions)
	exprNode()
}

// InputRef reads column Index of the operator's input row.
type InputRef struct {
	Index int
	Name  string // for dumps and generated comments
	T     Type
	Pos   diag.Span
}

// LocalRef reads common subexpression Index of the enclosing Calc (Calc.Lets).
type LocalRef struct {
	Index int
	T     Type
}

// Literal is a constant. Value holds, by kind: nil (NULL), bool, int64 (all integer
// kinds, DATE days, TIME millis, intervals in millis or months), float64 (FLOAT, DOUBLE),
// string (CHAR, VARCHAR, and DECIMAL as its exact decimal text, e.g. "1.0"),
// []byte (BINARY), and for timestamps a string in ISO form "2020-01-01 12:00:00.123".
type Literal struct {
	Value any
	T     Type
	Pos   diag.Span
	// Folded names the UDF call this literal replaced when the optimizer evaluated it
	// at compile time ("double_it(21)"); dumps and generated code show it.
	Folded string
}

// Op is a built-in scalar operator or function.
type Op string

// The built-in operators. Function-style built-ins (UPPER, SUBSTRING, COALESCE, ...) use
// their upper-cased SQL name as Op.
const (
	OpAdd       Op = "+"
	OpSub       Op = "-"
	OpMul       Op = "*"
	OpDiv       Op = "/"
	OpMod       Op = "MOD"
	OpNeg       Op = "NEG"
	OpEq        Op = "="
	OpNe        Op = "<>"
	OpLt        Op = "<"
	OpLe        Op = "<="
	OpGt        Op = ">"
	OpGe        Op = ">="
	OpAnd       Op = "AND"
	OpOr        Op = "OR"
	OpNot       Op = "NOT"
	OpIsNull    Op = "IS NULL"
	OpIsNotNull Op = "IS NOT NULL"
	OpIsTrue    Op = "IS TRUE"
	OpIsFalse   Op = "IS FALSE"
	OpConcat    Op = "||"
	OpLike      Op = "LIKE" // Args: x, pattern[, escape]
	OpIn        Op = "IN"   // Args: x, v1, v2, ... (NOT IN is NOT(IN))
	OpRow       Op = "ROW"  // ROW(a, b, ...): a ROW value of the arguments, never NULL
)

// Call applies a built-in operator. BETWEEN is bound as AND of comparisons.
type Call struct {
	Op   Op
	Args []Expr
	T    Type
	Pos  diag.Span
}

// Cast converts X to T. Try (TRY_CAST) yields NULL where CAST fails the job. An
// explicit CAST to CHAR(n), VARCHAR(n), BINARY(n) or VARBINARY(n) cuts the value to n
// characters or bytes and pads CHAR with spaces and BINARY with zero bytes (Flink 1.15+).
// Implicit marks a conversion the binder or optimizer inserted (operands to their
// common type, a value into a sink column): it keeps the value as it is, as Flink's sink
// does by default (table.exec.sink.type-length-enforcer IGNORE).
type Cast struct {
	X        Expr
	T        Type
	Try      bool
	Implicit bool
	Pos      diag.Span
}

// Case is a searched CASE; a simple CASE is bound into this form.
type Case struct {
	Whens []When
	Else  Expr // never nil: a missing ELSE is a typed NULL literal
	T     Type
	Pos   diag.Span
}

// When is one WHEN Cond THEN Then arm.
type When struct {
	Cond, Then Expr
}

// UDFCall calls a Go user-defined function directly.
type UDFCall struct {
	Fn   *Function
	Args []Expr
	T    Type
	Pos  diag.Span
}

// FieldAccess reads field Index of a ROW-typed expression.
type FieldAccess struct {
	X     Expr
	Index int
	Name  string
	T     Type
	Pos   diag.Span
}

func (e *InputRef) Type() Type    { return e.T }
func (e *LocalRef) Type() Type    { return e.T }
func (e *Literal) Type() Type     { return e.T }
func (e *Call) Type() Type        { return e.T }
func (e *Cast) Type() Type        { return e.T }
func (e *Case) Type() Type        { return e.T }
func (e *UDFCall) Type() Type     { return e.T }
func (e *FieldAccess) Type() Type { return e.T }

func (e *InputRef) Span() diag.Span    { return e.Pos }
func (e *LocalRef) Span() diag.Span    { return diag.Span{} }
func (e *Literal) Span() diag.Span     { return e.Pos }
func (e *Call) Span() diag.Span        { return e.Pos }
func (e *Cast) Span() diag.Span        { return e.Pos }
func (e *Case) Span() diag.Span        { return e.Pos }
func (e *UDFCall) Span() diag.Span     { return e.Pos }
func (e *FieldAccess) Span() diag.Span { return e.Pos }

func (*InputRef) exprNode()    {}
func (*LocalRef) exprNode()    {}
func (*Literal) exprNode()     {}
func (*Call) exprNode()        {}
func (*Cast) exprNode()        {}
func (*Case) exprNode()        {}
func (*UDFCall) exprNode()     {}
func (*FieldAccess) exprNode() {}

// AggFunc is a built-in aggregate function.
type AggFunc string

const (
	AggCount AggFunc = "COUNT" // Arg nil means COUNT(*)
	AggSum   AggFunc = "SUM"
	AggAvg   AggFunc = "AVG"
	AggMin   AggFunc = "MIN"
	AggMax   AggFunc = "MAX"
)

// AggCall is one aggregate of an Aggregate operator, over the operator's input row.
type AggCall struct {
	Func     AggFunc
	Arg      Expr // nil for COUNT(*)
	Distinct bool
	Filter   Expr // FILTER (WHERE ...), nil if none
	T        Type // result type: COUNT is BIGINT NOT NULL; SUM(BIGINT) BIGINT; AVG(BIGINT) BIGINT; ...
	Name     string
	Pos      diag.Span
	// Fn is the Go aggregate function of an AggUDF call (Arg nil, Args its arguments,
	// each converted to its Go parameter's SQL type); see ir/aggfunc.go.
	Fn   *Function
	Args []Expr
}

// nonDeterministicOps are built-ins whose value changes from call to call.
var nonDeterministicOps = map[Op]bool{
	"RAND": true, "RAND_INTEGER": true, "UUID": true, "NOW": true,
	"CURRENT_TIMESTAMP": true, "CURRENT_TIME": true, "CURRENT_DATE": true,
	"LOCALTIME": true, "LOCALTIMESTAMP": true, "PROCTIME": true,
	"CURRENT_ROW_TIMESTAMP": true, "UNIX_TIMESTAMP": true, "CURRENT_WATERMARK": true,
}

// IsDeterministic reports whether e gives the same value for the same input row: it
// calls no non-deterministic built-in (RAND, NOW, ...) and no UDF that is not declared
// deterministic. A nil e is deterministic.
func IsDeterministic(e Expr) bool {
	ok := true
	WalkExpr(e, func(x Expr) {
		switch x := x.(type) {
		case *UDFCall:
			if x.Fn == nil || !x.Fn.Deterministic {
				ok = false
			}
		case *Call:
			// UNIX_TIMESTAMP is the clock without arguments, a parse with them.
			if nonDeterministicOps[x.Op] && !(x.Op == "UNIX_TIMESTAMP" && len(x.Args) > 0) {
				ok = false
			}
		}
	})
	return ok
}
