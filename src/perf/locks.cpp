#include "perf/locks.hpp"
#include "perf/memlog.hpp"

#include <stdexcept>

#include "perf/model.hpp"

namespace paddock::perf {

static uint8_t me(const Ex& e) { return uint8_t(e.a + 1); }
static uint8_t abit(int actor1) { return actor1 && !(actor1 & OWN_SB) ? uint8_t(1u << (actor1 - 1)) : 0; }

bool lock_free(const State& s, int L) { return s.lk[L].owner == 0; }
bool can_take(const State& s, const Ex& e, int L) {
  if (e.m->locks_off >> L & 1) return true;
  uint8_t o = s.lk[L].owner;
  return o == 0 || o == (OWN_SB | cpu_of(s, *e.m, e.a));
}
uint8_t owner_mask(const State& s, int L) { return abit(s.lk[L].owner); }

bool holds(const State& s, int a, int L) {
  const ActSt& x = s.act[a];
  for (int i = 0; i < x.nheld; ++i)
    if (x.held[i] == L) return true;
  return false;
}

void push_held(State& s, Ex& e, int L, int sub, int mode) {
  ActSt& x = s.act[e.a];
  if (e.out) {
    Acq q{};
    q.lock = uint8_t(L);
    q.sub = uint8_t(sub);
    q.mode = uint8_t(mode);
    q.atomic = x.ipi >= 0 || (x.fl & AF_ATOMIC);
    q.nheld = x.nheld;
    for (int i = 0; i < x.nheld; ++i) {
      q.held[i] = x.held[i];
      q.hmode[i] = x.hmode[i];
    }
    e.out->acq.push_back(q);
  }
  if (x.nheld == MAXHELD) throw std::runtime_error("perf model: held-lock stack overflow");
  x.held[x.nheld] = uint8_t(L);
  x.hmode[x.nheld] = uint8_t(sub | mode << 4);
  ++x.nheld;
}

void pop_held(State& s, const Ex& e, int L) {
  ActSt& x = s.act[e.a];
  for (int i = x.nheld - 1; i >= 0; --i)
    if (x.held[i] == L) {
      for (int j = i + 1; j < x.nheld; ++j) {
        x.held[j - 1] = x.held[j];
        x.hmode[j - 1] = x.hmode[j];
      }
      --x.nheld;
      x.held[x.nheld] = 0;
      x.hmode[x.nheld] = 0;
      return;
    }
}

void take(State& s, Ex& e, int L, int sub, int mode) {
  int cpu = cpu_of(s, *e.m, e.a);
  if (e.m->locks_off >> L & 1) {  // recorded, excludes nobody, never held
    if (g_memlog) log_acc(e, cpu, AccK::LOCK, Prim::lock_acquire, L, 0);
    return;
  }
  if (s.lk[L].owner & OWN_SB) {
    // Taking back a lock whose release is still buffered on this CPU: the release never becomes visible.
    int n = 0;
    for (int i = 0; i < s.sbn[cpu]; ++i)
      if (s.sbvar[cpu][i] != SB_REL + L) {
        s.sbvar[cpu][n] = s.sbvar[cpu][i];
        s.sbval[cpu][n++] = s.sbval[cpu][i];
      }
    for (int i = n; i < s.sbn[cpu]; ++i) s.sbvar[cpu][i] = 0, s.sbval[cpu][i] = 0;
    s.sbn[cpu] = uint8_t(n);
  }
  if (e.m->f.mem == Mem::sb_x86) drain(s, cpu);
  if (g_memlog) log_acc(e, cpu, AccK::LOCK, Prim::lock_acquire, L, 0);
  s.lk[L].owner = me(e);
  push_held(s, e, L, sub, mode);
}

void release(State& s, Ex& e, int L) {
  if (e.m->locks_off >> L & 1) {
    if (g_memlog) log_acc(e, cpu_of(s, *e.m, e.a), AccK::UNLOCK, Prim::lock_release, L, 0);
    return;
  }
  if (s.lk[L].owner != me(e)) e.viol(Prop::LD_NONOWNER, e.m->locks[L].name + " released by a non-owner");
  s.lk[L].owner = 0;
  pop_held(s, e, L);
  // Release order: with stores still buffered, the unlock becomes visible only after them (FIFO).
  int cpu = cpu_of(s, *e.m, e.a);
  if (g_memlog) log_acc(e, cpu, AccK::UNLOCK, Prim::lock_release, L, 0);
  if (e.m->sb() && s.sbn[cpu]) {
    if (s.sbn[cpu] == SBD) flush_one(s, cpu);
    s.sbvar[cpu][s.sbn[cpu]] = uint8_t(SB_REL + L);
    s.sbval[cpu][s.sbn[cpu]] = 0;
    ++s.sbn[cpu];
    s.lk[L].owner = uint8_t(OWN_SB | cpu);
  }
}

static Foot lf(int L) { return Foot{bit(L) | bit(R_SB), bit(L) | bit(R_SB)}; }

void lock(B& b, int L, const std::string& lbl, int sub) {
  Step& s = b.guard(
      lbl, [L](const State& s, const Ex& e) { return can_take(s, e, L); },
      [L, sub](State& s, Ex& e) { take(s, e, L, sub, M_W); },
      [L](const State& s, const Ex&) { return owner_mask(s, L); }, lf(L));
  s.flags |= SF_LOCK;
  s.lk = int8_t(L);
  s.lk_sub = uint8_t(sub);
  s.gate = int8_t(L);
}

void lock_dyn(B& b, LockFn lf, const std::string& lbl, uint64_t bits, int sub) {
  Step& s = b.guard(
      lbl, [lf](const State& s, const Ex& e) { return can_take(s, e, lf(s, e)); },
      [lf, sub](State& s, Ex& e) { take(s, e, lf(s, e), sub, M_W); },
      [lf](const State& s, const Ex& e) { return owner_mask(s, lf(s, e)); }, Foot{bits | bit(R_SB), bits | bit(R_SB)});
  s.flags |= SF_LOCK;
  s.lkdyn = lf;
  s.lk_sub = uint8_t(sub);
}

void unlock(B& b, int L, const std::string& lbl) {
  b.step(lbl, [L](State& s, Ex& e) { release(s, e, L); }, lf(L));
}

static int hb_mode(const Ex& e) { return e.m->f.lockdep == Lockdep::faithful ? M_RR : M_R; }

void read_lock(B& b, int L, const std::string& lbl) {
  const LockInfo& li = b.m.locks[L];
  if (li.kind == LK::rwsem) {
    Step& s = b.guard(
        lbl, [L](const State& s, const Ex&) { return s.lk[L].owner == 0 && s.lk[L].pend == 0; },
        [L](State& s, Ex& e) {
          uint8_t m = uint8_t(1u << e.a);
          if (s.lk[L].rd & m) s.lk[L].rd2 |= m;
          else s.lk[L].rd |= m;
          push_held(s, e, L, 0, M_R);
        },
        [L](const State& s, const Ex&) { return uint8_t(abit(s.lk[L].owner) | abit(s.lk[L].pend)); }, lf(L));
    s.flags |= SF_LOCK;
    s.lk = int8_t(L);
    s.lk_mode = M_R;
    s.gate = int8_t(L);
    return;
  }
  // Homebrew: the active writer returns at once; else map acquire, inner mutex, refcount++, unlock.
  int in = li.inner;
  int done = b.label();
  Step& s = b.guard(
      lbl + ".lock_inner",
      [L, in](const State& s, const Ex& e) { return s.lk[L].owner == me(e) || can_take(s, e, in); },
      [L, in, done](State& s, Ex& e) {
        if (s.lk[L].owner == me(e)) {
          e.go(done);
          return;
        }
        push_held(s, e, L, 0, hb_mode(e));
        take(s, e, in, 0, M_W);
      },
      [in](const State& s, const Ex&) { return owner_mask(s, in); }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
  s.flags |= SF_LOCK;
  s.lk = int8_t(in);
  s.jumps = {done};
  b.step(lbl + ".refcount_inc", [L, in](State& s, Ex& e) {
    uint8_t m = uint8_t(1u << e.a);
    if (s.lk[L].rd & m) s.lk[L].rd2 |= m;
    else s.lk[L].rd |= m;
    release(s, e, in);
  }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
  b.bind(done);
}

void read_unlock(B& b, int L, const std::string& lbl) {
  const LockInfo& li = b.m.locks[L];
  auto drop = [L](State& s, Ex& e) {
    uint8_t m = uint8_t(1u << e.a);
    if (s.lk[L].rd2 & m) s.lk[L].rd2 &= uint8_t(~m);
    else s.lk[L].rd &= uint8_t(~m);
  };
  if (li.kind == LK::rwsem) {
    b.step(lbl, [L, drop](State& s, Ex& e) {
      drop(s, e);
      pop_held(s, e, L);
    }, lf(L));
    return;
  }
  int in = li.inner;
  int done = b.label();
  Step& s = b.guard(
      lbl + ".lock_inner",
      [L, in](const State& s, const Ex& e) { return s.lk[L].owner == me(e) || can_take(s, e, in); },
      [L, in, done](State& s, Ex& e) {
        if (s.lk[L].owner == me(e)) {
          e.go(done);
          return;
        }
        take(s, e, in, 0, M_W);
      },
      [in](const State& s, const Ex&) { return owner_mask(s, in); }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
  s.flags |= SF_LOCK;
  s.jumps = {done};
  b.step(lbl + ".refcount_dec", [L, in, drop](State& s, Ex& e) {
    drop(s, e);
    release(s, e, in);
    pop_held(s, e, L);
  }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
  b.bind(done);
}

void write_lock(B& b, int L, const std::string& lbl) {
  const LockInfo& li = b.m.locks[L];
  if (li.kind == LK::rwsem) {
    Step& s1 = b.guard(
        lbl + ".RW1", [L](const State& s, const Ex&) { return s.lk[L].owner == 0 && s.lk[L].pend == 0; },
        [L](State& s, Ex& e) {
          s.lk[L].pend = me(e);
          push_held(s, e, L, 0, M_W);  // lockdep validates before waiting
        },
        [L](const State& s, const Ex&) { return uint8_t(abit(s.lk[L].owner) | abit(s.lk[L].pend)); }, lf(L));
    s1.flags |= SF_LOCK;
    s1.lk = int8_t(L);
    s1.gate = int8_t(L);
    Step& s2 = b.guard(
        lbl + ".RW2", [L](const State& s, const Ex&) { return (s.lk[L].rd | s.lk[L].rd2) == 0; },
        [L](State& s, Ex& e) {
          s.lk[L].pend = 0;
          s.lk[L].owner = me(e);
        },
        [L](const State& s, const Ex&) { return uint8_t(s.lk[L].rd | s.lk[L].rd2); }, lf(L));
    s2.gate_rd = int8_t(L);
    return;
  }
  // Homebrew writer: active_writer = self, then loop { lock inner; refcount == 0 -> keep it; else unlock, sleep }.
  int in = li.inner;
  b.step(lbl + ".active_writer", [L](State& s, Ex& e) {
    s.lk[L].owner = me(e);
    push_held(s, e, L, 0, M_W);
  }, lf(L));
  int again = b.label(), out = b.label(), wait = b.label();
  b.bind(again);
  lock(b, in, lbl + ".lock_inner");
  Step& chk = b.step(lbl + ".refcount_check", [L, in, out, wait](State& s, Ex& e) {
    if ((s.lk[L].rd | s.lk[L].rd2) == 0) {
      s.lk[L].pend = me(e);  // homebrew: `pend` marks the writer inside its write section
      e.go(out);
      return;
    }
    release(s, e, in);
    e.go(wait);
  }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
  chk.jumps = {out, wait};
  chk.falls = false;
  b.bind(wait);
  Step& w = b.guard(
      lbl + ".sleep", [L](const State& s, const Ex&) { return (s.lk[L].rd | s.lk[L].rd2) == 0; },
      [again](State&, Ex& e) { e.go(again); },
      [L](const State& s, const Ex&) { return uint8_t(s.lk[L].rd | s.lk[L].rd2); }, Foot{bit(L), 0});
  w.jumps = {again};
  w.falls = false;
  w.flags |= SF_RETRY;
  b.bind(out);
}

void write_unlock(B& b, int L, const std::string& lbl) {
  const LockInfo& li = b.m.locks[L];
  if (li.kind == LK::rwsem) {
    b.step(lbl, [L](State& s, Ex& e) {
      if (s.lk[L].owner != me(e)) e.viol(Prop::LD_NONOWNER, e.m->locks[L].name + " released by a non-owner");
      s.lk[L].owner = 0;
      pop_held(s, e, L);
    }, lf(L));
    return;
  }
  int in = li.inner;
  b.step(lbl, [L, in](State& s, Ex& e) {
    s.lk[L].owner = 0;
    s.lk[L].pend = 0;
    release(s, e, in);
    pop_held(s, e, L);
  }, Foot{bit(L) | bit(in), bit(L) | bit(in)});
}

}  // namespace paddock::perf
