package job

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The checkpoint settings, with Flink's names (docs/checkpoints.md).
const (
	// CheckpointIntervalKey turns checkpoints on: one at least this often, and one at
	// the end (a savepoint when the job is stopped). Unset (the default): none.
	CheckpointIntervalKey = "execution.checkpointing.interval"
	// CheckpointDirKey is where checkpoints are written (chk-<id> directories) and
	// restored from at start; Flink's older name state.checkpoints.dir is accepted too.
	CheckpointDirKey       = "execution.checkpointing.dir"
	LegacyCheckpointDirKey = "state.checkpoints.dir"
	// RetainedKey is how many complete checkpoints are kept (default 1, as in Flink).
	RetainedKey = "state.checkpoints.num-retained"
	// SavepointPathKey names a checkpoint or savepoint directory to restore instead of
	// the latest in CheckpointDirKey (flink run -s).
	SavepointPathKey = "execution.savepoint.path"
	// IgnoreUnclaimedKey: restore a checkpoint although it holds state that no operator
	// of the job claims, dropping that state (flink run --allowNonRestoredState).
	IgnoreUnclaimedKey = "execution.savepoint.ignore-unclaimed-state"
)

// The checkpoint settings are job settings: -D takes them without a table prefix.
func init() {
	for _, k := range []string{CheckpointIntervalKey, CheckpointDirKey, LegacyCheckpointDirKey, RetainedKey, SavepointPathKey, IgnoreUnclaimedKey} {
		jobSettings[k] = true
	}
}

// checkpointSettings are the checkpoint settings resolved at start.
type checkpointSettings struct {
	interval        time.Duration
	dir             string
	retained        int
	savepointPath   string
	ignoreUnclaimed bool
}

// resolveCheckpointSettings checks the checkpoint settings.
func resolveCheckpointSettings(settings map[string]string) (checkpointSettings, []string) {
	cs := checkpointSettings{retained: 1}
	var errs []string
	if v := strings.TrimSpace(settings[CheckpointIntervalKey]); v != "" {
		d, err := options.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("%s: %q is not a positive duration (like '1 s' or '500 ms')", CheckpointIntervalKey, v))
		}
		cs.interval = d
	}
	cs.dir = options.LocalPath(strings.TrimSpace(settings[LegacyCheckpointDirKey]))
	if v := strings.TrimSpace(settings[CheckpointDirKey]); v != "" {
		cs.dir = options.LocalPath(v)
	}
	if v := strings.TrimSpace(settings[RetainedKey]); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("%s: %q is not a positive integer", RetainedKey, v))
		}
		cs.retained = n
	}
	cs.savepointPath = options.LocalPath(strings.TrimSpace(settings[SavepointPathKey]))
	if v := strings.TrimSpace(settings[IgnoreUnclaimedKey]); v != "" {
		b, err := options.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not true or false", IgnoreUnclaimedKey, v))
		}
		cs.ignoreUnclaimed = b
	}
	return cs, errs
}

// prepareCheckpoints opens the checkpoint directory (removing what a crash left) and
// the two-phase sinks' databases, then restores (restore). explicitK says whether
// pipeline.max-parallelism was set; if not, the checkpoint's is used, as Flink does.
func (c *Context) prepareCheckpoints(explicitK bool) error {
	cs := c.ckpt
	if cs.interval <= 0 && cs.dir != "" {
		c.log.Warn(fmt.Sprintf("%s is set but %s is not: the job takes no checkpoints and restores none", CheckpointDirKey, CheckpointIntervalKey))
	}
	if cs.interval > 0 && cs.dir == "" {
		c.log.Warn(fmt.Sprintf("checkpoints are on but %s is not set: they are not written, so a restarted job starts empty", CheckpointDirKey))
	}
	var store *checkpoint.Store
	if cs.interval > 0 && cs.dir != "" {
		store = &checkpoint.Store{Dir: cs.dir, Retained: cs.retained}
		if err := store.Clean(); err != nil {
			return fmt.Errorf("checkpoint directory: %w", err)
		}
		c.store = store
		if err := c.openTxSinks(); err != nil {
			return err
		}
	}
	return c.restoreCheckpoint(explicitK, false)
}

