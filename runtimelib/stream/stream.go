package stream

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// RowKind is a changelog row kind, as in Flink.
type RowKind byte

const (
	Insert       RowKind = iota // +I
	UpdateBefore                // -U
	UpdateAfter                 // +U
	Delete                      // -D
)

// String returns Flink's short form: +I, -U, +U, -D.
func (k RowKind) String() string {
	switch k {
	case Insert:
		return "+I"
	case UpdateBefore:
		return "-U"
	case UpdateAfter:
		return "+U"
	case Delete:
		return "-D"
	}
	return fmt.Sprintf("RowKind(%d)", byte(k))
}

// Batch is a group of raw records from one source, delivered to the job loop at once.
//
// Records are views into memory the source owns; they are valid until Release is called.
// Generated code must copy (string(b)) any bytes that outlive the batch, such as a new
// group key.
type Batch struct {
	Records [][]byte // one entry per record: a line of a file, a Kafka message value
	// Count is the number of rows for sources without raw bytes (datagen): when Records
	// is nil, the batch holds Count rows that generated code pulls from the source.
	Count int

	// Where the records came from, for error messages and metadata columns.
	Origin    string // file name or topic
	FirstLine int64  // line number (1-based) of Records[0] in Origin, for file sources
	// Lines, when not nil, holds the 1-based line number of every record: a file source
	// sets it only for a batch whose records are not consecutive lines (it skipped an
	// empty line inside the batch); otherwise record i is on line FirstLine+i.
	Lines     []int64
	Partition []int32 // per record, for partitioned sources (nil otherwise); a Kafka source's first, empty batch of a partition holds just the partition (it registers the split)
	Offset    []int64 // per record, for partitioned sources (nil otherwise)
	Timestamp []int64 // per record, epoch millis, for sources that carry one (nil otherwise)
	Keys      [][]byte
	// Split is the index, within its source, of the split all records of the batch come
	// from: a file of a filesystem source, a partition of a Kafka source.
	Split int32
	// Owned says that the split belongs to one source task (Split mod tasks), as a
	// partition of a partitioned source does (Partition set): a generated split whose
	// rows must stay in order (nexmark). Without either, a batch goes to any task.
	Owned bool
	// End is the split's position after this batch, where reading the split resumes so
	// that the batch is not read again: a Kafka offset, a byte offset in a file. It grows
	// from one batch of a split to the next. See Position.
	End int64
	// Bytes is the size of the batch as its source read it (a Kafka source: the record
	// batches fetched), for the job's metrics; 0 when the source does not say (a batch
	// with Raw counts len(Raw)).
	Bytes int

	// Raw, when not nil, is a run of whole lines (FirstLine is the first's number) that
	// Prepare has still to split into Records. A file source hands its chunks out this
	// way so that splitting lines, a quarter of a simple job's work, runs in the source
	// task that takes the batch rather than in the source's one goroutine: with several
	// tasks, the serial part of the job shrinks to the read itself.
	Raw []byte
	// RawLines is the number of lines in Raw when the source counted them (a file source
	// does, for the next batch's FirstLine), else 0: Prepare makes room for that many
	// Records at once instead of growing them line by line.
	RawLines int

	release func(*Batch)
	lines   []int64 // backing store of Lines, reused by pooled batches
}

// Prepare splits Raw into Records, as a file source's lines: a record is a line without
// its "\n" or "\r\n"; empty lines are skipped (Flink's csv and json formats skip them),
// and a batch that skipped one between records carries Lines. The job loop calls it
// before generated code sees the batch; without Raw it does nothing.
func (b *Batch) Prepare() {
	raw := b.Raw
	if raw == nil {
		return
	}
	b.Raw = nil
	b.Records = b.Records[:0]
	if n := b.RawLines + 1; cap(b.Records) < n { // +1: a last line without a newline
		b.Records = make([][]byte, 0, n)
	}
	b.RawLines = 0
	b.Lines = nil
	b.lines = b.lines[:0]
	line := b.FirstLine
	for len(raw) > 0 {
		var rec []byte
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			rec, raw = raw[:i], raw[i+1:]
		} else {
			rec, raw = raw, nil
		}
		if n := len(rec); n > 0 && rec[n-1] == '\r' {
			rec = rec[:n-1]
		}
		if len(rec) > 0 {
			b.addLine(rec, line)
		}
		line++
	}
}

