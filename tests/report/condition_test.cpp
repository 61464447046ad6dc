#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "corpus.hpp"
#include "litmus/parse.hpp"
#include "report/condition.hpp"

using namespace paddock;
using namespace paddock::report;
using namespace paddock::report::testing;

namespace {

litmus::Test with_condition(const std::string& cond) {
  return litmus::parse_test("C T\n{}\nP0(int *x, int *y) {\n\tint r0;\n\tr0 = READ_ONCE(*x);\n}\n" + cond + "\n",
                            "T.litmus");
}

std::string echo(const std::string& cond) { return condition_text(with_condition(cond)); }

}  // namespace

TEST_CASE("condition: every Condition line of the corpus outputs", "[condition][corpus]") {
  auto cases = corpus_cases();
  if (cases.empty()) {
    WARN("corpus not found at /work/shared/corpus (set PADDOCK_CORPUS): skipping the corpus condition test");
    return;
  }
  size_t matched = 0, total = 0;
  std::vector<std::string> parse_errors;
  for (const auto& c : cases) {
    std::string expected = line_starting(c.output, "Condition ");
    if (expected.empty()) continue;
    ++total;
    INFO(c.name);
    std::string error;
    auto parsed = try_parse(c, error);
    if (!parsed) {
      FAIL_CHECK("parse error: " << error);
      parse_errors.push_back(c.name);
      continue;
    }
    const litmus::Test& t = *parsed;
    std::string got = "Condition " + condition_text(t);
    CHECK(got == expected);
    if (got == expected) ++matched;
  }
  WARN(fmt::format("condition: {}/{} corpus Condition lines matched; parse errors: {}", matched, total,
                   fmt::join(parse_errors, ", ")));
  CHECK(total >= 132);
}

TEST_CASE("condition: quantifiers and atoms", "[condition]") {
  CHECK(echo("exists (0:r0=1 /\\ x=1)") == "exists (0:r0=1 /\\ [x]=1)");
  CHECK(echo("~exists (0:r0=1)") == "~exists (0:r0=1)");
  CHECK(echo("forall (0:r0=1 \\/ 0:r0=0)") == "forall (0:r0=1 \\/ 0:r0=0)");
  CHECK(echo("") == "forall (true)");
  CHECK(echo("exists (x=0x10)") == "exists ([x]=16)");
  CHECK(echo("exists (0:r0==1)") == "exists (0:r0=1)");
  CHECK(echo("exists (0:r0!=1)") == "exists (not (0:r0=1))");
  CHECK(echo("exists (0:r0=-1)") == "exists (0:r0=-1)");
  CHECK(echo("exists (0:r0=y)") == "exists (0:r0=y)");
  CHECK(echo("exists ([x]=1)") == "exists ([x]=1)");
  CHECK(echo("exists (true)") == "exists (true)");
  CHECK(echo("exists (false \\/ x=1)") == "exists (false \\/ [x]=1)");
  CHECK(echo("exists (~x=1)") == "exists (not ([x]=1))");
  CHECK(echo("exists (~(x=1 /\\ y=1))") == "exists (not ([x]=1 /\\ [y]=1))");
}

TEST_CASE("condition: parentheses are re-derived", "[condition]") {
  // Same operator and /\ under \/: no parentheses, source ones lost.
  CHECK(echo("exists (0:r0=0 /\\ (x=1 /\\ x=1))") == "exists (0:r0=0 /\\ [x]=1 /\\ [x]=1)");
  CHECK(echo("exists ((x=1 \\/ y=1) \\/ 0:r0=1)") == "exists ([x]=1 \\/ [y]=1 \\/ 0:r0=1)");
  CHECK(echo("exists ((x=1 /\\ y=1) \\/ 0:r0=1)") == "exists ([x]=1 /\\ [y]=1 \\/ 0:r0=1)");
  CHECK(echo("exists (x=1 /\\ y=1 \\/ 0:r0=1)") == "exists ([x]=1 /\\ [y]=1 \\/ 0:r0=1)");
  // \/ under /\ keeps them.
  CHECK(echo("exists ((x=1 \\/ y=1) /\\ 0:r0=1)") == "exists (([x]=1 \\/ [y]=1) /\\ 0:r0=1)");
  // => binds tighter than /\ : a /\ b => c is a /\ (b => c).
  CHECK(echo("exists (x=1 /\\ y=1 => 0:r0=1)") == "exists ([x]=1 /\\ ([y]=1 => 0:r0=1))");
  CHECK(echo("exists (x=1 \\/ y=1 => 0:r0=1)") == "exists ([x]=1 \\/ ([y]=1 => 0:r0=1))");
  CHECK(echo("exists ((x=1 /\\ y=1) => 0:r0=1)") == "exists (([x]=1 /\\ [y]=1) => 0:r0=1)");
  CHECK(echo("exists (x=1 => (y=1 \\/ 0:r0=1))") == "exists ([x]=1 => ([y]=1 \\/ 0:r0=1))");
  CHECK(echo("exists (x=1 => y=1 => 0:r0=1)") == "exists ([x]=1 => [y]=1 => 0:r0=1)");
  // ~ binds tightest.
  CHECK(echo("exists (~x=1 /\\ y=1)") == "exists (not ([x]=1) /\\ [y]=1)");
  CHECK(echo("exists (0:r0=1 /\\ x!=2)") == "exists (0:r0=1 /\\ not ([x]=2))");
}

TEST_CASE("condition: displayed locations", "[condition]") {
  auto t = litmus::parse_test(
      "C T\n{}\nP0(int *x, int *y) {\n\tint r0;\n\tr0 = READ_ONCE(*x);\n}\n"
      "locations [y; 1:r0; x10; B]\nfilter (0:r5=0)\nexists (x2=1 /\\ 0:r10=0 /\\ 0:r2=1 /\\ y=2)\n",
      "T.litmus");
  std::vector<std::string> got;
  for (const auto& l : displayed_locations(t)) got.push_back(location_text(l));
  CHECK(got == std::vector<std::string>{"0:r10", "0:r2", "1:r0", "[B]", "[x10]", "[x2]", "[y]"});
}

TEST_CASE("condition: evaluation", "[condition]") {
  using events::Value;
  auto t = with_condition("exists (0:r0=1 /\\ x=y \\/ ~(y=2) => x!=z)");
  std::vector<std::string> names{"x", "y", "z"};
  auto displayed = displayed_locations(t);  // 0:r0, [x], [y]
  REQUIRE(displayed.size() == 3);
  auto holds = [&](Value r0, Value x, Value y) {
    return eval_prop(*t.condition, displayed, {r0, x, y}, names);
  };
  // 0:r0=1 /\ x=y  \/  (not (y=2) => not (x=z))
  CHECK(holds(Value::num(1), Value::addr(1), Value::num(2)));   // left disjunct
  CHECK(!holds(Value::num(0), Value::addr(2), Value::num(0)));  // y!=2 and x=z
  CHECK(holds(Value::num(0), Value::addr(2), Value::num(2)));   // y=2: implication holds
  CHECK(holds(Value::num(0), Value::num(5), Value::num(0)));    // x is no address
  CHECK(holds(Value::num(0), Value::unknown(), Value::num(2)));  // x thin-air, y=2
  auto t2 = with_condition("exists (0:r0=0)");
  CHECK(eval_prop(*t2.condition, [](const litmus::Location&) { return std::nullopt; }, names));  // unknown reads 0
  CHECK(!eval_prop(*t2.condition, displayed_locations(t2), {Value::unknown()}, names));
}
