package job

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	printsink "github.com/sqlc-stream/sqlc-stream/runtimelib/print"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// TableSpec is one table of the job as compiled: its name, WITH options as written and
// the row its connector sees.
type TableSpec struct {
	Name    string
	Options []options.KV
	Schema  stream.Schema
	// Role is what the job uses the table as (0 when the generator does not say);
	// FlushInterval looks at sink tables.
	Role options.Role
	// SQL is its CREATE TABLE statement, for the status page (secrets masked there).
	SQL string
}

// StageSpec is a stage of the job's graph as compiled: its name (the runtime's stage
// name) and the INSERT statements its pipelines come from, for the status page.
type StageSpec struct {
	Name string
	SQL  string
}

// Spec describes a generated job.
type Spec struct {
	Name   string // job name, from the SQL file name ("cdn_local")
	Source string // the SQL file it was compiled from
	Tables []TableSpec
	// Stages are the stages of the graph generated run builds, in order.
	Stages []StageSpec
	// Settings are the job settings of the script's SET statements that the runtime
	// reads (parallelism.default, ...: settings.go, graph.go); -D key=value overrides
	// them at start.
	Settings []options.KV
	// Plan fingerprints the compiled plan; State lists the operators that keep state,
	// as checkpoints record and match them (checkpoint.go).
	Plan  string
	State []StateSpec
}

// StateSpec is a stateful operator of the job, as the compiler identifies it for
// checkpoints: generated run gives its stage the UID (exec.Stage.SetUID).
type StateSpec struct {
	// UID is what its checkpointed state is matched by, derived from what determines
	// the state (the input, the group keys, the aggregate calls), stable across
	// compatible edits of the SQL.
	UID string
	// Desc and Input say what it is, Pos where in the SQL: for messages.
	Desc, Input, Pos string
	// Layout fingerprints Fields, the fields a snapshot encodes, in order, with their
	// types: a checkpoint restores only into the same layout.
	Layout string
	Fields []string
	// Readers name what each reader of the operator (a sink, an aggregate above) keeps
	// in its state: sections the snapshot names itself, so that a restore matches them
	// by name (a reader added starts empty, a reader dropped is skipped); not in Layout.
	Readers []string
}

// Counter is a named metric that generated code increments; safe for concurrent use.
type Counter struct {
	name string
	v    atomic.Int64
}

// Add adds n to the counter.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Load returns the counter's value.
func (c *Counter) Load() int64 { return c.v.Load() }

// Name returns the counter's name ("cdn_access_log.records").
func (c *Counter) Name() string { return c.name }

// Context is what the generated run function gets: the job's options, settings,
// logger and counters, and the graph of stages to run (Graph).
type Context struct {
	spec   *Spec
	ctx    context.Context
	log    *slog.Logger
	opts   map[string]*options.Resolved
	flush  time.Duration
	mu     sync.Mutex
	counts map[string]*Counter
	// parallelism is parallelism.default (settings.go); graph the other settings of
	// the runtime core (graph.go).
	parallelism int
	graph       graphSettings
	// dropNulls is table.exec.sink.not-null-enforcer = 'DROP' (settings.go).
	dropNulls bool
	// script replaces the sources ($SQLC_STREAM_SCRIPT, script.go); stdout is where
	// a script's barrier markers go.
	script []exec.Step
	stdout io.Writer
	// Checkpoints (checkpoint.go): the settings, the directory (nil: not written), the
	// checkpoint to restore and the id of the next one.
	ckpt            checkpointSettings
	store           *checkpoint.Store
	restore         *exec.Restore
	firstCheckpoint int64
	// Restarts (restart.go): the strategy, the checkpoint the job started from, the last
	// complete one of this process and the highest checkpoint id handed out.
	restart          *restartStrategy
	startRestore     *exec.Restore
	lastComplete     *exec.Restore
	lastCheckpointID int64
	// Monitoring (metrics.go, status.go): the metrics server (nil without
	// --metrics-addr), the sinks' meters, the last checkpoint.
	mon      *monitor
	sinks    []*SinkMeter
	lastCkpt checkpointStats
	started  time.Time
	secrets  []string // the resolved options' secrets, masked on the status page
	// txSinks are the two-phase JDBC sinks (twophase.go).
	txSinks []*txSink
	crashAt string // $SQLC_STREAM_CRASH_AT (twophase.go)
	// built is the graph Graph made; progress, when not nil, draws the job's progress
	// bar (progress.go).
	built    atomic.Pointer[exec.Graph]
	progress *progress
	// records counts the records the sources delivered (logs.go); restored is the
	// path of the checkpoint the job started from ("" for none).
	records  atomic.Int64
	restored string
	// deadLetters are the sources' dead-letter destinations, by table (deadletter.go).
	deadLetters map[string]*DeadLetter
}

