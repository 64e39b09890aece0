package filesystem

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// clock is a settable processing-time clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var sinkSchema = stream.Schema{
	Columns: []stream.Column{
		{Name: "id", Type: "BIGINT", Kind: stream.BigInt, Nullable: true},
		{Name: "msg", Type: "STRING", Kind: stream.Varchar, Nullable: true},
		{Name: "dt", Type: "STRING", Kind: stream.Varchar, Nullable: true},
		{Name: "hm", Type: "STRING", Kind: stream.Varchar, Nullable: true},
	},
	Partition: []int{2, 3},
}

// openSink resolves the options of a filesystem sink table (named uniquely, so that
// its committer is its own) and opens a task's sink.
func openSink(t *testing.T, c *clock, kv ...string) (*Sink, string) {
	t.Helper()
	dir := t.TempDir()
	opts := []options.KV{{Key: "connector", Value: "filesystem"}, {Key: "path", Value: "file://" + dir}, {Key: "format", Value: "csv"}}
	for i := 0; i < len(kv); i += 2 {
		opts = append(opts, options.KV{Key: kv[i], Value: kv[i+1]})
	}
	r, probs := options.Resolve(t.Name(), opts)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	s, err := newSink(r, sinkSchema, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func writeRow(t *testing.T, s *Sink, id int64, msg string, dt, hm *string) {
	t.Helper()
	s.Begin(stream.Insert)
	s.Int64(id)
	s.String(msg)
	for _, p := range []*string{dt, hm} {
		if p == nil {
			s.Null()
		} else {
			s.String(*p)
		}
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

func str(s string) *string { return &s }

// tree lists the files under dir (relative, with / separators), with the content of
// the data files; in-progress files are listed as ".inprogress" with their partition.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		base := filepath.Base(rel)
		switch {
		case strings.Contains(base, ".inprogress."):
			out = append(out, filepath.Dir(rel)+"/.inprogress")
		case strings.HasPrefix(base, "part-"):
			b, _ := os.ReadFile(path)
			// part-<uuid>-<task>-<n>: keep the task and the number
			f := strings.Split(base, "-")
			out = append(out, filepath.Dir(rel)+"/part-"+f[len(f)-2]+"-"+f[len(f)-1]+": "+strings.ReplaceAll(string(b), "\n", "|"))
		default:
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func expectTree(t *testing.T, dir string, want ...string) {
	t.Helper()
	got := tree(t, dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Partition directories are escaped as Flink escapes them; NULL and blank values go to
// partition.default-name; partition columns are not in the files; files are in progress
// (hidden) until a barrier after they rolled, and the end of input rolls them all.
func TestSinkPartitions(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, dir := openSink(t, c, "partition.default-name", "none")
	writeRow(t, s, 1, "a", str("2024-01-01"), str("10:00"))
	writeRow(t, s, 2, "b,c", str("2024-01-01"), str("10:00"))
	writeRow(t, s, 3, "d", nil, str(" "))
	writeRow(t, s, 4, "e", str("x/y=z"), str("10:01"))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir,
		"dt=2024-01-01/hm=10%3A00/.inprogress",
		"dt=none/hm=none/.inprogress",
		"dt=x%2Fy%3Dz/hm=10%3A01/.inprogress")
	s.Watermark(math.MaxInt64)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir,
		`dt=2024-01-01/hm=10%3A00/part-0-0: 1,a|2,"b,c"|`,
		"dt=none/hm=none/part-0-0: 3,d|",
		"dt=x%2Fy%3Dz/hm=10%3A01/part-0-0: 4,e|")
}

// A file rolls once larger than sink.rolling-policy.file-size, and when open for the
// rollover interval at a barrier at least check-interval after the last check; rolled
// files are committed at the barrier.
func TestSinkRolling(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, dir := openSink(t, c, "sink.rolling-policy.file-size", "8b",
		"sink.rolling-policy.rollover-interval", "1 min", "sink.rolling-policy.check-interval", "30 s")
	d, h := str("d"), str("h")
	writeRow(t, s, 1, "abc", d, h) // 6 bytes
	writeRow(t, s, 2, "abc", d, h) // 12 > 8: rolls
	writeRow(t, s, 3, "x", d, h)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/.inprogress", "dt=d/hm=h/part-0-0: 1,abc|2,abc|")
	c.t = c.t.Add(59 * time.Second)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/.inprogress", "dt=d/hm=h/part-0-0: 1,abc|2,abc|")
	c.t = c.t.Add(29 * time.Second) // open 88 s, but the last check was 29 s ago
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/.inprogress", "dt=d/hm=h/part-0-0: 1,abc|2,abc|")
	c.t = c.t.Add(time.Second)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/part-0-0: 1,abc|2,abc|", "dt=d/hm=h/part-0-1: 3,x|")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// partition-time: a partition commits (its success file is written) when the
// watermark passes the time the pattern extracts plus the delay; its in-progress file
// is rolled first. Every task of the table must agree.
func TestSinkPartitionTimeCommit(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, dir := openSink(t, c, "sink.partition-commit.trigger", "partition-time",
		"sink.partition-commit.delay", "1 min", "sink.partition-commit.policy.kind", "success-file",
		"partition.time-extractor.timestamp-pattern", "$dt $hm:00")
	r, _ := options.Resolve(t.Name(), []options.KV{{Key: "connector", Value: "filesystem"}, {Key: "path", Value: dir}, {Key: "format", Value: "csv"},
		{Key: "sink.partition-commit.trigger", Value: "partition-time"}, {Key: "sink.partition-commit.delay", Value: "1 min"},
		{Key: "sink.partition-commit.policy.kind", Value: "success-file"}, {Key: "partition.time-extractor.timestamp-pattern", Value: "$dt $hm:00"}})
	s2, err := newSink(r, sinkSchema, c.now) // a second task of the table
	if err != nil {
		t.Fatal(err)
	}
	writeRow(t, s, 1, "a", str("2024-01-01"), str("10:00"))
	writeRow(t, s, 2, "b", str("2024-01-01"), str("10:01"))
	ms := func(hm string) int64 {
		ts, _ := time.Parse("2006-01-02 15:04", "2024-01-01 "+hm)
		return ts.UnixMilli()
	}
	s.Watermark(ms("10:00") + 59_999) // not past 10:00 + 1 min
	s2.Watermark(ms("10:05"))
	for _, x := range []*Sink{s, s2} {
		if err := x.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	expectTree(t, dir, "dt=2024-01-01/hm=10%3A00/.inprogress", "dt=2024-01-01/hm=10%3A01/.inprogress")
	s.Watermark(ms("10:01"))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir,
		"dt=2024-01-01/hm=10%3A00/_SUCCESS", "dt=2024-01-01/hm=10%3A00/part-0-0: 1,a|",
		"dt=2024-01-01/hm=10%3A01/.inprogress")
	// The other task's watermark is behind: no commit until it reports past it.
	s.Watermark(ms("10:02"))
	s2.Watermark(ms("10:01") + 30_000)
	for _, x := range []*Sink{s2, s} {
		if err := x.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	expectTree(t, dir,
		"dt=2024-01-01/hm=10%3A00/_SUCCESS", "dt=2024-01-01/hm=10%3A00/part-0-0: 1,a|",
		"dt=2024-01-01/hm=10%3A01/part-0-0: 2,b|")
	s2.Watermark(math.MaxInt64)
	if err := s2.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir,
		"dt=2024-01-01/hm=10%3A00/_SUCCESS", "dt=2024-01-01/hm=10%3A00/part-0-0: 1,a|",
		"dt=2024-01-01/hm=10%3A01/_SUCCESS", "dt=2024-01-01/hm=10%3A01/part-0-0: 2,b|")
	s.Close()
	s2.Close()
}

// process-time: a partition commits a delay after it was first written.
func TestSinkProcessTimeCommit(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, dir := openSink(t, c, "sink.partition-commit.delay", "1 h", "sink.partition-commit.policy.kind", "metastore,success-file",
		"sink.rolling-policy.rollover-interval", "2 h",
		"sink.partition-commit.success-file.name", "_DONE")
	writeRow(t, s, 1, "a", str("d"), str("h"))
	c.t = c.t.Add(59 * time.Minute)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/.inprogress")
	c.t = c.t.Add(time.Minute)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=d/hm=h/_DONE", "dt=d/hm=h/part-0-0: 1,a|")
	s.Close()
}

// Close after a failure keeps what the last barrier flushed of a file in progress (a
// restart writes the rest again) and drops a file with nothing flushed.
func TestSinkCloseTruncates(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, dir := openSink(t, c)
	writeRow(t, s, 1, "kept", str("a"), str("b"))
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	writeRow(t, s, 2, "cut", str("a"), str("b"))
	writeRow(t, s, 3, "cut", str("c"), str("d"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	expectTree(t, dir, "dt=a/hm=b/part-0-0: 1,kept|")
}

func TestSinkErrors(t *testing.T) {
	c := &clock{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, _ := openSink(t, c, "sink.partition-commit.trigger", "partition-time", "sink.partition-commit.policy.kind", "success-file")
	s.Begin(stream.Insert)
	s.Int64(1)
	s.String("x")
	s.String("not a time")
	s.String("h")
	if err := s.End(); err == nil || !strings.Contains(err.Error(), `partition time "not a time"`) {
		t.Fatalf("got %v, want the partition time's error", err)
	}
	s.Begin(stream.UpdateAfter)
	s.Int64(1)
	s.String("x")
	s.String("2024-01-01")
	s.String("h")
	if err := s.End(); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("got %v, want the append-only error", err)
	}
	r, _ := options.Resolve("t", []options.KV{{Key: "connector", Value: "filesystem"}, {Key: "path", Value: t.TempDir()}, {Key: "format", Value: "csv"}})
	_, err := newSink(r, stream.Schema{Columns: sinkSchema.Columns[2:], Partition: []int{0, 1}}, c.now)
	if err == nil || !strings.Contains(err.Error(), "every column is a partition column") {
		t.Fatalf("got %v", err)
	}
}