// restoreCheckpoint is where a job decides what it restores, at start and, with
// two-phase sinks, at a restart inside the process (restarting: the savepoint the job
// may have started from is not restored again): execution.savepoint.path's
// checkpoint; else, with
// two-phase JDBC sinks, the one their databases name (restoreByDatabase), whose rows
// the sinks that are one behind commit first (recoverSinks); else the latest in the
// directory. It matches the checkpoint to the job (a checkpoint that does not fit is
// an error that says why) and sets what the Graph restores and the next checkpoint id.
func (c *Context) restoreCheckpoint(explicitK, restarting bool) error {
	cs, store := c.ckpt, c.store
	var loaded *checkpoint.Loaded
	var committed map[string]int64
	var err error
	if len(c.txSinks) > 0 {
		if committed, err = c.committed(); err != nil {
			return err
		}
	}
	switch {
	case cs.savepointPath != "" && !restarting:
		loaded, err = loadSavepoint(cs.savepointPath)
	case len(c.txSinks) > 0:
		loaded, err = c.restoreByDatabase(committed)
	case store != nil:
		loaded, err = store.Latest()
	}
	if err != nil {
		return err
	}
	next := int64(1)
	if store != nil {
		ids, err := store.IDs()
		if err != nil {
			return fmt.Errorf("checkpoint directory: %w", err)
		}
		if len(ids) > 0 {
			next = ids[len(ids)-1] + 1
		}
	}
	for table, id := range committed {
		// A sink commits only checkpoints after the one its database names.
		next = max(next, id+1)
		if loaded != nil && id != loaded.Manifest.ID && id != loaded.Manifest.ID-1 {
			c.log.Warn(fmt.Sprintf("restoring %s (checkpoint %d) although the database of table %s names checkpoint %d: its rows may be counted twice or lost", loaded.Path, loaded.Manifest.ID, table, id))
		}
	}
	if loaded == nil {
		c.firstCheckpoint = next
		return nil
	}
	m := loaded.Manifest
	c.firstCheckpoint = max(next, m.ID+1)
	if explicitK && c.graph.maxParallelism != m.MaxParallelism {
		return fmt.Errorf("cannot restore %s: it was taken with %s = %d, the job runs with %d; the state's key groups cannot be split differently (leave the setting out to use the checkpoint's)",
			loaded.Path, keygroup.MaxParallelismKey, m.MaxParallelism, c.graph.maxParallelism)
	}
	if c.Parallelism() > m.MaxParallelism {
		return fmt.Errorf("cannot restore %s: %s = %d is more than the checkpoint's %s = %d", loaded.Path, ParallelismKey, c.Parallelism(), keygroup.MaxParallelismKey, m.MaxParallelism)
	}
	c.graph.maxParallelism = m.MaxParallelism
	r, notes, err := matchCheckpoint(c.spec, loaded, cs.ignoreUnclaimed)
	if err != nil {
		return err
	}
	kind := "checkpoint"
	if m.Savepoint {
		kind = "savepoint"
	}
	c.log.Info("restoring "+kind, "path", loaded.Path, "id", m.ID, "taken", time.UnixMilli(m.Time).UTC().Format(time.RFC3339), "operators", len(r.Stages), "sources", len(r.Sources))
	if m.Plan != c.spec.Plan {
		c.log.Info("the job was recompiled from another plan since the checkpoint; every operator's state fits it")
	}
	for _, n := range notes {
		c.log.Info(n)
	}
	if err := c.recoverSinks(loaded, committed); err != nil {
		return err
	}
	c.restore = r
	c.restored = loaded.Path
	return nil
}

