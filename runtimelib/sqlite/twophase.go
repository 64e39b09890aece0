package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Exactly once (runtimelib/checkpoint's sinks.go). With the job's stream.TwoPhase a
// task's sink keeps its rows until a checkpoint barrier and seals them there
// (FlushBarrier); the job then commits every task's rows with the offsets row through
// a Database of its own.

func init() { checkpoint.RegisterDatabase(urlPrefix, openDatabase) }

// FlushBarrier flushes at a barrier (stream.BarrierFlusher): a two-phase sink seals its
// rows at a checkpoint's barrier and keeps them at the others; otherwise Flush.
func (s *Sink) FlushBarrier(barrier int64) error {
	if s.tp == nil {
		return s.Flush()
	}
	if s.err != nil {
		return s.err
	}
	id := s.tp.CheckpointOf(barrier)
	if id == 0 || len(s.pending) == 0 {
		return nil
	}
	s.tp.Seal(id, s.encodePending())
	s.reset()
	return nil
}

// Value tags of the sealed rows.
const (
	tagNull byte = iota
	tagInt
	tagFloat
	tagString
	tagBytes
)

// encodePending encodes the buffer: the number of rows, then each row's kind and values
// (a tag, then the value).
func (s *Sink) encodePending() []byte {
	var w codec.Writer
	w.Uint64(uint64(len(s.pending)))
	for _, p := range s.pending {
		w.Uint64(uint64(p.kind))
		for _, v := range p.vals {
			switch v := v.(type) {
			case int64:
				w.Buf = append(w.Buf, tagInt)
				w.Int64(v)
			case float64:
				w.Buf = append(w.Buf, tagFloat)
				w.Float64(v)
			case string:
				w.Buf = append(w.Buf, tagString)
				w.String(v)
			case []byte:
				w.Buf = append(w.Buf, tagBytes)
				w.Bytes(v)
			default:
				w.Buf = append(w.Buf, tagNull)
			}
		}
	}
	return w.Buf
}

// addEncoded adds sealed rows to the buffer, as End would.
func (s *Sink) addEncoded(b []byte) error {
	r := codec.NewReader(b)
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		s.Begin(stream.RowKind(r.Uint64()))
		for range s.schema.Columns {
			switch tag := r.Next(1); {
			case r.Err() != nil:
			case tag[0] == tagInt:
				s.put(r.Int64())
			case tag[0] == tagFloat:
				s.put(r.Float64())
			case tag[0] == tagString:
				s.put(r.String())
			case tag[0] == tagBytes:
				s.put(append([]byte{}, r.Bytes()...))
			default:
				s.put(nil)
			}
		}
		if r.Err() != nil {
			break
		}
		if err := s.End(); err != nil {
			return err
		}
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("sqlite sink %s: the rows of a checkpoint are damaged: %w", s.table, err)
	}
	return nil
}

// database is a two-phase sink table's database (checkpoint.Database): a sink that
// writes, and the offsets table beside the table.
type database struct{ s *Sink }

func openDatabase(r *options.Resolved, schema stream.Schema) (checkpoint.Database, error) {
	s, err := Open(r, schema) // r.TwoPhase is not set yet: this one writes
	if err != nil {
		return nil, err
	}
	s.maxRows = 0 // it writes in Commit's transaction only
	if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS ` + checkpoint.OffsetsTable + ` (
  job TEXT NOT NULL,
  sink TEXT NOT NULL,
  checkpoint_id INTEGER NOT NULL,
  positions TEXT NOT NULL,
  committed_at TEXT NOT NULL,
  PRIMARY KEY (job, sink)
)`); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("table %s: create %s in %s: %w", r.Table, checkpoint.OffsetsTable, s.path, err)
	}
	return &database{s}, nil
}

func (d *database) Committed(ctx context.Context, job, sink string) (int64, bool, error) {
	return checkpoint.ReadCommitted(ctx, d.s.db, job, sink, "")
}

func (d *database) Commit(ctx context.Context, job, sink string, id int64, positions string, rows [][]byte) (bool, error) {
	s := d.s
	s.reset()
	for _, b := range rows {
		if err := s.addEncoded(b); err != nil {
			s.reset()
			return false, err
		}
	}
	defer s.reset()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, s.fail(err)
	}
	defer tx.Rollback()
	if have, ok, err := checkpoint.ReadCommitted(ctx, tx, job, sink, ""); err != nil {
		return false, s.fail(err)
	} else if ok && have >= id {
		return false, nil // committed before the process ended
	}
	if err := s.write(ctx, tx); err != nil {
		return false, s.fail(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+checkpoint.OffsetsTable+` (job, sink, checkpoint_id, positions, committed_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (job, sink) DO UPDATE SET checkpoint_id = excluded.checkpoint_id, positions = excluded.positions, committed_at = excluded.committed_at`,
		job, sink, id, positions, time.Now().UTC().Format("2006-01-02 15:04:05.000")); err != nil {
		return false, s.fail(err)
	}
	if err := tx.Commit(); err != nil {
		return false, s.fail(err)
	}
	return true, nil
}

func (d *database) Close() error { return d.s.db.Close() }
