package filesystem

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// committer commits the partitions of one partitioned table for all its tasks in the
// process, as Flink's single PartitionCommitter does for the writers: a partition is
// committed (its success file written) once every task's view says it is ready — under
// the partition-time trigger, when each task's watermark passed the partition's time
// plus the delay; under process-time, when each task flushed at least the delay after
// the partition was first written — and every task has then rolled and committed its
// files of the partition (a task rolls them at the barrier where it finds the
// partition ready). A partition that gets more files later is committed again.
type committer struct {
	mu        sync.Mutex
	partTime  bool // trigger partition-time (else process-time)
	delay     time.Duration
	keys      []string // the partition columns, for the timestamp pattern
	pattern   string   // partition.time-extractor.timestamp-pattern ("" : the first value)
	formatter *types.DateTimeFormatter
	loc       *time.Location // sink.partition-commit.watermark-time-zone
	base      string
	success   string // the success file's name; "" without the success-file policy
	tasks     map[int]*taskView
	parts     map[string]*partition
}

type taskView struct {
	reported  bool
	watermark int64
	at        time.Time
	ended     bool
}

type partition struct {
	time      int64     // partition-time: epoch ms of the extracted time
	firstSeen time.Time // process-time
	dirty     bool      // files were written since the last commit
}

var committers = struct {
	sync.Mutex
	m map[string]*committer
}{m: map[string]*committer{}}

// openCommitter returns the committer of the table (one per table and path in the
// process), made from its options on first use.
func openCommitter(r *options.Resolved, base string, keys []string) (*committer, error) {
	committers.Lock()
	defer committers.Unlock()
	id := r.Table + "\x00" + base
	if c := committers.m[id]; c != nil {
		return c, nil
	}
	c := &committer{
		partTime: r.String("sink.partition-commit.trigger") == "partition-time",
		delay:    r.Duration("sink.partition-commit.delay"),
		keys:     keys,
		pattern:  r.String("partition.time-extractor.timestamp-pattern"),
		base:     base,
		tasks:    map[int]*taskView{},
		parts:    map[string]*partition{},
	}
	for _, kind := range strings.Split(r.String("sink.partition-commit.policy.kind"), ",") {
		switch kind = strings.TrimSpace(kind); kind {
		case "success-file":
			c.success = r.String("sink.partition-commit.success-file.name")
		case "metastore":
			// A filesystem table has no metastore: Flink's policy does nothing for it.
		default:
			return nil, fmt.Errorf("table %s: 'sink.partition-commit.policy.kind' %q is not supported (success-file, metastore)", r.Table, kind)
		}
	}
	if f := r.String("partition.time-extractor.timestamp-formatter"); f != "" {
		var err error
		if c.formatter, err = types.CompileDateTimeFormatter(f); err != nil {
			return nil, fmt.Errorf("table %s: 'partition.time-extractor.timestamp-formatter': %v", r.Table, err)
		}
	}
	loc, err := time.LoadLocation(r.String("sink.partition-commit.watermark-time-zone"))
	if err != nil {
		return nil, fmt.Errorf("table %s: 'sink.partition-commit.watermark-time-zone': %v", r.Table, err)
	}
	c.loc = loc
	committers.m[id] = c
	return c, nil
}

func (c *committer) join(task int) {
	c.mu.Lock()
	c.tasks[task] = &taskView{}
	c.mu.Unlock()
}

func (c *committer) leave(task int) {
	c.mu.Lock()
	delete(c.tasks, task)
	c.mu.Unlock()
}

// see registers a partition a task writes to (its directory and values), extracting
// its time under the partition-time trigger.
func (c *committer) see(dir string, vals []string, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.parts[dir]; p != nil {
		p.dirty = true
		return nil
	}
	p := &partition{firstSeen: now, dirty: true}
	if c.partTime {
		t, err := c.extract(vals)
		if err != nil {
			return err
		}
		p.time = t
	}
	c.parts[dir] = p
	return nil
}

// touch marks a partition as written again (a task opened a new file in it).
func (c *committer) touch(dir string) {
	c.mu.Lock()
	if p := c.parts[dir]; p != nil {
		p.dirty = true
	}
	c.mu.Unlock()
}

// extract is Flink's DefaultPartTimeExtractor: the pattern with each $key replaced by
// the partition's value (in PARTITIONED BY order), or the first value without a
// pattern, read with the formatter, or as yyyy-MM-dd[ HH:mm:ss] without one; the
// result is a time in the watermark time zone.
func (c *committer) extract(vals []string) (int64, error) {
	text := vals[0]
	if c.pattern != "" {
		text = c.pattern
		for i, k := range c.keys {
			text = strings.ReplaceAll(text, "$"+k, vals[i])
		}
	}
	var ts types.Timestamp
	ok := false
	if c.formatter != nil {
		ts, ok, _, _ = c.formatter.ParseTimestamp(text)
	} else {
		ts, ok = types.CastStringToTimestamp(text, 3)
	}
	if !ok {
		return 0, fmt.Errorf("partition time %q (partition.time-extractor.timestamp-pattern) is not a timestamp", text)
	}
	if c.loc == time.UTC {
		return ts.Millis, nil
	}
	u := time.UnixMilli(ts.Millis).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), c.loc).UnixMilli(), nil
}

// ready is the commit trigger of one task's view of a partition.
func (c *committer) ready(dir string, watermark int64, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.parts[dir]
	return p != nil && c.readyFor(p, &taskView{watermark: watermark, at: now})
}

func (c *committer) readyFor(p *partition, t *taskView) bool {
	if t.ended {
		return true
	}
	if c.partTime {
		return t.watermark >= p.time+c.delay.Milliseconds()
	}
	return !t.at.Before(p.firstSeen.Add(c.delay))
}

// report records a task's barrier (after it committed its files) and commits the
// partitions every task finds ready.
func (c *committer) report(task int, watermark int64, now time.Time, ended bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tasks[task]
	if t == nil {
		t = &taskView{}
		c.tasks[task] = t
	}
	*t = taskView{reported: true, watermark: watermark, at: now, ended: ended}
	for dir, p := range c.parts {
		if !p.dirty {
			continue
		}
		all := true
		for _, v := range c.tasks {
			if !v.reported || !c.readyFor(p, v) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if c.success != "" {
			name := filepath.Join(c.base, filepath.FromSlash(dir), c.success)
			if err := os.WriteFile(name, nil, 0o644); err != nil {
				return err
			}
		}
		p.dirty = false
	}
	return nil
}
