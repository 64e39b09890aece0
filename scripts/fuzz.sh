#!/usr/bin/env bash
# Runs each fuzz target of sqlc-stream for FUZZTIME (default 5s), one target per
# go test invocation (go test -fuzz takes one). scripts/test.sh runs it with the
# default as a smoke test; `make fuzz FUZZTIME=10m` is the long run (docs/fuzzing.md).
# A failing input is written to the package's testdata/fuzz/<target>/ directory:
# commit it with the fix, and plain `go test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-5s}"

# package target
targets=(
  "./parser FuzzFormat"
  "./parser FuzzParseScript"
  "./internal/difftest FuzzCodegen"
  "./runtimelib/csv FuzzDecode"
  "./runtimelib/json FuzzDecode"
  "./runtimelib/types FuzzParseDecimal"
  "./codegen/internal/snapfuzz FuzzRestore"
)

for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  printf '== fuzz %s %s for %s\n' "$pkg" "$name" "$FUZZTIME"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg"
done
