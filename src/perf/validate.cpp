#include "perf/validate.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace paddock::perf {

namespace {

bool same_sink(const Sink& x, const Sink& y) {
  if (x.viol.size() != y.viol.size() || x.info.size() != y.info.size() || x.acq.size() != y.acq.size()) return false;
  for (size_t i = 0; i < x.viol.size(); ++i)
    if (x.viol[i].kind != y.viol[i].kind || x.viol[i].detail != y.viol[i].detail) return false;
  for (size_t i = 0; i < x.info.size(); ++i)
    if (x.info[i].kind != y.info[i].kind || x.info[i].detail != y.info[i].detail) return false;
  for (size_t i = 0; i < x.acq.size(); ++i) {
    const Acq &p = x.acq[i], &q = y.acq[i];
    if (p.lock != q.lock || p.sub != q.sub || p.mode != q.mode || p.atomic != q.atomic || p.nheld != q.nheld) return false;
    for (int k = 0; k < p.nheld; ++k)
      if (p.held[k] != q.held[k] || p.hmode[k] != q.hmode[k]) return false;
  }
  return true;
}

class CheckingValidator final : public Validator {
 public:
  CheckingValidator(const Model& m, std::vector<std::string>& out)
      : m(m), out(out), NA(int(m.actors.size())), NL(int(m.locks.size())) {
    build_check_masks();
  }

