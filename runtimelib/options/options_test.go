package options

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func kvs(pairs ...string) []KV {
	out := make([]KV, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, KV{pairs[i], pairs[i+1]})
	}
	return out
}

// The seed job's two tables, as written in PyFlink's CDN example (Flink 1.10 keys).
var seedKafka = kvs(
	"connector.type", "kafka",
	"connector.version", "universal",
	"connector.topic", "cdn_access_log",
	"connector.properties.zookeeper.connect", "localhost:2181",
	"connector.properties.bootstrap.servers", "localhost:9092",
	"format.type", "csv",
	"format.ignore-parse-errors", "true",
)

var seedJDBC = kvs(
	"connector.type", "jdbc",
	"connector.url", "jdbc:mysql://localhost:3306/flink",
	"connector.table", "cdn_access_statistic",
	"connector.username", "root",
	"connector.password", "root",
	"connector.write.flush.interval", "1s",
)

func mustResolve(t *testing.T, written []KV) *Resolved {
	t.Helper()
	r, probs := Resolve("t", written)
	if len(probs) > 0 {
		t.Fatalf("Resolve(%v): unexpected problems %v", written, probs)
	}
	return r
}

func TestResolveSeedTables(t *testing.T) {
	r := mustResolve(t, seedKafka)
	want := map[string]string{
		"connector":                              "kafka",
		"connector.version":                      "universal",
		"topic":                                  "cdn_access_log",
		"connector.properties.zookeeper.connect": "localhost:2181",
		"properties.bootstrap.servers":           "localhost:9092",
		"format":                                 "csv",
		"csv.ignore-parse-errors":                "true",
	}
	if !reflect.DeepEqual(r.Values, want) {
		t.Errorf("kafka values = %v, want %v", r.Values, want)
	}
	if r.Connector != "kafka" || r.Format != "csv" {
		t.Errorf("connector/format = %q/%q", r.Connector, r.Format)
	}
	if !slices.Equal(r.Notes, []string{"connector.properties.zookeeper.connect is accepted and unused"}) {
		t.Errorf("notes = %q", r.Notes)
	}
	if got := r.String("scan.startup.mode"); got != "group-offsets" {
		t.Errorf("default scan.startup.mode = %q", got)
	}
	if got := r.WrittenKey("topic"); got != "connector.topic" {
		t.Errorf("WrittenKey(topic) = %q", got)
	}

	j := mustResolve(t, seedJDBC)
	if j.String("url") != "jdbc:mysql://localhost:3306/flink" || j.String("table-name") != "cdn_access_statistic" ||
		j.String("username") != "root" || j.String("password") != "root" {
		t.Errorf("jdbc values = %v", j.Values)
	}
	if j.Duration("sink.buffer-flush.interval") != time.Second || j.Int("sink.buffer-flush.max-rows") != 100 || j.Int("sink.max-retries") != 3 {
		t.Errorf("jdbc durations/defaults wrong: %v", j.Values)
	}
}

