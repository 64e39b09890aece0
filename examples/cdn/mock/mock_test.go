package mock

import (
	"encoding/json"
	"testing"

	"github.com/segmentio/kafka-go"
)

func TestCSVToJSON(t *testing.T) {
	for _, c := range []struct{ csv, json string }{
		{"u1,1.2.3.4,12,345,/a.js", `{"uuid":"u1","client_ip":"1.2.3.4","request_time":12,"response_size":345,"uri":"/a.js"}`},
		{"u2,1.2.3.4,slow,345", `{"uuid":"u2","client_ip":"1.2.3.4","request_time":"slow","response_size":345}`},
		{"u3,1.2.3.4,12", `{"uuid":"u3","client_ip":"1.2.3.4","request_time":12}`},
		{"u4,1.2.3.4,12,12k", `{"uuid":"u4","client_ip":"1.2.3.4","request_time":12,"response_size":"12k"}`},
	} {
		got := string(CSVToJSON(nil, []byte(c.csv)))
		if got != c.json {
			t.Errorf("CSVToJSON(%q) = %s, want %s", c.csv, got, c.json)
		}
	}
	// Every generated record, malformed ones included, becomes valid JSON.
	g := New(3, 0.3, true)
	var line, out []byte
	for i := 0; i < 2000; i++ {
		line = g.Append(line[:0])
		out = CSVToJSON(out[:0], line)
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("%s -> %s: %v", line, out, err)
		}
	}
}

func TestPartitionCounts(t *testing.T) {
	got := PartitionCounts(10, 4)
	want := []int64{3, 3, 2, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("PartitionCounts(10, 4) = %v, want %v", got, want)
		}
	}
}

// TestSequentialBalancer: record i goes to partition i mod n, which PartitionCounts
// and the bounded e2e runs rely on.
func TestSequentialBalancer(t *testing.T) {
	b := &sequential{}
	parts := []int{0, 1, 2}
	for i := 0; i < 7; i++ {
		if p := b.Balance(kafka.Message{}, parts...); p != i%3 {
			t.Fatalf("message %d to partition %d, want %d", i, p, i%3)
		}
	}
}
