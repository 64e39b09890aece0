package filesystem

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/print"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Sink is a task's writer of a 'filesystem' table (doc.go says what it writes and
// when). It implements stream.Sink and stream.WatermarkSink.
type Sink struct {
	*rowenc.Row
	table   string
	cols    []stream.Column
	base    string // the local directory of 'path'
	enc     *rowenc.Encoder
	parts   []int  // the partition columns, in PARTITIONED BY order
	defName string // partition.default-name
	prefix  string // "part-<uuid>-<task>-": the names of this task's files
	line    []byte // the row being encoded

	fileSize    int64         // sink.rolling-policy.file-size
	rollover    time.Duration // sink.rolling-policy.rollover-interval
	checkEvery  time.Duration // sink.rolling-policy.check-interval
	inactivity  time.Duration // sink.rolling-policy.inactivity-interval (0: none)
	lastCheck   time.Time
	watermark   int64
	now         func() time.Time
	buckets     map[string]*bucket // by partition directory ("" unpartitioned)
	last        *bucket            // the bucket of the previous row
	lastVals    []string           // its partition values, to find it again without a lookup
	pending     []string           // closed in-progress files waiting for the next barrier
	committer   *committer         // shared by the table's tasks; nil without partition commit
	task        int
	writtenRows int64
}

// bucket is a partition directory of a task: its open in-progress file, if any.
type bucket struct {
	dir     string // relative to base: "dt=2024-01-01/hm=07%3A00" ("" unpartitioned)
	counter int    // the number of its next file
	f       *os.File
	w       *bufio.Writer
	tmp     string // the in-progress file's path
	final   string // its name once committed
	size    int64
	created time.Time
	updated time.Time
	// synced is the file's size at the last barrier: what a Close after a failure keeps.
	synced int64
}

// tableIDs gives the tasks of a table (in this process) one file-name prefix, as
// Flink's FileSystemTableSink draws one part-<uuid> per sink, and numbers them.
var tableIDs = struct {
	sync.Mutex
	uuid  map[string]string
	tasks map[string]int
}{uuid: map[string]string{}, tasks: map[string]int{}}

func tableID(table string) (string, int) {
	tableIDs.Lock()
	defer tableIDs.Unlock()
	id, ok := tableIDs.uuid[table]
	if !ok {
		id = newUUID()
		tableIDs.uuid[table] = id
	}
	n := tableIDs.tasks[table]
	tableIDs.tasks[table] = n + 1
	return id, n
}

// newUUID is a random (version 4) UUID in its usual text form.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// NewSink opens a task's writer of a 'filesystem' table. schema.Partition lists the
// PARTITIONED BY columns: they name the directories and are not written in the files.
func NewSink(r *options.Resolved, schema stream.Schema) (stream.Sink, error) {
	s, err := newSink(r, schema, time.Now)
	if err != nil {
		return nil, err // not a nil *Sink in a non-nil stream.Sink
	}
	return s, nil
}

func newSink(r *options.Resolved, schema stream.Schema, now func() time.Time) (*Sink, error) {
	base := options.LocalPath(r.String("path"))
	if base == "" {
		return nil, fmt.Errorf("table %s: option 'path' is empty", r.Table)
	}
	if r.Bool("auto-compaction") {
		return nil, fmt.Errorf("table %s: 'auto-compaction' is not supported by the filesystem sink", r.Table)
	}
	isPart := make(map[int]bool, len(schema.Partition))
	for _, p := range schema.Partition {
		isPart[p] = true
	}
	var fields []int
	for i := range schema.Columns {
		if !isPart[i] {
			fields = append(fields, i)
		}
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("table %s: every column is a partition column: the files would hold nothing", r.Table)
	}
	enc, err := rowenc.NewEncoder(r, schema.Columns, fields)
	if err != nil {
		return nil, err
	}
	size, err := options.ParseMemorySize(r.String("sink.rolling-policy.file-size"))
	if err != nil || size <= 0 {
		return nil, fmt.Errorf("table %s: 'sink.rolling-policy.file-size' = %q: want a positive memory size", r.Table, r.String("sink.rolling-policy.file-size"))
	}
	id, task := tableID(r.Table)
	s := &Sink{
		Row:        rowenc.NewRow(len(schema.Columns)),
		table:      r.Table,
		cols:       schema.Columns,
		base:       base,
		enc:        enc,
		parts:      schema.Partition,
		defName:    r.String("partition.default-name"),
		prefix:     fmt.Sprintf("part-%s-%d-", id, task),
		fileSize:   size,
		rollover:   r.Duration("sink.rolling-policy.rollover-interval"),
		checkEvery: r.Duration("sink.rolling-policy.check-interval"),
		inactivity: r.Duration("sink.rolling-policy.inactivity-interval"),
		watermark:  math.MinInt64,
		now:        now,
		buckets:    map[string]*bucket{},
		task:       task,
	}
	s.lastCheck = now()
	if len(s.parts) > 0 && r.String("sink.partition-commit.policy.kind") != "" {
		keys := make([]string, len(s.parts))
		for i, p := range s.parts {
			keys[i] = schema.Columns[p].Name
		}
		if s.committer, err = openCommitter(r, base, keys); err != nil {
			return nil, err
		}
		s.committer.join(task)
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, fmt.Errorf("table %s: %w", r.Table, err)
	}
	return s, nil
}

