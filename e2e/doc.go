// Package e2e holds the integration tests of the seed scenario through the real path:
// SQL file -> `sqlc-stream build` -> static job binary -> run against a Kafka-protocol
// broker and MariaDB on loopback (package internal/testservers starts both, or points
// at external ones through SQLC_STREAM_KAFKA and SQLC_STREAM_MYSQL_DSN) -> the job's
// output compared with an independent computation of the query (internal/cdnref).
//
// Mock CDN logs come from examples/cdn/mock, written with acks=all into a 4-partition
// topic; the job is told to stop once it has caught up, with Flink's
// 'scan.bounded.mode' (latest-offset when it starts after production, specific-offsets
// at the known end of each partition when it starts before).
//
// TestCDN's subtests: ProducedFirst and JobFirst (examples/cdn/cdn.sql unchanged, the
// job started after or before production), JSON (JSON values, Flink >= 1.11 keys),
// UpsertKafka (the result into an upsert-kafka topic, read back as last value per key)
// and MariaDBRestart (the server stopped and started while the job runs).
//
// TestKafkaCommitAtLeastOnce builds a job with a Go function from a scratch module: it
// fails on a poison record, is restarted with the same consumer group once the poison is
// harmless, and the two runs together must have written every record (the group's offset
// never passes a record whose results were not durably written).
//
// TestRestartAfterTaskError (restart_test.go) runs a file job whose Go function fails
// once: with checkpoints it restarts from its last checkpoint (Flink's default
// exponential-delay), without them from the start with a strategy SET in the script, and
// not at all with none; a record that always fails gets one restart, then ends the job.
// TestSeedSurvivesOutages is issue 11's acceptance 2: the seed job
// with two SET statements for checkpoints survives MariaDB stopped and the broker gone
// for $SQLC_STREAM_E2E_OUTAGE (15 s by default; 30s in the acceptance) and ends exact.
// TestRestartKafkaBrokerGone takes the broker away from a job that writes an
// upsert-kafka topic for longer than the sink's retries: the job restarts from its
// checkpoint, waits for the broker and ends exact.
// TestBadInput (badinput_test.go) writes records of which 1% are malformed (short,
// long, garbage, non-numeric, a 1 MB line) into a file and a topic, in CSV and JSON, and
// checks what the job prints and counts under ignore-parse-errors against Flink's rules,
// computed from what the test wrote, and that without it the job stops at the first bad
// record, naming it.
//
// The default run uses 50,000 records per test; set SQLC_STREAM_E2E_RECORDS=1000000 for
// the figures of the notes. Each test logs the job's records per second.
package e2e
