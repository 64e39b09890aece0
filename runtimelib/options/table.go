package options

import "math"

// valueKind is what an option's value must parse as.
type valueKind uint8

const (
	kString   valueKind = iota
	kBool               // true|false, any case
	kInt                // a decimal integer
	kFloat              // a decimal number
	kDuration           // Flink duration syntax
	kEnum               // one of desc.enum, any case; stored in the listed spelling
	kChar               // one character, Java escapes allowed ("\t", "\u0001")
	kMemory             // Flink MemorySize syntax: "100b", "1 kb", "64mb" (bytes without a unit)
)

func (k valueKind) String() string {
	switch k {
	case kBool:
		return "boolean"
	case kInt:
		return "integer"
	case kFloat:
		return "number"
	case kDuration:
		return "duration"
	case kEnum:
		return "enum"
	case kChar:
		return "character"
	case kMemory:
		return "memory size"
	}
	return "string"
}

// desc describes one option of a connector or format.
//
// A key may hold one '#' segment (any name: a column name for datagen's fields.#.kind) or
// end in ".*" (any non-empty suffix: Kafka's properties.*).
type desc struct {
	key      string
	kind     valueKind
	def      string // default value; "" = none
	required bool
	enum     []string
	// bounds, when set, is the closed range an integer or memory size must lie in
	// (Java int options: at most 2147483647), also a number's, and a duration's in
	// milliseconds: where Flink checks one (JdbcDynamicTableFactory: sink.max-retries
	// not negative; a parallelism positive) or the runtime needs one.
	bounds *[2]int64
	// unsupported, when set, makes using the key a problem with this message: the key is
	// known (it is Flink's) but this runtime does not implement it yet.
	unsupported string
	// legacy marks keys that exist only in Flink 1.10 form and have no modern name
	// (connector.version, update-mode): accepted, not listed among the valid options.
	legacy bool
	// note, when set, is added to Resolved.Notes when the key is used.
	note string
}

// connectorDesc is the option table of one connector.
type connectorDesc struct {
	name    string
	options []desc
	// formatKey says how the connector takes its value format: "" (no format), "format"
	// (filesystem), "format|value.format" (kafka: either key), "value.format" (upsert-kafka).
	formatKey string
	// keyFormat: the connector also takes key.format with key.<fmt>.* options.
	keyFormat bool
}

// Ranges of integer options: Java int options end at 2147483647.
var (
	positiveInt    = &[2]int64{1, math.MaxInt32}
	nonNegativeInt = &[2]int64{0, math.MaxInt32}
	nonNegativeLng = &[2]int64{0, math.MaxInt64}
	positiveLng    = &[2]int64{1, math.MaxInt64}
	probability    = &[2]int64{0, 1}                // a number's range
	atLeastSecond  = &[2]int64{1000, math.MaxInt64} // a duration's, in milliseconds
)

// The dead-letter options of a filesystem or Kafka source: ours, not Flink's (the
// namespace of CREATE FUNCTION's 'dead-letter.table'). Records that ignore-parse-errors
// skips (and, unless include-nulled is false, those it reads with fields set to NULL)
// are written, with where they came from, to a file (JSON lines) or a Kafka topic (the
// record as the value, the rest in headers): runtimelib/job's DeadLetter.
var (
	deadLetterPath    = desc{key: "dead-letter.path"}
	deadLetterTopic   = desc{key: "dead-letter.topic"}
	deadLetterServers = desc{key: "dead-letter.properties.bootstrap.servers"}
	deadLetterNulled  = desc{key: "dead-letter.include-nulled", kind: kBool, def: "true"}
)

var startupModes = []string{"earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets"}

