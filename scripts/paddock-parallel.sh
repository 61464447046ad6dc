#!/usr/bin/env bash
# Runs a batch of litmus tests as N shards under GNU parallel, then merges the shards' journals into the
# report a single `paddock ARGS... TESTS` would print (docs/batch.md). Rerunning with the same --dir resumes:
# each shard skips the tests its journal already holds.
#
#   scripts/paddock-parallel.sh [-n SHARDS] [-j PARALLEL_JOBS] [-d DIR] [-p PADDOCK] [-S SSHLOGIN] -- ARGS... @LIST
#
#   -n SHARDS    number of shards (default: 4)
#   -j JOBS      shards running at once on each machine (parallel's -j; default: one per CPU)
#   -d DIR       where the shards' journals go (default: ./paddock-shards); must be the same path on every
#                machine (a shared file system) when -S is given
#   -p PADDOCK   the paddock binary (default: paddock on PATH); the same path on every machine with -S
#   -S LOGINS    run the shards over ssh: parallel's --sshlogin (e.g. "4/host1,4/host2,:"); the tests and the
#                model files must be at the same paths on every machine
#
# ARGS are paddock's own (-conf, -j, -timeout, -maxmem, ...; the test list as FILES or @LIST). The merged report is
# printed on stdout and stderr; the exit status is paddock's (0 every test ran, 1 some test failed, 2 bad usage).
set -euo pipefail

shards=4 jobs="" dir=./paddock-shards paddock=paddock sshlogin=""
while getopts "n:j:d:p:S:" opt; do
  case $opt in
    n) shards=$OPTARG ;;
    j) jobs=$OPTARG ;;
    d) dir=$OPTARG ;;
    p) paddock=$OPTARG ;;
    S) sshlogin=$OPTARG ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then sed -n '2,20p' "$0" >&2; exit 2; fi
command -v parallel >/dev/null || { echo "paddock-parallel.sh: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "paddock-parallel.sh: -n needs a positive number" >&2; exit 2; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
popts=(--will-cite --halt never --joblog "$dir/joblog")
[ -n "$jobs" ] && popts+=(-j "$jobs")
[ -n "$sshlogin" ] && popts+=(--sshlogin "$sshlogin" --workdir "$PWD")
# Each shard's own report goes to its log: the merge prints the whole batch's, in input order.
seq 1 "$shards" | parallel "${popts[@]}" \
  "$(printf '%q' "$paddock") -q --shard {}/$shards --journal $(printf '%q' "$dir")/shard-{}.jsonl $(printf '%q ' "$@") 2>$(printf '%q' "$dir")/shard-{}.log" || true

# parallel's joblog: column 7 is the exit status. Status 2 (bad usage) means the shard did not run at all; a shard
# that died otherwise leaves its finished tests in its journal, and the merge names the tests it lacks.
if awk 'NR > 1 && $7 == 2 { bad = 1 } END { exit !bad }' "$dir/joblog"; then
  echo "paddock-parallel.sh: a shard failed to run (see $dir/shard-*.log):" >&2
  cat "$dir"/shard-*.log >&2
  exit 2
fi
journals=()
for i in $(seq 1 "$shards"); do journals+=("$dir/shard-$i.jsonl"); done
quiet=()
for a in "$@"; do [ "$a" = "-q" ] && quiet=(-q); done
exec "$paddock" --merge "${quiet[@]}" "${journals[@]}"