// loadSavepoint loads execution.savepoint.path: a chk-<id> directory, or a checkpoint
// directory whose latest checkpoint is meant.
func loadSavepoint(path string) (*checkpoint.Loaded, error) {
	if _, err := os.Stat(filepath.Join(path, checkpoint.MetadataFile)); errors.Is(err, fs.ErrNotExist) {
		l, err := (&checkpoint.Store{Dir: path}).Latest()
		if err == nil && l == nil {
			err = fmt.Errorf("%s: %s holds no checkpoint", SavepointPathKey, path)
		}
		return l, err
	}
	return checkpoint.Load(path)
}

// matchCheckpoint matches a checkpoint's state to the job's operators by uid (Flink's
// rules): the same uid and layout restores; the same uid with another layout is refused
// with the fields that differ; state that no operator claims is refused, naming it and
// the new operator that may have replaced it, unless ignoreUnclaimed drops it; an
// operator the checkpoint does not have starts empty. Source positions are matched by
// table the same way.
func matchCheckpoint(spec *Spec, l *checkpoint.Loaded, ignoreUnclaimed bool) (*exec.Restore, []string, error) {
	m := l.Manifest
	where := fmt.Sprintf("cannot restore %s (of job %s, checkpoint %d)", l.Path, m.Job, m.ID)
	if m.Job != spec.Name {
		return nil, nil, fmt.Errorf("%s: it was taken by job %q, not %q; give each job a checkpoint directory of its own", where, m.Job, spec.Name)
	}
	r := &exec.Restore{ID: m.ID, Stages: map[string]exec.StageSnapshot{}, Sources: map[string][]stream.Position{}}
	var problems, notes []string
	var unclaimed []checkpoint.Operator
	claimed := map[string]bool{}
	for i, o := range m.Operators {
		k := slices.IndexFunc(spec.State, func(s StateSpec) bool { return s.UID == o.UID })
		if k < 0 {
			unclaimed = append(unclaimed, o)
			continue
		}
		s := spec.State[k]
		claimed[s.UID] = true
		if s.Layout != o.Layout {
			problems = append(problems, fmt.Sprintf("the state of %s (%s, at %s) changed layout: %s", s.Desc, s.Input, s.Pos, layoutChange(o.Fields, s.Fields)))
			continue
		}
		for _, rd := range s.Readers {
			if !slices.Contains(o.Readers, rd) {
				notes = append(notes, fmt.Sprintf("%s (at %s) has a new %s: it gets every group's row at the first barrier", s.Desc, s.Pos, rd))
			}
		}
		for _, rd := range o.Readers {
			if !slices.Contains(s.Readers, rd) {
				notes = append(notes, fmt.Sprintf("%s (at %s) no longer has %s: its part of the state is dropped", s.Desc, s.Pos, rd))
			}
		}
		r.Stages[o.UID] = exec.StageSnapshot{UID: o.UID, Name: o.Stage, Tasks: o.Tasks, Blobs: l.Blobs[i]}
	}
	var fresh []StateSpec
	for _, s := range spec.State {
		if !claimed[s.UID] {
			fresh = append(fresh, s)
		}
	}
	for _, o := range unclaimed {
		msg := fmt.Sprintf("the checkpoint holds the state of %s (reading %s; at %s when it was taken), which no operator of this job has", o.Desc, o.Input, o.Pos)
		if k := slices.IndexFunc(fresh, func(s StateSpec) bool { return s.Input == o.Input }); k >= 0 {
			msg += fmt.Sprintf("; this job has %s at %s instead: %s", fresh[k].Desc, fresh[k].Pos, operatorChange(o, fresh[k]))
		}
		if ignoreUnclaimed {
			notes = append(notes, "dropping "+strings.TrimPrefix(msg, "the checkpoint holds ")+" ("+IgnoreUnclaimedKey+")")
			continue
		}
		problems = append(problems, msg)
	}
	for _, s := range fresh {
		notes = append(notes, fmt.Sprintf("%s (%s, at %s) is new: it starts empty", s.Desc, s.Input, s.Pos))
	}
	sources := map[string]bool{}
	for _, t := range spec.Tables {
		if t.Role == options.Source {
			sources[t.Name] = true
		}
	}
	for _, s := range m.Sources {
		switch {
		case sources[s.Table]:
			r.Sources[s.Table] = s.Positions
		case ignoreUnclaimed:
			notes = append(notes, fmt.Sprintf("dropping the positions of source table %s, which this job does not read (%s)", s.Table, IgnoreUnclaimedKey))
		default:
			problems = append(problems, fmt.Sprintf("the checkpoint holds the positions of source table %s, which this job does not read", s.Table))
		}
	}
	if len(problems) > 0 {
		msg := where + ":\n  " + strings.Join(problems, "\n  ")
		if !ignoreUnclaimed && len(unclaimed) > 0 {
			msg += fmt.Sprintf("\nset %s = 'true' (or pass --allow-non-restored-state) to drop the state no operator claims", IgnoreUnclaimedKey)
		}
		return nil, nil, errors.New(msg)
	}
	return r, notes, nil
}

