package difftest

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Expr is a scalar expression of the generator's own tree: it renders as Flink SQL and
// evaluates with Flink's semantics, with no code shared with the compiler. Op names the
// node; T is its type as Flink derives it.
type Expr struct {
	Op   string
	Args []*Expr
	T    Type
	Col  int    // "col": the input column
	Name string // "col": the column name; "fn": the function; "udf": the SQL name
	Val  Value  // "lit"
	Text string // "lit": the SQL text
	To   Type   // "cast", "trycast": the target type
	Agg  *Agg   // "agg": an aggregate call (only in aggregate select lists and HAVING)
	Ref  int    // "aggref", "keyref": index into the aggregate's output row
	// Spell picks another documented spelling of the same operation: "!=" for <>,
	// "LTRIM"/"RTRIM"/"TRIM1" (TRIM(s)) for trim, "comma"/"SUBSTR" for substring,
	// "SYMMETRIC" for between, an escape character for like, a function alias.
	Spell string
}

// errEval is a run-time failure of the job (division by zero, a CAST that fails).
type errEval struct{ msg string }

func (e *errEval) Error() string { return e.msg }

func failf(format string, args ...any) error { return &errEval{fmt.Sprintf(format, args...)} }

// SQL renders the expression; every operator is parenthesized, so precedence never matters.
func (e *Expr) SQL() string {
	a := func(i int) string { return e.Args[i].SQL() }
	switch e.Op {
	case "col":
		return e.Name
	case "lit", "aggref", "keyref":
		return e.Text
	case "neg":
		return "(- " + a(0) + ")"
	case "not":
		return "(NOT " + a(0) + ")"
	case "+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "||":
		op := e.Op
		if e.Spell != "" {
			op = e.Spell
		}
		return "(" + a(0) + " " + op + " " + a(1) + ")"
	case "+interval", "-interval":
		return "(" + a(0) + " " + e.Op[:1] + " " + e.Text + ")"
	case "isnull":
		if e.Spell != "" {
			return "(" + a(0) + " IS UNKNOWN)"
		}
		return "(" + a(0) + " IS NULL)"
	case "isnotnull":
		if e.Spell != "" {
			return "(" + a(0) + " IS NOT UNKNOWN)"
		}
		return "(" + a(0) + " IS NOT NULL)"
	case "istrue", "isfalse", "isnottrue", "isnotfalse":
		return "(" + a(0) + " IS " + map[string]string{"istrue": "TRUE", "isfalse": "FALSE", "isnottrue": "NOT TRUE", "isnotfalse": "NOT FALSE"}[e.Op] + ")"
	case "case":
		var b strings.Builder
		b.WriteString("(CASE")
		n := len(e.Args)
		for i := 0; i+1 < n; i += 2 {
			fmt.Fprintf(&b, " WHEN %s THEN %s", a(i), a(i+1))
		}
		if n%2 == 1 {
			fmt.Fprintf(&b, " ELSE %s", a(n-1))
		}
		b.WriteString(" END)")
		return b.String()
	case "cast":
		return "CAST(" + a(0) + " AS " + e.To.SQL() + ")"
	case "trycast":
		return "TRY_CAST(" + a(0) + " AS " + e.To.SQL() + ")"
	case "in", "notin":
		var parts []string
		for _, x := range e.Args[1:] {
			parts = append(parts, x.SQL())
		}
		not := ""
		if e.Op == "notin" {
			not = "NOT "
		}
		return "(" + a(0) + " " + not + "IN (" + strings.Join(parts, ", ") + "))"
	case "between", "notbetween":
		not := ""
		if e.Op == "notbetween" {
			not = "NOT "
		}
		sym := ""
		if e.Spell != "" {
			sym = e.Spell + " "
		}
		return "(" + a(0) + " " + not + "BETWEEN " + sym + a(1) + " AND " + a(2) + ")"
	case "like", "notlike":
		not := ""
		if e.Op == "notlike" {
			not = "NOT "
		}
		if e.Spell != "" {
			return "(" + a(0) + " " + not + "LIKE " + a(1) + " ESCAPE '" + e.Spell + "')"
		}
		return "(" + a(0) + " " + not + "LIKE " + a(1) + ")"
	case "substring":
		if e.Spell != "" {
			parts := []string{a(0), a(1)}
			if len(e.Args) == 3 {
				parts = append(parts, a(2))
			}
			return e.Spell + "(" + strings.Join(parts, ", ") + ")"
		}
		if len(e.Args) == 3 {
			return "SUBSTRING(" + a(0) + " FROM " + a(1) + " FOR " + a(2) + ")"
		}
		return "SUBSTRING(" + a(0) + " FROM " + a(1) + ")"
	case "trim":
		switch e.Spell {
		case "LTRIM", "RTRIM":
			return e.Spell + "(" + a(0) + ")"
		case "TRIM1":
			return "TRIM(" + a(0) + ")"
		}
		return "TRIM(" + e.Name + " " + a(1) + " FROM " + a(0) + ")"
	case "fn", "udf":
		var parts []string
		for _, x := range e.Args {
			parts = append(parts, x.SQL())
		}
		name := e.Name
		if e.Spell != "" {
			name = e.Spell
		}
		return name + "(" + strings.Join(parts, ", ") + ")"
	case "agg":
		return e.Agg.SQL()
	}
	if s, ok := e.builtinSQL(); ok { // fn.go
		return s
	}
	if s, ok := e.timeSQL(); ok { // timefn.go
		return s
	}
	panic("difftest: no SQL for " + e.Op)
}

