"""Throwaway litmus tests for every judging path of the kernel's judgelitmus.sh (see
../shared/corpus/kernel-scripts/README.md, "These paths were also run against herd7 7.58+1"), with what the
scripts print and the exit status of checklitmus.sh for each. {F} stands for the test's path; GNU time's
lines are left out."""

SB_BODY = """{}

P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*y, 1);
	r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r0=0)
"""

RACE_BODY = """{}

P0(int *x)
{
	*x = 1;
}

P1(int *x)
{
	int r0;

	r0 = *x;
}

exists (1:r0=1)
"""

DEADLOCK_BODY = """{}

P0(spinlock_t *l, int *x)
{
	spin_lock(l);
	spin_lock(l);
	WRITE_ONCE(*x, 1);
}

exists (x=1)
"""

# Many writes and reads of one location: far more than two seconds of exploration.
SLOW_BODY = "{}\n\n" + "".join(
    f"P{p}(int *x)\n{{\n\tint r0;\n\tint r1;\n\tint r2;\n\n"
    f"\tWRITE_ONCE(*x, {p + 1});\n\tr0 = READ_ONCE(*x);\n\tWRITE_ONCE(*x, {p + 11});\n"
    f"\tr1 = READ_ONCE(*x);\n\tWRITE_ONCE(*x, {p + 21});\n\tr2 = READ_ONCE(*x);\n}}\n\n" for p in range(5)) + \
    "exists (0:r0=0)\n"


def litmus(name, result, body):
    head = f"C {name}\n\n(*\n"
    if result is not None:
        head += f" * Result: {result}\n"
    head += " *)\n\n"
    return head + body


# name, file text, expected checklitmus.sh exit status, lines expected on its stdout (in order; F = path),
# extra options for the LKMM_* environment.
CASES = [
    ("X1-wrong-result", litmus("X1-wrong-result", "Never", SB_BODY), 1,
     ["Observation X1-wrong-result Sometimes 1 3", " !!! Unexpected non-Never verification {F}"], {}),
    ("X2-unknown-macro", litmus("X2-unknown-macro", "Never", SB_BODY.replace("WRITE_ONCE(*x, 1);", "frobnicate_once(x);")),
     254, ['Warning: File "{F}": Unknown macro frobnicate_once (User error)',
           '!!! Current LKMM version does not know "frobnicate_once" {F}'], {}),
    ("X3-race", litmus("X3-race", "Sometimes", RACE_BODY), 253, ["!!! Unexpected data race modeled {F}"], {}),
    ("X4-race-predicted", litmus("X4-race-predicted", "Sometimes DATARACE", RACE_BODY), 0,
     [" * Result: Sometimes DATARACE", "Observation X4-race-predicted Sometimes 1 1"], {}),
    ("X5-deadlock", litmus("X5-deadlock", "Never", DEADLOCK_BODY), 1, ["Observation X5-deadlock Never 0 0", " !!! Unexpected non-Never deadlock {F}"], {}),
    ("X6-deadlock-expected", litmus("X6-deadlock-expected", "DEADLOCK", DEADLOCK_BODY), 0,
     ["Observation X6-deadlock-expected Never 0 0"], {}),
    ("X7-syntax", litmus("X7-syntax", "Never", SB_BODY.replace("\tr0 = READ_ONCE(*y);\n}", "\tr0 = READ_ONCE(*y);\n}}")),
     255, [" !!! Verification error {F}"], {}),
    ("X8-no-result", litmus("X8-no-result", None, SB_BODY), 1,
     ["Observation X8-no-result Sometimes 1 3", " !!! Unexpected non-specified verification {F}"], {}),
    ("X9-maybe", litmus("X9-maybe", "Maybe", SB_BODY), 0, ["Observation X9-maybe Sometimes 1 3"], {}),
    ("X10-timeout", litmus("X10-timeout", "Never", SLOW_BODY), 124,
     ["Command exited with non-zero status 124", " !!! Timeout {F}"], {"LKMM_TIMEOUT_CMD": "timeout 2s"}),
]
