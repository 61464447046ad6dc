#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "corpus.hpp"
#include "doc_tests.hpp"
#include "litmus/parse.hpp"
#include "report/condition.hpp"
#include "report/herd_text.hpp"

using namespace paddock;
using namespace paddock::report;
using namespace paddock::report::testing;
using events::Value;

namespace {

litmus::Test parse(const std::string& text) { return litmus::parse_test(text, "test.litmus"); }

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Every global name of a test: init entries, thread parameters, condition/locations globals, plus extra.
std::vector<std::string> global_names(const litmus::Test& t, const std::vector<std::string>& extra = {}) {
  std::set<std::string> s(extra.begin(), extra.end());
  for (const auto& e : t.init)
    if (e.thread < 0) s.insert(e.name);
  for (const auto& th : t.threads)
    for (const auto& p : th.params) s.insert(p.name);
  for (const auto& l : displayed_locations(t))
    if (l.thread < 0) s.insert(l.name);
  return {s.begin(), s.end()};
}

// Rebuilds the engine's Result from one herd7 output (the inverse of herd_report), so the report can be
// compared with the whole text. Values: integers, `S<n>` thin-air values, names as addresses.
struct Rebuilt {
  exec::Result result;
  std::vector<std::string> names;
};

Rebuilt rebuild(const litmus::Test& t, const std::string& output) {
  Rebuilt r;
  r.result.displayed = displayed_locations(t);
  auto lines = split_lines(output);
  size_t i = 0;
  auto n_states = std::stoul(lines.at(1).substr(7));
  std::vector<std::vector<std::string>> texts;
  std::set<std::string> addr_names;
  for (i = 2; i < 2 + n_states; ++i) {
    std::vector<std::string> vals;
    std::istringstream in(lines.at(i));
    std::string binding;
    while (in >> binding) {
      auto eq = binding.find('=');
      std::string v = binding.substr(eq + 1, binding.size() - eq - 2);  // drop the ';'
      vals.push_back(v);
      bool number = !v.empty() && (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-');
      bool thin_air = v.size() > 1 && v[0] == 'S' && std::all_of(v.begin() + 1, v.end(), ::isdigit);
      if (!number && !thin_air) addr_names.insert(v);
    }
    texts.push_back(vals);
  }
  r.names = global_names(t, {addr_names.begin(), addr_names.end()});
  for (const auto& vals : texts) {
    exec::State s;
    for (const auto& v : vals) {
      if (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-')
        s.push_back(Value::num(std::stoll(v)));
      else if (v[0] == 'S' && v.size() > 1 && std::all_of(v.begin() + 1, v.end(), ::isdigit))
        s.push_back({Value::Kind::Unknown, std::stoll(v.substr(1))});
      else
        s.push_back(Value::addr(int(std::find(r.names.begin(), r.names.end(), v) - r.names.begin())));
    }
    r.result.states.insert(s);
  }
  r.result.loop = lines.at(i).rfind("Loop ", 0) == 0;
  unsigned long long p = 0, n = 0;
  std::sscanf(lines.at(i + 2).c_str(), "Positive: %llu Negative: %llu", &p, &n);
  bool swapped = t.condition && t.quantifier == litmus::Quantifier::NotExists;
  r.result.positive = swapped ? n : p;
  r.result.negative = swapped ? p : n;
  for (size_t k = i + 3; k < lines.size() && lines[k].rfind("Flag ", 0) == 0; ++k)
    r.result.flags.insert(lines[k].substr(5));
  return r;
}

}  // namespace

TEST_CASE("text: C-peterz, as quoted in seed 001", "[report]") {
  litmus::Test t = parse(kPeterz);
  exec::Result r;
  r.displayed = displayed_locations(t);  // 0:r1 2:r1 2:r2
  // Insert in a scrambled order (the report sorts): every (0:r1, 2:r1, 2:r2) but the condition's 0,1,0.
  for (int k : {6, 0, 5, 3, 1, 4, 7, 2}) {
    if (k == 2) continue;
    r.states.insert({Value::num((k >> 2) & 1), Value::num((k >> 1) & 1), Value::num(k & 1)});
  }
  // herd's 7 states: all of {0,1}^3 but 0:r1=0; 2:r1=1; 2:r2=0 (the condition itself).
  REQUIRE(r.states.size() == 7);
  r.positive = 0;
  r.negative = 7;
  r.seconds = 0.01;
  CHECK(herd_report(t, r, {"x", "y", "z"}) == kPeterzOutput);
}

TEST_CASE("text: every corpus output, rebuilt from its own states and counts", "[report][corpus]") {
  auto cases = corpus_cases();
  if (cases.empty()) {
    WARN("corpus not found at /work/shared/corpus (set PADDOCK_CORPUS): skipping the corpus report test");
    return;
  }
  size_t matched = 0;
  std::vector<std::string> parse_errors;
  for (const auto& c : cases) {
    INFO(c.name);
    std::string error;
    auto parsed = try_parse(c, error);
    if (!parsed) {
      FAIL_CHECK("parse error: " << error);
      parse_errors.push_back(c.name);
      continue;
    }
    const litmus::Test& t = *parsed;
    Rebuilt rb = rebuild(t, c.output);
    std::string got = herd_report(t, rb.result, rb.names, ReportOptions{false});
    CHECK(got == c.output);
    if (got == c.output) ++matched;
  }
  WARN(fmt::format("report: {}/{} corpus outputs reproduced; parse errors: {}", matched, cases.size(),
                   fmt::join(parse_errors, ", ")));
}

TEST_CASE("text: quantifiers, zero executions, no condition", "[report]") {
  const std::string sb =
      "C kprobe\n{}\nP0(int *x, int *y) {\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n\tr0 = READ_ONCE(*y);\n}\n"
      "P1(int *x, int *y) {\n\tint r0;\n\tWRITE_ONCE(*y, 1);\n\tr0 = READ_ONCE(*x);\n}\n";
  auto make = [&](const std::string& q) { return parse(sb + q + " (0:r0=0 /\\ 1:r0=0)\n"); };
  exec::Result r;
  r.positive = 1;
  r.negative = 3;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) r.states.insert({Value::num(a), Value::num(b)});
  r.displayed = displayed_locations(make("exists"));
  std::vector<std::string> names{"x", "y"};
  ReportOptions no_time{false};

  auto lines = [&](const litmus::Test& t, const exec::Result& res) {
    return split_lines(herd_report(t, res, names, no_time));
  };
  auto ex = lines(make("exists"), r);
  CHECK(ex[0] == "Test kprobe Allowed");
  CHECK(ex[2] == "0:r0=0; 1:r0=0;");
  CHECK(ex[6] == "Ok");
  CHECK(ex[8] == "Positive: 1 Negative: 3");
  CHECK(ex[10] == "Observation kprobe Sometimes 1 3");
  auto nx = lines(make("~exists"), r);
  CHECK(nx[0] == "Test kprobe Forbidden");
  CHECK(nx[6] == "No");
  CHECK(nx[8] == "Positive: 3 Negative: 1");
  CHECK(nx[9] == "Condition ~exists (0:r0=0 /\\ 1:r0=0)");
  CHECK(nx[10] == "Observation kprobe Sometimes 1 3");
  auto fa = lines(make("forall"), r);
  CHECK(fa[0] == "Test kprobe Required");
  CHECK(fa[6] == "No");
  CHECK(fa[8] == "Positive: 1 Negative: 3");
  // The hash does not depend on the quantifier.
  CHECK(ex.back() == nx.back());
  CHECK(ex.back() == fa.back());

  // Zero executions: States 0, Never 0 0, No for exists, Ok for ~exists and forall.
  exec::Result none;
  none.displayed = r.displayed;
  auto z = lines(make("exists"), none);
  CHECK(z[1] == "States 0");
  CHECK(z[2] == "No");
  CHECK(z[4] == "Positive: 0 Negative: 0");
  CHECK(z[6] == "Observation kprobe Never 0 0");
  CHECK(lines(make("~exists"), none)[2] == "Ok");
  CHECK(lines(make("forall"), none)[2] == "Ok");

  // No condition, no locations: one empty state line, forall (true), Required, Always.
  litmus::Test nc = parse(sb);
  exec::Result one;
  one.states.insert(exec::State{});
  one.positive = 4;
  std::string text = herd_report(nc, one, names, no_time);
  INFO(text);
  CHECK(text.rfind("Test kprobe Required\nStates 1\n\nOk\nWitnesses\nPositive: 4 Negative: 0\n"
                   "Condition forall (true)\nObservation kprobe Always 4 0\nHash=",
                   0) == 0);
  CHECK(text.size() >= 2);
  CHECK(text.substr(text.size() - 2) == "\n\n");
}

TEST_CASE("text: binding and line order, values, flags, loop, time, name", "[report]") {
  litmus::Test t = parse(
      "C odd.litmus\n{ int *p=&x; }\nP0(int *x, int *a, int **p) {\n\tint r10;\n\tint r2;\n\tr2 = READ_ONCE(*x);\n}\n"
      "locations [x10; B; x2]\nexists (0:r2=0 /\\ 0:r10=1 /\\ p=x)\n");
  std::vector<std::string> names{"B", "a", "p", "x", "x10", "x2"};
  exec::Result r;
  // Deliberately given in a non-herd order; the report reorders bindings and lines.
  auto loc = [](int thread, const char* name) {
    litmus::Location l;
    l.thread = thread, l.name = name;
    return l;
  };
  r.displayed = {loc(-1, "x2"), loc(0, "r2"), loc(-1, "p"), loc(0, "r10"), loc(-1, "B"), loc(-1, "x10")};
  auto st = [](Value x2, Value r2, Value p, Value r10) {
    return exec::State{x2, r2, p, r10, Value::num(0), Value::num(0)};
  };
  r.states.insert(st(Value::num(1), Value::num(0), Value::addr(3), Value::num(2)));
  r.states.insert(st(Value::num(1), Value::num(0), Value::addr(1), Value::num(2)));
  r.states.insert(st(Value::num(1), Value::num(0), Value::addr(3), Value::num(-1)));
  r.states.insert(st(Value::num(1), Value::num(-3), Value::addr(3), Value::num(-1)));
  r.states.insert(st(Value::num(1), Value::num(0), Value::num(7), Value::num(2)));
  r.states.insert(st(Value::num(1), Value::num(0), Value::addr(3), {Value::Kind::Unknown, 8}));
  r.positive = 0;
  r.negative = 6;
  r.flags = {"mixed-accesses", "data-race"};
  r.loop = true;
  r.seconds = 0.126;
  auto lines = split_lines(herd_report(t, r, names));
  REQUIRE(lines.size() == 18);
  CHECK(lines[0] == "Test odd Allowed");
  CHECK(lines[1] == "States 6");
  CHECK(lines[2] == "0:r10=S8; 0:r2=0; [B]=0; [p]=x; [x10]=0; [x2]=1;");
  CHECK(lines[3] == "0:r10=-1; 0:r2=-3; [B]=0; [p]=x; [x10]=0; [x2]=1;");
  CHECK(lines[4] == "0:r10=-1; 0:r2=0; [B]=0; [p]=x; [x10]=0; [x2]=1;");
  CHECK(lines[5] == "0:r10=2; 0:r2=0; [B]=0; [p]=7; [x10]=0; [x2]=1;");
  CHECK(lines[6] == "0:r10=2; 0:r2=0; [B]=0; [p]=a; [x10]=0; [x2]=1;");
  CHECK(lines[7] == "0:r10=2; 0:r2=0; [B]=0; [p]=x; [x10]=0; [x2]=1;");
  CHECK(lines[8] == "Loop No");
  CHECK(lines[9] == "Witnesses");
  CHECK(lines[10] == "Positive: 0 Negative: 6");
  CHECK(lines[11] == "Flag data-race");
  CHECK(lines[12] == "Flag mixed-accesses");
  CHECK(lines[13] == "Condition exists (0:r2=0 /\\ 0:r10=1 /\\ [p]=x)");
  CHECK(lines[14] == "Observation odd Never 0 6");
  CHECK(lines[15] == "Time odd 0.13");
  CHECK(lines[16].rfind("Hash=", 0) == 0);
  CHECK(lines[16].size() == 5 + 32);
  CHECK(lines[17] == "");
}