// layoutChange says how a state's fields changed.
func layoutChange(was, now []string) string {
	var parts []string
	for _, f := range was {
		if !slices.Contains(now, f) {
			parts = append(parts, "removed "+f)
		}
	}
	for _, f := range now {
		if !slices.Contains(was, f) {
			parts = append(parts, "added "+f)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "fields reordered: was ["+strings.Join(was, "; ")+"], now ["+strings.Join(now, "; ")+"]")
	}
	return strings.Join(parts, "; ")
}

// operatorChange says how an aggregate was changed into another over the same input:
// its keys and its aggregate calls, from their layouts.
func operatorChange(was checkpoint.Operator, now StateSpec) string {
	pick := func(fields []string, prefix string) []string {
		var out []string
		for _, f := range fields {
			if rest, ok := strings.CutPrefix(f, prefix); ok {
				if i := strings.Index(rest, ": "); i >= 0 && prefix == "acc " {
					rest = rest[:i]
				}
				out = append(out, rest)
			}
		}
		return out
	}
	var parts []string
	if k0, k1 := pick(was.Fields, "key "), pick(now.Fields, "key "); !slices.Equal(k0, k1) {
		parts = append(parts, fmt.Sprintf("GROUP BY changed from [%s] to [%s]", strings.Join(k0, ", "), strings.Join(k1, ", ")))
	}
	if a0, a1 := pick(was.Fields, "acc "), pick(now.Fields, "acc "); !slices.Equal(a0, a1) {
		parts = append(parts, fmt.Sprintf("aggregate calls changed from [%s] to [%s]", strings.Join(a0, ", "), strings.Join(a1, ", ")))
	}
	if len(parts) == 0 {
		return "what it computes changed (" + was.Desc + " -> " + now.Desc + ")"
	}
	return strings.Join(parts, "; ")
}

