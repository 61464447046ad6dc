#!/usr/bin/env python3
"""Scaling benchmark: paddock's explicit engine against its Z3 verdict path (-speedcheck true) on the
families of gen.py, from 2 to 20 processes, with a per-run timeout. Prints a table a person can rerun:

    bench/scaling/run.py [--paddock build/paddock] [--timeout 60] [--families sb-mb,rcu-never]
                         [--sizes 2,4,6,8,10,12,14,16,18,20] [--conf FILE] [--engines explicit,noprune,z3]

Engines: explicit (the exhaustive report), noprune (the same with the hidden -noprune: every coherence order
enumerated, no cut-offs; for comparison), z3 (-speedcheck true). For the explicit engines the table also shows
the work counters (PADDOCK_EXEC_STATS=1): `runs` = complete candidates (paths, rf, final writes) the model ran
on, `judged` = executions the model judged (coherence orders not cut off), `ok` = consistent executions; and
the peak resident memory (MB, from /usr/bin/time).

Once an engine times out on a family, the larger sizes of that family are skipped for that engine
(marked `skip`). Seconds are wall-clock for the whole process (parse, model load, Z3 context, solve).

For scale, herd7 (the reference tool) grows exponentially on these shapes: the Linux kernel's
tools/memory-model documentation reports about 6 s for a 10-process RCU test, 15 minutes at 16
processes and 2 h 40 min at 19; on this machine herd7 needs 856 s for a 16-process RCU chain
(architecture.md). The explicit engine enumerates every candidate execution, like herd7.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
KERNEL_CFG = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus", "kernel-model", "linux-kernel.cfg"))


def run(paddock, conf, test, speedcheck, timeout, extra=()):
    cmd = (["/usr/bin/time", "-f", "MAXRSS %M"] if os.path.exists("/usr/bin/time") else []) + [paddock] + list(extra)
    if conf:
        cmd += ["-conf", conf]
    if speedcheck:
        cmd += ["-speedcheck", "true"]
    cmd.append(test)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, PADDOCK_EXEC_STATS="1"))
    except subprocess.TimeoutExpired:
        return "timeout", None, ""
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        return "error: " + (p.stderr.strip().splitlines() or ["?"])[-1][:60], dt, ""
    ok = re.search(r"^(Loop )?(Ok|No)$", p.stdout, re.M)
    obs = re.search(r"^Observation \S+ (\w+) (\d+) (\d+)", p.stdout, re.M)
    verdict = (ok.group(2) if ok else "?") + (" " + obs.group(1) if obs and not speedcheck else "")
    if obs and not speedcheck:
        verdict += f" {obs.group(2)} {obs.group(3)}"
    work = ""
    st = re.search(r"^exec: (\d+) model runs, (\d+) judged, (\d+) consistent", p.stderr, re.M)
    if st:
        work = f"runs {st.group(1)} judged {st.group(2)} ok {st.group(3)}"
    mem = re.search(r"^MAXRSS (\d+)", p.stderr, re.M)
    if mem:
        work += f" {int(mem.group(1)) / 1024:.0f} MB"
    return verdict, dt, work


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paddock", default=os.path.join(ROOT, "build", "paddock"))
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--families", default="sb-mb,lb-mb,mp-chain,sb-none,rcu-never,rcu-some")
    ap.add_argument("--sizes", default="2,4,6,8,10,12,14,16,18,20")
    ap.add_argument("--engines", default="explicit,z3")
    ap.add_argument("--conf", default=KERNEL_CFG if os.path.exists(KERNEL_CFG) else "",
                    help="herd .cfg (default: the kernel's files from the shared corpus, else the bundled LKMM)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    engines = a.engines.split(",")
    outdir = tempfile.mkdtemp(prefix="paddock-scaling-")
    print(f"# paddock {a.paddock}  conf {a.conf or '(bundled)'}  timeout {a.timeout:g} s  tests in {outdir}")
    print(f"{'family':<13} {'n':>3} {'engine':<9} {'verdict':<24} {'seconds':>9}")
    for fam in a.families.split(","):
        dead = set()
        for n in sizes:
            test = gen.write(fam, n, outdir)
            for eng in engines:
                if eng in dead:
                    print(f"{fam:<13} {n:>3} {eng:<9} {'skip':<24} {'-':>9}", flush=True)
                    continue
                extra = ["-noprune"] if eng == "noprune" else []
                verdict, dt, work = run(a.paddock, a.conf, test, eng == "z3", a.timeout, extra)
                if dt is None:
                    dead.add(eng)
                secs = f">{a.timeout:g}" if dt is None else f"{dt:.3f}"
                print(f"{fam:<13} {n:>3} {eng:<9} {verdict:<24} {secs:>9}  {work}".rstrip(), flush=True)


if __name__ == "__main__":
    main()
