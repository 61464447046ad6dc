// The explicit engine drops a partial rf choice when the model already refutes every completion of it
// (exec/engine.cpp refuted_so_far, cat::refuted_early): the reports must be those of the full enumeration, in one
// thread and in two, and the model must run on fewer candidates.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "driver/driver.hpp"
#include "report_helpers.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"

using namespace paddock;

namespace {

using exec_test::report;
using exec_test::sb_lock;

uint64_t model_runs(bool no_prune, const std::string& text) {
  static const Session s{Config{}};
  litmus::Test t = litmus::parse_test(text, "t.litmus");
  events::Program p = events::build(t, program::expand(t, s.macros()));
  exec::Options o;
  o.no_prune = no_prune;
  return exec::run(t, p, s.model(), o).model_runs;
}


// n processes hand a lock word over with xchg_acquire, and a location the condition observes (its final
// writes are chosen before rf).
std::string handoff(int n) {
  std::ostringstream t;
  t << "C handoff\n{}\n";
  for (int i = 0; i < n; ++i)
    t << "P" << i << "(int *l, int *d) { int r0; int r1; r0 = xchg_acquire(l, 1); r1 = READ_ONCE(*d); "
      << "WRITE_ONCE(*d, " << i << "); smp_store_release(l, 0); }\n";
  t << "exists (";
  for (int i = 0; i < n; ++i) t << i << ":r0=0 /\\ ";
  t << "d=" << n - 1 << ")\n";
  return t.str();
}

}  // namespace

TEST_CASE("an rf prefix the model refutes is cut off, and the report is unchanged", "[exec][early]") {
  for (const std::string& t : {sb_lock(4), handoff(3)}) {
    INFO(t);
    std::string pruned = report(false, t), full = report(true, t);
    CHECK(pruned == full);
    CHECK(report(false, t, 2) == full);  // shards number the subtrees above their split alike
    CHECK(pruned.find("States 0") == std::string::npos);
    // Most candidates of these tests break the lock's atomicity, which the first reads chosen already show.
    CHECK(model_runs(false, t) * 2 < model_runs(true, t));
  }
}

TEST_CASE("a test the early refutation cannot cut keeps its report", "[exec][early]") {
  // Message passing with a data dependency: every candidate's verdict needs its whole rf.
  const char* t =
      "C mp\n{}\n"
      "P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }\n"
      "P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }\n"
      "exists (1:r0=1 /\\ 1:r1=0)\n";
  CHECK(report(false, t) == report(true, t));
}
