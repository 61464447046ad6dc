#include "perf/visited.hpp"

#include <sys/mman.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace paddock::perf {

namespace {
inline uint64_t word_at(const void* base, size_t i) {
  uint64_t w;
  std::memcpy(&w, static_cast<const char*>(base) + 8 * i, 8);
  return w;
}
}  // namespace

Layout::Layout(const Model& m, const Slot& init) {
  std::vector<uint8_t> lb(sizeof(Slot), 0);
  static const State z{};
  auto mark = [&](const void* p, size_t n) {
    size_t off = size_t(static_cast<const char*>(p) - reinterpret_cast<const char*>(&z));
    for (size_t i = 0; i < n; ++i) lb[off + i] = 1;
  };
  for (int l = 0; l < int(m.locks.size()); ++l) mark(&z.lk[l], sizeof(LockSt));
  for (int a = 0; a < int(m.actors.size()); ++a) mark(&z.act[a], sizeof(ActSt));
  mark(z.mem, sizeof z.mem);
  if (m.sb()) {
    mark(z.sbn, sizeof z.sbn);
    mark(z.sbvar, sizeof z.sbvar);
    mark(z.sbval, sizeof z.sbval);
  }
  for (int c = 0; c < m.ncpu; ++c) {
    for (const uint8_t* f : {z.irqs, z.ipi, z.active, z.perf_online, z.swb, z.task_ctx, z.ds_gen}) mark(f + c, 1);
    mark(&z.cpu_pinned[c], 1);
    mark(z.tsk_pinned[c], NSLOT);
  }
  mark(&z.migb, 1);
  for (int t = 0; t < m.ntask; ++t)
    for (const uint8_t* f : {z.run, z.on_cpu, z.exiting, z.ran}) mark(f + t, 1);
  for (int k = 0; k < MAXCTX; ++k) {
    int p = (k - MAXTASK) / MAXCPU, c = (k - MAXTASK) % MAXCPU;
    if (k < MAXTASK ? k >= m.ntask : (p >= m.npmu || c >= m.ncpu)) continue;
    mark(&z.ctask[k], 1), mark(&z.cact[k], 1), mark(&z.cev[k], 1), mark(&z.conline[k], 1), mark(&z.cref[k], 1);
  }
  mark(z.est, m.ev.size());
  mark(&z.published, 1);
  for (const void* f : {(const void*)&z.pmc_ref, (const void*)&z.lbr_excl, (const void*)&z.active_events,
                        (const void*)&z.pebs_active, (const void*)&z.pebs_buf, (const void*)&z.pebs_en,
                        (const void*)&z.ds_alive, (const void*)&z.bp_list, (const void*)&z.bp_live})
    mark(f, 1);
  for (size_t w = 0; w < SLOT_WORDS; ++w) {
    dead_init_[w] = word_at(&init, w);
    bool any = false;
    for (size_t i = 8 * w; i < 8 * w + 8; ++i) any |= lb[i] != 0;
    if (any) live_.push_back(uint16_t(w));
    auto& runs = any ? live_runs_ : dead_runs_;
    if (!runs.empty() && runs.back().at + runs.back().n == w) ++runs.back().n;
    else runs.push_back(Run{uint16_t(w), 1});
  }
}

void Layout::pack(const Slot& s, uint64_t* out) const {
  const char* base = reinterpret_cast<const char*>(&s);
  for (const Run& r : live_runs_) {
    std::memcpy(out, base + 8 * r.at, 8 * size_t(r.n));
    out += r.n;
  }
  uint64_t bad = 0;
  for (const Run& r : dead_runs_)
    for (uint16_t i = 0; i < r.n; ++i) bad |= word_at(base, r.at + i) ^ dead_init_[r.at + i];
  if (bad) throw std::logic_error("perf explorer: a step changed state outside the model's packed layout");
}

// Three independent lanes, each folding two words per 64x64->128 multiply (the wyhash construction: the lanes'
// chains are a third as long as one lane's), then a last multiply joining them with the length.
uint64_t hash_words(const uint64_t* w, size_t n) {
  constexpr uint64_t S0 = 0xa0761d6478bd642full, S1 = 0xe7037ed1a0b428dbull, S2 = 0x8ebc6af09c88c6e3ull,
                     S3 = 0x589965cc75374cc3ull;
  auto mum = [](uint64_t a, uint64_t b) {
    const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return uint64_t(r) ^ uint64_t(r >> 64);
  };
  uint64_t h0 = S0 ^ n, h1 = S1, h2 = S2;
  size_t i = 0;
  for (; i + 6 <= n; i += 6) {
    h0 = mum(w[i] ^ S1, w[i + 1] ^ h0);
    h1 = mum(w[i + 2] ^ S2, w[i + 3] ^ h1);
    h2 = mum(w[i + 4] ^ S3, w[i + 5] ^ h2);
  }
  for (; i + 2 <= n; i += 2) h0 = mum(w[i] ^ S1, w[i + 1] ^ h0);
  if (i < n) h1 = mum(w[i] ^ S2, h1 ^ S3);
  return mum(h0 ^ h1 ^ S0, h2 ^ S1 ^ uint64_t(n));
}