// End writes the row into its partition's in-progress file, opening one when the
// partition has none, and rolls the file once it is larger than
// sink.rolling-policy.file-size (Flink checks before the next row; the file is the same).
func (s *Sink) End() error {
	if err := s.Row.Complete(); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	if s.Row.Kind != stream.Insert {
		return fmt.Errorf("table %s: the 'filesystem' sink is append-only and got a %s row", s.table, s.Row.Kind)
	}
	b, err := s.bucketOf(s.Row.Values)
	if err != nil {
		return err
	}
	if b.f == nil {
		if err := s.open(b); err != nil {
			return err
		}
	}
	s.line = append(s.enc.Append(s.line[:0], s.Row.Values), '\n')
	if _, err := b.w.Write(s.line); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	b.size += int64(len(s.line))
	s.writtenRows++
	if b.size > s.fileSize {
		return s.roll(b)
	}
	return nil
}

// bucketOf finds the row's partition: the previous row's when the partition values
// are the same (no path is built then), else by its directory.
func (s *Sink) bucketOf(vals []rowenc.Value) (*bucket, error) {
	if s.last != nil {
		same := true
		for i, p := range s.parts {
			v := &vals[p]
			if v.Kind != rowenc.String || v.S != s.lastVals[i] {
				same = false
				break
			}
		}
		if same {
			return s.last, nil
		}
	}
	var dir strings.Builder
	keep := true
	s.lastVals = s.lastVals[:0]
	for i, p := range s.parts {
		text, isString := s.partitionValue(p, &vals[p])
		keep = keep && isString
		// A row's strings may be views of its batch: kept for the next rows, cloned.
		s.lastVals = append(s.lastVals, strings.Clone(text))
		if i > 0 {
			dir.WriteByte('/')
		}
		dir.WriteString(escapePathName(s.cols[p].Name))
		dir.WriteByte('=')
		dir.WriteString(escapePathName(text))
	}
	b := s.buckets[dir.String()]
	if b == nil {
		b = &bucket{dir: dir.String()}
		s.buckets[b.dir] = b
		if s.committer != nil {
			if err := s.committer.see(b.dir, s.lastVals, s.now()); err != nil {
				return nil, fmt.Errorf("table %s: %w", s.table, err)
			}
		}
	}
	s.last = b
	if !keep {
		s.last = nil // only string values are compared
	}
	return b, nil
}

// partitionValue is the text of a partition value as Flink's RowDataPartitionComputer
// makes it (the Java value's toString; partition.default-name for NULL and for text
// that is empty or white space only), and whether the value is a string.
func (s *Sink) partitionValue(col int, v *rowenc.Value) (string, bool) {
	var text string
	switch v.Kind {
	case rowenc.Null:
	case rowenc.String:
		text = v.S
	case rowenc.Bool:
		text = strconv.FormatBool(v.I != 0)
	case rowenc.Int:
		switch s.cols[col].Kind {
		case stream.Date:
			text = string(print.AppendJavaLocalDate(nil, v.I))
		case stream.Time:
			text = string(print.AppendJavaLocalTime(nil, v.I*1e6))
		default:
			text = strconv.FormatInt(v.I, 10)
		}
	case rowenc.Float:
		text = strconv.FormatFloat(v.F, 'g', -1, 64)
	case rowenc.Decimal:
		text = string(print.AppendJavaDecimal(nil, v.D, v.Scale))
	case rowenc.Timestamp:
		text = string(print.AppendJavaLocalDateTime(nil, v.T))
	case rowenc.Bytes:
		text = string(print.AppendJavaBytes(nil, v.B))
	}
	if strings.TrimSpace(text) == "" {
		text = s.defName
	}
	return text, v.Kind == rowenc.String
}