// addLine appends a record found on line; it starts Lines at the first gap.
func (b *Batch) addLine(rec []byte, line int64) {
	if b.Lines == nil && line != b.FirstLine+int64(len(b.Records)) {
		if b.lines == nil {
			b.lines = make([]int64, 0, 64) // non-nil even before the first append
		}
		for i := range b.Records {
			b.lines = append(b.lines, b.FirstLine+int64(i))
		}
		b.Lines = b.lines
	}
	b.Records = append(b.Records, rec)
	if b.Lines != nil {
		b.lines = append(b.lines, line)
		b.Lines = b.lines
	}
}

// SetRelease installs the function that returns the batch's memory to its source.
func (b *Batch) SetRelease(f func(*Batch)) { b.release = f }

// Release hands the batch's memory back to its source. The batch must not be used after.
// It says nothing about whether the batch was processed: a position moves only through
// Committer (see the package comment).
func (b *Batch) Release() {
	if b.release != nil {
		b.release(b)
	}
}

// Where names record i of the batch for an error message: "logs.csv:17" or
// "access_log[2]@1043".
func (b *Batch) Where(i int) string { return b.Pos(i).String() }

// Pos is where record i of the batch came from: what Where prints, kept without
// formatting it (an aggregate's rows carry it to the task that owns their group).
func (b *Batch) Pos(i int) RecordPos {
	switch {
	case b.Partition != nil:
		return RecordPos{Origin: b.Origin, Partition: b.Partition[i], Offset: b.Offset[i], Kind: PosOffset}
	case b.Lines != nil:
		return RecordPos{Origin: b.Origin, Offset: b.Lines[i], Kind: PosLine}
	case b.FirstLine > 0:
		return RecordPos{Origin: b.Origin, Offset: b.FirstLine + int64(i), Kind: PosLine}
	}
	return RecordPos{Origin: b.Origin, Offset: int64(i) + 1}
}

// RecordPos is where a record came from (Batch.Pos).
type RecordPos struct {
	Origin    string // file name or topic
	Partition int32
	Offset    int64 // Kafka offset, line number or record number, as Kind says
	Kind      PosKind
}

// PosKind says what RecordPos.Offset is.
type PosKind uint8

const (
	PosRecord PosKind = iota // the record's 1-based number in its batch
	PosLine                  // a line number of a file
	PosOffset                // a Kafka partition and offset
)

// String is "logs.csv:17", "access_log[2]@1043" or "t record 3"; "" for the zero value.
func (p RecordPos) String() string {
	switch {
	case p == RecordPos{}:
		return ""
	case p.Kind == PosOffset:
		return fmt.Sprintf("%s[%d]@%d", p.Origin, p.Partition, p.Offset)
	case p.Kind == PosLine:
		return fmt.Sprintf("%s:%d", p.Origin, p.Offset)
	}
	return fmt.Sprintf("%s record %d", p.Origin, p.Offset)
}

// Position is a split's position: the Split and End of a batch, and the split's name
// (Origin: the file, the topic) and, for a partitioned source, its Partition: a
// checkpoint names a split by Name and Partition, which outlive the run (Split is the
// split's index in this run).
type Position struct {
	Split     int32
	Name      string
	Partition int32
	Offset    int64
}

// Position returns the position of the batch's split after the batch. The job loop takes
// it before the batch is processed (and released).
func (b *Batch) Position() Position {
	p := Position{Split: b.Split, Name: b.Origin, Offset: b.End}
	if len(b.Partition) > 0 {
		p.Partition = b.Partition[0]
	}
	return p
}

// Resumable is a source that can start from the positions a checkpoint recorded
// (runtimelib/checkpoint): where a restored job resumes.
type Resumable interface {
	Source
	// Resume is called before Run with the positions of the source's splits at the
	// checkpoint (Name and Partition name a split; Split is not used). Run then reads
	// each of those splits from its Offset, whatever the source's startup options say:
	// nothing before it is read again and nothing after it is skipped. Splits not
	// named start as the options say.
	Resume(positions []Position) error
	// Starts returns where each split the source reads started in this run (after
	// Resume), once the source knows; a checkpoint records them for the splits that
	// have delivered no batch yet, so that a restore starts those at the same place. It
	// is called from another goroutine than Run's.
	Starts() []Position
}

