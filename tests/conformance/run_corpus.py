#!/usr/bin/env python3
"""Runs ../shared/tools/conform.py --whole over the shared corpus; exit 77 (CTest: skipped) when absent.

usage: run_corpus.py PADDOCK CORPUS [-- PADDOCK-ARGS...]
"""
import os, subprocess, sys

paddock, corpus = sys.argv[1], os.path.abspath(sys.argv[2])
extra = sys.argv[sys.argv.index('--') + 1:] if '--' in sys.argv else []
conform = os.path.join(corpus, '..', 'tools', 'conform.py')
if not os.path.isdir(corpus) or not os.path.exists(conform):
    print(f'shared corpus absent at {corpus}: corpus conformance NOT run (skipped)')
    sys.exit(77)
for a in extra:
    if a.endswith('.cfg') and not os.path.exists(a):
        print(f'{a} absent: skipped')
        sys.exit(77)
cmd = [sys.executable, conform, paddock, '--corpus', corpus, '--whole', '--jobs', '2', '--timeout', '120']
if extra:
    cmd += ['--'] + extra
p = subprocess.run(cmd, capture_output=True, text=True)
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
sys.exit(p.returncode)
