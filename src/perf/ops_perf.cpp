// sys_perf_event_open / install / release / exit, PMU registration and the perf hotplug callbacks (spec §2.2-2.6).
#include <fmt/format.h>

#include "perf/ops.hpp"
#include "perf/memlog.hpp"

namespace paddock::perf {

static Foot PERF = frw(B_PERF, B_PERF);
static Foot EV(int ev) { return frw(ev_bit(ev), ev_bit(ev)); }
// add_event(): the ctx's fields and the event; check_pebs() reads the CPU's DS setup and writes pebs_en.
static Foot ADD(int ev, int k) {
  return frw(ctx_bit(k) | ev_bit(ev) | bit(R_DS) | mem_bit(V_DS) | mem_bit(V_DSAREA) | mem_bit(V_ONLINE),
             ctx_bit(k) | ev_bit(ev) | bit(R_DS));
}

void event_init(B& b, int ev, int) {
  const Model& m = b.m;
  switch (m.ev[ev].kind) {
    case EK::HW:
    case EK::HW_PEBS:
      reserve_hw(b);
      break;
    case EK::HW_LBR_EXCL:
      reserve_hw(b);
      add_exclusive(b);
      break;
    case EK::TRACEPOINT:
      // The tracepoint's static key is enabled under event_mutex, which takes the cpus lock.
      lock(b, m.L_event, "tp_event_init.event_mutex");
      read_lock(b, m.L_cpus, "static_key_enable.cpus_read_lock");
      read_unlock(b, m.L_cpus, "static_key_enable.cpus_read_unlock");
      unlock(b, m.L_event, "tp_event_init.event_mutex_unlock");
      break;
    case EK::BP:
      reserve_bp(b, ev);
      break;
    case EK::SW:
      break;
  }
}

void event_destroy(B& b, int ev) {
  const Model& m = b.m;
  switch (m.ev[ev].kind) {
    case EK::HW:
    case EK::HW_PEBS:
      release_hw(b);
      break;
    case EK::HW_LBR_EXCL:
      del_exclusive(b);
      release_hw(b);
      break;
    case EK::TRACEPOINT:
      lock(b, m.L_event, "tp_event_destroy.event_mutex");
      unlock(b, m.L_event, "tp_event_destroy.event_mutex_unlock");
      break;
    case EK::BP:
      release_bp(b, ev);
      break;
    case EK::SW:
      break;
  }
}

// INSTALL into a task context, post-001 protocol: task_curr() + IPI, fallback under ctx->lock (spec §2.2).
static void install_task_post(B& b, int ev) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int t = d.task, C = d.ctx, pmu = d.pmu, clk = m.L_clk[C];
  b.op = "install";
  int n1 = b.label(), n4 = b.label(), done = b.label();
  if (m.f.v001 == V001::post)
    b.step("N0.smp_mb", [](State& s, Ex& e) { fence(s, e, Prim::smp_mb); }, frw(bit(R_SB), ALL & ~(uint64_t(0))));
  b.bind(n1);
  b.step("N1.task_cpu", [t](State& s, Ex& e) { s.act[e.a].r[1] = ld(s, e, V_TCPU + t); }, fld(V_TCPU)).flags |= SF_RETRY;
  Step& n1b = b.step("N1.task_curr", [t, n4](State& s, Ex& e) {
    auto& r = s.act[e.a].r;
    if (ld(s, e, V_CURR + r[1]) != t + 1) {
      r[0] = RC_ESRCH;
      e.go(n4);
    }
  }, fld(V_CURR));
  n1b.jumps = {n4};
  n1b.flags |= SF_RETRY;
  b.step("N2.task_cpu", [t](State& s, Ex& e) { s.act[e.a].r[3] = ld(s, e, V_TCPU + t); }, fld(V_TCPU)).flags |= SF_RETRY;
  ipi_call(b, -1, "task_function_call", [&](B& b, int exitl) {
    b.op = "__perf_install_in_context";
    Step& a = b.step("N3a.task_cpu", [t, exitl](State& s, Ex& e) {
      int c = s.act[e.a].ipi;
      if (ld(s, e, V_TCPU + t) != c) {
        s.act[e.a].r[0] = RC_EAGAIN;
        e.go(exitl);
      }
    }, fld(V_TCPU));
    a.jumps = {exitl};
    Step& a2 = b.step("N3a.current", [t, exitl](State& s, Ex& e) {
      int c = s.act[e.a].ipi;
      if (ld(s, e, V_CURR + c) != t + 1) {
        s.act[e.a].r[0] = RC_ESRCH;
        e.go(exitl);
      }
    }, fld(V_CURR));
    a2.jumps = {exitl};
    auto cpuclk = [&m, pmu](const State& s, const Ex& e) { return m.L_clk[Model::cpuctx(pmu, s.act[e.a].ipi)]; };
    uint64_t bits = 0;
    for (int c = 0; c < m.ncpu; ++c) bits |= bit(m.L_clk[Model::cpuctx(pmu, c)]);
    lock_dyn(b, cpuclk, "N3b.cpuctx_lock", bits);
    lock(b, clk, "N3b.ctx_lock");
    b.step("N3b.add", [t, ev, C, clk, cpuclk](State& s, Ex& e) {
      int c = s.act[e.a].ipi;
      auto& r = s.act[e.a].r;
      bool reprogram = ld(s, e, V_CURR + c) == t + 1;
      bool tc = ld(s, e, V_CURR + ld(s, e, V_TCPU + t)) == t + 1;
      if (tc && !reprogram) {
        r[0] = RC_ESRCH;
      } else {
        if (reprogram && s.task_ctx[c] && s.task_ctx[c] != C + 1)
          e.viol(Prop::W_REPROG, fmt::format("reprogram on CPU{} with foreign task_ctx {}", c, e.m->ctx_name(s.task_ctx[c] - 1)));
        add_event(s, e, ev, C, reprogram, c);
        if (reprogram) {
          activate_ctx(s, e, C, c);
          s.task_ctx[c] = uint8_t(C + 1);
        }
        r[0] = RC_OK;
      }
      release(s, e, clk);
      release(s, e, cpuclk(s, e));
    }, Foot{});
  }, true);
  b.op = "install";
  b.bind(n4);
  Step& s4 = b.step("N4.ret", [done](State& s, Ex& e) {
    if (s.act[e.a].r[0] == RC_OK) e.go(done);
  }, LOCAL);
  s4.jumps = {done};
  s4.flags |= SF_RETRY;
  lock(b, clk, "N5.ctx_lock");
  b.p.nodes.back().alts.back().flags |= SF_RETRY;
  Step& s5 = b.step("N5.ctx_task", [C, clk, done](State& s, Ex& e) {
    if (s.ctask[C] == CT_TOMB) {
      e.viol(Prop::W_TOMB, fmt::format("install found {} tombstoned under ctx->mutex", e.m->ctx_name(C)));
      release(s, e, clk);
      e.go(done);
    }
  }, frw(B_PERF | bit(clk), bit(clk)));
  s5.jumps = {done};
  s5.flags |= SF_RETRY;
  b.step("N6.task_cpu", [t](State& s, Ex& e) { s.act[e.a].r[1] = ld(s, e, V_TCPU + t); }, fld(V_TCPU)).flags |= SF_RETRY;
  Step& s6 = b.step("N6.task_curr", [t, clk, n1](State& s, Ex& e) {
    int cur = ld(s, e, V_CURR + s.act[e.a].r[1]);
    ctrl_dep();  // N7's add runs only if the task is not current
    if (cur == t + 1) {
      release(s, e, clk);
      e.go(n1);
    }
  }, frw(mem_bit(V_CURR) | bit(R_SB) | bit(clk), bit(clk)));
  s6.jumps = {n1};
  s6.flags |= SF_RETRY;
  b.step("N7.add_inactive", [ev, C, clk](State& s, Ex& e) {
    add_event(s, e, ev, C, false, 0);
    s.act[e.a].r[0] = RC_OK;
    release(s, e, clk);
  }, Foot{});
  b.bind(done);
}

