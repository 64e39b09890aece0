package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

const urlPrefix = "jdbc:sqlite:"

// Sink writes rows to a SQLite table. It implements stream.Sink.
type Sink struct {
	db      *sql.DB
	path    string
	table   string // as written in table-name
	schema  stream.Schema
	maxRows int

	insertSQL string // upsert or plain insert
	plainSQL  string // plain insert, for rows with a NULL key
	deleteSQL string

	// the row being encoded
	kind stream.RowKind
	row  []any
	col  int
	skip bool // a -U row of an upsert sink: its values are not kept

	// buffered rows: the last change per key, in first-change order
	pending []pendingRow
	byKey   map[string]int // encoded key -> index in pending (upsert sinks only)
	keyBuf  []byte

	written int64 // rows written to the database
	err     error // a sticky error from End (schema misuse)

	// tp, when not nil, makes the sink two-phase (exactly once, twophase.go): rows wait
	// for a checkpoint barrier, where they are sealed for the job to commit.
	tp stream.TwoPhase
}

type pendingRow struct {
	kind stream.RowKind
	vals []any
}

// NewSink opens the database named by the table's url, creates or checks the table named
// by table-name, and returns the sink.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	s, err := Open(r, schema)
	if err != nil {
		return nil, err // not a nil *Sink in a non-nil stream.Sink, which close would call
	}
	return s, nil
}

// Open is NewSink with the concrete type, for callers that want Written.
func Open(r *options.Resolved, schema stream.Schema) (*Sink, error) {
	url := r.String("url")
	path, ok := strings.CutPrefix(url, urlPrefix)
	url = options.Redact(url) // for the messages below
	if !ok {
		return nil, fmt.Errorf("table %s: option '%s' = '%s': the jdbc connector supports only SQLite URLs here, jdbc:sqlite:<path>", r.Table, r.WrittenKey("url"), url)
	}
	if strings.ContainsAny(path, "?") {
		return nil, fmt.Errorf("table %s: option '%s' = '%s': URL parameters are not supported; write jdbc:sqlite:<path>", r.Table, r.WrittenKey("url"), url)
	}
	if path == "" {
		return nil, fmt.Errorf("table %s: option '%s' = '%s': the database path is empty", r.Table, r.WrittenKey("url"), url)
	}
	table := r.String("table-name")
	if table == "" {
		return nil, fmt.Errorf("table %s: option '%s' is empty", r.Table, r.WrittenKey("table-name"))
	}
	if len(schema.Columns) == 0 {
		return nil, fmt.Errorf("table %s: the sink has no columns", r.Table)
	}
	for _, k := range schema.Key {
		if k < 0 || k >= len(schema.Columns) {
			return nil, fmt.Errorf("table %s: key column index %d out of range", r.Table, k)
		}
	}
	maxRows := r.Int("sink.buffer-flush.max-rows")
	if maxRows < 0 {
		maxRows = 0
	}
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("table %s: %v", r.Table, err)
			}
		}
	}
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	if path == ":memory:" {
		dsn = ":memory:"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("table %s: open %s: %v", r.Table, path, err)
	}
	// One connection: SQLite has one writer anyway, and an in-memory database lives in
	// its connection.
	db.SetMaxOpenConns(1)
	s := &Sink{
		db:      db,
		path:    path,
		table:   table,
		schema:  schema,
		maxRows: int(maxRows),
		row:     make([]any, len(schema.Columns)),
		tp:      r.TwoPhase,
	}
	if schema.Key != nil {
		s.byKey = map[string]int{}
	}
	if err := s.prepareTable(); err != nil {
		db.Close()
		return nil, fmt.Errorf("table %s: %w", r.Table, err)
	}
	s.buildStatements()
	return s, nil
}

// Written returns the number of rows written to the database (inserted, upserted or
// deleted) so far.
func (s *Sink) Written() int64 { return s.written }

// quote quotes an SQLite identifier.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// columnType is the SQLite type a column of the given kind is created with.
func columnType(k stream.TypeKind) string {
	switch k {
	case stream.Boolean, stream.TinyInt, stream.SmallInt, stream.Int, stream.BigInt:
		return "INTEGER"
	case stream.Float, stream.Double:
		return "REAL"
	case stream.Binary, stream.Varbinary:
		return "BLOB"
	}
	return "TEXT"
}

