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
  for (auto w : w_)
    if (w) return false;
  return true;
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
  // Warshall over bit rows: after step k, r(i,j) iff a path i->j via intermediates <= k exists. Only rows that
  // are not empty ever change (a row is or-ed into rows that already reach k), and only events both in the domain
  // and the range can be intermediates: model relations are sparse, so both loops run over those lists.
  Relation r(*this);
  std::vector<uint32_t> dom;
  dom.reserve(n_);
  EventSet ran = range();
  for (size_t i = 0; i < n_; ++i) {
    const uint64_t* row = row_data(i);
    for (size_t q = 0; q < rw_; ++q)
      if (row[q]) {
        dom.push_back(uint32_t(i));
        break;
      }
  }
  if (rw_ == 1) {
    for (uint32_t k : dom) {
      if (!ran.test(k)) continue;
      uint64_t bit = uint64_t(1) << k, rowk = r.w_[k];
      for (uint32_t i : dom)
        if (r.w_[i] & bit) r.w_[i] |= rowk;
    }
    return r;
  }
  for (uint32_t k : dom) {
    if (!ran.test(k)) continue;
    const uint64_t* rowk = r.row_data(k);
    size_t kw = k >> 6;
    uint64_t bit = uint64_t(1) << (k & 63);
    for (uint32_t i : dom) {
      uint64_t* rowi = r.row_data(i);
      if (rowi[kw] & bit)
        for (size_t q = 0; q < rw_; ++q) rowi[q] |= rowk[q];
    }
  }
  return r;
}

Relation Relation::optional() const {
  Relation r(*this);
  for (size_t i = 0; i < n_; ++i) r.set(i, i);
  return r;
}

Relation Relation::reflexive_transitive_closure() const { return transitive_closure().optional(); }

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
  return topological_order().size() == n_;
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
