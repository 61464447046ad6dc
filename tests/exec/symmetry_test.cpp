// Symmetries of a test (exec/symmetry.hpp): the engine runs the model on one execution per orbit and maps the
// states of the others. The groups found must be the tests' own, and every report must equal the one of the
// full enumeration (-nosymmetry), in one thread and in two, under the bundled LKMM and the kernel's files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "driver/driver.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "exec/symmetry.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"
#include "report_helpers.hpp"

using namespace paddock;

namespace {

struct Case {
  const char* name;
  size_t group;  // order of the symmetry group, identity included
  const char* text;
};

const Case kCases[] = {
    {"SB", 2,
     "C SB\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nexists (0:r0=0 /\\ 1:r0=0)\n"},
    // The condition need not be symmetric: each image's state is judged on its own.
    {"SB-asymmetric-condition", 2,
     "C SBa\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nexists (0:r0=0 /\\ 1:r0=1)\n"},
    // A filter must be: one that is not leaves no symmetry.
    {"SB-asymmetric-filter", 1,
     "C SBf\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nfilter (0:r0=0)\nexists (0:r0=1:r0)\n"},
    {"SB-symmetric-filter", 2,
     "C SBs\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nfilter (1:r0=0 \\/ 0:r0=0)\n"
     "exists (0:r0=0 /\\ 1:r0=0)\n"},
    // Displayed locations must map onto displayed ones: x alone is not closed under x <-> y.
    {"SB-one-location-shown", 1,
     "C SBl\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nlocations [x]\n"
     "exists (0:r0=0 /\\ 1:r0=0)\n"},
    {"different-initial-values", 1,
     "C I\n{ x = 1; y = 2; }\nP0(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 3); }\n"
     "P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, 3); }\nexists (0:r0=2 /\\ 1:r0=1)\n"},
    {"different-values-written", 1,
     "C V\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 2); r0 = READ_ONCE(*x); }\nexists (0:r0=0 /\\ 1:r0=0)\n"},
    // Pointers: p and q map with x and y, and the values read are addresses, mapped in the states.
    {"pointers", 2,
     "C P\n{ int *p = x; int *q = y; int x = 0; int y = 0; }\n"
     "P0(int **p, int **q, int *x, int *y) { int *r0; int r1; r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0); WRITE_ONCE(*q, x); }\n"
     "P1(int **p, int **q, int *x, int *y) { int *r0; int r1; r0 = READ_ONCE(*q); r1 = READ_ONCE(*r0); WRITE_ONCE(*p, y); }\n"
     "exists (0:r0=y /\\ 1:r0=x)\n"},
    {"register-initial-values", 2,
     "C R\n{ 0:r2=x; 1:r2=y; }\n"
     "P0(int *x, int *y) { int r0; int r2; WRITE_ONCE(*r2, 1); r0 = READ_ONCE(*y); smp_mb(); r0 = READ_ONCE(*x); }\n"
     "P1(int *x, int *y) { int r0; int r2; WRITE_ONCE(*r2, 1); r0 = READ_ONCE(*x); smp_mb(); r0 = READ_ONCE(*y); }\n"
     "exists (0:r0=0 /\\ 1:r0=0)\n"},
    // Only the symmetries fixing thread 0, which the condition shows alone: a group of two.
    {"three-lockers", 2,
     "C L\n{}\n"
     "P0(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "P1(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "P2(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "exists (x=2 /\\ 0:r0=1)\n"},
    {"three-lockers-symmetric", 6,
     "C L3\n{}\n"
     "P0(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "P1(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "P2(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); spin_unlock(s); }\n"
     "exists (x=2)\n"},
    {"IRIW", 2,
     "C IRIW\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nP1(int *y) { WRITE_ONCE(*y, 1); }\n"
     "P2(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*x); smp_rmb(); r1 = READ_ONCE(*y); }\n"
     "P3(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }\n"
     "exists (2:r0=1 /\\ 2:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)\n"},
    // Cut loops are reported from the structures that have them: no symmetry.
    {"loops", 1,
     "C W\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); while (r0 == 0) r0 = READ_ONCE(*y); }\n"
     "P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); while (r0 == 0) r0 = READ_ONCE(*x); }\n"
     "exists (0:r0=1 /\\ 1:r0=1)\n"},
    // Branches: the paths of a thread map onto its image's paths.
    {"branches", 2,
     "C B\n{}\nP0(int *x, int *y, int *z) { int r0; r0 = READ_ONCE(*x); if (r0) WRITE_ONCE(*y, 1); else WRITE_ONCE(*z, 1); }\n"
     "P1(int *x, int *y, int *z) { int r0; r0 = READ_ONCE(*y); if (r0) WRITE_ONCE(*x, 1); else WRITE_ONCE(*z, 1); }\n"
     "exists (0:r0=1 /\\ 1:r0=0 /\\ z=1)\n"},
};

exec::Result run(const std::string& text, bool symmetry) {
  static const Session s{Config{}};
  litmus::Test t = litmus::parse_test(text, "t.litmus");
  events::Program p = events::build(t, program::expand(t, s.macros()));
  exec::Options o;
  o.symmetry = symmetry;
  return exec::run(t, p, s.model(), o);
}

std::string report(const std::string& text, bool symmetry, int threads, const std::string& conf) {
  Config c;
  c.no_symmetry = !symmetry;
  c.threads = threads;
  c.conf = conf;
  Session s(c);
  TestOutcome o = s.run_text(text, "t.litmus");
  INFO(o.error);
  REQUIRE(o.error.empty());
  return exec_test::without_time(o.report);
}

}  // namespace

TEST_CASE("each test's symmetry group is found", "[symmetry]") {
  for (const Case& c : kCases) {
    INFO(c.name);
    CHECK(run(c.text, true).symmetries == c.group);
    CHECK(run(c.text, false).symmetries == 1);
  }
  CHECK(run(exec_test::sb_lock(4), true).symmetries == 4);  // the rotations of a ring
}

TEST_CASE("reports with symmetries equal the full enumeration's", "[symmetry]") {
  std::vector<std::string> confs{""};
  std::string kernel = std::string(PADDOCK_CORPUS_DIR) + "/kernel-model/linux-kernel.cfg";
  if (std::filesystem::exists(kernel)) confs.push_back(kernel);
  for (const std::string& conf : confs)
    for (const Case& c : kCases) {
      INFO(c.name << " " << conf);
      std::string full = report(c.text, false, 1, conf);
      CHECK(report(c.text, true, 1, conf) == full);
      CHECK(report(c.text, true, 2, conf) == full);
    }
  std::string ring = exec_test::sb_lock(4);
  CHECK(report(ring, true, 2, "") == report(ring, false, 1, ""));
}

TEST_CASE("the model runs on one execution per orbit", "[symmetry]") {
  std::string ring = exec_test::sb_lock(4);
  exec::Result with = run(ring, true), without = run(ring, false);
  CHECK(with.consistent == without.consistent);
  CHECK(with.states == without.states);
  CHECK(with.model_runs * 2 < without.model_runs);
}
