#include "perf/explorer.hpp"

#include "perf/visited.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

const char* reduction_name(Reduction r) {
  switch (r) {
    case Reduction::none: return "none";
    case Reduction::ample: return "ample";
    case Reduction::por: return "por";
  }
  return "?";
}

bool Result::has(Prop k) const { return first(k) != nullptr; }
bool Result::failed() const { return !findings.empty(); }
const Finding* Result::first(Prop k) const {
  for (auto& f : findings)
    if (f.kind == k) return &f;
  return nullptr;
}

namespace {

struct Tr {
  uint8_t a, alt;
};
struct Frame {
  uint64_t key, slot;   // the state's visited-set key and on-stack slot
  uint32_t b, e, next;  // this frame's transitions in the pool
  uint8_t en_mask;      // actors with an enabled step (before reduction)
  bool reduced;
  TraceStep in;         // transition that led here
};

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

class Explorer {
 public:
  Explorer(const Model& m, const Options& o) : m(m), o(o), ld(m), NA(int(m.actors.size())), NL(int(m.locks.size())) {
    R.coverage.assign(m.steps.size(), 0);
    if (o.red == Reduction::ample) build_invis();
    if (o.red == Reduction::por) build_gated();
    if (o.validate) build_check_masks();
  }

  Result run() {
    auto t0 = std::chrono::steady_clock::now();
    Slot s0;
    std::memset(&s0, 0, sizeof s0);
    std::memcpy(&s0.s, &m.init, sizeof(State));
    layout = std::make_unique<Layout>(m, s0);
    visited = std::make_unique<Visited>(layout->words(), o.exact_states);
    Visited::Hit hit = intern(s0);
    check_new(s0.s, {});
    expand(s0, hit, TraceStep{0, 0});
    while (!stack.empty() && !stop) {
      Frame& f = stack.back();
      if (f.next == f.e) {
        visited->set_on_stack(f.slot, false);
        pool.resize(f.b);
        stack.pop_back();
        sstack.pop_back();
        continue;
      }
      Tr tr = pool[f.next++];
      step(tr);
    }
    R.st.states = visited->size();
    R.st.state_bytes = layout->words() * 8;
    R.st.visited_bytes = visited->bytes();
    R.st.exact_states = o.exact_states;
    R.st.red = o.red;
    R.st.secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    R.st.peak_rss_kb = ru.ru_maxrss;
    finish_lockdep();
    return std::move(R);
  }

 private:
  const Model& m;
  Options o;
  Result R;
  LockGraph ld;
  const int NA, NL;
  std::unique_ptr<Layout> layout;
  std::unique_ptr<Visited> visited;
  uint64_t buf[SLOT_WORDS];

  Visited::Hit intern(const Slot& s) {
    layout->pack(s, buf);
    Visited::Hit h = visited->insert(buf);
    if (visited->grew())
      for (Frame& f : stack) f.slot = visited->slot_of(f.key);
    return h;
  }

  // --- DFS ------------------------------------------------------------------------------------------------------
  std::vector<Frame> stack;
  std::vector<Slot> sstack;  // the full state of each frame
  std::vector<Tr> pool;
  std::map<std::pair<int, uint64_t>, size_t> fidx;
  Sink sink;
  bool stop = false;
  uint32_t seen0 = 0;  // Prop kinds already recorded with key 0 (the state checks need not format them again)

  const Node& node_of(const State& s, int a) const { return m.actors[a].prog.nodes[s.act[a].pc]; }
  bool enabled(const State& s, int a, const Step& st) const {
    if (!st.en) return true;
    Ex ex{&m, &m.actors[a].prog, a};
    return st.en(s, ex);
  }

  Trace path_to(TraceStep in) const { return stack.empty() ? Trace{} : trace_to(in); }
  Trace trace_to(TraceStep cur, bool with_cur = true) const {
    Trace t;
    for (size_t i = 1; i < stack.size(); ++i) t.push_back(stack[i].in);
    if (with_cur) t.push_back(cur);
    return t;
  }

  void record(Prop k, uint64_t key, std::string detail, const std::function<Trace()>& tr, int loop_at = -1) {
    auto it = fidx.find({int(k), key});
    auto& list = is_info(k) ? R.infos : R.findings;
    if (it != fidx.end()) {
      ++list[it->second].count;
      return;
    }
    Finding f{k, std::move(detail), tr()};
    f.loop_at = loop_at;
    f.key = key;
    fidx[{int(k), key}] = list.size();
    list.push_back(std::move(f));
    if (key == 0) seen0 |= 1u << int(k);
    if (o.stop_first && !is_info(k)) stop = true;
  }