// INSTALL, v4.9 logic: IPI the task's CPU unconditionally, retry while the ctx is alive (spec §2.2 V001=pre).
static void install_task_pre(B& b, int ev) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int t = d.task, C = d.ctx, pmu = d.pmu, clk = m.L_clk[C];
  b.op = "install";
  int p1 = b.label(), done = b.label();
  b.bind(p1);
  b.step("P1.task_cpu", [t](State& s, Ex& e) { s.act[e.a].r[3] = ld(s, e, V_TCPU + t); }, fld(V_TCPU)).flags |= SF_RETRY;
  size_t first = b.p.nodes.size();
  ipi_call(b, -1, "cpu_function_call", [&](B& b, int) {
    b.op = "__perf_install_in_context";
    auto cpuclk = [&m, pmu](const State& s, const Ex& e) { return m.L_clk[Model::cpuctx(pmu, s.act[e.a].ipi)]; };
    uint64_t bits = 0;
    for (int c = 0; c < m.ncpu; ++c) bits |= bit(m.L_clk[Model::cpuctx(pmu, c)]);
    lock_dyn(b, cpuclk, "PF.cpuctx_lock", bits);
    lock(b, clk, "PF.ctx_lock");
    b.step("PF.add", [t, ev, C, clk, cpuclk](State& s, Ex& e) {
      int c = s.act[e.a].ipi;
      auto& r = s.act[e.a].r;
      if (ld(s, e, V_TCPU + t) != c) {
        r[0] = RC_ESRCH;
      } else {
        bool act = ld(s, e, V_CURR + c) == t + 1;
        if (act && s.task_ctx[c] && s.task_ctx[c] != C + 1)
          e.viol(Prop::W_REPROG, fmt::format("activate on CPU{} with foreign task_ctx {}", c, e.m->ctx_name(s.task_ctx[c] - 1)));
        add_event(s, e, ev, C, act, c);
        if (act) {
          activate_ctx(s, e, C, c);
          s.task_ctx[c] = uint8_t(C + 1);
        }
        r[0] = RC_OK;
      }
      release(s, e, clk);
      release(s, e, cpuclk(s, e));
    }, Foot{});
  }, true);
  b.op = "install";
  Step& p2 = b.step("P2.ret", [done](State& s, Ex& e) {
    if (s.act[e.a].r[0] == RC_OK) e.go(done);
  }, LOCAL);
  p2.jumps = {done};
  lock(b, clk, "P3.ctx_lock");
  Step& p3 = b.step("P3.retry", [C, clk, done, p1](State& s, Ex& e) {
    release(s, e, clk);
    e.go(s.ctask[C] == CT_TOMB ? done : p1);
  }, frw(B_PERF | bit(clk), bit(clk)));
  p3.jumps = {done, p1};
  p3.falls = false;
  for (size_t i = first; i < b.p.nodes.size(); ++i)
    for (Step& s : b.p.nodes[i].alts) s.flags |= SF_RETRY;
  b.bind(done);
}

