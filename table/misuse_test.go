package table_test

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/table"
	"github.com/sqlc-stream/sqlc-stream/table/internal/testudf"
)

// where is "misuse_test.go:<line>" of the line after the call of where.
func where() string {
	_, _, line, _ := runtime.Caller(1)
	return "misuse_test.go:" + itoa(line+1)
}

// whereIs is "misuse_test.go:<line>:<col>" of needle's first byte on the line after
// the call of whereIs: an error's position within a string literal is the literal's
// place in the Go file.
func whereIs(needle string) string {
	_, file, line, _ := runtime.Caller(1)
	return "misuse_test.go:" + itoa(line+1) + ":" + itoa(columnOf(file, line+1, needle))
}

// columnOf returns the 1-based column of needle on line of file, or 0.
func columnOf(file string, line int, needle string) int {
	src, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	lines := strings.Split(string(src), "\n")
	if line > len(lines) {
		return 0
	}
	return strings.Index(lines[line-1], needle) + 1
}

// TestRegisterFunctionMisuse checks that each Go value that generated code cannot
// call is refused with an error naming the RegisterFunction call.
func TestRegisterFunctionMisuse(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	geo := testudf.Prefix{}
	for _, c := range []struct {
		fn   any
		want string
	}{
		{geo.Eval, "is a method value"},
		{strings.NewReplacer("a", "b").Replace, "strings.(*Replacer).Replace is a method value"},
		{testudf.Prefix.Eval, "is a method expression"},
		{func(s string) string { return s }, "is a func literal"},
		{testudf.Max[int], "is an instantiation of a generic function"},
		{testudf.Pair[int]{}, "generic type"},
		{testudf.Lower(), "testudf.lower is unexported"},
		{testudf.Hidden(), "testudf.hidden is unexported"},
		{helperInTest, "which the generated job cannot import"},
		{nil, "nil is neither"},
		{(func(string) string)(nil), "the func value is nil"},
		{42, "a value of type int is neither a Go function nor"},
		{"udf.IPToProvince", "a value of type string is neither"},
	} {
		line := thisLine() + 1
		err := env.RegisterFunction("f", c.fn)
		if err == nil {
			t.Errorf("%T: no error", c.fn)
			continue
		}
		want := "misuse_test.go:" + itoa(line) + ": RegisterFunction(\"f\"): "
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %q, want %q...%q", err, want, c.want)
		}
	}
	if err := env.RegisterFunction("f", testudf.Upper, table.OnError(table.ErrorNull), table.DeadLetter("x")); err == nil || !strings.Contains(err.Error(), "conflicting options") {
		t.Errorf("conflicting options: %v", err)
	}
	if err := env.RegisterFunction("", testudf.Upper); err == nil {
		t.Error("empty name accepted")
	}
}

func helperInTest(s string) string { return s }

// TestUDFCallErrorsNameSelect checks that a wrong call of a registered function is
// reported by the binder at the Select that makes it: within the string, or at the
// call site for a typed expression.
func TestUDFCallErrorsNameSelect(t *testing.T) {
	env := table.NewEnvironment(table.Options{Dir: gotest.RepoRoot(t)})
	if err := env.ExecuteSQL(opsDDL + ";\nCREATE TABLE snk (u STRING) WITH ('connector' = 'print')"); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("up", testudf.Upper); err != nil {
		t.Fatal(err)
	}
	strLine := thisLine() + 1
	env.From("src").Select("up(b, b) AS u").InsertInto("snk")
	typedLine := thisLine() + 1
	env.From("src").Select(table.Call("up", table.Col("a")).As("u")).InsertInto("snk")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if want := "misuse_test.go:" + itoa(strLine) + ":" + itoa(columnOf(thisFile(), strLine, "up(b, b)")) + ": "; !strings.Contains(msg, want) {
		t.Errorf("error %q lacks the string position %s", msg, want)
	}
	if want := "misuse_test.go:" + itoa(typedLine) + ": "; !strings.Contains(msg, want) {
		t.Errorf("error %q lacks the typed call site %s", msg, want)
	}
}

// TestRegisterUnknownDeclaration checks that a resolver error (a registered type
// with no Eval method) names the RegisterFunction call.
func TestRegisterBadSignature(t *testing.T) {
	env := table.NewEnvironment(table.Options{Dir: gotest.RepoRoot(t)})
	if err := env.ExecuteSQL(opsDDL + ";\nCREATE TABLE snk (u STRING) WITH ('connector' = 'print')"); err != nil {
		t.Fatal(err)
	}
	line := thisLine() + 1
	if err := env.RegisterFunction("w", testudf.Word{}); err != nil {
		t.Fatal(err)
	}
	env.From("src").Select("b").InsertInto("snk")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("a type without Eval was accepted")
	}
	if want := "misuse_test.go:" + itoa(line) + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %s", err, want)
	}
}

