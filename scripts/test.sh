#!/usr/bin/env bash
# Runs every test of sqlc-stream on a fresh Debian machine with Go, as root or with sudo.
# It installs what the tests need (MariaDB from Debian; the Kafka-protocol broker is
# in-process kfake on loopback), checks formatting and vet, then runs go test.
#
# Set SQLC_STREAM_MYSQL_DSN or SQLC_STREAM_KAFKA to run the integration tests against
# external servers instead of the ones the tests start themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*"; }

if [ -z "${SQLC_STREAM_MYSQL_DSN:-}" ] && ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  log "installing mariadb-server (Debian package) for the MySQL sink tests"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
fi

if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium (Debian package) for the status page test (e2e TestMetrics)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

log "go mod download"
go mod download

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "not gofmt'd:"; echo "$unformatted"; exit 1
fi

log "go vet"
go vet ./...

log "go test"
go test -count=1 -timeout 15m ./...

# A few seconds of every fuzz target, one per go test invocation (docs/fuzzing.md).
log "fuzz (a few seconds of each target)"
bash scripts/fuzz.sh