// Committer is implemented by a source whose positions outlive the job, such as Kafka's
// group offsets. The job loop calls Commit in its own goroutine, only with positions whose
// results the sinks have durably written (the rule is in the package comment), at most
// one position per split and only ever larger ones for a split. It may be called after
// Run returned (the final flush at the end of input comes after the source's end), and
// with no positions (a flush with no new batch), which lets a source that rate-limits its
// commits send the ones it held back. An error is a remark, not a failure of the job: a
// position not committed only means a restart reads more again.
type Committer interface {
	Commit(ctx context.Context, durable []Position) error
}

// Lagger is a source that knows how far behind its input it is, per partition (Kafka):
// the job's metrics export it. Lag is called from another goroutine than Run's.
type Lagger interface {
	Lag() []PartitionLag
}

// PartitionLag is a partition's consumer lag: the records the broker has that the
// source has not fetched yet (the partition's high watermark minus the next offset to
// fetch).
type PartitionLag struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Lag       int64  `json:"lag"`
}

// RetryCounter is a sink that retries failed writes: CountRetries gives it the function
// to call before each retry (the job's metrics count them).
type RetryCounter interface {
	CountRetries(f func())
}

// ByteCounter is a sink that counts the bytes it wrote (the lines printed, the Kafka
// keys and values produced): BytesWritten returns the total so far. The job's metrics
// ask it after each flush, in the sink's task.
type ByteCounter interface {
	BytesWritten() int64
}

// Source produces batches until its input ends (bounded) or the context is cancelled.
type Source interface {
	// Run sends batches to out until the input ends, then returns nil. It must return
	// promptly with ctx.Err() when ctx is cancelled.
	Run(ctx context.Context, out chan<- *Batch) error
	// Bounded reports whether the input ends by itself (a file) or not (Kafka).
	Bounded() bool
}

// Sized is a bounded source that knows how much input it has, so that a job on a
// terminal shows a progress bar of what was read (runtimelib/job, progress.go).
type Sized interface {
	Source
	// Size returns the records and the bytes of the whole input, -1 for what the
	// source does not know (a file source knows its bytes, datagen its rows).
	Size() (records, bytes int64)
	// BytesRead returns the bytes of input read so far (0 without Size's bytes); safe
	// to call while Run runs.
	BytesRead() int64
}

// Sink receives rows through a typed encoder: Begin, one call per column in the sink
// table's column order, then End. Values are buffered; Flush makes them durable (or
// visible) and is called at the flush interval and at end of input.
//
// Narrow integer types are passed as Int64 and FLOAT as Float64: the sink knows each
// column's declared type from its schema.
type Sink interface {
	Begin(kind RowKind)
	Null()
	Bool(v bool)
	Int64(v int64)
	Float64(v float64)
	String(v string)
	Bytes(v []byte)
	// Decimal passes an unscaled value and the column's scale.
	Decimal(v types.Decimal, scale int)
	Timestamp(v types.Timestamp)
	Date(days int32)        // days since 1970-01-01
	Time(millisOfDay int32) // milliseconds since midnight
	End() error

	Flush() error
	Close() error
}

// TwoPhase connects a sink that writes exactly once (a JDBC sink with checkpoints
// written to a directory) to the job's checkpoints: rows produced between checkpoint
// barriers N-1 and N belong to checkpoint N, and are committed by the job, together
// with an offsets row, once checkpoint N is durable (runtimelib/checkpoint,
// docs/checkpoints.md). The job hands one to each sink table (options.Resolved's
// TwoPhase); every task's instance of the sink uses it. Safe for concurrent use.
type TwoPhase interface {
	// CheckpointOf returns the id of the checkpoint that barrier is, 0 for a barrier
	// that only flushes.
	CheckpointOf(barrier int64) int64
	// Seal hands over the rows a task's sink instance buffered for checkpoint id,
	// encoded by the sink (its database's Commit decodes them).
	Seal(id int64, rows []byte)
}

