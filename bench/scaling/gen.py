#!/usr/bin/env python3
"""Scaling families of C litmus tests for paddock's benchmarks (bench/scaling/run.py runs them).

Families (n = number of processes, locations x0..x{n-1}):
  sb-mb      SB ring:  P_i: WRITE_ONCE(*x_i, 1); smp_mb(); r0 = READ_ONCE(*x_{i+1});   exists every r0=0  (Never)
  lb-mb      LB ring:  P_i: r0 = READ_ONCE(*x_i); smp_mb(); WRITE_ONCE(*x_{i+1}, 1);   exists every r0=1  (Never)
  mp-chain   MP chain (ISA2 generalised): P0 writes x0, smp_wmb(), writes x1; P_i (0<i<n-1) reads x_i,
             smp_mb(), writes x_{i+1}; P_{n-1} reads x_{n-1}, smp_rmb(), reads x0;
             exists every r0=1 and (n-1):r1=0  (Never)
  sb-none    SB ring without fences (Sometimes: the witness exists)
  rcu-never  RCU ring: LB ring where ceil(n/2) processes put synchronize_rcu() between their read and
             write and the others run read and write in one rcu_read_lock() critical section;
             exists every r0=1 (Never: at least as many grace periods as critical sections)
  rcu-some   the same with one grace period fewer than critical sections (Sometimes)
  sb-lock, sb-lock-C, sb-lock-CE, sb-lock-X, sb-lock-XE
             SB through n critical sections of one lock sl (the LKML "Some -serious- BPF-related litmus
             tests" family, C-SB+l-o-o-u+...): P_i takes sl, WRITE_ONCE(*x_i, 1); r1 = READ_ONCE(*x_{i+1});
             releases sl. sb-lock uses spin_lock/spin_unlock; -C emulates the lock with
             r2 = cmpxchg_acquire(sl, 0, 1), -X with r2 = xchg_acquire(sl, 1), both released by
             smp_store_release(sl, 0). Plain variants: filter (all r2=0), exists (all r1=0); E variants fold
             the r2=0 conjuncts into the exists (no filter). All Never.
  xchg-handoff
             n processes hand a lock word l over with xchg_acquire/smp_store_release and count in d:
             P_i: r0 = xchg_acquire(l, 1); r1 = READ_ONCE(*d); WRITE_ONCE(*d, r1 + 1); smp_store_release(l, 0);
             exists (all r0=0 /\ d=n-1) (Never: when every process got the lock the count is n)

usage: gen.py FAMILY N [OUTDIR]   (prints the path written; OUTDIR defaults to ./gen)
"""
import math
import os
import sys


def header(name, n, doc):
    init = " ".join(f"int x{i} = 0;" for i in range(n))
    return f"C {name}\n\n(*\n * {doc}\n *)\n\n{{\n{init}\n}}\n\n"


def params(n):
    return ", ".join(f"int *x{i}" for i in range(n))


def proc(i, n, body):
    lines = "\n".join(("\t" + l) if l else "" for l in body)
    return f"P{i}({params(n)})\n{{\n{lines}\n}}\n\n"


def ring(n, make, cond_val, name, doc):
    out = header(name, n, doc)
    for i in range(n):
        out += proc(i, n, make(i, f"x{i}", f"x{(i + 1) % n}"))
    out += "exists (" + " /\\ ".join(f"{i}:r0={cond_val}" for i in range(n)) + ")\n"
    return out


def sb(n, fence):
    def make(i, a, b):
        body = ["int r0;", "", f"WRITE_ONCE(*{a}, 1);"]
        if fence:
            body.append("smp_mb();")
        body.append(f"r0 = READ_ONCE(*{b});")
        return body
    kind = "mb" if fence else "none"
    return ring(n, make, 0, f"SB-ring-{kind}-{n}", f"SB ring of {n} processes ({kind}).")


def lb(n):
    def make(i, a, b):
        return ["int r0;", "", f"r0 = READ_ONCE(*{a});", "smp_mb();", f"WRITE_ONCE(*{b}, 1);"]
    return ring(n, make, 1, f"LB-ring-mb-{n}", f"LB ring of {n} processes with smp_mb().")


