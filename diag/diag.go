// Package diag holds source positions and diagnostics shared by every compiler phase.
//
// Nodes keep only byte offsets (Span); line and column are computed when a message is
// reported, as esbuild does. A diagnostic prints as
//
//	job.sql:3:14: unknown column "clientip"
//	  SELECT clientip FROM t
//	         ^~~~~~~~
//
// and a List sorts its diagnostics by position and caps how many it prints, so output
// is stable whatever order a phase found them in.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Source is one input text: a SQL file, several SQL files read as one script, or a
// string expression of a Table API call.
type Source struct {
	Name string // file name as given by the user, e.g. "job.sql"
	Text string
	// Base, when set, replaces the file position in messages for sources embedded in
	// another file (a Table API string expression): positions are then reported as
	// Base + column offset within the string.
	Base *Position
	// Files, when set, says that Text is several files one after the other (a job
	// given as ddl.sql views.sql q1.sql; see Join): positions then name the file an
	// offset falls in and count lines and columns within it.
	Files []File
}

// File is one file of a Source made of several: its name and the offset of its first
// byte in the Source's Text.
type File struct {
	Name  string
	Start int
}

// JoinFiles returns one Source holding several files in order, each starting on a line of
// its own (a newline is added after a file that does not end with one). name names
// the whole in generated headers; positions name the files.
func JoinFiles(name string, names, texts []string) *Source {
	src := &Source{Name: name}
	var b strings.Builder
	for i, t := range texts {
		src.Files = append(src.Files, File{Name: names[i], Start: b.Len()})
		b.WriteString(t)
		if !strings.HasSuffix(t, "\n") {
			b.WriteByte('\n')
		}
	}
	src.Text = b.String()
	return src
}

// FileAt returns the file holding offset off and its start: the Source's Name and 0 for
// a Source of one file.
func (s *Source) FileAt(off int) (name string, start int) {
	name = s.Name
	for _, f := range s.Files {
		if f.Start > off {
			break
		}
		name, start = f.Name, f.Start
	}
	return name, start
}

// FileEnds returns the offsets where each file but the last ends (the start of the
// next): a statement never runs over them.
func (s *Source) FileEnds() []int {
	var ends []int
	for i := 1; i < len(s.Files); i++ {
		ends = append(ends, s.Files[i].Start)
	}
	return ends
}

// Span is a half-open byte range [Start, End) in a Source.
type Span struct {
	Start, End int
}

// Join returns the smallest span covering a and b.
func Join(a, b Span) Span {
	if b.Start < a.Start {
		a.Start = b.Start
	}
	if b.End > a.End {
		a.End = b.End
	}
	return a
}

// Position is a human-readable location: 1-based line and column (in bytes).
type Position struct {
	File string
	Line int
	Col  int
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Position computes the line and column of byte offset off.
func (s *Source) Position(off int) Position {
	if off > len(s.Text) {
		off = len(s.Text)
	}
	if off < 0 {
		off = 0
	}
	file, start := s.FileAt(off)
	line := 1 + strings.Count(s.Text[start:off], "\n")
	col := off - (start + strings.LastIndexByte(s.Text[start:off], '\n') + 1) + 1
	if s.Base != nil {
		if line == 1 {
			col += s.Base.Col - 1
		}
		return Position{File: s.Base.File, Line: s.Base.Line + line - 1, Col: col}
	}
	return Position{File: file, Line: line, Col: col}
}

// lineAt returns the text of the line holding off and off's offset within it.
func (s *Source) lineAt(off int) (string, int) {
	if off > len(s.Text) {
		off = len(s.Text)
	}
	start := strings.LastIndexByte(s.Text[:off], '\n') + 1
	end := strings.IndexByte(s.Text[off:], '\n')
	if end < 0 {
		end = len(s.Text)
	} else {
		end += off
	}
	return strings.TrimRight(s.Text[start:end], "\r"), off - start
}

// Diagnostic is one positioned error.
type Diagnostic struct {
	Source *Source
	Span   Span
	Msg    string
}

// Errorf builds a diagnostic at span.
func Errorf(src *Source, span Span, format string, args ...any) *Diagnostic {
	return &Diagnostic{Source: src, Span: span, Msg: fmt.Sprintf(format, args...)}
}

// Error returns "file:line:col: message" followed by the source line and a caret line.
func (d *Diagnostic) Error() string {
	if d.Source == nil {
		return d.Msg
	}
	var b strings.Builder
	b.WriteString(d.Source.Position(d.Span.Start).String())
	b.WriteString(": ")
	b.WriteString(d.Msg)
	// For a string embedded in a Go file (Base set) the line shown is the string's own
	// line, so the caret points at the text the position counts in.
	line, col := d.Source.lineAt(d.Span.Start)
	if strings.TrimSpace(line) == "" {
		return b.String()
	}
	b.WriteString("\n  ")
	b.WriteString(strings.ReplaceAll(line, "\t", " "))
	b.WriteString("\n  ")
	b.WriteString(strings.Repeat(" ", col))
	b.WriteByte('^')
	if n := min(d.Span.End, d.Span.Start+len(line)-col) - d.Span.Start - 1; n > 0 {
		b.WriteString(strings.Repeat("~", n))
	}
	return b.String()
}

// MaxReported caps how many diagnostics a List prints.
const MaxReported = 10

// List is a set of diagnostics that is itself an error.
type List []*Diagnostic

// Add appends a diagnostic.
func (l *List) Add(d *Diagnostic) { *l = append(*l, d) }

// Err returns nil for an empty list, else the list sorted by position.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if an, bn := name(a), name(b); an != bn {
			return an < bn
		}
		return a.Span.Start < b.Span.Start
	})
	return l
}

func name(d *Diagnostic) string {
	if d.Source == nil {
		return ""
	}
	return d.Source.Name
}

func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i == MaxReported {
			fmt.Fprintf(&b, "\n(%d more errors)", len(l)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// EditDistance is the Levenshtein distance between a and b, in bytes; messages use it
// to suggest the name the user probably meant ("did you mean ...?").
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
