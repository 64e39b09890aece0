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
`

// udfDDL declares the functions.
const udfDDL = `CREATE FUNCTION tag AS 'example.com/difftest/udf.Tag' LANGUAGE GO;
CREATE FUNCTION or_dash AS 'example.com/difftest/udf.OrDash' LANGUAGE GO;
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
	}
	return nullValue, fmt.Errorf("difftest: unknown function %s", name)
}
