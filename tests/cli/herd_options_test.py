#!/usr/bin/env python3
"""herd7's exploration options on small tests whose counts follow from the model, the herd7 entry point's
messages and version, and the accepted-but-ignored options; herd7's own published counts for C-JO-OOTA-4.
Usage: herd_options_test.py PADDOCK HERD7 [CORPUS]   (the C-JO-OOTA-4 figures use its kernel cfg when present)"""
import os
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def counts(out):
    for line in out.splitlines():
        if line.startswith("Observation "):
            f = line.split()
            return int(f[3]), int(f[4])
    return None


def untimed(out):
    return [l for l in out.splitlines() if not l.startswith("Time ")]


def line_with(out, prefix):
    return next((l for l in out.splitlines() if l.startswith(prefix)), None)


SB = """C SB+fences
{}
P0(int *x, int *y)
{
	int r0;
	WRITE_ONCE(*x, 1);
	smp_mb();
	r0 = READ_ONCE(*y);
}
P1(int *x, int *y)
{
	int r0;
	WRITE_ONCE(*y, 1);
	smp_mb();
	r0 = READ_ONCE(*x);
}
exists (0:r0=0 /\\ 1:r0=0)
"""

SPIN = """C spin
{}
P0(int *x)
{
	int r0;
	r0 = READ_ONCE(*x);
	while (r0 == 0)
		r0 = READ_ONCE(*x);
}
P1(int *x)
{
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1)
"""


def oota_thread(n, a, b, x, y, value, once):
    rb = f"READ_ONCE(*{b})" if once else f"*{b}"
    return (f"P{n}(int *a, int *b, int *x, int *y)\n{{\n\tint r1;\n\tint r2;\n\tint r3;\n\n"
            f"\tr1 = READ_ONCE(*{x});\n\tsmp_rmb();\n\tr2 = {rb};\n\tr3 = r1 == 0;\n"
            f"\tWRITE_ONCE(*{a}, {value});\n\tsmp_wmb();\n\tWRITE_ONCE(*{y}, 1);\n}}\n")


def oota_test(v0, v1, once):
    return ("C C-JO-OOTA-4\n\n{}\n\n" + oota_thread(0, "a", "b", "x", "y", v0, once) + "\n" +
            oota_thread(1, "b", "a", "y", "x", v1, once) + "\nexists (0:r1=1 /\\ 1:r1=1)\n")


# herd7's figures for C-JO-OOTA-4 and its variants (../shared/docs/herd-c-semantics.md section 9, kernel cfg):
# store values of P0 and P1, plain (False) or READ_ONCE (True) read, default P/N, Candidates, -through invalid.
OOTA_ROWS = [
    ("(r3 + 1) & r2", None, False, (0, 5), 12, (3, 9)), ("r2", None, False, (1, 8), 16, (4, 12)),
    ("r3 + 1", None, False, (0, 8), 16, (4, 12)), ("(r3 + 1) & r2", None, True, (0, 5), 12, (3, 9)),
    ("r2", None, True, (0, 5), 16, (4, 12)), ("r3 + 1", None, True, (0, 8), 16, (4, 12)),
    ("r2 & 2", None, False, (0, 5), 12, (3, 9)), ("r2 & 0", None, False, (0, 5), 12, (3, 9)),
    ("r2 + 0", None, False, (1, 8), 16, (4, 12)), ("r2 | 0", None, False, (1, 8), 16, (4, 12)),
    ("r2 * 1", None, False, (0, 5), 12, (3, 9)), ("r2 + 1", None, False, (0, 5), 12, (3, 9)),
    ("r3 + r2", None, False, (0, 5), 12, (3, 9)), ("r2 ^ r2", None, False, (1, 8), 16, (4, 12)),
    ("r1 & r2", None, False, (0, 5), 12, (3, 9)), ("(r3 + 1) & r2", "r2", False, (0, 5), 12, (3, 9)),
]
# The original test under -skipchecks (same section): which check rejects what; with -variant oota too.
OOTA_SKIPS = [([], (0, 5)), (["-skipchecks", "plain-coherence"], (0, 9)), (["-skipchecks", "happens-before"], (0, 5)),
              (["-skipchecks", "plain-coherence,happens-before"], (3, 9)), (["-variant", "oota"], (0, 8)),
              (["-variant", "oota", "-skipchecks", "happens-before"], (1, 8))]