// Row is one row of values; Env evaluates expressions over it.
type Row []Value

// Eval computes the expression over a row. An *errEval is a run-time failure.
func (e *Expr) Eval(r Row) (Value, error) {
	switch e.Op {
	case "col":
		return r[e.Col], nil
	case "lit":
		return e.Val, nil
	case "aggref", "keyref":
		return r[e.Ref], nil
	case "AND", "OR":
		return e.evalLogic(r)
	case "case":
		return e.evalCase(r)
	case "fn":
		if e.Name == "COALESCE" {
			for _, x := range e.Args {
				v, err := x.Eval(r)
				if err != nil || !v.Null {
					if err == nil {
						v = convert(v, x.T, e.T)
					}
					return v, err
				}
			}
			return nullValue, nil
		}
		if e.Name == "IF" {
			c, err := e.Args[0].Eval(r)
			if err != nil {
				return c, err
			}
			b := e.Args[2]
			if !c.Null && c.I == 1 {
				b = e.Args[1]
			}
			v, err := b.Eval(r)
			return convert(v, b.T, e.T), err
		}
	}
	args := make([]Value, len(e.Args))
	for i, x := range e.Args {
		v, err := x.Eval(r)
		if err != nil {
			return v, err
		}
		args[i] = v
	}
	return e.apply(args)
}

func (e *Expr) evalLogic(r Row) (Value, error) {
	l, err := e.Args[0].Eval(r)
	if err != nil {
		return l, err
	}
	and := e.Op == "AND"
	// The right side is evaluated only when the left does not decide (Flink's codegen).
	if !l.Null && (l.I == 1) != and {
		return l, nil
	}
	rv, err := e.Args[1].Eval(r)
	if err != nil {
		return rv, err
	}
	if !rv.Null && (rv.I == 1) != and {
		return rv, nil
	}
	if l.Null || rv.Null {
		return nullValue, nil
	}
	return boolValue(and), nil
}

func (e *Expr) evalCase(r Row) (Value, error) {
	n := len(e.Args)
	for i := 0; i+1 < n; i += 2 {
		c, err := e.Args[i].Eval(r)
		if err != nil {
			return c, err
		}
		if !c.Null && c.I == 1 {
			v, err := e.Args[i+1].Eval(r)
			return convert(v, e.Args[i+1].T, e.T), err
		}
	}
	if n%2 == 1 {
		v, err := e.Args[n-1].Eval(r)
		return convert(v, e.Args[n-1].T, e.T), err
	}
	return nullValue, nil
}

// convert is an implicit cast, which never fails.
func convert(v Value, from, to Type) Value {
	if v.Null || from.Kind == to.Kind && from.P == to.P && from.S == to.S {
		return v
	}
	if from.Kind == Null {
		return nullValue
	}
	if from.Kind.isString() && to.Kind.isString() || from.Kind.isBinary() && to.Kind.isBinary() {
		// An implicit conversion neither cuts nor pads (only an explicit CAST does):
		// UPPER('straße') is 'STRASSE' also where its type says CHAR(6).
		return v
	}
	out, ok := castValue(v, from, to)
	if !ok {
		panic(fmt.Sprintf("difftest: implicit cast %s -> %s failed", from, to))
	}
	return out
}