// TestLegacyMapping checks every legacy key against the modern key it sets.
func TestLegacyMapping(t *testing.T) {
	kafka := kvs("connector", "kafka", "topic", "x", "properties.bootstrap.servers", "h:1", "format", "csv")
	jdbc := kvs("connector", "jdbc", "url", "jdbc:sqlite:x.db", "table-name", "t")
	fsys := kvs("connector", "filesystem", "path", "/tmp", "format", "csv")
	without := func(base []KV, key string) []KV {
		var out []KV
		for _, kv := range base {
			if kv.Key != key {
				out = append(out, kv)
			}
		}
		return out
	}
	tests := []struct {
		base        []KV
		legacy      string
		value       string
		modern      string
		wantValue   string
		replaceBase string // a base key the legacy key replaces
	}{
		{kafka, "connector.type", "kafka", "connector", "kafka", "connector"},
		{jdbc, "connector.type", "jdbc", "connector", "jdbc", "connector"},
		{fsys, "connector.type", "filesystem", "connector", "filesystem", "connector"},
		{kafka, "connector.topic", "t1", "topic", "t1", "topic"},
		{kafka, "connector.startup-mode", "earliest-offset", "scan.startup.mode", "earliest-offset", ""},
		{kafka, "connector.startup-mode", "latest-offset", "scan.startup.mode", "latest-offset", ""},
		{kafka, "connector.startup-mode", "group-offsets", "scan.startup.mode", "group-offsets", ""},
		{kafka, "connector.properties.bootstrap.servers", "b:9", "properties.bootstrap.servers", "b:9", "properties.bootstrap.servers"},
		{kafka, "connector.properties.group.id", "g", "properties.group.id", "g", ""},
		{kafka, "connector.properties.client.id", "c", "properties.client.id", "c", ""},
		{kafka, "connector.sink-partitioner", "round-robin", "sink.partitioner", "round-robin", ""},
		{kafka, "format.type", "json", "format", "json", "format"},
		{kafka, "format.ignore-parse-errors", "TRUE", "csv.ignore-parse-errors", "true", ""},
		{kafka, "format.field-delimiter", "|", "csv.field-delimiter", "|", ""},
		{kafka, "format.field-delimiter", `\t`, "csv.field-delimiter", `\t`, ""},
		{kafka, "format.quote-character", "'", "csv.quote-character", "'", ""},
		{kafka, "format.allow-comments", "true", "csv.allow-comments", "true", ""},
		{kafka, "format.null-literal", "n/a", "csv.null-literal", "n/a", ""},
		{kafka, "format.array-element-delimiter", "|", "csv.array-element-delimiter", "|", ""},
		{kafka, "format.escape-character", `\\`, "csv.escape-character", `\\`, ""},
		{kafka, "connector.version", "universal", "connector.version", "universal", ""},
		{kafka, "update-mode", "append", "update-mode", "append", ""},
		{jdbc, "connector.url", "jdbc:sqlite:y.db", "url", "jdbc:sqlite:y.db", "url"},
		{jdbc, "connector.table", "u", "table-name", "u", "table-name"},
		{jdbc, "connector.driver", "com.mysql.jdbc.Driver", "driver", "com.mysql.jdbc.Driver", ""},
		{jdbc, "connector.username", "root", "username", "root", ""},
		{jdbc, "connector.password", "pw", "password", "pw", ""},
		{jdbc, "connector.write.flush.interval", "2s", "sink.buffer-flush.interval", "2s", ""},
		{jdbc, "connector.write.flush.max-rows", "5000", "sink.buffer-flush.max-rows", "5000", ""},
		{jdbc, "connector.write.max-retries", "5", "sink.max-retries", "5", ""},
		{jdbc, "connector.read.fetch-size", "10", "scan.fetch-size", "10", ""},
		{jdbc, "connector.lookup.cache.ttl", "10s", "lookup.cache.ttl", "10s", ""},
		{jdbc, "update-mode", "upsert", "update-mode", "upsert", ""},
		{fsys, "connector.path", "/data", "path", "/data", "path"},
	}
	for _, tt := range tests {
		t.Run(tt.legacy+"="+tt.value, func(t *testing.T) {
			base := tt.base
			if tt.replaceBase != "" {
				base = without(base, tt.replaceBase)
			}
			written := append(slices.Clone(base), KV{tt.legacy, tt.value})
			r := mustResolve(t, written)
			if got, ok := r.Values[tt.modern]; !ok || got != tt.wantValue {
				t.Errorf("Values[%q] = %q, %v; want %q (all: %v)", tt.modern, got, ok, tt.wantValue, r.Values)
			}
			if tt.modern != tt.legacy {
				if _, ok := r.Values[tt.legacy]; ok {
					t.Errorf("legacy key %q kept in Values", tt.legacy)
				}
			}
			if got := r.WrittenKey(tt.modern); got != tt.legacy {
				t.Errorf("WrittenKey(%q) = %q, want %q", tt.modern, got, tt.legacy)
			}
			if got := Canonical(r.Connector, r.Format, tt.legacy); got != tt.modern {
				t.Errorf("Canonical(%q) = %q, want %q", tt.legacy, got, tt.modern)
			}
		})
	}
}

func TestLegacyStartupModes(t *testing.T) {
	for _, tc := range []struct {
		extra []KV
		mode  string
	}{
		{kvs("connector.startup-mode", "specific-offsets", "connector.specific-offsets", "partition:0,offset:42;partition:1,offset:300"), "specific-offsets"},
		{kvs("connector.startup-mode", "timestamp", "connector.startup-timestamp-millis", "1588147200000"), "timestamp"},
	} {
		r := mustResolve(t, append(kvs("connector.type", "kafka", "connector.topic", "x",
			"connector.properties.bootstrap.servers", "h:1", "format.type", "json"), tc.extra...))
		if r.String("scan.startup.mode") != tc.mode {
			t.Errorf("mode = %q, want %q", r.String("scan.startup.mode"), tc.mode)
		}
		if tc.mode == "timestamp" && r.Int("scan.startup.timestamp-millis") != 1588147200000 {
			t.Errorf("timestamp = %d", r.Int("scan.startup.timestamp-millis"))
		}
		if tc.mode == "specific-offsets" && r.String("scan.startup.specific-offsets") == "" {
			t.Errorf("specific offsets missing: %v", r.Values)
		}
	}
}

