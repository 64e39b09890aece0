# The two commands README.md promises, and a few more for development.
.PHONY: cdn test generate bench

# Run the seed CDN job on embedded defaults: bundled CSV sample -> Go UDF -> per-province
# aggregation -> SQLite table examples/cdn/cdn.db and the print sink on standard output.
cdn:
	cd examples/cdn && go run ../../cmd/sqlc-stream run cdn_local.sql

# Install and start what the tests need, then run every test.
test:
	bash scripts/test.sh

# Regenerate committed generated code (examples) after a compiler change.
generate:
	go generate ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
