package table

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"sync"

	"github.com/sqlc-stream/sqlc-stream/diag"
)

// Positions inside string arguments. runtime.Caller gives the file and line of a Table
// API call; to point at a character of a string argument, literalBase reads the Go
// file of the call (it is on disk where go generate and go run run the program), finds
// the call, and the string literal among its arguments (or the constant an identifier
// argument names) whose value is the text. Errors in that text are then reported at the
// literal's own line and column in the Go file. When the text is not a literal found so
// (built at run time, a concatenation, an interpreted literal with escapes), positions
// are the call's line and the column within the string.

var goFiles struct {
	sync.Mutex
	m map[string]*goFile
}

type goFile struct {
	fset *token.FileSet
	f    *ast.File // nil if the file does not parse
}

func loadGoFile(path string) *goFile {
	goFiles.Lock()
	defer goFiles.Unlock()
	if gf, ok := goFiles.m[path]; ok {
		return gf
	}
	if goFiles.m == nil {
		goFiles.m = map[string]*goFile{}
	}
	gf := &goFile{fset: token.NewFileSet()}
	if f, err := parser.ParseFile(gf.fset, path, nil, 0); err == nil {
		gf.f = f
	}
	goFiles.m[path] = gf
	return gf
}

// literalBase returns the position of the first byte of text in the Go source of the
// call at site, or nil.
func literalBase(site callSite, text string) *diag.Position {
	if site.abs == "" || site.method == "" || !strings.HasSuffix(site.abs, ".go") {
		return nil
	}
	gf := loadGoFile(site.abs)
	if gf.f == nil {
		return nil
	}
	var found *diag.Position
	ast.Inspect(gf.f, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != site.method {
			return true
		}
		if gf.fset.Position(sel.Sel.Pos()).Line != site.line && gf.fset.Position(call.Lparen).Line != site.line {
			return true
		}
		for _, arg := range call.Args {
			if lit := stringLit(arg); lit != nil && litValue(lit) == text {
				p := gf.fset.Position(lit.Pos())
				found = &diag.Position{File: site.file, Line: p.Line, Col: p.Column + 1}
				return false
			}
		}
		return true
	})
	return found
}

// stringLit returns the string literal x is, or the one the constant or variable x
// names is initialized with (in the same file), or nil.
func stringLit(x ast.Expr) *ast.BasicLit {
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			return x
		}
	case *ast.ParenExpr:
		return stringLit(x.X)
	case *ast.Ident:
		if x.Obj == nil {
			return nil
		}
		spec, ok := x.Obj.Decl.(*ast.ValueSpec)
		if !ok {
			return nil
		}
		for i, n := range spec.Names {
			if n.Name == x.Name && i < len(spec.Values) {
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					return lit
				}
			}
		}
	}
	return nil
}

// litValue is the value of a literal whose bytes map one to one onto its source: a
// raw string (without carriage returns) or an interpreted one without escapes; "" for
// others, which then keep call-site positions.
func litValue(lit *ast.BasicLit) string {
	v := lit.Value
	if len(v) < 2 || strings.ContainsAny(v, "\r") || v[0] == '"' && strings.Contains(v, `\`) {
		return "\x00"
	}
	s, err := strconv.Unquote(v)
	if err != nil {
		return "\x00"
	}
	return s
}
