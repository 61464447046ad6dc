// The relation operators behind cat's `;`, `+`, `*`, `?` and acyclic checks against straightforward versions
// over bool matrices, on random relations of sizes on both sides of the one-, two- and four-word row widths
// (each width has its own code) and past 256 events (where scratch moves off the stack).
#include <catch2/catch.hpp>

#include <random>

#include "cat/value.hpp"
#include "rel/relation.hpp"

using paddock::Relation;

namespace {
using Mat = std::vector<std::vector<char>>;
Mat to_mat(const Relation& r) {
  size_t n = r.universe();
  Mat m(n, std::vector<char>(n, 0));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) m[i][j] = r.test(i, j);
  return m;
}
Mat compose(const Mat& a, const Mat& b) {
  size_t n = a.size();
  Mat m(n, std::vector<char>(n, 0));
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < n; ++k)
      if (a[i][k])
        for (size_t j = 0; j < n; ++j) m[i][j] |= b[k][j];
  return m;
}
Mat plus(Mat m) {  // r+ by squaring until stable
  size_t n = m.size();
  for (;;) {
    Mat sq = compose(m, m), next = m;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) next[i][j] |= sq[i][j];
    if (next == m) return m;
    m = next;
  }
}
// Sparse as model relations are, with some empty rows and some dense ones.
Relation random_rel(size_t n, std::mt19937& g, double p) {
  std::bernoulli_distribution bit(p), empty_row(0.4), dense_row(0.05);
  Relation r(n);
  for (size_t i = 0; i < n; ++i) {
    if (empty_row(g)) continue;
    bool dense = dense_row(g);
    for (size_t j = 0; j < n; ++j)
      if (dense ? bit(g) || bit(g) || bit(g) : bit(g)) r.set(i, j);
  }
  return r;
}
Relation random_dag(size_t n, std::mt19937& g, double p) {  // edges only from lower to higher (permuted) events
  std::vector<size_t> perm(n);
  for (size_t i = 0; i < n; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), g);
  std::bernoulli_distribution bit(p);
  Relation r(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (bit(g)) r.set(perm[i], perm[j]);
  return r;
}
const size_t kSizes[] = {1, 2, 7, 63, 64, 65, 100, 127, 128, 129, 191, 200, 257, 300};
}  // namespace

TEST_CASE("cat relops: composition matches the bool-matrix product, one to five words per row") {
  std::mt19937 g(8);
  for (size_t n : kSizes)
    for (double p : {0.01, 0.05, 0.3})
      for (int rep = 0; rep < 3; ++rep) {
        Relation a = random_rel(n, g, p), b = random_rel(n, g, p);
        paddock::cat::Value v = paddock::cat::rel_compose(a, b);
        INFO("n=" << n << " p=" << p);
        REQUIRE(to_mat(v.as_rel()) == compose(to_mat(a), to_mat(b)));
      }
}

TEST_CASE("cat relops: composition into recycled storage leaves no bits of the previous value") {
  // The result's storage comes from dead values of the same size and is not cleared first: every word must be
  // written. A dense value is dropped, then an empty composition must come out empty.
  std::mt19937 g(9);
  for (size_t n : {60u, 72u, 150u}) {
    Relation full(n), none(n);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) full.set(i, j);
    { paddock::cat::Value dead = paddock::cat::rel_compose(full, full); }
    paddock::cat::Value v = paddock::cat::rel_compose(full, none);
    CHECK(v.as_rel().empty());
    { paddock::cat::Value dead = paddock::cat::rel_union(full, full); }
    v = paddock::cat::rel_compose(none, random_rel(n, g, 0.2));
    CHECK(v.as_rel().empty());
  }
}

TEST_CASE("cat relops: closures in place match the closure by squaring") {
  std::mt19937 g(10);
  for (size_t n : kSizes)
    for (double p : {0.005, 0.02, 0.1})
      for (int rep = 0; rep < 2; ++rep) {
        Relation r = random_rel(n, g, p);
        Mat want = plus(to_mat(r));
        INFO("n=" << n << " p=" << p);
        Relation c = r;
        c.close_transitively();
        REQUIRE(to_mat(c) == want);
        REQUIRE(to_mat(r.transitive_closure()) == want);
        for (size_t i = 0; i < n; ++i) want[i][i] = 1;
        REQUIRE(to_mat(r.reflexive_transitive_closure()) == want);
        Mat opt = to_mat(r);
        for (size_t i = 0; i < n; ++i) opt[i][i] = 1;
        Relation o = r;
        o.add_identity();
        REQUIRE(to_mat(o) == opt);
        REQUIRE(to_mat(r.optional()) == opt);
      }
}

TEST_CASE("cat relops: acyclic agrees with an irreflexive closure, on DAGs, DAGs plus one edge and random") {
  std::mt19937 g(11);
  auto reference = [](const Relation& r) {
    Mat c = plus(to_mat(r));
    for (size_t i = 0; i < c.size(); ++i)
      if (c[i][i]) return false;
    return true;
  };
  for (size_t n : kSizes)
    for (double p : {0.01, 0.05, 0.3})
      for (int rep = 0; rep < 3; ++rep) {
        INFO("n=" << n << " p=" << p << " rep=" << rep);
        Relation dag = random_dag(n, g, p);
        REQUIRE(dag.acyclic());
        // One edge more: a cycle exactly when its target reaches its source.
        std::uniform_int_distribution<size_t> ev(0, n - 1);
        Relation more = dag;
        more.set(ev(g), ev(g));
        REQUIRE(more.acyclic() == reference(more));
        Relation r = random_rel(n, g, p / 4);
        REQUIRE(r.acyclic() == reference(r));
        if (n > 1) {  // a chain through every event, closed at the end
          Relation chain(n);
          for (size_t i = 0; i + 1 < n; ++i) chain.set(i, i + 1);
          REQUIRE(chain.acyclic());
          chain.set(n - 1, 0);
          REQUIRE_FALSE(chain.acyclic());
        }
      }
}

TEST_CASE("cat relops: empty() sees a single bit anywhere") {
  for (size_t n : kSizes)
    for (size_t i = 0; i < n; i += 1 + n / 7)
      for (size_t j = 0; j < n; j += 1 + n / 5) {
        Relation r(n);
        REQUIRE(r.empty());
        r.set(i, j);
        REQUIRE_FALSE(r.empty());
      }
}