// CPU-target install: cpu_function_call(cpu, __perf_install_in_context); RC_ENXIO is ignored as in the kernel.
static void install_cpu(B& b, int ev) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int C = d.ctx, c = d.cpu, clk = m.L_clk[C];
  b.op = "install";
  ipi_call(b, c, "cpu_function_call", [&](B& b, int) {
    b.op = "__perf_install_in_context";
    lock(b, clk, "PF.cpuctx_lock");
    b.step("PF.add_active", [ev, C, c, clk](State& s, Ex& e) {
      add_event(s, e, ev, C, true, c);
      s.cact[C] = 1;
      release(s, e, clk);
    }, [&] { Foot f = ADD(ev, C); f.r |= bit(clk), f.w |= bit(clk); return f; }());
  });
}

void op_open(B& b, int ev, bool kernel) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int C = d.ctx, t = d.task;
  const bool o0 = m.f.v002 == V002::pre && !kernel && m.L_cpus >= 0;
  const std::string top = kernel ? "create_kernel_counter" : "open";
  int out = b.label(), errtail = b.label(), err = b.label(), unlock_err = b.label();
  b.op = top;
  b.quiet();
  if (o0) read_lock(b, m.L_cpus, "O0.cpus_read_lock");
  b.step("O1.alloc", [ev](State& s, Ex& e) {
    s.est[ev] = E_NEW;
    s.act[e.a].r[0] = RC_OK;
  }, EV(ev));
  b.op = "perf_try_init_event";
  if (d.leader_ctx >= 0) lock(b, m.L_cmx[d.leader_ctx], "O2.leader_ctx_mutex", 1);
  event_init(b, ev, errtail);
  if (d.leader_ctx >= 0) unlock(b, m.L_cmx[d.leader_ctx], "O2.leader_ctx_mutex_unlock");
  Step& o2 = b.step("O2.ret", [errtail](State& s, Ex& e) {
    if (s.act[e.a].r[0] != RC_OK) e.go(errtail);
  }, LOCAL);
  o2.jumps = {errtail};
  b.op = "find_get_context";
  if (t >= 0) {
    lock(b, m.L_pem[t], "O3.perf_event_mutex");
    Step& g = b.step("O3.get_ctx", [t, C, err, &m](State& s, Ex& e) {
      if (s.exiting[t]) {
        s.act[e.a].r[0] = RC_ESRCH;
        release(s, e, m.L_pem[t]);
        e.go(err);
        return;
      }
      if (!ld(s, e, V_CTXP + t)) st(s, e, V_CTXP + t, int8_t(C + 1));  // publication: "W ctxp"
      ++s.cref[C];
      release(s, e, m.L_pem[t]);
    }, Foot{});
    g.jumps = {err};
  } else {
    Step& g = b.step("O3.get_cpuctx", [c = d.cpu, C, err, &m](State& s, Ex& e) {
      if (m.f.v002 == V002::pre && !ld(s, e, V_ONLINE + c)) {
        s.act[e.a].r[0] = RC_ENODEV;
        e.go(err);
        return;
      }
      ++s.cref[C];
    }, frw(ctx_bit(C) | fld(V_ONLINE).r, ctx_bit(C)));
    g.jumps = {err};
  }
  b.op = top;
  int lo = C, hi = -1;
  if (d.move_group) {
    lo = std::min(C, d.leader_ctx);
    hi = std::max(C, d.leader_ctx);
    lock(b, m.L_cmx[lo], "O4.mutex_lock_double");
    lock(b, m.L_cmx[hi], "O4.mutex_lock_double", 1);
  } else {
    lock(b, m.L_cmx[C], "O4.ctx_mutex");
  }
  auto unlock_all = [&](const std::string& l) {
    if (hi >= 0) unlock(b, m.L_cmx[hi], l);
    unlock(b, m.L_cmx[lo], l);
  };
  Step& o5 = b.step("O5.check", [C, t, unlock_err, &m](State& s, Ex& e) {
    if (s.ctask[C] == CT_TOMB) {
      s.act[e.a].r[0] = RC_ESRCH;
      e.go(unlock_err);
    } else if (t < 0 && m.f.v002 != V002::pre && !s.conline[C]) {
      s.act[e.a].r[0] = RC_ENODEV;
      e.go(unlock_err);
    }
  }, fr(ctx_bit(C)));
  o5.jumps = {unlock_err};
  if (t >= 0) {
    if (m.f.v001 == V001::pre) install_task_pre(b, ev);
    else install_task_post(b, ev);
  } else {
    install_cpu(b, ev);
  }
  b.op = top;
  unlock_all("O7.ctx_mutex_unlock");
  if (o0) read_unlock(b, m.L_cpus, "O8.cpus_read_unlock");
  jump(b, out, "O9.return");
  b.bind(unlock_err);
  unlock_all("err.ctx_mutex_unlock");
  b.bind(err);
  b.op = "free_event";
  event_destroy(b, ev);
  b.op = top;
  b.bind(errtail);
  b.step("err.free", [ev](State& s, Ex&) { s.est[ev] = E_ERROR; }, EV(ev));
  if (o0) read_unlock(b, m.L_cpus, "err.cpus_read_unlock");
  b.bind(out);
}

