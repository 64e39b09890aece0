package table_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/table"
	"github.com/sqlc-stream/sqlc-stream/table/internal/testudf"
)

const testudfPath = "github.com/sqlc-stream/sqlc-stream/table/internal/testudf"

// opsDDL are the tables of the method tests.
const opsDDL = `CREATE TABLE src (a INT, b STRING, c BIGINT) WITH ('connector' = 'datagen');
CREATE TABLE lines (id INT, line STRING) WITH ('connector' = 'datagen')`

// samePlan builds a Table program and compiles sql (the DDL, then the program's SQL
// as a person would write it) and checks that both give the same bound plan's sinks and
// the same optimized program.
type planCase struct {
	name string
	sink string // CREATE TABLE of the sink(s), added to both
	// funcs are CREATE FUNCTION statements of the SQL version; register adds the same
	// functions to the Table program.
	funcs    string
	register func(env *table.Environment) error
	build    func(env *table.Environment)
	sql      string
}

func planCases() []planCase {
	regSplit := func(env *table.Environment) error { return env.RegisterFunction("split", testudf.Split) }
	splitSQL := "CREATE FUNCTION split AS '" + testudfPath + ".Split' LANGUAGE GO;\n"
	return []planCase{
		{
			name: "typed select",
			sink: "CREATE TABLE snk (a INT, d BIGINT, u STRING, q STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").Select(table.Col("a"), table.Col("c").Plus(1).As("d"),
					table.Call("upper", table.Col("b")).As("u"), table.Lit("it's").As("q")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a, c + 1 AS d, upper(b) AS u, 'it''s' AS q FROM src",
		},
		{
			name: "typed where",
			sink: "CREATE TABLE snk (a INT, b STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").
					Where(table.Col("a").IsGreater(1).And(table.Col("b").IsNotNull()).Or(table.Col("c").IsLessOrEqual(-3).Not())).
					Select("a, b").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a, b FROM src WHERE a > 1 AND b IS NOT NULL OR NOT c <= -3",
		},
		{
			name: "typed group by",
			sink: "CREATE TABLE snk (b STRING, s BIGINT, n BIGINT, m BIGINT, av INT, mi INT, ma INT, r DOUBLE) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").GroupBy(table.Col("b")).
					Select(table.Col("b"), table.Col("c").Sum().As("s"), table.CountStar().As("n"),
						table.Col("a").Count().As("m"), table.Col("a").Avg().As("av"), table.Col("a").Min().As("mi"),
						table.Col("a").Max().As("ma"), table.Col("c").Sum().Times(table.Lit(1.0)).Div(table.Col("a").Sum()).As("r")).
					InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT b, SUM(c) AS s, COUNT(*) AS n, COUNT(a) AS m, AVG(a) AS av, MIN(a) AS mi, MAX(a) AS ma, " +
				"SUM(c) * 1.0E0 / SUM(a) AS r FROM src GROUP BY b",
		},
		{
			name: "group by after select",
			sink: "CREATE TABLE snk (k STRING, n BIGINT) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").Select("upper(b) AS k, a").GroupBy("k").Select("k, count(a) AS n").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT k, count(a) AS n FROM (SELECT upper(b) AS k, a FROM src) GROUP BY k",
		},
		{
			name: "AddColumns",
			sink: "CREATE TABLE snk (a INT, b STRING, c BIGINT, a2 INT, cd DOUBLE) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").AddColumns("a * 2 AS a2", table.Col("c").Cast("DOUBLE").As("cd")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT *, a * 2 AS a2, CAST(c AS DOUBLE) AS cd FROM src",
		},
		{
			name: "AddOrReplaceColumns",
			sink: "CREATE TABLE snk (a INT, b STRING, c BIGINT, e INT) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").Where("a > 0").AddOrReplaceColumns("upper(b) AS b", table.Col("a").Plus(1).As("e")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a, upper(b) AS b, c, a + 1 AS e FROM (SELECT * FROM src WHERE a > 0)",
		},
		{
			name: "DropColumns",
			sink: "CREATE TABLE snk (a INT) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").DropColumns("b", table.Col("c")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a FROM src",
		},
		{
			name: "RenameColumns",
			sink: "CREATE TABLE snk (x INT, b STRING, z BIGINT) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").RenameColumns("a AS x", table.Col("c").As("z")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a AS x, b, c AS z FROM src",
		},
		{
			name: "Distinct",
			sink: "CREATE TABLE snk (b STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.From("src").Select("b").Distinct().InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT DISTINCT b FROM src",
		},
		{
			name: "UnionAll",
			sink: "CREATE TABLE snk (a INT, b STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				src := env.From("src")
				src.Select("a, b").UnionAll(src.Where("a > 5").Select("a, b")).UnionAll(env.From("lines").Select("id, line")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a, b FROM src UNION ALL SELECT a, b FROM src WHERE a > 5 UNION ALL SELECT id, line FROM lines",
		},
		{
			name: "Union",
			sink: "CREATE TABLE snk (a INT, b STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				src := env.From("src")
				src.Select("a, b").Union(src.Where("a > 5").Select("a, b")).InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT a, b FROM src UNION SELECT a, b FROM src WHERE a > 5",
		},
		{
			name:     "JoinLateral",
			sink:     "CREATE TABLE snk (id INT, word STRING, n BIGINT) WITH ('connector' = 'print')",
			funcs:    splitSQL,
			register: regSplit,
			build: func(env *table.Environment) {
				env.From("lines").JoinLateral("split(line) AS t(word, n)").Select("id, word, n").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT id, word, n FROM lines, LATERAL TABLE(split(line)) AS t(word, n)",
		},
		{
			name:     "JoinLateral typed with predicate",
			sink:     "CREATE TABLE snk (id INT, word STRING, n BIGINT) WITH ('connector' = 'print')",
			funcs:    splitSQL,
			register: regSplit,
			build: func(env *table.Environment) {
				env.From("lines").JoinLateral(table.Call("split", table.Col("line")).As("w", "len"), table.Col("len").IsGreater(2)).
					Select("id, w, len").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT id, w, len FROM lines, LATERAL TABLE(split(line)) AS T1(w, len) WHERE len > 2",
		},
		{
			name:     "LeftOuterJoinLateral",
			sink:     "CREATE TABLE snk (id INT, word STRING, n BIGINT) WITH ('connector' = 'print')",
			funcs:    splitSQL,
			register: regSplit,
			build: func(env *table.Environment) {
				env.From("lines").Where("id > 0").LeftOuterJoinLateral("split(line)").Select("id, Word, Length").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT id, Word, Length FROM (SELECT * FROM lines WHERE id > 0) LEFT JOIN LATERAL TABLE(split(line)) ON TRUE",
		},
		{
			name: "statement set",
			sink: "CREATE TABLE s1 (b STRING) WITH ('connector' = 'print');\nCREATE TABLE s2 (a INT, n BIGINT) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				src := env.From("src").Where("a > 0")
				env.CreateStatementSet().
					AddInsert("s1", src.Select("b")).
					AddInsertSQL("INSERT INTO s2 SELECT a, count(*) FROM src GROUP BY a")
			},
			sql: "EXECUTE STATEMENT SET BEGIN\nINSERT INTO s1 SELECT b FROM src WHERE a > 0;\nINSERT INTO s2 SELECT a, count(*) FROM src GROUP BY a;\nEND",
		},
		{
			name: "SQLQuery",
			sink: "CREATE TABLE snk (a INT, b STRING) WITH ('connector' = 'print')",
			build: func(env *table.Environment) {
				env.SQLQuery("SELECT a, b FROM src WHERE c > 1").Where("a < 3").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT * FROM (SELECT a, b FROM src WHERE c > 1) WHERE a < 3",
		},
		{
			name:  "RegisterFunction func and type with options",
			sink:  "CREATE TABLE snk (u STRING, p STRING) WITH ('connector' = 'print')",
			funcs: "CREATE FUNCTION up AS '" + testudfPath + ".Upper' LANGUAGE GO WITH ('deterministic' = 'false', 'on-error' = 'null');\nCREATE FUNCTION prefix AS '" + testudfPath + ".Prefix' LANGUAGE GO;\n",
			register: func(env *table.Environment) error {
				if err := env.RegisterFunction("up", testudf.Upper, table.NonDeterministic(), table.OnError(table.ErrorNull)); err != nil {
					return err
				}
				return env.RegisterFunction("prefix", &testudf.Prefix{})
			},
			build: func(env *table.Environment) {
				env.From("src").Select(table.Call("up", table.Col("b")).As("u"), "prefix(b) AS p").InsertInto("snk")
			},
			sql: "INSERT INTO snk SELECT up(b) AS u, prefix(b) AS p FROM src",
		},
	}
}

func TestMethodsSamePlanAsSQL(t *testing.T) {
	root := gotest.RepoRoot(t)
	for _, c := range planCases() {
		t.Run(c.name, func(t *testing.T) {
			env := table.NewEnvironment(table.Options{Dir: root})
			if err := env.ExecuteSQL(opsDDL + ";\n" + c.sink); err != nil {
				t.Fatal(err)
			}
			if c.register != nil {
				if err := c.register(env); err != nil {
					t.Fatal(err)
				}
			}
			c.build(env)
			prog, err := env.Program()
			if err != nil {
				t.Fatalf("%v\nTable program's SQL:\n%s", err, env.SQL())
			}
			sql := opsDDL + ";\n" + c.sink + ";\n" + c.funcs + c.sql + ";\n"
			res, err := compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: root, Stop: "optimize"})
			if err != nil {
				t.Fatalf("SQL version: %v", err)
			}
			if got, want := ir.DumpProgram(prog), ir.DumpProgram(res.Program); got != want {
				t.Errorf("optimized programs differ\nTable API (SQL:\n%s):\n%s\nSQL:\n%s", env.SQL(), got, want)
			}
			if got, want := funcs(prog.Plan.Catalog), funcs(res.Program.Plan.Catalog); got != want {
				t.Errorf("functions differ\nTable API: %s\nSQL:       %s", got, want)
			}
		})
	}
}

