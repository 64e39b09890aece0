package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseScript checks that no input makes the parser panic (which the entry points
// would turn into an "internal parser error" diagnostic), that every error carries a
// position inside the source, and that Dump works on whatever parsed.
//
//	go test ./parser -run '^$' -fuzz FuzzParseScript -fuzztime 30s
func FuzzParseScript(f *testing.F) {
	for _, tc := range stmtTests {
		f.Add(tc.in)
	}
	for _, tc := range errorTests {
		f.Add(tc.in)
	}
	for _, tc := range exprTests {
		f.Add("SELECT " + tc.in)
	}
	f.Add(seedDDL)
	for _, text := range realisticScripts {
		f.Add(text)
	}
	if files, _ := filepath.Glob(filepath.Join(nexmarkDir, "*.sql")); files != nil {
		for _, file := range files {
			if text, err := os.ReadFile(file); err == nil {
				f.Add(substitutePlaceholders(string(text)))
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseScript(src(text))
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, internalErrorMsg) {
				t.Fatalf("panic fallback reached for %q: %s", text, msg)
			}
			if !strings.HasPrefix(msg, "t.sql:") {
				t.Fatalf("error without position for %q: %s", text, msg)
			}
		}
		dump := Dump(s)
		checkSpans(t, s)
		if again, _ := ParseScript(src(text)); Dump(again) != dump {
			t.Fatalf("parsing %q twice gave different trees", text)
		}
		if e, err := ParseExpr(src(text)); err == nil {
			_ = DumpExpr(e)
		} else if strings.Contains(err.Error(), internalErrorMsg) {
			t.Fatalf("ParseExpr panic fallback reached for %q: %v", text, err)
		}
		if _, err := ParseSelectList(src(text)); err != nil && strings.Contains(err.Error(), internalErrorMsg) {
			t.Fatalf("ParseSelectList panic fallback reached for %q: %v", text, err)
		}
	})
}
