// Litmus tests out of the model: memory steps as data, slices of traces, the LKMM cross-check.
#include <catch2/catch.hpp>

#include <algorithm>

#include "perf/litmus_emit.hpp"
#include "perf/xcheck.hpp"
#include "util/files.hpp"

using namespace paddock::perf;

namespace {

SlicedRun run(const std::string& scen, const std::string& var) {
  const ScenarioSpec* s = find_scenario(scen);
  REQUIRE(s);
  const VariantSpec* v = find_variant(*s, var);
  REQUIRE(v);
  const Window* w = find_window(scen);
  REQUIRE(w);
  return slice_run(*s, *v, *w);
}

const Slice& plain(const SlicedRun& r) {
  REQUIRE(!r.slices.empty());
  REQUIRE(r.slices[0].name.find("-locks") == std::string::npos);
  return r.slices[0];
}

std::string committed(const std::string& rel) {
  auto t = paddock::read_file(std::string(PADDOCK_SOURCE_DIR) + "/" + rel);
  REQUIRE(t);
  return *t;
}

}  // namespace

TEST_CASE("a replayed trace records every shared-memory step as data", "[perf][slicer]") {
  const ScenarioSpec* s = find_scenario("S1-B");
  auto m = build_model(*s, *find_variant(*s, "post_nomb"));
  Result r = explore(*m);
  const Finding* f = r.first(Prop::I1);
  REQUIRE(f);
  auto acc = record_trace(*m, f->trace);
  auto has = [&](const std::string& proc, AccK k, Prim p, int loc) {
    return std::any_of(acc.begin(), acc.end(), [&](const MemAcc& a) {
      return proc_name(*m, a.proc) == proc && a.k == k && a.prim == p && a.loc == loc;
    });
  };
  CHECK(has("A_open(T0)", AccK::W, Prim::write_once, V_CTXP + 0));  // find_get_context's publication
  CHECK(has("A_open(T0)", AccK::R, Prim::read_once, V_TCPU + 0));   // the installer's task_cpu load
  CHECK(has("migrate(T0)", AccK::W, Prim::store_release, LOC_ONRQ + 0));
  CHECK(has("sched(cpu2)", AccK::R, Prim::load_acquire, LOC_ONRQ + 0));
  CHECK(has("sched(cpu2)", AccK::F, Prim::ctxsw_mb, -1));
  CHECK(has("A_open(T0)", AccK::LOCK, Prim::lock_acquire, m->L_pem[0]));
  // post_nomb has no smp_mb() in the installer.
  CHECK_FALSE(has("A_open(T0)", AccK::F, Prim::smp_mb, -1));
  for (const MemAcc& a : acc) CHECK(a.tidx < int(f->trace.size()));
}

TEST_CASE("dropping the install's smp_mb() turns the sliced test from Never into Sometimes", "[perf][slicer]") {
  SlicedRun post = run("S1-B", "post"), nomb = run("S1-B", "post_nomb");
  CHECK_FALSE(post.failed);
  CHECK(nomb.failed);
  const Slice &a = plain(post), &b = plain(nomb);
  CHECK(a.text.find(" * Result: Never\n") != std::string::npos);
  CHECK(b.text.find(" * Result: Sometimes\n") != std::string::npos);
  CHECK(a.text.find("\tsmp_mb();\n\tr1 = READ_ONCE(*task_cpu_T0);") != std::string::npos);
  CHECK(b.text.find("\tWRITE_ONCE(*ctxp_T0, 1);\n\tr1 = READ_ONCE(*task_cpu_T0);") != std::string::npos);
  // With locks: released in trace order (ctx->lock at N7 before ctx->mutex at O7).
  const Slice& bl = nomb.slices.at(1);
  REQUIRE(bl.name.find("-locks") != std::string::npos);
  CHECK(bl.text.find("\tspin_unlock(ctx_T0__lock);\n\tspin_unlock(ctx_T0__mutex);\n}") != std::string::npos);
  CHECK(lkmm_observation(bl.text, "post_nomb-locks.litmus") == "Sometimes");
  CHECK(lkmm_observation(a.text, "post.litmus") == "Never");
  CHECK(lkmm_observation(b.text, "post_nomb.litmus") == "Sometimes");
}

TEST_CASE("the sliced L1, L2 and L4-L9 equal the hand-written tests up to renaming, L1 is C-peterz", "[perf][slicer]") {
  auto em = emitted_litmus_tests();
  auto hand = litmus_tests();
  REQUIRE(em.size() == hand.size());
  std::vector<std::string> ids;
  for (const FragmentSource& src : fragment_sources()) ids.push_back(src.id);
  CHECK(ids == std::vector<std::string>{"L1", "L2", "L4", "L5", "L6", "L7", "L8", "L9"});
  for (const FragmentSource& src : fragment_sources()) {
    INFO(src.id);
    auto it = std::find_if(em.begin(), em.end(), [&](const LitmusFile& f) { return f.name == src.name + ".litmus"; });
    REQUIRE(it != em.end());
    CHECK(it->text.find("sliced from scenario " + src.scenario + ", variant " + src.variant) != std::string::npos);
    CHECK(canonical_litmus(it->text) == canonical_litmus(committed("litmus/perf/" + src.name + ".litmus")));
  }
  // L1: the seed's bodies byte for byte (the seed puts `exists` on a line of its own), and herd's Hash.
  const std::string& l1 = em[0].text;
  REQUIRE(em[0].name == "C-peterz.litmus");
  auto upto_exists = [](const std::string& t) { return litmus_body(t).substr(0, litmus_body(t).find("exists")); };
  CHECK(upto_exists(l1) == upto_exists(committed("litmus/C-peterz.litmus")));
  CHECK(lkmm_observation(l1, "C-peterz.litmus") == "Never");
  // The fragments the slicer does not produce are written as committed.
  for (const LitmusFile& f : em) {
    bool sliced = std::any_of(fragment_sources().begin(), fragment_sources().end(),
                              [&](const FragmentSource& s) { return s.name + ".litmus" == f.name; });
    if (!sliced) CHECK(f.text == committed("litmus/perf/" + f.name));
  }
}

