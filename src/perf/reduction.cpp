#include "perf/reduction.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace paddock::perf {

namespace {

struct NoReducer final : Reducer {
  int pick(const State&, uint8_t) override { return -1; }
};

class PorReducer final : public Reducer {
 public:
  PorReducer(const Model& m, Reduction r) : m(m), red(r), NA(int(m.actors.size())), NL(int(m.locks.size())) {
    if (r == Reduction::ample) build_invis();
    else build_gated();
  }
  int pick(const State& s, uint8_t en_mask) override {
    const int keep = red == Reduction::ample ? ample_actor(s, en_mask) : por_actor(s, en_mask);
    if (keep < 0 && dbg && red == Reduction::por) por_debug(s, en_mask);
    return keep;
  }

 private:
  const Model& m;
  const Reduction red;
  const int NA, NL;
  const Node& node_of(const State& s, int a) const { return m.actors[a].prog.nodes[s.act[a].pc]; }

  // The original reduction (Reduction::ample): a single-alternative step that writes nothing, takes no lock and
  // keeps its actor's quiescence, independent of every other actor's whole future.
  std::vector<uint8_t> invis;
  void build_invis() {
    invis.assign(m.steps.size(), 0);
    for (const Actor& a : m.actors) {
      const auto& nodes = a.prog.nodes;
      auto quiet = [&](size_t pc) { return pc >= nodes.size() || nodes[pc].quiet; };
      for (size_t pc = 0; pc < nodes.size(); ++pc)
        for (const Step& s : nodes[pc].alts) {
          bool v = s.foot.w != 0 || (s.flags & SF_LOCK);
          if (s.falls && quiet(pc + 1) != quiet(pc)) v = true;
          for (int l : s.jumps)
            if (quiet(size_t(a.prog.label_pc[l])) != quiet(pc)) v = true;
          invis[s.id] = !v;
        }
    }
  }
  int ample_actor(const State& s, uint8_t en_mask) const {
    for (int a = 0; a < NA; ++a) {
      if (!(en_mask >> a & 1)) continue;
      const Node& node = node_of(s, a);
      if (node.alts.size() != 1) continue;
      const Step& st = node.alts[0];
      if (!invis[st.id]) continue;
      bool indep = true;
      for (int c = 0; c < NA && indep; ++c) {
        if (c == a || s.act[c].done) continue;
        if (dependent(st.foot, m.actors[c].prog.future[s.act[c].pc])) indep = false;
      }
      if (indep) return a;
    }
    return -1;
  }