func TestLegacyFormatAcceptedKeys(t *testing.T) {
	r := mustResolve(t, kvs("connector.type", "filesystem", "connector.path", "/x", "format.type", "csv",
		"format.derive-schema", "true", "format.line-delimiter", "\n"))
	if r.Has("format.derive-schema") || r.Has("format.line-delimiter") {
		t.Errorf("accepted-unused keys stored: %v", r.Values)
	}
	j := mustResolve(t, kvs("connector.type", "kafka", "connector.topic", "x",
		"connector.properties.bootstrap.servers", "h:1", "format.type", "json", "format.fail-on-missing-field", "true"))
	if !j.Bool("json.fail-on-missing-field") {
		t.Errorf("format.fail-on-missing-field not mapped: %v", j.Values)
	}
}

func TestDefaults(t *testing.T) {
	tests := []struct {
		written []KV
		key     string
		want    string
	}{
		{kvs("connector", "filesystem", "path", "p", "format", "csv"), "csv.field-delimiter", ","},
		{kvs("connector", "filesystem", "path", "p", "format", "csv"), "csv.quote-character", `"`},
		{kvs("connector", "filesystem", "path", "p", "format", "csv"), "csv.ignore-parse-errors", "false"},
		{kvs("connector", "filesystem", "path", "p", "format", "csv"), "csv.array-element-delimiter", ";"},
		{kvs("connector", "filesystem", "path", "p", "format", "csv"), "csv.null-literal", ""},
		{kvs("connector", "filesystem", "path", "p", "format", "json"), "json.timestamp-format.standard", "SQL"},
		{kvs("connector", "filesystem", "path", "p", "format", "json"), "json.map-null-key.mode", "FAIL"},
		{kvs("connector", "filesystem", "path", "p", "format", "json"), "json.map-null-key.literal", "null"},
		{kvs("connector", "jdbc", "url", "u", "table-name", "t"), "sink.buffer-flush.max-rows", "100"},
		{kvs("connector", "jdbc", "url", "u", "table-name", "t"), "sink.buffer-flush.interval", "1s"},
		{kvs("connector", "jdbc", "url", "u", "table-name", "t"), "sink.max-retries", "3"},
		{kvs("connector", "jdbc", "url", "u", "table-name", "t"), "connection.max-retry-timeout", "60s"},
		{kvs("connector", "datagen"), "rows-per-second", "10000"},
		{kvs("connector", "datagen"), "number-of-rows", ""},
		{kvs("connector", "datagen"), "fields.uuid.kind", "random"},
		{kvs("connector", "datagen"), "fields.uuid.length", "100"},
		{kvs("connector", "datagen"), "fields.uuid.null-rate", "0"},
		{kvs("connector", "print"), "standard-error", "false"},
		{kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv"), "scan.startup.mode", "group-offsets"},
		{kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv"), "value.fields-include", "ALL"},
		{kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv"), "sink.delivery-guarantee", "at-least-once"},
		{kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "key.format", "json", "key.fields", "a"), "key.json.map-null-key.mode", "FAIL"},
	}
	for _, tt := range tests {
		r := mustResolve(t, tt.written)
		if got := r.String(tt.key); got != tt.want {
			t.Errorf("%s: String(%q) = %q, want %q", r.Connector, tt.key, got, tt.want)
		}
		if r.Has(tt.key) {
			t.Errorf("%s: Has(%q) for a default", r.Connector, tt.key)
		}
	}
}

func TestValueNormalization(t *testing.T) {
	r := mustResolve(t, kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h",
		"value.format", "json", "value.json.timestamp-format.standard", "iso-8601",
		"scan.startup.mode", "Earliest-Offset", "value.fields-include", "except_key",
		"key.format", "csv", "key.fields", "id", "key.csv.field-delimiter", ";", "properties.acks", "all"))
	want := map[string]string{
		"connector": "kafka", "topic": "t", "properties.bootstrap.servers": "h", "format": "json",
		"json.timestamp-format.standard": "ISO-8601", "scan.startup.mode": "earliest-offset",
		"value.fields-include": "EXCEPT_KEY", "key.format": "csv", "key.fields": "id",
		"key.csv.field-delimiter": ";", "properties.acks": "all",
	}
	if !reflect.DeepEqual(r.Values, want) {
		t.Errorf("Values = %v\nwant %v", r.Values, want)
	}
	if r.Format != "json" || r.KeyFormat != "csv" {
		t.Errorf("formats %q %q", r.Format, r.KeyFormat)
	}
	k := r.KeyFormatOptions()
	if k.Format != "csv" || k.String("csv.field-delimiter") != ";" || k.String("csv.quote-character") != `"` {
		t.Errorf("key view: %+v", k)
	}

	d := mustResolve(t, kvs("connector", "datagen", "number-of-rows", " 10 ", "fields.id.kind", "SEQUENCE",
		"fields.id.start", "1", "fields.id.end", "10", "fields.name.null-rate", "0.25", "fields.ts.max-past", "5 min"))
	if d.Int("number-of-rows") != 10 || d.String("fields.id.kind") != "sequence" || d.Float("fields.name.null-rate") != 0.25 ||
		d.Duration("fields.ts.max-past") != 5*time.Minute {
		t.Errorf("datagen: %v", d.Values)
	}
	c := mustResolve(t, kvs("connector", "filesystem", "path", "p", "format", "csv", "csv.field-delimiter", `\u0001`))
	if c.String("csv.field-delimiter") != `\u0001` {
		t.Errorf("unicode escape: %q", c.String("csv.field-delimiter"))
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name    string
		written []KV
		key     string // Problem.Key of the first problem
		msg     []string
	}{
		{"unknown key", kvs("connector", "filesystem", "pth", "x", "format", "csv", "path", "p"), "pth",
			[]string{"unsupported option 'pth' for connector 'filesystem' and format 'csv'", "did you mean 'path'?", "valid options: auto-compaction, compaction.file-size, connector, csv.allow-comments,"}},
		{"unknown key no suggestion", kvs("connector", "print", "zzzzzzzz", "x"), "zzzzzzzz",
			[]string{"unsupported option 'zzzzzzzz' for connector 'print'; valid options: connector, print-identifier, sink.parallelism, standard-error"}},
		{"unknown legacy-like key suggests legacy", kvs("connector.type", "jdbc", "connector.ur", "u", "connector.table", "t"), "connector.ur",
			[]string{"did you mean 'connector.url'?"}},
		{"missing connector", kvs("path", "p"), "", []string{"missing required option 'connector'", "supported connectors: blackhole, datagen, filesystem, jdbc, kafka, nexmark, print, upsert-kafka"}},
		{"unknown connector", kvs("connector", "kafak"), "connector", []string{"unsupported connector 'kafak'; did you mean 'kafka'? supported connectors: blackhole,"}},
		{"unknown legacy connector type", kvs("connector.type", "elasticsearch"), "connector.type", []string{"unsupported legacy connector.type 'elasticsearch'"}},
		{"missing path", kvs("connector", "filesystem", "format", "csv"), "", []string{"missing required option 'path' for connector 'filesystem'"}},
		{"missing format", kvs("connector", "filesystem", "path", "p"), "", []string{"missing required option 'format'"}},
		{"missing legacy url", kvs("connector.type", "jdbc", "connector.table", "t"), "", []string{"missing required option 'url'", "legacy key 'connector.url'"}},
		{"bad format", kvs("connector", "filesystem", "path", "p", "format", "cvs"), "format", []string{"unsupported format 'cvs'; did you mean 'csv'? supported formats: csv, json"}},
		{"option of the other format", kvs("connector", "filesystem", "path", "p", "format", "json", "csv.field-delimiter", ";"), "csv.field-delimiter",
			[]string{"unsupported option 'csv.field-delimiter' for connector 'filesystem' and format 'json'"}},
		{"legacy and modern", kvs("connector", "jdbc", "url", "a", "connector.url", "b", "table-name", "t"), "connector.url",
			[]string{"options 'url' and 'connector.url' both set 'url'"}},
		{"connector twice", kvs("connector.type", "jdbc", "connector", "jdbc", "url", "a", "table-name", "t"), "connector",
			[]string{"options 'connector.type' and 'connector' both set 'connector'"}},
		{"same key twice", kvs("connector", "print", "print-identifier", "a", "print-identifier", "b"), "print-identifier",
			[]string{"option 'print-identifier' is set twice"}},
		{"format and value.format", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "value.format", "csv"), "value.format",
			[]string{"options 'format' and 'value.format' both set 'format'"}},
		{"bad duration", kvs("connector", "jdbc", "url", "u", "table-name", "t", "sink.buffer-flush.interval", "soon"), "sink.buffer-flush.interval",
			[]string{"invalid value 'soon' for option 'sink.buffer-flush.interval': expected a duration"}},
		{"bad legacy duration", kvs("connector.type", "jdbc", "connector.url", "u", "connector.table", "t", "connector.write.flush.interval", "1 fortnight"), "connector.write.flush.interval",
			[]string{"invalid value '1 fortnight' for option 'connector.write.flush.interval'"}},
		{"bad int", kvs("connector", "jdbc", "url", "u", "table-name", "t", "sink.max-retries", "three"), "sink.max-retries", []string{"expected an integer"}},
		{"negative retries", kvs("connector", "jdbc", "url", "u", "table-name", "t", "sink.max-retries", "-5"), "sink.max-retries",
			[]string{"invalid value '-5' for option 'sink.max-retries': expected an integer from 0 to 2147483647"}},
		{"negative legacy retries", kvs("connector.type", "jdbc", "connector.url", "u", "connector.table", "t", "connector.write.max-retries", "-1"), "connector.write.max-retries",
			[]string{"invalid value '-1' for option 'connector.write.max-retries': expected an integer from 0 to 2147483647"}},
		{"retry timeout under a second", kvs("connector", "jdbc", "url", "u", "table-name", "t", "connection.max-retry-timeout", "500ms"), "connection.max-retry-timeout",
			[]string{"expected a duration of at least 1000 milliseconds"}},
		{"zero parallelism", kvs("connector", "print", "sink.parallelism", "0"), "sink.parallelism", []string{"expected an integer from 1 to 2147483647"}},
		{"null rate above one", kvs("connector", "datagen", "fields.a.null-rate", "1.5"), "fields.a.null-rate", []string{"expected a number from 0 to 1"}},
		{"zero rate", kvs("connector", "datagen", "rows-per-second", "0"), "rows-per-second", []string{"expected an integer of at least 1"}},
		{"bad bool", kvs("connector", "print", "standard-error", "yes"), "standard-error", []string{"expected 'true' or 'false'"}},
		{"bad enum", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "scan.startup.mode", "earliest"), "scan.startup.mode",
			[]string{"expected one of 'earliest-offset', 'latest-offset', 'group-offsets', 'timestamp', 'specific-offsets'"}},
		{"bad legacy enum", kvs("connector.type", "kafka", "connector.version", "0.11", "connector.topic", "t", "connector.properties.bootstrap.servers", "h", "format.type", "csv"), "connector.version",
			[]string{"expected one of 'universal'"}},
		{"bad float", kvs("connector", "datagen", "fields.a.null-rate", "half"), "fields.a.null-rate", []string{"expected a number"}},
		{"bad char", kvs("connector", "filesystem", "path", "p", "format", "csv", "csv.field-delimiter", "||"), "csv.field-delimiter", []string{"expected a single one-byte character"}},
		{"monitor interval", kvs("connector", "filesystem", "path", "p", "format", "csv", "source.monitor-interval", "1s"), "source.monitor-interval", []string{"streaming file source not supported yet"}},
		{"kafka no topic", kvs("connector", "kafka", "properties.bootstrap.servers", "h", "format", "csv"), "", []string{"missing required option 'topic' (or 'topic-pattern')"}},
		{"kafka topic and pattern", kvs("connector", "kafka", "topic", "t", "topic-pattern", "t.*", "properties.bootstrap.servers", "h", "format", "csv"), "topic-pattern", []string{"cannot both be set"}},
		{"kafka no servers", kvs("connector", "kafka", "topic", "t", "format", "csv"), "", []string{"missing required option 'properties.bootstrap.servers'"}},
		{"kafka no format", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h"), "", []string{"missing required option 'format' (or 'value.format')"}},
		{"kafka timestamp mode", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "scan.startup.mode", "timestamp"), "",
			[]string{"missing option 'scan.startup.timestamp-millis'"}},
		{"kafka key format without fields", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "key.format", "csv"), "key.format",
			[]string{"requires 'key.fields'"}},
		{"upsert-kafka needs formats", kvs("connector", "upsert-kafka", "topic", "t", "properties.bootstrap.servers", "h"), "",
			[]string{"missing required option 'value.format'"}},
		{"upsert-kafka rejects format", kvs("connector", "upsert-kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "json", "value.format", "json", "key.format", "json"), "format",
			[]string{"unsupported option 'format' for connector 'upsert-kafka'"}},
		{"json both", kvs("connector", "filesystem", "path", "p", "format", "json", "json.fail-on-missing-field", "true", "json.ignore-parse-errors", "true"), "json.ignore-parse-errors",
			[]string{"cannot both be true"}},
		{"legacy format key of other format", kvs("connector.type", "filesystem", "connector.path", "p", "format.type", "json", "format.field-delimiter", ";"), "format.field-delimiter",
			[]string{"unsupported legacy option 'format.field-delimiter' for format 'json'"}},
		{"bad var syntax", kvs("connector", "jdbc", "url", "u", "table-name", "t", "password", "${PW"), "password", []string{"unterminated variable reference"}},
		{"key prefix needs except key", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "key.format", "csv", "key.fields", "k", "key.fields-prefix", "k_"), "key.fields-prefix",
			[]string{"requires 'value.fields-include' = 'EXCEPT_KEY'"}},
		{"var in connector", kvs("connector", "${C}"), "connector", []string{"cannot use ${...}"}},
		{"nexmark unknown key", kvs("connector", "nexmark", "first-event.rates", "10"), "first-event.rates",
			[]string{"unsupported option 'first-event.rates' for connector 'nexmark'; did you mean 'first-event.rate'?"}},
		{"nexmark zero rate", kvs("connector", "nexmark", "first-event.rate", "0"), "first-event.rate",
			[]string{"invalid value '0' for option 'first-event.rate': expected an integer from 1 to 2147483647"}},
		{"nexmark rate beyond int", kvs("connector", "nexmark", "next-event.rate", "3000000000"), "next-event.rate",
			[]string{"expected an integer from 1 to 2147483647"}},
		{"nexmark negative proportion", kvs("connector", "nexmark", "person.proportion", "-1"), "person.proportion",
			[]string{"expected an integer from 0 to 2147483647"}},
		{"nexmark negative events", kvs("connector", "nexmark", "events.num", "-5"), "events.num",
			[]string{"expected an integer of at least 0"}},
		{"nexmark no events kind", kvs("connector", "nexmark", "person.proportion", "0", "auction.proportion", "0", "bid.proportion", "0"), "bid.proportion",
			[]string{"cannot all be 0"}},
		{"nexmark bad size", kvs("connector", "nexmark", "bid.avg-size", "100 bits"), "bid.avg-size",
			[]string{"expected a memory size such as '100b'"}},
		{"nexmark size beyond int", kvs("connector", "nexmark", "person.avg-size", "2gb"), "person.avg-size",
			[]string{"expected a memory size from 0 to 2147483647 bytes"}},
		{"nexmark bad shape", kvs("connector", "nexmark", "rate.shape", "triangle"), "rate.shape",
			[]string{"expected one of 'SQUARE', 'SINE'"}},
		{"legacy key on other connector", kvs("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "h", "format", "csv", "connector.url", "u"), "connector.url",
			[]string{"unsupported option 'connector.url' for connector 'kafka'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, probs := Resolve("t", tt.written)
			if r == nil {
				t.Fatal("Resolve returned nil")
			}
			if len(probs) == 0 {
				t.Fatalf("no problems; values %v", r.Values)
			}
			if probs[0].Key != tt.key {
				t.Errorf("Key = %q, want %q (%v)", probs[0].Key, tt.key, probs)
			}
			for _, m := range tt.msg {
				if !strings.Contains(probs[0].Msg, m) {
					t.Errorf("message %q\ndoes not contain %q", probs[0].Msg, m)
				}
			}
		})
	}
}

