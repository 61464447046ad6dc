#!/usr/bin/env python3
"""Bad models and configurations on the command line (issue 10, part 4): refused at model load with
FILE:LINE:COL: error: and exit 2 before any test runs; a -variant nothing tests is a warning; a test of another
architecture than the model's is that test's error, naming both.
Usage: bad_model_test.py PADDOCK"""
import os
import subprocess
import sys
import tempfile

paddock = sys.argv[1]
failures = []
MP = """C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
"""
X86 = "X86 SB\n{ x=0; y=0; }\n P0 | P1 ;\n MOV [x],$1 | MOV [y],$1 ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n"


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    mp, sb = write("MP.litmus", MP), write("SB.litmus", X86)

    def run(*args):
        p = subprocess.run([paddock, *args], capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    unk = write("unk.cat", '"t"\nlet hb = po | rff\nacyclic hb as x\n')
    rc, out, err = run("-model", unk, mp)
    check(rc == 2 and out == "", f"unknown identifier: exit {rc}, stdout {out!r}")
    check(err.strip() == f"{unk}:2:15: error: unknown identifier 'rff' (defined neither by the model nor by the engine)",
          f"unknown identifier: {err!r}")
    cyc = write("cyc.cat", '"t"\nlet a = b | po\nlet b = a\nacyclic a as x\n')
    rc, out, err = run("-model", cyc, mp)
    check(rc == 2 and err.startswith(f"{cyc}:2:9: error: 'b' is used before its definition at {cyc}:3:1"),
          f"let cycle: exit {rc}, {err!r}")
    bell = write("nob.bell", "let fence = po\n")
    rc, out, err = run("-bell", bell, mp)
    check(rc == 2 and err.startswith(f"{bell}:1:1: error: bell file declares no instructions"), f"bell: exit {rc}, {err!r}")
    rc, out, err = run("-variant", "lkmmv3", mp)
    check(rc == 0 and "Observation MP Sometimes" in out, f"variant: exit {rc}, {out!r}")
    check(err.startswith("Warning: variant 'lkmmv3' is tested by no loaded model file (linux-kernel.cat)"), f"variant: {err!r}")
    rc, out, err = run("-model", "linux-kernel.cat", sb)
    check(rc == 1 and f"{sb}:1:1: error: this X86 test cannot run on linux-kernel.cat, a model for C tests" in err + out,
          f"arch: exit {rc}, {out!r} {err!r}")
    rc, out, err = run("-model", "x86tso.cat", sb)
    check(rc == 0 and "Observation SB Sometimes" in out, f"x86tso.cat on X86: exit {rc}, {err!r}")

print("FAILED" if failures else "ok")
sys.exit(1 if failures else 0)
