#include "perf/props.hpp"

#include <fmt/format.h>

#include "perf/model.hpp"

namespace paddock::perf {

const char* prop_name(Prop p) {
  static const char* n[] = {"DEADLOCK", "STUCK", "LIVELOCK", "W-TOMB", "W-NOCTX", "W-REPROG", "G4", "I1", "I2",
                            "I3", "H1", "H2", "D1", "D2", "D3", "D4-INFO", "B1", "B2", "B4", "M1", "A-CPUSHELD",
                            "LOCKDEP-CYCLE", "LOCKDEP-RECURSIVE", "LOCKDEP-RR", "LOCKDEP-NONOWNER", "LOCKDEP-ATOMIC"};
  static_assert(sizeof(n) / sizeof(n[0]) == size_t(Prop::COUNT));
  return n[int(p)];
}

// Push a violation; its message is formatted only if this kind was not reported yet.
#define PUSH(vec, kind, ...) (vec).push_back({kind, (seen >> int(kind) & 1) ? std::string() : fmt::format(__VA_ARGS__)})

void check_state(const Model& m, const State& s, std::vector<Violation>& out, std::vector<Violation>& info,
                 uint32_t seen) {
  if (s.pmc_ref < 0) PUSH(out, Prop::G4, "pmc_refcount < 0");
  if (m.chk.ds)
    for (int c = 0; c < m.ncpu; ++c) {
      int area = s.mem[V_DSAREA + c];
      if (area && !(s.ds_alive >> (area - 1) & 1))
        PUSH(out, Prop::D1, "DS_AREA[{}] names the freed DS object #{}", c, area);
      else if (area && !s.mem[V_DS + c])
        PUSH(info, Prop::D4_INFO, "stale DS_AREA[{}]=#{} while ds[{}]=NULL", c, area, c);
    }
  if (m.chk.bp)
    for (int c = 0; c < m.ncpu; ++c) {
      if (s.cpu_pinned[c] < 0) PUSH(out, Prop::B1, "cpu_pinned[{}] = {}", c, s.cpu_pinned[c]);
      for (int k = 0; k < NSLOT; ++k)
        if (s.tsk_pinned[c][k] < 0)
          PUSH(out, Prop::B1, "tsk_pinned[{}][{}] = {} (unsigned underflow)", c, k, s.tsk_pinned[c][k]);
    }
  if (m.chk.m1 && m.L_mem >= 0) {
    const LockSt& l = s.lk[m.L_mem];
    bool writer_in = m.locks[m.L_mem].kind == LK::rwsem ? l.owner != 0 : l.pend != 0;
    uint8_t readers = uint8_t((l.rd | l.rd2) & ~(l.owner ? 1u << (l.owner - 1) : 0u));
    if (writer_in && readers) PUSH(out, Prop::M1, "mem hotplug writer and a reader overlap");
  }
  if (m.chk.i2)
    for (size_t i = 0; i < m.ev.size(); ++i) {
      if (s.est[i] < E_ACT) continue;
      int c = s.est[i] - E_ACT, k = m.ev[i].ctx;
      bool ok = k < MAXTASK ? s.task_ctx[c] == k + 1 : (k - MAXTASK) % MAXCPU == c;
      if (!ok) PUSH(out, Prop::I2, "{} active on CPU{} outside its scheduled context", m.ev[i].name, c);
    }
}

bool quiescent(const Model& m, const State& s) {
  for (size_t a = 0; a < m.actors.size(); ++a) {
    const ActSt& x = s.act[a];
    if (!x.done && !m.actors[a].prog.nodes[x.pc].quiet) return false;
  }
  return true;
}

void check_quiescent(const Model& m, const State& s, std::vector<Violation>& out, uint32_t seen) {
  if (m.chk.h1)
    for (int p = 0; p < m.npmu; ++p) {
      if (!(s.published >> p & 1)) continue;
      for (int c = 0; c < m.ncpu; ++c) {
        int k = Model::cpuctx(p, c), on = s.mem[V_ONLINE + c];
        if (s.conline[k] != on)
          PUSH(out, Prop::H1, "{}.online={} but CPU{} is {}", m.ctx_name(k), s.conline[k], c,
                                               on ? "online" : "offline");
        else if (m.f.v002 == V002::post && s.perf_online[c] != on)
          PUSH(out, Prop::H1, "perf_online[{}]={} but CPU{} online={}", c, s.perf_online[c], c, on);
      }
    }
  if (m.chk.h2)
    for (int p = 0; p < m.npmu; ++p)
      for (int c = 0; c < m.ncpu; ++c) {
        int k = Model::cpuctx(p, c);
        if (!s.mem[V_ONLINE + c] && s.cev[k])
          PUSH(out, Prop::H2, "{} holds events while CPU{} is offline", m.ctx_name(k), c);
      }
  if (m.chk.ds)
    for (int c = 0; c < m.ncpu; ++c)
      if ((s.mem[V_DS + c] != 0) != (s.pmc_ref > 0))
        PUSH(out, Prop::D3, "ds[{}]={} with pmc_refcount={}", c, s.mem[V_DS + c], s.pmc_ref);
  if (m.chk.bp)
    for (int c = 0; c < m.ncpu; ++c) {
      if (!s.mem[V_ONLINE + c]) continue;
      int cpu = 0, task[MAXTASK] = {};
      for (size_t i = 0; i < m.ev.size(); ++i) {
        const EventDef& x = m.ev[i];
        if (x.kind != EK::BP || !(s.bp_live >> i & 1)) continue;
        if (x.task < 0) {
          if (x.cpu == c) cpu += x.weight;
        } else if (x.cpu < 0 || x.cpu == c) {
          task[x.task] += x.weight;
        }
      }
      if (s.cpu_pinned[c] != cpu)
        PUSH(out, Prop::B2, "cpu_pinned[{}]={} but {} slots are pinned", c, s.cpu_pinned[c], cpu);
      for (int k = 0; k < NSLOT; ++k) {
        int n = 0;
        for (int t = 0; t < MAXTASK; ++t) n += task[t] == k + 1;
        if (s.tsk_pinned[c][k] != n)
          PUSH(out, Prop::B2, "tsk_pinned[{}][{}]={} but {} task(s) use {} slot(s) there", c, k,
                                               s.tsk_pinned[c][k], n, k + 1);
      }
    }
}

#undef PUSH

}  // namespace paddock::perf
