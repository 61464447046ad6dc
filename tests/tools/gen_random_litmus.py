#!/usr/bin/env python3
"""Writes random small Linux-kernel C litmus tests, for cross-checking two models or two checkers.

usage: gen_random_litmus.py OUTDIR [-n N] [--seed S]

Two kinds of test, half each:
- cycles (like diy): thread i accesses location i then location i+1 (2-4 threads), so every test closes
  a communication cycle; between the two accesses a random link: fence, data/ctrl dependency (also
  through a store and load of the thread's own scratch location), address dependency (location i then
  holds a pointer to location i+1), lock or lock handover, RCU or SRCU section, grace period.
- free: random statements: marked and plain accesses, fences, xchg/cmpxchg/atomic_* RMWs, spinlocks
  (lock/unlock/trylock/is_locked), RCU and SRCU sections (sometimes unbalanced, to raise the model's
  flags; two srcu_structs, srcu_down_read/up_read), pointer publication and address dependencies,
  if-statements. A shared budget caps stores and RMWs so that every test runs in about a second.
Same seed, same tests.
"""
import argparse, os, random

INTS = ['x', 'y', 'z']
FENCES = ['smp_mb()', 'smp_rmb()', 'smp_wmb()', 'barrier()', 'smp_mb__before_atomic()',
          'smp_mb__after_atomic()', 'smp_mb__after_spinlock()', 'smp_mb__after_unlock_lock()',
          'smp_mb__after_srcu_read_unlock()', 'synchronize_rcu()', 'synchronize_srcu(s)',
          'synchronize_srcu(s2)']
SFX = ['', '_relaxed', '_acquire', '_release']
READS = ['READ_ONCE(*{})', 'smp_load_acquire({})', '*{}', 'atomic_read({})', 'rcu_dereference(*{})']
WRITES = ['WRITE_ONCE(*{}, {})', 'smp_store_release({}, {})', '*{} = {}', 'atomic_set({}, {})',
          'smp_store_mb(*{}, {})', 'rcu_assign_pointer(*{}, {})']
SIMPLE = ['load', 'store', 'fence', 'rmw', 'odd']
# Statement kinds of free tests, repeated for weight; each test draws from one theme.
THEMES = [SIMPLE[:4] * 2 + ['ptr', 'if', 'lock', 'rcu', 'srcu', 'odd'],
          ['load', 'store', 'fence', 'if', 'rcu', 'rcu', 'rcu'],
          ['load', 'store', 'if', 'srcu', 'srcu', 'fence', 'odd'],
          ['load', 'store', 'rmw', 'lock', 'lock', 'lock', 'fence'],
          ['load', 'store', 'rmw', 'rmw', 'fence', 'fence', 'ptr', 'if']]
# Links between the two accesses of a cycle test's thread.
LINKS = ['po', 'fence', 'fence', 'dep', 'dep', 'addr', 'addr', 'via-mem', 'lock', 'handover', 'rcu', 'rcu', 'gp', 'gp',
         'srcu', 'srcu-gp']


