package optimizer

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// A small reference evaluator for the operators the optimizer folds, written
// independently of fold.go, used to check that rewrites do not change results.
// Values: nil (NULL), bool, int64, *big.Rat (DECIMAL), string.
// Evaluation follows Flink: AND/OR short-circuit left to right with three-valued
// logic, CASE evaluates only the arm it picks, integer arithmetic wraps, DECIMAL
// results are rounded HALF_UP to the result scale (NULL on overflow), division by zero
// and a CAST of bad text fail.

var errRuntime = errors.New("runtime error")

type env struct {
	row  []any
	lets []any
}

func evalExpr(e ir.Expr, en *env) (any, error) {
	switch e := e.(type) {
	case *ir.InputRef:
		return en.row[e.Index], nil
	case *ir.LocalRef:
		return en.lets[e.Index], nil
	case *ir.Literal:
		return refValue(e.Value, e.T), nil
	case *ir.Cast:
		v, err := evalExpr(e.X, en)
		if err != nil {
			return nil, err
		}
		r, err := evalCast(v, e.X.Type(), e.T)
		if err != nil && e.Try {
			return nil, nil
		}
		return r, err
	case *ir.Case:
		for _, w := range e.Whens {
			c, err := evalExpr(w.Cond, en)
			if err != nil {
				return nil, err
			}
			if c == true {
				return evalExpr(w.Then, en)
			}
		}
		return evalExpr(e.Else, en)
	case *ir.Call:
		return evalCall(e, en)
	}
	return nil, fmt.Errorf("evaluator: %T not supported", e)
}

func refValue(v any, t ir.Type) any {
	if v == nil {
		return nil
	}
	if t.Kind == ir.KindDecimal {
		r, ok := new(big.Rat).SetString(v.(string))
		if !ok {
			panic("bad decimal literal " + v.(string))
		}
		return r
	}
	return v
}

func evalCall(e *ir.Call, en *env) (any, error) {
	switch e.Op {
	case ir.OpAnd, ir.OpOr:
		stop := e.Op == ir.OpOr // the value that decides
		sawNull := false
		for _, a := range e.Args {
			v, err := evalExpr(a, en)
			if err != nil {
				return nil, err
			}
			if v == nil {
				sawNull = true
				continue
			}
			if v.(bool) == stop {
				return stop, nil
			}
		}
		if sawNull {
			return nil, nil
		}
		return !stop, nil
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		v, err := evalExpr(a, en)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	switch e.Op {
	case ir.OpIsNull:
		return args[0] == nil, nil
	case ir.OpIsNotNull:
		return args[0] != nil, nil
	case ir.OpIsTrue:
		return args[0] == true, nil
	case ir.OpIsFalse:
		return args[0] == false, nil
	case ir.OpIn:
		if args[0] == nil {
			return nil, nil
		}
		sawNull := false
		for _, v := range args[1:] {
			if v == nil {
				sawNull = true
			} else if refCompare(args[0], v) == 0 {
				return true, nil
			}
		}
		if sawNull {
			return nil, nil
		}
		return false, nil
	}
	for _, a := range args {
		if a == nil {
			return nil, nil
		}
	}
	switch e.Op {
	case ir.OpNot:
		return !args[0].(bool), nil
	case ir.OpNeg:
		if e.T.IsInteger() {
			return refWrap(-args[0].(int64), e.T), nil
		}
		return refDecimal(new(big.Rat).Neg(args[0].(*big.Rat)), e.T), nil
	case ir.OpEq, ir.OpNe, ir.OpLt, ir.OpLe, ir.OpGt, ir.OpGe:
		c := refCompare(args[0], args[1])
		return map[ir.Op]bool{ir.OpEq: c == 0, ir.OpNe: c != 0, ir.OpLt: c < 0, ir.OpLe: c <= 0, ir.OpGt: c > 0, ir.OpGe: c >= 0}[e.Op], nil
	case ir.OpConcat:
		return args[0].(string) + args[1].(string), nil
	case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpMod:
		if e.T.IsInteger() {
			x, y := args[0].(int64), args[1].(int64)
			switch e.Op {
			case ir.OpAdd:
				return refWrap(x+y, e.T), nil
			case ir.OpSub:
				return refWrap(x-y, e.T), nil
			case ir.OpMul:
				return refWrap(x*y, e.T), nil
			}
			if y == 0 {
				return nil, errRuntime
			}
			if e.Op == ir.OpDiv {
				return refWrap(x/y, e.T), nil
			}
			return refWrap(x%y, e.T), nil
		}
		x, y := toRat(args[0]), toRat(args[1])
		r := new(big.Rat)
		switch e.Op {
		case ir.OpAdd:
			r.Add(x, y)
		case ir.OpSub:
			r.Sub(x, y)
		case ir.OpMul:
			r.Mul(x, y)
		case ir.OpDiv:
			if y.Sign() == 0 {
				return nil, errRuntime
			}
			r = refSignificant(r.Quo(x, y), 38)
		default:
			return nil, fmt.Errorf("evaluator: decimal %s", e.Op)
		}
		return refDecimal(r, e.T), nil
	}
	return nil, fmt.Errorf("evaluator: %s not supported", e.Op)
}

func toRat(v any) *big.Rat {
	switch v := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(v)
	case *big.Rat:
		return v
	}
	panic(fmt.Sprintf("not a number: %T", v))
}

