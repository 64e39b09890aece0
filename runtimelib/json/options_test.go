package json

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

var _ Options = (*options.Resolved)(nil)

func TestConfigFromResolved(t *testing.T) {
	r, problems := options.Resolve("events", []options.KV{
		{Key: "connector", Value: "filesystem"},
		{Key: "path", Value: "/tmp/x.json"},
		{Key: "format", Value: "json"},
		{Key: "json.ignore-parse-errors", Value: "true"},
	})
	if len(problems) > 0 {
		t.Skipf("options.Resolve reports %v", problems)
	}
	c := ConfigFrom(r)
	if c != (Config{IgnoreParseErrors: true, TimestampFormat: "SQL"}) {
		t.Errorf("ConfigFrom(resolved) = %+v", c)
	}
}
