#!/usr/bin/env bash
# Fills OUT/{c,cat,diff,asm}/ with the seed inputs of the fuzz targets (fuzz/README.md):
#   c:    every C litmus test of ../shared/corpus and litmus/, and the regression inputs;
#   cat:  every .cat/.bell of models/ and ../shared/corpus/kernel-model, and the regression inputs;
#   diff: the litmus tests of at most 2 KB (the target skips larger ones), and the regression inputs;
#   asm:  the X86 and X86_64 tests of ../shared/corpus-hw, and the regression inputs.
# Usage: fuzz/seed.sh OUT   (files are named by content hash, so rerunning adds nothing twice)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: seed.sh OUT}
mkdir -p "$out/c" "$out/cat" "$out/diff" "$out/asm"
add() {  # add DIR FILE...
  local dir=$1; shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
  done
}
shopt -s nullglob globstar
litmus=("$root"/litmus/**/*.litmus)
[ -d "$root/../shared/corpus" ] && litmus+=("$root"/../shared/corpus/**/*.litmus)
add "$out/c" "${litmus[@]}" "$root"/fuzz/regressions/c/*
small=()
for f in "${litmus[@]}"; do [ "$(stat -c %s "$f")" -le 2048 ] && small+=("$f"); done
add "$out/diff" "${small[@]}" "$root"/fuzz/regressions/diff/*
add "$out/cat" "$root"/models/*.cat "$root"/models/*.bell "$root"/../shared/corpus/kernel-model/*.cat \
  "$root"/../shared/corpus/kernel-model/*.bell "$root"/fuzz/regressions/cat/*
asm=()
[ -d "$root/../shared/corpus-hw" ] && asm+=("$root"/../shared/corpus-hw/{catalogue-x86,catalogue-x86_64,instructions-x86_64}/*.litmus)
add "$out/asm" "${asm[@]}" "$root"/fuzz/regressions/asm/*
echo "seeds: $(ls "$out/c" | wc -l) c, $(ls "$out/cat" | wc -l) cat, $(ls "$out/diff" | wc -l) diff, $(ls "$out/asm" | wc -l) asm"