func refWrap(v int64, t ir.Type) any {
	switch t.Kind {
	case ir.KindInt:
		return int64(int32(v))
	case ir.KindSmallInt:
		return int64(int16(v))
	case ir.KindTinyInt:
		return int64(int8(v))
	}
	return v
}

// refRound rounds r to s fractional digits, ties away from zero.
func refRound(r *big.Rat, s int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil)
	num := new(big.Int).Mul(r.Num(), scale)
	q, m := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		if r.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return new(big.Rat).SetFrac(q, scale)
}

// refDecimal rounds to the type's scale; NULL when the precision overflows.
func refDecimal(r *big.Rat, t ir.Type) any {
	v := refRound(r, t.Scale)
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Precision-t.Scale)), nil))
	if new(big.Rat).Abs(v).Cmp(limit) >= 0 {
		return nil
	}
	return v
}

// refSignificant rounds to n significant digits, ties away from zero.
func refSignificant(r *big.Rat, n int) *big.Rat {
	if r.Sign() == 0 {
		return r
	}
	abs := new(big.Rat).Abs(r)
	e := 0 // 10^(e-1) <= abs < 10^e
	for abs.Cmp(new(big.Rat).SetFrac(pow(e), big.NewInt(1))) >= 0 {
		e++
	}
	for abs.Cmp(new(big.Rat).SetFrac(big.NewInt(1), pow(1-e))) < 0 {
		e--
	}
	if n-e < 0 {
		return r // not reached with our operands
	}
	return refRound(r, n-e)
}

