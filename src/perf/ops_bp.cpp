// Breakpoint slot constraint table (spec §2.8), all under nr_bp_mutex.
#include <algorithm>

#include <fmt/format.h>

#include "perf/ops.hpp"

namespace paddock::perf {

static Foot BPF = frw(bit(R_BP), bit(R_BP));

// r[2] = slots used by the task's other breakpoints (the releasing one is already unlinked).
static void count(B& b, int ev) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int t = d.task, k = d.ctx;
  if (m.f.v004 == V004::pre) {
    int done = b.label();
    Step& c = b.step("count.ctxp", [t, done](State& s, Ex& e) {
      if (!ld(s, e, V_CTXP + t)) {
        e.viol(Prop::W_NOCTX, fmt::format("task_bp_pinned: no perf context for T{}", t));
        s.act[e.a].r[2] = 0;
        e.go(done);
      }
    }, fld(V_CTXP));
    c.jumps = {done};
    lock(b, m.L_clk[k], "count.ctx_lock");
    b.step("count.sum_ctx_events", [ev, k, L = m.L_clk[k]](State& s, Ex& e) {
      int n = 0;
      for (size_t i = 0; i < e.m->ev.size(); ++i)
        if (int(i) != ev && (s.cev[k] >> i & 1) && e.m->ev[i].kind == EK::BP) n += e.m->ev[i].weight;
      s.act[e.a].r[2] = int8_t(n);
      release(s, e, L);
    }, frw(B_PERF | bit(m.L_clk[k]), bit(m.L_clk[k])));
    b.bind(done);
  } else {
    b.step("count.bp_list", [ev, k](State& s, Ex& e) {
      int n = 0;
      for (size_t i = 0; i < e.m->ev.size(); ++i)
        if (int(i) != ev && (s.bp_list >> i & 1) && e.m->ev[i].ctx == k) n += e.m->ev[i].weight;
      s.act[e.a].r[2] = int8_t(n);
    }, fr(bit(R_BP)));
  }
}

static bool possible_scope(const Model& m) { return m.f.v004 == V004::post_possible; }

static void toggle(B& b, int ev, bool en) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  const int w = d.weight;
  if (d.task < 0) {
    b.step(en ? "toggle.cpu_pinned_inc" : "toggle.cpu_pinned_dec", [ev, en, w, c = d.cpu](State& s, Ex&) {
      s.cpu_pinned[c] = int8_t(s.cpu_pinned[c] + (en ? w : -w));
      if (en) s.bp_live |= uint8_t(1u << ev);
      else s.bp_live &= uint8_t(~(1u << ev));
    }, BPF);
    return;
  }
  if (!en)
    b.step("toggle.unlink", [ev](State& s, Ex& e) {
      s.bp_live &= uint8_t(~(1u << ev));
      if (e.m->f.v004 != V004::pre) s.bp_list &= uint8_t(~(1u << ev));
    }, BPF);
  for (int c = 0; c < m.ncpu; ++c) {
    if (d.cpu >= 0 && d.cpu != c) continue;
    int skip = b.label();
    if (d.cpu < 0 && !possible_scope(m)) {
      Step& sc = b.step(fmt::format("toggle.online.cpu{}", c), [c, skip](State& s, Ex& e) {
        if (!ld(s, e, V_ONLINE + c)) e.go(skip);
      }, fld(V_ONLINE));
      sc.jumps = {skip};
    }
    count(b, ev);
    b.step(fmt::format("toggle.tsk_pinned.cpu{}", c), [c, en, w](State& s, Ex& e) {
      int n = s.act[e.a].r[2], idx = n + w - 1;
      if (idx >= NSLOT) {
        e.viol(Prop::B1, fmt::format("tsk_pinned index {} out of range on CPU{}", idx, c));
        return;
      }
      s.tsk_pinned[c][idx] = int8_t(s.tsk_pinned[c][idx] + (en ? 1 : -1));
      if (n > 0) s.tsk_pinned[c][n - 1] = int8_t(s.tsk_pinned[c][n - 1] + (en ? -1 : 1));
    }, BPF);
    b.bind(skip);
  }
  if (en)
    b.step("toggle.link", [ev](State& s, Ex& e) {
      s.bp_live |= uint8_t(1u << ev);
      if (e.m->f.v004 != V004::pre) s.bp_list |= uint8_t(1u << ev);
    }, BPF);
}

// Ground truth for B4: slots really in use where `ev` would go.
static int truth_busy(const State& s, const Model& m, int ev) {
  const EventDef& d = m.ev[ev];
  int best = 0;
  for (int c = 0; c < m.ncpu; ++c) {
    if (d.cpu >= 0 ? d.cpu != c : !s.mem[V_ONLINE + c]) continue;
    int cpu = 0, task[MAXTASK] = {};
    for (size_t i = 0; i < m.ev.size(); ++i) {
      const EventDef& x = m.ev[i];
      if (x.kind != EK::BP || !(s.bp_live >> i & 1) || int(i) == ev) continue;
      if (x.task < 0) {
        if (x.cpu == c) cpu += x.weight;
      } else if (x.cpu < 0 || x.cpu == c) {
        task[x.task] += x.weight;
      }
    }
    int tk = d.task >= 0 ? task[d.task] : *std::max_element(task, task + MAXTASK);
    best = std::max(best, cpu + tk);
  }
  return best;
}

void reserve_bp(B& b, int ev) {
  const Model& m = b.m;
  const EventDef& d = m.ev[ev];
  b.op = "reserve_bp_slot";
  int done = b.label();
  lock(b, m.L_nrbp, "B1.nr_bp_mutex");
  if (d.task >= 0) count(b, ev);
  Step& b2 = b.step("B2.fetch_bp_busy_slots", [ev, done, L = m.L_nrbp](State& s, Ex& e) {
    const Model& m = *e.m;
    const EventDef& d = m.ev[ev];
    int busy = 0;
    for (int c = 0; c < m.ncpu; ++c) {
      if (d.cpu >= 0 ? d.cpu != c : (!possible_scope(m) && !ld(s, e, V_ONLINE + c))) continue;
      int nr = s.cpu_pinned[c];
      if (d.task >= 0) {
        nr += s.act[e.a].r[2];
      } else {
        for (int k = NSLOT - 1; k >= 0; --k)
          if (s.tsk_pinned[c][k] > 0) {
            nr += k + 1;
            break;
          }
      }
      busy = std::max(busy, nr);
    }
    if (busy + d.weight > NSLOT) {
      s.act[e.a].r[0] = RC_ENOSPC;
      int truth = truth_busy(s, m, ev);
      if (truth + d.weight <= NSLOT)
        e.viol(Prop::B4, fmt::format("RC_ENOSPC for {} with {} of {} slots really used", d.name, truth, NSLOT));
      release(s, e, L);
      e.go(done);
    }
  }, frw(bit(R_BP) | mem_bit(V_ONLINE) | bit(R_SB) | bit(m.L_nrbp), bit(m.L_nrbp)));
  b2.jumps = {done};
  toggle(b, ev, true);
  unlock(b, m.L_nrbp, "B5.nr_bp_mutex_unlock");
  b.bind(done);
}

void release_bp(B& b, int ev) {
  const Model& m = b.m;
  b.op = "release_bp_slot";
  lock(b, m.L_nrbp, "L1.nr_bp_mutex");
  toggle(b, ev, false);
  unlock(b, m.L_nrbp, "L3.nr_bp_mutex_unlock");
}

}  // namespace paddock::perf
