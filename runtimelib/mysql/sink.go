package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"sort"
	"strings"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Sink writes rows to a MySQL/MariaDB table. See the package comment.
type Sink struct {
	*rowenc.Row
	table     string // Flink table, for messages
	qualifier string // database of table-name 'db.t', or ""
	name      string // MySQL table
	schema    stream.Schema
	db        *sql.DB

	maxRows    int
	maxRetries int
	// Backoff is the wait before the first retry; it doubles for each further retry,
	// up to MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// AttemptTimeout bounds one flush attempt.
	AttemptTimeout time.Duration
	// OnRetry, when set, is called before each retry of a failed flush (attempt counts
	// from 1). Logging hooks and tests use it.
	OnRetry func(attempt int, err error)
	// Log, when set, receives a warning for every retried flush.
	Log *slog.Logger
	// countRetry counts retries for the job's metrics (CountRetries).
	countRetry func()

	notes []string
	// beforeCommit, when set (by tests), runs between the writes and the commit.
	beforeCommit func()
	colNames     []string
	keyNames     []string

	// Buffer. Keyed sinks keep only the last change of each key: entries[index[key]].
	// Append-only sinks keep every row in entries.
	entries  []entry
	index    map[string]int
	keyBuf   []byte
	rowsSeen int // rows since the last flush, what sink.buffer-flush.max-rows counts

	chunkRows int // rows per multi-row INSERT
	args      []any
	stmts     map[int]string // INSERT text by row count
	deleteSQL string

	// tp, when not nil, makes the sink two-phase (exactly once, twophase.go): rows wait
	// for a checkpoint barrier, where they are sealed for the job to commit.
	tp stream.TwoPhase
}

type entry struct {
	vals   []rowenc.Value // cloned
	delete bool
}

// maxParams is MySQL's limit of placeholders in one prepared statement.
const maxParams = 65535

// NewSink returns the sink of a 'connector'='jdbc' table with a jdbc:mysql:// URL. It
// connects, checks the table (it must exist with compatible columns and, for a keyed
// sink, a primary key or unique index on exactly the key) and fails with the CREATE
// TABLE statement to run otherwise.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	s, err := newSink(r, schema)
	if err != nil {
		return nil, err // not a nil *Sink in a non-nil stream.Sink, which close would call
	}
	return s, nil
}

func newSink(r *options.Resolved, schema stream.Schema) (*Sink, error) {
	cfg, notes, err := configFromURL(r.String("url"), r.String("username"), r.String("password"))
	if err != nil {
		return nil, fmt.Errorf("table %s: %v", r.Table, err)
	}
	s := &Sink{
		Row:            rowenc.NewRow(len(schema.Columns)),
		table:          r.Table,
		schema:         schema,
		maxRows:        int(r.Int("sink.buffer-flush.max-rows")),
		maxRetries:     int(r.Int("sink.max-retries")),
		Backoff:        200 * time.Millisecond,
		Log:            slog.Default(),
		MaxBackoff:     10 * time.Second,
		AttemptTimeout: 60 * time.Second,
		index:          map[string]int{},
		stmts:          map[int]string{},
		tp:             r.TwoPhase,
	}
	if s.maxRetries < 0 {
		s.maxRetries = 0
	}
	name := r.String("table-name")
	if q, n, ok := strings.Cut(name, "."); ok && !strings.Contains(name, "`") {
		s.qualifier, s.name = q, n
	} else {
		s.name = strings.Trim(name, "`")
	}
	if s.name == "" {
		return nil, fmt.Errorf("table %s: option 'table-name' is empty", r.Table)
	}
	for _, c := range schema.Columns {
		s.colNames = append(s.colNames, c.Name)
	}
	for _, k := range schema.Key {
		s.keyNames = append(s.keyNames, schema.Columns[k].Name)
	}
	s.chunkRows = min(1000, maxParams/max(1, len(schema.Columns)))
	if len(schema.Key) > 0 {
		if s.deleteSQL, err = deleteSQL(s.qualifier, s.name, s.keyNames); err != nil {
			return nil, err
		}
	}

	conn, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("table %s: %v", r.Table, err)
	}
	s.db = sql.OpenDB(conn)
	s.db.SetMaxOpenConns(2)
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.checkTable(ctx, cfg.DBName); err != nil {
		s.db.Close()
		return nil, err
	}
	s.notes = notes
	return s, nil
}

