#!/bin/sh
# The large tests of issue 8's goals, one process each: verdict and counts, wall, CPU and peak RSS (GNU time).
#   bench/scaling/large.sh [PADDOCK] [OUTDIR]
# Uses the kernel's LKMM files from ../shared/corpus/kernel-model when present (else the bundled model).
set -e
here=$(cd "$(dirname "$0")" && pwd)
paddock=${1:-$here/../../build/paddock}
out=${2:-/tmp/paddock-large}
mkdir -p "$out"
conf=$here/../../../shared/corpus/kernel-model/linux-kernel.cfg
[ -f "$conf" ] || conf=
run() {  # JOBS FAMILY N
  f=$(python3 "$here/gen.py" "$2" "$3" "$out")
  /usr/bin/time -f "%e s wall %U s CPU %M KB" -o "$out/time.txt" timeout 300 \
    "$paddock" -j "$1" ${conf:+-conf "$conf"} "$f" >"$out/report.txt" || true
  printf '%-14s %2s -j%s  %-28s %s\n' "$2" "$3" "$1" "$(grep '^Observation' "$out/report.txt" | cut -d' ' -f3-)" \
    "$(tail -1 "$out/time.txt")"
}
run 1 rcu-some 16; run 2 rcu-some 16; run 1 rcu-some 19; run 2 rcu-some 19
run 1 sb-lock-C 5; run 1 sb-lock-X 5; run 1 sb-lock-CE 4; run 1 sb-lock-CE 5; run 1 sb-lock-XE 5; run 2 sb-lock-XE 5
run 1 xchg-handoff 3; run 2 xchg-handoff 4
