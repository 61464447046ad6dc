#!/usr/bin/env python3
"""Checks that paddock's bundled LKMM (models/) and the kernel's own model files give the same reports.

usage: model_equivalence.py PADDOCK KERNEL_CFG PATH... [-j N] [--timeout S] [--random N --seed S]

Every *.litmus under each PATH (file or folder, recursively) is run twice: `PADDOCK TEST` (bundled
model) and `PADDOCK -conf KERNEL_CFG TEST`. The two stdouts (Time lines left out), stderrs and exit
codes must be equal. With --random N, N tests from tests/tools/gen_random_litmus.py are checked too.
Prints one block per disagreement, then 'N same, M different'; exit status 1 on any difference,
77 (CTest's skip) when KERNEL_CFG does not exist. Missing PATHs are left out.
"""
import argparse, concurrent.futures as cf, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument('paddock')
ap.add_argument('kernel_cfg')
ap.add_argument('paths', nargs='*')
ap.add_argument('-j', type=int, default=os.cpu_count() or 1)
ap.add_argument('--timeout', type=float, default=120)
ap.add_argument('--random', type=int, default=0, help='also check this many generated tests')
ap.add_argument('--seed', type=int, default=1)
a = ap.parse_args()

if not os.path.exists(a.kernel_cfg):
    print(f'skipped: no kernel model at {a.kernel_cfg}')
    sys.exit(77)
tests = []
for p in filter(os.path.exists, a.paths):
    if os.path.isdir(p):
        for d, _, fs in sorted(os.walk(p)):
            tests += [os.path.join(d, f) for f in sorted(fs) if f.endswith('.litmus')]
    else:
        tests.append(p)
tmp = tempfile.TemporaryDirectory()
if a.random:
    gen = os.path.join(here, '..', 'tools', 'gen_random_litmus.py')
    subprocess.run([sys.executable, gen, tmp.name, '-n', str(a.random), '--seed', str(a.seed)], check=True)
    tests += sorted(os.path.join(tmp.name, f) for f in os.listdir(tmp.name))


def report(args):
    try:
        p = subprocess.run([a.paddock, *args], capture_output=True, text=True, timeout=a.timeout)
    except subprocess.TimeoutExpired:
        return 'timeout'
    out = [l for l in p.stdout.splitlines() if not l.startswith('Time ')]
    return '\n'.join(out), p.stderr.replace(os.path.dirname(os.path.abspath(a.kernel_cfg)), ''), p.returncode


def compare(t):
    mine, theirs = report([t]), report(['-conf', a.kernel_cfg, t])
    return t, mine, theirs


same = differ = 0
with cf.ThreadPoolExecutor(max_workers=max(1, a.j)) as ex:
    for t, mine, theirs in ex.map(compare, tests):
        if mine == theirs and mine != 'timeout':
            same += 1
            continue
        differ += 1
        print(f'DIFFERS {t}\n--- bundled: {mine}\n--- kernel: {theirs}\n')
print(f'{same} same, {differ} different')
sys.exit(1 if differ else 0)