// TestArgumentErrors checks errors in the arguments of the new methods: each names
// the call site and, for a string, the column within it.
func TestArgumentErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(env *table.Environment) string // returns the expected prefix
		want  string
	}{
		{"DropColumns unknown", func(env *table.Environment) string {
			w := whereIs(`bb`)
			env.From("src").DropColumns("a, bb").InsertInto("snk")
			return w + ": "
		}, `unknown column "bb"; the table has a, b, c`},
		{"DropColumns typed unknown", func(env *table.Environment) string {
			w := where()
			env.From("src").DropColumns(table.Col("x")).InsertInto("snk")
			return w + ": "
		}, `unknown column "x"`},
		{"RenameColumns needs AS", func(env *table.Environment) string {
			w := whereIs(`b")`)
			env.From("src").RenameColumns("a AS x, b").InsertInto("snk")
			return w + ": "
		}, "RenameColumns takes renamings"},
		{"RenameColumns collision", func(env *table.Environment) string {
			w := where()
			env.From("src").RenameColumns("a AS b").InsertInto("snk")
			return w + ": "
		}, `two columns would be named "b"`},
		{"AddColumns exists", func(env *table.Environment) string {
			w := whereIs(`a + 1`)
			env.From("src").AddColumns("a + 1 AS c").InsertInto("snk")
			return w + ": "
		}, `column "c" exists; use AddOrReplaceColumns`},
		{"Select typo in typed Col", func(env *table.Environment) string {
			w := where()
			env.From("src").Select(table.Col("bb")).InsertInto("snk")
			return w + ": "
		}, `unknown column "bb"`},
		{"Where not a Go string or Expr", func(env *table.Environment) string {
			w := where()
			env.From("src").Where(42).InsertInto("snk")
			return w + ": "
		}, "Where takes SQL strings and table.Expr values, not a int"},
		{"Where syntax", func(env *table.Environment) string {
			w := whereIs(`> 1`)
			env.From("src").Filter("a >> 1").InsertInto("snk")
			return w + ": "
		}, ""},
		{"invalid Lit", func(env *table.Environment) string {
			w := where()
			env.From("src").Select(table.Lit(struct{}{})).InsertInto("snk")
			return w + ": Select: Lit: a Go struct {} is not a SQL literal"
		}, ""},
		{"JoinLateral not a call", func(env *table.Environment) string {
			w := whereIs(`line AS`)
			env.From("lines").JoinLateral("line AS t(w)").InsertInto("snk")
			return w + ": "
		}, "JoinLateral takes a table function call"},
		{"JoinLateral bad alias", func(env *table.Environment) string {
			w := whereIs(`t(1)`)
			env.From("lines").JoinLateral("split(line) AS t(1)").InsertInto("snk")
			return w + ": "
		}, "after AS comes a table alias"},
		{"JoinLateral alias count", func(env *table.Environment) string {
			// Found when the job is bound: the error still points into the string.
			w := whereIs(`t(a, b, c)`)
			env.From("lines").JoinLateral("split(line) AS t(a, b, c)").Select("a").InsertInto("snk")
			return w + ": "
		}, "the alias lists 3 columns but table function split yields 2"},
		{"GroupBy alias", func(env *table.Environment) string {
			w := whereIs(`b AS`)
			env.From("src").GroupBy("b AS k").Select("k").InsertInto("snk")
			return w + ": "
		}, "GroupBy takes expressions without aliases"},
		{"empty statement set", func(env *table.Environment) string {
			w := where()
			env.CreateStatementSet()
			return w + ": "
		}, "has no AddInsert"},
		{"Union with broken side", func(env *table.Environment) string {
			w := whereIs(`")).`)
			env.From("src").Select("a").UnionAll(env.From("src").Select("a,")).InsertInto("snk")
			return w + ": "
		}, ""},
		{"SQLQuery not a query", func(env *table.Environment) string {
			w := whereIs(`INSERT INTO snk`)
			env.SQLQuery("INSERT INTO snk SELECT 1").InsertInto("snk")
			return w + ": "
		}, "SQLQuery takes a query"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := table.NewEnvironment(table.Options{Dir: gotest.RepoRoot(t)})
			if err := env.ExecuteSQL(opsDDL + ";\nCREATE TABLE snk (a INT) WITH ('connector' = 'print')"); err != nil {
				t.Fatal(err)
			}
			if err := env.RegisterFunction("split", testudf.Split); err != nil {
				t.Fatal(err)
			}
			prefix := c.build(env)
			if len(slices.Collect(strings.Lines(env.SQL()))) == 0 {
				t.Fatal("no SQL")
			}
			_, err := env.Plan()
			if err == nil {
				t.Fatalf("no error; SQL:\n%s", env.SQL())
			}
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want prefix %q and %q", err, prefix, c.want)
			}
		})
	}
}

func thisFile() string {
	_, file, _, _ := runtime.Caller(0)
	return file
}

// badPredicate is a constant: errors in it point into its declaration.
const badPredicate = "a >> 1"

// TestPositionsOfNonLiterals checks the positions of errors in strings that are not
// literals of the call: a constant points into its declaration; a string built at run
// time gives the call's line and the column within the string.
func TestPositionsOfNonLiterals(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL(opsDDL + ";\nCREATE TABLE snk (a INT) WITH ('connector' = 'print')"); err != nil {
		t.Fatal(err)
	}
	env.From("src").Where(badPredicate).InsertInto("snk")
	built := strings.Repeat("a", 1) + " >> 1"
	line := thisLine() + 1
	env.From("src").Where(built).InsertInto("snk")
	_, err := env.Plan()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	constLine := 0
	src, _ := os.ReadFile(thisFile())
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "const badPredicate") {
			constLine = i + 1
		}
	}
	if want := "misuse_test.go:" + itoa(constLine) + ":" + itoa(columnOf(thisFile(), constLine, "> 1")) + ": "; !strings.Contains(msg, want) {
		t.Errorf("error %q lacks the constant's position %s", msg, want)
	}
	if want := "misuse_test.go:" + itoa(line) + ":4: "; !strings.Contains(msg, want) {
		t.Errorf("error %q lacks the call line and column within the string %s", msg, want)
	}
}
