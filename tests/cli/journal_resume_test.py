#!/usr/bin/env python3
"""--journal (issue 8.4): a batch killed half-way (SIGKILL, its workers with it) loses no finished test, a torn
last line is ignored, and the rerun with the same journal runs only what is left and prints exactly the report
of an uninterrupted run. A journal of other options is refused.

usage: journal_resume_test.py PADDOCK CORPUS"""
import json, os, signal, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_util import Checks, corpus_list, run, untimed

paddock, corpus = sys.argv[1], sys.argv[2]
check = Checks()


def records(path):
    with open(path) as f:
        lines = f.read().split('\n')
    return [json.loads(l) for l in lines[1:] if l]


def workers_of(journal):
    """Processes still running with this journal on their command line (the batch and its forked workers)."""
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                if journal.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


with tempfile.TemporaryDirectory() as tmp:
    lst, tests = corpus_list(corpus, tmp)
    half = len(tests) // 2
    # The test at the middle spins (checking no limit) until -timeout stops it: the kill lands while it runs.
    slow = tests[half]
    args = ['-j', '1', '-timeout', '3', '-debug-fault', 'spin:' + slow, '@' + lst]
    whole = run(paddock, *args)
    check(whole.returncode == 1 and whole.stderr == f'{slow}: error: time limit of 3 s exceeded\n',
          f'uninterrupted run: exit {whole.returncode}, {whole.stderr!r}')

    journal = os.path.join(tmp, 'batch.jsonl')
    out = open(os.path.join(tmp, 'killed.out'), 'w')
    p = subprocess.Popen([paddock, '--journal', journal, *args], stdout=out, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if os.path.exists(journal) and open(journal).read().count('\n') >= 1 + half:
            break
        time.sleep(0.01)
    time.sleep(0.3)  # inside the spinning test
    check(p.poll() is None, 'the batch was still running when killed')
    p.send_signal(signal.SIGKILL)
    p.wait()
    out.close()
    time.sleep(0.3)
    check(workers_of(journal) == [], f'no worker outlives a killed batch: {workers_of(journal)}')
    before = records(journal)
    check(len(before) == half, f'killed half-way: {len(before)} tests journalled, expected {half}')
    check([r['i'] for r in before] == list(range(half)), 'the journal holds the first tests, in order')

    # A kill in the middle of a write leaves a torn last line: it is ignored and cut off.
    with open(journal, 'a') as f:
        f.write('{"i": %d, "test": "%s", "rep' % (half, slow))
    t0 = time.time()
    resumed = run(paddock, '--journal', journal, *args)
    check(resumed.returncode == whole.returncode, f'resumed: exit {resumed.returncode}')
    check(untimed(resumed.stdout) == untimed(whole.stdout), 'resumed output equals the uninterrupted run')
    check(resumed.stderr == whole.stderr, f'resumed stderr {resumed.stderr!r}')
    after = records(journal)
    check(sorted(r['i'] for r in after) == list(range(len(tests))), 'every test journalled exactly once')
    check(after[:half] == before, 'the finished tests were not run again')

    # Once complete, a rerun runs nothing (it would take the spinning test's 3 s otherwise) and prints it all.
    t0 = time.time()
    again = run(paddock, '--journal', journal, *args)
    check(time.time() - t0 < 2.5, f'a complete journal reruns nothing ({time.time() - t0:.1f} s)')
    check(again.stdout == resumed.stdout and again.stderr == resumed.stderr, 'reprinted from the journal, byte for byte')
    check(open(journal).read().count('\n') == 1 + len(tests), 'nothing appended')

    # --merge of the one journal is the same report.
    m = run(paddock, '--merge', journal)
    check(m.returncode == whole.returncode and m.stdout == resumed.stdout and m.stderr == whole.stderr, '--merge of it')

    # Other options, another list: refused, positioned at the header.
    p = run(paddock, '--journal', journal, '-j', '1', '@' + lst)
    check(p.returncode == 2 and p.stderr.startswith(f'{journal}:1:1: error: the journal belongs to another batch'),
          f'other options: {p.returncode} {p.stderr!r}')
    # A changed test file runs again.
    copy = os.path.join(tmp, 'SB.litmus')
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '..', 'litmus',
                           'SB+o-o+o-o.litmus')) as f:
        sb = f.read()
    with open(copy, 'w') as f:
        f.write(sb)
    j2 = os.path.join(tmp, 'one.jsonl')
    run(paddock, '--journal', j2, copy)
    with open(copy, 'w') as f:
        f.write(sb.replace('WRITE_ONCE(*x, 1)', 'WRITE_ONCE(*x, 2)', 1))
    p = run(paddock, '--journal', j2, copy)
    check(len(records(j2)) == 2 and p.stdout == records(j2)[1]['stdout'], 'a changed test is run again')
    # A corrupt complete line is an error naming it.
    bad = os.path.join(tmp, 'bad.jsonl')
    with open(j2) as f:
        head = f.readline()
    with open(bad, 'w') as f:
        f.write(head + 'garbage\n')
    p = run(paddock, '--journal', bad, copy)
    check(p.returncode == 2 and p.stderr.startswith(f'{bad}:2:1: error: unreadable journal line'), f'corrupt: {p.stderr!r}')
check.done()
