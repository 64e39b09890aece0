package main

import (
	"os"
	"runtime"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/codegen/internal/snapfuzz/udf"
	"github.com/sqlc-stream/sqlc-stream/compiler"
	aggfunc "github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// TestGeneratedCodeIsCurrent fails when main.go is not what the compiler makes of
// job.sql today: run `go generate ./codegen/internal/snapfuzz` and commit the result.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	res, err := compiler.CompileFile("job.sql", compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || string(res.Files[0].Content) != string(got) {
		t.Errorf("main.go is stale: run go generate ./codegen/internal/snapfuzz")
	}
}

// keyGroups is the job's pipeline.max-parallelism here.
const keyGroups = 128

// operators builds the job's keyed operators as run does with one task per stage,
// chained: stage1 (the aggregate over events) applies its changes to stage2's groups
// by direct calls. stage2 writes to a sink that drops the rows.
func operators() (*stage1, *stage2) {
	g := exec.New(exec.Config{MaxParallelism: keyGroups})
	s1, s2 := g.Stage("lower", 1), g.Stage("upper", 1)
	p2 := &stage2{task: s2.Task(0), udf1_names: new(udf.Names), sink1: dropSink{}, meter1: new(job.SinkMeter)}
	p2.agg1 = newAgg1Table(keyGroups, 0, nil)
	p1 := &stage1{task: s1.Task(0), udf1_percentile: new(aggfunc.Percentile), down1: p2}
	p1.agg0 = newAgg0Table(keyGroups, 0, nil)
	return p1, p2
}

// row is an events row as a source task forwards it to the lower aggregate's owner.
func row(k string, n int64, d float64, cents int64, s string) agg0In {
	return agg0In{k2: k, n2: n, d: d, m: types.Decimal{Lo: uint64(cents)}, s2: s, s2Null: s == "", _f5: 0.5}
}

// batches are what arrives between barriers: keys whose row counts grow, so groups of
// the upper aggregate (keyed by a count) are retracted and emptied.
var batches = [][]agg0In{
	{row("a", 1, 0.5, 150, "x"), row("b", 2, -1.25, 99, "y"), row("c", 7, 3, 1, "")},
	{row("a", 4, 2.5, -20, "z"), row("b", -3, 0, 5, "x")},
	{row("c", 10, 1e9, 123456, "w"), row("d", 0, -0.0, 0, "x"), row("a", 8, 7, 7, "x")},
	{row("d", 5, 2, 3, "q"), row("b", 1, 1, 1, "y"), row("c", -1, -1, -1, "")},
}

// feed runs the batches through the operators, each followed by a barrier (stage1 emits
// its changes into stage2, then stage2 emits), and returns the snapshots of both
// operators after each barrier: what a checkpoint there would save.
func feed(t testing.TB, p1 *stage1, p2 *stage2) (lower, upper [][]byte) {
	for i, b := range batches {
		if err := p1.rows0(append([]agg0In(nil), b...)); err != nil {
			t.Fatal(err)
		}
		if err := p1.OnBarrier(int64(i + 1)); err != nil {
			t.Fatal(err)
		}
		if err := p2.OnBarrier(int64(i + 1)); err != nil {
			t.Fatal(err)
		}
		for _, sn := range []struct {
			op  exec.Snapshotter
			out *[][]byte
		}{{p1, &lower}, {p2, &upper}} {
			var w codec.Writer
			if err := sn.op.Snapshot(&w); err != nil {
				t.Fatal(err)
			}
			*sn.out = append(*sn.out, w.Buf)
		}
	}
	return lower, upper
}

// A group of the upper aggregate whose every row was retracted is deleted, as Flink
// deletes its state: after the last batch, the count 1 holds no key any more (a, b and c
// have 3 rows, d has 2), so only the groups of 3 and 2 are left.
func TestGroupDeletion(t *testing.T) {
	p1, p2 := operators()
	feed(t, p1, p2)
	if got := p1.agg0.Len(); got != 4 {
		t.Errorf("lower aggregate: %d groups, want 4", got)
	}
	var counts []int64
	for _, st := range p2.agg1.All() {
		counts = append(counts, st.key.c)
	}
	if len(counts) != 2 {
		t.Errorf("upper aggregate: groups of counts %v, want those of 3 and 2", counts)
	}
}

// Every snapshot restores into fresh operators, whose snapshots are as long again (the
// bytes may differ: accumulators holding maps write them in map order).
func TestSnapshotsRestore(t *testing.T) {
	p1, p2 := operators()
	lower, upper := feed(t, p1, p2)
	for i := range lower {
		q1, q2 := operators()
		for _, c := range []struct {
			op   exec.Snapshotter
			blob []byte
		}{{q1, lower[i]}, {q2, upper[i]}} {
			if err := c.op.Restore(codec.NewReader(c.blob)); err != nil {
				t.Fatalf("snapshot %d: %v", i, err)
			}
			var w codec.Writer
			if err := c.op.Snapshot(&w); err != nil {
				t.Fatal(err)
			}
			if len(w.Buf) != len(c.blob) {
				t.Errorf("snapshot %d: %d bytes after a restore of %d", i, len(w.Buf), len(c.blob))
			}
		}
	}
}

// FuzzRestore restores mutations of real snapshots of both operators: a restore may
// fail with an error, but must not panic or allocate out of proportion to its input;
// what restores must snapshot again.
//
//	go test -run '^$' -fuzz FuzzRestore -fuzztime 30s ./codegen/internal/snapfuzz
func FuzzRestore(f *testing.F) {
	p1, p2 := operators()
	lower, upper := feed(f, p1, p2)
	for _, b := range lower {
		f.Add(false, b)
	}
	for _, b := range upper {
		f.Add(true, b)
	}
	f.Fuzz(func(t *testing.T, isUpper bool, data []byte) {
		q1, q2 := operators()
		var op exec.Snapshotter = q1
		if isUpper {
			op = q2
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := op.Restore(codec.NewReader(data))
		runtime.ReadMemStats(&after)
		// A table's first page of states and its index take a few MiB at most; past
		// that, what a restore allocates must come from what it read.
		if grown, limit := after.TotalAlloc-before.TotalAlloc, uint64(8<<20+256*len(data)); grown > limit {
			t.Fatalf("a restore of %d bytes allocated %d bytes (limit %d); error: %v", len(data), grown, limit, err)
		}
		if err != nil {
			return
		}
		var w codec.Writer
		if err := op.Snapshot(&w); err != nil {
			t.Fatalf("snapshot after a restore: %v", err)
		}
	})
}

// dropSink is a stream.Sink that drops every row.
type dropSink struct{}

func (dropSink) Begin(stream.RowKind)       {}
func (dropSink) Null()                      {}
func (dropSink) Bool(bool)                  {}
func (dropSink) Int64(int64)                {}
func (dropSink) Float64(float64)            {}
func (dropSink) String(string)              {}
func (dropSink) Bytes([]byte)               {}
func (dropSink) Decimal(types.Decimal, int) {}
func (dropSink) Timestamp(types.Timestamp)  {}
func (dropSink) Date(int32)                 {}
func (dropSink) Time(int32)                 {}
func (dropSink) End() error                 { return nil }
func (dropSink) Flush() error               { return nil }
func (dropSink) Close() error               { return nil }
