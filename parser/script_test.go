package parser

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

var update = flag.Bool("update", false, "rewrite the golden dumps in testdata")

// seedDDL is the PyFlink CDN example's script, verbatim.
const seedDDL = `CREATE TABLE cdn_access_log (
 uuid VARCHAR,
 client_ip VARCHAR,
 request_time BIGINT,
 response_size BIGINT,
 uri VARCHAR
) WITH (
 'connector.type' = 'kafka',
 'connector.version' = 'universal',
 'connector.topic' = 'access_log',
 'connector.properties.zookeeper.connect' = 'localhost:2181',
 'connector.properties.bootstrap.servers' = 'localhost:9092',
 'format.type' = 'csv',
 'format.ignore-parse-errors' = 'true'
);
CREATE TABLE cdn_access_statistic (
 province VARCHAR,
 access_count BIGINT,
 total_download BIGINT,
 download_speed DOUBLE
) WITH (
 'connector.type' = 'jdbc',
 'connector.url' = 'jdbc:mysql://localhost:3306/Flink',
 'connector.table' = 'access_statistic',
 'connector.username' = 'root',
 'connector.password' = 'root',
 'connector.write.flush.interval' = '1s'
);
CREATE FUNCTION ip_to_province AS 'example.com/cdn/udf.IPToProvince' LANGUAGE GO;
INSERT INTO cdn_access_statistic
SELECT province, count(uuid) AS access_count, sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time FROM cdn_access_log)
GROUP BY province;
`

func TestSeedScript(t *testing.T) {
	s, err := ParseScript(src(seedDDL))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Stmts) != 4 {
		t.Fatalf("got %d statements, want 4", len(s.Stmts))
	}
	log := s.Stmts[0].(*CreateTable)
	if log.Name.String() != "cdn_access_log" || len(log.Columns) != 5 || len(log.Options) != 7 {
		t.Errorf("cdn_access_log: name %s, %d columns, %d options", log.Name, len(log.Columns), len(log.Options))
	}
	if o := log.Options[6]; o.Key.Value != "format.ignore-parse-errors" || o.Value.Value != "true" {
		t.Errorf("last option = %q = %q", o.Key.Value, o.Value.Value)
	}
	stat := s.Stmts[1].(*CreateTable)
	if c := stat.Columns[3]; c.Name.Name != "download_speed" || c.Type.Name != "DOUBLE" {
		t.Errorf("download_speed column: %s %s", c.Name.Name, TypeString(c.Type))
	}
	fn := s.Stmts[2].(*CreateFunction)
	if fn.Class.Value != "example.com/cdn/udf.IPToProvince" || fn.Language == nil || fn.Language.Name != "GO" {
		t.Errorf("function: %+v", fn)
	}
	ins := s.Stmts[3].(*Insert)
	sel := ins.Query.(*Select)
	if _, ok := sel.From.(*Subquery); !ok || sel.From.(*Subquery).Alias != nil {
		t.Errorf("FROM is %T, want an unaliased subquery", sel.From)
	}
	if len(sel.Items) != 4 || sel.Items[3].Alias.Name != "download_speed" {
		t.Errorf("select items: %d", len(sel.Items))
	}
	// Spans point at the source text.
	if got := seedDDL[ins.Span.Start:ins.Span.End]; !strings.HasPrefix(got, "INSERT INTO") || !strings.HasSuffix(got, "GROUP BY province") {
		t.Errorf("insert span text = %q", got)
	}
	div := sel.Items[3].Expr.(*Binary)
	if got := seedDDL[div.Span.Start:div.Span.End]; got != "sum(response_size) * 1.0 / sum(request_time)" {
		t.Errorf("division span text = %q", got)
	}
	checkGolden(t, "seed", Dump(s))
}

// checkGolden compares got with testdata/name.dump (rewritten with -update).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".dump")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("dump differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

// nexmarkDir holds the Nexmark benchmark's Flink SQL (queries q0..q23 and DDL).
const nexmarkDir = "../../shared/nexmark"