// Options returns the resolved options of a table (after -D overrides and ${NAME}
// expansion). It panics for a table not in the Spec: that is a bug in generated code.
func (c *Context) Options(table string) *options.Resolved {
	r, ok := c.opts[table]
	if !ok {
		panic(fmt.Sprintf("job: table %q is not in the job's spec", table))
	}
	return r
}

// Spec returns the job's spec as compiled (options before -D and ${NAME}).
func (c *Context) Spec() *Spec { return c.spec }

// Schema returns a table's schema from the spec. It panics for a table not in the
// Spec: that is a bug in generated code.
func (c *Context) Schema(table string) stream.Schema {
	for _, t := range c.spec.Tables {
		if t.Name == table {
			return t.Schema
		}
	}
	panic(fmt.Sprintf("job: table %q is not in the job's spec", table))
}

// Context returns the job's context, cancelled on SIGINT/SIGTERM.
func (c *Context) Context() context.Context { return c.ctx }

// Logger returns the job's logger (text on stderr, level from --log-level).
func (c *Context) Logger() *slog.Logger { return c.log }

// Counter returns the counter with the given name ("table.metric"), creating it on
// first use. Every counter appears in the summary printed at exit.
func (c *Context) Counter(name string) *Counter {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.counts[name]; ok {
		return k
	}
	k := &Counter{name: name}
	c.counts[name] = k
	return k
}

// FlushInterval is how often sinks are flushed: the smallest positive flush interval
// among the sink tables (jdbc: sink.buffer-flush.interval, default 1s), or 1s.
func (c *Context) FlushInterval() time.Duration { return c.flush }

// counterSummary renders "a=1 b=2", sorted by name.
func (c *Context) counterSummary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.counts))
	for n := range c.counts {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%d", n, c.counts[n].Load())
	}
	return strings.Join(parts, " ")
}

func flushInterval(spec *Spec, opts map[string]*options.Resolved) time.Duration {
	best := time.Duration(0)
	for _, t := range spec.Tables {
		if t.Role == options.Source {
			continue
		}
		r := opts[t.Name]
		if r == nil || !hasFlushInterval(r.Connector) {
			continue
		}
		if d := r.Duration("sink.buffer-flush.interval"); d > 0 && (best == 0 || d < best) {
			best = d
		}
	}
	if best == 0 {
		return time.Second
	}
	return best
}

func hasFlushInterval(connector string) bool {
	for _, k := range options.Keys(connector, "") {
		if k == "sink.buffer-flush.interval" {
			return true
		}
	}
	return false
}

// Main runs a generated job and exits: it never returns.
func Main(spec *Spec, run func(*Context) error) {
	stopProfile := startCPUProfile() // $SQLC_STREAM_CPUPROFILE (profile.go)
	ctx, stop := stopOnSignal(spec.Name, os.Stderr, os.Exit)
	code := execute(ctx, spec, run, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	stopProfile()
	writeStats(code) // $SQLC_STREAM_STATS_FILE, for benchmarks (stats.go)
	os.Exit(code)
}

// stopOnSignal returns a context cancelled by the first SIGINT or SIGTERM: the job stops
// reading, processes what it has, flushes, takes a savepoint when checkpoints are on,
// and exits 0. A second signal exits at once (exit code 128 + the signal's number, as a
// shell reports a killed process), whatever the job is doing. stop ends the handling.
func stopOnSignal(name string, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "%s: %v: stopping (once more to exit at once)\n", name, sig)
			stream.Stop() // a sink retrying a failed write gives up
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "%s: %v again: exiting at once\n", name, sig)
			code := 130
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			exit(code)
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel()
		})
	}
}

