// herd drops, before the model, every candidate whose value equations its solver leaves unsolved, unless
// -variant oota (../shared/docs/herd-c-semantics.md §9, docs/values.md). The variants of C-JO-OOTA-4 below are
// §9's table: herd's Positive/Negative by default and with -variant oota, with the kernel's model files and with
// the bundled model.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>

#include "driver/driver.hpp"
#include "events/equations.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

// One thread of the C-JO-OOTA-4 shape: `read` is how the other thread's store is read (`*b` or `READ_ONCE(*b)`).
std::string thread(int n, const std::string& a, const std::string& b, const std::string& x, const std::string& y,
                   const std::string& value, bool once) {
  std::string rb = once ? "READ_ONCE(*" + b + ")" : "*" + b;
  return "P" + std::to_string(n) + "(int *a, int *b, int *x, int *y)\n{\n\tint r1;\n\tint r2;\n\tint r3;\n\n" +
         "\tr1 = READ_ONCE(*" + x + ");\n\tsmp_rmb();\n\tr2 = " + rb + ";\n\tr3 = r1 == 0;\n" + "\tWRITE_ONCE(*" + a +
         ", " + value + ");\n\tsmp_wmb();\n\tWRITE_ONCE(*" + y + ", 1);\n}\n";
}

std::string oota_test(const std::string& name, const std::string& v0, const std::string& v1, bool once) {
  return "C " + name + "\n\n(*\n * Result: Never\n *)\n\n{}\n\n" + thread(0, "a", "b", "x", "y", v0, once) + "\n" +
         thread(1, "b", "a", "y", "x", v1, once) + "\nexists (0:r1=1 /\\ 1:r1=1)\n";
}

Session make_session(bool kernel_files, bool oota) {
  Config c;
  fs::path kernel = fs::path(PADDOCK_CORPUS_DIR) / "kernel-model" / "linux-kernel.cfg";
  if (kernel_files) c.conf = kernel.string();
  if (oota) c.variants.push_back("oota");
  return Session(c);
}

std::string counts(const Session& s, const std::string& text) {
  TestOutcome o = s.run_text(text, "oota.litmus");
  INFO(o.error);
  std::smatch m;
  REQUIRE(std::regex_search(o.report, m, std::regex("Positive: (\\d+) Negative: (\\d+)")));
  return m[1].str() + "/" + m[2].str();
}

struct Row {
  const char* p0;
  const char* p1;  // nullptr: as P0
  bool once;       // READ_ONCE instead of the plain read of the other thread's store
  const char* herd;
  const char* herd_oota;
};

// herd-c-semantics.md §9, "Variants".
const Row rows[] = {
    {"(r3 + 1) & r2", nullptr, false, "0/5", "0/8"}, {"r2", nullptr, false, "1/8", "1/8"},
    {"r3 + 1", nullptr, false, "0/8", "0/8"},        {"(r3 + 1) & r2", nullptr, true, "0/5", "0/5"},
    {"r2", nullptr, true, "0/5", "0/5"},             {"r3 + 1", nullptr, true, "0/8", "0/8"},
    {"r2 & 2", nullptr, false, "0/5", "1/8"},        {"r2 & 0", nullptr, false, "0/5", "1/8"},
    {"r2 + 0", nullptr, false, "1/8", "1/8"},        {"r2 | 0", nullptr, false, "1/8", "1/8"},
    {"r2 * 1", nullptr, false, "0/5", "1/8"},        {"r2 + 1", nullptr, false, "0/5", "1/8"},
    {"r3 + r2", nullptr, false, "0/5", "0/8"},       {"r2 ^ r2", nullptr, false, "1/8", "1/8"},
    {"r1 & r2", nullptr, false, "0/5", "0/8"},       {"(r3 + 1) & r2", "r2", false, "0/5", "1/8"},
};

}  // namespace

TEST_CASE("C-JO-OOTA-4 variants give herd's counts with and without -variant oota", "[exec][oota]") {
  bool kernel_files = GENERATE(true, false);
  if (kernel_files && !fs::exists(fs::path(PADDOCK_CORPUS_DIR) / "kernel-model" / "linux-kernel.cfg")) {
    WARN("kernel model files absent: bundled model only");
    return;
  }
  Session plain = make_session(kernel_files, false), oota = make_session(kernel_files, true);
  for (const Row& r : rows) {
    std::string text = oota_test("v", r.p0, r.p1 ? r.p1 : r.p0, r.once);
    INFO((kernel_files ? "kernel files: " : "bundled model: ") << r.p0 << " | " << (r.p1 ? r.p1 : r.p0)
                                                               << (r.once ? " (READ_ONCE)" : " (plain)"));
    CHECK(counts(plain, text) == r.herd);
    CHECK(counts(oota, text) == r.herd_oota);
  }
}

