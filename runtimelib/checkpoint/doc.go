// Package checkpoint keeps a job's checkpoints on disk (docs/checkpoints.md has the
// user's view): the directory layout, the manifest, atomic writes, retention, and
// reading a checkpoint back. The runtime (runtimelib/exec) decides when a checkpoint is
// taken and gathers it; the job driver (runtimelib/job) checks that a checkpoint fits
// the job before restoring it.
//
// # Layout
//
//	<execution.checkpointing.dir>/
//	  chk-7/                 a complete checkpoint (or savepoint), id 7
//	    _metadata            the manifest
//	    op0-task0            the snapshot of task 0 of stateful operator 0
//	    op0-task1            ...
//	  chk-8/
//	  .chk-9-123.inprogress  being written (or left by a crash; removed at start)
//
// A state file holds what the operator's Snapshot wrote (exec.Snapshotter; the format
// inside is the generated code's, runtimelib/state). The manifest is binary
// (runtimelib/codec): "SQCK", a format version, then the job name, the checkpoint id,
// its time, whether it is a savepoint and the final one, the plan's fingerprint,
// pipeline.max-parallelism, every stage's name and parallelism, every stateful operator
// (uid, stage, description, SQL position, layout fingerprint, encoded fields, and each
// task's file with its size and CRC-32C), every source table's positions (split
// name, partition, offset), and (version 2) every two-phase sink's rows of the
// checkpoint, a file per task; a CRC-32C of all of it ends the file. Load checks every
// checksum: a damaged checkpoint is an error, never restored.
//
// # Exactly once into databases
//
// sinks.go holds the sinks' offsets protocol: a JDBC sink package registers its
// Database (RegisterDatabase, by URL prefix); the job commits each checkpoint's rows of
// a sink with an offsets row in sqlc_stream_checkpoints in one transaction, after the
// checkpoint is durable, and at start restores the checkpoint the databases name.
//
// # Atomicity
//
// Write writes into a hidden temporary directory, fsyncs every file and the directory,
// renames it to chk-<id> and fsyncs the parent: a crash leaves the previous checkpoints
// intact and at most an .inprogress directory, which is ignored and cleaned at the next
// start. Only then (Retain; Save is both) are the checkpoints beyond
// state.checkpoints.num-retained removed, oldest first, so the directory always holds
// at least one complete checkpoint once one was taken; a job with two-phase sinks
// retains only after they committed, so the checkpoint their databases name stays.
package checkpoint
