// Symbolic event sets and relations: dense vectors / n x n matrices of Terms (0, 1 or a Z3 Boolean).
// An entry that is constant 0 is a pair that cannot be related in any execution of the structure
// (outside the may-set), so Z3 never sees it.
#pragma once
#include <vector>

#include "smt/terms.hpp"

namespace paddock::smt {

struct SSet {
  std::vector<T> v;
};
struct SRel {
  size_t n = 0;
  std::vector<T> m;  // row-major
  T at(size_t i, size_t j) const { return m[i * n + j]; }
  T& at(size_t i, size_t j) { return m[i * n + j]; }
};

class Alg {
 public:
  Alg(Terms& t, size_t n) : t_(t), n_(n) {}
  size_t n() const { return n_; }
  Terms& terms() { return t_; }

  SSet empty_set() const { return SSet{std::vector<T>(n_, F0)}; }
  SSet full_set() const { return SSet{std::vector<T>(n_, T1)}; }
  SRel empty_rel() const { return SRel{n_, std::vector<T>(n_ * n_, F0)}; }
  SRel identity() const {
    SRel r = empty_rel();
    for (size_t i = 0; i < n_; ++i) r.at(i, i) = T1;
    return r;
  }
  SRel id_on(const SSet& s) const {
    SRel r = empty_rel();
    for (size_t i = 0; i < n_; ++i) r.at(i, i) = s.v[i];
    return r;
  }

  template <class Fn>
  SSet map2(const SSet& a, const SSet& b, Fn f) {
    SSet r = empty_set();
    for (size_t i = 0; i < n_; ++i) r.v[i] = f(a.v[i], b.v[i]);
    return r;
  }
  template <class Fn>
  SRel map2(const SRel& a, const SRel& b, Fn f) {
    SRel r = empty_rel();
    for (size_t i = 0; i < n_ * n_; ++i) r.m[i] = f(a.m[i], b.m[i]);
    return r;
  }
  SSet unite(const SSet& a, const SSet& b) { return map2(a, b, [&](T x, T y) { return t_.or2(x, y); }); }
  SSet inter(const SSet& a, const SSet& b) { return map2(a, b, [&](T x, T y) { return t_.and2(x, y); }); }
  SSet diff(const SSet& a, const SSet& b) {
    return map2(a, b, [&](T x, T y) { return x == F0 ? F0 : t_.and2(x, t_.not1(y)); });
  }
  SRel unite(const SRel& a, const SRel& b) { return map2(a, b, [&](T x, T y) { return t_.or2(x, y); }); }
  SRel inter(const SRel& a, const SRel& b) { return map2(a, b, [&](T x, T y) { return t_.and2(x, y); }); }
  SRel diff(const SRel& a, const SRel& b) {
    return map2(a, b, [&](T x, T y) { return x == F0 ? F0 : t_.and2(x, t_.not1(y)); });
  }
  SSet complement(const SSet& a) {
    SSet r = a;
    for (auto& x : r.v) x = t_.not1(x);
    return r;
  }
  SRel complement(const SRel& a) {
    SRel r = a;
    for (auto& x : r.m) x = t_.not1(x);
    return r;
  }
  SRel inverse(const SRel& a) {
    SRel r = empty_rel();
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = 0; j < n_; ++j) r.at(j, i) = a.at(i, j);
    return r;
  }
  SRel cross(const SSet& a, const SSet& b) {
    SRel r = empty_rel();
    for (size_t i = 0; i < n_; ++i)
      if (a.v[i] != F0)
        for (size_t j = 0; j < n_; ++j) r.at(i, j) = t_.and2(a.v[i], b.v[j]);
    return r;
  }
  SRel optional(const SRel& a) {
    SRel r = a;
    for (size_t i = 0; i < n_; ++i) r.at(i, i) = T1;
    return r;
  }
  SSet domain(const SRel& a) {
    SSet r = empty_set();
    std::vector<T> acc;
    for (size_t i = 0; i < n_; ++i) {
      acc.assign(a.m.begin() + long(i * n_), a.m.begin() + long((i + 1) * n_));
      r.v[i] = t_.orN(acc);
    }
    return r;
  }
  SSet range(const SRel& a) { return domain(inverse(a)); }

  SRel compose(const SRel& a, const SRel& b) {
    SRel r = empty_rel();
    // Nonzero columns of each row of b.
    std::vector<std::vector<uint32_t>> nzb(n_);
    for (size_t k = 0; k < n_; ++k)
      for (size_t j = 0; j < n_; ++j)
        if (b.at(k, j) != F0) nzb[k].push_back(uint32_t(j));
    std::vector<std::vector<T>> acc(n_);
    std::vector<char> done(n_);
    for (size_t i = 0; i < n_; ++i) {
      bool any = false;
      for (size_t k = 0; k < n_; ++k) {
        T x = a.at(i, k);
        if (x == F0) continue;
        for (uint32_t j : nzb[k]) {
          if (done[j]) continue;
          T y = b.at(k, j);
          if (x == T1 && y == T1) {
            done[j] = 1;
            acc[j].clear();
            r.at(i, j) = T1;
            continue;
          }
          acc[j].push_back(t_.and2(x, y));
          any = true;
        }
      }
      for (size_t j = 0; j < n_; ++j) {
        if (!done[j] && any && !acc[j].empty()) r.at(i, j) = t_.orN(acc[j]);
        acc[j].clear();
        done[j] = 0;
      }
    }
    return r;
  }

  // Transitive closure by Warshall's algorithm, a fixed Boolean circuit valid in every execution.
  SRel plus(const SRel& a) {
    SRel c = a;
    std::vector<uint32_t> rows, cols;
    for (size_t k = 0; k < n_; ++k) {
      rows.clear();
      cols.clear();
      for (size_t i = 0; i < n_; ++i)
        if (c.at(i, k) != F0) rows.push_back(uint32_t(i));
      if (rows.empty()) continue;
      for (size_t j = 0; j < n_; ++j)
        if (c.at(k, j) != F0) cols.push_back(uint32_t(j));
      for (uint32_t i : rows) {
        T ik = c.at(i, k);
        for (uint32_t j : cols) {
          T& ij = c.at(i, j);
          if (ij == T1) continue;
          ij = t_.or2(ij, t_.and2(ik, c.at(k, j)));
        }
      }
    }
    return c;
  }
  SRel star(const SRel& a) { return optional(plus(a)); }

  bool is_constant(const SRel& a) const {
    for (T x : a.m)
      if (x > T1) return false;
    return true;
  }
  bool is_constant(const SSet& a) const {
    for (T x : a.v)
      if (x > T1) return false;
    return true;
  }

 private:
  Terms& t_;
  size_t n_;
};

}  // namespace paddock::smt
