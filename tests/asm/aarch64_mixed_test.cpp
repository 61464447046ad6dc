// AArch64 mixed-size mode (-variant mixed, events/mixed.hpp) end to end: bytes placed and recomposed
// little-endian, a halfword read single-copy atomic against a halfword write (sca-class in models/aarch64.cat),
// an exclusive pair of two sizes that can only fail, the test's own `Variant=mixed`, and positioned errors.
#include <catch2/catch.hpp>

#include "driver/driver.hpp"

using namespace paddock;

namespace {

TestOutcome run_mixed(const std::string& text, bool variant = true) {
  static Session mixed([] {
    Config c;
    c.variants = {"mixed"};
    return c;
  }());
  static Session plain{Config{}};
  return (variant ? mixed : plain).run_text(text, "t.litmus");
}

// The report's States block and Observation line.
std::string states(const TestOutcome& r) {
  INFO(r.error);
  auto at = r.report.find("States ");
  auto ok = r.report.find("\nOk\n") != std::string::npos ? r.report.find("\nOk\n") : r.report.find("\nNo\n");
  REQUIRE(at != std::string::npos);
  auto obs = r.report.find("Observation ");
  return r.report.substr(at, ok - at) + "\n" + r.report.substr(obs, r.report.find('\n', obs) - obs);
}

}  // namespace

TEST_CASE("mixed: a byte store lands inside a word, which a word load reads back whole") {
  // 0x11223344 with 0xaa stored at byte 1: 0x1122aa44.
  std::string t = "AArch64 m1\n{ uint32_t x=287454020; 0:X1=x; }\nP0;\nMOV W0,#170;\nSTRB W0,[X1,#1];\nLDR W2,[X1];\n"
                  "forall (0:X2=287484484 /\\ x=287484484)\n";
  CHECK(states(run_mixed(t)) == "States 1\n0:X2=287484484; [x]=287484484;\nObservation m1 Always 1 0");
  // herd's -hexa prints the values of states and of the condition in hexadecimal.
  Config hx;
  hx.variants = {"mixed"};
  hx.hexa = true;
  TestOutcome h = Session(hx).run_text(t, "t.litmus");
  CHECK(h.report.find("0:X2=0x1122aa44; [x]=0x1122aa44;\n") != std::string::npos);
  CHECK(h.report.find("Condition forall (0:X2=0x1122aa44 /\\ [x]=0x1122aa44)") != std::string::npos);
  // The test's own Variant=mixed turns the mode on.
  std::string own = "AArch64 m1\nVariant=mixed\n" + t.substr(t.find('{'));
  CHECK(states(run_mixed(own, false)) == "States 1\n0:X2=287484484; [x]=287484484;\nObservation m1 Always 1 0");
}

TEST_CASE("mixed: a halfword load sees a halfword store whole or not at all; byte loads may see either byte") {
  std::string t = "AArch64 m2\n{ uint16_t x; 0:X1=x; 1:X1=x; }\nP0 | P1;\nMOV W0,#257 | LDRH W2,[X1];\n"
                  "STRH W0,[X1] | LDRB W3,[X1];\n | LDRB W4,[X1,#1];\nexists (1:X2=1 \\/ 1:X2=256)\n";
  CHECK(states(run_mixed(t)) == "States 2\n1:X2=0;\n1:X2=257;\nObservation m2 Never 0 5");
  std::string bytes = "AArch64 m2b\n{ uint16_t x; 0:X1=x; 1:X1=x; }\nP0 | P1;\nMOV W0,#257 | LDRB W3,[X1];\n"
                      "STRH W0,[X1] | LDRB W4,[X1,#1];\nexists (1:X3=1 /\\ 1:X4=0)\n";
  CHECK(states(run_mixed(bytes)) == "States 4\n1:X3=0; 1:X4=0;\n1:X3=0; 1:X4=1;\n1:X3=1; 1:X4=0;\n1:X3=1; 1:X4=1;\n"
                                    "Observation m2b Sometimes 1 3");
}

TEST_CASE("mixed: an exclusive pair of two sizes only fails") {
  std::string t = "AArch64 m3\n{ int x=0; 0:X0=x; }\nP0;\nMOV W3,#1;\nLDXRH W1,[X0];\nSTXR W4,W3,[X0];\nforall (x=0 /\\ 0:X4=1)\n";
  CHECK(states(run_mixed(t)) == "States 1\n0:X4=1; [x]=0;\nObservation m3 Always 1 0");
  // Of one size, it may succeed.
  std::string same = "AArch64 m3b\n{ int x=0; 0:X0=x; }\nP0;\nMOV W3,#1;\nLDXR W1,[X0];\nSTXR W4,W3,[X0];\nexists (x=1)\n";
  CHECK(states(run_mixed(same)) == "States 2\n[x]=0;\n[x]=1;\nObservation m3b Sometimes 1 1");
}

TEST_CASE("mixed: a pointer may pass the end of its location on its way back") {
  // x+16 after two post-indexes, then back by a loaded index (-2 words): x+8.
  std::string t = "AArch64 p1\n{ int x[4] = {-1,-2,-3,-2}; 0:X0=x; int64_t 0:X3; int64_t 0:X4; }\nP0;\n"
                  "LDRSW X3,[X0,#12];\nADD X0,X0,#16;\nLDRSW X4,[X0,X3,LSL 2];\nforall 0:X4=-3\n";
  CHECK(states(run_mixed(t)) == "States 1\n0:X4=-3;\nObservation p1 Always 1 0");
  TestOutcome past = run_mixed("AArch64 p2\n{ int x; 0:X1=x; }\nP0;\nADD X1,X1,#4;\nLDR W0,[X1];\nexists (0:X0=0)\n");
  CHECK(past.error == "t.litmus:5:1: error: mixed-size mode: x+4 is outside x (4 bytes)");
}

TEST_CASE("mixed: what cannot be split in bytes is a positioned error") {
  TestOutcome past = run_mixed("AArch64 e1\n{ int x; 0:X1=x; }\nP0;\nLDR X0,[X1];\nexists (0:X0=0)\n");
  CHECK(past.report.empty());
  CHECK(past.error.find("outside x (4 bytes)") != std::string::npos);
  TestOutcome odd = run_mixed("AArch64 e4\n{ uint64_t x; 0:X1=x; }\nP0;\nLDR W0,[X1,#2];\nexists (0:X0=0)\n");
  CHECK(odd.error == "t.litmus:4:1: error: mixed-size mode: a misaligned 4-byte access at x+2 is not supported");
  TestOutcome ptr = run_mixed("AArch64 e2\n{ int *x=y; 0:X1=x; }\nP0;\nLDR X0,[X1];\nexists (0:X0=0)\n");
  CHECK(ptr.error.find("t.litmus:2:3: error: mixed-size mode: x holds an address") != std::string::npos);
  TestOutcome z3 = [] {
    Config c;
    c.variants = {"mixed"};
    c.speedcheck = Config::Speedcheck::True;
    return Session(c).run_text("AArch64 e3\n{ 0:X1=x; }\nP0;\nLDR W0,[X1];\nexists (0:X0=0)\n", "t.litmus");
  }();
  CHECK(z3.error.find("-speedcheck does not support mixed-size mode") != std::string::npos);
}
