#!/usr/bin/env python3
"""The kernel's tools/memory-model scripts, unmodified, with paddock as herd7.

Lays out a kernel-like tools/memory-model tree from ../shared/corpus in a temporary folder (kernel-model/* at
the top, scripts/*.sh, litmus-tests/ = lkmm/*.litmus), puts a `herd7` (the symlink to paddock that the build
and `install` make) first on PATH, runs the scripts as in kernel-scripts/README.md's reference run, and checks:
- checkalllitmus.sh: every line it prints equals the reference run's for the 33 tests herd7 ran (GNU time's
  figures aside), the two spinlock_t tests that herd7 7.58+1 could not run verify too, and so it exits 0 with
  `All litmus tests verified as was expected.`; each .litmus.out equals herd7's (Time and GNU time lines aside);
- checklitmus.sh (bare and with LKMM_DESTDIR=.) and checktheselitmus.sh: status and output as the reference;
- every judging path of judgelitmus.sh (judging_tests.py), including the timeout: paddock dies on SIGTERM;
- checklitmushist.sh over herd7's own recorded outputs: exact output matches.
Usage: run_kernel_scripts.py HERD7 CORPUS   (exit 77 = skipped: no corpus or no GNU time)"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

import judging_tests

TIME_LINE = re.compile(r"^\d+\.\d+user \d+\.\d+system ")
STRIPPED = re.compile(r"^Time |maxresident\)k|pagefaults|^Command exited with non-zero status")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, cwd, env, timeout=300):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def not_time(text):
    return [l for l in text.splitlines() if not TIME_LINE.match(l)]


def herd_part(text):
    return [l for l in text.splitlines() if not STRIPPED.search(l)]


def result_word(path):
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^[( ]\* Result: (\S+)", line)
        if m:
            return m.group(1)
    return "specified"


def main():
    herd7, corpus = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    scripts = os.path.join(corpus, "kernel-scripts")
    ref = os.path.join(scripts, "reference-run")
    if not os.path.isdir(ref):
        print("no corpus at", corpus, "- skipped")
        return 77
    if not os.access("/usr/bin/time", os.X_OK) or shutil.which("timeout") is None:
        print("the scripts need GNU time at /usr/bin/time and coreutils timeout - skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="paddock-kernel-scripts.")
    try:
        tree = os.path.join(tmp, "tools", "memory-model")
        os.makedirs(os.path.join(tree, "scripts"))
        os.makedirs(os.path.join(tree, "litmus-tests"))
        for f in os.listdir(os.path.join(corpus, "kernel-model")):
            shutil.copy(os.path.join(corpus, "kernel-model", f), tree)
        for f in os.listdir(scripts):
            if f.endswith(".sh"):
                dst = os.path.join(tree, "scripts", f)
                shutil.copy(os.path.join(scripts, f), dst)
                os.chmod(dst, 0o755)
        lkmm = sorted(f for f in os.listdir(os.path.join(corpus, "lkmm")) if f.endswith(".litmus"))
        for f in lkmm:
            shutil.copy(os.path.join(corpus, "lkmm", f), os.path.join(tree, "litmus-tests"))
        bindir = os.path.join(tmp, "bin")
        os.makedirs(bindir)
        os.symlink(herd7, os.path.join(bindir, "herd7"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LKMM_")}
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
        env["LC_ALL"] = "C.UTF-8"  # the reference run's glob order

        # 1. checkalllitmus.sh
        rc, out, err = run(["scripts/checkalllitmus.sh"], tree, env)
        check(rc == 0, f"checkalllitmus.sh exits 0 (herd7: 1), got {rc}")
        check(err == "All litmus tests verified as was expected.\n", f"checkalllitmus.sh stderr: {err!r}")
        ref_lines = not_time(open(os.path.join(ref, "checkalllitmus.stdout")).read())
        got_lines = not_time(out)
        check(len(got_lines) == len(ref_lines), f"checkalllitmus.sh: {len(got_lines)} lines besides time lines, "
                                                f"reference {len(ref_lines)}")
        unrun = 0
        for want, got in zip(ref_lines, got_lines):
            m = re.match(r"^ !!! Verification error litmus-tests/(.*)\.litmus$", want)
            if m:  # a spinlock_t test herd7 7.58+1 could not run: it must verify now
                unrun += 1
                word = result_word(os.path.join(tree, "litmus-tests", m.group(1) + ".litmus"))
                check(re.match(rf"^Observation {re.escape(m.group(1))} {word} \d+ \d+$", got) is not None,
                      f"{m.group(1)} verifies as {word}: {got!r}")
            else:
                check(want == got, f"checkalllitmus.sh line {want!r}, got {got!r}")
        check(unrun == 2, f"two tests herd7 could not run, found {unrun}")
        check(sum(1 for l in out.splitlines() if TIME_LINE.match(l)) == len(lkmm), "one time line per test")
        for f in lkmm:
            mine = open(os.path.join(tree, "litmus-tests", f + ".out")).read()
            theirs = open(os.path.join(ref, "litmus-tests", f + ".out")).read()
            if "Observation" in theirs:
                check(herd_part(mine) == herd_part(theirs), f"{f}.out equals herd7's (Time and time lines aside)")
            else:
                check("Warning" not in mine and "\nObservation " in mine, f"{f}.out has an Observation")

        # 2. checklitmus.sh, bare and with LKMM_DESTDIR=.
        sb = "litmus-tests/SB+fencembonceonces.litmus"
        rc, out, err = run(["scripts/checklitmus.sh", sb], tree, env)
        check(rc == 255, f"bare checklitmus.sh exits 255, got {rc}")
        check(out == open(os.path.join(ref, "checklitmus-bare.stdout")).read(), f"bare checklitmus.sh stdout {out!r}")
        rc, out, err = run(["scripts/checklitmus.sh", sb], tree, dict(env, LKMM_DESTDIR="."))
        check(rc == 0 and err == "", f"checklitmus.sh with LKMM_DESTDIR=.: {rc} {err!r}")
        check(not_time(out) == ["Observation SB+fencembonceonces Never 0 3"] and len(out.splitlines()) == 2,
              f"checklitmus.sh stdout {out!r}")

        # 3. checktheselitmus.sh
        rc, out, err = run(["scripts/checktheselitmus.sh", "--jobs", "1", "--", sb,
                            "litmus-tests/LB+poonceonces.litmus"], tree, env)
        check(rc == 0 and err == open(os.path.join(ref, "checktheselitmus.stderr")).read(),
              f"checktheselitmus.sh: {rc} {err!r}")
        check(not_time(out) == not_time(open(os.path.join(ref, "checktheselitmus.stdout")).read()),
              f"checktheselitmus.sh stdout {out!r}")
        rc, out, err = run(["scripts/checktheselitmus.sh", "--jobs", "1", "--", "litmus-tests/MP+polocks.litmus",
                            "litmus-tests/SB+poonceonces.litmus"], tree, env)
        check(rc == 0 and not_time(out) == ["Observation MP+polocks Never 0 3", "Observation SB+poonceonces Sometimes 1 3"],
              f"checktheselitmus.sh with MP+polocks (herd7: exit 1, verification error): {rc} {out!r}")
        rc, out, err = run(["scripts/checktheselitmus.sh", sb], tree, env)
        check(rc == 1 and out.startswith("Unknown argument " + sb), f"checktheselitmus.sh without --: {rc} {out!r}")

        # 4. judgelitmus.sh's judging paths, through checklitmus.sh
        for name, text, want_rc, want_lines, extra in judging_tests.CASES:
            path = f"litmus-tests/{name}.litmus"
            with open(os.path.join(tree, path), "w") as fh:
                fh.write(text)
            e = dict(env, LKMM_DESTDIR=".", LKMM_HERD_OPTIONS="-conf linux-kernel.cfg", **extra)
            t0 = time.monotonic()
            rc, out, err = run(["scripts/checklitmus.sh", path], tree, e)
            took = time.monotonic() - t0
            lines = [l for l in out.splitlines() if not TIME_LINE.match(l) and "pagefaults" not in l]
            want = [l.replace("{F}", path) for l in want_lines]
            check(rc == want_rc, f"{name}: checklitmus.sh exits {want_rc}, got {rc} ({out!r})")
            check(lines == want, f"{name}: printed {lines!r}, expected {want!r}")
            if "LKMM_TIMEOUT_CMD" in extra:
                check(took < 10, f"{name}: herd7 ends promptly on timeout's SIGTERM ({took:.1f} s)")

        # 5. checklitmushist.sh over herd7's recorded outputs (the history family, no hardware)
        hist = os.path.join(tree, "litmus", "lkmm")
        os.makedirs(hist)
        for t in ["SB+fencembonceonces.litmus", "LB+poonceonces.litmus"]:
            shutil.copy(os.path.join(corpus, "lkmm", t), hist)
            shutil.copy(os.path.join(ref, "litmus-tests", t + ".out"), hist)
        rc, out, err = run(["scripts/checklitmushist.sh", "--jobs", "1"], tree, env)
        check(rc == 0, f"checklitmushist.sh exits 0, got {rc}: {out!r} {err!r}")
        check("Exact output matches: 2" in err, f"checklitmushist.sh summary: {err!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
