package job

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// Exactly once into JDBC sinks (docs/checkpoints.md, the protocol in
// runtimelib/checkpoint's sinks.go). With checkpoints written to a directory, every
// 'jdbc' sink table whose URL a linked sink package registered is two-phase: its tasks
// seal their rows at each checkpoint barrier (txSink, the table's stream.TwoPhase), and
// once the checkpoint is durable saveCheckpoint commits them with an offsets row in
// one transaction per table. At start, chooseRestore asks the tables' databases which
// checkpoint they committed last: that one is restored.

// CrashEnv names a point where the job kills itself with SIGKILL, for tests of what a
// crash there leaves: "write:N" once checkpoint N is written, before any sink commits
// it; "commit:N" once the first two-phase sink committed N, before the others.
const CrashEnv = "SQLC_STREAM_CRASH_AT"

// crash kills the process when $SQLC_STREAM_CRASH_AT names this point.
func (c *Context) crash(point string, id int64) {
	if c.crashAt == "" || c.crashAt != fmt.Sprintf("%s:%d", point, id) {
		return
	}
	c.log.Warn("crashing on purpose ("+CrashEnv+")", "at", c.crashAt)
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // SIGKILL cannot be caught: this only waits for it
}

// txSink is one two-phase sink table: its database and the rows its tasks sealed, by
// checkpoint, until they are written into a checkpoint and committed.
type txSink struct {
	table string
	db    checkpoint.Database
	c     *Context

	mu     sync.Mutex
	sealed map[int64][][]byte
}

// CheckpointOf implements stream.TwoPhase.
func (t *txSink) CheckpointOf(barrier int64) int64 {
	g := t.c.built.Load()
	if g == nil {
		return 0
	}
	return g.CheckpointOf(barrier)
}

// Seal implements stream.TwoPhase.
func (t *txSink) Seal(id int64, rows []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sealed[id] = append(t.sealed[id], rows)
}

// take removes and returns the rows sealed for checkpoint id; those of earlier
// checkpoints (a checkpoint whose barrier completed but that was not written, as on a
// failure) are dropped.
func (t *txSink) take(id int64) [][]byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	rows := t.sealed[id]
	for k := range t.sealed {
		if k <= id {
			delete(t.sealed, k)
		}
	}
	return rows
}

// dropSealed drops every row sealed and not yet written into a checkpoint (a failed
// run's, before a restart replays them).
func (t *txSink) dropSealed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.sealed)
}

// openTxSinks makes every JDBC sink table two-phase (it needs the checkpoint
// directory: without one nothing could be restored) and opens its database.
func (c *Context) openTxSinks() error {
	for _, t := range c.spec.Tables {
		r := c.opts[t.Name]
		if t.Role != options.Sink || r == nil || r.Connector != "jdbc" {
			continue
		}
		open := checkpoint.DatabaseFor(r.String("url"))
		if open == nil {
			continue
		}
		db, err := open(r, t.Schema)
		if err != nil {
			return err
		}
		ts := &txSink{table: t.Name, db: db, c: c, sealed: map[int64][][]byte{}}
		c.txSinks = append(c.txSinks, ts)
		r.TwoPhase = ts
	}
	return nil
}

// closeTxSinks closes the sinks' databases.
func (c *Context) closeTxSinks() {
	for _, ts := range c.txSinks {
		ts.db.Close()
	}
}

// committed is what the two-phase sinks' databases name: per table the last checkpoint
// committed (absent: none).
func (c *Context) committed() (map[string]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := map[string]int64{}
	for _, ts := range c.txSinks {
		id, ok, err := ts.db.Committed(ctx, c.spec.Name, ts.table)
		if err != nil {
			return nil, fmt.Errorf("table %s: reading the checkpoint its database committed last: %w", ts.table, err)
		}
		if ok {
			out[ts.table] = id
		}
	}
	return out, nil
}

