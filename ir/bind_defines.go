package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// Define is a compile-time option override, -D table.option=value given to the
// compiler: it replaces the table's option of the same (canonical) key or adds one, as
// if the WITH clause said so. Connectors are compiled into the job, so swapping one
// ('connector' = 'print' for 'blackhole') is only possible here; the job binary's own
// -D changes the other options at start. A define of the connector drops the written
// options the new connector does not take.
type Define struct {
	Table, Key, Value string
}

// ParseDefine splits "table.option=value". A table name may hold dots, so the split
// is made where a table of the script ends (applyDefines); here only the form is
// checked: the whole left side is kept in Table until then.
func ParseDefine(s string) (Define, error) {
	lhs, value, ok := strings.Cut(s, "=")
	if !ok || !strings.Contains(lhs, ".") {
		return Define{}, fmt.Errorf("-D %s: expected table.option=value", s)
	}
	return Define{Table: lhs, Value: value}, nil
}

func (d Define) String() string { return "-D " + d.Table + "=" + d.Value }

// applyDefines applies the defines that name table t to its options, replacing the
// option they set (by canonical key, so -D t.connector=print replaces a written
// 'connector.type') and recording which it matched.
func (b *binder) applyDefines(t *Table) {
	for i, d := range b.opts.Defines {
		key, ok := strings.CutPrefix(d.Table, t.Name+".")
		if !ok || key == "" {
			continue
		}
		// The longest table name wins (table "a.b" over table "a" for -D a.b.c=...).
		if prev, seen := b.defined[i]; seen && len(prev) >= len(t.Name) {
			continue
		}
		if b.defined == nil {
			b.defined = map[int]string{}
		}
		b.defined[i] = t.Name
		kvs := make([]options.KV, len(t.Options))
		for j, o := range t.Options {
			kvs[j] = options.KV{Key: o.Key, Value: o.Value}
		}
		span := t.Span
		span.End = span.Start + 1
		out := options.Override(kvs, options.KV{Key: key, Value: d.Value})
		opts := make([]Option, 0, len(out))
		for _, kv := range out {
			o := Option{Key: kv.Key, Value: kv.Value, KeySpan: span, ValueSpan: span, Define: d.String()}
			for _, w := range t.Options {
				if w.Key == kv.Key && w.Value == kv.Value {
					o = w
					break
				}
			}
			opts = append(opts, o)
		}
		t.Options = opts
		if options.Canonical(t.Connector, "", key) == "connector" {
			t.Options = dropForeign(t.Name, t.Options)
		}
	}
}

// dropForeign drops the written options a new connector does not take: a connector
// swapped by -D (a filesystem sink made print) keeps the options it understands.
func dropForeign(table string, opts []Option) []Option {
	kvs := make([]options.KV, len(opts))
	for i, o := range opts {
		kvs[i] = options.KV{Key: o.Key, Value: o.Value}
	}
	_, probs := options.Resolve(table, kvs)
	drop := map[string]bool{}
	for _, p := range probs {
		if strings.HasPrefix(p.Msg, "unsupported option") {
			drop[p.Key] = true
		}
	}
	var out []Option
	for _, o := range opts {
		if !drop[o.Key] || o.Define != "" {
			out = append(out, o)
		}
	}
	return out
}

// unusedDefines reports the defines that named no table of the script.
func (b *binder) unusedDefines() {
	var names []string
	for _, t := range b.cat.Tables {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	for i, d := range b.opts.Defines {
		if _, ok := b.defined[i]; ok {
			continue
		}
		b.errs.Add(&diag.Diagnostic{Msg: fmt.Sprintf("%s: no table of the script is named so; tables: %s", d, strings.Join(names, ", "))})
	}
}
