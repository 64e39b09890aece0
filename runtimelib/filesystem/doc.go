// Package filesystem is Flink's 'filesystem' connector: its bounded source reads the
// file or directory named by the 'path' option once and delivers its lines as raw records
// for a format (csv, json) to decode; its sink (Sink) writes rows as lines of part files,
// in PARTITIONED BY directories, and commits partitions.
//
// What it reads, following Flink's FileSource:
//   - path is a file, or a directory that is walked recursively; "file://" in front of a
//     path is accepted (Flink paths are URIs); a relative path is relative to the working
//     directory.
//   - inside a directory, files and directories whose name starts with '.' or '_' are
//     hidden and skipped (Flink's DefaultFileFilter); a file named directly by path is read
//     whatever its name. Only regular files (or links to them) are read.
//   - source.path.regex-pattern, when set, keeps only the files whose full path matches it
//     entirely (Java's Matcher.matches).
//   - a file whose name ends in .gz (or .gzip), .bz2 or .deflate is decompressed while
//     read, as Flink does; .xz, which Flink also reads, is an error.
//   - files are read one after the other in lexical path order (Flink gives no order; a
//     fixed one makes runs reproducible).
//
// Lines: a record is a line without its "\n" or "\r\n"; a last line without a newline is a
// record too; a UTF-8 byte order mark at the start of a file is dropped. Empty lines are
// skipped, as Flink's csv and json formats do with them. Because skipping leaves a gap, a
// batch that skipped an empty line between two of its records carries Batch.Lines (the
// line number of every record); otherwise Records[i] is on line FirstLine+i. Either way
// Batch.Where(i) names the right line.
//
// Positions: a batch's Split is its file's index in the source's file list (Files), its
// End the byte offset after its last line in the file (in the decompressed bytes of a
// compressed file). The source keeps no positions of its own: it does not implement
// stream.Committer. It is stream.Resumable: a restored checkpoint gives a byte offset per
// file (by name), and Run skips each file to it, counting its lines so that error
// messages keep their line numbers; files not named are read from the start, and a file
// shorter than its offset is an error. One offset per file is exact although chunks go to
// several tasks: the runtime hands a file's chunks out in order, and a checkpoint covers
// every chunk handed out before its barrier.
//
// Memory: the source reads the file in large chunks (256 KiB) and hands the complete
// lines of each chunk out as one batch of raw bytes (stream.Batch.Raw); the source task
// that runs the batch (runtimelib/exec: the least loaded one) splits it into records
// (stream.Batch.Prepare), so the source's own work is the read and a count of
// newlines, and splitting runs in parallel. Records are views into the chunk, so
// splitting lines allocates nothing. A chunk goes back to a pool when its batch is
// released, which the runtime does once the task's OnBatch returned: generated code
// copies any bytes it keeps beyond that. A line longer than a chunk makes the source
// read it into a larger buffer.
//
// The sink, following Flink's streaming FileSystemTableSink (docs/connectors.md has the
// options): each task writes its own part files, part-<uuid>-<task>-<n>, one per
// partition directory at a time (dt=2024-01-01/hm=07%3A00: PartitionPathUtils' escaping),
// holding the columns that are not partition columns. A file is written under a hidden
// in-progress name, rolls on size, age, inactivity (checked at barriers), its
// partition's commit and the end of input, and gets its final name at the barrier
// after it rolled (Flush). Partition commit (commit.go) is shared by the table's tasks:
// a partition whose time (partition-time trigger: the watermark, which generated code
// passes through stream.WatermarkSink) or age (process-time) every task finds ready
// gets its success file. Close keeps what the last barrier flushed of a file in
// progress (a failure's later rows are cut off) and commits it.
package filesystem
