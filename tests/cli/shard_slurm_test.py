#!/usr/bin/env python3
"""--shard and --merge under a real Slurm (issue 8.5): scripts/slurm-local.sh starts a private one-node cluster
(slurmctld, slurmd, its own munged), scripts/paddock-slurm.sh submits the shared corpus (and one bad test) as a
4-task job array plus a merge job depending on it, and the merged report must equal one run's (Time lines aside),
stderr included. Resubmitting into the same folder resumes: every shard finds its tests done and the merge is the
same. Skipped when Slurm or munge is not installed (apt-get install slurm-wlm munge).

usage: shard_slurm_test.py PADDOCK CORPUS SCRIPTS_DIR"""
import os, shutil, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import SKIP, Checks, corpus_list, run, untimed

paddock, corpus, scripts = sys.argv[1:4]
check = Checks()
os.environ['PATH'] += ':/usr/sbin'
missing = [p for p in ('sbatch', 'squeue', 'slurmctld', 'slurmd', 'munged') if not shutil.which(p)]
if missing:
    print(f'Slurm is not installed ({", ".join(missing)} missing; apt-get install slurm-wlm munge): NOT run (skipped)')
    sys.exit(SKIP)


def wait_for(jobs, env, limit=600):
    """Until squeue lists none of the jobs (array tasks included)."""
    end = time.time() + limit
    while time.time() < end:
        q = subprocess.run(['squeue', '-h', '-j', ','.join(jobs)], capture_output=True, text=True, env=env)
        if q.returncode == 0 and not q.stdout.strip():
            return True
        time.sleep(0.5)
    return False


def submit(d, lst, env):
    p = subprocess.run([os.path.join(scripts, 'paddock-slurm.sh'), '-n', '4', '-d', d, '-p', paddock, '--', '@' + lst],
                       capture_output=True, text=True, env=env, timeout=60)
    check(p.returncode == 0, f'paddock-slurm.sh: {p.returncode} {p.stderr!r}')
    # "shards: job A (array 1-4), merge: job M -> ..."
    words = p.stdout.split()
    return [words[2], words[7].rstrip(',')] if len(words) > 7 else []


with tempfile.TemporaryDirectory() as tmp:
    lst, tests = corpus_list(corpus, tmp)
    bad = os.path.join(tmp, 'bad.litmus')
    with open(bad, 'w') as f:
        f.write('C bad\n{}\nP0(int *x) {\n  WRITE_ONCE(*x 1);\n}\nexists (x=1)\n')
    with open(lst, 'a') as f:
        f.write(bad + '\n')
    single = run(paddock, '@' + lst)
    cluster = os.path.join(tmp, 'cluster')
    env = dict(os.environ, SLURM_CONF=os.path.join(cluster, 'slurm.conf'),
               SLURM_LOCAL_PORT=str(17000 + os.getpid() % 2000 * 2))
    up = subprocess.run([os.path.join(scripts, 'slurm-local.sh'), 'start', cluster], capture_output=True, text=True,
                        env=env, timeout=120)
    try:
        if up.returncode != 0:
            print(f'the private Slurm cluster did not start: {up.stderr.strip()}')
            for log in ('slurmctld.log', 'slurmd.log', 'munged.err'):
                path = os.path.join(cluster, 'log', log)
                if os.path.exists(path):
                    print(f'--- {log}\n' + open(path).read()[-2000:])
            check(False, 'cluster start')
        else:
            d = os.path.join(tmp, 'shards')
            jobs = submit(d, lst, env)
            check(len(jobs) == 2 and wait_for(jobs, env), f'jobs {jobs} finished')
            out = open(os.path.join(d, 'report.out')).read()
            err = open(os.path.join(d, 'report.err')).read()
            check(untimed(out) == untimed(single.stdout), 'merged stdout equals the single run')
            check(err == single.stderr, f'merged stderr {err!r}, single {single.stderr!r}')
            counts = [len(open(os.path.join(d, f'shard-{i}.jsonl')).read().splitlines()) - 1 for i in range(1, 5)]
            check(sum(counts) == len(tests) + 1 and min(counts) > 0, f'journal entries per shard {counts}')
            # Resubmitted into the same folder: nothing is rerun, the merge is the same.
            jobs = submit(d, lst, env)
            check(len(jobs) == 2 and wait_for(jobs, env), f'resubmitted jobs {jobs} finished')
            again = [len(open(os.path.join(d, f'shard-{i}.jsonl')).read().splitlines()) - 1 for i in range(1, 5)]
            check(again == counts, f'resume added nothing: {counts} -> {again}')
            check(untimed(open(os.path.join(d, 'report.out')).read()) == untimed(single.stdout), 'resumed merge')
            print(f'{len(tests) + 1} tests as a 4-task Slurm job array: merged report identical to the single run')
    finally:
        subprocess.run([os.path.join(scripts, 'slurm-local.sh'), 'stop', cluster], env=env, timeout=60)
check.done()
