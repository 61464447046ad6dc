#include "perf/explorer.hpp"

#include "perf/reduction.hpp"
#include "perf/validate.hpp"
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


class Explorer {
 public:
  Explorer(const Model& m, const Options& o) : m(m), o(o), ld(m), NA(int(m.actors.size())), NL(int(m.locks.size())) {
    R.coverage.assign(m.steps.size(), 0);
    reducer = make_reducer(m, o.red);
    if (o.validate) validator = make_validator(m, R.validation);
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
  std::unique_ptr<Reducer> reducer;
  std::unique_ptr<Validator> validator;
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
    if (validator) validator->state(s);
    bool reduced = false;
    if (nen > 1) {
      const int keep = reducer->pick(s, en_mask);
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
    if (validator) validator->transition(sstack.back().s, ns.s, tr.a, st);
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
