package job

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"unicode/utf8"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Dead letters (docs/connectors.md "Dead letters"): a filesystem or Kafka source with
// 'dead-letter.path' or 'dead-letter.topic' keeps the records that ignore-parse-errors
// skipped, and unless 'dead-letter.include-nulled' is false those it read with fields set
// to NULL, each with where it came from and why. The destination is written as a sink
// is: buffered, and made durable at every barrier (the source tasks flush it before they
// acknowledge one), so a record whose position a checkpoint passed is in it. A restart
// from a checkpoint reads the records after it again, so the dead letters are
// at-least-once, like a Kafka sink's rows.

// DeadLetterTopicOpener opens a dead-letter topic from a source's resolved options;
// generated code that links a Kafka client passes kafka.Newstream.DeadLetterWriter to
// Context.DeadLetter.
type DeadLetterTopicOpener func(r *options.Resolved) (stream.DeadLetterWriter, error)

// DeadLetter is a source table's dead-letter destination as generated code uses it: one
// per table, shared by the table's source tasks (safe for concurrent use). A nil
// *DeadLetter, the table having none, does nothing.
type DeadLetter struct {
	mu     sync.Mutex
	w      stream.DeadLetterWriter
	table  string
	nulled bool     // dead-letter.include-nulled
	count  *Counter // <table>.dead_letters
	err    error    // the first failed write or flush; the job fails with it
}

// Skip is what generated decoders do with a record that cannot be read: under
// ignore-parse-errors (ignore) it is counted in skipped, written to the dead letter (if
// any) and nil is returned, for the loop to go on with the next record; else the job's
// error naming the record (RecordError). An error of the dead letter is returned too.
func Skip(ignore bool, skipped *Counter, dead *DeadLetter, where, sqlPos string, rec []byte, format string, args ...any) error {
	if !ignore {
		return RecordError(where, sqlPos, rec, format, args...)
	}
	skipped.Add(1)
	return dead.Skipped(where, sqlPos, rec, format, args...)
}

// Skipped writes a record that produced no row; sqlPos, format and args say why, as
// they would in the job's error without ignore-parse-errors (RecordError).
func (d *DeadLetter) Skipped(where, sqlPos string, rec []byte, format string, args ...any) error {
	if d == nil {
		return nil
	}
	msg := fmt.Sprintf(format, args...)
	if sqlPos != "" {
		msg = sqlPos + ": " + msg
	}
	return d.write(&stream.DeadLetterRecord{Table: d.table, Position: where, Outcome: "skipped", Error: msg, Record: rec})
}

// Nulled writes a record that was read with fields set to NULL, when the table keeps
// those (dead-letter.include-nulled, the default); why names the first such field.
func (d *DeadLetter) Nulled(where string, rec []byte, why string) error {
	if d == nil || !d.nulled {
		return nil
	}
	return d.write(&stream.DeadLetterRecord{Table: d.table, Position: where, Outcome: "nulled", Error: why, Record: rec})
}

func (d *DeadLetter) write(r *stream.DeadLetterRecord) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return d.err
	}
	if err := d.w.Write(r); err != nil {
		d.err = fmt.Errorf("table %s: dead letter: %w", d.table, err)
		return d.err
	}
	d.count.Add(1)
	return nil
}

// Flush makes the records written so far durable; a source task calls it at every
// barrier, before it acknowledges the barrier.
func (d *DeadLetter) Flush() error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return d.err
	}
	if err := d.w.Flush(); err != nil {
		d.err = fmt.Errorf("table %s: dead letter: %w", d.table, err)
	}
	return d.err
}

// close flushes and closes the destination (the job does, once its graph is done).
func (d *DeadLetter) close() error {
	err := d.Flush()
	if cerr := d.w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("table %s: dead letter: %w", d.table, cerr)
	}
	return err
}

// DeadLetter returns the dead-letter destination of source table t, opened on the first
// call (every source task of t gets the same one), or nil when the table has none.
// topics opens a 'dead-letter.topic' (nil: the job links no Kafka client, and a topic
// set with -D is an error).
func (c *Context) DeadLetter(table string, topics DeadLetterTopicOpener) (*DeadLetter, error) {
	r := c.Options(table)
	key := options.DeadLetterKey(r)
	if key == "" {
		return nil, nil
	}
	c.mu.Lock()
	if d, ok := c.deadLetters[table]; ok {
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	var w stream.DeadLetterWriter
	var err error
	switch {
	case key == "dead-letter.path":
		w, err = newDeadLetterFile(r.String("dead-letter.path"))
	case topics == nil:
		err = errors.New("this job was compiled without a Kafka client: write 'dead-letter.topic' in the job's SQL, not only with -D")
	default:
		w, err = topics(r)
	}
	if err != nil {
		return nil, fmt.Errorf("table %s: '%s': %w", table, key, err)
	}
	d := &DeadLetter{w: w, table: table, nulled: r.Bool("dead-letter.include-nulled"), count: c.Counter(table + ".dead_letters")}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.deadLetters[table]; ok { // another task opened it meanwhile
		w.Close()
		return prev, nil
	}
	if c.deadLetters == nil {
		c.deadLetters = map[string]*DeadLetter{}
	}
	c.deadLetters[table] = d
	return d, nil
}

// closeDeadLetters closes every dead-letter destination, once the graph is done.
func (c *Context) closeDeadLetters() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for _, d := range c.deadLetters {
		if err := d.close(); err != nil && first == nil {
			first = err
		}
	}
	c.deadLetters = nil
	return first
}

// deadLetterFile appends dead letters to a file, one JSON object per line:
//
//	{"table":"t","position":"in.csv:38","outcome":"skipped","error":"...","record":"37,name37"}
//
// A record that is not valid UTF-8 is kept exactly as "record_base64" instead.
type deadLetterFile struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
}

func newDeadLetterFile(path string) (*deadLetterFile, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &deadLetterFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// deadLetterLine is the JSON of one line of a dead-letter file.
type deadLetterLine struct {
	Table        string `json:"table"`
	Position     string `json:"position"`
	Outcome      string `json:"outcome"`
	Error        string `json:"error"`
	Record       string `json:"record,omitempty"`
	RecordBase64 []byte `json:"record_base64,omitempty"`
}

func (d *deadLetterFile) Write(r *stream.DeadLetterRecord) error {
	l := deadLetterLine{Table: r.Table, Position: r.Position, Outcome: r.Outcome, Error: r.Error}
	if utf8.Valid(r.Record) {
		l.Record = string(r.Record)
	} else {
		l.RecordBase64 = r.Record
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if _, err := d.w.Write(b); err != nil {
		return err
	}
	return d.w.WriteByte('\n')
}

func (d *deadLetterFile) Flush() error {
	if d.w.Buffered() == 0 {
		return nil
	}
	if err := d.w.Flush(); err != nil {
		return err
	}
	return d.f.Sync()
}

func (d *deadLetterFile) Close() error {
	err := d.Flush()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	return err
}