func (s *Sink) isKey(i int) bool {
	for _, k := range s.schema.Key {
		if k == i {
			return true
		}
	}
	return false
}

// CreateTableSQL returns the CREATE TABLE statement the sink uses for a missing table.
func (s *Sink) CreateTableSQL() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(quote(s.table))
	b.WriteString(" (\n")
	for i, c := range s.schema.Columns {
		typ := columnType(c.Kind)
		if typ == "INTEGER" && c.Nullable && len(s.schema.Key) == 1 && s.schema.Key[0] == i {
			// "INTEGER" as the only primary key column would make it the rowid, which turns
			// a NULL key into a fresh number; "INT" has the same affinity without that.
			typ = "INT"
		}
		fmt.Fprintf(&b, "  %s %s", quote(c.Name), typ)
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		if i < len(s.schema.Columns)-1 || s.schema.Key != nil {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	if s.schema.Key != nil {
		b.WriteString("  PRIMARY KEY (")
		for i, k := range s.schema.Key {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(s.schema.Columns[k].Name))
		}
		b.WriteString(")\n")
	}
	b.WriteString(")")
	return b.String()
}

type tableColumn struct {
	name    string
	notNull bool
	hasDef  bool
	pk      int
}

// prepareTable creates the table or checks the existing one.
func (s *Sink) prepareTable() error {
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, "SELECT name, \"notnull\", dflt_value IS NOT NULL, pk FROM pragma_table_info(?)", s.table)
	if err != nil {
		return fmt.Errorf("read the columns of SQLite table %s in %s: %v", quote(s.table), s.path, err)
	}
	var cols []tableColumn
	for rows.Next() {
		var c tableColumn
		if err := rows.Scan(&c.name, &c.notNull, &c.hasDef, &c.pk); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(cols) == 0 {
		if _, err := s.db.ExecContext(ctx, s.CreateTableSQL()); err != nil {
			return fmt.Errorf("create SQLite table %s in %s: %v", quote(s.table), s.path, err)
		}
		return nil
	}

	var problems []string
	byName := map[string]tableColumn{}
	for _, c := range cols {
		byName[strings.ToLower(c.name)] = c
	}
	for _, c := range s.schema.Columns {
		if _, ok := byName[strings.ToLower(c.Name)]; !ok {
			problems = append(problems, fmt.Sprintf("column %s is missing", quote(c.Name)))
		}
	}
	for _, c := range cols {
		if c.notNull && !c.hasDef && !s.hasColumn(c.name) {
			problems = append(problems, fmt.Sprintf("column %s is NOT NULL without a default and the sink does not write it", quote(c.name)))
		}
	}
	if s.schema.Key != nil && len(problems) == 0 {
		ok, err := s.keyIsUnique(ctx, cols)
		if err != nil {
			return err
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("the key (%s) is neither the primary key nor a unique index", s.keyList()))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("SQLite table %s in %s does not fit the sink: %s.\nDrop it to let the job create it, or create it with:\n%s;",
			quote(s.table), s.path, strings.Join(problems, "; "), s.CreateTableSQL())
	}
	return nil
}

