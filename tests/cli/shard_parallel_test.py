#!/usr/bin/env python3
"""--shard and --merge (issue 8.5): the shared corpus through scripts/paddock-parallel.sh (GNU parallel, 4 shards)
prints exactly what one run prints (Time lines aside), exit status included; shards are disjoint and cover the list;
a missing shard's tests are named by the merge.

usage: shard_parallel_test.py PADDOCK CORPUS SCRIPT"""
import json, os, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import SKIP, Checks, corpus_list, run, untimed

paddock, corpus, script = sys.argv[1:4]
check = Checks()
if not shutil.which('parallel'):
    print('GNU parallel is not installed (apt-get install parallel): NOT run (skipped)')
    sys.exit(SKIP)
with tempfile.TemporaryDirectory() as tmp:
    lst, tests = corpus_list(corpus, tmp)
    # One test errs, so that stderr and the exit status are compared too.
    bad = os.path.join(tmp, 'bad.litmus')
    with open(bad, 'w') as f:
        f.write('C bad\n{}\nP0(int *x) {\n  WRITE_ONCE(*x 1);\n}\nexists (x=1)\n')
    with open(lst, 'a') as f:
        f.write(bad + '\n')
    single = run(paddock, '-j', '2', '@' + lst)
    check(single.returncode == 1 and single.stderr.count('\n') == 1, f'single run: {single.returncode} {single.stderr!r}')
    d = os.path.join(tmp, 'shards')
    p = subprocess.run([script, '-n', '4', '-j', '2', '-d', d, '-p', paddock, '--', '@' + lst],
                       capture_output=True, text=True, timeout=600)
    check(p.returncode == single.returncode, f'merged exit {p.returncode}, single {single.returncode}: {p.stderr}')
    check(untimed(p.stdout) == untimed(single.stdout), 'merged stdout equals the single run')
    check(p.stderr == single.stderr, f'merged stderr {p.stderr!r}')
    seen = []
    for i in range(1, 5):
        with open(os.path.join(d, f'shard-{i}.jsonl')) as f:
            lines = f.read().splitlines()
        header = json.loads(lines[0])
        check(header['shard'] == f'{i}/4', f'shard {i} header')
        seen += [json.loads(l)['i'] for l in lines[1:]]
    check(sorted(seen) == list(range(len(tests) + 1)), 'the shards are disjoint and cover the list')
    # Without shard 3's journal the merge names each of its tests.
    journals = [os.path.join(d, f'shard-{i}.jsonl') for i in (1, 2, 4)]
    m = run(paddock, '--merge', *journals)
    missing = [t for k, t in enumerate(tests + [bad]) if k % 4 == 2]
    check(m.returncode == 1, f'merge of 3 of 4 shards: exit {m.returncode}')
    for t in missing:
        check(f'{t}: error: in none of the journals\n' in m.stderr, f'missing {t} named')
    # Journals of another batch are refused.
    other = os.path.join(tmp, 'other.jsonl')
    run(paddock, '--journal', other, tests[0])
    m = run(paddock, '--merge', journals[0], other)
    check(m.returncode == 2 and m.stderr.startswith(f'{other}:1:1: error:'), f'mixed batches: {m.stderr!r}')
    # A merge of -json journals words a missing test's error as JSON too, as the single run would.
    js = [os.path.join(tmp, f'json-{i}.jsonl') for i in (1, 2)]
    for i in (1, 2):
        run(paddock, '-json', '--shard', f'{i}/2', '--journal', js[i - 1], *tests[:3])
    full = run(paddock, '--merge', *js)
    part = run(paddock, '--merge', js[0])
    objs = [json.loads(l) for l in part.stdout.splitlines()]
    check(full.returncode == 0 and len(full.stdout.splitlines()) == 3, f'-json merge of both: {full.returncode}')
    check(part.returncode == 1 and len(objs) == 3, f'-json merge of one shard: {part.returncode} {part.stdout!r}')
    check(all('in none of the journals' in json.dumps(o) for o in objs[1::2]), f'missing tests as JSON: {objs[1::2]!r}')
    print(f'{len(tests) + 1} tests in 4 shards through GNU parallel: merged report identical to the single run')
check.done()
