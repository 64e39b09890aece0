package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// tokKind classifies a token.
type tokKind int

const (
	tEOF         tokKind = iota
	tIdent               // name or keyword; kw holds the upper-cased spelling
	tQuotedIdent         // `name`; val holds the unescaped name
	tString              // 'text'; val holds the unescaped text
	tBinary              // X'0AFF'; val holds the hex digits
	tNumber              // 42, 1.5, 1e3, .5
	tOp                  // punctuation and operators; val holds the operator
	tHintStart           // /*+
	tHintEnd             // */ closing a hint
)

// token is one lexeme with its byte span in the source.
type token struct {
	kind       tokKind
	val        string // identifier name, unescaped string, operator text, number text
	kw         string // upper-cased identifier text for keyword comparison ("" unless tIdent)
	start, end int
}

func (t token) span() diag.Span { return diag.Span{Start: t.start, End: t.end} }

// lexer turns source text into tokens. Comments are skipped; a hint comment /*+ ... */
// becomes tHintStart, the tokens inside it, and tHintEnd, so that the parser reads
// OPTIONS('k'='v') like any other syntax.
type lexer struct {
	src    *diag.Source
	text   string
	pos    int
	inHint int // start offset of the open hint, or -1
	toks   []token

	vars     Vars    // placeholder values; nil: none
	fileEnds []int   // offsets where a file of a several-file Source ends
	pending  []token // tokens of a substituted placeholder, not returned yet
}

// lex returns all tokens of src, ending with a tEOF token, or a positioned error.
func lex(src *diag.Source) ([]token, *diag.Diagnostic) { return lexWith(src, nil) }

// lexWith is lex with placeholder values. Where a file of a several-file Source ends,
// it adds a ";" token (of no width), so that a statement never runs into the next file.
func lexWith(src *diag.Source, vars Vars) ([]token, *diag.Diagnostic) {
	lx := &lexer{src: src, text: src.Text, inHint: -1, vars: vars, fileEnds: src.FileEnds()}
	if strings.HasPrefix(lx.text, "\uFEFF") { // a byte order mark from an editor
		lx.pos = len("\uFEFF")
	}
	for {
		tok, err := lx.next()
		if err != nil {
			if d := unterminatedString(src, lx.toks, err); d != nil {
				return nil, d
			}
			return nil, err
		}
		lx.toks = append(lx.toks, tok)
		if tok.kind == tEOF {
			return lx.toks, nil
		}
	}
}

