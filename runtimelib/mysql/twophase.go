package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Exactly once (runtimelib/checkpoint's sinks.go). With the job's stream.TwoPhase a
// task's sink keeps its rows until a checkpoint barrier and seals them there
// (FlushBarrier); the job then commits every task's rows with the offsets row through
// a Database of its own, with the retries of Flush.

func init() {
	for _, prefix := range []string{"jdbc:mysql:", "jdbc:mariadb:"} {
		checkpoint.RegisterDatabase(prefix, openDatabase)
	}
}

// errSkip: the database names the checkpoint already; nothing is written.
var errSkip = errors.New("committed already")

// FlushBarrier flushes at a barrier (stream.BarrierFlusher): a two-phase sink seals its
// rows at a checkpoint's barrier and keeps them at the others; otherwise Flush.
func (s *Sink) FlushBarrier(barrier int64) error {
	if s.tp == nil {
		return s.Flush()
	}
	id := s.tp.CheckpointOf(barrier)
	if id == 0 || len(s.entries) == 0 {
		return nil
	}
	s.tp.Seal(id, s.encodeEntries())
	s.reset()
	return nil
}

// encodeEntries encodes the buffer: the number of entries, then each one's delete flag
// and values (the kind, then the value).
func (s *Sink) encodeEntries() []byte {
	var w codec.Writer
	w.Uint64(uint64(len(s.entries)))
	for i := range s.entries {
		e := &s.entries[i]
		w.Bool(e.delete)
		for j := range e.vals {
			v := &e.vals[j]
			w.Uint64(uint64(v.Kind))
			switch v.Kind {
			case rowenc.Bool, rowenc.Int:
				w.Int64(v.I)
			case rowenc.Float:
				w.Float64(v.F)
			case rowenc.String:
				w.String(v.S)
			case rowenc.Bytes:
				w.Bytes(v.B)
			case rowenc.Decimal:
				w.Decimal(v.D)
				w.Int(v.Scale)
			case rowenc.Timestamp:
				w.Timestamp(v.T)
			}
		}
	}
	return w.Buf
}

// addEncoded adds sealed entries to the buffer; a later entry of a key replaces an
// earlier one, as in End.
func (s *Sink) addEncoded(b []byte) error {
	r := codec.NewReader(b)
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		e := entry{delete: r.Bool(), vals: make([]rowenc.Value, len(s.schema.Columns))}
		for j := range e.vals {
			v := &e.vals[j]
			v.Kind = rowenc.Kind(r.Uint64())
			switch v.Kind {
			case rowenc.Bool, rowenc.Int:
				v.I = r.Int64()
			case rowenc.Float:
				v.F = r.Float64()
			case rowenc.String:
				v.S = r.String()
			case rowenc.Bytes:
				v.B = append([]byte{}, r.Bytes()...)
			case rowenc.Decimal:
				v.D = r.Decimal()
				v.Scale = r.Int()
			case rowenc.Timestamp:
				v.T = r.Timestamp()
			}
		}
		if r.Err() != nil {
			break
		}
		if len(s.schema.Key) == 0 {
			s.entries = append(s.entries, e)
			continue
		}
		s.keyBuf = appendKey(s.keyBuf[:0], e.vals, s.schema.Key)
		if i, ok := s.index[string(s.keyBuf)]; ok {
			s.entries[i] = e
		} else {
			s.index[string(s.keyBuf)] = len(s.entries)
			s.entries = append(s.entries, e)
		}
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("table %s: the rows of a checkpoint are damaged: %w", s.table, err)
	}
	return nil
}

// database is a two-phase sink table's database (checkpoint.Database): a sink that
// writes, and the offsets table in the URL's database.
type database struct{ s *Sink }

// offsetsDDL creates the offsets table (runtimelib/checkpoint's sinks.go).
const offsetsDDL = "CREATE TABLE IF NOT EXISTS " + checkpoint.OffsetsTable + ` (
  job VARCHAR(255) NOT NULL,
  sink VARCHAR(255) NOT NULL,
  checkpoint_id BIGINT NOT NULL,
  positions LONGTEXT NOT NULL,
  committed_at DATETIME(3) NOT NULL,
  PRIMARY KEY (job, sink)
)`

func openDatabase(r *options.Resolved, schema stream.Schema) (checkpoint.Database, error) {
	s, err := newSink(r, schema) // r.TwoPhase is not set yet: this one writes
	if err != nil {
		return nil, err
	}
	s.maxRows = 0 // it writes in Commit's transaction only
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.db.ExecContext(ctx, offsetsDDL); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("table %s: create the offsets table %s: %w", r.Table, checkpoint.OffsetsTable, err)
	}
	return &database{s}, nil
}

func (d *database) Committed(ctx context.Context, job, sink string) (int64, bool, error) {
	return checkpoint.ReadCommitted(ctx, d.s.db, job, sink, "")
}

// Commit writes the rows and the offsets row in one transaction, with Flush's retries:
// the offsets row is read FOR UPDATE first, so a commit whose acknowledgement was lost
// finds its own checkpoint when retried and writes nothing more.
func (d *database) Commit(ctx context.Context, job, sink string, id int64, positions string, rows [][]byte) (bool, error) {
	s := d.s
	s.reset()
	for _, b := range rows {
		if err := s.addEncoded(b); err != nil {
			s.reset()
			return false, err
		}
	}
	err := s.retry(func(ctx context.Context, tx *sql.Tx) error {
		have, ok, err := checkpoint.ReadCommitted(ctx, tx, job, sink, " FOR UPDATE")
		switch {
		case err != nil:
			return err
		case ok && have >= id:
			return errSkip
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO "+checkpoint.OffsetsTable+" (job, sink, checkpoint_id, positions, committed_at) VALUES (?, ?, ?, ?, ?)"+
			" ON DUPLICATE KEY UPDATE checkpoint_id = VALUES(checkpoint_id), positions = VALUES(positions), committed_at = VALUES(committed_at)",
			job, sink, id, positions, time.Now().UTC().Format("2006-01-02 15:04:05.000"))
		return err
	})
	if errors.Is(err, errSkip) {
		return false, nil
	}
	return err == nil, err
}

func (d *database) Close() error { return d.s.Close() }
