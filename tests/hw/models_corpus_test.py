#!/usr/bin/env python3
"""`paddock -models lkmm,x86[,arm64,arm64-lse]` over ../shared/corpus: one row per test and a cell per model,
no cell in error, skipped cells only for RCU/SRCU primitives, and every warning raised listed on stderr and
explained (by test name) in docs/hardware.md. Also the exit status: 0 without warnings, and 3 when the
`lkmm` column is given a model stronger than x86 (sequential consistency), so that x86 allows more.

usage: models_corpus_test.py PADDOCK CORPUS HARDWARE_MD LITMUS_HW   (exit 77 = skipped: no corpus)"""
import os
import re
import subprocess
import sys
import tempfile

paddock, corpus, hardware_md, litmus_hw = sys.argv[1:5]
if not os.path.isdir(corpus):
    print(f"no corpus at {corpus}: skipped")
    sys.exit(77)

tests = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith(".litmus"))
probe = subprocess.run([paddock, "-arch", "arm64", os.path.join(litmus_hw, "SB+atomic_inc.litmus")],
                       capture_output=True, text=True)
models = ["lkmm", "x86"] + ([] if "error:" in probe.stderr else ["arm64", "arm64-lse"])
failures = []

with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as lst:
    lst.write("\n".join(tests) + "\n")
run = subprocess.run([paddock, "-j", "2", "-models", ",".join(models), "@" + lst.name], capture_output=True, text=True)
os.unlink(lst.name)
rows = run.stdout.splitlines()
if not rows or rows[0].split() != ["Test"] + models:
    failures.append(f"header: {rows[:1]}")
rows = rows[1:]
if len(rows) != len(tests):
    failures.append(f"{len(rows)} rows for {len(tests)} tests")
cell = re.compile(r"(Never|Sometimes|Always) \d+ \d+|skipped|error")
for r in rows:
    cells = cell.findall(r)
    found = cell.finditer(r)
    n = sum(1 for _ in found)
    if n != len(models):
        failures.append(f"row with {n} cells: {r}")
    if " error" in r:
        failures.append(f"a model could not run: {r}")
    if r.split()[1] == "skipped":
        failures.append(f"LKMM skipped a test: {r}")

skips = [l for l in run.stderr.splitlines() if ": skipped: " in l]
rcu = re.compile(r"skipped: (s?rcu_\w+|synchronize_s?rcu\w*|smp_mb__after_srcu_read_unlock) has no instruction-level mapping")
for s in skips:
    if not rcu.search(s):
        failures.append(f"a skip that is not RCU/SRCU: {s}")
n_skipped_cells = sum(r.count("skipped") for r in rows)
if n_skipped_cells != len(skips):
    failures.append(f"{n_skipped_cells} skipped cells but {len(skips)} skip messages")

warnings = [l for l in run.stderr.splitlines() if "!!! WARNING" in l]
explained = open(hardware_md).read()
print(f"{len(rows)} tests, models {','.join(models)}: {len(skips)} skipped cells (RCU/SRCU), {len(warnings)} warnings")
for w in warnings:
    print("  " + w)
    name = w.split(": !!! WARNING: ")[1].split(":")[0]
    if name not in explained:
        failures.append(f"warning not explained in docs/hardware.md: {w}")
if (run.returncode == 3) != bool(warnings) or run.returncode not in (0, 3):
    failures.append(f"exit status {run.returncode} with {len(warnings)} warnings\n{run.stderr[-2000:]}")

# A genuine warning: the lkmm column under sequential consistency, which forbids SB; x86 allows it.
with tempfile.TemporaryDirectory() as d:
    sc = os.path.join(d, "sc.cat")
    with open(sc, "w") as f:
        f.write('"sequential consistency"\ninclude "cos.cat"\nacyclic po | rf | co | fr as sc\n')
    sb = os.path.join(corpus, "lkmm", "SB+poonceonces.litmus")
    r = subprocess.run([paddock, "-model", sc, "-models", "lkmm,x86", sb], capture_output=True, text=True)
    if r.returncode != 3 or "!!! WARNING" not in r.stdout or \
            "LKMM says Never but x86 says Sometimes" not in r.stderr:
        failures.append(f"SC vs x86 on SB: exit {r.returncode}\n{r.stdout}{r.stderr}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
