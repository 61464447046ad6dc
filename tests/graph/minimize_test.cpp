// --minimize: constructs found in the source, edits at their positions, and the search on C-peterz.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "litmus/parse.hpp"
#include "minimize/search.hpp"

using namespace graph_test;
namespace minimize = paddock::minimize;

TEST_CASE("minimize: C-peterz's constructs, located in the source") {
  std::string text = source("litmus/C-peterz.litmus");
  auto test = paddock::litmus::parse_test(text, "C-peterz.litmus");
  auto cs = minimize::find_constructs(test, text, session().macros());
  REQUIRE(cs.size() == 4);
  CHECK(cs[0].text == "smp_mb()");
  CHECK(cs[1].text == "smp_store_release(z, 1)");
  CHECK(cs[2].text == "smp_load_acquire(z)");
  CHECK(cs[3].text == "smp_mb()");
  CHECK(cs[0].levels.size() == 4);  // smp_mb, smp_wmb, smp_rmb, nothing
  CHECK(cs[0].leq[3][0]);           // nothing <= smp_mb
  CHECK_FALSE(cs[0].leq[1][2]);     // smp_wmb and smp_rmb are unordered
  std::string weak = minimize::apply(text, cs, {3, 1, 1, 2});
  CHECK(weak.find("smp_store_release") == std::string::npos);
  CHECK(weak.find("WRITE_ONCE(*z, 1);") != std::string::npos);
  CHECK(weak.find("r1 = READ_ONCE(*z);") != std::string::npos);
  CHECK(weak.find("\tsmp_rmb();") != std::string::npos);
  CHECK(weak.find("\t;\n\tr1 = READ_ONCE(*y);") != std::string::npos);  // P0's smp_mb() removed
  CHECK(minimize::diff_line(cs, {0, 1, 0, 0}) == "26:2 smp_store_release(z, 1) -> WRITE_ONCE(*z, 1)");
  // The weakened text is a test paddock runs.
  auto r = session().run_text(weak, "weak.litmus");
  CHECK(r.error == "");
  CHECK(minimize::observation_verdict(r.report) == "Sometimes");
}

TEST_CASE("minimize: C-peterz needs both smp_mb() and the release, not the acquire") {
  std::string text = source("litmus/C-peterz.litmus");
  minimize::Result r = minimize::minimize(session(), text, "C-peterz.litmus", "");
  REQUIRE(r.error == "");
  CHECK(r.verdict == "Never");
  CHECK(r.lattice == 64);
  REQUIRE(r.minimal.size() == 1);
  CHECK(r.minimal[0].levels == std::vector<int>{0, 0, 1, 0});
  CHECK(r.minimal[0].observation == "Observation C-peterz Never 0 7");
  CHECK(r.minimal[0].diff == "34:7 smp_load_acquire(z) -> READ_ONCE(*z)");
  // Monotonicity spares most of the lattice.
  CHECK(r.checks + r.inferred < r.lattice);
  CHECK(r.checks <= 10);
  std::string out = minimize::format(r, "C-peterz.litmus");
  CHECK(out.find("needs [1] smp_mb(), [2] smp_store_release(z, 1), [3] as READ_ONCE, [4] smp_mb()") !=
        std::string::npos);
}

TEST_CASE("minimize: every minimal set is minimal and keeps the verdict (MP with a full barrier each side)") {
  const char* mp = R"(C MP+mbs
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_mb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_mb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0)
)";
  minimize::Result r = minimize::minimize(session(), mp, "mp.litmus", "");
  REQUIRE(r.error == "");
  CHECK(r.verdict == "Never");
  REQUIRE(r.minimal.size() == 1);
  // The writer needs only smp_wmb(), the reader only smp_rmb().
  CHECK(r.minimal[0].levels == std::vector<int>{1, 2});
  CHECK(r.minimal[0].diff == "3:41 smp_mb() -> smp_wmb(); 4:58 smp_mb() -> smp_rmb()");
  for (const auto& m : r.minimal) {
    auto o = session().run_text(m.text, "m.litmus");
    CHECK(minimize::observation_verdict(o.report) == "Never");
  }
}

TEST_CASE("minimize: --keep must match the test's verdict; a bad test is a positioned error") {
  std::string text = source("litmus/C-peterz.litmus");
  minimize::Result r = minimize::minimize(session(), text, "C-peterz.litmus", "Sometimes");
  CHECK(r.error.find("verdict is Never, not Sometimes") != std::string::npos);
  minimize::Result bad = minimize::minimize(session(), "C bad\n{}\nP0(int *x) { smp_mb( }\nexists (x=1)\n", "bad.litmus", "");
  CHECK(bad.error.find("bad.litmus:3:") != std::string::npos);
}

TEST_CASE("minimize: an assembly test is refused naming its architecture, not with a C parse error") {
  minimize::Result r = minimize::minimize(
      session(), "\nX86 SB\n{ x=0; y=0; }\n P0 | P1 ;\n MOV [x],$1 | MOV [y],$1 ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n",
      "sb.litmus", "");
  CHECK(r.error == "sb.litmus:2:1: error: --minimize weakens the primitives of C tests; this is an X86 test");
}