func pow(n int) *big.Int {
	if n < 0 {
		n = 0
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

func refCompare(a, b any) int {
	switch a := a.(type) {
	case bool:
		bb := b.(bool)
		switch {
		case a == bb:
			return 0
		case !a:
			return -1
		}
		return 1
	case string:
		return strings.Compare(a, b.(string))
	}
	return toRat(a).Cmp(toRat(b))
}

func evalCast(v any, from, to ir.Type) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch {
	case to.IsInteger():
		switch v := v.(type) {
		case int64:
			return refWrap(v, to), nil // Java's narrowing keeps the low bits
		case *big.Rat:
			// Flink: BigDecimal.setScale(0, DOWN).longValue(), then narrowing.
			q := new(big.Int).Quo(v.Num(), v.Denom())
			two64 := new(big.Int).Lsh(big.NewInt(1), 64)
			q.Mod(q, two64) // 0 <= q < 2^64
			if q.Cmp(new(big.Int).Rsh(two64, 1)) >= 0 {
				q.Sub(q, two64)
			}
			return refWrap(q.Int64(), to), nil
		case string:
			i, err := strconv.ParseInt(strings.Trim(v, " "), 10, 64)
			if err != nil || refWrap(i, to) != i {
				return nil, errRuntime
			}
			return i, nil
		}
	case to.Kind == ir.KindDecimal:
		var r *big.Rat
		switch v := v.(type) {
		case string:
			var ok bool
			if r, ok = new(big.Rat).SetString(strings.Trim(v, " ")); !ok || strings.ContainsAny(v, "eE/") {
				return nil, errRuntime
			}
		default:
			r = toRat(v)
		}
		d := refDecimal(r, to)
		if d == nil {
			return nil, errRuntime
		}
		return d, nil
	case to.IsString():
		switch v := v.(type) {
		case int64:
			return strconv.FormatInt(v, 10), nil
		case *big.Rat:
			return v.FloatString(from.Scale), nil
		case string:
			return v, nil
		}
	case to.Kind == ir.KindBoolean:
		return v, nil
	}
	return nil, fmt.Errorf("evaluator: cast %s to %s", from, to)
}

// Random expressions over a row of (INT, INT NOT NULL, BOOLEAN, STRING, DECIMAL(10,2)).

var rowTypes = []ir.Type{ir.Int(), nn(ir.Int()), ir.Boolean(), ir.String(), ir.Decimal(10, 2)}

type gen struct {
	r    *rand.Rand
	cols []ir.Type
}

func (g *gen) pick(n int) int { return g.r.Intn(n) }

func (g *gen) colOf(k ir.Kind) ir.Expr {
	var idx []int
	for i, t := range g.cols {
		if t.Kind == k {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	i := idx[g.pick(len(idx))]
	return ref(i, g.cols[i])
}

func nullable(args ...ir.Expr) bool {
	for _, a := range args {
		if a.Type().Nullable {
			return true
		}
	}
	return false
}

func withNull(t ir.Type, n bool) ir.Type { t.Nullable = n; return t }

func (g *gen) intExpr(d int) ir.Expr {
	if d <= 0 || g.pick(4) == 0 {
		switch g.pick(5) {
		case 0:
			return intLit([]int64{0, 1, 2, -3, 7, 2147483647, -2147483648}[g.pick(7)])
		case 1:
			return nullLit(ir.Int())
		default:
			if c := g.colOf(ir.KindInt); c != nil {
				return c
			}
			return intLit(int64(g.pick(10)))
		}
	}
	switch g.pick(7) {
	case 0, 1, 2:
		op := []ir.Op{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpMod}[g.pick(5)]
		a, b := g.intExpr(d-1), g.intExpr(d-1)
		return call(op, withNull(ir.Int(), nullable(a, b)), a, b)
	case 3:
		a := g.intExpr(d - 1)
		return call(ir.OpNeg, a.Type(), a)
	case 4:
		return &ir.Case{Whens: []ir.When{{Cond: g.boolExpr(d - 1), Then: g.intExpr(d - 1)}}, Else: g.intExpr(d - 1), T: ir.Int()}
	case 5:
		s := []string{"12", " 7 ", "x", "99999999999"}[g.pick(4)]
		return &ir.Cast{X: strLit(s), T: ir.Int(), Try: g.pick(2) == 0}
	default:
		a := g.decExpr(d - 1)
		return &ir.Cast{X: a, T: withNull(ir.Int(), a.Type().Nullable)}
	}
}

func (g *gen) decExpr(d int) ir.Expr {
	if d <= 0 || g.pick(3) == 0 {
		switch g.pick(4) {
		case 0:
			return decLit([]string{"1.25", "0.50", "-2.75", "0.00", "99999999.99"}[g.pick(5)], 10, 2)
		case 1:
			return nullLit(ir.Decimal(10, 2))
		default:
			if c := g.colOf(ir.KindDecimal); c != nil {
				return c
			}
			return decLit("3.10", 10, 2)
		}
	}
	a, b := g.decExpr(d-1), g.decExpr(d-1)
	n := nullable(a, b)
	switch g.pick(5) {
	case 0:
		return call(ir.OpAdd, withNull(ir.Decimal(10, 2), true), a, b) // may overflow: NULL
	case 1:
		return call(ir.OpMul, withNull(ir.Decimal(10, 2), true), a, b) // rounds to 2 digits
	case 2:
		return call(ir.OpDiv, withNull(ir.Decimal(10, 2), true), a, b)
	case 3:
		x := g.intExpr(d - 1)
		return &ir.Cast{X: x, T: withNull(ir.Decimal(12, 2), x.Type().Nullable)}
	default:
		return call(ir.OpNeg, withNull(ir.Decimal(10, 2), n), a)
	}
}

func (g *gen) strExpr(d int) ir.Expr {
	if d <= 0 || g.pick(3) == 0 {
		switch g.pick(4) {
		case 0:
			return &ir.Literal{Value: []string{"a", "B", "", "ab"}[g.pick(4)], T: nn(ir.String())}
		case 1:
			return nullLit(ir.String())
		default:
			if c := g.colOf(ir.KindVarchar); c != nil {
				return c
			}
			return strLit("z")
		}
	}
	switch g.pick(4) {
	case 0, 1:
		a, b := g.strExpr(d-1), g.strExpr(d-1)
		return call(ir.OpConcat, withNull(ir.String(), nullable(a, b)), a, b)
	case 2:
		x := g.intExpr(d - 1)
		return &ir.Cast{X: x, T: withNull(ir.String(), x.Type().Nullable)}
	default:
		return &ir.Case{Whens: []ir.When{{Cond: g.boolExpr(d - 1), Then: g.strExpr(d - 1)}}, Else: g.strExpr(d - 1), T: ir.String()}
	}
}

func (g *gen) boolExpr(d int) ir.Expr {
	if d <= 0 || g.pick(5) == 0 {
		switch g.pick(4) {
		case 0:
			return boolL(g.pick(2) == 0)
		case 1:
			return nullLit(ir.Boolean())
		default:
			if c := g.colOf(ir.KindBoolean); c != nil {
				return c
			}
			return boolL(true)
		}
	}
	cmp := []ir.Op{ir.OpEq, ir.OpNe, ir.OpLt, ir.OpLe, ir.OpGt, ir.OpGe}[g.pick(6)]
	switch g.pick(10) {
	case 0, 1:
		a, b := g.intExpr(d-1), g.intExpr(d-1)
		return call(cmp, withNull(ir.Boolean(), nullable(a, b)), a, b)
	case 2:
		a, b := g.strExpr(d-1), g.strExpr(d-1)
		return call(cmp, withNull(ir.Boolean(), nullable(a, b)), a, b)
	case 3:
		a, b := g.decExpr(d-1), g.intExpr(d-1)
		return call(cmp, withNull(ir.Boolean(), nullable(a, b)), a, b)
	case 4, 5:
		op := []ir.Op{ir.OpAnd, ir.OpOr}[g.pick(2)]
		a, b := g.boolExpr(d-1), g.boolExpr(d-1)
		return call(op, withNull(ir.Boolean(), nullable(a, b)), a, b)
	case 6:
		a := g.boolExpr(d - 1)
		return call(ir.OpNot, a.Type(), a)
	case 7:
		op := []ir.Op{ir.OpIsNull, ir.OpIsNotNull, ir.OpIsTrue, ir.OpIsFalse}[g.pick(4)]
		var a ir.Expr
		if op == ir.OpIsTrue || op == ir.OpIsFalse {
			a = g.boolExpr(d - 1)
		} else {
			a = g.intExpr(d - 1)
		}
		return call(op, nn(ir.Boolean()), a)
	case 8:
		x := g.intExpr(d - 1)
		args := []ir.Expr{x, g.intExpr(0), g.intExpr(0)}
		return call(ir.OpIn, withNull(ir.Boolean(), nullable(args...)), args...)
	default:
		return &ir.Case{Whens: []ir.When{{Cond: g.boolExpr(d - 1), Then: g.boolExpr(d - 1)}}, Else: g.boolExpr(d - 1), T: ir.Boolean()}
	}
}

func (g *gen) expr(d int) ir.Expr {
	switch g.pick(4) {
	case 0:
		return g.intExpr(d)
	case 1:
		return g.boolExpr(d)
	case 2:
		return g.strExpr(d)
	}
	return g.decExpr(d)
}

func (g *gen) row() []any {
	out := make([]any, len(g.cols))
	for i, t := range g.cols {
		if t.Nullable && g.pick(4) == 0 {
			continue
		}
		switch t.Kind {
		case ir.KindInt:
			out[i] = []int64{0, 1, -1, 5, 2147483647}[g.pick(5)]
		case ir.KindBoolean:
			out[i] = g.pick(2) == 0
		case ir.KindVarchar:
			out[i] = []string{"a", "b", ""}[g.pick(3)]
		case ir.KindDecimal:
			out[i] = new(big.Rat).SetFrac64(int64(g.pick(2001)-1000), 100)
		}
	}
	return out
}

func result(v any, err error) string {
	if err != nil {
		return "error"
	}
	if r, ok := v.(*big.Rat); ok {
		return r.RatString()
	}
	return fmt.Sprintf("%T %v", v, v)
}

func TestFoldPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(1)), cols: rowTypes}
	folded := 0
	for i := 0; i < 3000; i++ {
		e := g.expr(4)
		f := FoldExpr(e)
		if ir.ExprKey(f) != ir.ExprKey(e) {
			folded++
		}
		for j := 0; j < 8; j++ {
			en := &env{row: g.row()}
			want := result(evalExpr(e, en))
			got := result(evalExpr(f, en))
			if got != want {
				t.Fatalf("row %v:\n  %s = %s\nfolded:\n  %s = %s", en.row, fmtExpr(e), want, fmtExpr(f), got)
			}
		}
	}
	t.Logf("%d of 3000 expressions changed", folded)
	if folded < 1000 {
		t.Errorf("only %d of 3000 expressions changed: generator too weak", folded)
	}
}

