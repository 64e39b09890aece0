package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// class is what kind of value an expression the generator asks for produces.
type class int

const (
	cBool class = iota
	cInt
	cDecimal
	cApprox
	cString
	cBinary
	cDate
	cTime
	cTimestamp
	cLTZ
	nClasses
)

func classOf(t Type) class {
	switch {
	case t.Kind == Boolean:
		return cBool
	case t.Kind.isInteger():
		return cInt
	case t.Kind == Decimal:
		return cDecimal
	case t.Kind.isApprox():
		return cApprox
	case t.Kind.isString():
		return cString
	case t.Kind.isBinary():
		return cBinary
	case t.Kind == Date:
		return cDate
	case t.Kind == Time:
		return cTime
	case t.Kind == Timestamp:
		return cTimestamp
	}
	return cLTZ
}

// scope is what an expression may read: its leaves.
type scope struct {
	leaves []*Expr // "col", "keyref" or "aggref" nodes
}

func (s *scope) of(c class) []*Expr {
	var out []*Expr
	for _, l := range s.leaves {
		if classOf(l.T) == c {
			out = append(out, l)
		}
	}
	return out
}

// Gen makes random queries and data from one seed.
type Gen struct {
	r     *rand.Rand
	udfs  bool
	depth int
	names int
}

// NewGen returns a generator for one seed.
func NewGen(seed uint64, udfs bool) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), udfs: udfs}
}

func (g *Gen) n(k int) int         { return g.r.IntN(k) }
func (g *Gen) p(prob float64) bool { return g.r.Float64() < prob }

