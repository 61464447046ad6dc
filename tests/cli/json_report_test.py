#!/usr/bin/env python3
"""--json over the shared corpus: every object validates against docs/paddock-report.schema.json, has the
documented field order, sits on its own line, and agrees with paddock's text report for the same tests on
every field (test, kind, states and their values, Ok/No and Loop, witness counts, flags, condition,
observation, hash, the Time line's presence, the -candidates count). Bad inputs give error objects whose
position and message are the ones of the `FILE:LINE:COL: error: MESSAGE` line on stderr.
Usage: json_report_test.py PADDOCK SCHEMA CORPUS [CORPUS-HW]   (exit 77: no corpus; the first corpus also gets two
bad inputs)"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

REPORT_FIELDS = ["format", "version", "file", "test", "model", "kind", "condition", "verdict", "loop",
                 "observation", "positive", "negative", "states", "flags", "hash", "time", "candidates", "error"]
ERROR_FIELDS = ["format", "version", "file", "error"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def value_text(v):
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    return v.get("address") or v.get("code") or v["unknown"]


def state_text(st):
    """A state line from a JSON state: `loc=v;` joined by spaces; fault atoms (AArch64) ` Fault(..);` or
    ` ~Fault(..);` after them."""
    def one(loc, v):  # a whole array is a list, shown `x={1,2}`
        return f"{loc}={{{','.join(value_text(x) for x in v)}}};" if isinstance(v, list) else f"{loc}={value_text(v)};"
    out = " ".join(one(loc, v) for loc, v in st.items() if not loc.startswith("Fault("))
    for loc, v in st.items():
        if loc.startswith("Fault("):
            out += (" " if v else " ~") + loc + ";"
    return out


def text_reports(text):
    """herd's reports of a batch in order (tests may share a name): the lines of each, from `Test` on."""
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith("Test "):
            cur = []
            out.append(cur)
        if cur is not None:
            cur.append(line)
    return out


def compare(obj, lines):
    name = obj["test"]
    it = iter(lines)
    check(next(it) == f"Test {name} {obj['kind']}", f"{name}: Test line")
    n = int(next(it).split()[1])
    check(n == len(obj["states"]), f"{name}: States {n} vs {len(obj['states'])}")
    for st in obj["states"]:
        want = state_text(st)
        got = next(it)
        check(got == want, f"{name}: state {got!r} vs json {want!r}")
    if n == 0 or obj["states"]:
        pass
    verdict = next(it)
    check(verdict == ("Loop " if obj["loop"] else "") + obj["verdict"], f"{name}: {verdict!r}")
    check(next(it) == "Witnesses", f"{name}: Witnesses")
    p, q = obj["positive"], obj["negative"]
    if obj["kind"] == "Forbidden":
        p, q = q, p
    check(next(it) == f"Positive: {p} Negative: {q}", f"{name}: witness counts")
    line = next(it)
    flags = []
    while line.startswith("Flag "):
        flags.append(line[5:])
        line = next(it)
    check(flags == obj["flags"], f"{name}: flags {flags} vs {obj['flags']}")
    check(line == f"Condition {obj['condition']}", f"{name}: {line!r}")
    check(next(it) == f"Observation {name} {obj['observation']} {obj['positive']} {obj['negative']}",
          f"{name}: Observation line")
    line = next(it)
    check(re.match(rf"^Time {re.escape(name)} \d+\.\d\d$", line) is not None and obj["time"] is not None
          and obj["time"] >= 0, f"{name}: Time")
    check(next(it) == f"Candidates {name} {obj['candidates']}", f"{name}: Candidates")
    check(next(it) == f"Hash={obj['hash']}", f"{name}: Hash")


def run_corpus(paddock, validator, corpus, with_bad_inputs):
    expected = os.path.join(corpus, "EXPECTED.tsv")
    if not os.path.exists(expected):
        print("no corpus at", corpus, "- skipped")
        return False
    tests = [os.path.join(corpus, l.split("\t")[0]) for l in open(expected).read().splitlines()[1:] if l]
    with tempfile.TemporaryDirectory() as tmp:
        bad_syntax = os.path.join(tmp, "bad-syntax.litmus")
        with open(bad_syntax, "w") as f:
            f.write("C bad-syntax\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1)\n}\nexists (x=1)\n")
        missing = os.path.join(tmp, "missing.litmus")
        listing = os.path.join(tmp, "list")
        extra = [bad_syntax, missing] if with_bad_inputs else []
        with open(listing, "w") as f:
            f.write("\n".join(tests + extra) + "\n")
        js = subprocess.run([paddock, "-candidates", "true", "--json", "@" + listing], capture_output=True, text=True)
        tx = subprocess.run([paddock, "-candidates", "true", "@" + listing], capture_output=True, text=True)
    lines = js.stdout.splitlines()
    check(len(lines) == len(tests) + len(extra), f"one line per test: {len(lines)} for {len(tests) + len(extra)}")
    reports = text_reports(tx.stdout)
    errors = js.stderr.splitlines()
    check(js.returncode == tx.returncode, f"same exit status: {js.returncode} {tx.returncode}")
    if with_bad_inputs:
        check(js.returncode == 1, f"exit status 1 with two bad inputs: {js.returncode}")
    seen = refused = 0
    for line in lines:
        obj = json.loads(line)
        problems = [e.message for e in validator.iter_errors(obj)]
        check(not problems, f"{obj.get('file')}: schema: {problems[:2]}")
        if obj.get("error") is None:
            check(list(obj) == REPORT_FIELDS, f"{obj['test']}: field order {list(obj)}")
            check(seen < len(reports), f"{obj['test']}: in the text report")
            if seen < len(reports):
                compare(obj, reports[seen])
                seen += 1
        else:
            refused += 1
            check(list(obj) == ERROR_FIELDS, f"{obj['file']}: field order {list(obj)}")
            e = obj["error"]
            where = f"{obj['file']}:{e['line']}:{e['column']}: error: " if e["line"] else f"{obj['file']}: error: "
            check(where + e["message"] in errors, f"{obj['file']}: error {where + e['message']!r} not in {errors}")
    check(seen == len(reports) and seen + refused == len(tests) + len(extra),
          f"{seen} reports compared and {refused} refused, {len(tests)} tests")
    if with_bad_inputs:
        check(any(json.loads(l)["file"] == bad_syntax and json.loads(l)["error"]["line"] == 6 for l in lines),
              "the syntax error is positioned")
    print(f"{corpus}: {seen} reports compared, {refused} error objects")
    return True


def main():
    paddock, schema_path = sys.argv[1], sys.argv[2]
    schema = json.load(open(schema_path))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    ran = False
    for k, corpus in enumerate(sys.argv[3:]):
        ran = run_corpus(paddock, validator, os.path.abspath(corpus), k == 0) or ran
    if not ran:
        return 77
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