def rcu(n, gps):
    # Grace periods spread around the ring: process i is a GP when floor((i+1)*gps/n) > floor(i*gps/n).
    is_gp = [((i + 1) * gps) // n > (i * gps) // n for i in range(n)]

    def make(i, a, b):
        if is_gp[i]:
            return ["int r0;", "", f"r0 = READ_ONCE(*{a});", "synchronize_rcu();", f"WRITE_ONCE(*{b}, 1);"]
        return ["int r0;", "", "rcu_read_lock();", f"r0 = READ_ONCE(*{a});", f"WRITE_ONCE(*{b}, 1);",
                "rcu_read_unlock();"]
    return ring(n, make, 1, f"RCU-ring-{gps}gp-{n}",
                f"RCU ring of {n} processes: {gps} grace periods, {n - gps} read-side critical sections.")


def mp_chain(n):
    name = f"MP-chain-{n}"
    out = header(name, n, f"MP chain (ISA2 generalised) of {n} processes.")
    if n == 2:
        out += proc(0, n, ["WRITE_ONCE(*x0, 1);", "smp_wmb();", "WRITE_ONCE(*x1, 1);"])
        out += proc(1, n, ["int r0;", "int r1;", "", "r0 = READ_ONCE(*x1);", "smp_rmb();", "r1 = READ_ONCE(*x0);"])
    else:
        out += proc(0, n, ["WRITE_ONCE(*x0, 1);", "smp_wmb();", "WRITE_ONCE(*x1, 1);"])
        for i in range(1, n - 1):
            out += proc(i, n, ["int r0;", "", f"r0 = READ_ONCE(*x{i});", "smp_mb();", f"WRITE_ONCE(*x{i + 1}, 1);"])
        out += proc(n - 1, n, ["int r0;", "int r1;", "", f"r0 = READ_ONCE(*x{n - 1});", "smp_rmb();",
                               "r1 = READ_ONCE(*x0);"])
    out += "exists (" + " /\\ ".join([f"{i}:r0=1" for i in range(1, n)] + [f"{n - 1}:r1=0"]) + ")\n"
    return out


def sb_lock(n, emul, fold):
    name = "C-SB-lock" + (("-" + emul + ("E" if fold else "")) if emul else "") + f"-{n}"
    init = " ".join(["int sl = 0;"] + [f"int x{i} = 0;" for i in range(n)])
    out = f"C {name}\n\n(*\n * SB through {n} critical sections of sl.\n *)\n\n{{\n{init}\n}}\n\n"
    prm = ", ".join(["int *sl"] + [f"int *x{i}" for i in range(n)])
    for i in range(n):
        body = ["int r1;"]
        if emul:
            body += ["int r2;", "", "r2 = cmpxchg_acquire(sl, 0, 1);" if emul == "C" else "r2 = xchg_acquire(sl, 1);"]
        else:
            body += ["", "spin_lock(sl);"]
        body += [f"WRITE_ONCE(*x{i}, 1);", f"r1 = READ_ONCE(*x{(i + 1) % n});"]
        body += ["smp_store_release(sl, 0);"] if emul else ["spin_unlock(sl);"]
        lines = "\n".join(("\t" + l) if l else "" for l in body)
        out += f"P{i}({prm})\n{{\n{lines}\n}}\n\n"
    r1 = [f"{i}:r1=0" for i in range(n)]
    r2 = [f"{i}:r2=0" for i in range(n)]
    if emul and not fold:
        out += "filter (" + " /\\ ".join(r2) + ")\n"
    cond = (r2 + r1) if (emul and fold) else r1
    return out + "exists (" + " /\\ ".join(cond) + ")\n"


def xchg_handoff(n):
    name = f"C-xchg-handoff-{n}"
    out = f"C {name}\n\n(*\n * {n} processes hand the lock word l over with xchg_acquire and smp_store_release.\n *)\n\n"
    out += "{\nint l = 0; int d = 0;\n}\n\n"
    for i in range(n):
        body = ["int r0;", "int r1;", "", "r0 = xchg_acquire(l, 1);", "r1 = READ_ONCE(*d);", "WRITE_ONCE(*d, r1 + 1);",
                "smp_store_release(l, 0);"]
        lines = "\n".join(("\t" + l) if l else "" for l in body)
        out += f"P{i}(int *l, int *d)\n{{\n{lines}\n}}\n\n"
    return out + "exists (" + " /\\ ".join([f"{i}:r0=0" for i in range(n)] + [f"d={n - 1}"]) + ")\n"


FAMILIES = {
    "sb-lock": lambda n: sb_lock(n, "", False),
    "sb-lock-C": lambda n: sb_lock(n, "C", False),
    "sb-lock-CE": lambda n: sb_lock(n, "C", True),
    "sb-lock-X": lambda n: sb_lock(n, "X", False),
    "sb-lock-XE": lambda n: sb_lock(n, "X", True),
    "xchg-handoff": xchg_handoff,
    "sb-mb": lambda n: sb(n, True),
    "sb-none": lambda n: sb(n, False),
    "lb-mb": lb,
    "mp-chain": mp_chain,
    "rcu-never": lambda n: rcu(n, math.ceil(n / 2)),
    "rcu-some": lambda n: rcu(n, math.ceil(n / 2) - 1),
}


def write(family, n, outdir):
    text = FAMILIES[family](n)
    name = text.split("\n", 1)[0].split()[1]
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, name + ".litmus")
    with open(path, "w") as f:
        f.write(text)
    return path


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in FAMILIES:
        sys.exit(__doc__)
    print(write(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "gen"))