// saveCheckpoint writes a complete checkpoint into the checkpoint directory
// (exec.Config.OnCheckpointComplete); without a directory it does nothing.
func (c *Context) saveCheckpoint(cp *exec.Checkpoint) error {
	if c.store == nil {
		return nil
	}
	start := time.Now()
	m := &checkpoint.Manifest{Job: c.spec.Name, ID: cp.ID, Time: start.UnixMilli(), Savepoint: cp.Stopped, Final: cp.Final, Plan: c.spec.Plan, MaxParallelism: cp.MaxParallelism}
	var blobs [][][]byte
	size := 0
	for _, st := range cp.Stages {
		m.Stages = append(m.Stages, checkpoint.Stage{Name: st.Name, Tasks: st.Tasks})
		if st.Blobs == nil {
			continue
		}
		op := checkpoint.Operator{UID: st.UID, Stage: st.Name, Tasks: st.Tasks, Desc: st.Name}
		if k := slices.IndexFunc(c.spec.State, func(s StateSpec) bool { return s.UID == st.UID }); k >= 0 {
			s := c.spec.State[k]
			op.Desc, op.Input, op.Pos, op.Layout, op.Fields, op.Readers = s.Desc, s.Input, s.Pos, s.Layout, s.Fields, s.Readers
		}
		m.Operators = append(m.Operators, op)
		blobs = append(blobs, st.Blobs)
		for _, b := range st.Blobs {
			size += len(b)
		}
	}
	for _, s := range cp.Sources {
		m.Sources = append(m.Sources, checkpoint.Source{Table: s.Table, Positions: s.Positions})
	}
	rows := c.sinkRows(cp, m)
	path, err := c.store.Write(m, blobs, rows)
	if err != nil {
		return fmt.Errorf("checkpoint %d: %w", cp.ID, err)
	}
	c.noteCheckpoint(cp.ID, time.Since(start), int64(size)) // metrics.go
	c.crash("write", cp.ID)
	// Durable: the two-phase sinks commit its rows, then the older checkpoints go (one
	// a sink's database may still name stays until then).
	if err := c.commitSinks(cp.ID, checkpoint.PositionsJSON(m.Sources), rows); err != nil {
		return err
	}
	if err := c.store.Retain(); err != nil {
		return fmt.Errorf("checkpoint %d: %w", cp.ID, err)
	}
	switch {
	case cp.Stopped:
		c.log.Info("savepoint written", "path", path, "bytes", size, "took", roundDuration(time.Since(start)))
	case cp.Final:
		c.log.Info("final checkpoint written", "path", path, "bytes", size, "took", roundDuration(time.Since(start)))
	default:
		c.log.Debug("checkpoint written", "path", path, "bytes", size, "took", roundDuration(time.Since(start)))
	}
	return nil
}

// ckptFlags are the job's checkpoint flags: shorthands for -D settings, named like
// Flink's CLI where it has one (flink run -s, --allowNonRestoredState).
type ckptFlags struct {
	interval, dir, savepoint string
	restart                  string // --restart-strategy (restart.go)
	allowNonRestored         bool
}

func checkpointFlags(fs *flag.FlagSet) *ckptFlags {
	f := &ckptFlags{}
	fs.StringVar(&f.interval, "checkpoint-interval", "", "take a checkpoint this often, like `1s` (-D "+CheckpointIntervalKey+")")
	fs.StringVar(&f.dir, "checkpoint-dir", "", "write checkpoints into `directory` and restore the latest at start (-D "+CheckpointDirKey+")")
	fs.StringVar(&f.savepoint, "from-savepoint", "", "restore the checkpoint or savepoint in `directory` (-D "+SavepointPathKey+")")
	fs.StringVar(&f.savepoint, "s", "", "short for --from-savepoint")
	fs.StringVar(&f.restart, "restart-strategy", "", "after a failure: `none`, fixed-delay, failure-rate or exponential-delay (-D "+RestartStrategyKey+"; default exponential-delay with checkpoints, else none)")
	fs.BoolVar(&f.allowNonRestored, "allow-non-restored-state", false, "restore even when the checkpoint holds state no operator claims, dropping it (-D "+IgnoreUnclaimedKey+"=true)")
	return f
}

// defines are the flags given, as -D definitions.
func (f *ckptFlags) defines() []string {
	var out []string
	for _, kv := range []struct{ key, value string }{
		{CheckpointIntervalKey, f.interval}, {CheckpointDirKey, f.dir}, {SavepointPathKey, f.savepoint},
		{RestartStrategyKey, f.restart},
	} {
		if kv.value != "" {
			out = append(out, kv.key+"="+kv.value)
		}
	}
	if f.allowNonRestored {
		out = append(out, IgnoreUnclaimedKey+"=true")
	}
	return out
}
