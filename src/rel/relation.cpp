#include "rel/relation.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace paddock {

namespace detail {
namespace {
// Free blocks by size in 64-byte classes up to 64 KiB; at most kKeep blocks are kept per class.
constexpr size_t kClass = 64, kClasses = 1024, kKeep = 512;
// 0: not made yet, 1: alive, 2: destroyed. Constant-initialised, so it stays readable while the thread's other
// thread_locals (the evaluator's cache, holding relations) are destroyed after the lists.
thread_local int t_lists_state = 0;
struct FreeLists {
  std::vector<void*> lists[kClasses];
  FreeLists() { t_lists_state = 1; }
  ~FreeLists() {
    t_lists_state = 2;
    for (auto& l : lists)
      for (void* p : l) ::operator delete(p);
  }
};
thread_local FreeLists t_free;
size_t size_class(size_t bytes) { return (bytes + kClass - 1) / kClass; }
}  // namespace

void* words_allocate(size_t bytes) {
  size_t c = size_class(bytes);
  if (c == 0 || c >= kClasses) return ::operator new(bytes);
  if (t_lists_state == 2) return ::operator new(c * kClass);
  auto& l = t_free.lists[c];
  if (!l.empty()) {
    void* p = l.back();
    l.pop_back();
    return p;
  }
  return ::operator new(c * kClass);
}

void words_deallocate(void* p, size_t bytes) noexcept {
  size_t c = size_class(bytes);
  if (c == 0 || c >= kClasses || t_lists_state != 1) return ::operator delete(p);
  auto& l = t_free.lists[c];
  if (l.size() >= kKeep) return ::operator delete(p);
  try {
    l.push_back(p);
  } catch (...) {
    ::operator delete(p);
  }
}
}  // namespace detail


namespace {
inline uint64_t last_mask(size_t n) {
  size_t r = n & 63;
  return r == 0 ? ~uint64_t(0) : (uint64_t(1) << r) - 1;
}
inline void check_same(size_t a, size_t b) {
  if (a != b) throw std::logic_error("paddock::rel: universes differ");
}
}  // namespace

// ---------------------------------------------------------------- EventSet

EventSet EventSet::full(size_t n) {
  EventSet s(n);
  for (auto& w : s.w_) w = ~uint64_t(0);
  s.trim();
  return s;
}

EventSet EventSet::singleton(size_t n, size_t i) {
  EventSet s(n);
  s.set(i);
  return s;
}

void EventSet::trim() {
  if (!w_.empty()) w_.back() &= last_mask(n_);
}

size_t EventSet::count() const {
  size_t c = 0;
  for (auto w : w_) c += size_t(bits::popcount(w));
  return c;
}

bool EventSet::empty() const {
  for (auto w : w_)
    if (w) return false;
  return true;
}

bool EventSet::operator<(const EventSet& o) const {
  if (n_ != o.n_) return n_ < o.n_;
  return w_ < o.w_;
}

bool EventSet::subset_of(const EventSet& o) const {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k)
    if (w_[k] & ~o.w_[k]) return false;
  return true;
}

bool EventSet::intersects(const EventSet& o) const {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k)
    if (w_[k] & o.w_[k]) return true;
  return false;
}

EventSet& EventSet::operator|=(const EventSet& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] |= o.w_[k];
  return *this;
}
EventSet& EventSet::operator&=(const EventSet& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] &= o.w_[k];
  return *this;
}
EventSet& EventSet::operator-=(const EventSet& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] &= ~o.w_[k];
  return *this;
}
EventSet EventSet::operator|(const EventSet& o) const { EventSet r(*this); r |= o; return r; }
EventSet EventSet::operator&(const EventSet& o) const { EventSet r(*this); r &= o; return r; }
EventSet EventSet::operator-(const EventSet& o) const { EventSet r(*this); r -= o; return r; }

EventSet EventSet::complement() const {
  EventSet r(*this);
  for (auto& w : r.w_) w = ~w;
  r.trim();
  return r;
}

size_t EventSet::first() const {
  for (size_t k = 0; k < w_.size(); ++k)
    if (w_[k]) return k * 64 + size_t(bits::ctz(w_[k]));
  return n_;
}

std::vector<size_t> EventSet::elements() const {
  std::vector<size_t> v;
  for_each([&](size_t i) { v.push_back(i); });
  return v;
}

