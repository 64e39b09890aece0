# The two commands README.md promises, and a few more for development.
.PHONY: cdn cdn-kafka test generate bench

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

bench:
	go test -run '^$$' -bench . -benchmem ./...
