#!/usr/bin/env python3
"""Checks that paddock's verdict on each litmus test equals the `Result:` line of its header comment.

usage: check_results.py PADDOCK DIR [PADDOCK-ARGS...]
Verdicts: the Observation word (Never/Sometimes/Always), or DEADLOCK for `Never 0 0`.
"""
import os, re, subprocess, sys

paddock, root, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
tests = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith('.litmus'))
bad = checked = 0
for t in tests:
    m = re.search(r'Result:\s*(\w+)', open(t, encoding='utf-8', errors='replace').read())
    if not m:
        continue
    want = m.group(1)
    p = subprocess.run([paddock, *extra, t], capture_output=True, text=True, timeout=300)
    obs = re.search(r'^Observation \S+ (\S+) (\d+) (\d+)', p.stdout, re.M)
    got = None
    if obs:
        got = 'DEADLOCK' if obs.group(1) == 'Never' and obs.group(2) == obs.group(3) == '0' else obs.group(1)
    checked += 1
    if got != want:
        bad += 1
        print(f'{t}: expected {want}, got {got} {p.stderr.strip()[:200]}')
print(f'{checked - bad} of {checked} tests give their Result: verdict')
sys.exit(1 if bad or checked == 0 else 0)
