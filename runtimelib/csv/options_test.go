package csv

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// *options.Resolved is what generated code passes to ConfigFrom.
var _ Options = (*options.Resolved)(nil)

func TestConfigFromResolved(t *testing.T) {
	r, problems := options.Resolve("logs", []options.KV{
		{Key: "connector.type", Value: "filesystem"},
		{Key: "connector.path", Value: "/tmp/x.csv"},
		{Key: "format.type", Value: "csv"},
		{Key: "format.field-delimiter", Value: `\t`},
		{Key: "format.ignore-parse-errors", Value: "true"},
	})
	if len(problems) > 0 {
		t.Skipf("options.Resolve reports %v (the options package decides legacy keys)", problems)
	}
	c := ConfigFrom(r)
	if c.Delim != '\t' || !c.IgnoreParseErrors || c.Quote != '"' || !c.QuoteEnabled || c.HasNullLiteral || c.HasEscape {
		t.Errorf("ConfigFrom(resolved) = %+v", c)
	}
}
