# The two commands README.md promises, and a few more for development.
.PHONY: cdn cdn-kafka test generate bench bench-go benchcmp difftest fuzz

# Run the seed CDN job on embedded defaults: bundled CSV sample -> Go UDF -> per-province
# aggregation -> SQLite table examples/cdn/cdn.db and the print sink on standard output,
# then show the SQLite table.
cdn:
	cd examples/cdn && go run ../../cmd/sqlc-stream run cdn_local.sql
	@echo
	@echo "access_statistic in examples/cdn/cdn.db:"
	@cd examples/cdn && go run ./showstats cdn.db

# The seed job as written (cdn.sql): a local Kafka-protocol broker and MariaDB, mock logs,
# the MySQL table updating every second. Installs mariadb-server if missing.
cdn-kafka:
	bash examples/cdn/run-kafka-mysql.sh

# Install and start what the tests need, then run every test.
test:
	bash scripts/test.sh

# Regenerate committed generated code (examples) after a compiler change.
generate:
	go generate ./...

# Issues 5 and 10's targets side by side: generated jobs vs hand-written Go, parallel speed-up,
# compile latency, memory, Kafka -> MySQL; prints one table (docs/PERFORMANCE.md).
# Flags through ARGS, e.g. make bench ARGS='-n 2000000 -only cdn,compile'.
# Installs mariadb-server (Debian package) for the Kafka -> MySQL row when missing.
bench:
	@if [ -z "$${SQLC_STREAM_MYSQL_DSN:-}" ] && ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then \
	  echo "== installing mariadb-server for the Kafka -> MySQL row"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null; \
	fi
	go run ./bench $(ARGS)

# The Go micro-benchmarks of the hot paths (decoders, parsers, loop, sinks).
bench-go:
	go test -run '^$$' -bench . -benchmem ./runtimelib/... ./examples/cdn/udf

# Did my change slow a hot path? main vs the working tree with benchstat.
benchcmp:
	bash scripts/benchcmp.sh

# The differential tester's long run: N random queries (default 5000) compiled, run at
# parallelism 1, 2 and 4 and checked against the reference evaluator; failing cases are
# reduced into difftest-found/. SEED=n repeats a run.
N ?= 5000
SEED ?= 0
KNOWN ?= true
difftest:
	go test ./internal/difftest -run TestDifferential -count=1 -timeout 0 -v \
	  -queries $(N) -seed $(SEED) -known=$(KNOWN) -found $(CURDIR)/difftest-found

# The fuzz targets' long run: each target for FUZZTIME (docs/fuzzing.md); new failing
# inputs land in the packages' testdata/fuzz directories.
FUZZTIME ?= 5m
fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh
