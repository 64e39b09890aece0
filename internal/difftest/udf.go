package difftest

import "fmt"

// udfSource is the Go package of the tester's user-defined functions, written into the
// scratch module as example.com/difftest/udf. evalUDF is its meaning, written again.
const udfSource = `// Package udf holds the differential tester's Go functions.
package udf

// Tag wraps s in angle brackets.
func Tag(s string) string { return "<" + s + ">" }

// OrDash returns s, or "-" for NULL.
func OrDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// Char is a row of chars: a character of the string and its 1-based position.
type Char struct {
	Pos int64  ` + "`sql:\"pos\"`" + `
	C   string ` + "`sql:\"ch\"`" + `
}

// Chars yields a row per character of s, but none for an 'x' (a nil element).
func Chars(s string) []*Char {
	var out []*Char
	pos := int64(0)
	for _, r := range s {
		pos++
		if r == 'x' {
			out = append(out, nil)
			continue
		}
		out = append(out, &Char{Pos: pos, C: string(r)})
	}
	return out
}

// Lens is a vectorized function: the number of characters of each string, NULL for NULL.
//
//sqlcstream:vectorized
func Lens(s []*string) []*int64 {
	out := make([]*int64, len(s))
	for i, p := range s {
		if p != nil {
			n := int64(len([]rune(*p)))
			out[i] = &n
		}
	}
	return out
}

// MaxLen is an aggregate function: the most characters of its strings, NULL for none.
type MaxLen struct{}

// MaxLenAcc counts the strings of each length, so that a string can be retracted.
type MaxLenAcc struct{ Counts map[int64]int64 }

func (MaxLen) CreateAccumulator() *MaxLenAcc { return &MaxLenAcc{Counts: map[int64]int64{}} }

func (MaxLen) Accumulate(acc *MaxLenAcc, s string) { acc.Counts[int64(len([]rune(s)))]++ }

func (MaxLen) Retract(acc *MaxLenAcc, s string) {
	n := int64(len([]rune(s)))
	if acc.Counts[n]--; acc.Counts[n] == 0 {
		delete(acc.Counts, n)
	}
}

func (MaxLen) Merge(acc, other *MaxLenAcc) {
	for n, c := range other.Counts {
		acc.Counts[n] += c
	}
}

func (MaxLen) GetValue(acc *MaxLenAcc) *int64 {
	var best *int64
	for n := range acc.Counts {
		if best == nil || n > *best {
			v := n
			best = &v
		}
	}
	return best
}
`

// udfDDL declares the functions.
const udfDDL = `CREATE FUNCTION tag AS 'example.com/difftest/udf.Tag' LANGUAGE GO;
CREATE FUNCTION or_dash AS 'example.com/difftest/udf.OrDash' LANGUAGE GO;
CREATE FUNCTION chars AS 'example.com/difftest/udf.Chars' LANGUAGE GO;
CREATE FUNCTION max_len AS 'example.com/difftest/udf.MaxLen' LANGUAGE GO;
CREATE FUNCTION lens AS 'example.com/difftest/udf.Lens' LANGUAGE GO;
`

func (g *Gen) udfCall(s *scope, d int) *Expr {
	a := g.Expr(s, cString, d)
	if g.p(0.5) {
		return &Expr{Op: "udf", Name: "tag", Args: []*Expr{a}, T: tString.orNull(a.T)}
	}
	return &Expr{Op: "udf", Name: "or_dash", Args: []*Expr{a}, T: tString}
}

func evalUDF(name string, args []Value, _ []*Expr) (Value, error) {
	switch name {
	case "tag":
		if args[0].Null {
			return nullValue, nil // a NULL for a value parameter: not called, NULL
		}
		return Value{S: "<" + args[0].S + ">"}, nil
	case "or_dash":
		if args[0].Null {
			return Value{S: "-"}, nil
		}
		return args[0], nil
	case "lens":
		if args[0].Null {
			return nullValue, nil
		}
		return Value{I: int64(len([]rune(args[0].S)))}, nil
	}
	return nullValue, fmt.Errorf("difftest: unknown function %s", name)
}

// chars is the reference's table function: a row (pos, ch) per character but 'x'.
func chars(s string) []Row {
	var out []Row
	for i, r := range []rune(s) {
		if r != 'x' {
			out = append(out, Row{{I: int64(i + 1)}, {S: string(r)}})
		}
	}
	return out
}

// Lateral is a table joined with the table function chars: FROM t, LATERAL TABLE(chars(x))
// AS l(pos, ch), or LEFT JOIN LATERAL ... ON TRUE, which keeps a row chars yields nothing
// for, once, with NULLs.
type Lateral struct {
	From  *Scan
	Arg   *Expr
	Left  bool
	Cross bool // the CROSS JOIN LATERAL spelling of the comma form
}

func (l *Lateral) Schema() []Column {
	cols := append([]Column{}, l.From.Schema()...)
	return append(cols, Column{"pos", tBig.null(l.Left)}, Column{"ch", tString.null(l.Left)})
}

func (l *Lateral) Updating() bool { return false }

func (l *Lateral) SQL(string) string {
	call := "LATERAL TABLE(chars(" + l.Arg.SQL() + ")) AS l(pos, ch)"
	switch {
	case l.Left:
		return l.From.T.Name + " LEFT JOIN " + call + " ON TRUE"
	case l.Cross:
		return l.From.T.Name + " CROSS JOIN " + call
	}
	return l.From.T.Name + ", " + call
}

func (l *Lateral) Rows(db *DB) ([]Row, error) {
	in, _ := l.From.Rows(db)
	var out []Row
	for _, r := range in {
		v, err := l.Arg.Eval(r)
		if err != nil {
			return nil, err
		}
		var rows []Row
		if !v.Null { // a NULL for a value parameter: not called, no rows
			rows = chars(v.S)
		}
		if len(rows) == 0 && l.Left {
			rows = []Row{{nullValue, nullValue}}
		}
		for _, x := range rows {
			out = append(out, append(append(Row{}, r...), x...))
		}
	}
	return out, nil
}

// maxLen is the reference's max_len aggregate over non-NULL strings.
func maxLen(vals []Value) Value {
	if len(vals) == 0 {
		return nullValue
	}
	best := int64(-1)
	for _, v := range vals {
		best = max(best, int64(len([]rune(v.S))))
	}
	return Value{I: best}
}

// leftFilterErrors evaluates the conjuncts of where that read only the table's columns on
// every row of the table, returning the first failure.
func (l *Lateral) leftFilterErrors(db *DB, where *Expr) error {
	n := len(l.From.Schema())
	var left []*Expr
	var split func(e *Expr)
	split = func(e *Expr) {
		if e.Op == "AND" {
			split(e.Args[0])
			split(e.Args[1])
			return
		}
		if readsOnlyBelow(e, n) {
			left = append(left, e)
		}
	}
	split(where)
	if len(left) == 0 {
		return nil
	}
	rows, _ := l.From.Rows(db)
	pad := Row{nullValue, nullValue}
	for _, r := range rows {
		full := append(append(Row{}, r...), pad...)
		for _, e := range left {
			if _, err := e.Eval(full); err != nil {
				return err
			}
		}
	}
	return nil
}

// readsOnlyBelow reports whether e reads no column at index n or above.
func readsOnlyBelow(e *Expr, n int) bool {
	if e.Op == "col" && e.Col >= n {
		return false
	}
	for _, a := range e.Args {
		if !readsOnlyBelow(a, n) {
			return false
		}
	}
	return true
}