  std::vector<Violation> vbuf, ibuf;
  void check_new(const State& s, TraceStep cur) {
    std::vector<Violation>&v = vbuf, &info = ibuf;  // reused: no allocation per state
    v.clear(), info.clear();
    check_state(m, s, v, info, seen0);
    bool root = stack.empty();
    for (auto& x : v) record(x.kind, 0, x.detail, [&] { return root ? Trace{} : trace_to(cur); });
    for (auto& x : info) record(x.kind, 0, x.detail, [&] { return root ? Trace{} : trace_to(cur); });
  }

  // Enumerate, detect deadlock / terminal / quiescence, reduce, push.
  void expand(const Slot& slot, Visited::Hit hit, TraceStep in) {
    const State& s = slot.s;
    uint32_t b = uint32_t(pool.size());
    uint8_t en_mask = 0, blocked = 0, wf[MAXACT] = {};
    int nen = 0;
    for (int a = 0; a < NA; ++a) {
      if (s.act[a].done) continue;
      const Prog& p = m.actors[a].prog;
      const Node& node = p.nodes[s.act[a].pc];
      Ex ex{&m, &p, a};
      bool any = false;
      for (size_t i = 0; i < node.alts.size(); ++i) {
        const Step& st = node.alts[i];
        if (!st.en || st.en(s, ex)) {
          pool.push_back({uint8_t(a), uint8_t(i)});
          any = true;
          ++nen;
        }
      }
      if (any) {
        en_mask |= uint8_t(1u << a);
      } else {
        blocked |= uint8_t(1u << a);
        for (const Step& st : node.alts)
          if (st.blk) wf[a] |= st.blk(s, ex);
      }
    }
    bool deadlock = blocked && check_deadlock(s, blocked, wf, in);
    if (nen == 0) {
      ++R.st.terminal;
      if (!deadlock) {
        std::string who;
        for (int a = 0; a < NA; ++a)
          if (!s.act[a].done && m.actors[a].required)
            who += fmt::format("{}{} at {}", who.empty() ? "" : ", ", m.actors[a].name, node_of(s, a).alts[0].label);
        if (!who.empty()) record(Prop::STUCK, 0, "all unfinished actors blocked: " + who, [&] { return path_to(in); });
      }
    }
    if (quiescent(m, s)) {
      std::vector<Violation>& v = vbuf;
      v.clear();
      check_quiescent(m, s, v, seen0);
      for (auto& x : v) record(x.kind, 0, x.detail, [&] { return path_to(in); });
    }
    if (o.validate) validate_state(s);
    bool reduced = false;
    if (nen > 1) {
      int keep = -1;
      if (o.red == Reduction::ample) keep = ample_actor(s, b);
      else if (o.red == Reduction::por) keep = por_actor(s, en_mask);
      if (keep < 0 && dbg) por_debug(s, en_mask);
      if (keep >= 0) {
        uint32_t w = b;
        for (uint32_t i = b; i < pool.size(); ++i)
          if (pool[i].a == keep) pool[w++] = pool[i];
        reduced = w < pool.size();
        pool.resize(w);
      }
      if (reduced) ++R.st.reduced;
    }
    visited->set_on_stack(hit.slot, true);
    stack.push_back(Frame{hit.key, hit.slot, b, uint32_t(pool.size()), b, en_mask, reduced, in});
    sstack.push_back(slot);
    if (stack.size() > R.st.max_depth) R.st.max_depth = stack.size();
  }