// TestRangeBounds accepts the values at the bounds of a range and leaves unbounded
// options alone.
func TestRangeBounds(t *testing.T) {
	for _, written := range [][]KV{
		kvs("connector", "jdbc", "url", "u", "table-name", "t", "sink.max-retries", "0", "lookup.max-retries", "0", "connection.max-retry-timeout", "1 s"),
		kvs("connector", "datagen", "rows-per-second", "1", "number-of-rows", "0", "fields.a.null-rate", "1", "fields.b.null-rate", "0"),
		kvs("connector", "print", "sink.parallelism", "1"),
		kvs("connector", "jdbc", "url", "u", "table-name", "t", "sink.buffer-flush.max-rows", "-1"),
	} {
		if _, probs := Resolve("t", written); len(probs) > 0 {
			t.Errorf("%v: %v", written, probs)
		}
	}
}

func TestBadFormatReportedOnce(t *testing.T) {
	_, probs := Resolve("t", kvs("connector", "filesystem", "path", "p", "format", "cvs", "csv.field-delimiter", ";"))
	if len(probs) != 1 {
		t.Errorf("want exactly one problem, got %v", probs)
	}
}

func TestVarsSkipValueChecks(t *testing.T) {
	r := mustResolve(t, kvs("connector", "jdbc", "url", "${DB_URL}", "table-name", "t",
		"sink.buffer-flush.interval", "${FLUSH}", "password", "${DB_PASSWORD}"))
	if r.String("sink.buffer-flush.interval") != "${FLUSH}" {
		t.Errorf("value changed: %v", r.Values)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1s", time.Second, true},
		{"1 s", time.Second, true},
		{"100ms", 100 * time.Millisecond, true},
		{"500", 500 * time.Millisecond, true},
		{"1 min", time.Minute, true},
		{"2 minutes", 2 * time.Minute, true},
		{"3m", 3 * time.Minute, true},
		{"1h", time.Hour, true},
		{"2 hours", 2 * time.Hour, true},
		{"1d", 24 * time.Hour, true},
		{"5 days", 5 * 24 * time.Hour, true},
		{"10 sec", 10 * time.Second, true},
		{"7 SECONDS", 7 * time.Second, true},
		{"3ns", 3, true},
		{"4µs", 4 * time.Microsecond, true},
		{" 0 ", 0, true},
		{"", 0, false},
		{"s", 0, false},
		{"-1s", 0, false},
		{"1.5s", 0, false},
		{"1 fortnight", 0, false},
		{"1m30s", 0, false},
		{"99999999999999999999", 0, false},
		{"9999999999 d", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// The WITH clause of Nexmark's ddl_gen.sql resolves, with its ${...} placeholders
// left for the job to expand, and with values.
func TestNexmark(t *testing.T) {
	r := mustResolve(t, kvs("connector", "nexmark", "first-event.rate", "${TPS}", "next-event.rate", "${TPS}",
		"events.num", "${EVENTS_NUM}", "person.proportion", "${PERSON_PROPORTION}",
		"auction.proportion", "${AUCTION_PROPORTION}", "bid.proportion", "${BID_PROPORTION}"))
	if r.String("bid.avg-size") != "100b" || r.String("events.num") != "${EVENTS_NUM}" {
		t.Errorf("values %v, bid.avg-size %q", r.Values, r.String("bid.avg-size"))
	}
	r = mustResolve(t, kvs("connector", "nexmark", "first-event.rate", " 10000000 ", "rate.shape", "sine",
		"bid.avg-size", "1 KB", "events.base-time", "-5"))
	if r.Int("first-event.rate") != 10000000 || r.String("rate.shape") != "SINE" || r.String("bid.avg-size") != "1 KB" ||
		r.Int("events.base-time") != -5 || r.Int("person.proportion") != 1 || r.String("rate.period") != "600 s" {
		t.Errorf("values %v", r.Values)
	}
	if probs := CheckRole(r, Sink); len(probs) != 1 || !strings.Contains(probs[0].Msg, "cannot be used as a sink") {
		t.Errorf("nexmark as sink: %v", probs)
	}
	if probs := CheckRole(r, Source); probs != nil {
		t.Errorf("nexmark as source: %v", probs)
	}
}

func TestParseMemorySize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"100", 100, true}, {"100b", 100, true}, {"100 bytes", 100, true}, {"1k", 1024, true},
		{"2 KB", 2048, true}, {"1kibibytes", 1024, true}, {"3m", 3 << 20, true}, {"1 mb", 1 << 20, true},
		{"1g", 1 << 30, true}, {"2 gb", 2 << 30, true}, {"1t", 1 << 40, true}, {" 0 ", 0, true},
		{"", 0, false}, {"kb", 0, false}, {"-1b", 0, false}, {"1.5kb", 0, false}, {"1 kilobyte", 0, false},
		{"99999999999999999999", 0, false}, {"9999999999 tb", 0, false},
	} {
		got, err := ParseMemorySize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseMemorySize(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "TRUE": true, "False": false, " false ": false} {
		if got, err := ParseBool(in); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "yes", "1", "t"} {
		if _, err := ParseBool(in); err == nil {
			t.Errorf("ParseBool(%q) accepted", in)
		}
	}
}

func TestExpand(t *testing.T) {
	env := map[string]string{"USER": "root", "PW": "s3cret", "EMPTY": ""}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		in, want, err string
	}{
		{"plain", "plain", ""},
		{"${USER}", "root", ""},
		{"jdbc:mysql://${USER}:${PW}@h/db", "jdbc:mysql://root:s3cret@h/db", ""},
		{"${MISSING:-dflt}", "dflt", ""},
		{"${EMPTY:-dflt}", "dflt", ""},
		{"${EMPTY}", "", ""},
		{"$USER and $", "$USER and $", ""},
		{"$${USER}", "${USER}", ""},
		{"cost $5", "cost $5", ""},
		{"${MISSING}", "", "environment variable MISSING is not set"},
		{"${USER", "", "unterminated variable reference"},
		{"${1X}", "", "invalid variable reference ${1X}"},
		{"${}", "", "invalid variable reference"},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in, getenv)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Expand(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if !HasVars("a${B}") || HasVars("a$B") || HasVars("$${B}") {
		t.Error("HasVars")
	}
}

func TestKeysAndConnectors(t *testing.T) {
	if got := Connectors(); !slices.Equal(got, []string{"blackhole", "datagen", "filesystem", "jdbc", "kafka", "nexmark", "print", "upsert-kafka"}) {
		t.Errorf("Connectors() = %v", got)
	}
	keys := Keys("filesystem", "csv")
	if !slices.IsSorted(keys) || !slices.Contains(keys, "path") || !slices.Contains(keys, "csv.ignore-parse-errors") || slices.Contains(keys, "update-mode") {
		t.Errorf("Keys(filesystem, csv) = %v", keys)
	}
	if got := Keys("blackhole", ""); !slices.Equal(got, []string{"connector"}) {
		t.Errorf("Keys(blackhole) = %v", got)
	}
	if Keys("nope", "") != nil {
		t.Error("Keys of unknown connector")
	}
}

func TestOverride(t *testing.T) {
	got := Override(seedJDBC, KV{"url", "jdbc:sqlite:out.db"})
	r := mustResolve(t, got)
	if r.String("url") != "jdbc:sqlite:out.db" || len(got) != len(seedJDBC) {
		t.Errorf("override of legacy key: %v", got)
	}
	got = Override(seedKafka, KV{"csv.ignore-parse-errors", "false"})
	r = mustResolve(t, got)
	if r.Bool("csv.ignore-parse-errors") {
		t.Errorf("override of format.ignore-parse-errors: %v", got)
	}
	got = Override(seedKafka, KV{"scan.startup.mode", "earliest-offset"})
	if len(got) != len(seedKafka)+1 {
		t.Errorf("new key not appended: %v", got)
	}
	if seedKafka[len(seedKafka)-1].Key != "format.ignore-parse-errors" {
		t.Error("Override modified its input")
	}
}

func TestCheckRole(t *testing.T) {
	p := mustResolve(t, kvs("connector", "print"))
	if probs := CheckRole(p, Source); len(probs) != 1 || probs[0].Key != "connector" {
		t.Errorf("print as source: %v", probs)
	}
	if probs := CheckRole(p, Sink); probs != nil {
		t.Errorf("print as sink: %v", probs)
	}
	d := mustResolve(t, kvs("connector", "datagen"))
	if probs := CheckRole(d, Sink); len(probs) != 1 {
		t.Errorf("datagen as sink: %v", probs)
	}
}

func TestEffective(t *testing.T) {
	r := mustResolve(t, seedJDBC)
	eff := r.Effective()
	if !slices.IsSortedFunc(eff, func(a, b KV) int { return strings.Compare(a.Key, b.Key) }) {
		t.Error("not sorted")
	}
	m := map[string]string{}
	for _, kv := range eff {
		m[kv.Key] = kv.Value
	}
	if m["url"] != "jdbc:mysql://localhost:3306/flink" || m["sink.buffer-flush.max-rows"] != "100" || m["sink.buffer-flush.interval"] != "1s" {
		t.Errorf("Effective = %v", eff)
	}
}

func TestCheckColumns(t *testing.T) {
	r := mustResolve(t, kvs("connector", "datagen", "fields.id.kind", "sequence", "fields.id.start", "1",
		"fields.nmae.length", "5"))
	probs := CheckColumns(r, []string{"id", "name"})
	if len(probs) != 2 {
		t.Fatalf("problems %v", probs)
	}
	if probs[0].Key != "fields.nmae.length" || !strings.Contains(probs[0].Msg, "unknown column 'nmae'; did you mean 'name'?") {
		t.Errorf("first %+v", probs[0])
	}
	if probs[1].Key != "" || !strings.Contains(probs[1].Msg, "missing option 'fields.id.end'") {
		t.Errorf("second %+v", probs[1])
	}
	ok := mustResolve(t, kvs("connector", "datagen", "fields.id.kind", "sequence", "fields.id.start", "1", "fields.id.end", "9"))
	if probs := CheckColumns(ok, []string{"id"}); probs != nil {
		t.Errorf("unexpected %v", probs)
	}
}

func TestPrefixed(t *testing.T) {
	r := mustResolve(t, seedKafka)
	if got := r.Prefixed("properties."); !reflect.DeepEqual(got, map[string]string{"bootstrap.servers": "localhost:9092"}) {
		t.Errorf("Prefixed = %v", got)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"path", "format", "csv.field-delimiter", "sink.buffer-flush.interval"}
	for in, want := range map[string]string{
		"pth": "path", "fromat": "format", "csv.field-delimeter": "csv.field-delimiter",
		"sink.buffer-flush.intreval": "sink.buffer-flush.interval", "xyz": "", "Path": "path",
	} {
		if got := suggest(in, cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
