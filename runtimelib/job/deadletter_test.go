package job

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeadLetterFile writes skipped and nulled records, one not UTF-8, flushes, and
// reads the JSON lines back; include-nulled = false keeps only the skipped ones.
func TestDeadLetterFile(t *testing.T) {
	for _, nulled := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "sub", "dead.jsonl")
		w, err := newDeadLetterFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d := &DeadLetter{w: w, table: "t", nulled: nulled, count: &Counter{}}
		if err := d.Skipped("in.csv:3", "job.sql:1:1", []byte("a,b,c,d,e"), "table t has %d fields, the record has %d", 4, 5); err != nil {
			t.Fatal(err)
		}
		if err := d.Nulled("in.csv:7", []byte("x,\xff,1"), "cannot parse column n as BIGINT"); err != nil {
			t.Fatal(err)
		}
		if err := d.Flush(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		want := 2
		if !nulled {
			want = 1
		}
		if len(lines) != want || d.count.Load() != int64(want) {
			t.Fatalf("include-nulled=%v: %d lines, count %d, want %d:\n%s", nulled, len(lines), d.count.Load(), want, data)
		}
		var l deadLetterLine
		if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
			t.Fatal(err)
		}
		if l.Table != "t" || l.Position != "in.csv:3" || l.Outcome != "skipped" || l.Error != "job.sql:1:1: table t has 4 fields, the record has 5" || l.Record != "a,b,c,d,e" || l.RecordBase64 != nil {
			t.Errorf("line 1: %+v", l)
		}
		if nulled {
			var l2 deadLetterLine
			if err := json.Unmarshal([]byte(lines[1]), &l2); err != nil {
				t.Fatal(err)
			}
			if l2.Outcome != "nulled" || l2.Record != "" || string(l2.RecordBase64) != "x,\xff,1" {
				t.Errorf("line 2: %+v", l2)
			}
		}
		if err := d.close(); err != nil {
			t.Fatal(err)
		}
	}
	var none *DeadLetter // a table without a dead letter
	if none.Skipped("x", "", nil, "m") != nil || none.Nulled("x", nil, "m") != nil || none.Flush() != nil {
		t.Error("a nil DeadLetter did something")
	}
}

// TestExcerpt: a record in a message is quoted, and cut after 256 bytes with its length.
func TestExcerpt(t *testing.T) {
	if got := Excerpt([]byte("a,\x00b")); got != `"a,\x00b"` {
		t.Errorf("Excerpt = %s", got)
	}
	long := []byte(strings.Repeat("x", 1000))
	if got, want := Excerpt(long), `"`+strings.Repeat("x", 256)+`"... (1000 bytes)`; got != want {
		t.Errorf("Excerpt = %s", got)
	}
	err := RecordError("in.csv:3", "job.sql:1:1", []byte("garbage"), "table t has %d fields, the record has %d", 4, 1)
	if got, want := err.Error(), `in.csv:3: job.sql:1:1: table t has 4 fields, the record has 1: record "garbage"`; got != want {
		t.Errorf("RecordError = %s, want %s", got, want)
	}
}
