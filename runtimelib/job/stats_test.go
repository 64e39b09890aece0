package job

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

func TestStatsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.json")
	old := statsPath
	statsPath = path
	statsRecords.Store(0)
	statsBatches.Store(0)
	t.Cleanup(func() { statsPath = old; statsContext.Store(nil) })

	c := &Context{counts: map[string]*Counter{}}
	noteContext(c)
	c.Counter("t.records_skipped").Add(3)
	hook := statsHook()
	hook(&stream.Batch{Records: [][]byte{[]byte("a"), []byte("b")}})
	hook(&stream.Batch{Count: 5}) // datagen: no raw records
	writeStats(1)

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s Stats
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Records != 7 || s.Batches != 2 || s.ExitCode != 1 || s.Mallocs == 0 || s.GOMAXPROCS < 1 {
		t.Errorf("stats %+v", s)
	}
	if s.Counters["t.records_skipped"] != 3 {
		t.Errorf("counters %v, want t.records_skipped=3", s.Counters)
	}
}

func TestStatsOff(t *testing.T) {
	old := statsPath
	statsPath = ""
	t.Cleanup(func() { statsPath = old })
	// Off, there is no hook: the runtime counts nothing.
	if statsHook() != nil {
		t.Error("a batch hook with statistics off")
	}
	writeStats(0) // writes nothing, no panic
}