 private:
  const Model& m;
  std::vector<std::string>& out;
  const int NA, NL;
  const Node& node_of(const State& s, int a) const { return m.actors[a].prog.nodes[s.act[a].pc]; }
  bool enabled(const State& s, int a, const Step& st) const {
    if (!st.en) return true;
    Ex ex{&m, &m.actors[a].prog, a};
    return st.en(s, ex);
  }
  std::vector<uint8_t> inv_mask, qinv_mask;  // bytes of State read by check_state / check_quiescent
  void build_check_masks() {
    inv_mask.assign(sizeof(State), 0);
    qinv_mask.assign(sizeof(State), 0);
    static const State z{};
    auto mark = [&](std::vector<uint8_t>& mk, const void* p, size_t n) {
      size_t off = size_t(static_cast<const char*>(p) - reinterpret_cast<const char*>(&z));
      for (size_t i = 0; i < n; ++i) mk[off + i] = 1;
    };
    mark(inv_mask, &z.pmc_ref, 1);
    if (m.chk.ds) {
      mark(inv_mask, &z.mem[V_DSAREA], MAXCPU), mark(inv_mask, &z.mem[V_DS], MAXCPU), mark(inv_mask, &z.ds_alive, 1);
      mark(qinv_mask, &z.mem[V_DS], MAXCPU), mark(qinv_mask, &z.pmc_ref, 1);
    }
    if (m.chk.bp) {
      mark(inv_mask, z.cpu_pinned, sizeof z.cpu_pinned), mark(inv_mask, z.tsk_pinned, sizeof z.tsk_pinned);
      mark(qinv_mask, &z.mem[V_ONLINE], MAXCPU), mark(qinv_mask, &z.bp_live, 1);
      mark(qinv_mask, z.cpu_pinned, sizeof z.cpu_pinned), mark(qinv_mask, z.tsk_pinned, sizeof z.tsk_pinned);
    }
    if (m.chk.m1 && m.L_mem >= 0) mark(inv_mask, &z.lk[m.L_mem], sizeof(LockSt));
    if (m.chk.i2) mark(inv_mask, z.est, sizeof z.est), mark(inv_mask, z.task_ctx, sizeof z.task_ctx);
    if (m.chk.h1)
      mark(qinv_mask, &z.published, 1), mark(qinv_mask, &z.mem[V_ONLINE], MAXCPU),
          mark(qinv_mask, z.conline, sizeof z.conline), mark(qinv_mask, z.perf_online, sizeof z.perf_online);
    if (m.chk.h2) mark(qinv_mask, &z.mem[V_ONLINE], MAXCPU), mark(qinv_mask, z.cev, sizeof z.cev);
  }
  static bool masked_diff(const std::vector<uint8_t>& mk, const State& x, const State& y) {
    auto* p = reinterpret_cast<const uint8_t*>(&x);
    auto* q = reinterpret_cast<const uint8_t*>(&y);
    for (size_t i = 0; i < sizeof(State); ++i)
      if (mk[i] && p[i] != q[i]) return true;
    return false;
  }
  bool quiet_at(const State& s, int a) const { return s.act[a].done || node_of(s, a).quiet; }
  bool holds_x(const State& s, int a, int L) const { return s.lk[L].owner == a + 1 || s.lk[L].pend == a + 1; }
  bool holds_r(const State& s, int a, int L) const { return ((s.lk[L].rd | s.lk[L].rd2) >> a & 1) != 0; }
  void complain(std::string msg) {
    if (out.size() < 50 && std::find(out.begin(), out.end(), msg) == out.end()) out.push_back(std::move(msg));
  }
  State after(const State& s, int a, const Step& st, Sink& out) const {
    State n = s;
    out.clear();
    apply_step(m, n, a, st, &out);
    return n;
  }
  void state(const State& s) override {
    const bool qchk = m.qinv_bits() != 0;
    // Gates.
    for (int c = 0; c < NA; ++c) {
      if (s.act[c].done) continue;
      for (const Step& st : node_of(s, c).alts) {
        if ((st.gate < 0 && st.gate_rd < 0 && !st.wait_done) || !enabled(s, c, st)) continue;
        for (int a = 0; a < NA; ++a)
          if ((st.wait_done >> a & 1) && !s.act[a].done)
            complain(fmt::format("done gate: {} enabled before {} finished", st.label, m.actors[a].name));
        for (int a = 0; a < NA; ++a) {
          if (a == c) continue;
          if (st.gate >= 0 && holds_x(s, a, st.gate))
            complain(fmt::format("gate: {} enabled while {} holds {}", st.label, m.actors[a].name, m.locks[st.gate].name));
          if (st.gate_rd >= 0 && holds_r(s, a, st.gate_rd))
            complain(fmt::format("gate: {} enabled while {} reads {}", st.label, m.actors[a].name, m.locks[st.gate_rd].name));
        }
      }
    }
    // Pairs of steps of different actors with disjoint footprints.
    Sink s1, s2, s12, s21;
    for (int a = 0; a < NA; ++a) {
      if (s.act[a].done) continue;
      for (const Step& t1 : node_of(s, a).alts) {
        const bool en1 = enabled(s, a, t1);
        for (int c = 0; c < NA; ++c) {
          if (c == a || s.act[c].done) continue;
          for (const Step& t2 : node_of(s, c).alts) {
            if (dependent(t1.foot, t2.foot) || !enabled(s, c, t2)) continue;
            const std::string pair = fmt::format("{} ({}) / {} ({})", t1.label, m.actors[a].name, t2.label, m.actors[c].name);
            State x2 = after(s, c, t2, s2);
            if (enabled(x2, a, t1) != en1) {
              complain(fmt::format("{}: the second {} the first", pair, en1 ? "disables" : "enables"));
              continue;
            }
            if (!en1 || c < a) continue;
            State x1 = after(s, a, t1, s1);
            State x21 = after(x2, a, t1, s21);
            State x12 = after(x1, c, t2, s12);
            if (!same_state(x12, x21)) complain(fmt::format("{}: the two orders end in different states", pair));
            if (!same_sink(s1, s21) || !same_sink(s2, s12))
              complain(fmt::format("{}: violations or lock acquisitions depend on the order", pair));
            if (masked_diff(inv_mask, s, x1) && masked_diff(inv_mask, s, x2))
              complain(fmt::format("{}: both change what a state invariant reads", pair));
            if (qchk) {
              // A "maker" may make "quiescent and a check fails" true; it must keep its order against steps that
              // start an operation, other makers and writers of checked state (Model::finish_footprints).
              const bool j1 = masked_diff(qinv_mask, s, x1), j2 = masked_diff(qinv_mask, s, x2);
              const bool mk1 = quiet_at(x1, a) && (!quiet_at(s, a) || j1), mk2 = quiet_at(x2, c) && (!quiet_at(s, c) || j2);
              const bool en1q = quiet_at(s, a) && !quiet_at(x1, a), en2q = quiet_at(s, c) && !quiet_at(x2, c);
              if ((mk1 && (mk2 || en2q || j2)) || (mk2 && (en1q || j1)))
                complain(fmt::format("{}: an operation end or checked write is not ordered against the other", pair));
            }
          }
        }
      }
    }
  }
  void transition(const State& pre, const State& post, int a, const Step& st) override {
    for (int c = 0; c < NA; ++c) {
      if (c == a) continue;
      for (int L = 0; L < NL; ++L) {
        if (holds_x(pre, c, L) && !holds_x(post, c, L))
          complain(fmt::format("{} ({}) takes {} away from {}", st.label, m.actors[a].name, m.locks[L].name, m.actors[c].name));
        if (holds_r(pre, c, L) && !holds_r(post, c, L))
          complain(fmt::format("{} ({}) drops {}'s read hold of {}", st.label, m.actors[a].name, m.actors[c].name, m.locks[L].name));
      }
    }
    if (m.qinv_bits() && quiet_at(pre, a) && !quiet_at(post, a) && !(st.foot.r & bit(R_QUIET)))
      complain(fmt::format("{} starts an operation without reading R_QUIET", st.label));
    if (m.qinv_bits() && !quiet_at(pre, a) && quiet_at(post, a) && !(st.foot.w & bit(R_QUIET)))
      complain(fmt::format("{} ends an operation without writing R_QUIET", st.label));
    bool done_read = false;
    for (const Step* x : m.steps) done_read |= x->wait_done != 0;
    if (done_read && !pre.act[a].done && post.act[a].done && !(st.foot.w & bit(R_DONE)))
      complain(fmt::format("{} finishes its actor without R_DONE", st.label));
  }
};

}  // namespace

std::unique_ptr<Validator> make_validator(const Model& m, std::vector<std::string>& out) {
  return std::make_unique<CheckingValidator>(m, out);
}

}  // namespace paddock::perf
