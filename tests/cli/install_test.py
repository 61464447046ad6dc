#!/usr/bin/env python3
"""`cmake --install` under a temporary prefix puts paddock, the herd7 entry point and the man page there,
and they work from there. Usage: install_test.py CMAKE BUILD_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    cmake, build = sys.argv[1], sys.argv[2]
    bad = []
    with tempfile.TemporaryDirectory() as prefix:
        p = subprocess.run([cmake, "--install", build, "--prefix", prefix], capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            return 1
        paddock = os.path.join(prefix, "bin", "paddock")
        herd7 = os.path.join(prefix, "bin", "herd7")
        man = os.path.join(prefix, "share", "man", "man1", "paddock.1")
        if not os.access(paddock, os.X_OK):
            bad.append("bin/paddock missing")
        if not (os.path.islink(herd7) and os.readlink(herd7) == "paddock"):
            bad.append("bin/herd7 is not a symlink to paddock")
        if not os.path.isfile(man):
            bad.append("share/man/man1/paddock.1 missing")
        if not bad:
            out = subprocess.run([herd7, "-version"], capture_output=True, text=True).stdout
            if not out.startswith("7.58+1, Rev: "):
                bad.append(f"installed herd7 -version: {out!r}")
            out = subprocess.run([paddock, "--help"], capture_output=True, text=True).stdout
            if "Exploring executions" not in out:
                bad.append("installed paddock --help")
            if shutil.which("man"):
                r = subprocess.run(["man", "-l", "-Tutf8", "-P", "cat", man], capture_output=True, text=True,
                                   env=dict(os.environ, MANWIDTH="100", MAN_KEEP_STDERR="1"))
                if r.returncode != 0 or "-skipchecks" not in r.stdout or r.stderr.strip():
                    bad.append(f"man -l: {r.returncode} {r.stderr[:200]!r}")
    for b in bad:
        print("FAIL:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
