#include <catch2/catch.hpp>

#include <random>

#include "rel/relation.hpp"

using paddock::EventSet;
using paddock::Relation;

namespace {
// Naive reference implementations over bool matrices.
using Mat = std::vector<std::vector<bool>>;
Mat to_mat(const Relation& r) {
  size_t n = r.universe();
  Mat m(n, std::vector<bool>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) m[i][j] = r.test(i, j);
  return m;
}
Mat naive_compose(const Mat& a, const Mat& b) {
  size_t n = a.size();
  Mat m(n, std::vector<bool>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < n; ++k)
      if (a[i][k])
        for (size_t j = 0; j < n; ++j)
          if (b[k][j]) m[i][j] = true;
  return m;
}
Mat naive_closure(Mat m) {
  size_t n = m.size();
  for (;;) {
    Mat next = m;
    Mat sq = naive_compose(m, m);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) next[i][j] = m[i][j] || sq[i][j];
    if (next == m) return m;
    m = next;
  }
}
Relation random_rel(size_t n, double p, std::mt19937& g) {
  std::bernoulli_distribution d(p);
  Relation r(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      if (d(g)) r.set(i, j);
  return r;
}
}  // namespace

TEST_CASE("EventSet basics") {
  for (size_t n : {0u, 1u, 5u, 63u, 64u, 65u, 130u}) {
    EventSet a(n), f = EventSet::full(n);
    CHECK(a.empty());
    CHECK(a.universe() == n);
    CHECK(f.count() == n);
    CHECK(f.complement().empty());
    CHECK(a.complement() == f);
    if (n >= 3) {
      a.set(0);
      a.set(n - 1);
      CHECK(a.count() == 2);
      CHECK(a.test(n - 1));
      CHECK_FALSE(a.test(1));
      EventSet b(n);
      b.set(n - 1);
      b.set(1);
      CHECK((a | b).count() == 3);
      CHECK((a & b).count() == 1);
      CHECK((a - b).elements() == std::vector<size_t>{0});
      CHECK(a.complement().count() == n - 2);
      std::vector<size_t> seen;
      (a | b).for_each([&](size_t i) { seen.push_back(i); });
      CHECK(seen == std::vector<size_t>{0, 1, n - 1});
      a.set(0, false);
      CHECK(a.count() == 1);
    }
  }
}

TEST_CASE("Relation constructors and set algebra") {
  for (size_t n : {4u, 64u, 70u}) {
    EventSet a(n), b(n);
    a.set(0);
    a.set(2);
    b.set(1);
    b.set(n - 1);
    Relation c = Relation::cross(a, b);
    CHECK(c.count() == 4);
    CHECK(c.test(2, n - 1));
    CHECK_FALSE(c.test(1, 0));
    CHECK(c.domain() == a);
    CHECK(c.range() == b);
    CHECK(Relation::identity(n).count() == n);
    CHECK(Relation::id_on(a).count() == 2);
    CHECK(Relation::id_on(a).test(2, 2));
    CHECK(c.inverse().test(n - 1, 2));
    CHECK(c.complement().count() == n * n - 4);
    CHECK((c | c.inverse()).count() == 8);
    CHECK((c & c.inverse()).empty());
    CHECK((c - Relation::cross(a, a)) == c);
    CHECK(Relation::identity(n).irreflexive() == false);
    CHECK(c.irreflexive());
    std::vector<std::pair<size_t, size_t>> ps;
    c.for_each([&](size_t i, size_t j) { ps.emplace_back(i, j); });
    CHECK(ps.front() == std::make_pair(size_t(0), size_t(1)));
    CHECK(ps.back() == std::make_pair(size_t(2), n - 1));
    CHECK(c.restrict(EventSet::singleton(n, 2), EventSet::full(n)).count() == 2);
  }
}

TEST_CASE("compose and closures match a naive reference") {
  std::mt19937 g(42);
  for (size_t n : {1u, 7u, 40u, 64u, 65u, 150u}) {
    for (double p : {0.02, 0.1, 0.3}) {
      Relation r = random_rel(n, p, g), s = random_rel(n, p, g);
      CHECK(to_mat(r.compose(s)) == naive_compose(to_mat(r), to_mat(s)));
      Relation tc = r.transitive_closure();
      CHECK(to_mat(tc) == naive_closure(to_mat(r)));
      CHECK(r.reflexive_transitive_closure() == (tc | Relation::identity(n)));
      CHECK(r.optional() == (r | Relation::identity(n)));
      // acyclic iff the closure is irreflexive
      CHECK(r.acyclic() == tc.irreflexive());
      CHECK(r.inverse().inverse() == r);
    }
  }
}

TEST_CASE("acyclic on chains, cycles and DAGs of various sizes") {
  for (size_t n : {2u, 10u, 64u, 65u, 300u}) {
    Relation chain(n);
    for (size_t i = 0; i + 1 < n; ++i) chain.set(i, i + 1);
    CHECK(chain.acyclic());
    CHECK(chain.transitive_closure().count() == n * (n - 1) / 2);
    auto order = chain.topological_order();
    REQUIRE(order.size() == n);
    CHECK(order.front() == 0);
    Relation cyc = chain;
    cyc.set(n - 1, 0);
    CHECK_FALSE(cyc.acyclic());
    CHECK(cyc.topological_order().empty());
    CHECK(cyc.transitive_closure().count() == n * n);
    Relation self(n);
    self.set(n / 2, n / 2);
    CHECK_FALSE(self.acyclic());
    CHECK(Relation(n).acyclic());
  }
}

TEST_CASE("row, column, set_row") {
  Relation r(70);
  r.set(3, 69);
  r.set(3, 1);
  r.set(5, 69);
  CHECK(r.row(3).elements() == std::vector<size_t>{1, 69});
  CHECK(r.column(69).elements() == std::vector<size_t>{3, 5});
  r.set_row(3, EventSet(70));
  CHECK(r.count() == 1);
  CHECK(r.to_string() == "{(5,69)}");
}
