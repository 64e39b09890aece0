#!/usr/bin/env bash
# The seed scenario on one machine: a local Kafka-protocol broker and a local MariaDB,
# mock CDN logs in the topic access_log, the seed job examples/cdn/cdn.sql running
# unchanged, and the MySQL table access_statistic shown as the job keeps it current.
# Everything it starts is stopped and removed on exit (also on Ctrl-C).
#
#   bash examples/cdn/run-kafka-mysql.sh
#
# Settings (environment):
#   RECORDS=200000    mock records produced before the job starts
#   RATE=5000         records/s produced while the table is shown
#   SHOW_SECONDS=8    how long the table is shown
#   KAFKA_PORT=0      broker port on 127.0.0.1 (0: any free port)
#
# Needs Go and MariaDB's server (installed with apt-get when missing; root or sudo).
# Nothing listens beyond 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."

RECORDS=${RECORDS:-200000}
RATE=${RATE:-5000}
SHOW_SECONDS=${SHOW_SECONDS:-8}
KAFKA_PORT=${KAFKA_PORT:-0}

say() { printf '\n== %s\n' "$*"; }

work=$(mktemp -d /tmp/sqlc-stream-cdn-XXXXXX)
broker_pid="" mariadb_pid="" job_pid="" producer_pid=""
cleanup() {
  set +e
  [ -n "$producer_pid" ] && kill "$producer_pid" 2>/dev/null && wait "$producer_pid" 2>/dev/null
  # The job runs in its own process group (go run, sqlc-stream run, the job binary).
  [ -n "$job_pid" ] && kill -TERM -- "-$job_pid" 2>/dev/null && wait "$job_pid" 2>/dev/null
  [ -n "$mariadb_pid" ] && kill "$mariadb_pid" 2>/dev/null && wait "$mariadb_pid" 2>/dev/null
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- MariaDB server binaries ---------------------------------------------------------
mariadbd=$(command -v mariadbd || true)
[ -z "$mariadbd" ] && [ -x /usr/sbin/mariadbd ] && mariadbd=/usr/sbin/mariadbd
if [ -z "$mariadbd" ]; then
  say "installing mariadb-server (Debian package)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
  mariadbd=/usr/sbin/mariadbd
fi

say "building the broker and mocklogs"
go build -o "$work/broker" ./examples/cdn/broker
go build -o "$work/mocklogs" ./examples/cdn/mocklogs

# --- Kafka-protocol broker (kfake, in memory) ----------------------------------------
"$work/broker" -port "$KAFKA_PORT" >"$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 100); do [ -s "$work/broker.out" ] && break; sleep 0.1; done
KAFKA_BOOTSTRAP_SERVERS=$(head -n1 "$work/broker.out")
case "$KAFKA_BOOTSTRAP_SERVERS" in
  127.0.0.1:*) ;;
  *) echo "broker did not start:"; cat "$work/broker.out"; exit 1 ;;
esac
say "Kafka-protocol broker on $KAFKA_BOOTSTRAP_SERVERS"

# --- MariaDB in a temporary datadir on a free loopback port --------------------------
port=""
for p in $(seq 33306 33406); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port in 33306..33406"; exit 1; }
user=$(id -un)
fast="--innodb-flush-method=nosync --innodb-doublewrite=0 --innodb-log-file-size=10M --innodb-buffer-pool-size=32M --skip-name-resolve"
mariadb-install-db --no-defaults --datadir="$work/data" --auth-root-authentication-method=normal \
  --skip-test-db --user="$user" $fast >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
"$mariadbd" --no-defaults --datadir="$work/data" --socket="$work/sock" --port="$port" \
  --bind-address=127.0.0.1 --pid-file="$work/pid" --user="$user" --skip-log-bin $fast \
  >"$work/mariadb.log" 2>&1 &
mariadb_pid=$!
sql() { mariadb --no-defaults -uroot -h127.0.0.1 -P"$port" --protocol=tcp "$@"; }
for _ in $(seq 100); do sql -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
sql -e 'SELECT 1' >/dev/null || { echo "MariaDB did not start:"; cat "$work/mariadb.log"; exit 1; }
export MYSQL_HOST_PORT=127.0.0.1:$port MYSQL_USER=flink MYSQL_PASSWORD=flink-pw KAFKA_BOOTSTRAP_SERVERS
say "MariaDB on $MYSQL_HOST_PORT: database flink, user flink, table access_statistic"
sql <<EOF
CREATE DATABASE flink;
CREATE USER 'flink'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
GRANT ALL ON flink.* TO 'flink'@'127.0.0.1';
CREATE TABLE flink.access_statistic (
  province VARCHAR(255) NOT NULL PRIMARY KEY,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
);
EOF

# --- mock logs ----------------------------------------------------------------------
say "producing $RECORDS mock records into access_log (4 partitions, 1% malformed)"
"$work/mocklogs" -brokers "$KAFKA_BOOTSTRAP_SERVERS" -topic access_log -partitions 4 \
  -n "$RECORDS" -seed 1 -malformed 0.01 -with-uri

# --- the job --------------------------------------------------------------------------
say "starting the job: go run ./cmd/sqlc-stream run examples/cdn/cdn.sql"
# Its own process group, so cleanup stops go run, the CLI and the job binary together;
# the job flushes once more on SIGTERM.
setsid go run ./cmd/sqlc-stream run examples/cdn/cdn.sql 2> >(sed 's/^/[job] /' >&2) &
job_pid=$!

show() {
  sql -t -e "SELECT province, access_count, total_download, ROUND(download_speed, 3) AS download_speed
             FROM flink.access_statistic ORDER BY access_count DESC LIMIT 5;
             SELECT COUNT(*) AS provinces, COALESCE(SUM(access_count), 0) AS records_counted FROM flink.access_statistic;"
}

# Wait until the job has written its first flush (it builds first, which takes a while
# the first time).
for _ in $(seq 600); do
  n=$(sql -N -e 'SELECT COUNT(*) FROM flink.access_statistic' 2>/dev/null || echo 0)
  [ "$n" != 0 ] && break
  kill -0 "$job_pid" 2>/dev/null || { echo "the job stopped"; exit 1; }
  sleep 0.5
done

say "producing $RATE more records/s; the table, once a second for $SHOW_SECONDS s"
"$work/mocklogs" -brokers "$KAFKA_BOOTSTRAP_SERVERS" -topic access_log -n 0 -rate "$RATE" \
  -seed 2 -malformed 0.01 -with-uri 2>"$work/producer.log" &
producer_pid=$!
for i in $(seq "$SHOW_SECONDS"); do
  echo "-- $(date +%T)"
  show
  sleep 1
done

say "stopping the producer"
kill "$producer_pid"; wait "$producer_pid" 2>/dev/null || true; producer_pid=""
cat "$work/producer.log"
sent=$(sed -n 's/^mocklogs: \([0-9]*\) records.*/\1/p' "$work/producer.log")
total=$((RECORDS + ${sent:-0}))
say "waiting until the table counts all $total records"
counted=0
for _ in $(seq 100); do
  counted=$(sql -N -e 'SELECT COALESCE(SUM(access_count), 0) FROM flink.access_statistic')
  [ "$counted" = "$total" ] && break
  sleep 0.2
done
say "stopping the job (SIGTERM: it flushes once more and exits)"
kill -TERM -- "-$job_pid"; wait "$job_pid" 2>/dev/null || true; job_pid=""
say "final table: $counted of $total records counted"
show
[ "$counted" = "$total" ]