std::string EventSet::to_string() const {
  std::string s = "{";
  bool first = true;
  for_each([&](size_t i) {
    if (!first) s += ",";
    first = false;
    s += std::to_string(i);
  });
  return s + "}";
}

// ---------------------------------------------------------------- Relation

Relation Relation::identity(size_t n) {
  Relation r(n);
  for (size_t i = 0; i < n; ++i) r.set(i, i);
  return r;
}

Relation Relation::cross(const EventSet& a, const EventSet& b) {
  check_same(a.universe(), b.universe());
  Relation r(a.universe());
  const auto& bw = b.words();
  a.for_each([&](size_t i) { std::copy(bw.begin(), bw.end(), r.row_data(i)); });
  return r;
}

Relation Relation::id_on(const EventSet& s) {
  Relation r(s.universe());
  s.for_each([&](size_t i) { r.set(i, i); });
  return r;
}

bool Relation::empty() const {
  // Or-reduced eight words at a time (vectorised), stopping at the first non-empty block.
  const uint64_t* p = w_.data();
  size_t n = w_.size(), k = 0;
  for (; k + 8 <= n; k += 8)
    if ((p[k] | p[k + 1] | p[k + 2] | p[k + 3] | p[k + 4] | p[k + 5] | p[k + 6] | p[k + 7]) != 0) return false;
  uint64_t acc = 0;
  for (; k < n; ++k) acc |= p[k];
  return acc == 0;
}

size_t Relation::count() const {
  size_t c = 0;
  for (auto w : w_) c += size_t(bits::popcount(w));
  return c;
}

bool Relation::operator<(const Relation& o) const {
  if (n_ != o.n_) return n_ < o.n_;
  return w_ < o.w_;
}

bool Relation::subset_of(const Relation& o) const {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k)
    if (w_[k] & ~o.w_[k]) return false;
  return true;
}

Relation& Relation::operator|=(const Relation& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] |= o.w_[k];
  return *this;
}
Relation& Relation::operator&=(const Relation& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] &= o.w_[k];
  return *this;
}
Relation& Relation::operator-=(const Relation& o) {
  check_same(n_, o.n_);
  for (size_t k = 0; k < w_.size(); ++k) w_[k] &= ~o.w_[k];
  return *this;
}
Relation Relation::operator|(const Relation& o) const { Relation r(*this); r |= o; return r; }
Relation Relation::operator&(const Relation& o) const { Relation r(*this); r &= o; return r; }
Relation Relation::operator-(const Relation& o) const { Relation r(*this); r -= o; return r; }

Relation Relation::complement() const {
  Relation r(*this);
  uint64_t m = last_mask(n_);
  for (size_t i = 0; i < n_; ++i) {
    uint64_t* row = r.row_data(i);
    for (size_t k = 0; k < rw_; ++k) row[k] = ~row[k];
    row[rw_ - 1] &= m;
  }
  return r;
}

Relation Relation::inverse() const {
  Relation r(n_);
  for_each([&](size_t i, size_t j) { r.set(j, i); });
  return r;
}

Relation Relation::compose(const Relation& s) const {
  check_same(n_, s.n_);
  Relation r(n_);
  if (rw_ == 1) {
    for (size_t i = 0; i < n_; ++i) {
      uint64_t acc = 0;
      for (uint64_t w = w_[i]; w; w &= w - 1) acc |= s.w_[size_t(bits::ctz(w))];
      r.w_[i] = acc;
    }
    return r;
  }
  for (size_t i = 0; i < n_; ++i) {
    uint64_t* out = r.row_data(i);
    const uint64_t* in = row_data(i);
    for (size_t k = 0; k < rw_; ++k)
      for (uint64_t w = in[k]; w; w &= w - 1) {
        const uint64_t* srow = s.row_data(k * 64 + size_t(bits::ctz(w)));
        for (size_t q = 0; q < rw_; ++q) out[q] |= srow[q];
      }
  }
  return r;
}

Relation Relation::transitive_closure() const {
  Relation r(*this);
  r.close_transitively();
  return r;
}