TEST_CASE("equal up to renaming is a real comparison", "[perf][slicer]") {
  const std::string t = committed("litmus/perf/C-peterz.litmus");
  auto replace_all = [](std::string s, const std::string& a, const std::string& b) {
    for (size_t p = 0; (p = s.find(a, p)) != std::string::npos; p += b.size()) s.replace(p, a.size(), b);
    return s;
  };
  // Locations and registers renamed consistently: equal.
  std::string ren = replace_all(replace_all(t, "*x", "*ctxp"), "(int *x", "(int *ctxp");
  ren = replace_all(replace_all(ren, "r2", "r7"), "2:r7", "2:r7");
  CHECK(canonical_litmus(ren) == canonical_litmus(t));
  // A different value, a dropped barrier, swapped statements, a different condition: not equal.
  CHECK(canonical_litmus(replace_all(t, "WRITE_ONCE(*y, 1)", "WRITE_ONCE(*y, 2)")) != canonical_litmus(t));
  std::string nomb = t;
  nomb.erase(nomb.find("\tsmp_mb();\n"), 11);
  CHECK(canonical_litmus(nomb) != canonical_litmus(t));
  CHECK(canonical_litmus(replace_all(t, "2:r2=0", "2:r2=1")) != canonical_litmus(t));
  CHECK(canonical_litmus(replace_all(t, "P0(int *x, int *y)", "P0(int *y, int *x)")) != canonical_litmus(t));
}

TEST_CASE("S0-B: the race is sliced as Sometimes, the repair's critical window as Never", "[perf][slicer]") {
  SlicedRun post = run("S0-B", "post"), rep = run("S0-B", "repair");
  CHECK(post.failed);
  CHECK(lkmm_observation(plain(post).text, "s0b-post.litmus") == "Sometimes");
  CHECK_FALSE(rep.failed);
  REQUIRE(rep.traces >= 1);
  CHECK(plain(rep).text.find("\tWRITE_ONCE(*online_1, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*ds_1);") != std::string::npos);
  CHECK(lkmm_observation(plain(rep).text, "s0b-repair.litmus") == "Never");
}

TEST_CASE("a load the model branches on guards the accesses after it in the slice", "[perf][slicer]") {
  // L6's variant: the fallback's task_curr() test (N6) decides N7's add; the slice keeps that as an if.
  const Window* w = nullptr;
  for (const Window* x : windows_of("S1-B"))
    if (x->name == "install fallback vs sched-in on CPU2") w = x;
  REQUIRE(w);
  SlicedRun r = slice_run(*find_scenario("S1-B"), *find_variant(*find_scenario("S1-B"), "post_latecurr"), *w);
  REQUIRE(r.failed);
  REQUIRE(!r.slices.empty());
  const std::string& t = r.slices[0].text;
  CHECK(r.slices[0].name.find("-locks") != std::string::npos);  // a lock's window: only the test with the lock
  CHECK(t.find("\tif (r1 == 0)\n\t\tWRITE_ONCE(*events_T0, 1);\n\tspin_unlock(ctx_T0__lock);") != std::string::npos);
  CHECK(t.find("CURR=late") != std::string::npos);
  CHECK(lkmm_observation(t, "latecurr.litmus") == "Sometimes");
}

TEST_CASE("LOCKS=off: a lock recorded but excluding nobody breaks the fallback's argument, and must name a lock", "[perf][slicer]") {
  const ScenarioSpec* s = find_scenario("S1-B");
  VariantSpec v = *find_variant(*s, "post");
  auto set = v.set;
  v.set = [set](Flags& f) {
    set(f);
    f.locks_off = {"ctx(T0).lock"};
  };
  auto m = build_model(*s, v);
  CHECK(explore(*m).has(Prop::I1));
  v.set = [set](Flags& f) {
    set(f);
    f.locks_off = {"no such lock"};
  };
  CHECK_THROWS(build_model(*s, v));
}

TEST_CASE("the committed L1-L10 are the hand-written table, and LKMM gives each its Result line", "[perf][litmus]") {
  for (const LitmusFile& f : litmus_tests()) {
    INFO(f.name);
    CHECK(f.text == committed("litmus/perf/" + f.name));
    const std::string want = f.text.find(" * Result: Never\n") != std::string::npos ? "Never" : "Sometimes";
    CHECK(lkmm_observation(f.text, f.name) == want);
  }
}