func pick[T any](g *Gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

func (g *Gen) name(prefix string) string {
	g.names++
	return fmt.Sprintf("%s%d", prefix, g.names)
}

// Expr returns a random expression of class c over the scope, at most depth deep.
func (g *Gen) Expr(s *scope, c class, depth int) *Expr {
	for range 20 {
		if e := g.tryExpr(s, c, depth); e != nil {
			return e
		}
	}
	return g.leaf(s, c)
}

func (g *Gen) leaf(s *scope, c class) *Expr {
	if ls := s.of(c); len(ls) > 0 && g.p(0.75) {
		return pick(g, ls)
	}
	return g.literal(c)
}

func (g *Gen) tryExpr(s *scope, c class, depth int) *Expr {
	if depth <= 0 || g.p(0.25) {
		return g.leaf(s, c)
	}
	d := depth - 1
	// Forms every class has.
	switch g.n(12) {
	case 0:
		return g.caseExpr(s, c, d)
	case 1:
		return g.coalesce(s, c, d)
	case 2:
		return g.castTo(s, c, d)
	case 3:
		a := g.Expr(s, c, d)
		return mkFn("NULLIF", a.T.null(true), a, g.Expr(s, classOf(a.T), d))
	}
	if e := g.builtinExpr(s, c, d); e != nil { // fn.go
		return e
	}
	if g.p(0.15) {
		if e := g.timeExpr(s, c, d); e != nil { // timefn.go
			return e
		}
	}
	switch c {
	case cBool:
		return g.boolExpr(s, d)
	case cInt, cDecimal, cApprox:
		return g.numExpr(s, c, d)
	case cString:
		return g.stringExpr(s, d)
	case cTimestamp:
		if g.p(0.5) {
			return g.intervalExpr(s, d)
		}
	}
	return g.leaf(s, c)
}

// intervalExpr is TIMESTAMP ± INTERVAL 'n' unit (day-time intervals).
func (g *Gen) intervalExpr(s *scope, d int) *Expr {
	a := g.Expr(s, cTimestamp, d)
	unit := pick(g, []string{"SECOND", "MINUTE", "HOUR", "DAY"})
	n := int64(g.n(100))
	ms := n * map[string]int64{"SECOND": 1000, "MINUTE": 60000, "HOUR": 3600000, "DAY": 86400000}[unit]
	return &Expr{Op: pick(g, []string{"+interval", "-interval"}), Args: []*Expr{a}, T: a.T,
		Text: fmt.Sprintf("INTERVAL '%d' %s", n, unit), Val: Value{I: ms}}
}

func (g *Gen) boolExpr(s *scope, d int) *Expr {
	switch g.n(9) {
	case 0, 1:
		op := pick(g, []string{"=", "<>", "<", "<=", ">", ">="})
		a, b := g.comparablePair(s, d)
		e := &Expr{Op: op, Args: []*Expr{a, b}, T: tBool.orNull(a.T, b.T)}
		if op == "<>" && g.p(0.3) {
			e.Spell = "!="
		}
		return e
	case 2:
		op := pick(g, []string{"AND", "OR"})
		a, b := g.Expr(s, cBool, d), g.Expr(s, cBool, d)
		return &Expr{Op: op, Args: []*Expr{a, b}, T: tBool.orNull(a.T, b.T)}
	case 3:
		a := g.Expr(s, cBool, d)
		return &Expr{Op: "not", Args: []*Expr{a}, T: tBool.orNull(a.T)}
	case 4:
		op := pick(g, []string{"isnull", "isnotnull", "istrue", "isfalse", "isnottrue", "isnotfalse"})
		cl := pick(g, []class{cBool, cInt, cString, cDecimal, cApprox, cDate, cTimestamp})
		if op != "isnull" && op != "isnotnull" || g.p(0.2) {
			cl = cBool
		}
		e := &Expr{Op: op, Args: []*Expr{g.Expr(s, cl, d)}, T: tBool}
		if (op == "isnull" || op == "isnotnull") && cl == cBool && g.p(0.5) {
			e.Spell = "UNKNOWN"
		}
		return e
	case 5:
		a, _ := g.comparablePair(s, d)
		args := []*Expr{a}
		t := tBool.orNull(a.T)
		for range 1 + g.n(4) {
			x := g.Expr(s, classOf(a.T), 0)
			if !comparable(a.T, x.T) {
				continue
			}
			args = append(args, x)
			t = t.orNull(x.T)
		}
		return &Expr{Op: pick(g, []string{"in", "notin"}), Args: args, T: t}
	case 6:
		a, b := g.comparablePair(s, d)
		c := g.Expr(s, classOf(b.T), 0)
		if !comparable(a.T, c.T) || !comparable(b.T, c.T) {
			return nil
		}
		e := &Expr{Op: pick(g, []string{"between", "notbetween"}), Args: []*Expr{a, b, c}, T: tBool.orNull(a.T, b.T, c.T)}
		if g.p(0.3) {
			e.Spell = "SYMMETRIC"
		}
		return e
	case 7:
		a := g.Expr(s, cString, d)
		e := &Expr{Op: pick(g, []string{"like", "notlike"}), Args: []*Expr{a, g.likePattern(false)}, T: tBool.orNull(a.T)}
		if g.p(0.25) {
			e.Args[1], e.Spell = g.likePattern(true), "!"
		}
		return e
	}
	if ls := s.of(cBool); len(ls) > 0 {
		return pick(g, ls)
	}
	return nil
}

// comparablePair is two expressions that may be compared.
func (g *Gen) comparablePair(s *scope, d int) (*Expr, *Expr) {
	c := pick(g, []class{cInt, cInt, cDecimal, cApprox, cString, cString, cBool, cDate, cTime, cTimestamp, cLTZ, cBinary})
	if g.p(0.3) && (c == cInt || c == cDecimal || c == cApprox) {
		return g.Expr(s, c, d), g.Expr(s, pick(g, []class{cInt, cDecimal, cApprox}), d)
	}
	return g.Expr(s, c, d), g.Expr(s, c, d)
}

func (g *Gen) numExpr(s *scope, c class, d int) *Expr {
	switch g.n(8) {
	case 0, 1, 2:
		op := pick(g, []string{"+", "-", "*", "/", "%"})
		ca, cb := c, c
		if c == cDecimal {
			// A DECIMAL result comes from a DECIMAL and any exact operand.
			if g.p(0.5) {
				cb = cInt
			}
		}
		if c == cApprox && g.p(0.4) {
			cb = pick(g, []class{cInt, cDecimal})
		}
		if g.p(0.5) {
			ca, cb = cb, ca
		}
		a, b := g.Expr(s, ca, d), g.Expr(s, cb, d)
		if op == "/" || op == "%" {
			if b.Op == "lit" && !b.Val.Null && isZero(b.Val, b.T) {
				return nil
			}
		}
		t, ok := arithType(op, a.T, b.T)
		if !ok || classOf(t) != c {
			return nil
		}
		return &Expr{Op: op, Args: []*Expr{a, b}, T: t}
	case 3:
		return negate(g.Expr(s, c, d))
	case 4:
		a := g.Expr(s, c, d)
		return mkFn("ABS", a.T, a)
	case 5:
		if c != cInt && c != cDecimal {
			a := g.Expr(s, c, d)
			e := mkFn(pick(g, []string{"FLOOR", "CEIL"}), a.T, a)
			if e.Name == "CEIL" && g.p(0.3) {
				e.Spell = "CEILING"
			}
			return e
		}
		a, b := g.Expr(s, c, d), g.Expr(s, pick(g, []class{cInt, c}), d)
		if b.Op == "lit" && isZero(b.Val, b.T) {
			return nil
		}
		t, ok := arithType("%", a.T, b.T)
		if !ok || classOf(t) != c {
			return nil
		}
		return mkFn("MOD", t, a, b)
	case 6:
		a := g.Expr(s, c, d)
		r := g.n(4)
		t := a.T
		if a.T.Kind == Decimal {
			// LogicalTypeMerging.findRoundDecimalType
			if r < a.T.S {
				t = tDec(1+a.T.P-a.T.S+r, r).null(a.T.Nullable)
			}
		}
		return mkFn("ROUND", t, a, intLit(int64(r)))
	case 7:
		if c == cInt {
			a := g.Expr(s, cString, d)
			if g.udfs && g.p(0.3) {
				return &Expr{Op: "udf", Name: "lens", Args: []*Expr{a}, T: tBig.null(true)}
			}
			e := mkFn("CHAR_LENGTH", tInt.orNull(a.T), a)
			if g.p(0.3) {
				e.Spell = "CHARACTER_LENGTH"
			}
			return e
		}
	}
	return nil
}

func (g *Gen) stringExpr(s *scope, d int) *Expr {
	switch g.n(7) {
	case 0:
		a := g.Expr(s, cString, d)
		return mkFn(pick(g, []string{"UPPER", "LOWER"}), a.T, a)
	case 1:
		a := g.Expr(s, cString, d)
		start := intLit(int64(g.n(5) - 1))
		t := Type{Kind: VarChar, P: a.T.P, Nullable: a.T.Nullable}
		e := &Expr{Op: "substring", Args: []*Expr{a, start}, T: t}
		if g.p(0.5) {
			e.Args = append(e.Args, intLit(int64(g.n(4))))
		}
		if g.p(0.3) {
			e.Spell = pick(g, []string{"SUBSTRING", "SUBSTR"}) // the comma form
		}
		return e
	case 2:
		a := g.Expr(s, cString, d)
		chars := strLit(pick(g, []string{" ", "a", "ab", " é"}))
		t := Type{Kind: VarChar, P: a.T.P, Nullable: a.T.Nullable}
		e := &Expr{Op: "trim", Name: pick(g, []string{"BOTH", "LEADING", "TRAILING"}), Args: []*Expr{a, chars}, T: t}
		if chars.Val.S == " " && g.p(0.5) {
			e.Spell = map[string]string{"BOTH": "TRIM1", "LEADING": "LTRIM", "TRAILING": "RTRIM"}[e.Name]
		}
		return e
	case 3:
		a, b := g.Expr(s, cString, d), g.Expr(s, cString, d)
		t := Type{Kind: VarChar, P: min(a.T.P+b.T.P, MaxLen), Nullable: a.T.Nullable || b.T.Nullable}
		if a.T.Kind == Char && b.T.Kind == Char {
			t.Kind = Char
		}
		if g.p(0.5) {
			return &Expr{Op: "||", Args: []*Expr{a, b}, T: t}
		}
		return mkFn("CONCAT", Type{Kind: VarChar, P: t.P, Nullable: t.Nullable}, a, b)
	case 4:
		cl := pick(g, []class{cInt, cDecimal, cApprox, cBool, cDate, cTime, cTimestamp, cLTZ, cBinary})
		a := g.Expr(s, cl, d)
		return &Expr{Op: "cast", Args: []*Expr{a}, To: tString, T: tString.orNull(a.T)}
	case 5:
		if g.udfs {
			return g.udfCall(s, d)
		}
	}
	return nil
}

// caseExpr is CASE WHEN b THEN x ... [ELSE y] END, or IF(b, x, y).
func (g *Gen) caseExpr(s *scope, c class, d int) *Expr {
	n := 1 + g.n(2)
	var args []*Expr
	var t Type
	for i := range n {
		cond := g.Expr(s, cBool, d)
		v := g.Expr(s, c, d)
		if i == 0 {
			t = v.T
		} else {
			var ok bool
			if t, ok = commonType(t, v.T); !ok {
				return nil
			}
		}
		args = append(args, cond, v)
	}
	if g.p(0.7) {
		v := g.Expr(s, c, d)
		var ok bool
		if t, ok = commonType(t, v.T); !ok {
			return nil
		}
		args = append(args, v)
	} else {
		t = t.null(true)
	}
	if n == 1 && len(args) == 3 && g.p(0.4) {
		return mkFn("IF", t, args...)
	}
	return &Expr{Op: "case", Args: args, T: t}
}

func (g *Gen) coalesce(s *scope, c class, d int) *Expr {
	a, b := g.Expr(s, c, d), g.Expr(s, c, d)
	t, ok := commonType(a.T, b.T)
	if !ok {
		return nil
	}
	t.Nullable = a.T.Nullable && b.T.Nullable
	return mkFn("COALESCE", t, a, b)
}

// castTo is CAST or TRY_CAST of an expression of another class into class c.
func (g *Gen) castTo(s *scope, c class, d int) *Expr {
	to := g.typeOf(c)
	from := pick(g, []class{cInt, cDecimal, cApprox, cString, cBool, cDate, cTimestamp, cLTZ, cTime, cBinary, c})
	a := g.Expr(s, from, d)
	if !castable(a.T, to) {
		return nil
	}
	op := "cast"
	t := to.orNull(a.T)
	// A CAST that can fail on data (from a string) is usually a TRY_CAST.
	if a.T.Kind.isString() && !to.Kind.isString() && !to.Kind.isBinary() && g.p(0.85) {
		op, t = "trycast", to.null(true)
	}
	if op == "cast" && to.Kind == Decimal && !a.T.Kind.isString() {
		t = t.null(true) // a value too wide for the DECIMAL is NULL
	}
	return &Expr{Op: op, Args: []*Expr{a}, To: to, T: t}
}

// typeOf is a random concrete type of class c, as CAST targets write it.
func (g *Gen) typeOf(c class) Type {
	switch c {
	case cBool:
		return tBool
	case cInt:
		return pick(g, []Type{tTiny, tSmall, tInt, tBig})
	case cDecimal:
		p := 1 + g.n(20)
		return tDec(p, g.n(min(p, 6)+1))
	case cApprox:
		return pick(g, []Type{tFloat, tDouble})
	case cString:
		return pick(g, []Type{tString, tString, {Kind: VarChar, P: 1 + g.n(5)}, {Kind: Char, P: 1 + g.n(5)}})
	case cBinary:
		return pick(g, []Type{tBytes, {Kind: VarBinary, P: 1 + g.n(4)}, {Kind: Binary, P: 1 + g.n(4)}})
	case cDate:
		return tDate
	case cTime:
		return tTime(0)
	case cTimestamp:
		return tTimestamp(pick(g, []int{0, 3, 6, 9}))
	}
	return tLTZ(pick(g, []int{0, 3, 6}))
}

// knownBugs are wrong answers the tester found that are not fixed yet; the generator
// leaves their constructs out so that every other bug still fails the run. Each is an
// open bug (docs/difftest.md lists them); `-known=false` (make difftest KNOWN=false)
// generates them anyway.
var knownBugs = map[string]bool{}

func mkFn(name string, t Type, args ...*Expr) *Expr {
	return &Expr{Op: "fn", Name: name, Args: args, T: t}
}

func isZero(v Value, t Type) bool {
	switch {
	case t.Kind == Decimal:
		return v.D.Sign() == 0
	case t.Kind.isApprox():
		return v.F == 0
	}
	return v.I == 0
}

func (g *Gen) likePattern(escape bool) *Expr {
	parts := []string{"%", "_", "a", "b", "é", "%a%", "Σ", " "}
	if escape {
		parts = append(parts, "!%", "!_", "!!")
	}
	var b strings.Builder
	for range 1 + g.n(3) {
		b.WriteString(pick(g, parts))
	}
	return strLit(b.String())
}