void op_close(B& b, int ev) {
  const Model& m = b.m;
  const int C = m.ev[ev].ctx;
  b.op = "release";
  b.quiet();
  lock(b, m.L_cmx[C], "R1.ctx_mutex");
  lock(b, m.L_clk[C], "R2.ctx_lock");
  // event_function_call's IPI dance is abstracted: removal happens under ctx->lock.
  b.step("R2.remove", [ev, C, clk = m.L_clk[C]](State& s, Ex& e) {
    if (s.cev[C] >> ev & 1) {
      s.cev[C] &= uint8_t(~(1u << ev));
      log_events(s, e, C, AccK::W);
      int c = s.est[ev] >= E_ACT ? s.est[ev] - E_ACT : -1;
      s.est[ev] = E_EXITED;
      if (c >= 0) recompute_pebs(s, *e.m, c);
    }
    release(s, e, clk);
  }, [&] {
    Foot f = frw(ctx_bit(C) | bit(m.L_clk[C]) | bit(R_DS), ctx_bit(C) | bit(m.L_clk[C]) | bit(R_DS));
    for (size_t i = 0; i < m.ev.size(); ++i) f.r |= ev_bit(int(i)), f.w |= ev_bit(int(i));  // recompute_pebs
    return f;
  }());
  unlock(b, m.L_cmx[C], "R3.ctx_mutex_unlock");
  b.op = "free_event";
  event_destroy(b, ev);
  b.op = "release";
  b.step("R4.free", [ev, C](State& s, Ex& e) {
    s.est[ev] = E_FREED;
    if (--s.cref[C] < 0) e.viol(Prop::G4, fmt::format("{} refcount < 0", e.m->ctx_name(C)));
  }, frw(ev_bit(ev) | ctx_bit(C), ev_bit(ev) | ctx_bit(C)));
}

