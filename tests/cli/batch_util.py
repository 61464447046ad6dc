"""Shared by the batch tests: running paddock, stripping Time lines, the corpus list."""
import os, re, subprocess, sys

SKIP = 77  # CTest SKIP_RETURN_CODE


def run(paddock, *args, timeout=300, **kw):
    return subprocess.run([paddock, *args], capture_output=True, text=True, timeout=timeout, **kw)


def untimed(text):
    """The report without its Time lines (the one part allowed to differ between runs)."""
    return re.sub(r'^Time .*\n', '', text, flags=re.M)


def corpus_list(corpus, tmp):
    """Writes the shared corpus's tests, sorted, to an @LIST file; exits skipped when the corpus is absent."""
    tests = sorted(os.path.join(d, f) for sub in ('lkmm', 'catalogue-linux')
                   for d, _, fs in os.walk(os.path.join(corpus, sub)) for f in fs if f.endswith('.litmus'))
    if not tests:
        print(f'shared corpus absent at {corpus}: NOT run (skipped)')
        sys.exit(SKIP)
    path = os.path.join(tmp, 'corpus.list')
    with open(path, 'w') as f:
        f.write(''.join(t + '\n' for t in tests))
    return path, tests


class Checks:
    def __init__(self):
        self.fails = []

    def __call__(self, cond, what):
        if not cond:
            self.fails.append(what)
        return cond

    def done(self):
        for f in self.fails:
            print('FAIL:', f)
        print(f'{len(self.fails)} failure(s)')
        sys.exit(1 if self.fails else 0)