func (s *Sink) hasColumn(name string) bool {
	for _, c := range s.schema.Columns {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

func (s *Sink) keyList() string {
	names := make([]string, len(s.schema.Key))
	for i, k := range s.schema.Key {
		names[i] = quote(s.schema.Columns[k].Name)
	}
	return strings.Join(names, ", ")
}

// sameColumns reports whether names are exactly the sink's key columns.
func (s *Sink) sameColumns(names []string) bool {
	if len(names) != len(s.schema.Key) {
		return false
	}
	seen := map[string]bool{}
	for _, n := range names {
		seen[strings.ToLower(n)] = true
	}
	for _, k := range s.schema.Key {
		if !seen[strings.ToLower(s.schema.Columns[k].Name)] {
			return false
		}
	}
	return true
}

// keyIsUnique reports whether the sink's key is the table's primary key or a unique index,
// which ON CONFLICT needs.
func (s *Sink) keyIsUnique(ctx context.Context, cols []tableColumn) (bool, error) {
	var pk []string
	for _, c := range cols {
		if c.pk > 0 {
			pk = append(pk, c.name)
		}
	}
	if s.sameColumns(pk) {
		return true, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_index_list(?) WHERE "unique" AND partial = 0`, s.table)
	if err != nil {
		return false, err
	}
	var indexes []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return false, err
		}
		indexes = append(indexes, n)
	}
	rows.Close()
	for _, idx := range indexes {
		irows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_index_info(?)`, idx)
		if err != nil {
			return false, err
		}
		var names []string
		for irows.Next() {
			var n sql.NullString
			if err := irows.Scan(&n); err != nil {
				irows.Close()
				return false, err
			}
			names = append(names, n.String)
		}
		irows.Close()
		if s.sameColumns(names) {
			return true, nil
		}
	}
	return false, nil
}

func (s *Sink) buildStatements() {
	var cols, marks []string
	for _, c := range s.schema.Columns {
		cols = append(cols, quote(c.Name))
		marks = append(marks, "?")
	}
	s.plainSQL = fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quote(s.table), strings.Join(cols, ", "), strings.Join(marks, ", "))
	s.insertSQL = s.plainSQL
	if s.schema.Key == nil {
		return
	}
	var sets, where []string
	for i, c := range s.schema.Columns {
		if !s.isKey(i) {
			sets = append(sets, fmt.Sprintf("%s = excluded.%s", quote(c.Name), quote(c.Name)))
		}
	}
	for _, k := range s.schema.Key {
		where = append(where, quote(s.schema.Columns[k].Name)+" IS ?")
	}
	if len(sets) == 0 {
		s.insertSQL += fmt.Sprintf(" ON CONFLICT (%s) DO NOTHING", s.keyList())
	} else {
		s.insertSQL += fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s", s.keyList(), strings.Join(sets, ", "))
	}
	s.deleteSQL = fmt.Sprintf("DELETE FROM %s WHERE %s", quote(s.table), strings.Join(where, " AND "))
}

// ---- the encoder ----

func (s *Sink) Begin(kind stream.RowKind) {
	s.kind = kind
	s.col = 0
	s.skip = kind == stream.UpdateBefore && s.schema.Key != nil
}

func (s *Sink) put(v any) {
	if s.col < len(s.row) {
		s.row[s.col] = v
	}
	s.col++
}

func (s *Sink) column() *stream.Column {
	if s.col < len(s.schema.Columns) {
		return &s.schema.Columns[s.col]
	}
	return nil
}

func (s *Sink) Null() { s.put(nil) }

func (s *Sink) Bool(v bool) {
	if v {
		s.put(int64(1))
	} else {
		s.put(int64(0))
	}
}

func (s *Sink) Int64(v int64) { s.put(v) }

func (s *Sink) Float64(v float64) {
	if c := s.column(); c != nil && c.Kind == stream.Float && !math.IsInf(v, 0) && !math.IsNaN(v) {
		// Store the FLOAT's shortest decimal, not its float64 widening: 0.1, not
		// 0.10000000149011612.
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', -1, 32), 64)
	}
	s.put(v)
}

// String copies v: the buffer outlives the batch a string may point into.
func (s *Sink) String(v string) {
	if s.skip {
		s.col++
		return
	}
	s.put(strings.Clone(v))
}

func (s *Sink) Bytes(v []byte) {
	if s.skip {
		s.col++
		return
	}
	// A copy that is never nil, even when empty: a nil []byte is NULL to database/sql.
	s.put(append(make([]byte, 0, len(v)), v...))
}

func (s *Sink) Decimal(v types.Decimal, scale int) { s.put(v.Format(scale)) }

func (s *Sink) Timestamp(v types.Timestamp) {
	p := 6
	if c := s.column(); c != nil {
		p = c.Precision
	}
	s.put(types.FormatTimestamp(v, p))
}

func (s *Sink) Date(days int32) { s.put(types.FormatDate(days)) }

func (s *Sink) Time(millisOfDay int32) {
	p := 0
	if c := s.column(); c != nil {
		p = c.Precision
	}
	s.put(types.FormatTime(millisOfDay, p))
}

// encodeKey appends an unambiguous encoding of the row's key values to dst.
func (s *Sink) encodeKey(dst []byte, row []any) []byte {
	for _, k := range s.schema.Key {
		switch v := row[k].(type) {
		case nil:
			dst = append(dst, 0)
		case int64:
			dst = append(dst, 1)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
		case float64:
			dst = append(dst, 2)
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		case string:
			dst = append(dst, 3)
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			dst = append(dst, v...)
		case []byte:
			dst = append(dst, 4)
			dst = binary.AppendUvarint(dst, uint64(len(v)))
			dst = append(dst, v...)
		}
	}
	return dst
}

