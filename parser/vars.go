package parser

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// Vars looks up the values of ${NAME} placeholders, the way Flink's Nexmark runner
// substitutes its SQL files before handing them to the SQL client (QueryRunner replaces
// every "${NAME}" it has a value for, as text).
//
//   - Outside quotes, a placeholder stands for SQL text (FROM ${NEXMARK_TABLE}): Lookup
//     gives its value, which is read as the tokens it holds, each positioned at the
//     placeholder. A placeholder without a value is an error naming it, unless it has a
//     default: ${NAME:-text}.
//   - Inside a 'string', a placeholder Lookup has a value for is replaced; any other is
//     kept as written, so that an option value such as '${TPS}' is expanded from the
//     job's environment when it starts (runtimelib/options.Expand). Strings only
//     consult Strings, not Lookup's fallbacks (see compiler.Options.Vars).
//
// A nil Vars has no values.
type Vars interface {
	// Lookup returns the value of NAME for a placeholder outside quotes.
	Lookup(name string) (string, bool)
	// InString returns the value of NAME for a placeholder inside a string.
	InString(name string) (string, bool)
}

// MapVars is Vars from a map, for both places, with an optional fallback for
// placeholders outside quotes (the compiler's environment).
type MapVars struct {
	Values   map[string]string
	Fallback func(string) (string, bool)
}

func (m MapVars) Lookup(name string) (string, bool) {
	if v, ok := m.Values[name]; ok {
		return v, true
	}
	if m.Fallback != nil {
		return m.Fallback(name)
	}
	return "", false
}

func (m MapVars) InString(name string) (string, bool) {
	v, ok := m.Values[name]
	return v, ok
}

// ParseScriptWith is ParseScript with placeholder values.
func ParseScriptWith(src *diag.Source, vars Vars) (*Script, error) {
	return parseScript(src, vars)
}

// placeholder reads ${NAME} or ${NAME:-default} outside quotes and returns the first
// token of its value; the others wait in lx.pending.
func (lx *lexer) placeholder() (token, *diag.Diagnostic) {
	start := lx.pos
	end := strings.IndexByte(lx.text[start:], '}')
	if nl := strings.IndexByte(lx.text[start:], '\n'); end < 0 || nl >= 0 && nl < end {
		return token{}, lx.errorf(start, start+2, "unterminated placeholder: missing '}'")
	}
	end += start + 1
	ref := lx.text[start+2 : end-1]
	name, def, hasDef := strings.Cut(ref, ":-")
	if !validVarName(name) {
		return token{}, lx.errorf(start, end, "invalid placeholder ${%s}: a name is letters, digits and '_', not starting with a digit", ref)
	}
	lx.pos = end
	var value string
	var ok bool
	if lx.vars != nil {
		value, ok = lx.vars.Lookup(name)
	}
	if !ok {
		if !hasDef {
			return token{}, lx.errorf(start, end, "placeholder ${%s} has no value: give it with -var %s=... (or the environment variable %s)", name, name, name)
		}
		value = def
	}
	sub := &lexer{src: &diag.Source{Name: "${" + name + "}", Text: value}, text: value, inHint: -1}
	var toks []token
	for {
		t, err := sub.next()
		if err != nil {
			return token{}, lx.errorf(start, end, "in the value of ${%s} (%q): %s", name, value, err.Msg)
		}
		if t.kind == tEOF {
			break
		}
		if t.kind == tHintStart || t.kind == tHintEnd {
			return token{}, lx.errorf(start, end, "the value of ${%s} may not hold a hint comment", name)
		}
		t.start, t.end = start, end
		toks = append(toks, t)
	}
	if len(toks) == 0 {
		return lx.next() // an empty value: the text around it
	}
	lx.pending = toks[1:]
	return toks[0], nil
}

// stringVars replaces the placeholders of a string's text that have a value; the
// others stay as written, as does "$${" (an escaped "${", which runtimelib/options
// keeps).
func stringVars(vars Vars, s string) string {
	if vars == nil || !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			b.WriteString("$${")
			i += 3
			continue
		}
		if strings.HasPrefix(s[i:], "${") {
			if end := strings.IndexByte(s[i:], '}'); end > 0 {
				name, _, _ := strings.Cut(s[i+2:i+end], ":-")
				if v, ok := vars.InString(name); ok && validVarName(name) {
					b.WriteString(v)
					i += end + 1
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func validVarName(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
