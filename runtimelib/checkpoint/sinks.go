package checkpoint

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// The sinks' offsets protocol (exactly once into databases). A JDBC sink with
// checkpoints written to a directory is two-phase: each task's instance buffers the
// rows between two checkpoint barriers and seals them at the checkpoint's barrier
// (stream.TwoPhase); once the checkpoint is durable, the job commits every task's rows
// of that checkpoint and an offsets row in ONE transaction of the sink's database
// (Database.Commit). The offsets table, created when missing:
//
//	sqlc_stream_checkpoints (
//	  job            the job's name (its SQL file's)         } primary key
//	  sink           the Flink sink table                    }
//	  checkpoint_id  the last checkpoint committed
//	  positions      its source positions, as JSON (PositionsJSON)
//	  committed_at   when, UTC
//	)
//
// At start the database names the checkpoint to restore (Committed). A checkpoint
// also keeps the rows it sealed (Manifest.Sinks), so that a sink whose commit the
// process did not reach (it died between two sinks' commits) commits them from the
// restored checkpoint; Commit does nothing when the row already names that checkpoint
// or a later one.

// OffsetsTable is the name of the offsets table in a sink's database.
const OffsetsTable = "sqlc_stream_checkpoints"

// Database is a two-phase sink table's database, as the job drives it.
type Database interface {
	// Committed returns the last checkpoint committed for (job, sink); ok is false
	// when the database names none.
	Committed(ctx context.Context, job, sink string) (id int64, ok bool, err error)
	// Commit writes the rows (each a blob a task's instance sealed) and the offsets
	// row of checkpoint id, in one transaction, unless the database already names id
	// or a later checkpoint: then it writes nothing and returns false.
	Commit(ctx context.Context, job, sink string, id int64, positions string, rows [][]byte) (bool, error)
	Close() error
}

// OpenDatabase opens the database of a sink table (its resolved options and schema).
type OpenDatabase func(r *options.Resolved, schema stream.Schema) (Database, error)

var (
	regMu     sync.Mutex
	databases = map[string]OpenDatabase{}
)

// RegisterDatabase makes the JDBC sink of URLs that start with prefix ("jdbc:sqlite:")
// two-phase: its package registers it in init, so that a job links only the sinks it
// uses.
func RegisterDatabase(prefix string, open OpenDatabase) {
	regMu.Lock()
	defer regMu.Unlock()
	databases[prefix] = open
}

// DatabaseFor returns how to open the database of a JDBC URL; nil when no linked sink
// package handles it.
func DatabaseFor(url string) OpenDatabase {
	regMu.Lock()
	defer regMu.Unlock()
	for prefix, open := range databases {
		if strings.HasPrefix(url, prefix) {
			return open
		}
	}
	return nil
}

// Querier is a *sql.DB or a *sql.Tx, for ReadCommitted.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ReadCommitted reads the checkpoint the offsets row of (job, sink) names; ok is false
// without one. lock is appended to the SELECT (" FOR UPDATE" in a MySQL transaction).
func ReadCommitted(ctx context.Context, q Querier, job, sink, lock string) (id int64, ok bool, err error) {
	err = q.QueryRowContext(ctx, "SELECT checkpoint_id FROM "+OffsetsTable+" WHERE job = ? AND sink = ?"+lock, job, sink).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// PositionsJSON renders a checkpoint's source positions for the offsets row:
// [{"table":"log","splits":[{"name":"access_log","partition":0,"offset":120}]}].
func PositionsJSON(sources []Source) string {
	type split struct {
		Name      string `json:"name"`
		Partition int32  `json:"partition"`
		Offset    int64  `json:"offset"`
	}
	type table struct {
		Table  string  `json:"table"`
		Splits []split `json:"splits"`
	}
	out := make([]table, 0, len(sources))
	for _, s := range sources {
		t := table{Table: s.Table, Splits: []split{}}
		for _, p := range s.Positions {
			t.Splits = append(t.Splits, split{p.Name, p.Partition, p.Offset})
		}
		out = append(out, t)
	}
	b, _ := json.Marshal(out)
	return string(b)
}
