package stream

import (
	"fmt"
	"testing"
)

// Prepare splits Raw into Records: "\n" and "\r\n" end lines, an empty line is skipped
// (Lines then numbers every record), a last line may lack its newline.
func TestPrepare(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		rawLines int // as a file source counts them; 0: not counted
		records  string
		lines    string // Lines, when set
	}{
		{"a\nbb\nc\n", 3, "[a bb c]", "[]"},
		{"a\nbb\nc\n", 0, "[a bb c]", "[]"},
		{"a\r\nb\r\n", 2, "[a b]", "[]"},
		{"a\n\nc", 2, "[a c]", "[10 12]"},
		{"\n\nx\n", 3, "[x]", "[12]"},
		{"last", 0, "[last]", "[]"},
	} {
		b := &Batch{Raw: []byte(tc.raw), RawLines: tc.rawLines, FirstLine: 10}
		b.Prepare()
		if got := fmt.Sprintf("%s", b.Records); got != tc.records {
			t.Errorf("Prepare(%q) records = %s, want %s", tc.raw, got, tc.records)
		}
		if got := fmt.Sprint(b.Lines); got != tc.lines {
			t.Errorf("Prepare(%q) lines = %s, want %s", tc.raw, got, tc.lines)
		}
		if b.Raw != nil || b.RawLines != 0 {
			t.Errorf("Prepare(%q) left Raw %q, RawLines %d", tc.raw, b.Raw, b.RawLines)
		}
	}
}

// With RawLines counted, a batch's Records are made once, at their size, and a reused
// batch allocates nothing.
func TestPrepareSizesRecords(t *testing.T) {
	raw := []byte("a,1\nb,2\nc,3\nd,4\ne,5\n")
	b := &Batch{}
	allocs := testing.AllocsPerRun(10, func() {
		b.Raw, b.RawLines, b.FirstLine = raw, 5, 1
		b.Prepare()
	})
	if len(b.Records) != 5 || cap(b.Records) != 6 {
		t.Fatalf("Records: len %d cap %d, want 5 and 6 (a last line without newline fits too)", len(b.Records), cap(b.Records))
	}
	if allocs != 0 {
		t.Fatalf("a reused batch allocates %v times per Prepare", allocs)
	}
}
