#!/usr/bin/env python3
"""Runs ../shared/tools/conform.py --whole on one folder of the hardware corpus; exit 77 (CTest: skipped) when absent.

usage: run_hw_corpus.py PADDOCK CORPUS-HW FOLDER
"""
import os, subprocess, sys

paddock, corpus, folder = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
conform = os.path.join(corpus, '..', 'tools', 'conform.py')
if not os.path.isdir(os.path.join(corpus, folder)) or not os.path.exists(conform):
    print(f'{corpus}/{folder} absent: hardware conformance NOT run (skipped)')
    sys.exit(77)
cmd = [sys.executable, conform, paddock, '--corpus', corpus, '--whole', '--jobs', '2', '--only', folder + '/']
p = subprocess.run(cmd, capture_output=True, text=True)
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
sys.exit(p.returncode)
