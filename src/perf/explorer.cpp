#include "perf/explorer.hpp"

#include <sys/resource.h>

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

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
  uint32_t sid;
  uint32_t b, e, next;  // this frame's transitions in the pool
  uint8_t en_mask;      // actors with an enabled step (before reduction)
  bool reduced;
  TraceStep in;         // transition that led here
};

class Explorer {
 public:
  Explorer(const Model& m, const Options& o) : m(m), o(o), ld(m) {
    R.coverage.assign(m.steps.size(), 0);
    invis.assign(m.steps.size(), 0);
    for (const Actor& a : m.actors) {
      const auto& nodes = a.prog.nodes;
      auto quiet = [&](size_t pc) { return pc >= nodes.size() || nodes[pc].quiet; };
      for (size_t pc = 0; pc < nodes.size(); ++pc)
        for (const Step& s : nodes[pc].alts) {
          bool v = s.foot.w != 0 || (s.flags & SF_LOCK);
          if (s.falls && quiet(pc + 1) != quiet(pc)) v = true;
          for (int l : s.jumps)
            if (quiet(a.prog.label_pc[l]) != quiet(pc)) v = true;
          invis[s.id] = !v;
        }
    }
    table.assign(1 << 16, 0);
  }

  Result run() {
    auto t0 = std::chrono::steady_clock::now();
    bool fresh;
    uint32_t sid = intern(m.init, fresh);
    check_new(sid, {});
    expand(sid, TraceStep{0, 0});
    while (!stack.empty() && !stop) {
      Frame& f = stack.back();
      if (f.next == f.e) {
        onstack[f.sid] = 0;
        pool.resize(f.b);
        stack.pop_back();
        continue;
      }
      Tr tr = pool[f.next++];
      step(tr);
    }
    R.st.states = store.size();
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
  std::vector<uint8_t> invis;
  // States in fixed chunks: references stay valid and growth never copies the states already stored.
  struct Store {
    static constexpr size_t CH = 1 << 16;
    std::vector<std::unique_ptr<State[]>> chunks;
    size_t n = 0;
    size_t size() const { return n; }
    State& operator[](size_t i) { return chunks[i / CH][i % CH]; }
    const State& operator[](size_t i) const { return chunks[i / CH][i % CH]; }
    void push_back(const State& s) {
      if (n % CH == 0) chunks.emplace_back(new State[CH]);
      (*this)[n++] = s;
    }
  } store;
  std::vector<uint64_t> hashes;
  std::vector<uint8_t> onstack;
  std::vector<uint64_t> table;
  std::vector<Frame> stack;
  std::vector<Tr> pool;
  std::map<std::pair<int, uint64_t>, size_t> fidx;
  Sink sink;
  bool stop = false;

  // Open addressing; a slot holds (state index + 1) and 32 hash bits, so probes rarely touch the states.
  uint32_t intern(const State& s, bool& fresh) {
    uint64_t h = hash_state(s);
    uint64_t tag = h >> 32;
    size_t mask = table.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint64_t x = table[i];
      if (!x) break;
      if ((x >> 32) == tag && same_state(store[uint32_t(x) - 1], s)) {
        fresh = false;
        return uint32_t(x) - 1;
      }
    }
    fresh = true;
    store.push_back(s);
    hashes.push_back(h);
    onstack.push_back(0);
    uint32_t id = uint32_t(store.size() - 1);
    if (store.size() * 2 > table.size()) {
      table.assign(table.size() * 2, 0);
      mask = table.size() - 1;
      for (uint32_t k = 0; k < store.size(); ++k) place(k, mask);
    } else {
      place(id, mask);
    }
    return id;
  }
  void place(uint32_t k, size_t mask) {
    size_t i = hashes[k] & mask;
    while (table[i]) i = (i + 1) & mask;
    table[i] = (hashes[k] >> 32) << 32 | (k + 1);
  }

