// -j N on one test: the explicit engine splits the candidates between N threads (exec/engine.cpp, shards over the
// rf choices); the report must be the serial one, byte for byte but for Time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "driver/driver.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

std::string without_time(std::string r) { return std::regex_replace(r, std::regex("\nTime [^\n]*\n"), "\nTime\n"); }

std::string report(int threads, const std::string& text, const std::string& name) {
  Config c;
  c.threads = threads;
  Session s(c);
  TestOutcome o = s.run_text(text, name);
  INFO(o.error);
  REQUIRE(o.error.empty());
  return without_time(o.report);
}

// An LB ring of n processes through RCU: every rf combination is a candidate, 2^n of them.
std::string rcu_ring(int n) {
  std::ostringstream t;
  t << "C ring\n{}\n";
  for (int i = 0; i < n; ++i) {
    t << "P" << i << "(int *x" << i << ", int *x" << (i + 1) % n << ") { int r0; ";
    if (i % 2) t << "r0 = READ_ONCE(*x" << i << "); synchronize_rcu(); WRITE_ONCE(*x" << (i + 1) % n << ", 1); }\n";
    else t << "rcu_read_lock(); r0 = READ_ONCE(*x" << i << "); WRITE_ONCE(*x" << (i + 1) % n << ", 1); rcu_read_unlock(); }\n";
  }
  t << "exists (";
  for (int i = 0; i < n; ++i) t << (i ? " /\\ " : "") << i << ":r0=1";
  t << ")\n";
  return t.str();
}

// Which write a read may take depends on an address computed from an earlier read (the CAS's address below
// comes through an EOR of a loaded value): shards must see the serial tree of choices.
const char* const kAddrCas =
    "AArch64 addr-cas\n{ x=0; y=0; z=0; 0:X0=x; 0:X1=y; 1:X0=x; 1:X1=y; 1:X2=z; }\n"
    " P0 | P1 ;\n"
    " LDR W3,[X0] | LDR W3,[X1] ;\n"
    " MOV W4,#1 | EOR W5,W3,W3 ;\n"
    " STLR W4,[X1] | CAS W5,W30,[X2] ;\n"
    " | EOR W5,W5,W5 ;\n"
    " | MOV W4,#1 ;\n"
    " | STR W4,[X0,W5,SXTW] ;\n"
    "exists (0:X3=1 /\\ 1:X3=1)\n";

}  // namespace

TEST_CASE("one test split between threads (paddock -j N FILE): the merged report is the serial one", "[exec][threads]") {
  std::vector<std::pair<std::string, std::string>> tests = {{"ring.litmus", rcu_ring(8)}, {"addr-cas.litmus", kAddrCas}};
  for (const auto& e : fs::directory_iterator(PADDOCK_LITMUS_DIR)) {
    if (e.path().extension() != ".litmus") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    tests.emplace_back(e.path().filename().string(), ss.str());
  }
  REQUIRE(tests.size() > 5);
  for (const auto& [name, text] : tests) {
    INFO(name);
    std::string serial = report(1, text, name);
    CHECK(report(2, text, name) == serial);
    CHECK(report(3, text, name) == serial);
  }
  CHECK(report(1, rcu_ring(8), "ring.litmus").find("States 255") != std::string::npos);
}
