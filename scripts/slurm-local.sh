#!/usr/bin/env bash
# A private one-machine Slurm cluster (slurmctld + slurmd + its own munged) in DIR, for trying
# scripts/paddock-slurm.sh without a site cluster, and for its CTest. It touches nothing outside DIR: its own
# munge key and socket, its own ports, its own state. Debian packages: slurm-wlm munge.
#
#   scripts/slurm-local.sh start DIR     start it; prints `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-local.sh stop DIR      stop its daemons
#
# Environment: SLURM_LOCAL_PORT (slurmctld's port, default 16817; slurmd uses the next one).
set -euo pipefail

usage() { sed -n '2,9p' "$0" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1 dir=$2

stop() {
  for f in slurmd slurmctld munged; do
    if [ -f "$dir/$f.pid" ]; then kill "$(cat "$dir/$f.pid")" 2>/dev/null || true; fi
  done
  # Wait for the daemons to go, so that the ports and the directory are free again.
  for _ in $(seq 1 50); do
    alive=0
    for f in slurmd slurmctld munged; do
      [ -f "$dir/$f.pid" ] && kill -0 "$(cat "$dir/$f.pid")" 2>/dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  rm -f "$dir"/*.pid
}

case $cmd in
  stop) stop; exit 0 ;;
  start) ;;
  *) usage ;;
esac

for p in munged mungekey slurmctld slurmd sinfo; do
  command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || {
    echo "slurm-local.sh: $p not found (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
PATH=$PATH:/usr/sbin
mkdir -p "$dir"/{state,spool,log}
dir=$(cd "$dir" && pwd)
user=$(id -un)
port=${SLURM_LOCAL_PORT:-16817}
host=$(hostname -s)
cpus=$(nproc)

# munge: a fresh key and a socket of our own (AuthInfo points Slurm at it).
[ -f "$dir/munge.key" ] || mungekey --create --keyfile="$dir/munge.key" >/dev/null 2>&1 ||
  dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge.key"
munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" --log-file="$dir/log/munged.log" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed" 2>>"$dir/log/munged.err"

cat >"$dir/slurm.conf" <<EOF
ClusterName=paddock-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf
slurmctld
slurmd
# Ready when the node is idle.
for _ in $(seq 1 100); do
  state=$(sinfo -h -o %t 2>/dev/null || true)
  [ "$state" = idle ] && { echo "export SLURM_CONF=$dir/slurm.conf"; exit 0; }
  sleep 0.2
done
echo "slurm-local.sh: the cluster did not come up (node state '${state:-none}'); logs in $dir/log" >&2
stop
exit 1
