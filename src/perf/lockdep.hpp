// Lockdep-style lock-order graph accumulated over all explored executions (spec §4.2).
#pragma once
#include <functional>
#include <map>
#include <vector>

#include "perf/program.hpp"
#include "perf/trace.hpp"

namespace paddock::perf {

struct Model;

struct LdWitness {
  int actor = -1, step = -1;
  bool attempt = false;  // added from a blocked attempt in a deadlock state
  std::vector<std::pair<uint8_t, uint8_t>> held;  // (lock id, subclass | mode << 4)
  uint8_t lock = 0, hmode = 0;                    // the acquired lock
  Trace trace;
};

struct LdEdge {
  int from, to;      // nodes: class * 2 + subclass
  uint16_t modes;    // bit (mode_from * 3 + mode_to)
  LdWitness w;       // first adding execution
};

struct LdCycle {
  std::vector<int> edges;  // indices into LockGraph::edges, in cycle order
  std::string needs_writer;  // non-empty: R-R through a percpu_rwsem, real only with this concurrent writer
};

class LockGraph {
 public:
  explicit LockGraph(const Model& m);
  using TraceFn = std::function<Trace()>;
  void add(int actor, int step, const Acq& q, const TraceFn& trace);
  std::vector<LdCycle> cycles() const;
  std::string node_name(int n) const;
  std::string edge_line(const LdEdge& e) const;
  std::vector<LdEdge> edges;
  std::vector<Finding> findings;  // recursion, r-r recursion, atomic sleep

 private:
  const Model& m;
  std::vector<uint8_t> known;  // (node, mode) x (node, mode)
  std::map<std::pair<int, int>, int> index;
  std::vector<std::string> writer;  // per class: the first op seen taking it for write
  std::map<std::pair<int, int>, bool> reported;
  int nn;
};

}  // namespace paddock::perf
