package udf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

const tableSource = `package udf

import (
	"errors"
	"iter"
	"time"
)

type Seg struct {
	Pos     int32
	Name    string ` + "`sql:\"segment\"`" + `
	Note    *string
	When    time.Time
	Ignored int64 ` + "`sql:\"-\"`" + `
	hidden  int
}

func Segments(path string) []Seg { return nil }

func SegPtrs(path *string) ([]*Seg, error) { return nil, errors.New("x") }

func Words(s string) iter.Seq[string] { return nil }

func MaybeWords(s string) (iter.Seq[*int64], error) { return nil, nil }

func Bytes(s string) []byte { return nil }

type Splitter struct{}

func (s *Splitter) Eval(x string) []Seg { return nil }

func (s *Splitter) EvalN(n int64) iter.Seq[Seg] { return nil }

type bad struct{ A string }

func Unexported(s string) []bad { return nil }

type Anon = struct{ A string }

func Unnamed(s string) []struct{ A string } { return nil }

type IntRow struct{ N int }

func BadField(s string) []IntRow { return nil }

type NoCols struct{ a string }

func Empty(s string) []NoCols { return nil }

type Dup struct {
	A string
	B string ` + "`sql:\"A\"`" + `
}

func Dups(s string) []Dup { return nil }

func Pairs(s string) iter.Seq2[string, string] { return nil }

func NotErr(s string) ([]Seg, string) { return nil, "" }

type Mixed struct{}

func (Mixed) Eval(x string) []Seg { return nil }

func (Mixed) EvalS(x string) string { return x }
`

func describeTable(fn *ir.Function) string {
	var cols []string
	for _, c := range fn.TableColumns {
		cols = append(cols, c.Name+" "+c.Type.String())
	}
	t := fn.Table
	return fmt.Sprintf("%s seq=%v row=%s import=%s name=%s ptr=%v fields=%v err=%v cols=[%s]",
		fn.Kind, t.Seq, t.RowGo, t.RowImport, t.RowName, t.RowPointer, t.Fields, fn.ReturnsError, strings.Join(cols, ", "))
}

func TestResolveTableFunctions(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": tableSource})
	r := NewResolver(dir)
	tests := []struct{ name, want string }{
		{"Segments", "table function seq=false row=udf.Seg import=example.com/t/udf name=Seg ptr=false fields=[Pos Name Note When] err=false cols=[Pos INT NOT NULL, segment STRING NOT NULL, Note STRING, When TIMESTAMP(9) NOT NULL]"},
		{"SegPtrs", "table function seq=false row=*udf.Seg import=example.com/t/udf name=Seg ptr=true fields=[Pos Name Note When] err=true cols=[Pos INT NOT NULL, segment STRING NOT NULL, Note STRING, When TIMESTAMP(9) NOT NULL]"},
		{"Words", "table function seq=true row=string import= name=string ptr=false fields=[] err=false cols=[f0 STRING NOT NULL]"},
		{"MaybeWords", "table function seq=true row=*int64 import= name=int64 ptr=false fields=[] err=true cols=[f0 BIGINT]"},
		{"Splitter", "table function seq=false row=udf.Seg import=example.com/t/udf name=Seg ptr=false fields=[Pos Name Note When] err=false cols=[Pos INT NOT NULL, segment STRING NOT NULL, Note STRING, When TIMESTAMP(9) NOT NULL]"},
	}
	for _, tc := range tests {
		fn, err := r.Resolve("example.com/t/udf", tc.name)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if fn.Table == nil {
			t.Errorf("%s: no table info (kind %s)", tc.name, fn.Kind)
			continue
		}
		if got := describeTable(fn); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
	// A type's Eval overloads are table functions too; EvalN yields iter.Seq.
	fn := mustResolveIn(t, r, "Splitter")
	if fn.Receiver != "Splitter" || fn.Method != "Eval" || len(fn.Overloads) != 1 || !fn.Overloads[0].Table.Seq || fn.Overloads[0].Method != "EvalN" {
		t.Errorf("Splitter: receiver %q method %q overloads %d", fn.Receiver, fn.Method, len(fn.Overloads))
	}
	// []byte is a scalar BYTES result.
	if fn := mustResolveIn(t, r, "Bytes"); fn.Kind != ir.ScalarFunction || fn.Table != nil {
		t.Errorf("Bytes: kind %s", fn.Kind)
	}
	if got := ir.GoSignature(mustResolveIn(t, r, "SegPtrs")); got != "func SegPtrs(path *string) ([]*udf.Seg, error)" {
		t.Errorf("GoSignature(SegPtrs) = %s", got)
	}
}

func mustResolveIn(t *testing.T, r *Resolver, name string) *ir.Function {
	t.Helper()
	fn, err := r.Resolve("example.com/t/udf", name)
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

func TestResolveTableFunctionErrors(t *testing.T) {
	dir := newModule(t, map[string]string{"udf/udf.go": tableSource})
	r := NewResolver(dir)
	tests := []struct{ name, want string }{
		{"Unexported", "the row type udf.bad of table function example.com/t/udf.Unexported is not exported"},
		{"Unnamed", "are an unnamed struct type; declare a named type"},
		{"BadField", "field N of row type udf.IntRow (table function example.com/t/udf.BadField): unsupported Go type int (use int64 for BIGINT or int32 for INT)"},
		{"Empty", "row type udf.NoCols of table function example.com/t/udf.Empty has no exported fields"},
		{"Dups", `fields A and B of row type udf.Dup (table function example.com/t/udf.Dups) both name column "A"`},
		{"Pairs", "returns an iter.Seq2; a table function yields one value per row"},
		{"NotErr", "the second result of example.com/t/udf.NotErr must be error, not string"},
		{"Mixed", "method EvalS of example.com/t/udf.Mixed does not return rows"},
	}
	for _, tc := range tests {
		_, err := r.Resolve("example.com/t/udf", tc.name)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got  %v\n want ...%s...", tc.name, err, tc.want)
		}
	}
}
