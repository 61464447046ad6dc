#!/usr/bin/env python3
"""The hardware corpus (../shared/corpus-hw): herd7's whole reports, and herd's refusals.

Every test herd7 ran either gets herd7's whole report (conform.py --whole) or is refused with a positioned
error (`FILE:LINE:COL: error:` or `FILE: error:`, exit 1): a report that differs from herd7's fails this test.
Every test herdtools7 expects herd to refuse (`.expected-failure`) must be refused the same way. Exit 77
(CTest: skipped) when the corpus is absent.

usage: run_corpus_hw.py PADDOCK CORPUS-HW
"""
import glob, os, re, subprocess, sys

paddock, corpus = sys.argv[1], os.path.abspath(sys.argv[2])
conform = os.path.join(corpus, '..', 'tools', 'conform.py')
if not os.path.isdir(corpus) or not os.path.exists(conform):
    print(f'hardware corpus absent at {corpus}: NOT run (skipped)')
    sys.exit(77)

p = subprocess.run([sys.executable, conform, paddock, '--corpus', corpus, '--whole', '--jobs', '2', '--timeout', '120'],
                   capture_output=True, text=True)
print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr)
bad = []
refused = 0
positioned = re.compile(r'^exit 1: \S+\.litmus(:\d+:\d+)?: error: ')
for line in p.stdout.splitlines():
    m = re.match(r'^DIFFERS (\S+): (.*)$', line)
    if not m:
        continue
    if positioned.match(m.group(2)):
        refused += 1
        print(f'refused (unsupported, not answered): {m.group(1)}: {m.group(2)[8:]}')
    else:
        bad.append(line)
print(f'{refused} refused with a positioned error')

for f in sorted(glob.glob(os.path.join(corpus, '*', '*.expected-failure'))):
    test = f[:-len('.expected-failure')]
    r = subprocess.run([paddock, test], capture_output=True, text=True, timeout=120)
    if r.returncode != 1 or ' error: ' not in r.stderr or r.stdout.strip():
        bad.append(f'{os.path.relpath(test, corpus)}: herd refuses it, paddock exited {r.returncode}: '
                   f'{(r.stderr or r.stdout).strip()[:160]}')
    else:
        print(f'refused as by herd: {os.path.relpath(test, corpus)}: {r.stderr.strip().splitlines()[0][:160]}')

for b in bad:
    print('FAIL', b)
sys.exit(1 if bad else 0)