// escapePathName escapes a partition name or value as Flink's
// PartitionPathUtils.escapePathName does (Hive's rule): control characters and
// " # % ' * / : = ? \ DEL { [ ] ^ become %XX.
func escapePathName(p string) string {
	i := strings.IndexFunc(p, needsEscaping)
	if i < 0 {
		return p
	}
	var b strings.Builder
	b.WriteString(p[:i])
	for _, c := range p[i:] {
		if needsEscaping(c) {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func needsEscaping(c rune) bool {
	if c < ' ' || c == 0x7f {
		return true
	}
	return strings.ContainsRune("\"#%'*/:=?\\{[]^", c)
}

// open starts the bucket's next in-progress file: the hidden
// .part-<uuid>-<task>-<n>.inprogress.<uuid> beside its final name, as Flink's local
// RecoverableWriter names it.
func (s *Sink) open(b *bucket) error {
	dir := filepath.Join(s.base, filepath.FromSlash(b.dir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	name := s.prefix + strconv.Itoa(b.counter)
	b.counter++
	b.final = filepath.Join(dir, name)
	b.tmp = filepath.Join(dir, "."+name+".inprogress."+newUUID())
	f, err := os.OpenFile(b.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	b.f, b.size, b.synced = f, 0, 0
	if b.w == nil {
		b.w = bufio.NewWriterSize(f, 64<<10)
	} else {
		b.w.Reset(f)
	}
	b.created = s.now()
	b.updated = b.created
	if s.committer != nil {
		s.committer.touch(b.dir)
	}
	return nil
}

// roll closes the bucket's in-progress file: it is pending, and committed (renamed to
// its final name) at the next barrier.
func (s *Sink) roll(b *bucket) error {
	if b.f == nil {
		return nil
	}
	err := b.w.Flush()
	if err == nil {
		err = b.f.Sync()
	}
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	b.f = nil
	if err != nil {
		return fmt.Errorf("table %s: %w", s.table, err)
	}
	s.pending = append(s.pending, b.tmp, b.final)
	return nil
}

// Watermark takes the task's watermark (generated code calls it in OnWatermark): the
// partition-time commit trigger compares partitions' times with it, and the end of a
// bounded input (the watermark +infinity) finishes every file at the next barrier.
func (s *Sink) Watermark(t int64) { s.watermark = t }

// Flush is the barrier: files open longer than the rollover interval, inactive for
// the inactivity interval (checked every check-interval), of partitions ready to
// commit, or of an ended input are rolled; every rolled file gets its final name; and
// the partitions ready by the commit trigger get their success files.
func (s *Sink) Flush() error {
	now := s.now()
	ended := s.watermark == math.MaxInt64
	check := now.Sub(s.lastCheck) >= s.checkEvery
	if check {
		s.lastCheck = now
	}
	for _, b := range s.sortedBuckets() {
		if b.f == nil {
			continue
		}
		roll := ended ||
			check && (now.Sub(b.created) >= s.rollover || s.inactivity > 0 && now.Sub(b.updated) >= s.inactivity) ||
			s.committer != nil && s.committer.ready(b.dir, s.watermark, now)
		if roll {
			if err := s.roll(b); err != nil {
				return err
			}
			continue
		}
		if err := b.w.Flush(); err != nil {
			return fmt.Errorf("table %s: %w", s.table, err)
		}
		if b.size != b.synced {
			b.updated = now
		}
		b.synced = b.size
	}
	if err := s.commitPending(); err != nil {
		return err
	}
	if s.committer != nil {
		wm := s.watermark
		if ended {
			wm = math.MaxInt64
		}
		return s.committer.report(s.task, wm, now, ended)
	}
	return nil
}

// commitPending renames the pending files to their final names.
func (s *Sink) commitPending() error {
	for i := 0; i < len(s.pending); i += 2 {
		if err := os.Rename(s.pending[i], s.pending[i+1]); err != nil {
			return fmt.Errorf("table %s: %w", s.table, err)
		}
	}
	s.pending = s.pending[:0]
	return nil
}

func (s *Sink) sortedBuckets() []*bucket {
	bs := make([]*bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		bs = append(bs, b)
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].dir < bs[j].dir })
	return bs
}

// Close ends the task's writing. A file still in progress keeps what the last barrier
// flushed (rows written after it are cut off, as Flink's recovery truncates an
// in-progress file to its checkpointed length: a restart writes them again) and is
// committed when it holds any; pending files are committed.
func (s *Sink) Close() error {
	var first error
	for _, b := range s.sortedBuckets() {
		if b.f == nil {
			continue
		}
		err := b.f.Truncate(b.synced)
		if err == nil {
			err = b.f.Sync()
		}
		if cerr := b.f.Close(); err == nil {
			err = cerr
		}
		b.f = nil
		switch {
		case err != nil:
		case b.synced == 0:
			err = os.Remove(b.tmp)
		default:
			s.pending = append(s.pending, b.tmp, b.final)
		}
		if err != nil && first == nil {
			first = fmt.Errorf("table %s: %w", s.table, err)
		}
	}
	if err := s.commitPending(); err != nil && first == nil {
		first = err
	}
	if s.committer != nil {
		s.committer.leave(s.task)
	}
	return first
}

var _ stream.WatermarkSink = (*Sink)(nil)
