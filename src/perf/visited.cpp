#include "perf/visited.hpp"

#include <cstring>
#include <stdexcept>

namespace paddock::perf {

namespace {
inline uint64_t word_at(const void* base, size_t i) {
  uint64_t w;
  std::memcpy(&w, static_cast<const char*>(base) + 8 * i, 8);
  return w;
}
inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
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

// Four independent multiply lanes over the packed words, then the murmur3 finaliser.
uint64_t hash_words(const uint64_t* w, size_t n) {
  constexpr uint64_t K = 0x87c37b91114253d5ull;
  uint64_t h0 = 0x9E3779B97F4A7C15ull, h1 = 0xC2B2AE3D27D4EB4Full, h2 = 0x165667B19E3779F9ull, h3 = 0x27D4EB2F165667C5ull;
  auto mix = [](uint64_t h, uint64_t x) {
    h = (h ^ x) * K;
    return h ^ (h >> 29);
  };
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    h0 = mix(h0, w[i]);
    h1 = mix(h1, w[i + 1]);
    h2 = mix(h2, w[i + 2]);
    h3 = mix(h3, w[i + 3]);
  }
  for (; i < n; ++i) h0 = mix(h0, w[i]);
  uint64_t r = h0 ^ rotl(h1, 17) ^ rotl(h2, 31) ^ rotl(h3, 47) ^ n;
  r ^= r >> 33;
  r *= 0xff51afd7ed558ccdull;
  r ^= r >> 33;
  r *= 0xc4ceb9fe1a85ec53ull;
  return r ^ (r >> 33);
}

Visited::Visited(size_t words, bool exact) : PW(words), exact_(exact) { table_.assign(1 << 16, 0); }

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
  uint64_t key = h & ~1ull;
  if (!key) key = 2;
  size_t mask = table_.size() - 1;
  size_t i = (key >> 20) & mask;
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
  std::vector<uint64_t> old;
  old.swap(table_);
  table_.assign(old.size() * 2, 0);
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
    table_.assign(table_.size() * 2, 0);
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