// The tables follow Flink's connector documentation (1.17+) for modern keys.
var connectors = map[string]*connectorDesc{
	"filesystem": {
		name:      "filesystem",
		formatKey: "format",
		options: []desc{
			{key: "path", required: true},
			{key: "source.monitor-interval", kind: kDuration, unsupported: "streaming file source not supported yet (source.monitor-interval): the filesystem source reads its path once"},
			{key: "source.path.regex-pattern"},
			{key: "partition.default-name", def: "__DEFAULT_PARTITION__"},
			{key: "sink.rolling-policy.file-size", kind: kMemory, def: "128MB", bounds: positiveLng},
			{key: "sink.rolling-policy.rollover-interval", kind: kDuration, def: "30 min"},
			{key: "sink.rolling-policy.check-interval", kind: kDuration, def: "1 min"},
			{key: "sink.rolling-policy.inactivity-interval", kind: kDuration},
			{key: "sink.parallelism", kind: kInt, bounds: positiveInt},
			{key: "auto-compaction", kind: kBool, def: "false"},
			{key: "compaction.file-size"},
			{key: "sink.partition-commit.trigger", kind: kEnum, enum: []string{"process-time", "partition-time"}, def: "process-time"},
			{key: "sink.partition-commit.delay", kind: kDuration, def: "0 s"},
			{key: "sink.partition-commit.policy.kind"},
			{key: "sink.partition-commit.success-file.name", def: "_SUCCESS"},
			{key: "sink.partition-commit.policy.class", unsupported: "custom partition commit policies (sink.partition-commit.policy.class) are Java classes: not supported"},
			{key: "sink.partition-commit.policy.class.parameters", unsupported: "custom partition commit policies (sink.partition-commit.policy.class) are Java classes: not supported"},
			{key: "sink.partition-commit.watermark-time-zone", def: "UTC"},
			{key: "partition.time-extractor.kind", kind: kEnum, enum: []string{"default"}, def: "default"},
			{key: "partition.time-extractor.class", unsupported: "custom partition time extractors (partition.time-extractor.class) are Java classes: not supported"},
			{key: "partition.time-extractor.timestamp-pattern"},
			{key: "partition.time-extractor.timestamp-formatter"},
			{key: "update-mode", kind: kEnum, enum: []string{"append", "upsert", "retract"}, legacy: true},
			deadLetterPath, deadLetterTopic, deadLetterServers, deadLetterNulled,
		},
	},
	"datagen": {
		name: "datagen",
		options: []desc{
			{key: "rows-per-second", kind: kInt, def: "10000", bounds: positiveLng},
			{key: "number-of-rows", kind: kInt, bounds: nonNegativeLng},
			{key: "scan.parallelism", kind: kInt, bounds: positiveInt},
			{key: "fields.#.kind", kind: kEnum, enum: []string{"random", "sequence"}, def: "random"},
			{key: "fields.#.min"},
			{key: "fields.#.max"},
			{key: "fields.#.max-past", kind: kDuration, def: "0"},
			{key: "fields.#.length", kind: kInt, def: "100"},
			{key: "fields.#.var-len", kind: kBool, def: "false"},
			{key: "fields.#.start"},
			{key: "fields.#.end"},
			{key: "fields.#.null-rate", kind: kFloat, def: "0", bounds: probability},
		},
	},
	"print": {
		name: "print",
		options: []desc{
			{key: "print-identifier"},
			{key: "standard-error", kind: kBool, def: "false"},
			{key: "sink.parallelism", kind: kInt, bounds: positiveInt},
		},
	},
	"blackhole": {name: "blackhole"},
	// nexmark: the Nexmark benchmark's event generator (runtimelib/nexmark), with the
	// options of Flink's nexmark connector (NexmarkSourceOptions) and their defaults.
	"nexmark": {
		name: "nexmark",
		options: []desc{
			{key: "first-event.rate", kind: kInt, def: "10000", bounds: positiveInt},
			{key: "next-event.rate", kind: kInt, def: "10000", bounds: positiveInt},
			{key: "rate.shape", kind: kEnum, enum: []string{"SQUARE", "SINE"}, def: "SQUARE"},
			{key: "rate.period", kind: kDuration, def: "600 s"},
			{key: "rate.limited", kind: kBool, def: "false"},
			{key: "events.num", kind: kInt, def: "0", bounds: nonNegativeLng},
			{key: "events.base-time", kind: kInt},
			{key: "person.proportion", kind: kInt, def: "1", bounds: nonNegativeInt},
			{key: "auction.proportion", kind: kInt, def: "3", bounds: nonNegativeInt},
			{key: "bid.proportion", kind: kInt, def: "46", bounds: nonNegativeInt},
			{key: "bid.hot-ratio.auctions", kind: kInt, def: "2", bounds: positiveInt},
			{key: "bid.hot-ratio.bidders", kind: kInt, def: "4", bounds: positiveInt},
			{key: "auction.hot-ratio.sellers", kind: kInt, def: "4", bounds: positiveInt},
			{key: "person.avg-size", kind: kMemory, def: "200b", bounds: nonNegativeInt},
			{key: "auction.avg-size", kind: kMemory, def: "500b", bounds: nonNegativeInt},
			{key: "bid.avg-size", kind: kMemory, def: "100b", bounds: nonNegativeInt},
			{key: "max-emit-speed", kind: kBool, def: "true"},
		},
	},
	"jdbc": {
		name: "jdbc",
		options: []desc{
			{key: "url", required: true},
			{key: "table-name", required: true},
			{key: "driver"},
			{key: "username"},
			{key: "password"},
			{key: "connection.max-retry-timeout", kind: kDuration, def: "60s", bounds: atLeastSecond},
			{key: "scan.partition.column"},
			{key: "scan.partition.num", kind: kInt, bounds: positiveInt},
			{key: "scan.partition.lower-bound", kind: kInt},
			{key: "scan.partition.upper-bound", kind: kInt},
			{key: "scan.fetch-size", kind: kInt, def: "0"},
			{key: "scan.auto-commit", kind: kBool, def: "true"},
			{key: "lookup.cache", kind: kEnum, enum: []string{"NONE", "PARTIAL"}, def: "NONE"},
			{key: "lookup.cache.max-rows", kind: kInt},
			{key: "lookup.cache.ttl", kind: kDuration},
			{key: "lookup.cache.caching-missing-key", kind: kBool, def: "true"},
			{key: "lookup.max-retries", kind: kInt, def: "3", bounds: nonNegativeInt},
			{key: "sink.buffer-flush.max-rows", kind: kInt, def: "100"},
			{key: "sink.buffer-flush.interval", kind: kDuration, def: "1s"},
			{key: "sink.max-retries", kind: kInt, def: "3", bounds: nonNegativeInt},
			{key: "sink.parallelism", kind: kInt, bounds: positiveInt},
			{key: "update-mode", kind: kEnum, enum: []string{"append", "upsert", "retract"}, legacy: true},
		},
	},
	"kafka": {
		name:      "kafka",
		formatKey: "format|value.format",
		keyFormat: true,
		options: []desc{
			{key: "topic"},
			{key: "topic-pattern"},
			{key: "properties.bootstrap.servers", required: true},
			{key: "properties.group.id"},
			{key: "properties.*"},
			{key: "key.fields"},
			{key: "key.fields-prefix"},
			{key: "value.fields-include", kind: kEnum, enum: []string{"ALL", "EXCEPT_KEY"}, def: "ALL"},
			{key: "scan.startup.mode", kind: kEnum, enum: startupModes, def: "group-offsets"},
			{key: "scan.startup.specific-offsets"},
			{key: "scan.startup.timestamp-millis", kind: kInt},
			{key: "scan.bounded.mode", kind: kEnum, enum: []string{"unbounded", "latest-offset", "group-offsets", "timestamp", "specific-offsets"}, def: "unbounded"},
			{key: "scan.bounded.specific-offsets"},
			{key: "scan.bounded.timestamp-millis", kind: kInt},
			{key: "scan.topic-partition-discovery.interval", kind: kDuration, def: "5 min"},
			{key: "scan.parallelism", kind: kInt, bounds: positiveInt},
			{key: "sink.partitioner", def: "default"},
			{key: "sink.semantic", kind: kEnum, enum: []string{"at-least-once", "exactly-once", "none"}, note: "sink.semantic is accepted, but the kafka sinks write at least once whatever it says (no Kafka transactions; see docs/checkpoints.md)"},
			{key: "sink.delivery-guarantee", kind: kEnum, enum: []string{"at-least-once", "exactly-once", "none"}, def: "at-least-once", note: "sink.delivery-guarantee is accepted, but the kafka sinks write at least once whatever it says (no Kafka transactions; see docs/checkpoints.md)"},
			{key: "sink.transactional-id-prefix"},
			{key: "sink.parallelism", kind: kInt, bounds: positiveInt},
			{key: "connector.version", kind: kEnum, enum: []string{"universal"}, legacy: true},
			{key: "update-mode", kind: kEnum, enum: []string{"append", "upsert", "retract"}, legacy: true},
			{key: "connector.properties.zookeeper.connect", legacy: true, note: "connector.properties.zookeeper.connect is accepted and unused"},
			deadLetterPath, deadLetterTopic, deadLetterServers, deadLetterNulled,
		},
	},
	"upsert-kafka": {
		name:      "upsert-kafka",
		formatKey: "value.format",
		keyFormat: true,
		options: []desc{
			{key: "topic", required: true},
			{key: "properties.bootstrap.servers", required: true},
			{key: "properties.*"},
			{key: "key.fields-prefix"},
			{key: "value.fields-include", kind: kEnum, enum: []string{"ALL", "EXCEPT_KEY"}, def: "ALL"},
			{key: "sink.parallelism", kind: kInt, bounds: positiveInt},
			{key: "sink.buffer-flush.max-rows", kind: kInt, def: "0"},
			{key: "sink.buffer-flush.interval", kind: kDuration, def: "0"},
			{key: "sink.delivery-guarantee", kind: kEnum, enum: []string{"at-least-once", "exactly-once", "none"}, def: "at-least-once", note: "sink.delivery-guarantee is accepted, but the kafka sinks write at least once whatever it says (no Kafka transactions; see docs/checkpoints.md)"},
			{key: "sink.transactional-id-prefix"},
		},
	},
}

