package parser

import (
	"fmt"
	"strings"
	"testing"
)

// tokenString renders tokens as kind:value@start-end for compact comparisons.
func tokenString(toks []token) string {
	names := map[tokKind]string{tEOF: "EOF", tIdent: "id", tQuotedIdent: "qid", tString: "str",
		tBinary: "bin", tNumber: "num", tOp: "op", tHintStart: "hint", tHintEnd: "endhint"}
	var parts []string
	for _, t := range toks {
		parts = append(parts, fmt.Sprintf("%s:%s@%d-%d", names[t.kind], t.val, t.start, t.end))
	}
	return strings.Join(parts, " ")
}

func TestLexer(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT a1_$", "id:SELECT@0-6 id:a1_$@7-11 EOF:@11-11"},
		{"`a``b` `x y`", "qid:a`b@0-6 qid:x y@7-12 EOF:@12-12"},
		{"'it''s' ''", "str:it's@0-7 str:@8-10 EOF:@10-10"},
		{"'multi\nline'", "str:multi\nline@0-12 EOF:@12-12"},
		{"X'0aFF' x''", "bin:0aFF@0-7 bin:@8-11 EOF:@11-11"},
		{"1 1.5 .5 1. 1e3 1.5E-3 2e+1", "num:1@0-1 num:1.5@2-5 num:.5@6-8 num:1.@9-11 num:1e3@12-15 num:1.5E-3@16-22 num:2e+1@23-27 EOF:@27-27"},
		{"a.b.c", "id:a@0-1 op:.@1-2 id:b@2-3 op:.@3-4 id:c@4-5 EOF:@5-5"},
		{"t.1", "id:t@0-1 num:.1@1-3 EOF:@3-3"},
		{"+-*/%||=<><=>=!=<>.,;()[]", "op:+@0-1 op:-@1-2 op:*@2-3 op:/@3-4 op:%@4-5 op:||@5-7 op:=@7-8 op:<>@8-10 op:<=@10-12 op:>=@12-14 op:!=@14-16 op:<>@16-18 op:.@18-19 op:,@19-20 op:;@20-21 op:(@21-22 op:)@22-23 op:[@23-24 op:]@24-25 EOF:@25-25"},
		{"ARRAY<ARRAY<INT>>", "id:ARRAY@0-5 op:<@5-6 id:ARRAY@6-11 op:<@11-12 id:INT@12-15 op:>@15-16 op:>@16-17 EOF:@17-17"},
		{"a -- comment\nb /* block\n */ c", "id:a@0-1 id:b@13-14 id:c@28-29 EOF:@29-29"},
		{"t /*+ OPTIONS('k'='v') */ x", "id:t@0-1 hint:/*+@2-5 id:OPTIONS@6-13 op:(@13-14 str:k@14-17 op:=@17-18 str:v@18-21 op:)@21-22 endhint:*/@23-25 id:x@26-27 EOF:@27-27"},
		{"a */ b", "id:a@0-1 op:*@2-3 op:/@3-4 id:b@5-6 EOF:@6-6"},
		{"f(a => 1)", "id:f@0-1 op:(@1-2 id:a@2-3 op:=>@4-6 num:1@7-8 op:)@8-9 EOF:@9-9"},
		{"", "EOF:@0-0"},
	} {
		toks, err := lex(src(tc.in))
		if err != nil {
			t.Errorf("lex(%q): %v", tc.in, err)
			continue
		}
		if got := tokenString(toks); got != tc.want {
			t.Errorf("lex(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestLexerKeywordsKeepSpelling(t *testing.T) {
	toks, err := lex(src("Select myCol"))
	if err != nil {
		t.Fatal(err)
	}
	if toks[0].kw != "SELECT" || toks[0].val != "Select" || toks[1].val != "myCol" || toks[1].kw != "MYCOL" {
		t.Errorf("tokens: %+v", toks)
	}
	q, err := lex(src("`select`"))
	if err != nil {
		t.Fatal(err)
	}
	if q[0].isKw("SELECT") {
		t.Error("a backtick identifier must never be a keyword")
	}
}

func TestLexerErrors(t *testing.T) {
	for in, want := range map[string]string{
		"'abc":          "t.sql:1:1: unterminated string",
		"`abc":          "t.sql:1:1: unterminated quoted identifier",
		"/* abc":        "t.sql:1:1: unterminated comment",
		"/*+ OPTIONS(":  "t.sql:1:1: unterminated hint comment",
		"/*+ /*+ */ */": "t.sql:1:5: nested hint comment",
		"X'1'":          "t.sql:1:1: binary string has an odd number of hexadecimal digits",
		"1e+":           "t.sql:1:1: malformed number: exponent has no digits",
		"1x":            `t.sql:1:1: malformed number "1x"`,
		"a\n  @":        `t.sql:2:3: unexpected character "@"`,
		"\"q\"":         "t.sql:1:1: double quotes are not allowed here",
		"a\x01":         "t.sql:1:2: unexpected character 0x01",
	} {
		_, err := lex(src(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("lex(%q) = %v, want %s", in, err, want)
		}
	}
}