// overrides is the repeatable -D flag.
type overrides []string

func (o *overrides) String() string { return strings.Join(*o, " ") }
func (o *overrides) Set(s string) error {
	*o = append(*o, s)
	return nil
}

// splitDefineArgs turns "-Dtable.key=value" into "-D", "table.key=value": the flag
// package would read it as a flag named "Dtable.key".
func splitDefineArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		for _, p := range []string{"--D", "-D"} {
			if rest, ok := strings.CutPrefix(a, p); ok && rest != "" && rest[0] != '=' {
				out = append(out, "-D", rest)
				goto next
			}
		}
		out = append(out, a)
	next:
	}
	return out
}

// execute is Main without the process: it returns the exit code.
func execute(ctx context.Context, spec *Spec, run func(*Context) error, args []string,
	getenv func(string) (string, bool), stdout, stderr io.Writer) int {
	start := time.Now()
	// On a terminal, messages and the progress bar share standard error (progress.go).
	var tty *terminal
	if isTerminal(stderr) {
		tty = &terminal{w: stderr}
		stderr = tty
	}
	// Every message and log line goes through Redact: no password of a URL or an
	// option reaches the terminal, once the options are resolved not even one quoted
	// by a driver's error.
	red := &redactor{w: stderr}
	stderr = red
	fs := flag.NewFlagSet(spec.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var defs overrides
	fs.Var(&defs, "D", "override a table option: `table.option=value` (repeatable; also -Dtable.option=value)")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics (/metrics) and the status page (/) on `host:port` (port 0: any free port, logged at start)")
	logFormat := fs.String("log-format", "text", "log format: text (key=value lines) or json (one JSON object a line)")
	logInterval := fs.Duration("log-interval", 30*time.Second, "how often to log a progress line (records read, rate, counters) when no progress bar is drawn; 0: never")
	ckptFlags := checkpointFlags(fs) // --checkpoint-interval, -s, ... (checkpoint.go)
	showProgress := fs.Bool("progress", true, "show a progress bar of a bounded job (files, datagen, nexmark) when standard error is a terminal")
	fs.Usage = func() {}
	err := fs.Parse(splitDefineArgs(args))
	if errors.Is(err, flag.ErrHelp) {
		printHelp(stdout, spec, fs, defs)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v (see --help)\n", spec.Name, err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q (see --help)\n", spec.Name, fs.Arg(0))
		return 2
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(stderr, "%s: invalid --log-level %q: use debug, info, warn or error\n", spec.Name, *level)
		return 2
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl})
	case "json":
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: lvl})
	default:
		fmt.Fprintf(stderr, "%s: invalid --log-format %q: use text or json\n", spec.Name, *logFormat)
		return 2
	}
	log := slog.New(handler).With("job", spec.Name)
	// Connectors log through slog's default logger unless given one, so the job's
	// logger reaches them without generated code wiring it into each.
	slog.SetDefault(log)

	settings, defs := splitSettings(spec, append(defs, ckptFlags.defines()...)) // job settings such as parallelism.default (settings.go)
	par, perr := parallelism(settings)
	written, errs := applyOverrides(spec, defs)
	if perr != nil {
		errs = append(errs, perr.Error())
	}
	gs, gerrs := resolveGraphSettings(settings, max(par, 1))
	errs = append(errs, gerrs...)
	cs, cerrs := resolveCheckpointSettings(settings)
	errs = append(errs, cerrs...)
	rs, rerrs := resolveRestartStrategy(settings, cs.interval > 0)
	errs = append(errs, rerrs...)
	dropNulls, nerr := notNullDrop(settings)
	if nerr != nil {
		errs = append(errs, nerr.Error())
	}
	script, serr := loadScript(getenv)
	if serr != nil {
		errs = append(errs, serr.Error())
	}
	var opts map[string]*options.Resolved
	if len(errs) == 0 {
		opts, errs = resolveAll(spec, written, getenv)
	}
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintf(stderr, "%s: %s\n", spec.Name, e)
		}
		return 2
	}
	all := make([]*options.Resolved, 0, len(opts))
	for _, r := range opts {
		all = append(all, r)
	}
	red.secrets = options.Secrets(all...)
	c := &Context{spec: spec, ctx: ctx, log: log, opts: opts, counts: map[string]*Counter{}, parallelism: par, graph: gs, dropNulls: dropNulls, script: script, stdout: stdout, ckpt: cs, restart: rs}
	c.flush = flushInterval(spec, opts)
	c.started = start
	c.secrets = red.secrets
	c.crashAt, _ = getenv(CrashEnv)
	noteContext(c) // for the counters in $SQLC_STREAM_STATS_FILE (stats.go)
	for _, t := range spec.Tables {
		for _, n := range opts[t.Name].Notes {
			log.Info(n, "table", t.Name)
		}
	}
	log.Debug("starting", "source", spec.Source, "flush_interval", c.flush)
	defer c.closeTxSinks()
	jsonLog := *logFormat == "json"
	// fail reports the job's error: the plain line tests and people read, or a log
	// record when the log is JSON, so that every line of stderr parses.
	fail := func(err error) int {
		if jsonLog {
			log.Error("job failed", "err", err.Error())
		} else {
			fmt.Fprintf(stderr, "%s: error: %v\n", spec.Name, err)
		}
		return 1
	}
	if err := c.prepareCheckpoints(strings.TrimSpace(settings[keygroup.MaxParallelismKey]) != ""); err != nil {
		return fail(err)
	}
	logStart(c, opts) // the one line at start (logs.go)

	if *metricsAddr != "" { // metrics.go
		if err := c.startMonitor(*metricsAddr); err != nil {
			return fail(err)
		}
		defer c.stopMonitor()
	}
	if tty != nil && *showProgress {
		if isTerminal(stdout) {
			printsink.Stdout = tty.also(stdout) // printed rows keep clear of the bar
		}
		c.progress = startProgress(spec.Name, tty, &c.built, &c.records)
	}
	stopLines := c.logProgress(*logInterval) // periodic progress lines (logs.go)
	c.startRestore = c.restore
	err = c.runWithRestarts(run) // callRun, and again after failures (restart.go)
	if derr := c.closeDeadLetters(); err == nil {
		err = derr
	}
	stopLines()
	if c.progress != nil {
		c.progress.finish()
	}
	if err != nil {
		return fail(err)
	}
	how := "done"
	if ctx.Err() != nil {
		how = "stopped"
	}
	took := roundDuration(time.Since(start))
	if jsonLog {
		log.Info(how, "took", took.String(), "records", c.records.Load(), "counters", c.counterSummary())
		return 0
	}
	summary := fmt.Sprintf("%s: %s in %s", spec.Name, how, took)
	if s := c.counterSummary(); s != "" {
		summary += ": " + s
	}
	fmt.Fprintln(stderr, summary)
	return 0
}