TEST_CASE("C-JO-OOTA-4: herd's whole report", "[exec][oota]") {
  Session s = make_session(false, false);
  std::string text = oota_test("C-JO-OOTA-4", "(r3 + 1) & r2", "(r3 + 1) & r2", false);
  std::string report = s.run_text(text, "C-JO-OOTA-4.litmus").report;
  report = std::regex_replace(report, std::regex("\nTime C-JO-OOTA-4 [0-9.]+\n"), "\nTime C-JO-OOTA-4\n");
  CHECK(report ==
        "Test C-JO-OOTA-4 Allowed\nStates 3\n0:r1=0; 1:r1=0;\n0:r1=0; 1:r1=1;\n0:r1=1; 1:r1=0;\nNo\nWitnesses\n"
        "Positive: 0 Negative: 5\nFlag data-race\nCondition exists (0:r1=1 /\\ 1:r1=1)\n"
        "Observation C-JO-OOTA-4 Never 0 5\nTime C-JO-OOTA-4\nHash=26a9314ecd14605bb8cc997ddc0be5f0\n\n");
}

TEST_CASE("a dropped candidate does not hide a thin-air value that needs no equation", "[exec][oota]") {
  // LB through plain copies (herd-c-semantics.md §6): the copies are merged, nothing is left, the candidate counts.
  Session s = make_session(false, false);
  std::string lb = "C LB\n{}\nP0(int *x, int *y) {\n  int r0 = *x;\n  *y = r0;\n}\nP1(int *x, int *y) {\n"
                   "  int r1 = *y;\n  *x = r1;\n}\nexists (0:r0=0)\n";
  CHECK(counts(s, lb) == "3/1");
  // The same cycle through `r0 + 1`: herd cannot compute it, so the thin-air candidate is dropped.
  std::string lb1 = std::regex_replace(lb, std::regex("\\*y = r0;"), "*y = r0 + 1;");
  CHECK(counts(s, lb1) == "3/0");
  CHECK(counts(make_session(false, true), lb1) == "3/1");
}

TEST_CASE("a 5,000-deep parenthesised store value is a value, not a runaway macro", "[exec]") {
  // Found on public tests (issue 10): herd answers `Never 0 2`.
  std::string v = std::string(5000, '(') + "1";
  for (int k = 0; k < 5000; ++k) v += " + 1)";
  std::string text = "C deep\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, " + v + ");\n}\nP1(int *x) {\n"
                     "  int r0 = READ_ONCE(*x);\n}\nexists (1:r0=2)\n";
  Session s = make_session(false, false);
  TestOutcome o = s.run_text(text, "deep.litmus");
  INFO(o.error);
  CHECK(o.error.empty());
  CHECK(o.report.find("\n1:r0=5001;\n") != std::string::npos);
  CHECK(o.report.find("Observation deep Never 0 2\n") != std::string::npos);
}

TEST_CASE("the Z3 path (-speedcheck) follows herd's drop rule on every row of the variants table", "[exec][oota][smt]") {
  // The Z3 encoding has no drop rule: such programs (a value cycle) go to the explicit engine, so -speedcheck's
  // Ok/No is herd's (positive count > 0) with and without -variant oota.
  for (bool oota : {false, true}) {
    Config c;
    c.speedcheck = Config::Speedcheck::True;
    if (oota) c.variants.push_back("oota");
    Session s(c);
    for (const Row& r : rows) {
      std::string text = oota_test("v", r.p0, r.p1 ? r.p1 : r.p0, r.once);
      INFO(r.p0 << " | " << (r.p1 ? r.p1 : r.p0) << (r.once ? " (READ_ONCE)" : " (plain)") << (oota ? " oota" : ""));
      TestOutcome o = s.run_text(text, "oota.litmus");
      INFO(o.error);
      bool herd_ok = std::string(oota ? r.herd_oota : r.herd)[0] != '0';
      CHECK(o.report.find(herd_ok ? "\nOk\n" : "\nNo\n") != std::string::npos);
    }
  }
}

TEST_CASE("programs without a value cycle keep the Z3 path; a cycle is seen", "[exec][oota][smt]") {
  auto program = [](const std::string& text) {
    litmus::Test t = litmus::parse_test(text, "t.litmus");
    return events::build(t, program::expand(t, program::MacroTable::bundled()));
  };
  // MP with a data dependency: values flow one way only.
  CHECK_FALSE(events::may_leave_equations(program(
      "C MP\n{}\nP0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0); }\n"
      "P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); }\nexists (1:r1=1)\n")));
  // LB with data dependencies both ways: the out-of-thin-air shape.
  CHECK(events::may_leave_equations(program(
      "C LB\n{}\nP0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0); }\n"
      "P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1); }\nexists (0:r0=1)\n")));
  CHECK(events::may_leave_equations(program(oota_test("v", "(r3 + 1) & r2", "(r3 + 1) & r2", false))));
}
