// Package testservers starts the real servers that connector tests run against, on
// loopback only:
//
//   - Kafka: an in-process Kafka-protocol broker (github.com/twmb/franz-go/pkg/kfake),
//     one per test, or the external broker named by $SQLC_STREAM_KAFKA
//     ("host:port[,host:port]"). Topics get unique names, so an external broker is safe.
//     StartBroker's in-process broker can be taken away and brought back on the same
//     address (Cut and Restore: its listener drops every connection and releases the
//     port, the broker keeps its data) or restarted empty (RestartEmpty), for outage
//     tests.
//   - MariaDB: one mariadbd from the Debian package per test binary, in a temporary
//     datadir on a free loopback port, with a fresh database per test; or the external
//     server named by $SQLC_STREAM_MYSQL_DSN (a go-sql-driver/mysql DSN such as
//     "root:pw@tcp(127.0.0.1:3306)/"). A test that needs MariaDB fails (never skips)
//     when mariadbd is not installed: the README's test command installs it.
//
// Call Main from the package's TestMain so the shared MariaDB is stopped at the end:
//
//	func TestMain(m *testing.M) { testservers.Main(m) }
package testservers
