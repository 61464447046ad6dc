#!/usr/bin/env python3
"""Writes random small Linux-kernel C litmus tests, for cross-checking two models or two checkers.

usage: gen_random_litmus.py OUTDIR [-n N] [--seed S]

Each test has 2-4 threads of a few statements drawn from: READ_ONCE/WRITE_ONCE, acquire/release,
plain accesses, smp_* fences, xchg/cmpxchg/atomic_* RMWs, spinlocks (lock/unlock/trylock/is_locked),
RCU and SRCU read-side sections and grace periods, and addr/data/ctrl dependencies. Sections are
sometimes left unbalanced on purpose, to exercise the model's flags. Same seed, same tests.
"""
import argparse, os, random

INTS = ['x', 'y', 'z']
FENCES = ['smp_mb()', 'smp_rmb()', 'smp_wmb()', 'barrier()', 'smp_mb__before_atomic()',
          'smp_mb__after_atomic()', 'smp_mb__after_spinlock()', 'smp_mb__after_unlock_lock()',
          'smp_mb__after_srcu_read_unlock()', 'synchronize_rcu()', 'synchronize_srcu(s)']
SFX = ['', '_relaxed', '_acquire', '_release']
SIMPLE = ['load', 'store', 'fence', 'rmw', 'odd']
# Statement kinds, repeated for weight; each test draws from one theme.
THEMES = [SIMPLE[:4] * 2 + ['ptr', 'if', 'lock', 'rcu', 'srcu', 'odd'],
          ['load', 'store', 'fence', 'if', 'rcu', 'rcu', 'rcu'],
          ['load', 'store', 'if', 'srcu', 'srcu', 'fence', 'odd'],
          ['load', 'store', 'rmw', 'lock', 'lock', 'lock', 'fence'],
          ['load', 'store', 'rmw', 'rmw', 'fence', 'fence', 'ptr', 'if']]


