package options

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// KV is one option as written in a WITH clause (or given with -D), in order.
type KV struct{ Key, Value string }

// Role is what a table is used as in a job.
type Role int

const (
	Source Role = iota + 1
	Sink
)

func (r Role) String() string {
	switch r {
	case Source:
		return "source"
	case Sink:
		return "sink"
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// Resolved is the validated options of one table, in modern (Flink ≥1.11) keys.
type Resolved struct {
	Table     string
	Connector string // "filesystem", "datagen", "print", "blackhole", "jdbc", "kafka", "upsert-kafka"
	Format    string // value format: "csv", "json" or ""
	KeyFormat string // kafka/upsert-kafka key.format: "csv", "json" or ""
	// Values holds the options after legacy mapping, by modern key ("path",
	// "csv.ignore-parse-errors", "sink.buffer-flush.interval"). The value format is under
	// "format" (also when written as value.format) and its options under "<fmt>." (also
	// when written as value.<fmt>.*); key-format options stay under "key.<fmt>.". Enum
	// values are stored in Flink's spelling and single-character options (csv delimiters)
	// with Java escapes resolved. Values containing ${NAME} are kept as written until Expand.
	Values map[string]string
	// Notes are remarks for the job to log once at start ("... is accepted and unused").
	Notes []string

	// TwoPhase is set by the job for a JDBC sink table when its writes are part of the
	// checkpoints (exactly once): the sink seals its rows at checkpoint barriers
	// instead of committing them (stream.TwoPhase). Nil otherwise.
	TwoPhase stream.TwoPhase

	written map[string]string // modern key -> key as written, for messages
}

// WrittenKey returns the key the user wrote for a modern key ("connector.url" for "url"),
// or key itself when it was not written.
func (r *Resolved) WrittenKey(key string) string {
	if w, ok := r.written[key]; ok {
		return w
	}
	return key
}

// Has reports whether the option was set (defaults do not count).
func (r *Resolved) Has(key string) bool {
	_, ok := r.Values[key]
	return ok
}

// String returns the option's value, or its default ("" when it has none).
func (r *Resolved) String(key string) string {
	if v, ok := r.Values[key]; ok {
		return v
	}
	if d := lookupDesc(r.Connector, r.Format, r.KeyFormat, key); d != nil {
		return d.def
	}
	return ""
}

// Bool returns the option as a boolean (false when unset without default or invalid).
func (r *Resolved) Bool(key string) bool {
	b, _ := ParseBool(r.String(key))
	return b
}

// Int returns the option as an integer (0 when unset without default or invalid).
func (r *Resolved) Int(key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.String(key)), 10, 64)
	return n
}

// Float returns the option as a number (0 when unset without default or invalid).
func (r *Resolved) Float(key string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(r.String(key)), 64)
	return f
}

// Duration returns the option as a duration in Flink syntax (0 when unset without
// default or invalid).
func (r *Resolved) Duration(key string) time.Duration {
	d, _ := ParseDuration(r.String(key))
	return d
}

// Effective returns every option in effect, set or defaulted, sorted by key: what
// --help shows. Pattern options (fields.#.kind) appear only when set.
func (r *Resolved) Effective() []KV { return r.EffectiveFor(0) }

