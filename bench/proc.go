package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
)

// run is one measured process: wall time, CPU time (user+system, from the OS) and peak
// RSS from wait4's rusage, and, for a generated job, the statistics it wrote at exit.
type run struct {
	wall     time.Duration
	cpu      time.Duration
	maxRSSKB int64
	stats    *job.Stats // nil for a hand-written program
}

// The figures of a run over n records, as functions of a run for distOf and pairRatios:
// records/s over wall time, records/s per core (over CPU time), peak RSS in MB, and the
// job's heap allocations (runtime.MemStats.Mallocs, the whole process) per record, -1
// when unknown (a hand-written program writes no statistics).
func wallRate(n int64) func(run) float64 {
	return func(r run) float64 { return float64(n) / r.wall.Seconds() }
}

func perCore(n int64) func(run) float64 {
	return func(r run) float64 { return float64(n) / r.cpu.Seconds() }
}

func rssMB(r run) float64 { return float64(r.maxRSSKB) / 1024 }

func allocsPerRecord(n int64) func(run) float64 {
	return func(r run) float64 {
		if r.stats == nil || n == 0 {
			return -1
		}
		return float64(r.stats.Mallocs) / float64(n)
	}
}

// alternate runs each program b.runs times, alternating between them (A, B, A, B,
// ...), and returns the runs of each, in order: runs[j][i] is program j's i-th run. The
// rows that compare two programs use the pairs (runs[0][i], runs[1][i]) made one after
// the other: on a machine whose speed drifts over seconds (a shared VM), runs in blocks
// (A, A, A, B, B, B) put the drift into the ratio; alternating runs let it weigh on
// both sides alike. Each program checks its own result after every run.
func (b *bench) alternate(programs ...func() (run, error)) ([][]run, error) {
	runs := make([][]run, len(programs))
	for i := 0; i < max(b.runs, 1); i++ {
		for j, p := range programs {
			r, err := p()
			if err != nil {
				return nil, err
			}
			runs[j] = append(runs[j], r)
		}
	}
	return runs, nil
}

