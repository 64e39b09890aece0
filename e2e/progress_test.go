package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// TestProgress runs bounded jobs under a pseudo-terminal and piped. On the terminal a
// job draws a progress bar on standard error (records of the known total, rate, time
// left) and ends with a one-line summary, and the rows it prints on the same terminal
// stay whole; piped, nothing of it appears and no control character is written.
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	b := &builder{dir: dir, root: gotest.RepoRoot(t)}

	// datagen at 2,000 rows per second: the job runs about 1.5 s, so the bar is drawn
	// several times (every 200 ms) whatever the machine's speed.
	gen := filepath.Join(dir, "gen.sql")
	gotest.WriteFile(t, gen, `
CREATE TABLE gen (id BIGINT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '3000', 'rows-per-second' = '2000');
CREATE TABLE counts (n BIGINT) WITH ('connector' = 'print');
INSERT INTO counts SELECT count(*) FROM gen;
`)
	// A file source: its bar counts bytes of the files' size, the records in its label.
	var csv strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&csv, "u%d,%d\n", i%7, i)
	}
	gotest.WriteFile(t, filepath.Join(dir, "data.csv"), csv.String())
	file := filepath.Join(dir, "file.sql")
	gotest.WriteFile(t, file, `
CREATE TABLE src (u VARCHAR, n BIGINT) WITH ('connector' = 'filesystem', 'path' = 'data.csv', 'format' = 'csv');
CREATE TABLE total (c BIGINT, s BIGINT) WITH ('connector' = 'print');
INSERT INTO total SELECT count(*), sum(n) FROM src;
`)
	genBin, fileBin := b.job(t, gen), b.job(t, file)

	t.Run("terminal", func(t *testing.T) {
		out := runPTY(t, dir, genBin)
		t.Logf("terminal output:\n%q", out)
		bar := regexp.MustCompile(`gen +\d+% \|[^|]*\| \(\d+/3000, \d+ records/(s|hr)\) \[\d+s:\d+s\]`)
		if n := len(bar.FindAllString(out, -1)); n < 2 {
			t.Errorf("the bar (records of 3000, rate, elapsed:left) was drawn %d times, want several", n)
		}
		lines := screenLines(out)
		summary := regexp.MustCompile(`^gen: read 3000 records of 3000 in [0-9.]+m?s \(\d+ records/s\)$`)
		if !containsLine(lines, summary) {
			t.Errorf("no one-line summary matching %s", summary)
		}
		// The print sink's rows, on the same terminal, begin their lines: the bar's
		// line was cleared before each was written.
		if !containsLine(lines, regexp.MustCompile(`^\+U\[3000\]$`)) {
			t.Errorf("the last row +U[3000] is not on a line of its own")
		}
		if !containsLine(lines, regexp.MustCompile(`^gen: done in `)) {
			t.Errorf("no 'gen: done' line")
		}

		out = runPTY(t, dir, fileBin)
		lines = screenLines(out)
		size := int64(csv.Len())
		want := fmt.Sprintf(`^file: read 20000 records, %s of %s in `, regexp.QuoteMeta(byteSize(size)), regexp.QuoteMeta(byteSize(size)))
		if !containsLine(lines, regexp.MustCompile(want)) {
			t.Errorf("no summary matching %s in\n%q", want, out)
		}

		// --progress=false: no bar, no summary.
		out = runPTY(t, dir, genBin, "--progress=false")
		if strings.Contains(out, "%") || strings.Contains(out, "read 3000 records") {
			t.Errorf("--progress=false still shows progress:\n%q", out)
		}
	})

	t.Run("piped", func(t *testing.T) {
		for _, bin := range []string{genBin, fileBin} {
			cmd := exec.Command(bin)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
			}
			all := stdout.String() + stderr.String()
			if i := strings.IndexFunc(all, func(r rune) bool { return r < ' ' && r != '\n' }); i >= 0 {
				t.Errorf("%s piped wrote control character %q:\n%q", filepath.Base(bin), all[i], all)
			}
			if strings.Contains(all, " records of ") || strings.Contains(all, ": read ") {
				t.Errorf("%s piped wrote the progress summary:\n%s", filepath.Base(bin), all)
			}
			if !strings.Contains(stderr.String(), ": done in ") {
				t.Errorf("%s piped: no done line:\n%s", filepath.Base(bin), stderr.String())
			}
		}
	})
}

// runPTY runs bin in dir with a pseudo-terminal as its standard input, output and
// error, and returns all it wrote there.
func runPTY(t *testing.T, dir, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out bytes.Buffer
	_, err = io.Copy(&out, tty)
	var pe *os.PathError
	if err != nil && !(errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "input/output error")) {
		t.Fatalf("reading the terminal: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s %v: %v\n%q", bin, args, err, out.String())
	}
	return out.String()
}

// screenLines returns the lines a terminal shows of out: what follows the last
// carriage return of a line, without the escapes that clear it.
func screenLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if i := strings.LastIndexByte(l, '\r'); i >= 0 {
			l = l[i+1:]
		}
		lines = append(lines, strings.NewReplacer("\x1b[2K", "", "\x1b[0K", "").Replace(l))
	}
	return lines
}

func containsLine(lines []string, re *regexp.Regexp) bool {
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// byteSize is the job's rendering of a size (runtimelib/job, powers of 1000).
func byteSize(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