// evalCalc evaluates a Calc over one row as ir.Calc defines it: Lets, then the
// condition, then the projections. ok=false means the row was filtered out.
func evalCalc(c *ir.Calc, row []any) (out []any, ok bool, err error) {
	en := &env{row: row}
	for _, l := range c.Lets {
		v, err := evalExpr(l, en)
		if err != nil {
			return nil, false, err
		}
		en.lets = append(en.lets, v)
	}
	if c.Cond != nil {
		v, err := evalExpr(c.Cond, en)
		if err != nil {
			return nil, false, err
		}
		if v != true {
			return nil, false, nil
		}
	}
	for _, e := range c.Exprs {
		v, err := evalExpr(e, en)
		if err != nil {
			return nil, false, err
		}
		out = append(out, v)
	}
	return out, true, nil
}

func calcResult(out []any, ok bool, err error) string {
	if err != nil {
		return "error"
	}
	if !ok {
		return "filtered"
	}
	var parts []string
	for _, v := range out {
		parts = append(parts, result(v, nil))
	}
	return strings.Join(parts, " | ")
}

// randomCalc builds a Calc whose expressions share subexpressions, so that CSE and
// merging have something to do: a pool of random expressions is combined.
func (g *gen) randomCalc(input ir.Node) *ir.Calc { return g.randomCalcFrom(input, g.randomPool()) }