// perf_event_exit_task, run by the task itself (X1 is the task actor's choice; X6 marks it dead).
void op_exit(B& b, int t) {
  const Model& m = b.m;
  const int k = t, clk = m.L_clk[k];
  b.op = "exit";
  int end = b.label();
  lock(b, m.L_pem[t], "X2.perf_event_mutex");
  unlock(b, m.L_pem[t], "X2.perf_event_mutex_unlock");
  Step& x3 = b.step("X3.ctxp", [t, end](State& s, Ex& e) {
    if (!ld(s, e, V_CTXP + t)) e.go(end);
  }, fld(V_CTXP));
  x3.jumps = {end};
  lock(b, m.L_cmx[k], "X3.ctx_mutex");
  lock(b, clk, "X4.ctx_lock");
  b.step("X4.tombstone", [t, k, clk](State& s, Ex& e) {
    int c = s.mem[V_TCPU + t];
    if (s.task_ctx[c] == k + 1) {
      deactivate_ctx(s, k, c);
      recompute_pebs(s, *e.m, c);
      s.task_ctx[c] = 0;
    }
    st(s, e, V_CTXP + t, 0);
    s.ctask[k] = CT_TOMB;
    release(s, e, clk);
  }, frw(ctx_bit(k) | B_EV | bit(R_PERF) | bit(R_DS) | mem_bit(V_CTXP) | mem_bit(V_TCPU) | bit(R_SB) | bit(clk),
         ctx_bit(k) | B_EV | bit(R_PERF) | bit(R_DS) | mem_bit(V_CTXP) | bit(R_SB) | bit(clk)));
  for (size_t i = 0; i < m.ev.size(); ++i) {
    if (m.ev[i].ctx != k) continue;
    int ev = int(i), next = b.label();
    bool child = m.ev[i].child;
    Step& x5 = b.step(fmt::format("X5.detach.{}", m.ev[i].name), [ev, k, child, next](State& s, Ex& e) {
      if (!(s.cev[k] >> ev & 1)) {
        e.go(next);
        return;
      }
      s.cev[k] &= uint8_t(~(1u << ev));
      log_events(s, e, k, AccK::W);
      s.est[ev] = E_EXITED;
      if (!child) e.go(next);  // parent events are freed later, by close()
    }, frw(ctx_bit(k) | ev_bit(ev), ctx_bit(k) | ev_bit(ev)));
    x5.jumps = {next};
    if (child) {
      b.op = "free_event";
      event_destroy(b, ev);
      b.op = "exit";
      b.step(fmt::format("X5.free.{}", m.ev[i].name), [ev](State& s, Ex&) { s.est[ev] = E_FREED; }, EV(ev));
    }
    b.bind(next);
  }
  unlock(b, m.L_cmx[k], "X6.ctx_mutex_unlock");
  b.bind(end);
}

