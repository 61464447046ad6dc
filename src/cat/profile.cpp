#include "cat/profile.hpp"

#if defined(__x86_64__)
#include <x86intrin.h>
#else
#include <chrono>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "cat/ast.hpp"

namespace paddock::cat::profile {

namespace {
struct Row {
  uint64_t cycles = 0, runs = 0, replays = 0;
  std::string where;
};
struct Table {
  std::mutex mu;
  std::unordered_map<const Stmt*, Row> rows;
  ~Table() {
    std::vector<Row> v;
    uint64_t total = 0;
    for (auto& [s, r] : rows) v.push_back(r), total += r.cycles;
    std::sort(v.begin(), v.end(), [](const Row& a, const Row& b) { return a.cycles > b.cycles; });
    fmt::print(stderr, "cat profile: {:.1f} Mcycles in top-level statements\n", double(total) / 1e6);
    for (const Row& r : v)
      fmt::print(stderr, "{:10.1f} Mc {:5.1f}% {:9} runs {:9} replays  {}\n", double(r.cycles) / 1e6,
                 total ? 100.0 * double(r.cycles) / double(total) : 0.0, r.runs, r.replays, r.where);
  }
};
Table& table() {
  static Table t;
  return t;
}
}  // namespace

bool on() {
  static const bool enabled = [] {
    const char* v = std::getenv("PADDOCK_CAT_PROFILE");
    return v && *v == '1';
  }();
  return enabled;
}

uint64_t now() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

void add(const Stmt& s, uint64_t cycles, bool replayed) {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mu);
  Row& r = t.rows[&s];
  if (r.where.empty()) {
    std::string name = s.name;
    if (name.empty() && !s.binds.empty() && !s.binds[0].pat.names.empty()) name = s.binds[0].pat.names[0];
    r.where = fmt::format("{} {}", s.pos.str(), name);
  }
  r.cycles += cycles;
  (replayed ? r.replays : r.runs) += 1;
}

}  // namespace paddock::cat::profile
