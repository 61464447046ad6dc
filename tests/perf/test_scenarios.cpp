// Every scenario of spec §3 gives its stated verdict; failure classes and key shapes are checked.
#include <catch2/catch.hpp>

#include "perf/explorer.hpp"
#include "perf/report.hpp"
#include "perf/scenarios.hpp"

using namespace paddock::perf;

namespace {

Result run(const std::string& s, const std::string& v, std::unique_ptr<Model>* keep = nullptr, Options o = {}) {
  const ScenarioSpec* sc = find_scenario(s);
  REQUIRE(sc);
  const VariantSpec* vs = find_variant(*sc, v);
  REQUIRE(vs);
  auto m = build_model(*sc, *vs);
  Result r = explore(*m, o);
  if (keep) *keep = std::move(m);
  return r;
}

bool has_cycle(const Model& m, const Result& r, std::vector<std::string> nodes) {
  (void)m;
  for (auto& c : r.ld_cycles) {
    if (c.edges.size() != nodes.size()) continue;
    std::vector<std::string> got;
    for (int e : c.edges) got.push_back(r.ld_nodes[r.ld_edges[e].from]);
    for (size_t rot = 0; rot < got.size(); ++rot) {
      bool ok = true;
      for (size_t i = 0; i < got.size(); ++i) ok &= got[(i + rot) % got.size()] == nodes[i];
      if (ok) return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("every scenario variant gives its expected verdict", "[perf][scenarios]") {
  for (const auto& s : scenarios()) {
    if (s.name == "soak") continue;
    for (const auto& v : s.variants) {
      DYNAMIC_SECTION(s.name << " --variant " << v.name) {
        auto m = build_model(s, v);
        Result r = explore(*m);
        INFO(render_text(*m, r, &v.expect, false));
        CHECK_FALSE(r.st.truncated);
        CHECK(matches(r, v.expect));
      }
    }
  }
}

TEST_CASE("S0-A pre: deadlock A1->A2->A3->A4 and the seed's 5-lock cycle", "[perf][S0-A]") {
  std::unique_ptr<Model> m;
  Result r = run("S0-A", "pre", &m);
  bool four = false;
  for (auto& f : r.findings)
    if (f.kind == Prop::DEADLOCK && f.key == 0b1111) four = true;  // actors A1..A4, A5 not involved
  CHECK(four);
  CHECK(has_cycle(*m, r, {"pmc_reserve_mutex", "cpu_hotplug_lock", "pmus_lock", "&cpuctx_mutex", "&cpuctx_mutex/1"}));
  Result post = run("S0-A", "post");
  CHECK(post.ld_cycles.empty());
  CHECK_FALSE(post.failed());
}

TEST_CASE("S1-A pre: livelock of the install retry loop, with a readable cycle", "[perf][S1-A]") {
  std::unique_ptr<Model> m;
  Result r = run("S1-A", "pre", &m);
  const Finding* f = r.first(Prop::LIVELOCK);
  REQUIRE(f);
  CHECK(f->loop_at >= 0);
  std::string t = render_trace(*m, f->trace, f->loop_at);
  CHECK(t.find("cycle starts here") != std::string::npos);
  CHECK(t.find("install.P3.retry") != std::string::npos);
  CHECK(t.find("diverged") == std::string::npos);
}

TEST_CASE("S1-B: lost counter without the smp_mb, only under the weak (LKMM) store buffers", "[perf][S1-B]") {
  CHECK(run("S1-B", "post_nomb").has(Prop::I1));
  CHECK_FALSE(run("S1-B", "post").failed());
  CHECK_FALSE(run("S1-B", "post_nomb-x86").failed());
}

TEST_CASE("S3-A: the homebrew lock hangs nothing and evades faithful lockdep", "[perf][S3-A]") {
  Result pre = run("S3-A", "pre");
  CHECK(pre.has(Prop::DEADLOCK));
  Result sem = run("S3-A", "pre-homebrew");
  CHECK_FALSE(sem.has(Prop::DEADLOCK));
  CHECK(sem.has(Prop::LD_CYCLE));
  Result faithful = run("S3-A", "pre-homebrew-faithful");
  CHECK_FALSE(faithful.failed());
  CHECK(faithful.ld_cycles.empty());
}

TEST_CASE("S2-A pre: recursive read behind a pending writer is both a deadlock and a lockdep report", "[perf][S2-A]") {
  Result r = run("S2-A", "pre");
  CHECK(r.has(Prop::DEADLOCK));
  CHECK(r.has(Prop::LD_RR));
  REQUIRE_FALSE(r.ld_cycles.empty());
  CHECK(r.ld_cycles[0].needs_writer.find("cpu_hotplug_lock") != std::string::npos);
}

TEST_CASE("EXTRA findings beyond the seeds, and the variants that repair them", "[perf][extra]") {
  CHECK(run("S0-B", "post").has(Prop::D2));
  CHECK_FALSE(run("S0-B", "repair").failed());
  CHECK(run("S0-C", "kmalloc-post").has(Prop::D1));
  Result cea = run("S0-C", "cea-post");
  CHECK_FALSE(cea.failed());
  bool stale = false;
  for (auto& i : cea.infos) stale |= i.kind == Prop::D4_INFO;
  CHECK(stale);
  Result s4b = run("S4-B", "post");
  CHECK(s4b.has(Prop::B2));
  CHECK(s4b.has(Prop::B1));
  CHECK_FALSE(run("S4-B", "post_possible").failed());
}

TEST_CASE("S4-A pre: the WARN, the underflow and the spurious ENOSPC", "[perf][S4-A]") {
  Result r = run("S4-A", "pre");
  CHECK(r.has(Prop::W_NOCTX));
  CHECK(r.has(Prop::B1));
  CHECK(r.has(Prop::B4));
  CHECK_FALSE(run("S4-A", "post").failed());
}

TEST_CASE("soak: all subsystems together stay clean within the bound", "[perf][soak]") {
  Options o;
  o.max_states = 200000;
  std::unique_ptr<Model> m;
  Result r = run("soak", "post", &m, o);
  CHECK_FALSE(r.failed());
  size_t hit = 0;
  for (auto c : r.coverage) hit += c > 0;
  CHECK(hit * 10 >= r.coverage.size() * 7);  // most steps are reached
}
