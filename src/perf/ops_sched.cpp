// Scheduler, tasks, store-buffer flushes, IPIs and PMU (de)activation (spec §2.0, §2.1).
#include <fmt/format.h>

#include "perf/ops.hpp"
#include "perf/memlog.hpp"

namespace paddock::perf {

const char* err_name(int r) {
  static const char* n[] = {"0", "RC_ESRCH", "RC_ENXIO", "EAGAIN", "RC_ENODEV", "RC_ENOSPC"};
  return r >= 0 && r <= 5 ? n[r] : "?";
}

static uint8_t abit(int actor1) { return actor1 ? uint8_t(1u << (actor1 - 1)) : 0; }

void jump(B& b, int label, const std::string& lbl) {
  Step& s = b.step(lbl, [label](State&, Ex& e) { e.go(label); }, LOCAL);
  s.jumps = {label};
  s.falls = false;
  s.flags |= SF_LOCAL;
}

void ipi_call(B& b, int cpu_const, const std::string& fname, const std::function<void(B&, int)>& body, bool sets_ret) {
  int after = b.label(), exitl = b.label();
  auto cpu = [cpu_const](const State& s, const Ex& e) { return cpu_const >= 0 ? cpu_const : int(s.act[e.a].r[3]); };
  Step& send = b.guard(
      fname + ".ipi_send", [cpu](const State& s, const Ex& e) { return s.ipi[cpu(s, e)] == 0; },
      [cpu, after, sets_ret](State& s, Ex& e) {
        int c = cpu(s, e);
        // generic_exec_single(): csd_lock() (an smp_wmb()), the cpu_online() test, then llist_add() (a full
        // barrier) and the send: the caller's stores reach the handler, but the online test is ordered after
        // earlier stores only by a write barrier.
        fence(s, e, Prim::csd_wmb);
        if (!ld(s, e, V_ONLINE + c)) {
          if (sets_ret) s.act[e.a].r[0] = RC_ENXIO;
          e.go(after);
          return;
        }
        // A call to another CPU is queued (llist_add); one to the caller's own CPU runs directly: no message and
        // no barrier.
        int self = cpu_of(s, *e.m, e.a);
        if (c != self) fence(s, e, Prim::ipi_mb);
        s.ipi[c] = uint8_t(e.a + 1);
        if (g_memlog && c != self) log_acc(e, self, AccK::W, Prim::write_once, LOC_CSD + c, ++g_memlog->csd[c]);
      },
      [cpu](const State& s, const Ex& e) { return abit(s.ipi[cpu(s, e)]); },
      b.m.sb() ? Foot{} : frw(bit(R_IRQ) | mem_bit(V_ONLINE), bit(R_IRQ)));  // sb: the drain may flush anything
  send.jumps = {after};
  b.guard(
      fname + ".ipi_enter",
      [cpu](const State& s, const Ex& e) { return s.irqs[cpu(s, e)] == 0 && !cpu_atomic(s, *e.m, cpu(s, e)); },
      [cpu, sets_ret](State& s, Ex& e) {
        int c = cpu(s, e), self = cpu_of(s, *e.m, e.a);
        s.irqs[c] = uint8_t(e.a + 1);
        s.act[e.a].ipi = int8_t(c);
        if (sets_ret) s.act[e.a].r[0] = RC_OK;
        // The handler dequeues the call (llist_del_all: a value-returning xchg, a full barrier on CPU c).
        if (c == self) return;  // a local call: the function runs in the caller's program order
        if (g_memlog) {
          g_memlog->in_ipi[e.a] = c;
          log_acc(e, c, AccK::R, Prim::read_once, LOC_CSD + c, g_memlog->csd[c]);
        }
        fence(s, e, c, Prim::atomic_mb);
      },
      [cpu](const State& s, const Ex& e) {
        int c = cpu(s, e), curr = s.mem[V_CURR + c];
        uint8_t r = abit(s.irqs[c]);
        if (curr && cpu_atomic(s, *e.m, c)) r |= uint8_t(1u << e.m->task_actor[curr - 1]);
        return r;
      },
      b.m.sb() ? Foot{} : frw(bit(R_IRQ), bit(R_IRQ))).flags |= SF_ATOMIC_RD;  // sb: the drain may flush anything
  body(b, exitl);
  b.bind(exitl);
  b.step(fname + ".ipi_done", [](State& s, Ex& e) {
    int c = s.act[e.a].ipi;
    s.irqs[c] = 0;
    s.ipi[c] = 0;
    s.act[e.a].ipi = -1;
    if (g_memlog) g_memlog->in_ipi[e.a] = -1;
  }, frw(bit(R_IRQ), bit(R_IRQ)));
  b.bind(after);
}

static void check_pebs(State& s, const Ex& e, int c) {
  // D2: PEBS may only be enabled on a CPU whose DS setup is complete.
  int ds = s.mem[V_DS + c], area = s.mem[V_DSAREA + c];
  if (!s.mem[V_ONLINE + c] || !ds || area != ds || !(s.pebs_buf >> c & 1))
    e.viol(Prop::D2, fmt::format("PEBS enabled on CPU{} with online={} ds={} DS_AREA={} pebs_buf={}", c,
                                 s.mem[V_ONLINE + c], ds, area, (s.pebs_buf >> c & 1) ? "MAPPED" : "UNMAPPED"));
}

void recompute_pebs(State& s, const Model& m, int c) {
  bool on = false;
  for (size_t i = 0; i < m.ev.size(); ++i)
    if (m.ev[i].kind == EK::HW_PEBS && s.est[i] == E_ACT + c) on = true;
  if (on) s.pebs_en |= uint8_t(1u << c);
  else s.pebs_en &= uint8_t(~(1u << c));
}

void activate_ctx(State& s, const Ex& e, int k, int c) {
  for (size_t i = 0; i < e.m->ev.size(); ++i) {
    if (!(s.cev[k] >> i & 1) || s.est[i] == E_EXITED) continue;
    s.est[i] = uint8_t(E_ACT + c);
    if (e.m->ev[i].kind == EK::HW_PEBS) {
      s.pebs_en |= uint8_t(1u << c);
      check_pebs(s, e, c);
    }
  }
  s.cact[k] = 1;
}

void deactivate_ctx(State& s, int k, int c) {
  for (int i = 0; i < MAXEV; ++i)
    if ((s.cev[k] >> i & 1) && s.est[i] == E_ACT + c) s.est[i] = E_INACTIVE;
  s.cact[k] = 0;
}

void add_event(State& s, const Ex& e, int ev, int k, bool act, int c) {
  if (s.ctask[k] == CT_TOMB) e.viol(Prop::I3, fmt::format("{} added to the dead {}", e.m->ev[ev].name, e.m->ctx_name(k)));
  if (k >= MAXTASK && e.m->f.v002 != V002::pre && !s.conline[k])
    e.viol(Prop::I3, fmt::format("{} added to {} of a perf-offline CPU", e.m->ev[ev].name, e.m->ctx_name(k)));
  s.cev[k] |= uint8_t(1u << ev);
  log_events(s, e, k, AccK::W);
  s.est[ev] = E_INACTIVE;
  if (act) {
    s.est[ev] = uint8_t(E_ACT + c);
    if (e.m->ev[ev].kind == EK::HW_PEBS) {
      s.pebs_en |= uint8_t(1u << c);
      check_pebs(s, e, c);
    }
  }
}

bool task_running(const State& s, const Model& m, int t) {
  if (s.run[t] != T_RUNNING) return false;
  int c = s.mem[V_TCPU + t];
  return ld(s, m, c, V_CURR + c) == t + 1 && s.irqs[c] == 0;
}

static uint64_t ctx_lock_bits(const Model& m) {
  uint64_t r = 0;
  for (int k = 0; k < MAXCTX; ++k)
    if (m.L_clk[k] >= 0) r |= bit(m.L_clk[k]);
  return r;
}

// SWITCH(c, prev -> next) W1..W5 and pull-migration, as one looping per-CPU actor (spec §2.1).
void build_sched(Model& m, int a, int c) {
  B b(m, m.actors[a].prog, a);
  b.op = fmt::format("sched{}", c);
  const int rq = m.L_rq[c], cpuclk = m.L_clk[Model::cpuctx(0, c)];
  const uint64_t schedr = bit(R_SCHED) | bit(R_IRQ) | mem_bit(V_CURR) | mem_bit(V_TCPU) | mem_bit(V_ONLINE) | bit(R_SB) | bit(rq);
  int loop = b.label(), w4 = b.label(), w5 = b.label();
  b.bind(loop);
  b.quiet();
  for (int n = 0; n <= m.ntask; ++n) {
    auto en = [c, n, rq](const State& s, const Ex& e) {
      if (!s.swb[c] || s.irqs[c] || !s.mem[V_ONLINE + c] || !can_take(s, e, rq) || cpu_atomic(s, *e.m, c)) return false;
      int curr = ld(s, e, V_CURR + c);
      if (curr == n) return false;
      if (n == 0) return true;
      int t = n - 1;
      return s.run[t] == T_RUNNABLE && s.mem[V_TCPU + t] == c && !s.on_cpu[t];
    };
    auto ap = [c, n, rq](State& s, Ex& e) {
      take(s, e, rq, 0, M_W);
      if (n && g_memlog) log_acc(e, c, AccK::R, Prim::load_acquire, LOC_ONRQ + n - 1, g_memlog->onrq[n - 1]);
      if (e.m->f.ctxsw_mb) fence(s, e, c, Prim::ctxsw_mb);  // the context switch is a full barrier
      s.irqs[c] = uint8_t(e.a + 1);
      --s.swb[c];
      int curr = ld(s, e, V_CURR + c);
      auto& r = s.act[e.a].r;
      r[1] = int8_t(curr);
      r[2] = int8_t(n);
      if (curr && s.run[curr - 1] == T_RUNNING) s.run[curr - 1] = T_RUNNABLE;
      if (n) {
        s.run[n - 1] = T_RUNNING;
        s.on_cpu[n - 1] = 1;
      }
    };
    std::string lbl = n ? fmt::format("W1.switch_to_T{}", n - 1) : "W1.switch_to_idle";
    Step* st;
    if (n == 0) st = &b.guard(lbl, en, ap, {}, frw(schedr, schedr));
    else st = &b.alt(lbl, en, ap, frw(schedr, schedr));
    st->flags |= SF_LOCK | SF_ATOMIC_RD;
  }
  for (int t = 0; t < m.ntask; ++t) {
    Step& p = b.alt(
        fmt::format("migrate_T{}_to_cpu{}", t, c),
        [c, t, &m](const State& s, const Ex&) {
          if (!s.migb || s.irqs[c] || !s.active[c] || s.run[t] != T_RUNNABLE || s.on_cpu[t]) return false;
          int from = s.mem[V_TCPU + t];
          return from != c && s.active[from] && lock_free(s, m.L_rq[from]) && lock_free(s, m.L_rq[c]);
        },
        [c, t](State& s, Ex& e) {
          --s.migb;
          // Logged as the migrating CPU's own process: set_task_cpu, then the enqueue under rq->lock (release).
          if (g_memlog) {
            log_acc(e, c, AccK::W, Prim::write_once, V_TCPU + t, c, PROC_MIGRATE + t);
            log_acc(e, c, AccK::W, Prim::store_release, LOC_ONRQ + t, ++g_memlog->onrq[t], PROC_MIGRATE + t);
          }
          st(s, *e.m, c, V_TCPU + t, int8_t(c));
          e.stay = true;
        },
        Foot{});
    p.stays = true;
    p.falls = false;
  }

  auto w2 = [&] { b.step("W2.curr", [c](State& s, Ex& e) { st(s, e, V_CURR + c, s.act[e.a].r[2]); }, fst(V_CURR)); };
  if (!m.f.curr_late) w2();
  Step& w3 = b.step("W3.sched_out.ctxp", [c, w4](State& s, Ex& e) {
    auto& r = s.act[e.a].r;
    int x = r[1] ? ld(s, e, V_CTXP + r[1] - 1) : 0;
    if (!x || x != s.task_ctx[c]) {
      e.go(w4);
      return;
    }
    r[3] = int8_t(x);
  }, fr(mem_bit(V_CTXP) | bit(R_SB) | B_PERF));
  w3.jumps = {w4};
  const uint64_t clk = ctx_lock_bits(m);
  auto xlock = [&m](const State& s, const Ex& e) { return m.L_clk[s.act[e.a].r[3] - 1]; };
  lock(b, cpuclk, "W3.cpuctx_lock");
  lock_dyn(b, xlock, "W3.ctx_lock", clk);
  b.step("W3.deactivate", [c, cpuclk, xlock](State& s, Ex& e) {
    int k = s.act[e.a].r[3] - 1;
    deactivate_ctx(s, k, c);
    recompute_pebs(s, *e.m, c);
    s.task_ctx[c] = 0;
    release(s, e, xlock(s, e));
    release(s, e, cpuclk);
  }, frw(B_PERF | B_X86 | clk | bit(cpuclk), B_PERF | B_X86 | clk | bit(cpuclk)));
  b.bind(w4);
  // switch_to() is a full barrier between the rq->curr store (W2) and perf's sched-in (the barrier the
  // membarrier comment in __schedule promises); without it, W2;W4 vs O3;N0;N1 is a store-buffering race.
  Step& w4s = b.step("W4.sched_in.ctxp", [c, w5](State& s, Ex& e) {
    if (e.m->f.ctxsw_mb) fence(s, e, c, Prim::ctxsw_mb);
    auto& r = s.act[e.a].r;
    int x = r[2] ? ld(s, e, V_CTXP + r[2] - 1) : 0;
    if (!x || x == s.task_ctx[c]) {
      e.go(w5);
      return;
    }
    r[3] = int8_t(x);
  }, Foot{});
  w4s.jumps = {w5};
  lock(b, cpuclk, "W4.cpuctx_lock");
  lock_dyn(b, xlock, "W4.ctx_lock", clk);
  b.step("W4.activate", [c, cpuclk, xlock](State& s, Ex& e) {
    int k = s.act[e.a].r[3] - 1;
    log_events(s, e, k, AccK::R);
    if (s.cev[k]) {
      activate_ctx(s, e, k, c);
      s.task_ctx[c] = uint8_t(k + 1);
    }
    release(s, e, xlock(s, e));
    release(s, e, cpuclk);
  }, Foot{});
  b.bind(w5);
  if (m.f.curr_late) w2();  // L6's order: rq->curr published after the sched-in critical section
  Step& w5s = b.step("W5.finish", [c, rq, loop](State& s, Ex& e) {
    auto& r = s.act[e.a].r;
    if (r[1]) s.on_cpu[r[1] - 1] = 0;
    if (r[2]) s.ran[r[2] - 1] = 0;
    release(s, e, rq);
    s.irqs[c] = 0;
    r[1] = r[2] = r[3] = 0;
    e.go(loop);
  }, frw(schedr, schedr));
  w5s.jumps = {loop};
  w5s.falls = false;
}

void build_flush(Model& m, int a) {
  B b(m, m.actors[a].prog, a);
  b.op.assign("store_buffer");
  b.quiet();
  for (int c = 0; c < m.ncpu; ++c) {
    auto en = [c](const State& s, const Ex&) { return s.sbn[c] > 0; };
    auto ap = [c](State& s, Ex& e) {
      flush_one(s, c);
      e.stay = true;
    };
    Foot f = frw(bit(R_SB), bit(R_SB) | (bit(R_MEM0 + 6) - bit(R_MEM0)));
    Step& st = c == 0 ? b.guard(fmt::format("flush_cpu{}", c), en, ap, {}, f) : b.alt(fmt::format("flush_cpu{}", c), en, ap, f);
    st.stays = true;
    st.falls = false;
  }
}

void build_task(Model& m, int a, int t, int wake_after, bool do_exit) {
  Prog& p = m.actors[a].prog;
  B b(m, p, a);
  b.op = fmt::format("T{}", t);
  if (wake_after >= 0) {
    // try_to_wake_up: a task on an inactive CPU is first moved to an active one (fallback).
    Step& wk = b.guard(
        "wake", [wake_after](const State& s, const Ex&) { return s.act[wake_after].done != 0; },
        [t](State& s, Ex& e) {
          int c = s.mem[V_TCPU + t];
          if (!s.active[c])
            for (int d = 0; d < e.m->ncpu; ++d)
              if (s.active[d]) {
                st(s, e, V_TCPU + t, int8_t(d));
                break;
              }
          s.run[t] = T_RUNNABLE;
        },
        [wake_after](const State&, const Ex&) { return uint8_t(1u << wake_after); },
        frw(bit(R_DONE) | bit(R_SCHED) | mem_bit(V_TCPU) | bit(R_SB), bit(R_SCHED) | mem_bit(V_TCPU) | bit(R_SB)));
    wk.wait_done = uint8_t(1u << wake_after);
  }
  size_t first = p.nodes.size();
  b.quiet();
  Step& u = b.guard(
      "user", [t](const State& s, const Ex&) { return !s.ran[t]; },
      [t](State& s, Ex& e) {
        s.ran[t] = 1;
        e.stay = true;
        if (!e.m->chk.i1) return;
        // I1: every live event of the task's context counts on the CPU the task runs on.
        int c = s.mem[V_TCPU + t];
        for (size_t i = 0; i < e.m->ev.size(); ++i)
          if ((s.cev[t] >> i & 1) && s.est[i] != E_EXITED && s.est[i] != E_ACT + c)
            e.viol(Prop::I1, fmt::format("T{} runs on CPU{} without its counter {} ({})", t, c, e.m->ev[i].name,
                                         s.est[i] >= E_ACT ? fmt::format("active on CPU{}", s.est[i] - E_ACT)
                                                           : std::string("inactive")));
      },
      {}, frw(bit(R_SCHED) | B_PERF | mem_bit(V_TCPU), bit(R_SCHED)));
  u.stays = true;
  u.falls = false;
  if (do_exit) {
    b.alt("exit.X1.exiting", {}, [t](State& s, Ex&) { s.exiting[t] = 1; }, frw(bit(R_SCHED), bit(R_SCHED)));
    op_exit(b, t);
    b.step("exit.X6.dead", [t](State& s, Ex&) { s.run[t] = T_DEAD; }, frw(bit(R_SCHED), bit(R_SCHED)));
  }
  // A task's own steps run only while it is current on its CPU (preemption may interleave anywhere).
  for (size_t i = first; i < p.nodes.size(); ++i)
    for (Step& st : p.nodes[i].alts) {
      st.en = [t, en = st.en](const State& s, const Ex& e) { return task_running(s, *e.m, t) && (!en || en(s, e)); };
      if (st.blk)
        st.blk = [t, blk = st.blk](const State& s, const Ex& e) {
          return task_running(s, *e.m, t) ? blk(s, e) : uint8_t(0);
        };
      st.foot.r |= bit(R_SCHED) | bit(R_IRQ) | mem_bit(V_CURR) | mem_bit(V_TCPU) | bit(R_SB);
    }
}

}  // namespace paddock::perf