// callRun runs the job, turning a panic into an error so the job still exits with a
// message (generated code does not panic on user input; a panic here is a bug).
func callRun(run func(*Context) error, c *Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: panic: %v", p)
		}
	}()
	return run(c)
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}

// applyOverrides applies the -D flags to the tables' written options.
func applyOverrides(spec *Spec, defs []string) (map[string][]options.KV, []string) {
	written := make(map[string][]options.KV, len(spec.Tables))
	for _, t := range spec.Tables {
		written[t.Name] = t.Options
	}
	var errs []string
	for _, d := range defs {
		table, key, value, err := parseDefine(spec, d)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		written[table] = options.Override(written[table], options.KV{Key: key, Value: value})
	}
	return written, errs
}

// parseDefine splits "table.key=value"; a table name may contain dots, so the longest
// table name followed by '.' wins.
func parseDefine(spec *Spec, d string) (table, key, value string, err error) {
	lhs, value, ok := strings.Cut(d, "=")
	if !ok {
		return "", "", "", fmt.Errorf("-D %s: expected table.option=value", d)
	}
	for _, t := range spec.Tables {
		if rest, ok := strings.CutPrefix(lhs, t.Name+"."); ok && len(t.Name) > len(table) {
			table, key = t.Name, rest
		}
	}
	if table == "" {
		return "", "", "", fmt.Errorf("-D %s: unknown table; tables: %s", d, strings.Join(tableNames(spec), ", "))
	}
	if key == "" {
		return "", "", "", fmt.Errorf("-D %s: missing option name after '%s.'", d, table)
	}
	return table, key, value, nil
}

