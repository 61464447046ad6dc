// Explorer: reduction preserves verdicts; traces replay; lockdep bookkeeping.
#include <set>

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

TEST_CASE("persistent-set reduction preserves every verdict and never adds states", "[perf][explorer]") {
  for (const auto& s : scenarios()) {
    if (s.name == "soak") continue;
    for (const auto& v : s.variants) {
      DYNAMIC_SECTION(s.name << " --variant " << v.name) {
        auto m = build_model(s, v);
        Options por, full;
        full.por = false;
        Result a = explore(*m, por), b = explore(*m, full);
        CHECK(kinds(a) == kinds(b));
        CHECK(a.st.states <= b.st.states);
        CHECK(a.ld_cycles.size() == b.ld_cycles.size());
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