func (e *Expr) apply(args []Value) (Value, error) {
	switch e.Op {
	case "neg":
		return negValue(args[0], e.T), nil
	case "+interval", "-interval":
		if args[0].Null {
			return nullValue, nil
		}
		d := e.Val.I
		if e.Op == "-interval" {
			d = -d
		}
		return Value{I: args[0].I + d, N: args[0].N}, nil
	case "not":
		if args[0].Null {
			return nullValue, nil
		}
		return boolValue(args[0].I == 0), nil
	case "+", "-", "*", "/", "%":
		return arith(e.Op, args[0], args[1], e.Args[0].T, e.Args[1].T, e.T)
	case "=", "<>", "<", "<=", ">", ">=":
		if args[0].Null || args[1].Null {
			return nullValue, nil
		}
		ct, _ := commonType(e.Args[0].T, e.Args[1].T)
		a, b := convert(args[0], e.Args[0].T, ct), convert(args[1], e.Args[1].T, ct)
		if (e.Args[0].T.Kind == Decimal) != (e.Args[1].T.Kind == Decimal) && ct.Kind.isApprox() {
			// DecimalDataUtils.compare(DecimalData, double): Double.compare.
			return boolValue(cmpHolds(e.Op, javaDoubleCompare(a.F, b.F))), nil
		}
		return boolValue(cmpHolds(e.Op, compare(a, b, ct))), nil
	case "||":
		if args[0].Null || args[1].Null {
			return nullValue, nil
		}
		return Value{S: args[0].S + args[1].S}, nil
	case "isnull":
		return boolValue(args[0].Null), nil
	case "isnotnull":
		return boolValue(!args[0].Null), nil
	case "istrue":
		return boolValue(!args[0].Null && args[0].I == 1), nil
	case "isnottrue":
		return boolValue(args[0].Null || args[0].I == 0), nil
	case "isfalse":
		return boolValue(!args[0].Null && args[0].I == 0), nil
	case "isnotfalse":
		return boolValue(args[0].Null || args[0].I == 1), nil
	case "cast", "trycast":
		out, ok := castValue(args[0], e.Args[0].T, e.To)
		if !ok {
			if e.Op == "trycast" {
				return nullValue, nil
			}
			return nullValue, failf("CAST(%s AS %s) fails", printField(args[0], e.Args[0].T), e.To.SQL())
		}
		return out, nil
	case "in", "notin":
		return e.evalIn(args)
	case "between", "notbetween":
		ct, _ := commonType(e.Args[0].T, e.Args[1].T)
		ct, _ = commonType(ct, e.Args[2].T)
		x := convert(args[0], e.Args[0].T, ct)
		lo := convert(args[1], e.Args[1].T, ct)
		hi := convert(args[2], e.Args[2].T, ct)
		if e.Spell == "SYMMETRIC" {
			// (x BETWEEN lo AND hi) OR (x BETWEEN hi AND lo)
			v1 := and3(cmpValue(">=", x, lo, ct), cmpValue("<=", x, hi, ct))
			v2 := and3(cmpValue(">=", x, hi, ct), cmpValue("<=", x, lo, ct))
			v := or3(v1, v2)
			if e.Op == "notbetween" && !v.Null {
				v = boolValue(v.I == 0)
			}
			return v, nil
		}
		// x BETWEEN lo AND hi is x >= lo AND x <= hi, with three-valued AND.
		ge, le := nullValue, nullValue
		if !x.Null && !lo.Null {
			ge = boolValue(cmpHolds(">=", compare(x, lo, ct)))
		}
		if !x.Null && !hi.Null {
			le = boolValue(cmpHolds("<=", compare(x, hi, ct)))
		}
		v := and3(ge, le)
		if e.Op == "notbetween" && !v.Null {
			v = boolValue(v.I == 0)
		}
		return v, nil
	case "like", "notlike":
		if args[0].Null || args[1].Null {
			return nullValue, nil
		}
		m := likeMatch(args[0].S, args[1].S, e.Spell)
		return boolValue(m == (e.Op == "like")), nil
	case "substring":
		return substring(args), nil
	case "trim":
		if args[0].Null || args[1].Null {
			return nullValue, nil
		}
		return Value{S: trim(e.Name, args[0].S, args[1].S)}, nil
	case "fn":
		return e.evalFn(args)
	case "udf":
		return evalUDF(e.Name, args, e.Args)
	}
	if v, err, ok := e.applyBuiltin(args); ok { // fn.go
		return v, err
	}
	if v, ok, err := e.applyTime(args); ok { // timeref.go
		return v, err
	}
	panic("difftest: no evaluation for " + e.Op)
}

