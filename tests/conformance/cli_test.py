#!/usr/bin/env python3
"""The command line's contract: batches survive bad tests, errors are positioned, exit codes, -j, -timeout."""
import os, re, subprocess, sys, tempfile

paddock, litmus = sys.argv[1], sys.argv[2]
fails = []

def run(*args, **kw):
    return subprocess.run([paddock, *args], capture_output=True, text=True, timeout=120, **kw)

def check(cond, what):
    if not cond:
        fails.append(what)

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, 'bad.litmus')
    open(bad, 'w').write('C bad\n{}\nP0(int *x) {\n  WRITE_ONCE(*x 1);\n}\nexists (x=1)\n')
    sb = os.path.join(litmus, 'SB+o-o+o-o.litmus')
    mp = os.path.join(litmus, 'MP+o-o+o-o.litmus')
    # One bad test in a batch: reported with its position, the others still run, exit status 1.
    p = run(sb, bad, mp)
    check(p.returncode == 1, f'batch with a bad test: exit {p.returncode}, expected 1')
    check(p.stdout.count('Observation ') == 2, 'batch with a bad test: both good reports printed')
    check(re.search(r'bad\.litmus:4:\d+: error: (expected|unexpected)', p.stderr) is not None, f'positioned error, got {p.stderr!r}')
    # A while loop cut at the unrolling bound: herd's warning on stderr, after the report (herd-c-semantics §6).
    spin = os.path.join(tmp, 'spin.litmus')
    open(spin, 'w').write('C spin\n{}\nP0(int *x) {\n  int r0 = 0;\n  while (r0 == 0) r0 = READ_ONCE(*x);\n}\n'
                          'P1(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (0:r0=1)\n')
    p = run(spin)
    check(p.returncode == 0 and 'Loop Ok' in p.stdout, f'cut loop: Loop Ok, got {p.stdout!r}')
    check(p.stderr == f'Warning: File "{spin}": unrolling limit exceeded at While, legal outcomes may be missing.\n',
          f'cut loop: herd\'s warning on stderr, got {p.stderr!r}')
    check(run(sb).stderr == '', 'no loop, no warning')
    # An asm spin loop: herd names the label of the cut backward jump, not While (herd-asm-semantics §5).
    for arch, body in (('X86', ' P0 | P1 ;\n L1: MOV EAX,[x] | MOV [x],$1 ;\n CMP EAX,$0 | ;\n JE L1 | ;\n'),
                       ('X86_64', ' P0 | P1 ;\n Lspin: | movl $1,(x) ;\n movl (x),%eax | ;\n cmpl $0,%eax | ;\n'
                                  ' je Lspin | ;\n')):
        aspin = os.path.join(tmp, f'spin-{arch}.litmus')
        open(aspin, 'w').write(f'{arch} spin\n{{ }}\n{body}exists (0:{"EAX" if arch == "X86" else "rax"}=1)\n')
        for extra in ((), ('-speedcheck', 'true'), ('-j', '2', aspin)):
            p = run(*extra, aspin)
            want = f'Warning: File "{aspin}": unrolling limit exceeded at {"L1" if arch == "X86" else "Lspin"}, ' \
                   'legal outcomes may be missing.\n'
            check(p.returncode == 0 and 'Loop Ok' in p.stdout, f'{arch} cut loop {extra}: Loop Ok, got {p.stdout!r} {p.stderr!r}')
            check(want in p.stderr and 'While' not in p.stderr, f'{arch} cut loop {extra}: herd\'s warning, got {p.stderr!r}')
    # AArch64, as herd's own L029: a countdown loop cut at its backward branch's label.
    aspin = os.path.join(tmp, 'spin-AArch64.litmus')
    open(aspin, 'w').write('AArch64 spin\n{ }\n P0 ;\n MOV W0,#10 ;\n MOV W1,#0 ;\n L1: ;\n ADD W1,W1,#1 ;\n'
                           ' SUB W0,W0,#1 ;\n CBZ W0,L0 ;\n B L1 ;\n L0: ;\nforall 0:X1=10\n')
    p = run(aspin)
    check(p.stderr == f'Warning: File "{aspin}": unrolling limit exceeded at L1, legal outcomes may be missing.\n',
          f'AArch64 cut loop: herd\'s warning, got {p.stderr!r}')
    # Parallel batch: every report printed whole.
    p = run('-j', '2', sb, mp, sb, mp)
    check(p.returncode == 0, '-j 2: exit 0')
    blocks = [b for b in p.stdout.split('\n\n') if b.strip()]
    check(len(blocks) == 4 and all(b.startswith('Test ') and 'Hash=' in b for b in blocks), '-j 2: four whole reports')
    # Timeout: named, the other test still runs.
    big = os.path.join(litmus, 'IRIW+o+o+o-o+o-o.litmus')
    p = run('-timeout', '0.000001', big, sb)
    check(p.returncode == 1, f'-timeout: exit {p.returncode}')
    check('IRIW+o+o+o-o+o-o.litmus: error: time limit of 1e-06 s exceeded' in p.stderr, f'-timeout names the test: {p.stderr!r}')
    # Usage errors and help.
    check(run('-nosuchoption', sb).returncode == 2, 'unknown option: exit 2')
    check(run().returncode == 2, 'no test: exit 2')
    h = run('--help')
    check(h.returncode == 0 and '-conf' in h.stdout and '-timeout' in h.stdout, '--help documents options')
    # A missing file and an empty file.
    p = run(os.path.join(tmp, 'missing.litmus'))
    check(p.returncode == 1 and 'cannot read' in p.stderr, 'missing file reported')
    empty = os.path.join(tmp, 'empty.litmus')
    open(empty, 'w').close()
    p = run(empty)
    check(p.returncode == 1 and 'empty.litmus:1:1: error:' in p.stderr, f'empty file: {p.stderr!r}')
    # @list files.
    lst = os.path.join(tmp, 'list')
    open(lst, 'w').write(sb + '\n' + mp + '\n')
    p = run('@' + lst)
    check(p.returncode == 0 and p.stdout.count('Observation ') == 2, '@list runs both tests')
    # -show events prints the event structures.
    p = run('-show', 'events', sb)
    check(p.returncode == 0 and 'W[ONCE]' in p.stdout and 'R[ONCE]' in p.stdout, '-show events')

for f in fails:
    print('FAIL:', f)
print(f'{len(fails)} failure(s)')
sys.exit(1 if fails else 0)
