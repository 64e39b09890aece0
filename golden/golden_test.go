package golden

import (
	"flag"
	"fmt"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

var update = flag.Bool("update", false, "rewrite the output sections of the golden cases")

// outputs are the sections this harness writes; everything else in a case is input.
var outputs = map[string]bool{"ast": true, "bound": true, "optimized": true, "stdout": true, "counters": true, "job-error": true, "error": true}

func isOutput(name string) bool {
	return outputs[name] || strings.HasSuffix(name, ".go") && !strings.Contains(name, "/")
}

func TestGolden(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".txtar" {
			t.Errorf("testdata/%s is not a golden case (.txtar); remove it", e.Name())
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCase(t, filepath.Join("testdata", e.Name()))
		})
	}
}

func runCase(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{}
	var inputFiles []txtar.File
	for _, f := range ar.Files {
		if !isOutput(f.Name) {
			inputs[f.Name] = string(f.Data)
			inputFiles = append(inputFiles, f)
		}
	}
	sql, ok := inputs["job.sql"]
	if !ok {
		t.Fatal("case has no job.sql section")
	}

	dir := gotest.NewModule(t, "golden")
	for name, content := range inputs {
		gotest.WriteFile(t, filepath.Join(dir, name), content)
	}
	res, cerr := compiler.Compile(sql, compiler.Options{Name: "job.sql", Dir: dir})

	got := map[string]string{}
	if res.Script != nil {
		got["ast"] = parser.Dump(res.Script)
	}
	if res.Plan != nil {
		got["bound"] = ir.DumpPlan(res.Plan)
	}
	if res.Program != nil {
		got["optimized"] = ir.DumpPlan(res.Program.Plan) + "\n" + ir.DumpProgram(res.Program)
	}
	for _, f := range res.Files {
		got[f.Name] = string(f.Content)
	}
	if cerr != nil {
		got["error"] = cerr.Error()
	} else if hasData(inputs) {
		run := runJob(t, dir, res, inputs)
		got["stdout"] = run.stdout
		if run.err != "" {
			got["job-error"] = run.err
		}
		if hasSection(ar, "counters") {
			got["counters"] = run.counters
		}
	}

	compare(t, path, ar, inputFiles, got)
}

// hasData reports whether the case has input for its job: data files or a script, or
// args (a job whose sources generate their input: nexmark, datagen with a fixed seed).
func hasData(inputs map[string]string) bool {
	for name := range inputs {
		if strings.HasPrefix(name, "data/") || name == "script" || name == "args" {
			return true
		}
	}
	return false
}

func hasSection(ar *txtar.Archive, name string) bool {
	for _, f := range ar.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

// jobRun is what a case's job did: its standard output, the counters of its summary
// line ("t.records_nulled=1", one per line) and, for a job that failed, its error line.
type jobRun struct{ stdout, counters, err string }

// summaryLine is the job's last line on success: "job: done in 12ms: a=1 b=2".
var summaryLine = regexp.MustCompile(`(?m)^job: (?:done|stopped) in \S+?(?:: (.*))?$`)

// runJob builds the generated program in the scratch module and runs it there, with the
// case's args and, when it has one, its script replacing the sources (job.ScriptEnv).
// A job that fails (exit status 1) gives its "job: error: ..." line; with more tasks it
// must fail too.
func runJob(t *testing.T, dir string, res *compiler.Result, inputs map[string]string) jobRun {
	args := inputs["args"]
	var env []string
	if _, ok := inputs["script"]; ok {
		env = []string{job.ScriptEnv + "=script"}
	}
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	bin := filepath.Join(dir, "job.bin")
	gotest.Build(t, dir, "job", bin)
	// The recorded output is one task's: with more, the order of the changes of
	// different keys depends on the scheduling (checkParallelism).
	argv := append([]string{"-D", "parallelism.default=1"}, strings.Fields(args)...)
	stdout, stderr, code := gotest.RunEnv(t, dir, env, bin, argv...)
	switch code {
	case 0:
	case 1:
		var errs []string
		for _, line := range strings.Split(stderr, "\n") {
			if strings.HasPrefix(line, "job: error: ") {
				errs = append(errs, line)
			}
		}
		if len(errs) == 0 {
			t.Fatalf("job exited 1 without an error line\nstderr:\n%s", stderr)
		}
		checkParallelFailure(t, dir, env, bin, args) // parallel_test.go
		return jobRun{stdout: stdout, err: strings.Join(errs, "\n")}
	default:
		t.Fatalf("job exited %d\nstderr:\n%s", code, stderr)
	}
	checkParallelism(t, dir, env, bin, args, stdout) // parallel_test.go
	run := jobRun{stdout: stdout}
	if m := summaryLine.FindStringSubmatch(stderr); m != nil {
		run.counters = strings.Join(strings.Fields(m[1]), "\n")
	} else {
		t.Errorf("no summary line in the job's stderr:\n%s", stderr)
	}
	return run
}

// compare checks got against the case's output sections, or rewrites them with -update.
func compare(t *testing.T, path string, ar *txtar.Archive, inputFiles []txtar.File, got map[string]string) {
	names := make([]string, 0, len(got))
	for name := range got {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		return sectionRank(names[i]) < sectionRank(names[j]) || sectionRank(names[i]) == sectionRank(names[j]) && names[i] < names[j]
	})

	if *update {
		out := &txtar.Archive{Comment: ar.Comment, Files: inputFiles}
		for _, name := range names {
			out.Files = append(out.Files, txtar.File{Name: name, Data: []byte(withNewline(got[name]))})
		}
		if err := os.WriteFile(path, txtar.Format(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string]string{}
	for _, f := range ar.Files {
		if isOutput(f.Name) {
			want[f.Name] = string(f.Data)
		}
	}
	for _, name := range names {
		w, ok := want[name]
		if !ok {
			t.Errorf("section %q is missing from the case; run go test ./golden -update", name)
			continue
		}
		if g := withNewline(got[name]); g != w {
			t.Errorf("section %q differs (run go test ./golden -update and review the diff):\n%s", name, diff(w, g))
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("section %q is no longer produced by the case; run go test ./golden -update", name)
		}
	}
}

func sectionRank(name string) int {
	switch name {
	case "ast":
		return 0
	case "bound":
		return 1
	case "optimized":
		return 2
	case "stdout":
		return 4
	case "counters":
		return 5
	case "job-error":
		return 6
	case "error":
		return 7
	}
	return 3 // generated Go files
}

func withNewline(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// diff shows the first differing line.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("first difference at line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(identical lines, different endings)"
}
