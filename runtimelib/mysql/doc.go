// Package mysql is the MySQL/MariaDB sink of generated jobs ('connector'='jdbc' with a
// 'jdbc:mysql://host:port/database' URL), on github.com/go-sql-driver/mysql.
//
// Options: url, table-name ('t' or 'db.t'), username, password (the job driver has
// already expanded ${NAME}), sink.buffer-flush.max-rows (100), sink.buffer-flush.interval
// (1 s; the job calls Flush at that interval) and sink.max-retries (3); the Flink 1.10
// keys connector.url, connector.table, connector.write.flush.* and so on arrive here
// under these names. JDBC URL parameters belong to Connector/J and are ignored (Notes
// lists them for the job's log).
//
// At start the sink reads information_schema: the table must exist, every sink column
// must exist with a type that can hold it, and a keyed sink needs a PRIMARY KEY or
// UNIQUE index on exactly its key. Otherwise NewSink fails with a message that ends in
// the CREATE TABLE statement to run (STRING keys become VARCHAR(255), other STRINGs
// TEXT, TIMESTAMP(p) DATETIME(p), PRIMARY KEY on the key).
//
// Writing. A keyed sink (schema.Key, from the PRIMARY KEY or the query's unique key)
// buffers only the last change of each key: +I and +U replace the key's entry with an
// upsert, -D with a delete, -U rows are dropped (the +U that follows carries the row).
// A flush sends, in one transaction, DELETE FROM t WHERE k = ? for each deleted key and
// multi-row INSERT INTO t (cols) VALUES (?, ...), ... ON DUPLICATE KEY UPDATE c =
// VALUES(c) for the rest (MariaDB has no row alias, so VALUES(c) it is). A sink without
// key accepts only +I rows and sends them as multi-row INSERTs. Statements are built and
// parse-checked with github.com/xwb1989/sqlparser (a MySQL-dialect library), which
// backtick-quotes identifiers as needed; values are always bound parameters, never SQL
// text. DECIMAL, DATE, TIME and TIMESTAMP values are sent in MySQL's literal syntax, so
// they arrive exactly and without time-zone conversion.
//
// End flushes when sink.buffer-flush.max-rows rows arrived since the last flush (rows
// counted before collapsing, as Flink's JDBC sink does).
//
// Failures. A flush attempt that fails on a lost connection, a server restart, a lock
// timeout or a deadlock is retried with exponential backoff (200 ms doubling, at most
// 10 s) up to sink.max-retries times; errors in the data or the table (too long,
// unknown column) fail at once. The buffer is cleared only after a successful commit,
// so a failed attempt loses nothing. Upserts and deletes are idempotent, so a commit
// whose acknowledgement was lost does no harm when retried; for an append-only sink it
// can duplicate that batch (at-least-once, as Flink's JDBC sink without XA). Once the
// job is asked to stop (stream.Stopping, its first signal), a retry gives up at once,
// in its wait or during its attempt, and Flush returns the write's error: a stop does
// not wait minutes for a server that is down.
//
// Exactly once (twophase.go). When the job gives the sink a stream.TwoPhase (checkpoints
// in a directory), nothing is written at flushes nor at sink.buffer-flush.max-rows: the
// buffer is sealed at each checkpoint's barrier (FlushBarrier) and handed to the job,
// which commits every task's rows of the checkpoint and the offsets row in
// sqlc_stream_checkpoints (created when missing) in one transaction, with the retries
// above, through a Database of its own (registered for jdbc:mysql: and jdbc:mariadb:).
package mysql
