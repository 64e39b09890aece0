package udf

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/format"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
)

// FoldEvaluator evaluates deterministic UDF calls on constant arguments at compile time
// (optimizer.FoldUDFs): it writes a small Go program calling each function on its
// arguments into a temporary package inside the Go module of Dir (as `sqlc-stream
// build` does, so the module decides which UDF package versions are used), runs it once
// with `go run`, and reads the results it prints as JSON. A function type's value is
// new(T), opened with Open(context.Background()) and closed after the call. A call that
// returns an error, panics, or whose Open fails is reported as failed and stays in the
// plan.
type FoldEvaluator struct {
	Dir string
	// Timeout bounds the helper program (build and run); 0 means two minutes.
	Timeout time.Duration
	// Runs counts the helper programs run (tests check that a compile without foldable
	// calls runs none).
	Runs int
}

// NewFoldEvaluator returns a FoldEvaluator for UDF packages resolved from dir.
func NewFoldEvaluator(dir string) *FoldEvaluator { return &FoldEvaluator{Dir: dir} }

var _ optimizer.UDFEvaluator = (*FoldEvaluator)(nil)

// foldOutput is what the helper program prints per call.
type foldOutput struct {
	Null bool   `json:"null,omitempty"`
	V    string `json:"v,omitempty"`
	Err  string `json:"err,omitempty"`
}

// EvalUDFs implements optimizer.UDFEvaluator.
func (e *FoldEvaluator) EvalUDFs(calls []*ir.UDFCall) ([]optimizer.UDFResult, error) {
	if len(calls) == 0 {
		return nil, nil
	}
	src, err := FoldProgram(calls)
	if err != nil {
		return nil, err
	}
	modRoot, err := goModRoot(e.Dir)
	if err != nil {
		return nil, err
	}
	genRoot := filepath.Join(modRoot, ".sqlc-stream")
	if err := os.MkdirAll(genRoot, 0o755); err != nil {
		return nil, err
	}
	defer os.Remove(genRoot) // only if empty: concurrent builds share it
	pkgDir, err := os.MkdirTemp(genRoot, "fold-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(pkgDir)
	if err := os.WriteFile(filepath.Join(pkgDir, "main.go"), src, 0o644); err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(modRoot, pkgDir)
	if err != nil {
		return nil, err
	}
	timeout := e.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	e.Runs++
	cmd := exec.CommandContext(ctx, "go", "run", "./"+filepath.ToSlash(rel))
	cmd.Dir = modRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("constant folding of UDF calls: go run: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	var outs []foldOutput
	if err := json.Unmarshal(stdout.Bytes(), &outs); err != nil {
		return nil, fmt.Errorf("constant folding of UDF calls: reading the helper's output: %v", err)
	}
	if len(outs) != len(calls) {
		return nil, fmt.Errorf("constant folding of UDF calls: %d results for %d calls", len(outs), len(calls))
	}
	res := make([]optimizer.UDFResult, len(calls))
	for i, o := range outs {
		switch {
		case o.Err != "":
			res[i].Err = fmt.Errorf("%s", o.Err)
		case o.Null:
		default:
			res[i].Value, res[i].Err = parseFoldValue(o.V, calls[i].Fn.Result)
		}
	}
	return res, nil
}

// goModRoot returns the directory of the go.mod governing dir.
func goModRoot(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD in %s: %v", dir, err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module", dir)
	}
	return filepath.Dir(gomod), nil
}

// parseFoldValue turns the helper's text for a value into ir.Literal's representation
// of SQL type t.
func parseFoldValue(s string, t ir.Type) (any, error) {
	switch t.Kind {
	case ir.KindVarchar, ir.KindChar, ir.KindTimestamp, ir.KindTimestampLTZ:
		return s, nil
	case ir.KindBigInt, ir.KindInt, ir.KindSmallInt, ir.KindTinyInt:
		return strconv.ParseInt(s, 10, 64)
	case ir.KindDouble, ir.KindFloat:
		return strconv.ParseFloat(s, 64)
	case ir.KindBoolean:
		return strconv.ParseBool(s)
	case ir.KindVarbinary, ir.KindBinary:
		return base64.StdEncoding.DecodeString(s)
	}
	return nil, fmt.Errorf("cannot fold a result of type %s", t)
}

// timestampLayout renders a time.Time as ir.Literal's TIMESTAMP text, in UTC (a
// time.Time maps to the wall clock of the value read in UTC).
const timestampLayout = "2006-01-02 15:04:05.999999999"

// FoldProgram renders the helper program that evaluates calls and prints their results
// as a JSON array (exported for tests and for `sqlc-stream explain`-style debugging).
func FoldProgram(calls []*ir.UDFCall) ([]byte, error) {
	aliases := map[string]string{}
	var paths []string
	for _, c := range calls {
		if _, ok := aliases[c.Fn.ImportPath]; !ok {
			aliases[c.Fn.ImportPath] = ""
			paths = append(paths, c.Fn.ImportPath)
		}
	}
	sort.Strings(paths)
	for i, p := range paths {
		aliases[p] = "u" + strconv.Itoa(i)
	}
	var b strings.Builder
	b.WriteString("// Code generated by sqlc-stream to fold constant UDF calls. DO NOT EDIT.\n\npackage main\n\nimport (\n")
	for _, imp := range []string{"context", "encoding/base64", "encoding/json", "fmt", "math", "os", "strconv", "time"} {
		fmt.Fprintf(&b, "\t%q\n", imp)
	}
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%s %q\n", aliases[p], p)
	}
	b.WriteString(")\n\n")
	b.WriteString(`type result struct {
	Null bool   ` + "`json:\"null,omitempty\"`" + `
	V    string ` + "`json:\"v,omitempty\"`" + `
	Err  string ` + "`json:\"err,omitempty\"`" + `
}

func ptr[T any](v T) *T { return &v }

func ts(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.999999999", s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	_ = context.Background
	_ = base64.StdEncoding
	_ = math.Float64frombits
	_ = strconv.Itoa
	_ = ts
	_ = ptr[int]
)

func main() {
	out := []result{
`)
	for i := range calls {
		fmt.Fprintf(&b, "\t\tcall%d(),\n", i)
	}
	b.WriteString(`	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`)
	for i, c := range calls {
		body, err := foldCall(c, aliases[c.Fn.ImportPath])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\n// %s\nfunc call%d() (r result) {\n\tdefer func() {\n\t\tif rv := recover(); rv != nil {\n\t\t\tr = result{Err: fmt.Sprint(\"panic: \", rv)}\n\t\t}\n\t}()\n%s}\n", ir.FormatExpr(c, nil), i, body)
	}
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("constant folding of UDF calls: rendering the helper: %v", err)
	}
	return src, nil
}