// restoreByDatabase loads the checkpoint the sinks' databases name: the latest one
// they committed. Every table commits checkpoint N before any commits N+1, so they
// name at most two: N for those whose commit the process reached, N-1 for the others,
// which commit N's rows from the checkpoint (recoverSinks). nil when they name none
// (the job starts from its sources' startup positions).
func (c *Context) restoreByDatabase(committed map[string]int64) (*checkpoint.Loaded, error) {
	var newest int64
	var tables []string
	for table, id := range committed {
		newest = max(newest, id)
		tables = append(tables, table)
	}
	slices.Sort(tables)
	ids, err := c.store.IDs()
	if err != nil {
		return nil, fmt.Errorf("checkpoint directory: %w", err)
	}
	if len(committed) == 0 {
		if len(ids) == 0 {
			return nil, nil
		}
		l, err := checkpoint.Load(c.store.Path(ids[len(ids)-1]))
		if err != nil {
			return nil, err
		}
		if len(l.Manifest.Sinks) == 0 {
			// Written before the sinks were two-phase (an older version, or no JDBC
			// sink then): restored as before, the sinks at least once this time.
			c.log.Info(fmt.Sprintf("the databases of the JDBC sinks name no checkpoint of job %s, and %s was written before they committed with checkpoints: restoring it", c.spec.Name, l.Path))
			return l, nil
		}
		c.log.Info(fmt.Sprintf("the databases of the JDBC sinks name no checkpoint of job %s (table %s): %s is not restored, the job starts from its sources' startup positions", c.spec.Name, checkpoint.OffsetsTable, l.Path))
		return nil, nil
	}
	for _, table := range tables {
		if id := committed[table]; id < newest-1 {
			return nil, fmt.Errorf("table %s's database names checkpoint %d of job %s, the other sinks' %d: the rows of the checkpoints between are lost; restore the database or remove the rows of job %s from %s to start over",
				table, id, c.spec.Name, newest, c.spec.Name, checkpoint.OffsetsTable)
		}
	}
	if !slices.Contains(ids, newest) {
		have := "none"
		if len(ids) > 0 {
			have = fmt.Sprintf("chk-%d to chk-%d", ids[0], ids[len(ids)-1])
		}
		return nil, fmt.Errorf("the database of JDBC sink %s names checkpoint %d of job %s (table %s), but %s holds %s: restore the directory, point %s at the one that holds chk-%d, or remove the rows of job %s from %s to start over",
			strings.Join(tablesAt(committed, newest), ", "), newest, c.spec.Name, checkpoint.OffsetsTable, c.store.Dir, have, CheckpointDirKey, newest, c.spec.Name, checkpoint.OffsetsTable)
	}
	return checkpoint.Load(c.store.Path(newest))
}

func tablesAt(committed map[string]int64, id int64) []string {
	var out []string
	for t, v := range committed {
		if v == id {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// recoverSinks commits, for every two-phase sink whose database names an earlier
// checkpoint than the restored one, the rows the restored checkpoint kept for it (the
// process died before that sink's commit). Commit writes nothing where the database
// names it already.
func (c *Context) recoverSinks(l *checkpoint.Loaded, committed map[string]int64) error {
	m := l.Manifest
	positions := checkpoint.PositionsJSON(m.Sources)
	for _, ts := range c.txSinks {
		id, ok := committed[ts.table]
		if ok && id >= m.ID {
			continue
		}
		k := slices.IndexFunc(m.Sinks, func(s checkpoint.SinkRows) bool { return s.Table == ts.table })
		if k < 0 {
			continue // a sink the checkpoint does not know: new since
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		done, err := ts.db.Commit(ctx, c.spec.Name, ts.table, m.ID, positions, l.Sinks[k])
		cancel()
		if err != nil {
			return fmt.Errorf("table %s: committing the rows of checkpoint %d from %s: %w", ts.table, m.ID, l.Path, err)
		}
		if done {
			c.log.Info("committed a checkpoint's rows the process had not committed before it ended", "table", ts.table, "checkpoint", m.ID)
		}
	}
	return nil
}

// commitSinks commits every two-phase sink's rows of a durable checkpoint, each table
// in one transaction with its offsets row, in the spec's order.
func (c *Context) commitSinks(id int64, positions string, rows [][][]byte) error {
	for i, ts := range c.txSinks {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		_, err := ts.db.Commit(ctx, c.spec.Name, ts.table, id, positions, rows[i])
		cancel()
		if err != nil {
			return fmt.Errorf("checkpoint %d: table %s: %w", id, ts.table, err)
		}
		if i == 0 {
			c.crash("commit", id)
		}
	}
	return nil
}

// sinkRows takes the rows every two-phase sink sealed for checkpoint cp, for the
// manifest and the commit.
func (c *Context) sinkRows(cp *exec.Checkpoint, m *checkpoint.Manifest) [][][]byte {
	var rows [][][]byte
	for _, ts := range c.txSinks {
		r := ts.take(cp.ID)
		m.Sinks = append(m.Sinks, checkpoint.SinkRows{Table: ts.table})
		rows = append(rows, r)
	}
	return rows
}