void op_register(B& b, int pmu) {
  const Model& m = b.m;
  b.op = "perf_pmu_register";
  b.quiet();
  const bool pre = m.f.v002 == V002::pre, post = m.f.v002 == V002::post;
  if (pre) read_lock(b, m.L_cpus, "G0.cpus_read_lock");
  lock(b, m.L_pmus, "G1.pmus_lock");
  for (int c = 0; c < m.ncpu; ++c) {
    int k = Model::cpuctx(pmu, c);
    if (post)
      b.step(fmt::format("G2.online.cpu{}", c), [k, c](State& s, Ex&) { s.conline[k] = s.perf_online[c]; },
             frw(bit(R_PERF) | ctx_bit(k), ctx_bit(k)));
    else
      b.step(fmt::format("G2.cpu_online.cpu{}", c), [k, c](State& s, Ex& e) { s.conline[k] = ld(s, e, V_ONLINE + c) != 0; },
             frw(ctx_bit(k) | mem_bit(V_ONLINE) | bit(R_SB), ctx_bit(k)));
  }
  b.step("G3.publish", [pmu](State& s, Ex&) { s.published |= uint8_t(1u << pmu); }, frw(bit(R_PERF), bit(R_PERF)));
  unlock(b, m.L_pmus, "G4.pmus_unlock");
  if (pre) read_unlock(b, m.L_cpus, "G5.cpus_read_unlock");
}

// perf_event_init_cpu / exit_cpu: per published pmu, under its cpuctx mutex (post: all under pmus_lock).
static void per_pmu(B& b, int c, bool up) {
  const Model& m = b.m;
  for (int p = 0; p < m.npmu; ++p) {
    int k = Model::cpuctx(p, c), skip = b.label();
    Step& l = b.step(fmt::format("list.pmu{}", char('A' + p)), [p, skip](State& s, Ex& e) {
      if (!(s.published >> p & 1)) e.go(skip);
    }, fr(bit(R_PERF)));
    l.jumps = {skip};
    lock(b, m.L_cmx[k], fmt::format("cpuctx[{}].mutex", char('A' + p)));
    if (!up) {
      ipi_call(b, c, "exit_ctx", [&](B& b, int) {
        lock(b, m.L_clk[k], "__perf_event_exit_context.lock");
        b.step("__perf_event_exit_context.remove", [k, clk = m.L_clk[k]](State& s, Ex& e) {
          int c = s.act[e.a].ipi;
          for (int i = 0; i < MAXEV; ++i)
            if (s.cev[k] >> i & 1) s.est[i] = E_EXITED;
          s.cev[k] = 0;
          log_events(s, e, k, AccK::W);
          s.cact[k] = 0;
          recompute_pebs(s, *e.m, c);
          release(s, e, clk);
        }, Foot{});
      });
    }
    b.step(fmt::format("cpuctx[{}].online={}", char('A' + p), up ? 1 : 0), [k, up, L = m.L_cmx[k]](State& s, Ex& e) {
      s.conline[k] = up;
      release(s, e, L);
    }, frw(ctx_bit(k) | bit(m.L_cmx[k]), ctx_bit(k) | bit(m.L_cmx[k])));
    b.bind(skip);
  }
}

void perf_init_cpu(B& b, int c) {
  const Model& m = b.m;
  b.op = "perf_event_init_cpu";
  if (m.f.v002 == V002::pre) return;  // v4.10-4.12: only swevent setup
  bool post = m.f.v002 == V002::post;
  if (post) {
    lock(b, m.L_pmus, "pmus_lock");
    b.step("perf_online=1", [c](State& s, Ex&) { s.perf_online[c] = 1; }, frw(bit(R_PERF), bit(R_PERF)));
  }
  per_pmu(b, c, true);
  if (post) unlock(b, m.L_pmus, "pmus_unlock");
}

void perf_exit_cpu(B& b, int c) {
  const Model& m = b.m;
  b.op = "perf_event_exit_cpu";
  if (m.f.v002 == V002::pre) return;
  bool post = m.f.v002 == V002::post;
  if (post) lock(b, m.L_pmus, "pmus_lock");
  per_pmu(b, c, false);
  if (post) {
    b.step("perf_online=0", [c](State& s, Ex&) { s.perf_online[c] = 0; }, frw(bit(R_PERF), bit(R_PERF)));
    unlock(b, m.L_pmus, "pmus_unlock");
  }
}

}  // namespace paddock::perf