var placeholderRE = regexp.MustCompile(`\$\{([A-Z_]+)\}`)

// substitutePlaceholders fills the ${...} placeholders of the Nexmark scripts the way
// the benchmark's launcher does.
func substitutePlaceholders(text string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(m string) string {
		switch placeholderRE.FindStringSubmatch(m)[1] {
		case "NEXMARK_TABLE":
			return "datagen"
		case "BOOTSTRAP_SERVERS":
			return "localhost:9092"
		case "FLINK_HOME", "NEXMARK_DIR":
			return "/opt/flink"
		case "KEEP_ALIVE", "MAX_EMIT_SPEED":
			return "false"
		case "STOP_AT", "SUBMIT_TIME":
			return "0"
		case "PERSON_PROPORTION":
			return "1"
		case "AUCTION_PROPORTION":
			return "3"
		case "BID_PROPORTION":
			return "46"
		default: // TPS, EVENTS_NUM, ...
			return "10000"
		}
	})
}

func TestNexmark(t *testing.T) {
	if _, err := os.Stat(nexmarkDir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s does not exist", nexmarkDir)
	}
	files, err := filepath.Glob(filepath.Join(nexmarkDir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		seen[name] = true
		s, err := ParseScript(&diag.Source{Name: name, Text: substitutePlaceholders(string(text))})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(s.Stmts) == 0 {
			t.Errorf("%s: no statements", name)
		}
		checkSpans(t, s)
	}
	for i := 0; i <= 23; i++ {
		name := "q" + itoa(i) + ".sql"
		if !seen[name] {
			t.Errorf("%s missing from %s", name, nexmarkDir)
		}
	}
	for _, name := range []string{"ddl_gen.sql", "ddl_kafka.sql", "ddl_views.sql"} {
		if !seen[name] {
			t.Errorf("%s missing from %s", name, nexmarkDir)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestNexmarkGolden keeps the dump of two representative queries, so that a change in
// the tree shape or spans shows up in review.
func TestNexmarkGolden(t *testing.T) {
	for _, q := range []string{"q5", "q13"} {
		text, err := os.ReadFile(filepath.Join(nexmarkDir, q+".sql"))
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s does not exist", nexmarkDir)
		}
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseScript(&diag.Source{Name: q + ".sql", Text: substitutePlaceholders(string(text))})
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "nexmark_"+q, Dump(s))
	}
}

// checkSpans walks every node and checks that spans lie inside the source and that an
// identifier's span holds its spelling (backticked or not).
func checkSpans(t *testing.T, s *Script) {
	t.Helper()
	text := s.Source.Text
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if sp, ok := v.Interface().(diag.Span); ok {
				if sp.Start < 0 || sp.Start > sp.End || sp.End > len(text) {
					t.Errorf("%s: bad span %v", s.Source.Name, sp)
				}
				return
			}
			if id, ok := v.Interface().(Ident); ok && id.Span.End <= len(text) && id.Span.Start <= id.Span.End {
				got := text[id.Span.Start:id.Span.End]
				if got != id.Name && got != "`"+strings.ReplaceAll(id.Name, "`", "``")+"`" && !strings.EqualFold(got, id.Name) {
					t.Errorf("%s: ident %q has span text %q", s.Source.Name, id.Name, got)
				}
			}
			if v.Type() == reflect.TypeOf(diag.Source{}) {
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	for _, st := range s.Stmts {
		walk(reflect.ValueOf(st))
	}
}

func TestSpansOfTableTests(t *testing.T) {
	for _, tc := range stmtTests {
		s, err := ParseScript(src(tc.in))
		if err != nil {
			continue // reported by TestParseScript
		}
		checkSpans(t, s)
	}
	s, err := ParseScript(src(seedDDL))
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, s)
}

func TestSpanText(t *testing.T) {
	const text = "SELECT a.b + f(x) AS y, CAST(z AS INT) FROM t AS u WHERE q IN (1, 2)"
	s, err := ParseScript(src(text))
	if err != nil {
		t.Fatal(err)
	}
	sel := s.Stmts[0].(*QueryStmt).Query.(*Select)
	for _, c := range []struct {
		span diag.Span
		want string
	}{
		{s.Stmts[0].StmtSpan(), text},
		{sel.Span, text},
		{sel.Items[0].Span, "a.b + f(x) AS y"},
		{sel.Items[0].Expr.ExprSpan(), "a.b + f(x)"},
		{sel.Items[0].Expr.(*Binary).X.ExprSpan(), "a.b"},
		{sel.Items[0].Expr.(*Binary).Y.ExprSpan(), "f(x)"},
		{sel.Items[0].Alias.Span, "y"},
		{sel.Items[1].Expr.ExprSpan(), "CAST(z AS INT)"},
		{sel.Items[1].Expr.(*Cast).Type.Span, "INT"},
		{sel.From.TableSpan(), "t AS u"},
		{sel.Where.ExprSpan(), "q IN (1, 2)"},
	} {
		if got := text[c.span.Start:c.span.End]; got != c.want {
			t.Errorf("span text %q, want %q", got, c.want)
		}
	}
}

func TestMultiLineErrorPosition(t *testing.T) {
	text := "CREATE TABLE t (\n  a INT,\n  b VARCHAR(\n) WITH ('connector' = 'print');\n"
	_, err := ParseScript(&diag.Source{Name: "job.sql", Text: text})
	want := "job.sql:4:1: expected a non-negative integer but found \")\"\n  ) WITH ('connector' = 'print');\n  ^"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	var list diag.List
	if !errors.As(err, &list) || len(list) != 1 {
		t.Errorf("error is %T, want a diag.List of one", err)
	}
}

// After an error the parser resumes at the next statement and reports its errors too.
func TestRecoveryReportsEveryBadStatement(t *testing.T) {
	text := "SELECT FROM t;\nCREATE TABLE ok (a INT);\nINSERT INTO x SELECT (1;\nEXECUTE STATEMENT SET BEGIN\n  INSERT INTO a SELECT CASE WHEN x THEN 1 END FROM t;\n  SELECT 1;\nEND;\nSELECT 2"
	s, err := ParseScript(src(text))
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error %v is not a diag.List", err)
	}
	var got []string
	for _, d := range list {
		p := d.Source.Position(d.Span.Start)
		got = append(got, itoa(p.Line)+":"+itoa(p.Col))
	}
	if want := "1:8 3:24 6:3"; strings.Join(got, " ") != want {
		t.Errorf("errors at %v, want %s:\n%v", got, want, err)
	}
	if len(s.Stmts) != 2 {
		t.Errorf("got %d good statements, want 2 (CREATE TABLE ok, SELECT 2)", len(s.Stmts))
	}
}

func TestParseSelectList(t *testing.T) {
	items, err := ParseSelectList(src("a, f(b) AS c, t.*, *, x + 1 y"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		d := &dumper{}
		d.selectItem(it)
		got = append(got, flat(strings.Join(d.lines, "\n")))
	}
	want := []string{"(Item (Column a))", "(Item as c (Call f (Column b)))", "(Item t.*)", "(Item *)", "(Item as y (Binary + (Column x) (Lit number 1)))"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for in, want := range map[string]string{
		"a, ":      `t.sql:1:4: expected an expression but found end of input`,
		"a b c":    `t.sql:1:5: expected end of input but found "c"`,
		"a FROM t": `t.sql:1:3: expected end of input but found "FROM"`,
	} {
		_, err := ParseSelectList(src(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseSelectList(%q) = %v, want %s", in, err, want)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	for in, want := range map[string]string{
		"a +":       "t.sql:1:4: expected an expression but found end of input",
		"a b":       `t.sql:1:3: expected end of input but found "b"`,
		"f(a,)":     `t.sql:1:5: expected an expression but found ")"`,
		"'abc":      "t.sql:1:1: unterminated string",
		"":          "t.sql:1:1: expected an expression but found end of input",
		"CASE WHEN": "t.sql:1:10: expected an expression but found end of input",
	} {
		_, err := ParseExpr(src(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseExpr(%q) = %v, want %s", in, err, want)
		}
	}
	// A Table API expression embedded in a Go file reports the Go file's position, and
	// shows the string's own line with a caret.
	base := &diag.Position{File: "main.go", Line: 10, Col: 20}
	_, err := ParseExpr(&diag.Source{Name: "main.go", Text: "a + ", Base: base})
	if want := "main.go:10:24: expected an expression but found end of input\n  a + \n      ^"; err == nil || err.Error() != want {
		t.Errorf("embedded: got %v, want %s", err, want)
	}
}

func TestEmptyScript(t *testing.T) {
	for _, text := range []string{"", "  \n", "-- only a comment\n", ";;", "/* x */"} {
		s, err := ParseScript(src(text))
		if err != nil || len(s.Stmts) != 0 {
			t.Errorf("ParseScript(%q) = %d statements, %v", text, len(s.Stmts), err)
		}
	}
}

func TestUnicodeIdentifiers(t *testing.T) {
	s, err := ParseScript(src("SELECT `größe`, prénom FROM t"))
	if err != nil {
		t.Fatal(err)
	}
	if got := flat(Dump(s)); got != "(Script (QueryStmt (Select (Item (Column `größe`)) (Item (Column prénom)) (From (Table t)))))" &&
		got != "(Script (QueryStmt (Select (Item (Column größe)) (Item (Column prénom)) (From (Table t)))))" {
		t.Errorf("got %s", got)
	}
}

func TestRecoverInternal(t *testing.T) {
	f := func() (err error) {
		defer recoverInternal(src("x"), &err)
		var m map[string]int
		m["boom"]++ // a deliberate bug: assignment to a nil map panics
		return nil
	}
	err := f()
	if err == nil || !strings.Contains(err.Error(), internalErrorMsg) {
		t.Errorf("got %v, want an internal error diagnostic", err)
	}
}

func TestKeywordsAreCaseInsensitive(t *testing.T) {
	a, err1 := ParseScript(src("select A from T where B is not null group by A"))
	b, err2 := ParseScript(src("SELECT A FROM T WHERE B IS NOT NULL GROUP BY A"))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if Dump(a) != Dump(b) {
		t.Errorf("dumps differ:\n%s\n%s", Dump(a), Dump(b))
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	for _, in := range []string{
		"SELECT " + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000),
		"SELECT " + strings.Repeat("- ", 2000) + "1",
		"SELECT " + strings.Repeat("NOT ", 2000) + "1",
		"SELECT * FROM " + strings.Repeat("(", 2000) + "t",
		"CREATE TABLE t (a " + strings.Repeat("ARRAY<", 2000) + "INT)",
		"SELECT " + strings.Repeat("f(", 2000),
	} {
		_, err := ParseScript(src(in))
		if err == nil || !strings.Contains(err.Error(), "nesting is too deep") {
			t.Errorf("%.30s...: got %.200v", in, err)
		}
	}
	// Moderate nesting is fine.
	in := "SELECT " + strings.Repeat("(", 50) + "1" + strings.Repeat(")", 50)
	if _, err := ParseScript(src(in)); err != nil {
		t.Error(err)
	}
}

func TestLexerUnicode(t *testing.T) {
	s, err := ParseScript(src("\uFEFFSELECT größe, `a b` FROM t"))
	if err != nil {
		t.Fatal(err)
	}
	items := s.Stmts[0].(*QueryStmt).Query.(*Select).Items
	if got := items[0].Expr.(*ColumnName).Name.Parts[0].Name; got != "größe" {
		t.Errorf("name = %q", got)
	}
	// A no-break space pasted from a web page is not a letter.
	_, err = ParseScript(src("SELECT a,\u00a0b FROM t"))
	if want := "t.sql:1:10: unexpected character U+00A0"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
	// Invalid UTF-8 is an error, not a name.
	_, err = ParseScript(src("SELECT \xff FROM t"))
	if want := "t.sql:1:8: unexpected character U+FFFD"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
}
