// Stateful DFS over all interleavings with persistent-set reduction and a cycle proviso (spec §6).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "perf/lockdep.hpp"
#include "perf/model.hpp"
#include "perf/trace.hpp"

namespace paddock::perf {

enum class Reduction : uint8_t {
  none,   // every enabled step of every state
  ample,  // the original reduction: a lone write-free, non-lock step independent of all others' whole futures
  por,    // persistent sets over lock-gated futures, no visibility condition (the default)
};
const char* reduction_name(Reduction r);

struct Options {
  Reduction red = Reduction::por;
  bool stop_first = false;  // stop at the first failure
  bool lockdep = true;
  uint64_t max_states = 20'000'000;
  // Check every independence the reduction relies on, in every explored state (slow; tests): co-enabled steps with
  // disjoint footprints commute, neither enables or disables the other, each reports the same violations and lock
  // acquisitions in both orders, they never both change what one invariant reads; gates hold; only the owner changes
  // a lock it holds; declared quiescence changes match the real ones. Problems land in Result::validation.
  bool validate = false;
  // Store every visited state in full instead of its 63-bit fingerprint (visited.hpp: the collision bound).
  bool exact_states = false;
};

struct Stats {
  uint64_t states = 0, transitions = 0, terminal = 0;
  uint64_t max_depth = 0;
  uint64_t reduced = 0;  // states expanded with a proper persistent subset of their enabled steps
  double secs = 0;
  bool truncated = false;
  long peak_rss_kb = 0;
  size_t state_bytes = 0;    // bytes of the packed image hashed per state
  size_t visited_bytes = 0;  // memory of the visited set at the end
  bool exact_states = false;
  Reduction red = Reduction::por;
};

struct Result {
  Stats st;
  std::vector<Finding> findings;  // failures (first witness per kind and key)
  std::vector<Finding> infos;     // D4-INFO and similar
  std::vector<LdEdge> ld_edges;
  std::vector<LdCycle> ld_cycles;
  std::vector<std::string> ld_nodes;  // node names for the edges
  std::vector<uint32_t> coverage;     // per global step id: executions
  std::vector<std::string> validation;  // Options::validate: independence claims that do not hold
  bool has(Prop k) const;
  bool failed() const;                // any failure, lockdep included
  const Finding* first(Prop k) const;
};

Result explore(const Model& m, const Options& o = {});

// Apply one step of actor `a` to `s` (pc update included); throws on an undeclared jump.
void apply_step(const Model& m, State& s, int a, const Step& st, Sink* out);
// Which alternative of actor a's current node is step `id` (-1 if none).
const Step* step_at(const Model& m, const State& s, int a, int id);

}  // namespace paddock::perf