// End buffers the row, keeping only the last change per key, and flushes when the buffer
// holds sink.buffer-flush.max-rows rows.
func (s *Sink) End() error {
	if s.err != nil {
		return s.err
	}
	if s.col != len(s.schema.Columns) {
		s.err = fmt.Errorf("sqlite sink %s: a row has %d values, the table has %d columns", s.table, s.col, len(s.schema.Columns))
		return s.err
	}
	if s.schema.Key == nil {
		if s.kind != stream.Insert {
			s.err = fmt.Errorf("sqlite sink %s: received a %s row, but the sink has no key and only appends rows; declare a PRIMARY KEY on the sink table", s.table, s.kind)
			return s.err
		}
		s.pending = append(s.pending, pendingRow{kind: s.kind, vals: append([]any(nil), s.row...)})
	} else {
		if s.kind == stream.UpdateBefore {
			return nil // upsert semantics: the +U that follows carries the new row
		}
		s.keyBuf = s.encodeKey(s.keyBuf[:0], s.row)
		if i, ok := s.byKey[string(s.keyBuf)]; ok {
			p := &s.pending[i]
			p.kind = s.kind
			copy(p.vals, s.row)
		} else {
			s.byKey[string(s.keyBuf)] = len(s.pending)
			s.pending = append(s.pending, pendingRow{kind: s.kind, vals: append([]any(nil), s.row...)})
		}
	}
	clear(s.row)
	if s.maxRows > 0 && len(s.pending) >= s.maxRows && s.tp == nil {
		return s.Flush()
	}
	return nil
}

func (s *Sink) hasNullKey(row []any) bool {
	for _, k := range s.schema.Key {
		if row[k] == nil {
			return true
		}
	}
	return false
}

// Flush writes the buffered rows in one transaction; a two-phase sink writes nothing
// (its rows wait for the next checkpoint: FlushBarrier).
func (s *Sink) Flush() error {
	if s.err != nil {
		return s.err
	}
	if len(s.pending) == 0 || s.tp != nil {
		return nil
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err)
	}
	if err := s.write(ctx, tx); err != nil {
		tx.Rollback()
		return s.fail(err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(err)
	}
	s.reset()
	return nil
}

// reset empties the buffer after its rows were written.
func (s *Sink) reset() {
	s.written += int64(len(s.pending))
	clear(s.pending)
	s.pending = s.pending[:0]
	clear(s.byKey)
}

// write writes the buffered rows in transaction tx.
func (s *Sink) write(ctx context.Context, tx *sql.Tx) error {
	insert, err := tx.PrepareContext(ctx, s.insertSQL)
	if err != nil {
		return err
	}
	defer insert.Close()
	var del, plain *sql.Stmt
	keyArgs := make([]any, len(s.schema.Key))
	for _, p := range s.pending {
		if s.schema.Key != nil && (p.kind == stream.Delete || s.hasNullKey(p.vals)) {
			if del == nil {
				if del, err = tx.PrepareContext(ctx, s.deleteSQL); err != nil {
					return err
				}
				defer del.Close()
			}
			for i, k := range s.schema.Key {
				keyArgs[i] = p.vals[k]
			}
			if _, err := del.ExecContext(ctx, keyArgs...); err != nil {
				return err
			}
			if p.kind == stream.Delete {
				continue
			}
			// A NULL key: ON CONFLICT cannot match it, so delete and insert.
			if plain == nil {
				if plain, err = tx.PrepareContext(ctx, s.plainSQL); err != nil {
					return err
				}
				defer plain.Close()
			}
			if _, err := plain.ExecContext(ctx, p.vals...); err != nil {
				return err
			}
			continue
		}
		if _, err := insert.ExecContext(ctx, p.vals...); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sink) fail(err error) error {
	return fmt.Errorf("sqlite sink %s in %s: %w", quote(s.table), s.path, err)
}

// Close flushes the buffer and closes the database. A two-phase sink drops what no
// checkpoint covers: a restored job produces it again.
func (s *Sink) Close() error {
	err := s.Flush()
	return errors.Join(err, s.db.Close())
}