  // Reduction::por. {a's enabled steps} is a persistent set when every step of a's current node (enabled or not) is
  // independent of everything any other actor c can do before a moves again. That is c's future from its pc, cut at
  // the steps gated by a lock a holds (a keeps it while it does not move): the AND over those locks of the
  // precomputed gated futures. No visibility condition: lockdep edges depend only on the acquiring actor's own held
  // stack, invariant dependence is in the footprints (Model::finish), and the cycle proviso keeps livelocks.
  std::vector<std::vector<Foot>> node_foot;    // [actor][pc]: union over the node's alternatives
  std::vector<std::vector<Foot>> fut_x, fut_r;  // [actor][pc * NL + L]: future when L is held by another actor
  std::vector<std::vector<Foot>> fut_d;         // [actor][pc * NA + a]: future while actor a has not finished
  void build_gated() {
    node_foot.resize(NA);
    fut_x.resize(NA);
    fut_r.resize(NA);
    fut_d.resize(NA);
    for (int c = 0; c < NA; ++c) {
      const Prog& p = m.actors[c].prog;
      const int n = int(p.nodes.size());
      node_foot[c].assign(n, Foot{0, 0});
      for (int pc = 0; pc < n; ++pc)
        for (const Step& st : p.nodes[pc].alts) node_foot[c][pc].r |= st.foot.r, node_foot[c][pc].w |= st.foot.w;
      fut_x[c].assign(size_t(n + 1) * NL, Foot{0, 0});
      fut_r[c].assign(size_t(n + 1) * NL, Foot{0, 0});
      for (int L = 0; L < NL; ++L) {
        gated_future(p, [L](const Step& st) { return st.gate == L; }, fut_x[c], L, NL);
        gated_future(p, [L](const Step& st) { return st.gate_rd == L; }, fut_r[c], L, NL);
      }
      fut_d[c].assign(size_t(n + 1) * NA, Foot{0, 0});
      for (int a = 0; a < NA; ++a) gated_future(p, [a](const Step& st) { return (st.wait_done >> a & 1) != 0; }, fut_d[c], a, NA);
    }
  }
  template <class Blocked>
  void gated_future(const Prog& p, Blocked blocked, std::vector<Foot>& out, int L, int stride) const {
    const int n = int(p.nodes.size());
    std::vector<Foot> f(n + 1, Foot{0, 0});
    for (bool changed = true; changed;) {
      changed = false;
      for (int pc = n - 1; pc >= 0; --pc) {
        Foot x = f[pc];
        for (const Step& s : p.nodes[pc].alts) {
          if (blocked(s)) continue;
          x.r |= s.foot.r, x.w |= s.foot.w;
          auto join = [&](int q) { x.r |= f[q].r, x.w |= f[q].w; };
          if (s.falls) join(pc + 1);
          for (int l : s.jumps) join(p.label_pc[l]);
        }
        if (x.r != f[pc].r || x.w != f[pc].w) f[pc] = x, changed = true;
      }
    }
    for (int pc = 0; pc <= n; ++pc) out[size_t(pc) * stride + L] = f[pc];
  }
  int por_actor(const State& s, uint8_t en_mask) const {
    int best = -1;
    size_t best_n = 0;
    for (int a = 0; a < NA; ++a) {
      if (!(en_mask >> a & 1)) continue;
      size_t n = node_of(s, a).alts.size();
      if (best >= 0 && n >= best_n) continue;
      if (!persistent(s, a)) continue;
      best = a, best_n = n;
      if (n == 1) break;
    }
    return best;
  }
  // PADDOCK_POR_DEBUG=1: at exit, print which steps' footprints most often prevented a reduction, against which
  // actor and which resources (to find the footprints worth refining).
  bool dbg = std::getenv("PADDOCK_POR_DEBUG") != nullptr;
  std::map<std::string, uint64_t> dbg_count;
  static std::string bits_str(const Model& m, uint64_t b) {
    static const char* g[] = {"ctxp", "tcpu", "curr", "online", "ds", "dsarea", "SB", "SCHED", "IRQ", "PERF", "X86", "BP", "QUIET", "DS"};
    std::string r;
    for (int i = 0; i < 64; ++i) {
      if (!(b >> i & 1)) continue;
      if (i < MAXLOCK) r += (i < int(m.locks.size()) ? m.locks[i].name : "L?") + ",";
      else if (i < R_EV0) r += std::string(g[i - MAXLOCK]) + ",";
      else if (i < R_CTX0) r += fmt::format("ev{},", i - R_EV0);
      else if (i < R_DONE) r += fmt::format("ctx{},", i - R_CTX0);
      else r += "DONE,";
    }
    return r;
  }
  void por_debug(const State& s, uint8_t en_mask) {
    for (int a = 0; a < NA; ++a) {
      if (!(en_mask >> a & 1)) continue;
      const Foot& fa = node_foot[a][s.act[a].pc];
      for (int c = 0; c < NA; ++c) {
        if (c == a || s.act[c].done) continue;
        Foot f = m.actors[c].prog.future[s.act[c].pc];
        uint32_t hx = 0, hr = 0;
        const ActSt& x = s.act[a];
        for (int i = 0; i < x.nheld; ++i) {
          int L = x.held[i];
          if (s.lk[L].owner == a + 1 || s.lk[L].pend == a + 1) hx |= 1u << L;
          else if ((s.lk[L].rd | s.lk[L].rd2) >> a & 1) hr |= 1u << L;
        }
        for (uint32_t h = hx; h; h &= h - 1) {
          const Foot& g = fut_x[c][size_t(s.act[c].pc) * NL + __builtin_ctz(h)];
          f.r &= g.r, f.w &= g.w;
        }
        for (uint32_t h = hr; h; h &= h - 1) {
          const Foot& g = fut_r[c][size_t(s.act[c].pc) * NL + __builtin_ctz(h)];
          f.r &= g.r, f.w &= g.w;
        }
        uint64_t conf = (fa.w & (f.r | f.w)) | (fa.r & f.w);
        if (conf) ++dbg_count[node_of(s, a).alts[0].label + " vs " + m.actors[c].name.substr(0, 12) + ": " + bits_str(m, conf)];
      }
    }
  }
 public:
  ~PorReducer() override {
    if (!dbg) return;
    std::vector<std::pair<uint64_t, std::string>> v;
    for (auto& [k, n] : dbg_count) v.push_back({n, k});
    std::sort(v.rbegin(), v.rend());
    for (size_t i = 0; i < v.size() && i < 40; ++i) fprintf(stderr, "%8lu %s\n", (unsigned long)v[i].first, v[i].second.c_str());
  }
 private:
  bool persistent(const State& s, int a) const {
    const Foot& fa = node_foot[a][s.act[a].pc];
    uint32_t hx = 0, hr = 0;
    const ActSt& x = s.act[a];
    for (int i = 0; i < x.nheld; ++i) {
      int L = x.held[i];
      const LockSt& l = s.lk[L];
      if (l.owner == a + 1 || l.pend == a + 1) hx |= 1u << L;
      else if ((l.rd | l.rd2) >> a & 1) hr |= 1u << L;
    }
    for (int c = 0; c < NA; ++c) {
      if (c == a || s.act[c].done) continue;
      const int pc = s.act[c].pc;
      Foot f = m.actors[c].prog.future[pc];
      if (!dependent(fa, f)) continue;
      {
        const Foot& g = fut_d[c][size_t(pc) * NA + a];  // a does not finish before it moves again
        f.r &= g.r, f.w &= g.w;
      }
      if (!dependent(fa, f)) continue;
      if (!(hx | hr)) return false;
      for (uint32_t h = hx; h; h &= h - 1) {
        const Foot& g = fut_x[c][size_t(pc) * NL + __builtin_ctz(h)];
        f.r &= g.r, f.w &= g.w;
      }
      for (uint32_t h = hr; h; h &= h - 1) {
        const Foot& g = fut_r[c][size_t(pc) * NL + __builtin_ctz(h)];
        f.r &= g.r, f.w &= g.w;
      }
      if (dependent(fa, f)) return false;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Reducer> make_reducer(const Model& m, Reduction r) {
  if (r == Reduction::none) return std::make_unique<NoReducer>();
  return std::make_unique<PorReducer>(m, r);
}

}  // namespace paddock::perf
