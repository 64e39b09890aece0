package codegen

import (
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"
)

// reservedNames are identifiers generated code uses for its own purposes (package aliases,
// receivers, loop variables); a SQL name that collides with one gets a numeric suffix.
var reservedNames = map[string]bool{
	// package aliases the generated file may import
	"job": true, "stream": true, "types": true, "csv": true, "json": true, "options": true,
	"filesystem": true, "datagen": true, "print": true, "printsink": true, "blackhole": true,
	"sqlite": true, "strings": true, "math": true, "time": true, "strconv": true, "fmt": true,
	"bytes": true, "errors": true,
	// names of the generated program
	"p": true, "b": true, "r": true, "rec": true, "err": true, "fields": true, "st": true,
	"idx": true, "k": true, "ok": true, "spec": true, "run": true, "main": true, "program": true,
	"source": true, "site": true, "raw": true, "f": true, "n": true, "out": true, "kind": true,
	"js": true, "rv": true, "g": true, "fv": true, "row": true, "seen": true, "s": true, "cerr": true,
	"key": true, "keyFields": true, "nf": true, "keyNF": true, "h": true, "pos": true, "state": true,
	"ev": true, "nexmark": true,
}

// predeclared Go identifiers, which a local must not shadow (we call len, string, ...).
var predeclared = map[string]bool{
	"bool": true, "byte": true, "complex64": true, "complex128": true, "error": true,
	"float32": true, "float64": true, "int": true, "int8": true, "int16": true, "int32": true,
	"int64": true, "rune": true, "string": true, "uint": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "uintptr": true, "true": true, "false": true, "iota": true,
	"nil": true, "append": true, "cap": true, "clear": true, "close": true, "complex": true,
	"copy": true, "delete": true, "imag": true, "len": true, "make": true, "max": true,
	"min": true, "new": true, "panic": true, "print": true, "println": true, "real": true,
	"recover": true, "any": true, "comparable": true,
}

// sanitize turns a SQL identifier into a Go identifier: letters, digits and '_' are kept,
// anything else becomes '_'; a leading digit gets a 'c' prefix.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" || s == "_" {
		s = "x"
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "c" + s
	}
	return s
}

// namer hands out unique Go identifiers within one scope (a generated function). Each name
// X also reserves XNull, so a value's null flag never collides with another name.
type namer struct {
	used  map[string]bool
	extra map[string]bool // scope-specific reserved names (UDF package aliases)
}

func newNamer(extra map[string]bool) *namer {
	return &namer{used: map[string]bool{}, extra: extra}
}

// packageLevel matches the names of the generated file's package-level declarations
// (types, variables, helpers), which a local must not shadow.
var packageLevel = regexp.MustCompile(`^(agg\d+(Key|Row|State)|like\d+|regex\d+|similar\d+|bytesLit\d+|decLit\d+|tsLit\d+|udfSites|compareTimestamp|compareBool|formatBool|timestampToTime|timeToTimestamp|substringSQL|roundHalfUp)$`)

func (n *namer) free(s string) bool {
	return !n.used[s] && !n.used[s+"Null"] && !reservedNames[s] && !predeclared[s] &&
		!token.IsKeyword(s) && !n.extra[s] && !strings.HasSuffix(s, "Null") && !packageLevel.MatchString(s)
}

// fresh returns base (sanitized) or base2, base3, ... whichever is free first.
func (n *namer) fresh(base string) string {
	base = sanitize(base)
	if packageLevel.MatchString(base) || packageLevel.MatchString(base+"2") || strings.HasSuffix(base, "Null") {
		// Numbered variants would still match (like12, xNull2 ends the flag namespace).
		base += "_"
	}
	s := base
	for i := 2; !n.free(s); i++ {
		s = base + strconv.Itoa(i)
		if i > 1000 { // cannot happen with the rules above; never loop forever
			s = base + "_" + strconv.Itoa(i)
		}
	}
	n.used[s] = true
	n.used[s+"Null"] = true
	return s
}

// local is a generated variable whose uses are counted, so that a declaration nobody
// reads can be marked with `_ = x` (Go rejects unused locals) when the function is done.
//
// Every mention of the local is recorded, so that rename can give a computed value the
// name of the SQL column it becomes (`province` rather than `v3`) after the fact.
type local struct {
	name  string
	uses  int
	blank bool             // `_ = x` after the declaration though it is read (loopSplit)
	ph    *jen.Statement   // placeholder after the declaration
	refs  []*jen.Statement // every rendered mention
}

// ref renders a read of the local.
func (l *local) ref() *jen.Statement {
	l.uses++
	return l.id()
}

// id renders a mention that is not a read (declaration, assignment target).
func (l *local) id() *jen.Statement {
	s := jen.Id(l.name)
	l.refs = append(l.refs, s)
	return jen.Add(s)
}

// rename changes the local's name everywhere it has been mentioned.
func (l *local) rename(name string) {
	l.name = name
	for _, s := range l.refs {
		*s = *jen.Id(name)
	}
}