// CountRetries makes the sink call f before each retry of a failed flush, for the
// job's metrics (stream.RetryCounter).
func (s *Sink) CountRetries(f func()) { s.countRetry = f }

// checkTable verifies the table against the schema through information_schema.
func (s *Sink) checkTable(ctx context.Context, dbName string) error {
	schemaName := s.qualifier
	if schemaName == "" {
		schemaName = dbName
	}
	display := s.name
	if s.qualifier != "" {
		display = s.qualifier + "." + s.name
	}
	hint := "\n\ncreate it with:\n\n" + createTableSQL(s.name, s.schema)
	rows, err := s.db.QueryContext(ctx,
		"SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
		schemaName, s.name)
	if err != nil {
		return fmt.Errorf("table %s: cannot read the columns of MySQL table %s: %w", s.table, display, err)
	}
	have := map[string]string{} // lower-case column name -> data type
	for rows.Next() {
		var name, dataType string
		if err := rows.Scan(&name, &dataType); err != nil {
			rows.Close()
			return fmt.Errorf("table %s: %w", s.table, err)
		}
		have[strings.ToLower(name)] = strings.ToLower(dataType)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	if len(have) == 0 {
		return fmt.Errorf("table %s: MySQL table %s does not exist in database %s;%s", s.table, display, schemaName, hint)
	}
	var problems []string
	for _, c := range s.schema.Columns {
		dt, ok := have[strings.ToLower(c.Name)]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("column %s is missing", c.Name))
		case !compatible(c, dt):
			problems = append(problems, fmt.Sprintf("column %s is %s, which cannot hold %s", c.Name, strings.ToUpper(dt), c.Type))
		}
	}
	if len(s.schema.Key) > 0 {
		ok, err := s.hasUniqueKey(ctx, schemaName)
		if err != nil {
			return err
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("no PRIMARY KEY or UNIQUE index on exactly (%s), which the upserts need", strings.Join(s.keyNames, ", ")))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("table %s: MySQL table %s does not fit the sink: %s;%s", s.table, display, strings.Join(problems, "; "), hint)
	}
	return nil
}

// hasUniqueKey reports whether some unique index covers exactly the key columns.
func (s *Sink) hasUniqueKey(ctx context.Context, schemaName string) (bool, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0",
		schemaName, s.name)
	if err != nil {
		return false, fmt.Errorf("table %s: cannot read the indexes of MySQL table %s: %w", s.table, s.name, err)
	}
	defer rows.Close()
	idx := map[string][]string{}
	for rows.Next() {
		var index, col string
		if err := rows.Scan(&index, &col); err != nil {
			return false, err
		}
		idx[index] = append(idx[index], strings.ToLower(col))
	}
	want := make([]string, len(s.keyNames))
	for i, k := range s.keyNames {
		want[i] = strings.ToLower(k)
	}
	sort.Strings(want)
	for _, cols := range idx {
		sort.Strings(cols)
		if strings.Join(cols, "\x00") == strings.Join(want, "\x00") {
			return true, nil
		}
	}
	return false, rows.Err()
}

// Notes are remarks for the job to log once at start (ignored JDBC URL parameters).
func (s *Sink) Notes() []string { return s.notes }

