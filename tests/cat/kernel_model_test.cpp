// The kernel's own LKMM files, unmodified (skipped when the shared corpus is absent).
#include <catch2/catch.hpp>

#include <filesystem>

#include "helpers.hpp"

using namespace cat_test;

namespace {

bool have_kernel_model() {
  if (std::filesystem::exists(PADDOCK_KERNEL_MODEL_DIR "/linux-kernel.cat")) return true;
  WARN("skipped: " PADDOCK_KERNEL_MODEL_DIR " not found");
  return false;
}

std::shared_ptr<const cat::Model> kernel_model() {
  auto o = opts({"lkmmv2"});
  o.include_dirs.insert(o.include_dirs.begin(), PADDOCK_KERNEL_MODEL_DIR);
  return cat::load_model(PADDOCK_KERNEL_MODEL_DIR "/linux-kernel.cat", PADDOCK_KERNEL_MODEL_DIR "/linux-kernel.bell",
                         o);
}

// SB with WRITE_ONCE/READ_ONCE, optionally smp_mb() between the two accesses of each thread.
// Events: IW x (0), IW y (1); P0: W x=1, [F mb], R y; P1: W y=1, [F mb], R x.
cat::Candidate sb(bool fences, bool ry_init, bool rx_init) {
  std::vector<Ev> evs{{-1, 0, 'I'}, {-1, 1, 'I'}, {0, 0, 'W', 1}};
  if (fences) evs.push_back({0, -1, 'F'});
  evs.push_back({0, 1, 'R'});
  size_t ry = evs.size() - 1;
  evs.push_back({1, 1, 'W', 1});
  size_t wy = evs.size() - 1;
  if (fences) evs.push_back({1, -1, 'F'});
  evs.push_back({1, 0, 'R'});
  size_t rx = evs.size() - 1;
  auto c = build(evs);
  size_t n = evs.size();
  c.rels["rf"] = rel_of(n, {{ry_init ? 1 : wy, ry}, {rx_init ? 0 : 2, rx}});
  EventSet once(n), mb(n);
  for (size_t i = 0; i < n; ++i)
    if (evs[i].kind == 'R' || evs[i].kind == 'W') once.set(i);
    else if (evs[i].kind == 'F') mb.set(i);
  c.sets["ONCE"] = once;
  c.sets["MB"] = mb;
  c.sets["FW"] = set_of(n, {2, wy});
  return c;
}

}  // namespace

TEST_CASE("kernel LKMM files parse and load unmodified") {
  if (!have_kernel_model()) return;
  auto m = kernel_model();
  CHECK(cat::model_title(*m) == "Linux-kernel memory consistency model");
  auto shows = cat::model_shows(*m);
  CHECK(std::find(shows.begin(), shows.end(), "co") != shows.end());
}

TEST_CASE("kernel LKMM on SB: allowed without fences, (0,0) forbidden with smp_mb") {
  if (!have_kernel_model()) return;
  auto m = kernel_model();
  for (bool fences : {false, true})
    for (bool ry_init : {false, true})
      for (bool rx_init : {false, true}) {
        Run r = run(*m, sb(fences, ry_init, rx_init));
        INFO("fences=" << fences << " ry_init=" << ry_init << " rx_init=" << rx_init);
        REQUIRE(r.alternatives == 1);
        bool expect = !(fences && ry_init && rx_init);
        CHECK(r.outcomes[0].allowed == expect);
        if (r.outcomes[0].allowed) CHECK(r.outcomes[0].flags.empty());
      }
}

TEST_CASE("kernel LKMM without lkmmv2 raises the variant flag") {
  if (!have_kernel_model()) return;
  auto o = opts();
  auto m = cat::load_model(PADDOCK_KERNEL_MODEL_DIR "/linux-kernel.cat", PADDOCK_KERNEL_MODEL_DIR "/linux-kernel.bell", o);
  Run r = run(*m, sb(false, false, false));
  REQUIRE(r.allowed == 1);
  CHECK(r.outcomes[0].flags == std::vector<std::string>{"this-model-requires-variant-higher-than-lkmmv1"});
}

TEST_CASE("kernel LKMM: plain accesses race") {
  if (!have_kernel_model()) return;
  auto m = kernel_model();
  auto c = sb(false, true, true);
  c.sets["ONCE"] = EventSet(c.n);  // all accesses plain
  Run r = run(*m, c);
  REQUIRE(r.alternatives == 1);
  REQUIRE(r.outcomes[0].allowed);
  CHECK(r.outcomes[0].flags == std::vector<std::string>{"data-race"});
}

namespace {
// Two threads: spin_lock(l); WRITE_ONCE(*x, t+1); spin_unlock(l).
// Events: IW l (0), IW x (1); P0: LKR (2) LKW (3) W x (4) UL (5); P1: LKR (6) LKW (7) W x (8) UL (9).
cat::Candidate two_locks() {
  auto c = build({{-1, 0, 'I'}, {-1, 1, 'I'},
                  {0, 0, 'L'}, {0, 0, 'L'}, {0, 1, 'W', 1}, {0, 0, 'L'},
                  {1, 0, 'L'}, {1, 0, 'L'}, {1, 1, 'W', 2}, {1, 0, 'L'}});
  size_t n = c.n;
  c.sets["LKR"] = set_of(n, {2, 6});
  c.sets["LKW"] = set_of(n, {3, 7});
  c.sets["UL"] = set_of(n, {5, 9});
  c.sets["ONCE"] = set_of(n, {4, 8});
  c.sets["W"] = set_of(n, {0, 1, 4, 8});
  c.sets["M"] = c.sets["W"];
  c.sets["FW"] = set_of(n, {8});  // observe x's final value 2
  Relation iico(n);
  iico.set(2, 3);
  iico.set(6, 7);
  c.rels["iico_ctrl"] = iico;
  return c;
}
}  // namespace

TEST_CASE("kernel lock.cat: lock handover is ordered by co over LKW") {
  if (!have_kernel_model()) return;
  auto m = kernel_model();
  auto c = two_locks();
  Run r = run(*m, c);
  // Two orders of the LKWs; with x's final write fixed to P1's, only P0-then-P1 is consistent.
  CHECK(r.alternatives == 2);
  CHECK(r.allowed == 1);
  c.sets["FW"] = EventSet(c.n);
  Run r2 = run(*m, c);
  CHECK(r2.alternatives == 4);  // 2 lock orders x 2 orders of the x writes
  CHECK(r2.allowed == 2);       // x's coherence must follow the critical sections
}
