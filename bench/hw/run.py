#!/usr/bin/env python3
"""paddock on the hardware corpus (../shared/corpus-hw), one process per test, against herd7's recorded time.

    python3 bench/hw/run.py [--paddock build/paddock] [--corpus ../shared/corpus-hw] [--rounds 3]
    PATH=/work/bin:$PATH prun python3 bench/hw/run.py        (on the shared machine: under the build lock)

Every .litmus file of the corpus is run once to sort it: a test paddock answers is *supported* (and its stdout,
`Time` aside, is compared with herd7-output/); one refused with `unsupported architecture` is left out of the
timing; any other error is counted as a failure. The supported tests are then run one process each, as herd7 was
recorded (`timeout 30 herd7 TEST`, two at a time), with --jobs 2 and also --jobs 1; the best of --rounds wall-clock
totals and the CPU (user+sys) of the children are reported, per folder and in all.

herd7 is not installed here. What corpus-hw/README.md records of its speed is one figure only: 51 s wall for all
522 tests, run two at a time; there are no per-test or per-folder times. The ratio is therefore taken per test:
paddock's wall-clock per test (two at a time) against herd7's 51 s / 522 = 97.7 ms per test over its whole mix,
which includes the AArch64 tests paddock does not run yet (they are larger on average), so the ratio is indicative.
"""
import argparse
import collections
import concurrent.futures
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HERD_SECONDS, HERD_TESTS = 51.0, 522  # corpus-hw/README.md: herd7's total wall time, two at a time


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_one(paddock, path):
    p = subprocess.run([paddock, path], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def strip_time(text):
    return "".join(l for l in text.splitlines(True) if not l.startswith("Time "))


def timed(paddock, tests, jobs):
    cpu0, t0 = children_cpu(), time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda t: run_one(paddock, t), tests))
    return time.perf_counter() - t0, children_cpu() - cpu0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paddock", default=os.path.join(ROOT, "build", "paddock"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus-hw"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    folders = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)) and d != "herd7-output")
    supported, refused, failed, agree = collections.OrderedDict(), collections.Counter(), [], 0
    for f in folders:
        for name in sorted(os.listdir(os.path.join(corpus, f))):
            if not name.endswith(".litmus"):
                continue
            path = os.path.join(corpus, f, name)
            rc, out, err = run_one(a.paddock, path)
            if rc != 0 and "unsupported architecture" in err:
                refused[f] += 1
                continue
            ref = os.path.join(corpus, "herd7-output", f, name + ".out")
            if rc != 0:
                failed.append(f"{f}/{name}: {err.strip().splitlines()[-1] if err.strip() else rc}")
                continue
            supported.setdefault(f, []).append(path)
            if os.path.exists(ref) and strip_time(out) == open(ref).read():
                agree += 1
    all_tests = [t for ts in supported.values() for t in ts]
    rows = []
    for label, tests in list(supported.items()) + [("all supported", all_tests)]:
        best = {}
        for jobs in (2, 1):
            runs = [timed(a.paddock, tests, jobs) for _ in range(a.rounds)]
            best[jobs] = min(runs)
        rows.append((label, len(tests), best))
    herd_ms = 1000 * HERD_SECONDS / HERD_TESTS
    print(f"paddock {a.paddock}; corpus {corpus}; best of {a.rounds} rounds; load average {os.getloadavg()[0]:.1f}")
    print(f"supported: {len(all_tests)} tests, whole report equal to herd7's: {agree}; "
          f"left out (unsupported architecture): {sum(refused.values())} ({dict(refused)}); other errors: {len(failed)}")
    for x in failed:
        print(f"  error: {x}")
    print()
    print("| folder | tests | wall, 2 at a time | ms/test | wall, 1 at a time | ms/test | CPU (user+sys) | herd7 ms/test | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, n, best in rows:
        (w2, c2), (w1, c1) = best[2], best[1]
        ms2, ms1 = 1000 * w2 / n, 1000 * w1 / n
        print(f"| {label} | {n} | {w2:.2f} s | {ms2:.1f} | {w1:.2f} s | {ms1:.1f} | {c1:.2f} s | {herd_ms:.1f} | "
              f"{herd_ms / ms2:.0f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
