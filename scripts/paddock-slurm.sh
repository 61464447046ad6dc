#!/usr/bin/env bash
# Runs a batch of litmus tests as a Slurm job array of N shards, then a merge job that prints the report a single
# `paddock ARGS... TESTS` would print into DIR/report.out and DIR/report.err (docs/batch.md). Resubmitting with
# the same DIR resumes: each shard skips the tests its journal already holds.
#
#   scripts/paddock-slurm.sh [-n SHARDS] [-d DIR] [-p PADDOCK] [-s "SBATCH-OPTIONS"] -- ARGS... @LIST
#
#   -n SHARDS   array tasks (default: 8)
#   -d DIR      journals, logs and the merged report (default: ./paddock-shards); on a file system every node sees
#   -p PADDOCK  the paddock binary (default: paddock on PATH), at the same path on every node
#   -s OPTS     more sbatch options for both jobs (e.g. "--partition=short --time=1:00:00")
#
# Prints the two job ids. The merge job runs after every array task ends (afterany), successful or not; its exit
# status is paddock's (0 every test ran, 1 some test failed or is in no journal, 2 bad usage).
set -euo pipefail

shards=8 dir=./paddock-shards paddock=paddock extra=""
while getopts "n:d:p:s:" opt; do
  case $opt in
    n) shards=$OPTARG ;;
    d) dir=$OPTARG ;;
    p) paddock=$OPTARG ;;
    s) extra=$OPTARG ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then sed -n '2,16p' "$0" >&2; exit 2; fi
command -v sbatch >/dev/null || { echo "paddock-slurm.sh: sbatch not found (Slurm is not installed here)" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "paddock-slurm.sh: -n needs a positive number" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
paddock=$(command -v "$paddock")
args=$(printf '%q ' "$@")

# shellcheck disable=SC2086  # $extra is a list of sbatch options
array=$(sbatch --parsable $extra --array=1-"$shards" --job-name=paddock-shard \
  --output="$dir/shard-%a.log" --chdir="$PWD" \
  --wrap="exec $(printf '%q' "$paddock") -q --shard \$SLURM_ARRAY_TASK_ID/$shards --journal $(printf '%q' "$dir")/shard-\$SLURM_ARRAY_TASK_ID.jsonl $args")
journals=""
for a in "$@"; do [ "$a" = "-q" ] && journals=" -q"; done
for i in $(seq 1 "$shards"); do journals+=" $(printf '%q' "$dir/shard-$i.jsonl")"; done
# shellcheck disable=SC2086
merge=$(sbatch --parsable $extra --dependency=afterany:"${array%%;*}" --job-name=paddock-merge \
  --output="$dir/report.out" --error="$dir/report.err" --chdir="$PWD" \
  --wrap="exec $(printf '%q' "$paddock") --merge$journals")
echo "shards: job $array (array 1-$shards), merge: job $merge -> $dir/report.out, $dir/report.err"