// measure runs argv with GOMAXPROCS=procs (0: inherited) and extra environment, and
// returns its resources. withStats asks a generated job for its statistics file. A
// non-zero exit is an error carrying the program's stderr.
//
// The program is started by a fresh copy of this command in spawner mode (see spawn):
// on Linux a child's maxrss includes the RSS of the process that forked it (exec
// records the old address space's high-water mark), and this process can be large
// (the in-process Kafka broker holds the whole topic), while a fresh spawner is a few MB.
func (b *bench) measure(name string, argv []string, procs int, env []string, withStats bool) (run, error) {
	self, err := os.Executable()
	if err != nil {
		return run{}, err
	}
	usageFile := filepath.Join(b.tmp, "usage-"+sanitize(name)+".json")
	os.Remove(usageFile)
	cmd := exec.Command(self, argv...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, spawnEnv+"="+usageFile)
	if procs > 0 {
		cmd.Env = append(cmd.Env, fmt.Sprintf("GOMAXPROCS=%d", procs))
	}
	statsFile := ""
	if withStats {
		statsFile = filepath.Join(b.tmp, "stats-"+sanitize(name)+".json")
		os.Remove(statsFile)
		cmd.Env = append(cmd.Env, job.StatsFileEnv+"="+statsFile)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	b.logf("run %s: %s", name, strings.Join(argv, " "))
	err = cmd.Run()
	if err != nil {
		return run{}, fmt.Errorf("%s: %v\n%s", name, err, tail(stderr.String(), 40))
	}
	if b.verbose {
		os.Stderr.Write(stderr.Bytes())
	}
	var u usage
	data, err := os.ReadFile(usageFile)
	if err == nil {
		err = json.Unmarshal(data, &u)
	}
	if err != nil {
		return run{}, fmt.Errorf("%s: spawner's usage file: %v", name, err)
	}
	r := run{
		wall:     time.Duration(u.WallNS),
		cpu:      time.Duration(u.UserNS + u.SysNS),
		maxRSSKB: u.MaxRSSKB,
	}
	if withStats {
		data, err := os.ReadFile(statsFile)
		if err != nil {
			return run{}, fmt.Errorf("%s: no statistics file (%v): does runtimelib/job write %s?", name, err, job.StatsFileEnv)
		}
		r.stats = new(job.Stats)
		if err := json.Unmarshal(data, r.stats); err != nil {
			return run{}, fmt.Errorf("%s: statistics file: %v", name, err)
		}
	}
	b.logf("  %s: wall %.2fs, cpu %.2fs, peak RSS %.0f MB", name, r.wall.Seconds(), r.cpu.Seconds(), rssMB(r))
	return r, nil
}

// spawnEnv, when set to a file path, makes this command a spawner: it runs its arguments
// as a program (standard streams passed through), waits, writes the program's usage to
// the file as JSON and exits with the program's exit code.
const spawnEnv = "SQLC_STREAM_BENCH_SPAWN"

// usage is what the spawner reports: wall time from start to exit, user and system CPU
// time and peak RSS from wait4's rusage.
type usage struct {
	WallNS   int64 `json:"wall_ns"`
	UserNS   int64 `json:"user_ns"`
	SysNS    int64 `json:"sys_ns"`
	MaxRSSKB int64 `json:"max_rss_kb"`
}

// spawn is the spawner's main.
func spawn(usageFile string, argv []string) {
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "bench spawner: no program")
		os.Exit(2)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = slicesDelete(os.Environ(), spawnEnv+"=")
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "bench spawner:", err)
		os.Exit(1)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	data, _ := json.Marshal(usage{
		WallNS:   int64(wall),
		UserNS:   int64(cmd.ProcessState.UserTime()),
		SysNS:    int64(cmd.ProcessState.SystemTime()),
		MaxRSSKB: ru.Maxrss, // kilobytes on Linux
	})
	if werr := os.WriteFile(usageFile, data, 0o644); werr != nil {
		fmt.Fprintln(os.Stderr, "bench spawner:", werr)
		os.Exit(1)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

// slicesDelete returns env without the variables starting with prefix.
func slicesDelete(env []string, prefix string) []string {
	out := env[:0:0]
	for _, e := range env {
		if !strings.HasPrefix(e, prefix) {
			out = append(out, e)
		}
	}
	return out
}

// checkRecords fails when a job's statistics say it read another number of records
// than the input holds. Records = 0 means the job's loop did not count (an older or
// reshaped runtime): that is not a failure.
func checkRecords(name string, r run, n int64) error {
	if r.stats == nil || r.stats.Records == 0 {
		return nil
	}
	if r.stats.Records != n {
		return fmt.Errorf("%s read %d records, want %d", name, r.stats.Records, n)
	}
	return nil
}

// goBuild builds a package of this module into out, static (CGO_ENABLED=0).
func (b *bench) goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = b.root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}

// buildJob compiles a SQL file into a static job binary with the sqlc-stream CLI built
// from this checkout (sqlc-stream build: compiler + go build, CGO_ENABLED=0) and returns
// the time it took.
func (b *bench) buildJob(out, sqlPath string) (time.Duration, error) {
	cli, err := b.cli()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(cli, "build", "-o", out, sqlPath)
	cmd.Dir = b.root
	start := time.Now()
	msg, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("sqlc-stream build %s: %v\n%s", sqlPath, err, msg)
	}
	return d, nil
}

// cli builds cmd/sqlc-stream once.
func (b *bench) cli() (string, error) {
	if b.cliPath != "" {
		return b.cliPath, nil
	}
	p := filepath.Join(b.tmp, "sqlc-stream")
	b.logf("building the sqlc-stream CLI")
	if err := b.goBuild(p, "./cmd/sqlc-stream"); err != nil {
		return "", err
	}
	b.cliPath = p
	return p, nil
}

// repoRoot finds the directory of this module's go.mod from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(data, []byte("module github.com/sqlc-stream/sqlc-stream\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run it inside the sqlc-stream repository (go run ./bench from its root)")
		}
		dir = parent
	}
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, s)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