// randomPool is a pool of random expressions over g's columns for randomCalcFrom.
func (g *gen) randomPool() []ir.Expr {
	return []ir.Expr{g.intExpr(3), g.intExpr(3), g.boolExpr(3), g.strExpr(2), g.decExpr(2)}
}

// randomCalcFrom builds a Calc over input combining the expressions of pool; Calcs
// built from one pool share subexpressions.
func (g *gen) randomCalcFrom(input ir.Node, pool []ir.Expr) *ir.Calc {
	pick := func(k ir.Kind) ir.Expr {
		var ok []ir.Expr
		for _, e := range pool {
			if e.Type().Kind == k {
				ok = append(ok, e)
			}
		}
		if len(ok) == 0 {
			switch k {
			case ir.KindInt:
				return g.intExpr(1)
			case ir.KindBoolean:
				return g.boolExpr(1)
			case ir.KindDecimal:
				return g.decExpr(1)
			}
			return g.strExpr(1)
		}
		return cloneExpr(ok[g.pick(len(ok))])
	}
	c := &ir.Calc{Input: input}
	if g.pick(2) == 0 {
		a, b := g.boolExpr(2), pick(ir.KindBoolean)
		if g.pick(2) == 0 {
			a, b = b, a
		}
		c.Cond = call(ir.OpAnd, withNull(ir.Boolean(), nullable(a, b)), a, b)
	}
	for k := 0; k < 4; k++ {
		var e ir.Expr
		switch g.pick(5) {
		case 4:
			e = ref(g.pick(len(g.cols)), ir.Type{})
			e.(*ir.InputRef).T = g.cols[e.(*ir.InputRef).Index]
		case 0:
			a, b := pick(ir.KindInt), pick(ir.KindInt)
			e = call(ir.OpAdd, withNull(ir.Int(), nullable(a, b)), a, b)
		case 1:
			a, b := pick(ir.KindBoolean), pick(ir.KindInt)
			e = &ir.Case{Whens: []ir.When{{Cond: a, Then: b}}, Else: pick(ir.KindInt), T: ir.Int()}
		case 2:
			e = pick(ir.KindVarchar)
		default:
			e = pick(ir.KindDecimal)
		}
		c.Exprs = append(c.Exprs, e)
		c.Names = append(c.Names, fmt.Sprintf("e%d", k))
	}
	return c
}

func TestEliminateCommonSubexpressionsPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(2)), cols: rowTypes}
	scan := &ir.Scan{Table: &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]}}}, Columns: []int{0, 1, 2, 3, 4}}
	hoisted := 0
	for i := 0; i < 1500; i++ {
		c := g.randomCalc(scan)
		p := sinkOver(c)
		q := EliminateCommonSubexpressions(p)
		mustCheck(t, q)
		cc := q.Sinks[0].Input.(*ir.Calc)
		hoisted += len(cc.Lets)
		for j := 0; j < 8; j++ {
			row := g.row()
			want := calcResult(evalCalc(c, row))
			got := calcResult(evalCalc(cc, row))
			if got != want {
				t.Fatalf("row %v:\n%s=> %s\nafter CSE:\n%s=> %s", row, show(p), want, show(q), got)
			}
		}
	}
	t.Logf("%d lets created", hoisted)
	if hoisted < 300 {
		t.Errorf("only %d lets created: generator too weak", hoisted)
	}
}

func TestMergeCalcsPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(3)), cols: rowTypes}
	scan := &ir.Scan{Table: &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]}}}, Columns: []int{0, 1, 2, 3, 4}}
	merged := 0
	for i := 0; i < 1500; i++ {
		inner := g.randomCalc(scan)
		og := &gen{r: g.r, cols: nil}
		for _, e := range inner.Exprs {
			og.cols = append(og.cols, e.Type())
		}
		outer := og.randomCalc(inner)
		p := sinkOver(outer)
		// Half the time both Calcs carry Lets first, so merging has to renumber them.
		in := p
		if i%2 == 1 {
			in = EliminateCommonSubexpressions(p)
		}
		q := MergeCalcs(in)
		mustCheck(t, q)
		top := q.Sinks[0].Input.(*ir.Calc)
		if _, ok := top.Input.(*ir.Scan); ok {
			merged++
		}
		for j := 0; j < 8; j++ {
			row := g.row()
			want := calcResult(evalTwo(outer, inner, row))
			var got string
			if mid, ok := top.Input.(*ir.Calc); ok {
				got = calcResult(evalTwo(top, mid, row))
			} else {
				got = calcResult(evalCalc(top, row))
			}
			// Merging may drop an inner projection nobody reads, and with it a
			// failure (as Flink does); it must never add one or change a value.
			if got != want && want != "error" {
				t.Fatalf("row %v:\n%s=> %s\nafter MergeCalcs:\n%s=> %s", row, show(p), want, show(q), got)
			}
		}
	}
	t.Logf("%d of 1500 merged", merged)
	if merged < 500 {
		t.Errorf("only %d of 1500 merged", merged)
	}
}

func evalTwo(outer, inner *ir.Calc, row []any) ([]any, bool, error) {
	mid, ok, err := evalCalc(inner, row)
	if err != nil || !ok {
		return nil, ok, err
	}
	return evalCalc(outer, mid)
}

func TestPushFiltersPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(4)), cols: rowTypes}
	scan := &ir.Scan{Table: &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]}}}, Columns: []int{0, 1, 2, 3, 4}}
	pushed := 0
	for i := 0; i < 1500; i++ {
		inner := g.randomCalc(scan)
		og := &gen{r: g.r}
		for _, e := range inner.Exprs {
			og.cols = append(og.cols, e.Type())
		}
		outer := og.randomCalc(inner)
		p := sinkOver(outer)
		q := PushFilters(p)
		mustCheck(t, q)
		top := q.Sinks[0].Input.(*ir.Calc)
		mid := top.Input.(*ir.Calc)
		if ir.ExprKey(top.Cond) != ir.ExprKey(outer.Cond) {
			pushed++
		}
		for j := 0; j < 8; j++ {
			row := g.row()
			want := calcResult(evalTwo(outer, inner, row))
			got := calcResult(evalTwo(top, mid, row))
			// Filtering earlier may skip a failing projection; nothing else changes.
			if got != want && want != "error" {
				t.Fatalf("row %v:\n%s=> %s\nafter PushFilters:\n%s=> %s", row, show(p), want, show(q), got)
			}
		}
	}
	t.Logf("%d of 1500 conditions pushed", pushed)
	if pushed < 100 {
		t.Errorf("only %d of 1500 conditions pushed", pushed)
	}
}

// evalNode evaluates a plan node over the rows of every Scan (the same rows for each
// table, as all our random plans read one table) and returns its output rows. An
// Aggregate returns its final result per group (the last +I/+U of each key), which is
// what an upsert sink ends up holding.
func evalNode(n ir.Node, input [][]any) ([][]any, error) {
	switch n := n.(type) {
	case *ir.Union:
		var out [][]any
		for _, b := range n.Branches {
			rows, err := evalNode(b, input)
			if err != nil {
				return nil, err
			}
			out = append(out, rows...)
		}
		return out, nil
	case *ir.Scan:
		var out [][]any
		for _, r := range input {
			row := make([]any, len(n.Columns))
			for i, c := range n.Columns {
				row[i] = r[c]
			}
			out = append(out, row)
		}
		return out, nil
	case *ir.Calc:
		in, err := evalNode(n.Input, input)
		if err != nil {
			return nil, err
		}
		var out [][]any
		for _, r := range in {
			o, ok, err := evalCalc(n, r)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, o)
			}
		}
		return out, nil
	case *ir.Aggregate:
		in, err := evalNode(n.Input, input)
		if err != nil {
			return nil, err
		}
		groups := map[string][][]any{}
		var keys []string
		for _, r := range in {
			var kp []string
			for _, g := range n.GroupBy {
				kp = append(kp, result(r[g], nil))
			}
			k := strings.Join(kp, "|")
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], r)
		}
		var out [][]any
		for _, k := range keys {
			rows := groups[k]
			var o []any
			for _, g := range n.GroupBy {
				o = append(o, rows[0][g])
			}
			for _, a := range n.Aggs {
				v, err := evalAgg(a, rows)
				if err != nil {
					return nil, err
				}
				o = append(o, v)
			}
			out = append(out, o)
		}
		return out, nil
	case *ir.Sink:
		return evalNode(n.Input, input)
	}
	return nil, fmt.Errorf("evaluator: %T", n)
}