def check_oota(paddock, tmp, corpus):
    cfg = os.path.join(corpus, "kernel-model", "linux-kernel.cfg")
    conf = ["-conf", cfg] if os.path.exists(cfg) else []
    path = os.path.join(tmp, "oota.litmus")
    for v0, v1, once, want, cands, through in OOTA_ROWS:
        open(path, "w").write(oota_test(v0, v1 or v0, once))
        _, out, err = run(paddock, *conf, "-candidates", "true", path)
        got = (counts(out), line_with(out, "Candidates"))
        check(got == (want, f"Candidates C-JO-OOTA-4 {cands}"), f"OOTA {v0}/{v1} once={once}: {got} {err!r}")
        _, out, _ = run(paddock, *conf, "-through", "invalid", path)
        check(counts(out) == through, f"OOTA {v0}/{v1} once={once} -through invalid: {counts(out)}, herd {through}")
    open(path, "w").write(oota_test("(r3 + 1) & r2", "(r3 + 1) & r2", False))
    for opts, want in OOTA_SKIPS:
        _, out, _ = run(paddock, *conf, *opts, path)
        check(counts(out) == want, f"C-JO-OOTA-4 {' '.join(opts)}: {counts(out)}, herd {want}")


def main():
    paddock, herd7 = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else ""
    with tempfile.TemporaryDirectory() as tmp:
        sb, spin = os.path.join(tmp, "sb.litmus"), os.path.join(tmp, "spin.litmus")
        open(sb, "w").write(SB)
        open(spin, "w").write(SPIN)
        # SB with smp_mb: 4 rf maps (co fixed), the (0,0) one fails only `propagation`.
        rc, out, _ = run(paddock, sb)
        check(counts(out) == (0, 3), f"SB+mb: 0/3, got {counts(out)}")
        for opts, want in [(["-through", "invalid"], (1, 3)), (["-through", "all"], (1, 3)),
                           (["-through", "none"], (0, 3)),
                           (["-skipchecks", "propagation"], (1, 3)), (["-skipcheck", "propagation"], (1, 3)),
                           (["-skipchecks", "happens-before"], (0, 3)),
                           (["-skipchecks", "propagation", "-strictskip", "true"], (1, 0)),
                           (["-skipchecks", "propagation", "-strictskip", "false"], (1, 3)),
                           (["-skipchecks", "propagation,happens-before", "-strictskip", "true"], (0, 0)),
                           (["-throughflag", "data-race"], (0, 0))]:
            rc, out, err = run(paddock, *opts, sb)
            check(rc == 0 and counts(out) == want, f"{' '.join(opts)}: {want}, got {counts(out)} {err!r}")
        rc, out, _ = run(paddock, "-candidates", "true", sb)
        check(line_with(out, "Candidates") == "Candidates SB+fences 4", f"-candidates: {line_with(out, 'Candidates')}")
        lines = out.splitlines()
        check(lines.index("Candidates SB+fences 4") == lines.index(line_with(out, "Time")) + 1, "Candidates after Time")
        rc, out, _ = run(paddock, "-candidates", "false", sb)
        check(line_with(out, "Candidates") is None, "-candidates false prints no Candidates line")
        # -unroll: the spin loop's read runs up to N+1 times; herd's default 2 gives Positive: 3.
        for n, want in [(None, 3), (0, 1), (1, 2), (2, 3), (5, 6)]:
            rc, out, _ = run(paddock, *(["-unroll", str(n)] if n is not None else []), spin)
            check(counts(out) == (want, 0) and "Loop Ok" in out, f"-unroll {n}: {want}/0, got {counts(out)}")
        # Bad values: a message naming the option, exit 2.
        for opts in [["-unroll", "x"], ["-unroll", "-1"], ["-through", "some"], ["-strictskip", "yes"],
                     ["-candidates", "1"], ["-graph", "round"], ["-optace", "maybe"], ["-nshow", "x"],
                     ["-skipchecks"], ["-frobnicate"], ["--json", "-dumpes", "true"]]:
            rc, out, err = run(paddock, *opts, sb)
            check(rc == 2 and opts[0] in err and out == "", f"{opts}: exit 2 naming the option, got {rc} {err[:80]!r}")
        # Accepted, said to be ignored on stderr; the report is unchanged.
        _, plain, _ = run(paddock, sb)
        for opts in [["-nshow", "2"], ["-showone", "true"], ["-showevents", "noregs"], ["-graph", "columns"],
                     ["-doshow", "hb,pb"], ["-unshow", "po"], ["-suffix", "-x"], ["-optace", "true"]]:
            rc, out, err = run(paddock, *opts, sb)
            check(rc == 0 and untimed(out) == untimed(plain) and f"paddock: {opts[0]} is ignored" in err, f"{opts}: {rc} {err!r}")
        # -dumpes true prints the event structures, as -show events.
        _, ev, _ = run(paddock, "-show", "events", sb)
        rc, out, _ = run(paddock, "-dumpes", "true", sb)
        check(rc == 0 and out == ev and "Observation" not in out, "-dumpes true = -show events")
        # The herd7 entry point.
        rc, out, _ = run(herd7, "-version")
        check(rc == 0 and out.startswith("7.58+1, Rev: "), f"herd7 -version: {out!r}")
        rc, out, _ = run(paddock, "-version")
        check(out.startswith("paddock "), f"paddock -version: {out!r}")
        bad = os.path.join(tmp, "bad.litmus")
        open(bad, "w").write(SB.replace("smp_mb();", "frobnicate_once(x);", 1))
        rc, out, err = run(herd7, bad)
        check(rc == 0 and out == "" and err == f'Warning: File "{bad}": Unknown macro frobnicate_once (User error)\n',
              f"herd7, unknown macro: {rc} {err!r}")
        rc, out, err = run(paddock, bad)
        check(rc == 1 and err.startswith(f"{bad}:7:2:") and "unknown macro 'frobnicate_once'" in err,
              f"paddock, unknown macro: {rc} {err!r}")
        open(bad, "w").write(SB.replace("\tr0 = READ_ONCE(*y);\n}", "\tr0 = READ_ONCE(*y);\n}}"))
        rc, out, err = run(herd7, bad)
        check(rc == 0 and err.startswith(f'Warning: File "{bad}", line ') and err.endswith(" (User error)\n"),
              f"herd7, syntax error: {rc} {err!r}")
        rc, out, err = run(herd7, sb)
        check(rc == 0 and untimed(out) == untimed(plain) and err == "", "herd7 prints paddock's (herd's) report")
        rc, out, err = run(herd7, spin)
        check(rc == 0 and "Loop Ok" in out and err == f'Warning: File "{spin}": unrolling limit exceeded at While, '
              'legal outcomes may be missing.\n', f"herd7, loop cut: {err!r}")
        check_oota(paddock, tmp, corpus)
        # -j2 (glued, as make and GNU parallel spell it) is -j 2: the same batch report, and not an unknown option.
        rc_sp, out_sp, _ = run(paddock, "-j", "2", sb, spin)
        rc_gl, out_gl, err_gl = run(paddock, "-j2", sb, spin)
        check(rc_gl == rc_sp and untimed(out_gl) == untimed(out_sp) and "unknown option" not in err_gl,
              f"-j2 vs -j 2: {rc_gl} {err_gl!r}")
        rc, _, err = run(paddock, "-jx", sb)
        check(rc != 0 and "unknown option -jx" in err, f"-jx: {rc} {err!r}")
        rc, out, err = run(paddock, "-candidates", "true", spin)
        check(line_with(out, "Candidates") == "Candidates spin 3", f"-candidates with a cut loop: {out!r}")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