  // --- Reduction --------------------------------------------------------------------------------------------------
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
  int ample_actor(const State& s, uint32_t b) const {
    for (uint32_t i = b; i < pool.size(); ++i) {
      int a = pool[i].a;
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
  ~Explorer() {
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

  // --- Validation of the independence claims (Options::validate) -------------------------------------------------
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
    if (R.validation.size() < 50 && std::find(R.validation.begin(), R.validation.end(), msg) == R.validation.end())
      R.validation.push_back(std::move(msg));
  }
  State after(const State& s, int a, const Step& st, Sink& out) const {
    State n = s;
    out.clear();
    apply_step(m, n, a, st, &out);
    return n;
  }
  void validate_state(const State& s) {
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
  void validate_transition(const State& pre, const State& post, int a, const Step& st) {
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

  // --- Properties -----------------------------------------------------------------------------------------------
  // Every waits-for cycle of the state: one per actor not yet on an extracted cycle. Lockdep validates at the
  // attempt, so the blocked acquisitions of each cycle enter the graph (in every deadlock state: the edge set must
  // not depend on which deadlock state the search meets first).
  bool check_deadlock(const State& s, uint8_t blocked, const uint8_t* wf, TraceStep in) {
    uint8_t reach[MAXACT] = {};
    const int n = NA;
    for (int a = 0; a < n; ++a)
      if (blocked >> a & 1) reach[a] = wf[a] & blocked;
    for (int k = 0; k < n; ++k)
      for (int a = 0; a < n; ++a)
        if (reach[a] >> k & 1) reach[a] |= reach[k];
    bool any = false;
    uint8_t covered = 0;
    for (int a0 = 0; a0 < n; ++a0) {
      if (!(reach[a0] >> a0 & 1) || (covered >> a0 & 1)) continue;
      any = true;
      std::vector<int> cyc{a0};
      uint8_t key = uint8_t(1u << a0);
      int cur = a0;
      for (int guard = 0; guard < n; ++guard) {
        int nxt = -1;
        if (wf[cur] >> a0 & 1) break;
        for (int b = 0; b < n && nxt < 0; ++b)
          if ((wf[cur] & blocked) >> b & 1 && (reach[b] >> a0 & 1) && !(key >> b & 1)) nxt = b;
        if (nxt < 0) break;
        cyc.push_back(nxt);
        key |= uint8_t(1u << nxt);
        cur = nxt;
      }
      covered |= key;
      auto it = fidx.find({int(Prop::DEADLOCK), key});
      if (it != fidx.end()) {
        ++R.findings[it->second].count;
      } else {
        std::string d;
        for (int a : cyc) d += fmt::format("{} [{}] -> ", m.actors[a].name, node_of(s, a).alts[0].label);
        d += m.actors[a0].name;
        record(Prop::DEADLOCK, key, "waits-for cycle: " + d, [&] { return path_to(in); });
      }
      if (o.lockdep)
        for (int a : cyc) {
          const Prog& p = m.actors[a].prog;
          Ex ex{&m, &p, a};
          for (const Step& st : node_of(s, a).alts) {
            if (!(st.flags & SF_LOCK)) continue;
            int L = st.lkdyn ? st.lkdyn(s, ex) : st.lk;
            if (L < 0) continue;
            Acq q{};
            q.lock = uint8_t(L);
            q.sub = st.lk_sub;
            q.mode = st.lk_mode;
            if (m.locks[L].kind == LK::homebrew && q.mode == M_R && m.f.lockdep == Lockdep::faithful) q.mode = M_RR;
            q.attempt = true;
            const ActSt& x = s.act[a];
            q.atomic = x.ipi >= 0 || (x.fl & AF_ATOMIC);
            q.nheld = x.nheld;
            for (int i = 0; i < x.nheld; ++i) {
              q.held[i] = x.held[i];
              q.hmode[i] = x.hmode[i];
            }
            ld.add(a, st.id, q, [&] { return path_to(in); });
          }
        }
    }
    return any;
  }

  void step(Tr tr) {
    Slot ns;
    std::memcpy(&ns, &sstack.back(), sizeof(Slot));
    const Step& st = node_of(ns.s, tr.a).alts[tr.alt];
    sink.clear();
    apply_step(m, ns.s, tr.a, st, &sink);
    if (o.validate) validate_transition(sstack.back().s, ns.s, tr.a, st);
    ++R.coverage[st.id];
    ++R.st.transitions;
    TraceStep cur{tr.a, uint16_t(st.id)};
    if (o.lockdep)
      for (const Acq& q : sink.acq) ld.add(tr.a, st.id, q, [&] { return trace_to(cur); });
    for (auto& v : sink.viol) record(v.kind, 0, v.detail, [&] { return trace_to(cur); });
    for (auto& v : sink.info) record(v.kind, 0, v.detail, [&] { return trace_to(cur); });
    if (visited->size() >= o.max_states) {
      R.st.truncated = true;
      stop = true;
      return;
    }
    Visited::Hit hit = intern(ns);
    if (!hit.fresh) {
      if (visited->on_stack(hit.slot)) back_edge(hit.key, tr, cur);
      return;
    }
    check_new(ns.s, cur);
    expand(ns, hit, cur);
  }

  void back_edge(uint64_t key, Tr tr, TraceStep cur) {
    size_t j = stack.size();
    while (j > 0 && stack[j - 1].key != key) --j;
    --j;
    bool live = true;
    for (size_t i = j; i < stack.size() && live; ++i) {
      if (stack[i].en_mask != (1u << tr.a)) live = false;
      if (i > j && stack[i].in.actor != tr.a) live = false;
    }
    if (live) {
      std::string lbls;
      for (size_t i = j + 1; i < stack.size(); ++i) lbls += m.steps[stack[i].in.step]->label + " ";
      lbls += m.steps[cur.step]->label;
      record(Prop::LIVELOCK, tr.a,
             fmt::format("{} repeats forever with every other actor blocked or finished: {}", m.actors[tr.a].name, lbls),
             [&] { return trace_to(cur); }, int(j));
    }
    // Cycle proviso: a reduced state closing a cycle is expanded fully.
    Frame& f = stack.back();
    if (f.reduced) {
      f.reduced = false;
      const State& s = sstack.back().s;
      const uint32_t e0 = f.e;
      for (int a = 0; a < NA; ++a) {
        if (s.act[a].done) continue;
        const Node& node = node_of(s, a);
        Ex ex{&m, &m.actors[a].prog, a};
        for (size_t i = 0; i < node.alts.size(); ++i) {
          if (node.alts[i].en && !node.alts[i].en(s, ex)) continue;
          bool kept = false;
          for (uint32_t k = f.b; k < e0; ++k) kept |= pool[k].a == a && pool[k].alt == i;
          if (!kept) pool.push_back({uint8_t(a), uint8_t(i)});
        }
      }
      stack.back().e = uint32_t(pool.size());
    }
  }

  void finish_lockdep() {
    if (!o.lockdep) return;
    R.ld_edges = ld.edges;
    R.ld_cycles = ld.cycles();
    for (int n = 0; n < int(m.classes.size()) * 2; ++n) R.ld_nodes.push_back(ld.node_name(n));
    for (auto& f : ld.findings) R.findings.push_back(f);
    uint64_t k = 0;
    for (auto& c : R.ld_cycles) {
      std::string d;
      for (int e : c.edges) d += ld.node_name(ld.edges[e].from) + " -> ";
      d += ld.node_name(ld.edges[c.edges[0]].from);
      if (!c.needs_writer.empty()) d += " (" + c.needs_writer + ")";
      Finding f{Prop::LD_CYCLE, "lock-order cycle: " + d, ld.edges[c.edges.back()].w.trace};
      f.key = k++;
      R.findings.push_back(std::move(f));
    }
  }
};

}  // namespace

Result explore(const Model& m, const Options& o) { return Explorer(m, o).run(); }

void apply_step(const Model& m, State& ns, int a, const Step& st, Sink* out) {
  const Prog& p = m.actors[a].prog;
  const int pc = ns.act[a].pc;
  Ex ex{&m, &p, a, out};
  ex.step = &st;
  st.ap(ns, ex);
  int npc;
  if (ex.stay) {
    if (!st.stays) throw std::logic_error("perf model: undeclared stay at " + st.label);
    npc = pc;
  } else if (ex.next >= 0) {
    bool declared = false;
    for (int l : st.jumps) declared |= l == ex.next;
    if (!declared) throw std::logic_error("perf model: undeclared jump at " + st.label);
    npc = p.label_pc[ex.next];
  } else {
    if (!st.falls) throw std::logic_error("perf model: undeclared fall-through at " + st.label);
    npc = pc + 1;
  }
  if (npc >= int(p.nodes.size())) {
    ns.act[a].done = 1;
    npc = 0;
  }
  if (npc > 255) throw std::logic_error("perf model: program too long for an 8-bit pc");
  ns.act[a].pc = uint8_t(npc);
}

const Step* step_at(const Model& m, const State& s, int a, int id) {
  if (s.act[a].done) return nullptr;
  for (const Step& st : m.actors[a].prog.nodes[s.act[a].pc].alts)
    if (st.id == id) return &st;
  return nullptr;
}

}  // namespace paddock::perf
