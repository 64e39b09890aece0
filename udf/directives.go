package udf

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// Directives are the //sqlcstream: lines of a UDF declaration's doc comment. They give
// defaults that a CREATE FUNCTION's WITH clause overrides:
//
//	//sqlcstream:nondeterministic   never folded at compile time, never deduplicated
//	//sqlcstream:vectorized         called once per batch with a slice per parameter
//
// For a type, the directives are those of its type declaration.
type Directives struct {
	Nondeterministic bool
	Vectorized       bool
	// Unknown lists //sqlcstream: directives this version does not know (ignored).
	Unknown []string
}

const directivePrefix = "//sqlcstream:"

// directives returns the directives of obj's declaration. The package's types come from
// export data, which keeps no comments: the file declaring obj (its export-data position
// names it) is parsed, comments only, once per file; when that position is unusable,
// every file of the package is.
func (r *Resolver) directives(l *loaded, obj types.Object) Directives {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l.directives == nil {
		l.directives = map[string]Directives{}
		l.parsed = map[string]bool{}
	}
	if d, ok := l.directives[obj.Name()]; ok {
		return d
	}
	file := ""
	if obj.Pos().IsValid() && l.fset != nil {
		file = l.fset.Position(obj.Pos()).Filename
	}
	var files []string
	for _, f := range l.goFiles {
		if file != "" && (f == file || filepath.Base(f) == filepath.Base(file)) {
			files = []string{f}
			break
		}
	}
	if files == nil {
		files = l.goFiles
	}
	for _, f := range files {
		if l.parsed[f] {
			continue
		}
		l.parsed[f] = true
		parseDirectives(f, l.directives)
	}
	return l.directives[obj.Name()]
}

// parseDirectives records the directives of the package-level funcs and types of file.
func parseDirectives(file string, into map[string]Directives) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || f == nil {
		return
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			if decl.Recv == nil {
				into[decl.Name.Name] = parseDirectiveComment(decl.Doc)
			}
		case *ast.GenDecl:
			if decl.Tok != token.TYPE {
				continue
			}
			for _, spec := range decl.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(decl.Specs) == 1 {
					doc = decl.Doc
				}
				into[ts.Name.Name] = parseDirectiveComment(doc)
			}
		}
	}
}

func parseDirectiveComment(cg *ast.CommentGroup) Directives {
	var d Directives
	if cg == nil {
		return d
	}
	for _, c := range cg.List {
		if !strings.HasPrefix(c.Text, directivePrefix) {
			continue
		}
		word := strings.TrimSpace(strings.TrimPrefix(c.Text, directivePrefix))
		switch word {
		case "nondeterministic":
			d.Nondeterministic = true
		case "vectorized":
			d.Vectorized = true
		default:
			d.Unknown = append(d.Unknown, word)
		}
	}
	return d
}

// suggestWord returns "; did you mean X?" for the candidate closest to w, if close.
func suggestWord(w string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := diag.EditDistance(strings.ToLower(w), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + directivePrefix + best + "?)"
}