class Thread:
    def __init__(self, rnd, tid, theme, writes):
        self.rnd, self.tid, self.theme, self.regs, self.ptrs, self.lines = rnd, tid, theme, [], [], []
        self.writes = writes  # shared by the test's threads: [stores and RMWs left], keeps tests fast

    def reg(self, ptr=False):
        r = f'r{len(self.regs) + len(self.ptrs)}'
        (self.ptrs if ptr else self.regs).append(r)
        return r

    def value(self):
        """A constant, or a register read earlier (a data dependency)."""
        if self.regs and self.rnd.random() < 0.3:
            r = self.rnd.choice(self.regs)
            return self.rnd.choice([r, f'{r} + 1'])
        return str(self.rnd.choice([1, 2]))

    def emit(self, line, depth):
        self.lines.append('\t' * (depth + 1) + line)

    def stmt(self, depth, budget):
        """Emits one statement (maybe a block); returns how many budget units it used."""
        rnd, loc = self.rnd, self.rnd.choice(INTS)
        kinds = [k for k in self.theme if depth < 2 and budget > 2 or k in SIMPLE]
        k = rnd.choice(kinds)
        if k in ('store', 'rmw', 'ptr'):
            if self.writes[0] <= 0:
                k = rnd.choice(['load', 'fence'])
            self.writes[0] -= 1
        if k == 'load':
            r = self.reg()
            form = rnd.choice(['READ_ONCE(*{})', 'smp_load_acquire({})', '*{}', 'atomic_read({})'])
            self.emit(f'{r} = {form.format(loc)};', depth)
        elif k == 'store':
            form = rnd.choice(['WRITE_ONCE(*{}, {})', 'smp_store_release({}, {})', '*{} = {}',
                               'atomic_set({}, {})', 'smp_store_mb(*{}, {})'])
            self.emit(form.format(loc, self.value()) + ';', depth)
        elif k == 'odd':  # rare misuse the model flags: lock or srcu_struct used as data, reused srcu value
            if rnd.random() < 0.8:
                return self.stmt(depth, 1)
            if self.regs and rnd.random() < 0.5:
                self.emit(f'srcu_read_unlock(s, {rnd.choice(self.regs)});', depth)
            else:
                self.emit(rnd.choice(['{} = READ_ONCE(*l);', '{} = READ_ONCE(*s);']).format(self.reg()), depth)
        elif k == 'fence':
            self.emit(rnd.choice(FENCES) + ';', depth)
        elif k == 'rmw':
            v, r = self.value(), self.reg()
            form = rnd.choice([f'xchg{rnd.choice(SFX)}({loc}, {v})',
                               f'cmpxchg{rnd.choice(SFX)}({loc}, {rnd.choice([0, 1])}, {v})',
                               f'atomic_add_return{rnd.choice(SFX)}({v}, {loc})',
                               f'atomic_fetch_inc{rnd.choice(SFX)}({loc})',
                               f'atomic_add_unless({loc}, 1, {rnd.choice([0, 1])})',
                               f'atomic_dec_and_test({loc})', None])
            if form is None:
                self.regs.pop()
                self.emit(f'atomic_{rnd.choice(["inc", "dec"])}({loc});', depth)
            else:
                self.emit(f'{r} = {form};', depth)
        elif k == 'ptr':  # publish a pointer, or follow one (address dependency)
            if rnd.random() < 0.5:
                form = rnd.choice(['rcu_assign_pointer(*p, {})', 'WRITE_ONCE(*p, {})'])
                self.emit(form.format(rnd.choice(INTS)) + ';', depth)
            else:
                q = self.reg(ptr=True)
                self.emit(f'{q} = {rnd.choice(["rcu_dereference(*p)", "READ_ONCE(*p)", "*p"])};', depth)
                if rnd.random() < 0.5:
                    self.emit(f'{self.reg()} = {rnd.choice(["READ_ONCE(*{})", "*{}"]).format(q)};', depth)
                else:
                    self.emit(f'{rnd.choice(["WRITE_ONCE(*{}, 3)", "*{} = 3"]).format(q)};', depth)
        elif k == 'if':  # control dependency on a fresh or earlier read
            r = rnd.choice(self.regs) if self.regs and rnd.random() < 0.5 else None
            if r is None:
                r = self.reg()
                self.emit(f'{r} = {rnd.choice(["READ_ONCE(*{})", "*{}"]).format(loc)};', depth)
            self.emit(f'if ({r} == {rnd.choice([0, 1])}) {{', depth)
            self.block(depth + 1, 2)
            if rnd.random() < 0.3:
                self.emit('} else {', depth)
                self.block(depth + 1, 1)
            self.emit('}', depth)
        elif k == 'lock':
            form = rnd.choice(['pair', 'pair', 'trylock', 'islocked', 'lock', 'unlock'])
            if form == 'pair':
                self.emit('spin_lock(l);', depth)
                self.block(depth, 2)
                self.emit('spin_unlock(l);', depth)
            elif form == 'trylock':
                r = self.reg()
                self.emit(f'{r} = spin_trylock(l);', depth)
                self.emit(f'if ({r}) {{', depth)
                self.block(depth + 1, 1)
                self.emit('spin_unlock(l);', depth + 1)
                self.emit('}', depth)
            elif form == 'islocked':
                self.emit(f'{self.reg()} = spin_is_locked(l);', depth)
            else:
                self.emit(f'spin_{form}(l);', depth)
        elif k == 'rcu':
            lock, unlock = rnd.random() < 0.93, rnd.random() < 0.93
            if lock:
                self.emit('rcu_read_lock();', depth)
            self.block(depth, 2)
            if unlock:
                self.emit('rcu_read_unlock();', depth)
        else:  # srcu: the unlock passes back the lock's value, sometimes a wrong one
            r = self.reg()
            self.emit(f'{r} = srcu_read_lock(s);', depth)
            self.block(depth, 2)
            if rnd.random() < 0.93:
                arg = r if rnd.random() < 0.9 else rnd.choice(['0', '1', f'{r} + 1'])
                self.emit(f'srcu_read_unlock(s, {arg});', depth)
        return 3 if k in ('if', 'lock', 'rcu', 'srcu', 'ptr') else 1

    def block(self, depth, budget):
        while budget > 0:
            budget -= self.stmt(depth, budget)


def condition(rnd, threads):
    atoms = []
    for t in threads:
        atoms += [f'{t.tid}:{r}={rnd.choice([0, 1, 2])}' for r in t.regs]
        atoms += [f'{t.tid}:{r}={rnd.choice(INTS)}' for r in t.ptrs]
    atoms += [f'{l}={rnd.choice([0, 1, 2])}' for l in INTS + ['l'] * (rnd.random() < 0.05)]
    pick = rnd.sample(atoms, min(len(atoms), rnd.randint(1, 3)))
    quant = rnd.choice(['exists', 'exists', 'exists', '~exists', 'forall'])
    conj = rnd.choice([' /\\ ', ' \\/ '])
    return f'{quant} ({conj.join(pick)})'


def test(rnd, name):
    threads, theme, writes = [], rnd.choice(THEMES), [rnd.randint(2, 6)]
    for tid in range(rnd.randint(2, 4)):
        t = Thread(rnd, tid, theme, writes)
        t.block(0, rnd.randint(1, 5 if tid < 2 else 3))
        threads.append(t)
    out = [f'C {name}', '', '{', '\tint *p = z;', '}', '']
    for t in threads:
        out.append(f'P{t.tid}(int *x, int *y, int *z, int **p, spinlock_t *l, struct srcu_struct *s)')
        out.append('{')
        out += [f'\tint {r};' for r in t.regs] + [f'\tint *{r};' for r in t.ptrs]
        out += t.lines + ['}', '']
    out.append(condition(rnd, threads))
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('-n', type=int, default=500)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rnd = random.Random(a.seed)
    for i in range(a.n):
        name = f'rand{a.seed}-{i:04d}'
        with open(os.path.join(a.outdir, name + '.litmus'), 'w') as f:
            f.write(test(rnd, name))


if __name__ == '__main__':
    main()
