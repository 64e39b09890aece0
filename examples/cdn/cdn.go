// Package cdn is the seed scenario of sqlc-stream, PyFlink's CDN log analysis:
//
//   - cdn.sql is the seed job with its Flink 1.10 DDL: Kafka topic access_log (CSV) ->
//     ip_to_province(client_ip) -> per-province statistics -> MySQL, flushed every second.
//   - cdn_local.sql is the same query on embedded defaults: the bundled sample
//     data/access_log.csv -> SQLite table access_statistic in cdn.db and the print sink.
//   - udf/ holds the Go UDF IPToProvince; mocklogs/ writes mock access logs to a file or
//     a Kafka topic; broker/ runs a local in-memory Kafka-protocol broker (kfake).
//   - run-kafka-mysql.sh runs cdn.sql against that broker and a local MariaDB and shows
//     the MySQL table updating; README.md walks through it.
//   - job/ holds the code generated from cdn_local.sql, kept current by go generate and
//     checked by TestGeneratedCodeIsCurrent.
package cdn

//go:generate go run ../../cmd/sqlc-stream compile -o job cdn_local.sql
