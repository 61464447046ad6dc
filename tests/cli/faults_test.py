#!/usr/bin/env python3
"""A batch no test can take down (issue 10.3): one test made to crash, one that passes -maxmem and one that passes
-timeout (each through the hidden -debug-fault, deep in a loop that checks nothing) are reported naming them, and
every other test's report is printed, in input order; plus the exit statuses 0 / 1 / 2.

usage: faults_test.py PADDOCK LITMUS-DIR"""
import os, re, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import Checks, run, untimed

paddock, litmus = sys.argv[1], sys.argv[2]
check = Checks()
names = ['SB+o-o+o-o', 'CoRR+o+o-o', 'MP+o-o+o-o', 'CoWR+o-o+o', 'LB+o-o+o-o', 'CoWW+o-o', '2+2W+o-o+o-o']
tests = [os.path.join(litmus, n + '.litmus') for n in names]
crash, hog, spin = tests[1], tests[3], tests[5]
# -maxmem is resident memory: under ASan a worker's includes the sanitizer's shadow, hence the generous limit
# (the hog goes to 2 GB).
maxmem = '600'


def paddock_errors(stderr):
    """stderr without a sanitizer's own report: in a sanitizer build the deliberately crashing worker's SEGV is
    reported by ASan (on the inherited stderr) before the worker dies."""
    return re.sub(r'^AddressSanitizer:DEADLYSIGNAL\n.*?^==\d+==ABORTING\n', '', stderr, flags=re.M | re.S)

# Each good test alone, in this process: the reference reports.
alone = {}
for t in tests:
    p = run(paddock, t)
    check(p.returncode == 0, f'{t} alone: exit {p.returncode}: {p.stderr}')
    alone[t] = untimed(p.stdout)

for jobs in ('1', '2', '3'):
    args = ['-j', jobs, '-timeout', '2', '-maxmem', maxmem, '-debug-fault', 'crash:CoRR+o+o-o',
            '-debug-fault', 'hog:CoWR+o-o+o', '-debug-fault', 'spin:CoWW+o-o']
    p = run(paddock, *args, *tests)
    check(p.returncode == 1, f'-j {jobs}: exit {p.returncode}, expected 1')
    want = ''.join(alone[t] for t in tests if t not in (crash, hog, spin))
    check(untimed(p.stdout) == want, f'-j {jobs}: the other tests\' reports, in input order:\n{p.stdout}')
    lines = paddock_errors(p.stderr).splitlines()
    check(len(lines) == 3, f'-j {jobs}: three errors, got {p.stderr!r}')
    if len(lines) == 3:
        check(lines[0].startswith(f'{crash}: error: the worker crashed ('), f'-j {jobs}: crash named: {lines[0]}')
        check(lines[1] == f'{hog}: error: memory limit of {maxmem} MB exceeded', f'-j {jobs}: maxmem named: {lines[1]}')
        check(lines[2] == f'{spin}: error: time limit of 2 s exceeded', f'-j {jobs}: timeout named: {lines[2]}')

# The faults are real: each alone, without limits it would not stop; a crash alone is still a named error.
p = run(paddock, '-debug-fault', 'crash:SB', tests[0])
check(p.returncode == 1 and paddock_errors(p.stderr).startswith(f'{tests[0]}: error: the worker crashed'),
      f'lone crash: {p.stderr!r}')
# A test that raises no fault in a faulty batch still prints exactly its report.
p = run(paddock, '-j', '2', tests[0], tests[2])
check(p.returncode == 0 and untimed(p.stdout) == alone[tests[0]] + alone[tests[2]], 'all ran: exit 0, both reports')
# A missing test is an error of that test, not of the batch.
with tempfile.TemporaryDirectory() as tmp:
    missing = os.path.join(tmp, 'missing.litmus')
    p = run(paddock, tests[0], missing, tests[2])
    check(p.returncode == 1 and p.stderr == f'{missing}: error: cannot read the file\n', f'missing: {p.stderr!r}')
    check(untimed(p.stdout) == alone[tests[0]] + alone[tests[2]], 'missing: the others printed')
# Bad usage: exit 2, nothing run.
for bad in (['-maxmem', 'lots'], ['-maxmem', '0'], ['--shard', '3/2'], ['--shard', '0/2'], ['--shard', '1/x'],
            ['-debug-fault', 'melt:x'], ['--journal']):
    p = run(paddock, *bad, tests[0])
    check(p.returncode == 2 and p.stdout == '', f'{bad}: exit {p.returncode}, expected 2')
p = run(paddock, '--merge')
check(p.returncode == 2, f'--merge without journals: exit {p.returncode}')
h = run(paddock, '--help')
check(all(o in h.stdout for o in ('-maxmem', '--journal', '--shard', '--merge')), '--help lists the batch options')
check('debug-fault' not in h.stdout, '-debug-fault stays hidden')
check.done()