// cmpValue is a comparison with NULLs: NULL when either side is.
func cmpValue(op string, a, b Value, t Type) Value {
	if a.Null || b.Null {
		return nullValue
	}
	return boolValue(cmpHolds(op, compare(a, b, t)))
}

func or3(a, b Value) Value {
	if !a.Null && a.I == 1 || !b.Null && b.I == 1 {
		return boolValue(true)
	}
	if a.Null || b.Null {
		return nullValue
	}
	return boolValue(false)
}

func and3(a, b Value) Value {
	if !a.Null && a.I == 0 || !b.Null && b.I == 0 {
		return boolValue(false)
	}
	if a.Null || b.Null {
		return nullValue
	}
	return boolValue(true)
}

// evalIn is Flink's x IN (v1, ...): Calcite's SqlToRelConverter.convertInToOr makes it
// x = v1 OR ..., first casting each vi of another numeric type to x's type
// (ensureSqlType), so INT x IN (2.5) compares x with CAST(2.5 AS INT) = 2.
func (e *Expr) evalIn(args []Value) (Value, error) {
	xt := e.Args[0].T
	ts := make([]Type, len(e.Args))
	for i, a := range e.Args {
		ts[i] = a.T
		if i > 0 && xt.Kind.isNumeric() && a.T.Kind.isNumeric() && a.T.Kind != xt.Kind {
			ts[i] = xt.null(a.T.Nullable)
		}
	}
	ct := xt
	for _, t := range ts[1:] {
		ct, _ = commonType(ct, t)
	}
	x := convert(args[0], xt, ct)
	sawNull := false
	// The ORed comparisons run left to right and stop at the first TRUE; each computes
	// its CAST even when x is NULL.
	for i, a := range args[1:] {
		if !a.Null && ts[i+1] != e.Args[i+1].T {
			v, ok := castValue(a, e.Args[i+1].T, ts[i+1])
			if !ok {
				return nullValue, failf("CAST(%s AS %s) in IN fails", printField(a, e.Args[i+1].T), ts[i+1].SQL())
			}
			a = v
		}
		if a.Null || x.Null {
			sawNull = true
			continue
		}
		if compare(x, convert(a, ts[i+1], ct), ct) == 0 {
			return boolValue(e.Op == "in"), nil
		}
	}
	if sawNull {
		return nullValue, nil
	}
	return boolValue(e.Op == "notin"), nil
}

