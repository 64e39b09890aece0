package checkpoint

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func sample(id int64) *Manifest {
	return &Manifest{
		Job: "cdn", ID: id, Time: 1700000000123, Savepoint: id%2 == 0, Final: true, Plan: "d5fc9f04635ef6f2", MaxParallelism: 128,
		Stages: []Stage{{Name: "Scan(t) -> Aggregate", Tasks: 2}, {Name: "Aggregate -> Sink(o)", Tasks: 2}},
		Operators: []Operator{{
			UID: "agg-1", Stage: "Aggregate -> Sink(o)", Tasks: 2, Desc: "Aggregate(groupBy=[k], aggs=[COUNT(*)])", Input: "t", Pos: "job.sql:3:1",
			Layout: "abc", Fields: []string{"key k STRING", "acc COUNT(*): agg.Count"}, Readers: []string{"reader o: emitted flag"},
		}},
		Sources: []Source{{Table: "t", Positions: []stream.Position{{Name: "a.csv", Offset: 10}, {Name: "topic", Partition: 3, Offset: 1 << 40}}}},
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := sample(7)
	m.Operators[0].Files = []File{{Name: "op0-task0", Size: 3, CRC: 0xdeadbeef}, {Name: "op0-task1", Size: 0, CRC: 0}}
	got, err := Decode(m.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
	}
}

// Every truncation and every flipped byte of a manifest is an error, never a panic or
// a wrong manifest.
func TestManifestCorrupt(t *testing.T) {
	b := sample(3).Encode()
	for i := range b {
		if _, err := Decode(b[:i]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", i)
		}
		bad := slices.Clone(b)
		bad[i] ^= 0x20
		if _, err := Decode(bad); err == nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
}

func blobsOf(n int, s string) [][][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, []byte(strings.Repeat(s, i+1)))
	}
	return [][][]byte{out}
}

func TestSaveLoadRetain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ck")
	st := &Store{Dir: dir, Retained: 2}
	if l, err := st.Latest(); l != nil || err != nil {
		t.Fatalf("empty directory: %v, %v", l, err)
	}
	for id := int64(1); id <= 4; id++ {
		path, err := st.Save(sample(id), blobsOf(2, string(rune('a'+id))))
		if err != nil {
			t.Fatal(err)
		}
		if path != filepath.Join(dir, "chk-"+string(rune('0'+id))) {
			t.Errorf("saved at %s", path)
		}
	}
	ids, _ := st.IDs()
	if !slices.Equal(ids, []int64{3, 4}) {
		t.Errorf("retained %v, want [3 4]", ids)
	}
	l, err := st.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if l.Manifest.ID != 4 || string(l.Blobs[0][1]) != "ee" || len(l.Manifest.Operators[0].Files) != 2 {
		t.Errorf("latest: %+v %q", l.Manifest, l.Blobs)
	}
	if _, err := st.Save(sample(4), blobsOf(2, "x")); err == nil {
		t.Error("a second chk-4 was written over the first")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("the directory holds %d entries, want the 2 checkpoints: %v", len(ents), ents)
	}
}

// A crash while a checkpoint is written leaves its temporary directory, which is not a
// checkpoint and which Clean removes; the previous checkpoint is the latest.
func TestCrashMidWrite(t *testing.T) {
	dir := t.TempDir()
	st := &Store{Dir: dir, Retained: 1}
	if _, err := st.Save(sample(1), blobsOf(1, "a")); err != nil {
		t.Fatal(err)
	}
	partial := filepath.Join(dir, ".chk-2-123.inprogress")
	os.Mkdir(partial, 0o755)
	os.WriteFile(filepath.Join(partial, "op0-task0"), []byte("half"), 0o644)
	if l, err := st.Latest(); err != nil || l.Manifest.ID != 1 {
		t.Fatalf("latest with a partial checkpoint: %v, %v", l, err)
	}
	if err := st.Clean(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(partial); !os.IsNotExist(err) {
		t.Errorf("Clean left %s", partial)
	}
	if _, err := os.Stat(filepath.Join(dir, "chk-1", MetadataFile)); err != nil {
		t.Errorf("Clean removed the checkpoint: %v", err)
	}
}

// A state file that differs from the manifest's size or checksum fails the load,
// naming the operator.
func TestDamagedStateFile(t *testing.T) {
	dir := t.TempDir()
	st := &Store{Dir: dir, Retained: 1}
	path, err := st.Save(sample(1), blobsOf(2, "abc"))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(path, "op0-task1")
	b, _ := os.ReadFile(f)
	b[2] ^= 1
	os.WriteFile(f, b, 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "COUNT(*)") {
		t.Errorf("a damaged state file: %v", err)
	}
	os.Remove(filepath.Join(path, MetadataFile))
	if _, err := Load(path); err == nil {
		t.Error("a checkpoint without its manifest loaded")
	}
}
