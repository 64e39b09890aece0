// Package kafka is the Kafka connector of generated jobs: a source for 'connector'='kafka'
// tables and sinks for 'kafka' (append-only) and 'upsert-kafka' (updating) tables. The
// sinks and the source's metadata, offset and commit requests use
// github.com/segmentio/kafka-go; the source fetches records itself (fetch.go).
//
// # Source
//
// NewSource reads every partition of the table's topics ('topic' may list several,
// separated by ';'), one fetch loop per partition, and delivers each fetch response as a
// stream.Batch. Each loop has its own connection to the partition's leader and sends
// Fetch (v4, up to 256 KiB per response, read_uncommitted) requests encoded with
// github.com/twmb/franz-go/pkg/kmsg; the response is read into the batch's buffer and
// the record batches (magic 2; CRC checked; gzip, snappy, lz4 or zstd decompressed;
// control batches skipped) are parsed in place: keys and values are views into that
// buffer, with no copy and no allocation per record. Message formats older than Kafka
// 0.11 (magic 0 and 1) are an error. A failed fetch closes the connection; the next one
// looks the leader up again.
//
// Outages are retried, as a Kafka consumer does, until the job stops: at start (the
// metadata and offsets of the partitions: planRetrying), each fetch, and the offsets
// asked for after an out-of-range offset, 100 ms apart doubling up to 5 s, each failure
// logged. A broker down at start, restarting with or without its data, or leaving and
// coming back only delays the job; a topic not there (yet) is waited for; a partition
// offset past the end of a new, empty log resets as auto.offset.reset says. Only errors
// retrying cannot fix fail the source (retriable): Kafka's non-retriable error codes
// and what the options make fatal (auto.offset.reset = none without a committed offset).
//
// In a batch, Records are the message values, Keys the message keys (nil for none), and
// Partition, Offset and Timestamp (epoch millis) hold per record what the metadata
// columns partition, offset and timestamp read; Origin is the topic. Tombstones (null
// values) carry no row and are skipped, as Flink's non-upsert source does.
//
// Each batch holds records of one partition: Batch.Split is the partition's index in the
// source (topics in the order of 'topic', then partitions in order; with one topic, the
// partition number) and Batch.End the offset after the batch.
//
// # Positions and commits
//
// The job keeps its own record of its position: no consumer-group membership, no
// rebalances. Releasing a batch only returns its memory. A partition's position moves
// when the job's runtime (runtimelib/exec) calls Commit (stream.Committer) with it,
// which it does only once a barrier after the batch completed (every task flushed its
// sinks), never for a batch that failed and never after an error (the rule is in
// package stream); Positions
// reports these durable positions. With properties.group.id set and
// properties.enable.auto.commit not false, Commit sends them to the group, at most every
// properties.auto.commit.interval.ms (5 s; the first at once); the ones the interval held
// back are sent when Run returns, and Commit calls after that (the final flush at the end
// of bounded input follows the source's end) send at once. A failed commit is logged and
// only means a restart reads more again.
//
// Flink commits Kafka offsets when a checkpoint completes, so a committed offset is
// covered by a consistent snapshot; without checkpoints it leaves commits to the Kafka
// consumer's periodic auto-commit, which may commit records whose results were never
// written. Without checkpoints, a successful flush is our commit point: a job
// restarted with the same group reads again everything whose results were not durably
// written (at least once; the results of the re-read records may be written twice). With
// checkpoints, the runtime commits only a written checkpoint's positions, and a restored
// job gives the source the checkpoint's offsets (Resume, stream.Resumable): each
// partition named there starts at its offset whatever scan.startup.mode says (a new one
// as the mode says; one whose offset left the log resets as auto.offset.reset says), and
// Starts reports where every partition started, so that a checkpoint names those that
// delivered nothing yet.
//
// Where each partition starts, by scan.startup.mode:
//
//	group-offsets      (the default) the group's committed offset; a partition without
//	                   one starts where properties.auto.offset.reset says: earliest
//	                   (our default), latest, or none (fail). Flink ≥1.14 fails here by
//	                   default and Flink 1.10 used Kafka's default "latest"; we start at
//	                   the earliest offset so that a job started after its data was
//	                   produced (the seed scenario, which sets no group) reads it all.
//	earliest-offset    the first offset still in the log
//	latest-offset      the end of the log (only records produced after the start)
//	timestamp          the first record with timestamp >= scan.startup.timestamp-millis
//	specific-offsets   scan.startup.specific-offsets ('partition:0,offset:42;partition:1,offset:300');
//	                   partitions not listed start at their group offsets, as in Flink
//
// A start offset outside the log (removed by retention) resets as auto.offset.reset says.
//
// scan.bounded.mode (Flink 1.17) makes the source bounded; each partition stops before
// its stop offset, computed once at start:
//
//	unbounded          (the default) never stops
//	latest-offset      the end of the log when the job started (the high-water mark)
//	group-offsets      the group's committed offsets
//	timestamp          the first record with timestamp >= scan.bounded.timestamp-millis
//	specific-offsets   scan.bounded.specific-offsets; partitions not listed stop at the end
//
// # Sinks
//
// Rows are encoded at End with package rowenc (Flink's csv and json formats) into one
// buffer, and sent on Flush (and earlier when 10000 messages or 8 MiB are pending) by a
// kafka-go Writer with RequiredAcks = all, synchronous writes and a 5 ms batch timeout.
// Flush returns only when every message is acknowledged.
//
// NewSink ('connector'='kafka') accepts only +I rows (an updating result into it is a
// compile error; at run time it is an error too). The key is empty unless key.fields
// (';'-separated column names) and key.format are set; value.fields-include =
// EXCEPT_KEY leaves the key fields out of the value. sink.partitioner is default
// (Kafka's murmur2 of the key), fixed (this single-subtask job writes to partition 0, as
// Flink's fixed partitioner does for subtask 0) or round-robin.
//
// NewUpsertSink ('connector'='upsert-kafka') keys every message on the PRIMARY KEY in
// key.format: +I and +U send the row as the value, -D sends a tombstone (null value),
// -U is dropped.
//
// NewDeadLetterWriter (deadletter.go) writes a source's rejected records into its
// 'dead-letter.topic' for runtimelib/job's DeadLetter: the record as the value, where it
// came from and why in sqlc.* headers.
package kafka
