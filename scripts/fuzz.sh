#!/usr/bin/env bash
# Runs each fuzz target of sqlc-stream, one target per go test invocation (go test
# -fuzz takes one). Without FUZZTIME, the short run of `make test` (scripts/test.sh):
# each target for a count of executions that takes a few seconds. Counts, not a
# duration: a duration-based -fuzztime can end in a spurious "context deadline
# exceeded" on a loaded machine (golang/go#75804, fixed in Go 1.27). With FUZZTIME (a
# duration, or Nx), the long run: `make fuzz FUZZTIME=10m` (docs/fuzzing.md).
# A failing input is written to the package's testdata/fuzz/<target>/ directory:
# commit it with the fix, and plain `go test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

# package target executions-for-the-short-run
targets=(
  "./parser FuzzFormat 50000x"
  "./parser FuzzParseScript 20000x"
  "./internal/difftest FuzzCodegen 100x"
  "./runtimelib/csv FuzzDecode 30000x"
  "./runtimelib/json FuzzDecode 30000x"
  "./runtimelib/types FuzzParseDecimal 30000x"
  "./codegen/internal/snapfuzz FuzzRestore 200x"
)

for t in "${targets[@]}"; do
  read -r pkg name short <<<"$t"
  budget="${FUZZTIME:-$short}"
  printf '== fuzz %s %s (%s)\n' "$pkg" "$name" "$budget"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$budget" "$pkg"
done
