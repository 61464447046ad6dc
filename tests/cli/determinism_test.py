#!/usr/bin/env python3
"""Determinism (issue 10.6): the shared corpus run twice, with -j 1 and -j 2 (and once more with -j 2), gives
byte-identical output on stdout and stderr, Time lines aside; each report equals the test's one-process run.

usage: determinism_test.py PADDOCK CORPUS"""
import os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import Checks, corpus_list, run, untimed

paddock, corpus = sys.argv[1], sys.argv[2]
check = Checks()
with tempfile.TemporaryDirectory() as tmp:
    lst, tests = corpus_list(corpus, tmp)
    runs = {j: run(paddock, '-j', j, '@' + lst) for j in ('1', '2')}
    again = run(paddock, '-j', '2', '@' + lst)
    a, b = runs['1'], runs['2']
    check(a.returncode == b.returncode == again.returncode, f'exit statuses {a.returncode} {b.returncode} {again.returncode}')
    check(untimed(a.stdout) == untimed(b.stdout), 'stdout: -j 1 and -j 2 differ')
    check(untimed(b.stdout) == untimed(again.stdout), 'stdout: two -j 2 runs differ')
    check(a.stderr == b.stderr == again.stderr, 'stderr differs')
    check(a.stdout.count('\nObservation ') + a.stdout.startswith('Observation') == len(tests) - a.stderr.count('\n'),
          'one report per test that ran')
    # The order is the input order: the batch is the concatenation of the tests run one by one.
    first = [t for t in tests[:12]]
    single = ''.join(untimed(run(paddock, t).stdout) for t in first)
    check(untimed(run(paddock, '-j', '2', *first).stdout) == single, 'a -j 2 batch is its tests\' reports in order')
    print(f'{len(tests)} tests, {len(a.stdout)} bytes of reports, identical across -j 1 / -j 2 / -j 2')
check.done()