// funcs describes the catalog's functions (the program dump leaves out their policies).
func funcs(c *ir.Catalog) string {
	var b strings.Builder
	for _, f := range c.Functions {
		fmt.Fprintf(&b, "%s=%s.%s kind=%v det=%v vec=%v onerror=%v dl=%q; ", f.Name, f.ImportPath, f.GoName, f.Kind, f.Deterministic, f.Vectorized, f.OnError, f.DeadLetter)
	}
	return b.String()
}

// TestRenderedSQL pins the SQL that the new methods write, independently of the binder.
func TestRenderedSQL(t *testing.T) {
	env := table.NewEnvironment(table.Options{})
	if err := env.ExecuteSQL(opsDDL); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("split", testudf.Split, table.DeadLetter("bad"), table.Vectorized()); err != nil {
		t.Fatal(err)
	}
	src := env.From("src")
	src.Select("a, b").Union(src.Select("a, b")).Distinct().InsertInto("s1")
	env.From("lines").JoinLateral("split(line) AS t(w, n)", "n > 1").InsertInto("s2")
	env.From("lines").LeftOuterJoinLateral(table.Call("split", table.Col("line")).As("w", "n")).InsertInto("s3")
	env.CreateStatementSet().AddInsert("s4", src).AddInsert("s5", src.Select(table.Col("select").As("from")))
	want := `CREATE TABLE src (a INT, b STRING, c BIGINT) WITH ('connector' = 'datagen');

CREATE TABLE lines (id INT, line STRING) WITH ('connector' = 'datagen');

CREATE FUNCTION ` + "`split`" + ` AS '` + testudfPath + `.Split' LANGUAGE GO WITH ('on-error' = 'dead-letter', 'dead-letter.table' = 'bad', 'vectorized' = 'true');

INSERT INTO s1
SELECT DISTINCT *
FROM (
SELECT a, b
FROM src
UNION
SELECT a, b
FROM src
);

INSERT INTO s2
SELECT *
FROM lines,
LATERAL TABLE(split(line)) AS t(w, n)
WHERE n > 1;

INSERT INTO s3
SELECT *
FROM lines
LEFT JOIN LATERAL TABLE(split(` + "`line`" + `)) AS ` + "`T1`(`w`, `n`)" + ` ON TRUE;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO s4
SELECT *
FROM src;
INSERT INTO s5
SELECT ` + "`select` AS `from`" + `
FROM src;
END;

`
	if got := env.SQL(); got != want {
		t.Errorf("SQL:\n%s\nwant:\n%s", got, want)
	}
}