WordArray::WordArray(size_t n) : n_(n), bytes_(n * 8) {
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  if (bytes_ >= (size_t(2) << 20)) madvise(p, bytes_, MADV_HUGEPAGE);  // a hint; ignored where THP is off
  p_ = static_cast<uint64_t*>(p);
}
WordArray::~WordArray() {
  if (p_) munmap(p_, bytes_);
}
WordArray& WordArray::operator=(WordArray&& o) noexcept {
  if (this != &o) {
    if (p_) munmap(p_, bytes_);
    p_ = o.p_, n_ = o.n_, bytes_ = o.bytes_;
    o.p_ = nullptr, o.n_ = o.bytes_ = 0;
  }
  return *this;
}

Visited::Visited(size_t words, bool exact) : PW(words), exact_(exact), table_(1 << 16) {}

size_t Visited::bytes() const {
  size_t b = table_.size() * 8;
  if (exact_) b += chunks_.size() * CH * PW * 8 + hashes_.capacity() * 8 + onstack_.capacity();
  return b;
}

Visited::Hit Visited::insert(const uint64_t* w) {
  const uint64_t h = hash_words(w, PW);
  return exact_ ? insert_exact(w, h) : insert_fp(h);
}

// Fingerprint entries: bits 63..1 the key (never 0), bit 0 on-stack. The home slot comes from the key's high bits.
Visited::Hit Visited::insert_fp(uint64_t h) {
  const uint64_t key = key_of(h);
  const size_t mask = table_.size() - 1;
  size_t i = home(h);
  for (;; i = (i + 1) & mask) {
    const uint64_t e = table_[i];
    if (!e) break;
    if ((e & ~1ull) == key) return Hit{key, i, false};
  }
  table_[i] = key;
  ++n_;
  if (n_ * 8 > table_.size() * 5) {
    grow_fp();
    return Hit{key, slot_of(key), true};
  }
  return Hit{key, i, true};
}

void Visited::grow_fp() {
  WordArray old = std::move(table_);
  table_ = WordArray(old.size() * 2);
  const size_t mask = table_.size() - 1;
  for (uint64_t e : old) {
    if (!e) continue;
    size_t i = ((e & ~1ull) >> 20) & mask;
    while (table_[i]) i = (i + 1) & mask;
    table_[i] = e;
  }
  grew_ = true;
}

Visited::Hit Visited::insert_exact(const uint64_t* w, uint64_t h) {
  const uint64_t tag = h >> 32;
  size_t mask = table_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t x = table_[i];
    if (!x) break;
    if ((x >> 32) == tag && std::memcmp(packed(uint32_t(x) - 1), w, PW * 8) == 0) {
      uint64_t id = uint32_t(x) - 1;
      return Hit{id, id, false};
    }
  }
  if (n_ >= UINT32_MAX - 1) throw std::runtime_error("perf explorer: more than 2^32 states in exact mode");
  if (n_ % CH == 0) chunks_.emplace_back(new uint64_t[CH * PW]);
  const uint64_t id = n_++;
  std::memcpy(chunks_[id / CH].get() + (id % CH) * PW, w, PW * 8);
  hashes_.push_back(h);
  onstack_.push_back(0);
  auto place = [&](uint64_t k) {
    size_t i = hashes_[k] & mask;
    while (table_[i]) i = (i + 1) & mask;
    table_[i] = (hashes_[k] >> 32) << 32 | (k + 1);
  };
  if (n_ * 2 > table_.size()) {
    table_ = WordArray(table_.size() * 2);
    mask = table_.size() - 1;
    for (uint64_t k = 0; k < n_; ++k) place(k);
  } else {
    place(id);
  }
  return Hit{id, id, true};
}

uint64_t Visited::slot_of(uint64_t key) const {
  if (exact_) return key;
  const size_t mask = table_.size() - 1;
  for (size_t i = (key >> 20) & mask;; i = (i + 1) & mask)
    if ((table_[i] & ~1ull) == key) return i;
}

void Visited::set_on_stack(uint64_t slot, bool on) {
  if (exact_) onstack_[slot] = on;
  else table_[slot] = (table_[slot] & ~1ull) | uint64_t(on);
}

bool Visited::on_stack(uint64_t slot) const { return exact_ ? onstack_[slot] != 0 : (table_[slot] & 1) != 0; }

}  // namespace paddock::perf
