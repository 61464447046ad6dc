// Event sets and binary relations over a universe of n events, as packed bit vectors / bit matrices.
// Everything is concrete; n is fixed per value, and binary operations require equal universes.
// Fast paths for n <= 64 (one word per row); correct for any n.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace paddock {

namespace bits {
inline size_t words_for(size_t n) { return (n + 63) / 64; }
inline int ctz(uint64_t w) { return __builtin_ctzll(w); }
inline int popcount(uint64_t w) { return __builtin_popcountll(w); }
}  // namespace bits

// Bit-matrix storage from per-thread free lists by size. A relation over more than about 64 events is over 1 KiB,
// beyond glibc's per-thread cache, and the evaluator makes and drops many per candidate; the lists make that a
// push and a pop.
namespace detail {
void* words_allocate(size_t n);
void words_deallocate(void* p, size_t n) noexcept;
}  // namespace detail
template <class T>
struct WordAllocator {
  using value_type = T;
  WordAllocator() = default;
  template <class U>
  WordAllocator(const WordAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(detail::words_allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { detail::words_deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const WordAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const WordAllocator<U>&) const { return false; }
};

class EventSet {
 public:
  EventSet() = default;
  explicit EventSet(size_t n) : n_(n), w_(bits::words_for(n), 0) {}
  static EventSet full(size_t n);
  static EventSet singleton(size_t n, size_t i);

  size_t universe() const { return n_; }
  bool test(size_t i) const { return (w_[i >> 6] >> (i & 63)) & 1u; }
  void set(size_t i, bool v = true) {
    uint64_t m = uint64_t(1) << (i & 63);
    if (v) w_[i >> 6] |= m; else w_[i >> 6] &= ~m;
  }
  size_t count() const;
  bool empty() const;
  bool operator==(const EventSet& o) const { return n_ == o.n_ && w_ == o.w_; }
  bool operator!=(const EventSet& o) const { return !(*this == o); }
  bool operator<(const EventSet& o) const;  // arbitrary total order (for use in std::set/map)
  bool subset_of(const EventSet& o) const;
  bool intersects(const EventSet& o) const;

  EventSet operator|(const EventSet& o) const;
  EventSet operator&(const EventSet& o) const;
  EventSet operator-(const EventSet& o) const;
  EventSet& operator|=(const EventSet& o);
  EventSet& operator&=(const EventSet& o);
  EventSet& operator-=(const EventSet& o);
  EventSet complement() const;
  // Smallest element, or universe() when empty.
  size_t first() const;

  template <class F>
  void for_each(F f) const {
    for (size_t k = 0; k < w_.size(); ++k)
      for (uint64_t w = w_[k]; w; w &= w - 1) f(k * 64 + size_t(bits::ctz(w)));
  }
  std::vector<size_t> elements() const;
  std::string to_string() const;  // "{0,3,5}"

  // Raw word access (for Relation and fast algorithms).
  const std::vector<uint64_t>& words() const { return w_; }
  std::vector<uint64_t>& words() { return w_; }

 private:
  void trim();  // clear the bits beyond n in the last word
  size_t n_ = 0;
  std::vector<uint64_t> w_;
};

class Relation {
 public:
  Relation() = default;
  explicit Relation(size_t n) : n_(n), rw_(bits::words_for(n)), w_(n * rw_, 0) {}
  static Relation identity(size_t n);
  static Relation cross(const EventSet& a, const EventSet& b);  // a * b
  static Relation id_on(const EventSet& s);                     // [s]

  size_t universe() const { return n_; }
  bool test(size_t i, size_t j) const { return (w_[i * rw_ + (j >> 6)] >> (j & 63)) & 1u; }
  void set(size_t i, size_t j, bool v = true) {
    uint64_t m = uint64_t(1) << (j & 63);
    if (v) w_[i * rw_ + (j >> 6)] |= m; else w_[i * rw_ + (j >> 6)] &= ~m;
  }
  bool empty() const;
  size_t count() const;
  bool operator==(const Relation& o) const { return n_ == o.n_ && w_ == o.w_; }
  bool operator!=(const Relation& o) const { return !(*this == o); }
  bool operator<(const Relation& o) const;  // arbitrary total order
  bool subset_of(const Relation& o) const;

  Relation operator|(const Relation& o) const;
  Relation operator&(const Relation& o) const;
  Relation operator-(const Relation& o) const;
  Relation& operator|=(const Relation& o);
  Relation& operator&=(const Relation& o);
  Relation& operator-=(const Relation& o);
  Relation complement() const;
  Relation inverse() const;
  Relation compose(const Relation& s) const;  // this ; s
  Relation transitive_closure() const;              // r+
  Relation reflexive_transitive_closure() const;    // r*
  Relation optional() const;                        // r? = r | id
  // In place: this = this+ / this | id.
  void close_transitively();
  void add_identity();
  // [a] ; r ; [b]
  Relation restrict(const EventSet& a, const EventSet& b) const;

  EventSet domain() const;
  EventSet range() const;
  EventSet row(size_t i) const;      // successors of i
  EventSet column(size_t j) const;   // predecessors of j
  void set_row(size_t i, const EventSet& s);
  bool acyclic() const;
  bool irreflexive() const;
  // A topological order of the events (all n of them) if acyclic; empty vector otherwise.
  std::vector<size_t> topological_order() const;

  template <class F>
  void for_each(F f) const {
    for (size_t i = 0; i < n_; ++i) {
      const uint64_t* r = &w_[i * rw_];
      for (size_t k = 0; k < rw_; ++k)
        for (uint64_t w = r[k]; w; w &= w - 1) f(i, k * 64 + size_t(bits::ctz(w)));
    }
  }
  std::vector<std::pair<size_t, size_t>> pairs() const;
  std::string to_string() const;  // "{(0,1),(2,3)}"

  size_t row_words() const { return rw_; }
  const uint64_t* row_data(size_t i) const { return &w_[i * rw_]; }
  uint64_t* row_data(size_t i) { return &w_[i * rw_]; }

 private:
  size_t n_ = 0;
  size_t rw_ = 0;  // words per row
  std::vector<uint64_t, WordAllocator<uint64_t>> w_;
};

}  // namespace paddock