  // Path to a state being expanded (not yet on the stack); the root has the empty path.
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
    if (o.stop_first && !is_info(k)) stop = true;
  }

  // Invariants of a newly reached state.
  void check_new(uint32_t sid, TraceStep cur) {
    std::vector<Violation> v, info;
    check_state(m, store[sid], v, info);
    bool root = stack.empty();
    for (auto& x : v) record(x.kind, 0, x.detail, [&] { return root ? Trace{} : trace_to(cur); });
    for (auto& x : info) record(x.kind, 0, x.detail, [&] { return root ? Trace{} : trace_to(cur); });
  }

  // Enumerate, detect deadlock / terminal / quiescence, reduce, push.
  void expand(uint32_t sid, TraceStep in) {
    const State& s = store[sid];
    uint32_t b = uint32_t(pool.size());
    uint8_t en_mask = 0, blocked = 0, wf[MAXACT] = {};
    int nen = 0;
    for (size_t a = 0; a < m.actors.size(); ++a) {
      if (s.act[a].done) continue;
      const Prog& p = m.actors[a].prog;
      const Node& node = p.nodes[s.act[a].pc];
      Ex ex{&m, &p, int(a)};
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
        for (size_t a = 0; a < m.actors.size(); ++a)
          if (!s.act[a].done && m.actors[a].required)
            who += fmt::format("{}{} at {}", who.empty() ? "" : ", ", m.actors[a].name,
                               m.actors[a].prog.nodes[s.act[a].pc].alts[0].label);
        if (!who.empty()) record(Prop::STUCK, 0, "all unfinished actors blocked: " + who, [&] { return path_to(in); });
      }
    }
    if (quiescent(m, s)) {
      std::vector<Violation> v;
      check_quiescent(m, s, v);
      for (auto& x : v) record(x.kind, 0, x.detail, [&] { return path_to(in); });
    }
    bool reduced = false;
    if (o.por && nen > 1) {
      for (uint32_t i = b; i < pool.size() && !reduced; ++i) {
        int a = pool[i].a;
        const Prog& p = m.actors[a].prog;
        const Node& node = p.nodes[s.act[a].pc];
        if (node.alts.size() != 1) continue;
        const Step& st = node.alts[0];
        if (!invis[st.id]) continue;
        bool indep = true;
        for (size_t c = 0; c < m.actors.size() && indep; ++c) {
          if (int(c) == a || s.act[c].done) continue;
          if (dependent(st.foot, m.actors[c].prog.future[s.act[c].pc])) indep = false;
        }
        if (indep) {
          Tr keep = pool[i];
          pool.resize(b);
          pool.push_back(keep);
          reduced = true;
        }
      }
      if (reduced) ++R.st.reduced;
    }
    onstack[sid] = 1;
    stack.push_back(Frame{sid, b, uint32_t(pool.size()), b, en_mask, reduced, in});
    if (stack.size() > R.st.max_depth) R.st.max_depth = stack.size();
  }

  bool check_deadlock(const State& s, uint8_t blocked, const uint8_t* wf, TraceStep in) {
    uint8_t reach[MAXACT] = {};
    int n = int(m.actors.size());
    for (int a = 0; a < n; ++a)
      if (blocked >> a & 1) reach[a] = wf[a] & blocked;
    for (int k = 0; k < n; ++k)
      for (int a = 0; a < n; ++a)
        if (reach[a] >> k & 1) reach[a] |= reach[k];
    int a0 = -1;
    for (int a = 0; a < n && a0 < 0; ++a)
      if (reach[a] >> a & 1) a0 = a;
    if (a0 < 0) return false;
    // Extract one cycle through a0.
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
    if (fidx.count({int(Prop::DEADLOCK), key})) {
      ++R.findings[fidx[{int(Prop::DEADLOCK), key}]].count;
      return true;
    }
    std::string d;
    for (int a : cyc)
      d += fmt::format("{} [{}] -> ", m.actors[a].name, m.actors[a].prog.nodes[s.act[a].pc].alts[0].label);
    d += m.actors[a0].name;
    record(Prop::DEADLOCK, key, "waits-for cycle: " + d, [&] { return path_to(in); });
    // Lockdep validates at the attempt: the blocked acquisitions of the cycle enter the graph.
    if (o.lockdep)
      for (int a : cyc) {
        const Prog& p = m.actors[a].prog;
        Ex ex{&m, &p, a};
        for (const Step& st : p.nodes[s.act[a].pc].alts) {
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
    return true;
  }

  void step(Tr tr) {
    const uint32_t sid = stack.back().sid;
    State ns = store[sid];
    const Step& st = m.actors[tr.a].prog.nodes[ns.act[tr.a].pc].alts[tr.alt];
    sink.clear();
    apply_step(m, ns, tr.a, st, &sink);
    ++R.coverage[st.id];
    ++R.st.transitions;
    TraceStep cur{tr.a, uint16_t(st.id)};
    if (o.lockdep)
      for (const Acq& q : sink.acq) ld.add(tr.a, st.id, q, [&] { return trace_to(cur); });
    for (auto& v : sink.viol) record(v.kind, 0, v.detail, [&] { return trace_to(cur); });
    for (auto& v : sink.info) record(v.kind, 0, v.detail, [&] { return trace_to(cur); });
    bool fresh;
    if (store.size() >= o.max_states) {
      R.st.truncated = true;
      stop = true;
      return;
    }
    uint32_t nid = intern(ns, fresh);
    if (!fresh) {
      if (onstack[nid]) back_edge(nid, tr, cur);
      return;
    }
    check_new(nid, cur);
    expand(nid, cur);
  }

  void back_edge(uint32_t nid, Tr tr, TraceStep cur) {
    size_t j = stack.size();
    while (j > 0 && stack[j - 1].sid != nid) --j;
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
      const State s = store[f.sid];
      Tr done = pool[f.b];
      for (size_t a = 0; a < m.actors.size(); ++a) {
        if (s.act[a].done) continue;
        const Prog& p = m.actors[a].prog;
        const Node& node = p.nodes[s.act[a].pc];
        Ex ex{&m, &p, int(a)};
        for (size_t i = 0; i < node.alts.size(); ++i)
          if ((!node.alts[i].en || node.alts[i].en(s, ex)) && !(a == done.a && i == done.alt))
            pool.push_back({uint8_t(a), uint8_t(i)});
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