func evalAgg(a ir.AggCall, rows [][]any) (any, error) {
	var count int64
	var acc any
	for _, r := range rows {
		if a.Arg == nil {
			count++
			continue
		}
		v, err := evalExpr(a.Arg, &env{row: r})
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		count++
		switch a.Func {
		case ir.AggSum:
			if acc == nil {
				acc = v
			} else {
				acc = refWrap(acc.(int64)+v.(int64), a.T)
			}
		case ir.AggMax:
			if acc == nil || refCompare(v, acc) > 0 {
				acc = v
			}
		}
	}
	if a.Func == ir.AggCount {
		return count, nil
	}
	return acc, nil
}

func tableResult(rows [][]any, err error) string {
	if err != nil {
		return "error"
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, calcResult(r, true, nil))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// randomAggPlan: Scan -> Calc -> [Calc] -> Aggregate -> Calc -> Sink, with duplicate
// aggregates, unused columns, and conditions on group columns above the Aggregate.
func (g *gen) randomAggPlan(scan *ir.Scan) *ir.Plan {
	agg := g.randomAgg(scan)
	out := agg.Schema()
	og := &gen{r: g.r}
	for _, f := range out {
		og.cols = append(og.cols, f.Type)
	}
	post := og.randomCalc(agg)
	if len(agg.GroupBy) > 0 && g.pick(2) == 0 {
		// A condition on the group column: pushed below the Aggregate.
		k := ref(0, out[0].Type)
		var cond ir.Expr
		switch out[0].Type.Kind {
		case ir.KindInt:
			cond = callN(ir.OpGt, ir.Boolean(), k, intLit(0))
		case ir.KindBoolean:
			cond = k
		default:
			cond = callN(ir.OpNe, ir.Boolean(), k, &ir.Literal{Value: "a", T: nn(ir.String())})
		}
		post.Cond = and(cond, post.Cond)
	}
	return sinkOver(post)
}

// randomAgg: Scan -> Calc -> [Calc] -> Aggregate with duplicate aggregates.
func (g *gen) randomAgg(scan *ir.Scan) *ir.Aggregate {
	var n ir.Node = g.randomCalc(scan)
	if g.pick(2) == 0 {
		og := &gen{r: g.r}
		for _, f := range n.Schema() {
			og.cols = append(og.cols, f.Type)
		}
		n = og.randomCalc(n)
	}
	in := n.Schema()
	var groupable, ints []int
	for i, f := range in {
		switch f.Type.Kind {
		case ir.KindInt, ir.KindVarchar, ir.KindBoolean:
			groupable = append(groupable, i)
		}
		if f.Type.Kind == ir.KindInt {
			ints = append(ints, i)
		}
	}
	agg := &ir.Aggregate{Input: n}
	if len(groupable) > 0 {
		gcol := groupable[g.pick(len(groupable))]
		agg.GroupBy = []int{gcol}
		agg.Names = []string{"k"}
	}
	agg.Aggs = append(agg.Aggs, ir.AggCall{Func: ir.AggCount, T: nn(ir.BigInt()), Name: "cnt"})
	if len(ints) > 0 {
		c := ints[g.pick(len(ints))]
		arg := func() ir.Expr { return ref(c, in[c].Type) }
		agg.Aggs = append(agg.Aggs,
			ir.AggCall{Func: ir.AggSum, Arg: arg(), T: ir.Int(), Name: "s1"},
			ir.AggCall{Func: ir.AggMax, Arg: arg(), T: ir.Int(), Name: "m"},
			ir.AggCall{Func: ir.AggSum, Arg: arg(), T: ir.Int(), Name: "s2"},
			ir.AggCall{Func: ir.AggCount, Arg: arg(), T: nn(ir.BigInt()), Name: "c"})
	}
	for _, a := range agg.Aggs {
		agg.Names = append(agg.Names, a.Name)
	}
	return agg
}

func TestOptimizePreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(5)), cols: rowTypes}
	tab := &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]},
		{Name: "unused", Type: ir.String()}}}
	compared, deduped, filteredBelow := 0, 0, 0
	for i := 0; i < 400; i++ {
		scan := &ir.Scan{Table: tab, Columns: []int{0, 1, 2, 3, 4, 5}}
		p := g.randomAggPlan(scan)
		prog, err := Optimize(p)
		if err != nil {
			t.Fatalf("%v\n%s", err, show(p))
		}
		if a := aggregatesOf(prog.Plan.Sinks[0]); a != nil {
			if len(a.Aggs) < len(aggregatesOf(p.Sinks[0]).Aggs) {
				deduped++
			}
			if c, ok := a.Input.(*ir.Calc); ok && c.Cond != nil {
				filteredBelow++
			}
		}
		if sc := scans(prog.Plan.Sinks[0])[0]; len(sc.Columns) > 5 {
			t.Errorf("unused column not pruned:\n%s", show(prog.Plan))
		}
		for j := 0; j < 4; j++ {
			var rows [][]any
			for k := 0; k < 6; k++ {
				rows = append(rows, append(g.row(), "zzz"))
			}
			want := tableResult(evalNode(p.Sinks[0], rows))
			if want == "error" {
				continue
			}
			compared++
			got := tableResult(evalNode(prog.Plan.Sinks[0], rows))
			if got != want {
				t.Fatalf("input %v\nbound:\n%s=>\n%s\noptimized:\n%s=>\n%s", rows, show(p), want, show(prog.Plan), got)
			}
		}
	}
	t.Logf("%d comparisons; %d plans with deduplicated aggregates, %d with a filter below the aggregate", compared, deduped, filteredBelow)
	if deduped < 100 || filteredBelow < 50 {
		t.Errorf("generator too weak")
	}
	if compared < 400 {
		t.Errorf("only %d comparisons: too many failing inputs", compared)
	}
}

