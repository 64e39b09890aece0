// Package options describes the WITH options of every connector and format in one
// table, and resolves a table's written options into validated, modern-keyed values.
//
// The compiler calls Resolve for each CREATE TABLE to report problems at the key as
// written; the job binary calls it again at start, after -D overrides and ${NAME}
// expansion, and hands the Resolved to the connector and format constructors.
//
// Keys follow Flink ≥1.11 ('connector' = 'kafka', 'scan.startup.mode', 'csv.*'). The
// Flink 1.10 keys of the seed job are mapped to them:
//
//	connector.type            -> connector  (kafka, jdbc, filesystem)
//	connector.version         accepted ('universal' only)
//	connector.topic           -> topic
//	connector.startup-mode    -> scan.startup.mode
//	connector.specific-offsets, connector.startup-timestamp-millis -> scan.startup.*
//	connector.properties.X    -> properties.X (zookeeper.connect: accepted, unused, noted)
//	connector.path            -> path
//	connector.url, connector.table, connector.driver, connector.username, connector.password
//	                          -> url, table-name, driver, username, password
//	connector.write.flush.interval, connector.write.flush.max-rows, connector.write.max-retries
//	                          -> sink.buffer-flush.interval, sink.buffer-flush.max-rows, sink.max-retries
//	format.type               -> format
//	format.X                  -> <format>.X (format.field-delimiter -> csv.field-delimiter)
//	format.derive-schema, format.line-delimiter, update-mode   accepted
//
// Writing one option twice, also once in legacy and once in modern form, is a problem.
//
// Formats: a format's options carry its name as prefix (csv.field-delimiter). Kafka takes
// 'format' or 'value.format' (the same option) and optionally 'key.format'; value-format
// options may be written value.<fmt>.X and are stored as <fmt>.X, key-format options
// are key.<fmt>.X (Resolved.KeyFormatOptions gives a view where they read as <fmt>.X).
//
// Values: durations use Flink's syntax ("1s", "1 min", "500" = milliseconds), memory
// sizes too ("100b", "1 kb": powers of 1024), integers may have a range (a Java int
// rate from 1 to 2147483647), booleans are true/false in any case, enums match
// case-insensitively and are stored in Flink's spelling, single-character options
// accept Java escapes ("\t", kept as written for the format to interpret). A value
// containing ${NAME} is checked only after Expand, when the job starts.
//
// Numeric options may have a range (desc.bounds) where Flink checks one or the runtime
// needs one (sink.max-retries of at least 0, a parallelism from 1): a value outside it is
// a problem like a value that does not parse.
//
// Secrets (mask.go): MaskValue shows an option's value with its secret masked, Redact
// masks URL passwords, password=... pairs and given secrets in any text; the compiler and
// the job runtime print options and messages through them.
//
// Ours, not Flink's: a filesystem or Kafka source's dead-letter.* options (table.go,
// checkDeadLetter; docs/connectors.md "Dead letters").
//
// Besides Resolve: CheckRole (a print table read from, a datagen table written to) and
// CheckColumns (datagen's fields.<column>.* name real columns) need what the compiler
// knows; Canonical and Override let the job apply -D overrides written in either key
// form; Connectors, Formats and Keys list what is supported, for docs and --help.
package options
