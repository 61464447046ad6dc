#!/usr/bin/env bash
# Runs each fuzz target of BUILD (a -DPADDOCK_FUZZ=ON build) for SECONDS from fresh seeds (fuzz/seed.sh) and
# fails on the first finding; crash inputs are left in BUILD/fuzz/findings/. What scripts/test.sh runs in CI.
# Usage: fuzz/run.sh BUILD [SECONDS=60]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD [SECONDS]}" && pwd)
seconds=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/fuzz/seed.sh" "$work" >/dev/null
mkdir -p "$build/fuzz/findings"
declare -A dict=([c]=c.dict [cat]=cat.dict [diff]=c.dict [asm]=asm.dict) timeout=([c]=10 [cat]=10 [diff]=30 [asm]=10)
for t in c cat diff asm; do
  echo "fuzz_$t: ${seconds} s"
  if ! ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$t" -dict="$root/fuzz/${dict[$t]}" -timeout=${timeout[$t]} \
      -rss_limit_mb=3072 -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$build/fuzz/findings/$t-" "$work/$t" >"$work/$t.log" 2>&1; then
    tail -60 "$work/$t.log"
    echo "fuzz_$t: FINDING (input in $build/fuzz/findings/)"
    exit 1
  fi
  grep -E '^#[0-9]+.*DONE' "$work/$t.log" | tail -1
done
