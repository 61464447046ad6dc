#!/usr/bin/env python3
"""Progress (issue 8.6): on a terminal's stderr (a pty, through script(1)) a long batch shows tests done / total,
candidate executions so far, elapsed time and ETA; with stderr not a terminal, nothing but the reports.

usage: progress_test.py PADDOCK LITMUS-DIR"""
import os, re, shlex, shutil, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import SKIP, Checks, run, untimed

paddock, litmus = sys.argv[1], sys.argv[2]
check = Checks()
if not shutil.which('script'):
    print('script(1) is absent (bsdutils): NOT run (skipped)')
    sys.exit(SKIP)
tests = sorted(os.path.join(litmus, f) for f in os.listdir(litmus) if f.endswith('.litmus'))[:8]
# The last test spins until its -timeout: the batch lasts over a second, long after the others finished.
args = ['-j', '1', '-timeout', '1.5', '-debug-fault', 'spin:' + tests[-1], *tests]
cmd = ' '.join(shlex.quote(a) for a in [paddock, *args]) + ' 2>&1 >/dev/null'
p = subprocess.run(['script', '-qefc', cmd, '/dev/null'], capture_output=True, text=True, timeout=120)
lines = [l for l in re.split(r'\r|\n', p.stdout) if l.strip()]
prog = [re.sub(r'\x1b\[K', '', l) for l in lines if 'tests,' in l]
check(prog, f'a progress line on the terminal: {p.stdout!r}')
pat = re.compile(r'^paddock: (\d+)/(\d+) tests, (\d+) running, (\d+) candidate executions, (\d+:\d\d) elapsed, ETA (\S+)$')
parsed = [pat.match(l) for l in prog]
check(all(parsed), f'progress lines well formed: {prog}')
if prog and all(parsed):
    last = parsed[-1]
    check(last.group(1) == str(len(tests) - 1) and last.group(2) == str(len(tests)), f'done/total: {prog[-1]}')
    check(int(last.group(4)) > 0, f'candidate executions counted: {prog[-1]}')
check(f'{tests[-1]}: error: time limit of 1.5 s exceeded' in p.stdout, 'the error shows after the progress line')
# Not a terminal: no progress at all.
q = run(paddock, *args)
check(q.stderr == f'{tests[-1]}: error: time limit of 1.5 s exceeded\n', f'stderr not a terminal: {q.stderr!r}')
check(untimed(q.stdout).count('Observation ') == len(tests) - 1, 'the reports')
check.done()