func cmpHolds(op string, c int) bool {
	if c == 2 { // NaN: unordered, so only <> holds
		return op == "<>"
	}
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// compare orders two non-NULL values of type t as Flink's comparison operators do
// (floating point: IEEE, so NaN is unordered; compare returns 2 for "unordered").
func compare(a, b Value, t Type) int {
	switch {
	case t.Kind == Decimal:
		return a.D.Cmp(b.D)
	case t.Kind.isApprox():
		switch {
		case a.F < b.F:
			return -1
		case a.F > b.F:
			return 1
		case a.F == b.F:
			return 0
		}
		return 2 // NaN: every comparison but <> is false
	case t.Kind.isString(), t.Kind.isBinary():
		return strings.Compare(a.S, b.S)
	case t.Kind.isTimestamp():
		if a.I != b.I {
			return cmpInt(a.I, b.I)
		}
		return cmpInt(int64(a.N), int64(b.N))
	}
	return cmpInt(a.I, b.I)
}

// cmpInt orders two integers (a subtraction could overflow).
func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wrapInt narrows v to the width of kind k, as Java's integer arithmetic does.
func wrapInt(v int64, k Kind) int64 {
	switch k {
	case TinyInt:
		return int64(int8(v))
	case SmallInt:
		return int64(int16(v))
	case Int:
		return int64(int32(v))
	}
	return v
}

func negValue(v Value, t Type) Value {
	if v.Null {
		return v
	}
	switch {
	case t.Kind.isInteger():
		return Value{I: wrapInt(-v.I, t.Kind)}
	case t.Kind == Decimal:
		return Value{D: new(big.Int).Neg(v.D)}
	case t.Kind == Float:
		return Value{F: float64(-float32(v.F))}
	}
	return Value{F: -v.F}
}

// arith is + - * / % on numbers, converted to the result type's domain first.
func arith(op string, a, b Value, at, bt, rt Type) (Value, error) {
	if a.Null || b.Null {
		return nullValue, nil
	}
	switch {
	case rt.Kind.isInteger():
		// Integers compute in the wider of the operands' types (for %, the result has the
		// divisor's type but the dividend is not narrowed first), then wrap.
		x, y := a.I, b.I
		var v int64
		switch op {
		case "+":
			v = x + y
		case "-":
			v = x - y
		case "*":
			v = x * y
		case "/", "%":
			if y == 0 {
				return nullValue, failf("division by zero")
			}
			if x == math.MinInt64 && y == -1 {
				v = wrapOf(op, x)
			} else if op == "/" {
				v = x / y
			} else {
				v = x % y
			}
		}
		w := at.Kind
		if bt.Kind > w {
			w = bt.Kind
		}
		return Value{I: wrapInt(wrapInt(v, w), rt.Kind)}, nil
	case rt.Kind == Decimal:
		return decimalArith(op, convert(a, at, decimalOf(at)), convert(b, bt, decimalOf(bt)), decimalOf(at).S, decimalOf(bt).S, rt)
	case rt.Kind == Float:
		// FLOAT arithmetic rounds each operation to float32, as Java's float does.
		return Value{F: float64(floatOp(op, float32(toFloat(a, at)), float32(toFloat(b, bt))))}, nil
	}
	return Value{F: floatOp(op, toFloat(a, at), toFloat(b, bt))}, nil
}

// floatOp is + - * / % (Java's IEEE remainder: fmod) in float32 or float64.
func floatOp[T float32 | float64](op string, x, y T) T {
	switch op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		return x / y
	}
	return T(math.Mod(float64(x), float64(y)))
}

func wrapOf(op string, x int64) int64 {
	if op == "/" {
		return x // MinInt64 / -1 overflows to itself in Java
	}
	return 0
}