// EffectiveFor is Effective for a table used in role (0: any): defaults of options that
// only matter for the other role (sink.* for a source, scan.* for a sink) are left out.
func (r *Resolved) EffectiveFor(role Role) []KV {
	m := map[string]string{}
	for _, k := range Keys(r.Connector, r.Format) {
		if strings.ContainsAny(k, "#*") || role != 0 && sideOf(k) != 0 && sideOf(k) != role {
			continue
		}
		if v := r.String(k); v != "" {
			m[k] = v
		}
	}
	if r.KeyFormat != "" {
		for _, d := range formats[r.KeyFormat] {
			if d.def != "" && (role == 0 || sideOf(d.key) == 0 || sideOf(d.key) == role) {
				m["key."+d.key] = d.def
			}
		}
	}
	for k, v := range r.Values {
		m[k] = v
	}
	out := make([]KV, 0, len(m))
	for k, v := range m {
		out = append(out, KV{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// KeyFormatOptions returns a view of r for the key format: key.<fmt>.* options appear
// as <fmt>.* and Format is the key format, so a format's ConfigFrom reads them.
func (r *Resolved) KeyFormatOptions() *Resolved {
	k := &Resolved{Table: r.Table, Connector: r.Connector, Format: r.KeyFormat, Values: map[string]string{}}
	if r.KeyFormat == "" {
		return k
	}
	prefix := "key." + r.KeyFormat + "."
	for key, v := range r.Values {
		if rest, ok := strings.CutPrefix(key, prefix); ok {
			k.Values[r.KeyFormat+"."+rest] = v
		}
	}
	k.Values["format"] = r.KeyFormat
	return k
}

// Clone returns a deep copy of r.
func (r *Resolved) Clone() *Resolved {
	c := *r
	c.Values = make(map[string]string, len(r.Values))
	for k, v := range r.Values {
		c.Values[k] = v
	}
	c.Notes = append([]string(nil), r.Notes...)
	c.written = make(map[string]string, len(r.written))
	for k, v := range r.written {
		c.written[k] = v
	}
	return &c
}

// Connectors lists the supported connectors, sorted.
func Connectors() []string {
	out := make([]string, 0, len(connectors))
	for name := range connectors {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Formats lists the supported formats, sorted.
func Formats() []string {
	out := make([]string, 0, len(formats))
	for name := range formats {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Keys lists the valid modern keys of a connector with a value format (format may be
// ""), sorted; "connector" and the format key are included. It returns nil for an
// unknown connector.
func Keys(connector, format string) []string {
	cd := connectors[connector]
	if cd == nil {
		return nil
	}
	return validKeys(cd, format, "")
}

func validKeys(cd *connectorDesc, format, keyFormat string) []string {
	keys := []string{"connector"}
	switch cd.formatKey {
	case "format":
		keys = append(keys, "format")
	case "format|value.format":
		keys = append(keys, "format", "value.format")
	case "value.format":
		keys = append(keys, "value.format")
	}
	if cd.keyFormat {
		keys = append(keys, "key.format")
	}
	for _, d := range cd.options {
		if !d.legacy {
			keys = append(keys, d.key)
		}
	}
	if cd.formatKey != "" {
		for _, d := range formats[format] {
			keys = append(keys, d.key)
		}
	}
	if cd.keyFormat {
		for _, d := range formats[keyFormat] {
			keys = append(keys, "key."+d.key)
		}
	}
	sort.Strings(keys)
	return keys
}

// matchKey reports whether key matches a descriptor key with '#' (one non-empty part)
// or a trailing ".*" (any non-empty suffix).
func matchKey(pattern, key string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return len(key) > len(prefix) && strings.HasPrefix(key, prefix)
	}
	before, after, ok := strings.Cut(pattern, "#")
	if !ok {
		return pattern == key
	}
	return len(key) > len(before)+len(after) && strings.HasPrefix(key, before) && strings.HasSuffix(key, after)
}

func findIn(ds []desc, key string) *desc {
	for i := range ds {
		if ds[i].key == key {
			return &ds[i]
		}
	}
	for i := range ds {
		if matchKey(ds[i].key, key) {
			return &ds[i]
		}
	}
	return nil
}

// lookupDesc finds the descriptor of a modern key for a connector and its formats.
func lookupDesc(connector, format, keyFormat, key string) *desc {
	if format != "" && strings.HasPrefix(key, format+".") {
		if d := findIn(formats[format], key); d != nil {
			return d
		}
	}
	if keyFormat != "" {
		if rest, ok := strings.CutPrefix(key, "key."); ok && strings.HasPrefix(rest, keyFormat+".") {
			if d := findIn(formats[keyFormat], rest); d != nil {
				return d
			}
		}
	}
	if cd := connectors[connector]; cd != nil {
		return findIn(cd.options, key)
	}
	return nil
}

// sideOf says which role an option matters for, by Flink's naming (0: both).
func sideOf(key string) Role {
	for _, p := range []string{"sink.", "auto-compaction", "compaction.", "partition.", "csv.write-", "json.encode.", "json.map-null-key."} {
		if strings.HasPrefix(key, p) {
			return Sink
		}
	}
	for _, p := range []string{"scan.", "lookup.", "source.", "dead-letter.", "csv.ignore-parse-errors", "csv.allow-comments", "json.fail-on-missing-field", "json.ignore-parse-errors", "json.decode."} {
		if strings.HasPrefix(key, p) {
			return Source
		}
	}
	return 0
}