// foldCall renders the body of the helper function evaluating one call.
func foldCall(c *ir.UDFCall, alias string) (string, error) {
	fn := c.Fn
	var b strings.Builder
	var args []string
	n := len(fn.Params)
	for i, a := range c.Args {
		l, ok := a.(*ir.Literal)
		if !ok {
			return "", fmt.Errorf("constant folding: argument %d of %s is not a literal", i+1, fn.Name)
		}
		p := fn.Params[min(i, n-1)]
		s, err := goLiteral(l.Value, p)
		if err != nil {
			return "", fmt.Errorf("constant folding: argument %d of %s: %v", i+1, fn.Name, err)
		}
		args = append(args, s)
	}
	callee := alias + "." + fn.GoName
	if fn.Receiver != "" {
		fmt.Fprintf(&b, "\tf := new(%s.%s)\n", alias, fn.Receiver)
		if fn.HasOpen {
			b.WriteString("\tif err := f.Open(context.Background()); err != nil {\n\t\treturn result{Err: \"open: \" + err.Error()}\n\t}\n")
		}
		if fn.HasClose {
			b.WriteString("\tdefer f.Close()\n")
		}
		callee = "f." + fn.Method
	}
	call := callee + "(" + strings.Join(args, ", ") + ")"
	if fn.ReturnsError {
		fmt.Fprintf(&b, "\tres, err := %s\n\tif err != nil {\n\t\treturn result{Err: err.Error()}\n\t}\n", call)
	} else {
		fmt.Fprintf(&b, "\tres := %s\n", call)
	}
	resGo := strings.TrimPrefix(fn.ResultGo, "*")
	v := "res"
	if fn.ResultPointer {
		b.WriteString("\tif res == nil {\n\t\treturn result{Null: true}\n\t}\n")
		v = "(*res)"
	}
	var text string
	switch resGo {
	case "string":
		text = v
	case "int64", "int32", "int16", "int8":
		text = "strconv.FormatInt(int64(" + v + "), 10)"
	case "float64":
		text = "strconv.FormatFloat(" + v + ", 'g', -1, 64)"
	case "float32":
		text = "strconv.FormatFloat(float64(" + v + "), 'g', -1, 32)"
	case "bool":
		text = "strconv.FormatBool(" + v + ")"
	case "[]byte":
		text = "base64.StdEncoding.EncodeToString(" + v + ")"
	case "time.Time":
		text = v + ".UTC().Format(" + strconv.Quote(timestampLayout) + ")"
	default:
		return "", fmt.Errorf("constant folding: result type %s of %s", fn.ResultGo, fn.Name)
	}
	fmt.Fprintf(&b, "\treturn result{V: %s}\n", text)
	return b.String(), nil
}

// goLiteral renders a literal value (ir.Literal's representation) as a Go expression of
// the parameter's Go type.
func goLiteral(v any, p ir.Param) (string, error) {
	goT := strings.TrimPrefix(strings.TrimPrefix(p.GoType, "..."), "*")
	if v == nil {
		if p.Pointer {
			return "nil", nil
		}
		return "", fmt.Errorf("NULL for parameter %s %s", p.Name, p.GoType)
	}
	var s string
	switch goT {
	case "string":
		x, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("value %v for a string", v)
		}
		s = strconv.Quote(x)
	case "int64", "int32", "int16", "int8":
		x, ok := v.(int64)
		if !ok {
			return "", fmt.Errorf("value %v for an %s", v, goT)
		}
		s = goT + "(" + strconv.FormatInt(x, 10) + ")"
	case "float64", "float32":
		x, ok := v.(float64)
		if !ok {
			return "", fmt.Errorf("value %v for a %s", v, goT)
		}
		s = fmt.Sprintf("math.Float64frombits(%#x)", math.Float64bits(x))
		if goT == "float32" {
			s = "float32(" + s + ")"
		}
	case "bool":
		x, ok := v.(bool)
		if !ok {
			return "", fmt.Errorf("value %v for a bool", v)
		}
		s = strconv.FormatBool(x)
	case "[]byte":
		switch x := v.(type) {
		case []byte:
			s = "[]byte(" + strconv.Quote(string(x)) + ")"
		case string:
			s = "[]byte(" + strconv.Quote(x) + ")"
		default:
			return "", fmt.Errorf("value %v for a []byte", v)
		}
	case "time.Time":
		x, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("value %v for a time.Time", v)
		}
		s = "ts(" + strconv.Quote(x) + ")"
	default:
		return "", fmt.Errorf("parameter type %s", p.GoType)
	}
	if p.Pointer {
		if goT == "[]byte" {
			return "", fmt.Errorf("parameter type %s", p.GoType)
		}
		s = "ptr(" + s + ")"
	}
	return s, nil
}
