// Package stream defines the contract between generated job code and the connectors in
// runtimelib: sources deliver batches of raw records, generated code decodes them with the
// format packages into typed Go locals, and sinks receive typed values one field at a
// time through the Sink encoder interface (no interface{} rows, no per-row allocation).
//
// # Splits and positions
//
// A source reads splits: the files of a filesystem source, the partitions of a Kafka
// source. Every batch comes from one split (Batch.Split, its index in the source) and
// carries the split's position after it (Batch.End, a Kafka offset or a byte offset in a
// file; Batch.Position). A split's batches are delivered in order, so its positions only
// grow.
//
// # When a position is durable
//
// Releasing a batch only returns its memory to the source: it never moves a position
// the source keeps or commits. A source whose positions outlive the job (Kafka's group
// offsets) implements Committer, and the job's runtime (runtimelib/exec) tells it
// which positions are durable by this rule:
//
//   - a batch counts once its processing returned without error or panic; a failed
//     batch, and a batch skipped or discarded after a failure or at shutdown, never
//     counts;
//   - the positions of the batches handed to tasks before a barrier are handed to
//     Commit once every task completed that barrier (emitted its aggregates' changes
//     and saw every sink's Flush return nil), including the final barrier at end of
//     input and on SIGTERM; the results of those batches are then in the sinks;
//   - a failed batch stops the job, so no barrier after it completes: after any error
//     nothing more is committed.
//
// A job restarted from committed positions thus reads again whatever was not durable:
// at least once, never a loss. Without checkpoints a successful flush is the commit
// point and state is not restored, so a restarted aggregation counts from zero. With
// checkpoints (execution.checkpointing.interval), only the barriers that are
// checkpoints commit, once the checkpoint is written (Flink commits Kafka offsets when
// a checkpoint completes), and a restored job starts from the checkpoint's positions:
// a source that is Resumable is told them before it runs (Resume), and reports where
// its splits started (Starts) so that a checkpoint also names the splits that have
// delivered nothing yet.
//
// # Two-phase sinks
//
// A sink whose options carry a TwoPhase (a JDBC sink with checkpoints in a directory)
// writes nothing at flushes: generated code flushes it with FlushAt(sink, barrier), and
// at a checkpoint's barrier it seals its buffered rows (TwoPhase.Seal) for the job to
// commit with an offsets row once the checkpoint is durable (runtimelib/checkpoint).
package stream