func (lx *lexer) errorf(start, end int, format string, args ...any) *diag.Diagnostic {
	return diag.Errorf(lx.src, diag.Span{Start: start, End: end}, format, args...)
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || isDigit(c) || c == '$'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// identEnd returns the end of the identifier starting at pos: ASCII letters, digits,
// "_" and "$", and non-ASCII letters and digits.
func identEnd(text string, pos int) int {
	for pos < len(text) {
		c := text[pos]
		if c < utf8.RuneSelf {
			if !isIdentPart(c) {
				break
			}
			pos++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[pos:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		pos += n
	}
	return pos
}

// skipSpace skips white space and comments.
func (lx *lexer) skipSpace() *diag.Diagnostic {
	for lx.pos < len(lx.text) {
		c := lx.text[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '-' && strings.HasPrefix(lx.text[lx.pos:], "--"):
			if i := strings.IndexByte(lx.text[lx.pos:], '\n'); i >= 0 {
				lx.pos += i + 1
			} else {
				lx.pos = len(lx.text)
			}
		case c == '/' && strings.HasPrefix(lx.text[lx.pos:], "/*") && !strings.HasPrefix(lx.text[lx.pos:], "/*+"):
			i := strings.Index(lx.text[lx.pos+2:], "*/")
			if i < 0 {
				return lx.errorf(lx.pos, lx.pos+2, "unterminated comment")
			}
			lx.pos += 2 + i + 2
		default:
			return nil
		}
	}
	return nil
}

func (lx *lexer) next() (token, *diag.Diagnostic) {
	if len(lx.pending) > 0 {
		t := lx.pending[0]
		lx.pending = lx.pending[1:]
		return t, nil
	}
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	start := lx.pos
	if len(lx.fileEnds) > 0 && start >= lx.fileEnds[0] {
		end := lx.fileEnds[0]
		lx.fileEnds = lx.fileEnds[1:]
		if lx.inHint >= 0 {
			return token{}, lx.errorf(lx.inHint, lx.inHint+3, "unterminated hint comment")
		}
		return token{kind: tOp, val: ";", start: end, end: end}, nil
	}
	if lx.pos >= len(lx.text) {
		if lx.inHint >= 0 {
			return token{}, lx.errorf(lx.inHint, lx.inHint+3, "unterminated hint comment")
		}
		return token{kind: tEOF, start: start, end: start}, nil
	}
	text := lx.text
	c := text[lx.pos]
	switch {
	case (c == 'x' || c == 'X') && lx.pos+1 < len(text) && text[lx.pos+1] == '\'':
		lx.pos++
		s, err := lx.quoted('\'', "string literal")
		if err != nil {
			return token{}, err
		}
		for i := 0; i < len(s); i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
				return token{}, lx.errorf(start, lx.pos, "invalid hexadecimal digit %q in binary string", s[i])
			}
		}
		if len(s)%2 != 0 {
			return token{}, lx.errorf(start, lx.pos, "binary string has an odd number of hexadecimal digits")
		}
		return token{kind: tBinary, val: s, start: start, end: lx.pos}, nil
	case isIdentStart(c):
		if c >= utf8.RuneSelf {
			if r, n := utf8.DecodeRuneInString(text[lx.pos:]); !unicode.IsLetter(r) {
				return token{}, lx.errorf(start, start+n, "unexpected character %U", r)
			}
		}
		lx.pos = identEnd(text, lx.pos)
		name := text[start:lx.pos]
		return token{kind: tIdent, val: name, kw: strings.ToUpper(name), start: start, end: lx.pos}, nil
	case isDigit(c) || c == '.' && lx.pos+1 < len(text) && isDigit(text[lx.pos+1]):
		return lx.number()
	case c == '\'':
		s, err := lx.quoted('\'', "string literal")
		if err != nil {
			return token{}, err
		}
		return token{kind: tString, val: stringVars(lx.vars, s), start: start, end: lx.pos}, nil
	case c == '$' && strings.HasPrefix(text[lx.pos:], "${"):
		return lx.placeholder()
	case c == '`':
		s, err := lx.quoted('`', "quoted identifier")
		if err != nil {
			return token{}, err
		}
		if s == "" {
			return token{}, lx.errorf(start, lx.pos, "empty quoted identifier")
		}
		return token{kind: tQuotedIdent, val: s, start: start, end: lx.pos}, nil
	case c == '"':
		// Flink quotes identifiers with backticks; a double quote is a common slip from
		// other dialects, so say so instead of failing on the next token.
		return token{}, lx.errorf(start, start+1, "double quotes are not allowed here: quote identifiers with `backticks` and strings with 'single quotes'")
	}
	if strings.HasPrefix(text[lx.pos:], "/*+") {
		if lx.inHint >= 0 {
			return token{}, lx.errorf(start, start+3, "nested hint comment")
		}
		lx.inHint = start
		lx.pos += 3
		return token{kind: tHintStart, val: "/*+", start: start, end: lx.pos}, nil
	}
	if lx.inHint >= 0 && strings.HasPrefix(text[lx.pos:], "*/") {
		lx.inHint = -1
		lx.pos += 2
		return token{kind: tHintEnd, val: "*/", start: start, end: lx.pos}, nil
	}
	for _, op := range [...]string{"<>", "<=", ">=", "!=", "||", "=>"} {
		if strings.HasPrefix(text[lx.pos:], op) {
			lx.pos += 2
			return token{kind: tOp, val: op, start: start, end: lx.pos}, nil
		}
	}
	if strings.IndexByte("+-*/%=<>.,;()[]", c) >= 0 {
		lx.pos++
		return token{kind: tOp, val: string(c), start: start, end: lx.pos}, nil
	}
	if c >= 0x20 && c < 0x7f {
		return token{}, lx.errorf(start, start+1, "unexpected character %q", string(c))
	}
	return token{}, lx.errorf(start, start+1, "unexpected character 0x%02x", c)
}

// quoted reads a string delimited by q starting at lx.pos, where a doubled q stands for
// one q, and returns its unescaped content.
func (lx *lexer) quoted(q byte, what string) (string, *diag.Diagnostic) {
	start := lx.pos
	lx.pos++ // opening quote
	var b strings.Builder
	for {
		i := strings.IndexByte(lx.text[lx.pos:], q)
		if i < 0 {
			lx.pos = len(lx.text)
			return "", lx.errorf(start, start+1, "unterminated %s", what)
		}
		b.WriteString(lx.text[lx.pos : lx.pos+i])
		lx.pos += i + 1
		if lx.pos < len(lx.text) && lx.text[lx.pos] == q {
			b.WriteByte(q)
			lx.pos++
			continue
		}
		return b.String(), nil
	}
}

// number reads 123, 1.5, .5, 1., 1e10, 1.5E-3.
func (lx *lexer) number() (token, *diag.Diagnostic) {
	text := lx.text
	start := lx.pos
	for lx.pos < len(text) && isDigit(text[lx.pos]) {
		lx.pos++
	}
	if lx.pos < len(text) && text[lx.pos] == '.' {
		lx.pos++
		for lx.pos < len(text) && isDigit(text[lx.pos]) {
			lx.pos++
		}
	}
	if lx.pos < len(text) && (text[lx.pos] == 'e' || text[lx.pos] == 'E') {
		p := lx.pos + 1
		if p < len(text) && (text[p] == '+' || text[p] == '-') {
			p++
		}
		if p < len(text) && isDigit(text[p]) {
			for p < len(text) && isDigit(text[p]) {
				p++
			}
			lx.pos = p
		} else {
			return token{}, lx.errorf(start, p, "malformed number: exponent has no digits")
		}
	}
	if lx.pos < len(text) && isIdentStart(text[lx.pos]) {
		end := identEnd(text, lx.pos)
		return token{}, lx.errorf(start, end, "malformed number %q", text[start:end])
	}
	return token{kind: tNumber, val: text[start:lx.pos], start: start, end: lx.pos}, nil
}

// unterminatedString finds the likely cause of an error that follows a string literal
// missing its closing quote. SQL strings may span lines, so such a string runs on to the
// next quote, and the quotes after it pair up wrongly: the error shows up far away
// ("unexpected character" on a later line, or an unterminated string at the last quote).
// The string to blame is the first one before err that spans lines and whose closing
// quote is directly followed by a word: the text of the next string, now read as code
// ('data.csv,<newline>  'format' = ...). It returns nil when no string fits, and then
// err stands.
func unterminatedString(src *diag.Source, toks []token, err *diag.Diagnostic) *diag.Diagnostic {
	text := src.Text
	for _, t := range toks {
		if t.start >= err.Span.Start {
			break
		}
		if t.kind == tString && t.end < len(text) && isIdentPart(text[t.end]) && strings.Contains(text[t.start:t.end], "\n") {
			return diag.Errorf(src, diag.Span{Start: t.start, End: t.start + 1},
				"unterminated string literal: the string starting here runs on to line %d (is its closing quote missing?)", src.Position(t.end).Line)
		}
	}
	return nil
}
