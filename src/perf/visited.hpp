// The explorer's visited set: which states the search has already met, and which are on the DFS stack.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "perf/model.hpp"
#include "perf/state.hpp"

namespace paddock::perf {

// A State padded to whole 64-bit words. The padding is zero and no step writes it; slots are copied with memcpy.
struct alignas(8) Slot {
  State s;
};
constexpr size_t SLOT_WORDS = sizeof(Slot) / 8;
static_assert(sizeof(Slot) % 8 == 0);

// Only the 64-bit words of State that this model can use are hashed and stored (locks and actors it has, its CPUs'
// and contexts' fields, store buffers only in sb modes). Every other word must keep its initial value: pack() checks
// that on every state, so a layout that misses a field throws instead of merging states.
class Layout {
 public:
  Layout(const Model& m, const Slot& init);
  size_t words() const { return live_.size(); }
  void pack(const Slot& s, uint64_t* out) const;

 private:
  struct Run {
    uint16_t at, n;  // words [at, at + n)
  };
  std::vector<uint16_t> live_;
  std::vector<Run> live_runs_, dead_runs_;
  uint64_t dead_init_[SLOT_WORDS];
};

uint64_t hash_words(const uint64_t* w, size_t n);

// Two modes. Fingerprints (the default): one 8-byte word per table slot holding 63 bits of the packed state's
// 64-bit hash and an on-stack bit, open addressing, doubled at 5/8 load: 8 / load bytes per state, no per-state
// allocation. Two distinct states merge only if their hashes agree in those 63 bits: for n states the chance that
// any pair does is about n^2 / 2^64 (9 M states: 4e-6), and a merge can only hide states, never invent a violation.
// Exact (Options::exact_states): every packed state is stored and compared in full (the table holds a 32-bit tag
// and an index), words() * 8 bytes per state on top of the table.
// A zeroed word array from mmap, asking for transparent huge pages: the table is probed at random, and with 4 KiB
// pages nearly every probe of a large table also misses the TLB.
class WordArray {
 public:
  WordArray() = default;
  explicit WordArray(size_t n);
  ~WordArray();
  WordArray(WordArray&& o) noexcept : p_(o.p_), n_(o.n_), bytes_(o.bytes_) { o.p_ = nullptr, o.n_ = o.bytes_ = 0; }
  WordArray& operator=(WordArray&& o) noexcept;
  WordArray(const WordArray&) = delete;
  WordArray& operator=(const WordArray&) = delete;
  uint64_t& operator[](size_t i) { return p_[i]; }
  uint64_t operator[](size_t i) const { return p_[i]; }
  const uint64_t* data() const { return p_; }
  size_t size() const { return n_; }
  uint64_t* begin() { return p_; }
  uint64_t* end() { return p_ + n_; }

 private:
  uint64_t* p_ = nullptr;
  size_t n_ = 0, bytes_ = 0;
};

class Visited {
 public:
  Visited(size_t words, bool exact);
  struct Hit {
    uint64_t key;   // equal keys <=> the same state (fingerprint, or state index when exact)
    uint64_t slot;  // where its on-stack bit lives; changes when the table grows (see grew())
    bool fresh;
  };
  Hit insert(const uint64_t* packed);
  // True once after an insert that grew the table: slots of keys held by the caller must be looked up again.
  bool grew() {
    bool g = grew_;
    grew_ = false;
    return g;
  }
  uint64_t slot_of(uint64_t key) const;
  void set_on_stack(uint64_t slot, bool on);
  bool on_stack(uint64_t slot) const;
  uint64_t size() const { return n_; }
  size_t bytes() const;  // memory held by the set
  bool exact() const { return exact_; }

 private:
  const size_t PW;
  const bool exact_;
  uint64_t n_ = 0;
  bool grew_ = false;
  WordArray table_;
  // exact mode
  static constexpr size_t CH = 1 << 14;  // states per chunk
  std::vector<std::unique_ptr<uint64_t[]>> chunks_;
  std::vector<uint64_t> hashes_;
  std::vector<uint8_t> onstack_;
  static uint64_t key_of(uint64_t h) { return (h & ~1ull) ? (h & ~1ull) : 2; }
  size_t home(uint64_t h) const { return size_t(key_of(h) >> 20) & (table_.size() - 1); }
  const uint64_t* packed(uint64_t id) const { return chunks_[id / CH].get() + (id % CH) * PW; }
  Hit insert_exact(const uint64_t* w, uint64_t h);
  Hit insert_fp(uint64_t h);
  void grow_fp();
};

}  // namespace paddock::perf