void Relation::close_transitively() {
  // Warshall over bit rows: after step k, r(i,j) iff a path i->j via intermediates <= k exists. Only rows that
  // are not empty ever change (a row is or-ed into rows that already reach k), and only events both in the domain
  // and the range can be intermediates: model relations are sparse, so both loops run over those lists. The lists
  // live on the stack for the usual sizes: closures run several times per candidate.
  constexpr size_t kSmall = 256;
  uint32_t dom_buf[kSmall];
  uint64_t ran_buf[kSmall / 64];
  std::vector<uint32_t> dom_big;
  std::vector<uint64_t> ran_big;
  uint32_t* dom = dom_buf;
  uint64_t* ran = ran_buf;
  if (n_ > kSmall) {
    dom_big.resize(n_), ran_big.resize(rw_);
    dom = dom_big.data(), ran = ran_big.data();
  }
  size_t nd = 0;
  std::fill(ran, ran + rw_, 0);
  for (size_t i = 0; i < n_; ++i) {
    const uint64_t* row = row_data(i);
    uint64_t any = 0;
    for (size_t q = 0; q < rw_; ++q) any |= row[q], ran[q] |= row[q];
    if (any) dom[nd++] = uint32_t(i);
  }
  if (rw_ == 1) {
    uint64_t* w = w_.data();
    for (size_t a = 0; a < nd; ++a) {
      uint32_t k = dom[a];
      uint64_t bit = uint64_t(1) << k;
      if (!(ran[0] & bit)) continue;
      uint64_t rowk = w[k];
      for (size_t b = 0; b < nd; ++b)
        if (w[dom[b]] & bit) w[dom[b]] |= rowk;
    }
    return;
  }
  size_t rw = rw_;
  uint64_t* w = w_.data();
  for (size_t a = 0; a < nd; ++a) {
    uint32_t k = dom[a];
    size_t kw = k >> 6;
    uint64_t bit = uint64_t(1) << (k & 63);
    if (!(ran[kw] & bit)) continue;
    const uint64_t* rowk = w + k * rw;
    for (size_t b = 0; b < nd; ++b) {
      uint64_t* rowi = w + dom[b] * rw;
      if (rowi[kw] & bit)
        for (size_t q = 0; q < rw; ++q) rowi[q] |= rowk[q];
    }
  }
}

void Relation::add_identity() {
  // Locals: a store through the words could otherwise alias n_ and rw_ (both 64-bit) and force reloads.
  size_t n = n_, rw = rw_;
  uint64_t* row = w_.data();
  for (size_t i = 0; i < n; ++i, row += rw) row[i >> 6] |= uint64_t(1) << (i & 63);
}

Relation Relation::optional() const {
  Relation r(*this);
  r.add_identity();
  return r;
}

Relation Relation::reflexive_transitive_closure() const {
  Relation r(*this);
  r.close_transitively();
  r.add_identity();
  return r;
}

Relation Relation::restrict(const EventSet& a, const EventSet& b) const {
  check_same(n_, a.universe());
  check_same(n_, b.universe());
  Relation r(n_);
  const auto& bw = b.words();
  a.for_each([&](size_t i) {
    const uint64_t* in = row_data(i);
    uint64_t* out = r.row_data(i);
    for (size_t q = 0; q < rw_; ++q) out[q] = in[q] & bw[q];
  });
  return r;
}

EventSet Relation::domain() const {
  EventSet s(n_);
  for (size_t i = 0; i < n_; ++i) {
    const uint64_t* row = row_data(i);
    for (size_t q = 0; q < rw_; ++q)
      if (row[q]) { s.set(i); break; }
  }
  return s;
}

EventSet Relation::range() const {
  EventSet s(n_);
  auto& sw = s.words();
  for (size_t i = 0; i < n_; ++i) {
    const uint64_t* row = row_data(i);
    for (size_t q = 0; q < rw_; ++q) sw[q] |= row[q];
  }
  return s;
}

EventSet Relation::row(size_t i) const {
  EventSet s(n_);
  std::copy(row_data(i), row_data(i) + rw_, s.words().begin());
  return s;
}

EventSet Relation::column(size_t j) const {
  EventSet s(n_);
  for (size_t i = 0; i < n_; ++i)
    if (test(i, j)) s.set(i);
  return s;
}

void Relation::set_row(size_t i, const EventSet& s) {
  check_same(n_, s.universe());
  std::copy(s.words().begin(), s.words().end(), row_data(i));
}

bool Relation::irreflexive() const {
  for (size_t i = 0; i < n_; ++i)
    if (test(i, i)) return false;
  return true;
}