// TestShareAggregateCalcsPreservesResults reads one random Aggregate by two to four
// random Calcs built from one pool of expressions (with and without CSE's Lets and
// conditions), each into a Sink: after ShareAggregateCalcs every sink has the same rows,
// and the job fails exactly when it failed before (some sink's evaluation fails).
func TestShareAggregateCalcsPreservesResults(t *testing.T) {
	g := &gen{r: rand.New(rand.NewSource(6)), cols: rowTypes}
	tab := &ir.Table{Name: "t", Columns: []*ir.Column{
		{Name: "a", Type: rowTypes[0]}, {Name: "b", Type: rowTypes[1]}, {Name: "c", Type: rowTypes[2]},
		{Name: "d", Type: rowTypes[3]}, {Name: "e", Type: rowTypes[4]}}}
	sharedPlans, failing, compared := 0, 0, 0
	for i := 0; i < 600; i++ {
		agg := g.randomAgg(&ir.Scan{Table: tab, Columns: []int{0, 1, 2, 3, 4}})
		og := &gen{r: g.r}
		for _, f := range agg.Schema() {
			og.cols = append(og.cols, f.Type)
		}
		pool := og.randomPool()
		p := &ir.Plan{}
		for k := 0; k < 2+g.pick(3); k++ {
			p.Sinks = append(p.Sinks, sinkOver(og.randomCalcFrom(agg, pool)).Sinks[0])
		}
		if i%2 == 1 {
			p = EliminateCommonSubexpressions(p)
		}
		q := ShareAggregateCalcs(p)
		mustCheck(t, q)
		prog, err := BuildPipelines(q)
		if err == nil {
			err = Check(prog)
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, show(q))
		}
		if strings.Contains(ir.DumpProgram(prog), "shared Calc") {
			sharedPlans++
		}
		for j := 0; j < 4; j++ {
			var rows [][]any
			for k := 0; k < 6; k++ {
				rows = append(rows, g.row())
			}
			var want, got []string
			wantErr, gotErr := false, false
			for s := range p.Sinks {
				w := tableResult(evalNode(p.Sinks[s], rows))
				o := tableResult(evalNode(q.Sinks[s], rows))
				wantErr = wantErr || w == "error"
				gotErr = gotErr || o == "error"
				want, got = append(want, w), append(got, o)
			}
			if wantErr != gotErr || (!wantErr && !slices.Equal(want, got)) {
				t.Fatalf("input %v\nbefore:\n%s=>\n%s\nafter:\n%s=>\n%s", rows, show(p), strings.Join(want, "\n--\n"), show(q), strings.Join(got, "\n--\n"))
			}
			if wantErr {
				failing++
			} else {
				compared++
			}
		}
	}
	t.Logf("%d of 600 plans share a Calc; %d inputs compared, %d failing in both", sharedPlans, compared, failing)
	if sharedPlans < 200 || compared < 600 {
		t.Errorf("generator too weak")
	}
}