// End buffers the row: keyed sinks replace the key's earlier change, -U rows are
// dropped (the +U that follows carries the new row); append-only sinks accept only +I.
func (s *Sink) End() error {
	if err := s.Row.Complete(); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	kind := s.Row.Kind
	if len(s.schema.Key) == 0 {
		if kind != stream.Insert {
			return fmt.Errorf("table %s: the JDBC sink has no key (declare a PRIMARY KEY) and got a %s row", s.table, kind)
		}
		s.entries = append(s.entries, entry{vals: cloneValues(s.Row.Values)})
	} else {
		if kind == stream.UpdateBefore {
			return nil
		}
		s.keyBuf = appendKey(s.keyBuf[:0], s.Row.Values, s.schema.Key)
		e := entry{vals: cloneValues(s.Row.Values), delete: kind == stream.Delete}
		if i, ok := s.index[string(s.keyBuf)]; ok {
			s.entries[i] = e
		} else {
			s.index[string(s.keyBuf)] = len(s.entries)
			s.entries = append(s.entries, e)
		}
	}
	s.rowsSeen++
	if s.maxRows > 0 && s.rowsSeen >= s.maxRows && s.tp == nil {
		return s.Flush()
	}
	return nil
}

func cloneValues(vs []rowenc.Value) []rowenc.Value {
	out := make([]rowenc.Value, len(vs))
	for i, v := range vs {
		out[i] = v.Clone()
	}
	return out
}

// appendKey encodes the key values unambiguously (kind, then fixed-width or
// length-prefixed payload) for the collapse map.
func appendKey(dst []byte, vals []rowenc.Value, key []int) []byte {
	for _, k := range key {
		v := &vals[k]
		dst = append(dst, byte(v.Kind))
		switch v.Kind {
		case rowenc.Bool, rowenc.Int:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v.I))
		case rowenc.Float:
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v.F))
		case rowenc.String:
			dst = binary.LittleEndian.AppendUint32(dst, uint32(len(v.S)))
			dst = append(dst, v.S...)
		case rowenc.Bytes:
			dst = binary.LittleEndian.AppendUint32(dst, uint32(len(v.B)))
			dst = append(dst, v.B...)
		case rowenc.Decimal:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v.D.Hi))
			dst = binary.LittleEndian.AppendUint64(dst, v.D.Lo)
		case rowenc.Timestamp:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v.T.Millis))
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v.T.Nanos))
		}
	}
	return dst
}

// Flush writes the buffer in one transaction. A failed attempt (a lost connection, a
// server restart, a deadlock) is retried with exponential backoff up to
// sink.max-retries times; the buffer is cleared only after a successful commit. A
// two-phase sink writes nothing: its rows wait for the next checkpoint (FlushBarrier).
func (s *Sink) Flush() error {
	if len(s.entries) == 0 || s.tp != nil {
		return nil
	}
	return s.retry(func(ctx context.Context, tx *sql.Tx) error { return nil })
}

// reset empties the buffer.
func (s *Sink) reset() {
	s.entries = s.entries[:0]
	clear(s.index)
	s.rowsSeen = 0
}

// retry writes the buffer and runs also(tx) in one transaction, retrying failed
// attempts (Flush); the buffer is cleared once it committed. also returning errSkip
// rolls back and clears the buffer.
func (s *Sink) retry(also func(ctx context.Context, tx *sql.Tx) error) error {
	backoff := s.Backoff
	for attempt := 0; ; attempt++ {
		err := s.flushOnce(attempt > 0, also)
		if err == nil || errors.Is(err, errSkip) {
			s.reset()
			return err
		}
		if attempt >= s.maxRetries || !retryable(err) {
			if attempt > 0 {
				return fmt.Errorf("table %s: MySQL write failed after %d attempts: %w", s.table, attempt+1, err)
			}
			return fmt.Errorf("table %s: MySQL write failed: %w", s.table, err)
		}
		if s.Log != nil {
			s.Log.Warn("MySQL write failed, retrying", "table", s.table, "attempt", attempt+1, "backoff", backoff, "err", err)
		}
		if s.countRetry != nil {
			s.countRetry()
		}
		if s.OnRetry != nil {
			s.OnRetry(attempt+1, err)
		}
		select {
		case <-time.After(backoff):
		case <-stream.Stopping().Done():
			return fmt.Errorf("table %s: the job was stopped while retrying a failed MySQL write: %w", s.table, err)
		}
		backoff = min(2*backoff, s.MaxBackoff)
	}
}

