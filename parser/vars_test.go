package parser

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// Placeholders outside quotes are read as the tokens of their value, positioned at the
// placeholder; inside quotes only the ones with a value are replaced.
func TestPlaceholders(t *testing.T) {
	vars := MapVars{Values: map[string]string{"T": "src", "N": "10", "EMPTY": "", "TWO": "a.b"},
		Fallback: func(n string) (string, bool) {
			if n == "ENV" {
				return "from_env", true
			}
			return "", false
		}}
	text := "SELECT x FROM ${T} WHERE n > ${N} AND y = '${N}/${UNSET}/$${N}' ${EMPTY};\nSELECT * FROM ${TWO}, ${ENV}, ${MISSING:-dflt}"
	s, err := ParseScriptWith(&diag.Source{Name: "q.sql", Text: text}, vars)
	if err != nil {
		t.Fatal(err)
	}
	d := Dump(s)
	for _, want := range []string{`src`, `10`, `'10/${UNSET}/$${N}'`, `a`, `b`, `from_env`, `dflt`} {
		if !strings.Contains(d, want) {
			t.Errorf("dump lacks %q:\n%s", want, d)
		}
	}
	// The table name's span is the placeholder's.
	start := strings.Index(text, "${T}")
	if !strings.Contains(d, "src") || !strings.Contains(d, itoa(start)+"-"+itoa(start+4)) {
		t.Errorf("the name substituted for ${T} is not at %d-%d:\n%s", start, start+4, d)
	}

	for _, c := range []struct{ text, want string }{
		{"SELECT 1 FROM ${NOPE}", "q.sql:1:15: placeholder ${NOPE} has no value: give it with -var NOPE="},
		{"SELECT 1 FROM ${T", "q.sql:1:15: unterminated placeholder"},
		{"SELECT 1 FROM ${1x}", "q.sql:1:15: invalid placeholder ${1x}"},
		{"SELECT 1 FROM ${BAD}", `q.sql:1:15: in the value of ${BAD} ("'oops"): unterminated string`},
	} {
		v := MapVars{Values: map[string]string{"T": "t", "BAD": "'oops"}}
		_, err := ParseScriptWith(&diag.Source{Name: "q.sql", Text: c.text}, v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.text, err, c.want)
		}
	}
}

// A script of several files: positions name the file, and a statement ends with its
// file even without a semicolon.
func TestSeveralFiles(t *testing.T) {
	src := diag.JoinFiles("all", []string{"a.sql", "b.sql"}, []string{
		"CREATE VIEW v AS SELECT 1 AS x",
		"-- second\nSELECT x FROM v;\nSELECT FROM v",
	})
	_, err := ParseScript(src)
	if err == nil {
		t.Fatal("no error")
	}
	if got := err.Error(); !strings.HasPrefix(got, "b.sql:3:8: expected an expression") {
		t.Errorf("error %q does not name b.sql:3:8", got)
	}
	s, err := ParseScript(diag.JoinFiles("all", []string{"a.sql", "b.sql"}, []string{"CREATE VIEW v AS SELECT 1 AS x", "SELECT x FROM v"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Stmts) != 2 {
		t.Errorf("%d statements, want 2", len(s.Stmts))
	}
}