// formats are the option tables of the value/key formats; keys carry the format prefix.
var formats = map[string][]desc{
	"csv": {
		{key: "csv.field-delimiter", kind: kChar, def: ","},
		{key: "csv.disable-quote-character", kind: kBool, def: "false"},
		{key: "csv.quote-character", kind: kChar, def: `"`},
		{key: "csv.allow-comments", kind: kBool, def: "false"},
		{key: "csv.ignore-parse-errors", kind: kBool, def: "false"},
		{key: "csv.array-element-delimiter", def: ";"},
		{key: "csv.escape-character", kind: kChar},
		{key: "csv.null-literal"},
		{key: "csv.write-bigdecimal-in-scientific-notation", kind: kBool, def: "true"},
	},
	"json": {
		{key: "json.fail-on-missing-field", kind: kBool, def: "false"},
		{key: "json.ignore-parse-errors", kind: kBool, def: "false"},
		{key: "json.timestamp-format.standard", kind: kEnum, enum: []string{"SQL", "ISO-8601"}, def: "SQL"},
		{key: "json.map-null-key.mode", kind: kEnum, enum: []string{"FAIL", "DROP", "LITERAL"}, def: "FAIL"},
		{key: "json.map-null-key.literal", def: "null"},
		{key: "json.encode.decimal-as-plain-number", kind: kBool, def: "false"},
		{key: "json.encode.ignore-null-fields", kind: kBool, def: "false"},
		{key: "json.decode.json-parser.enabled", kind: kBool, def: "true"},
	},
}