func TestLiterals(t *testing.T) {
	for _, c := range []struct {
		x    table.Expr
		want string
	}{
		{table.Lit(nil), "NULL"},
		{table.Lit(true), "TRUE"},
		{table.Lit(42), "42"},
		{table.Lit(int64(-7)), "(-7)"},
		{table.Lit(1.0), "1.0E0"},
		{table.Lit(0.25), "2.5E-1"},
		{table.Lit(-1.5e300), "(-1.5E300)"},
		{table.Lit(float32(2)), "CAST(2.0E0 AS FLOAT)"},
		{table.Lit("a'b"), "'a''b'"},
		{table.Lit([]byte{0xa, 0xff}), "X'0AFF'"},
		{table.Col("we`ird"), "`we``ird`"},
		{table.Call("ip_to_province", table.Col("ip")), "ip_to_province(`ip`)"},
		{table.Call("my func", 1, "x"), "`my func`(1, 'x')"},
		{table.Col("a").Cast("DECIMAL(10, 2)"), "CAST(`a` AS DECIMAL(10, 2))"},
		{table.Col("a").IsNull().Or(table.Col("b").Like("x%")), "((`a` IS NULL) OR (`b` LIKE 'x%'))"},
		{table.Col("a").Minus(1).Mod(2).IsEqual(0).And(table.Col("b").IsNotEqual("y")), "((((`a` - 1) % 2) = 0) AND (`b` <> 'y'))"},
	} {
		if got := c.x.SQL(); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	for _, bad := range []table.Expr{table.Lit(struct{}{}), table.Col(""), table.Col("a").Cast("INT); DROP"), table.Lit(1.0).Div(make(chan int))} {
		if !strings.HasPrefix(bad.String(), "<invalid: ") {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestFoldRegisteredFunction checks that a deterministic registered function called on
// constants is evaluated at compile time through its Go value, as the SQL compiler
// folds it (through a helper program), and that a non-deterministic one is not.
func TestFoldRegisteredFunction(t *testing.T) {
	root := gotest.RepoRoot(t)
	const sink = ";\nCREATE TABLE snk (a INT, u STRING, p STRING) WITH ('connector' = 'print')"
	build := func(opts ...table.FunctionOption) *table.Environment {
		env := table.NewEnvironment(table.Options{Dir: root})
		if err := env.ExecuteSQL(opsDDL + sink); err != nil {
			t.Fatal(err)
		}
		if err := env.RegisterFunction("up", testudf.Upper, opts...); err != nil {
			t.Fatal(err)
		}
		if err := env.RegisterFunction("ip_to_province", udf.IPToProvince, opts...); err != nil {
			t.Fatal(err)
		}
		env.From("src").Select(table.Col("a"), table.Call("up", "abc").As("u"),
			table.Call("ip_to_province", "1.2.3.4").As("p")).InsertInto("snk")
		return env
	}
	prog, err := build().Program()
	if err != nil {
		t.Fatal(err)
	}
	dump := ir.DumpProgram(prog)
	if !strings.Contains(dump, "'ABC' /* folded up('abc') */") || !strings.Contains(dump, "/* folded ip_to_province('1.2.3.4') */") {
		t.Errorf("calls on constants were not folded:\n%s", dump)
	}

	// The SQL compiler's helper program cannot import an internal package
	// (testudf): compare on ip_to_province alone.
	env := table.NewEnvironment(table.Options{Dir: root})
	if err := env.ExecuteSQL(opsDDL + sink); err != nil {
		t.Fatal(err)
	}
	if err := env.RegisterFunction("ip_to_province", udf.IPToProvince); err != nil {
		t.Fatal(err)
	}
	env.From("src").Select("a, b AS u, ip_to_province('1.2.3.4') AS p").InsertInto("snk")
	if prog, err = env.Program(); err != nil {
		t.Fatal(err)
	}
	res, err := compiler.Compile(opsDDL+sink+";\n"+
		"CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;\n"+
		"INSERT INTO snk SELECT a, b AS u, ip_to_province('1.2.3.4') AS p FROM src",
		compiler.Options{Name: "job.sql", Dir: root, Stop: "optimize"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ir.DumpProgram(prog), ir.DumpProgram(res.Program); got != want {
		t.Errorf("optimized programs differ\nTable API:\n%s\nSQL:\n%s", got, want)
	}

	prog, err = build(table.NonDeterministic()).Program()
	if err != nil {
		t.Fatal(err)
	}
	if dump := ir.DumpProgram(prog); strings.Contains(dump, "folded") {
		t.Errorf("a non-deterministic function was folded:\n%s", dump)
	}
}
