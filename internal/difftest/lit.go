package difftest

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

func intLit(v int64) *Expr {
	t := tInt
	if v < math.MinInt32 || v > math.MaxInt32 {
		t = tBig
	}
	return &Expr{Op: "lit", Text: fmt.Sprint(v), Val: Value{I: v}, T: t}
}

// negate is unary minus. Calcite's parser makes "- 2147483648" one negative literal,
// typed by its value (SqlLiteral.createNegative): INT when it fits, as -2147483648 does.
func negate(a *Expr) *Expr {
	if a.Op == "lit" && a.T.Kind.isInteger() && !a.Val.Null {
		return &Expr{Op: "neg", Args: []*Expr{a}, T: intLit(-a.Val.I).T}
	}
	if a.Op == "neg" && len(a.Args) == 1 && a.Args[0].Op == "lit" && a.Args[0].T.Kind.isInteger() {
		return &Expr{Op: "neg", Args: []*Expr{a}, T: intLit(a.Args[0].Val.I).T}
	}
	return &Expr{Op: "neg", Args: []*Expr{a}, T: a.T}
}

func strLit(s string) *Expr {
	return &Expr{Op: "lit", Text: "'" + strings.ReplaceAll(s, "'", "''") + "'", Val: Value{S: s},
		T: Type{Kind: Char, P: len([]rune(s))}}
}

// literal is a constant of class c: a literal, a typed NULL, or a CAST of a literal
// where SQL has no literal of the type.
func (g *Gen) literal(c class) *Expr {
	if g.p(0.08) {
		t := g.typeOf(c).null(true)
		return &Expr{Op: "cast", Args: []*Expr{{Op: "lit", Text: "NULL", T: tNullTyp, Val: nullValue}}, To: t, T: t}
	}
	switch c {
	case cBool:
		b := g.p(0.5)
		return &Expr{Op: "lit", Text: strings.ToUpper(fmt.Sprint(b)), Val: boolValue(b), T: tBool}
	case cInt:
		v := pick(g, []int64{0, 1, 2, 3, -1, 7, 10, 100, 127, 128, 255, 32767, 32768, 2147483647, 2147483648, -2147483648, 9000000000, math.MaxInt64})
		if g.p(0.5) {
			v = int64(g.n(21) - 10)
		}
		var e *Expr
		if v < 0 {
			if v == math.MinInt64 {
				return intLit(math.MaxInt64)
			}
			e = negate(intLit(-v))
		} else {
			e = intLit(v)
		}
		if g.p(0.25) {
			to := pick(g, []Type{tTiny, tSmall, tBig})
			return &Expr{Op: "cast", Args: []*Expr{e}, To: to, T: to}
		}
		return e
	case cDecimal:
		text := pick(g, []string{"0.5", "1.0", "12.34", "2.25", "99999999.99", "0.000001", "1.005", "123456789012345678.9", "0.1", "3.14159"})
		neg := g.p(0.3)
		u, scale := parseJavaDecimal(text)
		digits := len(strings.TrimLeft(strings.Replace(text, ".", "", 1), "0"))
		p := max(digits, scale, 1)
		if strings.HasPrefix(text, "0.") {
			p = scale // 0.5 is DECIMAL(1, 1)
		}
		e := &Expr{Op: "lit", Text: text, Val: Value{D: u}, T: tDec(p, scale)}
		if neg {
			return &Expr{Op: "neg", Args: []*Expr{e}, T: e.T}
		}
		return e
	case cApprox:
		f := pick(g, []float64{1.5, 0.1, 2, 1e10, 1e-5, 3.75, 100})
		e := &Expr{Op: "lit", Text: strings.Replace(javaDouble(f), "E", "E", 1), Val: Value{F: f}, T: tDouble}
		if !strings.Contains(e.Text, "E") {
			e.Text += "E0" // a DOUBLE literal needs an exponent; 1.5 alone is a DECIMAL
		}
		if g.p(0.2) {
			s := pick(g, []string{"NaN", "Infinity", "-Infinity", "-0.0"})
			v, _ := castValue(Value{S: s}, tString, tDouble)
			return &Expr{Op: "cast", Args: []*Expr{strLit(s)}, To: tDouble, T: tDouble, Val: v}
		}
		if g.p(0.2) {
			return &Expr{Op: "cast", Args: []*Expr{e}, To: tFloat, T: tFloat}
		}
		return e
	case cString:
		return strLit(pick(g, texts))
	case cBinary:
		b := make([]byte, 1+g.n(3))
		for i := range b {
			b[i] = byte(g.n(256))
		}
		return &Expr{Op: "lit", Text: fmt.Sprintf("X'%X'", b), Val: Value{S: string(b)}, T: Type{Kind: Binary, P: len(b)}}
	case cDate:
		v := g.randomValue(tDate)
		return &Expr{Op: "lit", Text: "DATE '" + csvField(v, tDate) + "'", Val: v, T: tDate}
	case cTime:
		v := g.randomValue(tTime(0))
		return &Expr{Op: "lit", Text: "TIME '" + csvField(v, tTime(0)) + "'", Val: v, T: tTime(0)}
	case cTimestamp, cLTZ:
		v := g.randomValue(tTimestamp(3))
		text := time.UnixMilli(v.I).UTC().Format("2006-01-02 15:04:05.000")
		e := &Expr{Op: "lit", Text: "TIMESTAMP '" + text + "'", Val: v, T: tTimestamp(3)}
		if c == cLTZ {
			return &Expr{Op: "cast", Args: []*Expr{e}, To: tLTZ(3), T: tLTZ(3)}
		}
		return e
	}
	panic("difftest: no literal of class " + fmt.Sprint(c))
}

var _ = big.NewInt