// flushOnce is one attempt; a retry gives up when the job is stopped (stream.Stopping).
func (s *Sink) flushOnce(retry bool, also func(ctx context.Context, tx *sql.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.AttemptTimeout)
	defer cancel()
	if retry {
		stop := context.AfterFunc(stream.Stopping(), cancel)
		defer stop()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := also(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.writeAll(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	return tx.Commit()
}

func (s *Sink) writeAll(ctx context.Context, tx *sql.Tx) error {
	// Deletes first, then upserts: each key appears once, so the order between keys
	// does not matter.
	keyed := len(s.schema.Key) > 0
	if keyed {
		for i := range s.entries {
			e := &s.entries[i]
			if !e.delete {
				continue
			}
			s.args = s.args[:0]
			for _, k := range s.schema.Key {
				s.args = append(s.args, s.arg(k, &e.vals[k]))
			}
			if _, err := tx.ExecContext(ctx, s.deleteSQL, s.args...); err != nil {
				return err
			}
		}
	}
	pending := make([]int, 0, s.chunkRows)
	for i := range s.entries {
		if s.entries[i].delete {
			continue
		}
		pending = append(pending, i)
		if len(pending) == s.chunkRows {
			if err := s.insert(ctx, tx, pending); err != nil {
				return err
			}
			pending = pending[:0]
		}
	}
	if len(pending) > 0 {
		return s.insert(ctx, tx, pending)
	}
	return nil
}

// insert sends one multi-row INSERT (ON DUPLICATE KEY UPDATE for keyed sinks).
func (s *Sink) insert(ctx context.Context, tx *sql.Tx, rows []int) error {
	text, ok := s.stmts[len(rows)]
	if !ok {
		var update []string
		if len(s.schema.Key) > 0 {
			for i, c := range s.colNames {
				if !contains(s.schema.Key, i) {
					update = append(update, c)
				}
			}
			if len(update) == 0 {
				update = s.keyNames // every column is key: a no-op update makes it idempotent
			}
		}
		var err error
		if text, err = insertSQL(s.qualifier, s.name, s.colNames, len(rows), update); err != nil {
			return err
		}
		if len(s.stmts) > 64 {
			clear(s.stmts)
		}
		s.stmts[len(rows)] = text
	}
	s.args = s.args[:0]
	for _, r := range rows {
		vals := s.entries[r].vals
		for c := range vals {
			s.args = append(s.args, s.arg(c, &vals[c]))
		}
	}
	_, err := tx.ExecContext(ctx, text, s.args...)
	return err
}

// arg converts a value to a driver parameter. DECIMAL and date/time values go as text
// in MySQL's literal syntax, which the server converts exactly and without time zones.
func (s *Sink) arg(col int, v *rowenc.Value) any {
	c := &s.schema.Columns[col]
	switch v.Kind {
	case rowenc.Null:
		return nil
	case rowenc.Bool:
		return v.I != 0
	case rowenc.Int:
		switch c.Kind {
		case stream.Date:
			return types.FormatDate(int32(v.I))
		case stream.Time:
			return types.FormatTime(int32(v.I), min(c.Precision, 3))
		}
		return v.I
	case rowenc.Float:
		if c.Kind == stream.Float {
			return float32(v.F)
		}
		return v.F
	case rowenc.String:
		return v.S
	case rowenc.Bytes:
		return v.B
	case rowenc.Decimal:
		return v.D.Format(v.Scale)
	case rowenc.Timestamp:
		return types.FormatTimestamp(v.T, min(c.Precision, 6))
	}
	return nil
}

// retryable reports whether a failed flush may succeed when tried again: connection
// problems and transient server conditions, not errors in the data or the table.
func retryable(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1205, // lock wait timeout
			1213,       // deadlock
			1040,       // too many connections
			1053,       // server shutdown in progress
			1927,       // connection was killed
			2006, 2013, // server gone away, lost connection
			1290, // read-only (e.g. during a failover)
			1836: // read-only mode
			return true
		}
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysqldriver.ErrInvalidConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, sql.ErrTxDone) || strings.Contains(err.Error(), "connection")
}

// Close closes the connection pool; rows not flushed are dropped (the job flushes
// before Close).
func (s *Sink) Close() error { return s.db.Close() }

var _ stream.Sink = (*Sink)(nil)
