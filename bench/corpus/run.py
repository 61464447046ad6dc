#!/usr/bin/env python3
"""Per-process cost of paddock on the conformance corpus, against herd7. Prints a table a person can rerun:

    python3 bench/corpus/run.py [--paddock build/paddock] [--corpus ../shared/corpus] [--rounds 3]
                                [--callgrind SB+o-o+o-o,C-RomanPenyaev-list-rcu-rr] [--no-callgrind]
    cmake --build build --target bench_corpus        (the same, with the defaults)

The kernel's scripts and ../shared/tools/conform.py start one paddock process per test, so what counts is the cost
of a whole process: start-up (dynamic loading, static initialisers), loading the model, parsing the test, and the
run. For each configuration (the bundled model, and the kernel's own files through -conf), it reports:

  per-process   every test of the corpus in its own process, one after the other (like conform.py --jobs 1):
                wall-clock total (best of --rounds), CPU (user+sys) total, and ms per process
  conform.py    the total time of `conform.py PADDOCK --jobs 1` (includes Python's own start and checks)
  batch         all the tests in one process (`paddock -q TESTS...`): the cost without per-process start-up
  callgrind     instructions of one process for a few tests (valgrind --tool=callgrind), when valgrind exists

and the ratio to herd7, whose figure is fixed here because herd7 is not installed on this machine: 3.6 s for the
134 tests through conform.py --jobs 1 (about 27 ms per test). The machine is shared: wall-clock figures vary with
load (compare CPU totals and instruction counts between runs).
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HERD_CONFORM_SECONDS = 3.6  # herd7 through conform.py --jobs 1 on the 134-test corpus
HERD_TESTS = 134


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def per_process(paddock, args, tests, rounds):
    """Runs every test in its own process; returns (best wall, cpu of that round, failures)."""
    best = None
    for _ in range(rounds):
        cpu0, t0, failures = children_cpu(), time.perf_counter(), 0
        for t in tests:
            p = subprocess.run([paddock, *args, t], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if p.returncode != 0 or b"Observation" not in p.stdout:
                failures += 1
        wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
        if best is None or wall < best[0]:
            best = (wall, cpu, failures)
    return best


def conform(paddock, args, corpus, rounds):
    script = os.path.join(corpus, "..", "tools", "conform.py")
    if not os.path.exists(script):
        return None
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        cmd = [sys.executable, script, paddock, "--corpus", corpus, "--jobs", "1"] + (["--", *args] if args else [])
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        m = re.search(r"(\d+) passed, (\d+) failed", p.stdout)
        summary = f"{m.group(1)} passed" if m else "no summary"
        if best is None or wall < best[0]:
            best = (wall, summary)
    return best


def batch(paddock, args, tests, rounds):
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        subprocess.run([paddock, "-q", *args, *tests], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        best = wall if best is None else min(best, wall)
    return best


def instructions(paddock, args, test):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", paddock, "-q", *args, test],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        m = re.search(r"Collected : (\d+)", p.stderr)
        return int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paddock", default=os.path.join(ROOT, "build", "paddock"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--callgrind", default="SB+o-o+o-o,C-RomanPenyaev-list-rcu-rr",
                    help="comma-separated test names (found under the corpus or litmus/) to count instructions of")
    ap.add_argument("--no-callgrind", action="store_true")
    a = ap.parse_args()

    paddock = os.path.abspath(a.paddock)
    corpus = os.path.abspath(a.corpus)
    expected = os.path.join(corpus, "EXPECTED.tsv")
    if not os.path.exists(expected):
        sys.exit(f"no corpus at {corpus} (give --corpus)")
    with open(expected) as f:
        next(f)
        tests = [os.path.join(corpus, line.split("\t")[0]) for line in f if line.strip()]
    kernel_cfg = os.path.join(corpus, "kernel-model", "linux-kernel.cfg")
    configs = [("bundled model", [])]
    if os.path.exists(kernel_cfg):
        configs.append(("-conf kernel-model", ["-conf", kernel_cfg]))

    # A private copy: other builds may replace build/paddock while we measure.
    tmp = tempfile.mkdtemp(prefix="bench-corpus-")
    exe = os.path.join(tmp, "paddock")
    shutil.copy2(paddock, exe)

    herd_ms = HERD_CONFORM_SECONDS / HERD_TESTS * 1000
    print(f"paddock: {paddock}")
    print(f"corpus:  {corpus} ({len(tests)} tests); best of {a.rounds} rounds; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"herd7:   {HERD_CONFORM_SECONDS:.1f} s for {HERD_TESTS} tests through conform.py --jobs 1 "
          f"({herd_ms:.1f} ms per test; fixed figure, herd7 is not installed here)")
    print()
    print(f"{'configuration':<20} {'measure':<13} {'total s':>8} {'CPU s':>7} {'ms/test':>8} {'vs herd7':>9}  note")
    for name, args in configs:
        wall, cpu, failures = per_process(exe, args, tests, a.rounds)
        note = f"{failures} runs without a report" if failures else ""
        print(f"{name:<20} {'per-process':<13} {wall:8.2f} {cpu:7.2f} {wall / len(tests) * 1000:8.1f} "
              f"{wall / HERD_CONFORM_SECONDS:8.0%}  {note}")
        c = conform(exe, args, corpus, a.rounds)
        if c:
            print(f"{'':<20} {'conform.py':<13} {c[0]:8.2f} {'':>7} {c[0] / len(tests) * 1000:8.1f} "
                  f"{c[0] / HERD_CONFORM_SECONDS:8.0%}  {c[1]}")
        b = batch(exe, args, tests, a.rounds)
        print(f"{'':<20} {'batch':<13} {b:8.2f} {'':>7} {b / len(tests) * 1000:8.1f} {b / HERD_CONFORM_SECONDS:8.0%}"
              f"  one process for all tests")
    if not a.no_callgrind and shutil.which("valgrind"):
        print()
        print(f"{'instructions per process (callgrind)':<44} " + " ".join(f"{n[:24]:>24}" for n, _ in configs))
        for t in [x for x in a.callgrind.split(",") if x]:
            path = next((p for p in tests if os.path.basename(p) == t + ".litmus"), None)
            if path is None and os.path.exists(os.path.join(ROOT, "litmus", t + ".litmus")):
                path = os.path.join(ROOT, "litmus", t + ".litmus")
            if path is None:
                print(f"{t:<44} (not found)")
                continue
            counts = [instructions(exe, args, path) for _, args in configs]
            print(f"{t:<44} " + " ".join(f"{(c / 1e6 if c else 0):23.1f}M" for c in counts))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