std::vector<size_t> Relation::topological_order() const {
  // Kahn's algorithm on in-degrees.
  std::vector<uint32_t> indeg(n_, 0);
  for_each([&](size_t, size_t j) { ++indeg[j]; });
  std::vector<size_t> order, stack;
  order.reserve(n_);
  for (size_t i = n_; i-- > 0;)
    if (indeg[i] == 0) stack.push_back(i);
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    order.push_back(i);
    const uint64_t* row = row_data(i);
    for (size_t k = 0; k < rw_; ++k)
      for (uint64_t w = row[k]; w; w &= w - 1) {
        size_t j = k * 64 + size_t(bits::ctz(w));
        if (--indeg[j] == 0) stack.push_back(j);
      }
  }
  if (order.size() != n_) order.clear();
  return order;
}

bool Relation::acyclic() const {
  if (n_ == 0) return true;
  if (rw_ == 1) {
    // Repeatedly peel sinks: an event whose successors (within the remaining set) are all gone.
    uint64_t alive = last_mask(n_);
    for (;;) {
      uint64_t removed = 0;
      for (uint64_t w = alive; w; w &= w - 1) {
        size_t i = size_t(bits::ctz(w));
        if ((w_[i] & alive) == 0) removed |= uint64_t(1) << i;
      }
      if (!removed) return alive == 0;
      alive &= ~removed;
      if (!alive) return true;
    }
  }
  // Depth-first search with the path and the finished events as bit sets: a successor on the path closes a
  // cycle. Each event is entered once and each edge looked at once; nothing is allocated for the usual sizes.
  constexpr size_t kSmall = 256;
  uint64_t done_buf[kSmall / 64], path_buf[kSmall / 64], bits_buf[kSmall];
  uint32_t node_buf[kSmall], word_buf[kSmall];
  std::vector<uint64_t> big64;
  std::vector<uint32_t> big32;
  uint64_t *done = done_buf, *path = path_buf, *cur_bits = bits_buf;
  uint32_t *node = node_buf, *cur_word = word_buf;
  if (n_ > kSmall) {
    big64.resize(2 * rw_ + n_);
    big32.resize(2 * n_);
    done = big64.data(), path = done + rw_, cur_bits = path + rw_;
    node = big32.data(), cur_word = node + n_;
  }
  std::fill(done, done + rw_, 0);
  std::fill(path, path + rw_, 0);
  auto has = [](const uint64_t* s, size_t i) { return (s[i >> 6] >> (i & 63)) & 1u; };
  for (size_t s = 0; s < n_; ++s) {
    if (has(done, s)) continue;
    size_t sp = 0;
    node[0] = uint32_t(s), cur_word[0] = 0, cur_bits[0] = w_[s * rw_] & ~done[0];
    path[s >> 6] |= uint64_t(1) << (s & 63);
    sp = 1;
    while (sp) {
      size_t t = sp - 1, v = node[t];
      uint64_t b = cur_bits[t];
      while (!b && ++cur_word[t] < rw_) b = w_[v * rw_ + cur_word[t]] & ~done[cur_word[t]];
      if (!b) {  // v finished
        path[v >> 6] &= ~(uint64_t(1) << (v & 63));
        done[v >> 6] |= uint64_t(1) << (v & 63);
        --sp;
        continue;
      }
      size_t j = size_t(cur_word[t]) * 64 + size_t(bits::ctz(b));
      cur_bits[t] = b & (b - 1);
      if (has(path, j)) return false;
      if (has(done, j)) continue;
      node[sp] = uint32_t(j), cur_word[sp] = 0, cur_bits[sp] = w_[j * rw_] & ~done[0];
      path[j >> 6] |= uint64_t(1) << (j & 63);
      ++sp;
    }
  }
  return true;
}

std::vector<std::pair<size_t, size_t>> Relation::pairs() const {
  std::vector<std::pair<size_t, size_t>> v;
  for_each([&](size_t i, size_t j) { v.emplace_back(i, j); });
  return v;
}

std::string Relation::to_string() const {
  std::string s = "{";
  bool first = true;
  for_each([&](size_t i, size_t j) {
    if (!first) s += ",";
    first = false;
    s += "(" + std::to_string(i) + "," + std::to_string(j) + ")";
  });
  return s + "}";
}

}  // namespace paddock
