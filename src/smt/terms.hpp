// Boolean terms of the Z3 encoding, numbered: 0 is false, 1 is true, every other number names an
// interned Z3 expression. Constant folding happens here, so a relation whose entries are all 0/1 is
// a plain (program-only) bit-matrix and costs Z3 nothing; Z3 is only touched for entries that
// depend on the execution (rf, co, values, choices).
#pragma once
#include <z3++.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace paddock::smt {

using T = int32_t;
constexpr T F0 = 0, T1 = 1;

class Terms {
 public:
  explicit Terms(z3::context& c) : ctx(c) {
    table_.push_back(c.bool_val(false));
    table_.push_back(c.bool_val(true));
  }
  z3::context& ctx;

  const z3::expr& ex(T t) const { return table_[size_t(t)]; }

  T intern(const z3::expr& e) {
    if (e.is_true()) return T1;
    if (e.is_false()) return F0;
    unsigned id = e.id();
    auto it = by_ast_.find(id);
    if (it != by_ast_.end()) return it->second;
    T t = T(table_.size());
    table_.push_back(e);
    by_ast_.emplace(id, t);
    return t;
  }

  T fresh(const std::string& prefix) { return intern(ctx.bool_const((prefix + "!" + std::to_string(counter_++)).c_str())); }
  z3::expr fresh_int(const std::string& prefix) { return ctx.int_const((prefix + "!" + std::to_string(counter_++)).c_str()); }
  z3::expr fresh_bv(const std::string& prefix, unsigned w) {
    return ctx.bv_const((prefix + "!" + std::to_string(counter_++)).c_str(), w);
  }

  T not1(T a) {
    if (a == F0) return T1;
    if (a == T1) return F0;
    auto it = not_cache_.find(a);
    if (it != not_cache_.end()) return it->second;
    T r = intern(!ex(a));
    not_cache_.emplace(a, r);
    return r;
  }
  T and2(T a, T b) {
    if (a == F0 || b == F0) return F0;
    if (a == T1) return b;
    if (b == T1 || a == b) return a;
    if (a > b) std::swap(a, b);
    uint64_t key = (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
    auto it = and_cache_.find(key);
    if (it != and_cache_.end()) return it->second;
    T r = intern(ex(a) && ex(b));
    and_cache_.emplace(key, r);
    return r;
  }
  T or2(T a, T b) {
    if (a == T1 || b == T1) return T1;
    if (a == F0) return b;
    if (b == F0 || a == b) return a;
    if (a > b) std::swap(a, b);
    uint64_t key = (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
    auto it = or_cache_.find(key);
    if (it != or_cache_.end()) return it->second;
    T r = intern(ex(a) || ex(b));
    or_cache_.emplace(key, r);
    return r;
  }
  // Disjunction of a list (consumed).
  T orN(std::vector<T>& xs) {
    size_t k = 0;
    for (T x : xs) {
      if (x == T1) return T1;
      if (x != F0) xs[k++] = x;
    }
    xs.resize(k);
    if (k == 0) return F0;
    if (k == 1) return xs[0];
    if (k == 2) return or2(xs[0], xs[1]);
    z3::expr_vector v(ctx);
    for (T x : xs) v.push_back(ex(x));
    return intern(z3::mk_or(v));
  }
  T andN(std::vector<T>& xs) {
    size_t k = 0;
    for (T x : xs) {
      if (x == F0) return F0;
      if (x != T1) xs[k++] = x;
    }
    xs.resize(k);
    if (k == 0) return T1;
    if (k == 1) return xs[0];
    if (k == 2) return and2(xs[0], xs[1]);
    z3::expr_vector v(ctx);
    for (T x : xs) v.push_back(ex(x));
    return intern(z3::mk_and(v));
  }
  T implies(T a, T b) { return or2(not1(a), b); }
  T iff(T a, T b) {
    if (a == b) return T1;
    if (a == T1) return b;
    if (b == T1) return a;
    if (a == F0) return not1(b);
    if (b == F0) return not1(a);
    return intern(ex(a) == ex(b));
  }
  size_t size() const { return table_.size(); }

 private:
  std::vector<z3::expr> table_;
  std::unordered_map<unsigned, T> by_ast_;
  std::unordered_map<T, T> not_cache_;
  std::unordered_map<uint64_t, T> and_cache_, or_cache_;
  uint64_t counter_ = 0;
};

}  // namespace paddock::smt
