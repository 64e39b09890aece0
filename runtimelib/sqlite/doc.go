// Package sqlite is the sink of Flink's 'jdbc' connector on an embedded SQLite database:
// 'url' = 'jdbc:sqlite:<path>', written with modernc.org/sqlite (pure Go, so job binaries
// stay static with CGO_ENABLED=0).
//
// Options: url (jdbc:sqlite:<path>; a relative path is relative to the working directory;
// its directory is created when missing; URL parameters are not accepted), table-name,
// sink.buffer-flush.max-rows (default 100; 0 disables the early flush) and, used by the job
// loop, sink.buffer-flush.interval. username, password and driver mean nothing to SQLite
// and are ignored.
//
// The table: when it does not exist the sink creates it, with column types mapped from
// the Flink types (BOOLEAN and the integer types INTEGER; FLOAT, DOUBLE REAL; DECIMAL TEXT
// holding the exact digits; CHAR, VARCHAR TEXT; DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ
// TEXT in Flink's SQL form "2020-01-31 12:30:05.123"; BINARY, VARBINARY BLOB), NOT NULL
// for NOT NULL columns, and PRIMARY KEY on the sink's key. When it exists the sink checks
// that every column is present, that extra columns can be left out (nullable or with a
// default) and, for an upsert sink, that the key columns are its primary key or a unique
// index; otherwise the error shows the CREATE TABLE statement that fits the job.
//
// Writing follows Flink's JDBC sink:
//   - with a key (schema.Key) it is an upsert sink: +I and +U rows are written with
//     INSERT ... ON CONFLICT (key) DO UPDATE SET ..., -D rows with DELETE ... WHERE key,
//     and -U rows are ignored. The buffer keeps only the last change of each key, so a
//     key updated many times between two flushes is written once. A row whose key holds
//     a NULL (possible when the key is the GROUP BY columns of the query) is deleted and
//     inserted instead, because SQL's ON CONFLICT never matches NULLs.
//   - without a key it is append-only: every row is a plain INSERT, and a change other
//     than +I is an error.
//   - Flush writes the whole buffer in one transaction with prepared statements and bound
//     parameters; End flushes early when the buffer holds sink.buffer-flush.max-rows rows.
//
// The database is opened in WAL mode with synchronous=NORMAL and a busy timeout, so
// readers (sqlite3 on the same file) do not block the job.
//
// Exactly once (twophase.go). When the job gives the sink a stream.TwoPhase (checkpoints
// in a directory), nothing is written at flushes nor at sink.buffer-flush.max-rows: the
// buffer is sealed at each checkpoint's barrier (FlushBarrier) and handed to the job,
// which commits every task's rows of the checkpoint and the offsets row in
// sqlc_stream_checkpoints (created when missing, in the same file) in one transaction,
// through a Database of its own (registered for jdbc:sqlite:). Close then drops what no
// checkpoint covers.
package sqlite