// toFloat is a number as a float64 (Java's widening to double).
func toFloat(v Value, t Type) float64 {
	switch {
	case t.Kind.isInteger():
		return float64(v.I)
	case t.Kind == Decimal:
		f, _ := new(big.Float).SetPrec(200).Quo(new(big.Float).SetInt(v.D), new(big.Float).SetInt(pow10(t.S))).Float64()
		return f
	}
	return v.F
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// decimalArith computes a DECIMAL operation exactly and rounds HALF_UP to the result's
// scale; a result too wide for its precision is NULL (Flink's DecimalData).
func decimalArith(op string, a, b Value, as, bs int, rt Type) (Value, error) {
	x, y := a.D, b.D
	var num *big.Int // the exact result at scale sc
	sc := 0
	switch op {
	case "+", "-", "%":
		sc = max(as, bs)
		x = new(big.Int).Mul(x, pow10(sc-as))
		y = new(big.Int).Mul(y, pow10(sc-bs))
		switch op {
		case "+":
			num = new(big.Int).Add(x, y)
		case "-":
			num = new(big.Int).Sub(x, y)
		default:
			if y.Sign() == 0 {
				return nullValue, failf("division by zero")
			}
			num = new(big.Int).Rem(x, y) // BigDecimal.remainder: the sign of the dividend
		}
	case "*":
		sc = as + bs
		num = new(big.Int).Mul(x, y)
	case "/":
		if y.Sign() == 0 {
			return nullValue, failf("division by zero")
		}
		// DecimalDataUtils.divide: BigDecimal.divide with MathContext(38, HALF_UP), then
		// DecimalData.fromBigDecimal (setScale(rt.S, HALF_UP)).
		q, qs := divide38(x, as, y, bs)
		return fitDecimal(rescaleHalfUp(q, qs, rt.S), rt), nil
	}
	return fitDecimal(rescaleHalfUp(num, sc, rt.S), rt), nil
}

// divide38 is BigDecimal.divide(divisor, new MathContext(38, HALF_UP)) of x/10^xs by
// y/10^ys (y not zero): the quotient rounded half away from zero to 38 significant
// digits, as an unscaled value and its scale.
func divide38(x *big.Int, xs int, y *big.Int, ys int) (*big.Int, int) {
	n := new(big.Int).Mul(x, pow10(ys))
	d := new(big.Int).Mul(y, pow10(xs))
	if n.Sign() == 0 {
		return new(big.Int), 0
	}
	digits := func(v *big.Int) int { return len(new(big.Int).Abs(v).String()) }
	// |n/d| * 10^sc has 38 or 39 digits before the point; keep 38.
	at := func(sc int) (*big.Int, *big.Int) {
		if sc >= 0 {
			return new(big.Int).Mul(n, pow10(sc)), d
		}
		return n, new(big.Int).Mul(d, pow10(-sc))
	}
	sc := 38 - (digits(n) - digits(d))
	if nn, dd := at(sc); digits(new(big.Int).Quo(nn, dd)) > 38 {
		sc--
	}
	nn, dd := at(sc)
	return divHalfUp(nn, dd), sc
}

// divHalfUp is n/d rounded half away from zero (RoundingMode.HALF_UP).
func divHalfUp(n, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(new(big.Int).Abs(d)) >= 0 {
		if (n.Sign() < 0) != (d.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func fitDecimal(unscaled *big.Int, t Type) Value {
	if !fitsPrecision(unscaled, t.P) {
		return nullValue
	}
	return Value{D: unscaled}
}

func (e *Expr) evalFn(args []Value) (Value, error) {
	if v, err, ok := e.evalBuiltinFn(args); ok { // fn.go
		return v, err
	}
	anyNull := false
	for _, a := range args {
		anyNull = anyNull || a.Null
	}
	switch e.Name {
	case "NULLIF":
		if args[0].Null {
			return nullValue, nil
		}
		if !args[1].Null {
			ct, _ := commonType(e.Args[0].T, e.Args[1].T)
			if compare(convert(args[0], e.Args[0].T, ct), convert(args[1], e.Args[1].T, ct), ct) == 0 {
				return nullValue, nil
			}
		}
		return convert(args[0], e.Args[0].T, e.T), nil
	case "CONCAT":
		if anyNull {
			return nullValue, nil
		}
		var b strings.Builder
		for _, a := range args {
			b.WriteString(a.S)
		}
		return Value{S: b.String()}, nil
	}
	if anyNull {
		return nullValue, nil
	}
	x, t := args[0], e.Args[0].T
	switch e.Name {
	case "UPPER":
		return Value{S: javaUpper(x.S)}, nil
	case "LOWER":
		return Value{S: javaLower(x.S)}, nil
	case "CHAR_LENGTH":
		return Value{I: int64(utf8.RuneCountInString(x.S))}, nil
	case "ABS":
		switch {
		case t.Kind.isInteger():
			if x.I < 0 {
				return Value{I: wrapInt(-x.I, t.Kind)}, nil
			}
			return x, nil
		case t.Kind == Decimal:
			return Value{D: new(big.Int).Abs(x.D)}, nil
		}
		return Value{F: math.Abs(x.F)}, nil
	case "MOD":
		return arith("%", args[0], args[1], e.Args[0].T, e.Args[1].T, e.T)
	case "FLOOR", "CEIL":
		if t.Kind.isInteger() {
			return x, nil
		}
		f := math.Floor
		if e.Name == "CEIL" {
			f = math.Ceil
		}
		if t.Kind == Float {
			return Value{F: float64(float32(f(x.F)))}, nil
		}
		return Value{F: f(x.F)}, nil
	case "ROUND":
		return round(x, t, int(args[1].I), e.T)
	}
	if v, ok, err := e.applyTime(args); ok { // timeref.go
		return v, err
	}
	panic("difftest: no evaluation for function " + e.Name)
}

// round is Flink's ROUND(x, r) for r >= 0 (SqlFunctionUtils.sround: HALF_UP on the
// BigDecimal; a double goes through BigDecimal.valueOf, i.e. its shortest decimal text).
func round(x Value, t Type, r int, rt Type) (Value, error) {
	switch {
	case t.Kind.isInteger():
		return x, nil
	case t.Kind == Decimal:
		if r >= t.S {
			return x, nil
		}
		u := rescaleHalfUp(x.D, t.S, r)
		return fitDecimal(u, rt), nil
	}
	if math.IsNaN(x.F) || math.IsInf(x.F, 0) {
		// BigDecimal.valueOf throws NumberFormatException("Infinite or NaN").
		return nullValue, failf("ROUND of %s fails", javaDouble(x.F))
	}
	// BigDecimal.valueOf(d) is new BigDecimal(Double.toString(d)).
	s := javaDouble(x.F)
	if t.Kind == Float {
		s = javaDouble(float64(float32(x.F))) // Flink widens the float first
	}
	d, ok := new(big.Float).SetPrec(0).SetString(s)
	_ = d
	if !ok {
		return nullValue, failf("cannot round %s", s)
	}
	unscaled, scale := parseJavaDecimal(s)
	u := rescaleHalfUp(unscaled, scale, r)
	f := toFloat(Value{D: u}, tDec(38, r))
	if t.Kind == Float {
		f = float64(float32(f))
	}
	return Value{F: f}, nil
}

// parseJavaDecimal reads Java's decimal text (digits, '.', an E exponent) into an
// unscaled value and a scale.
func parseJavaDecimal(s string) (*big.Int, int) {
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		fmt.Sscan(s[i+1:], &exp)
		s = s[:i]
	}
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
		s = s[:i] + s[i+1:]
	}
	u, _ := new(big.Int).SetString(s, 10)
	scale -= exp
	if scale < 0 {
		u.Mul(u, pow10(-scale))
		scale = 0
	}
	return u, scale
}

// substring is Flink's SUBSTRING(s FROM pos [FOR len]) over characters
// (BinaryStringData.substringSQL, as Spark's): a positive pos is 1-based, 0 is the
// start, a negative pos counts from the end.
func substring(args []Value) Value {
	for _, a := range args {
		if a.Null {
			return nullValue
		}
	}
	rs := []rune(args[0].S)
	n, pos := int64(len(rs)), args[1].I
	start := int64(0)
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := n
	if len(args) == 3 {
		end = start + args[2].I
	}
	start = max(start, 0)
	end = min(end, n)
	if start >= end {
		return Value{S: ""}
	}
	return Value{S: string(rs[start:end])}
}

func trim(mode, s, chars string) string {
	in := func(r rune) bool { return strings.ContainsRune(chars, r) }
	switch mode {
	case "LEADING":
		return strings.TrimLeftFunc(s, in)
	case "TRAILING":
		return strings.TrimRightFunc(s, in)
	}
	return strings.TrimFunc(s, in)
}

// likeMatch is SQL LIKE: '%' any run of characters, '_' one character; the escape
// character (if any) makes the next pattern character literal.
func likeMatch(s, p, escape string) bool {
	sr := []rune(s)
	var pr []rune
	var lit []bool // pr[i] is a literal character
	for i, ps := 0, []rune(p); i < len(ps); i++ {
		if escape != "" && ps[i] == []rune(escape)[0] && i+1 < len(ps) {
			i++
			pr, lit = append(pr, ps[i]), append(lit, true)
			continue
		}
		pr, lit = append(pr, ps[i]), append(lit, false)
	}
	var m func(i, j int) bool
	memo := map[[2]int]bool{}
	m = func(i, j int) bool {
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var v bool
		switch {
		case j == len(pr):
			v = i == len(sr)
		case pr[j] == '%' && !lit[j]:
			v = m(i, j+1) || i < len(sr) && m(i+1, j)
		case i < len(sr) && (pr[j] == '_' && !lit[j] || pr[j] == sr[i]):
			v = m(i+1, j+1)
		}
		memo[k] = v
		return v
	}
	return m(0, 0)
}

// javaDoubleCompare is Java's Double.compare: -0.0 < 0.0, NaN equal to itself and
// above everything.
func javaDoubleCompare(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an || bn:
		if an && bn {
			return 0
		}
		if an {
			return 1
		}
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	case math.Signbit(a) == math.Signbit(b):
		return 0
	case math.Signbit(a):
		return -1
	}
	return 1
}
