// Package docs holds the user documentation. Its test keeps the SQL in the pages real:
// every ```sql block of a page here is compiled, so an example that stops compiling (or
// an error example whose message changes) fails the build.
//
// A block must be preceded by one of these markers, on the line before the fence:
//
//	<!-- compile -->            the block compiles through every phase to Go
//	<!-- error: substring -->   compiling the block fails with a message holding substring
//	<!-- fragment -->           not a whole job (a clause, a grammar excerpt): not compiled
//
// UDF examples resolve their Go packages from ../examples/cdn, whose module is this one,
// so github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince is found.
package docs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
)

// block is one ```sql block of a page and what its marker asks for.
type block struct {
	file    string
	line    int    // line of the opening fence
	mode    string // "compile", "error" or "fragment"
	wantErr string // for "error": the substring the message must hold
	text    string
}

// sqlBlocks extracts the ```sql blocks of a Markdown file with their markers. A block
// without a marker is a problem, so that no example goes unchecked.
func sqlBlocks(path string) (out []block, problems []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var (
		prev    string // the last non-empty line before the current one
		cur     *block
		lines   []string
		lineNum int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lineNum++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur != nil {
			if trimmed == "```" {
				cur.text = strings.Join(lines, "\n") + "\n"
				out = append(out, *cur)
				cur, lines = nil, nil
				prev = trimmed // a marker applies to the next block only
			} else {
				lines = append(lines, line)
			}
			continue
		}
		if trimmed == "```sql" {
			b := block{file: filepath.Base(path), line: lineNum}
			switch {
			case prev == "<!-- compile -->":
				b.mode = "compile"
			case prev == "<!-- fragment -->":
				b.mode = "fragment"
			case strings.HasPrefix(prev, "<!-- error:") && strings.HasSuffix(prev, "-->"):
				b.mode = "error"
				b.wantErr = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(prev, "<!-- error:"), "-->"))
			default:
				problems = append(problems, fmt.Sprintf("%s:%d: ```sql block without a <!-- compile -->, <!-- error: ... --> or <!-- fragment --> marker", b.file, lineNum))
			}
			cur = &b
			continue
		}
		if trimmed != "" {
			prev = trimmed
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if cur != nil {
		problems = append(problems, fmt.Sprintf("%s:%d: unterminated ```sql block", cur.file, cur.line))
	}
	return out, problems, nil
}

func TestExamples(t *testing.T) {
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no pages found")
	}
	compiled := 0
	for _, page := range pages {
		blocks, problems, err := sqlBlocks(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Error(p)
		}
		for _, b := range blocks {
			if b.mode == "fragment" || b.mode == "" {
				continue
			}
			compiled++
			name := b.file + ":" + strconv.Itoa(b.line)
			t.Run(name, func(t *testing.T) {
				_, err := compiler.Compile(b.text, compiler.Options{Name: "job.sql", Dir: "../examples/cdn"})
				switch b.mode {
				case "compile":
					if err != nil {
						t.Errorf("%s: example does not compile:\n%v\n%s", name, err, b.text)
					}
				case "error":
					if err == nil {
						t.Errorf("%s: example compiles, want an error holding %q:\n%s", name, b.wantErr, b.text)
					} else if !strings.Contains(err.Error(), b.wantErr) {
						t.Errorf("%s: error\n%v\ndoes not hold %q", name, err, b.wantErr)
					}
				}
			})
		}
	}
	if compiled == 0 {
		t.Error("no examples were compiled")
	}
}

func TestMarkerParsing(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "p.md")
	text := "intro\n\n<!-- compile -->\n```sql\nSELECT 1;\n```\n\n<!-- error: boom -->\n\n```sql\nx\ny\n```\n<!-- fragment -->\n```sql\nWHERE a\n```\n```sql\nSELECT 2;\n```\n\n```sql\nSELECT 3;\n"
	if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, problems, err := sqlBlocks(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d blocks, want 4: %+v", len(got), got)
	}
	// The fourth block follows a marked one but has no marker of its own; the fifth has
	// none either and is not closed.
	if len(problems) != 3 || !strings.Contains(problems[0], "p.md:18: ```sql block without") ||
		!strings.Contains(problems[1], "p.md:22: ```sql block without") || !strings.Contains(problems[2], "p.md:22: unterminated") {
		t.Errorf("problems = %q", problems)
	}
	if got[0].mode != "compile" || got[0].text != "SELECT 1;\n" || got[0].line != 4 {
		t.Errorf("block 0 = %+v", got[0])
	}
	if got[1].mode != "error" || got[1].wantErr != "boom" || got[1].text != "x\ny\n" {
		t.Errorf("block 1 = %+v", got[1])
	}
	if got[2].mode != "fragment" {
		t.Errorf("block 2 = %+v", got[2])
	}
}
