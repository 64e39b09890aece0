#!/usr/bin/env bash
# Did my change slow a hot path? Runs the hot-path Go benchmarks of a base revision
# (default: main, checked out with `git worktree` into a temporary directory) and of this
# working tree (uncommitted changes included), interleaved run by run so both sides see
# the same machine load, prints benchstat's comparison, and fails when a benchmark got
# slower (sec/op) or allocates more (allocs/op) by more than the threshold with p < 0.05.
#
#   scripts/benchcmp.sh                         # main vs working tree, -count 10
#   scripts/benchcmp.sh -b HEAD~1 -n 6          # another base, fewer runs
#   scripts/benchcmp.sh -bench 'Split|Scanner' ./runtimelib/csv ./runtimelib/json
#
# Options:
#   -b REF        base revision (default main)
#   -n COUNT      runs per side (default 10; benchstat wants >= 6 for p < 0.05)
#   -t PERCENT    regression threshold (default 10)
#   -bench REGEX  benchmarks to run (default .)
#   -benchtime D  go test -benchtime per run (default 1s)
#   PACKAGES      package patterns (default: the hot paths, ./runtimelib/... ./examples/cdn/udf)
#
# Benchmarks whose name contains "Baseline" measure a reference implementation (encoding/csv,
# encoding/json, strconv), not our code: they are shown but never fail the check.
# benchstat is golang.org/x/perf/cmd/benchstat: the one on PATH, or `go run` of the
# pinned version below (from the Go module proxy; go.mod is not touched).
# See docs/PERFORMANCE.md, "Did my change slow a hot path?".
set -euo pipefail

BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da

base=main count=10 threshold=10 bench=. benchtime=1s
pkgs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -b) base=$2; shift 2 ;;
    -n) count=$2; shift 2 ;;
    -t) threshold=$2; shift 2 ;;
    -bench) bench=$2; shift 2 ;;
    -benchtime) benchtime=$2; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "benchcmp: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) pkgs+=("$1"); shift ;;
  esac
done
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./runtimelib/... ./examples/cdn/udf)

root=$(git rev-parse --show-toplevel)
cd "$root"
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || { echo "benchcmp: no revision $base" >&2; exit 2; }

tmp=$(mktemp -d /tmp/benchcmp-XXXXXX)
cleanup() {
  git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'benchcmp: %s\n' "$*" >&2; }

say "checking out $base ($(git rev-parse --short "$base")) into a temporary worktree"
git worktree add --detach --quiet "$tmp/base" "$base"

# build SIDE TREE: compiles a test binary for every package (of pkgs) that has
# benchmarks, into $tmp/SIDE/, and lists "binary<TAB>package dir" in $tmp/SIDE.list.
build() {
  local side=$1 tree=$2
  mkdir -p "$tmp/$side"
  : >"$tmp/$side.list"
  (cd "$tree" && go list -f '{{.ImportPath}}	{{.Dir}}' "${pkgs[@]}" 2>/dev/null) |
    while IFS=$'\t' read -r path dir; do
      grep -qs '^func Benchmark' "$dir"/*_test.go || continue
      local bin="$tmp/$side/${path//\//_}.test"
      if (cd "$tree" && go test -c -o "$bin" "$path" >"$tmp/$side.build.log" 2>&1); then
        printf '%s\t%s\t%s\n' "$path" "$bin" "$dir" >>"$tmp/$side.list"
      else
        say "$side: $path does not build; skipped:"
        sed 's/^/  /' "$tmp/$side.build.log" >&2
      fi
    done
}
say "building test binaries (base, then working tree)"
build old "$tmp/base"
build new "$root"
[ -s "$tmp/new.list" ] || { echo "benchcmp: no benchmarks in ${pkgs[*]}" >&2; exit 2; }

# Interleave: run i of every package on the base, then on the working tree.
: >"$tmp/old.txt"
: >"$tmp/new.txt"
for i in $(seq "$count"); do
  say "run $i of $count"
  while IFS=$'\t' read -r path bin dir; do
    for side in old new; do
      line=$(grep -P "^\Q$path\E\t" "$tmp/$side.list" || true)
      [ -n "$line" ] || continue
      sbin=$(cut -f2 <<<"$line")
      sdir=$(cut -f3 <<<"$line")
      (cd "$sdir" && "$sbin" -test.run '^$' -test.bench "$bench" -test.benchmem \
        -test.benchtime "$benchtime" -test.count 1) >>"$tmp/$side.txt" 2>"$tmp/$side.err" || {
        say "$side: $path failed:"; cat "$tmp/$side.err" >&2; exit 1; }
    done
  done <"$tmp/new.list"
done

benchstat() {
  if command -v benchstat >/dev/null; then
    command benchstat "$@"
  else
    (cd "$tmp" && go run "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION" "$@")
  fi
}
(cd "$tmp" && mv old.txt base.txt && mv new.txt tree.txt)
echo
(cd "$tmp" && benchstat base.txt tree.txt)

# The gate: benchstat's CSV has, per package and unit, a header ",unit,CI,unit,CI,vs base,P"
# then rows "name,old,CI,new,CI,delta,P"; delta is "~" when p >= 0.05.
(cd "$tmp" && benchstat -format csv base.txt tree.txt 2>/dev/null) | awk -F, -v t="$threshold" '
  /^pkg: / { pkg = $0; sub(/^pkg: /, "", pkg); next }
  $1 == "" && $7 == "P" { unit = $2; next }
  $1 == "" || $1 == "geomean" { next }
  unit != "sec/op" && unit != "allocs/op" { next }
  $1 ~ /Baseline/ { next }
  $6 != "~" && $6 != "" {
    d = $6; sub(/%$/, "", d)
    p = $7; sub(/^p=/, "", p); sub(/ .*/, "", p)
    # "?": the base is 0 (allocs/op 0 -> 1), so no percentage.
    if (d == "?" && $4 + 0 > $2 + 0 && p + 0 < 0.05) d = "+Inf"
    if (d == "+Inf" || d + 0 > t) {
      printf "REGRESSION %s %s %s: %s -> %s (%s%%, %s)\n", pkg, $1, unit, $2, $4, d, $7
      bad++
    }
  }
  END { exit bad > 0 }
' >"$tmp/regressions.txt" && ok=1 || ok=0
echo
if [ "$ok" = 1 ]; then
  echo "benchcmp: no hot-path benchmark slowed by more than $threshold% (p < 0.05) against $base"
else
  cat "$tmp/regressions.txt"
  echo "benchcmp: FAIL: $(wc -l <"$tmp/regressions.txt") benchmark(s) slowed by more than $threshold% (p < 0.05) against $base"
  exit 1
fi
