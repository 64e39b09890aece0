package mysql

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
)

// TestDriverLogGoesToSlog: what the MySQL driver prints with its logger becomes a
// warning of slog's default logger (the job's), not a line in the driver's format.
func TestDriverLogGoesToSlog(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	defer slog.SetDefault(old)

	// The call the driver makes (packets.go): errLog.Print("closing bad idle connection: ", err).
	driverLogger{}.Print("closing bad idle connection: ", errors.New("EOF"))

	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("not one JSON record: %q: %v", buf.String(), err)
	}
	if rec["level"] != "WARN" || rec["msg"] != "closing bad idle connection: EOF" || rec["driver"] != "mysql" {
		t.Errorf("record = %v", rec)
	}
}