// BarrierFlusher is a sink that wants to know which barrier it flushes at: a two-phase
// sink seals its rows at a checkpoint's barrier and writes nothing at the others.
type BarrierFlusher interface {
	FlushBarrier(barrier int64) error
}

// FlushAt flushes s at barrier: FlushBarrier when s is a BarrierFlusher, else Flush.
// Generated code calls it for JDBC sinks in OnBarrier.
func FlushAt(s Sink, barrier int64) error {
	if b, ok := s.(BarrierFlusher); ok {
		return b.FlushBarrier(barrier)
	}
	return s.Flush()
}

// TypeKind is the root of a column's SQL type, as sinks need it to format or store
// values (it mirrors the compiler's ir.Kind for the types a column can have).
type TypeKind uint8

const (
	Boolean TypeKind = iota + 1
	TinyInt
	SmallInt
	Int
	BigInt
	Float
	Double
	Decimal
	Char
	Varchar
	Binary
	Varbinary
	Date
	Time
	Timestamp
	TimestampLTZ
	Row
	Array
	Map
	Multiset
)

// Column describes one column of a table as a connector sees it.
type Column struct {
	Name string
	// Type is the Flink SQL type as the compiler prints it ("DECIMAL(38, 18)",
	// "STRING NOT NULL"), for messages and for the CREATE TABLE hint a sink shows.
	Type      string
	Kind      TypeKind
	Precision int // DECIMAL precision, TIME/TIMESTAMP fractional digits
	Scale     int // DECIMAL scale
	Length    int // CHAR/VARCHAR/BINARY/VARBINARY length
	Nullable  bool
	Fields    []Column // a ROW's fields, in order
}

// RowWriter is a Sink that takes ROW columns (print, blackhole). The value of a ROW
// column is BeginRow, one call per field in order (a nested ROW again with BeginRow),
// then EndRow; a NULL ROW is Null. Generated code writes ROW columns only into sinks
// whose connector has one (the compiler checks).
type RowWriter interface {
	BeginRow()
	EndRow()
}

// Schema is the row a sink receives, in order, and the key an upsert sink writes on
// (indexes into Columns; nil for append-only writes).
type Schema struct {
	Columns []Column
	Key     []int
	// Partition are the PARTITIONED BY columns (indexes into Columns, in their order);
	// nil for a table without partitions.
	Partition []int
}

// WhereRows names the records rows of the batch for an error message: "logs.csv:17",
// or "batch logs.csv:17 to logs.csv:40" for several (a vectorized function's call).
func (b *Batch) WhereRows(rows []int32) string {
	if len(rows) == 0 {
		return ""
	}
	first, last := b.Where(int(rows[0])), b.Where(int(rows[len(rows)-1]))
	if first == last {
		return first
	}
	return "batch " + first + " to " + last
}

var stopping, stop = context.WithCancel(context.Background())

// Stopping is a context done once the job was asked to stop (its first SIGINT or
// SIGTERM). A stopping job still flushes what it processed, so a sink's write goes on
// as usual; but a sink that is retrying a failed write (waiting between attempts, or in
// an attempt after the first) gives up when it is done, rather than hold the stop up for
// minutes: the job then exits with the write's error, and a restart resumes from its
// last checkpoint.
func Stopping() context.Context { return stopping }

// Stop makes Stopping done; the job driver calls it at the first signal.
func Stop() { stop() }

// Wait waits d (nothing when d <= 0) or until ctx is done, then returning ctx.Err(): a
// paced source's wait between batches. *timer is reused from call to call (nil the first
// time); the caller stops it when done.
func Wait(ctx context.Context, timer **time.Timer, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if *timer == nil {
		*timer = time.NewTimer(d)
	} else {
		(*timer).Reset(d)
	}
	select {
	case <-(*timer).C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WatermarkSink is a Sink that acts on event time (the filesystem sink's partition-time
// commit): generated code passes it its task's watermark (epoch ms; math.MaxInt64 at
// the end of a bounded input) whenever the watermark advances, before the next rows.
type WatermarkSink interface {
	Sink
	Watermark(t int64)
}
