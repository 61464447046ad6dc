// Outcome::inspect: what graphs and explanations read from one execution.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace cat_test;

namespace {
// SB: IW x (0), IW y (1); P0: W x=1 (2), R y (3); P1: W y=1 (4), R x (5).
cat::Candidate sb(size_t ry_from, size_t rx_from) {
  auto c = build({{-1, 0, 'I'}, {-1, 1, 'I'}, {0, 0, 'W', 1}, {0, 1, 'R'}, {1, 1, 'W', 1}, {1, 0, 'R'}});
  c.rels["rf"] = rel_of(6, {{ry_from, 3}, {rx_from, 5}});
  return c;
}

struct Seen {
  bool allowed = false;
  std::optional<cat::FailedCheck> failed;
  std::optional<Relation> fr, later, w;
};

Seen inspect(const cat::Model& m, const cat::Candidate& c) {
  Seen s;
  size_t n = cat::evaluate(m, c, [&](const cat::Outcome& o) {
    REQUIRE(o.inspect != nullptr);
    s.allowed = o.allowed;
    s.failed = o.inspect->failed();
    s.fr = o.inspect->relation("fr");
    s.later = o.inspect->relation("later");
    s.w = o.inspect->relation("WW");
  });
  REQUIRE(n == 1);
  return s;
}
}  // namespace

TEST_CASE("inspect: the failed check's relation and the names bound before it") {
  auto m = model("include \"cos.cat\"\nlet WW = W\nacyclic po | rf | co | fr as sc\nlet later = po\n");
  Seen s = inspect(*m, sb(1, 0));  // both reads from the init writes: forbidden by sc
  CHECK_FALSE(s.allowed);
  REQUIRE(s.failed);
  CHECK(s.failed->name == "sc");
  CHECK(s.failed->test == "acyclic");
  CHECK_FALSE(s.failed->negated);
  CHECK(s.failed->pos.find("test.cat:3:") != std::string::npos);
  // The tested relation holds the cycle 2 -po-> 3 -fr-> 4 -po-> 5 -fr-> 2.
  CHECK(s.failed->rel.test(2, 3));
  CHECK(s.failed->rel.test(3, 4));
  CHECK(s.failed->rel.test(4, 5));
  CHECK(s.failed->rel.test(5, 2));
  CHECK_FALSE(s.failed->rel.acyclic());
  REQUIRE(s.fr);
  CHECK(s.fr->test(3, 4));
  CHECK(s.fr->test(5, 2));
  CHECK_FALSE(s.fr->test(2, 3));
  REQUIRE(s.w);  // a set is given as its identity relation
  CHECK(s.w->test(2, 2));
  CHECK_FALSE(s.w->test(3, 3));
  CHECK_FALSE(s.later);  // bound after the check that stopped the execution
}

TEST_CASE("inspect: an allowed execution has no failed check and sees every name") {
  auto m = model("include \"cos.cat\"\nlet WW = W\nacyclic po | rf | co | fr as sc\nlet later = po\n");
  Seen s = inspect(*m, sb(4, 2));
  CHECK(s.allowed);
  CHECK_FALSE(s.failed);
  REQUIRE(s.later);
  CHECK(s.later->test(2, 3));
}

TEST_CASE("inspect: an empty check gives the non-empty relation") {
  auto m = model("include \"cos.cat\"\nempty rf & (W * R) & ext as noext\n");
  Seen s = inspect(*m, sb(4, 2));
  CHECK_FALSE(s.allowed);
  REQUIRE(s.failed);
  CHECK(s.failed->test == "empty");
  CHECK(s.failed->rel.test(4, 3));
  CHECK(s.failed->rel.test(2, 5));
}