class Thread:
    def __init__(self, rnd, tid, theme=None, writes=None):
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

    def emit(self, line, depth=0):
        self.lines.append('\t' * (depth + 1) + line)

    def rmw(self, loc, v, depth=0):
        """A random RMW on loc (a read and, mostly, a write of it)."""
        rnd, r = self.rnd, self.reg()
        form = rnd.choice([f'xchg{rnd.choice(SFX)}({loc}, {v})',
                           f'cmpxchg{rnd.choice(SFX)}({loc}, {rnd.choice([0, 1])}, {v})',
                           f'atomic_add_return{rnd.choice(SFX)}({v}, {loc})',
                           f'atomic_fetch_inc{rnd.choice(SFX)}({loc})',
                           f'atomic_add_unless({loc}, 1, {rnd.choice([0, 1])})',
                           f'atomic_dec_and_test({loc})', None])
        if form is None:
            self.regs.pop()
            self.emit(f'atomic_{rnd.choice(["inc", "dec"])}({loc});', depth)
            return None
        self.emit(f'{r} = {form};', depth)
        return r

    # ------------------------------------------------------------ free tests

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
            self.emit(f'{self.reg()} = {rnd.choice(READS[:4]).format(loc)};', depth)
        elif k == 'store':
            self.emit(rnd.choice(WRITES[:5]).format(loc, self.value()) + ';', depth)
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
            self.rmw(loc, self.value(), depth)
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
                self.block(depth, rnd.randint(1, 4))
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
        else:  # srcu: the unlock passes back the lock's value, sometimes a wrong one or another
            r, ss = self.reg(), rnd.choice(['s', 's2'])  # thread's (which may have come through memory)
            self.emit(f'{r} = {rnd.choice(["srcu_read_lock", "srcu_down_read"])}({ss});', depth)
            self.block(depth, 2)
            if rnd.random() < 0.93:
                arg = r if rnd.random() < 0.8 else rnd.choice(['0', '1', f'{r} + 1'] + self.regs)
                self.emit(f'{rnd.choice(["srcu_read_unlock", "srcu_up_read"])}({ss}, {arg});', depth)
        return 3 if k in ('if', 'lock', 'rcu', 'srcu', 'ptr') else 1

    def block(self, depth, budget):
        while budget > 0:
            budget -= self.stmt(depth, budget)

    # ------------------------------------------------------------ cycle tests

    def access(self, loc, write, value='1', ptr=False):
        """One read (into a new register, returned) or write of loc, or an RMW doing either.
        A pointer location (ptr) is read into a pointer register and written a location's name."""
        rnd = self.rnd
        if rnd.random() < 0.15 and not ptr:
            return self.rmw(loc, value)
        if write:
            self.emit(rnd.choice(WRITES[:5] if rnd.random() < 0.9 else WRITES).format(loc, value) + ';')
            return None
        r = self.reg(ptr)
        self.emit(f'{r} = {rnd.choice(READS).format(loc)};')
        return r

    def cycle_thread(self, a, b, link, b_ptr_to):
        """Accesses a then b (each a read or a write), ordered (or not) by link. When b holds a
        pointer, b_ptr_to is the location it points to. With link 'addr', a holds a pointer to b."""
        rnd, wa, wb = self.rnd, rnd_bool(self.rnd), rnd_bool(self.rnd)
        if link in ('dep', 'via-mem', 'addr'):
            wa = False  # the dependency starts at a read
        open_, close = {'lock': ('spin_lock(l);', 'spin_unlock(l);'),
                        'rcu': ('rcu_read_lock();', 'rcu_read_unlock();'),
                        'handover': ('spin_lock(l);', 'spin_unlock(l);')}.get(link, (None, None))
        if link == 'srcu':
            r, ss = self.reg(), self.rnd.choice(['s', 's2'])
            open_, close = f'{r} = srcu_read_lock({ss});', f'srcu_read_unlock({ss}, {r});'
        if open_:
            self.emit(open_)
        ra = self.access(a, wa, str(rnd.choice([1, 2])), ptr=link == 'addr')
        if link == 'fence':
            self.emit(rnd.choice(FENCES) + ';')
        elif link in ('gp', 'srcu-gp'):
            self.emit('synchronize_rcu();' if link == 'gp' else f'synchronize_srcu({rnd.choice(["s", "s2"])});')
        elif link == 'handover':  # a in one critical section, b in the next: po-unlock-lock-po
            self.emit('spin_unlock(l);')
            self.emit('spin_lock(l);')
            if rnd_bool(rnd):
                self.emit('smp_mb__after_unlock_lock();')
        elif link == 'addr':  # b reached through the pointer read from a
            b = ra
        elif link == 'via-mem' and ra:  # the value goes through this thread's own scratch location
            t = f't{self.tid}'
            self.emit(rnd.choice(['WRITE_ONCE(*{}, {})', '*{} = {}']).format(t, ra) + ';')
            ra = self.reg()
            self.emit(f'{ra} = {rnd.choice(["READ_ONCE(*{})", "*{}"]).format(t)};')
        value = b_ptr_to or (ra if link in ('dep', 'via-mem') and ra and wb else '1')
        if link in ('dep', 'via-mem') and ra and (not wb or rnd.random() < 0.5):
            self.emit(f'if ({ra} == 1) {{')
            self.access(b, wb, value, ptr=bool(b_ptr_to))
            self.lines[-1] = '\t' + self.lines[-1]
            self.emit('}')
        else:
            self.access(b, wb, value, ptr=bool(b_ptr_to))
        if close:
            self.emit(close)


def rnd_bool(rnd):
    return rnd.random() < 0.5


def condition(rnd, threads, locs):
    atoms = []
    for t in threads:
        atoms += [f'{t.tid}:{r}={rnd.choice([0, 1, 2])}' for r in t.regs]
        atoms += [f'{t.tid}:{r}={rnd.choice(INTS)}' for r in t.ptrs]
    atoms += [f'{l}={rnd.choice([0, 1, 2])}' for l in locs + ['l'] * (rnd.random() < 0.05)]
    pick = rnd.sample(atoms, min(len(atoms), rnd.randint(1, 3)))
    quant = rnd.choice(['exists', 'exists', 'exists', '~exists', 'forall'])
    conj = rnd.choice([' /\\ ', ' \\/ '])
    return f'{quant} ({conj.join(pick)})'


def test(rnd, name):
    threads = []
    if rnd_bool(rnd):
        n, locs = rnd.randint(2, 4), ['x', 'y', 'z', 'w']
        links = rnd.sample(LINKS, 3) * 2  # a few links per test, so that they combine
        links = [rnd.choice(links) for _ in range(n)]
        # Thread i's a is locs[i]; with an 'addr' link it holds a pointer to locs[i + 1] (d at first).
        ptr_to = {locs[i]: locs[(i + 1) % n] for i in range(n) if links[i] == 'addr'}
        for tid in range(n):
            t = Thread(rnd, tid)
            b = locs[(tid + 1) % n]
            t.cycle_thread(locs[tid], b, links[tid], ptr_to.get(b))
            threads.append(t)
        init = [f'\tint *{l} = d;' for l in ptr_to]
        locs = [l for l in locs[:n] if l not in ptr_to]
        params = ', '.join(f'int *{l}' for l in locs + [f't{i}' for i in range(n)])
        params += ''.join(f', int **{l}' for l in ptr_to) + ', int *d'
    else:
        theme, writes, locs = rnd.choice(THEMES), [rnd.randint(2, 6)], INTS
        for tid in range(rnd.randint(2, 4)):
            t = Thread(rnd, tid, theme, writes)
            t.block(0, rnd.randint(1, 5 if tid < 2 else 3))
            threads.append(t)
        params, init = 'int *x, int *y, int *z', []
    out = [f'C {name}', '', '{', '\tint *p = z;', *init, '}', '']
    for t in threads:
        out.append(f'P{t.tid}({params}, int **p, spinlock_t *l, struct srcu_struct *s, struct srcu_struct *s2)')
        out.append('{')
        out += [f'\tint {r};' for r in t.regs] + [f'\tint *{r};' for r in t.ptrs]
        out += t.lines + ['}', '']
    out.append(condition(rnd, threads, locs))
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