// legacyKeys maps Flink 1.10 keys to their modern names (connector.properties.* and
// format.* are mapped by rule in Resolve).
var legacyKeys = map[string]string{
	"connector.type":                       "connector",
	"connector.topic":                      "topic",
	"connector.startup-mode":               "scan.startup.mode",
	"connector.specific-offsets":           "scan.startup.specific-offsets",
	"connector.startup-timestamp-millis":   "scan.startup.timestamp-millis",
	"connector.sink-partitioner":           "sink.partitioner",
	"connector.path":                       "path",
	"connector.url":                        "url",
	"connector.table":                      "table-name",
	"connector.driver":                     "driver",
	"connector.username":                   "username",
	"connector.password":                   "password",
	"connector.read.partition.column":      "scan.partition.column",
	"connector.read.partition.num":         "scan.partition.num",
	"connector.read.partition.lower-bound": "scan.partition.lower-bound",
	"connector.read.partition.upper-bound": "scan.partition.upper-bound",
	"connector.read.fetch-size":            "scan.fetch-size",
	"connector.lookup.cache.max-rows":      "lookup.cache.max-rows",
	"connector.lookup.cache.ttl":           "lookup.cache.ttl",
	"connector.lookup.max-retries":         "lookup.max-retries",
	"connector.write.flush.interval":       "sink.buffer-flush.interval",
	"connector.write.flush.max-rows":       "sink.buffer-flush.max-rows",
	"connector.write.max-retries":          "sink.max-retries",
	"format.type":                          "format",
}

// legacyFormatOnly are 1.10 format keys with no modern counterpart: accepted and unused.
var legacyFormatOnly = map[string]bool{
	"format.derive-schema":  true,
	"format.line-delimiter": true,
}
