// Explorer: reduction preserves verdicts; traces replay; lockdep bookkeeping.
#include <algorithm>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>

#include "perf/explorer.hpp"
#include "perf/report.hpp"
#include "perf/scenarios.hpp"

using namespace paddock::perf;

static std::set<int> kinds(const Result& r) {
  std::set<int> k;
  for (auto& f : r.findings) k.insert(int(f.kind));
  return k;
}

// Failure classes with their keys: deadlocks by the set of actors on the waits-for cycle, lockdep findings by class.
static std::set<std::pair<int, uint64_t>> keyed(const Result& r) {
  std::set<std::pair<int, uint64_t>> k;
  for (auto& f : r.findings)
    if (f.kind != Prop::LD_CYCLE) k.insert({int(f.kind), f.key});
  for (auto& f : r.infos) k.insert({int(f.kind), f.key});
  return k;
}

static std::set<std::tuple<std::string, std::string, int>> edges(const Result& r) {
  std::set<std::tuple<std::string, std::string, int>> e;
  for (auto& x : r.ld_edges) e.insert({r.ld_nodes[x.from], r.ld_nodes[x.to], x.modes});
  return e;
}

static std::set<std::vector<std::string>> cycles(const Result& r) {
  std::set<std::vector<std::string>> c;
  for (auto& x : r.ld_cycles) {
    std::vector<std::string> n;
    for (int e : x.edges) n.push_back(r.ld_nodes[r.ld_edges[e].from]);
    std::rotate(n.begin(), std::min_element(n.begin(), n.end()), n.end());
    c.insert(n);
  }
  return c;
}

TEST_CASE("every reduction gives the verdicts, failure classes, deadlock cycles and lockdep graph of the full search",
          "[perf][explorer]") {
  for (const auto& s : scenarios()) {
    if (s.name == "soak") continue;
    for (const auto& v : s.variants) {
      DYNAMIC_SECTION(s.name << " --variant " << v.name) {
        auto m = build_model(s, v);
        Options full;
        full.red = Reduction::none;
        Result b = explore(*m, full);
        for (Reduction red : {Reduction::ample, Reduction::por}) {
          INFO(reduction_name(red));
          Options o;
          o.red = red;
          Result a = explore(*m, o);
          CHECK(a.failed() == b.failed());
          CHECK(kinds(a) == kinds(b));
          CHECK(keyed(a) == keyed(b));
          CHECK(edges(a) == edges(b));
          CHECK(cycles(a) == cycles(b));
          CHECK(a.st.states <= b.st.states);
          CHECK(a.st.transitions <= b.st.transitions);
        }
      }
    }
  }
}

// The reduction rests on the footprints and gates the model declares. Over the whole state space of every scenario,
// check each claim it uses: co-enabled steps with disjoint footprints commute, do not enable or disable each other,
// report the same violations and lock acquisitions in either order, and never both change what one invariant or the
// quiescence check reads; gated steps are disabled while another actor holds the gate; only a lock's owner changes it.
TEST_CASE("the independence claims behind the reduction hold in every reachable state", "[perf][explorer][validate]") {
  for (const auto& s : scenarios()) {
    for (const auto& v : s.variants) {
      DYNAMIC_SECTION(s.name << " --variant " << v.name) {
        auto m = build_model(s, v);
        Options o;
        o.red = Reduction::none;
        o.validate = true;
        if (s.name == "soak") o.max_states = 100000;
        Result r = explore(*m, o);
        std::string all;
        for (auto& x : r.validation) all += x + "\n";
        INFO(all);
        CHECK(r.validation.empty());
      }
    }
  }
}

TEST_CASE("the reduction validated on its own reduced state space, soak included", "[perf][explorer]") {
  const ScenarioSpec* s = find_scenario("soak");
  auto m = build_model(*s, s->variants[0]);
  Options o;
  o.validate = true;
  o.max_states = 100000;
  Result r = explore(*m, o);
  CHECK(r.validation.empty());
  CHECK(r.st.reduced > 0);
}

TEST_CASE("states are stored packed: only the words of State the model uses", "[perf][explorer]") {
  const ScenarioSpec* s = find_scenario("S0-A");
  auto m = build_model(*s, *find_variant(*s, "post"));
  Result r = explore(*m);
  CHECK(r.st.state_bytes < sizeof(State));
  CHECK(r.st.state_bytes % 8 == 0);
}

// Fingerprints (the default visited set) merge two states only on a 63-bit hash collision: on every scenario the
// search must meet exactly the states, transitions and findings of the exact set, and use far fewer bytes per state.
TEST_CASE("the fingerprint visited set explores what the exact one does", "[perf][explorer]") {
  for (const auto& s : scenarios()) {
    for (const auto& v : s.variants) {
      DYNAMIC_SECTION(s.name << " --variant " << v.name) {
        auto m = build_model(s, v);
        Options fp, ex;
        ex.exact_states = true;
        if (s.name == "soak") fp.max_states = ex.max_states = 200000;
        Result a = explore(*m, fp), b = explore(*m, ex);
        CHECK(a.st.states == b.st.states);
        CHECK(a.st.transitions == b.st.transitions);
        CHECK(a.st.max_depth == b.st.max_depth);
        CHECK(keyed(a) == keyed(b));
        CHECK(edges(a) == edges(b));
        CHECK(!a.st.exact_states);
        CHECK(b.st.exact_states);
        if (a.st.states > 100000) CHECK(a.st.visited_bytes * 8 < b.st.visited_bytes);
      }
    }
  }
}

TEST_CASE("every finding's trace replays from the initial state", "[perf][explorer]") {
  for (const auto& s : scenarios()) {
    if (s.name == "soak") continue;
    for (const auto& v : s.variants) {
      auto m = build_model(s, v);
      Result r = explore(*m);
      for (auto& f : r.findings) {
        INFO(s.name << " " << v.name << " " << prop_name(f.kind));
        CHECK(render_trace(*m, f.trace).find("diverged") == std::string::npos);
      }
    }
  }
}

TEST_CASE("stop-first stops early with a failure", "[perf][explorer]") {
  const ScenarioSpec* s = find_scenario("S0-A");
  auto m = build_model(*s, *find_variant(*s, "pre"));
  Options o;
  o.stop_first = true;
  Result first = explore(*m, o), all = explore(*m);
  CHECK(first.failed());
  CHECK(first.st.states < all.st.states);
}

TEST_CASE("lockdep: edges carry the held stack and the first adding trace", "[perf][lockdep]") {
  const ScenarioSpec* s = find_scenario("S0-A");
  auto m = build_model(*s, *find_variant(*s, "pre"));
  Result r = explore(*m);
  bool found = false;
  for (auto& e : r.ld_edges) {
    if (r.ld_nodes[e.from] != "pmc_reserve_mutex" || r.ld_nodes[e.to] != "cpu_hotplug_lock") continue;
    found = true;
    CHECK(e.modes == (1u << (M_W * 3 + M_R)));  // held W, acquired for read
    CHECK_FALSE(e.w.held.empty());
    CHECK_FALSE(e.w.trace.empty());
  }
  CHECK(found);
}

TEST_CASE("state hashing is canonical over the byte image", "[perf][state]") {
  State a{}, b{};
  a.mem[V_ONLINE] = 1;
  b.mem[V_ONLINE] = 1;
  CHECK(hash_state(a) == hash_state(b));
  CHECK(same_state(a, b));
  b.lk[3].owner = 2;
  CHECK_FALSE(same_state(a, b));
  CHECK(hash_state(a) != hash_state(b));
}