func tableNames(spec *Spec) []string {
	names := make([]string, len(spec.Tables))
	for i, t := range spec.Tables {
		names[i] = t.Name
	}
	sort.Strings(names)
	return names
}

// resolveAll expands ${NAME} in every value and resolves every table's options.
func resolveAll(spec *Spec, written map[string][]options.KV, getenv func(string) (string, bool)) (map[string]*options.Resolved, []string) {
	opts := make(map[string]*options.Resolved, len(spec.Tables))
	var errs []string
	for _, t := range spec.Tables {
		kvs := make([]options.KV, len(written[t.Name]))
		ok := true
		for i, kv := range written[t.Name] {
			v, err := options.Expand(kv.Value, getenv)
			if err != nil {
				errs = append(errs, fmt.Sprintf("table '%s': option '%s': %v", t.Name, kv.Key, err))
				ok = false
			}
			kvs[i] = options.KV{Key: kv.Key, Value: v}
		}
		if !ok {
			continue
		}
		r, probs := options.Resolve(t.Name, kvs)
		for _, p := range probs {
			errs = append(errs, fmt.Sprintf("table '%s': %s", t.Name, p.Msg))
		}
		opts[t.Name] = r
	}
	return opts, errs
}

// printHelp prints the job, its tables with their effective options, and the flags.
func printHelp(w io.Writer, spec *Spec, fs *flag.FlagSet, defs []string) {
	fmt.Fprintf(w, "%s: a streaming job compiled by sqlc-stream from %s\n\n", spec.Name, spec.Source)
	fmt.Fprintf(w, "Usage: %s [-D table.option=value]... [-D parallelism.default=N] [--log-level level]\n\n", spec.Name)
	_, defs = splitSettings(spec, defs)
	written, errs := applyOverrides(spec, defs)
	fmt.Fprintln(w, "Tables:")
	for _, t := range spec.Tables {
		r, _ := options.Resolve(t.Name, written[t.Name])
		role := ""
		if t.Role != 0 {
			role = " (" + t.Role.String() + ")"
		}
		fmt.Fprintf(w, "  %s%s: connector %s\n", t.Name, role, r.Connector)
		for _, kv := range r.EffectiveFor(t.Role) {
			if kv.Key == "connector" {
				continue
			}
			as := ""
			if wk := r.WrittenKey(kv.Key); wk != kv.Key {
				as = "  (written as " + wk + ")"
			}
			fmt.Fprintf(w, "    %s = %s%s\n", kv.Key, options.MaskValue(kv.Key, kv.Value), as)
		}
	}
	for _, e := range errs {
		fmt.Fprintf(w, "  (%s)\n", options.Redact(e))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nOption values may use ${NAME} to read environment variable NAME at start.")
}

// redactor writes to w with every secret masked (options.Redact): the passwords of the
// job's resolved options, set once they are known (before any task runs, so no lock is
// needed), and any URL password or password=... pair.
type redactor struct {
	w       io.Writer
	secrets []string
}

func (r *redactor) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, options.Redact(string(p), r.secrets...)); err != nil {
		return 0, err
	}
	return len(p), nil
}
